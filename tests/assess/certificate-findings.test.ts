/**
 * Each certificate defect made at test time, served by a real TLS server
 * (node:tls, openssl s_server, nginx), read through a real client handshake,
 * and judged: the exact certificate.* finding ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { makePki, serve, serveIssuer, trustOf, type Pki } from '../support/pki.js';
import { assess } from '../../src/assess/index.js';
import { caFileStore, nodeRootStore } from '../../src/x509/trust-store.js';
import { pemToDers } from '../../src/x509/cert.js';
import type { TrustReport } from '../../src/x509/trust.js';

const pki: Pki = makePki('Findings');

const DAY = 86_400_000;
const certIds = (trust: TrustReport, o: { expiresSoonDays?: number } = {}) =>
  assess({ protocols: [] }, { host: trust.host, trust, ...o }).findings.map((f) => f.id).filter((id) => id.startsWith('certificate.')).sort();

test('good chain (EC P-256 leaf + intermediate, node:tls): no certificate finding', async () => {
  const leaf = pki.leaf({ cn: 'good.test' });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'good.test', { stores: [pki.systemStore] });
  assert.equal(trust.trusted, true);
  assert.deepEqual(trust.trustedBy, ['system']);
  assert.deepEqual(trust.path.map((c) => c.source), ['sent', 'sent', 'store']);
  assert.deepEqual(certIds(trust), []);
});

test('good chain with an RSA 2048 leaf from nginx: no certificate finding', async () => {
  const leaf = pki.leaf({ cn: 'rsa.test', key: 'rsa2048' });
  const s = await serve(pki, leaf, [pki.int], 'nginx');
  const { trust } = await trustOf(s, 'rsa.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), []);
  assert.equal(trust.path[0].info.keyType, 'RSA');
});

test('expired leaf: certificate.expired', async () => {
  const leaf = pki.leaf({ cn: 'expired.test', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 3 * DAY) });
  const s = await serve(pki, leaf, [pki.int], 'openssl');
  const { trust, authorizationError } = await trustOf(s, 'expired.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.expired']);
  assert.equal(authorizationError, 'CERT_HAS_EXPIRED'); // Node's verdict agrees
});

test('not yet valid leaf: certificate.not-yet-valid', async () => {
  const leaf = pki.leaf({ cn: 'future.test', notBefore: new Date(Date.now() + 5 * DAY), notAfter: new Date(Date.now() + 400 * DAY) });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'future.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.not-yet-valid']);
});

test('leaf expiring in 10 days: certificate.expires-soon with the default 30-day threshold, none with 5', async () => {
  const leaf = pki.leaf({ cn: 'soon.test', notAfter: new Date(Date.now() + 10 * DAY + 3600_000) });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'soon.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.expires-soon']);
  assert.deepEqual(certIds(trust, { expiresSoonDays: 5 }), []);
});

test('wrong host: certificate.hostname-mismatch naming what the certificate is issued to', async () => {
  const leaf = pki.leaf({ cn: 'api.example.net', san: 'DNS:*.example.net' });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'api.example.com', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.hostname-mismatch']);
  const f = assess({ protocols: [] }, { host: 'api.example.com', trust }).findings[0];
  assert.match(f.detail, /^the certificate's name does not match api\.example\.com: it is issued to \*\.example\.net/);
});

test('wildcard edge cases against one *.example.test certificate (openssl s_server)', async () => {
  const leaf = pki.leaf({ cn: 'wild', san: 'DNS:*.example.test' });
  const s = await serve(pki, leaf, [pki.int], 'openssl');
  for (const [host, ids] of [
    ['a.example.test', []],
    ['A.EXAMPLE.TEST', []],
    ['a.b.example.test', ['certificate.hostname-mismatch']],
    ['example.test', ['certificate.hostname-mismatch']],
  ] as const) {
    const { trust } = await trustOf(s, host, { stores: [pki.systemStore] });
    assert.deepEqual(certIds(trust), ids, host);
  }
});

test('partial wildcard f*.example.test is refused for foo.example.test', async () => {
  const leaf = pki.leaf({ cn: 'partial', san: 'DNS:f*.example.test' });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'foo.example.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.hostname-mismatch']);
  assert.match(trust.hostname && !trust.hostname.ok ? trust.hostname.notes.join(' ') : '', /partial wildcard/);
});

test('IP SAN: 127.0.0.1 matches an IP:127.0.0.1 certificate, not a DNS-only one', async () => {
  const ipLeaf = pki.leaf({ cn: 'ip', san: 'IP:127.0.0.1,DNS:localhost' });
  const s1 = await serve(pki, ipLeaf, [pki.int]);
  assert.deepEqual(certIds((await trustOf(s1, '127.0.0.1', { stores: [pki.systemStore] })).trust), []);
  const dnsLeaf = pki.leaf({ cn: '127.0.0.1', san: 'DNS:127.0.0.1' });
  const s2 = await serve(pki, dnsLeaf, [pki.int]);
  assert.deepEqual(certIds((await trustOf(s2, '127.0.0.1', { stores: [pki.systemStore] })).trust), ['certificate.hostname-mismatch']);
});

test('CN-only certificate: matched, but certificate.hostname-cn-fallback', async () => {
  const leaf = pki.leaf({ cn: 'legacy.test', san: undefined });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'legacy.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.hostname-cn-fallback']);
});

test('self-signed leaf: certificate.self-signed against Node roots and the system store', async () => {
  const self = pki.f.make({ cn: 'self.test', san: 'DNS:self.test', key: 'ec256' });
  const s = await serve(pki, self, []);
  const { trust } = await trustOf(s, 'self.test', { stores: [nodeRootStore()] });
  assert.equal(trust.problem, 'self-signed');
  assert.deepEqual(certIds(trust), ['certificate.self-signed']);
});

test('private root trusted only with --ca-file', async () => {
  const leaf = pki.leaf({ cn: 'private.test' });
  const s = await serve(pki, leaf, [pki.int], 'nginx');
  const without = (await trustOf(s, 'private.test', { stores: [nodeRootStore()] })).trust;
  assert.deepEqual(certIds(without), ['certificate.untrusted-root']);
  assert.equal(without.problem, 'untrusted-root');
  const withCa = (await trustOf(s, 'private.test', { stores: [caFileStore(pki.rootFile), nodeRootStore()] })).trust;
  assert.equal(withCa.trusted, true);
  assert.deepEqual(withCa.trustedBy, [`ca-file:${pki.rootFile}`]);
  assert.deepEqual(certIds(withCa), ['certificate.private-ca']);
  assert.equal(assess({ protocols: [] }, { host: 'private.test', trust: withCa }).findings[0].severity, 'info');
});

test('leaf without its intermediate: certificate.incomplete-chain', async () => {
  const leaf = pki.leaf({ cn: 'noint.test' });
  const s = await serve(pki, leaf, [], 'openssl');
  const { trust } = await trustOf(s, 'noint.test', { stores: [pki.systemStore] });
  assert.equal(trust.problem, 'incomplete-chain');
  assert.equal(trust.missingIssuer, 'CN=Findings Issuing CA 1');
  assert.deepEqual(certIds(trust), ['certificate.incomplete-chain']);
});

test('leaf without its intermediate, AIA fetch from a loopback HTTP server completes the path', async () => {
  const web = await serveIssuer(pemToDers(pki.int.pem)[0]!);
  after(() => web.close());
  const url = web.url;
  const leaf = pki.leaf({ cn: 'aia.test', extra: [`authorityInfoAccess=caIssuers;URI:${url}`] });
  const s = await serve(pki, leaf, []);
  const plain = (await trustOf(s, 'aia.test', { stores: [pki.systemStore] })).trust;
  assert.equal(web.hits, 0);
  assert.equal(plain.trusted, false);
  const fetched = (await trustOf(s, 'aia.test', { stores: [pki.systemStore], fetchIntermediates: true })).trust;
  assert.equal(web.hits, 1);
  assert.equal(fetched.trusted, true);
  assert.equal(fetched.completedByAia, true);
  assert.deepEqual(fetched.path.map((c) => c.source), ['sent', 'aia', 'store']);
  assert.deepEqual(fetched.aia, [{ url, ok: true, error: undefined, subjects: ['CN=Findings Issuing CA 1'] }]);
  assert.deepEqual(certIds(fetched), ['certificate.incomplete-chain']);
  const f = assess({ protocols: [] }, { host: 'aia.test', trust: fetched }).findings[0];
  assert.match(f.detail, /downloaded it from the AIA URL/);
});

test('SHA-1 signed leaf (openssl s_server): certificate.weak-signature', async () => {
  const leaf = pki.leaf({ cn: 'sha1.test', key: 'rsa2048', digest: 'sha1' });
  const s = await serve(pki, leaf, [pki.int], 'openssl', ['-cipher', 'DEFAULT:@SECLEVEL=0']);
  const { trust } = await trustOf(s, 'sha1.test', { stores: [pki.systemStore] });
  assert.equal(trust.path[0].info.signatureAlgorithm, 'ecdsa-with-SHA1');
  assert.deepEqual(certIds(trust), ['certificate.weak-signature']);
});

test('RSA 1024 leaf (openssl s_server): certificate.weak-key', async () => {
  const leaf = pki.leaf({ cn: 'rsa1024.test', key: 'rsa1024' });
  const s = await serve(pki, leaf, [pki.int], 'openssl', ['-cipher', 'DEFAULT:@SECLEVEL=0']);
  const { trust } = await trustOf(s, 'rsa1024.test', { stores: [pki.systemStore] });
  assert.equal(trust.path[0].info.keyBits, 1024);
  assert.deepEqual(certIds(trust), ['certificate.weak-key']);
});

test('clientAuth-only EKU: certificate.not-server-auth', async () => {
  const leaf = pki.leaf({ cn: 'eku.test', eku: 'clientAuth' });
  const s = await serve(pki, leaf, [pki.int]);
  const { trust } = await trustOf(s, 'eku.test', { stores: [pki.systemStore] });
  assert.deepEqual(certIds(trust), ['certificate.not-server-auth']);
});
