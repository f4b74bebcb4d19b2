/**
 * Stapled OCSP: responses made by `openssl ocsp` (good / revoked), stapled by
 * openssl s_server -status_file, read through a real node:tls handshake.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { makePki, trustOf, type Pki } from '../support/pki.js';
import { startOpenSSLServer } from '../support/servers.js';
import { parseOcspResponse, stapleVerdict } from '../../src/x509/ocsp.js';
import { assess } from '../../src/assess/index.js';
import type { CertFiles } from '../support/certs.js';
import { describeCertificate } from '../../src/x509/describe.js';
import { pemToDers } from '../../src/x509/cert.js';

const pki: Pki = makePki('Ocsp');

function ocspResponse(leaf: CertFiles, status: 'V' | 'R'): string {
  const dir = pki.f.dir;
  const serial = describeCertificate(pemToDers(leaf.pem)[0], 0).serialNumber.toUpperCase();
  const exp = '301231000000Z', rev = '240101000000Z';
  const idx = join(dir, `idx-${serial}-${status}.txt`);
  writeFileSync(idx, `${status}\t${exp}\t${status === 'R' ? `${rev},keyCompromise` : ''}\t${serial}\tunknown\t/CN=x\n`);
  const req = join(dir, `req-${serial}-${status}.der`), resp = join(dir, `resp-${serial}-${status}.der`);
  execFileSync('openssl', ['ocsp', '-issuer', pki.int.cert, '-cert', leaf.cert, '-reqout', req, '-no_nonce'], { stdio: 'ignore' });
  execFileSync('openssl', ['ocsp', '-index', idx, '-rsigner', pki.int.cert, '-rkey', pki.int.key, '-CA', pki.int.cert, '-reqin', req, '-respout', resp, '-ndays', '1'], { stdio: 'ignore' });
  return resp;
}

test('ocsp: a revoked staple from openssl s_server -> certificate.revoked-or-unknown (critical)', async () => {
  const leaf = pki.leaf({ cn: 'revoked.test' });
  const resp = ocspResponse(leaf, 'R');
  const chain = pki.f.bundle('ocsp-int.pem', pki.int);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain, args: ['-status_file', resp] });
  const { trust } = await trustOf(s, 'revoked.test', { stores: [pki.systemStore] });
  assert.equal(trust.ocsp.status, 'revoked');
  assert.equal(trust.ocsp.single?.revocationReason, 'keyCompromise');
  assert.equal(trust.ocsp.single?.revocationTime, '2024-01-01T00:00:00.000Z');
  const r = assess({ protocols: [] }, { host: 'revoked.test', trust });
  assert.deepEqual(r.findings.map((f) => [f.id, f.severity]), [['certificate.revoked-or-unknown', 'critical']]);
  assert.ok(r.grade.caps.some((c) => c.grade === 'F' && /revoked/.test(c.reason)));
});

test('ocsp: a good staple -> no finding', async () => {
  const leaf = pki.leaf({ cn: 'good-ocsp.test' });
  const resp = ocspResponse(leaf, 'V');
  const chain = pki.f.bundle('ocsp-int2.pem', pki.int);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain, args: ['-status_file', resp] });
  const { trust } = await trustOf(s, 'good-ocsp.test', { stores: [pki.systemStore] });
  assert.equal(trust.ocsp.status, 'good');
  assert.deepEqual(assess({ protocols: [] }, { host: 'good-ocsp.test', trust }).findings, []);
});

test('ocsp: staple about another certificate, and garbage, are reported, never thrown', () => {
  const other = pki.leaf({ cn: 'other.test' });
  const der = readFileSync(ocspResponse(other, 'V'));
  assert.equal(parseOcspResponse(der).responseStatus, 'successful');
  assert.equal(stapleVerdict(der, 'ffff').status, 'error');
  assert.equal(stapleVerdict(Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]), '01').status, 'error'); // malformedRequest
  assert.equal(stapleVerdict(null, '01').status, 'none');
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => { assert.ok(['error', 'none'].includes(stapleVerdict(b, '01').status)); }));
  fc.assert(fc.property(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 }), (pos, v) => {
    const m = Buffer.from(der); m[pos] = v;
    assert.equal(typeof stapleVerdict(m, '01').status, 'string');
  }), { numRuns: 400 });
});
