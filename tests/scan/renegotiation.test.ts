/**
 * Client-initiated renegotiation (src/scan/renegotiation.ts,
 * src/net/renegotiation.ts) against real servers: openssl s_server refuses
 * it by default (OpenSSL 3) and accepts it with -client_renegotiation;
 * nginx refuses it; gnutls-serv with %DISABLE_SAFE_RENEGOTIATION accepts it
 * without RFC 5746 (insecure, grade F). The SCRIPTED FAKE SERVER of
 * tests/support/cbc-oracle-server.ts plays the hostile ones no library here
 * is: one silent after its Finished, one that never finishes its handshake.
 */
import { test, after } from 'node:test';
import tls from 'node:tls';
import net from 'node:net';
import assert from 'node:assert/strict';
import { constants } from 'node:crypto';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startNodeTLSServer, startOpenSSLServer } from '../support/servers.js';
import { startCbcOracleServer } from '../support/cbc-oracle-server.js';
import { startDelayRelay } from '../support/delay-relay.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { renderScan } from '../../src/report/terminal.js';
import { clientRenegotiation } from '../../src/net/renegotiation.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const ask = (port: number, afterServerFinished: boolean) => clientRenegotiation({
  host: '127.0.0.1', port, servername: 'localhost', version: 0x0303, timeoutMs: 4000, afterServerFinished, answerWaitMs: () => 500,
});

test('net: openssl s_server refuses with no_renegotiation by default and renegotiates with -client_renegotiation, the ClientHello sent with our Finished or after the server\'s', async () => {
  const refuses = await startOpenSSLServer({ cert: c.cert, key: c.key });
  const accepts = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-client_renegotiation'] });
  try {
    for (const late of [false, true]) {
      const no = await ask(refuses.port, late);
      assert.deepEqual(no.kind === 'answer' && [no.answer, no.alert], ['alert', 'alert no_renegotiation (100)'], JSON.stringify(no));
      const yes = await ask(accepts.port, late);
      assert.equal(yes.kind === 'answer' && yes.answer, 'handshake', JSON.stringify(yes));
    }
  } finally {
    await refuses.stop();
    await accepts.stop();
  }
});

test('net: Node\'s TLS servers renegotiate when asked, and refuse with secureOptions SSL_OP_NO_RENEGOTIATION (the fix the finding names)', async () => {
  // Servers that wait for a request (startNodeTLSServer answers at once and hangs up: a close by itself).
  const quiet = async (o: tls.TlsOptions) => {
    const server = tls.createServer(o, (sock) => { sock.on('error', () => {}); sock.resume(); });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return server.address() as net.AddressInfo;
  };
  const yes = await quiet({ cert: c.pem, key: c.keyPem });
  const no = await quiet({ cert: c.pem, key: c.keyPem, secureOptions: constants.SSL_OP_NO_RENEGOTIATION });
  const a = await ask(yes.port, true);
  const b = await ask(no.port, true);
  assert.equal(a.kind === 'answer' && a.answer, 'handshake', JSON.stringify(a));
  assert.equal(b.kind === 'answer' && b.alert, 'alert no_renegotiation (100)', JSON.stringify(b));
});

test('scan: a server that renegotiates when asked is a low finding with no grade cap; one that refuses (s_server, nginx) is none; the terminal says which', async () => {
  const accepts = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-client_renegotiation'] });
  const nginx = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;'] });
  try {
    const yes = await scanEndpoint(ep(accepts.port), { timeoutMs: 4000, renegotiation: true });
    assert.equal(yes.features!.clientRenegotiation, true, JSON.stringify(yes.features));
    assert.equal(yes.features!.clientRenegotiationAnswer, 'handshake');
    const a = assess(yes, { host: 'localhost' });
    const f = a.findings.find((x) => x.id === 'protocol.client-renegotiation');
    assert.equal(f?.severity, 'low');
    assert.ok(!a.findings.some((x) => x.id === 'protocol.insecure-renegotiation'));
    assert.ok(!a.grade.caps.some((x) => /renegotiation/.test(x.reason)), JSON.stringify(a.grade.caps));
    assert.match(renderScan(yes, { color: false }), /client renegotiation\s+yes \(a denial-of-service lever\)/);

    const no = await scanEndpoint(ep(nginx.port), { timeoutMs: 4000, renegotiation: true });
    assert.equal(no.features!.clientRenegotiation, false, JSON.stringify(no.features));
    assert.equal(no.features!.clientRenegotiationAnswer, 'alert no_renegotiation (100)');
    assert.ok(!assess(no, { host: 'localhost' }).findings.some((x) => /renegotiation/.test(x.id)));
    assert.match(renderScan(no, { color: false }), /client renegotiation\s+refused \(alert no_renegotiation \(100\)\)/);
  } finally {
    await accepts.stop();
    await nginx.stop();
  }
});

