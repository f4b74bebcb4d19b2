/**
 * Property-based tests: hostile bytes into every server-side parser and the
 * record reader. Whatever comes in, the only exception allowed out is
 * WireError, and every call returns (no hang, bounded buffering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireError } from '../../src/util/errors.js';
import { ByteWriter } from '../../src/wire/bytes.js';
import { ServerFlightReader, type ServerEvent } from '../../src/wire/record.js';
import { parseServerHello } from '../../src/wire/server-hello.js';
import { parseAlert, parseAlerts } from '../../src/wire/alert.js';
import { parseCertificateMessage, parseCertificateStatus } from '../../src/wire/certificate.js';
import { parseServerKeyExchange, type KeyExchangeKind } from '../../src/wire/server-key-exchange.js';
import { parseCertificateRequest, parseCertificateRequest13 } from '../../src/wire/certificate-request.js';
import { parseSSLv2Message, parseSSLv2ServerHello } from '../../src/wire/sslv2.js';
import { HELLO_RETRY_REQUEST_RANDOM } from '../../src/wire/constants.js';
import { certificateBody, concat, handshakeMsg, record, serverHelloBody, syntheticTls12Flight } from './helpers.js';

const RUNS = 400;

function onlyWireError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
  }
}

const KX: KeyExchangeKind[] = ['ECDHE', 'ECDH_anon', 'DHE', 'DH_anon', 'DHE_EXPORT', 'DH_anon_EXPORT', 'RSA_EXPORT', 'PSK', 'RSA_PSK', 'DHE_PSK', 'ECDHE_PSK', 'SRP'];

/** Runs every parser that could apply to a handshake message. */
function parseAll(ev: ServerEvent): void {
  if (ev.kind === 'handshake') {
    onlyWireError(() => parseServerHello(ev.body));
    onlyWireError(() => parseCertificateMessage(ev.body));
    onlyWireError(() => parseCertificateMessage(ev.body, true));
    onlyWireError(() => parseCertificateStatus(ev.body));
    onlyWireError(() => parseCertificateRequest(ev.body, 0x0303));
    onlyWireError(() => parseCertificateRequest(ev.body, 0x0301));
    onlyWireError(() => parseCertificateRequest13(ev.body));
    for (const kx of KX) {
      onlyWireError(() => parseServerKeyExchange(ev.body, kx));
      onlyWireError(() => parseServerKeyExchange(ev.body, kx, { version: 0x0301 }));
      onlyWireError(() => parseServerKeyExchange(ev.body, kx, { version: 0x0303 }));
    }
  } else if (ev.kind === 'sslv2') {
    onlyWireError(() => parseSSLv2ServerHello(ev.message));
    onlyWireError(() => parseSSLv2Message(ev.message));
  }
}

