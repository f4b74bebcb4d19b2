import { setMaxListeners } from 'node:events';
import { HostPool } from '../net/pool.js';
import { resolveTarget, type Endpoint, type Target } from '../net/target.js';
import { Overrun, OVERRUN_GRACE_MS } from './overrun.js';
import { readTls13ChainAsSent, Tls13ChainError, type Tls13ChainOptions } from '../net/tls13-chain.js';
import type { CertificateEntry } from '../wire/certificate.js';
import { otherKeyKind } from '../net/full-handshake.js';
import { X509Certificate } from 'node:crypto';
import { WITHDRAWN, type ProbeOutcome } from '../net/probe.js';
import { parseServerKeyExchange } from '../wire/server-key-exchange.js';
import { scanSignatureAlgorithms } from './sigalgs.js';
import { knownDhGroup, type DhGroup } from '../wire/dh-groups.js';
import { FFDHE_PRIMES } from '../wire/ffdhe.js';
import { ExtensionType } from '../wire/constants.js';
import { parseSctList, type Sct } from '../x509/sct.js';
import { parseCertificateRequest, parseCertificateRequest13, type CertificateRequest } from '../wire/certificate-request.js';
import { distinguishedNameText } from '../x509/cert.js';
import { suiteByCode, suitesForVersion, type CipherSuiteInfo } from '../registry/ciphers.js';
import { groupByCode } from '../registry/groups.js';
import { SSLV2_CIPHER_KINDS, sslv2KindByCode } from '../registry/sslv2.js';
import { describeCertificate } from '../x509/describe.js';
import { HEAVY_DH_BITS, ScanContext, silentClose, type HandshakeTrace, type ProbeTrace } from './context.js';
import { enumerateSuites, failedInternally, pickedSuite, type EnumerationResult } from './ciphers.js';
import { HTTP_ALPN, NOT_CHECKED, runChecks, startFeatureChecks, type FeatureChecks } from './checks.js';
import { checkRobot, type RobotResult } from './robot.js';
import { checkClientRenegotiation, type RenegotiationCheck } from './renegotiation.js';
import { checkResumption, type ResumptionCheck } from './resumption.js';
import { checkPaddingOracle, CBC_VERSIONS, checkableCbcSuite, type PaddingOracleResult } from './padding-oracle.js';
import { ALL_PAIRS_MAX, detectServerPreference, eliminate, memoChooser, notePick, Precedence, sortAllPairs, sortWithHint, splitList } from './order.js';
import { chainHolds, hintOrder, suiteHintBase } from './order-hint.js';
import { chachaNotFirst, isChaCha, refusedLead } from './chacha.js';
import { scanHello, sslv2Hello, TLS13_GROUPS, CLASSIC_GROUPS, VERSION_CODE } from './hellos.js';
import {
  PROTOCOLS, SCHEMA_VERSION,
  type AlternateChain, type CertificateAuth, type CertificateInfo, type CipherSuiteResult, type GroupResult, type HttpCheck, type ProtocolName, type ProtocolResult, type ScanResult, type ServerFeatures,
} from './types.js';
import { UnreachableError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { simulateClients, toClientResults } from './simulate.js';
import { checkHttp, HTTPS_PORTS } from './http.js';
import type { ClientProfile } from '../registry/clients/types.js';



export interface ScanOptions {
  /** Connections in flight per server (default 64). */
  concurrency?: number;
  /** Deadline of one probe, ms (default 5000). */
  timeoutMs?: number;
  /** Deadline of the whole scan of one target, ms (default 120000). */
  scanTimeoutMs?: number;
  /** Called as probes are sent. */
  onProgress?: (probes: number) => void;
  /** Called after every probe, with its purpose, times and outcome (the CLI's --trace). */
  onProbe?: (p: ProbeTrace) => void;
  /** Called after every full handshake of a check's own (padding oracle, renegotiation), for tracing. */
  onHandshake?: (h: HandshakeTrace) => void;
  /** Called with each decision about how to probe the server: its distance, queueing, window (the CLI's --trace). */
  onNote?: (text: string) => void;
  /** Called once round 1 is judged: a moment to do work that would have skewed its answer times. */
  afterRound1?: () => void;
  /**
   * Called once with the certificate chain as the server sent it (DER), as
   * soon as it is known (round 1 for TLS <= 1.2, the TLS 1.3 handshake
   * otherwise), and never before afterRound1: a moment to start the trust
   * analysis while the scan waits for answers.
   */
  onChain?: (der: readonly Uint8Array[], staple: Uint8Array | null | undefined) => void;
  /** Receives the probe counts per purpose when the scan ends (benchmarks). */
  onStats?: (probesBy: Record<string, number>) => void;
  /**
   * Client profiles to simulate. Their hellos go through the same host pool,
   * starting right after the first round, beside the rest of the scan.
   */
  clients?: readonly ClientProfile[];
  /** Skip the group checks. */
  skipGroups?: boolean;
  /** Ask which signature algorithms the server signs with, each offered alone (scan/sigalgs.ts): a dozen more handshakes. */
  sigalgs?: boolean;
  /**
   * Against a far server that serves connections at once, open connections
   * ahead of the probes that will use them (net/stock.ts), so that a probe
   * does not wait for its TCP handshake (default true).
   */
  connectAhead?: boolean;
  /**
   * The CBC padding-oracle check (scan/padding-oracle.ts): true asks it
   * even of a server that serves one connection at a time (six full
   * handshakes, more when the reactions differ, each holding it for a few
   * round trips); false skips it; by default it is asked of every other
   * server.
   */
  paddingOracle?: boolean;
  /**
   * The client-initiated renegotiation check (scan/renegotiation.ts): true
   * asks it even of a server that serves one connection at a time (a full
   * handshake and a renegotiation, holding it for three round trips); false
   * skips it; by default it is asked of every other server.
   */
  renegotiation?: boolean;
  /** Ask whether the server resumes TLS 1.0-1.2 sessions by ID and by ticket (scan/resumption.ts; not asked by default). */
  resumption?: boolean;
  /**
   * The HTTPS request for the server's Strict-Transport-Security (scan/http.ts): true asks it,
   * false does not; undefined asks it on an HTTPS port (HTTPS_PORTS) or of a server that names
   * HTTP by ALPN (of a server that serves one connection at a time, once the enumeration is
   * done). Never through STARTTLS.
   */
  http?: boolean;
}

export const DEFAULTS = { concurrency: 64, timeoutMs: 5000, scanTimeoutMs: 120_000 };

export interface VersionProbe {
  version: ProtocolName;
  outcome: ProbeOutcome;
}

/** Scans one target: resolves it, then runs every check. */
export async function scanTarget(target: Target, opts: ScanOptions = {}): Promise<ScanResult> {
  const ep = await resolveTarget(target);
  return scanEndpoint(ep, opts);
}

export async function scanEndpoint(ep: Endpoint, opts: ScanOptions = {}): Promise<ScanResult> {
  // The scan ends at its deadline, or once the server has stopped answering (ScanContext.noteLife).
  const stall = new AbortController();
  const deadline = AbortSignal.any([AbortSignal.timeout(opts.scanTimeoutMs ?? DEFAULTS.scanTimeoutMs), stall.signal]);
  setMaxListeners(0, deadline); // one listener per probe in flight, by design
  const overrun = new Overrun(deadline, (opts.timeoutMs ?? DEFAULTS.timeoutMs) + OVERRUN_GRACE_MS);
  try {
    return await scanWithin(ep, opts, deadline, overrun, () => stall.abort());
  } finally {
    overrun.close();
  }
}

async function scanWithin(ep: Endpoint, opts: ScanOptions, deadline: AbortSignal, overrun: Overrun, stop: () => void): Promise<ScanResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const pool = new HostPool(opts.concurrency ?? DEFAULTS.concurrency);
  const ctx = new ScanContext(ep, pool, opts.timeoutMs ?? DEFAULTS.timeoutMs, deadline);
  ctx.onProgress = opts.onProgress;
  ctx.onProbe = opts.onProbe;
  ctx.onHandshake = opts.onHandshake;
  ctx.onNote = opts.onNote;
  ctx.onStalled = stop;
  ctx.connectAhead = opts.connectAhead !== false;
  // The connections opened ahead are closed at the deadline and at the end (and close
  // themselves when unused for a while: net/stock.ts).
  deadline.addEventListener('abort', () => ctx.stopStock(), { once: true });

  // Round 1: one full hello per version, all at once (roundOne). It tells which versions the
  // server speaks, its first-choice suite, and (TLS <= 1.2) its certificate, whether the server
  // serves one connection at a time, and whether it answers a hello with a pipelined close as it
  // answers one without.
  const protocols = new Map<ProtocolName, ProtocolResult>();
  const tops = new Map<ProtocolName, number>();
  // Each version's server order, once known: older versions start from the newer one's order.
  const shared: SharedFindings = new Map(PROTOCOLS.map((v) => [v, { accepted: deferred<number[] | null>(), order: deferred<number[] | null>(), checked: deferred<number[] | null>() }]));
  const settle = (v: ProtocolName) => { const f = shared.get(v)!; f.accepted.resolve(null); f.order.resolve(null); f.checked.resolve(null); };
  const cv = (result: ProtocolResult, o: CompleteOptions) => completeVersion(ctx, result, o, shared).finally(() => settle(result.version));
  // Each version's enumeration, order and the rest (completeVersion), once begun.
  const work = new Map<ProtocolName, Promise<void>>();
  // The DH group is the server's, not the version's: asked once, at the newest TLS <= 1.2 version
  // that answered (each version asks its own only when none did).
  let classicTop: ProtocolName | undefined;
  let sharedDh: Promise<DhParams | undefined> | undefined;
  // RFC 7919 at that version (ffdheGroups), asked beside its DH probe.
  let ffdhe: Promise<{ version: ProtocolName; groups: number[] } | undefined> | undefined;
  const dh = (v: ProtocolName) => {
    if (!classicTop) return probeDhParams(ctx, v, candidateSuites(v));
    if (!sharedDh) {
      const version = classicTop;
      sharedDh = probeDhParams(ctx, version, candidateSuites(version));
      // RFC 7919's first question goes beside the DH probe: it would otherwise be a round of its own at the end.
      const dhe = dheSuites(candidateSuites(version));
      const first = opts.skipGroups ? undefined : askFfdhe(ctx, version, dhe, FFDHE_FIRST);
      ffdhe = first && Promise.all([sharedDh, first]).then(async ([d, answer]) => ({ version, groups: await ffdheGroups(ctx, version, dhe, d?.group?.namedGroup, answer) }));
    }
    return sharedDh;
  };
  // The version of the padding-oracle check (the newest TLS 1.0-1.2 one round 1 found, set once
  // round 1 is in), and its first CBC suite seen (the first choice or the enumeration's).
  let cbcVersion: ProtocolName | undefined;
  const cbcSeen = deferred<void>();
  // The server's other certificates (ScanResult.alternateChains): the first suite found at the
  // newest TLS <= 1.2 version whose authentication differs from the first choice's is offered
  // alone, once per kind: the chain it comes with.
  const alternates = new Map<CertificateAuth, Promise<{ suite: number; der: Uint8Array[] } | undefined>>();
  // The kind of key of the chain a version's first choice brought, when that choice needed none (below).
  const chainAuth = new Map<ProtocolName, CertificateAuth | undefined>();
  // Suites found before that chain was in: looked at once it is.
  const unsorted: [ProtocolName, number][] = [];
  const onSuite = (version: ProtocolName, code: number) => {
    if (version === cbcVersion && checkableCbcSuite(code)) cbcSeen.resolve();
    if (version !== classicTop) return;
    const auth = certificateAuth(code);
    const top = tops.get(version);
    const primary = certificateAuth(top ?? -1) ?? chainAuth.get(version);
    if (auth && !primary && top !== undefined && suiteByCode(top)?.anonymous && !chainAuth.has(version)) unsorted.push([version, code]);
    if (!auth || !primary || auth === primary || alternates.has(auth)) return;
    alternates.set(auth, ctx.probe('certificates', ctx.hello({ version, suites: [code], sni: ctx.ep.sni }), 'serverHelloDone').then((o) =>
      (o.kind === 'hello' && pickedSuite(o, version) === code && o.certificates?.length ? { suite: code, der: o.certificates } : undefined)));
  };
  /** Starts the enumeration of a version whose full hello was answered with a suite. */
  const begin = (version: ProtocolName, outcome: Extract<ProbeOutcome, { kind: 'hello' }>, top: number) => {
    const result: ProtocolResult = { version, supported: true, serverPreference: null, cipherSuites: [] };
    protocols.set(version, result);
    tops.set(version, top);
    work.set(version, cv(result, { top, tolerant: true, ske: outcome.serverKeyExchange, dh, onSuite }));
  };
  // The checks that need only TLS 1.2's answer (its suite, its certificate), when begun early.
  let early: { features: Promise<FeatureChecks>; robot: Promise<RobotResult> } | undefined;
  // A server that serves one connection at a time can be told from the first two answers (see
  // judgeEarly): its TLS 1.2 work then starts a round trip before the rest of round 1 comes in,
  // and so do the compression, heartbeat, ALPN and CCS injection checks and ROBOT (3des bench
  // server at 50 ms: they no longer wait for the rest of round 1, then for the enumeration's
  // probes queued before them).
  const first = await roundOne(ctx, (o) => {
    const top = pickedSuite(o, 'TLSv1.2');
    if (top === null || o.kind !== 'hello') return;
    classicTop = 'TLSv1.2';
    // Asked first, so that they are not queued behind the first suite sets when the window is narrow.
    early = { features: startFeatureChecks(ctx, 'TLSv1.2', top), robot: checkRobot(ctx, new Map([['TLSv1.2', top]]), o.certificates?.[0]) };
    begin('TLSv1.2', o, top);
  });
  ctx.judgeQueueing();
  let certDer: Uint8Array[] | undefined;
  // The OCSP response stapled with that chain: null when the flight was complete without one.
  let staple: Uint8Array | null | undefined;
  // The SCTs of the TLS extension in the ServerHello that brought that chain; undefined when no such hello did.
  let tlsScts: Sct[] | undefined;
  // The chain is told once it is known and afterRound1 has run (the caller's analysis of it needs
  // what afterRound1 loads).
  let chainTold = false;
  let afterRound1Done = false;
  const tellChain = (der: Uint8Array[] | undefined) => {
    if (!der?.length || chainTold || !afterRound1Done) return;
    chainTold = true;
    opts.onChain?.(der, staple);
  };
  // Against a server that queues connections, round 2's first window leaves over some 20 ms
  // (paced starts), and work that blocks the event loop would hold the later starts back.
  setTimeout(() => {
    opts.afterRound1?.();
    afterRound1Done = true;
    tellChain(certDer);
  }, ctx.queueing ? AFTER_ROUND1_QUEUEING_MS : 0).unref();

  const noStartTls = first.find((p) => p.outcome.kind === 'failed' && p.outcome.code === 'starttls');
  if (noStartTls && first.every((p) => p.outcome.kind === 'failed')) {
    throw new UnreachableError(`no TLS through STARTTLS at ${ep.address}:${ep.port}: ${(noStartTls.outcome as { message: string }).message}`);
  }
  if (first.every((p) => p.outcome.kind === 'failed' && (p.outcome.code === 'refused' || p.outcome.code === 'unreachable'))) {
    const f = first[0]!.outcome as { message: string };
    throw new UnreachableError(`cannot connect to ${ep.address}:${ep.port}: ${f.message}`);
  }

  const certificates: CertificateInfo[] = [];
  classicTop ??= CLASSIC_VERSIONS.find((v) => pickedSuite(first.find((p) => p.version === v)!.outcome, v) !== null);
  cbcVersion = CBC_VERSIONS.find((v) => pickedSuite(first.find((p) => p.version === v)!.outcome, v) !== null);
  // Two of round 1's quickest answer times from now, round 2's answers are in (see below).
  const calmAt = performance.now() + 2 * Math.min(...ctx.answerTimes.filter(Number.isFinite), 1000);
  const calm = () => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, calmAt - performance.now())));
  // Versions whose full hello got no suite but that are asked again in simpler forms: whether they
  // are spoken is known only once that is done.
  const retried = new Map<ProtocolName, Promise<void>>();
  for (const { version, outcome } of first) {
    // The chain of a version answered with a suite (TLS <= 1.2); later (higher) versions win.
    if (outcome.kind === 'hello' && pickedSuite(outcome, version) !== null && outcome.certificates?.length) {
      certDer = outcome.certificates;
      staple = ocspOfStatus(outcome);
      tlsScts = sctsOfHello(outcome);
    }
    if (protocols.has(version)) continue; // begun early (TLS 1.2 against a server that serves one connection at a time)
    const result: ProtocolResult = { version, supported: false, serverPreference: null, cipherSuites: [] };
    protocols.set(version, result);
    if (version === 'SSLv2' || pickedSuite(outcome, version) === null && outcome.kind !== 'failed') settle(version);
    if (version === 'SSLv2') {
      if (outcome.kind === 'sslv2') {
        result.supported = true;
        result.cipherSuites = outcome.hello.cipherKinds.map(sslv2Result);
        if (outcome.hello.certificate.length && !certDer) certDer = [outcome.hello.certificate];
      } else noteFailure(ctx, version, outcome);
      continue;
    }
    const top = pickedSuite(outcome, version);
    if (top !== null && outcome.kind === 'hello') {
      begin(version, outcome, top);
    } else if (outcome.kind === 'failed' && outcome.code !== 'aborted' || refusedToParse(outcome) && BARE_RETRY.includes(version) || failedInternally(outcome)) {
      // No answer to the full hello, or an alert that says it could not be read: maybe
      // intolerance of its length or of its extensions. Retry in simpler forms.
      const known = deferred<void>();
      work.set(version, cv(result, { tolerant: false, dh, onSuite, internalError: failedInternally(outcome), onTop: (code) => { tops.set(version, code); known.resolve(); } }).then(() => {
        if (!result.supported) noteFailure(ctx, version, outcome);
      }).finally(() => known.resolve()));
      retried.set(version, known.promise);
    } else noteFailure(ctx, version, outcome);
  }
  // A first choice that needs no certificate (an anonymous suite) brought no chain: the newest such
  // version is asked once more with only the suites that need one, for the certificate the server
  // uses with those (before, such a server was reported with no certificate at all). The other
  // kind of key, if any, is then looked for from that chain's kind (onSuite).
  if (!certDer) {
    const anonTop = CLASSIC_VERSIONS.find((v) => { const t = tops.get(v); return t !== undefined && !!suiteByCode(t)?.anonymous; });
    if (anonTop) {
      const out = await ctx.probe('certificates', ctx.hello({ version: anonTop, suites: candidateSuites(anonTop).filter((c) => certificateAuth(c) !== undefined), sni: ep.sni }), 'serverHelloDone');
      const chosen = pickedSuite(out, anonTop);
      if (chosen !== null && out.kind === 'hello' && out.certificates?.length) {
        certDer = out.certificates;
        staple = ocspOfStatus(out);
        tlsScts = sctsOfHello(out);
        chainAuth.set(anonTop, certificateAuth(chosen));
        for (const [v, code] of unsorted.splice(0)) onSuite(v, code);
        tellChain(certDer);
      }
    }
  }

  /** The TLS 1.3 handshake's CertificateRequest, once that handshake is done (body undefined: none). */
  let tls13Request: { body: Uint8Array | undefined } | undefined;
  /** The ALPN choice of the TLS 1.3 handshake (a TLS 1.3-only server, where no clear-text hello shows it). */
  let tls13Alpn: string | null | undefined;
  const chainOptions: Tls13ChainOptions = { host: ep.address, port: ep.port, servername: ep.sni ?? false, timeoutMs: ctx.timeoutMs, starttls: ep.starttls, proxy: ep.proxy };
  // ALPN is offered too (not through STARTTLS); a server that refuses the handshake for it with
  // no_application_protocol (alert 120: it insists on a protocol of its own) is asked again without.
  // `piped`: with a pipelined close (below); a failure then is no error of the scan, the chain is
  // asked again without one.
  const readChain = (piped = false) => (ep.starttls ? readTls13ChainAsSent({ ...chainOptions, pipelineClose: piped })
    : readTls13ChainAsSent({ ...chainOptions, alpn: HTTP_ALPN, pipelineClose: piped }).catch((err: unknown) => {
      if (err instanceof Tls13ChainError && err.code === 'alert' && / \(120\) /.test(err.message)) return readTls13ChainAsSent({ ...chainOptions, pipelineClose: piped }).then((sent) => ({ ...sent, alpn: null }));
      throw err;
    }))
    .then((sent) => {
      tls13Request = { body: sent.certificateRequest };
      tls13Alpn = sent.alpn;
      // TLS 1.3: the staple is the leaf entry's status_request extension, the SCTs its
      // signed_certificate_timestamp one (RFC 8446 §4.4.2.1); the Certificate was read whole.
      const leaf = sent.entries[0]?.extensions ?? [];
      const ext = leaf.find((e) => e.type === ExtensionType.status_request);
      if (!certDer) {
        staple = ext ? ocspOfStatusBody(ext.data) : null;
        tlsScts = sctsOfLeafEntry(sent.entries);
      }
      return sent.certificates;
    }, (err: Error) => {
      if (!piped) ctx.error('certificates', `TLS 1.3 handshake for the certificate failed: ${err.message}`, 'handshake');
      return undefined;
    });
  // Not beside the probes of a server that serves one connection at a time, which a full handshake
  // would hold for several round trips while every probe waits; unless probes end with a pipelined
  // close: so does this handshake then, at once (the server sends its flight, reads the close and
  // is free), and only a HelloRetryRequest, or a flight lost on the way, leaves it to the end
  // (openssl s_server -tls1_3 50 ms away: the handshake no longer follows the last probe).
  const pipedChain = ctx.queueing && ctx.pipelineClose;
  const tls13Chain = !certDer && protocols.get('TLSv1.3')!.supported && (!ctx.queueing || pipedChain)
    ? (pipedChain ? ctx.ownHandshake('certificates', () => readChain(true), (c) => (c ? `${c.length} certificate(s)` : 'not read (asked again at the end)')) : readChain())
    : undefined;
  void tls13Chain?.then(tellChain);
  // The other key of a server whose chain comes from TLS 1.3 (no TLS <= 1.2 suite to tell it): its
  // certificate for a client that offers only the other kind's signature algorithms, asked as
  // soon as the first chain is in.
  const tls13Other = (der: Uint8Array[] | undefined): Promise<{ auth: CertificateAuth; der: Uint8Array[] } | undefined> => {
    const auth = der?.[0] ? otherKeyKind(new X509Certificate(der[0])) : undefined;
    if (!auth || deadline.aborted) return Promise.resolve(undefined);
    // With a pipelined close when probes have one (readChain above); a HelloRetryRequest or a lost
    // flight then leaves it to a plain handshake.
    const read = (piped: boolean) => readTls13ChainAsSent({ ...chainOptions, signatureAlgorithms: ONLY_SIGALGS[auth], pipelineClose: piped });
    return (ctx.pipelineClose ? read(true).catch(() => read(false)) : read(false)).then((sent) => ({ auth, der: sent.certificates }), () => undefined);
  };
  let otherOf13 = tls13Chain?.then((der) => (der ? tls13Other(der) : undefined));
  // A server whose TLS <= 1.2 suites all go with one key may have another that only TLS 1.3
  // reaches (nginx with two certificates and ssl_ciphers of one kind; found by a differential
  // campaign): one hello offering only the other kind's signature algorithms, beside the rest,
  // says whether it has such a certificate (a ServerHello) or not (an alert); its chain is asked
  // at the end, only when no TLS <= 1.2 suite brought it.
  const otherKind = certDer?.[0] && protocols.get('TLSv1.3')!.supported ? otherKeyKind(new X509Certificate(certDer[0])) : undefined;
  const otherKindAnswers = otherKind ? ctx.probe('certificates', scanHello({
    version: 'TLSv1.3', suites: candidateSuites('TLSv1.3'), sni: ep.sni, groups: TLS13_GROUPS, keyShareGroups: [0x001d, 0x0017], signatureAlgorithms: ONLY_SIGALGS[otherKind],
  })).then((o) => pickedSuite(o, 'TLSv1.3') !== null) : Promise.resolve(false);

  // Downgrade protection, compression, Heartbleed and CCS injection: a probe or two beside the rest (scan/checks.ts);
  // ROBOT with the leaf round 1 read, for a server with an RSA key exchange (scan/robot.ts).
  const checks = tops.size ? runChecks(ctx, tops, early?.features) : Promise.resolve(undefined);
  const robot: Promise<RobotResult> = early?.robot ?? (certDer?.length ? checkRobot(ctx, tops, certDer[0]) : Promise.resolve({ vulnerable: null }));
  // CBC padding oracles: six full handshakes of our own, at the newest TLS 1.0-1.2 version, once
  // a CBC suite our client can finish (AES, 3DES, Camellia, ARIA) is seen there: a server without one
  // costs nothing. Not before round 2's answers are in: begun with round 2, the handshakes' CPU
  // (ours and the server's) made the legacy bench server's answers at 50 ms come late enough,
  // one scan in three, for it to be judged to queue connections (1.5 s scans); begun once that
  // version's suites were all known, the check ended its scans 120 ms later. Not asked of a
  // server that serves one connection at a time (each handshake would hold it for a few round
  // trips) unless the caller says so; judged when the check would start, as a server can be
  // seen to queue connections late.
  const checkVersion = cbcVersion;
  const padding: Promise<PaddingOracleResult> = opts.paddingOracle === false ? Promise.resolve({ vulnerable: null, reason: 'not asked (--no-padding-oracle)' })
    : checkVersion === undefined ? Promise.resolve({ vulnerable: null, reason: 'no TLS 1.0-1.2' })
      : Promise.race([
        cbcSeen.promise.then(calm).then(() => true),
        shared.get(checkVersion)!.accepted.promise.then((accepted) => !!accepted?.some(checkableCbcSuite)),
      ]).then((cbc): PaddingOracleResult | Promise<PaddingOracleResult> => {
        if (!cbc) return { vulnerable: null, reason: `no CBC suite at ${checkVersion}` };
        if (ctx.queueing && opts.paddingOracle !== true) return { vulnerable: null, reason: 'not asked: the server serves one connection at a time (--padding-oracle asks it anyway)' };
        return checkPaddingOracle(ctx, checkVersion);
      });

  // Client-initiated renegotiation: a full handshake of our own with a ClientHello right behind its
  // Finished, at the newest TLS 1.0-1.2 version (two round trips). Far away, begun with round 2,
  // beside the enumeration; near, once every other probe is done (begun with round 2 it cost the
  // modern bench server on loopback 24 ms more, at the end 6; and openssl s_server -www, refusing
  // it, sleeps a second before it takes the next connection: the probes behind it waited that
  // second, 1.4 s scans in a differential campaign), with the ClientHello sent after the
  // server's Finished (net/tls12-client.ts afterServerFinished: Nagle's algorithm held gnutls-serv's
  // answer 40 ms otherwise). Not asked of a server judged to serve one connection at a time
  // unless the caller says so.
  const tls12Top = classicTop === 'SSLv3' ? undefined : classicTop;
  /** When a check's own handshakes may start: far, now; near, once the enumeration is done. */
  const ownTurn = () => (ctx.near ? Promise.all(work.values()) : Promise.resolve());
  /** Near, when the renegotiation check may start: once every other probe is done (resolved below). */
  const lastTurn = deferred<void>();
  const renegotiation: Promise<RenegotiationCheck> = opts.renegotiation === false ? Promise.resolve({ accepted: null, note: 'not asked (--no-renegotiation)' })
    : tls12Top === undefined ? Promise.resolve({ accepted: null, note: 'no TLS 1.0-1.2' })
      : ctx.queueing && opts.renegotiation !== true ? Promise.resolve({ accepted: null, note: 'not asked: the server serves one connection at a time (--renegotiation asks it anyway)' })
        : (ctx.near ? lastTurn.promise : Promise.resolve()).then(() => checkClientRenegotiation(ctx, tls12Top));

  // Session resumption, when asked: two full handshakes and two hellos, started at once far away
  // and once the enumeration is done near (ownTurn).
  const resumption: Promise<ResumptionCheck | undefined> = !opts.resumption ? Promise.resolve(undefined)
    : tls12Top === undefined ? Promise.resolve({ ids: null, tickets: null, note: 'no TLS 1.0-1.2' })
      : ownTurn().then(() => checkResumption(ctx, tls12Top));

  // The HTTPS request (Strict-Transport-Security), started as session resumption is (ownTurn): on
  // an HTTPS port, else once the ALPN check has shown an HTTP server. A server that serves one
  // connection at a time is asked too (one handshake, where the renegotiation and padding-oracle
  // checks hold it for several), once the enumeration is done: an in-process server on a busy
  // machine can look like one (the demo's, under CI load), and HSTS decides an A+.
  const webTop = [...tops.keys()].some((v) => v !== 'SSLv2' && v !== 'SSLv3');
  const httpTurn = () => (ctx.queueing ? Promise.all(work.values()) : ownTurn());
  const askHttp = () => httpTurn().then(() => ctx.ownHandshake('http', () => checkHttp(ep, ctx.timeoutMs), (r) => (r.status !== null ? `HTTP ${r.status}` : r.error ?? 'failed')));
  const notAsked = (note: string): HttpCheck => ({ status: null, hsts: null, note });
  const http: Promise<HttpCheck | undefined> = ep.starttls || !webTop ? Promise.resolve(undefined)
    : opts.http === false ? Promise.resolve(notAsked('not asked (--no-http)'))
      : opts.http === true || HTTPS_PORTS.includes(ep.port) ? askHttp()
        : checks.then((c) => (c?.alpn === 'h2' || c?.alpn === 'http/1.1' ? askHttp()
          : notAsked(`not asked: port ${ep.port} is no HTTPS port and the server named no HTTP protocol by ALPN (--http asks it anyway)`)));

  // Client simulation needs only the chain (to judge certificates as each client would).
  const anySupported = PROTOCOLS.some((v) => protocols.get(v)!.supported) || work.size > 0;
  const clients = opts.clients?.length && anySupported
    ? simulateClients(ep, opts.clients, (_ep, hello, o) => ctx.probe('clients', hello, o.readUntil), { timeoutMs: ctx.timeoutMs, concurrency: pool.limit, chain: certDer })
      .then(toClientResults)
    : Promise.resolve(undefined);
  // Groups run beside the suite enumeration: they only need to know which versions answered,
  // and round 1 already named the server's first choice.
  const leafCurve = certDer?.[0] ? new X509Certificate(certDer[0]).publicKey.asymmetricKeyDetails?.namedCurve : undefined;
  const hints: GroupHints = leafCurve && CERT_CURVE_GROUP[leafCurve] ? { certCurve: CERT_CURVE_GROUP[leafCurve] } : {};
  for (const { version, outcome } of first) {
    if (outcome.kind !== 'hello' || pickedSuite(outcome, version) === null) continue;
    if (version === 'TLSv1.3') hints.tls13 = outcome.serverHello.selectedGroup;
    else if (outcome.serverKeyExchange) hints.classic = describeCurve(outcome.serverHello.cipherSuite, outcome.serverKeyExchange) ?? hints.classic;
  }
  // The groups start from the versions round 1 found, unless a version it could not tell (asked
  // again in simpler forms) is TLS 1.3 or newer than the newest TLS <= 1.2 one it found: then once
  // that one is known (a gnutls-serv whose first choice for a full hello is a DHE suite it has no
  // parameters for answers every full hello with internal_error: its TLS 1.2 curves were missed).
  const groupsTurn = () => {
    const newest = CLASSIC_VERSIONS.findIndex((v) => tops.has(v));
    return Promise.all([...retried].filter(([v]) => v === 'TLSv1.3' || newest < 0 || CLASSIC_VERSIONS.indexOf(v) < newest).map(([, known]) => known));
  };
  const groupsFound = opts.skipGroups ? Promise.resolve([]) : groupsTurn().then(() => scanGroups(ctx, protocols, tops, hints));
  // The renegotiation check goes last: every other probe (suites, groups, the checks, ROBOT, the
  // padding oracle, the clients' hellos) done or failed, or the scan's deadline reached.
  void Promise.race([
    Promise.allSettled([...work.values(), groupsFound, checks, robot, padding, otherKindAnswers, clients]),
    new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true }))),
  ]).then(() => lastTurn.resolve());
  // Each part bounded (Overrun): one still running past the deadline's grace is abandoned, named.
  const abandoned = 'abandoned: still running past the scan deadline';
  const [groups, checked, robotResult, paddingResult, renegotiationResult, resumptionResult] = await Promise.all([
    overrun.bound('groups', groupsFound, []),
    overrun.bound('checks', checks, undefined),
    overrun.bound('ROBOT', robot, { vulnerable: null }),
    overrun.bound('padding oracle', padding, { vulnerable: null, reason: abandoned }),
    overrun.bound('renegotiation', renegotiation, { accepted: null, note: abandoned }),
    overrun.bound('resumption', resumption, undefined),
    ...[...work].map(([version, done]) => overrun.bound(`suites of ${version}`, done, undefined)),
  ]);
  // The ffdhe groups a TLS <= 1.2 DHE server negotiates, beside the curves (versions, not ranks:
  // a rank is the TLS 1.3 order, which these probes do not ask).
  const negotiated = ffdhe ? await overrun.bound('ffdhe groups', ffdhe, undefined) : undefined;
  if (negotiated) addGroups(groups, negotiated.groups, negotiated.version);
  const clientResults = await overrun.bound('client simulation', clients, undefined);
  const httpResult = await overrun.bound('HTTPS request', http, undefined);

  // Certificates: from the clear-text Certificate message when TLS <= 1.2 was spoken,
  // else from the Certificate message of our own TLS 1.3 handshake, decrypted (net/tls13-chain.ts),
  // started beside the rest of the scan when round 1 already showed TLS 1.3 (tls13Chain above).
  if (!certDer && protocols.get('TLSv1.3')!.supported && !deadline.aborted) {
    const early = tls13Chain ? await overrun.bound('TLS 1.3 certificate chain', tls13Chain, undefined) : undefined;
    const sent = early ?? (!tls13Chain || pipedChain ? await overrun.bound('TLS 1.3 certificate chain', readChain(), undefined) : undefined);
    if (sent) certDer = sent;
    tellChain(certDer);
    if (!early) otherOf13 = tls13Other(certDer);
  } else otherOf13 = undefined;
  (certDer ?? []).forEach((der, i) => certificates.push(describeCertificate(der, i)));
  const alternateChains: AlternateChain[] = [];
  for (const [auth, chain] of alternates) {
    const got = await overrun.bound(`${auth} certificate chain`, chain, undefined);
    if (!got || !certDer?.[0] || Buffer.compare(got.der[0]!, certDer[0]) === 0) continue;
    alternateChains.push({ auth, suite: got.suite, certificates: got.der.map((der, i) => describeCertificate(der, i)) });
  }
  if (otherKind && !alternateChains.some((a) => a.auth === otherKind) && !deadline.aborted && await overrun.bound('TLS 1.3 other-key hello', otherKindAnswers, false)) {
    otherOf13 = tls13Other(certDer);
  }
  const other13 = otherOf13 && await overrun.bound('TLS 1.3 other-key chain', otherOf13, undefined);
  if (other13?.der[0] && certDer?.[0] && Buffer.compare(other13.der[0], certDer[0]) !== 0) {
    alternateChains.push({ auth: other13.auth, certificates: other13.der.map((der, i) => describeCertificate(der, i)) });
  }
  // The signature algorithms, once the suites and the server's keys are known: each scheme that
  // fits one of its keys offered alone (one more round of probes, when asked).
  const keyTypes = [...new Set([certificates[0], ...alternateChains.map((a) => a.certificates[0])].map((c) => c?.keyType).filter((k): k is string => !!k))];
  const signatureAlgorithms = opts.sigalgs && keyTypes.length && !deadline.aborted
    ? await overrun.bound('signature algorithms', scanSignatureAlgorithms(ctx, { protocols, keyTypes, chainOptions }), undefined)
    : undefined;
  // SCTs of the TLS extension are about the leaf: beside its embedded ones.
  if (tlsScts?.length && certificates[0]) certificates[0].scts = [...(certificates[0].scts ?? []), ...tlsScts];

  if (!PROTOCOLS.some((v) => protocols.get(v)!.supported)) {
    const why = first.filter((p) => p.outcome.kind !== 'hello').map((p) => `${p.version}: ${describeOutcome(p.outcome)}`);
    const text = first.map((p) => p.outcome).find((o): o is Extract<ProbeOutcome, { kind: 'failed' }> => o.kind === 'failed' && o.plainText !== undefined);
    // unrecognized_name (112) to a hello without SNI: nginx's ssl_reject_handshake, a CDN's edge.
    const needsName = !ep.sni && first.some((p) => p.outcome.kind === 'alert' && p.outcome.description === 112);
    if (text) {
      ctx.error('protocols', `${ep.host}:${ep.port} does not speak TLS: it answered in plain text ("${text.plainText}")${plainTextService(text.plainText!)}`, 'not-tls', { plainText: text.plainText! });
    } else if (needsName) {
      ctx.error('protocols', `no SSL/TLS version was accepted without a server name: the server answers unrecognized_name to a hello without SNI (it serves only the names it is configured for): scan it by host name, or give --sni NAME (${why.join('; ')})`, 'sni-required', { alerts: why.join('; ') });
    } else ctx.error('protocols', `no SSL/TLS version was accepted (${why.join('; ')})`, 'no-tls');
  }
  if (deadline.aborted && !ctx.stalled) ctx.error('deadline', `scan stopped at its deadline of ${opts.scanTimeoutMs ?? DEFAULTS.scanTimeoutMs} ms; results are partial`, 'deadline');
  if (overrun.abandoned.length) {
    ctx.error('deadline', `${overrun.abandoned.join(', ')}: still running ${overrun.graceMs} ms after the scan's deadline, abandoned (a fault of tlsdoctor's: please report it)`, 'overrun');
  }
  const lost = ctx.noAnswers();
  if (lost) ctx.error('probes', lost, 'incomplete');
  ctx.stopStock();

  opts.onStats?.(ctx.probesBy);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'tlsdoctor', version: VERSION },
    target: { host: ep.host, port: ep.port, address: ep.address, sni: ep.sni, ...(ep.starttls ? { starttls: ep.starttls } : {}), ...(ep.addresses ? { addresses: ep.addresses } : {}) },
    startedAt,
    durationMs: Date.now() - started,
    protocols: PROTOCOLS.map((v) => protocols.get(v)!),
    groups,
    certificates,
    ...(alternateChains.length ? { alternateChains } : {}),
    ...(signatureAlgorithms ? { signatureAlgorithms } : {}),
    features: { ...serverFeatures(ctx, first, tls13Request), ocspStapling: staple === undefined ? null : staple !== null,
      sctExtension: tlsScts === undefined ? null : tlsScts.length > 0,
      ...(staple ? { ocspResponse: Buffer.from(staple).toString('base64') } : {}),
      ...(checked ?? NOT_CHECKED),
      ...(checked?.alpn === undefined && tls13Alpn !== undefined ? { alpn: tls13Alpn } : {}),
      robot: robotResult.vulnerable, ...(robotResult.reactions ? { robotReactions: robotResult.reactions } : {}),
      ...paddingFeatures(paddingResult), ...renegotiationFeatures(renegotiationResult),
      ...kxReuseFeatures(ctx),
      ...(resumptionResult ? { sessionResumptionIds: resumptionResult.ids, sessionResumptionTickets: resumptionResult.tickets, ...(resumptionResult.note ? { sessionResumptionNote: resumptionResult.note } : {}) } : {}) },
    ...(httpResult ? { http: httpResult } : {}),
    findings: [],
    ...(clientResults ? { clients: clientResults } : {}),
    errors: ctx.errors,
  };
}

