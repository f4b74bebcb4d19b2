/**
 * What a ClientHello says about the client that sent it, and whether it meets
 * a policy such as "TLS 1.2 or later" (seed 002: an API that refuses anything
 * that is not TLS 1.2). Pure: parsed hello in, JSON-ready report out.
 */
import { isGrease, parseClientHello, type ParsedClientHello } from '../wire/client-hello-parse.js';
import { ja3, ja4, type Ja3, type Ja4 } from './fingerprint.js';
import { extensionName, groupInfo, hex4, sigInfo, suiteInfo, versionName, sslv2KindName, type Strength } from './names.js';
import { UsageError } from '../util/errors.js';

export const REPORT_SCHEMA_VERSION = 1;

/** A policy: the lowest protocol version accepted, and optional suite rules. */
export interface ClientPolicy {
  /** e.g. 0x0303 for TLS 1.2. */
  minVersion: number;
  /** The client must offer at least one AEAD suite usable at an accepted version. */
  requireAead?: boolean;
  /** The client must not offer any insecure suite (NULL, EXPORT, RC4, DES, anon, MD5). */
  noInsecure?: boolean;
  /** The text the policy came from, e.g. "TLSv1.2,aead". */
  label: string;
}

const POLICY_VERSIONS: Record<string, number> = {
  'sslv3': 0x0300, 'tlsv1': 0x0301, 'tlsv1.0': 0x0301, 'tlsv1.1': 0x0302, 'tlsv1.2': 0x0303, 'tlsv1.3': 0x0304,
  'tls1.0': 0x0301, 'tls1.1': 0x0302, 'tls1.2': 0x0303, 'tls1.3': 0x0304,
};

/** Parses "--require TLSv1.2[,aead][,no-insecure]". Throws UsageError on anything else. */
export function parsePolicy(spec: string): ClientPolicy {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  let minVersion: number | undefined;
  const p: Partial<ClientPolicy> = {};
  for (const part of parts) {
    const v = POLICY_VERSIONS[part.toLowerCase()];
    if (v !== undefined) { minVersion = v; continue; }
    if (part === 'aead' || part === 'no-cbc') { p.requireAead = true; continue; }
    if (part === 'no-insecure') { p.noInsecure = true; continue; }
    throw new UsageError(`--require: unknown policy item "${part}" (use e.g. TLSv1.2, TLSv1.3, aead, no-insecure)`);
  }
  if (minVersion === undefined) throw new UsageError(`--require: "${spec}" names no protocol version (e.g. TLSv1.2)`);
  return { ...p, minVersion, label: parts.join(',') };
}

export const DEFAULT_POLICY: ClientPolicy = { minVersion: 0x0303, label: 'TLSv1.2' };

