/**
 * protocol.* and cipher.* findings from ScanResult.protocols. A cipher
 * property is read from the registry flags carried by CipherSuiteResult
 * (aead, forwardSecrecy, export, anonymous, null, bits) and from the cipher
 * name the registry gives ("RC4-128", "3DES-EDE-CBC", "DES-CBC", "IDEA-CBC",
 * "RC2-CBC-40", "AES-128-GCM", ...).
 */
import { PADDING_CASES, type Finding, type ProtocolResult, type CipherSuiteResult, type ProtocolName, type ScanError, type ServerFeatures, type SignatureAlgorithmsResult } from '../scan/types.js';
import { finding } from './catalog.js';
import { keysText, reusedSamples } from '../scan/kx-reuse.js';

export const isRc4 = (s: CipherSuiteResult) => /^RC4/i.test(s.cipher) || /_RC4_/.test(s.name);
export const is3des = (s: CipherSuiteResult) => /3DES|DES[-_]EDE|DES-CBC3/i.test(s.cipher) || /_3DES_/.test(s.name);
export const isSingleDes = (s: CipherSuiteResult) => !is3des(s) && (/^DES(40)?[-_]/i.test(s.cipher) || /_DES(40)?_CBC/.test(s.name));
export const is64bitOther = (s: CipherSuiteResult) => /^(IDEA|RC2)/i.test(s.cipher) || /_(IDEA|RC2)_/.test(s.name);
export const isCbc = (s: CipherSuiteResult) => !s.aead && /CBC/i.test(s.cipher + s.name);
export const isStaticRsa = (s: CipherSuiteResult) => s.kx === 'RSA' && !s.export;
export const isDhe = (s: CipherSuiteResult) => /^DHE?$|^DHE_|^DH_/.test(s.kx) || /_DHE?_/.test(s.name);

export interface SuiteAt { version: ProtocolName; suite: CipherSuiteResult }

export function supportedProtocols(protocols: ProtocolResult[]): ProtocolResult[] {
  return protocols.filter((p) => p.supported);
}

export function allSuites(protocols: ProtocolResult[]): SuiteAt[] {
  return supportedProtocols(protocols).flatMap((p) => p.cipherSuites.map((suite) => ({ version: p.version, suite })));
}

function list(xs: SuiteAt[], max = 6): string {
  const names = [...new Set(xs.map((x) => x.suite.name))];
  return names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}

function versions(xs: SuiteAt[]): string {
  return [...new Set(xs.map((x) => x.version))].join(', ');
}

function evidence(xs: SuiteAt[]): Record<string, unknown> {
  const by: Record<string, string[]> = {};
  for (const x of xs) (by[x.version] ??= []).push(x.suite.name);
  return { suites: by };
}

export function protocolFindings(protocols: ProtocolResult[]): Finding[] {
  const out: Finding[] = [];
  const sup = supportedProtocols(protocols);
  if (sup.length === 0) return out;
  const has = (v: ProtocolName) => sup.some((p) => p.version === v);
  const known = (v: ProtocolName) => protocols.some((p) => p.version === v && (p.supported || !p.error));
  const ev = (v: ProtocolName) => ({ version: v, cipherSuites: sup.find((p) => p.version === v)?.cipherSuites.map((s) => s.name) ?? [] });
  if (has('SSLv2')) out.push(finding('protocol.sslv2-enabled', 'the server accepts an SSL 2.0 handshake; SSL 2.0 is broken (DROWN, RFC 6176 prohibits it)', ev('SSLv2')));
  if (has('SSLv3')) out.push(finding('protocol.sslv3-enabled', 'the server accepts SSL 3.0, which is broken by POODLE (RFC 7568 deprecates it)', ev('SSLv3')));
  if (has('TLSv1.0')) out.push(finding('protocol.tls10-enabled', 'the server accepts TLS 1.0 (deprecated by RFC 8996; PCI DSS forbids it)', ev('TLSv1.0')));
  if (has('TLSv1.1')) out.push(finding('protocol.tls11-enabled', 'the server accepts TLS 1.1 (deprecated by RFC 8996)', ev('TLSv1.1')));
  if (!has('TLSv1.2') && known('TLSv1.2')) {
    out.push(finding('protocol.no-tls12', `the server does not accept TLS 1.2; it accepts only ${sup.map((p) => p.version).join(', ')}. Clients that require TLS 1.2 fail with "Could not create SSL/TLS secure channel" / "protocol version"`,
      { supported: sup.map((p) => p.version) }));
  }
  if (!has('TLSv1.3') && known('TLSv1.3')) {
    out.push(finding('protocol.no-tls13', `the server does not accept TLS 1.3 (it accepts ${sup.map((p) => p.version).join(', ')})`, { supported: sup.map((p) => p.version) }));
  }
  return out;
}

