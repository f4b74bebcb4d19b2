/**
 * The pure parts of net/tls13-chain.ts: HKDF-Expand-Label and the key
 * schedule against the RFC 8448 §3 ("Simple 1-RTT Handshake") trace, the key
 * agreement of every group our handshake offers, and the decoder of a server's
 * TLS 1.3 flight against flights encrypted here (random record splits,
 * padding, TCP chunking) and against hostile bytes (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  hkdfExpandLabel, hkdfExtract, hkdfLabel, serverHandshakeSecret, trafficKeys, TLS13_AEADS, Tls13ServerFlight, Tls13ChainError, decompressCertificate, alpnOf,
} from '../../src/net/tls13-chain.js';
import { keyAgreement, keyShareLength } from '../../src/wire/key-share.js';
import { FFDHE_PRIMES } from '../../src/wire/ffdhe.js';
import { WireError } from '../../src/util/errors.js';
import zlib from 'node:zlib';
import { handshakeMsg, record, concat, serverHelloBody } from '../wire/helpers.js';
import { ByteWriter } from '../../src/wire/bytes.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 8448 §3, https://www.rfc-editor.org/rfc/rfc8448.html#section-3
const RFC8448 = {
  handshakeSecret: hex('1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac'),
  /** Transcript-Hash(ClientHello, ServerHello) */
  helloHash: hex('86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8'),
  /** {server} derive secret "tls13 s hs traffic" */
  serverHsTraffic: hex('b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38'),
  /** {server} derive write traffic keys for handshake data */
  keyInfo: hex('00 10 09 74 6c 73 31 33 20 6b 65 79 00'),
  key: hex('3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc'),
  ivInfo: hex('00 0c 08 74 6c 73 31 33 20 69 76 00'),
  iv: hex('5d 31 3e b2 67 12 76 ee 13 00 0b 30'),
  /** {server} calculate finished "tls13 finished" */
  finishedInfo: hex('00 20 0e 74 6c 73 31 33 20 66 69 6e 69 73 68 65 64 00'),
  finishedKey: hex('00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8'),
};

test('HkdfLabel encoding matches RFC 8448 §3 "key info" / "iv info" / "finished info"', () => {
  assert.deepEqual(hkdfLabel('key', new Uint8Array(0), 16), RFC8448.keyInfo);
  assert.deepEqual(hkdfLabel('iv', new Uint8Array(0), 12), RFC8448.ivInfo);
  assert.deepEqual(hkdfLabel('finished', new Uint8Array(0), 32), RFC8448.finishedInfo);
});

test('HKDF-Expand-Label: RFC 8448 §3 server handshake traffic secret, key, iv and finished key', () => {
  assert.deepEqual(hkdfExpandLabel('sha256', RFC8448.handshakeSecret, 's hs traffic', RFC8448.helloHash, 32), RFC8448.serverHsTraffic);
  assert.deepEqual(hkdfExpandLabel('sha256', RFC8448.serverHsTraffic, 'key', new Uint8Array(0), 16), RFC8448.key);
  assert.deepEqual(hkdfExpandLabel('sha256', RFC8448.serverHsTraffic, 'iv', new Uint8Array(0), 12), RFC8448.iv);
  assert.deepEqual(hkdfExpandLabel('sha256', RFC8448.serverHsTraffic, 'finished', new Uint8Array(0), 32), RFC8448.finishedKey);
  // TLS_AES_128_GCM_SHA256 (the suite of the trace): the same key and iv through trafficKeys.
  assert.deepEqual(trafficKeys(0x1301, RFC8448.serverHsTraffic), { key: RFC8448.key, iv: RFC8448.iv });
});

test('trafficKeys: key length and hash follow the suite', () => {
  const s48 = randomBytes(48);
  assert.equal(trafficKeys(0x1302, s48).key.length, 32);
  assert.equal(trafficKeys(0x1303, randomBytes(32)).key.length, 32);
  assert.equal(trafficKeys(0x1304, randomBytes(32)).key.length, 16);
  assert.deepEqual(trafficKeys(0x1302, s48).iv, hkdfExpandLabel('sha384', s48, 'iv', new Uint8Array(0), 12));
  assert.throws(() => trafficKeys(0xc02f, s48), /not a TLS 1.3 cipher suite/);
});

// ---- a TLS 1.3 server flight built and encrypted here (test-side encryption, written independently) ----

