/**
 * Pins written the way each consumer wants them. All carry the same value:
 * base64(SHA-256(SubjectPublicKeyInfo DER)).
 *
 * Sources of the formats:
 * - pinning.json / OkHttp CertificatePinner: "sha256/<base64>" (seed 003; OkHttp CertificatePinner docs).
 * - HPKP: RFC 7469 section 2.1, `pin-sha256="<base64>"` directives in Public-Key-Pins.
 * - curl: --pinnedpubkey "sha256//<base64>;sha256//<base64>" (curl man page, --pinnedpubkey).
 * - Android: Network Security Configuration, <pin-set expiration="yyyy-MM-dd"><pin digest="SHA-256">.
 * - TrustKit: kTSKPinnedDomains / kTSKPublicKeyHashes (TrustKit README).
 * - DANE TLSA: RFC 6698 section 2 (record fields), RFC 7218 (usage 3 DANE-EE, 2 DANE-TA;
 *   selector 1 SPKI; matching type 1 SHA-256), RFC 7671 sections 5.1-5.2 (what each usage checks),
 *   owner name `_port._tcp.host.` (RFC 6698 section 3). The SHA-256 of the SPKI is the pin, in hex.
 */
import type { PinEntry } from './sources.js';

export const PIN_FORMATS = ['text', 'sha256', 'hpkp', 'curl', 'android', 'trustkit', 'tlsa', 'json'] as const;
export type PinFormat = (typeof PIN_FORMATS)[number];

export interface FormatOptions {
  /** Host name for the formats that name one (Android, TrustKit). */
  host?: string;
  /** Android pin-set expiration; null to omit. Default: earliest expiry of the pinned certificates. */
  expiration?: Date | null;
  /** HPKP max-age in seconds. */
  maxAge?: number;
  /** TLSA owner name's port (default 443). */
  port?: number;
}

const unique = (pins: string[]) => [...new Set(pins)];

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The date Android should stop enforcing pins: the earliest expiry among the pinned certificates. */
export function defaultExpiration(entries: PinEntry[]): Date | null {
  const dates = entries.map((e) => e.notAfter).filter((d): d is Date => !!d);
  if (!dates.length) return null;
  return new Date(Math.min(...dates.map((d) => d.getTime())));
}

export function formatPins(entries: PinEntry[], format: Exclude<PinFormat, 'text'>, o: FormatOptions = {}): string {
  const pins = unique(entries.map((e) => e.pin));
  const host = o.host ?? 'www.example.com';
  switch (format) {
    case 'sha256':
      return pins.map((p) => `sha256/${p}`).join('\n') + '\n';
    case 'hpkp':
      return `Public-Key-Pins: ${pins.map((p) => `pin-sha256="${p}"`).join('; ')}; max-age=${o.maxAge ?? 5184000}\n`;
    case 'curl':
      return pins.map((p) => `sha256//${p}`).join(';') + '\n';
    case 'android': {
      const exp = o.expiration === undefined ? defaultExpiration(entries) : o.expiration;
      const expAttr = exp ? ` expiration="${day(exp)}"` : '';
      return [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<network-security-config>',
        '  <domain-config>',
        `    <domain includeSubdomains="false">${xmlEscape(host)}</domain>`,
        `    <pin-set${expAttr}>`,
        ...pins.map((p) => `      <pin digest="SHA-256">${p}</pin>`),
        '    </pin-set>',
        '  </domain-config>',
        '</network-security-config>',
        '',
      ].join('\n');
    }
    case 'trustkit':
      return [
        'NSDictionary *trustKitConfig = @{',
        '  kTSKSwizzleNetworkDelegates: @YES,',
        '  kTSKPinnedDomains: @{',
        `    @"${host.replace(/["\\]/g, '')}": @{`,
        '      kTSKIncludeSubdomains: @NO,',
        '      kTSKEnforcePinning: @YES,',
        '      kTSKPublicKeyHashes: @[',
        ...pins.map((p, k) => `        @"${p}"${k < pins.length - 1 ? ',' : ''}`),
        '      ],',
        '    },',
        '  },',
        '};',
        '',
      ].join('\n');
    case 'tlsa':
      return formatTlsa(entries, host, o.port ?? 443);
    case 'json':
      return JSON.stringify(entries.map(pinEntryJson), null, 2) + '\n';
  }
}

/**
 * DANE TLSA records, one per key: "3 1 1" (DANE-EE) for the server's own key (a leaf, or a key or
 * CSR given alone: the next key to publish ahead of a rollover), "2 1 1" (DANE-TA) for a CA's key.
 */
function formatTlsa(entries: PinEntry[], host: string, port: number): string {
  const owner = `_${port}._tcp.${host.toLowerCase().replace(/\.$/, '')}.`;
  const records: string[] = [];
  let ta = false;
  for (const e of entries) {
    const usage = e.role === 'intermediate' || e.role === 'root' ? 2 : 3;
    if (usage === 2) ta = true;
    const line = `${owner} IN TLSA ${usage} 1 1 ${Buffer.from(e.pin, 'base64').toString('hex').toUpperCase()}`;
    if (!records.includes(line)) records.push(line);
  }
  return [
    '; DANE TLSA (RFC 6698, RFC 7671): usage 3 = DANE-EE, the server\'s own key; 2 = DANE-TA, a CA key',
    '; selector 1 = the public key (SPKI), matching type 1 = SHA-256: the pin, in hex',
    ...(ta ? ['; a 2 1 1 record matches only when the server sends that CA certificate in its chain (RFC 7671 section 5.2.2)'] : []),
    '; publish the next key\'s record beside the current one before a key change (RFC 7671 section 8.1)',
    ...records,
    '',
  ].join('\n');
}

export function pinEntryJson(e: PinEntry): Record<string, unknown> {
  return {
    source: e.source,
    index: e.index,
    kind: e.kind,
    ...(e.role ? { role: e.role } : {}),
    ...(e.subject !== undefined ? { subject: e.subject } : {}),
    ...(e.issuer !== undefined ? { issuer: e.issuer } : {}),
    ...(e.notBefore ? { notBefore: e.notBefore.toISOString() } : {}),
    ...(e.notAfter ? { notAfter: e.notAfter.toISOString() } : {}),
    keyType: e.keyType,
    pin: e.pin,
    sha256: `sha256/${e.pin}`,
    ...(e.note ? { note: e.note } : {}),
  };
}

/** Human output: one block per input, every certificate with role, subject, issuer and expiry. */
export function formatPinsText(entries: PinEntry[]): string {
  const out: string[] = [];
  let last = '';
  for (const e of entries) {
    if (e.source !== last) { if (last) out.push(''); out.push(e.source); last = e.source; }
    const what = e.kind === 'certificate' ? (e.role ?? 'certificate') : e.kind;
    out.push(`  [${e.index}] ${what}  ${e.keyType}${e.subject !== undefined ? `  ${e.subject || '(empty subject)'}` : ''}`);
    if (e.issuer !== undefined) out.push(`      issuer:  ${e.issuer}`);
    if (e.notAfter) out.push(`      expires: ${e.notAfter.toISOString()}`);
    out.push(`      sha256/${e.pin}`);
    if (e.note) out.push(`      note: ${e.note}`);
  }
  return out.join('\n') + '\n';
}
