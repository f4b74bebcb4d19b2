/**
 * Pipelined closes (net/probe.ts): a ClientHello followed, in the same write,
 * by a close_notify alert. Real servers (nginx, openssl s_server, gnutls-serv,
 * node:tls) must answer it exactly as they answer the hello alone, and then
 * close the connection themselves: that is what keeps a server that serves
 * one connection at a time from waiting a round trip for each probe.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startOpenSSLServer, startNginx, startGnuTLSServer, startNodeTLSServer, type RunningServer } from '../support/servers.js';
import { sendHello, withPipelinedClose, type ProbeOutcome } from '../../src/net/probe.js';
import { scanHello, sslv2Hello } from '../../src/scan/hellos.js';
import { ScanContext } from '../../src/scan/context.js';
import { HostPool } from '../../src/net/pool.js';
import { scanEndpoint, pipelinedClosesDiffer, pipelinedClosesWork, type VersionProbe } from '../../src/scan/run.js';
import type { Endpoint } from '../../src/net/target.js';

const f = new CertFactory();
let rsa: CertFiles;
before(() => { rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' }); });

const ep = (port: number): Endpoint => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const TLS12 = [0xc030, 0xc02f, 0x009c, 0x002f, 0x0035, 0xc013, 0x000a];
const TLS13 = [0x1301, 0x1302, 0x1303];

test('withPipelinedClose appends a close_notify in the hello\'s record version, and leaves an SSL 2.0 hello alone', () => {
  const h10 = scanHello({ version: 'TLSv1.0', suites: [0x002f], sni: null });
  const out = withPipelinedClose(h10);
  assert.deepEqual([...out.subarray(0, h10.length)], [...h10]);
  assert.deepEqual([...out.subarray(h10.length)], [21, h10[1], h10[2], 0, 2, 1, 0]);
  const v2 = sslv2Hello([0x010080]);
  assert.equal(withPipelinedClose(v2), v2);
});

/** Sends bytes on a raw socket and reports whether the server closed by itself, and how much it sent. */
function serverClosesAfter(port: number, bytes: Uint8Array): Promise<{ closedByServer: boolean; received: number }> {
  return new Promise((resolve) => {
    let received = 0;
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(bytes));
    const timer = setTimeout(() => { s.destroy(); resolve({ closedByServer: false, received }); }, 3000);
    s.on('data', (d) => { received += d.length; });
    const end = () => { clearTimeout(timer); s.destroy(); resolve({ closedByServer: true, received }); };
    s.on('end', end);
    s.on('error', end);
  });
}

function same(a: ProbeOutcome, b: ProbeOutcome): void {
  assert.equal(a.kind, b.kind, JSON.stringify([a.kind, b.kind]));
  if (a.kind === 'hello' && b.kind === 'hello') {
    assert.equal(a.serverHello.version, b.serverHello.version);
    assert.equal(a.serverHello.cipherSuite, b.serverHello.cipherSuite);
    assert.equal(a.serverHello.isHelloRetryRequest, b.serverHello.isHelloRetryRequest);
    assert.equal(a.helloDone, b.helloDone);
    assert.equal(a.certificates?.length, b.certificates?.length);
  }
}

async function checkServer(name: string, start: () => Promise<RunningServer>): Promise<void> {
  const s = await start();
  try {
    for (const [version, suites] of [['TLSv1.2', TLS12], ['TLSv1.3', TLS13]] as const) {
      const hello = scanHello({ version, suites, sni: 'localhost' });
      const opts = { timeoutMs: 4000, readUntil: 'serverHelloDone' as const };
      const plain = await sendHello(ep(s.port), hello, opts);
      const piped = await sendHello(ep(s.port), hello, { ...opts, pipelineClose: true });
      assert.equal(plain.kind, 'hello', `${name} ${version}: ${JSON.stringify(plain)}`);
      same(plain, piped);
      const closed = await serverClosesAfter(s.port, withPipelinedClose(hello));
      assert.ok(closed.closedByServer, `${name} ${version}: the server must close after reading the close_notify`);
      assert.ok(closed.received > 40, `${name} ${version}: its flight came first (${closed.received} bytes)`);
    }
  } finally {
    await s.stop();
  }
}

test('nginx answers a hello with a pipelined close as it answers the hello alone, then closes', async () => {
  await checkServer('nginx', () => startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] }));
});

test('openssl s_server: the same', async () => {
  await checkServer('s_server', () => startOpenSSLServer({ cert: rsa.cert, key: rsa.key }));
});

test('node:tls: the same', async () => {
  await checkServer('node:tls', () => startNodeTLSServer({ cert: readFileSync(rsa.cert), key: readFileSync(rsa.key) }));
});

test('gnutls-serv (one connection at a time): TLS 1.2 the same, and it closes at once', async () => {
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2' });
  try {
    const hello = scanHello({ version: 'TLSv1.2', suites: TLS12, sni: 'localhost' });
    const plain = await sendHello(ep(s.port), hello, { timeoutMs: 4000, readUntil: 'serverHelloDone' });
    const piped = await sendHello(ep(s.port), hello, { timeoutMs: 4000, readUntil: 'serverHelloDone', pipelineClose: true });
    assert.equal(plain.kind, 'hello');
    same(plain, piped);
    const closed = await serverClosesAfter(s.port, withPipelinedClose(hello));
    assert.ok(closed.closedByServer && closed.received > 40, JSON.stringify(closed));
  } finally {
    await s.stop();
  }
});

