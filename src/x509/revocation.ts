/**
 * Revocation, asked of the CA the way a client that checks it does: OCSP
 * (RFC 6960) at the certificate's AIA OCSP URLs and CRLs (RFC 5280 section 5)
 * at its CRL distribution points, over plain HTTP, each exchange bounded (a
 * deadline, a size cap). An answer counts only when it is signed by the
 * issuer, or for OCSP by a responder the issuer delegated (a certificate it
 * issued with id-kp-OCSPSigning, RFC 6960 4.2.2.2), and is current.
 *
 * What matters as much as "revoked" is "nobody answered": Windows (SChannel,
 * .NET), curl on Windows and Java with revocation checks on refuse the
 * connection with "The revocation function was unable to check revocation"
 * (CRYPT_E_REVOCATION_OFFLINE, CRYPT_E_NO_REVOCATION_CHECK) when none of the
 * certificate's revocation servers answers them, or when it names none.
 */
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { errorMessage, WireError } from '../util/errors.js';
import { parseCertificate, type ParsedCertificate } from './cert.js';
import { children, decodeOid, decodeTime, expectTag, isContext, parseDer, TAG, type Tlv } from './der.js';
import { httpExchange } from './http.js';
import type { Proxy } from '../net/proxy.js';
import { parseOcspResponse, CRL_REASONS } from './ocsp.js';
import { EKU, SIGNATURE_ALGORITHMS } from './oids.js';

export type RevocationStatus = 'good' | 'revoked' | 'unknown' | 'unreachable' | 'no-info';

export interface RevocationSource {
  method: 'ocsp' | 'crl';
  url: string;
  /** What it said about the certificate; null when its answer could not be used (see error). */
  status: 'good' | 'revoked' | 'unknown' | null;
  revokedAt?: string;
  reason?: string;
  thisUpdate?: string;
  nextUpdate?: string;
  /** Why the answer could not be used: no answer, HTTP status, malformed, bad signature, stale. */
  error?: string;
  ms: number;
}

export interface RevocationReport {
  /** Serial number of the certificate checked, hex as encoded. */
  serialNumber: string;
  /**
   * revoked: a signed answer says so; good: a signed, current answer says so
   * (and none says revoked); unknown: the OCSP responder does not know it;
   * unreachable: it names revocation servers and none gave a usable answer;
   * no-info: it names none (no CRL distribution point, no OCSP URL).
   */
  status: RevocationStatus;
  sources: RevocationSource[];
}

export interface RevocationOptions {
  /** Deadline of each exchange (default 5000 ms). */
  timeoutMs?: number;
  /** Largest CRL read (default 20 MB). */
  maxCrlBytes?: number;
  now?: Date;
  /** Ask through this HTTP proxy. */
  proxy?: Proxy;
}

/** At most this many URLs of each kind are asked (a certificate can list several mirrors). */
const MAX_URLS = 3;

/** Asks every OCSP responder and CRL distribution point of `leaf` (issued by `issuer`) at once. */
export async function checkRevocation(leafDer: Uint8Array, issuerDer: Uint8Array | null, o: RevocationOptions = {}): Promise<RevocationReport> {
  const leaf = parseCertificate(leafDer);
  const issuer = issuerDer ? parseCertificate(issuerDer) : null;
  const now = o.now ?? new Date();
  const jobs: Promise<RevocationSource>[] = [
    ...leaf.ocspUrls.slice(0, MAX_URLS).map((url) => timed('ocsp', url, () => askOcsp(url, leaf, issuer, o, now))),
    ...leaf.crlUrls.slice(0, MAX_URLS).map((url) => timed('crl', url, () => askCrl(url, leaf, issuer, o, now))),
  ];
  const sources = await Promise.all(jobs);
  return { serialNumber: leaf.serialNumber, status: overall(sources), sources };
}

function overall(sources: RevocationSource[]): RevocationStatus {
  if (!sources.length) return 'no-info';
  for (const s of ['revoked', 'good', 'unknown'] as const) if (sources.some((x) => x.status === s)) return s;
  return 'unreachable';
}

type Answer = Omit<RevocationSource, 'method' | 'url' | 'ms'>;

