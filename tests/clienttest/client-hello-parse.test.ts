import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseClientHello, frameClientHello, decodeHelloInput, isGrease, MAX_CLIENT_HELLO_BYTES,
} from '../../src/wire/client-hello-parse.js';
import { WireError } from '../../src/util/errors.js';
import { ByteWriter } from '../../src/wire/bytes.js';
import { records, handshake, ext, sslv2Hello, type FixtureHello } from './hello-fixture.js';

const modern: FixtureHello = {
  suites: [0x2a2a, 0x1301, 0x1302, 0xc02f, 0x00ff],
  extensions: [
    ext.empty(0x3a3a), ext.sni('api.example.test'), ext.groups([0x4a4a, 0x11ec, 29, 23]), ext.pointFormats([0]),
    ext.sigalgs([0x0403, 0x0804, 0x0401]), ext.alpn(['h2', 'http/1.1']), ext.versions([0x5a5a, 0x0304, 0x0303]),
    ext.keyShare([0x11ec, 29]), ext.pskModes([1]), ext.empty(0xff01),
  ],
  sessionId: new Uint8Array(32).fill(3),
};

test('parses a record-framed TLS 1.3 ClientHello field by field', () => {
  const h = parseClientHello(records(modern));
  assert.equal(h.format, 'tls-record');
  assert.equal(h.recordVersion, 0x0301);
  assert.equal(h.legacyVersion, 0x0303);
  assert.equal(h.random, '07'.repeat(32));
  assert.equal(h.sessionId, '03'.repeat(32));
  assert.deepEqual(h.cipherSuites, [0x2a2a, 0x1301, 0x1302, 0xc02f, 0x00ff]);
  assert.deepEqual(h.compressionMethods, [0]);
  assert.deepEqual(h.extensions.map((e) => e.type), [0x3a3a, 0, 10, 11, 13, 16, 43, 51, 45, 0xff01]);
  assert.equal(h.extensions[0]!.grease, true);
  assert.equal(h.serverName, 'api.example.test');
  assert.deepEqual(h.supportedGroups, [0x4a4a, 0x11ec, 29, 23]);
  assert.deepEqual(h.ecPointFormats, [0]);
  assert.deepEqual(h.signatureAlgorithms, [0x0403, 0x0804, 0x0401]);
  assert.deepEqual(h.alpn, ['h2', 'http/1.1']);
  assert.deepEqual(h.supportedVersions, [0x5a5a, 0x0304, 0x0303]);
  assert.deepEqual(h.keyShareGroups, [0x11ec, 29]);
  assert.deepEqual(h.pskKeyExchangeModes, [1]);
});

test('a hello split over several records, a bare handshake message and hex text all parse the same', () => {
  const one = parseClientHello(records(modern));
  const split = parseClientHello(records(modern, 7));
  const bare = parseClientHello(handshake(modern));
  const hexText = decodeHelloInput(Buffer.from(Buffer.from(records(modern)).toString('hex').replace(/(..)/g, '$1:').replace(/(.{48})/g, '$1\n')));
  const fromHex = parseClientHello(hexText);
  assert.deepEqual({ ...split, recordVersion: 0 }, { ...one, recordVersion: 0 });
  assert.deepEqual(bare.cipherSuites, one.cipherSuites);
  assert.equal(bare.format, 'handshake');
  assert.equal(bare.recordVersion, undefined);
  assert.deepEqual(fromHex, one);
});

test('a hello without an extensions block (SSL 3.0 era)', () => {
  const h = parseClientHello(records({ version: 0x0300, recordVersion: 0x0300, suites: [0x000a, 0x0005], noExtensionsBlock: true }));
  assert.equal(h.hasExtensionsBlock, false);
  assert.deepEqual(h.extensions, []);
  assert.equal(h.legacyVersion, 0x0300);
});

test('SSLv2-compatible CLIENT-HELLO: TLS suites and SSLv2 kinds are told apart', () => {
  const h = parseClientHello(sslv2Hello(0x0301, [0x00002f, 0x000035, 0x0700c0, 0x010080, 0x0000ff]));
  assert.equal(h.format, 'sslv2');
  assert.equal(h.legacyVersion, 0x0301);
  assert.deepEqual(h.cipherSuites, [0x002f, 0x0035, 0x00ff]);
  assert.deepEqual(h.sslv2CipherKinds, [0x0700c0, 0x010080]);
  assert.equal(h.random, '09'.repeat(16));
});

