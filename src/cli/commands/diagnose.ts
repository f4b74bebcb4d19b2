/**
 * tlsdoctor diagnose URL [--error TEXT] [--ca-file PEM ...] [--save-chain DIR]
 *                        [--fetch-intermediates] [--expires-soon DAYS] [--client IDS] [--json]
 *
 * Connects as a client would (node:tls, all protocol versions Node can speak),
 * judges the certificate chain against the trust stores and the host name,
 * and prints the verdict first, then the evidence and a numbered fix.
 * Exit: 0 fine, 1 a problem found, 2 bad input, 3 unreachable.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { STARTTLS_PORTS, STARTTLS_PROTOCOLS, StartTlsError, type StartTls } from '../../net/starttls.js';
import type { CliContext } from '../context.js';
import { NOPROXY_HELP, PROXY_ENV_HELP, proxyFromOptions, resolveOption, starttlsOption } from '../options.js';
import { openTunnel, type Proxy } from '../../net/proxy.js';
import { proxyFor } from '../../net/proxy-env.js';
import { UsageError, UnreachableError, ExitCode, errorMessage, tidyTlsError } from '../../util/errors.js';
import { fullHandshake, ONLY_KEY, otherKeyKind, type FullHandshakeOptions, type FullHandshakeResult } from '../../net/full-handshake.js';
import { parseTarget as parseNetTarget, resolveAddresses, resolveFor, type ResolveEntry } from '../../net/target.js';
import { loadTrustStores } from '../../x509/trust-store.js';
import { analyseTrust, analyseScanTrust, type TrustReport } from '../../x509/trust.js';
import { candidateSuites, plainTextService, scanEndpoint, sctsOfHello, sctsOfLeafEntry } from '../../scan/run.js';
import { readTls13ChainAsSent } from '../../net/tls13-chain.js';
import { scanHello } from '../../scan/hellos.js';
import { sendHello, type ProbeOutcome } from '../../net/probe.js';
import { resolveTarget } from '../../net/target.js';
import { protocolFindings, cipherFindings, allSuites } from '../../assess/protocol.js';
import { sortFindings } from '../../assess/catalog.js';
import type { ProtocolName, ScanResult, ServerFeatures } from '../../scan/types.js';
import type { Sct } from '../../x509/sct.js';
import { certificateKind, describeCertificate } from '../../x509/describe.js';
import { saveChain, trustStoreInstructions, type SavedChain } from '../../x509/save-chain.js';
import { assess, ofCertificate } from '../../assess/index.js';
import { finding } from '../../assess/catalog.js';
import { diagnose, isProblem, type Diagnosis } from '../../assess/diagnosis.js';
import { CAUSES } from '../../assess/error-texts.js';
import { renderFindings, wrap } from '../../report/findings.js';
import { renderClientTable } from '../../report/clients.js';
import { pemToDers } from '../../x509/cert.js';
import type { Finding } from '../../scan/types.js';
import { SCHEMA_VERSION, type ClientSimulationResult } from '../../scan/types.js';
import { parseClientSelection } from '../../registry/clients/index.js';
import { simulateClients, toClientResults } from '../../scan/simulate.js';
import { judgeMissingIntermediate } from '../../assess/client-chains.js';
import { judgeRootStores } from '../../assess/root-stores.js';

/**
 * `url`: the target as given to the command again (an https URL, or host:port
 * followed by --starttls PROTOCOL), for the messages that say what to run.
 */
export interface DiagnoseTarget { url: string; host: string; port: number; starttls?: StartTls }

/**
 * https://host[:port][/path], host[:port], [v6]:port (the shared target syntax of net/target.ts).
 * Only https is diagnosed.
 */
export function parseTarget(input: string, starttls?: StartTls): DiagnoseTarget {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim()) && !/^https:\/\//i.test(input.trim())) {
    throw new UsageError(`diagnose: only https:// URLs can be diagnosed (got ${input.trim().split('//')[0]}//); for a mail, file, database or directory server give host[:port] and --starttls`);
  }
  let t;
  try { t = parseNetTarget(input, { defaultPort: starttls ? STARTTLS_PORTS[starttls] : undefined }); } catch (e) { throw new UsageError(`diagnose: ${errorMessage(e)}`); }
  const hostInUrl = t.host.includes(':') ? `[${t.host}]` : t.host;
  if (starttls) return { url: `${hostInUrl}:${t.port} --starttls ${starttls}`, host: t.host, port: t.port, starttls };
  return { url: t.port === 443 ? `https://${hostInUrl}` : `https://${hostInUrl}:${t.port}`, host: t.host, port: t.port };
}

