/**
 * Session resumption (src/scan/resumption.ts, --resumption) against real
 * servers, with openssl s_client -reconnect as the reference: nginx as
 * installed (no session cache, tickets on), nginx with a shared cache and
 * tickets off, and gnutls-serv (both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { renderScan } from '../../src/report/terminal.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });

/**
 * openssl s_client -reconnect: whether its reconnections were resumed (by ID with -no_ticket, else
 * by ticket). Run asynchronously: the scan's last sockets close on the event loop's next turn, and
 * gnutls-serv, which serves one connection at a time, would wait on them behind a blocked loop.
 */
async function sClientResumes(port: number, tickets: boolean): Promise<boolean> {
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2', '-reconnect', ...(tickets ? [] : ['-no_ticket'])], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const timer = setTimeout(() => child.kill(), 10_000);
  await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return /^Reused, /m.test(out);
}

test('by session ID and by ticket, as openssl s_client -reconnect sees it: nginx as installed, nginx with a shared cache and no tickets, gnutls-serv', async () => {
  const servers = [
    { name: 'nginx as installed', s: await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;'] }), ids: false, tickets: true },
    { name: 'nginx, shared cache, tickets off', s: await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;', 'ssl_session_cache shared:T:1m;', 'ssl_session_tickets off;'] }), ids: true, tickets: false },
    { name: 'gnutls-serv', s: await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2' }), ids: true, tickets: true },
  ];
  try {
    for (const { name, s, ids, tickets } of servers) {
      const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, resumption: true });
      assert.deepEqual([r.features!.sessionResumptionIds, r.features!.sessionResumptionTickets], [ids, tickets], `${name}: ${JSON.stringify(r.features)}`);
      // The reference tool agrees (its reconnections offer the ID, or the ticket).
      assert.equal(await sClientResumes(s.port, false), ids, `${name}: s_client -no_ticket`);
      if (tickets) assert.equal(await sClientResumes(s.port, true), true, `${name}: s_client with tickets`);
      if (!tickets) assert.match(r.features!.sessionResumptionNote ?? '', /issued no session ticket/);
      assert.match(renderScan(r, { color: false }), new RegExp(`session resumption\\s+by ID ${ids ? 'yes' : 'no'}, by ticket ${tickets ? 'yes' : 'no'}`));
    }
  } finally {
    for (const { s } of servers) await s.stop();
  }
});

test('not asked by default: no fields, no terminal line, no handshake', async () => {
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;'] });
  try {
    const stats: Record<string, number>[] = [];
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, onStats: (by) => stats.push(by) });
    assert.equal(r.features!.sessionResumptionIds, undefined);
    assert.equal(stats[0]!.resumption, undefined);
    assert.doesNotMatch(renderScan(r, { color: false }), /session resumption/);
  } finally {
    await s.stop();
  }
});
