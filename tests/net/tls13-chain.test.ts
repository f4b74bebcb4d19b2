/**
 * readTls13ChainAsSent against real TLS 1.3 servers on loopback (openssl
 * s_server, gnutls-serv, node:tls): the certificates must be exactly the DER
 * the server was configured to send, in the configured order, including a
 * wrong order, an unrelated extra certificate and the root, where node:tls's
 * getPeerCertificate(true) reports a rebuilt chain. Plus servers that never
 * answer, reset, or speak only TLS 1.2.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { sct, sctList } from '../support/sct.js';
import { decodeClientHelloRecords, ext, handshakeMsg, record, serverHelloBody } from '../wire/helpers.js';
import { ContentType, ExtensionType, HandshakeType, HELLO_RETRY_REQUEST_RANDOM } from '../../src/wire/constants.js';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startOpenSSLServer, startGnuTLSServer, startNodeTLSServer, freePort } from '../support/servers.js';
import { readTls13ChainAsSent, Tls13ChainError, type Tls13ChainErrorCode } from '../../src/net/tls13-chain.js';
import { fullHandshake } from '../../src/net/full-handshake.js';

const f = new CertFactory();
let root: CertFiles, inter: CertFiles, leaf: CertFiles, extra: CertFiles;

before(() => {
  root = f.make({ cn: 'tls13chain Root', ca: true });
  inter = f.make({ cn: 'tls13chain Intermediate', ca: true, issuer: root });
  leaf = f.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', issuer: inter });
  extra = f.make({ cn: 'unrelated extra', key: 'rsa2048' });
});

const der = (c: CertFiles) => Buffer.from(new X509Certificate(c.pem).raw);
const hexes = (list: Uint8Array[]) => list.map((d) => Buffer.from(d).toString('hex'));
const read = (port: number, timeoutMs = 5000) => readTls13ChainAsSent({ host: '127.0.0.1', port, servername: 'localhost', timeoutMs });

async function rejectsWith(p: Promise<unknown>, code: Tls13ChainErrorCode, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof Tls13ChainError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    return true;
  });
}

test('openssl s_server, wrong order + extra certificate + root: exactly the sent DERs in the sent order', async () => {
  // leaf, then root, the unrelated certificate and the intermediate, in that (wrong) order.
  const chain = f.bundle('wrong-order.pem', root, extra, inter);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain, args: ['-tls1_3'] });
  const r = await read(s.port);
  assert.equal(r.protocol, 'TLSv1.3');
  assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(root), der(extra), der(inter)]));
  assert.equal(r.entries.length, 4);

  // What node:tls reports for the same server is not the chain as sent.
  const fh = await fullHandshake({ host: '127.0.0.1', port: s.port, servername: 'localhost', minVersion: 'TLSv1.3', timeoutMs: 5000 });
  assert.notDeepEqual(hexes(fh.chainDer), hexes(r.certificates));
});

for (const suite of [['TLS_AES_128_GCM_SHA256', 0x1301], ['TLS_AES_256_GCM_SHA384', 0x1302], ['TLS_CHACHA20_POLY1305_SHA256', 0x1303], ['TLS_AES_128_CCM_SHA256', 0x1304]] as const) {
  test(`openssl s_server forced to ${suite[0]}: decrypted with that suite`, async () => {
    const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: f.bundle(`chain-${suite[1]}.pem`, inter), args: ['-tls1_3', '-ciphersuites', suite[0]] });
    const r = await read(s.port);
    assert.equal(r.cipherSuite, suite[1]);
    assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(inter)]));
  });
}

test('openssl s_server after a HelloRetryRequest (P-384 only) and with a CertificateRequest', async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: f.bundle('hrr.pem', inter), args: ['-tls1_3', '-groups', 'P-384', '-verify', '1'] });
  const r = await read(s.port);
  assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(inter)]));
});

test('node:tls server with leaf + intermediate + extra', async () => {
  const s = await startNodeTLSServer({ cert: leaf.pem + extra.pem + inter.pem, key: leaf.keyPem, minVersion: 'TLSv1.3' });
  const r = await read(s.port);
  assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(extra), der(inter)]));
});

test('gnutls-serv, TLS 1.3 only, leaf + intermediate', async () => {
  const certFile = f.bundle('gnutls-chain.pem', leaf, inter);
  const s = await startGnuTLSServer({ cert: certFile, key: leaf.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3' });
  const r = await read(s.port);
  assert.equal(r.protocol, 'TLSv1.3');
  assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(inter)]));
  assert.equal(readFileSync(certFile, 'utf8'), leaf.pem + inter.pem);
});

test('with a close sent behind the ClientHello (pipelineClose): the same chain from s_server, gnutls-serv and node:tls; gnutls-serv, which serves one handshake at a time, is free at once, not held until we close', async () => {
  const { startDelayRelay } = await import('../support/delay-relay.js');
  const chain = f.bundle('piped.pem', inter);
  const ossl = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain, args: ['-tls1_3'] });
  const gnutls = await startGnuTLSServer({ cert: f.bundle('piped-gnutls.pem', leaf, inter), key: leaf.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3' });
  const node = await startNodeTLSServer({ cert: leaf.pem + inter.pem, key: leaf.keyPem, minVersion: 'TLSv1.3' });
  for (const port of [ossl.port, gnutls.port, node.port]) {
    const piped = await readTls13ChainAsSent({ host: '127.0.0.1', port, servername: 'localhost', timeoutMs: 5000, pipelineClose: true });
    assert.deepEqual(hexes(piped.certificates), hexes([der(leaf), der(inter)]), `port ${port}`);
    assert.deepEqual(hexes(piped.certificates), hexes((await read(port)).certificates), `port ${port}`);
  }
  // gnutls-serv serves one handshake at a time. 100 ms away, a handshake that closes only once it
  // has read the Certificate holds it until that close arrives, half a round trip after the flight
  // reached us: a second handshake started with it is answered a round trip late. With the close
  // sent behind the ClientHello, the server is free as soon as its flight is out. (Not so
  // openssl s_server: it answers the alert with a close of its own side and then waits for ours.)
  const relay = await startDelayRelay(gnutls.port, 50);
  const timed = async (first: boolean) => {
    const t0 = performance.now();
    const a = readTls13ChainAsSent({ host: '127.0.0.1', port: relay.port, servername: 'localhost', timeoutMs: 5000, pipelineClose: first });
    const b = readTls13ChainAsSent({ host: '127.0.0.1', port: relay.port, servername: 'localhost', timeoutMs: 5000, pipelineClose: true });
    const ends = await Promise.all([a, b].map((p) => p.then(() => performance.now() - t0)));
    return ends[1]! - ends[0]!;
  };
  const held = await timed(false);
  const free = await timed(true);
  assert.ok(held >= 60, `held: the second handshake ended ${held.toFixed(0)} ms after the first`);
  assert.ok(free < 40, `free: the second handshake ended ${free.toFixed(0)} ms after the first`);
});

test('with pipelineClose, a server that answers with a HelloRetryRequest (s_server with P-384 only): a closed error that says so, and without it the chain', async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: f.bundle('hrr-piped.pem', inter), args: ['-tls1_3', '-groups', 'P-384'] });
  await rejectsWith(readTls13ChainAsSent({ host: '127.0.0.1', port: s.port, servername: 'localhost', timeoutMs: 5000, pipelineClose: true }), 'closed', /HelloRetryRequest/);
  assert.deepEqual(hexes((await read(s.port)).certificates), hexes([der(leaf), der(inter)]));
});

test('openssl s_server speaking only TLS 1.2: an alert, reported as such', async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-tls1_2'] });
  await rejectsWith(read(s.port), 'alert', /protocol_version/);
});

// Hostile peers: plain TCP servers (no TLS at all), not TLS implementations.
const sockets = new Set<net.Socket>();
const servers: net.Server[] = [];
async function tcpServer(onConn: (s: net.Socket) => void): Promise<number> {
  const srv = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); onConn(s); });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return (srv.address() as net.AddressInfo).port;
}
after(() => { for (const s of sockets) s.destroy(); for (const s of servers) s.close(); });

test('a server that accepts and never answers: timeout error, bounded by timeoutMs', async () => {
  const port = await tcpServer(() => {});
  await rejectsWith(read(port, 600), 'timeout', /timed out after 600 ms \(0 bytes received/);
});

test('a server that resets the connection on the ClientHello: closed error', async () => {
  const port = await tcpServer((s) => s.once('data', () => s.resetAndDestroy()));
  await rejectsWith(read(port), 'closed', /ECONNRESET|closed the connection/);
});

test('a server that sends garbage: protocol error', async () => {
  const port = await tcpServer((s) => s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
  await rejectsWith(read(port), 'protocol', /malformed records/);
});

test('nothing listening: unreachable error', async () => {
  const port = await freePort();
  await rejectsWith(read(port), 'unreachable', /ECONNREFUSED/);
});

test('openssl s_server with SCTs for TLS 1.3 (-serverinfo, SERVERINFOV2 in the Certificate context): they come in the leaf entry, which our ClientHello asks for', async () => {
  const dir = tempDir('tlsdoctor-tls13-sct-');
  const list = sctList(sct(9, Date.UTC(2026, 10, 1)));
  // SERVERINFOV2: a 4-byte context (SSL_EXT_TLS1_3_CERTIFICATE, 0x1000), then the extension (type 18, length, data).
  const ext = Buffer.concat([Buffer.from([0, 0, 0x10, 0, 0, 18, list.length >> 8, list.length & 0xff]), list]);
  const serverinfo = join(dir, 'serverinfo.pem');
  writeFileSync(serverinfo, `-----BEGIN SERVERINFOV2 FOR localhost-----\n${ext.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END SERVERINFOV2 FOR localhost-----\n`);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: f.bundle('sct13.pem', inter), args: ['-tls1_3', '-serverinfo', serverinfo] });
  const r = await read(s.port);
  assert.deepEqual(hexes(r.certificates), hexes([der(leaf), der(inter)]));
  const leafExt = r.entries[0]!.extensions.find((e) => e.type === 18);
  assert.ok(leafExt, 'signed_certificate_timestamp in the leaf entry');
  assert.deepEqual(Buffer.from(leafExt.data), list);
  assert.ok(!r.entries[1]!.extensions.some((e) => e.type === 18), 'only the leaf carries them');
});

test('a scripted server (not a real TLS stack: none here sends a HelloRetryRequest cookie to a client that offers X25519) asks again with a cookie: our second ClientHello echoes it, with the same random and session id and one share, for the named group', async () => {
  const cookie = Buffer.from('a cookie the server wants back, 49 bytes long....');
  const hellos: Buffer[] = [];
  const port = await tcpServer((s) => {
    let got = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      // Whole records only (our hellos are one record each).
      while (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
        const n = 5 + got.readUInt16BE(3);
        hellos.push(got.subarray(0, n));
        got = got.subarray(n);
        if (hellos.length === 1) {
          const first = decodeClientHelloRecords(hellos[0]!);
          const hrr = serverHelloBody({
            version: 0x0303, random: HELLO_RETRY_REQUEST_RANDOM, sessionId: first.sessionId, suite: 0x1301, extensions: [
              { type: ExtensionType.supported_versions, data: [0x03, 0x04] },
              { type: ExtensionType.key_share, data: [0x00, 0x18] }, // secp384r1
              { type: ExtensionType.cookie, data: Buffer.concat([Buffer.from([0, cookie.length]), cookie]) },
            ],
          });
          s.write(record(ContentType.handshake, 0x0303, handshakeMsg(HandshakeType.server_hello, hrr)));
        } else s.end(Buffer.from([ContentType.alert, 3, 3, 0, 2, 2, 40])); // handshake_failure
      }
    });
  });
  await rejectsWith(read(port), 'alert', /handshake_failure \(40\)/);
  assert.equal(hellos.length, 2);
  const [a, b] = hellos.map((h) => decodeClientHelloRecords(h));
  assert.deepEqual(Buffer.from(b!.random), Buffer.from(a!.random));
  assert.deepEqual(Buffer.from(b!.sessionId), Buffer.from(a!.sessionId));
  assert.deepEqual(Buffer.from(ext(b!, ExtensionType.cookie)!), Buffer.concat([Buffer.from([0, cookie.length]), cookie]));
  assert.equal(ext(a!, ExtensionType.cookie), undefined);
  // key_share: client_shares<2..>: one entry, group 24, a 97-byte uncompressed P-384 point.
  const ks = Buffer.from(ext(b!, ExtensionType.key_share)!);
  assert.deepEqual([ks.readUInt16BE(0), ks.readUInt16BE(2), ks.readUInt16BE(4), ks[6]], [2 + 2 + 97, 24, 97, 4]);
});

/**
 * A scripted server (not a real TLS stack) that answers each of our ClientHellos with the next
 * of `answers` (a function of that hello's decoded form), for the hostile cases below.
 */
