import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { GROUPS, GROUPS_SOURCE, groupByCode, groupByName, groupLabel } from '../../src/registry/groups.js';

test('groups: codes, names and aliases are unique; table sorted and sourced', () => {
  assert.equal(new Set(GROUPS.map((g) => g.code)).size, GROUPS.length);
  assert.equal(new Set(GROUPS.map((g) => g.name.toLowerCase())).size, GROUPS.length);
  for (let i = 1; i < GROUPS.length; i++) assert.ok(GROUPS[i - 1].code < GROUPS[i].code);
  const aliasOwners = new Map<string, number>();
  for (const g of GROUPS) {
    for (const a of g.aliases) {
      const prev = aliasOwners.get(a.toLowerCase());
      assert.ok(prev === undefined || prev === g.code, `alias ${a} used twice`);
      aliasOwners.set(a.toLowerCase(), g.code);
    }
  }
  assert.match(GROUPS_SOURCE, /RFC 7919/);
  assert.match(GROUPS_SOURCE, /FIPS 203/);
});

test('groups: spot checks', () => {
  const expect: [number, string, string, number | null, boolean, boolean][] = [
    [23, 'secp256r1', 'ec', 65, false, true],
    [24, 'secp384r1', 'ec', 97, false, true],
    [25, 'secp521r1', 'ec', 133, false, true],
    [29, 'x25519', 'ec', 32, false, true],
    [30, 'x448', 'ec', 56, false, true],
    [26, 'brainpoolP256r1', 'ec', 65, false, false],
    [31, 'brainpoolP256r1tls13', 'ec', 65, false, true],
    [256, 'ffdhe2048', 'ff', 256, false, true],
    [260, 'ffdhe8192', 'ff', 1024, false, true],
    [0x0200, 'MLKEM512', 'pq', 800, true, true],
    [0x0201, 'MLKEM768', 'pq', 1184, true, true],
    [0x0202, 'MLKEM1024', 'pq', 1568, true, true],
    [0x11ec, 'X25519MLKEM768', 'hybrid', 1216, true, true],
    [0x11eb, 'SecP256r1MLKEM768', 'hybrid', 1249, true, true],
    [0x11ed, 'SecP384r1MLKEM1024', 'hybrid', 1665, true, true],
    [0x6399, 'X25519Kyber768Draft00', 'hybrid', 1216, true, true],
    [0xff01, 'arbitrary_explicit_prime_curves', 'ec', null, false, false],
    [0xff02, 'arbitrary_explicit_char2_curves', 'ec', null, false, false],
  ];
  for (const [code, name, kind, len, pq, tls13] of expect) {
    const g = groupByCode(code);
    assert.ok(g, name);
    assert.deepEqual([g.name, g.kind, g.keyShareLength, g.pq, g.tls13], [name, kind, len, pq, tls13], name);
  }
  assert.equal(groupByCode(0x11ec)!.serverKeyShareLength, 1088 + 32);
  assert.equal(groupByCode(0x0201)!.serverKeyShareLength, 1088);
  for (let c = 1; c <= 22; c++) assert.equal(groupByCode(c)!.deprecated, true, `group ${c}`);
  for (let c = 1; c <= 25; c++) assert.ok(groupByCode(c)!.tls12);
  assert.equal(groupByCode(22)!.tls13, false);
});

test('groups: lookup by name and alias, labels', () => {
  assert.equal(groupByName('prime256v1')?.code, 23);
  assert.equal(groupByName('P-256')?.code, 23);
  assert.equal(groupByName('SECP256R1')?.code, 23);
  assert.equal(groupByName('X25519')?.code, 29);
  assert.equal(groupByName('P-384')?.code, 24);
  assert.equal(groupByName('ML-KEM-768')?.code, 0x0201);
  assert.equal(groupByName('x25519mlkem768')?.code, 0x11ec);
  assert.equal(groupByName('brainpoolP256r1')?.code, 26, 'plain brainpool name is the TLS 1.2 code point');
  assert.equal(groupByName('brainpoolP256r1tls13')?.code, 31);
  assert.equal(groupByName('nope'), undefined);
  assert.equal(groupLabel(29), 'x25519');
  assert.equal(groupLabel(0x0a0a), 'UNKNOWN_0x0A0A');
});

test('groups: Node generates a key share of exactly keyShareLength for every nodeCurve', () => {
  const withNode = GROUPS.filter((g) => g.nodeCurve);
  assert.ok(withNode.some((g) => g.code === 23) && withNode.some((g) => g.code === 29) && withNode.some((g) => g.code === 30));
  for (const g of withNode) {
    let len: number;
    if (g.nodeCurve === 'x25519' || g.nodeCurve === 'x448') {
      const { publicKey } = g.nodeCurve === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
      len = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').length;
    } else {
      len = createECDH(g.nodeCurve!).generateKeys().length;
    }
    assert.equal(len, g.keyShareLength, `${g.name} via ${g.nodeCurve}`);
  }
});

test('groups: flags are consistent', () => {
  for (const g of GROUPS) {
    assert.equal(g.pq, g.kind === 'hybrid' || g.kind === 'pq', g.name);
    if (g.pq) assert.equal(g.tls12, false, g.name);
    if (g.kind === 'ff') assert.equal(g.keyShareLength, g.fieldBits / 8);
    assert.ok(g.tls12 || g.tls13, g.name);
    assert.ok(Object.isFrozen(g) && Object.isFrozen(g.aliases));
  }
});

test('groups: lookups never throw (property)', () => {
  fc.assert(fc.property(fc.integer({ min: -1, max: 0x1ffff }), (c) => {
    const g = groupByCode(c);
    return g ? g.code === c && groupLabel(c) === g.name : groupLabel(c).startsWith('UNKNOWN_0x');
  }));
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
    const g = groupByName(s);
    if (!g) return true;
    const n = s.trim().toLowerCase();
    return [g.name, ...g.aliases, g.nodeCurve ?? ''].some((x) => x.toLowerCase() === n);
  }));
});