async function tcpReachable(host: string, port: number, timeoutMs: number, proxy?: Proxy): Promise<string | null> {
  if (proxy) {
    try { (await openTunnel(proxy, host, port, timeoutMs)).destroy(); return null; } catch (e) { return `cannot connect to ${host}:${port}: ${errorMessage(e)}`; }
  }
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => { s.destroy(); resolve(`TCP connect to ${host}:${port} timed out after ${timeoutMs} ms`); }, timeoutMs);
    s.once('connect', () => { clearTimeout(t); s.destroy(); resolve(null); });
    s.once('error', (e) => { clearTimeout(t); resolve(`cannot connect to ${host}:${port}: ${errorMessage(e)}`); });
  });
}

interface DiagnoseOptions {
  error?: string;
  caFile: string[];
  saveChain?: string;
  fetchIntermediates?: boolean;
  /** commander's --no-revocation: false when given. */
  revocation?: boolean;
  expiresSoon?: string;
  json?: boolean;
  timeout?: string;
  cert?: string;
  key?: string;
  starttls?: StartTls;
  proxy?: string;
  noproxy?: string;
  resolve: ResolveEntry[];
  /** --client: profile ids or families to judge against this endpoint. */
  client?: string;
}

/**
 * Where a diagnosis connects: `host` (an address with --resolve, else the name, which Node's
 * resolver then takes, trying another address when one fails), with the name as SNI.
 */
interface Connect { host: string; servername: string | false }

export interface DiagnoseReport {
  schemaVersion: string;
  /**
   * `address`: where the handshake went (none through a proxy); `addresses`: every address the
   * name stands for (DNS or --resolve), when more than one.
   */
  target: DiagnoseTarget & { address?: string; addresses?: string[] };
  ok: boolean;
  verdict: string;
  causes: { id: string; title: string }[];
  steps: string[];
  handshake: { ok: boolean; protocol: string | null; cipher: string | null; nodeVerdict: string | null; error?: string };
  findings: Finding[];
  trust: Omit<TrustReport, 'certificates' | 'path'> & { certificates: Omit<TrustReport['certificates'][number], 'pem'>[] } | null;
  errorText: Diagnosis['errorText'];
  savedChain: (SavedChain & { instructions: ReturnType<typeof trustStoreInstructions> }) | null;
  /**
   * The server's other certificate (an RSA key beside an ECDSA one), which a client that cannot
   * take the first gets; its findings are among `findings`, with evidence.certificate. Null: none.
   */
  otherCertificate: { auth: string; subject: string; issuer: string; notAfter: string; trusted: boolean; findings: string[] } | null;
  /** With --client: each selected client runtime, simulated and judged against this chain (as `scan --clients`). */
  clients?: ClientSimulationResult[];
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('diagnose')
    .description('Explain why a TLS client cannot connect to URL (certificate, trust, name, protocol) and how to fix it')
    .argument('<url>', 'https URL or host[:port] of the endpoint')
    .option('--error <text>', 'the error message your client printed; tlsdoctor says which cause it points to')
    .option('--ca-file <pem>', 'extra trust anchors (PEM), e.g. your private root CA; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--save-chain <dir>', 'write the certificates as PEM files (leaf.pem, intermediate-N.pem, root.pem, fullchain.pem)')
    .option('--fetch-intermediates', 'download a missing intermediate from the certificate\'s AIA caIssuers URL')
    .option('--no-revocation', 'do not ask the CA\'s OCSP responders and CRL distribution points (plain HTTP) whether the certificate is revoked')
    .option('--expires-soon <days>', 'warn when a certificate expires within DAYS (default 30)')
    .option('--timeout <ms>', 'connect/handshake timeout in milliseconds (default 10000)')
    .option('--cert <pem>', 'client certificate (PEM, with its intermediates) to present to a server that asks for one (mutual TLS)')
    .option('--key <pem>', 'private key (PEM) of --cert')
    .option('--starttls <protocol>', `a mail, file or database server: its STARTTLS preamble first (${STARTTLS_PROTOCOLS.join(', ')})`, starttlsOption)
    .option('--proxy <url>', `connect through this HTTP(S) or SOCKS5 proxy, e.g. http://user:password@proxy.corp:3128, https://proxy.corp:8443 or socks5h://127.0.0.1:1080 (ssh -D)${PROXY_ENV_HELP}`)
    .option('--noproxy <list>', NOPROXY_HELP)
    .option('--resolve <host:port:addresses>', 'connect to this address for the host name instead of asking DNS, as curl takes it: HOST:PORT:ADDRESS[,ADDRESS...] (PORT may be *); repeatable', resolveOption, [] as ResolveEntry[])
    .option('--client <ids>', 'the client runtime(s) that fail, as profile ids or families (`tlsdoctor clients`), e.g. java-8 or android: each one\'s own ClientHello is sent, and its trust store and intermediate fetching judged against this chain')
    .option('--json', 'machine-readable output')
    .action(async (urlArg: string, o: DiagnoseOptions) => {
      ctx.exitCode = await runDiagnose(urlArg, o, ctx);
    });
}