function serverHello(suite: number): Uint8Array {
  const ks = new ByteWriter().u16(0x001d).vector(2, (w) => w.bytes(new Uint8Array(32).fill(5))).finish();
  return record(22, 0x0303, handshakeMsg(2, serverHelloBody({ suite, sessionId: new Uint8Array(32), extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: ks }] })));
}

function certificateBody13(entries: { der: Uint8Array; ext: Uint8Array }[]): Uint8Array {
  return new ByteWriter().vector(1, () => {}).vector(3, (l) => {
    for (const e of entries) l.vector(3, (c) => c.bytes(e.der)).vector(2, (x) => x.bytes(e.ext));
  }).finish();
}

function encryptRecords(suite: number, secret: Uint8Array, plain: Uint8Array, sizes: number[], pads: number[]): Uint8Array {
  const a = TLS13_AEADS.get(suite)!;
  const { key, iv } = trafficKeys(suite, secret);
  const out: Uint8Array[] = [];
  let off = 0, seq = 0;
  while (off < plain.length) {
    const n = Math.max(1, Math.min(sizes[seq % sizes.length]!, plain.length - off, 16384));
    const inner = concat(plain.subarray(off, off + n), Uint8Array.of(22), new Uint8Array(Math.min(pads[seq % pads.length]!, 16384 - n)));
    off += n;
    const nonce = Buffer.from(iv);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const len = inner.length + a.tagLength;
    const header = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const c = createCipheriv(a.cipher as 'aes-128-gcm', key, nonce, { authTagLength: a.tagLength });
    if (a.cipher.endsWith('-ccm')) (c as unknown as { setAAD(x: Uint8Array, o: object): void }).setAAD(header, { plaintextLength: inner.length });
    else c.setAAD(header);
    const ct = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    out.push(concat(header, ct));
    seq++;
  }
  return concat(...out);
}

function feed(flight: Tls13ServerFlight, bytes: Uint8Array, chunk: number): void {
  for (let i = 0; i < bytes.length; i += chunk) flight.push(bytes.subarray(i, i + chunk));
}

const suiteArb = fc.constantFrom(0x1301, 0x1302, 0x1303, 0x1304, 0x1305);
const entryArb = fc.record({
  der: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
  ext: fc.constantFrom(new Uint8Array(0), Uint8Array.of(0, 18, 0, 3, 1, 2, 3)),
});

test('property: any record split, padding and TCP chunking gives back the entries in order', () => {
  fc.assert(fc.property(
    suiteArb, fc.array(entryArb, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 4 }),
    fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4000 }), fc.boolean(), fc.boolean(),
    (suite, entries, sizes, pads, chunk, ccs, secretFirst) => {
      const secret = randomBytes(TLS13_AEADS.get(suite)!.hash === 'sha384' ? 48 : 32);
      const hs = concat(
        handshakeMsg(8, Uint8Array.of(0, 0)),
        handshakeMsg(11, certificateBody13(entries)),
        handshakeMsg(15, new Uint8Array(70)),
        handshakeMsg(20, new Uint8Array(32)),
      );
      const bytes = concat(serverHello(suite), ccs ? record(20, 0x0303, Uint8Array.of(1)) : new Uint8Array(0),
        encryptRecords(suite, secret, hs, sizes, pads));
      const flight = new Tls13ServerFlight();
      if (secretFirst) flight.setSecret(secret);
      feed(flight, bytes, chunk);
      if (!secretFirst) flight.setSecret(secret);
      assert.equal(flight.cipherSuite, suite);
      assert.ok(flight.result);
      assert.deepEqual(flight.result.map((e) => Buffer.from(e.der)), entries.map((e) => Buffer.from(e.der)));
      assert.deepEqual(flight.result.map((e) => e.extensions.length), entries.map((e) => e.ext.length ? 1 : 0));
    }), { numRuns: 60 });
});

test('property: a flipped ciphertext bit is a decrypt error, never a wrong chain', () => {
  fc.assert(fc.property(suiteArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (suite, pos, bit) => {
    const secret = randomBytes(32);
    const sh = serverHello(suite);
    const enc = encryptRecords(suite, secret, concat(handshakeMsg(8, Uint8Array.of(0, 0)), handshakeMsg(11, certificateBody13([{ der: new Uint8Array(200).fill(0x30), ext: new Uint8Array(0) }]))), [100], [0]);
    const first = (enc[3]! << 8) | enc[4]!; // flip a bit inside the first record's ciphertext or tag
    const i = 5 + (pos % first);
    const bad = Uint8Array.from(enc);
    bad[i]! ^= 1 << bit;
    const flight = new Tls13ServerFlight();
    flight.setSecret(secret);
    assert.throws(() => flight.push(concat(sh, bad)), (e: unknown) => e instanceof Tls13ChainError && e.code === 'decrypt');
    assert.equal(flight.result, undefined);
  }), { numRuns: 100 });
});