/** The renegotiation check's answer as ServerFeatures fields. */
function renegotiationFeatures(r: RenegotiationCheck): Pick<ServerFeatures, 'clientRenegotiation' | 'clientRenegotiationAnswer' | 'clientRenegotiationNote'> {
  return {
    clientRenegotiation: r.accepted,
    ...(r.answer && r.answer !== 'no answer' && r.answer !== 'own close' ? { clientRenegotiationAnswer: r.answer } : {}),
    ...(r.accepted === null && r.note ? { clientRenegotiationNote: r.note } : {}),
  };
}

/** The padding-oracle check's answer as ServerFeatures fields. */
function paddingFeatures(r: PaddingOracleResult): Pick<ServerFeatures, 'paddingOracle' | 'paddingOracleKind' | 'paddingOracleReactions' | 'paddingOracleControl' | 'paddingOracleNote'> {
  return {
    paddingOracle: r.vulnerable,
    ...(r.kind ? { paddingOracleKind: r.kind } : {}),
    ...(r.reactions ? { paddingOracleReactions: r.reactions } : {}),
    ...(r.control ? { paddingOracleControl: r.control } : {}),
    ...(r.vulnerable === null && r.reason ? { paddingOracleNote: r.reason } : {}),
  };
}

/**
 * The result line of a target that could not be reached at all (the CLI's
 * --json still prints one object per target): nothing supported, the reason
 * in `errors`.
 */
