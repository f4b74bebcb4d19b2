/**
 * A limit on our connections (a firewall's connlimit, a server's per-client
 * cap) turns away the probes past it with a reset or a close before the
 * server sees a byte. Taken for the server's "no", those would hide suites,
 * versions and groups. The servers here are real (nginx, gnutls-serv); the
 * limit is a relay in front of them (tests/support/limit-relay.ts). The last
 * test uses the scripted fake server (tests/support/fake-tls-server.ts) for
 * a server that says no by closing, which no real server here does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { CertFactory } from '../support/certs.js';
import { startNginx, startGnuTLSServer } from '../support/servers.js';
import { startLimitRelay } from '../support/limit-relay.js';
import { startFakeServer } from '../support/fake-tls-server.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { suiteByName } from '../../src/registry/ciphers.js';
import type { ScanResult } from '../../src/scan/types.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });

/** What a scan found: versions, suites in order, server preference, groups. */
function found(r: ScanResult) {
  return {
    protocols: r.protocols.map((p) => ({ version: p.version, supported: p.supported, serverPreference: p.serverPreference, suites: p.cipherSuites.map((s) => s.id) })),
    groups: r.groups.map((g) => g.name).sort(),
  };
}

test('nginx behind a limit of 3 connections that resets the rest: the same versions, suites, order and groups as without the limit, and the window narrows', async () => {
  const f = new CertFactory();
  const c = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const dh = join(f.dir, 'dh.pem');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dh]);
  const s = await startNginx({
    cert: c.cert, key: c.key,
    directives: ['ssl_protocols TLSv1.2 TLSv1.3;', "ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:AES128-SHA';",
      'ssl_prefer_server_ciphers on;', `ssl_dhparam ${dh};`, 'ssl_ecdh_curve X25519:secp384r1:prime256v1;'],
  });
  const direct = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  const relay = await startLimitRelay(s.port, 3, 'reset');
  const notes: string[] = [];
  const limited = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, onNote: (t) => notes.push(t) });
  assert.ok(relay.turnedAway > 0, 'the limit was reached');
  assert.deepEqual(found(limited), found(direct));
  assert.equal(limited.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.length, 5);
  assert.equal(limited.protocols.find((p) => p.version === 'TLSv1.3')!.supported, true);
  assert.deepEqual(limited.errors, []);
  // On a loaded machine round 1 can take the relay's drops and slow answers for a server that
  // queues connections: its probes are then pipelined and retried that way, and the results must
  // still be the same. Otherwise the limit is found and the window narrowed to it.
  if (!notes.some((n) => /takes one connection at a time/.test(n))) {
    assert.ok(notes.some((n) => /was answered alone: our connections are limited/.test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => /at most [123] probes? in flight from now on/.test(n)), notes.join('\n'));
  }
});

/** gnutls-serv (one connection at a time) with `priority`, scanned directly and through a limiting relay. */
async function gnutlsBehindLimit(priority: string, relay: { limit: number; mode: 'reset' | 'close'; lagMs?: number }) {
  const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startGnuTLSServer({ cert: c.cert, key: c.key, priority });
  const direct = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  const r = await startLimitRelay(s.port, relay.limit, relay.mode, Infinity, relay.lagMs);
  const limited = await scanEndpoint(ep(r.port), { timeoutMs: 4000 });
  assert.ok(r.turnedAway > 0, 'the limit was reached');
  assert.deepEqual(found(limited), found(direct));
  return limited;
}

test('gnutls-serv (one connection at a time, TLS 1.0-1.2) behind a limit of 2 that closes the rest: the same findings as without it', async () => {
  const limited = await gnutlsBehindLimit(
    'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+3DES-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE',
    { limit: 2, mode: 'close' });
  assert.deepEqual(limited.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  assert.equal(limited.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.length, 11);
});

test('gnutls-serv behind a limit of 2 that counts a closed connection 20 ms longer and resets the rest: the same findings as without it', async () => {
  const limited = await gnutlsBehindLimit(
    'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE',
    { limit: 2, mode: 'reset', lagMs: 20 });
  assert.deepEqual(limited.errors, []);
});

test('scripted fake server that says no by closing: learned from probes alone (the hello, a hello it answers, the hello again), the suites are still right and nothing is retried for ever', async () => {
  const der = new Uint8Array(new X509Certificate(new CertFactory().make({ cn: 'localhost', key: 'rsa2048' }).pem).raw);
  const code = (n: string) => suiteByName(n)!.code;
  const order = ['AES256-SHA', 'AES128-SHA', 'DES-CBC3-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: order, serverPreference: true, certificate: der, refuseByClosing: true });
  const notes: string[] = [];
  const r = await scanEndpoint(ep(fake.port), { timeoutMs: 3000, onNote: (t) => notes.push(t) });
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const) {
    const p = r.protocols.find((x) => x.version === v)!;
    assert.equal(p.supported, true, v);
    assert.deepEqual(p.cipherSuites.map((s) => s.id), order, v);
  }
  assert.equal(r.protocols.find((x) => x.version === 'TLSv1.3')!.supported, false);
  assert.equal(r.protocols.find((x) => x.version === 'SSLv3')!.supported, false);
  assert.ok(notes.some((n) => /closed alone too, twice, while a hello the server answers was answered between: this server closes to refuse/.test(n)), notes.join('\n'));
  assert.ok(!notes.some((n) => /our connections are limited/.test(n)), notes.join('\n'));
  // Every refused set is one close, plus the few asked again before the server's way was known.
  assert.ok(fake.connections < 150, `${fake.connections} connections`);
});

test('nginx behind a relay that bans us after 40 connections: the scan ends, says it is incomplete and what it could not ask, and the grade is marked partial', async () => {
  const { assess } = await import('../../src/assess/index.js');
  const f = new CertFactory();
  const c = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_prefer_server_ciphers on;'] });
  const relay = await startLimitRelay(s.port, 1000, 'reset', 40);
  const r = await scanEndpoint(ep(relay.port), { timeoutMs: 3000 });
  assert.ok(relay.turnedAway > 0, 'the ban was reached');
  const incomplete = r.errors.find((e) => e.code === 'incomplete');
  assert.ok(incomplete, JSON.stringify(r.errors));
  assert.match(incomplete.message, /^\d+ of \d+ probes got no answer \(refused \d+; asked for: .+\): what they asked is missing/);
  const { findings, grade } = assess(r, { host: 'localhost' });
  assert.ok(findings.some((x) => x.id === 'scan.incomplete' && x.severity === 'medium'));
  assert.equal(grade.partial, true);
  // A complete scan of the same server has neither.
  const full = await scanEndpoint(ep(s.port), { timeoutMs: 3000 });
  assert.ok(!full.errors.some((e) => e.code === 'incomplete'), JSON.stringify(full.errors));
  assert.equal(assess(full, { host: 'localhost' }).grade.partial, undefined);
});
