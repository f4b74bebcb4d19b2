/**
 * Default lists the ClientHello builder uses when the caller does not give its
 * own. They are deliberately broad (a probe wants the server to answer, not to
 * fail for a reason unrelated to what is probed). Full tables with names live
 * in registry/; these are plain codes so wire/ does not depend on it.
 */

/**
 * NamedGroup codes (RFC 8446 §4.2.7; RFC 7919 §2 for ffdhe*; RFC 7748 curves
 * registered by RFC 8422 §5.1.1).
 */
export const Group = {
  secp256r1: 23,
  secp384r1: 24,
  secp521r1: 25,
  /** RFC 7027 (TLS 1.2 only) */
  brainpoolP256r1: 26,
  brainpoolP384r1: 27,
  brainpoolP512r1: 28,
  x25519: 29,
  x448: 30,
  /** RFC 8734 (TLS 1.3) */
  brainpoolP256r1tls13: 31,
  brainpoolP384r1tls13: 32,
  brainpoolP512r1tls13: 33,
  ffdhe2048: 256,
  ffdhe3072: 257,
  ffdhe4096: 258,
  ffdhe6144: 259,
  ffdhe8192: 260,
  /** draft-ietf-tls-mlkem / draft-ietf-tls-ecdhe-mlkem (IANA registered) */
  MLKEM512: 0x0200,
  MLKEM768: 0x0201,
  MLKEM1024: 0x0202,
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
  SecP384r1MLKEM1024: 0x11ed,
} as const;

/**
 * Groups offered by default: the groups of RFC 8446 §4.2.7 that every modern
 * stack implements, strongest-common first, then the RFC 7919 FFDHE groups so a
 * server that only does finite-field DH can still pick one.
 */
export const DEFAULT_GROUPS: readonly number[] = [
  Group.x25519, Group.secp256r1, Group.secp384r1, Group.secp521r1, Group.x448,
  Group.ffdhe2048, Group.ffdhe3072, Group.ffdhe4096, Group.ffdhe6144, Group.ffdhe8192,
];

/**
 * SignatureScheme codes offered by default: all of RFC 8446 §4.2.3, the
 * brainpool TLS 1.3 schemes of RFC 8734 §2, and the TLS 1.2 hash/signature
 * pairs of RFC 5246 §7.4.1.4.1 (SHA-224 and DSA) so old servers find a match.
 */
export const DEFAULT_SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, // ecdsa_secp256r1_sha256
  0x0503, // ecdsa_secp384r1_sha384
  0x0603, // ecdsa_secp521r1_sha512
  0x0807, // ed25519
  0x0808, // ed448
  0x081a, // ecdsa_brainpoolP256r1tls13_sha256
  0x081b, // ecdsa_brainpoolP384r1tls13_sha384
  0x081c, // ecdsa_brainpoolP512r1tls13_sha512
  0x0804, // rsa_pss_rsae_sha256
  0x0805, // rsa_pss_rsae_sha384
  0x0806, // rsa_pss_rsae_sha512
  0x0809, // rsa_pss_pss_sha256
  0x080a, // rsa_pss_pss_sha384
  0x080b, // rsa_pss_pss_sha512
  0x0401, // rsa_pkcs1_sha256
  0x0501, // rsa_pkcs1_sha384
  0x0601, // rsa_pkcs1_sha512
  0x0303, // ecdsa sha224 (RFC 5246)
  0x0301, // rsa sha224 (RFC 5246)
  0x0302, // dsa sha224 (RFC 5246)
  0x0402, // dsa sha256 (RFC 5246)
  0x0502, // dsa sha384 (RFC 5246)
  0x0602, // dsa sha512 (RFC 5246)
  0x0203, // ecdsa_sha1
  0x0201, // rsa_pkcs1_sha1
  0x0202, // dsa sha1 (RFC 5246)
];

/** PskKeyExchangeMode psk_dhe_ke (RFC 8446 §4.2.9). */
export const PSK_DHE_KE = 1;

/** ECPointFormat uncompressed (RFC 8422 §5.1.2). */
export const EC_POINT_FORMAT_UNCOMPRESSED = 0;

/** True for the finite-field groups of RFC 7919 (range 256..511 is reserved for them). */
export function isFfdheGroup(g: number): boolean {
  return g >= 256 && g <= 511;
}

/**
 * Cipher suite codes that use elliptic-curve key exchange (ECDH/ECDHE with
 * any authentication), used only to decide whether to send ec_point_formats
 * (RFC 8422 §5.1). Ranges from the IANA TLS Cipher Suites registry:
 * 0xC001–0xC019 (RFC 8422/4492), 0xC023–0xC03B (RFC 5289, RFC 5489),
 * ECDHE/ECDH ARIA and Camellia (RFC 6209, RFC 6367), ECDHE CCM (RFC 7251),
 * ECDHE ChaCha20 (RFC 7905) and ECDHE_PSK AEADs (RFC 8442).
 */
export function isEcCipherSuite(s: number): boolean {
  return (s >= 0xc001 && s <= 0xc019)
    || (s >= 0xc023 && s <= 0xc03b)
    || (s >= 0xc048 && s <= 0xc04f) || (s >= 0xc05c && s <= 0xc063) || (s >= 0xc070 && s <= 0xc071)
    || (s >= 0xc072 && s <= 0xc079) || (s >= 0xc086 && s <= 0xc08d) || (s >= 0xc09a && s <= 0xc09b)
    || (s >= 0xc0ac && s <= 0xc0af)
    || s === 0xcca8 || s === 0xcca9 || s === 0xccac
    || (s >= 0xd001 && s <= 0xd005);
}
