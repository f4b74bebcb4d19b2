/**
 * The published Diffie-Hellman primes tlsdoctor names (src/wire/dh-groups.ts): each one compared
 * with an independent source, the openssl binary's built-in groups (RFC 3526, RFC 7919) and, for
 * the RFC 2409 groups openssl has no name for, the RFC's own formula computed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { knownDhGroup } from '../../src/wire/dh-groups.js';
import { FFDHE_PRIMES } from '../../src/wire/ffdhe.js';

/** p of a group built into the openssl binary. */
function opensslPrime(group: string): Uint8Array {
  const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:${group}`], { encoding: 'utf8' });
  return firstInteger(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

/** The first INTEGER of a DHParameter DER (SEQUENCE { p, g, ... }). */
function firstInteger(der: Buffer): Uint8Array {
  let i = 1;
  i += der[i]! & 0x80 ? 1 + (der[i]! & 0x7f) : 1; // SEQUENCE header
  assert.equal(der[i], 0x02, 'INTEGER p');
  i++;
  let len = der[i]!;
  if (len & 0x80) { const n = len & 0x7f; len = 0; for (let k = 0; k < n; k++) len = len * 256 + der[i + 1 + k]!; i += n; }
  i++;
  return new Uint8Array(der.subarray(i, i + len)); // with its leading 0x00: knownDhGroup must skip it
}

/** floor(2^bits * pi), by Machin's formula in fixed point with 64 guard bits. */
function piScaled(bits: number): bigint {
  const guard = 64n;
  const one = 1n << (BigInt(bits) + guard);
  const arctanInv = (x: bigint): bigint => { // arctan(1/x) * one
    let term = one / x, sum = term, k = 1n;
    const x2 = x * x;
    while (term !== 0n) { term /= x2; k += 2n; sum += (k % 4n === 1n ? 1n : -1n) * (term / k); }
    return sum;
  };
  return (16n * arctanInv(5n) - 4n * arctanInv(239n)) >> guard;
}

/** RFC 2409 §6.1/§6.2: p = 2^b - 2^(b-64) - 1 + 2^64 * (floor(2^(b-130) pi) + k). */
function oakleyPrime(b: number, k: bigint): Uint8Array {
  const B = BigInt(b);
  const p = (1n << B) - (1n << (B - 64n)) - 1n + (1n << 64n) * (piScaled(b - 130) + k);
  return Uint8Array.from(Buffer.from(p.toString(16).padStart(b / 4, '0'), 'hex'));
}

test('dh-groups: RFC 3526 MODP primes equal openssl built-in modp_* groups', () => {
  for (const bits of [1536, 2048, 3072, 4096, 6144, 8192]) {
    const g = knownDhGroup(opensslPrime(`modp_${bits}`));
    assert.equal(g?.name, `modp${bits}`);
    assert.equal(g?.bits, bits);
    assert.match(g!.source, /^RFC 3526/);
    assert.equal(g?.namedGroup, undefined, 'no NamedGroup: a TLS 1.2 client cannot ask for it');
  }
});

test('dh-groups: the RFC 2409 Oakley primes equal the RFC formula (768 and 1024 bits)', () => {
  assert.deepEqual(knownDhGroup(oakleyPrime(768, 149686n)), { name: 'modp768', bits: 768, source: 'RFC 2409 §6.1 (Oakley group 1)' });
  assert.deepEqual(knownDhGroup(oakleyPrime(1024, 129093n)), { name: 'modp1024', bits: 1024, source: 'RFC 2409 §6.2 (Oakley group 2)' });
  // The formula is exact: one offset off is another number, unnamed.
  assert.equal(knownDhGroup(oakleyPrime(1024, 129094n)), undefined);
});

test('dh-groups: RFC 7919 primes are named with their NamedGroup, as openssl builds them', () => {
  for (const [code, p] of FFDHE_PRIMES) {
    const bits = p.length * 8;
    assert.deepEqual(knownDhGroup(p), { name: `ffdhe${bits}`, bits, source: 'RFC 7919 Appendix A', namedGroup: code });
    assert.equal(knownDhGroup(opensslPrime(`ffdhe${bits}`))?.namedGroup, code);
  }
});

test('dh-groups: a prime of the server\'s own (openssl dhparam) is unnamed', () => {
  const p = firstInteger(execFileSync('openssl', ['dhparam', '-outform', 'DER', '512'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  assert.equal(p.length, 65);
  assert.equal(knownDhGroup(p), undefined);
});

test('dh-groups: any bytes (fast-check): no throw, and a name only for the exact prime', () => {
  const ffdhe2048 = FFDHE_PRIMES.get(256)!;
  fc.assert(fc.property(fc.uint8Array({ maxLength: 1100 }), (b) => {
    const g = knownDhGroup(b);
    if (g) assert.equal(Buffer.from(b).toString('hex').replace(/^(00)+/, '').length, g.bits / 4);
  }), { numRuns: 300 });
  fc.assert(fc.property(fc.nat({ max: ffdhe2048.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat({ max: 3 }), (at, flip, zeros) => {
    const p = new Uint8Array(zeros + ffdhe2048.length);
    p.set(ffdhe2048, zeros);
    assert.equal(knownDhGroup(p)?.name, 'ffdhe2048', 'leading zero bytes are no part of the number');
    p[zeros + at]! ^= flip;
    assert.equal(knownDhGroup(p), undefined);
  }), { numRuns: 200 });
});
