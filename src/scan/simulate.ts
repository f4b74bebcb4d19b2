/**
 * Client simulation: send each client profile's OWN ClientHello (built from its
 * data in registry/clients) to the server and judge the answer the way that
 * client would: protocol, suite and group it offered, key exchange limits,
 * certificate constraints, SNI. When the handshake fails, a few extra probes
 * find out why (no common protocol, no common suite, no common group, SNI).
 *
 * The transport is injected (`send`, the shape of net/probe.ts sendHello), so
 * the same code runs against real servers and in tests.
 */
import { createHash, createPublicKey } from 'node:crypto';
import {
  buildClientHello, buildSSLv2ClientHello, parseServerKeyExchange, type ClientHelloOptions,
  type ServerKeyExchange,
} from '../wire/index.js';
import { suiteByCode, groupByCode, suitesForVersion, versionByCode } from '../registry/index.js';
import {
  VERSION_CODES, type ClientProfile, type ClientRemediation, type ClientVersion,
} from '../registry/clients/index.js';
import { parseCertificate, commonNames } from '../x509/cert.js';
import { matchHostname } from '../x509/hostname.js';
import type { ClientSimulationResult, ProtocolName } from './types.js';
import type { Endpoint } from '../net/target.js';
import type { ProbeOptions, ProbeOutcome } from '../net/probe.js';

export type SimEndpoint = Endpoint;
export type { ProbeOutcome };

/** The transport: net/probe.ts sendHello, or anything of its shape (tests inject their own). */
export type SendHello = (ep: Endpoint, hello: Uint8Array, opts: ProbeOptions) => Promise<ProbeOutcome>;

export interface SimulateOptions {
  /** Per-probe deadline; default 8000 ms. */
  timeoutMs?: number;
  /** Profiles simulated at once; default 8. */
  concurrency?: number;
  /**
   * The server's chain (DER, leaf first) as a full handshake with SNI saw it. Used to judge
   * certificates when the probe cannot see them (TLS 1.3 encrypts them) and to detect a
   * different certificate served without SNI.
   */
  chain?: Uint8Array[];
}

export type FailureKind = 'protocol' | 'cipher' | 'group' | 'keyExchange' | 'renegotiation' | 'certificate' | 'sni' | 'other';

/** A simulation result plus the machine-readable facts behind it. */
export interface SimulatedClient extends ClientSimulationResult {
  failure: FailureKind | null;
  /** Wire codes of what was negotiated, when a ServerHello was received. */
  versionCode: number | null;
  suiteCode: number | null;
}

const ALL_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
const ALL_SIGALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401,
  0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, 0x0402, 0x0502, 0x0602];

