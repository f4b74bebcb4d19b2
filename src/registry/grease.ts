/**
 * GREASE values (RFC 8701): reserved code points clients sprinkle into cipher suites, groups, signature
 * schemes, extensions, versions and ALPN to keep servers tolerant of unknown values. A server must never
 * select one.
 */

export const GREASE_SOURCE = 'RFC 8701 §2 (0x0A0A, 0x1A1A, ..., 0xFAFA for 16-bit fields; 0x0B, 0x2A, ..., 0xFA for PskKeyExchangeModes).';

/** The 16 two-byte GREASE values, ascending. */
export const GREASE_VALUES: readonly number[] = Object.freeze(Array.from({ length: 16 }, (_, i) => ((i << 4) | 0x0a) * 0x0101));

/** True for a 16-bit GREASE value (cipher suite, group, signature scheme, extension, version). */
export function isGrease(code: number): boolean {
  return Number.isInteger(code) && code >= 0 && code <= 0xffff && (code & 0x0f0f) === 0x0a0a && code >> 8 === (code & 0xff);
}

/** The 8 one-byte GREASE values for PskKeyExchangeModes (0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4). */
export const GREASE_PSK_MODES: readonly number[] = Object.freeze([0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4]);
