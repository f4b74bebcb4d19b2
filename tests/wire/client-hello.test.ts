import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, createPublicKey } from 'node:crypto';
import {
  buildClientHello, buildClientHelloBody, buildSSLv2ClientHello, sniHostName, wrapRecords,
} from '../../src/wire/client-hello.js';
import { ExtensionType as X, isGrease, GREASE_VALUES, HELLO_RETRY_REQUEST_RANDOM, ProtocolVersion } from '../../src/wire/constants.js';
import { DEFAULT_GROUPS, DEFAULT_SIGNATURE_ALGORITHMS } from '../../src/wire/defaults.js';
import { generateKeyShare, keyShareLength } from '../../src/wire/key-share.js';
import { FFDHE_PRIMES } from '../../src/wire/ffdhe.js';
import { ByteReader } from '../../src/wire/bytes.js';
import { decodeClientHelloRecords, decodeClientHelloMessage, ext, seededRng, u16s } from './helpers.js';
import { createHash } from 'node:crypto';

const types = (h: { extensions: { type: number }[] | null }) => h.extensions!.map((e) => e.type);

test('TLS 1.2 hello: header fields, suites, default extensions, no 1.3 extensions', () => {
  const random = new Uint8Array(32).fill(0xab);
  const bytes = buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02f, 0xc030, 0x009e], sni: 'api.example.com', random });
  const h = decodeClientHelloRecords(bytes);
  assert.deepEqual(h.recordVersions, [0x0301]);
  assert.equal(h.legacyVersion, 0x0303);
  assert.deepEqual(h.random, random);
  assert.equal(h.sessionId.length, 0);
  assert.deepEqual(h.cipherSuites, [0xc02f, 0xc030, 0x009e]);
  assert.deepEqual(h.compression, [0]);
  const t = types(h);
  for (const x of [X.server_name, X.ec_point_formats, X.supported_groups, X.signature_algorithms, X.extended_master_secret, X.renegotiation_info]) {
    assert.ok(t.includes(x), `extension ${x} present`);
  }
  for (const x of [X.supported_versions, X.key_share, X.psk_key_exchange_modes, X.session_ticket, X.status_request]) {
    assert.ok(!t.includes(x), `extension ${x} absent`);
  }
  // server_name: list(2) { type 0, name(2) }
  const sni = new ByteReader(ext(h, X.server_name)!);
  const list = sni.vector(2); sni.expectEnd('sni');
  assert.equal(list.u8(), 0);
  const name = list.vector(2);
  assert.equal(Buffer.from(name.bytes(name.remaining)).toString('ascii'), 'api.example.com');
  assert.deepEqual(u16s(ext(h, X.supported_groups)!, 2), [...DEFAULT_GROUPS]);
  assert.deepEqual(u16s(ext(h, X.signature_algorithms)!, 2), [...DEFAULT_SIGNATURE_ALGORITHMS]);
  assert.deepEqual(ext(h, X.ec_point_formats), Uint8Array.of(1, 0));
  assert.deepEqual(ext(h, X.renegotiation_info), Uint8Array.of(0));
  // auto padding: the hello is not in the F5 window 256..511
  assert.ok(h.handshakeLength < 256 || h.handshakeLength >= 512, `length ${h.handshakeLength}`);
});

test('TLS 1.3-only hello: supported_versions [0x0304], x25519 key share, 32-byte session id, psk modes', () => {
  const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0304, cipherSuites: [0x1301, 0x1302, 0x1303] }));
  assert.equal(h.legacyVersion, 0x0303);
  assert.equal(h.sessionId.length, 32);
  const sv = new ByteReader(ext(h, X.supported_versions)!).vector(1);
  assert.equal(sv.u16(), 0x0304); assert.ok(sv.done);
  assert.deepEqual(ext(h, X.psk_key_exchange_modes), Uint8Array.of(1, 1));
  const ks = new ByteReader(ext(h, X.key_share)!).vector(2);
  assert.equal(ks.u16(), 29);
  const pub = ks.vector(2);
  assert.equal(pub.remaining, 32);
  assert.ok(ks.done);
  // TLS 1.3 only: no renegotiation_info / EMS (those are for <= 1.2)
  assert.ok(!types(h).includes(X.renegotiation_info));
  assert.ok(!types(h).includes(X.extended_master_secret));
});

