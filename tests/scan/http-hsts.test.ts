/**
 * The scan's HTTPS request, its Strict-Transport-Security and Public-Key-Pins
 * (scan/http.ts, net/https-head.ts, http/response.ts): the parsers on
 * generated and random input (fast-check), then real servers: nginx with a
 * long, a short and an invalid HSTS header and with none (A+ only for the
 * long one), nginx with HPKP pins of its own key and of none, openssl
 * s_server -www (no ALPN, no HTTPS port: not asked unless --http), and
 * node:tls servers that stall or answer what is not HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startNodeTLSServer, startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';
import { HttpHeadError, MAX_HEAD_BYTES, parseHpkp, parseHsts, ResponseHeadReader } from '../../src/http/response.js';
import { opensslPinOfCert } from '../pinning/support.js';
import type { HttpCheck, ScanResult } from '../../src/scan/types.js';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/scan-result.schema.json', import.meta.url), 'utf8')));

test('parseHsts: directives in any case, spacing and order, quoted or not, unknown ones ignored; each at most once; max-age required and numeric', () => {
  assert.deepEqual(parseHsts('max-age=31536000; includeSubDomains; preload'), { header: 'max-age=31536000; includeSubDomains; preload', maxAge: 31536000, includeSubDomains: true, preload: true });
  assert.deepEqual(parseHsts(' INCLUDESUBDOMAINS ;Max-Age="600";; report-uri="x"'), { header: ' INCLUDESUBDOMAINS ;Max-Age="600";; report-uri="x"', maxAge: 600, includeSubDomains: true, preload: false });
  assert.match(parseHsts('includeSubDomains').invalid!, /max-age directive is missing/);
  assert.match(parseHsts('max-age=1; max-age=2').invalid!, /max-age directive appears more than once/);
  assert.match(parseHsts('max-age=-1').invalid!, /number of seconds, not "-1"/);
  assert.match(parseHsts('max-age="31536000').invalid!, /no closing quote/);
  assert.match(parseHsts('max-age=300; includeSubDomains=yes').invalid!, /takes no value/);
  assert.equal(parseHsts('max-age=abc').maxAge, null);

  const directive = fc.oneof(
    fc.constant({ name: 'includeSubDomains' as const }),
    fc.constant({ name: 'preload' as const }),
    fc.record({ name: fc.constantFrom('report-uri', 'x-future'), value: fc.stringMatching(/^[a-z0-9.:/]{0,12}$/) }),
  );
  fc.assert(fc.property(fc.nat({ max: 1e9 }), fc.boolean(), fc.uniqueArray(directive, { selector: (d) => d.name, maxLength: 3 }), fc.nat({ max: 3 }), fc.boolean(),
    (age, quoted, others, at, upper) => {
      const parts = others.map((d) => ('value' in d ? `${d.name}=${d.value}` : d.name));
      parts.splice(Math.min(at, parts.length), 0, `max-age=${quoted ? `"${age}"` : age}`);
      const header = parts.map((p) => (upper ? p.toUpperCase() : p)).join(at % 2 ? ';' : ' ; ');
      const p = parseHsts(header);
      assert.equal(p.invalid, undefined, header);
      assert.equal(p.maxAge, age);
      assert.equal(p.includeSubDomains, others.some((d) => d.name === 'includeSubDomains'));
      assert.equal(p.preload, others.some((d) => d.name === 'preload'));
    }));
  // Anything at all: a policy or a reason, never a throw.
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
    const p = parseHsts(s);
    assert.ok((p.maxAge === null) === (p.invalid !== undefined));
  }));
});

test('parseHpkp: pin-sha256 as often as there are pins, 32 bytes of base64 each; max-age required but in Report-Only; other directives once', () => {
  const a = 'A'.repeat(43) + '=', b = 'B'.repeat(43) + '=';
  assert.deepEqual(parseHpkp(`pin-sha256="${a}"; PIN-SHA256="${b}"; max-age=5184000; includeSubDomains; report-uri="https://r.test/"`),
    { header: `pin-sha256="${a}"; PIN-SHA256="${b}"; max-age=5184000; includeSubDomains; report-uri="https://r.test/"`, reportOnly: false, maxAge: 5184000, pins: [a, b], includeSubDomains: true });
  assert.equal(parseHpkp(`pin-sha256="${a}"`, true).invalid, undefined);
  assert.match(parseHpkp(`pin-sha256="${a}"`).invalid!, /max-age directive is missing/);
  assert.match(parseHpkp('max-age=10').invalid!, /no pin-sha256 directive/);
  assert.match(parseHpkp(`pin-sha256="${a.slice(1)}"; max-age=10`).invalid!, /base64 of 32 bytes/);
  assert.match(parseHpkp(`pin-sha256="${a}"; max-age=10; max-age=20`).invalid!, /appears more than once/);
  fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (s, reportOnly) => {
    const p = parseHpkp(s, reportOnly);
    assert.ok((p.maxAge === null) === (p.invalid !== undefined));
    if (p.invalid === undefined) assert.ok(p.pins.length > 0 && p.pins.every((x) => Buffer.from(x, 'base64').length === 32));
  }));
});

test('ResponseHeadReader: a head in any split is the same head; what is not HTTP, and a head past the limit, end in HttpHeadError; random bytes never throw anything else', () => {
  const bytes = Buffer.from('HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.test/\r\nStrict-Transport-Security: max-age=63072000\r\nX-Folded: a\r\n b\r\n\r\nbody');
  const whole = new ResponseHeadReader().push(bytes)!;
  assert.equal(whole.status, 301);
  assert.deepEqual(whole.fields, [
    { name: 'location', value: 'https://example.test/' }, { name: 'strict-transport-security', value: 'max-age=63072000' }, { name: 'x-folded', value: 'a b' },
  ]);
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }), (cuts) => {
    const r = new ResponseHeadReader();
    let head;
    let from = 0;
    for (const cut of [...cuts.sort((a, b) => a - b), bytes.length]) {
      head ??= r.push(bytes.subarray(from, cut));
      from = cut;
    }
    assert.deepEqual(head, whole);
  }));
  assert.throws(() => new ResponseHeadReader().push(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')), (e: Error) => e instanceof HttpHeadError && /not an HTTP answer: "SSH-2.0-OpenSSH_9.2"/.test(e.message));
  const endless = new ResponseHeadReader();
  endless.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
  assert.throws(() => { for (let i = 0; i < 40; i++) endless.push(Buffer.alloc(1024, 0x61)); }, new RegExp(`longer than ${MAX_HEAD_BYTES} bytes`));
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.boolean(), (chunks, http) => {
    const r = new ResponseHeadReader();
    try {
      if (http) r.push(Buffer.from('HTTP/1.1 '));
      for (const c of chunks) if (r.push(c)) break;
    } catch (e) {
      assert.ok(e instanceof HttpHeadError, String(e));
    }
  }));
});

const factory = new CertFactory();
const cert = factory.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
const AEAD = 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305;';

async function scanJson(args: string[]): Promise<ScanResult & { http?: HttpCheck }> {
  const r = await runCli(['scan', ...args, '--no-clients', '--json']);
  assert.ok(r.stdout, r.stderr);
  const res = JSON.parse(r.stdout) as ScanResult;
  // Every answer of these tests (HSTS, HPKP, TLS 1.3 tickets, errors, notes) follows the schema.
  assert.ok(validate(res), JSON.stringify(validate.errors));
  return res;
}

test('nginx (ALPN http/1.1 on a port that is no HTTPS port): a year of HSTS gives A+; a day gives http.hsts-short and A; an invalid header http.hsts-invalid; none http.no-hsts', async () => {
  const cases = [
    { header: 'max-age=31536000; includeSubDomains; preload', finding: undefined, grade: 'A+' },
    { header: 'max-age=86400', finding: 'http.hsts-short', grade: 'A' },
    { header: 'max-age=1year', finding: 'http.hsts-invalid', grade: 'A' },
    { header: undefined, finding: 'http.no-hsts', grade: 'A' },
  ];
  const servers = await Promise.all(cases.map((c) => startNginx({
    cert: cert.cert, key: cert.key,
    directives: ['ssl_protocols TLSv1.2 TLSv1.3;', AEAD, 'ssl_prefer_server_ciphers on;', ...(c.header ? [`add_header Strict-Transport-Security "${c.header}" always;`] : [])],
  })));
  const results = await Promise.all(servers.map((s) => scanJson([`localhost:${s.port}`])));
  results.forEach((r, i) => {
    const c = cases[i]!;
    assert.equal(r.http?.status, 200, JSON.stringify(r.http));
    assert.equal(r.http?.hsts?.header ?? undefined, c.header);
    const http = r.findings.filter((f) => f.id.startsWith('http.')).map((f) => f.id);
    assert.deepEqual(http, c.finding ? [c.finding] : [], c.header);
    // The certificate is self-signed (T): the letter underneath is the one HSTS raises.
    assert.equal(r.grade?.gradeIgnoringTrust, c.grade, c.header);
  });
  assert.deepEqual(results[0]!.http!.hsts, { header: cases[0]!.header, maxAge: 31536000, includeSubDomains: true, preload: true });
  assert.match(results[1]!.findings.find((f) => f.id === 'http.hsts-short')!.detail, /max-age 86400 s is 1 day$/);
  assert.match(results[2]!.findings.find((f) => f.id === 'http.hsts-invalid')!.detail, /max-age must be a number of seconds, not "1year"$/);
  // The terminal says it too; --no-http makes no request (and gives no A+).
  const text = await runCli(['scan', `localhost:${servers[0]!.port}`, '--no-clients']);
  assert.match(text.stdout, /HSTS +yes, max-age 365 days, includeSubDomains, preload/);
  const off = await scanJson([`localhost:${servers[0]!.port}`, '--no-http']);
  assert.deepEqual(off.http, { status: null, hsts: null, note: 'not asked (--no-http)' });
  assert.equal(off.grade?.gradeIgnoringTrust, 'A');
});

test('nginx with gzip on: the answer to GET / comes back gzip-compressed (http.compression, BREACH); gzip off: none', async () => {
  const base = ['ssl_protocols TLSv1.2 TLSv1.3;', AEAD, 'add_header Strict-Transport-Security "max-age=31536000" always;', 'default_type text/html;'];
  const [gz, plain] = await Promise.all([
    startNginx({ cert: cert.cert, key: cert.key, directives: [...base, 'gzip on;', 'gzip_min_length 1;'] }),
    startNginx({ cert: cert.cert, key: cert.key, directives: [...base, 'gzip off;'] }),
  ]);
  const [r, q] = await Promise.all([scanJson([`localhost:${gz.port}`]), scanJson([`localhost:${plain.port}`])]);
  assert.equal(r.http?.contentEncoding, 'gzip', JSON.stringify(r.http));
  const f = r.findings.find((x) => x.id === 'http.compression');
  assert.equal(f?.severity, 'low');
  assert.match(f!.detail, /came back with "Content-Encoding: gzip".*BREACH, CVE-2013-3587/);
  assert.deepEqual(f!.evidence, { contentEncoding: 'gzip', status: 200 });
  assert.equal(q.http?.contentEncoding, undefined);
  assert.ok(!q.findings.some((x) => x.id === 'http.compression'));
  const text = await runCli(['scan', `localhost:${gz.port}`, '--no-clients']);
  assert.match(text.stdout, /HTTP compression +gzip \(BREACH/);
});

test('nginx with Public-Key-Pins: its own key and a backup: http.hpkp low, matched; only keys it does not have: medium; Report-Only: info', async () => {
  const own = opensslPinOfCert(cert.cert);
  const backup = Buffer.alloc(32, 7).toString('base64');
  const other = Buffer.alloc(32, 9).toString('base64');
  const headers = [
    `add_header Public-Key-Pins 'pin-sha256="${own}"; pin-sha256="${backup}"; max-age=5184000' always;`,
    `add_header Public-Key-Pins 'pin-sha256="${other}"; pin-sha256="${backup}"; max-age=5184000' always;`,
    `add_header Public-Key-Pins-Report-Only 'pin-sha256="${other}"; report-uri="https://r.test/"' always;`,
  ];
  const servers = await Promise.all(headers.map((h) => startNginx({ cert: cert.cert, key: cert.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', AEAD, h] })));
  const [good, wrong, report] = await Promise.all(servers.map((s) => scanJson([`localhost:${s.port}`])));
  const hpkp = (r: ScanResult) => r.findings.find((f) => f.id === 'http.hpkp')!;
  assert.deepEqual(good!.http?.hpkp?.pins, [own, backup]);
  assert.equal(hpkp(good!).severity, 'low');
  assert.deepEqual(hpkp(good!).evidence?.matched, [own]);
  assert.match(hpkp(good!).detail, /1 of its 2 pins is the key of a certificate the server sent$/);
  assert.equal(hpkp(wrong!).severity, 'medium');
  assert.match(hpkp(wrong!).detail, /none of its 2 pins is the key of a certificate the server sent: a client that still honours it refuses the site$/);
  assert.equal(report!.http?.hpkp?.reportOnly, true);
  assert.equal(hpkp(report!).severity, 'info');
  const text = await runCli(['scan', `localhost:${servers[1]!.port}`, '--no-clients']);
  assert.match(text.stdout, /HPKP +2 pins, 0 of them in the chain sent/);
});

test('nginx over TLS 1.3: its session ticket is read from the HTTPS request\'s handshake; with ssl_early_data on, the 0-RTT it allows is protocol.early-data', async () => {
  const [plain, early] = await Promise.all([[], ['ssl_early_data on;']].map((extra) => startNginx({
    cert: cert.cert, key: cert.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', AEAD, ...extra],
  })));
  const [a, b] = await Promise.all([plain!, early!].map((s) => scanJson([`localhost:${s.port}`])));
  assert.equal(a!.http?.tls13?.tickets, true, JSON.stringify(a!.http));
  assert.equal(a!.http?.tls13?.maxEarlyData, 0);
  assert.ok(!a!.findings.some((f) => f.id === 'protocol.early-data'));
  // nginx's early data limit is OpenSSL's default, 16384 bytes.
  assert.equal(b!.http?.tls13?.maxEarlyData, 16384);
  assert.deepEqual(b!.findings.find((f) => f.id === 'protocol.early-data')?.evidence, { maxEarlyData: 16384 });
  const text = await runCli(['scan', `localhost:${early!.port}`, '--no-clients']);
  assert.match(text.stdout, /0-RTT \(early data\) +yes, up to 16384 bytes: replayable/);
});

test('openssl s_server -www (no ALPN) on a port that is no HTTPS port: not asked; with --http its answer is read (no HSTS)', async () => {
  const s = await startOpenSSLServer({ cert: cert.cert, key: cert.key });
  const auto = await scanJson([`127.0.0.1:${s.port}`]);
  assert.equal(auto.http?.status, null);
  assert.match(auto.http!.note!, /^not asked: port \d+ is no HTTPS port and the server named no HTTP protocol by ALPN \(--http asks it anyway\)$/);
  assert.ok(!auto.findings.some((f) => f.id.startsWith('http.')));
  const asked = await scanJson([`127.0.0.1:${s.port}`, '--http']);
  assert.equal(asked.http?.status, 200, JSON.stringify(asked.http));
  assert.equal(asked.http?.hsts, null);
  assert.ok(asked.findings.some((f) => f.id === 'http.no-hsts'));
});

test('gnutls-serv --http, a server that serves one connection at a time: asked with --http once the enumeration is done, its answer read', async () => {
  const s = await startGnuTLSServer({ cert: cert.cert, key: cert.key, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2' });
  const r = await scanJson([`127.0.0.1:${s.port}`, '--http']);
  assert.equal(r.http?.status, 200, JSON.stringify(r.http));
  assert.equal(r.http?.hsts, null);
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.2']);
  assert.deepEqual(r.errors, []);
});

test('hostile web sides: a TLS server that never answers the request, and one that answers in no HTTP: the request ends in its error within the probe deadline; the scan goes on', async () => {
  const silent = await startNodeTLSServer({ cert: cert.pem, key: cert.keyPem, ALPNProtocols: ['http/1.1'] });
  // (startNodeTLSServer answers "HTTP/1.0 200" at once; these two answer otherwise.)
  const tls = await import('node:tls');
  const open = (onData: (sock: import('node:tls').TLSSocket) => void) => new Promise<number>((resolve) => {
    const server = tls.createServer({ cert: cert.pem, key: cert.keyPem, ALPNProtocols: ['http/1.1'] }, (sock) => { sock.on('error', () => {}); sock.once('data', () => onData(sock)); });
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1', () => resolve((server.address() as import('node:net').AddressInfo).port));
    test.after(() => { server.close(); });
  });
  const stalls = await open(() => { /* never answers the request */ });
  const garbage = await open((sock) => sock.end('\x00\x01binary junk\r\n\r\n'));
  const started = Date.now();
  const [a, b, c] = await Promise.all([
    scanJson([`127.0.0.1:${stalls}`, '--timeout', '1500']),
    scanJson([`127.0.0.1:${garbage}`, '--timeout', '1500']),
    scanJson([`127.0.0.1:${silent.port}`, '--timeout', '1500']),
  ]);
  assert.ok(Date.now() - started < 20_000);
  // With the default 5 s deadline, a server that never answers the request costs the scan about 2 s, not 5.
  const quick = Date.now();
  const d = await scanJson([`127.0.0.1:${stalls}`]);
  assert.match(d.http!.error!, /within 2\d{3} ms of the request$/);
  assert.ok(Date.now() - quick < 4500, `${Date.now() - quick} ms`);
  assert.equal(a.http?.status, null);
  assert.match(a.http!.error!, /^no HTTP answer from 127\.0\.0\.1:\d+ within 1\d{3} ms of the request$/);
  assert.match(b.http!.error!, /^not an HTTP answer: "\.\.binary junk"$/);
  assert.equal(c.http?.status, 200);
  for (const r of [a, b]) {
    assert.ok(r.protocols.some((p) => p.supported));
    assert.ok(!r.findings.some((f) => f.id.startsWith('http.')));
    assert.match(r.grade?.grade ?? '', /^[A-FTM]$/);
  }
});
