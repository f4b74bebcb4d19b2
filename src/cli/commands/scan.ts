import type { Command } from 'commander';
import { STARTTLS_PORTS, STARTTLS_PROTOCOLS, type StartTls } from '../../net/starttls.js';
import type { CliContext } from '../context.js';
import { intOption, severityOption, starttlsOption, readTargetFile, mapLimit, resolveOption, proxyFromOptions, PROXY_ENV_HELP, NOPROXY_HELP } from '../options.js';
import type { Proxy } from '../../net/proxy.js';
import { proxyFor } from '../../net/proxy-env.js';
import { parseTarget, resolveAddresses, resolveFor, type ResolveEntry, type Target } from '../../net/target.js';
import { scanTarget, unreachableResult, DEFAULTS } from '../../scan/run.js';
import { formatHandshakeTrace, formatProbeTrace } from '../../scan/context.js';
import { renderScan } from '../../report/terminal.js';
import { renderFindings } from '../../report/findings.js';
import { assessScan } from '../../assess/scan.js';
import { addressFindings } from '../../assess/addresses.js';
import { sortFindings } from '../../assess/catalog.js';
import { parsePolicy, evaluatePolicy, type Policy } from '../../assess/policy.js';
import { CLIENT_PROFILES, parseClientSelection, type ClientProfile } from '../../registry/clients/index.js';
import { renderClientTable, renderPolicy } from '../../report/clients.js';
import { wantsColor } from '../../report/style.js';
import { SEVERITIES, type ScanResult, type Severity } from '../../scan/types.js';
import { ExitCode, UnreachableError, UsageError, errorMessage, proxyNote } from '../../util/errors.js';
import { preloadAsn1 } from '../../x509/asn1.js';
import { preloadTrustStores } from '../../x509/trust-store.js';
import { analyseTrust, type TrustReport } from '../../x509/trust.js';

