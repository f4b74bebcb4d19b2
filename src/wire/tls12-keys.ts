/**
 * The TLS 1.0-1.2 key schedule and record protection that a client of our
 * own needs once its handshake is done (net/tls12-client.ts): the master
 * secret (RFC 5246 section 8.1, or RFC 7627's extended one), the Finished
 * verify_data (section 7.4.9), the key block (section 6.3) and the records
 * of the suites node:crypto can protect: AES-GCM (RFC 5288), ChaCha20-Poly1305
 * (RFC 7905) and the CBC ciphers of wire/cbc.ts (MAC-then-encrypt).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { cbcSuite, keyBlock, openRecord, padding, prf, recordMac, sealRecord, type CbcKeys, type CbcSuite, type PrfHash } from './cbc.js';

export type Protection =
  | { kind: 'gcm'; cipher: 'aes-128-gcm' | 'aes-256-gcm'; keyLength: number; prf: PrfHash }
  | { kind: 'chacha'; prf: PrfHash }
  | { kind: 'cbc'; suite: CbcSuite; prf: PrfHash };

/** How a suite's records are protected, from the registry's cipher and MAC names and IANA name; undefined when we cannot. */
export function protectionOf(cipher: string, mac: string, iana: string): Protection | undefined {
  const prfHash: PrfHash = /_SHA384$/.test(iana) ? 'sha384' : 'sha256';
  if (cipher === 'AES-128-GCM') return { kind: 'gcm', cipher: 'aes-128-gcm', keyLength: 16, prf: prfHash };
  if (cipher === 'AES-256-GCM') return { kind: 'gcm', cipher: 'aes-256-gcm', keyLength: 32, prf: prfHash };
  if (cipher === 'CHACHA20-POLY1305') return { kind: 'chacha', prf: prfHash };
  const suite = cbcSuite(cipher, mac);
  return suite ? { kind: 'cbc', suite, prf: suite.prf } : undefined;
}

/** The hash of the handshake messages: the PRF's hash at TLS 1.2, MD5 and SHA-1 side by side before. */
export function transcriptHash(version: number, hash: PrfHash, messages: Uint8Array[]): Buffer {
  if (version >= 0x0303) {
    const h = createHash(hash);
    for (const m of messages) h.update(m);
    return h.digest();
  }
  const md5 = createHash('md5'), sha1 = createHash('sha1');
  for (const m of messages) { md5.update(m); sha1.update(m); }
  return Buffer.concat([md5.digest(), sha1.digest()]);
}

/** The master secret: from the randoms, or (RFC 7627) from the hash of the handshake up to the ClientKeyExchange. */
export function masterSecret(version: number, hash: PrfHash, premaster: Uint8Array, o: { clientRandom: Uint8Array; serverRandom: Uint8Array } | { sessionHash: Uint8Array }): Buffer {
  return 'sessionHash' in o
    ? prf(version, hash, premaster, 'extended master secret', o.sessionHash, 48)
    : prf(version, hash, premaster, 'master secret', Buffer.concat([o.clientRandom, o.serverRandom]), 48);
}

/** A Finished message's verify_data: 12 bytes of PRF(master, "client finished" or "server finished", transcript hash). */
export function verifyData(version: number, hash: PrfHash, master: Uint8Array, side: 'client' | 'server', transcript: Uint8Array): Buffer {
  return prf(version, hash, master, `${side} finished`, transcript, 12);
}

/** One direction's record protection: seals (ours) or opens (the server's) records in sequence. */
export interface RecordCipher {
  /** The record (header included) that carries `content` as `type`. */
  seal(type: number, content: Uint8Array): Buffer;
  /** The content of a record's fragment; undefined when it does not authenticate (or cannot be read). */
  open(type: number, fragment: Uint8Array): Buffer | undefined;
}

export interface SessionKeys {
  client: RecordCipher;
  server: RecordCipher;
  /** CBC suites: the key block itself, for a caller that makes records by hand. */
  cbc?: CbcKeys;
}

const header = (type: number, version: number, length: number) =>
  Buffer.from([type, version >> 8, version & 0xff, length >> 8, length & 0xff]);

function aad(seq: bigint, type: number, version: number, length: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeBigUInt64BE(seq, 0);
  b[8] = type;
  b.writeUInt16BE(version, 9);
  b.writeUInt16BE(length, 11);
  return b;
}

