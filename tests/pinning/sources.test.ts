import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CertFactory, type CertFiles, type KeySpec } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { tempDir } from '../support/tmp.js';
import { pinsFromBytes, pinsFromFile, normalizePin } from '../../src/pinning/sources.js';
import { formatPins } from '../../src/pinning/formats.js';
import { UsageError } from '../../src/util/errors.js';
import { opensslPinOfCert, opensslPinOfKey, runCli } from './support.js';

const KEYS: KeySpec[] = ['rsa2048', 'ec256', 'ec384', 'ec521', 'ed25519'];
// Made at the top level: temp dirs made inside a before() hook are removed when the hook ends.
const f = new CertFactory();
const dir = tempDir('tlsdoctor-pin-');
const certs = new Map<KeySpec, CertFiles>();

const sh = (cmd: string, ...args: string[]) => execFileSync('sh', ['-c', cmd, 'sh', ...args], { cwd: dir });

before(() => {
  const ca = f.make({ cn: 'Pin Root', ca: true, key: 'rsa2048' });
  for (const k of KEYS) certs.set(k, f.make({ cn: `${k}.test`, san: `DNS:${k}.test,IP:127.0.0.1`, key: k, issuer: ca }));
  certs.set('rsa1024', ca); // the CA itself, for the multi-certificate files
});

test('file pins equal the openssl pipe of seed 003 for RSA, ECDSA P-256/P-384/P-521 and Ed25519, in PEM and DER', () => {
  for (const k of KEYS) {
    const c = certs.get(k)!;
    const expected = opensslPinOfCert(c.cert);
    const pem = pinsFromFile(c.cert);
    assert.equal(pem.length, 1);
    assert.equal(pem[0]!.pin, expected, k);
    assert.equal(pem[0]!.role, 'leaf');
    assert.match(pem[0]!.keyType, { rsa2048: /^RSA 2048$/, ec256: /^EC P-256$/, ec384: /^EC P-384$/, ec521: /^EC P-521$/, ed25519: /^Ed25519$/ }[k as 'ec256']!);
    const der = join(dir, `${k}.der`);
    sh('openssl x509 -in "$1" -outform der -out "$2"', c.cert, der);
    assert.equal(pinsFromFile(der)[0]!.pin, expected, `${k} DER`);
    assert.equal(opensslPinOfCert(der, 'DER'), expected);
    // The key files give the same pin: private key (PKCS#8), public key, CSR.
    assert.equal(pinsFromFile(c.key)[0]!.pin, expected, `${k} private key`);
    assert.equal(pinsFromFile(c.key)[0]!.kind, 'private-key');
    const pub = join(dir, `${k}.pub`);
    sh('openssl pkey -in "$1" -pubout -out "$2"', c.key, pub);
    assert.equal(opensslPinOfKey(pub, true), expected);
    assert.equal(pinsFromFile(pub)[0]!.pin, expected, `${k} public key`);
    const csr = join(dir, `${k}.csr`);
    sh('openssl req -new -key "$1" -subj /CN=next.example.com -out "$2"', c.key, csr);
    const csrPins = pinsFromFile(csr);
    assert.equal(csrPins[0]!.kind, 'csr');
    assert.equal(csrPins[0]!.pin, expected, `${k} CSR`);
    assert.equal(csrPins[0]!.subject, 'CN=next.example.com');
  }
});