const versionName = (code: number): ProtocolName | null => (versionByCode(code)?.name as ProtocolName | undefined) ?? null;
const suiteName = (code: number): string => suiteByCode(code)?.iana ?? `0x${code.toString(16).padStart(4, '0')}`;
const groupName = (code: number): string => groupByCode(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
const rank = (v: ClientVersion): number => VERSION_CODES[v];

function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

/** ClientHello options for a profile (exported for tests and for the capture comparison). */
export function profileHelloOptions(p: ClientProfile, sni: string | null): ClientHelloOptions {
  const codes = p.versions.map((v) => VERSION_CODES[v]).filter((c) => c >= 0x0300);
  const max = Math.max(...codes) as ClientHelloOptions['maxVersion'];
  const offers13 = max === 0x0304;
  const e = p.extensions;
  const o: ClientHelloOptions = {
    maxVersion: max,
    cipherSuites: [...p.cipherSuites],
    sni: e.sni ? sni : null,
    groups: p.groups ? [...p.groups] : [],
    signatureAlgorithms: p.signatureAlgorithms ? [...p.signatureAlgorithms] : [],
    ecPointFormats: e.ecPointFormats ? [...e.ecPointFormats] : null,
    alpn: e.alpn ?? undefined,
    renegotiationInfo: e.renegotiationInfo,
    extendedMasterSecret: e.extendedMasterSecret,
    sessionTicket: e.sessionTicket,
    statusRequest: e.statusRequest,
    encryptThenMac: e.encryptThenMac,
    grease: e.grease,
    recordVersion: p.hello.recordVersion ?? (max === 0x0300 ? 0x0300 : 0x0301),
    extraExtensions: (e.extra ?? []).map((x) => ({ type: x.type, data: hex(x.data) })),
  };
  // Padding: a padding extension in the profile's extras is sent as captured; otherwise the
  // builder's RFC 7685 rule applies (padding never changes what the server negotiates).
  if (offers13) {
    o.supportedVersions = codes.filter((c) => c >= 0x0301).sort((a, b) => b - a);
    o.keyShareGroups = p.keyShareGroups ? [...p.keyShareGroups] : undefined;
    o.pskKeyExchangeModes = e.pskKeyExchangeModes ?? [1];
  } else {
    o.pskKeyExchangeModes = e.pskKeyExchangeModes && e.pskKeyExchangeModes.length > 0 ? e.pskKeyExchangeModes : undefined;
  }
  if (e.order) o.extensionOrder = [...e.order];
  return o;
}

/** The bytes a profile sends: a TLS ClientHello, or an SSLv2-format one for old stacks. */
export function buildProfileHello(p: ClientProfile, sni: string | null): Uint8Array {
  if (p.hello.format === 'sslv2-compatible') {
    const max = Math.max(...p.versions.map((v) => VERSION_CODES[v]));
    return buildSSLv2ClientHello({ version: max, cipherKinds: p.cipherSuites.map((c) => c & 0xffff) });
  }
  return buildClientHello(profileHelloOptions(p, sni));
}

/** A broad hello offering `versions` (codes) with `suites` and every group we can do. */
function genericHello(versions: number[], suites: number[], sni: string | null, groups = ALL_GROUPS): Uint8Array {
  const max = Math.max(...versions) as ClientHelloOptions['maxVersion'];
  const o: ClientHelloOptions = {
    maxVersion: max, cipherSuites: [...suites, 0x00ff], sni, groups, signatureAlgorithms: ALL_SIGALGS,
    ecPointFormats: [0],
  };
  if (max === 0x0304) {
    o.supportedVersions = [...versions].sort((a, b) => b - a);
    o.keyShareGroups = [0x001d, 0x0017];
  }
  if (max < 0x0303) o.signatureAlgorithms = [];
  return buildClientHello(o);
}

function allSuitesFor(versionCode: number): number[] {
  const name = versionName(versionCode);
  if (!name) return [];
  return suitesForVersion(name).filter((s) => !s.scsv && (versionCode === 0x0304 ? s.tls13 : !s.tls13)).map((s) => s.code);
}

/** Runs fn over items, at most `limit` at a time, keeping the input order in the result. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

interface CertFacts { subject: string; keyType: string; keyBits: number; signatureHash: string; selfSigned: boolean; sha256: string; der: Uint8Array }

function certFacts(der: Uint8Array): CertFacts | null {
  try {
    const c = parseCertificate(der);
    let keyBits = 0;
    try {
      const k = createPublicKey({ key: Buffer.from(c.spkiDer), format: 'der', type: 'spki' });
      const d = k.asymmetricKeyDetails;
      if (c.keyType === 'RSA') keyBits = d?.modulusLength ?? 0;
      else if (c.keyType === 'EC') keyBits = ({ prime256v1: 256, secp384r1: 384, secp521r1: 521 } as Record<string, number>)[d?.namedCurve ?? ''] ?? 0;
    } catch { /* unknown key type: leave 0 */ }
    const selfSigned = Buffer.from(c.issuerDer).equals(Buffer.from(c.subjectDer));
    return { subject: commonNames(c.subject)[0] ?? '', keyType: c.keyType, keyBits, signatureHash: c.signatureHash, selfSigned, sha256: '', der };
  } catch {
    return null;
  }
}