interface ScanFlags {
  starttls?: StartTls;
  proxy?: string;
  noproxy?: string;
  file?: string;
  sni?: string;
  json?: boolean;
  concurrency: number;
  timeout: number;
  scanTimeout: number;
  failOn?: Severity;
  color?: boolean;
  parallel: number;
  caFile: string[];
  fetchIntermediates?: boolean;
  checkRevocation?: boolean;
  expiresSoon: number;
  clients: string | boolean;
  require?: Policy;
  trace?: boolean;
  /** --padding-oracle (true), --no-padding-oracle (false), neither (undefined: the scan decides). */
  paddingOracle?: boolean;
  renegotiation?: boolean;
  /** --http (true), --no-http (false), neither (undefined: the scan decides). */
  http?: boolean;
  resumption?: boolean;
  sigalgs?: boolean;
  connectAhead?: boolean;
  resolve: ResolveEntry[];
  allAddresses?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description('what a server really supports: protocols SSLv2-TLS 1.3, every cipher suite and its order, groups, certificate chain')
    .argument('[targets...]', 'host, host:port, [IPv6]:port or https://host[:port]')
    .option('-f, --file <file>', 'read targets from a file, one per line (# comments)')
    .option('--sni <name>', 'server name to send (default: the host name; none for IP addresses)')
    .option('--proxy <url>', `connect through this proxy, a tunnel per probe: HTTP (CONNECT; the proxy resolves the name), e.g. http://user:password@proxy.corp:3128 (https:// for TLS to the proxy), or SOCKS5, e.g. socks5h://127.0.0.1:1080 (ssh -D; socks5:// resolves the name here)${PROXY_ENV_HELP}`)
    .option('--noproxy <list>', NOPROXY_HELP)
    .option('--resolve <host:port:addresses>', 'the addresses a host name stands for, instead of DNS, as curl takes it: HOST:PORT:ADDRESS[,ADDRESS...] (PORT may be *), e.g. api.example.com:443:203.0.113.7 to check a server before DNS points at it; repeatable', resolveOption, [] as ResolveEntry[])
    .option('--all-addresses', 'scan every address the host name resolves to, not only the first, and report how they differ (scan.addresses-differ): a DNS round robin or load balancer pool where one node serves an old certificate or other settings')
    .option('--starttls <protocol>', `the service's STARTTLS preamble first: ${STARTTLS_PROTOCOLS.join(', ')} (default port: ${STARTTLS_PROTOCOLS.map((p) => `${p} ${STARTTLS_PORTS[p]}`).join(', ')})`, starttlsOption)
    .option('--json', 'one JSON object per target, one per line (schema/scan-result.schema.json)')
    .option('--concurrency <n>', 'probes in flight per server (and, apart, connections opened ahead for them: --no-connect-ahead)', intOption('--concurrency', 1, 256), DEFAULTS.concurrency)
    .option('--timeout <ms>', 'deadline of one probe (connect + answer)', intOption('--timeout', 50, 600_000), DEFAULTS.timeoutMs)
    .option('--scan-timeout <ms>', 'deadline of the whole scan of one target', intOption('--scan-timeout', 100, 3_600_000), DEFAULTS.scanTimeoutMs)
    .option('--parallel <n>', 'targets scanned at once', intOption('--parallel', 1, 64), 4)
    .option('--fail-on <severity>', `exit 1 when a finding at or above this severity is present (${SEVERITIES.join(', ')})`, severityOption)
    .option('--ca-file <pem>', 'extra trust anchors (PEM), e.g. a private root CA; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--fetch-intermediates', 'download missing intermediate certificates (AIA caIssuers) to show which one is missing')
    .option('--check-revocation', 'ask the CA\'s OCSP responders and CRL distribution points (plain HTTP) whether the certificate is revoked, as Windows, .NET and Java clients that check revocation do')
    .option('--expires-soon <days>', 'certificate.expires-soon threshold', intOption('--expires-soon', 0, 3650), 30)
    .option('--clients [ids]', 'client simulation: profile ids or families, e.g. dotnet,java-17 (default: all; `tlsdoctor clients` lists them)', true)
    .option('--no-clients', 'skip the client simulation')
    .option('--require <policy>', 'check a policy, e.g. TLSv1.2 or TLSv1.2,no-cbc: exit 1 when the server does not meet it, and list the clients it would cut off', parsePolicy)
    .option('--padding-oracle', 'check for CBC padding oracles (POODLE-TLS, Zombie POODLE, GOLDENDOODLE) even on a server that serves one connection at a time, which the check holds for a few round trips per handshake (default: every other server with CBC suites)')
    .option('--no-padding-oracle', 'skip the CBC padding-oracle check')
    .option('--renegotiation', 'check whether the server renegotiates when the client asks (a full handshake, then a ClientHello inside it) even on a server that serves one connection at a time (default: every other server with TLS 1.0-1.2)')
    .option('--no-renegotiation', 'skip the client-initiated renegotiation check')
    .option('--http', 'make one HTTPS request (GET /) for the Strict-Transport-Security header whatever the port (default: on ports 443, 4443, 8443 and 9443, and when the server names HTTP by ALPN)')
    .option('--no-http', 'make no HTTPS request (no HSTS check, no A+)')
    .option('--resumption', 'also check whether the server resumes TLS 1.0-1.2 sessions by session ID (a session cache) and by session ticket (two full handshakes, then two hellos)')
    .option('--sigalgs', 'also ask which signature algorithms the server signs its TLS 1.2 key exchange and TLS 1.3 handshake with, each that fits one of its keys offered alone (about a dozen more handshakes)')
    .option('--no-connect-ahead', 'open no connections ahead of the probes. By default, against a far server that serves connections at once, connections are opened for the next probes (as many as started within the last round trip, at most 48 and --concurrency), so that a probe does not wait for its TCP handshake')
    .option('--no-color', 'no ANSI colours even on a terminal')
    .option('--trace', 'one line per probe on stderr: when it was sent and answered, why, and what came back')
    .action(async (args: string[], flags: ScanFlags) => {
      const inputs = [...args, ...(flags.file ? readTargetFile(flags.file) : [])];
      if (inputs.length === 0) throw new UsageError('no target: give host[:port] or https://host, or -f FILE');
      const st = flags.starttls;
      const proxy = proxyFromOptions(flags, ctx.stderr);
      const targets: Target[] = inputs.map((t) => {
        const parsed = parseTarget(t, { sni: flags.sni, defaultPort: st ? STARTTLS_PORTS[st] : undefined });
        // --noproxy / NO_PROXY: this target direct.
        const via = proxyFor(proxy, parsed.host, parsed.port);
        const target: Target = { ...parsed, ...(st ? { starttls: st } : {}), ...(via ? { proxy: via } : {}) };
        const resolveTo = resolveFor(target, flags.resolve);
        return resolveTo ? { ...target, resolveTo } : target;
      });
      const profiles = flags.clients === false ? [] : flags.clients === true ? [...CLIENT_PROFILES] : parseClientSelection(flags.clients);
      ctx.exitCode = await runScans(ctx, targets, flags, profiles, proxy);
    });
}

