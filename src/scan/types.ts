/**
 * The typed result of a scan: what checks produce, what assess/ reads and what
 * report/ renders. Its JSON form is defined by schema/scan-result.schema.json;
 * a breaking change here needs a new SCHEMA_VERSION.
 */
import type { Sct } from '../x509/sct.js';
import type { HpkpPolicy, HstsPolicy } from '../http/response.js';
export type { HpkpPolicy, HstsPolicy } from '../http/response.js';

export const SCHEMA_VERSION = '1.5';

export type ProtocolName = 'SSLv2' | 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const PROTOCOLS: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Strength class of a cipher suite (see registry/ciphers). */
export type Strength = 'recommended' | 'secure' | 'weak' | 'insecure';

export interface TargetInfo {
  host: string;
  port: number;
  /** The IP address that was actually scanned. */
  address: string | null;
  /** The SNI sent, or null when none was sent (IP literal target without --sni). */
  sni: string | null;
  /** The STARTTLS preamble used (--starttls), when one was. */
  starttls?: 'smtp' | 'imap' | 'pop3' | 'ftp' | 'postgres' | 'ldap';
  /**
   * Every address the host name resolved to (DNS or --resolve), in the
   * resolver's order, when there was more than one; `address` is the one
   * scanned (the first, unless --all-addresses scanned each).
   */
  addresses?: string[];
}

export interface CipherSuiteResult {
  id: number;
  /** IANA name (or the SSLv2 kind's name for SSLv2). */
  name: string;
  openssl: string | null;
  kx: string;
  auth: string;
  cipher: string;
  bits: number;
  mac: string;
  aead: boolean;
  forwardSecrecy: boolean;
  export: boolean;
  anonymous: boolean;
  null: boolean;
  strength: Strength;
  /** Key exchange parameters the server chose with this suite, when seen (ServerKeyExchange). */
  kxGroup?: string;
  dhBits?: number;
  /**
   * The DHE prime by name when it is a published one (wire/dh-groups.ts): ffdhe2048-8192 (RFC 7919),
   * modp768-8192 (RFC 2409/3526); absent for a prime of the server's own.
   */
  dhGroup?: string;
}

/** The certificate a server sends with the suites of one authentication (ScanResult.alternateChains). */
export interface AlternateChain {
  /** The suites' authentication: which clients get this chain (those offering only such suites, or preferring them). */
  auth: CertificateAuth;
  /** A TLS <= 1.2 suite it was sent with; absent when it came from TLS 1.3, where the signature algorithms offered choose it. */
  suite?: number;
  certificates: CertificateInfo[];
}

/** The certificate kinds a TLS <= 1.2 suite asks for. */
export type CertificateAuth = 'RSA' | 'ECDSA' | 'DSS';

export interface ProtocolResult {
  version: ProtocolName;
  supported: boolean;
  /** true: the server picks by its own order; false: it follows the client's; null: not determinable (0/1 suite or unsupported). */
  serverPreference: boolean | null;
  /**
   * With a server order that does not start with a ChaCha20-Poly1305 suite:
   * true when the server picks a ChaCha20 suite for a client that lists one
   * first (OpenSSL's PrioritizeChaCha, Go), false when it keeps its order,
   * null when that hello got no answer. Absent otherwise (client order, no
   * ChaCha20 suite, or one first in the order).
   */
  prioritizesChaCha?: boolean | null;
  /** In server order when serverPreference is true; otherwise in registry order. */
  cipherSuites: CipherSuiteResult[];
  /** Why the result is incomplete, when it is. */
  error?: string;
}

/**
 * What the server's TLS <= 1.2 ServerHello says beside the version and suite
 * (round 1's answer at the newest such version; null when none came, or
 * only to a hello without extensions, which gives the server nothing to
 * echo).
 */
/** What kxReuse compared for one curve or DH prime (ServerFeatures.kxReuseSamples). */
export interface KxReuseSample {
  kind: 'ECDHE' | 'DHE';
  /** The curve, or the DH prime's name (or its size, "2048-bit prime"). */
  group: string;
  /** Handshakes that showed a key for it. */
  handshakes: number;
  /** Distinct public keys among them: fewer than handshakes is reuse. */
  distinctKeys: number;
}