test('many certificates per file (PEM bundle and concatenated DER), legacy key formats and DER keys', () => {
  const chain = f.bundle('chain.pem', certs.get('ec256')!, certs.get('rsa1024')!);
  const entries = pinsFromFile(chain);
  assert.deepEqual(entries.map((e) => e.pin), [opensslPinOfCert(certs.get('ec256')!.cert), opensslPinOfCert(certs.get('rsa1024')!.cert)]);
  assert.deepEqual(entries.map((e) => e.role), ['leaf', 'root']);
  const d1 = join(dir, 'a.der'), d2 = join(dir, 'b.der');
  sh('openssl x509 -in "$1" -outform der -out "$2"', certs.get('ec384')!.cert, d1);
  sh('openssl x509 -in "$1" -outform der -out "$2"', certs.get('rsa2048')!.cert, d2);
  const both = join(dir, 'both.der');
  writeFileSync(both, Buffer.concat([readFileSync(d1), readFileSync(d2)]));
  assert.deepEqual(pinsFromFile(both).map((e) => e.pin), [opensslPinOfCert(d1, 'DER'), opensslPinOfCert(d2, 'DER')]);
  // Traditional "RSA PRIVATE KEY" / "EC PRIVATE KEY", and keys in DER.
  const rsaTrad = join(dir, 'rsa-trad.key'), ecTrad = join(dir, 'ec-trad.key'), pubDer = join(dir, 'pub.der'), keyDer = join(dir, 'key.der');
  sh('openssl rsa -in "$1" -traditional -out "$2" 2>/dev/null', certs.get('rsa2048')!.key, rsaTrad);
  sh('openssl ec -in "$1" -out "$2" 2>/dev/null', certs.get('ec256')!.key, ecTrad);
  sh('openssl pkey -in "$1" -pubout -outform der -out "$2"', certs.get('ec521')!.key, pubDer);
  sh('openssl pkey -in "$1" -outform der -out "$2"', certs.get('ed25519')!.key, keyDer);
  assert.match(readFileSync(rsaTrad, 'utf8'), /BEGIN RSA PRIVATE KEY/);
  assert.match(readFileSync(ecTrad, 'utf8'), /BEGIN EC PRIVATE KEY/);
  assert.equal(pinsFromFile(rsaTrad)[0]!.pin, opensslPinOfCert(certs.get('rsa2048')!.cert));
  assert.equal(pinsFromFile(ecTrad)[0]!.pin, opensslPinOfCert(certs.get('ec256')!.cert));
  assert.equal(pinsFromFile(pubDer)[0]!.pin, opensslPinOfCert(certs.get('ec521')!.cert));
  assert.equal(pinsFromFile(keyDer)[0]!.pin, opensslPinOfCert(certs.get('ed25519')!.cert));
});

test('a ".pem" that is really DER, a ".der" that is really PEM and bare base64 are read, with a note', () => {
  const c = certs.get('ec256')!;
  const expected = opensslPinOfCert(c.cert);
  const derAsPem = join(dir, 'really-der.pem');
  sh('openssl x509 -in "$1" -outform der -out "$2"', c.cert, derAsPem);
  const a = pinsFromFile(derAsPem)[0]!;
  assert.equal(a.pin, expected);
  assert.match(a.note!, /DER content \(the file name suggests PEM\)/);
  const pemAsDer = join(dir, 'really-pem.der');
  writeFileSync(pemAsDer, c.pem);
  const b = pinsFromFile(pemAsDer)[0]!;
  assert.equal(b.pin, expected);
  assert.match(b.note!, /PEM content \(the file name suggests DER\)/);
  const bare = join(dir, 'bare.txt');
  writeFileSync(bare, c.pem.replace(/-----[^-]+-----/g, ''));
  assert.equal(pinsFromFile(bare)[0]!.pin, expected);
  assert.match(pinsFromFile(bare)[0]!.note!, /without PEM armour/);
});

test('bad inputs give one clear UsageError', () => {
  const cases: Array<[string, Buffer | string, RegExp]> = [
    ['empty.pem', '', /empty file/],
    ['text.pem', 'hello world\n', /neither PEM .* nor DER/],
    ['trunc.pem', certs.get('ec256')!.pem.slice(0, 200), /without its -----END line/],
    ['enc.key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n', /encrypted private key/],
    ['p7.pem', '-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n', /PKCS#7 bundle/],
    ['badcert.pem', '-----BEGIN CERTIFICATE-----\nMIIBIjANBg==\n-----END CERTIFICATE-----\n', /PEM block #1 \(CERTIFICATE\)/],
    ['junk.der', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]), /not a certificate, CSR, public key or private key/],
    ['trunc.der', Buffer.from([0x30, 0x82, 0x05, 0x00, 0x01]), /malformed DER/],
    ['other.pem', '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n', /not a certificate, CSR or key/],
  ];
  for (const [name, content, re] of cases) {
    assert.throws(() => pinsFromBytes(Buffer.from(content), name), (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), name);
  }
  assert.throws(() => pinsFromFile(join(dir, 'missing.pem')), /no such file/);
});

test('property: any bytes give pins or a UsageError, never another exception', () => {
  const real = readFileSync(certs.get('ec256')!.cert);
  fc.assert(fc.property(fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.concat([Buffer.from([0x30, 0x82]), Buffer.from(u)])),
    fc.tuple(fc.nat(real.length), fc.nat(255)).map(([i, b]) => { const c = Buffer.from(real); c[i] = b; return c; }),
    fc.string().map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
  ), (input) => {
    try { pinsFromBytes(Buffer.from(input), 'x.pem'); } catch (e) { if (!(e instanceof UsageError)) throw e; }
  }), { numRuns: 300 });
});

