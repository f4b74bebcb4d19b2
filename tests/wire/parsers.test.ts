import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireError } from '../../src/util/errors.js';
import { ByteWriter } from '../../src/wire/bytes.js';
import { DOWNGRADE_TLS11, DOWNGRADE_TLS12, HELLO_RETRY_REQUEST_RANDOM, alertName, versionName } from '../../src/wire/constants.js';
import { parseServerHello, negotiatesTls13 } from '../../src/wire/server-hello.js';
import { alertEndsHandshake, parseAlert, parseAlerts } from '../../src/wire/alert.js';
import { parseCertificateEntries, parseCertificateMessage, parseCertificateStatus } from '../../src/wire/certificate.js';
import { bitLength, parseServerKeyExchange } from '../../src/wire/server-key-exchange.js';
import { parseCertificateRequest, parseCertificateRequest13 } from '../../src/wire/certificate-request.js';
import { parseSSLv2Message, parseSSLv2ServerHello, SSLv2ErrorMessage } from '../../src/wire/sslv2.js';
import { certificateBody, concat, serverHelloBody } from './helpers.js';

const isWire = (re?: RegExp) => (e: unknown) => e instanceof WireError && (!re || re.test(e.message));

test('ServerHello TLS 1.2 with extensions', () => {
  const sh = parseServerHello(serverHelloBody({
    version: 0x0303, sessionId: new Uint8Array(32).fill(1), suite: 0xc030,
    extensions: [
      { type: 0xff01, data: [0] }, { type: 23, data: [] }, { type: 22, data: [] }, { type: 35, data: [] }, { type: 5, data: [] },
      { type: 11, data: [2, 0, 1] }, { type: 16, data: [0, 3, 2, 0x68, 0x32] }, { type: 15, data: [1] },
    ],
  }));
  assert.equal(sh.version, 0x0303);
  assert.equal(sh.legacyVersion, 0x0303);
  assert.equal(sh.cipherSuite, 0xc030);
  assert.equal(sh.sessionId.length, 32);
  assert.equal(sh.secureRenegotiation, true);
  assert.equal(sh.extendedMasterSecret, true);
  assert.equal(sh.encryptThenMac, true);
  assert.equal(sh.sessionTicket, true);
  assert.equal(sh.statusRequest, true);
  assert.deepEqual(sh.ecPointFormats, [0, 1]);
  assert.equal(sh.alpn, 'h2');
  assert.equal(sh.heartbeatMode, 1);
  assert.equal(sh.isHelloRetryRequest, false);
  assert.equal(sh.extensions.length, 8);
  assert.equal(negotiatesTls13(sh), false);
});

test('ServerHello SSLv3 without an extensions block', () => {
  const sh = parseServerHello(serverHelloBody({ version: 0x0300, suite: 0x000a, extensions: null }));
  assert.equal(sh.version, 0x0300);
  assert.deepEqual(sh.extensions, []);
  assert.equal(sh.secureRenegotiation, false);
});

test('ServerHello TLS 1.3 and HelloRetryRequest', () => {
  const sh = parseServerHello(serverHelloBody({ suite: 0x1303, extensions: [{ type: 43, data: [3, 4] }, { type: 51, data: [0, 23, 0, 65, ...new Uint8Array(65).fill(4)] }] }));
  assert.equal(sh.version, 0x0304);
  assert.equal(sh.selectedGroup, 23);
  assert.equal(sh.keyShareLength, 65);
  assert.ok(negotiatesTls13(sh));
  const hrr = parseServerHello(serverHelloBody({ random: HELLO_RETRY_REQUEST_RANDOM, suite: 0x1301, extensions: [
    { type: 43, data: [3, 4] }, { type: 51, data: [0, 29] }, { type: 44, data: [0, 3, 1, 2, 3] }] }));
  assert.equal(hrr.isHelloRetryRequest, true);
  assert.equal(hrr.selectedGroup, 29);
  assert.deepEqual(hrr.cookie, Uint8Array.of(1, 2, 3));
  assert.equal(negotiatesTls13(hrr), false);
});