/** Why the client would refuse this chain, or null. Self-signed certificates after the leaf (roots) are not judged by their signature. */
function certificateProblem(p: ClientProfile, chain: Uint8Array[]): string | null {
  for (let i = 0; i < chain.length; i++) {
    const f = certFacts(chain[i]!);
    if (!f) continue;
    const what = i === 0 ? 'the server certificate' : `chain certificate ${i} (${f.subject})`;
    if (f.keyType === 'RSA' && f.keyBits > 0 && f.keyBits < p.certificate.minRsaBits) {
      return `${what} has a ${f.keyBits}-bit RSA key; ${p.name} requires at least ${p.certificate.minRsaBits} bits`;
    }
    if (f.keyType === 'EC' && f.keyBits > 0 && f.keyBits < p.certificate.minEcBits) {
      return `${what} has a ${f.keyBits}-bit EC key; ${p.name} requires at least ${p.certificate.minEcBits} bits`;
    }
    const isRoot = i > 0 && f.selfSigned;
    if (!isRoot && !p.certificate.acceptsSha1 && (f.signatureHash === 'sha1' || f.signatureHash === 'md5')) {
      return `${what} is signed with ${f.signatureHash.toUpperCase()}; ${p.name} rejects ${f.signatureHash.toUpperCase()} certificate signatures`;
    }
  }
  return null;
}

interface ServerFacts {
  /** Versions (codes) the server accepted with a broad hello, and the suite it picked for each. */
  versions: Map<number, number>;
}

/** Lazily probes what the server accepts, once per simulateClients call. */
class ServerKnowledge {
  private facts: Promise<ServerFacts> | null = null;
  private readonly suiteProbes = new Map<string, Promise<ProbeOutcome>>();
  constructor(private readonly ep: SimEndpoint, private readonly send: SendHello, private readonly timeoutMs: number) {}

  get(): Promise<ServerFacts> {
    this.facts ??= (async () => {
      const versions = new Map<number, number>();
      const codes = [0x0300, 0x0301, 0x0302, 0x0303, 0x0304];
      const outcomes = await Promise.all(codes.map((v) => this.send(this.ep,
        genericHello([v], allSuitesFor(v), this.ep.sni), { timeoutMs: this.timeoutMs, readUntil: 'serverHello' })));
      codes.forEach((v, i) => {
        const o = outcomes[i]!;
        if (o.kind === 'hello' && o.serverHello.version === v) versions.set(v, o.serverHello.cipherSuite);
      });
      return { versions };
    })();
    return this.facts;
  }

  /** A probe with the client's suites at the given versions and every group (or the given ones). */
  withClientSuites(versions: number[], suites: number[], groups = ALL_GROUPS): Promise<ProbeOutcome> {
    const key = `${versions.join(',')}|${suites.join(',')}|${groups.join(',')}`;
    let p = this.suiteProbes.get(key);
    if (!p) {
      p = this.send(this.ep, genericHello(versions, suites, this.ep.sni, groups), { timeoutMs: this.timeoutMs, readUntil: 'serverHello' });
      this.suiteProbes.set(key, p);
    }
    return p;
  }
}

function fail(p: ClientProfile, failure: FailureKind, reason: string, extra: Partial<SimulatedClient> = {}): SimulatedClient {
  const rem: ClientRemediation = p.remediation;
  const remediation = (failure !== 'other' ? rem[failure] : undefined) ?? rem.general;
  return {
    id: p.id, name: p.name, ok: false, protocol: null, cipherSuite: null, group: null, reason, remediation,
    failure, versionCode: null, suiteCode: null, ...extra,
  };
}

const list = (names: string[]): string => names.join(', ');

function describeSuiteSet(codes: number[], max = 3): string {
  const named = codes.filter((c) => c !== 0x00ff).map(suiteName);
  return named.length <= max ? list(named) : `${list(named.slice(0, max))} and ${named.length - max} more`;
}

