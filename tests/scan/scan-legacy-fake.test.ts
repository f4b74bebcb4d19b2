/**
 * SSLv2, SSLv3, RC4 and export detection against the SCRIPTED FAKE SERVER of
 * tests/support/fake-tls-server.ts: no real server on this machine can offer
 * them any more (OpenSSL 3 and GnuTLS 3.7 removed them), so a scripted peer
 * answers ClientHellos by a configured version/suite table instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { startFakeServer } from '../support/fake-tls-server.js';
import { CertFactory } from '../support/certs.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { suiteByName } from '../../src/registry/ciphers.js';
import { assess } from '../../src/assess/index.js';

const der = new Uint8Array(new X509Certificate(new CertFactory().make({ cn: 'legacy.test', key: 'rsa1024' }).pem).raw);
const code = (n: string) => suiteByName(n)!.code;

test('fake SSLv2 + SSLv3 + TLS 1.0 server: SSLv2 kinds, SSLv3 and TLS 1.0 suites incl. RC4 and export, server order', async () => {
  const order = ['RC4-MD5', 'EXP-RC4-MD5', 'RC4-SHA', 'EXP-DES-CBC-SHA', 'DES-CBC-SHA', 'AES128-SHA'].map(code);
  const fake = await startFakeServer({
    versions: [0x0002, 0x0300, 0x0301],
    suites: order,
    serverPreference: true,
    sslv2Kinds: [0x010080, 0x020080, 0x060040],
    certificate: der,
  });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: 'legacy.test' }, { timeoutMs: 3000 });
  const p = Object.fromEntries(r.protocols.map((x) => [x.version, x]));
  assert.equal(p.SSLv2!.supported, true);
  assert.deepEqual(p.SSLv2!.cipherSuites.map((s) => s.id), [0x010080, 0x020080, 0x060040]);
  assert.ok(p.SSLv2!.cipherSuites.some((s) => s.export), 'SSLv2 export kind flagged');
  assert.equal(p.SSLv3!.supported, true);
  assert.equal(p['TLSv1.0']!.supported, true);
  assert.equal(p['TLSv1.1']!.supported, false);
  assert.equal(p['TLSv1.2']!.supported, false);
  assert.equal(p['TLSv1.3']!.supported, false);
  for (const v of ['SSLv3', 'TLSv1.0'] as const) {
    assert.deepEqual(p[v]!.cipherSuites.map((s) => s.id), order, v);
    assert.equal(p[v]!.serverPreference, true);
    const rc4 = p[v]!.cipherSuites.filter((s) => s.cipher.startsWith('RC4'));
    assert.equal(rc4.length, 3);
    assert.ok(rc4.every((s) => s.strength === 'insecure'));
    assert.equal(p[v]!.cipherSuites.filter((s) => s.export).length, 2);
  }
  assert.equal(r.certificates[0]!.keyBits, 1024);
});

test('fake SSLv3-only server with client order', async () => {
  const list = ['RC4-SHA', 'DES-CBC3-SHA', 'AES256-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0300], suites: list, serverPreference: false, certificate: der });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: null }, { timeoutMs: 3000 });
  const v3 = r.protocols.find((x) => x.version === 'SSLv3')!;
  assert.deepEqual(r.protocols.filter((x) => x.supported).map((x) => x.version), ['SSLv3']);
  assert.deepEqual([...v3.cipherSuites.map((s) => s.id)].sort((a, b) => a - b), [...list].sort((a, b) => a - b));
  assert.equal(v3.serverPreference, false);
});

test('fake TLS 1.0-1.2 server with client order: every version says so, with its suites (the older versions, sorted from TLS 1.2, ask its first pair both ways)', async () => {
  const list = ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'RC4-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: list, serverPreference: false, certificate: der });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: null }, { timeoutMs: 3000 });
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const) {
    const p = r.protocols.find((x) => x.version === v)!;
    assert.equal(p.serverPreference, false, v);
    assert.deepEqual([...p.cipherSuites.map((s) => s.id)].sort((a, b) => a - b), [...list].sort((a, b) => a - b), v);
  }
});

test('fake hello-intolerant server (drops hellos with more than 64 suites): found through the short hello and small sets', async () => {
  const list = ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA', 'DES-CBC3-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0301, 0x0302, 0x0303], suites: list, serverPreference: true, certificate: der, maxSuites: 64 });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: 'legacy.test' }, { timeoutMs: 3000 });
  const v12 = r.protocols.find((x) => x.version === 'TLSv1.2')!;
  assert.equal(v12.supported, true);
  assert.deepEqual(v12.cipherSuites.map((s) => s.id), list);
  const v10 = r.protocols.find((x) => x.version === 'TLSv1.0')!;
  assert.deepEqual(v10.cipherSuites.map((s) => s.id), list.filter((c) => c !== code('ECDHE-RSA-AES128-GCM-SHA256')));
  assert.ok(r.errors.some((e) => e.code === 'intolerance' && e.stage === 'protocols:TLSv1.2'), JSON.stringify(r.errors));
  const f = assess(r, { host: 'legacy.test' }).findings.find((x) => x.id === 'protocol.hello-intolerance');
  assert.deepEqual(f?.evidence, { versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] });
  assert.equal(f?.severity, 'medium');
});

test('fake extension-intolerant server (drops any hello that carries an extension): found through bare hellos, and said so', async () => {
  const list = ['AES256-SHA', 'AES128-SHA', 'DES-CBC3-SHA', 'RC4-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0300, 0x0301], suites: list, serverPreference: true, certificate: der, noExtensions: true });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: 'legacy.test' }, { timeoutMs: 3000 });
  assert.deepEqual(r.protocols.filter((x) => x.supported).map((x) => x.version), ['SSLv3', 'TLSv1.0']);
  const v10 = r.protocols.find((x) => x.version === 'TLSv1.0')!;
  assert.deepEqual(v10.cipherSuites.map((s) => s.id), list, 'every suite, in server order');
  assert.equal(v10.serverPreference, true);
  assert.deepEqual(r.protocols.find((x) => x.version === 'SSLv3')!.cipherSuites.map((s) => s.id), list);
  assert.ok(r.errors.some((e) => e.code === 'extension-intolerance' && e.stage === 'protocols:TLSv1.0'), JSON.stringify(r.errors));
  assert.ok(!r.errors.some((e) => e.stage === 'protocols:SSLv3'), 'SSL 3.0 hellos carry no extension anyway');
  const findings = assess(r, { host: 'legacy.test' }).findings;
  assert.deepEqual(findings.find((x) => x.id === 'protocol.extension-intolerance')?.evidence, { versions: ['TLSv1.0'] });
  assert.ok(!findings.some((x) => x.id === 'protocol.hello-intolerance'), 'not a long-hello problem');
});

test('fake extension-intolerant server that says so with a decode_error alert: also found through bare hellos', async () => {
  const list = ['AES128-SHA', 'DES-CBC3-SHA'].map(code);
  const fake = await startFakeServer({ versions: [0x0301, 0x0302], suites: list, serverPreference: true, certificate: der, noExtensions: true, extensionAlert: 50 });
  const r = await scanEndpoint({ host: fake.host, port: fake.port, address: fake.host, sni: 'legacy.test' }, { timeoutMs: 3000 });
  assert.deepEqual(r.protocols.filter((x) => x.supported).map((x) => x.version), ['TLSv1.0', 'TLSv1.1']);
  for (const v of ['TLSv1.0', 'TLSv1.1'] as const) assert.deepEqual(r.protocols.find((x) => x.version === v)!.cipherSuites.map((s) => s.id), list, v);
  assert.deepEqual(assess(r, { host: 'legacy.test' }).findings.find((x) => x.id === 'protocol.extension-intolerance')?.evidence, { versions: ['TLSv1.0', 'TLSv1.1'] });
});
