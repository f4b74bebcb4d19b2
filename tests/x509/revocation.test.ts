/**
 * Revocation asked of the CA: a real OCSP responder (`openssl ocsp`) and CRLs
 * made by `openssl ca -gencrl`, served by a node:http server, for
 * certificates made at test time whose AIA and CRL distribution points name
 * them. Then `diagnose` and `scan --check-revocation` against openssl
 * s_server with those certificates.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { closedPort, freePort, startOpenSSLServer } from '../support/servers.js';
import { spawn } from 'node:child_process';
import { checkRevocation, crlAnswer, ocspAnswer, parseCrl } from '../../src/x509/revocation.js';
import { parseCertificate, pemToDers } from '../../src/x509/cert.js';
import { WireError } from '../../src/util/errors.js';
import { runCli } from '../pinning/support.js';
import { indexLine, makeCrl, serialOf } from '../support/ca-database.js';

const f = new CertFactory();
const dir = f.dir;
const der = (c: CertFiles) => pemToDers(c.pem)[0]!;
/** A real OCSP responder: openssl ocsp over an index, signed by `signer` (the CA or a delegated responder). */
async function startOcsp(port: number, index: string, ca: CertFiles, signer: CertFiles): Promise<void> {
  const idx = join(dir, `ocsp-${port}.index`);
  writeFileSync(idx, index);
  // -timeout: a connection that sends no request is dropped after a second instead of holding
  // this single-threaded responder. Ready once it says it waits (a probe connection would hold it).
  const child = spawn('openssl', ['ocsp', '-index', idx, '-port', String(port), '-rsigner', signer.cert, '-rkey', signer.key, '-CA', ca.cert, '-ignore_err', '-timeout', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  after(() => { child.kill('SIGKILL'); });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${said}`)), 10_000);
    const on = (d: Buffer) => { said += d; if (/waiting for OCSP client connections/.test(said)) { clearTimeout(timer); resolve(); } };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`openssl ocsp exited with ${code}: ${said}`)); });
  });
}

// The PKI: a CA, a revoked leaf, a good leaf, one whose servers are down, one without any URL.
const ports = { crl: await freePort(), ocsp: await freePort(), down: await closedPort(), delegated: await freePort() };
const ca = f.make({ cn: 'Revocation Test CA', ca: true, key: 'rsa2048' });
const other = f.make({ cn: 'Revocation Test CA', ca: true, key: 'rsa2048' }); // same name, another key: a forger
const urls = (ocspPort: number, crlPath: string) => [
  `crlDistributionPoints=URI:http://127.0.0.1:${ports.crl}/${crlPath}`, `authorityInfoAccess=OCSP;URI:http://127.0.0.1:${ocspPort}/`,
];
const leafOpts = (cn: string, extra: string[]) => ({ cn, key: 'ec256' as const, san: `DNS:${cn},IP:127.0.0.1`, issuer: ca, extra });
const revoked = f.make(leafOpts('revoked.test', urls(ports.ocsp, 'ca.crl')));
const good = f.make(leafOpts('good.test', urls(ports.ocsp, 'ca.crl')));
const down = f.make(leafOpts('down.test', [`crlDistributionPoints=URI:http://127.0.0.1:${ports.down}/ca.crl,URI:http://127.0.0.1:${ports.crl}/missing.crl`, `authorityInfoAccess=OCSP;URI:http://127.0.0.1:${ports.down}/`]));
const bare = f.make(leafOpts('bare.test', []));
const forged = f.make(leafOpts('forged.test', [`crlDistributionPoints=URI:http://127.0.0.1:${ports.crl}/forged.crl`]));
const delegatedLeaf = f.make(leafOpts('delegated.test', [`authorityInfoAccess=OCSP;URI:http://127.0.0.1:${ports.delegated}/`]));
const responder = f.make({ cn: 'OCSP Responder', key: 'rsa2048', issuer: ca, eku: 'OCSPSigning' });

const index = indexLine(revoked, 'revoked.test', 'keyCompromise') + indexLine(good, 'good.test') + indexLine(delegatedLeaf, 'delegated.test', 'superseded');
const crls: Record<string, Buffer> = {
  '/ca.crl': makeCrl(dir, 'ca', index, ca),
  '/forged.crl': makeCrl(dir, 'forged', indexLine(forged, 'forged.test', 'keyCompromise'), other),
};
const server = http.createServer((req, res) => {
  const body = crls[req.url ?? ''];
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/pkix-crl' });
  res.end(body ?? 'not found');
});
await new Promise<void>((resolve) => server.listen(ports.crl, '127.0.0.1', resolve));
after(() => server.close());
await startOcsp(ports.ocsp, index, ca, ca);
await startOcsp(ports.delegated, index, ca, responder);

test('revoked: the OCSP responder and the CRL both say so, with date and reason, each signed by the CA', async () => {
  const r = await checkRevocation(der(revoked), der(ca), { timeoutMs: 3000 });
  assert.equal(r.status, 'revoked');
  assert.equal(r.serialNumber, serialOf(revoked).toLowerCase());
  assert.deepEqual(r.sources.map((s) => [s.method, s.status, s.reason]), [['ocsp', 'revoked', 'keyCompromise'], ['crl', 'revoked', 'keyCompromise']]);
  for (const s of r.sources) assert.ok(s.revokedAt && Math.abs(Date.parse(s.revokedAt) - (Date.now() - 3600_000)) < 120_000, JSON.stringify(s));
});

test('good: both say good; a CRL past its nextUpdate is stale, not good', async () => {
  const r = await checkRevocation(der(good), der(ca), { timeoutMs: 3000 });
  assert.equal(r.status, 'good');
  assert.deepEqual(r.sources.map((s) => [s.method, s.status]), [['ocsp', 'good'], ['crl', 'good']]);
  const later = crlAnswer(crls['/ca.crl']!, parseCertificate(der(good)), parseCertificate(der(ca)), new Date(Date.now() + 30 * 86400_000));
  assert.equal(later.status, null);
  assert.match(later.error!, /^stale: its nextUpdate .* has passed$/);
});

test('a delegated OCSP responder (issued by the CA for OCSPSigning) is believed; the same answer checked against another issuer is not', async () => {
  const r = await checkRevocation(der(delegatedLeaf), der(ca), { timeoutMs: 3000 });
  assert.deepEqual(r.sources.map((s) => [s.method, s.status, s.reason]), [['ocsp', 'revoked', 'superseded']]);
  // The raw response, judged with a forger's CA as the issuer: its signature is nobody's it trusts.
  execFileSync('openssl', ['ocsp', '-issuer', ca.cert, '-cert', delegatedLeaf.cert, '-url', `http://127.0.0.1:${ports.delegated}/`, '-respout', join(dir, 'resp.der'), '-noverify'], { stdio: 'ignore' });
  const body = readFileSync(join(dir, 'resp.der'));
  const a = ocspAnswer(body, parseCertificate(der(delegatedLeaf)), parseCertificate(der(other)));
  assert.equal(a.status, null);
  assert.match(a.error!, /signature is not the issuer's nor a delegated responder's/);
});

test('unreachable: a closed port and an HTTP 404 give no usable answer, each with its reason; a CRL signed by another key with the same issuer name is not believed', async () => {
  const r = await checkRevocation(der(down), der(ca), { timeoutMs: 3000 });
  assert.equal(r.status, 'unreachable');
  assert.deepEqual(r.sources.map((s) => [s.method, s.status]), [['ocsp', null], ['crl', null], ['crl', null]]);
  assert.match(r.sources[0]!.error!, /ECONNREFUSED/);
  assert.match(r.sources[2]!.error!, /^HTTP 404$/);
  const fake = await checkRevocation(der(forged), der(ca), { timeoutMs: 3000 });
  assert.equal(fake.status, 'unreachable');
  assert.match(fake.sources[0]!.error!, /the CRL's signature is not the issuer's/);
  // Without the issuer, neither OCSP nor the CRL can be used.
  const orphan = await checkRevocation(der(good), null, { timeoutMs: 3000 });
  assert.equal(orphan.status, 'unreachable');
  assert.match(orphan.sources[0]!.error!, /issuer certificate is not known/);
});

test('no-info: a certificate with neither a CRL distribution point nor an OCSP URL', async () => {
  const r = await checkRevocation(der(bare), der(ca), { timeoutMs: 3000 });
  assert.deepEqual(r, { serialNumber: serialOf(bare).toLowerCase(), status: 'no-info', sources: [] });
});

test('property: parseCrl of random and mutated bytes returns or throws WireError; crlAnswer and ocspAnswer never throw', () => {
  const good = crls['/ca.crl']!;
  const leaf = parseCertificate(der(revoked));
  const issuer = parseCertificate(der(ca));
  fc.assert(fc.property(fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => { const b = Buffer.from(good); b[i] = v; return b; }),
    fc.nat(good.length).map((n) => good.subarray(0, n)),
  ), (bytes) => {
    try { parseCrl(bytes); } catch (e) { assert.ok(e instanceof WireError, String(e)); }
    const a = crlAnswer(bytes, leaf, issuer);
    assert.ok(a.status === null || a.status === 'revoked' || a.status === 'good');
    const o = ocspAnswer(bytes, leaf, issuer);
    assert.equal(o.status, null);
  }), { numRuns: 400 });
});

