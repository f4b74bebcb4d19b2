import type { CipherSuiteResult, HttpCheck, ScanResult, ProtocolResult } from '../scan/types.js';
import { HSTS_LONG_SECONDS } from '../http/response.js';
import { sentKeyPins } from '../assess/http.js';
import { keysText, reusedSamples } from '../scan/kx-reuse.js';
import { suiteByCode } from '../registry/ciphers.js';
import { certificateKind } from '../x509/describe.js';
import { makeStyle, pad, type Style } from './style.js';
import { distinctLogs } from '../x509/sct.js';

/**
 * The human report of one scan: protocols, suites per protocol (server order
 * when the server has one) with a mark on weak ones, groups, chain, errors.
 */

const MARK: Record<CipherSuiteResult['strength'], string> = { recommended: ' ', secure: ' ', weak: '!', insecure: '✗' };

/** The HSTS row: the policy, its lack, or why it is not known. */
function hstsText(h: HttpCheck, st: Style): string {
  if (h.status === null) return st.dim(`unknown (${h.note ?? `no HTTP answer: ${h.error ?? 'none'}`})`);
  const days = (s: number) => `max-age ${Number((s / 86400).toFixed(1))} days`;
  const p = h.hsts;
  if (!p) return `${st.yellow('no')} ${st.dim(`(HTTP ${h.status})`)}`;
  if (p.invalid !== undefined || p.maxAge === null) return st.red(`invalid, ignored by browsers: ${p.invalid ?? 'no max-age'}`);
  if (p.maxAge === 0) return st.yellow('no (max-age=0 clears it)');
  const text = [days(p.maxAge), ...(p.includeSubDomains ? ['includeSubDomains'] : []), ...(p.preload ? ['preload'] : [])].join(', ');
  return p.maxAge < HSTS_LONG_SECONDS ? st.yellow(`yes, ${text} (under 180 days)`) : st.green(`yes, ${text}`);
}

function strengthText(s: CipherSuiteResult, st: Style): string {
  switch (s.strength) {
    case 'insecure': return st.red('insecure');
    case 'weak': return st.yellow('weak');
    case 'secure': return 'secure';
    case 'recommended': return st.green('recommended');
  }
}

function suiteNotes(s: CipherSuiteResult): string {
  const notes: string[] = [];
  if (s.kxGroup) notes.push(s.kxGroup);
  if (s.dhBits) notes.push(s.dhGroup ? `DH ${s.dhBits} ${s.dhGroup}` : `DH ${s.dhBits}`);
  if (!s.forwardSecrecy && s.kx !== 'any') notes.push('no FS');
  if (s.export) notes.push('EXPORT');
  if (s.anonymous) notes.push('anonymous');
  if (s.null) notes.push('NULL cipher');
  return notes.join(', ');
}

function protocolLine(p: ProtocolResult, st: Style): string {
  const bad = p.version === 'SSLv2' || p.version === 'SSLv3';
  const legacy = p.version === 'TLSv1.0' || p.version === 'TLSv1.1';
  let state: string;
  if (p.supported) state = bad ? st.red('offered (insecure)') : legacy ? st.yellow('offered (deprecated)') : st.green('offered');
  else state = (p.version === 'TLSv1.2') ? st.yellow('not offered') : 'not offered';
  const err = p.error ? st.dim(`  (${p.error})`) : '';
  return `  ${pad(p.version, 9)}${state}${err}`;
}

/**
 * `allAddresses`: every address of the name is scanned (scan --all-addresses),
 * so the line on the name's other addresses does not suggest it.
 */
