/**
 * What the server's TLS <= 1.2 ServerHello says beside version and suite:
 * RFC 5746 secure renegotiation and the RFC 7627 extended master secret,
 * against real servers (nginx has both; gnutls-serv can be told to drop
 * either), and the findings that follow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';

const f = new CertFactory();
const c = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const ids = (r: Awaited<ReturnType<typeof scanEndpoint>>) => assess(r, { host: 'localhost' }).findings;

test('nginx (OpenSSL 3): secure renegotiation and extended master secret, no finding about either', async () => {
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, paddingOracle: true, renegotiation: true });
  // The ephemeral keys compared (scan/kx-reuse.ts): how many handshakes depends on the scan's paths.
  const { kxReuseSamples, ...features } = r.features!;
  assert.ok(kxReuseSamples?.some((x) => x.group === 'x25519') && kxReuseSamples.every((x) => x.distinctKeys === x.handshakes), JSON.stringify(kxReuseSamples));
  assert.deepEqual(features, { secureRenegotiation: true, extendedMasterSecret: true, version: 'TLSv1.2', clientCertificate: { requested: false, authorities: [], version: 'TLSv1.2' }, ocspStapling: false, sctExtension: false,
    fallbackScsv: true, downgradeSentinel: true, compression: false, heartbeat: false, heartbleed: false, ccsInjection: false, alpn: 'http/1.1',
    robot: false, robotReactions: Array(5).fill('alert 20'), paddingOracle: false, paddingOracleReactions: Array(5).fill('alert 20, then closed'), paddingOracleControl: 'no answer',
    clientRenegotiation: false, clientRenegotiationAnswer: 'alert no_renegotiation (100)', kxReuse: false });
  assert.ok(!ids(r).some((x) => x.id === 'protocol.no-secure-renegotiation' || x.id === 'protocol.no-extended-master-secret'));
});

test('gnutls-serv with %DISABLE_SAFE_RENEGOTIATION, TLS 1.2 only: no secure renegotiation, a high finding naming the OpenSSL 3 error', async () => {
  const s = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION' });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(r.features?.secureRenegotiation, false);
  assert.equal(r.features?.extendedMasterSecret, true);
  const found = ids(r).find((x) => x.id === 'protocol.no-secure-renegotiation');
  assert.ok(found, 'finding made');
  assert.equal(found.severity, 'high');
  assert.match(found.detail, /unsafe legacy renegotiation disabled/);
  assert.deepEqual(found.evidence, { version: 'TLSv1.2', tls13: false });
});

test('gnutls-serv with %NO_SESSION_HASH: no extended master secret; medium without TLS 1.3, low with it', async () => {
  const only12 = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH' });
  const r12 = await scanEndpoint(ep(only12.port), { timeoutMs: 4000 });
  assert.equal(r12.features?.secureRenegotiation, true);
  assert.equal(r12.features?.extendedMasterSecret, false);
  assert.equal(ids(r12).find((x) => x.id === 'protocol.no-extended-master-secret')?.severity, 'medium');
  const with13 = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3:%NO_SESSION_HASH' });
  const r13 = await scanEndpoint(ep(with13.port), { timeoutMs: 4000 });
  assert.equal(r13.features?.extendedMasterSecret, false);
  assert.equal(ids(r13).find((x) => x.id === 'protocol.no-extended-master-secret')?.severity, 'low');
});

test('a TLS 1.3-only server has no TLS <= 1.2 ServerHello to read: unknown, and no finding', async () => {
  const s = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3' });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(r.features?.secureRenegotiation, null);
  assert.equal(r.features?.extendedMasterSecret, null);
  assert.equal(r.features?.version, null);
  assert.ok(!ids(r).some((x) => x.id.startsWith('protocol.no-secure') || x.id.startsWith('protocol.no-extended')));
});

test('openssl s_server -Verify asks for a client certificate: seen in the TLS 1.2 flight with the CA it names, and in the decrypted TLS 1.3 flight of a TLS 1.3-only server', async () => {
  const ca = f.make({ cn: 'Client Issuing CA', ca: true, key: 'ec256' });
  const both = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-Verify', '1', '-CAfile', ca.cert] });
  const r = await scanEndpoint(ep(both.port), { timeoutMs: 4000 });
  assert.deepEqual(r.features?.clientCertificate, { requested: true, authorities: ['CN=Client Issuing CA'], version: 'TLSv1.2' });
  const only13 = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_3', '-Verify', '1', '-CAfile', ca.cert] });
  const r13 = await scanEndpoint(ep(only13.port), { timeoutMs: 4000 });
  assert.deepEqual(r13.features?.clientCertificate, { requested: true, authorities: ['CN=Client Issuing CA'], version: 'TLSv1.3' });
  assert.deepEqual(r13.errors, []);
});
