/**
 * The probe's step after the flight (ProbeOptions.afterFlight: Heartbleed,
 * ROBOT) against a server that sends anything at all once its flight is
 * out. The server is the SCRIPTED FAKE SERVER (tests/support/fake-tls-server.ts):
 * no real server here can be made to send chosen bytes after its flight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startFakeServer } from '../support/fake-tls-server.js';
import { sendHello } from '../../src/net/probe.js';
import { scanHello } from '../../src/scan/hellos.js';

const der = new Uint8Array(new X509Certificate(new CertFactory().make({ cn: 'localhost', key: 'rsa2048' }).pem).raw);
const KINDS = new Set(['alert', 'heartbeat', 'record', 'closed', 'reset', 'timeout', 'malformed']);

test('whatever bytes a server sends after its flight, the step after it ends with a typed reaction, within its wait, and nothing throws', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
    const s = await startFakeServer({ versions: [0x0303], suites: [0x002f], serverPreference: true, certificate: der, afterFlight: bytes });
    try {
      const started = performance.now();
      const out = await sendHello({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: null }, scanHello({ version: 'TLSv1.2', suites: [0x002f], sni: null }), {
        timeoutMs: 2000, readUntil: 'serverHelloDone', afterFlight: { send: () => Uint8Array.of(21, 3, 3, 0, 2, 1, 0), waitMs: 300 },
      });
      assert.equal(out.kind, 'hello');
      if (out.kind !== 'hello') return;
      assert.ok(out.after && KINDS.has(out.after.kind), JSON.stringify(out.after));
      assert.ok(performance.now() - started < 1500, 'ended within its wait');
    } finally {
      await s.close();
    }
  }), { numRuns: 40 });
});

test('the step after the flight reads a reaction that came in the same segment as the flight (a server that answers at once)', async () => {
  const alert = Uint8Array.of(21, 3, 3, 0, 2, 2, 20);
  const s = await startFakeServer({ versions: [0x0303], suites: [0x002f], serverPreference: true, certificate: der, afterFlight: alert });
  const out = await sendHello({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: null }, scanHello({ version: 'TLSv1.2', suites: [0x002f], sni: null }), {
    timeoutMs: 2000, readUntil: 'serverHelloDone', afterFlight: { send: () => new Uint8Array(0), waitMs: 1000 },
  });
  assert.deepEqual(out.kind === 'hello' ? out.after : out, { kind: 'alert', description: 20 });
});