export function unreachableResult(target: { host: string; port: number; sni: string | null; address?: string; resolveTo?: string[] }, message: string): ScanResult {
  // A target with its address set (one of a name's addresses, --all-addresses) names it.
  const addresses = target.address !== undefined && target.resolveTo && target.resolveTo.length > 1 ? { addresses: [...target.resolveTo] } : {};
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'tlsdoctor', version: VERSION },
    target: { host: target.host, port: target.port, address: target.address ?? null, sni: target.sni, ...addresses },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    protocols: PROTOCOLS.map((version) => ({ version, supported: false, serverPreference: null, cipherSuites: [] })),
    groups: [],
    certificates: [],
    findings: [],
    errors: [{ stage: 'connect', message, code: 'unreachable' }],
  };
}

/** When the afterRound1 work starts against a server that queues connections (round 2's first window is out by then). */
const AFTER_ROUND1_QUEUEING_MS = 30;

/**
 * Round 1: every version's full hello at once, sent so that it also tells
 * whether the server serves one connection at a time and whether pipelined
 * closes (net/probe.ts) are safe with it:
 * - first, the TLS 1.2 hello with a pipelined close, then plain. A server
 *   that serves one connection at a time answers both, a handshake apart,
 *   is then held by the plain one for a round trip, and answers every later
 *   probe of the round a round trip late: judgeQueueing sees that, and
 *   earlyVerdict sees it coming, so that the TLS 1.2 work can start then
 *   (`onEarly`);
 * - then every other version's hello with a pipelined close, and SSLv2's,
 *   which has no close to pipeline;
 * - last, the other versions' hellos plain, for a path that drops pipelined
 *   data (a silent close). They are withdrawn once the two TLS 1.2 answers
 *   agree, or once their pipelined twin is answered: on a server that
 *   serves one connection at a time each would hold the server a round trip
 *   more, and the rest of the scan with it.
 * A version's answer is its pipelined hello's, unless that was a silent
 * close. Should the server answer TLS 1.2 differently with a pipelined close
 * (or TLS 1.3, when there is no TLS 1.2 to compare), the versions answered
 * with one are asked again plainly.
 */