test('1.3 with minVersion lists 1.3 down to 1.0 and keeps legacy extensions', () => {
  const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0304, minVersion: 0x0301, cipherSuites: [0x1301, 0xc02f] }));
  assert.deepEqual(u16s(ext(h, X.supported_versions)!, 1), [0x0304, 0x0303, 0x0302, 0x0301]);
  assert.ok(types(h).includes(X.renegotiation_info));
  assert.ok(types(h).includes(X.extended_master_secret));
});

test('explicit supportedVersions, key share groups, empty key share', () => {
  const h = decodeClientHelloRecords(buildClientHello({
    maxVersion: 0x0304, supportedVersions: [0x0304, 0x0303], cipherSuites: [0x1301], keyShareGroups: [23, 24, 25, 30, 256, 0x11ec],
  }));
  assert.deepEqual(u16s(ext(h, X.supported_versions)!, 1), [0x0304, 0x0303]);
  const ks = new ByteReader(ext(h, X.key_share)!).vector(2);
  const got: [number, number][] = [];
  while (!ks.done) { const g = ks.u16(); const v = ks.vector(2); got.push([g, v.remaining]); }
  // 0x11ec (X25519MLKEM768) is skipped: we cannot make a share for it
  assert.deepEqual(got, [[23, 65], [24, 97], [25, 133], [30, 56], [256, 256]]);

  const empty = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0304, cipherSuites: [0x1301], keyShareGroups: [] }));
  assert.deepEqual(ext(empty, X.key_share), Uint8Array.of(0, 0));
});

test('key shares are valid public values of the right size', () => {
  for (const g of [29, 30, 23, 24, 25, 31, 32, 33, 256, 257, 258, 259, 260]) {
    const s = generateKeyShare(g);
    assert.ok(s, `share for ${g}`);
    assert.equal(s.length, keyShareLength(g), `length for ${g}`);
  }
  assert.equal(generateKeyShare(0x11ec), null);
  assert.equal(generateKeyShare(0x0a0a), null);
  // EC points are uncompressed and on the curve: ECDH with them succeeds.
  for (const [g, curve] of [[23, 'prime256v1'], [24, 'secp384r1'], [25, 'secp521r1']] as const) {
    const s = generateKeyShare(g)!;
    assert.equal(s[0], 4);
    const e = createECDH(curve);
    e.generateKeys();
    assert.ok(e.computeSecret(s).length > 0);
  }
  // x25519: a valid raw key wraps into an SPKI that node accepts
  const x = generateKeyShare(29)!;
  const spki = Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), Buffer.from(x)]);
  assert.equal(createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType, 'x25519');
  // ffdhe2048: 1 < y < p-1 and y lies in the order-q subgroup (y^q mod p = 1, q = (p-1)/2)
  const big = (b: Uint8Array) => BigInt('0x' + Buffer.from(b).toString('hex'));
  const p = big(FFDHE_PRIMES.get(256)!), y = big(generateKeyShare(256)!);
  assert.ok(y > 1n && y < p - 1n);
  const modPow = (b: bigint, e: bigint, m: bigint) => { let r = 1n; b %= m; while (e > 0n) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; e >>= 1n; } return r; };
  assert.equal(modPow(y, (p - 1n) / 2n, p), 1n);
});

test('SNI: IP literals and empty names are omitted, trailing dot stripped, IDN sent as A-label', () => {
  assert.equal(sniHostName('127.0.0.1'), null);
  assert.equal(sniHostName('::1'), null);
  assert.equal(sniHostName('[2001:db8::1]'), null);
  assert.equal(sniHostName(''), null);
  assert.equal(sniHostName(null), null);
  assert.equal(sniHostName('example.com.'), 'example.com');
  assert.equal(sniHostName('bücher.example'), 'xn--bcher-kva.example');
  const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0x002f], sni: '10.1.2.3' }));
  assert.equal(ext(h, X.server_name), undefined);
});