test('ServerHello downgrade sentinels', () => {
  const r12 = concat(new Uint8Array(24), DOWNGRADE_TLS12);
  const r11 = concat(new Uint8Array(24), DOWNGRADE_TLS11);
  assert.equal(parseServerHello(serverHelloBody({ random: r12 })).downgradeSentinel, 'tls12');
  assert.equal(parseServerHello(serverHelloBody({ version: 0x0302, random: r11 })).downgradeSentinel, 'tls11');
  assert.equal(parseServerHello(serverHelloBody({})).downgradeSentinel, undefined);
});

test('ServerHello malformed inputs throw WireError', () => {
  const good = serverHelloBody({ extensions: [{ type: 23, data: [] }] });
  // every truncation fails, except at 38 bytes: a valid SSLv3-style hello without extensions
  for (let n = 0; n < good.length; n++) if (n !== 38) assert.throws(() => parseServerHello(good.subarray(0, n)), isWire(), `truncated at ${n}`);
  assert.throws(() => parseServerHello(concat(good, Uint8Array.of(0))), isWire(/trailing/));
  assert.throws(() => parseServerHello(serverHelloBody({ sessionId: new Uint8Array(33) })), isWire(/session id/));
  assert.throws(() => parseServerHello(serverHelloBody({ extensions: [{ type: 23, data: [] }, { type: 23, data: [] }] })), isWire(/duplicate/));
  assert.throws(() => parseServerHello(serverHelloBody({ extensions: [{ type: 43, data: [3] }] })), isWire());
  assert.throws(() => parseServerHello(serverHelloBody({ extensions: [{ type: 43, data: [3, 4, 0] }] })), isWire(/trailing/));
  assert.throws(() => parseServerHello(serverHelloBody({ extensions: [{ type: 16, data: [0, 5, 2, 0x68, 0x32, 1, 0x61] }] })), isWire(/exactly one/));
  assert.throws(() => parseServerHello(serverHelloBody({ extensions: [{ type: 51, data: [0, 29, 0, 0] }] })), isWire(/empty key_exchange/));
});

test('alerts', () => {
  assert.deepEqual(parseAlert(Uint8Array.of(2, 40)), { level: 2, description: 40, name: 'handshake_failure' });
  assert.deepEqual(parseAlert(Uint8Array.of(2, 255)), { level: 2, description: 255, name: 'unknown(255)' });
  assert.equal(alertName(86), 'inappropriate_fallback');
  assert.equal(alertName(116), 'certificate_required');
  assert.throws(() => parseAlert(Uint8Array.of(2)), isWire());
  assert.throws(() => parseAlert(Uint8Array.of(2, 1, 1)), isWire());
  assert.equal(parseAlerts(Uint8Array.of(1, 0, 2, 10)).length, 2);
  assert.throws(() => parseAlerts(new Uint8Array(0)), isWire());
  assert.equal(alertEndsHandshake({ level: 1, description: 112 }), false);
  assert.equal(alertEndsHandshake({ level: 1, description: 0 }), true);
  assert.equal(alertEndsHandshake({ level: 2, description: 112 }), true);
});

