/**
 * Grades from the real scan engine (src/scan/run.ts) on real servers: the
 * full path a `scan` takes — wire-level probes, chain from the wire, trust
 * report, assess. GnuTLS serves the 3DES configuration (Debian's OpenSSL 3
 * has no 3DES).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePki, serve, type Pki } from '../support/pki.js';
import { startGnuTLSServer, type RunningServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { createHash } from 'node:crypto';
import { analyseScanTrust, analyseTrust } from '../../src/x509/trust.js';
import { assess, assessScanResult } from '../../src/assess/index.js';

const pki: Pki = makePki('ScanGrade');
const rsa = pki.leaf({ cn: 'scan.test', key: 'rsa2048' });

async function scanAndAssess(s: RunningServer) {
  const result = await scanEndpoint({ host: 'scan.test', port: s.port, address: '127.0.0.1', sni: 'scan.test' }, { concurrency: 8 });
  const trust = await analyseScanTrust(result, { stores: [pki.systemStore] });
  return { result, trust, ...assess(result, { host: 'scan.test', trust }) };
}

test('scan + assess: gnutls-serv with 3DES and TLS 1.0-1.2 -> C (64-bit block cap), cipher.3des, protocol findings', async () => {
  const chain = pki.f.bundle('gnutls-chain.pem', rsa, pki.int);
  const s = await startGnuTLSServer({
    cert: chain, key: rsa.key,
    priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-GCM:+3DES-CBC:+AEAD:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE',
  });
  const { grade, findings, trust } = await scanAndAssess(s);
  assert.equal(trust.trusted, true);
  assert.equal(grade.grade, 'C');
  assert.ok(grade.caps.some((c) => c.grade === 'C' && /64-bit block/.test(c.reason)), JSON.stringify(grade.caps));
  assert.ok(grade.caps.some((c) => c.grade === 'B' && /TLS 1\.0 and TLS 1\.1/.test(c.reason)));
  const ids = findings.map((f) => f.id);
  for (const id of ['cipher.3des', 'protocol.tls10-enabled', 'protocol.tls11-enabled', 'protocol.no-tls13', 'cipher.static-rsa']) assert.ok(ids.includes(id), `${id} in ${ids}`);
  assert.ok(!ids.some((id) => id.startsWith('certificate.')), ids.join());
});

// A modern configuration as it is deployed: AEAD suites and a year of HSTS.
const MODERN = ['ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305;', 'add_header Strict-Transport-Security "max-age=31536000" always;'];

test('scan + assess: modern nginx with a year of HSTS, trusted chain -> A+, no cap, no finding; without the header, A and http.no-hsts', async () => {
  const ec = pki.leaf({ cn: 'scan.test' });
  const s = await serve(pki, ec, [pki.int], 'nginx', MODERN);
  const { grade, findings, result } = await scanAndAssess(s);
  assert.equal(result.http?.hsts?.maxAge, 31536000);
  assert.equal(grade.grade, 'A+');
  assert.deepEqual(grade.caps, []);
  assert.deepEqual(findings.map((f) => f.id), []);
  const bare = await scanAndAssess(await serve(pki, ec, [pki.int], 'nginx', MODERN.slice(0, 1)));
  assert.equal(bare.grade.grade, 'A');
  assert.deepEqual(bare.findings.map((f) => f.id), ['http.no-hsts']);
});

test('scan + assess: a publicly trusted leaf without SCTs (Certificate Transparency) -> certificate.sct-insufficient, the grade unchanged', async () => {
  const unlogged = pki.leaf({ cn: 'scan.test', scts: 0 });
  const s = await serve(pki, unlogged, [pki.int], 'nginx', MODERN);
  const { grade, findings, result } = await scanAndAssess(s);
  assert.equal(result.features?.sctExtension, false);
  assert.equal(result.certificates[0]!.scts, undefined);
  assert.deepEqual(findings.map((f) => f.id), ['certificate.sct-insufficient']);
  // Valid from a day ago to 365 days ahead: 366 days and a second, inclusive, which Apple counts as 367.
  assert.deepEqual(findings[0]!.evidence, { embedded: 0, tls: 0, ocsp: 0, distinctLogs: 0, required: 3, lifetimeDays: 367 });
  assert.equal(grade.grade, 'A+');
  // The same leaf logged twice only: short of three for a certificate valid over 180 days.
  const twice = pki.leaf({ cn: 'scan.test', scts: 2 });
  const s2 = await serve(pki, twice, [pki.int], 'nginx', MODERN);
  const two = await scanAndAssess(s2);
  assert.equal(two.result.certificates[0]!.scts?.length, 2);
  assert.deepEqual(two.findings.map((f) => [f.id, f.evidence?.distinctLogs]), [['certificate.sct-insufficient', 2]]);
});

test('assessScanResult: scan result in, findings + grade + trust out (what `scan` calls)', async () => {
  const ec = pki.leaf({ cn: 'scan.test' });
  const s = await serve(pki, ec, []);
  const result = await scanEndpoint({ host: 'scan.test', port: s.port, address: '127.0.0.1', sni: 'scan.test' }, { concurrency: 8 });
  const r = await assessScanResult(result, { stores: [pki.systemStore] });
  assert.equal(r.trust?.problem, 'incomplete-chain');
  assert.ok(r.findings.some((f) => f.id === 'certificate.incomplete-chain'));
  assert.equal(r.grade.grade, 'T');
  assert.equal(r.grade.gradeIgnoringTrust, 'B');
});

test('assessScanResult takes the trust report started during the scan (onChain) only when it covers the same chain and host', async () => {
  const ec = pki.leaf({ cn: 'scan.test' });
  const s = await serve(pki, ec, [pki.int]);
  let told: readonly Uint8Array[] | undefined;
  let calls = 0;
  const result = await scanEndpoint({ host: 'scan.test', port: s.port, address: '127.0.0.1', sni: 'scan.test' }, {
    concurrency: 8, onChain: (chain) => { told = chain; calls++; },
  });
  assert.equal(calls, 1, 'told once');
  const hex = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');
  assert.deepEqual(told!.map(hex), result.certificates.map((c) => c.sha256), 'the chain the result describes');
  const report = await analyseTrust({ chain: [...told!], host: 'scan.test' });
  const early = (o: { chain?: readonly Uint8Array[]; host?: string; trust?: Promise<typeof report> }) =>
    assessScanResult(result, { early: { chain: o.chain ?? told!, host: o.host ?? 'scan.test', trust: o.trust ?? Promise.resolve(report) } });
  assert.equal((await early({})).trust, report, 'same chain and host: the early report');
  for (const [why, r] of [
    ['another host', await early({ host: 'other.test' })],
    ['another chain', await early({ chain: told!.slice(0, 1) })],
    ['a failed early analysis', await early({ trust: Promise.reject(new Error('early analysis failed')) })],
  ] as const) {
    assert.notEqual(r.trust, report, why);
    assert.equal(r.trust?.problem, report.problem, `${why}: analysed again, to the same verdict`);
    assert.deepEqual(r.findings.map((f) => f.id), (await early({})).findings.map((f) => f.id));
  }
});
