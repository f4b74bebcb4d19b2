/**
 * Interop with older protocol versions and a second TLS stack: openssl
 * s_server with TLS 1.0/1.1 enabled (security level 0), the SSLv2-format
 * ClientHello accepted by OpenSSL, and gnutls-serv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startOpenSSLServer } from '../support/servers.js';
import { buildClientHello, buildSSLv2ClientHello } from '../../src/wire/client-hello.js';
import { parseServerHello } from '../../src/wire/server-hello.js';
import { parseCertificateMessage } from '../../src/wire/certificate.js';
import { parseServerKeyExchange } from '../../src/wire/server-key-exchange.js';
import type { ServerEvent } from '../../src/wire/record.js';
import { exchange, handshakes } from './helpers.js';

const f = new CertFactory();
const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
const rsaDer = new Uint8Array(new X509Certificate(rsa.pem).raw);
const dh = join(f.dir, 'ffdhe2048.pem');
execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dh]);

const [legacy, gnutls] = await Promise.all([
  // TLS 1.0 .. 1.3 with every cipher allowed: a TLS 1.3 server that accepts old clients
  startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-min_protocol', 'TLSv1', '-cipher', 'ALL:@SECLEVEL=0', '-dhparam', dh] }),
  startGnuTLSServer({ cert: ec.cert, key: ec.key, priority: 'NORMAL:+VERS-TLS1.3:+VERS-TLS1.2' }),
]);

const done12 = (ev: ServerEvent[]) => ev.some((e) => e.kind === 'handshake' && e.type === 14);
const done13 = (ev: ServerEvent[]) => ev.some((e) => e.kind === 'encrypted')
  || ev.some((e) => e.kind === 'handshake' && e.type === 2 && parseServerHello(e.body).isHelloRetryRequest);

test('TLS 1.0 DHE: version 0x0301, RFC 8446 downgrade sentinel, 2048-bit group, signature without algorithm', async () => {
  const x = await exchange(legacy.port, buildClientHello({ maxVersion: 0x0301, cipherSuites: [0x0033], sni: 'localhost' }), done12);
  const hs = handshakes(x.events);
  assert.deepEqual(hs.map((h) => h.type), [2, 11, 12, 14]);
  const sh = parseServerHello(hs[0]!.body);
  assert.equal(sh.version, 0x0301);
  assert.equal(sh.cipherSuite, 0x0033);
  assert.equal(sh.downgradeSentinel, 'tls11');
  assert.equal(hs[0]!.recordVersion, 0x0301);
  assert.deepEqual(parseCertificateMessage(hs[1]!.body), [rsaDer]);
  const ske = parseServerKeyExchange(hs[2]!.body, 'DHE', { version: sh.version });
  assert.ok(ske.kind === 'dhe');
  assert.equal(ske.pBits, 2048);
  assert.deepEqual(ske.signature, { length: 256 }); // TLS 1.0: MD5+SHA1 RSA signature, no algorithm field
});

test('TLS 1.1 hello: version 0x0302 and the downgrade sentinel for <= 1.1', async () => {
  const x = await exchange(legacy.port, buildClientHello({ maxVersion: 0x0302, cipherSuites: [0xc013, 0x002f] }), done12);
  const sh = parseServerHello(handshakes(x.events)[0]!.body);
  assert.equal(sh.version, 0x0302);
  assert.equal(sh.downgradeSentinel, 'tls11');
});

test('SSLv2-format ClientHello carrying TLS 1.0 is answered with a TLS ServerHello', async () => {
  const hello = buildSSLv2ClientHello({ version: 0x0301, cipherKinds: [0x00002f, 0x000035, 0x0000ff], challenge: new Uint8Array(32).fill(0x42) });
  const x = await exchange(legacy.port, hello, done12);
  assert.equal(x.events.find((e) => e.kind === 'alert'), undefined);
  const sh = parseServerHello(handshakes(x.events)[0]!.body);
  assert.equal(sh.version, 0x0301);
  assert.ok([0x002f, 0x0035].includes(sh.cipherSuite));
  assert.deepEqual(parseCertificateMessage(handshakes(x.events)[1]!.body), [rsaDer]);
});

test('SSLv3-only hello to a server without SSLv3 draws a fatal alert', async () => {
  const x = await exchange(legacy.port, buildClientHello({ maxVersion: 0x0300, cipherSuites: [0x000a, 0x002f], noExtensions: true }), () => false);
  const alert = x.events.find((e) => e.kind === 'alert');
  assert.ok(alert && alert.kind === 'alert');
  assert.equal(alert.level, 2);
  assert.ok(['protocol_version', 'handshake_failure'].includes(alert.name), alert.name);
});

test('GnuTLS: TLS 1.3 with GREASE, then a HelloRetryRequest for an empty key_share', async () => {
  const x = await exchange(gnutls.port, buildClientHello({ maxVersion: 0x0304, minVersion: 0x0303, grease: true, cipherSuites: [0x1301, 0x1302, 0xc02b], sni: 'localhost' }), done13);
  const sh = parseServerHello(handshakes(x.events)[0]!.body);
  assert.equal(sh.version, 0x0304);
  assert.ok([0x1301, 0x1302].includes(sh.cipherSuite));
  assert.equal(sh.selectedGroup, 29);
  const y = await exchange(gnutls.port, buildClientHello({ maxVersion: 0x0304, cipherSuites: [0x1301], groups: [23], keyShareGroups: [] }), done13);
  const hrr = parseServerHello(handshakes(y.events)[0]!.body);
  assert.equal(hrr.isHelloRetryRequest, true);
  assert.equal(hrr.selectedGroup, 23);
});

test('GnuTLS: TLS 1.2 ECDHE-ECDSA with the P-256 group', async () => {
  const x = await exchange(gnutls.port, buildClientHello({ maxVersion: 0x0303, cipherSuites: [0xc02b], groups: [23], sni: 'localhost' }), done12);
  const hs = handshakes(x.events);
  const sh = parseServerHello(hs[0]!.body);
  assert.equal(sh.version, 0x0303);
  assert.equal(sh.cipherSuite, 0xc02b);
  assert.equal(sh.downgradeSentinel, 'tls12');
  assert.deepEqual(parseCertificateMessage(hs[1]!.body), [new Uint8Array(new X509Certificate(ec.pem).raw)]);
  const ske = parseServerKeyExchange(hs[2]!.body, 'ECDHE', { version: 0x0303 });
  assert.ok(ske.kind === 'ecdhe' && ske.group === 23 && ske.publicKeyLength === 65);
  assert.ok(ske.signature?.algorithm === 0x0403, `signature algorithm ${ske.signature?.algorithm}`);
});