test('Certificate message TLS 1.2 and 1.3 forms; CertificateStatus', () => {
  const a = Uint8Array.of(0x30, 1, 2), b = Uint8Array.of(0x30, 3);
  assert.deepEqual(parseCertificateMessage(certificateBody([a, b])), [a, b]);
  assert.deepEqual(parseCertificateMessage(certificateBody([a, b], true), true), [a, b]);
  assert.deepEqual(parseCertificateMessage(certificateBody([])), []);
  // 1.3 entry with an extension (status_request carrying an OCSP response)
  const body13 = new ByteWriter().vector(1, () => {}).vector(3, (l) => {
    l.vector(3, (c) => c.bytes(a)).vector(2, (e) => e.u16(5).vector(2, (d) => d.bytes([1, 0, 0, 1, 9])));
  }).finish();
  const entries = parseCertificateEntries(body13, true);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0]!.extensions, [{ type: 5, data: Uint8Array.of(1, 0, 0, 1, 9) }]);
  // the 1.2 parser on 1.3 bytes (and vice versa) fails cleanly
  assert.throws(() => parseCertificateMessage(certificateBody([a], true)), isWire());
  assert.throws(() => parseCertificateMessage(certificateBody([a]), true), isWire());
  assert.throws(() => parseCertificateMessage(certificateBody([new Uint8Array(0)])), isWire(/empty certificate/));
  assert.throws(() => parseCertificateMessage(concat(certificateBody([a]), Uint8Array.of(0))), isWire(/trailing/));
  assert.deepEqual(parseCertificateStatus(Uint8Array.of(1, 0, 0, 2, 0x30, 0)), Uint8Array.of(0x30, 0));
  assert.throws(() => parseCertificateStatus(Uint8Array.of(2, 0, 0, 0)), isWire(/type 2/));
});

test('bitLength strips leading zero bits', () => {
  assert.equal(bitLength(Uint8Array.of()), 0);
  assert.equal(bitLength(Uint8Array.of(0, 0)), 0);
  assert.equal(bitLength(Uint8Array.of(1)), 1);
  assert.equal(bitLength(Uint8Array.of(0, 0x80, 0)), 16);
  assert.equal(bitLength(Uint8Array.of(0x7f, 0xff)), 15);
});

test('ServerKeyExchange: DHE (TLS 1.0 signature form, leading zero in p), DH_anon, RSA_EXPORT, PSK, SRP, explicit curves', () => {
  const p = concat(Uint8Array.of(0), new Uint8Array(128).fill(0xff)); // 1024-bit p with a leading zero byte
  const dhe = new ByteWriter().vector(2, (w) => w.bytes(p)).vector(2, (w) => w.u8(5)).vector(2, (w) => w.bytes(new Uint8Array(128).fill(3)))
    .vector(2, (w) => w.bytes(new Uint8Array(36))).finish();
  const s = parseServerKeyExchange(dhe, 'DHE');
  assert.ok(s.kind === 'dhe');
  assert.equal(s.pBits, 1024);
  assert.equal(s.gBits, 3);
  assert.equal(s.publicKeyLength, 128);
  assert.deepEqual(s.signature, { length: 36 });
  assert.deepEqual(parseServerKeyExchange(dhe, 'DHE', { version: 0x0301 }).kind === 'dhe' && parseServerKeyExchange(dhe, 'DHE', { version: 0x0301 }), { ...s });
  const anon = parseServerKeyExchange(dhe.subarray(0, dhe.length - 38), 'DH_anon');
  assert.ok(anon.kind === 'dhe' && anon.signature === undefined && anon.pBits === 1024);

  const rsa = new ByteWriter().vector(2, (w) => w.bytes(concat(Uint8Array.of(0x80), new Uint8Array(63)))).vector(2, (w) => w.bytes([1, 0, 1]))
    .vector(2, (w) => w.bytes(new Uint8Array(128))).finish();
  const r = parseServerKeyExchange(rsa, 'RSA_EXPORT');
  assert.ok(r.kind === 'rsa-export' && r.modulusBits === 512 && r.signature?.length === 128);

  assert.deepEqual(parseServerKeyExchange(Uint8Array.of(0, 2, 0x61, 0x62), 'PSK'), { kind: 'psk', identityHint: Uint8Array.of(0x61, 0x62) });
  const epsk = parseServerKeyExchange(Uint8Array.of(0, 0, 3, 0, 23, 1, 4), 'ECDHE_PSK');
  assert.ok(epsk.kind === 'ecdhe' && epsk.group === 23 && epsk.publicKeyLength === 1 && epsk.signature === undefined);

  const srp = new ByteWriter().vector(2, (w) => w.bytes(new Uint8Array(256).fill(0xff))).vector(2, (w) => w.u8(2)).vector(1, (w) => w.bytes(new Uint8Array(16)))
    .vector(2, (w) => w.bytes(new Uint8Array(256).fill(1))).u16(0x0401).vector(2, (w) => w.bytes(new Uint8Array(256))).finish();
  const sr = parseServerKeyExchange(srp, 'SRP', { version: 0x0303 });
  assert.ok(sr.kind === 'srp' && sr.nBits === 2048 && sr.saltLength === 16 && sr.signature?.algorithm === 0x0401);

  const explicitPrime = new ByteWriter().u8(1).vector(1, (w) => w.bytes(new Uint8Array(32).fill(0xff)))
    .vector(1, (w) => w.u8(1)).vector(1, (w) => w.u8(2)).vector(1, (w) => w.u8(4)).vector(1, (w) => w.u8(5)).vector(1, (w) => w.u8(1))
    .vector(1, (w) => w.bytes(new Uint8Array(65))).finish();
  const ep = parseServerKeyExchange(explicitPrime, 'ECDH_anon');
  assert.ok(ep.kind === 'ecdhe' && ep.curveType === 1 && ep.group === 0 && ep.explicitFieldBits === 256 && ep.publicKeyLength === 65);
  const char2 = new ByteWriter().u8(2).u16(163).u8(2).vector(1, (w) => w.u8(3)).vector(1, (w) => w.u8(6)).vector(1, (w) => w.u8(7))
    .vector(1, (w) => w.u8(1)).vector(1, (w) => w.u8(1)).vector(1, (w) => w.u8(4)).vector(1, (w) => w.u8(5)).vector(1, (w) => w.u8(2))
    .vector(1, (w) => w.bytes(new Uint8Array(43))).finish();
  const c2 = parseServerKeyExchange(char2, 'ECDH_anon');
  assert.ok(c2.kind === 'ecdhe' && c2.curveType === 2 && c2.explicitFieldBits === 163);
});

