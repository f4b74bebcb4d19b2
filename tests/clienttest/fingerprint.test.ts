/**
 * JA3 and JA4 against the published examples:
 * - JA3: README of github.com/salesforce/ja3 ("How it works"):
 *   769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0 --> ada70206e40642a3e4461f35503241d5
 *   769,4-5-10-9-100-98-3-6-19-18-99,,, --> de350869b8c85de67a350c8d186f11e6
 * - JA4: technical_details/JA4.md of github.com/FoxIO-LLC/ja4 ("Cipher hash", "Extension hash",
 *   "Example", "Raw Output"): t13d1516h2_8daaf6152771_e5627efa2ab1, JA4_o t13d1516h2_acb858a92679_18f69afefd3d.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientHello } from '../../src/wire/client-hello-parse.js';
import { ja3, ja3Hash, ja4, ja4Hash, ja4Alpn } from '../../src/clienttest/fingerprint.js';
import { records, ext } from './hello-fixture.js';

test('JA3: the two published strings hash to the published MD5s', () => {
  assert.equal(ja3Hash('769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0'), 'ada70206e40642a3e4461f35503241d5');
  assert.equal(ja3Hash('769,4-5-10-9-100-98-3-6-19-18-99,,,'), 'de350869b8c85de67a350c8d186f11e6');
});

test('JA3: a hello with the published fields (plus GREASE, which JA3 drops) gives the published string', () => {
  const h = parseClientHello(records({
    version: 0x0301,
    suites: [0x0a0a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
    extensions: [ext.sni('a.test'), ext.empty(0x2a2a), ext.groups([0x1a1a, 23, 24, 25]), ext.pointFormats([0])],
  }));
  const j = ja3(h);
  assert.equal(j.string, '769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0');
  assert.equal(j.hash, 'ada70206e40642a3e4461f35503241d5');
  const bare = ja3(parseClientHello(records({ version: 0x0301, suites: [4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99], noExtensionsBlock: true })));
  assert.equal(bare.string, '769,4-5-10-9-100-98-3-6-19-18-99,,,');
  assert.equal(bare.hash, 'de350869b8c85de67a350c8d186f11e6');
});

test('JA4: the published cipher and extension strings hash to the published values', () => {
  assert.equal(ja4Hash('002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9'), '8daaf6152771');
  assert.equal(ja4Hash('0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601'), 'e5627efa2ab1');
  assert.equal(ja4Hash('0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01'), '6d807ffa2a79');
  assert.equal(ja4Hash(''), '000000000000');
});

test('JA4: a hello with the published example fields gives the published JA4, JA4_r, JA4_o and JA4_ro', () => {
  const suites = [0x5a5a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const sig = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  const order = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
  const byType: Record<number, { type: number; body: Uint8Array }> = {
    0x0000: ext.sni('example.test'), 0x0010: ext.alpn(['h2', 'http/1.1']), 0x000d: ext.sigalgs(sig),
    0x002b: ext.versions([0x6a6a, 0x0304, 0x0303]), 0x0033: ext.keyShare([0x7a7a, 29]), 0x002d: ext.pskModes([1]),
    0x000b: ext.pointFormats([0]), 0x000a: ext.groups([0x8a8a, 29, 23, 24]),
  };
  const extensions = [ext.empty(0x9a9a), ...order.map((t) => byType[t] ?? ext.raw(t, t === 0x001b ? [2, 0, 2] : []))];
  const h = parseClientHello(records({ suites, extensions }));
  const j = ja4(h);
  assert.equal(j.ja4, 't13d1516h2_8daaf6152771_e5627efa2ab1');
  assert.equal(j.raw, 't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601');
  assert.equal(j.rawOriginal, 't13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601');
  assert.equal(j.original, 't13d1516h2_acb858a92679_18f69afefd3d');
});

test('JA4 ALPN rule: first/last alphanumeric chars, hex fallback, 00 when absent (JA4.md examples)', () => {
  assert.equal(ja4Alpn('h2'), 'h2');
  assert.equal(ja4Alpn('http/1.1'), 'h1');
  assert.equal(ja4Alpn('h'), 'hh');
  assert.equal(ja4Alpn(undefined), '00');
  assert.equal(ja4Alpn(''), '00');
  assert.equal(ja4Alpn('\xab'), 'ab');
  assert.equal(ja4Alpn('\xab\xcd'), 'ad');
  assert.equal(ja4Alpn('\x30\xab'), '3b');
  assert.equal(ja4Alpn('\x30\x31\xab\xcd'), '3d');
  assert.equal(ja4Alpn('\x30\xab\xcd\x31'), '01');
});

test('JA4 of a TLS 1.0 hello without SNI, ALPN or supported_versions', () => {
  const h = parseClientHello(records({ version: 0x0301, suites: [0x002f, 0x0035], extensions: [ext.empty(0xff01)] }));
  const j = ja4(h);
  assert.match(j.ja4, /^t10i020100_[0-9a-f]{12}_[0-9a-f]{12}$/);
  const none = ja4(parseClientHello(records({ version: 0x0300, suites: [0x000a], noExtensionsBlock: true })));
  assert.equal(none.ja4.endsWith('_000000000000'), true);
  assert.match(none.ja4, /^ts3i010000_/);
});
