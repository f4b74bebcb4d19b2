import { buildClientHello, buildSSLv2ClientHello } from '../wire/client-hello.js';
import type { ClientHelloOptions } from '../wire/client-hello.js';
import { GROUPS } from '../registry/groups.js';
import { SIGNATURE_SCHEMES } from '../registry/sigschemes.js';
import { VERSION_CODE } from '../registry/versions.js';
import type { ProtocolName } from './types.js';

/**
 * The ClientHellos a scan sends. They are deliberately ordinary (what a
 * mainstream client would send at that version) so that servers answer them
 * as they answer real clients; only the suite and group lists vary.
 */

export { VERSION_CODE };

/** Groups offered in TLS <= 1.2 probes: every EC curve, strongest first (ECDHE suites need one the server has). */
export const CLASSIC_GROUPS: readonly number[] = Object.freeze(GROUPS.filter((g) => g.kind === 'ec' && g.code < 0x100).map((g) => g.code)
  .sort((a, b) => classicRank(a) - classicRank(b)));

function classicRank(code: number): number {
  // x25519, P-256, P-384, P-521, x448 first; then the rest in registry order.
  const head = [29, 23, 24, 25, 30];
  const i = head.indexOf(code);
  return i >= 0 ? i : 100 + code;
}

/** Groups a TLS 1.3 probe may offer (everything usable with 1.3, including post-quantum hybrids). */
export const TLS13_GROUPS: readonly number[] = Object.freeze(GROUPS.filter((g) => g.tls13).map((g) => g.code));

/** Groups we can make a real key share for, in the order a modern client prefers them. */
export const KEY_SHARE_GROUPS = [29, 23];

// Frozen, as the group lists above: a hello encodes a frozen list once (wire/client-hello.ts).
const ALL_SIGALGS: readonly number[] = Object.freeze(SIGNATURE_SCHEMES.map((s) => s.code));

export interface ScanHelloOptions {
  version: ProtocolName;
  suites: number[];
  sni: string | null;
  groups?: readonly number[];
  /** TLS 1.3: groups to send key shares for (default [], which makes the server answer with a HelloRetryRequest). */
  keyShareGroups?: number[];
  /** TLS 1.3: the signature algorithms offered (default: every one); they choose among a server's certificates. */
  signatureAlgorithms?: readonly number[];
  /**
   * TLS 1.0-1.2: no extensions at all, as SSL 3.0-era clients sent them, for
   * a server that drops any hello that carries one (extension intolerance).
   */
  bare?: boolean;
  /**
   * TLS 1.0-1.2: ask for a stapled OCSP response (status_request, RFC 6066 section 8) and for SCTs
   * (signed_certificate_timestamp, RFC 6962): round 1's hellos, which read the whole flight.
   */
  statusRequest?: boolean;
  /** SSL 3.0-TLS 1.2: the compression methods offered (default [0], none); [1, 0] offers DEFLATE (RFC 3749) first. */
  compression?: number[];
  /** TLS 1.0-1.2: offer the heartbeat extension (RFC 6520, peer_allowed_to_send). */
  heartbeat?: boolean;
  /** TLS 1.0-1.2: application protocols offered (ALPN, RFC 7301). */
  alpn?: string[];
}

export function scanHelloOptions(o: ScanHelloOptions): ClientHelloOptions {
  const code = VERSION_CODE[o.version];
  const compression = o.compression ? { compression: o.compression } : {};
  if (o.version === 'SSLv3') {
    return { maxVersion: 0x0300, recordVersion: 0x0300, legacyVersion: 0x0300, cipherSuites: o.suites, noExtensions: true, ...compression };
  }
  if (o.version === 'TLSv1.3') {
    const groups = o.groups ?? TLS13_GROUPS;
    return {
      maxVersion: 0x0304,
      supportedVersions: [0x0304],
      cipherSuites: o.suites,
      sni: o.sni,
      groups,
      // No key share by default: the server answers with a HelloRetryRequest that names its
      // suite and group without doing any public-key work, which keeps scans cheap for it.
      keyShareGroups: o.keyShareGroups ?? [],
      signatureAlgorithms: o.signatureAlgorithms ?? ALL_SIGALGS,
      pskKeyExchangeModes: [1],
      renegotiationInfo: false,
      padding: 'auto',
    };
  }
  if (o.bare) return { maxVersion: code as ClientHelloOptions['maxVersion'], cipherSuites: o.suites, noExtensions: true, ...compression };
  return {
    maxVersion: code as ClientHelloOptions['maxVersion'],
    cipherSuites: o.suites,
    sni: o.sni,
    groups: o.groups ?? CLASSIC_GROUPS,
    ecPointFormats: [0],
    signatureAlgorithms: o.version === 'TLSv1.2' ? (o.signatureAlgorithms ?? ALL_SIGALGS) : undefined,
    renegotiationInfo: true,
    extendedMasterSecret: true,
    ...(o.statusRequest ? { statusRequest: true, signedCertificateTimestamp: true } : {}),
    ...compression,
    ...(o.alpn ? { alpn: o.alpn } : {}),
    ...(o.heartbeat ? { extraExtensions: [{ type: HEARTBEAT_EXTENSION, data: Uint8Array.of(1) }] } : {}),
    padding: 'auto',
  };
}

/** RFC 6520: the heartbeat extension; its one byte 1 is peer_allowed_to_send. */
export const HEARTBEAT_EXTENSION = 15;

export function scanHello(o: ScanHelloOptions): Uint8Array {
  return buildClientHello(scanHelloOptions(o));
}

export function sslv2Hello(kinds: number[]): Uint8Array {
  return buildSSLv2ClientHello({ cipherKinds: kinds });
}