test('property: hostile bytes after a TLS 1.3 ServerHello only ever raise Tls13ChainError', () => {
  fc.assert(fc.property(suiteArb, fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (suite, junk, framed) => {
    const flight = new Tls13ServerFlight();
    flight.setSecret(randomBytes(32));
    const tail = framed ? record(23, 0x0303, junk.subarray(0, 16000)) : junk;
    try {
      flight.push(concat(serverHello(suite), tail));
    } catch (e) {
      assert.ok(e instanceof Tls13ChainError, String(e));
    }
    assert.equal(flight.result, undefined);
  }), { numRuns: 200 });
});

test('a TLS 1.2 ServerHello, an alert and records before the ServerHello are clear errors', () => {
  const expectCode = (bytes: Uint8Array, code: string, re: RegExp) => {
    const f = new Tls13ServerFlight();
    assert.throws(() => f.push(bytes), (e: unknown) => e instanceof Tls13ChainError && e.code === code && re.test(e.message));
  };
  expectCode(record(22, 0x0303, handshakeMsg(2, serverHelloBody({ suite: 0xc02f, extensions: [] }))), 'not-tls13', /not TLS 1.3/);
  expectCode(record(21, 0x0303, Uint8Array.of(2, 70)), 'alert', /protocol_version/);
  expectCode(record(23, 0x0303, new Uint8Array(40)), 'protocol', /before the ServerHello/);
  expectCode(concat(serverHello(0x1301), record(22, 0x0303, new Uint8Array(40))), 'protocol', /expected application_data/);
});

test('CompressedCertificate (RFC 8879): zlib and brotli are read like a Certificate message', () => {
  const entries = [{ der: new Uint8Array(900).fill(0x30), ext: new Uint8Array(0) }, { der: new Uint8Array(400).fill(0x31), ext: new Uint8Array(0) }];
  const plain = certificateBody13(entries);
  for (const [alg, comp] of [[1, zlib.deflateSync(plain)], [2, zlib.brotliCompressSync(plain)]] as const) {
    const body = new ByteWriter().u16(alg).u24(plain.length).vector(3, (w) => w.bytes(comp)).finish();
    assert.deepEqual(decompressCertificate(body), Buffer.from(plain));
    const secret = randomBytes(32);
    const flight = new Tls13ServerFlight();
    flight.setSecret(secret);
    flight.push(concat(serverHello(0x1301), encryptRecords(0x1301, secret, concat(handshakeMsg(8, Uint8Array.of(0, 0)), handshakeMsg(25, body)), [700], [0])));
    assert.deepEqual(flight.result?.map((e) => e.der.length), [900, 400]);
  }
});

test('CompressedCertificate: a bomb, a length lie and an unknown algorithm are WireErrors', () => {
  const big = zlib.deflateSync(new Uint8Array(10_000_000));
  const body = (alg: number, len: number, data: Uint8Array) => new ByteWriter().u16(alg).u24(len).vector(3, (w) => w.bytes(data)).finish();
  assert.throws(() => decompressCertificate(body(1, 1000, big)), (e: unknown) => e instanceof WireError && /does not decompress/.test(e.message));
  assert.throws(() => decompressCertificate(body(1, 10_000_000, big)), (e: unknown) => e instanceof WireError && /exceeds/.test(e.message));
  assert.throws(() => decompressCertificate(body(1, 50, zlib.deflateSync(new Uint8Array(10)))), (e: unknown) => e instanceof WireError && /not the announced 50/.test(e.message));
  assert.throws(() => decompressCertificate(body(9, 10, Uint8Array.of(1))), (e: unknown) => e instanceof WireError && /unsupported/.test(e.message));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
    try { decompressCertificate(junk); } catch (e) { assert.ok(e instanceof WireError, String(e)); }
  }), { numRuns: 300 });
});

