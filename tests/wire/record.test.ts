import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireError } from '../../src/util/errors.js';
import { ServerFlightError, ServerFlightReader, type ServerEvent } from '../../src/wire/record.js';
import { HELLO_RETRY_REQUEST_RANDOM } from '../../src/wire/constants.js';
import { buildAlertRecord } from '../../src/wire/alert.js';
import { concat, handshakeMsg, record, serverHelloBody, syntheticTls12Flight } from './helpers.js';

function readAll(bytes: Uint8Array, chunkSizes?: number[]): ServerEvent[] {
  const r = new ServerFlightReader();
  const out: ServerEvent[] = [];
  if (!chunkSizes) { out.push(...r.push(bytes)); return out; }
  let off = 0;
  for (const n of chunkSizes) { out.push(...r.push(bytes.subarray(off, off + n))); off += n; }
  out.push(...r.push(bytes.subarray(off)));
  assert.equal(r.bufferedBytes, 0);
  return out;
}

const summary = (ev: ServerEvent[]) => ev.map((e) => (e.kind === 'handshake' ? `hs${e.type}:${e.body.length}` : e.kind));

test('a TLS 1.2 flight with messages split across records and several per record', () => {
  const flight = syntheticTls12Flight({ split: 600 });
  const ev = readAll(flight);
  assert.deepEqual(summary(ev), ['hs2:49', `hs11:${3 + 3 + 700 + 3 + 500}`, 'hs12:296', 'hs14:0']);
  const sh = ev[0] as Extract<ServerEvent, { kind: 'handshake' }>;
  assert.equal(sh.recordVersion, 0x0303);
  // all in one record
  const one = syntheticTls12Flight({ split: 100000 });
  assert.deepEqual(summary(readAll(one)), summary(ev));
  // tiny records of 1 byte each
  assert.deepEqual(summary(readAll(syntheticTls12Flight({ split: 1 }))), summary(ev));
});

test('split at every byte boundary (and into single bytes) gives the same events', () => {
  const flight = concat(syntheticTls12Flight({ split: 333 }), record(20, 0x0303, Uint8Array.of(1)), record(22, 0x0303, new Uint8Array(40)));
  const whole = readAll(flight);
  assert.deepEqual(summary(whole), ['hs2:49', 'hs11:1209', 'hs12:296', 'hs14:0', 'ccs', 'encrypted']);
  for (let cut = 1; cut < flight.length; cut++) {
    assert.deepEqual(readAll(flight, [cut]), whole, `cut at ${cut}`);
  }
  assert.deepEqual(readAll(flight, Array(flight.length).fill(1)), whole);
});

test('TLS 1.3: the reader switches to encrypted after a ServerHello selecting 0x0304', () => {
  const sh = handshakeMsg(2, serverHelloBody({ suite: 0x1301, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 29, 0, 32, ...new Uint8Array(32)] }] }));
  const flight = concat(record(22, 0x0303, sh), record(20, 0x0303, Uint8Array.of(1)), record(23, 0x0303, new Uint8Array(100)), record(23, 0x0303, new Uint8Array(2000)));
  const r = new ServerFlightReader();
  const ev = r.push(flight);
  assert.deepEqual(summary(ev), ['hs2:86', 'ccs', 'encrypted', 'encrypted']);
  assert.ok(r.isEncrypted);
  assert.deepEqual(ev[2], { kind: 'encrypted', length: 100, contentType: 23 });
  // a 2-byte alert record after that is still a readable plaintext alert
  assert.deepEqual(r.push(buildAlertRecord(2, 40)), [{ kind: 'alert', level: 2, description: 40, name: 'handshake_failure' }]);
});