async function timed(method: 'ocsp' | 'crl', url: string, ask: () => Promise<Answer>): Promise<RevocationSource> {
  const t0 = performance.now();
  let a: Answer;
  try { a = await ask(); } catch (e) { a = { status: null, error: errorMessage(e) }; }
  return { method, url, ...a, ms: Math.round(performance.now() - t0) };
}

// ------------------------------------------------------------------ OCSP

/**
 * An OCSPRequest for one certificate (RFC 6960 4.1.1): CertID with SHA-1
 * hashes of the issuer's name and key, as every responder accepts.
 */
export function ocspRequest(leaf: ParsedCertificate, issuer: ParsedCertificate): Uint8Array {
  const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest();
  const keyBits = subjectPublicKeyBits(issuer.spkiDer);
  const certId = der(TAG.SEQUENCE,
    der(TAG.SEQUENCE, der(TAG.OID, Uint8Array.of(0x2b, 0x0e, 0x03, 0x02, 0x1a)), der(TAG.NULL)),
    der(TAG.OCTET_STRING, sha1(leaf.issuerDer)),
    der(TAG.OCTET_STRING, sha1(keyBits)),
    der(TAG.INTEGER, Buffer.from(leaf.serialNumber, 'hex')));
  return der(TAG.SEQUENCE, der(TAG.SEQUENCE, der(TAG.SEQUENCE, der(TAG.SEQUENCE, certId))));
}

async function askOcsp(url: string, leaf: ParsedCertificate, issuer: ParsedCertificate | null, o: RevocationOptions, now: Date): Promise<Answer> {
  if (!issuer) return { status: null, error: 'the issuer certificate is not known: no OCSP request can name it' };
  const r = await httpExchange(url, {
    method: 'POST', body: ocspRequest(leaf, issuer), contentType: 'application/ocsp-request', accept: 'application/ocsp-response',
    timeoutMs: o.timeoutMs ?? 5000, maxBytes: 256 * 1024, proxy: o.proxy,
  });
  if (r.status !== 200) return { status: null, error: `HTTP ${r.status}` };
  return ocspAnswer(r.body, leaf, issuer, now);
}

/** What a DER OCSPResponse says about `leaf`, believed only with a valid signature of the issuer or its delegated responder. */
export function ocspAnswer(body: Uint8Array, leaf: ParsedCertificate, issuer: ParsedCertificate, now = new Date()): Answer {
  let info;
  try { info = parseOcspResponse(body); } catch (e) { return { status: null, error: `not an OCSP response: ${errorMessage(e)}` }; }
  if (info.responseStatus !== 'successful') return { status: null, error: `the responder answered ${info.responseStatus}` };
  const norm = (s: string) => s.replace(/^0+/, '').toLowerCase();
  const single = info.responses.find((x) => norm(x.serialNumber) === norm(leaf.serialNumber));
  if (!single) return { status: null, error: `the response is about another certificate (serial ${info.responses.map((x) => x.serialNumber).join(', ') || 'none'})` };
  const signed = ocspSignature(body, issuer);
  if (signed !== true) return { status: null, error: signed };
  const dates = { thisUpdate: single.thisUpdate, ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}) };
  if (single.status === 'revoked') {
    return { status: 'revoked', ...dates, ...(single.revocationTime ? { revokedAt: single.revocationTime } : {}), ...(single.revocationReason ? { reason: single.revocationReason } : {}) };
  }
  if (single.nextUpdate && new Date(single.nextUpdate) < now) return { status: null, ...dates, error: `stale: its nextUpdate ${single.nextUpdate} has passed` };
  return { status: single.status, ...dates };
}

