/**
 * SSL 2.0 over a socket. SCRIPTED FAKE SERVER: no SSL 2.0 server exists on this
 * machine (OpenSSL 3 and GnuTLS dropped it), so a node:net server checks our
 * CLIENT-HELLO and answers with a hand-built SERVER-HELLO or ERROR, written in
 * small pieces to exercise reassembly.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { CertFactory } from '../support/certs.js';
import { ByteReader, ByteWriter } from '../../src/wire/bytes.js';
import { buildSSLv2ClientHello } from '../../src/wire/client-hello.js';
import { parseSSLv2ServerHello, SSLv2ErrorMessage } from '../../src/wire/sslv2.js';
import { exchange } from './helpers.js';

const cert = new Uint8Array(new X509Certificate(new CertFactory().make({ cn: 'sslv2.test', key: 'rsa1024' }).pem).raw);

/** Answers SERVER-HELLO with the kinds it shares with the client, or ERROR NO-CIPHER when none. */
const server = net.createServer((sock) => {
  sock.on('error', () => {});
  sock.once('data', (d: Buffer) => {
    const r = new ByteReader(new Uint8Array(d));
    const len = r.u16() & 0x7fff;
    assert.equal(len, r.remaining);
    assert.equal(r.u8(), 1);
    r.u16();
    const specsLen = r.u16(), sidLen = r.u16(), chLen = r.u16();
    const kinds: number[] = [];
    for (let i = 0; i < specsLen / 3; i++) kinds.push(r.u24());
    r.skip(sidLen); r.skip(chLen);
    const shared = kinds.filter((k) => k === 0x010080 || k === 0x0700c0);
    const msg = shared.length === 0
      ? Uint8Array.of(0, 0, 1)
      : new ByteWriter().u8(4).u8(0).u8(1).u16(0x0002).u16(cert.length).u16(shared.length * 3).u16(16)
        .bytes(cert).bytes(shared.flatMap((k) => [k >> 16, (k >> 8) & 0xff, k & 0xff])).bytes(new Uint8Array(16).fill(9)).finish();
    const rec = new ByteWriter().u16(0x8000 | msg.length).bytes(msg).finish();
    // written in 3 pieces
    sock.write(rec.subarray(0, 1));
    setImmediate(() => { sock.write(rec.subarray(1, 7)); setImmediate(() => sock.end(rec.subarray(7))); });
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
const port = (server.address() as net.AddressInfo).port;

const gotMessage = (ev: { kind: string }[]) => ev.some((e) => e.kind === 'sslv2');

test('SSL 2.0 SERVER-HELLO through the reader: certificate and shared cipher kinds', async () => {
  const x = await exchange(port, buildSSLv2ClientHello({ cipherKinds: [0x0700c0, 0x020080, 0x010080] }), gotMessage);
  const ev = x.events.find((e) => e.kind === 'sslv2');
  assert.ok(ev && ev.kind === 'sslv2');
  const hello = parseSSLv2ServerHello(ev.message);
  assert.deepEqual(hello.certificate, cert);
  assert.deepEqual(hello.cipherKinds, [0x0700c0, 0x010080]);
  assert.equal(hello.version, 2);
  assert.equal(hello.sessionIdHit, false);
  assert.equal(hello.connectionId.length, 16);
});

test('SSL 2.0 ERROR (no shared cipher) surfaces as SSLv2ErrorMessage', async () => {
  const x = await exchange(port, buildSSLv2ClientHello({ cipherKinds: [0x060040] }), gotMessage);
  const ev = x.events.find((e) => e.kind === 'sslv2');
  assert.ok(ev && ev.kind === 'sslv2');
  assert.throws(() => parseSSLv2ServerHello(ev.message), (e: unknown) => e instanceof SSLv2ErrorMessage && e.codeName === 'NO-CIPHER-ERROR');
});
