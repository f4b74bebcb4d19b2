/**
 * Names and properties of the code points a ClientHello carries. The one place
 * the client-test analysis asks "what is 0xc02f?": cipher suites, groups and
 * signature schemes come from the shared registry (src/registry/) when it has
 * the code; extension names and protocol versions are kept here.
 *
 * Sources: IANA "TLS Parameters" and "TLS ExtensionType Values" registries;
 * RFC 8446 §4.2 (extension numbers), RFC 8701 (GREASE), RFC 9151/NIST SP 800-52r2
 * for what counts as weak.
 */
import { isGrease } from '../wire/client-hello-parse.js';

export type Strength = 'recommended' | 'secure' | 'weak' | 'insecure' | 'unknown';

export interface SuiteName { code: number; name: string; strength: Strength; grease: boolean; scsv: boolean }
export interface GroupName { code: number; name: string; pq: boolean; grease: boolean }
export interface SigName { code: number; name: string; grease: boolean }

export const VERSION_NAMES: Record<number, string> = {
  0x0002: 'SSLv2', 0x0200: 'SSLv2', 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3',
};

export function versionName(v: number): string {
  if (isGrease(v)) return `GREASE(0x${hex4(v)})`;
  if (VERSION_NAMES[v]) return VERSION_NAMES[v]!;
  if ((v >> 8) === 0x7f) return `TLSv1.3-draft${v & 0xff}`;
  return `0x${hex4(v)}`;
}

export function hex4(v: number): string { return v.toString(16).padStart(4, '0'); }

/** IANA TLS ExtensionType Values (the ones clients send). */
const EXTENSIONS: Record<number, string> = {
  0: 'server_name', 1: 'max_fragment_length', 5: 'status_request', 10: 'supported_groups', 11: 'ec_point_formats',
  13: 'signature_algorithms', 14: 'use_srtp', 15: 'heartbeat', 16: 'application_layer_protocol_negotiation',
  17: 'status_request_v2', 18: 'signed_certificate_timestamp', 21: 'padding', 22: 'encrypt_then_mac',
  23: 'extended_master_secret', 27: 'compress_certificate', 28: 'record_size_limit', 34: 'delegated_credential',
  35: 'session_ticket', 41: 'pre_shared_key', 42: 'early_data', 43: 'supported_versions', 44: 'cookie',
  45: 'psk_key_exchange_modes', 47: 'certificate_authorities', 49: 'post_handshake_auth', 50: 'signature_algorithms_cert',
  51: 'key_share', 57: 'quic_transport_parameters', 13172: 'next_protocol_negotiation', 17513: 'application_settings',
  17613: 'application_settings(new)', 65037: 'encrypted_client_hello', 65281: 'renegotiation_info',
};

export function extensionName(t: number): string {
  if (isGrease(t)) return 'GREASE';
  return EXTENSIONS[t] ?? `unknown(${t})`;
}

/** IANA Supported Groups; pq marks hybrid/post-quantum key agreement. */
const GROUPS: Record<number, [string, boolean]> = {
  1: ['sect163k1', false], 14: ['sect571r1', false], 19: ['secp192r1', false], 21: ['secp224r1', false],
  22: ['secp256k1', false], 23: ['secp256r1', false], 24: ['secp384r1', false], 25: ['secp521r1', false],
  26: ['brainpoolP256r1', false], 27: ['brainpoolP384r1', false], 28: ['brainpoolP512r1', false],
  29: ['x25519', false], 30: ['x448', false], 31: ['brainpoolP256r1tls13', false], 32: ['brainpoolP384r1tls13', false],
  33: ['brainpoolP512r1tls13', false], 256: ['ffdhe2048', false], 257: ['ffdhe3072', false], 258: ['ffdhe4096', false],
  259: ['ffdhe6144', false], 260: ['ffdhe8192', false], 512: ['MLKEM512', true], 513: ['MLKEM768', true],
  514: ['MLKEM1024', true], 4587: ['SecP256r1MLKEM768', true], 4588: ['X25519MLKEM768', true],
  4589: ['SecP384r1MLKEM1024', true], 25497: ['X25519Kyber768Draft00', true], 25498: ['SecP256r1Kyber768Draft00', true],
  65281: ['arbitrary_explicit_prime_curves', false], 65282: ['arbitrary_explicit_char2_curves', false],
};

/** IANA SignatureScheme values. */
const SIGS: Record<number, string> = {
  0x0201: 'rsa_pkcs1_sha1', 0x0203: 'ecdsa_sha1', 0x0202: 'dsa_sha1', 0x0301: 'rsa_sha224', 0x0303: 'ecdsa_sha224',
  0x0401: 'rsa_pkcs1_sha256', 0x0403: 'ecdsa_secp256r1_sha256', 0x0402: 'dsa_sha256', 0x0501: 'rsa_pkcs1_sha384',
  0x0503: 'ecdsa_secp384r1_sha384', 0x0601: 'rsa_pkcs1_sha512', 0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256', 0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512', 0x0807: 'ed25519',
  0x0808: 'ed448', 0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512',
  0x081a: 'ecdsa_brainpoolP256r1tls13_sha256', 0x081b: 'ecdsa_brainpoolP384r1tls13_sha384',
  0x081c: 'ecdsa_brainpoolP512r1tls13_sha512', 0x0904: 'mldsa44', 0x0905: 'mldsa65', 0x0906: 'mldsa87',
  0x0420: 'rsa_pkcs1_sha256_legacy',
};

/**
 * Common cipher suites (IANA names). A stand-in until the shared registry has
 * every suite: the strength of a suite not listed here is derived from its name.
 */
