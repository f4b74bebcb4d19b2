/**
 * Hostile and broken servers: the simulation gives every profile a result in
 * bounded time and never throws, whatever the peer does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { after } from 'node:test';
import { simulateClients } from '../../src/scan/simulate.js';
import { sendHello } from '../../src/net/probe.js';
import { CLIENT_PROFILES } from '../../src/registry/clients/index.js';
import { freePort } from '../support/servers.js';

/** A scripted TCP peer (no real TLS server behaves like this): answers every connection with `reply`, then acts per `mode`. */
async function hostile(reply: Buffer, mode: 'close' | 'hang'): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => { s.write(reply); if (mode === 'close') s.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return (server.address() as net.AddressInfo).port;
}

const ep = (port: number) => ({ host: 'h.test', port, address: '127.0.0.1', sni: 'h.test' });

test('garbage instead of TLS: every profile fails with a reason, nothing throws', async () => {
  const port = await hostile(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), 'close');
  const r = await simulateClients(ep(port), CLIENT_PROFILES, sendHello, { timeoutMs: 2000 });
  assert.equal(r.length, CLIENT_PROFILES.length);
  for (const x of r) {
    assert.equal(x.ok, false, x.id);
    assert.match(x.reason!, /handshake failed .*accepted none of tlsdoctor's own probe hellos/, x.id);
  }
});

test('a ServerHello with a suite nobody offered: "server picked ... which X did not offer"', async () => {
  // TLS 1.2 ServerHello choosing 0x0a0a (a GREASE value no client may be sent back).
  const body = Buffer.concat([Buffer.from([0x03, 0x03]), Buffer.alloc(32, 7), Buffer.from([0x00, 0x0a, 0x0a, 0x00, 0x00, 0x00])]);
  const hs = Buffer.concat([Buffer.from([0x02, 0x00, 0x00, body.length]), body]);
  const rec = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, hs.length]), hs]);
  const port = await hostile(rec, 'close');
  const r = await simulateClients(ep(port), CLIENT_PROFILES.filter((p) => p.versions.includes('TLSv1.2')), sendHello, { timeoutMs: 2000 });
  for (const x of r) {
    assert.equal(x.ok, false, x.id);
    assert.equal(x.reason, `server picked 0x0a0a, which ${x.name} did not offer`);
    assert.equal(x.protocol, null);
  }
});

test('a server that accepts and never answers: each profile ends on the probe deadline', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  const r = await simulateClients(ep(port), CLIENT_PROFILES.slice(0, 4), sendHello, { timeoutMs: 300 });
  assert.equal(r.length, 4);
  for (const x of r) assert.match(x.reason!, /could not complete the probe: timeout/, x.id);
});