/** Explains a failed handshake with extra probes. */
async function diagnose(p: ClientProfile, ep: SimEndpoint, know: ServerKnowledge, answer: string): Promise<SimulatedClient> {
  const facts = await know.get();
  const clientCodes = p.versions.map((v) => VERSION_CODES[v]).filter((c) => c >= 0x0300);
  const serverCodes = [...facts.versions.keys()].sort((a, b) => a - b);
  const clientMax = Math.max(...clientCodes), clientMin = Math.min(...clientCodes);
  if (serverCodes.length === 0) {
    return fail(p, 'other', `handshake failed (${answer}) and the server accepted none of tlsdoctor's own probe hellos either`);
  }
  const common = clientCodes.filter((c) => facts.versions.has(c));
  if (common.length === 0) {
    const sMin = serverCodes[0]!, sMax = serverCodes[serverCodes.length - 1]!;
    const sName = (c: number) => versionName(c) ?? `0x${c.toString(16)}`;
    const reason = sMin > clientMax
      ? `no common protocol: server requires ${sName(sMin)}${sMax > sMin ? ' or later' : ''}, client offers at most ${sName(clientMax)}`
      : sMax < clientMin
        ? `no common protocol: server supports at most ${sName(sMax)}, client requires ${sName(clientMin)} or later`
        : `no common protocol: server accepts ${list(serverCodes.map(sName))}, client offers ${list(clientCodes.map(sName))}`;
    return fail(p, 'protocol', reason);
  }
  // A common version exists: is there a common suite (with every group on offer)?
  const top = Math.max(...common);
  const suitesAt = (v: number) => p.cipherSuites.filter((c) => {
    const s = suiteByCode(c);
    if (!s || s.scsv) return false;
    if (v === 0x0304) return s.tls13;
    return !s.tls13 && VERSION_CODES[s.minVersion as ClientVersion] <= v;
  });
  const probeSuites = [...new Set(common.flatMap(suitesAt))];
  const probe = probeSuites.length > 0 ? await know.withClientSuites(common, probeSuites) : null;
  if (!probe || probe.kind !== 'hello') {
    const serverPick = facts.versions.get(top);
    const serverSuite = serverPick !== undefined ? suiteByCode(serverPick) : undefined;
    const clientAuths = new Set(probeSuites.map((c) => suiteByCode(c)?.auth));
    let why = '';
    if (serverSuite && serverSuite.auth === 'ECDSA' && !clientAuths.has('ECDSA') && top !== 0x0304) {
      why = '; the server has an ECDSA certificate and the client offers no ECDSA suite';
    } else if (serverSuite && serverSuite.cbc && probeSuites.every((c) => !suiteByCode(c)?.cbc)) {
      why = '; the server offers only CBC suites and the client only AEAD ones';
    }
    return fail(p, 'cipher', `no common cipher suite at ${versionName(top)}: client offers ${describeSuiteSet(probeSuites)}`
      + `${serverSuite ? `, server would pick e.g. ${serverSuite.iana}` : ''}${why}`);
  }
  // Suites are fine with every group on offer.
  if (p.extensions.sni === false && ep.sni) {
    return fail(p, 'sni', `server refused a hello without SNI (${answer}); ${p.name} does not send SNI`);
  }
  const g = probe.serverHello.selectedGroup;
  const clientGroups = p.groups ?? [];
  if (clientGroups.length > 0) {
    const withGroups = await know.withClientSuites(common, probeSuites, clientGroups);
    if (withGroups.kind !== 'hello') {
      return fail(p, 'group', `no common group: client offers ${list(clientGroups.map(groupName))}`
        + `${g !== undefined ? `, server picks ${groupName(g)} when offered every group` : ''}`);
    }
  }
  return fail(p, 'other', `server rejected this client's hello (${answer}) although it accepts its versions, suites and groups: `
    + 'an extension or the hello format it does not tolerate');
}