test('scan: openssl s_server -www sleeps a second after it refuses a renegotiation, before its next connection: near, the check goes after every other probe, and none waits that second', async () => {
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key });
  try {
    const probes: { purpose: string; started: number; ended: number }[] = [];
    const handshakes: { purpose: string; started: number; ended: number }[] = [];
    const notes: string[] = [];
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, onProbe: (p) => probes.push(p), onHandshake: (h) => handshakes.push(h), onNote: (t) => notes.push(t) });
    assert.equal(r.features!.clientRenegotiation, false, JSON.stringify(r.features));
    assert.ok(notes.some((t) => t.startsWith('near')), notes.join('\n'));
    const reneg = handshakes.filter((h) => h.purpose === 'renegotiation');
    assert.equal(reneg.length, 1);
    const others = [...probes, ...handshakes.filter((h) => h.purpose !== 'renegotiation')];
    assert.ok(others.every((p) => p.ended <= reneg[0]!.started), 'a probe ended after the renegotiation check began');
    const slowest = Math.max(...others.map((p) => p.ended - p.started));
    assert.ok(slowest < 900, `a probe took ${slowest.toFixed(0)} ms`);
  } finally {
    await s.stop();
  }
});

test('scan: gnutls-serv without RFC 5746 (%DISABLE_SAFE_RENEGOTIATION) renegotiates insecurely: a critical finding and grade F', async () => {
  const g = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION' });
  try {
    const r = await scanEndpoint(ep(g.port), { timeoutMs: 4000, renegotiation: true });
    assert.equal(r.features!.secureRenegotiation, false);
    assert.equal(r.features!.clientRenegotiation, true, JSON.stringify(r.features));
    const a = assess(r, { host: 'localhost' });
    assert.equal(a.findings.find((x) => x.id === 'protocol.insecure-renegotiation')?.severity, 'critical');
    assert.ok(!a.findings.some((x) => x.id === 'protocol.client-renegotiation'));
    assert.equal(a.grade.gradeIgnoringTrust, 'F');
    assert.ok(a.grade.caps.some((x) => x.grade === 'F' && /insecure renegotiation/.test(x.reason)));
    assert.match(renderScan(r, { color: false }), /client renegotiation\s+yes, without RFC 5746 \(insecure, CVE-2009-3555\)/);
  } finally {
    await g.stop();
  }
});

test('scan: the check is skipped with renegotiation false, and has nothing to ask of a TLS 1.3-only server: no handshake, no terminal line', async () => {
  const tls13 = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, minVersion: 'TLSv1.3' });
  const stats: Record<string, number>[] = [];
  const r = await scanEndpoint(ep(tls13.port), { timeoutMs: 4000, onStats: (by) => stats.push(by) });
  assert.equal(r.features!.clientRenegotiation, null);
  assert.equal(r.features!.clientRenegotiationNote, 'no TLS 1.0-1.2');
  assert.equal(stats[0]!.renegotiation, undefined);
  assert.doesNotMatch(renderScan(r, { color: false }), /client renegotiation/);
  const nginx = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;'] });
  try {
    const skipped: Record<string, number>[] = [];
    const s = await scanEndpoint(ep(nginx.port), { timeoutMs: 4000, renegotiation: false, onStats: (by) => skipped.push(by) });
    assert.equal(s.features!.clientRenegotiation, null);
    assert.equal(s.features!.clientRenegotiationNote, 'not asked (--no-renegotiation)');
    assert.equal(skipped[0]!.renegotiation, undefined);
    assert.doesNotMatch(renderScan(s, { color: false }), /client renegotiation/);
  } finally {
    await nginx.stop();
  }
});

test('scan: 20 ms away (the ClientHello pipelined behind our Finished), s_server -client_renegotiation is still seen to renegotiate', async () => {
  const accepts = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-client_renegotiation'] });
  const relay = await startDelayRelay(accepts.port, 10);
  try {
    const r = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, renegotiation: true });
    assert.equal(r.features!.clientRenegotiation, true, JSON.stringify(r.features));
  } finally {
    relay.close();
    await accepts.stop();
  }
});

test('hostile (SCRIPTED FAKE SERVER): silent after its Finished, the answer is unknown after the wait; one that hangs up (close_notify) right behind its Finished closed by itself; a handshake that never finishes ends at the probe deadline; all unknown, no finding', async () => {
  const silent = await startCbcOracleServer({ mode: 'silent', certPem: c.pem, keyPem: c.keyPem });
  const hangup = await startCbcOracleServer({ mode: 'hangup', certPem: c.pem, keyPem: c.keyPem });
  const stall = await startCbcOracleServer({ mode: 'stall', certPem: c.pem, keyPem: c.keyPem });
  const t0 = Date.now();
  const [s, h, t] = await Promise.all([ask(silent.port, false), ask(hangup.port, false), clientRenegotiation({ host: '127.0.0.1', port: stall.port, version: 0x0303, timeoutMs: 800, answerWaitMs: () => 200 })]);
  assert.ok(Date.now() - t0 < 2500, `${Date.now() - t0} ms`);
  assert.equal(s.kind === 'answer' && s.answer, 'no answer', JSON.stringify(s));
  assert.equal(h.kind === 'answer' && h.answer, 'own close', JSON.stringify(h));
  assert.deepEqual([t.kind, t.kind === 'failed' && t.code], ['failed', 'timeout'], JSON.stringify(t));
  await hangup.stop();
  const r = await scanEndpoint(ep(silent.port), { timeoutMs: 2000, renegotiation: true, paddingOracle: false });
  assert.equal(r.features!.clientRenegotiation, null);
  assert.match(r.features!.clientRenegotiationNote ?? '', /no answer/);
  assert.ok(!assess(r, { host: 'localhost' }).findings.some((x) => /renegotiation/.test(x.id) && x.id !== 'protocol.no-secure-renegotiation'));
  await silent.stop();
  await stall.stop();
});
