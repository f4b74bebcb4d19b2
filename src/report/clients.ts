/**
 * The client compatibility table of `scan --clients` and the `tlsdoctor clients`
 * listing. Pure text renderers: no I/O.
 */
import type { ClientSimulationResult } from '../scan/types.js';
import type { ClientProfile } from '../registry/clients/index.js';
import { suiteByCode, groupByCode } from '../registry/index.js';
import { describeRuntimeStore } from '../registry/root-stores.js';
import { issuerFetchOf, type IssuerFetchFact } from '../registry/issuer-fetch.js';
import { makeStyle, pad } from './style.js';

export interface ClientTableOptions {
  color: boolean;
  /** Print each failing client's remediation under the table (default true). */
  remediation?: boolean;
}

/** client | result | protocol | suite | note, then the remediation of each failing client. */
export function renderClientTable(results: readonly ClientSimulationResult[], opts: ClientTableOptions): string {
  const st = makeStyle(opts.color);
  if (results.length === 0) return 'Client simulation: no clients selected\n';
  const rows = results.map((r) => ({
    client: r.name,
    result: r.ok ? st.green('ok') : st.red('FAIL'),
    protocol: r.protocol ?? '-',
    suite: r.cipherSuite ?? '-',
    note: r.ok ? (r.group ? `${r.group}${r.reason ? `, ${r.reason}` : ''}` : (r.reason ?? '')) : (r.reason ?? ''),
  }));
  const head = { client: 'Client', result: 'Result', protocol: 'Protocol', suite: 'Cipher suite', note: 'Note' };
  const w = {
    client: Math.max(head.client.length, ...rows.map((r) => r.client.length)),
    result: 6,
    protocol: Math.max(head.protocol.length, ...rows.map((r) => r.protocol.length)),
    suite: Math.max(head.suite.length, ...rows.map((r) => r.suite.length)),
  };
  const line = (r: typeof head) => `  ${pad(r.client, w.client)}  ${pad(r.result, w.result)}  ${pad(r.protocol, w.protocol)}  ${pad(r.suite, w.suite)}  ${r.note}`.trimEnd();
  const failing = results.filter((r) => !r.ok).length;
  const out = [st.bold(`Client simulation (${results.length - failing} of ${results.length} connect)`), st.dim(line(head)), ...rows.map(line)];
  if (opts.remediation !== false) {
    const fixes = results.filter((r) => !r.ok && r.remediation);
    if (fixes.length > 0) {
      out.push('', st.bold('What to change in each failing client'));
      for (const r of fixes) out.push(`  ${st.bold(r.name)}: ${r.remediation}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** What a client does when the server leaves out an intermediate, in a few words. */
function fetchText(f: IssuerFetchFact): string {
  return f.fetch === 'aia' ? 'fetches it from the certificate\'s AIA URL'
    : f.fetch === 'preloaded' ? 'ships the intermediates of public CAs (a private CA\'s fails)'
      : `fails: ${f.error}`;
}

const code = (c: number) => `0x${c.toString(16).padStart(4, '0')}`;

/** `tlsdoctor clients`: every profile, what it offers, and the sources. */
export function renderClientList(profiles: readonly ClientProfile[], opts: { color: boolean; verbose?: boolean }): string {
  const st = makeStyle(opts.color);
  const out: string[] = [];
  for (const p of profiles) {
    out.push(`${st.bold(p.id)}  ${p.name}`);
    out.push(`  ${p.description}`);
    out.push(`  protocols: ${p.versions.join(', ')}${p.hello.format === 'sslv2-compatible' ? ' (SSLv2-compatible hello)' : ''}; SNI: ${p.extensions.sni ? 'yes' : 'no'}`);
    const names = p.cipherSuites.filter((c) => c !== 0x00ff).map((c) => suiteByCode(c)?.iana ?? code(c));
    out.push(`  cipher suites (${names.length}): ${opts.verbose ? names.join(', ') : names.slice(0, 4).join(', ') + (names.length > 4 ? ', ...' : '')}`);
    if (p.groups) out.push(`  groups: ${p.groups.map((g) => groupByCode(g)?.name ?? code(g)).join(', ')}`);
    out.push(`  certificate: RSA >= ${p.certificate.minRsaBits} bits, SHA-1 ${p.certificate.acceptsSha1 ? 'accepted' : 'rejected'}`);
    if (p.trustStore) out.push(`  trust store: ${describeRuntimeStore(p.trustStore)}`);
    out.push(`  missing intermediate: ${fetchText(issuerFetchOf(p))}`);
    out.push(`  sources:`);
    for (const s of p.sources) out.push(`    - ${s.title} <${s.url}> [${s.facts.join(', ')}]`);
    out.push('');
  }
  return out.join('\n');
}

/** docs/clients.md, generated from the data (tests check the file is current). */
export function renderClientsMarkdown(profiles: readonly ClientProfile[]): string {
  const out: string[] = [
    '# Client profiles',
    '',
    '<!-- Generated from src/registry/clients by `tlsdoctor clients --markdown`; do not edit by hand. -->',
    '',
    'Each profile is the ClientHello a client runtime sends by default and the checks it applies to the server\'s',
    'answer. `tlsdoctor scan --clients` sends every selected profile\'s own hello to the server. Every fact names its',
    'source; profiles of clients installed on the test machine come from a capture of the real client',
    '(`docs/captures/<id>.json`, made with `tests/tools/capture-clients.ts`) and are re-checked against the real',
    'client by the test suite.',
    '',
    '| id | client | protocols | suites | SNI | certificate limits |',
    '|---|---|---|---|---|---|',
  ];
  for (const p of profiles) {
    out.push(`| \`${p.id}\` | ${p.name} | ${p.versions.join(', ')} | ${p.cipherSuites.filter((c) => c !== 0x00ff).length} | ${p.extensions.sni ? 'yes' : 'no'} | RSA >= ${p.certificate.minRsaBits}, SHA-1 ${p.certificate.acceptsSha1 ? 'ok' : 'rejected'} |`);
  }
  for (const p of profiles) {
    out.push('', `## ${p.id}: ${p.name}`, '', p.description, '');
    out.push(`- Protocols offered: ${p.versions.join(', ')}${p.hello.format === 'sslv2-compatible' ? ' in an SSLv2-compatible ClientHello (no extensions)' : ''}`);
    out.push(`- Cipher suites, in order: ${p.cipherSuites.map((c) => suiteByCode(c)?.iana ?? code(c)).join(', ')}`);
    out.push(`- Groups: ${p.groups ? p.groups.map((g) => groupByCode(g)?.name ?? code(g)).join(', ') : 'none sent'}${p.keyShareGroups ? `; key shares: ${p.keyShareGroups.map((g) => groupByCode(g)?.name ?? code(g)).join(', ')}` : ''}`);
    out.push(`- Signature algorithms: ${p.signatureAlgorithms ? p.signatureAlgorithms.map(code).join(', ') : 'none sent'}`);
    const e = p.extensions;
    const flags = [e.sni && 'SNI', e.alpn && `ALPN ${e.alpn.join('/')}`, e.extendedMasterSecret && 'extended_master_secret', e.sessionTicket && 'session_ticket',
      e.statusRequest && 'status_request', e.renegotiationInfo && 'renegotiation_info', e.ecPointFormats && 'ec_point_formats', e.encryptThenMac && 'encrypt_then_mac',
      e.grease && 'GREASE', ...(e.extra ?? []).map((x) => `extension ${x.type}`)].filter(Boolean);
    out.push(`- Extensions: ${flags.join(', ') || 'none'}`);
    const kx = p.keyExchange;
    const kxFacts = [kx.minDhBits && `DHE >= ${kx.minDhBits} bits`, kx.maxDhBits && `DHE <= ${kx.maxDhBits} bits`,
      kx.rejectsLegacyKxSignature && 'refuses the MD5+SHA-1 signed key exchange of TLS 1.0/1.1',
      kx.requiresSecureRenegotiation && 'refuses TLS <= 1.2 servers without RFC 5746 secure renegotiation'].filter(Boolean);
    out.push(`- Certificate: RSA >= ${p.certificate.minRsaBits} bits, EC >= ${p.certificate.minEcBits} bits, SHA-1 signatures ${p.certificate.acceptsSha1 ? 'accepted' : 'rejected'}${kxFacts.length ? `; key exchange: ${kxFacts.join(', ')}` : ''}`);
    if (p.trustStore) {
      out.push(`- Trust store: ${describeRuntimeStore(p.trustStore)} ([registry/root-stores](registry.md#root-stores))`);
      for (const src of p.trustStore.sources) out.push(`  - [${src.title}](${src.url})`);
    }
    const fetch = issuerFetchOf(p);
    out.push(`- Missing intermediate: ${fetchText(fetch)} ([${fetch.source.title}](${fetch.source.url}))`);
    out.push(`- When it fails: ${p.remediation.general}`);
    for (const [k, v] of Object.entries(p.remediation)) if (k !== 'general' && v) out.push(`  - ${k}: ${v}`);
    out.push('- Sources:');
    for (const s of p.sources) {
      const where = s.url.startsWith('http') ? `[${s.title}](${s.url})` : s.url.startsWith('docs/') ? `[${s.title}](${s.url.slice(5)})` : `${s.title} (\`${s.url}\`)`;
      out.push(`  - ${where} (${s.facts.join(', ')})${s.note ? `: ${s.note}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export interface PolicyReport {
  require: string;
  meets: boolean;
  violations: string[];
  cutOff: { id: string; name: string; reason: string }[];
}

/** The --require verdict: met or not, each violation, and the clients the policy would cut off. */
export function renderPolicy(r: PolicyReport, opts: { color: boolean }): string {
  const st = makeStyle(opts.color);
  const out = [st.bold(`Policy ${r.require}: `) + (r.meets ? st.green('met') : st.red('NOT met'))];
  for (const v of r.violations) out.push(`  - ${v}`);
  if (r.cutOff.length === 0) {
    out.push('  No simulated client would be cut off by this policy.');
  } else {
    out.push(st.bold(`Clients this policy cuts off (${r.cutOff.length})`) + st.dim('  they connect today only with what the policy forbids'));
    for (const c of r.cutOff) out.push(`  - ${c.name} (${c.id}): ${c.reason}`);
  }
  return `${out.join('\n')}\n`;
}