test('deterministic with an injected rng and random; GREASE in every slot, distinct extension values', () => {
  const o = { maxVersion: 0x0304 as const, minVersion: 0x0303, cipherSuites: [0x1301, 0xc02f], grease: true, sni: 'a.test',
    keyShares: [{ group: 29, data: new Uint8Array(32).fill(5) }] };
  const a = buildClientHello({ ...o, rng: seededRng('x') });
  const b = buildClientHello({ ...o, rng: seededRng('x') });
  assert.deepEqual(a, b);
  const h = decodeClientHelloRecords(a);
  assert.ok(isGrease(h.cipherSuites[0]!));
  assert.deepEqual(h.cipherSuites.slice(1), [0x1301, 0xc02f]);
  const greaseExts = types(h).filter(isGrease);
  assert.equal(greaseExts.length, 2);
  assert.notEqual(greaseExts[0], greaseExts[1]);
  assert.ok(isGrease(types(h)[0]!), 'first extension is GREASE');
  assert.ok(isGrease(u16s(ext(h, X.supported_groups)!, 2)[0]!));
  assert.ok(isGrease(u16s(ext(h, X.supported_versions)!, 1)[0]!));
  const ks = new ByteReader(ext(h, X.key_share)!).vector(2);
  const g0 = ks.u16(); const v0 = ks.vector(2);
  assert.ok(isGrease(g0)); assert.equal(v0.remaining, 1);
  assert.equal(ks.u16(), 29);
  // different seeds eventually pick different GREASE values
  const seen = new Set<number>();
  for (let i = 0; i < 40; i++) seen.add(decodeClientHelloRecords(buildClientHello({ ...o, rng: seededRng(`s${i}`) })).cipherSuites[0]!);
  assert.ok(seen.size > 4);
  for (const v of seen) assert.ok(GREASE_VALUES.includes(v));
});

test('padding auto brings 256..511-byte hellos to at least 512; explicit padding length; none when off-window', () => {
  // Find suite counts that land the unpadded hello in the window.
  let checked = 0;
  for (let n = 1; n < 200; n += 7) {
    const suites = Array.from({ length: n }, (_, i) => 0x0001 + i);
    const unpadded = decodeClientHelloMessage(buildClientHelloBody({ maxVersion: 0x0303, cipherSuites: suites, padding: undefined, extraExtensions: [{ type: 21, data: new Uint8Array(0) }] }));
    const padded = decodeClientHelloMessage(buildClientHelloBody({ maxVersion: 0x0303, cipherSuites: suites }));
    const len0 = unpadded.handshakeLength - 4; // without the empty padding ext
    if (len0 >= 256 && len0 < 512) {
      assert.ok(padded.handshakeLength >= 512 && padded.handshakeLength <= 516, `padded to ${padded.handshakeLength}`);
      assert.equal(types(padded).at(-1), X.padding);
      checked++;
    } else {
      assert.equal(padded.handshakeLength, len0);
      assert.ok(!types(padded).includes(X.padding));
    }
  }
  assert.ok(checked > 3);
  const p = decodeClientHelloMessage(buildClientHelloBody({ maxVersion: 0x0303, cipherSuites: [0x2f], padding: 100 }));
  assert.deepEqual(ext(p, X.padding), new Uint8Array(100));
});

