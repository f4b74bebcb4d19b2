/**
 * SSL 2.0 cipher kinds (3-byte codes in CLIENT-HELLO / SERVER-HELLO cipher-specs).
 * Every one of them is insecure: the protocol itself is broken (RFC 6176; DROWN, CVE-2016-0800).
 */
import type { Strength } from '../scan/types.js';

export const SSLV2_SOURCE =
  'draft-hickman-netscape-ssl-00 Appendix A (SSL_CK_* cipher kinds 0x010080-0x0700C0); OpenSSL 0.9.8 ssl/ssl2.h and ssl/s2_lib.c ' +
  '(SSL2_CK_RC4_64_WITH_MD5 0x080080, SSL2_CK_DES_64_CBC_WITH_SHA 0x060140, SSL2_CK_DES_192_EDE3_CBC_WITH_SHA 0x0701C0, and the ' +
  'OpenSSL names); RFC 6176 (SSL 2.0 prohibited).';

export interface SSLv2CipherKind {
  /** 24-bit code, e.g. 0x0700C0. */
  code: number;
  /** SSL_CK_* name from the SSL 2.0 specification (or OpenSSL's ssl2.h for nonStandard kinds). */
  name: string;
  openssl: string | null;
  /** 'RC4-128', 'RC2-CBC-128', 'IDEA-CBC', 'DES-CBC', '3DES-EDE-CBC', 'RC4-64'. */
  cipher: string;
  /** Effective secret key bits (export: 40; 3DES: 112; DES: 56). */
  bits: number;
  mac: 'MD5' | 'SHA1';
  /** SSL 2.0 key exchange is always RSA key transport, authenticated by the RSA certificate. */
  kx: 'RSA';
  auth: 'RSA';
  export: boolean;
  cbc: boolean;
  /** Always 'insecure': SSL 2.0 is broken whatever the cipher. */
  strength: Strength;
  nonStandard?: boolean;
}

type Row = [code: number, name: string, openssl: string, cipher: string, bits: number, mac: 'MD5' | 'SHA1', exp: boolean, cbc: boolean, nonStandard?: boolean];

const ROWS: Row[] = [
  [0x010080, 'SSL_CK_RC4_128_WITH_MD5', 'RC4-MD5', 'RC4-128', 128, 'MD5', false, false],
  [0x020080, 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'EXP-RC4-MD5', 'RC4-128', 40, 'MD5', true, false],
  [0x030080, 'SSL_CK_RC2_128_CBC_WITH_MD5', 'RC2-CBC-MD5', 'RC2-CBC-128', 128, 'MD5', false, true],
  [0x040080, 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 'EXP-RC2-CBC-MD5', 'RC2-CBC-128', 40, 'MD5', true, true],
  [0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5', 'IDEA-CBC-MD5', 'IDEA-CBC', 128, 'MD5', false, true],
  [0x060040, 'SSL_CK_DES_64_CBC_WITH_MD5', 'DES-CBC-MD5', 'DES-CBC', 56, 'MD5', false, true],
  [0x060140, 'SSL_CK_DES_64_CBC_WITH_SHA', 'DES-CBC-SHA', 'DES-CBC', 56, 'SHA1', false, true, true],
  [0x0700c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'DES-CBC3-MD5', '3DES-EDE-CBC', 112, 'MD5', false, true],
  [0x0701c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_SHA', 'DES-CBC3-SHA', '3DES-EDE-CBC', 112, 'SHA1', false, true, true],
  [0x080080, 'SSL_CK_RC4_64_WITH_MD5', 'RC4-64-MD5', 'RC4-64', 64, 'MD5', false, false, true],
];

export const SSLV2_CIPHER_KINDS: readonly SSLv2CipherKind[] = Object.freeze(ROWS.map(([code, name, openssl, cipher, bits, mac, exp, cbc, nonStandard]) =>
  Object.freeze({
    code, name, openssl, cipher, bits, mac, kx: 'RSA' as const, auth: 'RSA' as const, export: exp, cbc,
    strength: 'insecure' as Strength, ...(nonStandard ? { nonStandard: true } : {}),
  })));

const byCode = new Map(SSLV2_CIPHER_KINDS.map((k) => [k.code, k]));

export function sslv2KindByCode(code: number): SSLv2CipherKind | undefined {
  return byCode.get(code);
}

/**
 * By SSL_CK_* name or OpenSSL name, case-insensitive. OpenSSL reuses some names for TLS suites
 * (RC4-MD5, DES-CBC3-SHA), so this looks only among SSL 2.0 kinds.
 */
export function sslv2KindByName(name: string): SSLv2CipherKind | undefined {
  const n = name.trim().toUpperCase();
  return SSLV2_CIPHER_KINDS.find((k) => k.name === n || k.openssl === n);
}

/** Name, or 'UNKNOWN_0xABCDEF'. */
export function sslv2Label(code: number): string {
  return byCode.get(code)?.name ?? `UNKNOWN_0x${code.toString(16).toUpperCase().padStart(6, '0')}`;
}
