/**
 * A server with two keys (nginx with an ECDSA and an RSA ssl_certificate):
 * the scan reads both chains (ScanResult.alternateChains), judges each, and
 * says which one a finding is about; the TLS 1.2 curves are all found though
 * the ECDSA certificate's curve constrains the ECDSA suites. Real nginx,
 * certificates made now by a test CA; the same for a one-key server, which
 * has no alternate chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assessScan } from '../../src/assess/scan.js';
import { renderScan } from '../../src/report/terminal.js';
import { runCli } from '../support/cli.js';
import { CLIENT_PROFILES } from '../../src/registry/clients/index.js';
import { pemToDers } from '../../src/x509/cert.js';
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/scan-result.schema.json', import.meta.url), 'utf8')));
const ep = (port: number) => ({ host: 'localhost', port, address: '127.0.0.1', sni: 'localhost' });
const sha256 = (pem: string) => createHash('sha256').update(pemToDers(pem)[0]!).digest('hex');
const DAY = 86_400_000;

test('nginx with an ECDSA and an RSA key: both chains read, the expired RSA one found and named, the grade held at T for it; TLS 1.2 curves complete', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'Two Keys Test CA', ca: true, key: 'rsa2048' });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost', issuer: ca, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
  const s = await startNginx({ cert: ec.cert, key: ec.key, directives: [
    'ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;', `ssl_certificate ${rsa.cert};`, `ssl_certificate_key ${rsa.key};`,
    'ssl_ecdh_curve X25519:prime256v1:secp384r1;',
  ] });
  const scanned = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(scanned.certificates[0]!.keyType, 'EC');
  assert.equal(scanned.alternateChains?.length, 1, JSON.stringify(scanned.alternateChains));
  const alt = scanned.alternateChains![0]!;
  assert.equal(alt.auth, 'RSA');
  assert.equal(alt.certificates[0]!.sha256, sha256(rsa.pem));
  assert.match(scanned.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.find((c) => c.id === alt.suite)!.name, /_RSA_/);
  // The curves of TLS 1.2: secp384r1 and x25519 go with the RSA suites, where the ECDSA certificate (P-256) cannot.
  const tls12Groups = scanned.groups.filter((g) => g.versions.includes('TLSv1.2')).map((g) => g.name).sort();
  assert.deepEqual(tls12Groups, ['secp256r1', 'secp384r1', 'x25519']);

  const { result } = await assessScan(scanned, { caFiles: [ca.cert] });
  assert.ok(validate(result), JSON.stringify(validate.errors));
  const expired = result.findings.filter((x) => x.id === 'certificate.expired');
  assert.equal(expired.length, 1, JSON.stringify(result.findings.map((x) => x.id)));
  assert.equal(expired[0]!.evidence!.certificate, 'RSA');
  assert.match(expired[0]!.detail, /^the RSA certificate \(sent with RSA suites, such as TLS_\w+_RSA_\w+\): /);
  assert.equal(result.grade!.grade, 'T');
  assert.ok(result.grade!.caps.some((c) => c.grade === 'T' && c.reason === 'expired certificate'));
  assert.ok(!result.findings.some((x) => x.id === 'certificate.self-signed' || x.id === 'certificate.untrusted'), 'both chains lead to the test CA');
  const text = renderScan(result, { color: false });
  assert.match(text, /Certificate chain, ECDSA \(as sent\)\n/);
  assert.match(text, /Certificate chain, RSA \(as sent with RSA suites, such as TLS_\w+\)\n {2}0 {2}CN=localhost/);
});

test('nginx with one RSA key: no alternate chain, and the findings do not name a certificate kind', async () => {
  const f = new CertFactory();
  const leaf = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const s = await startNginx({ cert: leaf.cert, key: leaf.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] });
  const { result } = await assessScan(await scanEndpoint(ep(s.port), { timeoutMs: 4000 }));
  assert.equal(result.alternateChains, undefined);
  const selfSigned = result.findings.find((x) => x.id === 'certificate.self-signed')!;
  assert.match(selfSigned.detail, /^the leaf certificate \(CN=localhost\)/);
  assert.equal(selfSigned.evidence?.certificate, undefined);
});

test('nginx whose RSA key has a self-signed certificate beside a trusted ECDSA one: the grade is held at T for the RSA certificate, and the finding says so', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'Two Keys Test CA', ca: true, key: 'rsa2048' });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const s = await startNginx({ cert: ec.cert, key: ec.key, directives: ['ssl_protocols TLSv1.2;', 'ssl_prefer_server_ciphers on;', `ssl_certificate ${rsa.cert};`, `ssl_certificate_key ${rsa.key};`] });
  const { result } = await assessScan(await scanEndpoint(ep(s.port), { timeoutMs: 4000 }), { caFiles: [ca.cert] });
  assert.deepEqual(result.alternateChains?.map((a) => a.auth), ['RSA']);
  assert.deepEqual(result.findings.filter((x) => x.id === 'certificate.self-signed').map((x) => x.evidence?.certificate), ['RSA']);
  assert.equal(result.grade!.grade, 'T');
  assert.deepEqual(result.grade!.caps.filter((c) => c.grade === 'T').map((c) => c.reason), ['RSA certificate: self-signed certificate']);
});

test('diagnose on nginx with a trusted ECDSA and an expired RSA certificate: the RSA one is asked for with RSA signature algorithms, and is the verdict', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'Two Keys Test CA', ca: true, key: 'rsa2048' });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost', issuer: ca, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
  const s = await startNginx({ cert: ec.cert, key: ec.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_certificate ${rsa.cert};`, `ssl_certificate_key ${rsa.key};`] });
  const r = await runCli(['diagnose', `https://localhost:${s.port}`, '--ca-file', ca.cert, '--no-revocation', '--json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { ok: boolean; verdict: string; otherCertificate: { auth: string; trusted: boolean; findings: string[] } | null; findings: { id: string; evidence?: { certificate?: string } }[]; trust: { certificates: { keyType: string }[] } };
  assert.equal(report.trust.certificates[0]!.keyType, 'EC');
  assert.deepEqual(report.otherCertificate && { auth: report.otherCertificate.auth, trusted: report.otherCertificate.trusted }, { auth: 'RSA', trusted: true });
  assert.ok(report.otherCertificate!.findings.includes('certificate.expired'));
  assert.match(report.verdict, /^the certificate has expired: the RSA certificate \(the server's other one, sent to clients that offer only RSA signature algorithms or suites\): /);
  assert.deepEqual(report.findings.filter((x) => x.id === 'certificate.expired').map((x) => x.evidence?.certificate), ['RSA']);

  // One key: nothing more to ask.
  const one = await startNginx({ cert: ec.cert, key: ec.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] });
  const single = JSON.parse((await runCli(['diagnose', `https://localhost:${one.port}`, '--ca-file', ca.cert, '--no-revocation', '--json'])).stdout) as { ok: boolean; otherCertificate: unknown };
  assert.equal(single.otherCertificate, null);
  assert.equal(single.ok, true);
});

test('openssl s_server, TLS 1.3 only, with an RSA and an ECDSA key (-cert, -dcert): the other chain comes from a handshake that offers only the other kind\'s signature algorithms', async () => {
  const f = new CertFactory();
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-dcert', ec.cert, '-dkey', ec.key, '-tls1_3'] });
  const { result } = await assessScan(await scanEndpoint(ep(s.port), { timeoutMs: 4000 }));
  assert.ok(validate(result), JSON.stringify(validate.errors));
  const kinds = [result.certificates[0]!.keyType, ...(result.alternateChains ?? []).map((a) => a.auth)];
  assert.equal(kinds.length, 2, JSON.stringify(kinds));
  assert.ok(kinds.includes('EC') ? kinds.includes('RSA') : kinds.includes('RSA') && kinds.includes('ECDSA'), JSON.stringify(kinds));
  const alt = result.alternateChains![0]!;
  assert.equal(alt.suite, undefined);
  assert.equal(alt.certificates[0]!.sha256, sha256(alt.auth === 'RSA' ? rsa.pem : ec.pem));
  const selfSigned = result.findings.filter((x) => x.id === 'certificate.self-signed');
  assert.deepEqual(selfSigned.map((x) => x.evidence?.certificate).sort(), ['ECDSA', 'RSA']);
  assert.ok(selfSigned.some((x) => x.detail.startsWith(`the ${alt.auth} certificate (sent to clients that offer only ${alt.auth} signature algorithms): `)));
  assert.match(renderScan(result, { color: false }), new RegExp(`Certificate chain, ${alt.auth} \\(as sent to clients that offer only ${alt.auth} signature algorithms\\)`));
});

test('the client simulation records the leaf each client got, and the finding of an alternate chain names the simulated clients that got it', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'Two Keys Test CA', ca: true, key: 'rsa2048' });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost', issuer: ca, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca });
  // Client order, TLS 1.2 (every client's flight, its certificate included, is in clear): our own
  // first hello, led by an ECDHE-ECDSA AES-GCM suite as browsers' lists are, gets the ECDSA chain;
  // a client that lists RSA suites first (Windows 7's Schannel, Node.js) gets the expired RSA one.
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', 'ssl_prefer_server_ciphers off;', `ssl_certificate ${ec.cert};`, `ssl_certificate_key ${ec.key};`] });
  const { result } = await assessScan(await scanEndpoint(ep(s.port), { timeoutMs: 4000, clients: CLIENT_PROFILES }), { caFiles: [ca.cert] });
  assert.ok(validate(result), JSON.stringify(validate.errors));
  assert.equal(result.certificates[0]!.keyType, 'EC');
  assert.deepEqual(result.alternateChains?.map((a) => a.auth), ['RSA']);
  const rsaLeaf = result.alternateChains![0]!.certificates[0]!.sha256;
  const gotRsa = (result.clients ?? []).filter((c) => c.ok && c.leafSha256 === rsaLeaf).map((c) => c.name);
  assert.ok(gotRsa.length > 0, JSON.stringify(result.clients?.map((c) => [c.name, c.cipherSuite, c.leafSha256?.slice(0, 8)])));
  for (const c of result.clients ?? []) if (c.leafSha256 === rsaLeaf) assert.match(c.cipherSuite!, /_RSA_/, c.name);
  const expired = result.findings.find((x) => x.id === 'certificate.expired')!;
  assert.equal(expired.evidence!.certificate, 'RSA');
  assert.deepEqual(expired.evidence!.clients, gotRsa);
  assert.match(expired.detail, new RegExp(`; the simulated clients that got it: ${gotRsa[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test('nginx with two keys whose TLS 1.2 suites all go with the RSA one: the ECDSA certificate, which only TLS 1.3 reaches, is read too; a one-key server costs one refused hello', async () => {
  // Found by a differential campaign against random nginx configurations, checked with s_client -tls1_3 -sigalgs.
  const f = new CertFactory();
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: [
    'ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;', 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;', `ssl_certificate ${ec.cert};`, `ssl_certificate_key ${ec.key};`,
  ] });
  const scanned = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(scanned.certificates[0]!.keyType, 'RSA');
  assert.deepEqual(scanned.alternateChains?.map((a) => [a.auth, a.suite, a.certificates[0]!.sha256]), [['ECDSA', undefined, sha256(ec.pem)]]);
  const one = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;'] });
  const probes: string[] = [];
  const single = await scanEndpoint(ep(one.port), { timeoutMs: 4000, onProbe: (p) => probes.push(p.purpose) });
  assert.equal(single.alternateChains, undefined);
  assert.deepEqual(single.errors, []);
  assert.equal(probes.filter((p) => p === 'certificates').length, 1);
});

test('gnutls-serv with two keys, TLS 1.2 suites of the RSA one only, and neither X25519 nor P-256: the ECDSA certificate only TLS 1.3 reaches is still found (the hello names every group)', async () => {
  const f = new CertFactory();
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, args: ['--x509certfile', ec.cert, '--x509keyfile', ec.key],
    priority: 'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+ECDHE-RSA:+CHACHA20-POLY1305:+AES-128-GCM:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-SECP521R1:+GROUP-X448' });
  const scanned = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(scanned.certificates[0]!.keyType, 'RSA');
  assert.deepEqual(scanned.alternateChains?.map((a) => [a.auth, a.certificates[0]!.sha256]), [['ECDSA', sha256(ec.pem)]]);
});