/** Feeds bytes in the given chunking; returns the events, or the WireError that ended the stream. */
function feed(bytes: Uint8Array, cuts: number[], opts?: { maxRecordLength?: number; maxHandshakeLength?: number }): { events: ServerEvent[]; error?: WireError; reader: ServerFlightReader } {
  const reader = new ServerFlightReader(opts);
  const events: ServerEvent[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  try {
    for (const p of [...points, bytes.length]) {
      events.push(...reader.push(bytes.subarray(prev, p)));
      prev = p;
      // buffering is bounded by one record plus one handshake message
      assert.ok(reader.bufferedBytes <= 5 + (opts?.maxRecordLength ?? 18432) + 4 + (opts?.maxHandshakeLength ?? 262144));
    }
  } catch (e) {
    if (e instanceof WireError) return { events, error: e, reader };
    throw e;
  }
  return { events, reader };
}

const tls13Flight = concat(
  record(22, 0x0303, handshakeMsg(2, serverHelloBody({ suite: 0x1301, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 29, 0, 32, ...new Uint8Array(32).fill(3)] }] }))),
  record(20, 0x0303, Uint8Array.of(1)),
  record(23, 0x0303, new Uint8Array(300).fill(0x17)),
);
const hrrFlight = record(22, 0x0303, handshakeMsg(2, serverHelloBody({
  random: HELLO_RETRY_REQUEST_RANDOM, suite: 0x1302, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 23] }, { type: 44, data: [0, 2, 9, 9] }],
})));
const dheFlight = concat(
  record(22, 0x0301, concat(
    handshakeMsg(2, serverHelloBody({ version: 0x0301, suite: 0x0039 })),
    handshakeMsg(11, certificateBody([new Uint8Array(300).fill(0x30)])),
    handshakeMsg(12, new ByteWriter().vector(2, (w) => w.bytes(new Uint8Array(128).fill(0xff))).vector(2, (w) => w.u8(2))
      .vector(2, (w) => w.bytes(new Uint8Array(128).fill(5))).vector(2, (w) => w.bytes(new Uint8Array(128))).finish()),
    handshakeMsg(14, new Uint8Array(0)),
  )),
  record(21, 0x0301, Uint8Array.of(1, 0)),
);
const sslv2Hello = (() => {
  const m = new ByteWriter().u8(4).u8(0).u8(1).u16(2).u16(40).u16(6).u16(16).bytes(new Uint8Array(40).fill(0x30)).u24(0x010080).u24(0x020080)
    .bytes(new Uint8Array(16).fill(1)).finish();
  return concat(Uint8Array.of(0x80 | (m.length >> 8), m.length & 0xff), m);
})();
const validFlights = [syntheticTls12Flight({ split: 500 }), syntheticTls12Flight({ split: 7 }), tls13Flight, hrrFlight, dheFlight, sslv2Hello];

