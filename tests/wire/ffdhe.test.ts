import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { FFDHE_PRIMES } from '../../src/wire/ffdhe.js';

/** p of an RFC 7919 group as built into the openssl binary (first INTEGER of the DHParameter DER). */
function opensslPrime(bits: number): Uint8Array {
  const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:ffdhe${bits}`], { encoding: 'utf8' });
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  // SEQUENCE { INTEGER p, INTEGER g, ... }: skip the SEQUENCE header, read p's length
  let i = 1;
  i += der[i]! & 0x80 ? 1 + (der[i]! & 0x7f) : 1;
  assert.equal(der[i], 0x02);
  i++;
  let len = der[i]!;
  if (len & 0x80) { const n = len & 0x7f; len = 0; for (let k = 0; k < n; k++) len = (len << 8) | der[i + 1 + k]!; i += n; }
  i++;
  let p = der.subarray(i, i + len);
  if (p[0] === 0) p = p.subarray(1);
  return new Uint8Array(p);
}

test('the RFC 7919 primes equal the groups built into openssl', () => {
  const sizes = new Map([[256, 2048], [257, 3072], [258, 4096], [259, 6144], [260, 8192]]);
  assert.deepEqual([...FFDHE_PRIMES.keys()], [...sizes.keys()]);
  for (const [code, bits] of sizes) {
    const p = FFDHE_PRIMES.get(code)!;
    assert.equal(p.length * 8, bits);
    assert.deepEqual(p, opensslPrime(bits), `ffdhe${bits}`);
  }
});

/** floor(2^bits * e), by e = sum of 1/k! in fixed point with 64 guard bits. */
function eScaled(bits: number): bigint {
  const guard = 64n;
  let term = 1n << (BigInt(bits) + guard), sum = 0n;
  for (let k = 1n; term > 0n; k++) { sum += term; term /= k; }
  return sum >> guard;
}

test('the RFC 7919 primes equal the RFC formula, with e computed here', () => {
  // RFC 7919 Appendix A: p = 2^b - 2^{b-64} + {[2^{b-130} e] + X } * 2^64 - 1.
  const X = new Map([[256, 560316n], [257, 2625351n], [258, 5736041n], [259, 15705020n], [260, 10965728n]]);
  for (const [code, x] of X) {
    const p = FFDHE_PRIMES.get(code)!;
    const b = BigInt(p.length * 8);
    const want = (1n << b) - (1n << (b - 64n)) + (eScaled(Number(b) - 130) + x) * (1n << 64n) - 1n;
    assert.equal(Buffer.from(p).toString('hex'), want.toString(16), `group ${code}`);
  }
});
