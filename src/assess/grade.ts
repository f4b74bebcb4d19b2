/**
 * A grade in the manner of the SSL Labs Server Rating Guide (2009 method:
 * protocol 30%, key exchange 30%, cipher strength 40%; numeric score to
 * letter) plus the caps SSL Labs announced later. docs/grading.md lists
 * every rule, its source and where tlsdoctor differs.
 */
import type { Grade, ProtocolResult, Finding, ProtocolName } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { allSuites, supportedProtocols, isRc4, is3des, is64bitOther, isSingleDes, isDhe } from './protocol.js';

export const GRADE_ORDER = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F'] as const;

const PROTOCOL_SCORE: Record<ProtocolName, number> = { SSLv2: 0, SSLv3: 80, 'TLSv1.0': 90, 'TLSv1.1': 95, 'TLSv1.2': 100, 'TLSv1.3': 100 };

/** Key-exchange strength (RSA-equivalent bits) to score (rating guide table 2). */
export function keyExchangeScore(bits: number, exportKx = false): number {
  if (bits <= 0) return 0;
  if (bits < 512) return 20;
  if (exportKx) return 40;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

/**
 * Cipher key bits to score (rating guide table 3). The guide counts 3DES as
 * 168 bits ("< 256 bits, e.g. 128, 168": 80%); the registry carries its
 * effective 112 bits, so the 20% class ends below 112.
 */
export function cipherScore(bits: number): number {
  if (bits <= 0) return 0;
  if (bits < 112) return 20;
  if (bits < 256) return 80;
  return 100;
}

export function letterFor(score: number): string {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

/** RSA-equivalent strength of a certificate key (NIST SP 800-57 part 1 table 2). */
export function rsaEquivalent(keyType: string, bits: number): number {
  if (keyType === 'EC' || keyType === 'Ed25519' || keyType === 'Ed448') {
    if (bits >= 512) return 15360;
    if (bits >= 384) return 7680;
    if (bits >= 256) return 3072;
    if (bits >= 224) return 2048;
    if (bits >= 160) return 1024;
    return 512;
  }
  return bits;
}

/** RSA-equivalent strength of an ECDHE group name (x25519 and P-256 ~ 3072). */
function groupEquivalent(name: string | undefined): number | null {
  if (!name) return null;
  const n = name.toLowerCase();
  if (/x25519|secp256|prime256|p-256|brainpoolp256/.test(n)) return 3072;
  if (/x448|secp384|p-384|brainpoolp384/.test(n)) return 7680;
  if (/secp521|p-521|brainpoolp512/.test(n)) return 15360;
  if (/ffdhe(\d+)/.test(n)) return Number(n.match(/ffdhe(\d+)/)![1]);
  if (/mlkem|kyber/.test(n)) return 15360;
  const m = n.match(/(\d{3})/);
  return m ? rsaEquivalent('EC', Number(m[1])) : null;
}

export interface GradeInput {
  protocols: ProtocolResult[];
  trust?: TrustReport | null;
  /** The trust reports of the server's other certificates (ScanResult.alternateChains): the clients that get one are graded by it too. */
  alternates?: { auth: string; trust: TrustReport }[];
  findings: Finding[];
  /** A valid Strict-Transport-Security policy of at least 180 days came with the HTTPS answer (assess/http.ts longHsts): an A may become A+. */
  longHsts?: boolean;
}

function minGrade(a: string, b: string): string {
  return GRADE_ORDER.indexOf(a as never) >= GRADE_ORDER.indexOf(b as never) ? a : b;
}

export function computeGrade(input: GradeInput): Grade {
  const caps: { grade: string; reason: string }[] = [];
  const cap = (grade: string, reason: string) => caps.push({ grade, reason });
  const sup = supportedProtocols(input.protocols);
  const suites = allSuites(input.protocols);
  const has = (v: ProtocolName) => sup.some((p) => p.version === v);
  const modern = (v: ProtocolName) => v === 'TLSv1.1' || v === 'TLSv1.2' || v === 'TLSv1.3';
  // Every certificate the server sends, its first choice first; the others' reasons say which.
  const chains = [{ trust: input.trust, label: '' }, ...(input.alternates ?? []).map((a) => ({ trust: a.trust as TrustReport | null | undefined, label: `${a.auth} certificate: ` }))];

  // Protocol score: average of the best and the worst protocol.
  let protocol = 0;
  if (sup.length) {
    const s = sup.map((p) => PROTOCOL_SCORE[p.version]);
    protocol = (Math.max(...s) + Math.min(...s)) / 2;
  }

  // Key exchange: the weakest of the certificate key and the ephemeral parameters.
  let keyExchange = 0;
  if (suites.length) {
    let weakest = Infinity;
    let exportKx = false;
    for (const { trust } of chains) {
      const key = trust?.path[0]?.info;
      if (key && key.keyBits > 0) weakest = Math.min(weakest, rsaEquivalent(key.keyType, key.keyBits));
    }
    for (const { suite } of suites) {
      if (suite.anonymous) weakest = 0;
      if (suite.export) { exportKx = true; weakest = Math.min(weakest, 512); }
      if (typeof suite.dhBits === 'number' && isDhe(suite)) weakest = Math.min(weakest, suite.dhBits);
      const g = groupEquivalent(suite.kxGroup);
      if (g !== null && !isDhe(suite)) weakest = Math.min(weakest, g);
    }
    if (weakest === Infinity) weakest = 2048; // no key information: assume the common case
    keyExchange = keyExchangeScore(weakest, exportKx);
  }

  // Cipher: average of the strongest and the weakest suite.
  let cipher = 0;
  if (suites.length) {
    const b = suites.map((x) => cipherScore(x.suite.null ? 0 : x.suite.bits));
    cipher = (Math.max(...b) + Math.min(...b)) / 2;
  }
  const score = Math.round(protocol * 0.3 + keyExchange * 0.3 + cipher * 0.4);
  let grade = letterFor(score);
  if (sup.length === 0) cap('F', 'no SSL/TLS protocol version could be negotiated');

  // Protocol caps.
  if (has('SSLv2')) cap('F', 'SSL 2.0 is supported');
  if (has('SSLv3') && sup.every((p) => p.version === 'SSLv3' || p.version === 'SSLv2')) cap('F', 'only SSL 3.0 is supported');
  else if (has('SSLv3')) {
    const cbc = sup.find((p) => p.version === 'SSLv3')?.cipherSuites.some((s) => /CBC/i.test(s.cipher + s.name));
    cap(cbc ? 'C' : 'B', cbc ? 'SSL 3.0 is supported with CBC suites (POODLE)' : 'SSL 3.0 is supported');
  }
  if (has('TLSv1.0') || has('TLSv1.1')) cap('B', `${[has('TLSv1.0') ? 'TLS 1.0' : '', has('TLSv1.1') ? 'TLS 1.1' : ''].filter(Boolean).join(' and ')} supported`);
  if (sup.length && !has('TLSv1.2') && !has('TLSv1.3')) cap('C', 'TLS 1.2 is not supported');

  // Cipher caps.
  if (suites.some((x) => x.suite.export)) cap('F', 'export cipher suites are supported');
  if (suites.some((x) => x.suite.anonymous)) cap('F', 'anonymous cipher suites are supported');
  if (suites.some((x) => x.suite.null)) cap('F', 'NULL cipher suites are supported');
  const rc4 = suites.filter((x) => isRc4(x.suite));
  if (rc4.some((x) => modern(x.version))) cap('C', 'RC4 is used with TLS 1.1 or later');
  else if (rc4.length) cap('B', 'RC4 is supported (only with old protocols)');
  const b64 = suites.filter((x) => is3des(x.suite) || is64bitOther(x.suite) || isSingleDes(x.suite));
  if (b64.some((x) => modern(x.version))) cap('C', '64-bit block ciphers (3DES, DES, IDEA) are used with TLS 1.1 or later (Sweet32)');
  const dh = suites.filter((x) => typeof x.suite.dhBits === 'number' && isDhe(x.suite)).map((x) => x.suite.dhBits!);
  if (dh.length && Math.min(...dh) < 1024) cap('F', `Diffie-Hellman parameters of ${Math.min(...dh)} bits (below 1024)`);
  else if (dh.length && Math.min(...dh) < 2048) cap('B', `Diffie-Hellman parameters of ${Math.min(...dh)} bits (below 2048)`);
  const nonTls13 = suites.filter((x) => x.version !== 'TLSv1.3');
  if (!has('TLSv1.3') && nonTls13.length && !nonTls13.some((x) => x.suite.forwardSecrecy)) cap('B', 'no forward secrecy');
  if (suites.length && !suites.some((x) => x.suite.aead)) cap('A-', 'no AEAD cipher suite');

  // Certificate caps (not trust).
  for (const { trust, label } of chains) {
    const key = trust?.path[0]?.info;
    if (key) {
      if (key.keyType === 'RSA' && key.keyBits > 0 && key.keyBits < 1024) cap('F', `${label}certificate key RSA ${key.keyBits} bits (below 1024)`);
      else if (key.keyType === 'RSA' && key.keyBits > 0 && key.keyBits < 2048) cap('B', `${label}certificate key RSA ${key.keyBits} bits (below 2048)`);
      const md5 = trust!.path.some((c) => c.source !== 'store' && !(c.info.selfSigned && c !== trust!.path[0]) && (c.signatureHash === 'md5' || c.signatureHash === 'md2'));
      if (md5) cap('F', `${label}a certificate is signed with MD5/MD2`);
    }
    if (trust?.incomplete) cap('B', `${label}incomplete certificate chain`);
  }
  if (input.findings.some((f) => f.id === 'certificate.revoked-or-unknown' && (f.evidence as { status?: string } | undefined)?.status === 'revoked')) {
    cap('F', 'the certificate is revoked (stapled OCSP)');
  }
  if (input.findings.some((f) => f.id === 'certificate.revoked')) cap('F', 'the certificate is revoked (the CA\'s OCSP responder or CRL)');
  if (input.findings.some((f) => f.id === 'protocol.heartbleed')) cap('F', 'vulnerable to Heartbleed (CVE-2014-0160): the server\'s memory, private key included, can be read');
  if (input.findings.some((f) => f.id === 'protocol.robot')) cap('F', 'a Bleichenbacher oracle on RSA key exchange (ROBOT): recorded sessions can be decrypted');
  if (input.findings.some((f) => f.id === 'protocol.insecure-renegotiation')) cap('F', 'insecure renegotiation (CVE-2009-3555): an attacker in the middle can splice its own request in front of a client\'s');
  if (input.findings.some((f) => f.id === 'protocol.poodle-tls' || f.id === 'protocol.padding-oracle')) cap('C', 'a CBC padding oracle (POODLE-TLS, Zombie POODLE, GOLDENDOODLE): an attacker in the middle decrypts secrets byte by byte, as POODLE does on SSL 3.0');

  for (const c of caps) grade = minGrade(grade, c.grade);
  // A+ (SSL Labs): an A with a long HSTS policy, from a server that refuses downgrades marked with TLS_FALLBACK_SCSV.
  if (grade === 'A' && input.longHsts && !input.findings.some((f) => f.id === 'protocol.no-fallback-scsv')) grade = 'A+';
  const gradeIgnoringTrust = grade;

  // Trust (T) and name mismatch (M): shown instead of the letter; the letter stays in gradeIgnoringTrust.
  const trustReasons: string[] = [];
  const ids = new Set(input.findings.map((f) => f.id));
  for (const { trust, label } of chains) {
    if (trust && trust.certificates.length && !trust.trusted) {
      trustReasons.push(label + (trust.problem === 'self-signed' ? 'self-signed certificate'
        : trust.problem === 'incomplete-chain' ? 'incomplete chain: no path to a trusted root'
          : trust.problem === 'bad-signature' ? 'invalid certificate signature' : 'certificate not trusted (unknown root)'));
    }
  }
  if (input.trust && input.trust.certificates.length) {
    if (ids.has('certificate.expired')) trustReasons.push('expired certificate');
    if (ids.has('certificate.not-yet-valid')) trustReasons.push('certificate not yet valid');
    if (input.findings.some((f) => f.id === 'certificate.weak-signature' && f.severity !== 'info')) trustReasons.push('SHA-1/MD5 signed certificate');
    if (ids.has('certificate.not-server-auth')) trustReasons.push('certificate not valid for server authentication (EKU)');
  }
  let shown = grade;
  if (trustReasons.length) {
    for (const r of trustReasons) caps.push({ grade: 'T', reason: r });
    shown = 'T';
  }
  if (ids.has('certificate.hostname-mismatch')) {
    caps.push({ grade: 'M', reason: 'certificate name mismatch' });
    if (shown !== 'T') shown = 'M';
  }
  const partial = ids.has('scan.incomplete');
  return { grade: shown, gradeIgnoringTrust, score, scores: { protocol, keyExchange, cipher }, caps, ...(partial ? { partial } : {}) };
}
