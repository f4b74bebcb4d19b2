import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SIGNATURE_SCHEMES, SIGSCHEMES_SOURCE, sigSchemeByCode, sigSchemeByName, sigSchemeLabel } from '../../src/registry/sigschemes.js';

test('sigschemes: unique codes and names, sorted, sourced', () => {
  assert.equal(new Set(SIGNATURE_SCHEMES.map((s) => s.code)).size, SIGNATURE_SCHEMES.length);
  assert.equal(new Set(SIGNATURE_SCHEMES.map((s) => s.name.toLowerCase())).size, SIGNATURE_SCHEMES.length);
  for (let i = 1; i < SIGNATURE_SCHEMES.length; i++) assert.ok(SIGNATURE_SCHEMES[i - 1].code < SIGNATURE_SCHEMES[i].code);
  assert.match(SIGSCHEMES_SOURCE, /RFC 8446/);
  assert.match(SIGSCHEMES_SOURCE, /RFC 5246/);
});

test('sigschemes: spot checks', () => {
  const cases: [number, string, string, string, boolean, boolean, boolean][] = [
    // code, name, hash, sig, tls12, tls13, weak
    [0x0101, 'rsa_pkcs1_md5', 'md5', 'rsa_pkcs1', true, false, true],
    [0x0201, 'rsa_pkcs1_sha1', 'sha1', 'rsa_pkcs1', true, false, true],
    [0x0202, 'dsa_sha1', 'sha1', 'dsa', true, false, true],
    [0x0203, 'ecdsa_sha1', 'sha1', 'ecdsa', true, false, true],
    [0x0301, 'rsa_pkcs1_sha224', 'sha224', 'rsa_pkcs1', true, false, true],
    [0x0303, 'ecdsa_sha224', 'sha224', 'ecdsa', true, false, true],
    [0x0401, 'rsa_pkcs1_sha256', 'sha256', 'rsa_pkcs1', true, false, false],
    [0x0402, 'dsa_sha256', 'sha256', 'dsa', true, false, false],
    [0x0403, 'ecdsa_secp256r1_sha256', 'sha256', 'ecdsa', true, true, false],
    [0x0503, 'ecdsa_secp384r1_sha384', 'sha384', 'ecdsa', true, true, false],
    [0x0603, 'ecdsa_secp521r1_sha512', 'sha512', 'ecdsa', true, true, false],
    [0x0804, 'rsa_pss_rsae_sha256', 'sha256', 'rsa_pss_rsae', true, true, false],
    [0x0807, 'ed25519', 'intrinsic', 'ed25519', true, true, false],
    [0x0808, 'ed448', 'intrinsic', 'ed448', true, true, false],
    [0x080b, 'rsa_pss_pss_sha512', 'sha512', 'rsa_pss_pss', true, true, false],
    [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256', 'sha256', 'ecdsa', false, true, false],
    [0x0904, 'mldsa44', 'intrinsic', 'mldsa', false, true, false],
    [0x0906, 'mldsa87', 'intrinsic', 'mldsa', false, true, false],
  ];
  for (const [code, name, hash, sig, tls12, tls13, weak] of cases) {
    const s = sigSchemeByCode(code);
    assert.ok(s, name);
    assert.deepEqual([s.name, s.hash, s.sig, s.tls12, s.tls13, s.weak], [name, hash, sig, tls12, tls13, weak], name);
  }
  assert.equal(sigSchemeByCode(0x0101)!.legacy, true);
  assert.equal(sigSchemeByCode(0x0401)!.legacy, false);
  assert.equal(sigSchemeByCode(0x0905)!.pq, true);
  assert.equal(sigSchemeByCode(0x0403)!.curve, 'secp256r1');
  // every RFC 5246 (hash 1..6, sig 1..3) pair is present
  for (let h = 1; h <= 6; h++) for (let s = 1; s <= 3; s++) assert.ok(sigSchemeByCode((h << 8) | s), `0x0${h}0${s}`);
});

test('sigschemes: weak flag follows the hash', () => {
  for (const s of SIGNATURE_SCHEMES) assert.equal(s.weak, ['md5', 'sha1', 'sha224'].includes(s.hash), s.name);
  for (const s of SIGNATURE_SCHEMES) if (s.weak) assert.equal(s.tls13, false, s.name);
});

test('sigschemes: lookup by name (IANA and OpenSSL spellings), labels', () => {
  assert.equal(sigSchemeByName('RSA_PSS_RSAE_SHA256')?.code, 0x0804);
  assert.equal(sigSchemeByName('RSA+SHA256')?.code, 0x0401);
  assert.equal(sigSchemeByName('ECDSA+SHA1')?.code, 0x0203);
  assert.equal(sigSchemeByName('DSA+SHA1')?.code, 0x0202);
  assert.equal(sigSchemeByName('RSA-PSS+SHA384')?.code, 0x0805);
  assert.equal(sigSchemeByName('RSA+MD5')?.code, 0x0101);
  assert.equal(sigSchemeByName('RSA+SHA3'), undefined);
  assert.equal(sigSchemeByName(''), undefined);
  assert.equal(sigSchemeLabel(0x0807), 'ed25519');
  assert.equal(sigSchemeLabel(0x0a0a), 'UNKNOWN_0x0A0A');
});

test('sigschemes: lookups never throw (property)', () => {
  fc.assert(fc.property(fc.integer({ min: -1, max: 0x1ffff }), (c) => {
    const s = sigSchemeByCode(c);
    return s ? s.code === c && sigSchemeLabel(c) === s.name : sigSchemeLabel(c).startsWith('UNKNOWN_0x');
  }));
  const parts = fc.constantFrom('RSA', 'DSA', 'ECDSA', 'RSA-PSS', '+', 'SHA1', 'SHA256', 'MD5', 'sha3', '_', 'ed25519');
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.array(parts, { maxLength: 4 }).map((a) => a.join(''))), (n) => {
    const s = sigSchemeByName(n);
    return s === undefined || SIGNATURE_SCHEMES.includes(s);
  }));
});
