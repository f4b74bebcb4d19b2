/**
 * Protocol versions and their wire codes.
 *
 * Sources: SSLv2 — draft-hickman-netscape-ssl-00 (version 0x0002 in CLIENT-HELLO);
 * SSLv3 — RFC 6101; TLS 1.0 — RFC 2246; TLS 1.1 — RFC 4346; TLS 1.2 — RFC 5246;
 * TLS 1.3 — RFC 8446 (0x0304, carried in the supported_versions extension).
 * Deprecation of SSLv2/SSLv3: RFC 6176, RFC 7568; of TLS 1.0/1.1: RFC 8996.
 */
import type { ProtocolName } from '../scan/types.js';

export const VERSIONS_SOURCE =
  'IANA/RFC protocol version codes: SSLv2 draft-hickman-netscape-ssl-00, SSLv3 RFC 6101, TLS 1.0 RFC 2246, TLS 1.1 RFC 4346, TLS 1.2 RFC 5246, TLS 1.3 RFC 8446; deprecations RFC 6176, RFC 7568, RFC 8996';

export interface VersionInfo {
  name: ProtocolName;
  /** The 16-bit version code on the wire (SSLv2: 0x0002). */
  code: number;
  /** Defining document. */
  rfc: string;
  /** Document that deprecated / prohibited it, if any. */
  deprecatedBy: string | null;
}

/** In ascending order (oldest first); the order is used to compare versions. */
export const VERSIONS: readonly VersionInfo[] = Object.freeze([
  { name: 'SSLv2', code: 0x0002, rfc: 'draft-hickman-netscape-ssl-00', deprecatedBy: 'RFC 6176' },
  { name: 'SSLv3', code: 0x0300, rfc: 'RFC 6101', deprecatedBy: 'RFC 7568' },
  { name: 'TLSv1.0', code: 0x0301, rfc: 'RFC 2246', deprecatedBy: 'RFC 8996' },
  { name: 'TLSv1.1', code: 0x0302, rfc: 'RFC 4346', deprecatedBy: 'RFC 8996' },
  { name: 'TLSv1.2', code: 0x0303, rfc: 'RFC 5246', deprecatedBy: null },
  { name: 'TLSv1.3', code: 0x0304, rfc: 'RFC 8446', deprecatedBy: null },
].map((v) => Object.freeze(v as VersionInfo)));

/** Wire code by version name, from VERSIONS. */
export const VERSION_CODE = Object.freeze(Object.fromEntries(VERSIONS.map((v) => [v.name, v.code]))) as Readonly<Record<ProtocolName, number>>;

export function versionByCode(code: number): VersionInfo | undefined {
  return VERSIONS.find((v) => v.code === code);
}

/**
 * Looks a version up by its ProtocolName, case-insensitively; also accepts the
 * common spellings 'TLSv1', 'TLS1.2', 'TLS 1.2', 'tls1_2', 'SSL3'.
 */
export function versionByName(name: string): VersionInfo | undefined {
  const exact = VERSIONS.find((v) => v.name === name);
  if (exact) return exact;
  const n = name.trim().toLowerCase().replace(/[\s_]/g, '').replace(/^(ssl|tls)v?/, '$1');
  const m = /^(ssl|tls)(\d)(?:[._]?(\d))?$/.exec(n.replace(/_/g, '.'));
  if (!m) return undefined;
  const [, fam, major, minor] = m;
  if (fam === 'ssl') {
    if (minor !== undefined && minor !== '0') return undefined;
    return VERSIONS.find((v) => v.name === `SSLv${major}`);
  }
  if (major !== '1') return undefined;
  return VERSIONS.find((v) => v.name === `TLSv1.${minor ?? '0'}`);
}

/** Rank of a version for comparisons: SSLv2 = 0 … TLSv1.3 = 5. */
export function versionRank(name: ProtocolName): number {
  return RANKS.get(name) ?? -1;
}

/** versionRank's table (the registry's filters ask it for every suite). */
const RANKS = new Map<string, number>(VERSIONS.map((v, i) => [v.name, i]));

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: ProtocolName, b: ProtocolName): number {
  return versionRank(a) - versionRank(b);
}