export async function runDiagnose(urlArg: string, o: DiagnoseOptions, ctx: CliContext): Promise<number> {
  const target = parseTarget(urlArg, o.starttls);
  // The command's proxy (the CA's URLs are judged by its no-proxy list on their own), and the target's.
  const commandProxy = proxyFromOptions(o, ctx.stderr);
  const proxy = proxyFor(commandProxy, target.host, target.port);
  const st = { ...(target.starttls ? { starttls: target.starttls } : {}), ...(proxy ? { proxy } : {}) };
  const soon = o.expiresSoon === undefined ? 30 : Number(o.expiresSoon);
  if (!Number.isFinite(soon) || soon < 0 || soon > 3650) throw new UsageError(`--expires-soon: "${o.expiresSoon}" is not a number of days (0-3650)`);
  const timeoutMs = o.timeout === undefined ? 10_000 : Number(o.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) throw new UsageError(`--timeout: "${o.timeout}" is not a number of milliseconds (100-600000)`);
  const stores = loadTrustStores({ caFiles: o.caFile });
  const profiles = o.client !== undefined ? parseClientSelection(o.client) : [];
  const client = clientCredentials(o);
  const netTarget = { host: target.host, port: target.port, sni: net.isIP(target.host) ? null : target.host, input: target.url };
  const resolveTo = resolveFor(netTarget, o.resolve ?? []);
  const connect: Connect = { host: resolveTo?.[0] ?? target.host, servername: net.isIP(target.host) ? false : target.host };
  // Every address of the name, told beside the verdict: a client gets any of them, so a failure
  // that comes and goes can be one of them (scan --all-addresses compares them).
  const addresses = resolveAddresses({ ...netTarget, ...(proxy ? { proxy } : {}), ...(resolveTo ? { resolveTo } : {}) }).catch(() => null);

  const tcp = await tcpReachable(connect.host, target.port, timeoutMs, proxy);
  if (tcp) {
    if (o.error !== undefined && !o.json) {
      const d = diagnose([], null, { url: target.url, host: target.host, errorText: o.error });
      ctx.stdout.write(renderErrorText(d, false));
    }
    throw new UnreachableError(tcp);
  }

  let hs: FullHandshakeResult | null = null;
  let hsError: string | null = null;
  /** The service did not start TLS (--starttls): its answer. */
  let noStartTls: string | null = null;
  try {
    // No extra anchors here: Node appends a root it finds in its CA list to the chain it
    // reports, which would hide what the server really sent. Node's verdict is therefore
    // against its bundled roots only.
    hs = await fullHandshake({ ...connect, port: target.port, timeoutMs, ...client, ...st });
  } catch (e) {
    hsError = tidyTlsError(errorMessage(e));
    if (e instanceof StartTlsError) noStartTls = errorMessage(e);
  }
  // OpenSSL 3 (Node's) refuses a TLS <= 1.2 server without RFC 5746 secure renegotiation: that is
  // the answer for every OpenSSL 3 client; connect again allowing it, to check the certificate too.
  let noSecureRenegotiation: string | null = null;
  if (!hs && hsError && /unsafe legacy renegotiation disabled/i.test(hsError)) {
    noSecureRenegotiation = hsError;
    try {
      hs = await fullHandshake({ ...connect, port: target.port, timeoutMs, legacyServerConnect: true, ...client, ...st });
      hsError = null;
    } catch (e) {
      hsError = tidyTlsError(errorMessage(e));
    }
  }

  let trust: TrustReport | null = null;
  let findings: Finding[] = [];
  /** The server's other certificate, when it has one (an RSA key beside an ECDSA one). */
  let otherChain: DiagnoseReport['otherCertificate'] = null;
  if (hs) {
    trust = await analyseTrust({
      chain: hs.chainDer, host: target.host, stores, fetchIntermediates: o.fetchIntermediates, ocspResponse: hs.ocspResponse,
      checkRevocation: o.revocation !== false, revocationTimeoutMs: Math.min(timeoutMs, 5000), proxy: commandProxy,
    });
    // Certificate Transparency (Chrome, Safari and every Apple platform refuse a public certificate
    // without enough SCTs): the embedded ones, the staple's, and those of the TLS extension, which
    // one hello of our own asks for (node:tls does not).
    const leaf = hs.chainDer[0] ? describeCertificate(hs.chainDer[0], 0) : undefined;
    const tlsScts = leaf && trust.publiclyTrusted ? await tlsExtensionScts(connect, target, hs.protocol, timeoutMs, proxy) : undefined;
    const transparency = leaf && tlsScts ? { certificates: [{ ...leaf, scts: [...(leaf.scts ?? []), ...tlsScts] }], features: { sctExtension: tlsScts.length > 0 } as ServerFeatures } : {};
    findings = assess({ protocols: [], ...transparency }, { host: target.host, trust, expiresSoonDays: soon }).findings;
    // A server with a second key (RSA beside ECDSA) gives the other certificate to a client that
    // cannot take this one: asked once, with only that kind's signature algorithms and suites.
    const other = await otherKeyChain(connect, target.port, timeoutMs, hs, { ...client, ...st, ...(noSecureRenegotiation ? { legacyServerConnect: true } : {}) });
    if (other) {
      const otherTrust = await analyseTrust({
        chain: other.chainDer, host: target.host, stores, fetchIntermediates: o.fetchIntermediates, ocspResponse: other.ocspResponse,
        checkRevocation: o.revocation !== false, revocationTimeoutMs: Math.min(timeoutMs, 5000), proxy: commandProxy,
      });
      const own = certificateKind(trust.certificates[0]);
      const theirs = assess({ protocols: [] }, { host: target.host, trust: otherTrust, expiresSoonDays: soon }).findings;
      findings = sortFindings([
        ...(theirs.length ? findings.map((f) => (f.id.startsWith('certificate.') ? ofCertificate(f, `the ${own} certificate (the one Node.js got)`, own) : f)) : findings),
        ...theirs.map((f) => ofCertificate(f, `the ${other.auth} certificate (the server's other one, sent to clients that offer only ${other.auth} signature algorithms or suites)`, other.auth)),
      ]);
      const leaf = otherTrust.certificates[0];
      otherChain = { auth: other.auth, subject: leaf?.subject ?? '', issuer: leaf?.issuer ?? '', notAfter: leaf?.notAfter ?? '', trusted: otherTrust.trusted, findings: theirs.map((f) => f.id) };
    }
    if (noSecureRenegotiation) {
      findings.unshift(finding('protocol.no-secure-renegotiation',
        `Node.js (OpenSSL 3) refused the ${hs.protocol ?? 'TLS'} handshake: "${noSecureRenegotiation}": the server's ServerHello has no renegotiation_info (RFC 5746), and every OpenSSL 3 client (Node.js 17+, Python, curl, openssl) refuses it the same way; tlsdoctor connected again allowing it to check the certificate`,
        { version: hs.protocol, tls13: false }));
      findings = sortFindings(findings);
    }
  } else {
    const notTls = !!noStartTls || /wrong version number|packet length too long|record layer failure|unknown protocol|http request/i.test(hsError ?? '');
    // Node (OpenSSL 3) cannot talk to this server: ask tlsdoctor's own wire engine what the
    // server does accept (SSL 3.0, RC4, 3DES, export ...) and for its certificate chain.
    const scan = notTls ? null : await wireScan(target, timeoutMs, proxy, resolveTo);
    if (scan && scan.certificates.length) {
      trust = await analyseScanTrust(scan, {
        host: target.host, stores, fetchIntermediates: o.fetchIntermediates, checkRevocation: o.revocation !== false, revocationTimeoutMs: Math.min(timeoutMs, 5000), proxy: commandProxy,
      });
      findings.push(...assess({ protocols: [] }, { host: target.host, trust, expiresSoonDays: soon }).findings);
    }
    const accepted = scan ? allSuites(scan.protocols) : [];
    if (scan) findings.push(...protocolFindings(scan.protocols), ...cipherFindings(scan.protocols));
    const what = accepted.length
      ? ` The server accepts only: ${[...new Set(accepted.map((x) => `${x.suite.name} (${x.version})`))].slice(0, 8).join(', ')}${accepted.length > 8 ? ' ...' : ''}; a current client offers none of these`
      : scan ? ' tlsdoctor\'s own engine found no protocol version or suite the server accepts either' : '';
    // A server that asks for a client certificate (many ask without requiring one) and fails the
    // handshake: mutual TLS is the cause when it says so (TLS 1.3: certificate_required), or when
    // a throwaway certificate changes its answer to one about the certificate (or gets through).
    const asks = scan?.features?.clientCertificate?.requested ? scan.features.clientCertificate : null;
    const cas = asks?.authorities.length ? `; it names these CAs: ${asks.authorities.join(' | ')}` : asks ? '; it names no CA' : '';
    const wantsCertificate = asks && !client.cert && !notTls ? await requiresClientCertificate(connect, target.port, timeoutMs, hsError ?? '', target.starttls, proxy) : false;
    // unrecognized_name (112) to a hello without a server name: the URL names an address.
    // What a port that does not speak TLS says instead: its first line, quoted (one hello of our own).
    const plainText = notTls && !noStartTls ? await plainTextAnswer(connect, target.port, timeoutMs, proxy) : undefined;
    const needsName = !notTls && connect.servername === false && (/unrecognized name|alert number 112/i.test(hsError ?? '') || !!scan?.errors.some((e) => e.code === 'sni-required'));
    findings.unshift(needsName
      ? finding('handshake.sni-required', `${target.host}:${target.port} answered the handshake with unrecognized_name: the URL names an address, so no client sends a server name (SNI), and this server answers only the names it is configured for (${hsError})`, { error: hsError })
      : notTls
      ? finding('handshake.not-tls', noStartTls
        ? `${target.host}:${target.port} does not start TLS through ${target.starttls} STARTTLS: ${noStartTls}`
        : `${target.host}:${target.port} accepts TCP connections but does not answer with TLS: ${hsError}${plainText ? `; it answered in plain text ("${plainText}")${plainTextService(plainText)}` : ''}`,
        { error: hsError, ...(plainText ? { plainText } : {}) })
      : asks && wantsCertificate
        ? finding('handshake.client-certificate-required', `${target.host}:${target.port} asks for a client certificate (${asks.version} CertificateRequest) and refused the handshake without one: ${hsError}${cas}`,
          { error: hsError, authorities: asks.authorities })
      : asks && client.cert && CLIENT_CERTIFICATE_ALERT.test(hsError ?? '')
        ? finding('handshake.client-certificate-rejected', `${target.host}:${target.port} refused the handshake with the client certificate ${o.cert}: ${hsError}${cas}`,
          { error: hsError, authorities: asks.authorities })
      : finding('handshake.failed', `the TLS handshake with ${target.host}:${target.port} fails even though Node.js offered TLS 1.0 to 1.3 with every cipher suite it has: ${hsError}.${what}`,
        { error: hsError, accepted: accepted.map((x) => ({ version: x.version, suite: x.suite.name })) }));
    findings = [findings[0], ...sortFindings(findings.slice(1))];
  }

  // --client: the runtimes the user has, each sent its own ClientHello and judged against the chain.
  let clients: ClientSimulationResult[] | undefined;
  if (profiles.length) {
    const chain = hs?.chainDer ?? (trust ? trust.certificates.flatMap((c) => pemToDers(c.pem)) : undefined);
    const ep = await resolveTarget({ host: target.host, port: target.port, sni: net.isIP(target.host) ? null : target.host, input: target.url, ...st, ...(resolveTo ? { resolveTo } : {}) });
    const sims = toClientResults(await simulateClients(ep, profiles, sendHello, { timeoutMs: Math.min(timeoutMs, 8000), ...(chain ? { chain } : {}) }));
    clients = judgeRootStores(judgeMissingIntermediate(sims, trust).clients, trust).clients;
  }

  let saved: SavedChain | null = null;
  if (o.saveChain) {
    if (!trust) throw new UsageError(`--save-chain: no certificate was received from ${target.host}:${target.port}, so nothing can be saved`);
    saved = saveChain(trust, o.saveChain);
  }
  const d = diagnose(findings, trust, { url: target.url, host: target.host, errorText: o.error, savedTrustFile: saved?.trustFile ?? null });
  // A client runtime that fails where nothing else is wrong: that is the verdict.
  const failing = clients?.filter((c) => !c.ok) ?? [];
  if (failing.length && d.ok) {
    const first = failing[0]!;
    d.ok = false;
    d.verdict = failing.length === 1 ? `${first.name} cannot connect: ${first.reason}`
      : `${failing.length} of the ${clients!.length} clients cannot connect; ${first.name}: ${first.reason}`;
    d.steps = failing.filter((c) => c.remediation).map((c) => (failing.length === 1 ? c.remediation! : `${c.name}: ${c.remediation}`));
  }
  const exit = d.ok && hs ? ExitCode.ok : ExitCode.findings;
  // Where the handshake went: the socket's peer (not through a proxy, whose address that would be).
  const all = await addresses;
  const address = (!proxy ? hs?.remoteAddress : undefined) ?? resolveTo?.[0];
  const where = { ...target, ...(address ? { address } : {}), ...(all && all.length > 1 ? { addresses: all } : {}) };

  if (o.json) {
    const report: DiagnoseReport = {
      schemaVersion: SCHEMA_VERSION,
      target: where,
      ok: d.ok,
      verdict: d.verdict,
      causes: d.liveCauses.map((c) => ({ id: c, title: CAUSES[c].title })),
      steps: d.steps,
      handshake: hs
        ? { ok: true, protocol: hs.protocol, cipher: hs.cipher?.standardName ?? null, nodeVerdict: hs.authorizationError }
        : { ok: false, protocol: null, cipher: null, nodeVerdict: null, error: hsError ?? undefined },
      findings,
      trust: trust ? { ...trust, certificates: trust.certificates.map(({ pem: _pem, ...rest }) => rest) } as DiagnoseReport['trust'] : null,
      errorText: d.errorText,
      savedChain: saved ? { ...saved, instructions: saved.trustFile ? trustStoreInstructions(saved.trustFile) : [] } : null,
      otherCertificate: otherChain,
      ...(clients ? { clients } : {}),
    };
    if (report.trust) delete (report.trust as Partial<TrustReport>).path;
    ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return exit;
  }
  const color = !!ctx.stdout.isTTY && !process.env.NO_COLOR;
  ctx.stdout.write(renderDiagnosis(where, d, hs, hsError, trust, findings, saved, color, otherChain)
    + (clients ? renderClientTable(clients, { color }) : ''));
  return exit;
}