test('ServerKeyExchange malformed inputs throw WireError', () => {
  assert.throws(() => parseServerKeyExchange(Uint8Array.of(4, 0, 23, 1, 4), 'ECDHE'), isWire(/ECCurveType 4/));
  assert.throws(() => parseServerKeyExchange(Uint8Array.of(3, 0, 23, 0), 'ECDHE'), isWire(/empty/));
  assert.throws(() => parseServerKeyExchange(Uint8Array.of(0, 0, 0, 1, 2, 0, 1, 1), 'DHE'), isWire(/empty dh_p/));
  assert.throws(() => parseServerKeyExchange(Uint8Array.of(0, 2, 0x61, 0x62, 0), 'PSK'), isWire(/trailing/));
  assert.throws(() => parseServerKeyExchange(new Uint8Array(0), 'SRP'), isWire());
  assert.throws(() => parseServerKeyExchange(Uint8Array.of(3, 0, 23, 1, 4), 'RSA' as never), isWire(/no ServerKeyExchange format/));
  // trailing bytes that match no signature form are tolerated and reported raw
  const odd = parseServerKeyExchange(Uint8Array.of(3, 0, 23, 1, 4, 9, 9, 9), 'ECDHE', { version: 0x0303 });
  assert.deepEqual(odd.kind === 'ecdhe' && odd.signature, { length: 3 });
});