async function roundOne(ctx: ScanContext, onEarly?: (tls12: ProbeOutcome) => void): Promise<VersionProbe[]> {
  // Led by an ECDHE AES-GCM suite (chachaNotFirst), as mainstream clients' lists are: Go's
  // crypto/tls picks by its ChaCha20-first order for a client whose first suite it knows is no
  // ECDHE or TLS 1.3 AES-GCM one, and in code order that is an RC4 or 3DES suite (a Go server's
  // first choice was ChaCha20 here, not the AES-GCM one AES-GCM-first clients get and sslscan
  // reports).
  const hellos = new Map(PROTOCOLS.map((v) => [v, v === 'SSLv2'
    ? sslv2Hello(SSLV2_CIPHER_KINDS.map((k) => k.code))
    : scanHello({ version: v, suites: chachaNotFirst(candidateSuites(v)), sni: ctx.ep.sni, statusRequest: true })]));
  const ask = (v: ProtocolName, purpose: string, pipelined: boolean, withdraw?: AbortSignal) =>
    ctx.probe(purpose, hellos.get(v)!, v === 'SSLv2' ? 'serverHello' : 'serverHelloDone', pipelined, pipelined ? 'pipelined' : 'plain', withdraw);
  const started = performance.now();
  const piped = new Map<ProtocolName, Promise<ProbeOutcome>>();
  piped.set('TLSv1.2', ask('TLSv1.2', 'pipeline-check', true));
  const plain12 = ask('TLSv1.2', 'protocols', false);
  void plain12.then((o) => { ctx.holdAnswered = performance.now(); ctx.speaksTls12 = pickedSuite(o, 'TLSv1.2') !== null; });
  // A port that answers TLS in plain text (HTTP, SSH, SMTP) speaks no SSL 2.0 either, and may wait
  // for a line end the SSL 2.0 hello never sends: that probe is withdrawn, not left to time out.
  const sslv2Withdraw = new AbortController();
  void plain12.then((o) => { if (o.kind === 'failed' && o.plainText !== undefined) sslv2Withdraw.abort(WITHDRAWN); });
  const withdraw = new Map<ProtocolName, AbortController>();
  const plain = new Map<ProtocolName, Promise<ProbeOutcome>>();
  const askPlain = (v: ProtocolName) => {
    withdraw.set(v, new AbortController());
    plain.set(v, ask(v, 'protocols', false, withdraw.get(v)!.signal));
  };
  // TLS 1.3's plain hello goes right behind TLS 1.2's: a server that speaks only TLS 1.3 answers
  // the TLS 1.2 one with an alert, which holds nothing, but its answer to this one (a ServerHello
  // or a HelloRetryRequest) holds a server that serves one connection at a time until the close,
  // and the rest of the round comes back a round trip late: judgeQueueing sees it at the end of
  // round 1, not after round 2's plain probes have held it one by one (gnutls-serv, TLS 1.3 only,
  // 50 ms away: 2.5 s, SYNs lost to its listen backlog, then 0.5 s). A server that speaks TLS
  // 1.2 answers it too when its TLS 1.2 hold ends (unless it was withdrawn by then), or at once
  // with an alert when it does not speak TLS 1.3.
  askPlain('TLSv1.3');
  for (const v of PROTOCOLS) {
    if (v === 'TLSv1.2') continue;
    piped.set(v, v === 'SSLv2' ? ask(v, 'protocols', false, sslv2Withdraw.signal) : ctx.probe('protocols', hellos.get(v)!, 'serverHelloDone', true, 'none'));
  }
  for (const v of PROTOCOLS) if (v !== 'SSLv2' && v !== 'TLSv1.2' && v !== 'TLSv1.3') askPlain(v);
  // Once the TLS 1.2 hello was answered alike with a pipelined close and without, the path carries
  // pipelined closes: the plain twins are withdrawn at once, before they can hold a server that
  // serves one connection at a time (a version whose pipelined hello then meets a silent close
  // is asked plainly after all).
  const agreed = Promise.all([piped.get('TLSv1.2')!, plain12]).then(([a, b]) => {
    const suite = pickedSuite(b, 'TLSv1.2');
    return suite !== null && pickedSuite(a, 'TLSv1.2') === suite;
  });
  const settled = new Map<ProtocolName, ProbeOutcome>();
  for (const [v, p] of piped) void p.then((o) => settled.set(v, o));
  void agreed.then((yes) => {
    if (!yes) return;
    // Not those whose pipelined twin was already closed without an answer: they answer for it.
    for (const [v, c] of withdraw) if (!silentClose(settled.get(v) ?? PENDING)) c.abort(WITHDRAWN);
  });
  if (onEarly) void earlyVerdict(ctx, started, agreed, plain12, PROTOCOLS.filter((v) => v !== 'TLSv1.2').map((v) => piped.get(v)!)).then((o) => { if (o) onEarly(o); });
  // TLS 1.3's plain answer is kept to compare with the pipelined one when TLS 1.2 gives none.
  const keep13 = plain12.then((o) => pickedSuite(o, 'TLSv1.2') === null);
  const answer = async (v: ProtocolName): Promise<ProbeOutcome> => {
    if (v === 'TLSv1.2') return plain12;
    const p = await piped.get(v)!;
    if (v === 'SSLv2') return p;
    if (silentClose(p)) {
      const q = await plain.get(v)!;
      return q.kind === 'failed' && withdraw.get(v)!.signal.aborted && !ctx.signal.aborted ? ask(v, 'protocols', false) : q;
    }
    if (v !== 'TLSv1.3' || !(await keep13)) withdraw.get(v)!.abort(WITHDRAWN);
    return p;
  };
  let first = await Promise.all(PROTOCOLS.map(async (version): Promise<VersionProbe> => ({ version, outcome: await answer(version) })));
  const byVersion = (v: ProtocolName) => first.find((p) => p.version === v)!.outcome;
  const pipelined: VersionProbe[] = [{ version: 'TLSv1.2', outcome: await piped.get('TLSv1.2')! }, { version: 'TLSv1.3', outcome: await piped.get('TLSv1.3')! }];
  const plainTwins: VersionProbe[] = [{ version: 'TLSv1.2', outcome: byVersion('TLSv1.2') }];
  if (await keep13) plainTwins.push({ version: 'TLSv1.3', outcome: await plain.get('TLSv1.3')! });
  // A pipelined twin closed without any answer, whose plain twin was answered with a suite, is
  // asked once more before pipelined closes are judged not to work: a relay can lose a flight the
  // server closed right behind (the shared latency proxy does, the more often the busier it is:
  // openssl s_server -tls1_3 50 ms away lost its pipelined TLS 1.3 answer in most scans, and with
  // pipelined closes off each later probe held it a round trip: 1.6 s instead of 0.6 s).
  // (Its answer comes a round trip after the others: it does not time the server's handshakes.)
  const timed = [ctx.pipelinedHellos.length, ctx.pipelinedAnswers.length] as const;
  // (Only for a server that looks like it serves one connection at a time, where pipelined closes
  // are used: elsewhere the answer would cost round 1 a round trip for nothing.)
  const queueing = ctx.looksQueueing();
  await Promise.all(pipelined.map(async (p, i) => {
    const twin = plainTwins.find((q) => q.version === p.version);
    if (!queueing || !twin || !silentClose(p.outcome) || pickedSuite(twin.outcome, p.version) === null) return;
    pipelined[i] = { version: p.version, outcome: await ask(p.version, 'protocols', true) };
  }));
  ctx.pipelinedHellos.length = timed[0];
  ctx.pipelinedAnswers.length = timed[1];
  // A server that speaks neither TLS 1.2 nor TLS 1.3 leaves no plain answer to compare (the other
  // versions' plain hellos are withdrawn once their pipelined twins are answered): when it serves
  // one connection at a time, where pipelined closes matter, the newest version it answered is
  // asked plainly now (gnutls-serv with TLS 1.0 and 1.1 only, 50 ms away: 4.9 s with every probe
  // plain, each holding it a round trip).
  if (!comparedTwins(pipelined, plainTwins).length && queueing) {
    const v = (['TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find((x) => pickedSuite(byVersion(x), x) !== null && byVersion(x) === settled.get(x));
    if (v) {
      pipelined.push({ version: v, outcome: byVersion(v) });
      plainTwins.push({ version: v, outcome: await ask(v, 'protocols', false) });
    }
  }
  ctx.pipelineVerified = pipelinedClosesWork(pipelined, plainTwins);
  if (pipelinedClosesDiffer(pipelined, plainTwins)) {
    // Answers to pipelined hellos may not be what the server would say: ask those versions plainly.
    first = await Promise.all(first.map(async (p) => {
      const fromPiped = p.version !== 'SSLv2' && p.version !== 'TLSv1.2' && p.outcome === await piped.get(p.version)!;
      return fromPiped && p.outcome.kind !== 'hello' ? { version: p.version, outcome: await ask(p.version, 'protocols', false) } : p;
    }));
  }
  return first;
}

/** A pipelined twin not answered yet (for the withdrawal of the plain ones). */
const PENDING: ProbeOutcome = { kind: 'failed', code: 'aborted', message: 'not answered yet' };

/**
 * When the early verdict looks: this long after the quickest answer (the
 * larger of the two), with at least EARLY_PENDING_MIN of the other
 * versions' probes still out. A server that serves one connection at a time
 * holds all of them a round trip; one that serves at once answers them
 * within its work on a few handshakes. Sooner and stricter than
 * judgeQueueing's "late" (half the quickest again), which confirms or undoes
 * the verdict: 3des bench server at 50 ms, the TLS 1.2 work starts about
 * 25 ms sooner.
 */
const EARLY_MARGIN_MS = 10;
const EARLY_MARGIN_SHARE = 0.2;
const EARLY_PENDING_MIN = 3;

/**
 * The early verdict on a server that serves one connection at a time (see
 * ScanContext.judgeEarly): the TLS 1.2 answers, pipelined and plain, agree
 * on a suite, and at least EARLY_PENDING_MIN other probes of round 1 are
 * still out a little after the quickest answer. Resolves to the plain TLS 1.2 answer
 * when the server was judged so, else to undefined.
 */
async function earlyVerdict(
  ctx: ScanContext, started: number, agreed: Promise<boolean>, plain12: Promise<ProbeOutcome>, others: Promise<ProbeOutcome>[],
): Promise<ProbeOutcome | undefined> {
  let pending = others.length;
  for (const p of others) void p.finally(() => { pending--; });
  if (!(await agreed) || !ctx.answerTimes.length) return undefined;
  const quickest = Math.min(...ctx.answerTimes);
  const lateAt = started + quickest + Math.max(EARLY_MARGIN_MS, quickest * EARLY_MARGIN_SHARE);
  const wait = lateAt - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  if (pending < EARLY_PENDING_MIN) return undefined;
  if (!ctx.judgeEarly(Math.max(0, ctx.holdAnswered - Math.max(...ctx.pipelinedHellos)))) return undefined;
  return plain12;
}

/**
 * The versions whose plain hello was answered with a suite: that suite, and
 * the one chosen for the same hello with a pipelined close (null: none).
 */
function comparedTwins(pipelined: VersionProbe[], plain: VersionProbe[]): { withClose: number | null; without: number }[] {
  return pipelined.flatMap((p) => {
    const q = plain.find((x) => x.version === p.version);
    const without = q ? pickedSuite(q.outcome, q.version) : null;
    return without === null ? [] : [{ withClose: pickedSuite(p.outcome, p.version), without }];
  });
}

/** For some version, the server answered a plain hello with a suite and the same hello with a pipelined close otherwise. */
export function pipelinedClosesDiffer(pipelined: VersionProbe[], plain: VersionProbe[]): boolean {
  return comparedTwins(pipelined, plain).some((c) => c.withClose !== c.without);
}

/**
 * Pipelined closes are used when the server chose a suite for some version's
 * plain hello, and the same suite for each such hello with a pipelined close.
 */
export function pipelinedClosesWork(pipelined: VersionProbe[], plain: VersionProbe[]): boolean {
  const compared = comparedTwins(pipelined, plain);
  return compared.length > 0 && compared.every((c) => c.withClose === c.without);
}

/** Every suite a client may offer at this version, excluding signalling values. */
export function candidateSuites(version: ProtocolName): number[] {
  // TLS_NULL_WITH_NULL_NULL is never a valid choice; offering it only upsets some servers.
  return suitesForVersion(version).filter((s) => s.code !== 0).map((s) => s.code);
}

function describeOutcome(o: ProbeOutcome): string {
  switch (o.kind) {
    case 'failed': return o.message;
    case 'alert': return `alert ${o.name}`;
    case 'sslv2': return 'SSLv2 answer';
    case 'hello': return `answered with version 0x${o.serverHello.version.toString(16).padStart(4, '0')}`;
  }
}

/** What kind of service a plain-text answer looks like, as a few words after the quote ('' when unknown). */
export function plainTextService(line: string): string {
  if (/^HTTP\/\d/.test(line) || /^<(!DOCTYPE|html)/i.test(line)) return ': an HTTP server (http:// rather than https://, or the wrong port)';
  if (/^SSH-\d/.test(line)) return ': an SSH server';
  if (/^220[ -].*\bE?SMTP\b/i.test(line)) return ': an SMTP server greeting (it may offer TLS after --starttls smtp; port 465 speaks TLS at once)';
  if (/^220[ -].*FTP/i.test(line)) return ': an FTP server greeting (it may offer TLS after --starttls ftp)';
  if (/^220[ -]/.test(line)) return ': an SMTP or FTP server greeting (it may offer TLS after --starttls smtp or ftp)';
  if (/^\+OK/.test(line)) return ': a POP3 server (--starttls pop3)';
  if (/^\* OK/.test(line)) return ': an IMAP server (--starttls imap)';
  return '';
}

function noteFailure(ctx: ScanContext, version: ProtocolName, o: ProbeOutcome): void {
  // (A probe withdrawn because its question was answered otherwise is no failure of the server.)
  // (Nor an answer in plain text: the scan's summary quotes it once.)
  if (o.kind === 'failed' && o.code !== 'closed' && o.code !== 'reset' && o.code !== 'refused' && o.code !== 'aborted' && o.plainText === undefined) {
    ctx.error(`protocols:${version}`, `${o.code}: ${o.message}`, o.code);
  }
}

/**
 * A short, conservative hello for servers that did not answer the full one:
 * the suites almost every server has, as old clients sent them.
 */
const CONSERVATIVE_SUITES = [
  0xc02f, 0xc030, 0xc02b, 0xc02c, 0xcca8, 0xcca9, 0xc013, 0xc014, 0xc009, 0xc00a,
  0x009c, 0x009d, 0x002f, 0x0035, 0x0033, 0x0039, 0x000a, 0x0016, 0x0005, 0x0004,
];
const CONSERVATIVE_TLS13 = [0x1301, 0x1302, 0x1303];
/** TLS 1.3 signature algorithms (IANA code points) that only one kind of certificate key can answer. */
const ONLY_SIGALGS: Record<'RSA' | 'ECDSA', number[]> = {
  RSA: [0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b],
  ECDSA: [0x0403, 0x0503, 0x0603],
};

/** Versions whose hellos can go without extensions (SSL 3.0's always do; TLS 1.3 needs supported_versions). */
const BARE_RETRY: ProtocolName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'];

/**
 * Alerts with which a server says it could not read a hello (unexpected_message,
 * illegal_parameter, decode_error, unsupported_extension: RFC 5246 §7.2.2, RFC 8446
 * §6.2), rather than that it does not speak the version or share a suite: worth asking
 * again in a simpler form.
 */
const PARSE_ALERTS = new Set([10, 47, 50, 110]);
function refusedToParse(o: ProbeOutcome): boolean {
  return o.kind === 'alert' && PARSE_ALERTS.has(o.description);
}

/** Enumerates, orders and annotates the suites of one supported (or maybe-supported) version. */
interface CompleteOptions {
  top?: number; tolerant: boolean; ske?: Uint8Array;
  /** The server's DH group, for a version (one probe shared by the versions). */
  dh: (version: ProtocolName) => Promise<DhParams | undefined>;
  /** Told each suite found accepted at this version, the first choice included. */
  onSuite?: (version: ProtocolName, code: number) => void;
  /** Without `top`: the full hello was refused with internal_error (no sign of intolerance, see failedInternally). */
  internalError?: boolean;
  /** Without `top`: told the first choice once a simpler hello found one. */
  onTop?: (code: number) => void;
}

const CLASSIC_VERSIONS: ProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];

/** What each version learned, for the older versions that start from it. */
type SharedFindings = Map<ProtocolName, {
  accepted: Deferred<number[] | null>;
  /** The order guessed for that version (published before it is checked). */
  order: Deferred<number[] | null>;
  /** The order once checked: what an older version sorts from when the guess proved wrong there. */
  checked: Deferred<number[] | null>;
}>;

/** features.kxReuse and the samples it compared (scan/kx-reuse.ts). */
function kxReuseFeatures(ctx: ScanContext): Pick<ServerFeatures, 'kxReuse' | 'kxReuseSamples'> {
  const samples = ctx.kxKeys.samples();
  return { kxReuse: ctx.kxKeys.verdict(), ...(samples.length ? { kxReuseSamples: samples } : {}) };
}

/** ServerFeatures from round 1: the ServerHello of the newest TLS <= 1.2 version answered (with extensions offered). */
function serverFeatures(ctx: ScanContext, first: VersionProbe[], tls13Request?: { body: Uint8Array | undefined }): ServerFeatures {
  const out: ServerFeatures = { secureRenegotiation: null, extendedMasterSecret: null, version: null, clientCertificate: null };
  for (const version of CLASSIC_VERSIONS) {
    const o = first.find((p) => p.version === version)?.outcome;
    if (o?.kind !== 'hello' || o.serverHello.version !== VERSION_CODE[version]) continue;
    if (o.helloDone) out.clientCertificate = clientCertificate(o.certificateRequest, version, (b) => parseCertificateRequest(b, VERSION_CODE[version]));
    if (ctx.bare.has(version)) break;
    Object.assign(out, { secureRenegotiation: o.serverHello.secureRenegotiation, extendedMasterSecret: o.serverHello.extendedMasterSecret, version });
    break;
  }
  if (!out.clientCertificate && tls13Request) out.clientCertificate = clientCertificate(tls13Request.body, 'TLSv1.3', parseCertificateRequest13);
  // RFC 8446 section 4.1.3: a server that speaks TLS 1.3 marks the random of a TLS 1.2 ServerHello,
  // so that a TLS 1.3 client sees a downgrade. Round 1 asked both versions.
  const tls12 = first.find((p) => p.version === 'TLSv1.2')?.outcome;
  const tls13 = first.find((p) => p.version === 'TLSv1.3')?.outcome;
  if (tls12 && tls13 && pickedSuite(tls12, 'TLSv1.2') !== null && pickedSuite(tls13, 'TLSv1.3') !== null && tls12.kind === 'hello') {
    out.downgradeSentinel = tls12.serverHello.downgradeSentinel === 'tls12';
  }
  return out;
}

/**
 * The SCTs of a round-1 ServerHello's signed_certificate_timestamp extension ([] when it has
 * none, or when they do not parse: a malformed list proves no logging).
 */
export function sctsOfHello(o: Extract<ProbeOutcome, { kind: 'hello' }>): Sct[] {
  return sctsOfExtension(o.serverHello.extensions.find((e) => e.type === ExtensionType.sct)?.data);
}

/** The SCTs of a signed_certificate_timestamp extension's data (a ServerHello's, or a TLS 1.3 leaf entry's); [] for none or a malformed list. */
export function sctsOfExtension(data: Uint8Array | undefined): Sct[] {
  if (!data) return [];
  try { return parseSctList(data, 'tls'); } catch { return []; }
}

/** The SCTs of a TLS 1.3 Certificate's leaf entry (its signed_certificate_timestamp extension, RFC 8446 §4.4.2.1). */
export function sctsOfLeafEntry(entries: readonly CertificateEntry[]): Sct[] {
  return sctsOfExtension(entries[0]?.extensions.find((e) => e.type === ExtensionType.sct)?.data);
}

/**
 * The OCSPResponse a TLS <= 1.2 flight stapled (CertificateStatus, RFC 6066
 * section 8: status_type 1 = ocsp, a 24-bit length, the response); null when
 * the flight was read to its end without one; undefined when it was not.
 */
function ocspOfStatus(o: Extract<ProbeOutcome, { kind: 'hello' }>): Uint8Array | null | undefined {
  if (!o.certificateStatus) return o.helloDone ? null : undefined;
  return ocspOfStatusBody(o.certificateStatus);
}

/** The OCSPResponse of a CertificateStatus body (status_type 1 = ocsp, uint24 length); undefined when malformed. */
function ocspOfStatusBody(s: Uint8Array | undefined): Uint8Array | undefined {
  if (!s || s.length < 4 || s[0] !== 1) return undefined;
  const len = (s[1]! << 16) | (s[2]! << 8) | s[3]!;
  return len > 0 && 4 + len <= s.length ? s.subarray(4, 4 + len) : undefined;
}

/** What a CertificateRequest (or its absence from a complete flight) says; a malformed one counts as a request naming no CA. */
function clientCertificate(body: Uint8Array | undefined, version: ProtocolName, parse: (b: Uint8Array) => CertificateRequest): ServerFeatures['clientCertificate'] {
  if (!body) return { requested: false, authorities: [], version };
  let authorities: string[] = [];
  try { authorities = parse(body).certificateAuthorities.map(distinguishedNameText); } catch { /* requested all the same */ }
  return { requested: true, authorities, version };
}

/** Where an older version finds the suites and order of the newer one to start from. */
const ORDER_SOURCE: Partial<Record<ProtocolName, ProtocolName>> = { 'TLSv1.1': 'TLSv1.2', 'TLSv1.0': 'TLSv1.2', SSLv3: 'TLSv1.0' };

async function completeVersion(
  ctx: ScanContext,
  result: ProtocolResult,
  o: CompleteOptions,
  shared: SharedFindings,
): Promise<void> {
  const version = result.version;
  const candidates = candidateSuites(version);
  let top = o.top;
  if (top === undefined) {
    // The full hello got no answer: retry once with a short one before giving up on the version.
    const short = (version === 'TLSv1.3' ? CONSERVATIVE_TLS13 : CONSERVATIVE_SUITES).filter((c) => candidates.includes(c));
    const out = await ctx.probe('protocols', scanHello({ version, suites: short, sni: ctx.ep.sni }));
    let chosen = pickedSuite(out, version);
    const dropped = out.kind === 'failed' && (out.code === 'closed' || out.code === 'reset');
    if (chosen === null && (dropped || refusedToParse(out)) && BARE_RETRY.includes(version)) {
      // Dropped or refused again: maybe intolerance of extensions, as SSL 3.0-era stacks had it.
      // The same short hello without any; if that is answered, every hello of this version goes
      // bare. (A server that does not answer at all is not asked a third time.)
      const bare = await ctx.probe('protocols', scanHello({ version, suites: short, sni: ctx.ep.sni, bare: true }));
      chosen = pickedSuite(bare, version);
      if (chosen !== null) {
        ctx.bare.add(version);
        ctx.onNote?.(`${version}: answered only without extensions; its hellos go bare from now on`);
        ctx.error(`protocols:${version}`, 'the server answers only ClientHellos without extensions (extension intolerance): this version was scanned with such hellos, in small sets; a client that sends extensions (every current one) cannot connect with it', 'extension-intolerance');
      }
    } else if (chosen !== null && !o.internalError) {
      ctx.error(`protocols:${version}`, 'the server did not answer a full-length ClientHello but answered a short one (hello intolerance); suites were enumerated in small sets', 'intolerance');
    }
    if (chosen === null && (failedInternally(out) || o.internalError)) {
      // internal_error: the server picked a suite it cannot use (gnutls-serv's DHE without DH
      // parameters) and may take others: found by elimination, internal_error splitting a set
      // (scan/ciphers.ts), then its choice among them. So too when only the full hello met it and
      // the short one, without the suites the server can use, was refused (gnutls-serv with DHE
      // and RSA suites, AES-CCM-8 its only ciphers: TLS 1.2 was reported absent; found by a
      // differential campaign).
      const found = await enumerateSuites(ctx, version, candidates, { known: [], tolerant: false });
      if (found.accepted.length) chosen = pickedSuite(await ctx.probe('protocols', ctx.hello({ version, suites: found.accepted, sni: ctx.ep.sni })), version);
    }
    if (chosen === null) return;
    top = chosen;
    result.supported = true;
    o.onTop?.(top);
  }
  // The DH group size is asked once a DHE suite is found here (or is the first choice): a server
  // without one (most) costs no probe.
  let dhProbe: Promise<DhParams | undefined> | undefined;
  const wantDh = (code: number) => { if (version !== 'TLSv1.3' && suiteByCode(code)?.kx === 'DHE') dhProbe ??= o.dh(version); };
  wantDh(top);
  o.onSuite?.(version, top);
  // Every answer to an offered pair, kept for the order guess (read only if the server has an order).
  const answered: { offered: number[]; chosen: number }[] = [];
  // Answers by the exact list offered: the preference check and the ChaCha20 one may ask the same hello.
  const asked = new Map<string, Promise<number | null>>();
  const chooser = (purpose: string) => (offered: number[]): Promise<number | null> => {
    const key = `${purpose}:${offered.join(',')}`;
    let p = asked.get(key);
    if (!p) {
      p = ctx.probe(purpose, ctx.hello({ version, suites: offered, sni: ctx.ep.sni })).then((out) => {
        const chosen = pickedSuite(out, version);
        // A hello led by a ChaCha20 suite may be answered out of the server's order (scan/chacha.ts).
        if (chosen !== null && offered.includes(chosen) && chachaNotFirst(offered)[0] === offered[0]) answered.push({ offered, chosen });
        return chosen;
      });
      asked.set(key, p);
    }
    return p;
  };
  const choose = chooser(`order:${version}`);
  // The order's questions never start with a ChaCha20 suite (scan/chacha.ts): a pair is the same
  // question either way round to a server with an order, which is when the answers count.
  const inOrder = (c: (offered: number[]) => Promise<number | null>) => (offered: number[]) => c(chachaNotFirst(offered));
  // Server or client order? Asked as soon as a second suite is known, beside the enumeration.
  // The first few suites found are compared pairwise as soon as both are known, so that a short
  // list is ordered one round after its last suite is found (a long one is sorted from a guess;
  // the pairs already asked serve it too). Against a server that queues connections, as many as
  // a short list has: there the enumeration's rounds leave the window half empty, and all the
  // pairs of a short list are asked anyway; elsewhere only the first few, which a long list
  // would mostly waste. These pairs are a guess, and do not jump the queue as order checks do
  // (ScanContext): the enumeration they would hold up is what the order waits for.
  const pairs = new Map<string, Promise<number | null>>();
  const precedence = new Precedence<number>();
  const compare = memoChooser(inOrder(choose), pairs, precedence);
  const early = memoChooser(inOrder(chooser(`pairs:${version}`)), pairs, precedence);
  const found: number[] = [];
  const source = ORDER_SOURCE[version];
  let clientOrder = false;
  // Asked before the preference is known (a round sooner), and stopped once it says client order.
  // An older version sorts from the newer one's order instead.
  const comparePairs = (x: number) => {
    if (clientOrder || source || found.length > (ctx.queueing ? ALL_PAIRS_MAX : EARLY_PAIRS_MAX)) return;
    for (const y of found) if (y !== x) void early([y, x]);
  };
  let preference: Promise<boolean | null> | undefined;
  // A pair of one ChaCha20 suite and another that looked like client order: to a server that
  // prioritises ChaCha20 (scan/chacha.ts) with the other first in its order, it looks the same.
  let chachaPair: [chacha: number, other: number] | undefined;
  const detectPreference = (a: number, b: number) => detectServerPreference([a, b], choose).then((p) => {
    if (p === false && isChaCha(a) !== isChaCha(b)) chachaPair = isChaCha(a) ? [a, b] : [b, a];
    clientOrder = p === false;
    return p;
  });
  // Whether the server prioritises ChaCha20: its first choice, offered after a ChaCha20 suite.
  let chachaAsked: { chacha: number; chosen: Promise<number | null> } | undefined;
  const onAccept = (code: number, offered: number[] = [code]) => {
    notePick(pairs, code, offered, precedence);
    wantDh(code);
    o.onSuite?.(version, code);
    if (code === top || found.includes(code)) return;
    found.push(code);
    if (isChaCha(code) && !isChaCha(top!)) chachaAsked ??= { chacha: code, chosen: choose([code, top!]) };
    preference ??= detectPreference(top!, code);
    comparePairs(code);
  };
  // An older version usually accepts what the newer one does, in the same order: confirm those
  // suites and look for others in one more set, instead of enumerating from scratch. With a
  // server order, pairs along the newer version's order confirm the suites and the order at once.
  const sourceAccepted = source && o.tolerant ? await shared.get(source)!.accepted.promise : null;
  const sourceOrder = sourceAccepted ? await shared.get(source!)!.order.promise : null;
  // With the newer version's order in hand, the preference is asked beside the chain, with its
  // first suite; the answer counts only if that suite turns out to be accepted here. The newer
  // version was seen to follow the server's order: the chain's first pair, offered the other way
  // round, shows whether this one does too (the server picks the suite offered second, its own
  // first), at no probe of its own (the chain asks that pair anyway). Any other answer (the
  // suite offered first: client order, or two suites the server ranks alike) is asked again
  // both ways, with the first choice.
  const sourceChain = sourceOrder?.filter((c) => c !== top && candidates.includes(c)) ?? [];
  const head = sourceChain[0];
  if (head !== undefined) {
    const second = sourceChain[1];
    // (Not when the pair would be turned round to keep a ChaCha20 suite from leading it.)
    const reversed = second !== undefined && chachaNotFirst([second, head])[0] === second
      ? compare([second, head]).then((w) => (w === head ? true : null)) : Promise.resolve(null);
    preference = reversed.then((p) => p ?? detectPreference(top!, head));
  }
  const en = sourceOrder
    ? await confirmByChain(ctx, version, candidates, top, sourceOrder, compare, onAccept)
    : sourceAccepted
      ? await confirmSuites(ctx, version, candidates, top, sourceAccepted, onAccept)
      : await enumerateSuites(ctx, version, candidates, { known: [top], tolerant: o.tolerant, onAccept });
  shared.get(version)!.accepted.resolve(en.accepted);
  result.supported = true;
  if (en.unknown.length) result.error = `${en.unknown.length} suite(s) could not be tested`;

  if (head !== undefined && !en.accepted.includes(head)) {
    const other = en.accepted.find((c) => c !== top);
    chachaPair = undefined;
    preference = other !== undefined ? detectPreference(top!, other) : undefined;
  }
  let order = en.accepted;
  result.serverPreference = preference ? await preference : null;
  let prioritizesChaCha: boolean | null | undefined;
  if (result.serverPreference === false && chachaPair && (version === 'TLSv1.2' || version === 'TLSv1.3')) {
    // Client order, or an order that puts `other` first unless a ChaCha20 suite leads? Led by a
    // suite the server knows and refused, the hello asks the second: a server that follows the
    // client picks the ChaCha20 suite offered next, one with an order the other suite.
    const [chacha, other] = chachaPair;
    const lead = refusedLead(version, en.accepted);
    const w = lead !== undefined ? await choose([lead, chacha, other]) : null;
    // No refused suite that the server knows to lead with (Go's TLS 1.3: it knows only the three
    // it always takes, so the CCM lead is skipped and a ChaCha20 suite looks first again): two
    // suites that are no ChaCha20 ones, offered both ways, tell an order from the client's.
    const plain = en.accepted.filter((c) => !isChaCha(c));
    if (w === other || (plain.length >= 2 && (await detectServerPreference(plain.slice(0, 2), choose)) === true)) {
      result.serverPreference = true;
      clientOrder = false;
      prioritizesChaCha = true;
    }
  }
  if (result.serverPreference) {
    let known = source ? await shared.get(source)!.order.promise : null;
    // The guess heeds every answer so far: the enumeration's picks and the pairs already answered.
    const guess = (base: number[] | null) => hintOrder(en.accepted, [...en.picks, ...answered], suiteHintBase(en.accepted, base));
    let hint = guess(known);
    if (source && !chainHolds(hint, top, answered)) {
      // The newer version's guess proved wrong here: sort from its checked order instead, which
      // nearly always holds here too (one round of pairs), rather than repair a wrong guess (two
      // or three rounds of searches; 3des bench server at 50 ms: TLS 1.0 and 1.1 done 80 ms later).
      const checked = await shared.get(source)!.checked.promise;
      if (checked) { known = checked; hint = guess(known); }
    }
    // Older versions start from this guess at once rather than wait for it to be checked (also
    // against a server that queues connections: 3des bench server at 50 ms, 0.55 s -> 0.50 s with
    // 24 in flight, 0.83 s -> 0.79 s with its key made 4096-bit and 10 in flight).
    shared.get(version)!.order.resolve([top, ...hint.filter((c) => c !== top)]);
    // A newer version's order is nearly always this one's too: checking it costs n-1 pairs in
    // one round. Without one, a short list has every pair asked at once.
    order = !known && en.accepted.length - 1 <= ALL_PAIRS_MAX ? await sortAllPairs(hint, compare, top) : await sortWithHint(hint, compare, top);
    shared.get(version)!.order.resolve(order);
    shared.get(version)!.checked.resolve(order);
    // Asked when the first ChaCha20 suite was found; a server that puts one first has nothing to prioritise.
    if (prioritizesChaCha === undefined && order.some(isChaCha) && !isChaCha(order[0]!)) {
      const question = chachaAsked ?? { chacha: order.find(isChaCha)!, chosen: undefined };
      const w = await (question.chosen ?? choose([question.chacha, order[0]!]));
      prioritizesChaCha = w === question.chacha ? true : w === order[0] ? false : null;
    }
    if (prioritizesChaCha !== undefined) result.prioritizesChaCha = prioritizesChaCha;
  }

  const ske = o.ske ? describeKx(top, o.ske) : undefined;
  const dh = await dhProbe;
  result.cipherSuites = order.map((code) => {
    const r = suiteResult(code);
    if (ske && code === top) Object.assign(r, ske);
    if (dh && r.kx === 'DHE' && r.dhBits === undefined) Object.assign(r, dhFields(dh));
    return r;
  });
}

/** Suites found (besides the first choice) that are compared pairwise during the enumeration. */
const EARLY_PAIRS_MAX = 6;

/**
 * Confirms a hypothesis in order (the suites a newer version accepted, in its
 * server order): each pair of neighbours is offered once. A suite the server
 * picks is accepted, and when every pair goes to its first suite the order is
 * confirmed too, so that the older version's sort finds every adjacent pair
 * already answered (`compare` is the memo it uses). n suites cost n probes in
 * one round: n-1 pairs and the last suite alone. Suites no pair confirmed
 * get a probe of their own; the candidates outside the hypothesis are
 * enumerated beside.
 */
async function confirmByChain(
  ctx: ScanContext, version: ProtocolName, candidates: number[], top: number, order: number[],
  compare: (offered: number[]) => Promise<number | null>, onAccept: (code: number) => void,
): Promise<EnumerationResult> {
  const cand = new Set(candidates);
  const chain = order.filter((c) => c !== top && cand.has(c));
  const rest = candidates.filter((c) => c !== top && !chain.includes(c));
  const single = (c: number) => confirmSingle(ctx, version, c, onAccept);
  const chosen = new Set<number>();
  const last = chain.length ? single(chain[chain.length - 1]!) : Promise.resolve(null);
  const others = enumerateSuites(ctx, version, rest, { tolerant: true, onAccept });
  await Promise.all(chain.slice(1).map(async (b, i) => {
    const a = chain[i]!;
    const w = await compare([a, b]);
    if (w === a || w === b) { chosen.add(w); onAccept(w); }
  }));
  const more = await Promise.all(chain.slice(0, -1).filter((c) => !chosen.has(c)).map(single));
  const rested = await others;
  const accepted = new Set<number>([top, ...chosen, ...[await last, ...more].filter((c): c is number => c !== null), ...rested.accepted]);
  return { accepted: candidates.filter((c) => accepted.has(c)), picks: rested.picks, unknown: rested.unknown };
}

/** Offers one suite alone: the suite when the server accepts it (and tells onAccept), else null. */
async function confirmSingle(ctx: ScanContext, version: ProtocolName, c: number, onAccept: (code: number) => void): Promise<number | null> {
  const out = await ctx.probe('ciphers', ctx.hello({ version, suites: [c], sni: ctx.ep.sni }));
  if (pickedSuite(out, version) !== c) return null;
  onAccept(c);
  return c;
}

/** Confirms a hypothesis (the suites a newer version accepted) one suite per probe, and enumerates the rest. */
async function confirmSuites(
  ctx: ScanContext, version: ProtocolName, candidates: number[], top: number, hypothesis: number[], onAccept: (code: number) => void,
): Promise<EnumerationResult> {
  const hyp = new Set(hypothesis);
  const singles = candidates.filter((c) => c !== top && hyp.has(c));
  const rest = candidates.filter((c) => c !== top && !hyp.has(c));
  const [confirmed, others] = await Promise.all([
    Promise.all(singles.map((c) => confirmSingle(ctx, version, c, onAccept))),
    enumerateSuites(ctx, version, rest, { tolerant: true, onAccept }),
  ]);
  const accepted = new Set<number>([top, ...confirmed.filter((c): c is number => c !== null), ...others.accepted]);
  return { accepted: candidates.filter((c) => accepted.has(c)), picks: others.picks, unknown: others.unknown };
}

/**
 * The ECDHE curve of a ServerKeyExchange, when the suite is an ECDHE one;
 * undefined otherwise, and for a malformed message (which only costs us the
 * annotation).
 */
function describeCurve(suite: number, skeBody: Uint8Array): number | undefined {
  if (suiteByCode(suite)?.kx !== 'ECDHE') return undefined;
  try {
    const k = parseServerKeyExchange(skeBody, 'ECDHE');
    return k.kind === 'ecdhe' ? k.group : undefined;
  } catch { return undefined; }
}

function describeKx(suite: number, skeBody: Uint8Array): Partial<CipherSuiteResult> | undefined {
  const curve = describeCurve(suite, skeBody);
  if (curve !== undefined) return { kxGroup: groupByCode(curve)?.name ?? `0x${curve.toString(16)}` };
  const dh = describeDh(suite, skeBody);
  return dh ? dhFields(dh) : undefined;
}

/** A DHE ServerKeyExchange's group: its size, and its name when the prime is a published one. */
interface DhParams { bits: number; group?: DhGroup }

function describeDh(suite: number, skeBody: Uint8Array): DhParams | undefined {
  if (suiteByCode(suite)?.kx !== 'DHE') return undefined;
  try {
    const k = parseServerKeyExchange(skeBody, 'DHE');
    if (k.kind === 'dhe') {
      const group = knownDhGroup(k.p);
      return group ? { bits: k.pBits, group } : { bits: k.pBits };
    }
  } catch {
    // A malformed ServerKeyExchange only costs us the annotation.
  }
  return undefined;
}

const dhFields = (dh: DhParams): Partial<CipherSuiteResult> => (dh.group ? { dhBits: dh.bits, dhGroup: dh.group.name } : { dhBits: dh.bits });

const dheSuites = (candidates: number[]) => candidates.filter((c) => suiteByCode(c)?.kx === 'DHE');

/** One probe with only (finite-field) DHE suites, to read the DH group from ServerKeyExchange. */
async function probeDhParams(ctx: ScanContext, version: ProtocolName, candidates: number[]): Promise<DhParams | undefined> {
  const dhe = dheSuites(candidates);
  if (!dhe.length) return undefined;
  const out = await ctx.probe('dh', ctx.hello({ version, suites: dhe, sni: ctx.ep.sni }), 'serverHelloDone');
  const chosen = pickedSuite(out, version);
  if (chosen === null || out.kind !== 'hello' || !out.serverKeyExchange) return undefined;
  const dh = describeDh(chosen, out.serverKeyExchange);
  if (dh && dh.bits >= HEAVY_DH_BITS && !ctx.heavyDhe) {
    ctx.heavyDhe = true;
    ctx.onNote?.(`DH group of ${dh.bits} bits: hellos that offer a DHE suite count as heavy (against a server that takes one connection at a time, fewer probes in flight while one waits or runs)`);
  }
  return dh;
}

/** What a hello with only DHE suites and these ffdhe groups got: the group whose prime came back, if offered. */
type FfdheAnswer = number | 'refused' | 'ignored' | 'unknown';

async function askFfdhe(ctx: ScanContext, version: ProtocolName, dhe: number[], offered: number[]): Promise<FfdheAnswer> {
  const out = await ctx.probe('groups:ffdhe', scanHello({ version, suites: dhe, sni: ctx.ep.sni, groups: offered }), 'serverHelloDone');
  const chosen = pickedSuite(out, version);
  if (chosen === null) return out.kind === 'alert' ? 'refused' : 'unknown';
  if (out.kind !== 'hello' || !out.serverKeyExchange) return 'unknown';
  const g = describeDh(chosen, out.serverKeyExchange)?.group?.namedGroup;
  return g !== undefined && offered.includes(g) ? g : 'ignored';
}

/** The ffdhe groups but ffdhe2048, which servers with fixed parameters use most: the first question, sent beside the DH probe. */
const FFDHE_FIRST = [257, 258, 259, 260];

/**
 * RFC 7919 for TLS <= 1.2: which ffdhe groups does a client get when it names them in
 * supported_groups? `first` is the answer to FFDHE_FIRST, asked beside the DH probe (whose
 * ordinary hello names only EC curves, and whose prime is `usual`), so that the common case
 * costs one probe and no round: a server with fixed parameters (OpenSSL 3.0, nginx with the
 * ffdhe2048 file many guides recommend) answers with its own prime whatever is named. A server
 * that negotiates takes a group it was offered or, with none of them, refuses (RFC 7919 §4).
 * When the group it took is its usual one, that proves nothing (a fixed server with that prime
 * answers so too): the other three are asked. Java's JSSE falls back to its usual prime for a
 * group it lacks: with none of the four it looks fixed, and a client gets that prime whatever it
 * names. A server that negotiates then has each remaining group offered alone, all at once:
 * the groups it answers with are its TLS 1.2 groups (its usual one included: a client that
 * names it gets it). Returns [] for a server that does not negotiate.
 */
async function ffdheGroups(ctx: ScanContext, version: ProtocolName, dhe: number[], usual: number | undefined, first: FfdheAnswer): Promise<number[]> {
  if (first === 'ignored' || first === 'unknown') return [];
  const taken = new Set<number>();
  if (typeof first === 'number') {
    taken.add(first);
    if (first === usual) {
      const again = await askFfdhe(ctx, version, dhe, FFDHE_FIRST.filter((g) => g !== first));
      if (again === 'ignored' || again === 'unknown') return [];
      if (typeof again === 'number') taken.add(again);
    }
  }
  const all = [...FFDHE_PRIMES.keys()];
  const rest = all.filter((g) => !taken.has(g));
  const answers = await Promise.all(rest.map((g) => askFfdhe(ctx, version, dhe, [g])));
  rest.forEach((g, i) => { if (answers[i] === g) taken.add(g); });
  return all.filter((g) => taken.has(g));
}

/**
 * Groups servers commonly have (OpenSSL, BoringSSL, GnuTLS, SChannel, Java defaults), in the
 * order a server most likely prefers them: post-quantum hybrids first (OpenSSL 3.5+,
 * BoringSSL), then OpenSSL's long-standing default X25519, P-256, X448, P-521, P-384, then the
 * ffdhe groups. The others are rarely offered by a server.
 */
const LIKELY_GROUPS = [0x11ec, 0x11eb, 0x11ed, 29, 23, 30, 25, 24, 256, 257, 258, 259, 260];
/** A first guess at a server's group order: the likely groups, then the rest. */
const GROUP_GUESS = [...LIKELY_GROUPS, ...TLS13_GROUPS];

/** What round 1 already told about groups: the server's first choice with every group offered. */
interface GroupHints {
  tls13?: number; classic?: number;
  /** The curve of an ECDSA leaf round 1 brought (23, 24 or 25): a curve the ECDSA suites can use must be offered with it. */
  certCurve?: number;
}

/** The TLS group of an ECDSA certificate's curve (node:crypto's namedCurve), for the curve probes. */
const CERT_CURVE_GROUP: Record<string, number> = { prime256v1: 23, secp384r1: 24, secp521r1: 25 };

/** Supported groups: TLS 1.3 through HelloRetryRequest, TLS <= 1.2 ECDHE curves through ServerKeyExchange. */
async function scanGroups(ctx: ScanContext, protocols: Map<ProtocolName, ProtocolResult>, tops: Map<ProtocolName, number>, hints: GroupHints): Promise<GroupResult[]> {
  const found = new Map<number, GroupResult>();
  const add = (code: number, v: ProtocolName) => {
    let r = found.get(code);
    if (!r) { r = newGroup(code); found.set(code, r); }
    if (!r.versions.includes(v)) r.versions.push(v);
  };
  const jobs: Promise<void>[] = [];

  const t13 = protocols.get('TLSv1.3')!;
  /** The TLS 1.3 groups, once found (null without TLS 1.3): the TLS <= 1.2 curves start from them. */
  const tls13Groups = deferred<number[] | null>();
  if (!t13.supported) tls13Groups.resolve(null);
  if (t13.supported) {
    const suites = candidateSuites('TLSv1.3');
    const hrrGroup = async (groups: number[], purpose = 'groups:tls13'): Promise<number | null> => {
      const out = await ctx.probe(purpose, scanHello({ version: 'TLSv1.3', suites, sni: ctx.ep.sni, groups, keyShareGroups: [] }));
      if (out.kind !== 'hello' || out.serverHello.version !== 0x0304) return null;
      return out.serverHello.selectedGroup ?? null;
    };
    const orderGroup = (groups: number[]) => hrrGroup(groups, 'groups:order');
    jobs.push((async () => {
      const top = hints.tls13 !== undefined && TLS13_GROUPS.includes(hints.tls13) ? hints.tls13 : undefined;
      // Server or client preference, asked as soon as a second group is known.
      let preference: Promise<boolean | null> | undefined;
      let first: number | undefined = top;
      const onAccept = (g: number) => {
        if (first === undefined) first = g;
        else if (!preference && g !== first) preference = detectServerPreference([first, g], orderGroup);
      };
      // A refused set costs the server nothing (an alert or a HelloRetryRequest), so split wide:
      // the groups servers commonly have one per probe, the rest in three sets, all in one round.
      // So too against a server that serves one connection at a time once probes end with a
      // pipelined close: none holds it, and each costs it an alert or a HelloRetryRequest
      // (openssl s_server -tls1_3 50 ms away: four rounds of four sets before).
      const frugal = ctx.queueing && !ctx.pipelineClose;
      const known = top !== undefined ? [top] : [];
      const parts = frugal ? undefined : [
        ...TLS13_GROUPS.filter((g) => LIKELY_GROUPS.includes(g)).map((g) => [g]),
        ...splitList(TLS13_GROUPS.filter((g) => !LIKELY_GROUPS.includes(g)), 3),
      ];
      const { accepted, picks } = await eliminate(TLS13_GROUPS, (groups) => hrrGroup(groups), { known, onAccept, fanout: frugal ? 4 : 16, parts });
      accepted.forEach((g) => add(g, 'TLSv1.3'));
      tls13Groups.resolve(accepted);
      // Servers rarely stray from their library's default group order: check the guess pairwise,
      // beside the preference check (a round sooner; wasted on a server that follows the client).
      const sorting = frugal ? undefined : sortWithHint(hintOrder(accepted, picks, GROUP_GUESS), memoChooser(orderGroup), top);
      if (preference && (await preference)) {
        const order = await (sorting ?? sortWithHint(hintOrder(accepted, picks, GROUP_GUESS), memoChooser(orderGroup), top));
        order.forEach((g, i) => { found.get(g)!.rank = i; });
      } else await sorting;
    })());
  }

  // Highest TLS <= 1.2 version spoken: which ECDHE curves does it accept? The curve list also
  // constrains an ECDSA certificate's curve (RFC 8422 §5.1), so unless the first choice shows
  // ECDHE with an RSA key (no such constraint), each curve is asked alone and, when that is
  // refused, with the certificate curves after it. Every ECDHE suite is offered, the first
  // choice's kind first and the anonymous ones last: a server that also has an RSA key answers
  // a curve its ECDSA certificate cannot go with through an RSA suite (nginx with both keys: its
  // TLS 1.2 curves other than the certificate's were missed), and one whose only ECDHE suites are
  // anonymous answers through those. (A differential campaign against 385 random s_server
  // configurations found curves missed when the first choice was anonymous, static RSA or DHE
  // while the ECDHE suites were ECDSA or anonymous ones.)
  const classic = CLASSIC_VERSIONS
    .map((v) => protocols.get(v)!)
    .find((p) => p.supported);
  const top = classic ? suiteByCode(tops.get(classic.version) ?? -1) : undefined;
  const auth = top?.auth === 'ECDSA' ? 'ECDSA' : 'RSA';
  /**
   * Elimination by sets of curves: only when the server does ECDHE with an RSA key or none (an
   * anonymous suite): no certificate curve constrains the list then (below).
   */
  const freeFirst = top?.kx === 'ECDHE' && (top.auth === 'RSA' || top.auth === 'anon');
  const ecdheOf = (a: string) => (classic ? candidateSuites(classic.version).filter((c) => { const i = suiteByCode(c); return i?.kx === 'ECDHE' && i.auth === a; }) : []);
  const ecdhe = [...ecdheOf(auth), ...ecdheOf(auth === 'RSA' ? 'ECDSA' : 'RSA'), ...ecdheOf('anon')];
  if (classic && ecdhe.length) {
    const version = classic.version;
    /**
     * The suite the server picks from `suites` (every ECDHE one by default) with `groups`, the curve
     * of its ServerKeyExchange, and the group of its leaf's curve when it answered with an ECDSA suite.
     */
    const askCurve = async (groups: readonly number[], suites = ecdhe): Promise<{ chosen: number | null; curve: number | null; leafCurve?: number }> => {
      const out = await ctx.probe('groups:classic', scanHello({ version, suites, sni: ctx.ep.sni, groups }), 'serverHelloDone');
      const chosen = pickedSuite(out, version);
      if (chosen === null || out.kind !== 'hello' || !out.serverKeyExchange) return { chosen, curve: null };
      const curve = describeCurve(chosen, out.serverKeyExchange) ?? null;
      const leaf = suiteByCode(chosen)?.auth === 'ECDSA' ? out.certificates?.[0] : undefined;
      if (!leaf) return { chosen, curve };
      try {
        const named = new X509Certificate(leaf).publicKey.asymmetricKeyDetails?.namedCurve;
        return { chosen, curve, leafCurve: named ? CERT_CURVE_GROUP[named] : undefined };
      } catch {
        return { chosen, curve };
      }
    };
    const curveOf = async (groups: readonly number[]): Promise<number | null> => (await askCurve(groups)).curve;
    const CERT_CURVES = [23, 24, 25];
    jobs.push((async () => {
      // A server that does ECDHE with an RSA key, or with none (an anonymous suite), takes any
      // curve it has with such a suite: no certificate constraint. A first choice that was no such
      // suite (a static RSA one from a server that follows the client's order, whose first suite it
      // knows is one) is asked once: only those suites, with every curve. Before, such a server
      // had every curve asked alone and the refused ones again beside each certificate curve:
      // openssl s_server with its defaults, 150 probes of full handshakes, 1 s of a 2.3 s scan 8 ms
      // away (it serves one connection at a time); an anonymous ECDHE suite first, 155 probes
      // (found by a differential campaign through the latency proxy at 22 ms: 0.75 s scans).
      let unconstrained = freeFirst;
      const free = [...ecdheOf('RSA'), ...ecdheOf('anon')];
      if (!unconstrained && free.length) {
        const { chosen, curve } = await askCurve(CLASSIC_GROUPS, free);
        // (Its curve is asked again below, alone or with the TLS 1.3 ones: the key reuse check
        // compares the keys of two handshakes with one curve, which round 1's two TLS 1.2
        // answers give when the first choice is ECDHE.)
        unconstrained = chosen !== null && free.includes(chosen) && curve !== null;
      }
      if (unconstrained) {
        // No certificate constraint. A server that speaks TLS 1.3 almost always has one list of
        // groups for every version: confirm its TLS 1.3 curves one by one (all at once) and look
        // for others in one set. Otherwise find the curves by elimination, like the suites.
        const known = freeFirst && hints.classic !== undefined && CLASSIC_GROUPS.includes(hints.classic) ? [hints.classic] : [];
        const tls13 = await tls13Groups.promise;
        const hypothesis = tls13 ? CLASSIC_GROUPS.filter((g) => tls13.includes(g) && !known.includes(g)) : [];
        const rest = CLASSIC_GROUPS.filter((g) => !hypothesis.includes(g));
        // Without TLS 1.3: the curves servers commonly have one per probe, the rest in a few sets
        // (in one against a server that serves one connection at a time, where every probe waits
        // its turn: a rare curve accepted is found all the same, a round later).
        const parts = tls13 ? [rest] : [
          ...rest.filter((g) => LIKELY_GROUPS.includes(g)).map((g) => [g]),
          ...splitList(rest.filter((g) => !LIKELY_GROUPS.includes(g)), ctx.queueing ? 1 : 4),
        ];
        const [confirmed, others] = await Promise.all([
          Promise.all(hypothesis.map(async (g) => ((await curveOf([g])) === g ? g : null))),
          eliminate(rest, curveOf, { known, parts }),
        ]);
        [...confirmed.filter((g): g is number => g !== null), ...others.accepted].forEach((g) => add(g, version));
        return;
      }
      // A first choice without ECDHE may hide a server with no ECDHE suite at this version at all:
      // every curve at once says so in one probe, not one per curve.
      // Answered with an ECDSA suite, it also shows the ECDSA leaf's curve when round 1's leaf was no
      // ECDSA one (a server with an RSA key beside it, whose ECDHE suites are all ECDSA ones: each
      // curve was then asked beside each certificate curve, 161 curve probes against such an
      // s_server; found by a differential campaign).
      let cert = hints.certCurve;
      if (top?.kx !== 'ECDHE') {
        const all = await askCurve(CLASSIC_GROUPS);
        if (all.curve === null) return;
        cert ??= all.leafCurve;
      }
      if (cert !== undefined) {
        // The leaf's curve is known: each other curve is offered with it after it, and the curves
        // the server takes so are its own. One of those, offered alone, then tells whether the
        // server holds its ECDSA suites to its certificate's curve (RFC 8422 §5.1; OpenSSL does):
        // refused, every other curve alone would be refused too, and is not asked (an ECDSA-only
        // s_server behind the latency proxy at 22 ms: 83 curve probes, 0.65 s scans, before; found
        // by a differential campaign). Taken, or with no such curve to try, the curves the pairs
        // left unsure are each asked alone, as before.
        const others = CLASSIC_GROUPS.filter((g) => g !== cert);
        const [own, paired] = await Promise.all([curveOf([cert]), Promise.all(others.map((g) => curveOf([g, cert])))]);
        if (own === cert || paired.includes(cert)) add(cert, version);
        const taken = others.filter((g, i) => paired[i] === g);
        taken.forEach((g) => add(g, version));
        const unsure = others.filter((g, i) => paired[i] !== g);
        if (!unsure.length || (taken.length && (await curveOf([taken[0]!])) === null)) return;
        const alone = await Promise.all(unsure.map((g) => curveOf([g])));
        unsure.forEach((g, i) => { if (alone[i] === g) add(g, version); });
        return;
      }
      const alone = await Promise.all(CLASSIC_GROUPS.map(async (g) => (await curveOf([g])) === g));
      CLASSIC_GROUPS.forEach((g, i) => { if (alone[i]) add(g, version); });
      // Refused alone: asked again with each certificate curve after it (an ECDSA key's curve must be
      // in the list; the leaf round 1 read was no ECDSA one), each in a hello of its own, as a server
      // that prefers another curve of the list would take that one instead (nginx with an ECDSA P-256
      // key, a round-1 leaf that was no ECDSA one and X25519, X448 and P-521 configured: offered with
      // all three certificate curves, X25519 and X448 were answered with P-521 and missed; found by
      // a differential campaign).
      await Promise.all(CLASSIC_GROUPS.filter((_, i) => !alone[i]).map(async (g) => {
        const answers = await Promise.all(CERT_CURVES.filter((c) => c !== g).map((c) => curveOf([g, c])));
        if (answers.includes(g)) add(g, version);
      }));
    })());
  }
  await Promise.all(jobs);
  for (const g of found.values()) g.versions.sort(newestFirst);
  return [...found.values()].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.id - b.id);
}