test('TLS 1.3 HelloRetryRequest does not switch to encrypted; setEncrypted() does', () => {
  const hrr = handshakeMsg(2, serverHelloBody({ random: HELLO_RETRY_REQUEST_RANDOM, suite: 0x1301, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 23] }] }));
  const r = new ServerFlightReader();
  assert.deepEqual(summary(r.push(record(22, 0x0303, hrr))), ['hs2:52']);
  assert.ok(!r.isEncrypted);
  assert.deepEqual(summary(r.push(record(22, 0x0303, handshakeMsg(14, new Uint8Array(0))))), ['hs14:0']);
  r.setEncrypted();
  assert.deepEqual(r.push(record(22, 0x0303, new Uint8Array(30))), [{ kind: 'encrypted', length: 30, contentType: 22 }]);
});

test('alerts, application data and heartbeat records', () => {
  const ev = readAll(concat(buildAlertRecord(1, 112), record(21, 0x0303, Uint8Array.of(1, 0, 2, 70)), record(23, 0x0303, new Uint8Array(5)), record(24, 0x0303, new Uint8Array(3))));
  assert.deepEqual(ev, [
    { kind: 'alert', level: 1, description: 112, name: 'unrecognized_name' },
    { kind: 'alert', level: 1, description: 0, name: 'close_notify' },
    { kind: 'alert', level: 2, description: 70, name: 'protocol_version' },
    { kind: 'appdata', length: 5 },
    { kind: 'heartbeat', length: 3 },
  ]);
});

test('hostile framing: unknown content type, bad major version, oversize record and handshake lengths', () => {
  const expectWire = (bytes: Uint8Array, re: RegExp) => {
    const r = new ServerFlightReader();
    assert.throws(() => r.push(bytes), (e: unknown) => e instanceof WireError && re.test(e.message));
    // the reader is spent afterwards
    assert.throws(() => r.push(Uint8Array.of(22)), WireError);
  };
  expectWire(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), /content type 72/);
  expectWire(Uint8Array.of(22, 2, 0, 0, 1), /major 2/);
  expectWire(Uint8Array.of(22, 3, 3, 0x48, 0x01), /exceeds/);
  // 16 MB handshake length: rejected as soon as the 4-byte handshake header has arrived,
  // long before 16 MB are buffered
  const r = new ServerFlightReader();
  assert.deepEqual(r.push(Uint8Array.of(22, 3, 3, 0x40, 0x00, 2, 0xff)), []);
  assert.throws(() => r.push(Uint8Array.of(0xff, 0xff)), /exceeds the maximum/);
  const r2 = new ServerFlightReader();
  r2.push(Uint8Array.of(22, 3, 3, 0x40, 0x00));
  assert.throws(() => r2.push(Uint8Array.of(2, 0xff, 0xff, 0xff)), /exceeds the maximum/);
  // record length over a custom max is rejected at the header
  const r3 = new ServerFlightReader({ maxRecordLength: 100 });
  assert.throws(() => r3.push(Uint8Array.of(23, 3, 3, 0, 101)), /101 bytes exceeds/);
  expectWire(record(20, 0x0303, Uint8Array.of(1, 1)), /ChangeCipherSpec/);
  expectWire(record(21, 0x0303, Uint8Array.of(2)), /alert record/);
  // CCS in the middle of a handshake message
  expectWire(concat(record(22, 0x0303, Uint8Array.of(11, 0, 0, 10, 1)), record(20, 0x0303, Uint8Array.of(1))), /unfinished/);
});

test('handshake max length option', () => {
  const r = new ServerFlightReader({ maxHandshakeLength: 10 });
  assert.deepEqual(summary(r.push(record(22, 0x0303, handshakeMsg(11, new Uint8Array(10))))), ['hs11:10']);
  assert.throws(() => r.push(record(22, 0x0303, handshakeMsg(11, new Uint8Array(11)))), WireError);
});

test('bufferedBytes counts partial records and partial handshake messages', () => {
  const r = new ServerFlightReader();
  r.push(Uint8Array.of(22, 3, 3));
  assert.equal(r.bufferedBytes, 3);
  r.push(Uint8Array.of(0, 4, 11, 0, 0, 20));
  assert.equal(r.bufferedBytes, 4); // record consumed, 4 handshake header bytes wait for the body
});