export interface ServerFeatures {
  /** RFC 5746: renegotiation_info in the ServerHello. Without it, OpenSSL 3 clients refuse TLS <= 1.2. */
  secureRenegotiation: boolean | null;
  /** RFC 7627: extended_master_secret in the ServerHello. Without it, FIPS-mode clients (RHEL 9.2+) refuse TLS 1.2. */
  extendedMasterSecret: boolean | null;
  /** The version whose ServerHello this is. */
  version: ProtocolName | null;
  /**
   * Whether the server asks for a client certificate (mutual TLS) in its
   * handshake, and the CAs it names (empty: any); null when no complete
   * flight was read. Whether it also requires one shows only when a client
   * sends none (tlsdoctor diagnose).
   */
  clientCertificate: { requested: boolean; authorities: string[]; version: ProtocolName } | null;
  /**
   * Whether the server staples an OCSP response (RFC 6066 status_request) to
   * its certificate: round 1's TLS <= 1.2 flight, or for a TLS 1.3-only server
   * the leaf entry of the decrypted Certificate; null when neither was read.
   */
  ocspStapling?: boolean | null;
  /** The stapled OCSPResponse, base64 DER. */
  ocspResponse?: string;
  /**
   * Whether the server sent SCTs in the TLS extension when asked (signed_certificate_timestamp:
   * round 1's TLS <= 1.2 ServerHello, or for a TLS 1.3-only server the leaf's entry of the
   * Certificate message of our TLS 1.3 handshake); they are in the leaf's `scts`. null when
   * neither was read.
   */
  sctExtension?: boolean | null;
  /**
   * The checks of scan/checks.ts (null: not asked, not applicable or no
   * answer): whether the server refuses a downgraded hello that carries
   * TLS_FALLBACK_SCSV (RFC 7507); chooses DEFLATE compression when offered
   * (CRIME); takes up the heartbeat extension (RFC 6520); and answers a
   * malformed heartbeat request with its memory (Heartbleed).
   */
  fallbackScsv?: boolean | null;
  /**
   * A server that speaks TLS 1.3 marks the random of its TLS 1.2 ServerHello
   * (RFC 8446 section 4.1.3), so that TLS 1.3 clients detect a downgrade;
   * absent unless the server speaks both.
   */
  downgradeSentinel?: boolean;
  compression?: boolean | null;
  heartbeat?: boolean | null;
  heartbleed?: boolean | null;
  /**
   * CCS injection (CVE-2014-0224, scan/checks.ts): the server took a
   * ChangeCipherSpec before the key exchange (true) or refused it (false);
   * null: not asked (no TLS <= 1.2) or no clear answer.
   */
  ccsInjection?: boolean | null;
  /**
   * The application protocol the server chose when offered h2, then
   * http/1.1 (ALPN, RFC 7301): 'h2' means HTTP/2; null: none. Absent
   * through STARTTLS, and when no hello showed it.
   */
  alpn?: string | null;
  /**
   * Whether the server reuses an ECDHE or DHE key in another connection
   * (scan/kx-reuse.ts: every ServerKeyExchange the scan read, one per
   * connection): true, a public value came back; false, every curve or prime
   * seen twice or more had a fresh key each time; null, none was seen twice.
   */
  kxReuse?: boolean | null;
  /** What kxReuse compared: per curve or DH prime seen in two handshakes or more. */
  kxReuseSamples?: KxReuseSample[];
  /**
   * ROBOT (scan/robot.ts): the server tells well-padded RSA premaster
   * secrets from badly padded ones (true); reacts to all alike (false);
   * null: no RSA key exchange or no clear answer.
   */
  robot?: boolean | null;
  /** The reaction to each of the five ROBOT variants (robot.ts ROBOT_VARIANTS), when asked. */
  robotReactions?: string[];
  /**
   * CBC padding oracle (scan/padding-oracle.ts): the server answers records
   * whose MAC or padding is wrong in different ways, or takes one whose
   * padding bytes are wrong (true); answers them all alike (false); null:
   * not asked (no CBC suite, no TLS 1.0-1.2, a server that serves one
   * connection at a time unless --padding-oracle) or no clear answer.
   */
  paddingOracle?: boolean | null;
  /** What the oracle is: 'poodle-tls' (CVE-2014-8730), 'zero-length' (CVE-2019-1559 class), 'oracle' (Zombie POODLE, GOLDENDOODLE class). */
  paddingOracleKind?: 'poodle-tls' | 'zero-length' | 'oracle';
  /** The reaction to each of the five cases (padding-oracle.ts PADDING_CASES), when asked. */
  paddingOracleReactions?: string[];
  /** The reaction to the control, a record made right (what taking a record looks like on this server). */
  paddingOracleControl?: string;
  /** Why paddingOracle is null, when it is. */
  paddingOracleNote?: string;
  /**
   * Client-initiated renegotiation (scan/renegotiation.ts): the server starts
   * a new handshake when the client asks inside a TLS 1.0-1.2 connection
   * (true: a denial-of-service lever); refuses (false); null: not asked (no
   * TLS 1.0-1.2, a server that serves one connection at a time unless
   * --renegotiation) or no clear answer.
   */
  clientRenegotiation?: boolean | null;
  /** What came back after the renegotiation's ClientHello: 'handshake', 'alert <name> (<code>)', 'closed' or 'reset'. */
  clientRenegotiationAnswer?: string;
  /** Why clientRenegotiation is null, when it is. */
  clientRenegotiationNote?: string;
  /**
   * Session resumption (scan/resumption.ts, asked with --resumption): the
   * server resumed a session by its ID (a session cache) / by a session
   * ticket (RFC 5077); false also when it gave no ID or issued no ticket;
   * null: no clear answer. Absent when not asked.
   */
  sessionResumptionIds?: boolean | null;
  sessionResumptionTickets?: boolean | null;
  /** What was missing (no session ID, no ticket) or why a field is null. */
  sessionResumptionNote?: string;
}

