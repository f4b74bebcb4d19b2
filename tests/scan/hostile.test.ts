/**
 * Hostile servers: each scan must end within its deadline with a clear error
 * in `errors`, never a crash or a hang. These servers are plain TCP servers
 * scripted to misbehave (that is the point: no TLS server misbehaves on cue).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { scanEndpoint } from '../../src/scan/run.js';
import { UnreachableError } from '../../src/util/errors.js';
import { freePort } from '../support/servers.js';

async function hostile(onConnection: (sock: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    onConnection(sock);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return (server.address() as net.AddressInfo).port;
}

const TIMEOUT = 600;
const SCAN_DEADLINE = 8000;

async function scanHostile(port: number) {
  const t0 = Date.now();
  const r = await scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'hostile.test' }, { timeoutMs: TIMEOUT, scanTimeoutMs: SCAN_DEADLINE });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < SCAN_DEADLINE + 2000, `scan took ${elapsed} ms`);
  assert.ok(r.protocols.every((p) => !p.supported), 'nothing is reported as supported');
  assert.equal(r.protocols.length, 6);
  return r;
}

test('a server that never answers: every probe times out, the scan ends with a timeout error', async () => {
  const port = await hostile(() => {});
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'timeout' || /no answer within/.test(e.message)), JSON.stringify(r.errors));
});

test('a server that resets every connection', async () => {
  const port = await hostile((s) => s.resetAndDestroy());
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'no-tls' && /reset/.test(e.message)), JSON.stringify(r.errors));
});

test('a server that answers garbage', async () => {
  const port = await hostile((s) => s.once('data', () => s.end(randomBytes(300).fill(0x42, 0, 1))));
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'malformed'), JSON.stringify(r.errors));
});

test('a server that announces a 16 MB handshake message', async () => {
  // A handshake record whose ServerHello claims 0xFFFFFF bytes, then silence.
  const port = await hostile((s) => s.once('data', () => s.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0xff, 0xff, 0xff]))));
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'malformed' && /16777215|handshake message|too (large|long)|exceeds/i.test(e.message)), JSON.stringify(r.errors));
});

test('a server that trickles a byte a second', async () => {
  const port = await hostile((s) => {
    s.once('data', () => {
      const bytes = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x30, 0x02, 0x00, 0x00, 0x2c, 0x03, 0x03]);
      let i = 0;
      const t = setInterval(() => { if (i < bytes.length && !s.destroyed) s.write(bytes.subarray(i, ++i)); else clearInterval(t); }, 1000);
      s.on('close', () => clearInterval(t));
    });
  });
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'timeout'), JSON.stringify(r.errors));
});

test('a closed port is unreachable (exit code 3 in the CLI), not an error inside a result; it is not tested for a connection limit', async () => {
  const port = await freePort();
  const purposes: string[] = [];
  await assert.rejects(scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: null }, {
    timeoutMs: TIMEOUT, onProbe: (p) => purposes.push(p.purpose),
  }), UnreachableError);
  // No connection was ever accepted, so a refusal cannot be a limit on our connections: round 1
  // and its immediate retries, no tests alone with pauses.
  assert.ok(purposes.length > 0 && purposes.every((p) => !p.includes('(alone)')), purposes.join(' '));
});
