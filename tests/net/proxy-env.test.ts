/**
 * `--proxy env` and `--noproxy` (src/net/proxy-env.ts): the no-proxy list as
 * curl reads it, the environment's variables in curl's order, then scan,
 * diagnose and pin through a real CONNECT proxy (tests/support/http-proxy.ts)
 * chosen from HTTPS_PROXY, and around it for the hosts NO_PROXY names, while
 * a CA's URL that the list does not name still goes through it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';
import { startProxy } from '../support/http-proxy.js';
import { opensslPinOfCert } from '../pinning/support.js';
import { revokedLeafWithCrl } from '../support/ca-database.js';
import { bypassesProxy, parseNoProxy, proxyChoice, proxyFor } from '../../src/net/proxy-env.js';
import { UsageError } from '../../src/util/errors.js';

test('no-proxy list: names cover their subdomains (a leading . or *. changes nothing), addresses and CIDR blocks cover addresses only, :port narrows, * covers all', () => {
  const rules = parseNoProxy('corp.example, .internal.test,*.svc.local 10.0.0.0/8,192.0.2.7 2001:db8::/32 api.partner.test:8443 [::1]:9443');
  const direct = (host: string, port = 443) => bypassesProxy(rules, host, port);
  assert.ok(direct('corp.example') && direct('API.Corp.Example') && direct('a.b.corp.example') && direct('corp.example.'));
  assert.ok(!direct('notcorp.example') && !direct('corp.example.com'));
  assert.ok(direct('internal.test') && direct('x.internal.test') && direct('svc.local') && direct('db.svc.local'));
  assert.ok(direct('10.1.2.3') && direct('192.0.2.7') && !direct('192.0.2.8') && !direct('11.0.0.1'));
  assert.ok(direct('2001:db8::1') && direct('[2001:db8:ffff::1]') && !direct('2001:db9::1'));
  // A name is not resolved to be matched against an address entry.
  assert.ok(!direct('localhost'));
  assert.ok(direct('api.partner.test', 8443) && !direct('api.partner.test', 443));
  assert.ok(direct('::1', 9443) && !direct('::1', 443));
  assert.ok(bypassesProxy(parseNoProxy('*'), 'anything.example', 1));
  assert.deepEqual(parseNoProxy(' , ,'), []);
  for (const bad of ['10.0.0.0/33', '::/129', 'a/b', 'host:0', 'host:70000', 'ex ample!']) {
    assert.throws(() => parseNoProxy(bad, 'NO_PROXY'), (e: Error) => e instanceof UsageError && e.message.startsWith('NO_PROXY: '), bad);
  }
  // Hostile text: a list or a clear UsageError, never anything else; matching never throws.
  fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: 70000 }), (text, host, port) => {
    let parsed;
    try { parsed = parseNoProxy(text); } catch (e) { assert.ok(e instanceof UsageError, String(e)); return; }
    assert.equal(typeof bypassesProxy(parsed, host, port), 'boolean');
  }));
});

test('proxyChoice: https_proxy before HTTPS_PROXY before all_proxy; NO_PROXY only with env, --noproxy over it; none set: undefined; errors name the variable, not its value', () => {
  const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', ALL_PROXY: 'socks5h://all:1080', NO_PROXY: 'corp.example' };
  assert.equal(proxyChoice('env', undefined, env)!.shown, 'http://lower:3128');
  assert.equal(proxyChoice('env', undefined, { ALL_PROXY: 'socks5h://all:1080' })!.shown, 'socks5h://all:1080');
  assert.equal(proxyChoice('ENV', undefined, { HTTPS_PROXY: 'proxy.corp:8080' })!.shown, 'http://proxy.corp:8080');
  assert.equal(proxyChoice('env', undefined, { HTTP_PROXY: 'http://plain:3128' }), undefined, 'HTTP_PROXY is for http:// URLs, as curl has it');
  assert.equal(proxyFor(proxyChoice('env', undefined, env), 'www.corp.example', 443), undefined);
  assert.equal(proxyFor(proxyChoice('env', 'other.test', env), 'www.corp.example', 443)!.shown, 'http://lower:3128');
  // An explicit URL does not take NO_PROXY from the environment.
  assert.equal(proxyFor(proxyChoice('http://p:1', undefined, env), 'www.corp.example', 443)!.shown, 'http://p:1');
  assert.equal(proxyFor(proxyChoice('http://p:1', 'corp.example', env), 'www.corp.example', 443), undefined);
  assert.equal(proxyChoice(undefined, undefined, env), undefined);
  assert.throws(() => proxyChoice(undefined, 'corp.example', env), /--noproxy: without --proxy/);
  assert.throws(() => proxyChoice('env', undefined, { HTTPS_PROXY: 'socks4://secret:pw@old-proxy:1080' }), (e: Error) => e instanceof UsageError && /^HTTPS_PROXY: only http:\/\//.test(e.message) && !/pw/.test(e.message));
  assert.equal(proxyChoice('env', undefined, { HTTPS_PROXY: 'https://secret:pw@tls-proxy:443' })?.tls, true);
  assert.throws(() => proxyChoice('env', undefined, { https_proxy: 'http://u:p w@[bad' }), (e: Error) => /^https_proxy: the value is not a proxy URL/.test(e.message) && !/p w/.test(e.message));
  assert.throws(() => proxyChoice('env', undefined, { HTTPS_PROXY: 'http://p:1', no_proxy: '10.0.0.0/40' }), /no_proxy: "10\.0\.0\.0\/40" is not an address or a CIDR block/);
});

const f = new CertFactory();
const cert = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });

/** Runs with these environment variables set (restored after; the CLI runs in this process). */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const names = ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', ...Object.keys(vars)];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = v;
  try { return await fn(); } finally {
    for (const [k, v] of saved) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

test('scan, diagnose and pin --proxy env: through the proxy HTTPS_PROXY names; around it for a host NO_PROXY or --noproxy names; with no proxy set, direct and said once', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key, args: ['-tls1_2'] });
  const proxy = await startProxy();
  const target = `127.0.0.1:${s.port}`;

  await withEnv({ HTTPS_PROXY: proxy.url }, async () => {
    const r = await runCli(['scan', target, '--proxy', 'env', '--no-clients', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.tunnels.length > 5 && proxy.tunnels.every((t) => t === target), `${proxy.tunnels.length} tunnels`);
    const pin = await runCli(['pin', target, '--proxy', 'env', '-f', 'sha256']);
    assert.equal(pin.stdout, `sha256/${opensslPinOfCert(cert.cert)}\n`, pin.stderr);
  });

  for (const [vars, extra] of [[{ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8' }, []], [{ https_proxy: proxy.url, no_proxy: 'example.test' }, ['--noproxy', '127.0.0.1']]] as const) {
    const before = proxy.tunnels.length;
    await withEnv(vars, async () => {
      const r = await runCli(['scan', target, '--proxy', 'env', ...extra, '--no-clients', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { protocols: { version: string; supported: boolean }[] }).protocols.find((p) => p.version === 'TLSv1.2')!.supported, true);
      const d = await runCli(['diagnose', `https://${target}`, '--proxy', 'env', ...extra, '--no-revocation', '--json']);
      assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /self-signed/, d.stderr);
    });
    assert.equal(proxy.tunnels.length, before, `no tunnel with ${JSON.stringify(vars)} ${extra.join(' ')}`);
  }

  await withEnv({}, async () => {
    const r = await runCli(['scan', target, '--proxy', 'env', '--no-clients', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'tlsdoctor: --proxy env: none of https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY is set: connecting directly\n');
    const bad = await runCli(['scan', target, '--noproxy', '127.0.0.1']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  });
});

test('a target NO_PROXY names is reached directly, and its CA\'s CRL, at a host the list does not name, still through the proxy', async () => {
  const { ca, leaf, crlUrl } = await revokedLeafWithCrl(f, 'Proxy Env');
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert });
  const proxy = await startProxy();
  const d = await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' }, () => runCli(['diagnose', `https://localhost:${s.port}`, '--ca-file', ca.cert, '--proxy', 'env', '--json']));
  assert.match((JSON.parse(d.stdout) as { verdict: string }).verdict, /^the CA says the certificate is revoked/, d.stderr);
  assert.deepEqual(proxy.tunnels, []);
  assert.deepEqual(proxy.requests, [`GET ${crlUrl}`]);
});