/** A group's entry, with no version yet. */
function newGroup(code: number): GroupResult {
  const g = groupByCode(code);
  return { id: code, name: g?.name ?? `0x${code.toString(16).padStart(4, '0')}`, pq: g?.pq ?? false, versions: [] };
}

/** Versions newest first, whichever of the scan's jobs found a group first (they run side by side). */
const newestFirst = (a: ProtocolName, b: ProtocolName) => PROTOCOLS.indexOf(b) - PROTOCOLS.indexOf(a);

/** Adds `version` to these groups' entries (new entries for groups not yet found), keeping the list's order: ranked first, then by code. */
function addGroups(groups: GroupResult[], codes: number[], version: ProtocolName): void {
  for (const code of codes) {
    let r = groups.find((g) => g.id === code);
    if (!r) { r = newGroup(code); groups.push(r); }
    if (!r.versions.includes(version)) r.versions.push(version);
    r.versions.sort(newestFirst);
  }
  groups.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.id - b.id);
}

/** The certificate a TLS <= 1.2 suite needs; undefined for anonymous, PSK-only, static (EC)DH and other suites. */
export function certificateAuth(code: number): CertificateAuth | undefined {
  const s = suiteByCode(code);
  if (!s || s.anonymous) return undefined;
  if (s.auth === 'RSA' && ['RSA', 'DHE', 'ECDHE', 'SRP', 'RSA_PSK'].includes(s.kx)) return 'RSA';
  if (s.auth === 'ECDSA' && s.kx === 'ECDHE') return 'ECDSA';
  if (s.auth === 'DSS' && (s.kx === 'DHE' || s.kx === 'SRP')) return 'DSS';
  return undefined;
}

