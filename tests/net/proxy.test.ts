/**
 * HTTP proxies: the CONNECT reply parser on bytes, then scan, diagnose and pin
 * through a CONNECT proxy built on node:http (its 'connect' event, piping to
 * the target; Basic authentication when asked; 502 when the target refuses),
 * against nginx and openssl s_server: the same answers as without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertFactory } from '../support/certs.js';
import { freePort, startNginx, startOpenSSLServer } from '../support/servers.js';
import { runCli, runCliProcess } from '../support/cli.js';
import { startProxy } from '../support/http-proxy.js';
import { opensslPinOfCert } from '../pinning/support.js';
import { revokedLeafWithCrl } from '../support/ca-database.js';
import { HttpTunnel, parseProxy, ProxyError } from '../../src/net/proxy.js';
import { scanTarget } from '../../src/scan/run.js';
import { fullHandshake } from '../../src/net/full-handshake.js';
import { UsageError } from '../../src/util/errors.js';

test('parseProxy: Basic credentials from the URL, never shown; http://, https://, socks5:// and socks5h:// only; host:port alone is HTTP', () => {
  const p = parseProxy('http://alice:s%40cret@proxy.corp.example:3128');
  assert.deepEqual(p, { kind: 'http', host: 'proxy.corp.example', port: 3128, authorization: `Basic ${Buffer.from('alice:s@cret').toString('base64')}`, remoteDns: true, shown: 'http://proxy.corp.example:3128' });
  assert.deepEqual(parseProxy('10.0.0.1:8080'), { kind: 'http', host: '10.0.0.1', port: 8080, remoteDns: true, shown: 'http://10.0.0.1:8080' });
  assert.deepEqual(parseProxy('socks5h://bob:pw@bastion.example'), { kind: 'socks5', host: 'bastion.example', port: 1080, credentials: { user: 'bob', password: 'pw' }, remoteDns: true, shown: 'socks5h://bastion.example' });
  assert.deepEqual(parseProxy('socks5://[::1]:9050'), { kind: 'socks5', host: '::1', port: 9050, remoteDns: false, shown: 'socks5://[::1]:9050' });
  assert.deepEqual(parseProxy('https://alice:pw@proxy.corp:8443'), { kind: 'http', host: 'proxy.corp', port: 8443, authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}`, remoteDns: true, tls: true, shown: 'https://proxy.corp:8443' });
  assert.equal(parseProxy('https://proxy.corp').port, 443);
  assert.throws(() => parseProxy('ftp://proxy:21'), (e: Error) => e instanceof UsageError && /only http:\/\/, https:\/\/, socks5:\/\/ and socks5h:\/\/ proxies/.test(e.message));
  assert.throws(() => parseProxy('socks4://proxy:1080'), UsageError);
  assert.throws(() => parseProxy('http://'), UsageError);
});

test('HttpTunnel: 200 in pieces with bytes after it; 407 and 403 refused with their status; garbage and endless heads end in ProxyError', () => {
  const p = parseProxy('http://proxy.test:3128');
  const ok = new HttpTunnel(p, 'api.test', 443);
  const head = Buffer.from('HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n\x16\x03\x03');
  let last = {};
  for (let i = 0; i < head.length - 3; i++) last = ok.push(head.subarray(i, i + 1));
  assert.deepEqual(last, { done: true });
  assert.deepEqual(new HttpTunnel(p, 'api.test', 443).push(head), { done: true, rest: Buffer.from('\x16\x03\x03', 'latin1') });
  const refused = (bytes: string, re: RegExp) => assert.throws(() => new HttpTunnel(p, 'api.test', 443).push(Buffer.from(bytes)), (e: Error) => e instanceof ProxyError && re.test(e.message));
  refused('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n', /^the proxy http:\/\/proxy\.test:3128 refused the tunnel to api\.test:443: 407 Proxy Authentication Required: it requires authentication/);
  refused('HTTP/1.0 403 Forbidden\r\n\r\n', /refused the tunnel to api\.test:443: 403 Forbidden$/);
  refused('SSH-2.0-OpenSSH_9.2\r\n', /did not answer CONNECT as an HTTP proxy/);
  const endless = new HttpTunnel(p, 'x', 1);
  endless.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
  assert.throws(() => { for (let i = 0; i < 100; i++) endless.push(Buffer.alloc(200, 0x41)); }, /more than 16384 bytes/);
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 60 }), (chunks) => {
    const r = new HttpTunnel(p, 'x', 1);
    try { for (const c of chunks) if (r.push(c).done) break; } catch (e) { assert.ok(e instanceof ProxyError, String(e)); }
  }));
});

const f = new CertFactory();
const cert = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });

test('scan through a CONNECT proxy equals the direct scan (nginx, TLS 1.2+1.3, server order); every probe went through it', async () => {
  const s = await startNginx({ cert: cert.cert, key: cert.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;'] });
  const proxy = await startProxy();
  // A scan deadline of its own: should a part of the scan ever hang again (it did once in CI),
  // the scan ends in 30 s with that part named in its errors (scan/overrun.ts).
  const direct = await scanTarget({ host: '127.0.0.1', port: s.port, sni: null, input: 'x' }, { timeoutMs: 4000, scanTimeoutMs: 30_000 });
  const via = await scanTarget({ host: '127.0.0.1', port: s.port, sni: null, input: 'x', proxy: parseProxy(proxy.url) }, { timeoutMs: 4000, scanTimeoutMs: 30_000 });
  const shape = (r: typeof direct) => r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((c) => c.id)]);
  assert.deepEqual(shape(via), shape(direct));
  assert.deepEqual(via.groups.map((g) => g.id), direct.groups.map((g) => g.id));
  assert.deepEqual(via.certificates.map((c) => c.sha256), direct.certificates.map((c) => c.sha256));
  assert.deepEqual(via.errors, []);
  assert.ok(proxy.tunnels.length > 20 && proxy.tunnels.every((t) => t === `127.0.0.1:${s.port}`), `${proxy.tunnels.length} tunnels`);
});

test('an https:// proxy (TLS to the proxy, node:https): scan, diagnose and pin through it, its certificate trusted through NODE_EXTRA_CA_CERTS; untrusted, one line and exit 3', async () => {
  const ca = f.make({ cn: 'Proxy Test CA', ca: true, key: 'ec256' });
  const pc = f.make({ cn: 'proxy.test', key: 'ec256', issuer: ca, san: 'IP:127.0.0.1' });
  const proxy = await startProxy('bob:secret', { tls: { cert: pc.pem, key: pc.keyPem } });
  const s = await startNginx({ cert: cert.cert, key: cert.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;'] });
  const env = { NODE_EXTRA_CA_CERTS: ca.cert };
  const shape = (r: { protocols: { version: string; supported: boolean; cipherSuites: { id: number }[] }[] }) => r.protocols.map((p) => [p.version, p.supported, p.cipherSuites.map((c) => c.id)]);
  const direct = JSON.parse((await runCli(['scan', '--json', '--no-clients', '--no-http', `127.0.0.1:${s.port}`])).stdout);
  const via = await runCliProcess(['scan', '--json', '--no-clients', '--no-http', '--proxy', proxy.url, `127.0.0.1:${s.port}`], env);
  assert.equal(via.code, 0, via.stderr);
  const r = JSON.parse(via.stdout);
  assert.deepEqual(shape(r), shape(direct));
  assert.deepEqual(r.errors, []);
  assert.doesNotMatch(via.stdout + via.stderr, /secret/);
  assert.ok(proxy.tunnels.length > 20 && proxy.tunnels.every((t) => t === `127.0.0.1:${s.port}`), `${proxy.tunnels.length} tunnels`);
  const d = await runCliProcess(['diagnose', `https://localhost:${s.port}`, '--proxy', proxy.url, '--no-revocation', '--json'], env);
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the certificate is self-signed/, d.stderr);
  const pin = await runCliProcess(['pin', `127.0.0.1:${s.port}`, '--proxy', proxy.url, '-f', 'sha256'], env);
  assert.equal(pin.stdout, `sha256/${opensslPinOfCert(cert.cert)}\n`, pin.stderr);
  // The CA's CRL, fetched as a plain HTTP request inside the TLS connection to the proxy.
  const { ca: crlCa, leaf, crlUrl } = await revokedLeafWithCrl(f, 'Https Proxy Test');
  const revoked = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: crlCa.cert });
  const dr = await runCliProcess(['diagnose', `https://localhost:${revoked.port}`, '--ca-file', crlCa.cert, '--proxy', proxy.url, '--json'], env);
  assert.match((JSON.parse(dr.stdout) as { verdict: string }).verdict, /^the CA says the certificate is revoked: the CRL at http:\/\/127\.0\.0\.1:\d+\/ca\.crl says/, dr.stderr);
  assert.deepEqual(proxy.requests, [`GET ${crlUrl}`]);
  // Without the CA: the proxy's certificate is not trusted, which the one line says, with where trust comes from.
  const untrusted = await runCliProcess(['scan', '--no-clients', '--proxy', proxy.url, `127.0.0.1:${s.port}`]);
  assert.equal(untrusted.code, 3, untrusted.stdout + untrusted.stderr);
  assert.match(untrusted.stderr, /the proxy https:\/\/127\.0\.0\.1:\d+: unable to verify the first certificate .*NODE_EXTRA_CA_CERTS/);
  assert.equal(untrusted.stderr.trim().split('\n').length, 1, untrusted.stderr);
});

test('diagnose and pin through an authenticating proxy; a wrong password, and a target the proxy cannot reach, end in one line (exit 3)', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key });
  const proxy = await startProxy('alice:wonderland');
  const d = await runCli(['diagnose', `https://localhost:${s.port}`, '--proxy', proxy.url, '--no-revocation', '--json']);
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the certificate is self-signed/, d.stderr);
  assert.doesNotMatch(d.stdout, /wonderland/);
  assert.ok(proxy.tunnels.includes(`localhost:${s.port}`), proxy.tunnels.join(' '));
  const pin = await runCli(['pin', `127.0.0.1:${s.port}`, '--proxy', proxy.url, '-f', 'sha256']);
  assert.equal(pin.stdout, `sha256/${opensslPinOfCert(cert.cert)}\n`, pin.stderr);

  const wrong = proxy.url.replace('wonderland', 'nope');
  for (const args of [['scan', `127.0.0.1:${s.port}`, '--no-clients'], ['diagnose', `https://127.0.0.1:${s.port}`], ['pin', `127.0.0.1:${s.port}`]]) {
    const r = await runCli([...args, '--proxy', wrong]);
    assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /refused the tunnel to 127\.0\.0\.1:\d+: 407 Proxy Authentication Required: it requires authentication/);
    assert.doesNotMatch(r.stderr, /nope|alice/);
  }
  const closed = await freePort();
  const r = await runCli(['scan', `127.0.0.1:${closed}`, '--proxy', proxy.url, '--no-clients']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /refused the tunnel to 127\.0\.0\.1:\d+: 502 Bad Gateway/);
});

test('diagnose --proxy asks the CA\'s CRL through the proxy too: a revoked certificate is found, the proxy saw the fetch', async () => {
  const { ca, leaf, crlUrl } = await revokedLeafWithCrl(f, 'Proxy Test');
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert });
  const proxy = await startProxy('carol:pw');
  const d = await runCli(['diagnose', `https://localhost:${s.port}`, '--ca-file', ca.cert, '--proxy', proxy.url, '--json']);
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the CA says the certificate is revoked: the CRL at http:\/\/127\.0\.0\.1:\d+\/ca\.crl says/, d.stderr);
  assert.deepEqual(proxy.requests, [`GET ${crlUrl}`]);
});

test('pinning check through the proxy: the pins are checked against the chain served behind it', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key });
  const proxy = await startProxy();
  const file = join(f.dir, 'pinning-proxy.json');
  writeFileSync(file, JSON.stringify({ hosts: [{ host: 'localhost', hashes: [`sha256/${opensslPinOfCert(cert.cert)}`, `sha256/${Buffer.alloc(32, 7).toString('base64')}`] }] }));
  const r = await runCli(['pinning', 'check', `https://localhost:${s.port}`, '--config', file, '--ca', cert.cert, '--proxy', proxy.url]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Success/);
  assert.ok(proxy.tunnels.includes(`localhost:${s.port}`), proxy.tunnels.join(' '));
});

test('a node:tls handshake through the proxy that fails before it starts (options OpenSSL refuses) closes its tunnel: openssl s_server, which serves one connection at a time, answers the next one', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key });
  const proxy = await startProxy();
  const via = parseProxy(proxy.url);
  await assert.rejects(fullHandshake({ host: '127.0.0.1', port: s.port, timeoutMs: 3000, proxy: via, sigalgs: 'no_such_sigalg' }));
  const started = Date.now();
  const ok = await fullHandshake({ host: '127.0.0.1', port: s.port, timeoutMs: 3000, proxy: via });
  assert.equal(ok.chainDer.length, 1);
  assert.ok(Date.now() - started < 2500, `${Date.now() - started} ms`);
  assert.equal(proxy.tunnels.length, 2);
});