/** Alerts a server sends about the client's certificate (RFC 8446 §6.2; 116 certificate_required). */
const CLIENT_CERTIFICATE_ALERT = /alert (certificate required|bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|access denied)/i;

/**
 * Whether a server that asked for a client certificate failed Node's handshake for want of one:
 * it said so (certificate_required), or a handshake with a throwaway self-signed certificate
 * gets through or draws an alert about that certificate instead.
 */
async function requiresClientCertificate(connect: Connect, port: number, timeoutMs: number, error: string, starttls?: StartTls, proxy?: Proxy): Promise<boolean> {
  if (/certificate required|alert number 116/i.test(error)) return true;
  const { generateSelfSigned } = await import('../../clienttest/selfsigned.js');
  const throwaway = await generateSelfSigned(['tlsdoctor-client.invalid']);
  try {
    await fullHandshake({ ...connect, port, timeoutMs, cert: throwaway.cert, key: throwaway.key, ...(starttls ? { starttls } : {}), ...(proxy ? { proxy } : {}) });
    return true;
  } catch (e) {
    return CLIENT_CERTIFICATE_ALERT.test(tidyTlsError(errorMessage(e)));
  }
}

/** --cert and --key, read (both or neither). */
function clientCredentials(o: DiagnoseOptions): { cert?: string; key?: string } {
  if (!o.cert && !o.key) return {};
  if (!o.cert || !o.key) throw new UsageError(`--${o.cert ? 'key' : 'cert'} is missing: a client certificate needs both --cert and --key`);
  const read = (flag: string, file: string, marker: RegExp) => {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${flag}: cannot read ${file}: ${errorMessage(e)}`); }
    if (!marker.test(text)) throw new UsageError(`${flag}: ${file} is not PEM (no ${marker.source.replace(/\\/g, '')} block); convert a DER or PFX file with openssl first`);
    return text;
  };
  return { cert: read('--cert', o.cert, /-----BEGIN CERTIFICATE-----/), key: read('--key', o.key, /-----BEGIN [A-Z ]*PRIVATE KEY-----/) };
}

async function wireScan(t: DiagnoseTarget, timeoutMs: number, proxy?: Proxy, resolveTo?: string[]): Promise<ScanResult | null> {
  try {
    const ep = await resolveTarget({ host: t.host, port: t.port, sni: net.isIP(t.host) ? null : t.host, input: t.url, ...(t.starttls ? { starttls: t.starttls } : {}), ...(proxy ? { proxy } : {}), ...(resolveTo ? { resolveTo } : {}) });
    return await scanEndpoint(ep, { timeoutMs: Math.min(timeoutMs, 5000), scanTimeoutMs: Math.max(timeoutMs * 6, 30_000), skipGroups: true, http: false });
  } catch {
    return null;
  }
}

function renderErrorText(d: Diagnosis, color: boolean): string {
  const e = d.errorText;
  if (!e) return '';
  const b = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const lines = [b('Your error text'), `  "${e.text.length > 300 ? `${e.text.slice(0, 300)}...` : e.text}"`];
  for (const r of e.recognised) lines.push(`  recognised: ${r.runtime} - "${r.matched}": ${r.note}`);
  if (e.causes.length) lines.push(`  points to: ${e.causes.map((c) => CAUSES[c].title).join('; ')}`);
  lines.push(`  ${wrap(e.conclusion, 100, '  ')}`, '');
  return lines.join('\n') + '\n';
}

function renderDiagnosis(t: DiagnoseReport['target'], d: Diagnosis, hs: FullHandshakeResult | null, hsError: string | null, trust: TrustReport | null,
  findings: Finding[], saved: SavedChain | null, color: boolean, other: DiagnoseReport['otherCertificate'] = null): string {
  const b = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const verdictColor = (s: string) => (color ? (d.ok ? `\x1b[32m${s}\x1b[0m` : `\x1b[1;31m${s}\x1b[0m`) : s);
  const out: string[] = [];
  out.push(verdictColor(`Verdict: ${d.verdict}`), '');
  if (d.errorText) out.push(renderErrorText(d, color).trimEnd(), '');

  out.push(b('Evidence'));
  out.push(`  endpoint: ${t.host}:${t.port}${t.address && t.address !== t.host ? ` (${t.address})` : ''}`);
  if (t.addresses) {
    const hostPort = `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
    out.push(`  ${t.host} has ${t.addresses.length} addresses (${t.addresses.join(', ')}), and a client may get any of them: if the failure comes and goes, compare them with \`tlsdoctor scan ${hostPort}${t.starttls ? ` --starttls ${t.starttls}` : ''} --all-addresses\``);
  }
  if (hs) {
    out.push(`  handshake: ${hs.protocol} ${hs.cipher?.standardName ?? ''}`.trimEnd());
    out.push(`  Node.js's own verification (its bundled roots only): ${hs.authorizationError ?? 'trusted'}`);
  } else {
    out.push(`  handshake failed: ${hsError}`);
  }
  if (trust) {
    out.push(`  chain as sent (${trust.certificates.length} certificate${trust.certificates.length === 1 ? '' : 's'}):`);
    for (const c of trust.certificates) {
      out.push(`    #${c.index} ${c.subject}`);
      out.push(`       issuer ${c.issuer}; valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}; ${c.keyType} ${c.keyBits}; ${c.signatureAlgorithm}${c.selfSigned ? '; self-signed' : ''}`);
      if (c.index === 0 && c.subjectAltNames.length) out.push(`       names: ${c.subjectAltNames.join(', ')}`);
    }
    for (const a of trust.aia) out.push(`  AIA download ${a.url}: ${a.ok ? `got ${a.subjects.join(', ')}` : `failed (${a.error})`}`);
    out.push('  trust stores:');
    for (const s of trust.stores) out.push(`    ${s.trusted ? '[trusted]  ' : '[untrusted]'} ${s.detail}`);
    if (trust.hostname) {
      out.push(`  host name: ${trust.hostname.ok
        ? `${t.host} matches ${trust.hostname.via === 'cn' ? 'the subject CN' : 'the subjectAltName'} ${trust.hostname.name}`
        : trust.hostname.reason}`);
      for (const n of trust.hostname.notes) out.push(`    note: ${n}`);
    }
    out.push(`  OCSP staple: ${trust.ocsp.detail}`);
    const r = trust.revocation;
    if (r) {
      if (!r.sources.length) out.push('  revocation: the leaf names no OCSP responder and no CRL distribution point');
      for (const x of r.sources) {
        const said = x.status === 'revoked' ? `revoked${x.revokedAt ? ` on ${x.revokedAt}` : ''}${x.reason ? ` (${x.reason})` : ''}` : x.status ?? `no usable answer: ${x.error ?? '?'}`;
        out.push(`  revocation: ${x.method === 'ocsp' ? 'OCSP' : 'CRL'} ${x.url}: ${said} (${x.ms} ms)`);
      }
    }
  }
  if (other) {
    out.push(`  the server's other certificate (${other.auth}, for clients that offer only ${other.auth}): ${other.subject}, issuer ${other.issuer}, valid to ${other.notAfter.slice(0, 10)}; ${other.trusted ? 'trusted' : 'not trusted'}${other.findings.length ? `; ${other.findings.join(', ')} (below)` : ''}`);
  }
  out.push('');
  if (d.steps.length) {
    out.push(b('How to fix'));
    d.steps.forEach((s, i) => out.push(`  ${String(i + 1).padStart(2)}. ${wrap(s, 100, '      ')}`));
    out.push('');
  }
  if (saved) {
    out.push(b(`Saved certificates in ${saved.dir}`));
    for (const f of saved.files) out.push(`  ${f.file}  (${f.role}: ${f.subject})`);
    if (saved.trustFile) {
      out.push(`  Add ${saved.trustFile} to the client's trust store:`);
      for (const i of trustStoreInstructions(saved.trustFile)) out.push(`    ${i.platform}:`, `      ${i.how}`);
    } else if (saved.note) out.push(`  ${saved.note}`);
    out.push('');
  }
  const others = findings.filter((f) => f !== d.primary && (isProblem(f) || f.severity === 'low' || f.severity === 'info'));
  if (others.length) {
    out.push(b(d.primary ? 'Other findings' : 'Findings'));
    out.push(renderFindings(others, null, { color }).trimEnd(), '');
  }
  return out.join('\n') + '\n';
}



/**
 * The chain of the server's other key: a handshake that offers only the other kind's signature
 * algorithms (TLS 1.3 and 1.2 pick the certificate by them) and suites. Null when the server has
 * no such certificate (the handshake fails) or sends the same one.
 */
async function otherKeyChain(connect: Connect, port: number, timeoutMs: number, hs: FullHandshakeResult, more: Partial<FullHandshakeOptions>): Promise<{ auth: 'RSA' | 'ECDSA'; chainDer: Buffer[]; ocspResponse: Buffer | null } | null> {
  const auth = otherKeyKind(hs.chain[0]);
  if (!auth || !hs.chainDer[0]) return null;
  try {
    const r = await fullHandshake({ ...connect, port, timeoutMs, ...more, ...ONLY_KEY[auth] });
    return r.chainDer[0] && !r.chainDer[0].equals(hs.chainDer[0]) ? { auth, chainDer: r.chainDer, ocspResponse: r.ocspResponse } : null;
  } catch {
    return null;
  }
}


/**
 * The SCTs of the signed_certificate_timestamp extension of a ServerHello of
 * ours, at the version Node.js spoke (TLS 1.2 when it spoke 1.3: the TLS 1.3
 * extension is encrypted, and a server sends the same list). A server that
 * answers no TLS <= 1.2 hello (TLS 1.3 only) is asked by a TLS 1.3 handshake
 * of ours (net/tls13-chain.ts), whose leaf entry carries them; undefined
 * when neither answered.
 */
async function tlsExtensionScts(connect: Connect, target: DiagnoseTarget, spoken: string | null, timeoutMs: number, proxy?: Proxy): Promise<Sct[] | undefined> {
  const version: ProtocolName = spoken === 'TLSv1' ? 'TLSv1.0' : spoken === 'TLSv1.1' || spoken === 'TLSv1.2' ? spoken : 'TLSv1.2';
  const sni = connect.servername === false ? null : connect.servername;
  const hello = scanHello({ version, suites: candidateSuites(version), sni, statusRequest: true });
  const out = await wireHello(connect, target.port, hello, timeoutMs, proxy, target.starttls);
  if (out.kind === 'hello' && out.serverHello.version < 0x0304 && !out.serverHello.isHelloRetryRequest) return sctsOfHello(out);
  if (spoken !== 'TLSv1.3') return undefined;
  try {
    const sent = await readTls13ChainAsSent({ host: connect.host, port: target.port, servername: connect.servername, timeoutMs: Math.min(timeoutMs, 5000), starttls: target.starttls, proxy });
    return sctsOfLeafEntry(sent.entries);
  } catch {
    return undefined;
  }
}

/** One ClientHello of the wire engine to the diagnosed endpoint (through the proxy and the STARTTLS preamble when there are). */
function wireHello(connect: Connect, port: number, hello: Uint8Array, timeoutMs: number, proxy?: Proxy, starttls?: StartTls): Promise<ProbeOutcome> {
  const sni = connect.servername === false ? null : connect.servername;
  return sendHello({ host: connect.host, port, address: connect.host, sni, ...(starttls ? { starttls } : {}), ...(proxy ? { proxy } : {}) }, hello, { timeoutMs: Math.min(timeoutMs, 5000) });
}

/** The first line a service that is not TLS sends back to a ClientHello (HTTP's 400, an SSH banner ...); undefined when it is not text. */
async function plainTextAnswer(connect: Connect, port: number, timeoutMs: number, proxy?: Proxy): Promise<string | undefined> {
  const sni = connect.servername === false ? null : connect.servername;
  const out = await wireHello(connect, port, scanHello({ version: 'TLSv1.2', suites: candidateSuites('TLSv1.2'), sni }), timeoutMs, proxy);
  return out.kind === 'failed' ? out.plainText : undefined;
}