/** true when the BasicOCSPResponse is signed by the issuer or by a responder certificate the issuer delegated; else why not. */
function ocspSignature(body: Uint8Array, issuer: ParsedCertificate): true | string {
  try {
    const top = children(expectTag(parseDer(body), TAG.SEQUENCE, 'OCSPResponse'));
    const bytes = top[1] && isContext(top[1], 0) ? children(top[1])[0] : undefined;
    const octets = children(expectTag(bytes, TAG.SEQUENCE, 'responseBytes'))[1];
    const basic = children(expectTag(parseDer(expectTag(octets, TAG.OCTET_STRING, 'response').value), TAG.SEQUENCE, 'BasicOCSPResponse'));
    const [tbs, alg, sig, certs] = basic;
    const signature = signatureOf(expectTag(alg, TAG.SEQUENCE, 'signatureAlgorithm'), expectTag(sig, TAG.BIT_STRING, 'signature'));
    const issuerKey = createPublicKey({ key: Buffer.from(issuer.spkiDer), format: 'der', type: 'spki' });
    if (verifies(signature, tbs!.raw, issuerKey)) return true;
    // A delegated responder: a certificate in the response, issued by the issuer, for OCSP signing.
    for (const c of certs && isContext(certs, 0) ? children(children(certs)[0]!) : []) {
      const x = new X509Certificate(Buffer.from(c.raw));
      if (!x.verify(issuerKey)) continue;
      if (!parseCertificate(c.raw).extKeyUsage?.includes(EKU.ocspSigning)) continue;
      if (verifies(signature, tbs!.raw, x.publicKey)) return true;
    }
    return 'its signature is not the issuer\'s nor a delegated responder\'s';
  } catch (e) {
    return `its signature could not be checked: ${errorMessage(e)}`;
  }
}

// ------------------------------------------------------------------ CRL

async function askCrl(url: string, leaf: ParsedCertificate, issuer: ParsedCertificate | null, o: RevocationOptions, now: Date): Promise<Answer> {
  const r = await httpExchange(url, { timeoutMs: o.timeoutMs ?? 5000, maxBytes: o.maxCrlBytes ?? 20 * 1024 * 1024, accept: 'application/pkix-crl, */*', proxy: o.proxy });
  if (r.status !== 200) return { status: null, error: `HTTP ${r.status}` };
  return crlAnswer(r.body, leaf, issuer, now);
}

export interface ParsedCrl {
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Serial (lower-case hex as encoded) -> revocation date and reason. */
  revoked: Map<string, { date: Date; reason?: string }>;
  /** The signed part, its signature algorithm and value. */
  tbs: Uint8Array;
  signature: { hash: string | null; value: Uint8Array } | string;
}

/** A DER (or PEM) CertificateList, RFC 5280 5.1. Throws WireError when it is not one. */
export function parseCrl(input: Uint8Array): ParsedCrl {
  let der = input;
  const head = Buffer.from(input.subarray(0, 64)).toString('latin1');
  if (head.includes('-----BEGIN')) {
    const m = Buffer.from(input).toString('latin1').match(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/);
    if (!m) throw new WireError('PEM without an X509 CRL block');
    der = Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  }
  const [tbsT, alg, sig] = children(expectTag(parseDer(der), TAG.SEQUENCE, 'CertificateList'));
  const fields = children(expectTag(tbsT, TAG.SEQUENCE, 'tbsCertList'));
  let i = 0;
  if (fields[i]?.tag === TAG.INTEGER) i++; // version
  expectTag(fields[i++], TAG.SEQUENCE, 'signature');
  const issuer = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
  const thisUpdate = decodeTime(timeTag(fields[i++], 'thisUpdate'));
  let nextUpdate: Date | null = null;
  if (fields[i] && (fields[i]!.tag === TAG.UTCTime || fields[i]!.tag === TAG.GeneralizedTime)) nextUpdate = decodeTime(fields[i++]!);
  const revoked = new Map<string, { date: Date; reason?: string }>();
  if (fields[i]?.tag === TAG.SEQUENCE) {
    for (const entry of children(fields[i++]!)) {
      const [serial, date, exts] = children(expectTag(entry, TAG.SEQUENCE, 'revokedCertificate'));
      const reason = exts ? reasonOf(exts) : undefined;
      revoked.set(Buffer.from(expectTag(serial, TAG.INTEGER, 'userCertificate').value).toString('hex'), { date: decodeTime(timeTag(date, 'revocationDate')), ...(reason ? { reason } : {}) });
    }
  }
  return {
    issuerDer: issuer.raw, thisUpdate, nextUpdate, revoked, tbs: tbsT!.raw,
    signature: signatureOf(expectTag(alg, TAG.SEQUENCE, 'signatureAlgorithm'), expectTag(sig, TAG.BIT_STRING, 'signatureValue')),
  };
}

