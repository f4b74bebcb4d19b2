/**
 * Named groups for (EC)DHE / KEM key exchange: the IANA "TLS Supported Groups" registry
 * (tls-parameters-8), formerly "EC Named Curve".
 */

export const GROUPS_SOURCE = [
  'Codes and names: IANA TLS Supported Groups registry (tls-parameters-8): 1-25 RFC 4492/8422 (sect*/secp*, 1-22 deprecated by RFC 8422),',
  '26-28 RFC 7027 (brainpool, TLS <= 1.2), 29-30 RFC 7748/8422 (x25519, x448), 31-33 RFC 8734 (brainpool for TLS 1.3),',
  '34-40 RFC 9189 (GOST GC256A-D, GC512A-C), 41 RFC 8998 (curveSM2), 256-260 RFC 7919 (ffdhe), 0x0200-0x0202 draft-connolly-tls-mlkem-key-agreement,',
  '0x11EB-0x11ED draft-ietf-tls-ecdhe-mlkem (hybrids), 0x6399/0x639A draft-tls-westerbaan-xyber768d00 (obsolete),',
  '0xFF01/0xFF02 RFC 4492 (arbitrary explicit curves, deprecated by RFC 8422).',
  'Key share sizes: uncompressed SEC1 point 1+2*ceil(fieldBits/8) (RFC 8446 §4.2.8.2), X25519/X448 32/56 (RFC 7748), ffdhe modulus bytes (RFC 8446 §4.2.8.1),',
  'ML-KEM encapsulation key 800/1184/1568 and ciphertext 768/1088/1568 bytes (FIPS 203 Table 3), hybrids are the concatenation (draft-ietf-tls-ecdhe-mlkem §4),',
  'GOST 2*coordinate bytes (RFC 9367). Security bits: NIST SP 800-57 Part 1 Rev. 5 Table 2 for EC (half the order size), RFC 7919 Appendix A for ffdhe,',
  'FIPS 203 categories for ML-KEM (512/768/1024 → 128/192/256).',
].join(' ');

export type GroupKind = 'ec' | 'ff' | 'hybrid' | 'pq';

export interface GroupInfo {
  code: number;
  /** IANA name. */
  name: string;
  /** Other names for the same group (OpenSSL/ANSI/NIST names), matched by groupByName. */
  aliases: string[];
  /** 'ec' elliptic curve (incl. x25519/x448), 'ff' finite-field DH, 'hybrid' ECDHE+ML-KEM, 'pq' pure ML-KEM. */
  kind: GroupKind;
  /**
   * Estimated classical security strength in bits (see GROUPS_SOURCE). For hybrids: the stronger of the two
   * components, since both must be broken. 0 for the arbitrary_explicit_* placeholders.
   */
  bits: number;
  /** Size of the field / modulus in bits (for hybrids and ML-KEM: of the classical part, or 0 when none). */
  fieldBits: number;
  /** Post-quantum (hybrid or pure ML-KEM). */
  pq: boolean;
  /** Usable in TLS 1.3 (RFC 8446 §4.2.7 and the registrations above). */
  tls13: boolean;
  /** Usable in TLS 1.0-1.2 (supported_groups / elliptic_curves). */
  tls12: boolean;
  /** Bytes of a client key share (TLS 1.3 KeyShareEntry.key_exchange; TLS 1.2 ECPoint / dh_Yc). null when undefined. */
  keyShareLength: number | null;
  /** Bytes of the server's key share (differs for KEMs: the ciphertext). */
  serverKeyShareLength: number | null;
  /**
   * How Node can make a key share: a crypto.createECDH() curve name ('prime256v1', 'secp384r1', ...), or
   * 'x25519' / 'x448' for crypto.generateKeyPairSync(). Absent when Node cannot.
   */
  nodeCurve?: string;
  /** IANA lists it as obsolete / deprecated, or its code point was only for a draft. */
  deprecated: boolean;
}

type Row = [code: number, name: string, kind: GroupKind, fieldBits: number, bits: number, tls12: boolean, tls13: boolean, deprecated: boolean, aliases: string[], nodeCurve?: string];

/** Uncompressed SEC1 point length for a field of `fieldBits`. */
const ecPoint = (fieldBits: number): number => 1 + 2 * Math.ceil(fieldBits / 8);

const ML_KEM = { 512: { ek: 800, ct: 768 }, 768: { ek: 1184, ct: 1088 }, 1024: { ek: 1568, ct: 1568 } } as const;

