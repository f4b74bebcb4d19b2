/**
 * Client profiles: what a TLS client runtime offers in its ClientHello and
 * what it enforces on the server's answer, as data. Every fact names its
 * source (vendor documentation, a release note, or a capture of the real
 * client made on loopback, kept in docs/captures/).
 */

import { VERSION_CODE } from '../versions.js';
import type { RuntimeTrustStore } from '../root-stores.js';

/** Same spelling as scan/types ProtocolName (registry/ may not import scan/). */
export type ClientVersion = 'SSLv2' | 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const CLIENT_VERSIONS: readonly ClientVersion[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
export const VERSION_CODES: Readonly<Record<ClientVersion, number>> = VERSION_CODE;

export type ClientFamily = 'dotnet' | 'windows' | 'java' | 'python' | 'ruby' | 'openssl' | 'curl' | 'gnutls' | 'node' | 'go'
  | 'android' | 'ios' | 'browser';

/** The kinds of fact a profile holds; each must be backed by at least one source. */
export type ClientFact = 'versions' | 'cipherSuites' | 'groups' | 'signatureAlgorithms' | 'extensions' | 'helloFormat'
  | 'certificate' | 'keyExchange' | 'remediation';
export const CLIENT_FACTS: readonly ClientFact[] = ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions',
  'helloFormat', 'certificate', 'keyExchange', 'remediation'];

export interface ClientSource {
  /** Document title, or "Capture of <client> ..." for a capture made here. */
  title: string;
  /** URL of the document, or the repository path of the capture (docs/captures/<id>.json). */
  url: string;
  facts: ClientFact[];
  /** What exactly was taken from it, or how it was derived. */
  note?: string;
}

export interface ClientExtensions {
  /** Sends server_name when it connects by host name. */
  sni: boolean;
  alpn: string[] | null;
  extendedMasterSecret: boolean;
  sessionTicket: boolean;
  statusRequest: boolean;
  /** renegotiation_info extension (the SCSV 0x00ff, when sent, is in cipherSuites). */
  renegotiationInfo: boolean;
  ecPointFormats: number[] | null;
  encryptThenMac: boolean;
  pskKeyExchangeModes: number[] | null;
  /** RFC 8701 GREASE values in suites, groups, versions and extensions. */
  grease: boolean;
  /** Other extensions, sent verbatim (type, hex data), e.g. from a capture. */
  extra?: { type: number; data: string }[];
  /** Extension order of the real client, when known (types). */
  order?: number[];
}

export interface CertificateConstraints {
  /** Smallest RSA key (bits) the client accepts in the server's certificate chain. */
  minRsaBits: number;
  /** Smallest EC key (bits). */
  minEcBits: number;
  /** Accepts a SHA-1 signature on the leaf or intermediates. */
  acceptsSha1: boolean;
}

export interface KeyExchangeConstraints {
  /** Smallest finite-field DH group (bits) accepted in DHE. */
  minDhBits?: number;
  /** Largest finite-field DH group (bits) the client can handle in DHE (Java 6/7: 1024). */
  maxDhBits?: number;
  /**
   * Rejects the MD5+SHA-1 signature TLS 1.0/1.1 put on ServerKeyExchange (OpenSSL 3 at
   * security level 1 and above): at TLS 1.0/1.1 only RSA key exchange completes.
   */
  rejectsLegacyKxSignature?: boolean;
  /** Versions below this are offered on the wire but refused in the ServerHello. */
  minAcceptedVersion?: ClientVersion;
  /**
   * Aborts a TLS <= 1.2 handshake whose ServerHello has no renegotiation_info
   * (RFC 5746): OpenSSL 3.0 and later no longer set SSL_OP_LEGACY_SERVER_CONNECT
   * ("unsafe legacy renegotiation disabled").
   */
  requiresSecureRenegotiation?: boolean;
}

/** Remediation texts per failure kind; `general` when no specific one applies. */
export interface ClientRemediation {
  general: string;
  protocol?: string;
  cipher?: string;
  group?: string;
  certificate?: string;
  sni?: string;
  keyExchange?: string;
  renegotiation?: string;
  /** When the runtime's own trust store lacks the chain's root. */
  trust?: string;
}

export interface ClientProfile {
  id: string;
  name: string;
  family: ClientFamily;
  /** The exact configuration modelled: OS, library version, API used. */
  description: string;
  /** Versions offered, ascending (legacy_version = the highest below TLS 1.3; supported_versions when TLS 1.3 is offered). */
  versions: ClientVersion[];
  /** Cipher suite codes in the client's order, including 0x00ff when sent. */
  cipherSuites: number[];
  /** supported_groups in order (null: extension not sent). */
  groups: number[] | null;
  /** TLS 1.3 key_share groups. */
  keyShareGroups: number[] | null;
  /** signature_algorithms (null: not sent). */
  signatureAlgorithms: number[] | null;
  extensions: ClientExtensions;
  hello: {
    /** 'sslv2-compatible': an SSLv2-format ClientHello that offers SSLv3/TLS (no extensions possible). */
    format: 'tls' | 'sslv2-compatible';
    /** Version in the record header (0x0301 for most clients). */
    recordVersion?: number;
  };
  certificate: CertificateConstraints;
  keyExchange: KeyExchangeConstraints;
  remediation: ClientRemediation;
  /**
   * The trust store bundled with the runtime and frozen with its release (Java's cacerts,
   * Android's system store), when the profile has one: a chain ending at a root it lacks fails
   * (assess/root-stores.ts). Absent: the OS store, kept current by the OS (Windows, Linux, browsers).
   */
  trustStore?: RuntimeTrustStore;
  /** A real client of this profile runs on this machine; the agreement tests use it. */
  realClient?: string;
  sources: ClientSource[];
}
