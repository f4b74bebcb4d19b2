/**
 * `tlsdoctor diagnose` against real TLS servers on loopback, one per defect:
 * the verdict (first line) names the right cause; exit codes; --error;
 * --save-chain; --json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import http from 'node:http';
import { after } from 'node:test';
import { pemToDers } from '../../src/x509/cert.js';
import { main } from '../../src/cli/main.js';
import { makePki, serve, type Pki } from '../support/pki.js';
import { closedPort, startGnuTLSServer, startNodeTLSPair } from '../support/servers.js';
import { tempDir } from '../support/tmp.js';

const pki: Pki = makePki('Diagnose');
const DAY = 86_400_000;

class Capture extends Writable {
  data = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) { this.data += chunk.toString(); cb(); }
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture(), stderr = new Capture();
  const code = await main(['node', 'tlsdoctor', ...args], { stdout, stderr });
  return { code, out: stdout.data, err: stderr.data };
}

// The servers answer for names like "good.test" on 127.0.0.1: diagnose connects to
// the host it is given, so these tests use 127.0.0.1 and certificates for it,
// or names under localhost, which resolves to loopback.
const url = (port: number, host = 'localhost') => `https://${host}:${port}`;

test('diagnose: good chain -> verdict "no certificate problem", exit 0', async () => {
  const leaf = pki.leaf({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out.split('\n')[0], /^Verdict: no certificate problem/);
});

test('diagnose: wrong host -> the name verdict first, exit 1', async () => {
  const leaf = pki.leaf({ cn: 'api.example.net', san: 'DNS:*.example.net' });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
  assert.equal(r.code, 1);
  assert.equal(r.out.split('\n')[0], "Verdict: the certificate's name does not match localhost: it is issued to *.example.net");
  assert.match(r.out, /How to fix\n\s+1\. Compare the names/);
});

test('diagnose: expired -> expired verdict (nginx)', async () => {
  const leaf = pki.leaf({ cn: 'localhost', notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
  const s = await serve(pki, leaf, [pki.int], 'nginx');
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
  assert.equal(r.code, 1);
  assert.match(r.out.split('\n')[0], /^Verdict: the certificate has expired: the leaf certificate \(CN=localhost\) expired on/);
});

test('diagnose: not yet valid -> not-yet-valid verdict', async () => {
  const leaf = pki.leaf({ cn: 'localhost', notBefore: new Date(Date.now() + 2 * DAY), notAfter: new Date(Date.now() + 300 * DAY) });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
  assert.equal(r.code, 1);
  assert.match(r.out.split('\n')[0], /^Verdict: the certificate is not valid yet/);
});

test('diagnose: wildcard *.localhost does not cover a.b.localhost; IP target needs an IP SAN', async () => {
  const leaf = pki.leaf({ cn: 'wild', san: 'DNS:*.localhost' });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port, '127.0.0.1'), '--ca-file', pki.rootFile]);
  assert.equal(r.code, 1);
  assert.equal(r.out.split('\n')[0], "Verdict: the certificate's name does not match 127.0.0.1: it is issued to *.localhost");
});

test('diagnose: self-signed -> self-signed verdict; --save-chain writes leaf.pem and names it as the file to trust; --ca-file with it fixes it', async () => {
  const self = pki.f.make({ cn: 'localhost', san: 'DNS:localhost' });
  const s = await serve(pki, self, [], 'openssl');
  const dir = join(tempDir(), 'saved');
  const r = await run(['diagnose', url(s.port), '--save-chain', dir]);
  assert.equal(r.code, 1);
  assert.match(r.out.split('\n')[0], /^Verdict: the certificate is self-signed/);
  const leafFile = join(dir, 'leaf.pem');
  assert.ok(existsSync(leafFile));
  assert.equal(new X509Certificate(readFileSync(leafFile)).fingerprint256, new X509Certificate(self.pem).fingerprint256);
  assert.ok(r.out.includes(`Add ${leafFile} to the client's trust store:`));
  assert.match(r.out, /keytool -importcert -cacerts/);
  assert.match(r.out, /Import-Certificate -FilePath/);
  assert.match(r.out, /update-ca-certificates/);
  assert.match(r.out, /NODE_EXTRA_CA_CERTS=/);
  assert.match(r.out, /SSL_CERT_FILE=/);
  const fixed = await run(['diagnose', url(s.port), '--ca-file', leafFile]);
  assert.equal(fixed.code, 0, fixed.out);
});

test('diagnose: private root -> untrusted root verdict without --ca-file, fine with it; --save-chain writes root.pem when the server sends it', async () => {
  const leaf = pki.leaf({ cn: 'localhost' });
  const s = await serve(pki, leaf, [pki.int, pki.root]);
  const dir = join(tempDir(), 'chain');
  const r = await run(['diagnose', url(s.port), '--save-chain', dir]);
  assert.equal(r.code, 1);
  assert.match(r.out.split('\n')[0], /^Verdict: the certificate's root CA is not trusted: the chain ends at the root CN=Diagnose Root CA/);
  assert.deepEqual(['leaf.pem', 'intermediate-1.pem', 'root.pem', 'fullchain.pem'].map((f) => existsSync(join(dir, f))), [true, true, true, true]);
  assert.ok(r.out.includes(`Add ${join(dir, 'root.pem')} to the client's trust store:`));
  const ok = await run(['diagnose', url(s.port), '--ca-file', join(dir, 'root.pem')]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /certificate\.private-ca/);
});

test('diagnose: leaf without intermediate -> incomplete chain verdict; --error of Java is confirmed', async () => {
  const leaf = pki.leaf({ cn: 'localhost' });
  const s = await serve(pki, leaf, []);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--error', 'javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target']);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^Verdict: the server does not send its intermediate certificate/);
  assert.match(r.out, /recognised: Java/);
  assert.match(r.out, /the live server confirms it: the server does not send the intermediate certificate/);
});

test('diagnose: --fetch-intermediates downloads the missing intermediate over AIA and --save-chain writes the full chain', async () => {
  const web = http.createServer((_req, res) => { res.writeHead(200); res.end(pemToDers(pki.int.pem)[0]); });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => web.close(() => r())));
  const aia = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/issuer.cer`;
  const leaf = pki.leaf({ cn: 'localhost', extra: [`authorityInfoAccess=caIssuers;URI:${aia}`] });
  const s = await serve(pki, leaf, []);
  const dir = join(tempDir(), 'aia');
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--fetch-intermediates', '--save-chain', dir]);
  assert.equal(r.code, 1);
  assert.match(r.out.split('\n')[0], /^Verdict: the server does not send its intermediate certificate: .*downloaded it from the AIA URL/);
  assert.ok(r.out.includes(`AIA download ${aia}: got CN=Diagnose Issuing CA 1`));
  const full = readFileSync(join(dir, 'fullchain.pem'), 'utf8');
  assert.deepEqual(pemToDers(full).map((x) => new X509Certificate(x).subject), ['CN=localhost', 'CN=Diagnose Issuing CA 1']);
});

test('diagnose: --error pointing elsewhere is reported as not confirmed', async () => {
  const leaf = pki.leaf({ cn: 'localhost' });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--error', 'x509: certificate has expired or is not yet valid']);
  assert.equal(r.code, 0);
  assert.match(r.out, /recognised: Go/);
  assert.match(r.out, /does not show this problem now/);
});

test('diagnose: SHA-1 signature, RSA 1024 key and wrong EKU each lead the verdict', async () => {
  const cases: [Parameters<Pki['leaf']>[0], RegExp][] = [
    [{ cn: 'localhost', digest: 'sha1' }, /^Verdict: a certificate is signed with a weak hash/],
    [{ cn: 'localhost', key: 'rsa1024' }, /^Verdict: a certificate uses a weak key: the leaf certificate \(CN=localhost\) has a weak key: RSA 1024 bits/],
    [{ cn: 'localhost', eku: 'clientAuth' }, /^Verdict: the certificate is not valid for TLS server authentication/],
  ];
  for (const [opts, re] of cases) {
    const s = await serve(pki, pki.leaf(opts), [pki.int], 'openssl', ['-cipher', 'DEFAULT:@SECLEVEL=0']);
    const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
    assert.equal(r.code, 1, opts.cn);
    assert.match(r.out.split('\n')[0], re);
  }
});

test('diagnose: --json carries verdict, causes, findings and the trust report', async () => {
  const leaf = pki.leaf({ cn: 'other.test' });
  const s = await serve(pki, leaf, [pki.int]);
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.ok, false);
  assert.deepEqual(j.causes.map((c: { id: string }) => c.id), ['hostname-mismatch']);
  // The test PKI's certificates name no CRL or OCSP URL: a low note, not a problem.
  assert.deepEqual(j.findings.map((f: { id: string }) => f.id), ['certificate.hostname-mismatch', 'certificate.no-revocation-info', 'certificate.private-ca']);
  assert.deepEqual(j.trust.revocation.sources, []);
  assert.equal(j.trust.trusted, true);
  assert.equal(j.handshake.ok, true);
});

test('diagnose: a 3DES-only server Node cannot talk to (gnutls-serv): handshake verdict, what the server accepts, and its chain from the wire engine', async () => {
  const leaf = pki.leaf({ cn: 'localhost', key: 'rsa2048', notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
  const s = await startGnuTLSServer({ cert: pki.f.bundle('g3des.pem', leaf, pki.int), key: leaf.key, priority: 'NONE:+VERS-TLS1.2:+RSA:+3DES-CBC:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL' });
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--error', 'The request was aborted: Could not create SSL/TLS secure channel.']);
  assert.equal(r.code, 1);
  const first = r.out.split('\n')[0];
  assert.match(first, /^Verdict: the TLS handshake fails: no common protocol version or cipher suite: /);
  assert.match(first, /The server accepts only: TLS_RSA_WITH_3DES_EDE_CBC_SHA \(TLSv1\.2\)/);
  assert.match(r.out, /the live server confirms it: client and server share no protocol version;\s+client and server share\s+no cipher suite/);
  assert.match(r.out, /\[certificate\.expired\]/);
  assert.match(r.out, /\[cipher\.3des\]/);
  assert.match(r.out, /#0 CN=localhost/);
});

test('diagnose: a server without RFC 5746 secure renegotiation (gnutls-serv): Node refuses it, the verdict says why with the client stopgaps, and the certificate is still checked', async () => {
  const leaf = pki.leaf({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const s = await startGnuTLSServer({ cert: pki.f.bundle('gnoreneg.pem', leaf, pki.int), key: leaf.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION' });
  const error = 'Error: write EPROTO 80CCE8DB537F0000:error:0A000152:SSL routines:final_renegotiate:unsafe legacy renegotiation disabled';
  const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--error', error]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out.split('\n')[0], /^Verdict: the server does not support secure renegotiation \(RFC 5746\): Node\.js \(OpenSSL 3\) refused the TLSv1\.2 handshake: "unsafe legacy renegotiation disabled"/);
  assert.match(r.out, /the live server confirms it: the server does not support secure renegotiation/);
  assert.match(r.out, /How to fix\n\s+1\. Update the server's TLS stack/);
  assert.match(r.out.replace(/\s+/g, ' '), /secureOptions: crypto\.constants\.SSL_OP_LEGACY_SERVER_CONNECT/);
  // The second handshake, allowing it, got the chain: trusted through --ca-file (a private CA,
  // said as info), the name matches.
  assert.match(r.out, /handshake: TLSv1\.2 /);
  assert.match(r.out, /\[certificate\.private-ca\]/);
  assert.doesNotMatch(r.out, /\[certificate\.(?!private-ca|no-revocation-info)/);
  const j = JSON.parse((await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--json'])).out);
  assert.deepEqual(j.causes.map((c: { id: string }) => c.id), ['insecure-renegotiation']);
  assert.equal(j.handshake.ok, true);
});

test('diagnose: a plain-HTTP port -> "does not answer with TLS"', async () => {
  const srv = net.createServer((sock) => { sock.on('error', () => {}); sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    const r = await run(['diagnose', url(port, '127.0.0.1')]);
    assert.equal(r.code, 1);
    assert.match(r.out.split('\n')[0], /^Verdict: the port does not answer with TLS/);
    // What it said instead, quoted, and the kind of service that looks like.
    assert.match(r.out.split('\n')[0], /; it answered in plain text \("HTTP\/1\.1 400 Bad Request"\): an HTTP server \(http:\/\/ rather than https:\/\/, or the wrong port\)$/);
  } finally { srv.close(); }
});

test('diagnose: bad input exits 2, unreachable exits 3', async () => {
  assert.equal((await run(['diagnose', 'http://example.com'])).code, 2);
  assert.equal((await run(['diagnose', 'https://localhost:99999'])).code, 2);
  assert.equal((await run(['diagnose', 'localhost:443', '--ca-file', '/nonexistent.pem'])).code, 2);
  assert.equal((await run(['diagnose', 'localhost:443', '--expires-soon', 'soon'])).code, 2);
  const port = await closedPort();
  const r = await run(['diagnose', `127.0.0.1:${port}`, '--error', 'curl: (7) Failed to connect']);
  assert.equal(r.code, 3);
  assert.match(r.err, /cannot connect to 127\.0\.0\.1/);
});

describeMutualTls();

/**
 * Mutual TLS: openssl s_server with -Verify 1 -verify_return_error requires a client certificate from
 * the test PKI's root; once TLS 1.3 (the certificate_required alert comes after the client thinks the
 * handshake is done), once TLS 1.2.
 */