/** "TLS 1.2" for people; versionName gives "TLSv1.2" for data. */
export function humanVersion(v: number): string {
  const n = versionName(v);
  const map: Record<string, string> = { SSLv2: 'SSL 2.0', SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0' };
  return map[n] ?? n.replace(/^TLSv/, 'TLS ');
}

export interface SuiteEntry { code: string; name: string; strength: Strength; grease?: true; scsv?: true; tls13: boolean; aead: boolean }
export interface GroupEntry { code: string; name: string; pq: boolean; grease?: true }

export interface ClientHelloReport {
  schemaVersion: number;
  format: ParsedClientHello['format'];
  recordVersion?: string;
  legacyVersion: string;
  /** From supported_versions, GREASE removed, in the client's order. */
  supportedVersions?: string[];
  /** Versions the hello shows the client will accept (see versionsNote). */
  versionsOffered: string[];
  versionsNote?: string;
  highestVersion: string;
  cipherSuites: SuiteEntry[];
  insecureSuites: string[];
  weakSuites: string[];
  sslv2CipherKinds?: string[];
  groups: GroupEntry[];
  keyShareGroups: string[];
  postQuantum: boolean;
  signatureAlgorithms: string[];
  ecPointFormats?: number[];
  compressionMethods: number[];
  sni?: string;
  alpn?: string[];
  extensions: { code: number; name: string }[];
  grease: boolean;
  ja3: Ja3;
  ja4: Ja4;
  verdict: Verdict;
  notes: string[];
}

export interface Verdict {
  policy: string;
  compliant: boolean;
  /** One line, e.g. "TLS 1.2 compliant: no — offers at most TLS 1.0". */
  summary: string;
  reasons: string[];
}

function numericVersion(v: number): number {
  return v === 0x0200 ? 0x0002 : (v >> 8) === 0x7f ? 0x0304 : v;
}

/**
 * The versions a hello shows: supported_versions when present; otherwise only
 * its client_version, the highest it accepts (the lowest is not in the hello).
 */
function offeredVersions(h: ParsedClientHello): { versions: number[]; note?: string } {
  const sv = (h.supportedVersions ?? []).filter((v) => !isGrease(v));
  if (sv.length > 0) return { versions: sv.map(numericVersion) };
  const top = numericVersion(h.legacyVersion);
  if (h.format === 'sslv2' && top === 0x0002) return { versions: [top] };
  return {
    versions: [top],
    note: `no supported_versions extension: the client accepts up to ${humanVersion(top)}, and maybe lower versions, which a ClientHello does not show`,
  };
}

export function analyzeParsedClientHello(h: ParsedClientHello, policy: ClientPolicy = DEFAULT_POLICY): ClientHelloReport {
  const { versions, note } = offeredVersions(h);
  const highest = Math.max(...versions);
  const suites: SuiteEntry[] = h.cipherSuites.map((c) => {
    const s = suiteInfo(c);
    const e: SuiteEntry = { code: `0x${hex4(c)}`, name: s.name, strength: s.strength, tls13: (c >> 8) === 0x13, aead: s.aead };
    if (s.grease) e.grease = true;
    if (s.scsv) e.scsv = true;
    return e;
  });
  const real = suites.filter((s) => !s.grease && !s.scsv);
  const groups: GroupEntry[] = (h.supportedGroups ?? []).map((g) => {
    const i = groupInfo(g);
    const e: GroupEntry = { code: `0x${hex4(g)}`, name: i.name, pq: i.pq };
    if (i.grease) e.grease = true;
    return e;
  });
  const keyShare = (h.keyShareGroups ?? []).filter((g) => !isGrease(g)).map((g) => groupInfo(g).name);
  const notes: string[] = [];
  if (note) notes.push(note);
  if (h.format === 'sslv2') notes.push('SSLv2-compatible ClientHello: sent by old clients; SSL 2.0 itself is broken (RFC 6176)');
  if (highest <= 0x0300) {
    notes.push(`the client offers at most ${humanVersion(highest)}: Node's OpenSSL cannot complete such a handshake, so it can only be analysed`);
  }

  // Verdict against the policy.
  const reasons: string[] = [];
  const accepted = versions.filter((v) => v >= policy.minVersion);
  const usable = real.filter((s) => accepted.some((v) => (v === 0x0304 ? s.tls13 : !s.tls13)));
  if (accepted.length === 0) {
    reasons.push(`offers at most ${humanVersion(highest)}`);
  } else if (usable.length === 0) {
    reasons.push(`offers ${accepted.map(humanVersion).join('/')} but no cipher suite usable with it`);
  }
  if (policy.requireAead && accepted.length > 0 && !usable.some((s) => s.aead)) {
    reasons.push('offers no AEAD (GCM/ChaCha20/CCM) cipher suite');
  }
  const insecure = real.filter((s) => s.strength === 'insecure').map((s) => s.name);
  if (h.sslv2CipherKinds.length > 0) insecure.push(...h.sslv2CipherKinds.map(sslv2KindName));
  if (policy.noInsecure && insecure.length > 0) reasons.push(`offers insecure cipher suites: ${insecure.join(', ')}`);
  const compliant = reasons.length === 0;
  const want = humanVersion(policy.minVersion);
  const summary = `${want} compliant: ${compliant ? 'yes' : 'no'}${compliant ? ` — offers up to ${humanVersion(highest)}` : ` — ${reasons.join('; ')}`}`;

  const report: ClientHelloReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    format: h.format,
    legacyVersion: versionName(h.legacyVersion),
    versionsOffered: versions.map(versionName),
    highestVersion: versionName(highest),
    cipherSuites: suites,
    insecureSuites: insecure,
    weakSuites: real.filter((s) => s.strength === 'weak').map((s) => s.name),
    groups,
    keyShareGroups: keyShare,
    postQuantum: groups.some((g) => g.pq),
    signatureAlgorithms: (h.signatureAlgorithms ?? []).map((s) => sigInfo(s).name),
    compressionMethods: h.compressionMethods,
    extensions: h.extensions.map((e) => ({ code: e.type, name: extensionName(e.type) })),
    grease: h.cipherSuites.some(isGrease) || h.extensions.some((e) => e.grease),
    ja3: ja3(h),
    ja4: ja4(h),
    verdict: { policy: policy.label, compliant, summary, reasons },
    notes,
  };
  if (note) report.versionsNote = note;
  if (h.recordVersion !== undefined) report.recordVersion = versionName(h.recordVersion);
  if (h.supportedVersions) report.supportedVersions = h.supportedVersions.filter((v) => !isGrease(v)).map(versionName);
  if (h.sslv2CipherKinds.length > 0) report.sslv2CipherKinds = h.sslv2CipherKinds.map(sslv2KindName);
  if (h.ecPointFormats) report.ecPointFormats = h.ecPointFormats;
  if (h.serverName !== undefined) report.sni = h.serverName;
  if (h.alpn) report.alpn = h.alpn;
  return report;
}