/** The five records of the padding-oracle check (scan/padding-oracle.ts), as Craig Young's padcheck makes them. */
export const PADDING_CASES = [
  'wrong MAC, valid padding',
  'no MAC, 255-byte padding',
  'valid MAC, wrong padding bytes',
  'padding bytes 0x80',
  'empty record, wrong MAC',
] as const;

export interface GroupResult {
  id: number;
  name: string;
  /** Post-quantum hybrid or pure PQ KEM. */
  pq: boolean;
  /** Versions this group was accepted with. */
  versions: ProtocolName[];
  /** Server preference rank (0 = most preferred) when determinable. */
  rank?: number;
}

export interface CertificateInfo {
  /** Position in the chain as sent (0 = leaf). */
  index: number;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** DNS and IP subjectAltNames, e.g. "DNS:example.com", "IP:127.0.0.1". */
  subjectAltNames: string[];
  keyType: string;
  keyBits: number;
  signatureAlgorithm: string;
  /** SHA-256 of the DER certificate, hex. */
  sha256: string;
  /** base64(SHA-256(SubjectPublicKeyInfo)): the SPKI pin. */
  spkiSha256: string;
  selfSigned: boolean;
  isCA: boolean;
  pem: string;
  /**
   * Certificate Transparency (x509/sct.ts): the SCTs embedded in the certificate and, for the
   * leaf, those of the TLS signed_certificate_timestamp extension and (once assessed) of a
   * stapled OCSP response; absent when there are none.
   */
  scts?: Sct[];
}

export interface Finding {
  /** Stable id, e.g. "protocol.tls10-enabled", "certificate.expired" (docs/findings.md). */
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  resolution: string;
  evidence?: Record<string, unknown>;
}

/** What the server's web side says about TLS: its answer to `GET /` over TLS (net/https-head.ts). */
export interface HttpCheck {
  /** The answer's status code; null when none came (`error` says why) or the request was not made (`note` says why). */
  status: number | null;
  /** Where a redirect points (Location). */
  location?: string;
  /** The Server header: the software that answered. */
  server?: string;
  /** Strict-Transport-Security (RFC 6797), the first such header; null when the answer had none (or there was no answer). */
  hsts: HstsPolicy | null;
  /** Public-Key-Pins (RFC 7469, which browsers dropped in 2019-2020), or its Report-Only form when only that came; absent when neither did. */
  hpkp?: HpkpPolicy;
  /**
   * Content-Encoding of the answer, asked with `Accept-Encoding: gzip, deflate, br` as browsers
   * ask (schemaVersion 1.4): an HTTP-compressed answer is what BREACH (CVE-2013-3587) measures.
   */
  contentEncoding?: string;
  /** The request's handshake, when it was TLS 1.3: the session tickets and 0-RTT the server offers. */
  tls13?: Tls13Tickets;
  /** Why there is no answer: what failed. */
  error?: string;
  /** Why the request was not made. */
  note?: string;
}

