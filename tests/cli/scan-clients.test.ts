/**
 * `scan --clients ... --require ...` end to end against a real TLS 1.2-only
 * server: the compatibility table, the remediation of each failing runtime,
 * the policy verdict, the JSON `clients` array and the exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { startOpenSSLServer } from '../support/servers.js';
import { CertFactory } from '../support/certs.js';

const f = new CertFactory();
const leaf = f.make({ cn: 'api.test', san: 'DNS:api.test', key: 'rsa2048' });
const tls12 = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-tls1_2'] });
const legacy = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-no_tls1_3', '-cipher', 'DEFAULT@SECLEVEL=0'] });

async function run(args: string[]) {
  let out = '', err = '';
  const stdout = new Writable({ write(c, _e, cb) { out += c; cb(); } });
  const stderr = new Writable({ write(c, _e, cb) { err += c; cb(); } });
  const code = await main(['node', 'tlsdoctor', ...args], { stdout, stderr });
  return { code, out, err };
}

test('scan --clients on a TLS 1.2-only API: .NET 4.5 defaults fail with the reason and the registry fix; --require TLSv1.2 is met', { timeout: 120_000 }, async () => {
  const r = await run(['scan', `127.0.0.1:${tls12.port}`, '--sni', 'api.test', '--clients', 'dotnet-4.5,dotnet-4.0,java-7,java-8', '--require', 'TLSv1.2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Client simulation \(1 of 4 connect\)/);
  assert.match(r.out, /\.NET Framework 4\.5 default \(Windows 7 SP1\)\s+FAIL\s+-\s+-\s+no common protocol: server requires TLSv1\.2, client offers at most TLSv1\.0/);
  assert.match(r.out, /Java 8 \(8u181\)\s+ok\s+TLSv1\.2\s+TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384/);
  assert.match(r.out, /\.NET Framework 4\.0 \(Windows 7 SP1\): Install \.NET Framework 4\.5 or later and set ServicePointManager\.SecurityProtocol = \(SecurityProtocolType\)3072/);
  assert.match(r.out, /Policy TLSv1\.2: met/);
});

test('scan --require TLSv1.2 on a TLS 1.0-1.2 server exits 1 and names the clients the policy cuts off; --json carries clients and policy', { timeout: 120_000 }, async () => {
  const r = await run(['scan', `127.0.0.1:${legacy.port}`, '--sni', 'api.test', '--clients', 'java', '--require', 'TLSv1.2']);
  assert.equal(r.code, 1);
  assert.match(r.out, /Policy TLSv1\.2: NOT met/);
  assert.match(r.out, /server accepts TLSv1\.0; the policy requires TLSv1\.2 or later/);
  assert.match(r.out, /Java 7 \(7u80\) \(java-7\): offers at most TLSv1\.0; the policy requires TLSv1\.2/);
  assert.doesNotMatch(r.out, /\(java-8\):/);

  const j = await run(['scan', `127.0.0.1:${legacy.port}`, '--sni', 'api.test', '--clients', 'java-6,java-17', '--require', 'TLSv1.2', '--json']);
  assert.equal(j.code, 1);
  const result = JSON.parse(j.out.trim().split('\n')[0]!) as {
    clients: { id: string; ok: boolean; protocol: string | null }[];
    policy: { policy: string; meets: boolean; violations: string[]; clientsCutOff: { id: string }[] };
  };
  assert.deepEqual(result.clients.map((c) => [c.id, c.ok, c.protocol]), [['java-6', true, 'TLSv1.0'], ['java-17', true, 'TLSv1.2']]);
  assert.equal(result.policy.policy, 'TLSv1.2');
  assert.equal(result.policy.meets, false);
  assert.ok(result.policy.violations.includes('server accepts TLSv1.0; the policy requires TLSv1.2 or later'));
  assert.deepEqual(result.policy.clientsCutOff.map((c) => c.id), ['java-6']);
});

test('scan with a bad --clients or --require exits 2 before scanning', async () => {
  const a = await run(['scan', `127.0.0.1:${tls12.port}`, '--clients', 'fortran']);
  assert.equal(a.code, 2);
  assert.match(a.err, /unknown client "fortran"/);
  const b = await run(['scan', `127.0.0.1:${tls12.port}`, '--require', 'TLSv1.2,no-idea']);
  assert.equal(b.code, 2);
  assert.match(b.err, /unknown policy term "no-idea"/);
});
