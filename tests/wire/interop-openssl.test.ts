/**
 * Interop: bytes from buildClientHello go over a real TCP socket to real
 * `openssl s_server` processes; the real answers are parsed with
 * ServerFlightReader, parseServerHello, parseCertificateMessage and
 * parseServerKeyExchange.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startOpenSSLServer, type RunningServer } from '../support/servers.js';
import { buildClientHello, type ClientHelloOptions } from '../../src/wire/client-hello.js';
import { parseServerHello } from '../../src/wire/server-hello.js';
import { parseCertificateMessage } from '../../src/wire/certificate.js';
import { parseCertificateRequest } from '../../src/wire/certificate-request.js';
import { alertEndsHandshake } from '../../src/wire/alert.js';
import { parseServerKeyExchange } from '../../src/wire/server-key-exchange.js';
import { ServerFlightReader, type ServerEvent } from '../../src/wire/record.js';
import { Conversation, exchange, handshakes } from './helpers.js';

const der = (c: CertFiles) => new Uint8Array(new X509Certificate(c.pem).raw);

const doneTls12 = (ev: ServerEvent[]) => ev.some((e) => e.kind === 'handshake' && e.type === 14);
const doneTls13 = (ev: ServerEvent[]) => ev.some((e) => e.kind === 'encrypted')
  || ev.some((e) => e.kind === 'handshake' && e.type === 2 && parseServerHello(e.body).isHelloRetryRequest);

// Servers start at module level: servers.ts ties their shutdown to the file's `after` hook.
const f = new CertFactory();
const ca = f.make({ cn: 'Wire Test Root', ca: true, key: 'ec256' });
const inter = f.make({ cn: 'Wire Test Intermediate', ca: true, key: 'ec256', issuer: ca });
const rsaLeaf = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1', issuer: inter });
const ecLeaf = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca });
const dh = join(f.dir, 'ffdhe3072.pem');
execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe3072', '-out', dh]);
const [tls12, tls13, both, mtls] = await Promise.all([
  startOpenSSLServer({
    cert: rsaLeaf.cert, key: rsaLeaf.key, chain: inter.cert,
    args: ['-tls1_2', '-dcert', ecLeaf.cert, '-dkey', ecLeaf.key, '-dhparam', dh,
      '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384:AES128-SHA'],
  }),
  startOpenSSLServer({ cert: ecLeaf.cert, key: ecLeaf.key, args: ['-tls1_3'] }),
  // a second (RSA) certificate for the name sni.test, and ALPN
  startOpenSSLServer({ cert: ecLeaf.cert, key: ecLeaf.key, args: ['-servername', 'sni.test', '-cert2', rsaLeaf.cert, '-key2', rsaLeaf.key, '-alpn', 'h2,http/1.1'] }),
  // asks for a client certificate issued by `ca`
  startOpenSSLServer({ cert: ecLeaf.cert, key: ecLeaf.key, args: ['-tls1_2', '-verify', '1', '-CAfile', ca.cert] }),
]) as [RunningServer, RunningServer, RunningServer, RunningServer];

function hello(o: Partial<ClientHelloOptions> & Pick<ClientHelloOptions, 'maxVersion' | 'cipherSuites'>): Uint8Array {
  return buildClientHello({ sni: 'localhost', ...o });
}

test('TLS 1.2 ECDHE-RSA: version, suite, chain DER (leaf first), SKE group and signature', async () => {
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02f], groups: [24, 23] }), doneTls12);
  const hs = handshakes(x.events);
  assert.deepEqual(hs.map((h) => h.type), [2, 11, 12, 14]);
  const sh = parseServerHello(hs[0]!.body);
  assert.equal(sh.version, 0x0303);
  assert.equal(sh.cipherSuite, 0xc02f);
  assert.equal(sh.isHelloRetryRequest, false);
  assert.equal(sh.secureRenegotiation, true);
  assert.equal(sh.extendedMasterSecret, true);
  assert.equal(sh.downgradeSentinel, undefined);
  const certs = parseCertificateMessage(hs[1]!.body);
  assert.deepEqual(certs, [der(rsaLeaf), der(inter)]);
  const ske = parseServerKeyExchange(hs[2]!.body, 'ECDHE', { version: sh.version });
  assert.equal(ske.kind, 'ecdhe');
  if (ske.kind !== 'ecdhe') return;
  assert.equal(ske.curveType, 3);
  assert.equal(ske.group, 24); // the server honours our preference order
  assert.equal(ske.publicKeyLength, 97);
  assert.equal(ske.signature?.length, 256); // RSA-2048 signature
  assert.ok(ske.signature?.algorithm !== undefined);
});

test('TLS 1.2 ECDHE-ECDSA picks the EC certificate', async () => {
  // the P-256 certificate's curve must be among our groups (RFC 8422 §5.1), x25519 first for the key exchange
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02c], groups: [29, 23] }), doneTls12);
  const hs = handshakes(x.events);
  assert.equal(parseServerHello(hs[0]!.body).cipherSuite, 0xc02c);
  assert.deepEqual(parseCertificateMessage(hs[1]!.body), [der(ecLeaf)]);
  const ske = parseServerKeyExchange(hs[2]!.body, 'ECDHE');
  assert.ok(ske.kind === 'ecdhe' && ske.group === 29 && ske.publicKeyLength === 32);
});

test('TLS 1.2 DHE with a 3072-bit ffdhe -dhparam: pBits 3072, g = 2', async () => {
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0303, cipherSuites: [0x009f] }), doneTls12);
  const hs = handshakes(x.events);
  assert.equal(parseServerHello(hs[0]!.body).cipherSuite, 0x009f);
  const ske = parseServerKeyExchange(hs[2]!.body, 'DHE', { version: 0x0303 });
  assert.equal(ske.kind, 'dhe');
  if (ske.kind !== 'dhe') return;
  assert.equal(ske.pBits, 3072);
  assert.equal(ske.gBits, 2);
  assert.deepEqual(ske.g, Uint8Array.of(2));
  assert.ok(ske.p.subarray(0, 8).every((b) => b === 0xff), 'RFC 7919 primes start with 64 one bits');
  assert.equal(ske.publicKeyLength <= 384, true);
});

test('TLS 1.2 plain RSA key exchange: no ServerKeyExchange', async () => {
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0303, cipherSuites: [0x002f] }), doneTls12);
  assert.deepEqual(handshakes(x.events).map((h) => h.type), [2, 11, 14]);
});

test('the real TLS 1.2 flight parses the same at every TCP split point', async () => {
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02f] }), doneTls12);
  const whole = new ServerFlightReader().push(x.raw);
  assert.deepEqual(whole.map((e) => e.kind), ['handshake', 'handshake', 'handshake', 'handshake']);
  for (let cut = 1; cut < x.raw.length; cut++) {
    const r = new ServerFlightReader();
    const ev = [...r.push(x.raw.subarray(0, cut)), ...r.push(x.raw.subarray(cut))];
    assert.deepEqual(ev, whole, `cut ${cut}`);
  }
});

test('TLS 1.2-only server refuses a TLS 1.3-only hello with a protocol_version alert', async () => {
  const x = await exchange(tls12.port, hello({ maxVersion: 0x0304, cipherSuites: [0x1301] }), () => false);
  const alert = x.events.find((e) => e.kind === 'alert');
  assert.deepEqual(alert, { kind: 'alert', level: 2, description: 70, name: 'protocol_version' });
});

test('TLS 1.3: version from supported_versions, key share group, then encrypted records only', async () => {
  const x = await exchange(tls13.port, hello({ maxVersion: 0x0304, cipherSuites: [0x1302, 0x1301] }), doneTls13);
  const hs = handshakes(x.events);
  assert.equal(hs.length, 1);
  const sh = parseServerHello(hs[0]!.body);
  assert.equal(sh.legacyVersion, 0x0303);
  assert.equal(sh.version, 0x0304);
  assert.equal(sh.cipherSuite, 0x1302);
  assert.equal(sh.selectedGroup, 29);
  assert.equal(sh.keyShareLength, 32);
  assert.equal(sh.sessionId.length, 32); // echoes our middlebox-compat session id
  assert.ok(x.events.some((e) => e.kind === 'encrypted'));
});

test('TLS 1.3 with every key share we generate is accepted by OpenSSL', async () => {
  for (const g of [29, 30, 23, 24, 25, 256, 257]) {
    const x = await exchange(tls13.port, hello({ maxVersion: 0x0304, cipherSuites: [0x1301], groups: [g], keyShareGroups: [g] }), doneTls13);
    const hs = handshakes(x.events);
    assert.equal(x.events.find((e) => e.kind === 'alert'), undefined, `group ${g}`);
    const sh = parseServerHello(hs[0]!.body);
    assert.equal(sh.isHelloRetryRequest, false, `group ${g}`);
    assert.equal(sh.selectedGroup, g);
  }
});

test('TLS 1.3 with an empty key_share draws a HelloRetryRequest naming a group', async () => {
  const x = await exchange(tls13.port, hello({ maxVersion: 0x0304, cipherSuites: [0x1301], groups: [24], keyShareGroups: [] }), doneTls13);
  const sh = parseServerHello(handshakes(x.events)[0]!.body);
  assert.equal(sh.isHelloRetryRequest, true);
  assert.equal(sh.version, 0x0304);
  assert.equal(sh.selectedGroup, 24);
  assert.equal(sh.keyShareLength, undefined);
});

test('TLS 1.3 with GREASE everywhere and 1.3..1.0 offered still negotiates 1.3', async () => {
  const x = await exchange(both.port, hello({ maxVersion: 0x0304, minVersion: 0x0301, grease: true, cipherSuites: [0x1301, 0xc02b], alpn: ['h2', 'http/1.1'] }), doneTls13);
  const sh = parseServerHello(handshakes(x.events)[0]!.body);
  assert.equal(sh.version, 0x0304);
  assert.equal(sh.cipherSuite, 0x1301);
});

test('TLS 1.2 hello to a 1.3-capable server: downgrade sentinel in the random', async () => {
  const x = await exchange(both.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02b] }), doneTls12);
  // this server knows the name sni.test only: it warns about 'localhost' and continues
  assert.deepEqual(x.events[0], { kind: 'alert', level: 1, description: 112, name: 'unrecognized_name' });
  const hs = handshakes(x.events);
  const sh = parseServerHello(hs[0]!.body);
  assert.equal(sh.version, 0x0303);
  assert.equal(sh.downgradeSentinel, 'tls12');
  assert.deepEqual(parseCertificateMessage(hs[1]!.body), [der(ecLeaf)]);
});

test('TLS 1.3 HelloRetryRequest, then a second ClientHello on the same connection completes to an encrypted flight', async () => {
  const base = { maxVersion: 0x0304 as const, cipherSuites: [0x1301], groups: [24, 23], sni: 'localhost',
    random: new Uint8Array(32).fill(0x11), sessionId: new Uint8Array(32).fill(0x22) };
  const c = await Conversation.open(tls13.port);
  try {
    c.send(buildClientHello({ ...base, keyShareGroups: [] }));
    const first = await c.waitFor((ev) => handshakes(ev).length === 1);
    const hrr = parseServerHello(handshakes(first)[0]!.body);
    assert.equal(hrr.isHelloRetryRequest, true);
    assert.ok(hrr.selectedGroup === 23 || hrr.selectedGroup === 24);
    // RFC 8446 §4.1.2: same hello, now with a share for the selected group (and the cookie, if any)
    c.send(buildClientHello({ ...base, keyShareGroups: [hrr.selectedGroup!],
      extraExtensions: hrr.cookie ? [{ type: 44, data: new Uint8Array([hrr.cookie.length >> 8, hrr.cookie.length & 0xff, ...hrr.cookie]) }] : [] }));
    const all = await c.waitFor((ev) => ev.some((e) => e.kind === 'encrypted'));
    const hs = handshakes(all);
    assert.equal(hs.length, 2);
    const sh = parseServerHello(hs[1]!.body);
    assert.equal(sh.isHelloRetryRequest, false);
    assert.equal(sh.version, 0x0304);
    assert.equal(sh.selectedGroup, hrr.selectedGroup);
    assert.equal(all.find((e) => e.kind === 'alert'), undefined);
    // OpenSSL sends the compatibility ChangeCipherSpec right after the HRR; the reader must not treat it as a key change
    assert.deepEqual(all.slice(0, 3).map((e) => (e.kind === 'handshake' ? e.type : e.kind)), [2, 'ccs', 2]);
  } finally {
    c.close();
  }
});

test('TLS 1.2 server asking for a client certificate: CertificateRequest names the CA', async () => {
  const x = await exchange(mtls.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02b], groups: [29, 23] }), doneTls12);
  const hs = handshakes(x.events);
  assert.deepEqual(hs.map((h) => h.type), [2, 11, 12, 13, 14]);
  const req = parseCertificateRequest(hs[3]!.body, 0x0303);
  assert.ok(req.certificateTypes.includes(1) && req.certificateTypes.includes(64)); // rsa_sign, ecdsa_sign
  assert.ok(req.signatureAlgorithms!.includes(0x0403));
  assert.equal(req.certificateAuthorities.length, 1);
  const dn = Buffer.from(req.certificateAuthorities[0]!);
  assert.equal(dn[0], 0x30);
  assert.ok(dn.includes(Buffer.from('Wire Test Root')));
  assert.ok(Buffer.from(der(ca)).includes(dn), 'the name is the DER subject of the CA certificate');
});

test('SNI and ALPN as OpenSSL reads them: the name selects the second certificate, the protocol is echoed', async () => {
  const x = await exchange(both.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02f], sni: 'sni.test' }), doneTls12);
  const hs = handshakes(x.events);
  assert.deepEqual(parseCertificateMessage(hs[1]!.body)[0], der(rsaLeaf));
  // (s_server sets its ALPN callback on the default context only, so ALPN is checked with the default name)
  const b = await exchange(both.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02b], alpn: ['spdy/1', 'http/1.1'] }), doneTls12);
  assert.equal(parseServerHello(handshakes(b.events)[0]!.body).alpn, 'http/1.1');
  // another name: s_server warns that it does not know it (RFC 6066 §3 unrecognized_name, level warning),
  // then goes on with its default (EC) certificate, which an ECDHE-RSA-only hello cannot use
  const y = await exchange(both.port, hello({ maxVersion: 0x0303, cipherSuites: [0xc02f], sni: 'other.test' }), doneTls12);
  const alerts = y.events.filter((e) => e.kind === 'alert');
  assert.deepEqual(alerts, [
    { kind: 'alert', level: 1, description: 112, name: 'unrecognized_name' },
    { kind: 'alert', level: 2, description: 40, name: 'handshake_failure' },
  ]);
  assert.ok(!alertEndsHandshake(alerts[0]!) && alertEndsHandshake(alerts[1]!));
});