/** `proxy`: the command's, for the CA's URLs (AIA, OCSP, CRL), which its no-proxy list judges on their own. */
async function runScans(ctx: CliContext, given: Target[], flags: ScanFlags, profiles: ClientProfile[], proxy: Proxy | undefined): Promise<number> {
  const color = wantsColor(ctx.stdout, flags.color);
  const progress = !flags.json && Boolean(ctx.stderr.isTTY);
  const counts = new Map<string, number>();
  const showProgress = () => {
    if (!progress) return;
    const parts = [...counts].map(([k, n]) => `${k} (${n} probes)`);
    ctx.stderr.write(`\r\u001b[2Kscanning ${parts.join(', ')}`);
  };
  let unreachable = false;
  let failing = false;
  const failRank = flags.failOn ? SEVERITIES.indexOf(flags.failOn) : Infinity;

  // --all-addresses: one target per address of each name, those of one name side by side (a
  // group); a name that does not resolve stays one target, reported unreachable by its scan.
  const targets: Target[] = [];
  const group: number[] = [];
  const expanded = flags.allAddresses
    ? await Promise.all(given.map((t) => resolveAddresses(t).catch(() => [] as string[])))
    : given.map(() => [] as string[]);
  given.forEach((t, g) => {
    const addresses = expanded[g]!;
    if (addresses.length > 1) {
      for (const address of addresses) { targets.push({ ...t, resolveTo: addresses, address }); group.push(g); }
    } else { targets.push(t); group.push(g); }
  });

  // Results are printed in the order given, each as soon as it, those before it and the other
  // addresses of its name (compared with it) are done. An unreachable target has a result (for
  // the comparison) but, without --json, no text: its line went to stderr.
  const results: (ScanResult | undefined)[] = new Array(targets.length);
  const noText = new Set<number>();
  let printed = 0;
  // The targets of each name (one, or its addresses), so that a long -f list stays linear.
  const membersOf = new Map<number, number[]>();
  group.forEach((g, j) => { const m = membersOf.get(g); if (m) m.push(j); else membersOf.set(g, [j]); });
  const groupDone = (i: number) => membersOf.get(group[i]!)!.every((j) => results[j] !== undefined);
  const compared = new Set<number>();
  const flush = () => {
    while (printed < targets.length && groupDone(printed)) {
      const g = group[printed]!;
      if (!compared.has(g)) {
        compared.add(g);
        const members = membersOf.get(g)!.filter((j) => results[j]);
        addressFindings(members.map((j) => results[j]!)).forEach((f, k) => {
          const r = results[members[k]!]!;
          if (f) r.findings = sortFindings([...r.findings, f]);
        });
      }
      const r = results[printed];
      if (r && !noText.has(printed)) {
        if (r.findings.some((f) => SEVERITIES.indexOf(f.severity) >= failRank)) failing = true;
        if (progress) ctx.stderr.write('\r\u001b[2K');
        ctx.stdout.write(render(r));
      }
      printed++;
    }
    showProgress();
  };
  const render = (result: ScanResult): string => {
    if (flags.json) return JSON.stringify(result) + '\n';
    const extra = [
      result.clients ? renderClientTable(result.clients, { color }) : '',
      result.policy ? renderPolicy({ require: result.policy.policy, meets: result.policy.meets, violations: result.policy.violations, cutOff: result.policy.clientsCutOff }, { color }) : '',
      renderFindings(result.findings, result.grade, { color, width: ctx.stdout.columns }),
    ];
    return renderScan(result, { color, extra, allAddresses: flags.allAddresses }) + (targets.length > 1 ? '\n' : '');
  };

  // The certificate decoder and the trust stores are needed only once a target's probes are done: they are loaded while
  // the first scan waits for answers, not before its first probe, and not during round 1, whose
  // answer times tell the engine how far and how busy the server is.
  let asn1: Promise<void> | undefined;
  const origin = performance.now();
  await mapLimit(targets, flags.parallel, async (t, i) => {
    const label = `${t.host}:${t.port}${t.address !== undefined ? ` (${t.address})` : ''}`;
    counts.set(label, 0);
    // The trust analysis of the chain starts as soon as the chain is known, while the scan waits for answers.
    let early: { chain: readonly Uint8Array[]; host: string; trust: Promise<TrustReport> } | undefined;
    try {
      const scanned = await scanTarget(t, {
        concurrency: flags.concurrency,
        timeoutMs: flags.timeout,
        scanTimeoutMs: flags.scanTimeout,
        onProgress: (n) => { counts.set(label, n); showProgress(); },
        afterRound1: () => { asn1 ??= preloadAsn1().then(preloadTrustStores); },
        onChain: (chain, staple) => {
          const host = t.sni ?? t.host;
          const trust = (asn1 ?? Promise.resolve()).then(() => analyseTrust({
            chain: [...chain], host, caFiles: flags.caFile, fetchIntermediates: flags.fetchIntermediates, checkRevocation: flags.checkRevocation,
            ocspResponse: staple, proxy,
          }));
          trust.catch(() => { /* analysed again after the scan (assessScanResult), where the error surfaces */ });
          early = { chain, host, trust };
        },
        onProbe: flags.trace ? (p) => ctx.stderr.write(`${label} ${formatProbeTrace(p, origin)}\n`) : undefined,
        onHandshake: flags.trace ? (h) => ctx.stderr.write(`${label} ${formatHandshakeTrace(h, origin)}\n`) : undefined,
        onNote: flags.trace ? (text) => ctx.stderr.write(`${label} ${(performance.now() - origin).toFixed(0).padStart(6)} ms  note: ${text}\n`) : undefined,
        clients: profiles,
        paddingOracle: flags.paddingOracle,
        renegotiation: flags.renegotiation,
        http: flags.http,
        resumption: flags.resumption,
        sigalgs: flags.sigalgs,
        connectAhead: flags.connectAhead,
      });
      const { result } = await assessScan(scanned, {
        caFiles: flags.caFile, fetchIntermediates: flags.fetchIntermediates, checkRevocation: flags.checkRevocation, proxy, expiresSoonDays: flags.expiresSoon,
        early,
      });
      if (flags.require) {
        // The clients judged are the ones selected with --clients (all by default).
        const e = evaluatePolicy(result, flags.require, profiles.length ? profiles : CLIENT_PROFILES);
        result.policy = { policy: flags.require.text, meets: e.meets, violations: e.violations, clientsCutOff: e.cutOffReasons };
        if (!e.meets) failing = true;
      }
      results[i] = result;
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
      unreachable = true;
      results[i] = unreachableResult(t, errorMessage(err));
      if (!flags.json) noText.add(i);
      const at = t.address !== undefined ? ` (${t.address})` : '';
      ctx.stderr.write(`${progress ? '\r\u001b[2K' : ''}tlsdoctor: ${t.input}${at}: ${errorMessage(err)}${proxyNote(process.env, !!flags.proxy)}\n`);
    }
    counts.delete(label);
    flush();
  });
  if (progress) ctx.stderr.write('\r\u001b[2K');
  if (unreachable) return ExitCode.unreachable;
  return failing ? ExitCode.findings : ExitCode.ok;
}
