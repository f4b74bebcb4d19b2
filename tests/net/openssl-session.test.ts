/**
 * net/openssl-session.ts: the facts of the session node:tls keeps (OpenSSL's
 * SSL_SESSION_ASN1), from real sessions of openssl s_server with and
 * without -early_data and of a TLS 1.2 node:tls server; random and mutated
 * bytes never throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import tls from 'node:tls';
import { CertFactory } from '../support/certs.js';
import { startOpenSSLServer, startNodeTLSServer } from '../support/servers.js';
import { sessionFacts } from '../../src/net/openssl-session.js';

const c = new CertFactory().make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });

/** The first session a node:tls client gets from 127.0.0.1:port. */
function firstSession(port: number, o: tls.ConnectionOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...o });
    s.once('session', (d) => { s.destroy(); resolve(d); });
    s.on('error', reject);
    s.on('data', () => {});
    setTimeout(() => { s.destroy(); reject(new Error('no session within 5 s')); }, 5000).unref();
  });
}

test('sessionFacts: TLS 1.3 tickets with and without early data (openssl s_server), a TLS 1.2 ticket (node:tls); garbage gives no facts', async () => {
  const [early, plain] = await Promise.all([['-early_data'], []].map((args) => startOpenSSLServer({ cert: c.cert, key: c.key, www: false, args: ['-tls1_3', ...args] })));
  const e = sessionFacts(await firstSession(early!.port));
  assert.deepEqual({ ...e, lifetimeSeconds: undefined }, { version: 0x0304, ticket: true, lifetimeSeconds: undefined, maxEarlyData: 16384 });
  assert.equal(e.lifetimeSeconds, 7200); // OpenSSL's default ticket lifetime hint
  const p = sessionFacts(await firstSession(plain!.port));
  assert.equal(p.ticket, true);
  assert.equal(p.maxEarlyData, undefined);
  const t12 = await startNodeTLSServer({ cert: c.pem, key: c.keyPem, maxVersion: 'TLSv1.2' });
  const f12 = sessionFacts(await firstSession(t12.port, { maxVersion: 'TLSv1.2' }));
  assert.equal(f12.version, 0x0303);
  assert.equal(f12.maxEarlyData, undefined);

  const real = await firstSession(early!.port);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => { sessionFacts(bytes); }));
  fc.assert(fc.property(fc.nat({ max: real.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: real.length }), (at, byte, cut) => {
    const m = Buffer.from(real.subarray(0, cut === 0 ? real.length : cut));
    if (at < m.length) m[at] = byte;
    const f = sessionFacts(m);
    assert.equal(typeof f.ticket, 'boolean');
  }));
});