const ROWS: Row[] = [
  [1, 'sect163k1', 'ec', 163, 80, true, false, true, ['K-163']],
  [2, 'sect163r1', 'ec', 163, 80, true, false, true, []],
  [3, 'sect163r2', 'ec', 163, 80, true, false, true, ['B-163']],
  [4, 'sect193r1', 'ec', 193, 96, true, false, true, []],
  [5, 'sect193r2', 'ec', 193, 96, true, false, true, []],
  [6, 'sect233k1', 'ec', 233, 112, true, false, true, ['K-233']],
  [7, 'sect233r1', 'ec', 233, 112, true, false, true, ['B-233']],
  [8, 'sect239k1', 'ec', 239, 112, true, false, true, []],
  [9, 'sect283k1', 'ec', 283, 128, true, false, true, ['K-283']],
  [10, 'sect283r1', 'ec', 283, 128, true, false, true, ['B-283']],
  [11, 'sect409k1', 'ec', 409, 192, true, false, true, ['K-409']],
  [12, 'sect409r1', 'ec', 409, 192, true, false, true, ['B-409']],
  [13, 'sect571k1', 'ec', 571, 256, true, false, true, ['K-571']],
  [14, 'sect571r1', 'ec', 571, 256, true, false, true, ['B-571']],
  [15, 'secp160k1', 'ec', 160, 80, true, false, true, []],
  [16, 'secp160r1', 'ec', 160, 80, true, false, true, []],
  [17, 'secp160r2', 'ec', 160, 80, true, false, true, []],
  [18, 'secp192k1', 'ec', 192, 96, true, false, true, []],
  [19, 'secp192r1', 'ec', 192, 96, true, false, true, ['prime192v1', 'P-192']],
  [20, 'secp224k1', 'ec', 224, 112, true, false, true, []],
  [21, 'secp224r1', 'ec', 224, 112, true, false, true, ['P-224']],
  [22, 'secp256k1', 'ec', 256, 128, true, false, true, []],
  [23, 'secp256r1', 'ec', 256, 128, true, true, false, ['prime256v1', 'P-256']],
  [24, 'secp384r1', 'ec', 384, 192, true, true, false, ['P-384']],
  [25, 'secp521r1', 'ec', 521, 256, true, true, false, ['P-521']],
  [26, 'brainpoolP256r1', 'ec', 256, 128, true, false, false, []],
  [27, 'brainpoolP384r1', 'ec', 384, 192, true, false, false, []],
  [28, 'brainpoolP512r1', 'ec', 512, 256, true, false, false, []],
  [29, 'x25519', 'ec', 255, 128, true, true, false, ['X25519', 'curve25519'], 'x25519'],
  [30, 'x448', 'ec', 448, 224, true, true, false, ['X448', 'curve448'], 'x448'],
  [31, 'brainpoolP256r1tls13', 'ec', 256, 128, false, true, false, []],
  [32, 'brainpoolP384r1tls13', 'ec', 384, 192, false, true, false, []],
  [33, 'brainpoolP512r1tls13', 'ec', 512, 256, false, true, false, []],
  [34, 'GC256A', 'ec', 256, 128, true, true, false, []],
  [35, 'GC256B', 'ec', 256, 128, true, true, false, []],
  [36, 'GC256C', 'ec', 256, 128, true, true, false, []],
  [37, 'GC256D', 'ec', 256, 128, true, true, false, []],
  [38, 'GC512A', 'ec', 512, 256, true, true, false, []],
  [39, 'GC512B', 'ec', 512, 256, true, true, false, []],
  [40, 'GC512C', 'ec', 512, 256, true, true, false, []],
  [41, 'curveSM2', 'ec', 256, 128, false, true, false, ['SM2'], 'SM2'],
  [256, 'ffdhe2048', 'ff', 2048, 103, true, true, false, []],
  [257, 'ffdhe3072', 'ff', 3072, 125, true, true, false, []],
  [258, 'ffdhe4096', 'ff', 4096, 150, true, true, false, []],
  [259, 'ffdhe6144', 'ff', 6144, 175, true, true, false, []],
  [260, 'ffdhe8192', 'ff', 8192, 192, true, true, false, []],
  [0x0200, 'MLKEM512', 'pq', 0, 128, false, true, false, ['ML-KEM-512']],
  [0x0201, 'MLKEM768', 'pq', 0, 192, false, true, false, ['ML-KEM-768']],
  [0x0202, 'MLKEM1024', 'pq', 0, 256, false, true, false, ['ML-KEM-1024']],
  [0x11eb, 'SecP256r1MLKEM768', 'hybrid', 256, 192, false, true, false, ['P256MLKEM768', 'secp256r1mlkem768']],
  [0x11ec, 'X25519MLKEM768', 'hybrid', 255, 192, false, true, false, ['x25519mlkem768']],
  [0x11ed, 'SecP384r1MLKEM1024', 'hybrid', 384, 256, false, true, false, ['P384MLKEM1024', 'secp384r1mlkem1024']],
  [0x6399, 'X25519Kyber768Draft00', 'hybrid', 255, 192, false, true, true, ['X25519Kyber768', 'x25519_kyber768']],
  [0x639a, 'SecP256r1Kyber768Draft00', 'hybrid', 256, 192, false, true, true, ['P256Kyber768']],
  [0xff01, 'arbitrary_explicit_prime_curves', 'ec', 0, 0, true, false, true, []],
  [0xff02, 'arbitrary_explicit_char2_curves', 'ec', 0, 0, true, false, true, []],
];