test('extensionOrder, extraExtensions (replace and append), ALPN, status_request, session_ticket, ETM', () => {
  const h = decodeClientHelloMessage(buildClientHelloBody({
    maxVersion: 0x0303, cipherSuites: [0xc02f], sni: 'x.test', alpn: ['h2', 'http/1.1'], statusRequest: true, sessionTicket: true,
    encryptThenMac: true, padding: 0,
    extraExtensions: [{ type: X.supported_groups, data: Uint8Array.of(0, 2, 0, 23) }, { type: 0x1234, data: Uint8Array.of(9) }],
    extensionOrder: [0x1234, X.padding, X.alpn, X.server_name],
  }));
  assert.deepEqual(types(h).slice(0, 4), [0x1234, X.padding, X.alpn, X.server_name]);
  assert.deepEqual(ext(h, X.supported_groups), Uint8Array.of(0, 2, 0, 23));
  assert.equal(types(h).filter((t) => t === X.supported_groups).length, 1);
  assert.deepEqual(ext(h, X.alpn), Uint8Array.of(0, 12, 2, 0x68, 0x32, 8, ...Buffer.from('http/1.1')));
  assert.deepEqual(ext(h, X.status_request), Uint8Array.of(1, 0, 0, 0, 0));
  assert.deepEqual(ext(h, X.session_ticket), new Uint8Array(0));
  assert.deepEqual(ext(h, X.encrypt_then_mac), new Uint8Array(0));
});

test('SSLv3 hello: record version 0x0300, no signature_algorithms; noExtensions drops the block', () => {
  const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0300, cipherSuites: [0x000a, 0x0005] }));
  assert.deepEqual(h.recordVersions, [0x0300]);
  assert.equal(h.legacyVersion, 0x0300);
  assert.ok(!types(h).includes(X.signature_algorithms));
  const n = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0300, cipherSuites: [0x000a], noExtensions: true }));
  assert.equal(n.extensions, null);
  assert.equal(n.handshakeLength, 4 + 2 + 32 + 1 + 2 + 2 + 2);
  const only = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0301, cipherSuites: [0x2f], ecPointFormats: null, groups: [], signatureAlgorithms: [], renegotiationInfo: false, extendedMasterSecret: false, padding: 'auto' }));
  assert.deepEqual(only.extensions, []);
});

test('legacy and record versions can be overridden (version intolerance probes)', () => {
  const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0x2f], legacyVersion: 0x0305, recordVersion: 0x0303 }));
  assert.equal(h.legacyVersion, 0x0305);
  assert.deepEqual(h.recordVersions, [0x0303]);
});

test('hellos over 16384 bytes are split into several records that reassemble', () => {
  const big = new Uint8Array(40000).fill(0x61);
  const bytes = buildClientHello({ maxVersion: 0x0303, cipherSuites: [0x2f], extraExtensions: [{ type: 0xfe00, data: big }] });
  const h = decodeClientHelloRecords(bytes);
  assert.equal(h.recordCount, 3);
  assert.deepEqual(ext(h, 0xfe00), big);
  assert.deepEqual(wrapRecords(22, 0x0301, new Uint8Array(0)), Uint8Array.of(22, 3, 1, 0, 0));
});

test('bad options throw RangeError', () => {
  assert.throws(() => buildClientHello({ maxVersion: 0x0303, cipherSuites: [1], random: new Uint8Array(31) }), RangeError);
  assert.throws(() => buildClientHello({ maxVersion: 0x0303, cipherSuites: [1], sessionId: new Uint8Array(33) }), RangeError);
  assert.throws(() => buildClientHello({ maxVersion: 0x0303, cipherSuites: [1], padding: -1 }), RangeError);
  assert.throws(() => buildSSLv2ClientHello({ cipherKinds: [0x010080], challenge: new Uint8Array(8) }), RangeError);
});

test('SSLv2 CLIENT-HELLO layout (2-byte header, 3-byte kinds, challenge)', () => {
  const challenge = new Uint8Array(16).fill(0xcc);
  const b = buildSSLv2ClientHello({ cipherKinds: [0x010080, 0x0700c0, 0x00002f], challenge });
  const r = new ByteReader(b);
  const hdr = r.u16();
  assert.equal(hdr & 0x8000, 0x8000);
  assert.equal(hdr & 0x7fff, b.length - 2);
  assert.equal(r.u8(), 1);
  assert.equal(r.u16(), 0x0002);
  assert.equal(r.u16(), 9);
  assert.equal(r.u16(), 0);
  assert.equal(r.u16(), 16);
  assert.deepEqual([r.u24(), r.u24(), r.u24()], [0x010080, 0x0700c0, 0x00002f]);
  assert.deepEqual(r.bytes(16), challenge);
  assert.ok(r.done);
  const v3 = new ByteReader(buildSSLv2ClientHello({ cipherKinds: [0x2f], version: 0x0301, rng: seededRng('c') }));
  v3.u16(); v3.u8();
  assert.equal(v3.u16(), 0x0301);
});