export function renderScan(r: ScanResult, opts: { color: boolean; extra?: string[]; allAddresses?: boolean }): string {
  const st = makeStyle(opts.color);
  const out: string[] = [];
  const t = r.target;
  const addr = t.address && t.address !== t.host ? ` (${t.address})` : '';
  out.push(st.bold(`${t.host}:${t.port}${addr}`) + st.dim(`  SNI ${t.sni ?? 'none'} · ${(r.durationMs / 1000).toFixed(2)} s`));
  if (t.addresses && t.addresses.length > 1) {
    const others = t.addresses.filter((a) => a !== t.address);
    out.push(st.dim(`  ${t.host} has ${t.addresses.length} addresses; also ${others.join(', ')}`
      + (opts.allAddresses ? ' (each scanned)' : ' (not scanned; --all-addresses scans each)')));
  }
  out.push('');
  out.push(st.bold('Protocols'));
  for (const p of r.protocols) out.push(protocolLine(p, st));

  for (const p of r.protocols) {
    if (!p.supported || p.cipherSuites.length === 0) continue;
    out.push('');
    const chacha = p.prioritizesChaCha === true ? ', ChaCha20 first for a client that prefers it' : '';
    const order = p.serverPreference === true ? `server order${chacha}` : p.serverPreference === false ? 'client order (server has no preference)' : 'order not determined';
    out.push(st.bold(`Cipher suites, ${p.version}`) + st.dim(`  ${p.cipherSuites.length} accepted · ${order}`));
    const nameWidth = Math.max(...p.cipherSuites.map((s) => s.name.length)) + 2;
    for (const s of p.cipherSuites) {
      const code = p.version === 'SSLv2' ? s.id.toString(16).padStart(6, '0') : s.id.toString(16).padStart(4, '0');
      const mark = s.strength === 'insecure' ? st.red(MARK.insecure) : s.strength === 'weak' ? st.yellow(MARK.weak) : MARK[s.strength];
      out.push(`  ${mark} ${st.dim(code)}  ${pad(s.name, nameWidth)}${pad(strengthText(s, st), 12)} ${st.dim(suiteNotes(s))}`.trimEnd());
    }
  }

  if (r.groups.length) {
    out.push('');
    out.push(st.bold('Groups') + st.dim(r.groups.some((g) => g.rank !== undefined) ? '  server order' : ''));
    for (const g of r.groups) {
      const pq = g.pq ? st.green(' post-quantum') : '';
      out.push(`  ${pad(g.name, 22)}${st.dim(g.versions.join(', '))}${pq}`);
    }
  }

  if (r.signatureAlgorithms?.length) {
    out.push('');
    out.push(st.bold('Signature algorithms') + st.dim('  each offered alone'));
    for (const v of r.signatureAlgorithms) {
      if (!v.accepted.length) out.push(`  ${pad(v.version, 9)}${st.dim(v.tested.length ? 'none of those that fit its keys' : 'not asked')}`);
      // A few names a line (the line's width counted without colour codes).
      let line = '', width = 0, first = true;
      const flush = () => { out.push(`  ${pad(first ? v.version : '', 9)}${line}`); first = false; line = ''; width = 0; };
      v.accepted.forEach((a, i) => {
        const text = `${a.name}${a.weak ? ' (weak hash)' : ''}${i < v.accepted.length - 1 ? ',' : ''}`;
        if (width && width + 1 + text.length > SIGALG_LINE) flush();
        line += `${width ? ' ' : ''}${a.weak ? st.yellow(text) : text}`;
        width += (width ? 1 : 0) + text.length;
      });
      if (width) flush();
      if (v.ignoresClientList) out.push(`  ${pad('', 9)}${st.yellow('signs with schemes the client did not offer')}`);
      if (v.note) out.push(`  ${pad('', 9)}${st.dim(v.note)}`);
    }
  }

  const f = r.features;
  if (f?.version || f?.clientCertificate) {
    const yes = (v: boolean | null, bad: string) => (v === null ? st.dim('unknown') : v ? st.green('yes') : st.red(`no${bad}`));
    out.push('');
    out.push(st.bold('Features') + st.dim(f.version ? `  ${f.version} ServerHello` : ''));
    if (f.version) {
      out.push(`  ${pad('secure renegotiation', 24)}${yes(f.secureRenegotiation, ' (OpenSSL 3 clients refuse TLS <= 1.2)')}  ${st.dim('RFC 5746')}`);
      out.push(`  ${pad('extended master secret', 24)}${yes(f.extendedMasterSecret, ' (FIPS-mode clients refuse TLS 1.2)')}  ${st.dim('RFC 7627')}`);
    }
    const cc = f.clientCertificate;
    if (cc) {
      const cas = cc.authorities.length ? `; CAs it names: ${cc.authorities.join(' | ')}` : '; it names no CA (any)';
      out.push(`  ${pad('client certificate', 24)}${cc.requested ? st.yellow(`requested (mutual TLS${cas})`) : 'not requested'}  ${st.dim(cc.version)}`);
    }
    if (typeof f.ocspStapling === 'boolean') {
      out.push(`  ${pad('OCSP stapling', 24)}${f.ocspStapling ? st.green('yes') : 'no'}  ${st.dim('RFC 6066')}`);
    }
    if (typeof f.fallbackScsv === 'boolean') {
      out.push(`  ${pad('downgrade protection', 24)}${f.fallbackScsv ? st.green('yes') : st.yellow('no')}  ${st.dim('TLS_FALLBACK_SCSV, RFC 7507')}`);
    }
    if (typeof f.downgradeSentinel === 'boolean') {
      out.push(`  ${pad('downgrade marker', 24)}${f.downgradeSentinel ? st.green('yes') : st.yellow('no')}  ${st.dim('DOWNGRD in the TLS 1.2 random, RFC 8446 4.1.3')}`);
    }
    if (typeof f.compression === 'boolean') {
      out.push(`  ${pad('TLS compression', 24)}${f.compression ? st.red('yes (CRIME)') : st.green('no')}`);
    }
    if (f.alpn !== undefined) {
      out.push(`  ${pad('ALPN (h2, http/1.1)', 24)}${f.alpn === 'h2' ? st.green('h2 (HTTP/2)') : f.alpn ?? st.dim('none chosen')}  ${st.dim('RFC 7301')}`);
    }
    if (typeof f.kxReuse === 'boolean') {
      const seen = f.kxReuseSamples ?? [];
      const reused = reusedSamples(seen).map((x) => `${x.kind} ${x.group}: ${keysText(x)}`);
      const compared = seen.reduce((n, x) => n + x.handshakes, 0);
      out.push(`  ${pad('ephemeral key reuse', 24)}${f.kxReuse ? st.yellow(`yes (${reused.join('; ')})`) : st.green('no')}  ${st.dim(f.kxReuse ? 'forward secrecy lasts as long as the key' : `a fresh key in each of ${compared} handshakes compared`)}`);
    }
    if (typeof f.ccsInjection === 'boolean') {
      out.push(`  ${pad('CCS injection', 24)}${f.ccsInjection ? st.red('VULNERABLE (takes a ChangeCipherSpec before the key exchange)') : st.green('not vulnerable')}  ${st.dim('CVE-2014-0224')}`);
    }
    if (typeof f.robot === 'boolean') {
      out.push(`  ${pad('ROBOT', 24)}${f.robot ? st.red('VULNERABLE (Bleichenbacher oracle on RSA key exchange)') : st.green('not vulnerable')}`);
    }
    // Not a line for a server with no CBC suite at TLS 1.0-1.2: it has no padding to check.
    const cbc = r.protocols.some((p) => ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'].includes(p.version) && p.cipherSuites.some((s) => s.cipher.endsWith('-CBC')));
    if (f.paddingOracle !== undefined && (f.paddingOracle !== null || cbc)) {
      const what = { 'poodle-tls': 'takes a record whose padding bytes are wrong: POODLE-TLS, CVE-2014-8730', 'zero-length': 'tells an empty record apart: CVE-2019-1559 class', oracle: 'answers a wrong padding unlike a wrong MAC: Zombie POODLE / GOLDENDOODLE class' }[f.paddingOracleKind ?? 'oracle'];
      out.push(`  ${pad('CBC padding oracle', 24)}${f.paddingOracle ? st.red(`VULNERABLE (${what})`) : f.paddingOracle === false ? st.green('not vulnerable') : st.dim(`unknown${f.paddingOracleNote ? ` (${f.paddingOracleNote})` : ''}`)}`);
    }
    if (f.clientRenegotiation !== undefined && (f.clientRenegotiation !== null || f.clientRenegotiationNote !== undefined && !/^not asked \(--no-renegotiation\)|^no TLS 1\.0-1\.2/.test(f.clientRenegotiationNote))) {
      const yes = f.secureRenegotiation === false ? st.red('yes, without RFC 5746 (insecure, CVE-2009-3555)') : st.yellow('yes (a denial-of-service lever)');
      out.push(`  ${pad('client renegotiation', 24)}${f.clientRenegotiation ? yes : f.clientRenegotiation === false ? st.green(`refused${f.clientRenegotiationAnswer ? ` (${f.clientRenegotiationAnswer})` : ''}`) : st.dim(`unknown${f.clientRenegotiationNote ? ` (${f.clientRenegotiationNote})` : ''}`)}`);
    }
    if (f.sessionResumptionIds !== undefined) {
      const say = (v: boolean | null | undefined) => (v ? st.green('yes') : v === false ? 'no' : st.dim('unknown'));
      out.push(`  ${pad('session resumption', 24)}by ID ${say(f.sessionResumptionIds)}, by ticket ${say(f.sessionResumptionTickets)}${f.sessionResumptionNote ? `  ${st.dim(f.sessionResumptionNote)}` : ''}`);
    }
    if (typeof f.heartbeat === 'boolean') {
      const bleed = f.heartbleed ? st.red('VULNERABLE to Heartbleed') : f.heartbleed === false ? st.green('not vulnerable to Heartbleed') : st.dim('Heartbleed unknown');
      out.push(`  ${pad('heartbeat', 24)}${f.heartbeat ? `yes, ${bleed}` : st.green('no')}  ${st.dim('RFC 6520')}`);
    }
  }
  if (r.http && !/^not asked \(--no-http\)/.test(r.http.note ?? '')) {
    if (!(f?.version || f?.clientCertificate)) out.push('', st.bold('HTTP'));
    out.push(`  ${pad('HSTS', 24)}${hstsText(r.http, st)}  ${st.dim('RFC 6797')}`);
    const t13 = r.http.tls13;
    if (t13) {
      const life = t13.lifetimeSeconds !== undefined ? `, lifetime ${Number((t13.lifetimeSeconds / 3600).toFixed(1))} h` : '';
      out.push(`  ${pad('TLS 1.3 tickets', 24)}${t13.tickets ? `yes${life}` : 'no'}  ${st.dim('resumption, RFC 8446 4.6.1')}`);
      out.push(`  ${pad('0-RTT (early data)', 24)}${t13.maxEarlyData ? st.yellow(`yes, up to ${t13.maxEarlyData} bytes: replayable`) : st.green('no')}`);
    }
    if (r.http.status !== null) {
      const enc = r.http.contentEncoding;
      out.push(`  ${pad('HTTP compression', 24)}${enc ? st.yellow(`${enc} (BREACH, where a page holds a secret and reflects input)`) : 'no'}  ${st.dim('GET /, Accept-Encoding: gzip, deflate, br')}`);
    }
    const pkp = r.http.hpkp;
    if (pkp) {
      const keys = new Set(sentKeyPins(r));
      const matched = pkp.pins.filter((p) => keys.has(p)).length;
      const text = pkp.invalid !== undefined ? `invalid: ${pkp.invalid}` : `${pkp.pins.length} pin${pkp.pins.length === 1 ? '' : 's'}, ${matched} of them in the chain sent${pkp.reportOnly ? ' (report only)' : ''}`;
      out.push(`  ${pad('HPKP', 24)}${matched || pkp.reportOnly ? st.yellow(text) : st.red(text)}  ${st.dim('RFC 7469, dropped by browsers')}`);
    }
  }

  const chains = [
    { title: r.alternateChains?.length ? `Certificate chain, ${certificateKind(r.certificates[0])} (as sent)` : 'Certificate chain (as sent)', certificates: r.certificates },
    ...(r.alternateChains ?? []).map((a) => ({
      title: `Certificate chain, ${a.auth} (as sent ${a.suite !== undefined ? `with ${a.auth} suites, such as ${suiteByCode(a.suite)?.iana ?? a.suite.toString(16)}` : `to clients that offer only ${a.auth} signature algorithms`})`,
      certificates: a.certificates,
    })),
  ];
  for (const { title, certificates } of chains) {
    if (!certificates.length) continue;
    out.push('');
    out.push(st.bold(title));
    for (const c of certificates) {
      const days = Math.floor((Date.parse(c.notAfter) - Date.now()) / 86_400_000);
      const expiry = days < 0 ? st.red(`expired ${-days} day(s) ago`) : days < 30 ? st.yellow(`expires in ${days} day(s)`) : `expires in ${days} days`;
      out.push(`  ${c.index}  ${c.subject}`);
      out.push(`     ${st.dim(`issuer ${c.issuer}`)}`);
      out.push(`     ${st.dim(`${c.keyType} ${c.keyBits} · ${c.signatureAlgorithm} · until ${c.notAfter.slice(0, 10)} ·`)} ${expiry}`);
      // Certificate Transparency: shown when the leaf has SCTs or too few of them is a finding (a
      // private CA's leaf needs none, and has none).
      if (c.index === 0 && (c.scts?.length || r.findings.some((f) => f.id === 'certificate.sct-insufficient'))) {
        const scts = c.scts ?? [];
        const logs = distinctLogs(scts);
        const from = [...new Set(scts.map((x) => (x.source === 'embedded' ? 'embedded' : x.source === 'tls' ? 'TLS extension' : 'OCSP')))].join(', ');
        out.push(`     ${st.dim(`Certificate Transparency: ${scts.length ? `${scts.length} SCT${scts.length === 1 ? '' : 's'} from ${logs} log${logs === 1 ? '' : 's'} (${from})` : 'no SCTs'}`)}`);
      }
    }
  }

  for (const block of opts.extra ?? []) {
    if (!block) continue;
    out.push('');
    out.push(block.trimEnd());
  }

  if (r.errors.length) {
    out.push('');
    out.push(st.bold('Errors'));
    for (const e of r.errors) out.push(`  ${st.yellow(e.stage)}: ${e.message}`);
  }
  return out.join('\n') + '\n';
}

/** Characters of signature scheme names per line of the terminal report (after the version column). */
const SIGALG_LINE = 72;