const SUITES: Record<number, string> = {
  0x0000: 'TLS_NULL_WITH_NULL_NULL', 0x0001: 'TLS_RSA_WITH_NULL_MD5', 0x0002: 'TLS_RSA_WITH_NULL_SHA',
  0x0003: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 0x0004: 'TLS_RSA_WITH_RC4_128_MD5', 0x0005: 'TLS_RSA_WITH_RC4_128_SHA',
  0x0006: 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 0x0008: 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0009: 'TLS_RSA_WITH_DES_CBC_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 0x0011: 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 0x0012: 'TLS_DHE_DSS_WITH_DES_CBC_SHA',
  0x0013: 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', 0x0014: 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0015: 'TLS_DHE_RSA_WITH_DES_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 0x0018: 'TLS_DH_anon_WITH_RC4_128_MD5', 0x001b: 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA', 0x0032: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', 0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0034: 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA', 0x0038: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x003a: 'TLS_DH_anon_WITH_AES_256_CBC_SHA', 0x003b: 'TLS_RSA_WITH_NULL_SHA256',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256', 0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256', 0x0040: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256',
  0x0041: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 0x0045: 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 0x006a: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', 0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x0084: 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 0x0088: 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', 0x0096: 'TLS_RSA_WITH_SEED_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384', 0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0x00a2: 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 0x00a3: 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV',
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256', 0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc002: 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA', 0xc003: 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA', 0xc004: 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA',
  0xc005: 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', 0xc007: 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 0xc008: 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 0xc00c: 'TLS_ECDH_RSA_WITH_RC4_128_SHA',
  0xc00d: 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', 0xc00e: 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', 0xc00f: 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA',
  0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 0xc018: 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 0xc019: 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc025: 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', 0xc026: 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc029: 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', 0xc02a: 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02d: 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02e: 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc031: 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', 0xc032: 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384',
  0xc09c: 'TLS_RSA_WITH_AES_128_CCM', 0xc09d: 'TLS_RSA_WITH_AES_256_CCM', 0xc09e: 'TLS_DHE_RSA_WITH_AES_128_CCM',
  0xc09f: 'TLS_DHE_RSA_WITH_AES_256_CCM', 0xc0a0: 'TLS_RSA_WITH_AES_128_CCM_8', 0xc0a1: 'TLS_RSA_WITH_AES_256_CCM_8',
  0xc0ac: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 0xc0ad: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  0xc0ae: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 0xc0af: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
  0xc072: 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256', 0xc073: 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384',
  0xc076: 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 0xc077: 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xccab: 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccac: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', 0xccad: 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccae: 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256', 0x008c: 'TLS_PSK_WITH_AES_128_CBC_SHA', 0x008d: 'TLS_PSK_WITH_AES_256_CBC_SHA',
  0x00a8: 'TLS_PSK_WITH_AES_128_GCM_SHA256', 0x00a9: 'TLS_PSK_WITH_AES_256_GCM_SHA384', 0x00ae: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
  0x00af: 'TLS_PSK_WITH_AES_256_CBC_SHA384', 0xc0a4: 'TLS_PSK_WITH_AES_128_CCM', 0xc0a5: 'TLS_PSK_WITH_AES_256_CCM',
};

/** Strength from the IANA name: the rule ciphersuite.info and NIST SP 800-52r2 follow, roughly. */
export function strengthFromName(name: string): Strength {
  if (/NULL|EXPORT|anon|RC4|_DES_|DES40|RC2|MD5|IDEA/.test(name)) return 'insecure';
  if (/3DES|_CBC|TLS_RSA_|TLS_PSK_|TLS_ECDH_|TLS_DH_|SHA$|CCM_8|SEED|CAMELLIA/.test(name)) return 'weak';
  if (/^TLS_AES_|^TLS_CHACHA20_/.test(name)) return 'recommended';
  if (/ECDHE_(ECDSA|RSA)_WITH_(AES_\d+_GCM|CHACHA20)|DHE_RSA_WITH_(AES_\d+_GCM|CHACHA20)|ECDHE_ECDSA_WITH_AES_\d+_CCM$/.test(name)) return 'recommended';
  return 'secure';
}

export function suiteInfo(code: number): SuiteName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, strength: 'unknown', grease: true, scsv: false };
  const name = SUITES[code];
  const scsv = code === 0x00ff || code === 0x5600;
  if (!name) return { code, name: `0x${hex4(code)}`, strength: 'unknown', grease: false, scsv };
  return { code, name, strength: scsv ? 'unknown' : strengthFromName(name), grease: false, scsv };
}

export function groupInfo(code: number): GroupName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, pq: false, grease: true };
  const g = GROUPS[code];
  return { code, name: g ? g[0] : `0x${hex4(code)}`, pq: g ? g[1] : false, grease: false };
}

export function sigInfo(code: number): SigName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, grease: true };
  return { code, name: SIGS[code] ?? `0x${hex4(code)}`, grease: false };
}

/** SSLv2 cipher kinds (RFC 6101 appendix E / the SSL 2.0 draft), all insecure today. */
export const SSLV2_KINDS: Record<number, string> = {
  0x010080: 'SSL_CK_RC4_128_WITH_MD5', 0x020080: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', 0x030080: 'SSL_CK_RC2_128_CBC_WITH_MD5',
  0x040080: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 0x050080: 'SSL_CK_IDEA_128_CBC_WITH_MD5', 0x060040: 'SSL_CK_DES_64_CBC_WITH_MD5',
  0x0700c0: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
};
