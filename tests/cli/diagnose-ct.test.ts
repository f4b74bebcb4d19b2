/**
 * diagnose and Certificate Transparency: a chain to a root in the system
 * store (SSL_CERT_FILE names the test PKI's root, as it would a corporate
 * bundle) counts as public, so Chrome, Safari and Apple platforms want SCTs.
 * nginx with a leaf that has none; openssl s_server with the same leaf and
 * three SCTs in the TLS extension (-serverinfo), which only a hello of our
 * own asks for; a leaf with three embedded. SCTs are framed here, not signed
 * by real logs (none is reachable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePki, serve } from '../support/pki.js';
import { startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';
import { sct, sctList } from '../support/sct.js';
import { tempDir } from '../support/tmp.js';

const pki = makePki('CT');

async function diagnose(port: number, error?: string) {
  const saved = process.env.SSL_CERT_FILE;
  process.env.SSL_CERT_FILE = pki.rootFile;
  try {
    const r = await runCli(['diagnose', `https://ct.test:${port}`, '--resolve', `ct.test:${port}:127.0.0.1`, '--no-revocation', '--json', ...(error ? ['--error', error] : [])]);
    return JSON.parse(r.stdout) as { ok: boolean; verdict: string; causes: { id: string }[]; findings: { id: string; evidence?: Record<string, unknown> }[]; errorText: { confirmed: string[] } | null; trust: { publiclyTrusted: boolean } };
  } finally {
    if (saved === undefined) delete process.env.SSL_CERT_FILE; else process.env.SSL_CERT_FILE = saved;
  }
}

test('diagnose: a public certificate without SCTs is the verdict, and Chrome\'s ERR_CERTIFICATE_TRANSPARENCY_REQUIRED is confirmed; SCTs in the TLS extension or embedded satisfy it', async () => {
  const bare = pki.leaf({ cn: 'ct.test', scts: 0 });
  const s = await serve(pki, bare, [pki.int], 'nginx');
  const r = await diagnose(s.port, 'net::ERR_CERTIFICATE_TRANSPARENCY_REQUIRED');
  assert.equal(r.trust.publiclyTrusted, true);
  assert.equal(r.ok, false);
  assert.deepEqual(r.causes.map((c) => c.id), ['ct-required']);
  assert.deepEqual(r.findings.find((f) => f.id === 'certificate.sct-insufficient')?.evidence, { embedded: 0, tls: 0, ocsp: 0, distinctLogs: 0, required: 3, lifetimeDays: 367 });
  assert.deepEqual(r.errorText?.confirmed, ['ct-required']);

  // The same leaf, three SCTs from distinct logs in the TLS extension (s_server -serverinfo).
  const dir = tempDir('tlsdoctor-ct-');
  const l = sctList(sct(1, Date.now()), sct(2, Date.now()), sct(3, Date.now()));
  const ext = Buffer.concat([Buffer.from([0, 18, l.length >> 8, l.length & 0xff]), l]);
  const serverinfo = join(dir, 'serverinfo.pem');
  writeFileSync(serverinfo, `-----BEGIN SERVERINFO FOR ct-----\n${ext.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END SERVERINFO FOR ct-----\n`);
  const o = await startOpenSSLServer({ cert: bare.cert, key: bare.key, chain: pki.int.cert, args: ['-serverinfo', serverinfo] });
  const viaTls = await diagnose(o.port);
  assert.ok(!viaTls.findings.some((f) => f.id === 'certificate.sct-insufficient'), JSON.stringify(viaTls.findings.map((f) => f.id)));
  assert.equal(viaTls.ok, true, viaTls.verdict);

  const logged = await serve(pki, pki.leaf({ cn: 'ct.test', scts: 3 }), [pki.int], 'nginx');
  const embedded = await diagnose(logged.port);
  assert.equal(embedded.ok, true, embedded.verdict);
});

test('diagnose of a TLS 1.3-only server: its SCTs of the TLS extension come from the leaf entry of a TLS 1.3 handshake of ours (s_server -serverinfo, SERVERINFOV2); without them, CT is required', async () => {
  const bare = pki.leaf({ cn: 'ct.test', scts: 0 });
  const dir = tempDir('tlsdoctor-ct13-');
  const l = sctList(sct(4, Date.now()), sct(5, Date.now()), sct(6, Date.now()));
  // SSL_EXT_TLS1_3_CERTIFICATE (0x1000): the extension goes in the leaf's CertificateEntry.
  const ext = Buffer.concat([Buffer.from([0, 0, 0x10, 0, 0, 18, l.length >> 8, l.length & 0xff]), l]);
  const serverinfo = join(dir, 'serverinfo13.pem');
  writeFileSync(serverinfo, `-----BEGIN SERVERINFOV2 FOR ct-----\n${ext.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END SERVERINFOV2 FOR ct-----\n`);
  const withScts = await startOpenSSLServer({ cert: bare.cert, key: bare.key, chain: pki.int.cert, args: ['-tls1_3', '-serverinfo', serverinfo] });
  const ok = await diagnose(withScts.port);
  assert.equal(ok.trust.publiclyTrusted, true);
  assert.ok(!ok.findings.some((f) => f.id === 'certificate.sct-insufficient'), JSON.stringify(ok.findings.map((f) => f.id)));
  assert.equal(ok.ok, true, ok.verdict);

  const without = await startOpenSSLServer({ cert: bare.cert, key: bare.key, chain: pki.int.cert, args: ['-tls1_3'] });
  const r = await diagnose(without.port);
  assert.equal(r.ok, false);
  assert.deepEqual(r.causes.map((c) => c.id), ['ct-required']);
  assert.deepEqual(r.findings.find((f) => f.id === 'certificate.sct-insufficient')?.evidence, { embedded: 0, tls: 0, ocsp: 0, distinctLogs: 0, required: 3, lifetimeDays: 367 });
});
