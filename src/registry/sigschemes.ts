/**
 * Signature algorithms: the IANA "TLS SignatureScheme" registry (TLS 1.3) and the TLS 1.2
 * (HashAlgorithm, SignatureAlgorithm) byte pairs that share the same 16-bit space.
 */

export const SIGSCHEMES_SOURCE = [
  'IANA TLS SignatureScheme registry (tls-parameters-51); RFC 8446 §4.2.3 and §B.3.1.3 (schemes, reserved legacy codes);',
  'RFC 5246 §7.4.1.4.1 (TLS 1.2 hash/signature pairs: hash none 0, md5 1, sha1 2, sha224 3, sha256 4, sha384 5, sha512 6;',
  'signature anonymous 0, rsa 1, dsa 2, ecdsa 3); RFC 8422 §5.1.3 (ed25519/ed448 in TLS 1.2); RFC 8734 (brainpool TLS 1.3);',
  'RFC 8998 (sm2sig_sm3); RFC 9189 §4.2 (GOST in TLS 1.2: 0x0840, 0x0841) and RFC 9367 (GOST in TLS 1.3: 0x0709-0x070F);',
  'draft-wang-tls-raw-public-key-with-ibc (0x0704-0x0707); draft-ietf-tls-tls13-pkcs1 (*_legacy); draft-ietf-tls-mldsa (0x0904-0x0906);',
  'RFC 9155 (MD5 and SHA-1 signatures deprecated in TLS 1.2). weak = hash is MD5, SHA-1 or SHA-224 (under 128-bit collision resistance).',
].join(' ');

export interface SignatureSchemeInfo {
  code: number;
  /** IANA name; for TLS 1.2 pairs without one: '<sig>_<hash>' (e.g. 'dsa_sha256'). */
  name: string;
  /** 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'intrinsic' (EdDSA, ML-DSA) | 'sm3' | 'streebog256' | 'streebog512'. */
  hash: string;
  /** 'rsa_pkcs1' | 'rsa_pss_rsae' | 'rsa_pss_pss' | 'ecdsa' | 'dsa' | 'ed25519' | 'ed448' | 'sm2' | 'gost' | 'mldsa' | 'ibc'. */
  sig: string;
  /** For TLS 1.3 ECDSA schemes: the curve the scheme binds. */
  curve?: string;
  /** May sign a TLS 1.2 ServerKeyExchange. */
  tls12: boolean;
  /** May sign a TLS 1.3 CertificateVerify (certificate-only schemes such as rsa_pkcs1_* are false). */
  tls13: boolean;
  /** Hash under 128-bit collision resistance: md5, sha1, sha224. */
  weak: boolean;
  /** A TLS 1.2 (hash, signature) pair that has no IANA SignatureScheme name (RFC 8446 reserves it). */
  legacy: boolean;
  /** Post-quantum (ML-DSA). */
  pq: boolean;
}

type Row = [code: number, name: string, hash: string, sig: string, tls12: boolean, tls13: boolean, curve?: string];

const IANA_ROWS: Row[] = [
  [0x0201, 'rsa_pkcs1_sha1', 'sha1', 'rsa_pkcs1', true, false],
  [0x0203, 'ecdsa_sha1', 'sha1', 'ecdsa', true, false],
  [0x0401, 'rsa_pkcs1_sha256', 'sha256', 'rsa_pkcs1', true, false],
  [0x0403, 'ecdsa_secp256r1_sha256', 'sha256', 'ecdsa', true, true, 'secp256r1'],
  [0x0420, 'rsa_pkcs1_sha256_legacy', 'sha256', 'rsa_pkcs1', false, true],
  [0x0501, 'rsa_pkcs1_sha384', 'sha384', 'rsa_pkcs1', true, false],
  [0x0503, 'ecdsa_secp384r1_sha384', 'sha384', 'ecdsa', true, true, 'secp384r1'],
  [0x0520, 'rsa_pkcs1_sha384_legacy', 'sha384', 'rsa_pkcs1', false, true],
  [0x0601, 'rsa_pkcs1_sha512', 'sha512', 'rsa_pkcs1', true, false],
  [0x0603, 'ecdsa_secp521r1_sha512', 'sha512', 'ecdsa', true, true, 'secp521r1'],
  [0x0620, 'rsa_pkcs1_sha512_legacy', 'sha512', 'rsa_pkcs1', false, true],
  [0x0704, 'eccsi_sha256', 'sha256', 'ibc', false, true],
  [0x0705, 'iso_ibs1', 'intrinsic', 'ibc', false, true],
  [0x0706, 'iso_ibs2', 'intrinsic', 'ibc', false, true],
  [0x0707, 'iso_chinese_ibs', 'sm3', 'ibc', false, true],
  [0x0708, 'sm2sig_sm3', 'sm3', 'sm2', false, true, 'curveSM2'],
  [0x0709, 'gostr34102012_256a', 'streebog256', 'gost', false, true, 'GC256A'],
  [0x070a, 'gostr34102012_256b', 'streebog256', 'gost', false, true, 'GC256B'],
  [0x070b, 'gostr34102012_256c', 'streebog256', 'gost', false, true, 'GC256C'],
  [0x070c, 'gostr34102012_256d', 'streebog256', 'gost', false, true, 'GC256D'],
  [0x070d, 'gostr34102012_512a', 'streebog512', 'gost', false, true, 'GC512A'],
  [0x070e, 'gostr34102012_512b', 'streebog512', 'gost', false, true, 'GC512B'],
  [0x070f, 'gostr34102012_512c', 'streebog512', 'gost', false, true, 'GC512C'],
  [0x0804, 'rsa_pss_rsae_sha256', 'sha256', 'rsa_pss_rsae', true, true],
  [0x0805, 'rsa_pss_rsae_sha384', 'sha384', 'rsa_pss_rsae', true, true],
  [0x0806, 'rsa_pss_rsae_sha512', 'sha512', 'rsa_pss_rsae', true, true],
  [0x0807, 'ed25519', 'intrinsic', 'ed25519', true, true],
  [0x0808, 'ed448', 'intrinsic', 'ed448', true, true],
  [0x0809, 'rsa_pss_pss_sha256', 'sha256', 'rsa_pss_pss', true, true],
  [0x080a, 'rsa_pss_pss_sha384', 'sha384', 'rsa_pss_pss', true, true],
  [0x080b, 'rsa_pss_pss_sha512', 'sha512', 'rsa_pss_pss', true, true],
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256', 'sha256', 'ecdsa', false, true, 'brainpoolP256r1tls13'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384', 'sha384', 'ecdsa', false, true, 'brainpoolP384r1tls13'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512', 'sha512', 'ecdsa', false, true, 'brainpoolP512r1tls13'],
  [0x0840, 'gostr34102012_256', 'streebog256', 'gost', true, false],
  [0x0841, 'gostr34102012_512', 'streebog512', 'gost', true, false],
  [0x0904, 'mldsa44', 'intrinsic', 'mldsa', false, true],
  [0x0905, 'mldsa65', 'intrinsic', 'mldsa', false, true],
  [0x0906, 'mldsa87', 'intrinsic', 'mldsa', false, true],
];