/** OpenSSL curve names (as accepted by crypto.createECDH) for the IANA EC groups. */
const NODE_EC: Record<string, string> = {
  secp192r1: 'prime192v1', secp256r1: 'prime256v1', brainpoolP256r1tls13: 'brainpoolP256r1',
  brainpoolP384r1tls13: 'brainpoolP384r1', brainpoolP512r1tls13: 'brainpoolP512r1',
};

function shareLengths(r: Row): [number | null, number | null] {
  const [code, name, kind, fieldBits] = r;
  if (code >= 0xff01) return [null, null];
  if (kind === 'ff') return [fieldBits / 8, fieldBits / 8];
  if (name === 'x25519') return [32, 32];
  if (name === 'x448') return [56, 56];
  if (/^GC/.test(name)) return [fieldBits / 4, fieldBits / 4]; // x || y, little-endian (RFC 9367 §3.2)
  if (kind === 'ec') return [ecPoint(fieldBits), ecPoint(fieldBits)];
  const kem = ML_KEM[/1024/.test(name) ? 1024 : /768/.test(name) ? 768 : 512];
  if (kind === 'pq') return [kem.ek, kem.ct];
  const classical = fieldBits === 255 ? 32 : ecPoint(fieldBits);
  return [classical + kem.ek, classical + kem.ct];
}

function build(r: Row): GroupInfo {
  const [code, name, kind, fieldBits, bits, tls12, tls13, deprecated, aliases, nodeCurveX] = r;
  const [keyShareLength, serverKeyShareLength] = shareLengths(r);
  let nodeCurve = nodeCurveX;
  if (!nodeCurve && kind === 'ec' && /^(sec[pt]|brainpool)/.test(name)) nodeCurve = NODE_EC[name] ?? name;
  const g: GroupInfo = {
    code, name, aliases, kind, bits, fieldBits, pq: kind === 'hybrid' || kind === 'pq', tls13, tls12,
    keyShareLength, serverKeyShareLength, deprecated,
    ...(nodeCurve ? { nodeCurve } : {}),
  };
  Object.freeze(g.aliases);
  return Object.freeze(g);
}

/** All groups, ascending by code. */
export const GROUPS: readonly GroupInfo[] = Object.freeze(ROWS.map(build));

const byCode = new Map(GROUPS.map((g) => [g.code, g]));
const byName = new Map<string, GroupInfo>();
for (const g of GROUPS) {
  byName.set(g.name.toLowerCase(), g);
  for (const a of g.aliases) byName.set(a.toLowerCase(), g);
  if (g.nodeCurve) byName.set(g.nodeCurve.toLowerCase(), g);
}
// The TLS 1.2 brainpool code points own the plain OpenSSL names.
for (const g of GROUPS) if (g.code >= 26 && g.code <= 28) byName.set(g.name.toLowerCase(), g);

export function groupByCode(code: number): GroupInfo | undefined {
  return byCode.get(code);
}

/** By IANA name or alias (prime256v1, P-256, X25519, ML-KEM-768, ...), case-insensitive. */
export function groupByName(name: string): GroupInfo | undefined {
  return byName.get(name.trim().toLowerCase());
}

/** IANA name, or 'UNKNOWN_0xABCD' (GREASE values 0x?A?A included). */
export function groupLabel(code: number): string {
  return byCode.get(code)?.name ?? `UNKNOWN_0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
