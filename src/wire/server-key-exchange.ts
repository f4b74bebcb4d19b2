/**
 * ServerKeyExchange parser (RFC 5246 §7.4.3; RFC 8422 §5.4 for ECDHE;
 * RFC 4279 §2 and §3 for PSK; RFC 5054 §2.8 for SRP; RFC 2246 §7.4.3 for
 * RSA_EXPORT). The signature is framed but not verified.
 */
import { WireError } from '../util/errors.js';
import { ByteReader } from './bytes.js';

/** Key exchange of the negotiated suite, as far as the ServerKeyExchange format is concerned. */
export type KeyExchangeKind =
  | 'ECDHE' | 'ECDH_anon' | 'DHE' | 'DH_anon' | 'DHE_EXPORT' | 'DH_anon_EXPORT' | 'RSA_EXPORT'
  | 'PSK' | 'RSA_PSK' | 'DHE_PSK' | 'ECDHE_PSK' | 'SRP';

export interface SkeSignature {
  /** SignatureAndHashAlgorithm / SignatureScheme (TLS 1.2 form only). */
  algorithm?: number;
  length: number;
}

export type ServerKeyExchange =
  | {
    kind: 'ecdhe';
    /** ECCurveType: 3 named_curve, 1 explicit_prime, 2 explicit_char2 (RFC 8422 §5.4, RFC 4492). */
    curveType: number;
    /** NamedGroup for named curves; 0 for explicit curves. */
    group: number;
    /** Field size in bits for explicit curves (bit length of p, or m for char2). */
    explicitFieldBits?: number;
    publicKeyLength: number;
    /** The server's ephemeral public point (curve-specific encoding). */
    publicKey: Uint8Array;
    identityHint?: Uint8Array;
    signature?: SkeSignature;
  }
  | {
    kind: 'dhe';
    /** Bit length of p with leading zero bits stripped. */
    pBits: number;
    gBits: number;
    p: Uint8Array;
    g: Uint8Array;
    publicKeyLength: number;
    /** The server's public value Ys. */
    publicKey: Uint8Array;
    identityHint?: Uint8Array;
    signature?: SkeSignature;
  }
  | { kind: 'rsa-export'; modulusBits: number; exponent: Uint8Array; signature?: SkeSignature }
  | { kind: 'psk'; identityHint: Uint8Array }
  | { kind: 'srp'; nBits: number; gBits: number; saltLength: number; publicKeyLength: number; signature?: SkeSignature };

export interface SkeOptions {
  /** Negotiated version; selects the signature form (with algorithm from TLS 1.2). Guessed when absent. */
  version?: number;
}

/** Bit length of a big-endian unsigned integer, leading zero bits stripped. */
export function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

function nonEmpty(r: ByteReader, len: 1 | 2, what: string): Uint8Array {
  const v = r.vector(len, what);
  if (v.remaining === 0) throw new WireError(`empty ${what}`);
  return v.bytes(v.remaining);
}

/** Frames the trailing digitally-signed struct; tolerant: leftovers that fit no form are reported as a raw length. */
function readSignature(r: ByteReader, version: number | undefined): SkeSignature | undefined {
  const rest = r.bytes(r.remaining);
  if (rest.length === 0) return undefined;
  const tryTls12 = (): SkeSignature | undefined => {
    if (rest.length < 4) return undefined;
    const len = (rest[2]! << 8) | rest[3]!;
    return len === rest.length - 4 ? { algorithm: (rest[0]! << 8) | rest[1]!, length: len } : undefined;
  };
  const tryLegacy = (): SkeSignature | undefined => {
    if (rest.length < 2) return undefined;
    const len = (rest[0]! << 8) | rest[1]!;
    return len === rest.length - 2 ? { length: len } : undefined;
  };
  if (version === undefined) return tryTls12() ?? tryLegacy() ?? { length: rest.length };
  if (version >= 0x0303) return tryTls12() ?? { length: rest.length };
  return tryLegacy() ?? { length: rest.length };
}