async function simulateOne(p: ClientProfile, ep: SimEndpoint, send: SendHello, know: ServerKnowledge, o: Required<Pick<SimulateOptions, 'timeoutMs'>> & SimulateOptions): Promise<SimulatedClient> {
  const sni = p.extensions.sni ? ep.sni : null;
  let hello: Uint8Array;
  try {
    hello = buildProfileHello(p, sni);
  } catch (e) {
    return fail(p, 'other', `cannot build this client's hello: ${(e as Error).message}`);
  }
  let out = await send(ep, hello, { timeoutMs: o.timeoutMs, readUntil: 'serverHelloDone' });
  let viaHrr: number | null = null;
  if (out.kind === 'hello' && out.serverHello.isHelloRetryRequest) {
    const g = out.serverHello.selectedGroup;
    if (g === undefined || !(p.groups ?? []).includes(g)) {
      return fail(p, 'group', `server asked (HelloRetryRequest) for group ${g !== undefined ? groupName(g) : '(none)'}, which ${p.name} does not offer`);
    }
    viaHrr = g;
    const opts = profileHelloOptions(p, sni);
    opts.keyShareGroups = [g];
    out = await send(ep, buildClientHello(opts), { timeoutMs: o.timeoutMs, readUntil: 'serverHelloDone' });
  }
  if (out.kind === 'failed' && (out.code === 'refused' || out.code === 'timeout' || out.code === 'unreachable' || out.code === 'aborted')) {
    return fail(p, 'other', `could not complete the probe: ${out.code} (${out.message})`);
  }
  if (out.kind === 'sslv2') {
    return fail(p, 'protocol', 'server answered with SSL 2.0, which this client does not use');
  }
  if (out.kind !== 'hello') {
    const answer = out.kind === 'alert' ? `alert ${out.name}` : `${out.code}: ${out.message}`;
    return diagnose(p, ep, know, answer);
  }
  const sh = out.serverHello;
  const version = versionName(sh.version);
  const base = { versionCode: sh.version, suiteCode: sh.cipherSuite };
  const offeredVersions = p.versions.map((v) => VERSION_CODES[v]);
  if (!version || !offeredVersions.includes(sh.version)) {
    const clientMin = Math.min(...offeredVersions);
    if (version && sh.version < clientMin) {
      return fail(p, 'protocol', `no common protocol: server answered with ${version}, client requires ${versionName(clientMin)} or later`, base);
    }
    return fail(p, 'protocol', `server picked ${version ?? `version 0x${sh.version.toString(16)}`}, which ${p.name} did not offer`, base);
  }
  if (p.keyExchange.minAcceptedVersion && sh.version < rank(p.keyExchange.minAcceptedVersion)) {
    return fail(p, 'protocol', `server picked ${version}; ${p.name} refuses versions below ${p.keyExchange.minAcceptedVersion}`, base);
  }
  if (!p.cipherSuites.includes(sh.cipherSuite)) {
    return fail(p, 'cipher', `server picked ${suiteName(sh.cipherSuite)}, which ${p.name} did not offer`, base);
  }
  const suite = suiteByCode(sh.cipherSuite);
  let group: number | null = viaHrr ?? sh.selectedGroup ?? null;
  // TLS <= 1.2: the key exchange parameters are in ServerKeyExchange.
  let ske: ServerKeyExchange | undefined;
  if (out.serverKeyExchange && suite) {
    const kind = suite.kx === 'ECDHE' ? (suite.auth === 'anon' ? 'ECDH_anon' : 'ECDHE') : suite.kx === 'DHE' ? (suite.auth === 'anon' ? 'DH_anon' : 'DHE') : null;
    if (kind) { try { ske = parseServerKeyExchange(out.serverKeyExchange, kind, { version: sh.version }); } catch { ske = undefined; } }
  }
  if (ske?.kind === 'ecdhe') {
    group = ske.group || null;
    if (p.groups && ske.group && !p.groups.includes(ske.group)) {
      return fail(p, 'group', `server chose curve ${groupName(ske.group)} for ${suiteName(sh.cipherSuite)}, which ${p.name} does not offer (it offers ${list(p.groups.map(groupName))})`, base);
    }
  }
  if (ske?.kind === 'dhe') {
    const kx = p.keyExchange;
    if (kx.maxDhBits && ske.pBits > kx.maxDhBits) {
      return fail(p, 'keyExchange', `server's DHE group is ${ske.pBits} bits; ${p.name} handles at most ${kx.maxDhBits}-bit DH`, base);
    }
    if (kx.minDhBits && ske.pBits < kx.minDhBits) {
      return fail(p, 'keyExchange', `server's DHE group is ${ske.pBits} bits; ${p.name} requires at least ${kx.minDhBits}-bit DH`, base);
    }
  }
  if (p.keyExchange.rejectsLegacyKxSignature && sh.version < 0x0303 && sh.version >= 0x0301 && suite && (suite.kx === 'ECDHE' || suite.kx === 'DHE') && suite.auth !== 'anon') {
    return fail(p, 'keyExchange', `${version} signs the ${suite.kx} key exchange with MD5+SHA-1, which ${p.name} refuses at its default security level (only RSA key exchange works below TLS 1.2)`, base);
  }
  if (p.keyExchange.requiresSecureRenegotiation && sh.version <= 0x0303 && !sh.secureRenegotiation) {
    return fail(p, 'renegotiation', `the ${version} ServerHello has no renegotiation_info (RFC 5746), and ${p.name} refuses servers without secure renegotiation ("unsafe legacy renegotiation disabled")`, base);
  }
  if (sh.version === 0x0304 && group !== null && !(p.groups ?? []).includes(group)) {
    return fail(p, 'group', `server picked group ${groupName(group)}, which ${p.name} did not offer`, base);
  }
  // Certificates: what this probe saw (TLS <= 1.2), else the chain from the full handshake.
  const seen = out.certificates && out.certificates.length > 0 ? out.certificates : null;
  const chain = seen ?? o.chain ?? null;
  if (chain) {
    const problem = certificateProblem(p, chain);
    if (problem) return fail(p, 'certificate', problem, base);
  }
  if (!p.extensions.sni && ep.sni && seen && o.chain && o.chain.length > 0) {
    const withSni = Buffer.from(o.chain[0]!), without = Buffer.from(seen[0]!);
    if (!withSni.equals(without)) {
      let valid = false;
      let subject = '';
      try {
        const c = parseCertificate(without);
        subject = commonNames(c.subject)[0] ?? '';
        valid = matchHostname({ dnsNames: c.dnsNames, ipAddresses: c.ipAddresses, commonNames: commonNames(c.subject) }, ep.sni).ok;
      } catch { valid = false; }
      if (!valid) {
        return fail(p, 'sni', `${p.name} sends no SNI and without it the server presents a different certificate${subject ? ` (CN=${subject})` : ''}, not valid for ${ep.sni}`, base);
      }
    }
  }
  const note = viaHrr !== null ? ' (after a HelloRetryRequest)' : '';
  return {
    id: p.id, name: p.name, ok: true, protocol: version, cipherSuite: suiteName(sh.cipherSuite),
    group: group !== null ? groupName(group) : null, reason: note ? `negotiated${note}` : null, remediation: null,
    ...(seen ? { leafSha256: createHash('sha256').update(seen[0]!).digest('hex') } : {}),
    failure: null, ...base,
  };
}

/**
 * Simulates each profile against the endpoint, `concurrency` profiles at a time.
 * Never throws for network or protocol trouble: each profile gets a result.
 */
export async function simulateClients(ep: SimEndpoint, profiles: readonly ClientProfile[], send: SendHello, opts: SimulateOptions = {}): Promise<SimulatedClient[]> {
  const o = { timeoutMs: 8000, concurrency: 8, ...opts };
  const know = new ServerKnowledge(ep, send, o.timeoutMs);
  return mapLimit(profiles, o.concurrency, async (p) => {
    try {
      return await simulateOne(p, ep, send, know, o);
    } catch (e) {
      return fail(p, 'other', `simulation error: ${(e as Error).message}`);
    }
  });
}

/** The ScanResult form (drops the internal fields). */
export function toClientResults(sims: readonly SimulatedClient[]): ClientSimulationResult[] {
  return sims.map(({ id, name, ok, protocol, cipherSuite, group, reason, remediation, leafSha256 }) => ({ id, name, ok, protocol, cipherSuite, group, reason, remediation, ...(leafSha256 ? { leafSha256 } : {}) }));
}
