/**
 * Our own TLS 1.0-1.2 client (src/net/tls12-client.ts, src/wire/tls12-keys.ts)
 * against real servers: node:tls (OpenSSL 3) echo servers for the AEAD
 * suites, ECDHE on three curves, DHE, RSA key exchange and CBC at every
 * version; gnutls-serv for what Node's OpenSSL lacks (3DES, Camellia) and
 * for a server without the extended master secret. Each server checks our
 * Finished, we check its own, and a record of ours comes back decrypted,
 * so the keys are right both ways. Then hostile servers, and the record
 * layer's round trip under fast-check.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import net from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer } from '../support/servers.js';
import { finishableSuites, tls12Session, type Tls12ClientOptions, type Tls12Version } from '../../src/net/tls12-client.js';
import { protectionOf, sessionKeys, type Protection } from '../../src/wire/tls12-keys.js';
import { suiteByCode } from '../../src/registry/ciphers.js';

const factory = new CertFactory();
const rsa = factory.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const ec = factory.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });

/** A node:tls server that sends back what it reads. */
async function echoServer(o: tls.TlsOptions): Promise<number> {
  const server = tls.createServer(o, (sock) => {
    sock.on('error', () => {});
    sock.pipe(sock);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** A handshake, then one application_data record; the server's first data record back, decrypted. */
async function roundTrip(port: number, version: Tls12Version, suites: number[] | undefined, payload: string, extra: Partial<Tls12ClientOptions> = {}) {
  const r = await tls12Session({
    host: '127.0.0.1', port, servername: 'localhost', version, suites, timeoutMs: 4000,
    followUp: () => [{ type: 23, content: Buffer.from(payload) }],
    reactionWaitMs: () => 1000,
    // OpenSSL splits TLS 1.0 CBC data in an empty record and the rest (its BEAST countermeasure).
    enough: (records) => data(records).length >= payload.length,
    ...extra,
  });
  assert.equal(r.kind, 'reaction', JSON.stringify(r));
  if (r.kind !== 'reaction') throw new Error('unreachable');
  return { suite: r.suiteCode, version: r.version, data: data(r.records) };
}

const data = (records: { type: number; content?: Buffer }[]) => Buffer.concat(records.filter((x) => x.type === 23).map((x) => x.content ?? Buffer.alloc(0))).toString();

test('node:tls servers check our Finished, we check theirs, and a record comes back decrypted: AES-GCM (SHA-256 and SHA-384 PRF), ChaCha20, ECDSA, DHE, RSA key exchange with CBC at TLS 1.2, 1.1 and 1.0', async () => {
  const cases: [tls.SecureVersion, string, number, 'rsa' | 'ec', string?][] = [
    ['TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 0xc02f, 'rsa'],
    ['TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384', 0xc030, 'rsa', 'secp384r1'],
    ['TLSv1.2', 'ECDHE-RSA-CHACHA20-POLY1305', 0xcca8, 'rsa', 'X448'],
    ['TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256', 0xc02b, 'ec', 'prime256v1'],
    ['TLSv1.2', 'DHE-RSA-AES256-GCM-SHA384', 0x009f, 'rsa'],
    ['TLSv1.2', 'AES128-SHA256', 0x003c, 'rsa'],
    ['TLSv1.2', 'ECDHE-RSA-AES256-SHA384', 0xc028, 'rsa'],
    ['TLSv1.1', 'AES256-SHA', 0x0035, 'rsa'],
    ['TLSv1.1', 'DHE-RSA-AES128-SHA', 0x0033, 'rsa'],
    ['TLSv1', 'ECDHE-RSA-AES128-SHA', 0xc013, 'rsa'],
    ['TLSv1', 'AES128-SHA', 0x002f, 'rsa'],
  ];
  const wire: Record<string, Tls12Version> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303 };
  for (const [version, cipher, code, key, curve] of cases) {
    const c = key === 'rsa' ? rsa : ec;
    const port = await echoServer({ cert: c.pem, key: c.keyPem, minVersion: version, maxVersion: version, ciphers: `${cipher}:@SECLEVEL=0`, dhparam: 'auto', ...(curve ? { ecdhCurve: curve } : {}) });
    // Every suite this client can finish is offered: the server's list picks the one under test.
    const r = await roundTrip(port, wire[version]!, undefined, `ping over ${cipher}`);
    assert.equal(r.suite, code, cipher);
    assert.equal(r.version, wire[version]);
    assert.equal(r.data, `ping over ${cipher}`, `${version} ${cipher}`);
  }
});

test('gnutls-serv: 3DES at TLS 1.0 and Camellia at TLS 1.2 (suites Node\'s OpenSSL does not have), and a server without the extended master secret', async () => {
  const cases: [string, Tls12Version, number][] = [
    ['NORMAL:-VERS-ALL:+VERS-TLS1.0:-CIPHER-ALL:+3DES-CBC:-KX-ALL:+RSA', 0x0301, 0x000a],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CAMELLIA-128-CBC', 0x0303, -1],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH', 0x0303, -1],
  ];
  for (const [priority, version, code] of cases) {
    const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority });
    try {
      const r = await roundTrip(s.port, version, undefined, 'GET / HTTP/1.0\r\n\r\n');
      if (code >= 0) assert.equal(r.suite, code, priority);
      if (/CAMELLIA/.test(priority)) assert.equal(suiteByCode(r.suite)?.cipher, 'CAMELLIA-128-CBC');
      assert.match(r.data ?? '', /^HTTP\/1\.[01] 200/, priority);
    } finally {
      await s.stop();
    }
  }
});