/** Library entry: bytes of a captured ClientHello (records, handshake message or SSLv2) → report. */
export function analyzeClientHello(bytes: Uint8Array, policy: ClientPolicy = DEFAULT_POLICY): ClientHelloReport {
  return analyzeParsedClientHello(parseClientHello(bytes), policy);
}

/** Human-readable text of a report (the CLI and the console log use it). */
export function renderReportText(r: ClientHelloReport): string {
  const lines: string[] = [];
  lines.push(r.verdict.summary);
  lines.push(`  versions:   offered ${r.versionsOffered.join(', ')}; highest ${r.highestVersion}; legacy_version ${r.legacyVersion}${r.recordVersion ? `; record ${r.recordVersion}` : ''}`);
  if (r.versionsNote) lines.push(`              (${r.versionsNote})`);
  lines.push(`  suites:     ${r.cipherSuites.length} offered`);
  for (const s of r.cipherSuites) {
    const mark = s.grease ? 'GREASE' : s.scsv ? 'signal' : s.strength;
    lines.push(`    ${s.code} ${s.name.padEnd(48)} ${mark}`);
  }
  if (r.sslv2CipherKinds) lines.push(`  SSLv2 kinds: ${r.sslv2CipherKinds.join(', ')}`);
  if (r.insecureSuites.length) lines.push(`  insecure:   ${r.insecureSuites.join(', ')}`);
  lines.push(`  groups:     ${r.groups.map((g) => g.name + (g.pq ? ' (post-quantum)' : '')).join(', ') || '(none)'}`);
  lines.push(`  key shares: ${r.keyShareGroups.join(', ') || '(none)'}`);
  lines.push(`  post-quantum: ${r.postQuantum ? 'yes' : 'no'}`);
  lines.push(`  sigalgs:    ${r.signatureAlgorithms.join(', ') || '(none)'}`);
  lines.push(`  SNI:        ${r.sni ?? '(none)'}`);
  lines.push(`  ALPN:       ${r.alpn?.join(', ') ?? '(none)'}`);
  lines.push(`  extensions: ${r.extensions.map((e) => e.name).join(', ') || '(none)'}`);
  lines.push(`  JA3:        ${r.ja3.hash}  ${r.ja3.string}`);
  lines.push(`  JA4:        ${r.ja4.ja4}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
