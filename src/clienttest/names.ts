/**
 * Names and properties of the code points a ClientHello carries. The one place
 * the client-test analysis asks "what is 0xc02f?". Cipher suites (name,
 * strength, AEAD), groups (post-quantum or not), signature schemes and SSLv2
 * kinds come from the shared registry (src/registry/, which names its
 * sources); extension names and the version labels are kept here.
 *
 * Source of the extension names: IANA "TLS ExtensionType Values" registry;
 * RFC 8446 §4.2; RFC 8701 (GREASE).
 */
import { isGrease, suiteByCode, groupByCode, sigSchemeByCode, sslv2KindByCode } from '../registry/index.js';

export type Strength = 'recommended' | 'secure' | 'weak' | 'insecure' | 'unknown';

export interface SuiteName { code: number; name: string; strength: Strength; grease: boolean; scsv: boolean; aead: boolean }
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

export function suiteInfo(code: number): SuiteName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, strength: 'unknown', grease: true, scsv: false, aead: false };
  const s = suiteByCode(code);
  if (!s) return { code, name: `0x${hex4(code)}`, strength: 'unknown', grease: false, scsv: false, aead: false };
  return { code, name: s.iana, strength: s.scsv ? 'unknown' : s.strength, grease: false, scsv: s.scsv, aead: s.aead };
}

export function groupInfo(code: number): GroupName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, pq: false, grease: true };
  const g = groupByCode(code);
  return { code, name: g ? g.name : `0x${hex4(code)}`, pq: g ? g.pq : false, grease: false };
}

export function sigInfo(code: number): SigName {
  if (isGrease(code)) return { code, name: `GREASE(0x${hex4(code)})`, grease: true };
  return { code, name: sigSchemeByCode(code)?.name ?? `0x${hex4(code)}`, grease: false };
}

/** SSLv2 cipher kind name (all SSL 2.0 kinds are insecure: RFC 6176). */
export function sslv2KindName(code: number): string {
  return sslv2KindByCode(code)?.name ?? `SSLv2 0x${code.toString(16).padStart(6, '0')}`;
}