/** The key block cut for the suite, and a record cipher for each direction, both at sequence number 0. */
export function sessionKeys(version: number, p: Protection, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): SessionKeys {
  if (p.kind === 'cbc') {
    const k = keyBlock(version, p.suite, master, clientRandom, serverRandom);
    return { client: cbcCipher(version, p.suite, k.clientMacKey, k.clientKey, k.clientIv), server: cbcCipher(version, p.suite, k.serverMacKey, k.serverKey, k.serverIv), cbc: k };
  }
  const keyLength = p.kind === 'gcm' ? p.keyLength : 32;
  const ivLength = p.kind === 'gcm' ? 4 : 12;
  const b = prf(version, p.prf, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * (keyLength + ivLength));
  const ck = b.subarray(0, keyLength), sk = b.subarray(keyLength, 2 * keyLength);
  const civ = b.subarray(2 * keyLength, 2 * keyLength + ivLength), siv = b.subarray(2 * keyLength + ivLength);
  return { client: aeadCipher(version, p, ck, civ), server: aeadCipher(version, p, sk, siv) };
}

function aeadCipher(version: number, p: Extract<Protection, { kind: 'gcm' | 'chacha' }>, key: Uint8Array, iv: Uint8Array): RecordCipher {
  let seq = 0n;
  const algorithm = p.kind === 'gcm' ? p.cipher : 'chacha20-poly1305';
  // GCM: the fixed 4 bytes and an explicit 8 (the sequence number, sent); ChaCha20: the 12 XOR the sequence number.
  const nonceOf = (s: bigint, explicit?: Uint8Array): Buffer => {
    if (p.kind === 'gcm') {
      const e = explicit ? Buffer.from(explicit) : Buffer.alloc(8);
      if (!explicit) e.writeBigUInt64BE(s);
      return Buffer.concat([iv, e]);
    }
    const n = Buffer.from(iv);
    const sb = Buffer.alloc(8);
    sb.writeBigUInt64BE(s);
    for (let i = 0; i < 8; i++) n[4 + i]! ^= sb[i]!;
    return n;
  };
  return {
    seal(type, content) {
      const nonce = nonceOf(seq);
      const c = createCipheriv(algorithm as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      c.setAAD(aad(seq++, type, version, content.length));
      const body = Buffer.concat([c.update(content), c.final(), c.getAuthTag()]);
      const fragment = p.kind === 'gcm' ? Buffer.concat([nonce.subarray(4), body]) : body;
      return Buffer.concat([header(type, version, fragment.length), fragment]);
    },
    open(type, fragment) {
      const explicitLength = p.kind === 'gcm' ? 8 : 0;
      if (fragment.length < explicitLength + 16) return undefined;
      const nonce = nonceOf(seq, p.kind === 'gcm' ? fragment.subarray(0, 8) : undefined);
      const body = fragment.subarray(explicitLength, fragment.length - 16);
      const d = createDecipheriv(algorithm as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(aad(seq++, type, version, body.length));
      d.setAuthTag(fragment.subarray(fragment.length - 16));
      try {
        return Buffer.concat([d.update(body), d.final()]);
      } catch {
        return undefined;
      }
    },
  };
}

function cbcCipher(version: number, s: CbcSuite, macKey: Uint8Array, key: Uint8Array, firstIv: Uint8Array): RecordCipher {
  let seq = 0n;
  // TLS 1.0 chains each record's IV from the last ciphertext block of the one before.
  let chained: Buffer = Buffer.from(firstIv);
  const macLength = { sha1: 20, sha256: 32, sha384: 48 }[s.mac];
  return {
    seal(type, content) {
      const plain = Buffer.concat([content, recordMac(s, macKey, seq++, type, version, content)]);
      const record = sealRecord(version, s, key, version >= 0x0302 ? randomBytes(s.blockLength) : chained, type, Buffer.concat([plain, padding(s, plain.length)]));
      chained = Buffer.from(record.subarray(record.length - s.blockLength));
      return record;
    },
    open(type, fragment) {
      const opened = openRecord(version, s, key, chained, fragment);
      if (!opened) return undefined;
      chained = opened.nextIv;
      const plain = opened.plaintext;
      const pad = plain[plain.length - 1]!;
      const contentLength = plain.length - pad - 1 - macLength;
      // Every padding byte holds the padding length (RFC 5246 section 6.2.3.2).
      if (contentLength < 0 || !plain.subarray(plain.length - pad - 1).every((x) => x === pad)) { seq++; return undefined; }
      const content = plain.subarray(0, contentLength);
      const ok = recordMac(s, macKey, seq++, type, version, content).equals(plain.subarray(contentLength, contentLength + macLength));
      return ok ? Buffer.from(content) : undefined;
    },
  };
}