test('finishableSuites: ECDHE, DHE or RSA key exchange with records node:crypto protects; no export, anonymous, PSK, CCM or SCSV', () => {
  const tls12 = finishableSuites(0x0303);
  for (const c of [0xc02f, 0xc030, 0xcca8, 0x009e, 0x002f, 0x000a, 0x0041, 0xc013]) assert.ok(tls12.includes(c), c.toString(16));
  for (const c of [0x00ff, 0x5600, 0xc0ac, 0x0018, 0x008c, 0x0003]) assert.ok(!tls12.includes(c), c.toString(16));
  // TLS 1.0 has no GCM, ChaCha20 or SHA-256 suites.
  const tls10 = finishableSuites(0x0301);
  assert.ok(tls10.includes(0xc013) && !tls10.includes(0xc02f) && !tls10.includes(0x003c));
});

test('hostile servers: a close after the ClientHello, silence, garbage and a refusal each end with a clear failure within the deadline', async () => {
  const make = async (onData: (sock: net.Socket) => void) => {
    const server = net.createServer((sock) => { sock.on('error', () => {}); sock.once('data', () => onData(sock)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return (server.address() as net.AddressInfo).port;
  };
  const ask = (port: number, timeoutMs = 1500) => tls12Session({ host: '127.0.0.1', port, version: 0x0303, timeoutMs, followUp: () => [], reactionWaitMs: () => 100 });
  const closes = await make((s) => s.end());
  const silent = await make(() => {});
  const garbage = await make((s) => s.write(Buffer.alloc(64, 0x41)));
  // A handshake_failure alert, as a server with no common suite sends it.
  const refuses = await make((s) => s.end(Buffer.from([21, 3, 3, 0, 2, 2, 40])));
  const t0 = Date.now();
  const [a, b, c, d] = await Promise.all([ask(closes), ask(silent, 600), ask(garbage), ask(refuses)]);
  assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  assert.deepEqual([a.kind, a.kind === 'failed' && a.code], ['failed', 'closed']);
  assert.deepEqual([b.kind, b.kind === 'failed' && b.code], ['failed', 'timeout']);
  assert.deepEqual([c.kind, c.kind === 'failed' && c.code], ['failed', 'protocol']);
  assert.equal(d.kind === 'failed' && d.code, 'refused');
  assert.match(d.kind === 'failed' ? d.message : '', /handshake_failure/);
  const closed = await tls12Session({ host: '127.0.0.1', port: 1, version: 0x0303, timeoutMs: 1000, followUp: () => [], reactionWaitMs: () => 100 });
  assert.equal(closed.kind === 'failed' && closed.code, 'unreachable');
  // A flood of well-formed records (HelloRequest messages, which a client ignores) ends at 1 MiB, not at the deadline.
  const flood = await make((sock) => {
    const chunk = Buffer.concat(Array.from({ length: 4096 }, () => Buffer.from([22, 3, 3, 0, 4, 0, 0, 0, 0])));
    const pump = () => { while (!sock.destroyed && sock.write(chunk)); if (!sock.destroyed) sock.once('drain', pump); };
    pump();
  });
  const t1 = Date.now();
  const f = await ask(flood, 5000);
  assert.deepEqual([f.kind, f.kind === 'failed' && f.code], ['failed', 'protocol'], JSON.stringify(f));
  assert.match(f.kind === 'failed' ? f.message : '', /more than 1048576 bytes/);
  assert.ok(Date.now() - t1 < 3000, `${Date.now() - t1} ms`);
});

const PROTECTIONS: { name: string; p: Protection }[] = [0xc02f, 0xc030, 0xcca8, 0x002f, 0x003c, 0xc028, 0x000a, 0x0041].map((code) => {
  const s = suiteByCode(code)!;
  return { name: s.iana, p: protectionOf(s.cipher, s.mac, s.iana)! };
});

test('records: what one side seals the other opens, in sequence, for GCM, ChaCha20 and CBC (3DES, Camellia, AES) at every version; a changed byte does not open; random fragments never throw', () => {
  fc.assert(fc.property(
    fc.constantFrom(...PROTECTIONS), fc.constantFrom(0x0301, 0x0302, 0x0303), fc.uint8Array({ minLength: 48, maxLength: 48 }),
    fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 4 }), fc.nat(),
    ({ p }, version, master, contents, flip) => {
      if (p.kind !== 'cbc' && version < 0x0303) return; // AEAD suites are TLS 1.2 only
      const cr = new Uint8Array(32).fill(1), sr = new Uint8Array(32).fill(2);
      const ours = sessionKeys(version, p, master, cr, sr).client;
      const theirs = sessionKeys(version, p, master, cr, sr).client;
      for (const content of contents) {
        const record = ours.seal(23, content);
        assert.equal(record.readUInt16BE(3), record.length - 5);
        assert.deepEqual(theirs.open(23, record.subarray(5)), Buffer.from(content));
      }
      const record = ours.seal(23, contents[0]!).subarray(5);
      const bad = Buffer.from(record);
      bad[flip % bad.length]! ^= 0x01;
      assert.equal(theirs.open(23, bad), undefined);
    },
  ), { numRuns: 300 });
  fc.assert(fc.property(fc.constantFrom(...PROTECTIONS), fc.constantFrom(0x0301, 0x0303), fc.uint8Array({ maxLength: 200 }), ({ p }, version, junk) => {
    const k = sessionKeys(version, p, new Uint8Array(48), new Uint8Array(32), new Uint8Array(32)).server;
    const out = k.open(23, junk);
    assert.ok(out === undefined || Buffer.isBuffer(out));
  }), { numRuns: 300 });
});

/** A plausible TLS 1.2 server flight (ServerHello, Certificate, ServerKeyExchange with a real X25519 key, ServerHelloDone), as one record. */
function plausibleFlight(): Buffer {
  const hs = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  const ri = Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]);
  const sh = hs(2, Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0, 0xc0, 0x2f, 0, 0, ri.length]), ri]));
  const der = Buffer.from(rsa.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const cert = hs(11, Buffer.concat([u24(der.length + 3), u24(der.length), der]));
  const pub = Buffer.from((generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  const ske = hs(12, Buffer.concat([Buffer.from([3, 0, 0x1d, pub.length]), pub, Buffer.from([4, 1, 1, 0]), Buffer.alloc(256, 9)]));
  const done = hs(14, Buffer.alloc(0));
  const body = Buffer.concat([sh, cert, ske, done]);
  return Buffer.concat([Buffer.from([22, 3, 3, body.length >> 8, body.length & 0xff]), body]);
}

test('hostile flights (property): random bytes, and a plausible flight with bytes changed or cut short, each end the handshake with a result within its deadline, never a throw', async () => {
  const flight = plausibleFlight();
  let answer: Buffer = flight;
  const server = net.createServer((sock) => { sock.on('error', () => {}); sock.once('data', () => sock.write(answer)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as net.AddressInfo).port;
  const kinds = new Set<string>();
  await fc.assert(fc.asyncProperty(
    fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat())).map(([edits, cut]) => {
        const b = Buffer.from(flight);
        for (const [i, v] of edits) b[i % b.length] = v;
        return cut === null ? b : b.subarray(0, cut % b.length);
      }),
    ),
    async (bytes) => {
      answer = bytes;
      const t0 = Date.now();
      const r = await tls12Session({ host: '127.0.0.1', port, version: 0x0303, timeoutMs: 250, followUp: () => [], reactionWaitMs: () => 50 });
      assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
      assert.equal(r.kind, 'failed');
      if (r.kind === 'failed') kinds.add(r.code);
    },
  ), { numRuns: 40 });
  // The unchanged flight gets as far as our Finished: the server never answers it.
  answer = flight;
  const whole = await tls12Session({ host: '127.0.0.1', port, version: 0x0303, timeoutMs: 300, followUp: () => [], reactionWaitMs: () => 50 });
  assert.deepEqual([whole.kind, whole.kind === 'failed' && whole.code], ['failed', 'timeout']);
  assert.ok(kinds.size >= 2, [...kinds].join());
});