/**
 * protocol.hello-intolerance and protocol.extension-intolerance, from the
 * scan's errors (scan/run.ts says which versions needed a short hello, or
 * one without extensions, to be answered).
 */
export function intoleranceFindings(errors: readonly ScanError[]): Finding[] {
  const versionsWith = (code: string) => errors.filter((e) => e.code === code && e.stage.startsWith('protocols:')).map((e) => e.stage.slice('protocols:'.length));
  const out: Finding[] = [];
  const long = versionsWith('intolerance');
  if (long.length) {
    out.push(finding('protocol.hello-intolerance', `the server did not answer a full-length ClientHello (every suite) with ${long.join(', ')}, and answered a short one`, { versions: long }));
  }
  const bare = versionsWith('extension-intolerance');
  if (bare.length) {
    out.push(finding('protocol.extension-intolerance', `the server dropped or refused every ClientHello with extensions with ${bare.join(', ')}, and answered one without`, { versions: bare }));
  }
  return out;
}

/**
 * protocol.no-secure-renegotiation and protocol.no-extended-master-secret,
 * from the ServerHello features of the scan; protocol.no-downgrade-sentinel
 * from round 1's TLS 1.2 ServerHello; protocol.heartbleed, protocol.robot,
 * protocol.ccs-injection, protocol.compression and protocol.no-fallback-scsv from its checks
 * (scan/checks.ts, scan/robot.ts); unknown (null) says nothing.
 */
export function featureFindings(f: ServerFeatures | undefined, protocols: ProtocolResult[]): Finding[] {
  const out: Finding[] = [];
  const tls13 = protocols.some((p) => p.version === 'TLSv1.3' && p.supported);
  if (f?.heartbleed) {
    out.push(finding('protocol.heartbleed', 'the server took up the heartbeat extension and answered a heartbeat request that claimed 16 KB of payload and carried none with a heartbeat record of its own memory', { heartbeat: true }));
  }
  if (f?.ccsInjection) {
    out.push(finding('protocol.ccs-injection', 'sent two ChangeCipherSpec records right behind the ClientHello, before any key exchange: the server took the first and could not decrypt the second (bad_record_mac or decryption_failed), where a fixed server refuses the first with unexpected_message', { ccsInjection: true }));
  }
  if (f?.robot) {
    out.push(finding('protocol.robot', `offered only RSA key exchange suites and sent, with the hello, a ClientKeyExchange whose premaster block was padded five ways: the server reacted differently to the well-padded one than to some badly padded ones, the same way three times (${(f.robotReactions ?? []).join('; ')})`,
      { reactions: f.robotReactions ?? [] }));
  }
  if (f?.paddingOracle) {
    const reactions = f.paddingOracleReactions ?? [];
    const told = reactions.map((r, i) => `${PADDING_CASES[i] ?? `case ${i + 1}`}: ${r}`).join('; ');
    if (f.paddingOracleKind === 'poodle-tls') {
      out.push(finding('protocol.poodle-tls', `after a full handshake with a CBC suite, sent a record with the right MAC and padding bytes that were wrong but for the last: the server took it, where it refused a wrong MAC, the same way three times (${told})`, { reactions }));
    } else {
      out.push(finding('protocol.padding-oracle', `after a full handshake with a CBC suite, sent records whose MAC or padding was wrong in five ways: the server did not answer them all alike, the same way three times (${told})`
        + (f.paddingOracleKind === 'zero-length' ? '; only the empty record was told apart, as OpenSSL 1.0.2 before 1.0.2r did (CVE-2019-1559)' : ''), { reactions, kind: f.paddingOracleKind ?? 'oracle' }));
    }
  }
  if (f?.clientRenegotiation) {
    const answer = f.clientRenegotiationAnswer ?? 'handshake';
    if (f.secureRenegotiation === false) {
      out.push(finding('protocol.insecure-renegotiation', 'the server\'s ServerHello carries no renegotiation_info, and it answered a ClientHello sent inside an established connection with a new handshake: it renegotiates without RFC 5746\'s binding to the connection', { answer }));
    } else {
      out.push(finding('protocol.client-renegotiation', 'after a full handshake, sent a ClientHello inside the connection (with RFC 5746\'s renegotiation_info): the server answered it with a new handshake instead of a no_renegotiation alert', { answer }));
    }
  }
  if (f?.kxReuse) {
    const reused = reusedSamples(f.kxReuseSamples ?? []);
    out.push(finding('protocol.kx-reuse', `the server sent the same ephemeral public key in more than one connection: ${reused.map((x) => `${x.kind} ${x.group}, ${keysText(x)}`).join('; ')}`,
      { samples: reused }));
  }
  if (f?.compression) {
    out.push(finding('protocol.compression', 'offered DEFLATE before null compression, the server chose DEFLATE', {}));
  }
  if (f?.fallbackScsv === false) {
    const spoken = protocols.filter((p) => p.supported).map((p) => p.version);
    out.push(finding('protocol.no-fallback-scsv', `the server accepted a hello below its newest version (${spoken[spoken.length - 1]}) that carried TLS_FALLBACK_SCSV, instead of refusing it with inappropriate_fallback`
      + (f.downgradeSentinel ? '; clients that speak TLS 1.3 detect a downgrade from it anyway (RFC 8446 section 4.1.3)' : ''), { versions: spoken, tls13 }));
  }
  if (f?.downgradeSentinel === false) {
    out.push(finding('protocol.no-downgrade-sentinel', 'the server speaks TLS 1.3, but the random of its TLS 1.2 ServerHello does not end with the DOWNGRD marker', {}));
  }
  if (!f?.version) return out;
  if (f.secureRenegotiation === false) {
    out.push(finding('protocol.no-secure-renegotiation', `the ${f.version} ServerHello carries no renegotiation_info: OpenSSL 3 clients refuse to connect with TLS 1.2 or older ("unsafe legacy renegotiation disabled")${tls13 ? '; those that speak TLS 1.3 use it and are not affected' : ''}`, { version: f.version, tls13 }, tls13 ? 'medium' : undefined));
  }
  if (f.extendedMasterSecret === false && protocols.some((p) => p.version === 'TLSv1.2' && p.supported)) {
    out.push(finding('protocol.no-extended-master-secret', `the ${f.version} ServerHello carries no extended_master_secret: FIPS-mode clients on RHEL 9.2+ refuse TLS 1.2 without it${tls13 ? ' (they use TLS 1.3 with this server)' : ', and this server has no TLS 1.3'}`,
      { version: f.version, tls13 }, tls13 ? 'low' : undefined));
  }
  return out;
}

