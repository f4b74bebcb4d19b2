/**
 * Certificate Transparency: the Signed Certificate Timestamps (SCTs, RFC 6962
 * section 3.2) that prove a certificate was logged. Browsers and Apple's
 * platforms refuse a publicly trusted certificate without enough of them
 * (Apple: "Certificates that fail to comply with our policy will result in a
 * failed TLS connection, which can break an app's connection"), so an iOS
 * app or a web front end fails where an API client in Java or .NET works.
 *
 * SCTs come embedded in the certificate (X.509 extension
 * 1.3.6.1.4.1.11129.2.4.2), in the TLS signed_certificate_timestamp
 * extension (18), or in a stapled OCSP response. Each source holds a
 * SignedCertificateTimestampList: a u16-length list of u16-length SCTs.
 * This reader checks the framing and reads version, log id and timestamp;
 * it does not verify signatures or whether a log is approved (that needs the
 * browsers' log lists).
 */
import { readTlv, TAG } from './der.js';
import { WireError } from '../util/errors.js';

/** X.509 extension of embedded SCTs (RFC 6962 section 3.3). */
export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';
/** The OCSP SingleResponse extension that carries SCTs (RFC 6962 section 3.3). */
export const OCSP_SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.5';

export interface Sct {
  /** 0 for v1, the only version RFC 6962 defines. */
  version: number;
  /** SHA-256 of the log's public key, base64 (how log lists name logs). */
  logId: string;
  /** When the log promised to include the certificate. */
  timestamp: string;
  source: 'embedded' | 'tls' | 'ocsp';
}

/** At most this many SCTs are read from one list (real ones carry 2 to 5). */
const MAX_SCTS = 64;

/**
 * Reads a TLS-encoded SignedCertificateTimestampList. Throws WireError on
 * bad framing; an SCT of a version other than v1 is kept with its version
 * and what could be read of it.
 */
export function parseSctList(bytes: Uint8Array, source: Sct['source']): Sct[] {
  if (bytes.length < 2) throw new WireError('SCT list: shorter than its length field');
  const total = (bytes[0]! << 8) | bytes[1]!;
  if (total + 2 !== bytes.length) throw new WireError(`SCT list: length field says ${total} bytes, ${bytes.length - 2} follow`);
  const out: Sct[] = [];
  let pos = 2;
  while (pos < bytes.length) {
    if (out.length >= MAX_SCTS) throw new WireError(`SCT list: more than ${MAX_SCTS} entries`);
    if (pos + 2 > bytes.length) throw new WireError('SCT list: truncated entry length');
    const len = (bytes[pos]! << 8) | bytes[pos + 1]!;
    pos += 2;
    if (len === 0 || pos + len > bytes.length) throw new WireError(`SCT list: entry of ${len} bytes does not fit`);
    out.push(readSct(bytes.subarray(pos, pos + len), source));
    pos += len;
  }
  return out;
}

/** One SCT: version (1), log id (32), timestamp (8, ms since the epoch), extensions, signature. */
function readSct(b: Uint8Array, source: Sct['source']): Sct {
  const version = b[0]!;
  if (version !== 0) return { version, logId: '', timestamp: '', source };
  if (b.length < 1 + 32 + 8 + 2) throw new WireError(`SCT: ${b.length} bytes, too short for a v1 SCT`);
  const logId = Buffer.from(b.subarray(1, 33)).toString('base64');
  let ms = 0;
  for (let i = 33; i < 41; i++) ms = ms * 256 + b[i]!;
  const extLen = (b[41]! << 8) | b[42]!;
  let pos = 43 + extLen;
  // digitally-signed: hash (1), signature algorithm (1), u16-length signature.
  if (pos + 4 > b.length) throw new WireError('SCT: truncated signature');
  const sigLen = (b[pos + 2]! << 8) | b[pos + 3]!;
  pos += 4 + sigLen;
  if (pos !== b.length) throw new WireError(`SCT: ${b.length - pos} bytes ${pos > b.length ? 'missing from' : 'left after'} the signature`);
  const when = new Date(ms);
  if (Number.isNaN(when.getTime())) throw new WireError('SCT: timestamp out of range');
  return { version, logId, timestamp: when.toISOString(), source };
}

/**
 * The SCTs of an X.509 or OCSP extension, from its value (the DER inside
 * extnValue: an OCTET STRING that holds the TLS-encoded list). Throws WireError.
 */
export function embeddedScts(extensionValue: Uint8Array, source: Sct['source'] = 'embedded'): Sct[] {
  const t = readTlv(extensionValue);
  if (t.tag !== TAG.OCTET_STRING || t.end !== extensionValue.length) throw new WireError('SCT extension: not one OCTET STRING');
  return parseSctList(t.value, source);
}

/**
 * A leaf's SCTs with those of a stapled OCSP response for it (read by the
 * trust analysis) added, unless they are in already.
 */
export function withStapledScts(leafScts: readonly Sct[] | undefined, stapled: readonly Sct[] | undefined): Sct[] {
  const own = leafScts ?? [];
  return own.some((s) => s.source === 'ocsp') ? [...own] : [...own, ...(stapled ?? [])];
}

/** Distinct logs among SCTs of version 1. */
export function distinctLogs(scts: readonly Sct[]): number {
  return new Set(scts.filter((s) => s.version === 0).map((s) => s.logId)).size;
}

/**
 * How many SCTs from distinct logs Apple's policy asks of a certificate
 * (support.apple.com/103214, certificates from 2021-04-21 on): with one SCT
 * delivered by TLS or OCSP, two in all; embedded only, two for a lifetime of
 * 180 days or less, three beyond (up to 398 days, the longest a publicly
 * trusted certificate may now have). Lifetime counts from notBefore through
 * notAfter inclusive, in days of 86,400 seconds, a started day counting.
 */
export function sctsRequired(notBefore: Date, notAfter: Date, delivered: boolean): { required: number; lifetimeDays: number } {
  const lifetimeDays = Math.ceil((notAfter.getTime() - notBefore.getTime() + 1000) / 86_400_000);
  return { required: delivered || lifetimeDays <= 180 ? 2 : 3, lifetimeDays };
}

export const CT_POLICY_SOURCE = "Apple's Certificate Transparency policy, https://support.apple.com/en-us/103214; Chrome's, https://googlechrome.github.io/CertificateTransparency/ct_policy.html";
