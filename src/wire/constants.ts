/**
 * Protocol numbers of TLS/SSL used by the codec. Sources: RFC 8446 (TLS 1.3)
 * §4, §6 and Appendix B; RFC 5246 (TLS 1.2) §7; RFC 6101 (SSL 3.0);
 * the IANA "TLS ExtensionType Values" and "TLS Alerts" registries; RFC 8701 (GREASE).
 */

/** Protocol version codes (ProtocolVersion, RFC 8446 §4.1.2). SSL 2.0 uses 0x0002 in its own framing. */
export const ProtocolVersion = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  TLSv1_0: 0x0301,
  TLSv1_1: 0x0302,
  TLSv1_2: 0x0303,
  TLSv1_3: 0x0304,
} as const;

/** Human name of a version code: 'TLSv1.2', 'SSLv3', 'TLSv1.3-draft23', or the hex code. */
export function versionName(v: number): string {
  switch (v) {
    case 0x0002: return 'SSLv2';
    case 0x0300: return 'SSLv3';
    case 0x0301: return 'TLSv1.0';
    case 0x0302: return 'TLSv1.1';
    case 0x0303: return 'TLSv1.2';
    case 0x0304: return 'TLSv1.3';
    default:
      // TLS 1.3 drafts were 0x7f00 | draft number (draft-ietf-tls-tls13-NN §4.2.1).
      if ((v & 0xff00) === 0x7f00) return `TLSv1.3-draft${v & 0xff}`;
      if (isGrease(v)) return `GREASE(0x${v.toString(16)})`;
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}

/** ContentType (RFC 8446 §5.1; heartbeat: RFC 6520). */
export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  heartbeat: 24,
} as const;

/** HandshakeType (RFC 8446 §4, RFC 5246 §7.4, RFC 6066 §8 for certificate_status). */
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  certificate_url: 21,
  certificate_status: 22,
  supplemental_data: 23,
  key_update: 24,
  compressed_certificate: 25,
  message_hash: 254,
} as const;

const handshakeNames = new Map<number, string>(Object.entries(HandshakeType).map(([k, v]) => [v, k]));
export function handshakeTypeName(t: number): string {
  return handshakeNames.get(t) ?? `unknown(${t})`;
}

/** ExtensionType (IANA "TLS ExtensionType Values" registry). */
export const ExtensionType = {
  server_name: 0,
  max_fragment_length: 1,
  client_certificate_url: 2,
  trusted_ca_keys: 3,
  truncated_hmac: 4,
  status_request: 5,
  user_mapping: 6,
  client_authz: 7,
  server_authz: 8,
  cert_type: 9,
  supported_groups: 10,
  ec_point_formats: 11,
  srp: 12,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  alpn: 16,
  status_request_v2: 17,
  sct: 18,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  token_binding: 24,
  cached_info: 25,
  compress_certificate: 27,
  record_size_limit: 28,
  delegated_credential: 34,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  transparency_info: 52,
  /** draft-ietf-tls-esni */
  encrypted_client_hello: 0xfe0d,
  /** draft-agl-tls-nextprotoneg (NPN), never standardised but widely deployed */
  next_protocol_negotiation: 13172,
  renegotiation_info: 0xff01,
} as const;

const extensionNames = new Map<number, string>(Object.entries(ExtensionType).map(([k, v]) => [v, k]));
export function extensionTypeName(t: number): string {
  if (isGrease(t)) return 'GREASE';
  return extensionNames.get(t) ?? `unknown(${t})`;
}

/** AlertLevel (RFC 5246 §7.2). */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

/**
 * AlertDescription code → name: RFC 8446 §6 plus the legacy codes of RFC 5246 §7.2,
 * RFC 2246 (export_restriction), RFC 6101 (no_certificate), RFC 6066 §5 and
 * RFC 7301 §3.2 (no_application_protocol), draft-ietf-tls-esni (ech_required).
 */
export const AlertDescription: ReadonlyMap<number, string> = new Map([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed'],
  [22, 'record_overflow'],
  [30, 'decompression_failure'],
  [40, 'handshake_failure'],
  [41, 'no_certificate'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [60, 'export_restriction'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
  [121, 'ech_required'],
]);

/** Name of an alert description; unknown codes come back as 'unknown(N)'. */
export function alertName(description: number): string {
  return AlertDescription.get(description) ?? `unknown(${description})`;
}

/**
 * The ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest")
 * (RFC 8446 §4.1.3).
 */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = Uint8Array.from(Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));

/**
 * Downgrade protection sentinels in the last 8 bytes of ServerHello.random
 * (RFC 8446 §4.1.3): "DOWNGRD" followed by 0x01 when a TLS 1.3 server
 * negotiated TLS 1.2, and 0x00 when it negotiated TLS 1.1 or below.
 */
export const DOWNGRADE_TLS12: Uint8Array = Uint8Array.from([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]);
export const DOWNGRADE_TLS11: Uint8Array = Uint8Array.from([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00]);

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3) and TLS_FALLBACK_SCSV (RFC 7507). */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
export const TLS_FALLBACK_SCSV = 0x5600;

/** The 16 GREASE values for 2-byte fields: 0x0A0A, 0x1A1A, ..., 0xFAFA (RFC 8701 §2). */
export const GREASE_VALUES: readonly number[] = Array.from({ length: 16 }, (_, i) => ((i << 4) | 0x0a) * 0x101);

/** True for a GREASE 2-byte value (RFC 8701 §2). */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** SSL 2.0 message types (draft-hickman-netscape-ssl-00, "SSL 2.0 protocol"). */
export const SSLv2MessageType = {
  error: 0,
  client_hello: 1,
  client_master_key: 2,
  client_finished: 3,
  server_hello: 4,
  server_verify: 5,
  server_finished: 6,
  request_certificate: 7,
  client_certificate: 8,
} as const;

/** SSL 2.0 error codes (same source). */
export const SSLv2ErrorCode: ReadonlyMap<number, string> = new Map([
  [0x0001, 'NO-CIPHER-ERROR'],
  [0x0002, 'NO-CERTIFICATE-ERROR'],
  [0x0004, 'BAD-CERTIFICATE-ERROR'],
  [0x0006, 'UNSUPPORTED-CERTIFICATE-TYPE-ERROR'],
]);

/** Largest TLSPlaintext fragment (RFC 8446 §5.1). */
export const MAX_PLAINTEXT_FRAGMENT = 16384;