function readEcParams(r: ByteReader): { curveType: number; group: number; explicitFieldBits?: number } {
  const curveType = r.u8('ECCurveType');
  if (curveType === 3) return { curveType, group: r.u16('named curve') };
  if (curveType === 1) {
    const p = nonEmpty(r, 1, 'prime_p');
    nonEmpty(r, 1, 'curve a'); nonEmpty(r, 1, 'curve b');
    nonEmpty(r, 1, 'base point'); nonEmpty(r, 1, 'order'); nonEmpty(r, 1, 'cofactor');
    return { curveType, group: 0, explicitFieldBits: bitLength(p) };
  }
  if (curveType === 2) {
    const m = r.u16('char2 m');
    const basis = r.u8('char2 basis');
    if (basis === 1) nonEmpty(r, 1, 'trinomial k');
    else if (basis === 2) { nonEmpty(r, 1, 'k1'); nonEmpty(r, 1, 'k2'); nonEmpty(r, 1, 'k3'); }
    else throw new WireError(`unknown ECBasisType ${basis}`);
    nonEmpty(r, 1, 'curve a'); nonEmpty(r, 1, 'curve b');
    nonEmpty(r, 1, 'base point'); nonEmpty(r, 1, 'order'); nonEmpty(r, 1, 'cofactor');
    return { curveType, group: 0, explicitFieldBits: m };
  }
  throw new WireError(`unknown ECCurveType ${curveType}`);
}

/**
 * Parses a ServerKeyExchange body (without the 4-byte handshake header) for
 * the suite's key exchange. Throws WireError on malformed input.
 */
export function parseServerKeyExchange(body: Uint8Array, kx: KeyExchangeKind, opts: SkeOptions = {}): ServerKeyExchange {
  const r = new ByteReader(body);
  const anon = kx === 'ECDH_anon' || kx === 'DH_anon' || kx === 'DH_anon_EXPORT';
  const signed = !anon && kx !== 'PSK' && kx !== 'RSA_PSK' && kx !== 'DHE_PSK' && kx !== 'ECDHE_PSK';
  const sig = () => (signed ? readSignature(r, opts.version) : undefined);
  const hint = (): Uint8Array => { const v = r.vector(2, 'psk_identity_hint'); return v.bytes(v.remaining); };

  switch (kx) {
    case 'ECDHE': case 'ECDH_anon': case 'ECDHE_PSK': {
      const identityHint = kx === 'ECDHE_PSK' ? hint() : undefined;
      const params = readEcParams(r);
      const pub = nonEmpty(r, 1, 'ECDH public point');
      const out: ServerKeyExchange = { kind: 'ecdhe', ...params, publicKeyLength: pub.length, publicKey: pub };
      if (identityHint) out.identityHint = identityHint;
      const s = sig();
      if (s) out.signature = s;
      return out;
    }
    case 'DHE': case 'DH_anon': case 'DHE_EXPORT': case 'DH_anon_EXPORT': case 'DHE_PSK': {
      const identityHint = kx === 'DHE_PSK' ? hint() : undefined;
      const p = nonEmpty(r, 2, 'dh_p');
      const g = nonEmpty(r, 2, 'dh_g');
      const ys = nonEmpty(r, 2, 'dh_Ys');
      const out: ServerKeyExchange = { kind: 'dhe', pBits: bitLength(p), gBits: bitLength(g), p, g, publicKeyLength: ys.length, publicKey: ys };
      if (identityHint) out.identityHint = identityHint;
      const s = sig();
      if (s) out.signature = s;
      return out;
    }
    case 'RSA_EXPORT': {
      const modulus = nonEmpty(r, 2, 'rsa_modulus');
      const exponent = nonEmpty(r, 2, 'rsa_exponent');
      const out: ServerKeyExchange = { kind: 'rsa-export', modulusBits: bitLength(modulus), exponent };
      const s = sig();
      if (s) out.signature = s;
      return out;
    }
    case 'PSK': case 'RSA_PSK': {
      const identityHint = hint();
      r.expectEnd('PSK ServerKeyExchange');
      return { kind: 'psk', identityHint };
    }
    case 'SRP': {
      const n = nonEmpty(r, 2, 'srp_N');
      const g = nonEmpty(r, 2, 'srp_g');
      const salt = r.vector(1, 'srp_s');
      const b = nonEmpty(r, 2, 'srp_B');
      const out: ServerKeyExchange = { kind: 'srp', nBits: bitLength(n), gBits: bitLength(g), saltLength: salt.remaining, publicKeyLength: b.length };
      const s = sig();
      if (s) out.signature = s;
      return out;
    }
    default:
      throw new WireError(`no ServerKeyExchange format for key exchange ${String(kx)}`);
  }
}