test('alpnOf reads the protocol an EncryptedExtensions names, and says null (never throws) for any other bytes', () => {
  const ee = (name: string, extra: number[] = []) => {
    const n = [...Buffer.from(name, 'latin1')];
    const alpn = [0, n.length + 1, n.length, ...n];
    const exts = [...extra, 0, 16, 0, alpn.length, ...alpn];
    return Uint8Array.from([exts.length >> 8, exts.length & 0xff, ...exts]);
  };
  assert.equal(alpnOf(ee('h2')), 'h2');
  assert.equal(alpnOf(ee('http/1.1', [0, 0, 0, 0])), 'http/1.1', 'after an empty server_name extension');
  assert.equal(alpnOf(Uint8Array.from([0, 0])), null, 'no extensions');
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    const out = alpnOf(bytes);
    assert.ok(out === null || typeof out === 'string');
  }), { numRuns: 500 });
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => Buffer.byteLength(s, 'latin1') === s.length && /^[\x20-\x7e]+$/.test(s)), (name) => {
    assert.equal(alpnOf(ee(name)), name);
  }), { numRuns: 200 });
});

test('serverHandshakeSecret: RFC 8448 §3 (EC)DHE shared secret and hello hash give its server handshake traffic secret', () => {
  // The trace's X25519 shared secret (RFC 8448 §3, "{server} extract secret \"handshake\"": IKM).
  const shared = hex('8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d');
  assert.deepEqual(serverHandshakeSecret('sha256', shared, RFC8448.helloHash), RFC8448.serverHsTraffic);
  // HKDF-Extract is HMAC(salt, IKM): the no-PSK Early Secret of the trace.
  assert.deepEqual(hkdfExtract('sha256', Buffer.alloc(32), Buffer.alloc(32)), hex('33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a'));
});

test('keyAgreement: both sides of every group our handshake offers reach the same secret; a bad share throws', () => {
  for (const group of [29, 30, 23, 24, 25, 31, 32, 33, 256, 257]) {
    const a = keyAgreement(group), b = keyAgreement(group);
    assert.ok(a && b, `group ${group}`);
    assert.equal(a.share.length, keyShareLength(group), `group ${group}: share length`);
    const s = a.secret(b.share);
    assert.deepEqual(s, b.secret(a.share), `group ${group}`);
    // ffdhe: left-padded to the size of p (RFC 8446 §7.4.1); X25519 32 bytes; P-256 its x-coordinate.
    if (group === 256) assert.equal(s.length, 256);
    if (group === 29 || group === 23) assert.equal(s.length, 32);
    assert.throws(() => a.secret(Buffer.alloc(a.share.length + 3, 7)), `group ${group}: a share of the wrong size`);
  }
  // ffdhe: Y = 1 and Y = p-1 are refused (RFC 8446 §4.2.8.1).
  const ff = keyAgreement(256)!, p = Buffer.from(FFDHE_PRIMES.get(256)!);
  const one = Buffer.alloc(256); one[255] = 1;
  const pMinus1 = Buffer.from(p); pMinus1[255]! -= 1;
  for (const bad of [one, pMinus1, p]) assert.throws(() => ff.secret(bad), /out of range/);
  assert.equal(keyAgreement(0x11ec), null, 'X25519MLKEM768: no KEM in Node.js 20');
});

test('readCertificateVerify: the flight reads on past the Certificate to the CertificateVerify and names its scheme; a malformed one is a protocol error', () => {
  const entries = [{ der: new Uint8Array(300).fill(0x30), ext: new Uint8Array(0) }];
  const run = (cv: Uint8Array, want: boolean, chunk: number) => {
    const secret = randomBytes(32);
    const hs = concat(handshakeMsg(8, Uint8Array.of(0, 0)), handshakeMsg(11, certificateBody13(entries)), handshakeMsg(15, cv), handshakeMsg(20, new Uint8Array(32)));
    const flight = new Tls13ServerFlight(undefined, want);
    flight.setSecret(secret);
    feed(flight, concat(serverHello(0x1301), encryptRecords(0x1301, secret, hs, [150, 40], [0])), chunk);
    return flight;
  };
  const good = concat(Uint8Array.of(0x08, 0x04, 0, 5), new Uint8Array(5));
  for (const chunk of [1, 7, 5000]) {
    const f = run(good, true, chunk);
    assert.ok(f.complete);
    assert.equal(f.verifyScheme, 0x0804);
    assert.equal(f.result?.length, 1);
    const plain = run(good, false, chunk);
    assert.ok(plain.complete);
    assert.equal(plain.verifyScheme, undefined, 'not read unless asked');
  }
  for (const bad of [Uint8Array.of(0x08, 0x04, 0, 9, 1), Uint8Array.of(0x08), new Uint8Array(0)]) {
    assert.throws(() => run(bad, true, 5000), (e: unknown) => e instanceof Tls13ChainError && e.code === 'protocol' && /CertificateVerify/.test(e.message));
  }
});
