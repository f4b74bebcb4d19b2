/**
 * Ephemeral key reuse (src/scan/kx-reuse.ts): the (EC)DHE public keys of the ServerKeyExchange
 * messages a scan reads anyway, compared across its connections. Real servers make a fresh key
 * for every handshake (OpenSSL since 1.0.2f, GnuTLS, node:tls): nginx, gnutls-serv (ECDHE and
 * DHE) and openssl s_server here. No library on this machine can be made to reuse one, so the
 * SCRIPTED FAKE SERVER (tests/support/fake-tls-server.ts, `ecdheKey: 'fixed'`) stands in for
 * a server that does; its twin with `ecdheKey: 'fresh'` shows the check tells them apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { startFakeServer } from '../support/fake-tls-server.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { renderScan } from '../../src/report/terminal.js';
import { KxReuseLog } from '../../src/scan/kx-reuse.js';
import type { ScanResult } from '../../src/scan/types.js';
import fc from 'fast-check';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const cert = () => new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const reuse = (r: ScanResult) => assess(r, { host: 'localhost' }).findings.find((f) => f.id === 'protocol.kx-reuse');

test('real servers make a fresh key per handshake: kxReuse false, every sample as many keys as handshakes, no finding', async () => {
  const c = cert();
  const servers = [
    await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] }),
    await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-TLS1.3' }),
    await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256'] }),
  ];
  for (const s of servers) {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
    const samples = r.features!.kxReuseSamples ?? [];
    assert.equal(r.features!.kxReuse, false, JSON.stringify(samples));
    assert.ok(samples.length > 0 && samples.every((x) => x.handshakes >= 2 && x.distinctKeys === x.handshakes), JSON.stringify(samples));
    assert.equal(reuse(r), undefined);
    await s.stop();
  }
});

test('SCRIPTED FAKE SERVER with one ECDHE key for every connection: kxReuse true, protocol.kx-reuse; its fresh-key twin: false', async () => {
  const c = cert();
  const der = new Uint8Array(new X509Certificate(readFileSync(c.cert)).raw);
  const base = { versions: [0x0303, 0x0302], suites: [0xc02f, 0xc013, 0x002f], serverPreference: true, certificate: der };
  const fixed = await startFakeServer({ ...base, ecdheKey: 'fixed' });
  const fresh = await startFakeServer({ ...base, ecdheKey: 'fresh' });
  try {
    const r = await scanEndpoint(ep(fixed.port), { timeoutMs: 4000 });
    assert.equal(r.features!.kxReuse, true);
    const p256 = r.features!.kxReuseSamples!.find((x) => x.group === 'secp256r1')!;
    assert.ok(p256.kind === 'ECDHE' && p256.handshakes >= 2 && p256.distinctKeys === 1, JSON.stringify(p256));
    const f = reuse(r)!;
    assert.equal(f.severity, 'low');
    assert.match(f.detail, /ECDHE secp256r1, 1 key in \d+ handshakes/);
    assert.match(renderScan(r, { color: false }), /ephemeral key reuse\s+yes \(ECDHE secp256r1: 1 key in \d+ handshakes\)/);

    const t = await scanEndpoint(ep(fresh.port), { timeoutMs: 4000 });
    assert.equal(t.features!.kxReuse, false);
    assert.equal(reuse(t), undefined);
    assert.match(renderScan(t, { color: false }), /ephemeral key reuse\s+no\s+a fresh key in each of \d+ handshakes compared/);
  } finally { await fixed.close(); await fresh.close(); }
});

test('KxReuseLog: any outcome (fast-check) is noted without a throw; one handshake per curve says nothing (null)', () => {
  const log = new KxReuseLog();
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), (ske, suite) => {
    log.note({ kind: 'hello', serverHello: { cipherSuite: suite } as never, serverKeyExchange: ske } as never);
  }), { numRuns: 500 });
  for (const x of log.samples()) assert.ok(x.handshakes >= 2 && x.distinctKeys >= 1 && x.distinctKeys <= x.handshakes, JSON.stringify(x));
  assert.equal(log.verdict() === null, log.samples().length === 0);
  const one = new KxReuseLog();
  assert.equal(one.verdict(), null);
  assert.deepEqual(one.samples(), []);
});