/** What a TLS 1.3 server's NewSessionTicket says (RFC 8446 section 4.6.1), as read from the session node:tls kept (net/openssl-session.ts). */
export interface Tls13Tickets {
  /** A ticket came: the server resumes TLS 1.3 sessions. */
  tickets: boolean;
  /** The ticket's lifetime hint, seconds. */
  lifetimeSeconds?: number;
  /** The ticket's max_early_data_size: above 0, the server takes that much 0-RTT data on resumption, which an attacker can replay. 0 without a ticket or without the extension. */
  maxEarlyData?: number;
}

export interface Grade {
  /** A+, A, A-, B, C, D, E, F, T (untrusted), M (name mismatch). */
  grade: string;
  /** The grade when trust problems are ignored. */
  gradeIgnoringTrust: string;
  score: number;
  scores: { protocol: number; keyExchange: number; cipher: number };
  caps: { grade: string; reason: string }[];
  /** Set when the scan was incomplete (finding scan.incomplete): the grade may be too good. */
  partial?: boolean;
}

export interface ClientSimulationResult {
  id: string;
  name: string;
  ok: boolean;
  protocol: ProtocolName | null;
  cipherSuite: string | null;
  group: string | null;
  reason: string | null;
  remediation: string | null;
  /** SHA-256 (hex) of the leaf certificate this client got, when its flight showed it (TLS <= 1.2): which of the server's certificates (alternateChains). */
  leafSha256?: string;
}

/** The result of `scan --require POLICY` (e.g. "TLSv1.2,no-cbc"). */
export interface PolicyResult {
  policy: string;
  meets: boolean;
  violations: string[];
  /** Client profiles that connect today and would be cut off by the policy. */
  clientsCutOff: { id: string; name: string; reason: string }[];
}

export interface ScanError {
  /** Which part of the scan failed: "connect", "protocols", "ciphers:TLSv1.2", "groups", "certificates", "deadline", ... */
  stage: string;
  message: string;
  /** Machine-readable kind: "timeout", "reset", "refused", "malformed", "dns", "deadline", ... */
  code?: string;
  /** What the message says, as fields (not-tls: the plain-text line; sni-required: the answers to each version). */
  evidence?: Record<string, string | null>;
}

/** A signature scheme (RFC 8446 §4.2.3; TLS 1.2's hash and signature pairs share its codes). */
export interface SignatureSchemeResult {
  code: number;
  /** IANA name (TLS 1.2 pairs without one: '<signature>_<hash>', e.g. 'rsa_pkcs1_sha224'). */
  name: string;
  hash: string;
  /** MD5, SHA-1 or SHA-224: under 128-bit collision resistance (RFC 9155). */
  weak: boolean;
}

/** The signature schemes one version was asked about, each offered alone (scan/sigalgs.ts). */
export interface SignatureAlgorithmsResult {
  version: 'TLSv1.2' | 'TLSv1.3';
  /** The schemes the server signed with when offered alone, ascending by code. */
  accepted: SignatureSchemeResult[];
  /** The codes offered, one per hello: those that fit the server's keys. */
  tested: number[];
  /** Offered a scheme alone, the server signed with another. */
  ignoresClientList: boolean;
  /** Why nothing (or not everything) could be asked. */
  note?: string;
}

export interface ScanResult {
  schemaVersion: string;
  tool: { name: 'tlsdoctor'; version: string };
  target: TargetInfo;
  startedAt: string;
  durationMs: number;
  /** Exactly one entry per version in PROTOCOLS order. */
  protocols: ProtocolResult[];
  groups: GroupResult[];
  /** The chain as the server sent it (with its first-choice suite at the newest TLS <= 1.2 version; else TLS 1.3's). */
  certificates: CertificateInfo[];
  /**
   * The server's other certificates: a server with an RSA and an ECDSA key
   * (nginx with two ssl_certificate lines) gives a client the one that fits
   * the suites it offers. One chain per other kind of suite it accepts at
   * the newest TLS <= 1.2 version, as sent with such a suite. Absent when
   * there is none.
   */
  alternateChains?: AlternateChain[];
  /** With `scan --sigalgs`: the signature algorithms the server signs its handshake with, per version (TLS 1.2, TLS 1.3). */
  signatureAlgorithms?: SignatureAlgorithmsResult[];
  features?: ServerFeatures;
  /** The server's answer to an HTTPS `GET /` (its Strict-Transport-Security); absent through STARTTLS or when no TLS version answered. */
  http?: HttpCheck;
  findings: Finding[];
  grade?: Grade;
  clients?: ClientSimulationResult[];
  policy?: PolicyResult;
  errors: ScanError[];
}