async function scripted(answers: ((hello: ReturnType<typeof decodeClientHelloRecords>) => Uint8Array)[]): Promise<number> {
  return tcpServer((s) => {
    let got = Buffer.alloc(0);
    let n = 0;
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      while (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
        const rec = got.subarray(0, 5 + got.readUInt16BE(3));
        got = got.subarray(rec.length);
        const answer = answers[n++];
        if (answer) s.write(answer(decodeClientHelloRecords(rec)));
      }
    });
  });
}

const hello13 = (o: { hrr?: boolean; suite?: number; group: number; share?: Uint8Array }) => (h: ReturnType<typeof decodeClientHelloRecords>) =>
  record(ContentType.handshake, 0x0303, handshakeMsg(HandshakeType.server_hello, serverHelloBody({
    version: 0x0303, random: o.hrr ? HELLO_RETRY_REQUEST_RANDOM : new Uint8Array(32).fill(9), sessionId: h.sessionId, suite: o.suite ?? 0x1301, extensions: [
      { type: ExtensionType.supported_versions, data: [0x03, 0x04] },
      { type: ExtensionType.key_share, data: o.hrr ? [o.group >> 8, o.group & 0xff] : [o.group >> 8, o.group & 0xff, o.share!.length >> 8, o.share!.length & 0xff, ...o.share!] },
    ],
  })));