/**
 * protocol.weak-signature-hash, from `scan --sigalgs`: the TLS 1.2 schemes
 * with MD5 or SHA-1 that the server signed with when offered alone (SHA-224,
 * also marked weak there, is not deprecated by RFC 9155).
 */
export function signatureFindings(sigalgs: readonly SignatureAlgorithmsResult[] | undefined): Finding[] {
  const weak = (sigalgs ?? []).filter((v) => v.version === 'TLSv1.2').flatMap((v) => v.accepted).filter((a) => a.hash === 'md5' || a.hash === 'sha1');
  if (!weak.length) return [];
  return [finding('protocol.weak-signature-hash', `offered alone in a TLS 1.2 hello, ${weak.map((a) => a.name).join(' and ')} ${weak.length > 1 ? 'were' : 'was'} taken: the server signed its ServerKeyExchange with ${weak.length > 1 ? 'them' : 'it'}`,
    { schemes: weak.map((a) => a.name) })];
}

/**
 * scan.incomplete, from the scan's errors: probes that got no answer at all
 * (scan/context.ts, noAnswers) or a scan stopped at its deadline.
 */
/** A scan that got no version: a port that answers in plain text, or a server that wants a name (SNI). */
export function noTlsFindings(errors: readonly ScanError[]): Finding[] {
  const out: Finding[] = [];
  for (const e of errors) {
    if (e.code === 'not-tls') out.push(finding('handshake.not-tls', e.message, { plainText: e.evidence?.plainText ?? null }));
    if (e.code === 'sni-required') {
      const alerts = e.evidence?.alerts ?? null;
      out.push(finding('handshake.sni-required', alerts !== null ? e.message.replace(` (${alerts})`, '') : e.message, { alerts }));
    }
  }
  return out;
}

export function incompleteFindings(errors: readonly ScanError[]): Finding[] {
  const why = errors.filter((e) => e.code === 'stalled' || e.code === 'incomplete' || e.code === 'deadline');
  if (!why.length) return [];
  return [finding('scan.incomplete', why.map((e) => e.message).join('; '), { reasons: why.map((e) => e.code) })];
}

