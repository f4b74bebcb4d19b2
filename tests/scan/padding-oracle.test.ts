/**
 * CBC padding oracles (src/scan/padding-oracle.ts, src/net/tls12-client.ts,
 * src/wire/cbc.ts). Real servers show what a correct server does (nginx,
 * gnutls-serv, node:tls: bad_record_mac for every bad record) and that our
 * records are right (node:tls takes a well-made one and reads its content).
 * The SCRIPTED FAKE SERVER of tests/support/cbc-oracle-server.ts stands in
 * for the vulnerable servers that no library here is: one that tells a bad
 * padding from a bad MAC, one that checks only the padding's last byte
 * (POODLE-TLS), one that closes silently on an empty record. Scans that
 * must run the check ask for it (paddingOracle: true): on a loaded machine a
 * loopback server can be judged far and serving one connection at a time,
 * which skips the check by default (seen once in a full test run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import net from 'node:net';
import { after } from 'node:test';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { startCbcOracleServer } from '../support/cbc-oracle-server.js';
import { startDelayRelay } from '../support/delay-relay.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { renderScan } from '../../src/report/terminal.js';
import { tls12Session, type CbcSession, type Tls12Version } from '../../src/net/tls12-client.js';
import { caseRecord, judgePadding, PADDING_CASES } from '../../src/scan/padding-oracle.js';
import { cbcSuite, keyBlock, openRecord, padding, recordMac, sealRecord, type CbcSuite } from '../../src/wire/cbc.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const localhostCert = () => new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const ALIKE = Array(5).fill('alert 20, then closed');

/** A node:tls server that keeps what it reads on each connection. */
async function recordingServer(o: tls.TlsOptions): Promise<{ port: number; received: Promise<Buffer> }> {
  let got!: (b: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => { got = resolve; });
  const server = tls.createServer(o, (sock) => {
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => got(d));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as net.AddressInfo).port, received };
}

/** A record that a correct client would send: content, its MAC, correct padding. */
function validRecord(s: CbcSession, content: Buffer): Buffer {
  const mac = recordMac(s.suite, s.keys.clientMacKey, 1n, 23, s.version, content);
  const body = Buffer.concat([content, mac]);
  const iv = s.version >= 0x0302 ? Buffer.alloc(s.suite.blockLength, 7) : s.clientIv;
  return sealRecord(s.version, s.suite, s.keys.clientKey, iv, 23, Buffer.concat([body, padding(s.suite, body.length)]));
}

test('our records are right: node:tls (OpenSSL 3) takes a well-made record after the handshake and reads its content, at TLS 1.2 (SHA-256 and SHA-384 PRF), TLS 1.1 and TLS 1.0 (chained IVs)', async () => {
  const c = localhostCert();
  const cases: [tls.SecureVersion, string, number][] = [
    ['TLSv1.2', 'AES128-SHA256', 0x003c],
    ['TLSv1.2', 'ECDHE-RSA-AES256-SHA384', 0xc028],
    ['TLSv1.1', 'AES256-SHA', 0x0035],
    ['TLSv1', 'ECDHE-RSA-AES128-SHA', 0xc013],
  ];
  const wire: Record<string, Tls12Version> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303 };
  for (const [version, cipher, code] of cases) {
    const s = await recordingServer({ cert: c.pem, key: c.keyPem, minVersion: version, maxVersion: version, ciphers: `${cipher}:@SECLEVEL=0` });
    const content = Buffer.from(`hello over ${cipher}`);
    const r = await tls12Session({
      host: '127.0.0.1', port: s.port, version: wire[version]!, suites: [code], timeoutMs: 4000,
      followUp: (sess) => [validRecord(sess.cbc!, content)], reactionWaitMs: () => 150,
    });
    assert.equal(r.kind, 'reaction', JSON.stringify(r));
    assert.equal(r.kind === 'reaction' && r.suiteCode, code);
    assert.deepEqual(await s.received, content, `${version} ${cipher}`);
    assert.equal(r.kind === 'reaction' && r.records.length, 0);
  }
});

