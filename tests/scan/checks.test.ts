/**
 * Downgrade protection (TLS_FALLBACK_SCSV), TLS compression and Heartbleed
 * (src/scan/checks.ts). Real servers for what they can show: nginx and
 * gnutls-serv refuse a fallback, gnutls-serv --heartbeat takes up heartbeats
 * and is not vulnerable, openssl s_server with TLS 1.2 alone has nothing to
 * fall back from. The SCRIPTED FAKE SERVER (tests/support/fake-tls-server.ts)
 * stands in for what no library on this machine can be: a server that
 * compresses (Debian's OpenSSL has no zlib, GnuTLS 3.6+ no compression), one
 * vulnerable to Heartbleed (OpenSSL 1.0.1-1.0.1f), one that ignores the SCSV,
 * one that takes a ChangeCipherSpec before the key exchange (CCS injection).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startNodeTLSServer, startOpenSSLServer } from '../support/servers.js';
import { startFakeServer, type FakeServerConfig } from '../support/fake-tls-server.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { heartbleedRequest } from '../../src/net/probe.js';
import { scanHello } from '../../src/scan/hellos.js';
import { parseClientHello } from '../../src/wire/client-hello-parse.js';
import { premasterBlock } from '../../src/scan/robot.js';
import type { ScanResult } from '../../src/scan/types.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const checks = (r: ScanResult) => {
  const { fallbackScsv, compression, heartbeat, heartbleed, ccsInjection } = r.features!;
  return { fallbackScsv, compression, heartbeat, heartbleed, ccsInjection };
};
/** An RSA 2048 certificate for localhost and 127.0.0.1, made now. */
const localhostCert = () => new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const ids = (r: ScanResult) => assess(r, { host: 'localhost' }).findings.map((f) => f.id);
const CHECK_FINDINGS = ['protocol.heartbleed', 'protocol.compression', 'protocol.no-fallback-scsv', 'protocol.no-downgrade-sentinel', 'protocol.ccs-injection'];

test('nginx (TLS 1.2 and 1.3, OpenSSL 3): refuses a fallback with the SCSV, no compression, no heartbeat, refuses an early ChangeCipherSpec; no finding', async () => {
  const c = localhostCert();
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.deepEqual(checks(r), { fallbackScsv: true, compression: false, heartbeat: false, heartbleed: false, ccsInjection: false });
  assert.equal(r.features!.downgradeSentinel, true, 'TLS 1.3 server: its TLS 1.2 ServerHello random ends with DOWNGRD 01');
  assert.deepEqual(ids(r).filter((id) => CHECK_FINDINGS.includes(id)), []);
});

test('gnutls-serv --heartbeat (TLS 1.0-1.2): takes up heartbeats and discards the malformed request (not vulnerable); refuses a fallback and an early ChangeCipherSpec', async () => {
  const c = localhostCert();
  const s = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-TLS1.3:+VERS-TLS1.0:+VERS-TLS1.1', args: ['--heartbeat'] });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.deepEqual(checks(r), { fallbackScsv: true, compression: false, heartbeat: true, heartbleed: false, ccsInjection: false });
  assert.deepEqual(ids(r).filter((id) => CHECK_FINDINGS.includes(id)), []);
  assert.deepEqual(r.errors, []);
});

test('openssl s_server with TLS 1.2 alone: no lower version to fall back to, so downgrade protection is not applicable (null)', async () => {
  const c = localhostCert();
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_2'] });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.equal(r.features!.fallbackScsv, null);
  assert.equal(r.features!.compression, false);
  assert.ok(!ids(r).includes('protocol.no-fallback-scsv'));
});

async function fake(extra: Partial<FakeServerConfig>) {
  const der = new Uint8Array(new X509Certificate(new CertFactory().make({ cn: 'localhost', key: 'rsa2048' }).pem).raw);
  return startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: [0x002f, 0x0035], serverPreference: true, certificate: der, ...extra });
}

test('scripted fake server vulnerable to Heartbleed, compressing, ignoring the SCSV: all three found, Heartbleed critical and grade F', async () => {
  const s = await fake({ heartbeat: 'vulnerable', compression: true });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 3000 });
  assert.deepEqual(checks(r), { fallbackScsv: false, compression: true, heartbeat: true, heartbleed: true, ccsInjection: null });
  const a = assess(r, { host: 'localhost' });
  const found = a.findings.filter((f) => CHECK_FINDINGS.includes(f.id)).map((f) => [f.id, f.severity]);
  assert.deepEqual(found, [['protocol.heartbleed', 'critical'], ['protocol.compression', 'medium'], ['protocol.no-fallback-scsv', 'low']]);
  assert.equal(a.grade.grade, 'F');
  assert.ok(a.grade.caps.some((cap) => cap.grade === 'F' && /Heartbleed/.test(cap.reason)), JSON.stringify(a.grade.caps));
});