test('SSL 2.0 answers: 2-byte header and 3-byte header records become sslv2 events', () => {
  const msg = Uint8Array.of(4, 0, 1, 0, 2, 0, 0, 0, 3, 0, 16, 1, 0, 0x80, ...new Uint8Array(16).fill(7));
  const twoByte = concat(Uint8Array.of(0x80 | (msg.length >> 8), msg.length & 0xff), msg);
  const r = new ServerFlightReader();
  assert.deepEqual(r.push(twoByte.subarray(0, 1)), []);
  assert.ok(r.sslv2);
  assert.deepEqual(r.push(twoByte.subarray(1)), [{ kind: 'sslv2', message: msg }]);
  // 3-byte header with 3 bytes of padding
  const padded = concat(Uint8Array.of(0x00, msg.length + 3, 3), msg, Uint8Array.of(0, 0, 0));
  const r3 = new ServerFlightReader();
  assert.deepEqual(r3.push(padded), [{ kind: 'sslv2', message: msg }]);
  assert.ok(r3.sslv2);
  // SSLv2 ERROR in split chunks
  const err = Uint8Array.of(0x80, 3, 0, 0, 1);
  assert.deepEqual(readAll(err, [1, 1, 1, 1]), [{ kind: 'sslv2', message: Uint8Array.of(0, 0, 1) }]);
  assert.throws(() => new ServerFlightReader().push(Uint8Array.of(0x80, 0)), /empty SSL 2.0/);
});

test('a fault after good records keeps the events completed before it (ServerFlightError.events)', () => {
  const sh = record(22, 0x0303, handshakeMsg(2, serverHelloBody({ suite: 0xc02f })));
  const r = new ServerFlightReader();
  let caught: unknown;
  try { r.push(concat(sh, Buffer.from('garbage'))); } catch (e) { caught = e; }
  assert.ok(caught instanceof ServerFlightError && caught instanceof WireError);
  assert.deepEqual(summary(caught.events), ['hs2:40']);
  assert.match(caught.message, /content type 103/);
  assert.throws(() => r.push(sh), (e: unknown) => e instanceof ServerFlightError && e.events.length === 0 && /already failed/.test(e.message));
});

test('after a HelloRetryRequest the compatibility CCS does not hide the second ServerHello', () => {
  const hrr = handshakeMsg(2, serverHelloBody({ random: HELLO_RETRY_REQUEST_RANDOM, suite: 0x1301, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 23] }] }));
  const sh2 = handshakeMsg(2, serverHelloBody({ suite: 0x1301, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 23, 0, 1, 4] }] }));
  const r = new ServerFlightReader();
  assert.deepEqual(summary(r.push(concat(record(22, 0x0303, hrr), record(20, 0x0303, Uint8Array.of(1))))), ['hs2:52', 'ccs']);
  assert.ok(!r.isEncrypted);
  // (the client sends its second ClientHello here)
  assert.deepEqual(summary(r.push(concat(record(22, 0x0303, sh2), record(23, 0x0303, new Uint8Array(50))))), ['hs2:55', 'encrypted']);
  assert.ok(r.isEncrypted);
});

test('a flood of records is consumed as it arrives: buffered bytes stay under one record', () => {
  const rec = record(23, 0x0303, new Uint8Array(16384));
  const stream = concat(...Array(256).fill(rec)); // ~4 MB
  const r = new ServerFlightReader();
  let n = 0;
  for (let off = 0; off < stream.length; off += 65536) {
    n += r.push(stream.subarray(off, off + 65536)).length;
    assert.ok(r.bufferedBytes < 16384 + 5);
  }
  assert.equal(n, 256);
  assert.equal(r.bufferedBytes, 0);
});