function describeMutualTls(): void {
  for (const version of ['TLS 1.3', 'TLS 1.2'] as const) {
    test(`diagnose: mutual TLS (${version}, openssl s_server -Verify): without a certificate "requires a client certificate" with the CA it names; a foreign one "refuses the client certificate"; the right one passes`, async () => {
      const leaf = pki.leaf({ cn: 'localhost', san: 'DNS:localhost' });
      const args = ['-Verify', '1', '-verify_return_error', '-CAfile', pki.rootFile, ...(version === 'TLS 1.2' ? ['-no_tls1_3'] : [])];
      const s = await serve(pki, leaf, [pki.int], 'openssl', args);
      const none = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile]);
      assert.equal(none.code, 1, none.out + none.err);
      assert.match(none.out.split('\n')[0], /^Verdict: the server requires a client certificate \(mutual TLS\): localhost:\d+ asks for a client certificate \(TLSv1\.[23] CertificateRequest\) and refused the handshake without one: .*; it names these CAs: CN=Diagnose Root CA$/);
      assert.match(none.out, /How to fix\n\s+1\. Give the client a certificate issued by a CA the server names/);
      assert.match(none.out.replace(/\s+/g, ' '), /tlsdoctor diagnose https:\/\/localhost:\d+ --cert client\.crt --key client\.key/);
      const j = JSON.parse((await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--json'])).out);
      assert.deepEqual(j.causes.map((c: { id: string }) => c.id), ['client-certificate']);
      // A client certificate from another PKI: refused (unknown CA).
      const other = makePki('Other');
      const foreign = other.leaf({ cn: 'client.example' });
      const bad = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--cert', other.f.bundle('foreign.pem', foreign, other.int), '--key', foreign.key]);
      assert.equal(bad.code, 1);
      assert.match(bad.out.split('\n')[0], /^Verdict: the server refuses the client certificate: .*refused the handshake with the client certificate .*foreign\.pem: .*unknown ca/);
      // One the server's CA issued, but for servers only (EKU serverAuth): refused as unsupported.
      const serverOnly = pki.leaf({ cn: 'client.example' });
      const wrongUse = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--cert', pki.f.bundle('server-only.pem', serverOnly, pki.int), '--key', serverOnly.key]);
      assert.match(wrongUse.out.split('\n')[0], /^Verdict: the server refuses the client certificate: .*unsupported certificate/);
      // One for clients (EKU clientAuth): the handshake completes, and the server's own certificate is fine.
      const mine = pki.leaf({ cn: 'client.example', eku: 'clientAuth' });
      const good = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--cert', pki.f.bundle('mine.pem', mine, pki.int), '--key', mine.key]);
      assert.equal(good.code, 0, good.out + good.err);
      assert.match(good.out.split('\n')[0], /^Verdict: no certificate problem/);
    });
  }
  test('diagnose: --cert without --key, or a key that is not PEM: one clear line, exit 2', async () => {
    const leaf = pki.leaf({ cn: 'client.example' });
    const a = await run(['diagnose', 'https://localhost:1', '--cert', leaf.cert]);
    assert.equal(a.code, 2);
    assert.equal(a.err.trim(), 'tlsdoctor: --key is missing: a client certificate needs both --cert and --key');
    const der = join(tempDir('tlsdoctor-der-'), 'key.der');
    (await import('node:fs')).writeFileSync(der, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]));
    const b = await run(['diagnose', 'https://localhost:1', '--cert', leaf.cert, '--key', der]);
    assert.equal(b.code, 2);
    assert.match(b.err, /^tlsdoctor: --key: .*key\.der is not PEM \(no -----BEGIN \[A-Z \]\*PRIVATE KEY----- block\); convert a DER or PFX file with openssl first\n$/);
  });
}