test('scripted fake server with heartbeats that discards a request claiming more than it carries: not vulnerable, and the wait for its answer ends', async () => {
  const s = await fake({ heartbeat: 'fixed', fallbackScsv: true });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 3000 });
  assert.deepEqual(checks(r), { fallbackScsv: true, compression: false, heartbeat: true, heartbleed: false, ccsInjection: null });
  assert.deepEqual(r.errors, []);
});

test('scripted fake server that answers the heartbeat request with bytes that are no TLS record: not vulnerable, no crash, no error', async () => {
  const s = await fake({ heartbeat: 'garbage' });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 3000 });
  assert.deepEqual(checks(r), { fallbackScsv: false, compression: false, heartbeat: true, heartbleed: false, ccsInjection: null });
  assert.deepEqual(r.errors, []);
});

test('CCS injection: the scripted fake server that takes an early ChangeCipherSpec (as OpenSSL before 1.0.1h) is found (high, no grade cap); one that refuses it is not; one that just closes is unknown', async () => {
  const vulnerable = await fake({ ccsInjection: 'vulnerable' });
  const r = await scanEndpoint(ep(vulnerable.port), { timeoutMs: 3000 });
  assert.equal(r.features!.ccsInjection, true);
  const a = assess(r, { host: 'localhost' });
  const f = a.findings.find((x) => x.id === 'protocol.ccs-injection');
  assert.equal(f?.severity, 'high');
  assert.ok(!a.grade.caps.some((cap) => /CCS|ChangeCipherSpec/.test(cap.reason)), JSON.stringify(a.grade.caps));
  const fixed = await fake({ ccsInjection: 'fixed' });
  const rf = await scanEndpoint(ep(fixed.port), { timeoutMs: 3000 });
  assert.equal(rf.features!.ccsInjection, false);
  assert.ok(!ids(rf).includes('protocol.ccs-injection'));
  // Without the option the fake server closes right after its flight: no reaction to read, so no verdict.
  const closes = await fake({});
  const rc = await scanEndpoint(ep(closes.port), { timeoutMs: 3000 });
  assert.equal(rc.features!.ccsInjection, null);
  assert.ok(!ids(rc).includes('protocol.ccs-injection'));
});

test('the checks\' hellos: DEFLATE offered before null, the heartbeat extension with peer_allowed_to_send, and a heartbeat request that claims 16 KB and carries nothing', () => {
  const h = parseClientHello(scanHello({ version: 'TLSv1.2', suites: [0x002f], sni: 'x.test', compression: [1, 0], heartbeat: true }));
  assert.deepEqual(h.compressionMethods, [1, 0]);
  assert.equal(h.extensions.find((e) => e.type === 15)?.data, '01');
  const plain = parseClientHello(scanHello({ version: 'TLSv1.2', suites: [0x002f], sni: 'x.test' }));
  assert.deepEqual(plain.compressionMethods, [0]);
  assert.ok(!plain.extensions.some((e) => e.type === 15));
  assert.deepEqual([...heartbleedRequest(0x0303)], [24, 3, 3, 0, 3, 1, 0x40, 0]);
});

test('ALPN: node:tls with h2 chooses h2 from the clear-text hello (TLS 1.2) and from the TLS 1.3 handshake (TLS 1.3 only); nginx without http2 chooses http/1.1; gnutls-serv chooses none', async () => {
  const c = localhostCert();
  const both = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, ALPNProtocols: ['h2', 'http/1.1'] });
  assert.equal((await scanEndpoint(ep(both.port), { timeoutMs: 4000 })).features!.alpn, 'h2');
  const only13 = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, ALPNProtocols: ['h2'], minVersion: 'TLSv1.3' });
  const r13 = await scanEndpoint(ep(only13.port), { timeoutMs: 4000 });
  assert.equal(r13.features!.alpn, 'h2');
  assert.equal(r13.certificates.length, 1);
  const nginx = await startNginx({ cert: c.cert, key: c.key });
  assert.equal((await scanEndpoint(ep(nginx.port), { timeoutMs: 4000 })).features!.alpn, 'http/1.1');
  const gnutls = await startGnuTLSServer({ cert: c.cert, key: c.key });
  assert.equal((await scanEndpoint(ep(gnutls.port), { timeoutMs: 4000 })).features!.alpn, null);
});

test('ALPN: a server that insists on a protocol of its own (node:tls with acme-tls/1 refuses other offers with no_application_protocol) is asked again without ALPN: its certificate and checks are still found', async () => {
  const c = localhostCert();
  const both = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, ALPNProtocols: ['acme-tls/1'] });
  const r = await scanEndpoint(ep(both.port), { timeoutMs: 4000 });
  assert.equal(r.features!.alpn, null);
  assert.equal(r.features!.compression, false);
  const only13 = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, ALPNProtocols: ['acme-tls/1'], minVersion: 'TLSv1.3' });
  const r13 = await scanEndpoint(ep(only13.port), { timeoutMs: 4000 });
  assert.equal(r13.certificates.length, 1, JSON.stringify(r13.errors));
  assert.equal(r13.features!.alpn, null);
  assert.deepEqual(r13.errors, []);
});