test('real servers answer the five bad records alike (bad_record_mac, then a close): nginx at TLS 1.2, gnutls-serv at TLS 1.0 (3DES and AES-CBC), node:tls at TLS 1.1; no finding', async () => {
  const c = localhostCert();
  const nginx = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;', "ssl_ciphers 'ECDHE-RSA-AES128-SHA:AES256-SHA256';"] });
  const n = await scanEndpoint(ep(nginx.port), { timeoutMs: 4000, paddingOracle: true });
  assert.equal(n.features!.paddingOracle, false, JSON.stringify(n.features));
  assert.deepEqual(n.features!.paddingOracleReactions, ALIKE);
  assert.ok(!assess(n, { host: 'localhost' }).findings.some((f) => /padding-oracle|poodle-tls/.test(f.id)));
  const gnutls = await startGnuTLSServer({ cert: c.cert, key: c.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.0:+3DES-CBC' });
  const g = await scanEndpoint(ep(gnutls.port), { timeoutMs: 4000, paddingOracle: true });
  assert.equal(g.features!.paddingOracle, false, JSON.stringify(g.features));
  assert.deepEqual(g.features!.paddingOracleReactions, ALIKE);
  const node = await recordingServer({ cert: c.pem, key: c.keyPem, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0' });
  const d = await scanEndpoint(ep(node.port), { timeoutMs: 4000, paddingOracle: true });
  assert.equal(d.features!.paddingOracle, false, JSON.stringify(d.features));
  assert.ok(d.features!.paddingOracleReactions!.every((r) => r.startsWith('alert 20')), JSON.stringify(d.features!.paddingOracleReactions));
});

test('servers node:tls could not make the handshake with are checked too (our own client): 3DES only and Camellia only at TLS 1.2 (gnutls-serv), and a server without RFC 5746 secure renegotiation', async () => {
  const c = localhostCert();
  const cases: [string, string][] = [
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+3DES-CBC', '3DES-EDE-CBC'],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CAMELLIA-128-CBC', 'CAMELLIA-128-CBC'],
    ['NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:%DISABLE_SAFE_RENEGOTIATION', 'AES-128-CBC'],
  ];
  for (const [priority, cipher] of cases) {
    const g = await startGnuTLSServer({ cert: c.cert, key: c.key, priority });
    try {
      const r = await scanEndpoint(ep(g.port), { timeoutMs: 4000, paddingOracle: true, renegotiation: false });
      assert.equal(r.features!.paddingOracle, false, `${priority}: ${JSON.stringify(r.features)}`);
      assert.deepEqual(r.features!.paddingOracleReactions, ALIKE, priority);
      assert.ok(r.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.every((s) => s.cipher === cipher), priority);
    } finally {
      await g.stop();
    }
  }
});

test('a server without CBC suites costs no handshake and shows no padding-oracle line; one that serves one connection at a time, 50 ms away, is not asked unless --padding-oracle says so', async () => {
  const c = localhostCert();
  const gcm = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1.2;', "ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256';"] });
  const trace: string[] = [];
  const r = await scanEndpoint(ep(gcm.port), { timeoutMs: 4000, onStats: (by) => trace.push(String(by['padding-oracle'] ?? 0)) });
  assert.equal(r.features!.paddingOracle, null);
  assert.match(r.features!.paddingOracleNote!, /no CBC suite at TLSv1\.2/);
  assert.deepEqual(trace, ['0']);
  assert.doesNotMatch(renderScan(r, { color: false }), /padding oracle/i);
  // openssl s_server serves one connection at a time; the scan sees it (round 1) when it is far.
  const serial = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_2', '-cipher', 'AES128-SHA'] });
  const relay = await startDelayRelay(serial.port, 25);
  after(() => relay.close());
  const s = await scanEndpoint(ep(relay.port), { timeoutMs: 4000 });
  assert.equal(s.features!.paddingOracle, null);
  assert.match(s.features!.paddingOracleNote!, /one connection at a time/);
  assert.match(renderScan(s, { color: false }), /CBC padding oracle\s+unknown \(not asked/);
  const forced = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, paddingOracle: true });
  assert.equal(forced.features!.paddingOracle, false, JSON.stringify(forced.features));
  const skipped = await scanEndpoint(ep(gcm.port), { timeoutMs: 4000, paddingOracle: false });
  assert.equal(skipped.features!.paddingOracle, null);
});

test('the scripted fake server: a padding oracle (decryption_failed for a bad padding) is found, confirmed three times, high, grade capped at C; the same server answering alike is not', async () => {
  const c = localhostCert();
  const oracle = await startCbcOracleServer({ mode: 'oracle', certPem: c.pem, keyPem: c.keyPem });
  const r = await scanEndpoint(ep(oracle.port), { timeoutMs: 3000, paddingOracle: true });
  assert.equal(r.features!.paddingOracle, true, JSON.stringify(r.features));
  assert.equal(r.features!.paddingOracleKind, 'oracle');
  assert.deepEqual(r.features!.paddingOracleReactions, ['alert 20, then closed', 'alert 21, then closed', 'alert 21, then closed', 'alert 21, then closed', 'alert 20, then closed']);
  const a = assess(r, { host: 'localhost' });
  const f = a.findings.find((x) => x.id === 'protocol.padding-oracle');
  assert.equal(f?.severity, 'high');
  assert.match(f!.detail, /valid MAC, wrong padding bytes: alert 21/);
  assert.ok(a.grade.caps.some((cap) => cap.grade === 'C' && /padding oracle/.test(cap.reason)));
  assert.match(renderScan(r, { color: false }), /CBC padding oracle\s+VULNERABLE \(answers a wrong padding unlike a wrong MAC/);
  const safe = await startCbcOracleServer({ mode: 'safe', certPem: c.pem, keyPem: c.keyPem });
  const s = await scanEndpoint(ep(safe.port), { timeoutMs: 3000, paddingOracle: true });
  assert.equal(s.features!.paddingOracle, false);
  assert.deepEqual(s.features!.paddingOracleReactions, ALIKE);
});

test('the scripted fake server: one that checks only the padding\'s last byte takes the POODLE record (POODLE-TLS, CVE-2014-8730); one that closes silently on an empty record is the 0-length kind', async () => {
  const c = localhostCert();
  const poodle = await startCbcOracleServer({ mode: 'poodle', certPem: c.pem, keyPem: c.keyPem });
  // Without the renegotiation check, whose ClientHello this fake would take as one more record.
  const r = await scanEndpoint(ep(poodle.port), { timeoutMs: 3000, paddingOracle: true, renegotiation: false });
  assert.equal(r.features!.paddingOracle, true, JSON.stringify(r.features));
  assert.equal(r.features!.paddingOracleKind, 'poodle-tls');
  assert.equal(r.features!.paddingOracleReactions![2], 'no answer');
  // What it took: the control once, and the POODLE record five times (the first round, the two
  // times the unusual case is asked again, the two rounds of confirmation).
  assert.equal(poodle.accepted.length, 6);
  assert.ok(poodle.accepted.every((b) => b.toString('latin1').startsWith('GET / HTTP/1.1')));
  assert.equal(r.features!.paddingOracleControl, 'no answer');
  assert.ok(assess(r, { host: 'localhost' }).findings.some((f) => f.id === 'protocol.poodle-tls' && f.severity === 'high'));
  const zero = await startCbcOracleServer({ mode: 'zero-length', certPem: c.pem, keyPem: c.keyPem });
  const z = await scanEndpoint(ep(zero.port), { timeoutMs: 3000, paddingOracle: true });
  assert.equal(z.features!.paddingOracleKind, 'zero-length', JSON.stringify(z.features));
  assert.equal(z.features!.paddingOracleReactions![4], 'closed');
  assert.match(assess(z, { host: 'localhost' }).findings.find((f) => f.id === 'protocol.padding-oracle')!.detail, /CVE-2019-1559/);
});

test('hostile: a server that drops every bad record in silence (as it takes a good one), or one that closes right behind its Finished, is unknown, not "not vulnerable"; one that stalls the handshake costs the probe deadline, no more', async () => {
  const c = localhostCert();
  const silent = await startCbcOracleServer({ mode: 'silent', certPem: c.pem, keyPem: c.keyPem });
  const r = await scanEndpoint(ep(silent.port), { timeoutMs: 2000, paddingOracle: true });
  assert.equal(r.features!.paddingOracle, null, JSON.stringify(r.features));
  assert.match(r.features!.paddingOracleNote!, /met the bad records as it met a good one \(no answer\)/);
  assert.deepEqual(r.features!.paddingOracleReactions, Array(5).fill('no answer'));
  // A server that closes (close_notify) right behind its Finished, before it reads our record: no reaction to the records can be seen.
  const hangup = await startCbcOracleServer({ mode: 'hangup', certPem: c.pem, keyPem: c.keyPem });
  const h = await scanEndpoint(ep(hangup.port), { timeoutMs: 2000, paddingOracle: true });
  assert.equal(h.features!.paddingOracle, null, JSON.stringify(h.features));
  assert.match(h.features!.paddingOracleNote!, /as it met a good one \(alert 0, then closed\)/);
  const stall = await startCbcOracleServer({ mode: 'stall', certPem: c.pem, keyPem: c.keyPem });
  const t0 = Date.now();
  const s = await scanEndpoint(ep(stall.port), { timeoutMs: 1000, paddingOracle: true });
  assert.ok(Date.now() - t0 < 4000, `${Date.now() - t0} ms`);
  assert.equal(s.features!.paddingOracle, null);
  assert.match(s.features!.paddingOracleNote!, /timed out after 1000 ms/);
});

test('judgePadding: alike and unlike the good record is no oracle, like the good record is unknown; the POODLE record taken where a wrong MAC is refused is POODLE-TLS; only the empty record apart is the 0-length kind', () => {
  assert.deepEqual(judgePadding(ALIKE, 'no answer'), { vulnerable: false });
  assert.deepEqual(judgePadding(['alert 20', 'alert 20', 'no answer', 'alert 20', 'alert 20'], 'no answer'), { vulnerable: true, kind: 'poodle-tls' });
  assert.deepEqual(judgePadding(['alert 20', 'alert 20', 'data', 'alert 20', 'alert 20'], 'data'), { vulnerable: true, kind: 'poodle-tls' });
  assert.deepEqual(judgePadding(['alert 20', 'alert 20', 'alert 20', 'alert 20', 'reset'], 'no answer'), { vulnerable: true, kind: 'zero-length' });
  assert.deepEqual(judgePadding(['alert 20', 'alert 21', 'alert 21', 'alert 21', 'alert 20'], 'no answer'), { vulnerable: true, kind: 'oracle' });
  // Met as the good record is: nothing can be told (a server that drops or takes every record, or closes by itself).
  assert.deepEqual(judgePadding(Array(5).fill('no answer'), 'no answer'), { vulnerable: null });
  assert.deepEqual(judgePadding(Array(5).fill('alert 0, then closed'), 'alert 0, then closed'), { vulnerable: null });
  assert.equal(PADDING_CASES.length, 5);
});

const SUITES: [string, string][] = [['AES-128-CBC', 'SHA1'], ['AES-256-CBC', 'SHA256'], ['AES-256-CBC', 'SHA384'], ['3DES-EDE-CBC', 'SHA1'], ['CAMELLIA-128-CBC', 'SHA256']];

/** A session with random keys, as our client (net/tls12-client.ts) would hand it to caseRecord. */
function fakeSession(suite: CbcSuite, version: number, seed: Uint8Array): CbcSession {
  const keys = keyBlock(version, suite, Buffer.from(seed).subarray(0, 48), Buffer.alloc(32, 1), Buffer.alloc(32, 2));
  return { version, suiteCode: 0x002f, suite, keys, clientIv: keys.clientIv.length ? keys.clientIv : Buffer.alloc(suite.blockLength, 9) };
}

test('the five records decrypt to what each case says (property, every CBC cipher and HMAC, TLS 1.0-1.2)', () => {
  fc.assert(fc.property(
    fc.constantFrom(...SUITES), fc.constantFrom(0x0301, 0x0302, 0x0303), fc.uint8Array({ minLength: 48, maxLength: 48 }),
    ([cipher, mac], version, seed) => {
      const suite = cbcSuite(cipher, mac)!;
      const s = fakeSession(suite, version, seed);
      const m = recordMac(suite, s.keys.clientMacKey, 1n, 23, version, Buffer.alloc(0)).length;
      const plain = PADDING_CASES.map((_, i) => {
        const rec = caseRecord(i, s);
        assert.equal(rec[0], 23);
        assert.equal(rec.readUInt16BE(1), version);
        assert.equal(rec.readUInt16BE(3), rec.length - 5);
        return openRecord(version, suite, s.keys.clientKey, s.clientIv, rec.subarray(5))!.plaintext;
      });
      const macOk = (p: Buffer, padLen: number) => {
        const content = p.subarray(0, p.length - padLen - 1 - m);
        return recordMac(suite, s.keys.clientMacKey, 1n, 23, version, content).equals(p.subarray(content.length, content.length + m));
      };
      // 0: padding length 0, a MAC that is wrong.
      assert.equal(plain[0]!.at(-1), 0);
      assert.equal(macOk(plain[0]!, 0), false);
      // 1: nothing but 0xff, too short for 255 bytes of padding.
      assert.ok(plain[1]!.every((b) => b === 0xff) && plain[1]!.length < 256);
      // 2: a full block of padding, right length byte, wrong bytes before it, the right MAC.
      const b = suite.blockLength;
      assert.equal(plain[2]!.at(-1), b - 1);
      assert.ok(plain[2]!.subarray(plain[2]!.length - b, plain[2]!.length - 1).every((x) => x !== b - 1));
      assert.equal(macOk(plain[2]!, b - 1), true);
      // 3: padding bytes 0x80, a length the record cannot hold.
      assert.equal(plain[3]!.at(-1), 0x80);
      assert.ok(plain[3]!.length < 0x80 + 1 + m);
      // 4: no content, valid padding, a wrong MAC.
      const p4 = plain[4]!;
      const pad4 = p4.at(-1)!;
      assert.equal(p4.length, m + pad4 + 1);
      assert.ok(p4.subarray(m).every((x) => x === pad4));
      assert.equal(macOk(p4, pad4), false);
    },
  ), { numRuns: 60 });
});

test('openRecord never throws on random fragments, and opens what sealRecord sealed (property)', () => {
  fc.assert(fc.property(
    fc.constantFrom(...SUITES), fc.constantFrom(0x0301, 0x0302, 0x0303), fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 1, max: 6 }),
    ([cipher, mac], version, junk, blocks) => {
      const suite = cbcSuite(cipher, mac)!;
      const key = Buffer.alloc(suite.keyLength, 3);
      const iv = Buffer.alloc(suite.blockLength, 4);
      const opened = openRecord(version, suite, key, iv, junk);
      if (opened) assert.equal(opened.plaintext.length % suite.blockLength, 0);
      const plaintext = Buffer.alloc(blocks * suite.blockLength, 0x61);
      const rec = sealRecord(version, suite, key, iv, 23, plaintext);
      assert.deepEqual(openRecord(version, suite, key, iv, rec.subarray(5))!.plaintext, plaintext);
    },
  ), { numRuns: 100 });
});