test('normalizePin accepts the four spellings and rejects anything that is not 32 bytes of canonical base64', () => {
  const p = opensslPinOfCert(certs.get('ec256')!.cert);
  for (const s of [p, `sha256/${p}`, `sha256//${p}`, `pin-sha256="${p}"`]) assert.equal(normalizePin(s), p);
  for (const s of ['sha256/abc', `sha1/${p}`, p.slice(0, 42) + '==', '', 'sha256/' + 'A'.repeat(42) + 'B=']) assert.equal(normalizePin(s), null, s);
  // Pins may start with "/": "sha256//…" is then the pinning.json form, not curl's.
  const slash = Buffer.from([0xfc, ...Buffer.alloc(31, 7)]).toString('base64');
  assert.ok(slash.startsWith('/'));
  assert.equal(normalizePin(`sha256/${slash}`), slash);
  assert.equal(normalizePin(`sha256//${slash}`), slash);
  fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (u) => {
    const b64 = Buffer.from(u).toString('base64');
    assert.equal(normalizePin(`sha256/${b64}`), b64);
    assert.equal(normalizePin(`sha256//${b64}`), b64);
    assert.equal(normalizePin(`pin-sha256="${b64}"`), b64);
  }), { numRuns: 300 });
});

test('output formats: sha256, HPKP, curl, Android pin-set with expiration, TrustKit, JSON', () => {
  const entries = pinsFromFile(f.bundle('two.pem', certs.get('ec256')!, certs.get('rsa2048')!));
  const [a, b] = entries.map((e) => e.pin);
  assert.equal(formatPins(entries, 'sha256'), `sha256/${a}\nsha256/${b}\n`);
  assert.equal(formatPins(entries, 'curl'), `sha256//${a};sha256//${b}\n`);
  assert.equal(formatPins(entries, 'hpkp', { maxAge: 600 }), `Public-Key-Pins: pin-sha256="${a}"; pin-sha256="${b}"; max-age=600\n`);
  const xml = formatPins(entries, 'android', { host: 'api.example.com' });
  const earliest = new Date(Math.min(...entries.map((e) => e.notAfter!.getTime()))).toISOString().slice(0, 10);
  assert.match(xml, new RegExp(`<pin-set expiration="${earliest}">`));
  assert.match(xml, /<domain includeSubdomains="false">api\.example\.com<\/domain>/);
  assert.ok(xml.includes(`<pin digest="SHA-256">${a}</pin>`) && xml.includes(`<pin digest="SHA-256">${b}</pin>`));
  assert.doesNotMatch(formatPins(entries, 'android', { expiration: null }), /expiration=/);
  const tk = formatPins(entries, 'trustkit', { host: 'api.example.com' });
  assert.match(tk, /kTSKPublicKeyHashes: @\[/);
  assert.ok(tk.includes(`@"${a}",`) && tk.includes(`@"${b}"\n`));
  assert.match(tk, /@"api\.example\.com": @\{/);
  const json = JSON.parse(formatPins(entries, 'json')) as Array<Record<string, string>>;
  assert.deepEqual(json.map((j) => j.sha256), [`sha256/${a}`, `sha256/${b}`]);
  assert.equal(json[0]!.keyType, 'EC P-256');
});

test('live servers: `tlsdoctor pin host:port` gives every certificate of the chain with its role, equal to the openssl pipe', async () => {
  const ca = certs.get('rsa1024')!;
  for (const k of KEYS) {
    const c = certs.get(k)!;
    const srv = await startOpenSSLServer({ cert: c.cert, key: c.key, chain: ca.cert, args: ['-verify_quiet'] });
    const r = await runCli(['pin', `127.0.0.1:${srv.port}`, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Array<{ role: string; pin: string; subject: string; notAfter: string }>;
    assert.deepEqual(rows.map((x) => x.role), ['leaf', 'root'], k);
    assert.equal(rows[0]!.pin, opensslPinOfCert(c.cert), k);
    assert.equal(rows[1]!.pin, opensslPinOfCert(ca.cert), k);
    assert.equal(rows[0]!.subject, `CN=${k}.test`);
    const leafOnly = await runCli(['pin', `https://127.0.0.1:${srv.port}/x`, '--role', 'leaf', '--format', 'sha256']);
    assert.equal(leafOnly.out, `sha256/${opensslPinOfCert(c.cert)}\n`);
    await srv.stop();
  }
  const text = await runCli(['pin', certs.get('ec256')!.cert]);
  assert.match(text.out, /\[0\] leaf {2}EC P-256 {2}CN=ec256\.test/);
  const bad = await runCli(['pin', 'not-a-file-nor-host/x']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no such file, and not a usable host/);
});

test('tlsa format: DANE records 3 1 1 for the server key and 2 1 1 for a CA key, the hex of the openssl pipe, owner _port._tcp.host.', () => {
  const leaf = certs.get('ec256')!;
  const ca = certs.get('rsa1024')!;
  const entries = pinsFromFile(f.bundle('leaf-ca.pem', leaf, ca));
  const hex = (cert: string) => sh('openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -r', cert).toString().split(' ')[0]!.toUpperCase();
  const out = formatPins(entries, 'tlsa', { host: 'Mail.Example.com.', port: 25 });
  const records = out.split('\n').filter((l) => l && !l.startsWith(';'));
  assert.deepEqual(records, [
    `_25._tcp.mail.example.com. IN TLSA 3 1 1 ${hex(leaf.cert)}`,
    `_25._tcp.mail.example.com. IN TLSA 2 1 1 ${hex(ca.cert)}`,
  ]);
  assert.match(out, /RFC 7671 section 5\.2\.2/); // a 2 1 1 record needs the CA in the chain sent
  // A key alone is the server's own (next) key: 3 1 1; the default owner is port 443.
  const key = pinsFromFile(leaf.key);
  assert.equal(formatPins(key, 'tlsa', { host: 'www.example.com' }).split('\n').filter((l) => l && !l.startsWith(';'))[0],
    `_443._tcp.www.example.com. IN TLSA 3 1 1 ${hex(leaf.cert)}`);
});

test('live mail servers: `tlsdoctor pin host --starttls smtp` pins the certificate served after STARTTLS; no STARTTLS is one line and exit 3', async () => {
  const { startStartTlsServer } = await import('../support/starttls-servers.js');
  const leaf = certs.get('rsa2048')!;
  const ca = certs.get('rsa1024')!;
  const tlsOpts = { cert: readFileSync(leaf.cert, 'utf8') + readFileSync(ca.cert, 'utf8'), key: readFileSync(leaf.key, 'utf8') };
  const smtp = await startStartTlsServer({ protocol: 'smtp', tls: tlsOpts });
  const r = await runCli(['pin', `127.0.0.1:${smtp.port}`, '--starttls', 'smtp', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Array<{ role: string; pin: string }>;
  assert.deepEqual(rows.map((x) => [x.role, x.pin]), [['leaf', opensslPinOfCert(leaf.cert)], ['root', opensslPinOfCert(ca.cert)]]);
  const tlsa = await runCli(['pin', `127.0.0.1:${smtp.port}`, '--starttls', 'SMTP', '--host', 'mail.test', '--role', 'leaf', '-f', 'tlsa']);
  assert.equal(tlsa.code, 0, tlsa.err);
  assert.ok(tlsa.out.includes(`_${smtp.port}._tcp.mail.test. IN TLSA 3 1 1 ${Buffer.from(opensslPinOfCert(leaf.cert), 'base64').toString('hex').toUpperCase()}\n`), tlsa.out);
  const imap = await startStartTlsServer({ protocol: 'imap', tls: tlsOpts });
  const viaImap = await runCli(['pin', `127.0.0.1:${imap.port}`, '--starttls', 'imap', '--role', 'leaf', '-f', 'sha256']);
  assert.equal(viaImap.out, `sha256/${opensslPinOfCert(leaf.cert)}\n`, viaImap.err);
  // A service that does not offer STARTTLS; a wrong protocol; an https URL with --starttls.
  const plain = await startStartTlsServer({ protocol: 'smtp', tls: tlsOpts, noStartTls: true });
  const none = await runCli(['pin', `127.0.0.1:${plain.port}`, '--starttls', 'smtp']);
  assert.equal(none.code, 3);
  assert.equal(none.err.trim().split('\n').length, 1, none.err);
  assert.match(none.err, /STARTTLS/);
  const bad = await runCli(['pin', `127.0.0.1:${smtp.port}`, '--starttls', 'gopher']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /expected one of smtp, imap, pop3, ftp, postgres/);
  const url = await runCli(['pin', `https://127.0.0.1:${smtp.port}/`, '--starttls', 'smtp']);
  assert.equal(url.code, 2);
  assert.match(url.err, /needs host\[:port\], not an https:\/\/ URL/);
});
