/**
 * Key shares for the TLS 1.3 key_share extension (RFC 8446 §4.2.8). A probe
 * never completes the key exchange, but servers validate the share before they
 * answer (an invalid point draws an illegal_parameter alert), so EC and X
 * curves get a real public key from node:crypto: generateKeyShare drops the
 * private key, keyAgreement keeps it for the shared secret (our own TLS 1.3
 * handshake, net/tls13-chain.ts).
 */
import { createDiffieHellman, createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { FFDHE_PRIMES } from './ffdhe.js';

/** ECDHE groups (uncompressed point, RFC 8446 §4.2.8.2) by node:crypto curve name. */
const ecCurves = new Map<number, string>([
  [23, 'prime256v1'],
  [24, 'secp384r1'],
  [25, 'secp521r1'],
  [31, 'brainpoolP256r1'], // RFC 8734
  [32, 'brainpoolP384r1'],
  [33, 'brainpoolP512r1'],
]);

/** RFC 7919 group sizes in bytes (the share is left-padded to the size of p, RFC 8446 §4.2.8.1). */
const ffdheBytes = new Map<number, number>([
  [256, 256], [257, 384], [258, 512], [259, 768], [260, 1024],
]);

/** The length of a key share for a group, or null when we cannot make one. */
export function keyShareLength(group: number): number | null {
  if (group === 29) return 32;
  if (group === 30) return 56;
  if (ffdheBytes.has(group)) return ffdheBytes.get(group)!;
  switch (group) {
    case 23: return 65;
    case 24: return 97;
    case 25: return 133;
    case 31: return 65;
    case 32: return 97;
    case 33: return 129;
    default: return null;
  }
}

/** True when generateKeyShare can make a share for the group. */
export function canGenerateKeyShare(group: number): boolean {
  return keyShareLength(group) !== null;
}

/**
 * A fresh key_exchange value for the group: x25519/x448 raw public keys,
 * uncompressed EC points for secp256r1/384r1/521r1 and the RFC 8734 brainpool
 * groups, and for ffdhe* a real DH public value g^x mod p, left-padded to the
 * size of p (keyAgreement's share; the private key is dropped).
 * Returns null for groups we cannot make a share for (post-quantum hybrids,
 * unknown codes, GREASE).
 */
export function generateKeyShare(group: number): Uint8Array | null {
  return keyAgreement(group)?.share ?? null;
}

/**
 * One side of a key exchange that is carried through: our share for the
 * key_share extension, and the shared secret from the server's share
 * (net/tls13-chain.ts, our own TLS 1.3 handshake). RFC 8446 §7.4: for the
 * ECDHE groups the shared secret is the x-coordinate of the point (what
 * ECDH.computeSecret returns), for X25519/X448 the RFC 7748 output, for the
 * ffdhe groups g^xy mod p left-padded to the size of p.
 */
export interface KeyAgreement {
  group: number;
  share: Uint8Array;
  /** Throws on a share that is no valid public value of the group. */
  secret(peer: Uint8Array): Buffer;
}

/** A fresh key agreement for the group, or null for groups we cannot carry through (see generateKeyShare). */
export function keyAgreement(group: number): KeyAgreement | null {
  if (group === 29 || group === 30) {
    const crv = group === 29 ? 'X25519' : 'X448';
    const { publicKey, privateKey } = group === 29 ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    // The raw key is the end of its SubjectPublicKeyInfo (RFC 8410): quicker than a JWK's base64.
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const share = new Uint8Array(spki.subarray(spki.length - (group === 29 ? 32 : 56)));
    return {
      group, share,
      secret: (peer) => diffieHellman({ privateKey, publicKey: createPublicKey({ key: { kty: 'OKP', crv, x: Buffer.from(peer).toString('base64url') }, format: 'jwk' }) }),
    };
  }
  const curve = ecCurves.get(group);
  if (curve) {
    let ecdh, share: Uint8Array;
    try {
      ecdh = createECDH(curve);
      share = new Uint8Array(ecdh.generateKeys());
    } catch {
      return null; // curve missing from this OpenSSL build
    }
    return { group, share, secret: (peer) => ecdh.computeSecret(peer) };
  }
  const p = FFDHE_PRIMES.get(group);
  if (p) {
    // g^x mod p with generator 2 (RFC 7919 §A). OpenSSL checks a share fully
    // (it must lie in the order-q subgroup), so a random value does not do.
    const dh = createDiffieHellman(Buffer.from(p), 2);
    const y = dh.generateKeys();
    const share = new Uint8Array(p.length); // left-padded to the size of p (RFC 8446 §4.2.8.1)
    share.set(y, p.length - y.length);
    return {
      group, share,
      secret: (peer) => {
        // RFC 8446 §4.2.8.1: the size of p, and 1 < Y < p-1 (p is odd: p-1 differs only in its last byte).
        if (peer.length !== p.length) throw new RangeError(`a ${p.length * 8}-bit ffdhe share has ${p.length} bytes, not ${peer.length}`);
        const pMinus1 = Buffer.from(p);
        pMinus1[pMinus1.length - 1]! -= 1;
        const y = Buffer.from(peer);
        if (Buffer.compare(y, pMinus1) >= 0 || y.subarray(0, -1).every((b) => b === 0) && y[y.length - 1]! <= 1) throw new RangeError('ffdhe share out of range (RFC 8446 §4.2.8.1: 1 < Y < p-1)');
        const z = dh.computeSecret(peer);
        return z.length === p.length ? z : Buffer.concat([Buffer.alloc(p.length - z.length), z]);
      },
    };
  }
  return null;
}