/** Mutations: flip, overwrite, insert, delete bytes, truncate, duplicate a slice. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 64 }) }),
);
type Mutation = { op: 'set' | 'flip' | 'insert' | 'delete' | 'truncate' | 'dup'; at: number; value: number };

function mutate(src: Uint8Array, muts: Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  for (const m of muts) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.op) {
      case 'set': b[at] = m.value; break;
      case 'flip': b[at] = b[at]! ^ m.value; break;
      case 'insert': b = concat(b.subarray(0, at), Uint8Array.of(m.value), b.subarray(at)); break;
      case 'delete': b = concat(b.subarray(0, at), b.subarray(at + 1)); break;
      case 'truncate': b = b.slice(0, at); break;
      case 'dup': b = concat(b.subarray(0, at), b.subarray(at, at + m.value), b.subarray(at)); break;
    }
  }
  return b;
}

test('random bytes in random chunks: ServerFlightReader throws only WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
    const { events } = feed(bytes, cuts);
    events.forEach(parseAll);
  }), { numRuns: RUNS });
});

test('random bytes behind a valid record header (handshake, alert, ccs, appdata)', () => {
  const arb = fc.tuple(fc.constantFrom(20, 21, 22, 23, 24), fc.constantFrom(0x0300, 0x0301, 0x0303), fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }));
  fc.assert(fc.property(arb, ([type, version, body, cuts]) => {
    const { events } = feed(record(type, version, body), cuts);
    events.forEach(parseAll);
  }), { numRuns: RUNS });
});

test('mutated valid flights (TLS 1.2, 1.3, HRR, DHE, SSLv2): only WireError, from the reader and every parser', () => {
  fc.assert(fc.property(fc.constantFrom(...validFlights), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (flight, muts, cuts) => {
    const { events } = feed(mutate(flight, muts), cuts);
    events.forEach(parseAll);
  }), { numRuns: RUNS * 2 });
});

test('valid flights give the same events under any chunking', () => {
  const wholes = validFlights.map((f) => feed(f, []));
  for (const w of wholes) assert.equal(w.error, undefined);
  fc.assert(fc.property(fc.nat({ max: validFlights.length - 1 }), fc.array(fc.nat(), { maxLength: 30 }), (i, cuts) => {
    const r = feed(validFlights[i]!, cuts);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.events, wholes[i]!.events);
    assert.equal(r.reader.bufferedBytes, 0);
  }), { numRuns: RUNS });
});

test('a handshake length over the maximum (up to 16 MB) is refused once its 4-byte header is in, whatever the record length', () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 255 }), fc.integer({ min: 256 * 1024 + 1, max: 0xffffff }), fc.integer({ min: 4, max: 18432 }), fc.boolean(),
    (type, hsLen, recLen, oneByteAtATime) => {
      const header = Uint8Array.of(22, 3, 3, recLen >> 8, recLen & 0xff, type, hsLen >> 16, (hsLen >> 8) & 0xff, hsLen & 0xff);
      const r = new ServerFlightReader();
      let threwAt = -1;
      try {
        if (oneByteAtATime) for (let i = 0; i < header.length; i++) { threwAt = i; r.push(header.subarray(i, i + 1)); }
        else { threwAt = header.length - 1; r.push(header); }
        threwAt = -1;
      } catch (e) {
        assert.ok(e instanceof WireError);
      }
      assert.equal(threwAt, header.length - 1, 'rejected exactly when the handshake header completed');
    },
  ), { numRuns: RUNS });
  // and a record length over the maximum is refused at its 5-byte header
  fc.assert(fc.property(fc.constantFrom(20, 21, 22, 23, 24), fc.integer({ min: 18433, max: 0xffff }), (type, len) => {
    const r = new ServerFlightReader();
    r.push(Uint8Array.of(type, 3, 3, len >> 8));
    assert.throws(() => r.push(Uint8Array.of(len & 0xff)), WireError);
  }), { numRuns: 100 });
});

test('random bytes into each parser directly: only WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...KX), (b, kx) => {
    onlyWireError(() => parseServerHello(b));
    onlyWireError(() => parseCertificateMessage(b));
    onlyWireError(() => parseCertificateMessage(b, true));
    onlyWireError(() => parseCertificateStatus(b));
    onlyWireError(() => parseCertificateRequest(b, 0x0303));
    onlyWireError(() => parseCertificateRequest(b, 0x0302));
    onlyWireError(() => parseServerKeyExchange(b, kx));
    onlyWireError(() => parseSSLv2ServerHello(b));
    onlyWireError(() => parseSSLv2Message(b));
    onlyWireError(() => parseAlert(b));
    onlyWireError(() => parseAlerts(b));
  }), { numRuns: RUNS * 2 });
});

test('ServerHellos with arbitrary well-framed extensions: only WireError, and consistent fields when accepted', () => {
  const extArb = fc.record({
    type: fc.oneof(fc.constantFrom(5, 11, 15, 16, 22, 23, 35, 43, 44, 51, 0xff01), fc.integer({ min: 0, max: 0xffff })),
    data: fc.uint8Array({ maxLength: 40 }),
  });
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 0xffff }), fc.boolean(), fc.uint8Array({ maxLength: 40 }), fc.array(extArb, { maxLength: 8 }),
    (version, hrr, sid, exts) => {
      const body = serverHelloBody({ version, random: hrr ? HELLO_RETRY_REQUEST_RANDOM : undefined, sessionId: sid, extensions: exts });
      try {
        const sh = parseServerHello(body);
        assert.ok(sid.length <= 32);
        assert.equal(sh.isHelloRetryRequest, hrr);
        const sv = exts.find((e) => e.type === 43);
        assert.equal(sh.version, sv ? (sv.data[0]! << 8) | sv.data[1]! : version);
        assert.equal(sh.extensions.length, exts.length);
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
      }
    },
  ), { numRuns: RUNS });
});

test('Certificate messages round-trip for arbitrary DER lists (1.2 and 1.3 forms)', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 6 }), fc.boolean(), (ders, tls13) => {
    assert.deepEqual(parseCertificateMessage(certificateBody(ders, tls13), tls13), ders);
  }), { numRuns: RUNS });
});

test('ClientHello builder: arbitrary options give a well-formed hello that reflects them', async () => {
  const { buildClientHello } = await import('../../src/wire/client-hello.js');
  const { decodeClientHelloRecords, ext, u16s } = await import('./helpers.js');
  const { isGrease } = await import('../../src/wire/constants.js');
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const opts = fc.record({
    maxVersion: fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303, 0x0304) as fc.Arbitrary<0x0300 | 0x0301 | 0x0302 | 0x0303 | 0x0304>,
    minVersion: fc.option(fc.constantFrom(0x0300, 0x0301, 0x0303, 0x0304), { nil: undefined }),
    cipherSuites: fc.array(u16, { maxLength: 400 }),
    sni: fc.option(fc.oneof(fc.domain(), fc.constant('127.0.0.1')), { nil: undefined }),
    groups: fc.option(fc.array(fc.constantFrom(23, 24, 25, 29, 30, 256, 0x11ec, 0x6399), { maxLength: 6 }), { nil: undefined }),
    keyShareGroups: fc.option(fc.array(fc.constantFrom(23, 29, 0x11ec), { maxLength: 2 }), { nil: undefined }),
    signatureAlgorithms: fc.option(fc.array(u16, { maxLength: 40 }), { nil: undefined }),
    alpn: fc.option(fc.array(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => Buffer.byteLength(s) <= 255), { maxLength: 4 }), { nil: undefined }),
    grease: fc.boolean(),
    padding: fc.option(fc.oneof(fc.constant('auto' as const), fc.integer({ min: 0, max: 600 })), { nil: undefined }),
    statusRequest: fc.boolean(),
    sessionTicket: fc.boolean(),
    noExtensions: fc.boolean(),
    extraExtensions: fc.option(fc.uniqueArray(fc.record({ type: fc.integer({ min: 0x3000, max: 0x3fff }), data: fc.uint8Array({ maxLength: 3000 }) }), { maxLength: 3, selector: (e) => e.type }), { nil: undefined }),
    extensionOrder: fc.option(fc.array(fc.constantFrom(0, 10, 13, 16, 21, 43, 51, 0x0a0a, 0xff01), { maxLength: 6 }), { nil: undefined }),
  });
  fc.assert(fc.property(opts, seedArb(), (o, seed) => {
    const h = decodeClientHelloRecords(buildClientHello({ ...o, rng: seededBytes(seed) }));
    const suites = o.grease ? h.cipherSuites.slice(1) : h.cipherSuites;
    assert.deepEqual(suites, o.cipherSuites);
    if (o.grease) assert.ok(isGrease(h.cipherSuites[0]!));
    if (o.noExtensions) { assert.equal(h.extensions, null); return; }
    const types = h.extensions!.map((e) => e.type);
    assert.equal(new Set(types).size, types.length, 'no duplicate extension types');
    if ((o.padding ?? 'auto') === 'auto') assert.ok(h.handshakeLength < 256 || h.handshakeLength >= 512, `length ${h.handshakeLength}`);
    else assert.equal(ext(h, 21)?.length, o.padding);
    const offers13 = o.maxVersion === 0x0304;
    assert.equal(types.includes(43), offers13);
    assert.equal(types.includes(51), offers13 || o.keyShareGroups !== undefined);
    if (o.groups && o.groups.length > 0) assert.deepEqual(u16s(ext(h, 10)!, 2).filter((g) => !isGrease(g)), o.groups);
    if (o.signatureAlgorithms?.length) assert.deepEqual(u16s(ext(h, 13)!, 2), o.signatureAlgorithms);
    for (const e of o.extraExtensions ?? []) assert.deepEqual(ext(h, e.type), e.data);
    // explicit order: listed types that are present come first, in the listed order
    if (o.extensionOrder) {
      // (a GREASE entry stands for the next GREASE extension; each extension is taken once)
      const left = types.map((t) => (isGrease(t) ? 0x0a0a : t));
      const listed: number[] = [];
      for (const t of o.extensionOrder) {
        const i = left.indexOf(isGrease(t) ? 0x0a0a : t);
        if (i >= 0) listed.push(...left.splice(i, 1));
      }
      assert.deepEqual(types.slice(0, listed.length).map((t) => (isGrease(t) ? 0x0a0a : t)), listed);
    }
  }), { numRuns: 200 });
});

function seedArb() { return fc.integer({ min: 0, max: 1_000_000 }); }
function seededBytes(seed: number) {
  let x = seed | 1;
  return (n: number) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; b[i] = x & 0xff; } return b; };
}

test('well-formed ServerKeyExchange bodies parse back to their fields (DHE and ECDHE, both signature forms)', () => {
  const big = fc.uint8Array({ minLength: 1, maxLength: 520 });
  fc.assert(fc.property(big, big, big, fc.boolean(), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 300 }), (p, g, ys, tls12, alg, sig) => {
    const w = new ByteWriter().vector(2, (x) => x.bytes(p)).vector(2, (x) => x.bytes(g)).vector(2, (x) => x.bytes(ys));
    if (tls12) w.u16(alg);
    w.vector(2, (x) => x.bytes(sig));
    const s = parseServerKeyExchange(w.finish(), 'DHE', { version: tls12 ? 0x0303 : 0x0302 });
    assert.ok(s.kind === 'dhe');
    assert.equal(s.pBits, bitLengthRef(p));
    assert.equal(s.gBits, bitLengthRef(g));
    assert.deepEqual(s.p, p);
    assert.equal(s.publicKeyLength, ys.length);
    assert.deepEqual(s.publicKey, ys);
    assert.deepEqual(s.signature, tls12 ? { algorithm: alg, length: sig.length } : { length: sig.length });
  }), { numRuns: RUNS });
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ minLength: 1, maxLength: 255 }), (group, pub) => {
    const body = new ByteWriter().u8(3).u16(group).vector(1, (x) => x.bytes(pub)).finish();
    assert.deepEqual(parseServerKeyExchange(body, 'ECDH_anon'), { kind: 'ecdhe', curveType: 3, group, publicKeyLength: pub.length, publicKey: pub });
  }), { numRuns: RUNS });
});

/** Reference bit length through BigInt. */
function bitLengthRef(b: Uint8Array): number {
  const n = BigInt('0x0' + Buffer.from(b).toString('hex'));
  return n === 0n ? 0 : n.toString(2).length;
}

test('SSL 2.0 SERVER-HELLO round trip for arbitrary certificates, cipher kinds and connection ids', () => {
  fc.assert(fc.property(
    fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 0, max: 0xffffff }), { maxLength: 30 }), fc.uint8Array({ minLength: 16, maxLength: 32 }), fc.boolean(),
    (cert, kinds, connId, hit) => {
      const msg = new ByteWriter().u8(4).u8(hit ? 1 : 0).u8(1).u16(2).u16(cert.length).u16(kinds.length * 3).u16(connId.length)
        .bytes(cert).bytes(kinds.flatMap((k) => [k >> 16, (k >> 8) & 0xff, k & 0xff])).bytes(connId).finish();
      const rec = concat(Uint8Array.of(0x80 | (msg.length >> 8), msg.length & 0xff), msg);
      const { events, error } = feed(rec, [1, 2, 5]);
      assert.equal(error, undefined);
      assert.equal(events.length, 1);
      const ev = events[0]!;
      assert.ok(ev.kind === 'sslv2');
      assert.deepEqual(parseSSLv2ServerHello(ev.message), { sessionIdHit: hit, certificateType: 1, version: 2, certificate: cert, cipherKinds: kinds, connectionId: connId });
    },
  ), { numRuns: RUNS });
});