/**
 * A relay in front of a real server that drops, without a byte, any
 * connection whose first write holds more than one TLS record: what a
 * middlebox that dislikes pipelined data would do. Everything else is passed
 * through both ways.
 */
async function startStrictRelay(upstreamPort: number): Promise<{ port: number; dropped: () => number; close: () => void }> {
  let dropped = 0;
  const server = net.createServer((c) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 5) return;
      const recordEnd = 5 + buf.readUInt16BE(3);
      if (buf.length < recordEnd) return;
      c.off('data', onData);
      if (buf.length > recordEnd) { dropped++; c.destroy(); return; }
      const up = net.connect({ host: '127.0.0.1', port: upstreamPort }, () => { up.write(buf); c.pipe(up); up.pipe(c); });
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    };
    c.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, dropped: () => dropped, close: () => server.close() };
}

test('a server that drops pipelined closes: round 1 sees it, and the scan equals a plain scan of the server behind', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA;'] });
  const relay = await startStrictRelay(s.port);
  try {
    const direct = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
    const via = await scanEndpoint(ep(relay.port), { timeoutMs: 4000 });
    assert.ok(relay.dropped() >= 1, 'the round-1 check sent a pipelined close');
    const sets = (r: typeof direct) => r.protocols.map((p) => [p.version, p.supported, p.cipherSuites.map((c) => c.id)]);
    assert.deepEqual(sets(via), sets(direct));
    assert.deepEqual(via.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.map((c) => c.id).sort((a, b) => a - b), [0x002f, 0xc02f]);

    // A context told to pipeline asks again when the server goes silent: pipelined twice more, then plainly.
    const ctx = new ScanContext(ep(relay.port), new HostPool(4), 4000, AbortSignal.timeout(10_000));
    ctx.pipelineVerified = true;
    ctx.queueing = true;
    const out = await ctx.probe('test', scanHello({ version: 'TLSv1.2', suites: [0xc02f], sni: 'localhost' }));
    assert.equal(out.kind, 'hello');
    assert.deepEqual(ctx.probesBy, { test: 1, 'test(retry)': 2, 'test(plain retry)': 1 });

    // The plain retry holds a server that queues connections: a wide window narrows to 10 first.
    const wide = new ScanContext(ep(relay.port), new HostPool(24), 4000, AbortSignal.timeout(10_000));
    wide.pipelineVerified = true;
    wide.queueing = true;
    assert.equal((await wide.probe('test', scanHello({ version: 'TLSv1.2', suites: [0xc02f], sni: 'localhost' }))).kind, 'hello');
    assert.equal(wide.pool.limit, 10);
  } finally {
    relay.close();
    await s.stop();
  }
});

test('pipelinedClosesWork: same choice with and without is proof, an answer only without is a veto; pipelinedClosesDiffer: a suite chosen only without', () => {
  const hello = (suite: number, version = 0x0303): ProbeOutcome => ({
    kind: 'hello', helloDone: true,
    serverHello: { version, cipherSuite: suite } as never,
  });
  const closed: ProbeOutcome = { kind: 'failed', code: 'closed', message: 'connection closed without an answer' };
  const alert: ProbeOutcome = { kind: 'alert', level: 2, description: 40, name: 'handshake_failure' };
  const v = (version: VersionProbe['version'], outcome: ProbeOutcome): VersionProbe => ({ version, outcome });
  assert.equal(pipelinedClosesWork([v('TLSv1.2', hello(0xc02f))], [v('TLSv1.2', hello(0xc02f))]), true);
  assert.equal(pipelinedClosesWork([v('TLSv1.2', closed)], [v('TLSv1.2', hello(0xc02f))]), false);
  assert.equal(pipelinedClosesWork([v('TLSv1.2', alert), v('TLSv1.3', alert)], [v('TLSv1.2', alert), v('TLSv1.3', alert)]), false, 'nothing to compare: unproven');
  assert.equal(pipelinedClosesWork(
    [v('TLSv1.2', hello(0xc02f)), v('TLSv1.3', closed)],
    [v('TLSv1.2', hello(0xc02f)), v('TLSv1.3', hello(0x1301, 0x0304))],
  ), false);
  assert.equal(pipelinedClosesWork(
    [v('TLSv1.2', hello(0xc02f)), v('TLSv1.3', hello(0x1302, 0x0304))],
    [v('TLSv1.2', hello(0xc02f)), v('TLSv1.3', hello(0x1301, 0x0304))],
  ), false, 'another suite with a pipelined close for one version is a veto too');
  // Differ: a suite only without, or another suite; not when there is nothing to compare.
  assert.equal(pipelinedClosesDiffer([v('TLSv1.2', closed)], [v('TLSv1.2', hello(0xc02f))]), true);
  assert.equal(pipelinedClosesDiffer([v('TLSv1.2', hello(0xc030))], [v('TLSv1.2', hello(0xc02f))]), true);
  assert.equal(pipelinedClosesDiffer([v('TLSv1.2', hello(0xc02f)), v('TLSv1.3', alert)], [v('TLSv1.2', hello(0xc02f))]), false);
  assert.equal(pipelinedClosesDiffer([v('TLSv1.2', alert)], [v('TLSv1.2', alert)]), false);
});