test('malformed hellos get a WireError that says what is wrong', () => {
  const good = records(modern);
  const cases: [Uint8Array, RegExp][] = [
    [good.subarray(0, 40), /truncated/],
    [Buffer.from('GET / HTTP/1.1\r\n\r\n'), /not handshake.*plain HTTP/],
    [Uint8Array.from([22, 3, 1, 0, 0]), /empty handshake record/],
    [Uint8Array.from([22, 3, 1, 0x50, 0x00]), /exceeds 2\^14/],
    [Uint8Array.from([22, 3, 1, 0, 4, 2, 0, 0, 0]), /not ClientHello/],
    [Uint8Array.from([21, 3, 1, 0, 2, 2, 40]), /record type 21/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => parseClientHello(bytes), (e: unknown) => e instanceof WireError && re.test(e.message), `for ${Buffer.from(bytes).toString('hex')}`);
  }
  // A length that lies: cipher_suites claims more bytes than the hello has.
  const lying = Buffer.from(handshake(modern));
  lying.writeUInt16BE(0xfff0, 4 + 2 + 32 + 1 + 32);
  assert.throws(() => parseClientHello(lying), /truncated cipher_suites/);
  // Duplicate extension.
  assert.throws(() => parseClientHello(handshake({ suites: [0x1301], extensions: [ext.empty(23), ext.empty(23)] })), /duplicate extension 0x0017/);
});

test('a 1 MB hello is rejected from its header alone, with a clear error', () => {
  const header = new ByteWriter().u8(22).u16(0x0301).u16(16384).u8(1).u24(1024 * 1024).finish();
  const partial = Buffer.concat([header, Buffer.alloc(16384 - 4)]);
  assert.throws(() => frameClientHello(partial), (e: unknown) =>
    e instanceof WireError && e.message === `ClientHello of ${1024 * 1024 + 4} bytes exceeds the ${MAX_CLIENT_HELLO_BYTES}-byte limit`);
  const bare = new ByteWriter().u8(1).u24(1024 * 1024).finish();
  assert.throws(() => parseClientHello(Buffer.concat([bare, Buffer.alloc(1024 * 1024)])), /exceeds the 65536-byte limit/);
});

test('frameClientHello says "need more" for every proper prefix and frames the whole', () => {
  const good = records(modern, 50);
  for (let i = 0; i < good.length; i++) assert.equal(frameClientHello(good.subarray(0, i)), null, `prefix ${i}`);
  const f = frameClientHello(Buffer.concat([good, Buffer.from([23, 3, 3])]));
  assert.equal(f?.end, good.length);
  assert.deepEqual(Buffer.from(f!.message), Buffer.from(handshake(modern)));
});

test('GREASE values are recognised (RFC 8701)', () => {
  const grease = [];
  for (let i = 0; i < 16; i++) grease.push(((i << 4) | 0xa) * 0x101);
  assert.deepEqual(grease.map(isGrease), grease.map(() => true));
  for (const v of [0x0a0b, 0x1a2a, 0x0303, 0x1301, 0x0b0b, 0x0a1a]) assert.equal(isGrease(v), false, v.toString(16));
});

test('hex input: odd digits and junk are errors', () => {
  assert.throws(() => decodeHelloInput(Buffer.from('16 03 0')), /odd number of hex digits/);
  assert.throws(() => decodeHelloInput(Buffer.from('   ')), /no hex digits/);
  assert.deepEqual(Buffer.from(decodeHelloInput(Buffer.from('0x16, 0x03:01'))), Buffer.from([0x16, 0x03, 0x01]));
});

// Property-based: hostile bytes never throw anything but WireError and never hang.
const onlyWireError = (fn: () => unknown) => {
  try { fn(); } catch (e) { if (!(e instanceof WireError)) throw e; }
};

test('property: random bytes never throw anything but WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
    onlyWireError(() => parseClientHello(bytes));
    onlyWireError(() => frameClientHello(bytes));
    onlyWireError(() => decodeHelloInput(bytes));
  }), { numRuns: 3000 });
});

test('property: random bytes behind a valid record/handshake header never throw anything but WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (body, sslv2) => {
    const msg = sslv2
      ? Buffer.concat([Buffer.from([0x80 | (body.length + 1) >> 8, (body.length + 1) & 0xff, 1]), body])
      : Buffer.concat([Buffer.from([22, 3, 1, (body.length + 4) >> 8, (body.length + 4) & 0xff, 1, 0, body.length >> 8, body.length & 0xff]), body]);
    onlyWireError(() => parseClientHello(msg));
  }), { numRuns: 3000 });
});