test('scripted hostile TLS 1.3 servers (not real stacks): a second HelloRetryRequest, one for a group never offered, a share for a group we sent none for, an X25519 share of low order, another suite after the retry: each a protocol error, in bounded time', async () => {
  const cases: [string, ((h: ReturnType<typeof decodeClientHelloRecords>) => Uint8Array)[], RegExp][] = [
    ['two retries', [hello13({ hrr: true, group: 24 }), hello13({ hrr: true, group: 25 })], /second HelloRetryRequest/],
    ['a retry for a group not offered', [hello13({ hrr: true, group: 0x11ec })], /HelloRetryRequest for group 0x11ec, which was not offered/],
    ['a retry for a group already shared', [hello13({ hrr: true, group: 29 })], /HelloRetryRequest for group 0x1d, which was not offered or already had a share/],
    ['a share for P-384, sent none', [hello13({ group: 24, share: new Uint8Array(97).fill(4) })], /key_share for group 0x18, for which no share was sent/],
    // RFC 7748: an all-zero X25519 public value gives an all-zero secret, which OpenSSL refuses.
    ['a low-order X25519 share', [hello13({ group: 29, share: new Uint8Array(32) })], /key share for group 0x1d is not a valid public value/],
    ['another suite after the retry', [hello13({ hrr: true, group: 24 }), hello13({ group: 24, suite: 0x1302, share: new Uint8Array(97).fill(4) })], /another suite than its HelloRetryRequest/],
  ];
  for (const [what, answers, re] of cases) {
    const port = await scripted(answers);
    const started = Date.now();
    await assert.rejects(read(port, 3000), (e: unknown) => {
      assert.ok(e instanceof Tls13ChainError, `${what}: ${String(e)}`);
      assert.equal(e.code, 'protocol', `${what}: ${e.message}`);
      assert.match(e.message, re, what);
      return true;
    });
    assert.ok(Date.now() - started < 2000, `${what}: ended at once, not at the deadline`);
  }
});