test('a TLS 1.3 server whose TLS 1.2 ServerHello carries no downgrade marker (hand-built scan data: every TLS 1.3 library here sets it): a low finding, and the missing SCSV is not excused by it', () => {
  const suite = { id: 0x002f, name: 'TLS_RSA_WITH_AES_128_CBC_SHA', openssl: 'AES128-SHA', kx: 'RSA', auth: 'RSA', cipher: 'AES-128-CBC', bits: 128, mac: 'SHA1', aead: false, forwardSecrecy: false, export: false, anonymous: false, null: false, strength: 'weak' } as const;
  const scan = {
    protocols: [
      { version: 'TLSv1.2' as const, supported: true, serverPreference: true, cipherSuites: [suite] },
      { version: 'TLSv1.3' as const, supported: true, serverPreference: true, cipherSuites: [{ ...suite, id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', kx: 'any', auth: 'any', cipher: 'AES-128-GCM', mac: 'AEAD', aead: true, forwardSecrecy: true, strength: 'recommended' as const }] },
    ],
    features: { secureRenegotiation: true, extendedMasterSecret: true, version: 'TLSv1.2' as const, clientCertificate: null, fallbackScsv: false, downgradeSentinel: false },
  };
  const found = assess(scan as unknown as ScanResult, { host: 'x.test' }).findings;
  assert.equal(found.find((f) => f.id === 'protocol.no-downgrade-sentinel')?.severity, 'low');
  assert.doesNotMatch(found.find((f) => f.id === 'protocol.no-fallback-scsv')!.detail, /detect a downgrade/);
});

test('ROBOT: nginx with RSA key exchange (OpenSSL 3) and gnutls-serv react alike to the five paddings (bad_record_mac after the Finished); an ECDHE-only server is not asked past one probe', async () => {
  const c = localhostCert();
  const nginx = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;', "ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:AES256-GCM-SHA384';"] });
  const r = await scanEndpoint(ep(nginx.port), { timeoutMs: 4000 });
  assert.equal(r.features!.robot, false);
  assert.equal(new Set(r.features!.robotReactions).size, 1, JSON.stringify(r.features!.robotReactions));
  assert.equal(r.features!.robotReactions!.length, 5);
  const gnutls = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:+RSA' });
  assert.equal((await scanEndpoint(ep(gnutls.port), { timeoutMs: 4000 })).features!.robot, false);
  const trace: string[] = [];
  const ecdhe = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;', "ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256';"] });
  const e = await scanEndpoint(ep(ecdhe.port), { timeoutMs: 4000, onProbe: (p) => trace.push(p.purpose) });
  assert.equal(e.features!.robot, null);
  assert.equal(trace.filter((p) => p === 'robot').length, 1);
});

test('ROBOT: the scripted fake server that answers a badly padded premaster secret at once and a well-padded one after the Finished is found to be an oracle (critical, grade F); the same server answering alike is not', async () => {
  const made = new CertFactory().make({ cn: 'localhost', key: 'rsa2048' });
  const der = new Uint8Array(new X509Certificate(made.pem).raw);
  const oracle = await startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: [0x002f, 0x0035], serverPreference: true, certificate: der, robot: { mode: 'oracle', keyPem: made.keyPem } });
  const r = await scanEndpoint(ep(oracle.port), { timeoutMs: 3000 });
  assert.equal(r.features!.robot, true, JSON.stringify(r.features!.robotReactions));
  assert.deepEqual(r.features!.robotReactions, ['alert 20', 'alert 40', 'alert 40', 'alert 40', 'alert 40']);
  const a = assess(r, { host: 'localhost' });
  assert.equal(a.findings.find((f) => f.id === 'protocol.robot')?.severity, 'critical');
  assert.ok(a.grade.caps.some((cap) => cap.grade === 'F' && /ROBOT/.test(cap.reason)));
  const safe = await startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: [0x002f, 0x0035], serverPreference: true, certificate: der, robot: { mode: 'safe', keyPem: made.keyPem } });
  const s = await scanEndpoint(ep(safe.port), { timeoutMs: 3000 });
  assert.equal(s.features!.robot, false);
  assert.ok(!assess(s, { host: 'localhost' }).findings.some((f) => f.id === 'protocol.robot'));
});

test('ROBOT premaster blocks: each as long as the modulus; only the first is a well-formed PKCS #1 v1.5 block for the client version', () => {
  const wellFormed = (b: Buffer, v: number) => {
    const sep = b.indexOf(0, 2);
    return b[0] === 0 && b[1] === 2 && sep === b.length - 49 && !b.subarray(2, sep).includes(0) && b.readUInt16BE(sep + 1) === v;
  };
  for (const k of [128, 256, 512]) {
    const blocks = [0, 1, 2, 3, 4].map((i) => premasterBlock(i, k, 0x0303));
    assert.deepEqual(blocks.map((b) => b.length), [k, k, k, k, k]);
    assert.deepEqual(blocks.map((b) => wellFormed(b, 0x0303)), [true, false, false, false, false]);
  }
});