test('constants: HRR random is SHA-256("HelloRetryRequest"); GREASE table', () => {
  assert.deepEqual(HELLO_RETRY_REQUEST_RANDOM, new Uint8Array(createHash('sha256').update('HelloRetryRequest').digest()));
  assert.equal(GREASE_VALUES.length, 16);
  assert.equal(GREASE_VALUES[0], 0x0a0a);
  assert.equal(GREASE_VALUES[15], 0xfafa);
  assert.ok(GREASE_VALUES.every(isGrease));
  assert.ok(!isGrease(0x0a1a) && !isGrease(0x1301));
  assert.equal(ProtocolVersion.TLSv1_3, 0x0304);
});

test('a pre_shared_key extension given in extraExtensions ends up last, after GREASE and padding', () => {
  const h = decodeClientHelloMessage(buildClientHelloBody({
    maxVersion: 0x0304, cipherSuites: [0x1301], grease: true, padding: 10, rng: seededRng('psk'),
    keyShares: [{ group: 29, data: new Uint8Array(32) }],
    extraExtensions: [{ type: X.pre_shared_key, data: Uint8Array.of(0, 1, 2) }], extensionOrder: [X.pre_shared_key, X.key_share],
  }));
  assert.equal(types(h).at(-1), X.pre_shared_key);
  assert.equal(types(h)[0], X.key_share);
});

test('GREASE: an extra extension whose type is a GREASE value never collides with the two GREASE extensions the builder adds', () => {
  for (const type of GREASE_VALUES) {
    for (let seed = 0; seed < 40; seed++) {
      const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0x002f], grease: true, extraExtensions: [{ type, data: Uint8Array.of(7) }], rng: seededRng(`grease-${seed}`) }));
      const types = h.extensions!.map((e) => e.type);
      assert.equal(new Set(types).size, types.length, `GREASE 0x${type.toString(16)}, seed ${seed}: ${types.map((t) => t.toString(16))}`);
      assert.deepEqual(ext(h, type), Uint8Array.of(7));
      assert.equal(types.filter(isGrease).length, 3);
    }
  }
});

test('the default randomness: every hello its own random and session id, across the 4 KB draws they come from', () => {
  const seen = new Set<string>();
  // 300 TLS 1.3 hellos use 64 random bytes each: several draws of the pool.
  for (let i = 0; i < 300; i++) {
    const h = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0304, cipherSuites: [0x1301], keyShareGroups: [] }));
    assert.equal(h.random.length, 32);
    assert.equal(h.sessionId.length, 32);
    for (const b of [h.random, h.sessionId]) {
      const k = Buffer.from(b).toString('hex');
      assert.ok(!seen.has(k), 'no bytes given out twice');
      seen.add(k);
    }
  }
});

test('a frozen list is encoded once and reused; a list that is not frozen is encoded afresh at every hello, so changing it shows', () => {
  const frozen = Object.freeze([29, 23, 24]);
  const a = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02f], groups: frozen }));
  const b = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02f], groups: frozen }));
  assert.deepEqual(u16s(ext(a, X.supported_groups)!, 2), [29, 23, 24]);
  assert.deepEqual(ext(a, X.supported_groups), ext(b, X.supported_groups));
  const open = [29, 23];
  buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02f], groups: open });
  open.push(25);
  const c = decodeClientHelloRecords(buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02f], groups: open }));
  assert.deepEqual(u16s(ext(c, X.supported_groups)!, 2), [29, 23, 25]);
});
