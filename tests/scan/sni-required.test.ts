/**
 * A server that answers only a hello naming it: nginx whose default server
 * has `ssl_reject_handshake on` (it answers unrecognized_name), scanned by
 * address without a name, then with --sni. Real nginx, a certificate made now
 * (its protocols are the default server's: nginx takes them from there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertFactory } from '../support/certs.js';
import { startNginx } from '../support/servers.js';
import { runCli } from '../support/cli.js';

test('nginx with ssl_reject_handshake in its default server: scanned by address, handshake.sni-required says to name it; with --sni localhost, its suites', async () => {
  const c = new CertFactory().make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'], defaultServer: ['ssl_reject_handshake on;', 'ssl_protocols TLSv1.2 TLSv1.3;'] });
  const bare = await runCli(['scan', `127.0.0.1:${s.port}`, '--no-clients', '--json']);
  const r = JSON.parse(bare.stdout) as { protocols: { supported: boolean }[]; findings: { id: string; detail: string; evidence?: { alerts?: string } }[]; errors: { code?: string }[] };
  assert.ok(r.protocols.every((p) => !p.supported));
  assert.deepEqual(r.findings.map((f) => f.id), ['handshake.sni-required']);
  assert.match(r.findings[0]!.detail, /answers unrecognized_name to a hello without SNI .*give --sni NAME$/);
  assert.match(r.findings[0]!.evidence!.alerts!, /TLSv1\.2: alert unrecognized_name/);
  assert.deepEqual(r.errors.map((e) => e.code), ['sni-required']);
  const text = await runCli(['scan', `127.0.0.1:${s.port}`, '--no-clients']);
  assert.doesNotMatch(text.stdout, /No problems found/);

  const named = JSON.parse((await runCli(['scan', `127.0.0.1:${s.port}`, '--sni', 'localhost', '--no-clients', '--json'])).stdout) as { protocols: { version: string; supported: boolean }[]; findings: { id: string }[] };
  assert.deepEqual(named.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.2', 'TLSv1.3']);
  assert.ok(!named.findings.some((f) => f.id === 'handshake.sni-required'));

  // diagnose of a URL that names the address: that is the verdict, and a Java client's error points to it.
  const d = await runCli(['diagnose', `https://127.0.0.1:${s.port}`, '--no-revocation', '--json', '--error', 'javax.net.ssl.SSLHandshakeException: Received fatal alert: unrecognized_name']);
  const report = JSON.parse(d.stdout) as { ok: boolean; verdict: string; causes: { id: string }[]; errorText: { causes: string[] } | null };
  assert.equal(report.ok, false);
  assert.match(report.verdict, /^the server answers only clients that send its name \(SNI\): 127\.0\.0\.1:\d+ answered the handshake with unrecognized_name: the URL names an address/);
  assert.deepEqual(report.causes.map((c) => c.id), ['sni-required']);
  // By name, the same server is fine.
  const byName = JSON.parse((await runCli(['diagnose', `https://localhost:${s.port}`, '--no-revocation', '--json'])).stdout) as { verdict: string };
  assert.doesNotMatch(byName.verdict, /SNI/);
});