test('diagnose: a revoked certificate is the verdict (exit 1); an unreachable revocation server confirms a "could not check revocation" error; --no-revocation skips the check; scan --check-revocation reports it too', async () => {
  const s = await startOpenSSLServer({ cert: revoked.cert, key: revoked.key, chain: ca.cert });
  const d = await runCli(['diagnose', `https://127.0.0.1:${s.port}`, '--ca-file', ca.cert, '--json']);
  assert.equal(d.code, 1, d.err);
  const report = JSON.parse(d.out) as { verdict: string; findings: { id: string; severity: string }[] };
  assert.match(report.verdict, /^the CA says the certificate is revoked: the OCSP responder at http:\/\/127\.0\.0\.1:\d+\/ says the leaf CN=revoked\.test \(serial [0-9a-f]+\) was revoked on .* \(keyCompromise\)$/);
  assert.ok(report.findings.some((x) => x.id === 'certificate.revoked' && x.severity === 'critical'));
  const skipped = await runCli(['diagnose', `https://127.0.0.1:${s.port}`, '--ca-file', ca.cert, '--no-revocation', '--json']);
  assert.ok(!(JSON.parse(skipped.out) as { findings: { id: string }[] }).findings.some((x) => x.id.startsWith('certificate.revo')), skipped.out);
  const scan = await runCli(['scan', `127.0.0.1:${s.port}`, '--ca-file', ca.cert, '--check-revocation', '--no-clients', '--json']);
  const result = JSON.parse(scan.out) as { findings: { id: string }[] };
  assert.ok(result.findings.some((x) => x.id === 'certificate.revoked'), scan.out.slice(0, 2000));
  const plain = await runCli(['scan', `127.0.0.1:${s.port}`, '--ca-file', ca.cert, '--no-clients', '--json']);
  assert.ok(!(JSON.parse(plain.out) as { findings: { id: string }[] }).findings.some((x) => x.id === 'certificate.revoked'));

  const s2 = await startOpenSSLServer({ cert: down.cert, key: down.key, chain: ca.cert });
  const text = 'schannel: next InitializeSecurityContext failed: CRYPT_E_REVOCATION_OFFLINE (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.';
  const d2 = await runCli(['diagnose', `https://127.0.0.1:${s2.port}`, '--ca-file', ca.cert, '--error', text, '--json']);
  const r2 = JSON.parse(d2.out) as { verdict: string; errorText: { causes: string[]; confirmed: string[] } };
  assert.match(r2.verdict, /^none of the certificate's revocation servers answered: no revocation server of the leaf CN=down\.test gave a usable answer from here: OCSP http:\/\/127\.0\.0\.1:\d+\/ \(connect ECONNREFUSED [\d.:]+\); CRL http:\/\/127\.0\.0\.1:\d+\/ca\.crl \(connect ECONNREFUSED [\d.:]+\); CRL http:\/\/127\.0\.0\.1:\d+\/missing\.crl \(HTTP 404\)$/);
  assert.deepEqual(r2.errorText.causes, ['revocation-unchecked']);
  assert.deepEqual(r2.errorText.confirmed, ['revocation-unchecked']);

  // A private CA's certificate without any revocation URL: low for clients that do not check,
  // and the cause when a client that requires a check says it could not do one.
  const s3 = await startOpenSSLServer({ cert: bare.cert, key: bare.key, chain: ca.cert });
  const d3 = await runCli(['diagnose', `https://127.0.0.1:${s3.port}`, '--ca-file', ca.cert, '--json',
    '--error', 'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092012) - The revocation function was unable to check revocation for the certificate.']);
  const r3 = JSON.parse(d3.out) as { ok: boolean; findings: { id: string; severity: string }[]; errorText: { recognised: { runtime: string }[]; confirmed: string[] } };
  assert.equal(r3.ok, true);
  assert.deepEqual(r3.findings.filter((x) => x.id.startsWith('certificate.no-revocation')).map((x) => x.severity), ['low']);
  assert.deepEqual(r3.errorText.recognised.map((x) => x.runtime), ['curl/OpenSSL']);
  assert.deepEqual(r3.errorText.confirmed, ['revocation-unchecked']);
});