/** RFC 5246 HashAlgorithm and SignatureAlgorithm values used to build the TLS 1.2 pairs. */
const TLS12_HASHES: [number, string][] = [[1, 'md5'], [2, 'sha1'], [3, 'sha224'], [4, 'sha256'], [5, 'sha384'], [6, 'sha512']];
const TLS12_SIGS: [number, string, string][] = [[1, 'rsa_pkcs1', 'rsa_pkcs1'], [2, 'dsa', 'dsa'], [3, 'ecdsa', 'ecdsa']];

const WEAK_HASHES = new Set(['md5', 'sha1', 'sha224']);

function build(): SignatureSchemeInfo[] {
  const out = new Map<number, SignatureSchemeInfo>();
  for (const [code, name, hash, sig, tls12, tls13, curve] of IANA_ROWS) {
    out.set(code, {
      code, name, hash, sig, tls12, tls13, weak: WEAK_HASHES.has(hash), legacy: false, pq: sig === 'mldsa',
      ...(curve ? { curve } : {}),
    });
  }
  for (const [h, hash] of TLS12_HASHES) {
    for (const [s, sig, prefix] of TLS12_SIGS) {
      const code = (h << 8) | s;
      if (out.has(code)) continue;
      out.set(code, { code, name: `${prefix}_${hash}`, hash, sig, tls12: true, tls13: false, weak: WEAK_HASHES.has(hash), legacy: true, pq: false });
    }
  }
  return [...out.values()].sort((a, b) => a.code - b.code).map((s) => Object.freeze(s));
}

/** All schemes, ascending by code. */
export const SIGNATURE_SCHEMES: readonly SignatureSchemeInfo[] = Object.freeze(build());

const byCode = new Map(SIGNATURE_SCHEMES.map((s) => [s.code, s]));
const byName = new Map(SIGNATURE_SCHEMES.map((s) => [s.name.toLowerCase(), s]));

export function sigSchemeByCode(code: number): SignatureSchemeInfo | undefined {
  return byCode.get(code);
}

/** By name, case-insensitive; also OpenSSL's 'RSA+SHA256' / 'ECDSA+SHA1' / 'DSA+SHA256' / 'RSA-PSS+SHA256' spellings. */
export function sigSchemeByName(name: string): SignatureSchemeInfo | undefined {
  const n = name.trim().toLowerCase();
  const direct = byName.get(n);
  if (direct) return direct;
  const m = /^(rsa|dsa|ecdsa|rsa-pss|pss)\+(md5|sha1|sha224|sha256|sha384|sha512)$/.exec(n);
  if (!m) return undefined;
  const [, sig, hash] = m;
  if (sig === 'rsa-pss' || sig === 'pss') return byName.get(`rsa_pss_rsae_${hash}`);
  const h = TLS12_HASHES.find(([, x]) => x === hash)![0];
  const s = sig === 'rsa' ? 1 : sig === 'dsa' ? 2 : 3;
  return byCode.get((h << 8) | s);
}

/** Name, or 'UNKNOWN_0xABCD'. */
export function sigSchemeLabel(code: number): string {
  return byCode.get(code)?.name ?? `UNKNOWN_0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
