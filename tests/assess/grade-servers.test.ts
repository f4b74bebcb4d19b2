/**
 * Grades of real server configurations (openssl s_server, nginx, node:tls):
 * protocols and suites probed with real handshakes, the certificate chain
 * judged from a real handshake; one configuration per cap (docs/grading.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makePki, serve, trustOf, type Pki } from '../support/pki.js';
import { probeProtocols } from '../support/node-probe.js';
import { startNodeTLSServer, type RunningServer } from '../support/servers.js';
import { assess } from '../../src/assess/index.js';
import type { Grade } from '../../src/scan/types.js';

const pki: Pki = makePki('Grade');
const rsa = pki.leaf({ cn: 'grade.test', key: 'rsa2048' });
const ec = pki.leaf({ cn: 'grade.test' });

async function gradeOf(s: RunningServer, host = 'grade.test'): Promise<{ grade: Grade; ids: string[] }> {
  const protocols = await probeProtocols(s.host, s.port, host);
  const { trust } = await trustOf(s, host, { stores: [pki.systemStore] });
  const r = assess({ protocols }, { host, trust });
  return { grade: r.grade, ids: r.findings.map((f) => f.id) };
}
const capGrades = (g: Grade) => g.caps.map((c) => c.grade).sort();

const LEGACY = ['-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:@SECLEVEL=0', '-min_protocol', 'TLSv1'];

test('grade: modern nginx (TLS 1.2+1.3, ECDHE-ECDSA-GCM, P-256): A without caps', async () => {
  const s = await serve(pki, ec, [pki.int], 'nginx', ['ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;']);
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'A');
  assert.equal(grade.gradeIgnoringTrust, 'A');
  assert.deepEqual(grade.caps, []);
  assert.deepEqual(ids, []);
  assert.deepEqual(grade.scores, { protocol: 100, keyExchange: 90, cipher: 90 });
});

test('grade: TLS 1.0 and 1.1 enabled (openssl s_server): capped at B', async () => {
  const s = await serve(pki, rsa, [pki.int], 'openssl', LEGACY);
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'B');
  assert.deepEqual(grade.caps, [{ grade: 'B', reason: 'TLS 1.0 and TLS 1.1 supported' }]);
  assert.ok(ids.includes('protocol.tls10-enabled') && ids.includes('protocol.tls11-enabled'));
});

test('grade: no TLS 1.2 (openssl s_server, TLS 1.0/1.1 only): capped at C', async () => {
  const s = await serve(pki, rsa, [pki.int], 'openssl', ['-no_tls1_2', '-no_tls1_3', ...LEGACY]);
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'C');
  assert.deepEqual(capGrades(grade), ['A-', 'B', 'C']);
  assert.ok(grade.caps.some((c) => c.grade === 'C' && c.reason === 'TLS 1.2 is not supported'));
  assert.ok(ids.includes('protocol.no-tls12') && ids.includes('cipher.no-aead'));
});

test('grade: static RSA key exchange only (openssl s_server): no forward secrecy caps at B', async () => {
  const s = await serve(pki, rsa, [pki.int], 'openssl', ['-tls1_2', '-cipher', 'AES128-GCM-SHA256:AES256-SHA']);
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'B');
  assert.deepEqual(grade.caps, [{ grade: 'B', reason: 'no forward secrecy' }]);
  assert.ok(ids.includes('cipher.no-forward-secrecy'));
});

test('grade: 1024-bit DHE parameters (openssl s_server -dhparam): capped at B, cipher.weak-dh', async () => {
  const dh = join(pki.f.dir, 'dh1024.pem');
  execFileSync('openssl', ['dhparam', '-out', dh, '1024'], { stdio: 'ignore' });
  const s = await serve(pki, rsa, [pki.int], 'openssl', ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', '-dhparam', dh]);
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'B');
  assert.deepEqual(grade.caps, [{ grade: 'B', reason: 'Diffie-Hellman parameters of 1024 bits (below 2048)' }]);
  assert.ok(ids.includes('cipher.weak-dh'));
});

test('grade: RSA 1024 certificate (node:tls): capped at B', async () => {
  const weak = pki.leaf({ cn: 'grade.test', key: 'rsa1024' });
  const s = await startNodeTLSServer({ cert: weak.pem + pki.int.pem, key: weak.keyPem, minVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0' });
  const { grade, ids } = await gradeOf(s);
  assert.equal(grade.grade, 'B');
  assert.ok(grade.caps.some((c) => c.grade === 'B' && /RSA 1024/.test(c.reason)));
  assert.ok(ids.includes('certificate.weak-key'));
});

test('grade: self-signed certificate (nginx): T, and A when trust is ignored', async () => {
  const self = pki.f.make({ cn: 'grade.test', san: 'DNS:grade.test' });
  const s = await serve(pki, self, [], 'nginx');
  const { grade } = await gradeOf(s);
  assert.equal(grade.grade, 'T');
  assert.equal(grade.gradeIgnoringTrust, 'A');
  assert.deepEqual(grade.caps, [{ grade: 'T', reason: 'self-signed certificate' }]);
});

test('grade: name mismatch (node:tls): M, and A when ignored', async () => {
  const s = await serve(pki, ec, [pki.int]);
  const { grade } = await gradeOf(s, 'other.test');
  assert.equal(grade.grade, 'M');
  assert.equal(grade.gradeIgnoringTrust, 'A');
  assert.deepEqual(grade.caps, [{ grade: 'M', reason: 'certificate name mismatch' }]);
});

test('grade: incomplete chain (node:tls, leaf only): T, B when trust is ignored', async () => {
  const s = await serve(pki, ec, []);
  const { grade } = await gradeOf(s);
  assert.equal(grade.grade, 'T');
  assert.equal(grade.gradeIgnoringTrust, 'B');
  assert.deepEqual(grade.caps, [{ grade: 'B', reason: 'incomplete certificate chain' }, { grade: 'T', reason: 'incomplete chain: no path to a trusted root' }]);
});
