/**
 * TLS 1.0-1.2 record protection with a CBC block cipher and an HMAC
 * (MAC-then-encrypt, RFC 2246 / RFC 4346 / RFC 5246 section 6.2.3.2), and
 * the pieces of the key schedule it needs: the PRF and the key block
 * (RFC 5246 section 5 and 6.3; RFC 2246 section 5 for TLS 1.0 and 1.1).
 *
 * Used by the padding-oracle check (scan/padding-oracle.ts), which must
 * build records that a correct client never sends: a MAC or a padding made
 * wrong on purpose. So the plaintext to encrypt (content, MAC and padding)
 * is the caller's, and `recordMac` and `padding` are separate helpers.
 * Pure functions over node:crypto; nothing here touches a socket.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

export type PrfHash = 'sha256' | 'sha384';
export type MacHash = 'sha1' | 'sha256' | 'sha384';

const HASH_LEN: Record<'md5' | MacHash, number> = { md5: 16, sha1: 20, sha256: 32, sha384: 48 };

/** P_hash(secret, seed) of RFC 5246 section 5, `length` bytes. */
function pHash(hash: 'md5' | MacHash, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out: Buffer[] = [];
  let a: Buffer = Buffer.from(seed); // A(0)
  let have = 0;
  while (have < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/**
 * The PRF: TLS 1.2's P_<hash> (SHA-256, or SHA-384 for the suites that name
 * it); TLS 1.0 and 1.1's P_MD5 of the secret's first half XOR P_SHA1 of its
 * second half (the halves share a byte when its length is odd).
 */
export function prf(version: number, hash: PrfHash, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const labelled = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  if (version >= 0x0303) return pHash(hash, secret, labelled, length);
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), labelled, length);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), labelled, length);
  for (let i = 0; i < length; i++) md5[i]! ^= sha1[i]!;
  return md5;
}

/** A CBC suite's record protection: the cipher as node:crypto names it, and its sizes. */
export interface CbcSuite {
  /** node:crypto cipher name, e.g. 'aes-128-cbc', 'des-ede3-cbc', 'camellia-256-cbc'. */
  cipher: string;
  keyLength: number;
  blockLength: number;
  mac: MacHash;
  /** TLS 1.2 PRF hash (SHA-384 for the suites that end in _SHA384). */
  prf: PrfHash;
}

/** The CBC ciphers node:crypto has in its default provider, by the registry's cipher name. */
const CBC_CIPHERS: Record<string, { cipher: string; keyLength: number; blockLength: number }> = {
  'AES-128-CBC': { cipher: 'aes-128-cbc', keyLength: 16, blockLength: 16 },
  'AES-256-CBC': { cipher: 'aes-256-cbc', keyLength: 32, blockLength: 16 },
  'CAMELLIA-128-CBC': { cipher: 'camellia-128-cbc', keyLength: 16, blockLength: 16 },
  'CAMELLIA-256-CBC': { cipher: 'camellia-256-cbc', keyLength: 32, blockLength: 16 },
  'ARIA-128-CBC': { cipher: 'aria-128-cbc', keyLength: 16, blockLength: 16 },
  'ARIA-256-CBC': { cipher: 'aria-256-cbc', keyLength: 32, blockLength: 16 },
  '3DES-EDE-CBC': { cipher: 'des-ede3-cbc', keyLength: 24, blockLength: 8 },
};
const MACS: Record<string, MacHash> = { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384' };

/**
 * The record protection of a suite, from the registry's cipher and MAC
 * names; undefined when it is not CBC with an HMAC that node:crypto can do.
 */
export function cbcSuite(cipher: string, mac: string): CbcSuite | undefined {
  const c = CBC_CIPHERS[cipher];
  const m = MACS[mac];
  if (!c || !m) return undefined;
  return { ...c, mac: m, prf: m === 'sha384' ? 'sha384' : 'sha256' };
}

export interface CbcKeys {
  clientMacKey: Buffer;
  serverMacKey: Buffer;
  clientKey: Buffer;
  serverKey: Buffer;
  /** TLS 1.0's first IVs (later versions send an explicit IV in each record). */
  clientIv: Buffer;
  serverIv: Buffer;
}

/** The key block (RFC 5246 section 6.3): PRF(master, "key expansion", server_random + client_random), cut into keys. */
export function keyBlock(version: number, suite: CbcSuite, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): CbcKeys {
  const m = HASH_LEN[suite.mac], k = suite.keyLength, iv = version < 0x0302 ? suite.blockLength : 0;
  const b = prf(version, suite.prf, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * (m + k + iv));
  let at = 0;
  const take = (n: number) => { const out = b.subarray(at, at + n); at += n; return out; };
  return { clientMacKey: take(m), serverMacKey: take(m), clientKey: take(k), serverKey: take(k), clientIv: take(iv), serverIv: take(iv) };
}

/** The MAC of a record's content (RFC 5246 section 6.2.3.1): seq_num, type, version and length before the content. */
export function recordMac(suite: CbcSuite, macKey: Uint8Array, seq: bigint, type: number, version: number, content: Uint8Array): Buffer {
  const head = Buffer.alloc(13);
  head.writeBigUInt64BE(seq, 0);
  head[8] = type;
  head.writeUInt16BE(version, 9);
  head.writeUInt16BE(content.length, 11);
  return createHmac(suite.mac, macKey).update(head).update(content).digest();
}

/** Correct padding for `length` bytes of content and MAC: n + 1 bytes of value n, to a whole number of blocks. */
export function padding(suite: CbcSuite, length: number): Buffer {
  const n = suite.blockLength - 1 - (length % suite.blockLength);
  return Buffer.alloc(n + 1, n);
}

/**
 * A record of `type` whose plaintext (content, MAC and padding, as the
 * caller made them: a whole number of blocks) is encrypted under `key`.
 * TLS 1.1 and 1.2 put a fresh IV first; TLS 1.0 chains from `iv`, the last
 * ciphertext block of the previous record in that direction.
 */
export function sealRecord(version: number, suite: CbcSuite, key: Uint8Array, iv: Uint8Array, type: number, plaintext: Uint8Array): Buffer {
  if (plaintext.length === 0 || plaintext.length % suite.blockLength) throw new RangeError(`CBC plaintext of ${plaintext.length} bytes is not a whole number of ${suite.blockLength}-byte blocks`);
  const c = createCipheriv(suite.cipher, key, iv).setAutoPadding(false);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  const fragment = version >= 0x0302 ? Buffer.concat([iv, body]) : body;
  const head = Buffer.from([type, version >> 8, version & 0xff, fragment.length >> 8, fragment.length & 0xff]);
  return Buffer.concat([head, fragment]);
}

/**
 * The plaintext of a record fragment (content, MAC and padding, unchecked),
 * and the IV the next record in that direction chains from (TLS 1.0).
 * Undefined when the fragment is not a whole number of blocks.
 */
export function openRecord(version: number, suite: CbcSuite, key: Uint8Array, iv: Uint8Array, fragment: Uint8Array): { plaintext: Buffer; nextIv: Buffer } | undefined {
  const b = suite.blockLength;
  const explicit = version >= 0x0302;
  const body = explicit ? fragment.subarray(b) : fragment;
  if (body.length === 0 || body.length % b || (explicit && fragment.length < b)) return undefined;
  const d = createDecipheriv(suite.cipher, key, explicit ? fragment.subarray(0, b) : iv).setAutoPadding(false);
  const plaintext = Buffer.concat([d.update(body), d.final()]);
  return { plaintext, nextIv: Buffer.from(body.subarray(body.length - b)) };
}
