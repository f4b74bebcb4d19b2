/**
 * `tlsdoctor demo`, the README's first command: it starts its three servers in
 * this process (node:tls: modern, legacy, and one that leaves out its
 * intermediate, with a loopback AIA server), scans them with the real engine,
 * stops them, and ends with code 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';

test('demo: the three demo servers scanned (protocols, suites, checks, a grade), JSON lines valid, exit 0, nothing left running', async () => {
  const r = await runCli(['demo', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { target: { sni: string }; protocols: { version: string; supported: boolean }[]; features: { paddingOracle?: boolean | null; robot?: boolean | null }; findings: { id: string }[]; errors: unknown[] });
  assert.deepEqual(lines.map((l) => l.target.sni), ['modern.demo.test', 'legacy.demo.test', 'broken-chain.demo.test']);
  const [modern, legacy, broken] = lines as [typeof lines[0], typeof lines[0], typeof lines[0]];
  assert.deepEqual(modern.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.2', 'TLSv1.3']);
  assert.ok(legacy.protocols.some((p) => p.version === 'TLSv1.0' && p.supported), 'the legacy server speaks TLS 1.0');
  assert.ok(legacy.findings.some((f) => f.id === 'protocol.tls10-enabled'), legacy.findings.map((f) => f.id).join(' '));
  // The demo servers answer a request only once it comes, as HTTPS servers do: the padding-oracle
  // check sees their reactions (node:tls: bad_record_mac for every bad record).
  assert.ok(lines.some((l) => l.features.paddingOracle === false), JSON.stringify(lines.map((l) => l.features.paddingOracle)));
  assert.deepEqual(lines.flatMap((l) => l.errors), []);
  // The modern server sends a year of HSTS: A+; the legacy one none (http.no-hsts).
  const graded = lines as unknown as { grade: { grade: string }; http?: { hsts: { maxAge: number } | null } }[];
  assert.deepEqual(graded.map((l) => [l.grade.grade, l.http?.hsts?.maxAge ?? null]), [['A+', 31536000], ['B', null], ['B', null]], JSON.stringify(graded.map((l) => l.http)));
  assert.ok(legacy.findings.some((f) => f.id === 'http.no-hsts'));
  // The broken chain: the intermediate is fetched from the demo's AIA server, and the simulated
  // clients that do not fetch it (Java, Python, OpenSSL) fail, those that do (.NET, Chrome) connect.
  assert.ok(broken.findings.some((f) => f.id === 'certificate.incomplete-chain'), broken.findings.map((f) => f.id).join(' '));
  const clients = new Map((broken as unknown as { clients: { id: string; ok: boolean; reason: string | null }[] }).clients.map((c) => [c.id, c]));
  for (const id of ['java-8', 'python-3.11', 'openssl-1.0.1']) {
    assert.equal(clients.get(id)!.ok, false, id);
    assert.match(clients.get(id)!.reason!, /does not send the intermediate CN=tlsdoctor demo issuing CA/);
  }
  for (const id of ['dotnet-4.7-win10', 'chrome-current']) {
    assert.equal(clients.get(id)!.ok, true, id);
    assert.match(clients.get(id)!.reason!, /fetches the missing intermediate from http:\/\/127\.0\.0\.1:\d+\/issuing-ca\.der/);
  }
});

test('demo: the human report names the three servers, a grade each, and what to do next', async () => {
  const r = await runCli(['demo', '--no-color']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SNI modern\.demo\.test/);
  assert.match(r.stdout, /SNI legacy\.demo\.test/);
  assert.match(r.stdout, /SNI broken-chain\.demo\.test/);
  assert.equal((r.stdout.match(/^Grade +[A-FTM]/gm) ?? []).length, 3, r.stdout);
  assert.match(r.stdout, /Next: tlsdoctor scan your\.api\.example:443/);
});
