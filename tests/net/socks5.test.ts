/**
 * SOCKS5 proxies (RFC 1928, RFC 1929): the dialogue on bytes (Socks5Tunnel),
 * then scan, diagnose and pin through microsocks, a real SOCKS5 server
 * (Debian's microsocks), with and without a user name and password: the
 * same answers as without it, and one clear line when the proxy refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { closedPort, startMicrosocks, startNginx, startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';
import { opensslPinOfCert } from '../pinning/support.js';
import { revokedLeafWithCrl } from '../support/ca-database.js';
import { startRecordingSocks } from '../support/socks-proxy.js';
import { parseProxy, ProxyError, Socks5Tunnel } from '../../src/net/proxy.js';
import { scanTarget } from '../../src/scan/run.js';

const OK_REPLY = Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0x04, 0x38]);

test('Socks5Tunnel: no authentication; the name, an IPv4 or an IPv6 address in CONNECT; the reply in pieces, with bytes after it', () => {
  const p = parseProxy('socks5h://127.0.0.1:1080');
  const t = new Socks5Tunnel(p, 'api.test', 443);
  assert.deepEqual(t.start(), Buffer.from([5, 1, 0]));
  assert.deepEqual(t.push(Buffer.from([5, 0])), { write: Buffer.concat([Buffer.from([5, 1, 0, 3, 8]), Buffer.from('api.test'), Buffer.from([1, 0xbb])]) });
  const reply = Buffer.concat([OK_REPLY, Buffer.from([0x16, 3, 3])]);
  let last = {};
  for (let i = 0; i < OK_REPLY.length; i++) last = t.push(reply.subarray(i, i + 1));
  assert.deepEqual(last, { done: true });
  const v4 = new Socks5Tunnel(p, '192.0.2.7', 8443);
  v4.start();
  assert.deepEqual(v4.push(Buffer.from([5, 0])).write, Buffer.from([5, 1, 0, 1, 192, 0, 2, 7, 0x20, 0xfb]));
  assert.deepEqual(v4.push(reply), { done: true, rest: Buffer.from([0x16, 3, 3]) });
  const v6 = new Socks5Tunnel(p, '2001:db8::1', 443);
  v6.start();
  assert.deepEqual(v6.push(Buffer.from([5, 0])).write, Buffer.from([5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0xbb]));
});

test('Socks5Tunnel: user name and password (RFC 1929) in one method; refusals and answers that are not SOCKS5 end in ProxyError, whatever the bytes', () => {
  const p = parseProxy('socks5h://alice:wonder@proxy.test');
  const t = new Socks5Tunnel(p, 'api.test', 443);
  assert.deepEqual(t.start(), Buffer.from([5, 1, 2]));
  assert.deepEqual(t.push(Buffer.from([5, 2])).write, Buffer.from([1, 5, ...Buffer.from('alice'), 6, ...Buffer.from('wonder')]));
  assert.deepEqual(t.push(Buffer.from([1, 0])).write?.subarray(0, 4), Buffer.from([5, 1, 0, 3]));
  assert.deepEqual(t.push(OK_REPLY), { done: true });
  const refused = (proxy: string, bytes: number[], re: RegExp) => {
    const d = new Socks5Tunnel(parseProxy(proxy), 'api.test', 443);
    d.start();
    assert.throws(() => d.push(Buffer.from(bytes)), (e: Error) => e instanceof ProxyError && re.test(e.message), JSON.stringify(bytes));
  };
  refused('socks5h://proxy.test', [5, 0xff], /accepts none of our authentication methods: it requires a user name and password/);
  refused('socks5h://a:b@proxy.test', [5, 2, 1, 1], /refused the user name and password/);
  refused('socks5h://proxy.test', [5, 0, 5, 5, 0, 1], /did not open a tunnel to api\.test:443: connection refused/);
  refused('socks5h://proxy.test', [5, 0, 5, 2, 0, 1], /connection not allowed by ruleset/);
  refused('socks5h://proxy.test', [...Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')], /did not answer as a SOCKS5 proxy/);
  fc.assert(fc.property(fc.boolean(), fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 40 }), (auth, chunks) => {
    const d = new Socks5Tunnel(parseProxy(auth ? 'socks5h://a:b@x' : 'socks5h://x'), 'api.test', 443);
    d.start();
    try { for (const c of chunks) if (d.push(c).done) break; } catch (e) { assert.ok(e instanceof ProxyError, String(e)); }
  }));
});

const f = new CertFactory();
const cert = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });

test('scan through microsocks (socks5h://, the proxy resolves "localhost") equals the direct scan of nginx', async () => {
  const s = await startNginx({ cert: cert.cert, key: cert.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;'] });
  const socks = await startMicrosocks();
  // The checks of our own TLS client asked even should a loaded machine make nginx look like it serves one connection at a time.
  const asked = { timeoutMs: 4000, renegotiation: true, paddingOracle: true };
  const direct = await scanTarget({ host: '127.0.0.1', port: s.port, sni: 'localhost', input: 'x' }, asked);
  const via = await scanTarget({ host: 'localhost', port: s.port, sni: 'localhost', input: 'x', proxy: parseProxy(`socks5h://127.0.0.1:${socks.port}`) }, asked);
  const shape = (r: typeof direct) => r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((c) => c.id)]);
  assert.deepEqual(shape(via), shape(direct));
  assert.deepEqual(via.groups.map((g) => g.id), direct.groups.map((g) => g.id));
  assert.deepEqual(via.certificates.map((c) => c.sha256), direct.certificates.map((c) => c.sha256));
  // Our own TLS client's handshakes (renegotiation, padding oracle) go through the proxy as well.
  assert.equal(direct.features!.clientRenegotiation, false);
  assert.deepEqual([via.features!.clientRenegotiation, via.features!.paddingOracle], [direct.features!.clientRenegotiation, direct.features!.paddingOracle]);
  assert.deepEqual(via.errors, []);
  assert.equal(via.target.address, 'localhost', 'socks5h: the name went to the proxy');
});

test('diagnose and pin through microsocks with a user name and password; a wrong password, no password, and a port nothing listens on end in one line (exit 3)', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key });
  const socks = await startMicrosocks({ user: 'alice', password: 'wonderland' });
  const url = `socks5h://alice:wonderland@127.0.0.1:${socks.port}`;
  const d = await runCli(['diagnose', `https://localhost:${s.port}`, '--proxy', url, '--no-revocation', '--json']);
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the certificate is self-signed/, d.stderr);
  assert.doesNotMatch(d.stdout, /wonderland/);
  const pin = await runCli(['pin', `127.0.0.1:${s.port}`, '--proxy', `socks5://alice:wonderland@127.0.0.1:${socks.port}`, '-f', 'sha256']);
  assert.equal(pin.stdout, `sha256/${opensslPinOfCert(cert.cert)}\n`, pin.stderr);
  const cases: [string, RegExp][] = [
    [url.replace('wonderland', 'nope'), /refused the user name and password/],
    [`socks5h://127.0.0.1:${socks.port}`, /accepts none of our authentication methods: it requires a user name and password/],
  ];
  for (const [proxy, re] of cases) {
    for (const args of [['scan', `127.0.0.1:${s.port}`, '--no-clients'], ['diagnose', `https://127.0.0.1:${s.port}`]]) {
      const r = await runCli([...args, '--proxy', proxy]);
      assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /nope|wonderland|alice/);
    }
  }
  const closed = await closedPort();
  const r = await runCli(['scan', `127.0.0.1:${closed}`, '--proxy', url, '--no-clients']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /did not open a tunnel to 127\.0\.0\.1:\d+: (connection refused|general SOCKS server failure|host unreachable)/);
});

test('the CA\'s CRL is fetched through the SOCKS5 tunnel, not around it (node:http ignores createConnection when given agent: false)', async () => {
  const { ca, leaf, crlUrl } = await revokedLeafWithCrl(f, 'Socks Test');
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert });
  const socks = await startRecordingSocks();
  const d = await runCli(['diagnose', `https://localhost:${s.port}`, '--ca-file', ca.cert, '--proxy', socks.url, '--json']);
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the CA says the certificate is revoked: the CRL at http:\/\/127\.0\.0\.1:\d+\/ca\.crl says/, d.stderr);
  assert.ok(socks.targets.includes(new URL(crlUrl).host), socks.targets.join(' '));
});