/** What a CRL says about `leaf`: believed only when its issuer is the leaf's, signed by it, and current. */
export function crlAnswer(body: Uint8Array, leaf: ParsedCertificate, issuer: ParsedCertificate | null, now = new Date()): Answer {
  let crl: ParsedCrl;
  try { crl = parseCrl(body); } catch (e) { return { status: null, error: `not a CRL: ${errorMessage(e)}` }; }
  const dates = { thisUpdate: crl.thisUpdate.toISOString(), ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.toISOString() } : {}) };
  if (!Buffer.from(crl.issuerDer).equals(Buffer.from(leaf.issuerDer))) return { status: null, ...dates, error: 'the CRL is another issuer\'s (an indirect CRL, which is not read)' };
  if (!issuer) return { status: null, ...dates, error: 'the issuer certificate is not known: the CRL\'s signature cannot be checked' };
  const key = createPublicKey({ key: Buffer.from(issuer.spkiDer), format: 'der', type: 'spki' });
  if (typeof crl.signature === 'string') return { status: null, ...dates, error: crl.signature };
  if (!verifies(crl.signature, crl.tbs, key)) return { status: null, ...dates, error: 'the CRL\'s signature is not the issuer\'s' };
  const entry = crl.revoked.get(leaf.serialNumber.toLowerCase());
  if (entry) return { status: 'revoked', ...dates, revokedAt: entry.date.toISOString(), ...(entry.reason ? { reason: entry.reason } : {}) };
  if (crl.nextUpdate && crl.nextUpdate < now) return { status: null, ...dates, error: `stale: its nextUpdate ${crl.nextUpdate.toISOString()} has passed` };
  return { status: 'good', ...dates };
}

/** CRLReason from a crlEntryExtensions sequence (OID 2.5.29.21), if present. */
function reasonOf(exts: Tlv): string | undefined {
  for (const ext of children(expectTag(exts, TAG.SEQUENCE, 'crlEntryExtensions'))) {
    const parts = children(expectTag(ext, TAG.SEQUENCE, 'Extension'));
    if (decodeOid(expectTag(parts[0], TAG.OID, 'extnID')) !== '2.5.29.21') continue;
    const value = parseDer(expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue').value);
    const code = expectTag(value, TAG.ENUMERATED, 'CRLReason').value[0] ?? 0;
    return CRL_REASONS[code] ?? `reason(${code})`;
  }
  return undefined;
}

// ------------------------------------------------------------------ shared

function timeTag(t: Tlv | undefined, what: string): Tlv {
  if (!t || (t.tag !== TAG.UTCTime && t.tag !== TAG.GeneralizedTime)) throw new WireError(`DER: ${what}: a time expected`);
  return t;
}

/** The hash of a signature algorithm (null for EdDSA) and the signature bits; a string when the algorithm is not one we verify. */
function signatureOf(alg: Tlv, bits: Tlv): { hash: string | null; value: Uint8Array } | string {
  const oid = decodeOid(expectTag(children(alg)[0], TAG.OID, 'algorithm'));
  if (bits.value[0] !== 0) throw new WireError('DER: signature BIT STRING with unused bits');
  const value = bits.value.subarray(1);
  if (oid === '1.3.101.112' || oid === '1.3.101.113') return { hash: null, value };
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known || known.name === 'rsassaPss' || /^md/.test(known.hash)) return `its signature algorithm ${known?.name ?? oid} is not checked here`;
  return { hash: known.hash, value };
}

function verifies(sig: { hash: string | null; value: Uint8Array } | string, data: Uint8Array, key: KeyObject): boolean {
  if (typeof sig === 'string') return false;
  try { return cryptoVerify(sig.hash, data, key, sig.value); } catch { return false; }
}

/** The subjectPublicKey BIT STRING's bits (without the unused-bits octet): what OCSP's issuerKeyHash hashes. */
function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  const [, key] = children(expectTag(parseDer(spki), TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  return expectTag(key, TAG.BIT_STRING, 'subjectPublicKey').value.subarray(1);
}

/** A DER element: tag, definite length, the contents concatenated. */
function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Uint8Array.of(tag, ...len), body]);
}