test('property: mutated real hellos (bit flips, truncation, splices) never throw anything but WireError', () => {
  const base = Buffer.from(records(modern));
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.nat(base.length),
    (flips, cut) => {
      const b = Buffer.from(base);
      for (const [i, v] of flips) b[i] = v;
      onlyWireError(() => parseClientHello(b.subarray(0, cut)));
      onlyWireError(() => parseClientHello(b));
      onlyWireError(() => frameClientHello(b));
    },
  ), { numRuns: 3000 });
});

test('property: a hello built from arbitrary fields round-trips through the parser', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 60 }),
    fc.uniqueArray(fc.integer({ min: 0x100, max: 0xfeff }), { maxLength: 10 }),
    fc.stringMatching(/^[a-z0-9.-]{1,40}$/),
    (suites, unknownExts, host) => {
      const exts = [ext.sni(host), ...unknownExts.filter((t) => ![0x0a, 0x0b, 0x0d, 0x10, 0x2b, 0x33, 0x2d, 0x32].includes(t)).map((t) => ext.raw(t, [1, 2]))];
      const h = parseClientHello(records({ suites, extensions: exts }));
      assert.deepEqual(h.cipherSuites, suites);
      assert.equal(h.serverName, host);
      assert.deepEqual(h.extensions.map((e) => e.type), exts.map((e) => e.type));
    },
  ), { numRuns: 500 });
});

test('hex dumps with offsets (Wireshark, hexdump -C, xxd) decode to the same bytes', async () => {
  const bytes = Buffer.from(records(modern));
  const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');
  const wireshark: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = [...bytes.subarray(i, i + 16)];
    wireshark.push(`${i.toString(16).padStart(4, '0')}   ${chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47)}   ${chunk.map(printable).join('')}`);
  }
  assert.deepEqual(Buffer.from(decodeHelloInput(Buffer.from(wireshark.join('\n')))), bytes);
  // The layouts `hexdump -C` and `xxd` print (written here, so the test needs neither tool).
  const hexdumpC: string[] = [], xxdLines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const c = [...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0'));
    const ascii = [...bytes.subarray(i, i + 16)].map(printable).join('');
    hexdumpC.push(`${i.toString(16).padStart(8, '0')}  ${c.slice(0, 8).join(' ').padEnd(23)}  ${c.slice(8).join(' ').padEnd(23)}  |${ascii}|`);
    const groups: string[] = [];
    for (let g = 0; g < c.length; g += 2) groups.push(c.slice(g, g + 2).join(''));
    xxdLines.push(`${i.toString(16).padStart(8, '0')}: ${groups.join(' ').padEnd(39)}  ${ascii}`);
  }
  assert.deepEqual(Buffer.from(decodeHelloInput(Buffer.from(hexdumpC.join('\n') + '\n'))), bytes);
  assert.deepEqual(Buffer.from(decodeHelloInput(Buffer.from(xxdLines.join('\n')))), bytes);
  // The real tools' output too, where this machine has them (hexdump -C collapses repeated lines into "*").
  const { execFileSync } = await import('node:child_process');
  for (const [cmd, args] of [['hexdump', ['-C']], ['xxd', []]] as const) {
    let real: Buffer;
    try { real = execFileSync(cmd, [...args], { input: bytes }); } catch { continue; }
    assert.deepEqual(Buffer.from(decodeHelloInput(real)), bytes, cmd);
  }
  assert.throws(() => decodeHelloInput(Buffer.from('0000  16 03 01 00  |....|\n0020  01 02  |..|\n')), /bytes missing before offset 0x20/);
  assert.throws(() => decodeHelloInput(Buffer.from('this is a letter, not a hello')), /neither hex nor a hex dump/);
});

test('property: text made of hex-dump characters never throws anything but WireError', () => {
  const chars = fc.constantFrom(...'0123456789abcdef  |*:\n.x'.split(''));
  fc.assert(fc.property(fc.array(chars, { maxLength: 300 }), (cs) => {
    onlyWireError(() => decodeHelloInput(Buffer.from(cs.join(''))));
  }), { numRuns: 3000 });
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 0x300 }), fc.uint8Array({ maxLength: 16 }), fc.boolean()), { maxLength: 20 }), (rows) => {
    const text = rows.map(([off, b, star]) => (star ? '*' : `${off.toString(16).padStart(8, '0')}  ${Buffer.from(b).toString('hex').replace(/(..)/g, '$1 ')}  |x|`)).join('\n');
    onlyWireError(() => decodeHelloInput(Buffer.from(text)));
  }), { numRuns: 2000 });
});
