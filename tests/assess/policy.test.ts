/**
 * --require policies: parsing (property-tested), and evaluation against real
 * scans of real servers: does the server meet the policy, which client
 * profiles would it cut off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy, evaluatePolicy, policyAllows } from '../../src/assess/policy.js';
import { UsageError } from '../../src/util/errors.js';
import { CLIENT_PROFILES } from '../../src/registry/clients/index.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { startOpenSSLServer } from '../support/servers.js';
import { CertFactory } from '../support/certs.js';

test('parsePolicy: versions, rules and aliases; bad terms are UsageErrors', () => {
  assert.deepEqual(parsePolicy('TLSv1.2'), { minVersion: 'TLSv1.2', rules: [], text: 'TLSv1.2' });
  assert.deepEqual(parsePolicy('TLSv1.2,no-cbc'), { minVersion: 'TLSv1.2', rules: ['no-cbc'], text: 'TLSv1.2,no-cbc' });
  assert.deepEqual(parsePolicy(' tls1.3 , forward-secrecy,pfs '), { minVersion: 'TLSv1.3', rules: ['pfs'], text: 'TLSv1.3,pfs' });
  assert.equal(parsePolicy('TLSv1.2+').minVersion, 'TLSv1.2');
  assert.deepEqual(parsePolicy('no-3des,no-rc4').rules, ['no-3des', 'no-rc4']);
  assert.throws(() => parsePolicy(''), UsageError);
  assert.throws(() => parsePolicy('TLSv1.2,no-idea'), /unknown policy term "no-idea"/);
  assert.throws(() => parsePolicy('TLSv1.2,TLSv1.3'), /two protocol versions/);
});

test('parsePolicy on arbitrary input returns a policy or throws UsageError', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
    try {
      const p = parsePolicy(s);
      assert.ok(p.minVersion !== null || p.rules.length > 0);
    } catch (e) {
      assert.ok(e instanceof UsageError, String(e));
    }
  }), { numRuns: 300 });
});

test('policyAllows judges a (version, suite) pair', () => {
  const p = parsePolicy('TLSv1.2,no-cbc');
  assert.equal(policyAllows(p, 'TLSv1.0', 0xc02f), false);
  assert.equal(policyAllows(p, 'TLSv1.2', 0xc013), false);
  assert.equal(policyAllows(p, 'TLSv1.2', 0xc02f), true);
  assert.equal(policyAllows(p, 'TLSv1.3', 0x1301), true);
  assert.equal(policyAllows(parsePolicy('pfs'), 'TLSv1.2', 0x009c), false);
  assert.equal(policyAllows(parsePolicy('pfs'), 'TLSv1.3', 0x1302), true);
});

const f = new CertFactory();
const leaf = f.make({ cn: 'policy.test', san: 'DNS:policy.test', key: 'rsa2048' });
const ep = (port: number) => ({ host: 'policy.test', port, address: '127.0.0.1', sni: 'policy.test' });

test('a TLS 1.0-1.2 server with CBC suites: TLSv1.2 is violated, the TLS 1.0-only runtimes are the ones cut off', { timeout: 120_000 }, async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0'] });
  const scan = await scanEndpoint(ep(s.port), { timeoutMs: 4000, skipGroups: true });
  const v12 = evaluatePolicy(scan, parsePolicy('TLSv1.2'), CLIENT_PROFILES);
  assert.equal(v12.meets, false);
  assert.ok(v12.violations.some((v) => /^server accepts TLSv1\.0; the policy requires TLSv1\.2 or later$/.test(v)), v12.violations.join('\n'));
  for (const id of ['dotnet-4.5', 'dotnet-4.7-win7', 'java-7', 'python-2.7.8', 'openssl-0.9.8', 'android-4.4', 'windows-7-schannel']) {
    assert.ok(v12.clientsCutOff.includes(id), `${id} cut off by TLSv1.2`);
  }
  for (const id of ['java-8', 'dotnet-4.6', 'python-3.11', 'chrome-current']) assert.ok(!v12.clientsCutOff.includes(id), id);
  assert.match(v12.cutOffReasons.find((c) => c.id === 'java-7')!.reason, /offers at most TLSv1\.0; the policy requires TLSv1\.2/);

  const noCbc = evaluatePolicy(scan, parsePolicy('TLSv1.2,no-cbc'), CLIENT_PROFILES);
  assert.equal(noCbc.meets, false);
  assert.ok(noCbc.violations.some((v) => /CBC-mode suites at TLSv1\.2 \(policy no-cbc\): .*TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA/.test(v)), noCbc.violations.join('\n'));
  // Windows 7 with TLS 1.2 has no ECDHE-RSA-GCM: its only common suites are CBC, so no-cbc cuts it off too.
  assert.ok(noCbc.clientsCutOff.includes('dotnet-4.5-tls12'), noCbc.clientsCutOff.join(','));
  assert.match(noCbc.cutOffReasons.find((c) => c.id === 'dotnet-4.5-tls12')!.reason, /are forbidden by TLSv1\.2,no-cbc/);
  assert.ok(!noCbc.clientsCutOff.includes('dotnet-4.7-win10'));
});

test('a TLS 1.2/1.3 AEAD-only server meets TLSv1.2,no-cbc and cuts nobody off', { timeout: 120_000 }, async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-no_tls1', '-no_tls1_1', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384'] });
  const scan = await scanEndpoint(ep(s.port), { timeoutMs: 4000, skipGroups: true });
  const r = evaluatePolicy(scan, parsePolicy('TLSv1.2,no-cbc'), CLIENT_PROFILES);
  assert.deepEqual(r.violations, []);
  assert.equal(r.meets, true);
  assert.deepEqual(r.clientsCutOff, []);
});