test('diagnose --starttls smtp: the preamble first, then the same checks (a good chain passes, an expired one is named); a server without STARTTLS says so; the fix lines repeat --starttls', async () => {
  const { startStartTlsServer } = await import('../support/starttls-servers.js');
  const { readFileSync: read } = await import('node:fs');
  const tlsFor = (leaf: ReturnType<Pki['leaf']>) => ({ cert: read(leaf.cert, 'utf8') + pki.int.pem, key: leaf.keyPem });
  const good = await startStartTlsServer({ protocol: 'smtp', tls: tlsFor(pki.leaf({ cn: 'localhost', san: 'DNS:localhost' })) });
  const ok = await run(['diagnose', `localhost:${good.port}`, '--starttls', 'smtp', '--ca-file', pki.rootFile]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out.split('\n')[0], /^Verdict: no certificate problem/);
  const old = pki.leaf({ cn: 'localhost', san: 'DNS:localhost', notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
  const expired = await startStartTlsServer({ protocol: 'smtp', tls: tlsFor(old) });
  const bad = await run(['diagnose', `localhost:${expired.port}`, '--starttls', 'smtp', '--ca-file', pki.rootFile]);
  assert.equal(bad.code, 1);
  assert.match(bad.out.split('\n')[0], /^Verdict: the certificate has expired/);
  assert.match(bad.out.replace(/\s+/g, ' '), new RegExp(`tlsdoctor diagnose localhost:${expired.port} --starttls smtp\` again`));
  const plain = await startStartTlsServer({ protocol: 'smtp', tls: tlsFor(old), noStartTls: true });
  const none = await run(['diagnose', `localhost:${plain.port}`, '--starttls', 'smtp']);
  assert.equal(none.code, 1);
  assert.match(none.out.split('\n')[0], /does not start TLS through smtp STARTTLS: SMTP: the server does not offer STARTTLS/);
});

test('diagnose --resolve: the handshake goes to the address given, under the name; the report names it and every address of the name', async () => {
  // Two nodes of "multi.test" on one port: 127.0.0.1 with a good chain, 127.0.0.2 with an expired
  // leaf (no DNS server here gives a name two addresses: --resolve does).
  const good = pki.leaf({ cn: 'multi.test', san: 'DNS:multi.test' });
  const expired = pki.leaf({ cn: 'multi.test', san: 'DNS:multi.test', notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
  const node = (leaf: typeof good) => ({ cert: leaf.pem + pki.int.pem, key: leaf.keyPem });
  const pair = await startNodeTLSPair(node(good), node(expired));
  after(() => pair.close());
  const { port } = pair;
  const target = `https://multi.test:${port}`;
  const bad = await run(['diagnose', target, '--resolve', `multi.test:${port}:127.0.0.2,127.0.0.1`, '--ca-file', pki.rootFile, '--json']);
  assert.equal(bad.code, 1, bad.err);
  const j = JSON.parse(bad.out);
  assert.deepEqual(j.causes.map((c: { id: string }) => c.id), ['expired']);
  assert.equal(j.target.address, '127.0.0.2');
  assert.deepEqual(j.target.addresses, ['127.0.0.2', '127.0.0.1']);
  const fine = await run(['diagnose', target, '--resolve', `multi.test:${port}:127.0.0.1,127.0.0.2`, '--ca-file', pki.rootFile]);
  assert.equal(fine.code, 0, fine.out + fine.err);
  assert.match(fine.out, /^Verdict: no certificate problem/);
  assert.match(fine.out, new RegExp(`endpoint: multi\\.test:${port} \\(127\\.0\\.0\\.1\\)`));
  assert.match(fine.out, new RegExp(`multi\\.test has 2 addresses \\(127\\.0\\.0\\.1, 127\\.0\\.0\\.2\\), and a client may get any of them: if the failure comes and goes, compare them with \`tlsdoctor scan multi\\.test:${port} --all-addresses\``));
  // Without --resolve, the address Node connected to.
  const leaf = pki.leaf({ cn: 'localhost', san: 'DNS:localhost' });
  const s = await serve(pki, leaf, [pki.int]);
  const plain = JSON.parse((await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--json'])).out);
  assert.equal(plain.target.address, '127.0.0.1');
  // A malformed --resolve is bad input.
  const usage = await run(['diagnose', target, '--resolve', 'multi.test:127.0.0.1']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /expected HOST:PORT:ADDRESS/);
});
