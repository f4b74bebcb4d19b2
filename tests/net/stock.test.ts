/**
 * Connections opened ahead of the probes (net/stock.ts, ScanContext): real
 * servers on loopback. The stock hands out connected sockets, drops those the
 * server writes to or closes while they wait, closes stale ones, and stops
 * when its connections are refused; a probe whose stocked connection was
 * closed under it is asked again on a new one. A scan of a far concurrent
 * server (nginx behind a delaying relay, 100 ms) uses the stock and finds exactly
 * what it finds without; a far server that takes one connection at a time
 * (gnutls-serv) gets none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { ConnectionStock } from '../../src/net/stock.js';
import { sendHelloStocked } from '../../src/net/probe.js';
import { scanHello } from '../../src/scan/hellos.js';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startNodeTLSServer, closedPort } from '../support/servers.js';
import { startDelayRelay } from '../support/delay-relay.js';
import { scanEndpoint } from '../../src/scan/run.js';
import type { ScanResult } from '../../src/scan/types.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A plain TCP server that keeps its sockets, to act on them. */
async function tcpServer(onConnection: (s: net.Socket) => void = () => {}): Promise<{ port: number; sockets: net.Socket[]; close: () => void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => { sockets.push(s); s.on('error', () => {}); onConnection(s); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as net.AddressInfo).port, sockets, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

test('fill opens connections that wait; take hands out a connected one, once', async () => {
  const srv = await tcpServer();
  try {
    const stock = new ConnectionStock(ep(srv.port));
    stock.fill(3);
    assert.equal(stock.size, 3);
    await until(() => srv.sockets.length === 3);
    await sleep(20);
    const a = stock.take()!;
    assert.ok(a && !a.connecting && !a.destroyed);
    assert.equal(stock.size, 2);
    assert.equal(stock.used, 1);
    a.destroy();
    stock.close();
    assert.equal(stock.size, 0);
    assert.equal(stock.wasted, 2);
    assert.equal(stock.take(), undefined);
    stock.fill(2);
    assert.equal(stock.size, 0, 'a closed stock opens no more');
  } finally {
    srv.close();
  }
});

test('a spare the server closes while it waits is dropped; one the server writes to stops the stock (a service that speaks first)', async () => {
  const closing = await tcpServer((s) => setTimeout(() => s.end(), 10));
  const greeting = await tcpServer((s) => s.write('220 smtp.example ESMTP\r\n'));
  try {
    const a = new ConnectionStock(ep(closing.port));
    a.fill(2);
    await until(() => a.size === 0);
    assert.equal(a.take(), undefined);
    assert.equal(a.wasted, 0);
    const b = new ConnectionStock(ep(greeting.port));
    b.fill(2);
    await until(() => b.stopped !== undefined);
    assert.match(b.stopped!, /wrote on a connection before any hello/);
    assert.equal(b.size, 0);
  } finally {
    closing.close();
    greeting.close();
  }
});

test('spares older than maxIdleMs are closed rather than handed out; refused spares stop the stock', async () => {
  const srv = await tcpServer();
  try {
    const stock = new ConnectionStock(ep(srv.port), 50);
    stock.fill(2);
    await sleep(80);
    assert.equal(stock.take(), undefined);
    assert.equal(stock.wasted, 2);
  } finally {
    srv.close();
  }
  const refused = new ConnectionStock(ep(await closedPort()));
  refused.fill(3);
  await until(() => refused.stopped !== undefined);
  assert.match(refused.stopped!, /refused or reset/);
  assert.equal(refused.size, 0);
});

test('a probe whose stocked connection the server closed under it is asked again on a new connection, and answered', async () => {
  const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, minVersion: 'TLSv1.2' });
  // A relay that closes the first connection it gets as soon as asked, and relays the others to the server.
  const held: net.Socket[] = [];
  const relay = await tcpServer((client) => {
    if (held.length === 0) { held.push(client); return; }
    const up = net.connect(s.port, '127.0.0.1');
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    client.pipe(up).pipe(client);
  });
  try {
    const stock = new ConnectionStock(ep(relay.port));
    stock.fill(1);
    await until(() => held.length === 1);
    await sleep(20);
    held[0]!.destroy(); // the server's idle close, crossing the hello
    const hello = scanHello({ version: 'TLSv1.2', suites: [0xc02f, 0xc030], sni: 'localhost' });
    const r = await sendHelloStocked(ep(relay.port), hello, { timeoutMs: 3000, stock });
    assert.equal(r.spare, true);
    assert.equal(r.retried, true);
    assert.equal(r.outcome.kind, 'hello');
  } finally {
    relay.close();
  }
});

/** What a scan found, to compare two scans. */
const found = (r: ScanResult) => ({
  protocols: r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((x) => x.id)]),
  groups: r.groups.map((g) => [g.name, g.rank ?? null]),
  certificates: r.certificates.map((x) => x.sha256),
});

test('nginx 100 ms away: the scan uses connections opened ahead, and finds exactly what it finds without them', async () => {
  const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startNginx({ cert: c.cert, key: c.key, directives: [
    'ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;',
    "ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:AES128-SHA';",
  ] });
  // 100 ms of round trip: the CPU of a loaded machine spreads round 1's answers by much less than a
  // quarter of that, so the scan sees a server that answers all at once (the stock's condition).
  const relay = await startDelayRelay(s.port, 50);
  try {
    const notes: string[] = [];
    const withStock = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, http: false, onNote: (n) => notes.push(n) });
    const without = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, http: false, connectAhead: false });
    assert.deepEqual(found(withStock), found(without));
    assert.deepEqual(withStock.errors, []);
    // The relay's 100 ms are the least any answer takes: the server is far whatever the machine's load.
    assert.ok(notes.some((n) => /^far .*serves connections at once/.test(n)), notes.join('\n'));
    const note = notes.find((n) => /^connections opened ahead/.test(n));
    assert.ok(note, notes.join('\n'));
    const used = Number(/used by probes (\d+)/.exec(note!)![1]);
    assert.ok(used > 10, note);
  } finally {
    relay.close();
  }
});

test('gnutls-serv 40 ms away (one connection at a time): no connection is opened ahead', async () => {
  const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE' });
  const relay = await startDelayRelay(s.port, 20);
  try {
    const notes: string[] = [];
    const r = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, http: false, clients: [], onNote: (n) => notes.push(n) });
    assert.ok(r.protocols.find((p) => p.version === 'TLSv1.2')!.supported);
    assert.ok(notes.some((n) => /one connection at a time/.test(n)), notes.join('\n'));
    assert.ok(!notes.some((n) => /^connections opened ahead/.test(n)), notes.join('\n'));
  } finally {
    relay.close();
  }
});
