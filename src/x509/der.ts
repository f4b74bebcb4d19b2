/**
 * A small, bounds-checked DER walker. Certificates and OCSP responses are
 * decoded by the @peculiar/asn1-* schema packages; this module keeps what
 * they do not offer: strict framing (definite lengths only, nothing trailing,
 * no inner length overrunning its parent, bounded nesting), the exact bytes
 * of an element as encoded (issuer/subject/SPKI are compared and pinned byte
 * for byte), strict UTCTime/GeneralizedTime reading, and the generic
 * element walk aia.ts uses to pick certificates out of a PKCS#7 bag. Every
 * read checks its bounds and throws WireError on malformed input.
 */
import { WireError } from '../util/errors.js';

export interface Tlv {
  /** The full identifier octet (class | constructed | number) for low tag numbers. */
  tag: number;
  /** Tag class: 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  /** Tag number (low-tag-number form only; high-tag numbers are read too). */
  num: number;
  /** Offset of the identifier octet in the buffer. */
  start: number;
  /** Offset just after this element. */
  end: number;
  /** The content octets. */
  value: Uint8Array;
  /** The whole element (identifier, length, content). */
  raw: Uint8Array;
}

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  ENUMERATED: 0x0a, UTF8String: 0x0c, PrintableString: 0x13, T61String: 0x14, IA5String: 0x16,
  UTCTime: 0x17, GeneralizedTime: 0x18, UniversalString: 0x1c, BMPString: 0x1e,
  SEQUENCE: 0x30, SET: 0x31,
} as const;

/** Reads one DER element at `pos` that must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos = 0, limit = buf.length): Tlv {
  if (limit > buf.length) limit = buf.length;
  if (pos >= limit) throw new WireError(`DER: element expected at offset ${pos}, input ends`);
  const start = pos;
  const tag = buf[pos++];
  const cls = tag >> 6;
  const constructed = (tag & 0x20) !== 0;
  let num = tag & 0x1f;
  if (num === 0x1f) {
    num = 0;
    for (let i = 0; ; i++) {
      if (pos >= limit) throw new WireError('DER: truncated high tag number');
      if (i >= 4) throw new WireError('DER: tag number too large');
      const b = buf[pos++];
      num = num * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new WireError(`DER: truncated length at offset ${pos}`);
  let len = buf[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new WireError('DER: indefinite length is not allowed');
    if (n > 4) throw new WireError(`DER: length of ${n} octets is too large`);
    if (pos + n > limit) throw new WireError('DER: truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
  }
  if (pos + len > limit) throw new WireError(`DER: element at offset ${start} claims ${len} bytes, only ${limit - pos} remain`);
  return { tag, cls, constructed, num, start, end: pos + len, value: buf.subarray(pos, pos + len), raw: buf.subarray(start, pos + len) };
}

/** The elements inside a constructed element. */
export function children(t: Tlv): Tlv[] {
  if (!t.constructed) throw new WireError(`DER: element with tag 0x${t.tag.toString(16)} is not constructed`);
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < t.value.length) {
    const c = readTlv(t.value, pos);
    out.push(c);
    pos = c.end;
  }
  return out;
}

/** Parses a complete DER element: the input must hold exactly one element. */
export function parseDer(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0);
  if (t.end !== buf.length) throw new WireError(`DER: ${buf.length - t.end} trailing bytes after the element`);
  return t;
}

/**
 * Checks the framing of a whole DER element tree: exactly one element, every
 * length definite and inside its parent, nesting at most `maxDepth` deep.
 * The BER parser under @peculiar/asn1-schema tolerates an inner length that
 * overruns its parent and recurses without a depth limit, so the certificate
 * and OCSP parsers run this first.
 */
export function checkDerFraming(buf: Uint8Array, maxDepth = 32): void {
  const walk = (t: Tlv, depth: number): void => {
    if (!t.constructed) return;
    if (depth >= maxDepth) throw new WireError(`DER: nested deeper than ${maxDepth} levels`);
    for (const c of children(t)) walk(c, depth + 1);
  };
  walk(parseDer(buf), 0);
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new WireError(`DER: ${what} missing`);
  if (t.tag !== tag) throw new WireError(`DER: ${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

/** Context-specific tag [n], constructed or primitive. */
export function isContext(t: Tlv | undefined, n: number): boolean {
  return !!t && t.cls === 2 && t.num === n;
}

export function decodeOid(t: Tlv): string {
  if (t.tag !== TAG.OID) throw new WireError('DER: OBJECT IDENTIFIER expected');
  const b = t.value;
  if (b.length === 0) throw new WireError('DER: empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (++n > 8) throw new WireError('DER: OID arc too large');
    if ((b[i] & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
      n = 0;
    }
  }
  if (n !== 0) throw new WireError('DER: truncated OBJECT IDENTIFIER');
  return arcs.join('.');
}

/** UTCTime / GeneralizedTime to a Date. */
export function decodeTime(t: Tlv): Date {
  const s = Buffer.from(t.value).toString('latin1');
  let m: RegExpMatchArray | null;
  if (t.tag === TAG.UTCTime) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/);
    if (!m) throw new WireError(`DER: malformed UTCTime "${s.slice(0, 32)}"`);
    const yy = Number(m[1]);
    return utc(yy >= 50 ? 1900 + yy : 2000 + yy, m[2], m[3], m[4], m[5], m[6] ?? '0');
  }
  if (t.tag === TAG.GeneralizedTime) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/);
    if (!m) throw new WireError(`DER: malformed GeneralizedTime "${s.slice(0, 32)}"`);
    return utc(Number(m[1]), m[2], m[3], m[4], m[5], m[6]);
  }
  throw new WireError('DER: time expected');
}

function utc(y: number, mo: string, d: string, h: string, mi: string, s: string): Date {
  const date = new Date(Date.UTC(y, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(date.getTime()) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) {
    throw new WireError('DER: time out of range');
  }
  return date;
}
