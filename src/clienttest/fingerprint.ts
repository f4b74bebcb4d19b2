/**
 * JA3 and JA4 fingerprints of a parsed ClientHello, written from the published
 * definitions:
 * - JA3 (Salesforce, README of github.com/salesforce/ja3): decimal
 *   SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats with
 *   values joined by '-', GREASE values removed, MD5 of that string.
 *   SSLVersion is the hello's client_version (legacy_version).
 * - JA4 (FoxIO, technical_details/JA4.md of github.com/FoxIO-LLC/ja4):
 *   t|q|d + 2-char version + d|i + 2-digit suite count + 2-digit extension count
 *   + ALPN first/last char, '_' sha256(sorted suites)[0..12], '_'
 *   sha256(sorted extensions without SNI/ALPN '_' signature algorithms in order)[0..12].
 */
import { createHash } from 'node:crypto';
import { isGrease, type ParsedClientHello, EXT } from '../wire/client-hello-parse.js';

export interface Ja3 { string: string; hash: string }
export interface Ja4 {
  /** Sorted, hashed: the fingerprint itself. */
  ja4: string;
  /** Raw sorted lists (JA4_r). */
  raw: string;
  /** Original order, hashed (JA4_o). */
  original: string;
  /** Original order, raw (JA4_ro). */
  rawOriginal: string;
}

const noGrease = (xs: readonly number[]) => xs.filter((x) => !isGrease(x));

export function ja3(h: ParsedClientHello): Ja3 {
  const fields = [
    String(h.legacyVersion),
    noGrease(h.cipherSuites).join('-'),
    noGrease(h.extensions.map((e) => e.type)).join('-'),
    noGrease(h.supportedGroups ?? []).join('-'),
    (h.ecPointFormats ?? []).join('-'),
  ];
  const s = fields.join(',');
  return { string: s, hash: ja3Hash(s) };
}

export function ja3Hash(s: string): string {
  return createHash('md5').update(s, 'latin1').digest('hex');
}

const JA4_VERSIONS: Record<number, string> = {
  0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2', 0x0200: 's2',
  0xfeff: 'd1', 0xfefd: 'd2', 0xfefc: 'd3',
};

const h4 = (v: number) => v.toString(16).padStart(4, '0');

/** sha256 of s, first 12 hex chars; '000000000000' for an empty list as the spec says. */
export function ja4Hash(s: string): string {
  if (s === '') return '000000000000';
  return createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** First and last character of the first ALPN value, with the spec's hex fallback. */
export function ja4Alpn(first: string | undefined): string {
  if (first === undefined || first.length === 0) return '00';
  const bytes = Buffer.from(first, 'latin1');
  const a = bytes[0]!, z = bytes[bytes.length - 1]!;
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a) + String.fromCharCode(z);
  const hx = bytes.toString('hex');
  return hx[0]! + hx[hx.length - 1]!;
}

export function ja4(h: ParsedClientHello, transport: 't' | 'q' | 'd' = 't'): Ja4 {
  const versions = noGrease(h.supportedVersions ?? []);
  const ver = versions.length > 0 ? Math.max(...versions) : h.legacyVersion;
  const version = JA4_VERSIONS[ver] ?? '00';
  const hasSni = h.extensions.some((e) => e.type === EXT.server_name);
  const suites = noGrease(h.cipherSuites);
  const exts = noGrease(h.extensions.map((e) => e.type));
  const count = (n: number) => String(Math.min(n, 99)).padStart(2, '0');
  const a = `${transport}${version}${hasSni ? 'd' : 'i'}${count(suites.length)}${count(exts.length)}${ja4Alpn(h.alpn?.[0])}`;
  const sigs = noGrease(h.signatureAlgorithms ?? []).map(h4);

  const sortedSuites = suites.map(h4).sort().join(',');
  const sortedExts = exts.filter((e) => e !== EXT.server_name && e !== EXT.alpn).map(h4).sort().join(',');
  const cSorted = sortedExts === '' ? '' : sigs.length > 0 ? `${sortedExts}_${sigs.join(',')}` : sortedExts;
  const origSuites = suites.map(h4).join(',');
  const origExts = exts.map(h4).join(',');
  const cOrig = origExts === '' ? '' : sigs.length > 0 ? `${origExts}_${sigs.join(',')}` : origExts;
  return {
    ja4: `${a}_${ja4Hash(sortedSuites)}_${ja4Hash(cSorted)}`,
    raw: `${a}_${sortedSuites}_${cSorted}`,
    original: `${a}_${ja4Hash(origSuites)}_${ja4Hash(cOrig)}`,
    rawOriginal: `${a}_${origSuites}_${cOrig}`,
  };
}
