import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSLV2_CIPHER_KINDS, SSLV2_SOURCE, sslv2KindByCode, sslv2KindByName, sslv2Label } from '../../src/registry/sslv2.js';

test('sslv2: the seven specified cipher kinds with their codes', () => {
  const spec: [number, string, string, number, boolean][] = [
    [0x010080, 'SSL_CK_RC4_128_WITH_MD5', 'RC4-MD5', 128, false],
    [0x020080, 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'EXP-RC4-MD5', 40, true],
    [0x030080, 'SSL_CK_RC2_128_CBC_WITH_MD5', 'RC2-CBC-MD5', 128, false],
    [0x040080, 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 'EXP-RC2-CBC-MD5', 40, true],
    [0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5', 'IDEA-CBC-MD5', 128, false],
    [0x060040, 'SSL_CK_DES_64_CBC_WITH_MD5', 'DES-CBC-MD5', 56, false],
    [0x0700c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'DES-CBC3-MD5', 112, false],
  ];
  for (const [code, name, openssl, bits, exp] of spec) {
    const k = sslv2KindByCode(code);
    assert.ok(k, name);
    assert.deepEqual([k.name, k.openssl, k.bits, k.export, k.nonStandard], [name, openssl, bits, exp, undefined]);
  }
  assert.equal(sslv2KindByCode(0x080080)?.name, 'SSL_CK_RC4_64_WITH_MD5');
  assert.equal(sslv2KindByCode(0x080080)?.nonStandard, true);
});

test('sslv2: invariants, lookups, labels', () => {
  assert.equal(new Set(SSLV2_CIPHER_KINDS.map((k) => k.code)).size, SSLV2_CIPHER_KINDS.length);
  for (const k of SSLV2_CIPHER_KINDS) {
    assert.equal(k.strength, 'insecure');
    assert.ok(k.code > 0xffff && k.code <= 0xffffff);
    assert.equal(k.export, k.bits === 40);
    assert.equal(sslv2KindByName(k.name), k);
    assert.equal(sslv2KindByName(k.openssl!.toLowerCase()), k);
  }
  assert.equal(sslv2KindByName('nope'), undefined);
  assert.equal(sslv2Label(0x0700c0), 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5');
  assert.equal(sslv2Label(0x123456), 'UNKNOWN_0x123456');
  assert.match(SSLV2_SOURCE, /draft-hickman/);
});