export function suiteResult(code: number): CipherSuiteResult {
  const s: CipherSuiteInfo | undefined = suiteByCode(code);
  if (!s) {
    return {
      id: code, name: `UNKNOWN_0x${code.toString(16).padStart(4, '0')}`, openssl: null, kx: 'unknown', auth: 'unknown',
      cipher: 'unknown', bits: 0, mac: 'unknown', aead: false, forwardSecrecy: false, export: false, anonymous: false, null: false, strength: 'weak',
    };
  }
  return {
    id: s.code, name: s.iana, openssl: s.openssl, kx: s.kx, auth: s.auth, cipher: s.cipher, bits: s.bits, mac: s.mac,
    aead: s.aead, forwardSecrecy: s.forwardSecrecy, export: s.export, anonymous: s.anonymous, null: s.null, strength: s.strength,
  };
}

function sslv2Result(code: number): CipherSuiteResult {
  const k = sslv2KindByCode(code);
  return {
    id: code, name: k?.name ?? `SSL2_UNKNOWN_0x${code.toString(16).padStart(6, '0')}`, openssl: k?.openssl ?? null,
    kx: 'RSA', auth: 'RSA', cipher: k?.cipher ?? 'unknown', bits: k?.bits ?? 0, mac: 'MD5', aead: false, forwardSecrecy: false,
    export: k?.export ?? false, anonymous: false, null: false, strength: 'insecure',
  };
}

interface Deferred<T> { promise: Promise<T>; resolve(v: T): void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