export function cipherFindings(protocols: ProtocolResult[]): Finding[] {
  const out: Finding[] = [];
  const all = allSuites(protocols);
  if (all.length === 0) return out;
  const pick = (f: (s: CipherSuiteResult) => boolean) => all.filter((x) => f(x.suite));
  const add = (id: Parameters<typeof finding>[0], xs: SuiteAt[], what: string, extra: Record<string, unknown> = {}) => {
    if (xs.length) out.push(finding(id, `${what}: ${list(xs)} (with ${versions(xs)})`, { ...evidence(xs), ...extra }));
  };
  add('cipher.null', pick((s) => s.null), 'the server offers suites that do not encrypt');
  add('cipher.anonymous', pick((s) => s.anonymous), 'the server offers suites without authentication');
  add('cipher.export', pick((s) => s.export), 'the server offers export-grade suites');
  add('cipher.rc4', pick(isRc4), 'the server offers RC4');
  add('cipher.des', pick((s) => isSingleDes(s) && !s.export), 'the server offers single-DES suites');
  add('cipher.3des', pick(is3des), 'the server offers 3DES suites');
  add('cipher.64bit-block', pick((s) => is64bitOther(s) && !s.export), 'the server offers suites with a 64-bit block cipher');
  add('cipher.weak', pick((s) => !s.null && !s.export && s.bits > 0 && s.bits < 112 && !isSingleDes(s) && !isRc4(s)), 'the server offers suites with fewer than 112 bits of key');

  const nonTls13 = all.filter((x) => x.version !== 'TLSv1.3');
  const tls13 = all.some((x) => x.version === 'TLSv1.3');
  if (!tls13 && nonTls13.length && !nonTls13.some((x) => x.suite.forwardSecrecy)) {
    out.push(finding('cipher.no-forward-secrecy', `none of the ${new Set(nonTls13.map((x) => x.suite.name)).size} suites the server accepts uses an ephemeral key exchange (ECDHE/DHE), and TLS 1.3 is not supported`, evidence(nonTls13)));
  } else {
    add('cipher.static-rsa', pick(isStaticRsa).filter((x) => x.version !== 'TLSv1.3'), 'the server also accepts static-RSA key exchange');
  }
  if (!all.some((x) => x.suite.aead)) {
    out.push(finding('cipher.no-aead', 'no accepted suite uses authenticated encryption (GCM, CCM or ChaCha20-Poly1305)', evidence(all)));
  } else {
    add('cipher.cbc', pick(isCbc).filter((x) => x.version === 'TLSv1.2'), 'the server accepts CBC-mode suites in TLS 1.2');
  }
  const dh = all.filter((x) => typeof x.suite.dhBits === 'number' && isDhe(x.suite) && x.suite.dhBits < 2048);
  if (dh.length) {
    const min = Math.min(...dh.map((x) => x.suite.dhBits!));
    // A published prime (wire/dh-groups.ts) is shared by every server that uses it: one
    // precomputation serves against all of them, within a nation-state's reach at 1024 bits
    // (Logjam: Adrian et al., "Imperfect Forward Secrecy", CCS 2015).
    const shared = [...new Set(dh.map((x) => x.suite.dhGroup).filter((g): g is string => !!g))];
    const sharedSmall = dh.some((x) => x.suite.dhGroup && x.suite.dhBits! <= 1024);
    const why = !shared.length ? ''
      : sharedSmall ? `; the prime is ${shared.join(', ')}, a published one that many servers share: one precomputation against it breaks the key exchange of every one of them, and at 1024 bits that is within a nation-state's reach (Logjam, CVE-2015-4000)`
        : `; the prime is ${shared.join(', ')}, a published one`;
    out.push(finding('cipher.weak-dh', `the server uses ${min}-bit Diffie-Hellman parameters with ${list(dh)} (minimum 2048)${why}`,
      { ...evidence(dh), dhBits: min, ...(shared.length ? { dhGroups: shared } : {}) }, min < 1024 ? 'critical' : sharedSmall ? 'high' : 'medium'));
  }
  const weakSet = (s: CipherSuiteResult) => s.strength === 'weak' || s.strength === 'insecure';
  const clientOrder = supportedProtocols(protocols).filter((p) => p.serverPreference === false && p.cipherSuites.some(weakSet));
  if (clientOrder.length) {
    out.push(finding('cipher.no-server-preference', `with ${clientOrder.map((p) => p.version).join(', ')} the server lets the client choose, and weak suites are enabled (${list(clientOrder.flatMap((p) => p.cipherSuites.filter(weakSet).map((suite) => ({ version: p.version, suite }))))})`,
      { versions: clientOrder.map((p) => p.version) }));
  }
  return out;
}