test('SSLv2 SERVER-HELLO and ERROR', () => {
  const cert = Uint8Array.of(0x30, 0x82, 0, 0);
  const connId = new Uint8Array(16).fill(0xaa);
  const msg = new ByteWriter().u8(4).u8(0).u8(1).u16(0x0002).u16(cert.length).u16(6).u16(16)
    .bytes(cert).u24(0x010080).u24(0x0700c0).bytes(connId).finish();
  assert.deepEqual(parseSSLv2ServerHello(msg), {
    sessionIdHit: false, certificateType: 1, version: 2, certificate: cert, cipherKinds: [0x010080, 0x0700c0], connectionId: connId,
  });
  assert.throws(() => parseSSLv2ServerHello(Uint8Array.of(0, 0, 1)), (e: unknown) => e instanceof SSLv2ErrorMessage && e instanceof WireError && e.code === 1 && /NO-CIPHER-ERROR/.test(e.message));
  assert.deepEqual(parseSSLv2Message(Uint8Array.of(0, 0, 6)), { type: 'error', code: 6, name: 'UNSUPPORTED-CERTIFICATE-TYPE-ERROR' });
  assert.equal(parseSSLv2Message(Uint8Array.of(5, 1, 2)).type, 'other');
  assert.throws(() => parseSSLv2ServerHello(Uint8Array.of(5, 1, 2)), isWire(/type 5/));
  for (let n = 0; n < msg.length; n++) assert.throws(() => parseSSLv2ServerHello(msg.subarray(0, n)), isWire());
  const badSpecs = Uint8Array.from(msg); badSpecs[8] = 5;
  assert.throws(() => parseSSLv2ServerHello(badSpecs), isWire(/multiple of 3/));
});

test('versionName', () => {
  assert.equal(versionName(0x0304), 'TLSv1.3');
  assert.equal(versionName(0x0300), 'SSLv3');
  assert.equal(versionName(0x7f17), 'TLSv1.3-draft23');
  assert.equal(versionName(0x1a1a), 'GREASE(0x1a1a)');
  assert.equal(versionName(0x0101), '0x0101');
});

test('CertificateRequest: TLS 1.2 and 1.0 forms, malformed inputs', () => {
  const dn = Uint8Array.of(0x30, 3, 1, 2, 3);
  const b12 = new ByteWriter().vector(1, (w) => w.bytes([1, 64])).vector(2, (w) => w.u16(0x0403).u16(0x0804))
    .vector(2, (w) => w.vector(2, (d) => d.bytes(dn))).finish();
  assert.deepEqual(parseCertificateRequest(b12, 0x0303), { certificateTypes: [1, 64], signatureAlgorithms: [0x0403, 0x0804], certificateAuthorities: [dn] });
  const b10 = new ByteWriter().vector(1, (w) => w.bytes([1])).vector(2, () => {}).finish();
  assert.deepEqual(parseCertificateRequest(b10, 0x0301), { certificateTypes: [1], certificateAuthorities: [] });
  assert.throws(() => parseCertificateRequest(b12, 0x0301), isWire());
  assert.throws(() => parseCertificateRequest(b10, 0x0303), isWire());
  assert.throws(() => parseCertificateRequest(Uint8Array.of(0, 0, 0), 0x0301), isWire(/empty certificate_types/));
  for (let n = 0; n < b12.length; n++) assert.throws(() => parseCertificateRequest(b12.subarray(0, n), 0x0303), isWire());
});

test('CertificateRequest TLS 1.3: context, certificate_authorities and signature_algorithms from the extensions; unknown ones skipped', () => {
  const dn = Uint8Array.of(0x30, 3, 1, 2, 3);
  const body = new ByteWriter().vector(1, (w) => w.bytes([7])).vector(2, (w) => {
    w.u16(13).vector(2, (e) => e.vector(2, (l) => l.u16(0x0804).u16(0x0403)));
    w.u16(0x1234).vector(2, (e) => e.bytes([9, 9]));
    w.u16(47).vector(2, (e) => e.vector(2, (l) => l.vector(2, (d) => d.bytes(dn))));
  }).finish();
  assert.deepEqual(parseCertificateRequest13(body), { certificateTypes: [], signatureAlgorithms: [0x0804, 0x0403], certificateAuthorities: [dn] });
  const bare = new ByteWriter().vector(1, () => {}).vector(2, () => {}).finish();
  assert.deepEqual(parseCertificateRequest13(bare), { certificateTypes: [], certificateAuthorities: [] });
  for (let n = 0; n < body.length; n++) assert.throws(() => parseCertificateRequest13(body.subarray(0, n)), isWire());
  assert.throws(() => parseCertificateRequest13(concat(body, Uint8Array.of(0))), isWire());
});
