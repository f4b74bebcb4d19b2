/**
 * `scan --sigalgs`: the signature algorithms a server signs with, each
 * scheme that fits its keys offered alone (scan/sigalgs.ts). Real servers on
 * loopback whose signature algorithms are configured (openssl s_server
 * -sigalgs, gnutls-serv's SIGN- priorities, nginx with an ECDSA key): the
 * accepted sets must be exactly those. Certificates made now.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { candidateSchemes } from '../../src/scan/sigalgs.js';
import { renderScan } from '../../src/report/terminal.js';
import { runCli } from '../support/cli.js';
import type { ScanResult } from '../../src/scan/types.js';
import { assess } from '../../src/assess/index.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/scan-result.schema.json', import.meta.url), 'utf8')));
const ep = (port: number) => ({ host: 'localhost', port, address: '127.0.0.1', sni: 'localhost' });
const accepted = (r: ScanResult, version: string) => r.signatureAlgorithms?.find((v) => v.version === version)?.accepted.map((a) => a.name);

const f = new CertFactory();
let rsa: CertFiles;
let ec: CertFiles;
before(() => {
  rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost' });
});

test('the schemes offered fit the keys: RSA gets PKCS#1 and PSS, EC gets ECDSA; TLS 1.3 has no PKCS#1 and binds ECDSA to curves', () => {
  const names = (v: 'TLSv1.2' | 'TLSv1.3', k: string[]) => candidateSchemes(v, k).map((s) => s.name);
  assert.deepEqual(names('TLSv1.2', ['RSA']), ['rsa_pkcs1_md5', 'rsa_pkcs1_sha1', 'rsa_pkcs1_sha224', 'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
    'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512', 'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512']);
  assert.deepEqual(names('TLSv1.3', ['RSA']), ['rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512', 'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512']);
  assert.ok(names('TLSv1.3', ['EC']).every((n) => n.startsWith('ecdsa_') && !n.endsWith('sha1')));
  assert.ok(names('TLSv1.2', ['EC', 'Ed25519']).includes('ed25519'));
  assert.deepEqual(names('TLSv1.2', ['unknown']), []);
});

test('openssl s_server -sigalgs rsa_pss_rsae_sha256:RSA+SHA384: TLS 1.2 signs with exactly those two, TLS 1.3 with PSS only; valid JSON, shown in the report', async () => {
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-sigalgs', 'rsa_pss_rsae_sha256:RSA+SHA384'] });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    assert.deepEqual(accepted(r, 'TLSv1.2'), ['rsa_pkcs1_sha384', 'rsa_pss_rsae_sha256']);
    assert.deepEqual(accepted(r, 'TLSv1.3'), ['rsa_pss_rsae_sha256']);
    const v12 = r.signatureAlgorithms!.find((v) => v.version === 'TLSv1.2')!;
    assert.equal(v12.tested.length, 12);
    assert.equal(v12.ignoresClientList, false);
    assert.ok(validate(r), JSON.stringify(validate.errors));
    const text = renderScan(r, { color: false });
    assert.match(text, /Signature algorithms/);
    assert.match(text, /TLSv1\.2 +rsa_pkcs1_sha384, rsa_pss_rsae_sha256/);
    assert.ok(!assess(r, { host: 'localhost' }).findings.some((x) => x.id === 'protocol.weak-signature-hash'));
  } finally {
    await s.stop();
  }
});

test('gnutls-serv with SIGN-RSA-SHA256 and SIGN-RSA-PSS-RSAE-SHA384 only (TLS 1.2): exactly those two', async () => {
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NORMAL:-VERS-TLS1.3:-SIGN-ALL:+SIGN-RSA-SHA256:+SIGN-RSA-PSS-RSAE-SHA384' });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    assert.deepEqual(accepted(r, 'TLSv1.2'), ['rsa_pkcs1_sha256', 'rsa_pss_rsae_sha384']);
    assert.equal(r.signatureAlgorithms!.length, 1, 'no TLS 1.3 to ask');
  } finally {
    await s.stop();
  }
});

test('nginx with an ECDSA P-256 key: TLS 1.3 signs only with ecdsa_secp256r1_sha256, TLS 1.2 with ECDSA schemes only', async () => {
  const s = await startNginx({ cert: ec.cert, key: ec.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;'] });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    assert.deepEqual(accepted(r, 'TLSv1.3'), ['ecdsa_secp256r1_sha256']);
    const v12 = accepted(r, 'TLSv1.2')!;
    assert.ok(v12.includes('ecdsa_secp256r1_sha256'), v12.join());
    assert.ok(v12.every((n) => n.startsWith('ecdsa_')), v12.join());
    assert.ok(r.signatureAlgorithms!.every((v) => v.tested.every((c) => (c & 0xff) === 0x03 || c >= 0x0800)), 'only ECDSA (and EdDSA-range) codes offered');
  } finally {
    await s.stop();
  }
});

test('a TLS 1.2 server with only RSA key exchange: nothing to ask, said so', async () => {
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_2', '-cipher', 'AES128-SHA:AES256-GCM-SHA384'] });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    const v12 = r.signatureAlgorithms!.find((v) => v.version === 'TLSv1.2')!;
    assert.deepEqual(v12.accepted, []);
    assert.deepEqual(v12.tested, []);
    assert.match(v12.note ?? '', /no ECDHE or DHE suite/);
    assert.match(renderScan(r, { color: false }), /TLSv1\.2 +not asked/);
  } finally {
    await s.stop();
  }
});

test('CLI: --sigalgs adds signatureAlgorithms to the JSON; without it there is none', async () => {
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_3'] });
  try {
    const target = `127.0.0.1:${s.port}`;
    const withIt = await runCli(['scan', target, '--sni', 'localhost', '--json', '--no-clients', '--no-http', '--sigalgs']);
    assert.equal(withIt.code, 0, withIt.stderr);
    const r = JSON.parse(withIt.stdout) as ScanResult;
    assert.deepEqual(r.signatureAlgorithms?.map((v) => v.version), ['TLSv1.3']);
    assert.deepEqual(accepted(r, 'TLSv1.3'), ['rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512']);
    const without = await runCli(['scan', target, '--sni', 'localhost', '--json', '--no-clients', '--no-http']);
    assert.equal((JSON.parse(without.stdout) as ScanResult).signatureAlgorithms, undefined);
  } finally {
    await s.stop();
  }
});

test('openssl s_server at security level 0 signs with SHA-1 when asked: protocol.weak-signature-hash names rsa_pkcs1_sha1 (SHA-224 is listed as weak, not a finding)', async () => {
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'] });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    const v12 = r.signatureAlgorithms!.find((v) => v.version === 'TLSv1.2')!;
    assert.ok(v12.accepted.some((a) => a.name === 'rsa_pkcs1_sha1' && a.weak), v12.accepted.map((a) => a.name).join());
    const found = assess(r, { host: 'localhost' }).findings.filter((x) => x.id === 'protocol.weak-signature-hash');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.evidence, { schemes: v12.accepted.filter((a) => a.hash === 'md5' || a.hash === 'sha1').map((a) => a.name) });
    assert.match(found[0]!.detail, /rsa_pkcs1_sha1/);
    assert.doesNotMatch(found[0]!.detail, /sha224/);
  } finally {
    await s.stop();
  }
});

test('SCRIPTED FAKE SERVER that signs its ServerKeyExchange with rsa_pkcs1_sha256 whatever the client offers: only that scheme counts, ignoresClientList, said in the note', async () => {
  // No real server here ignores the client's list: the scripted fake server (tests/support/fake-tls-server.ts)
  // writes 0x0401 into every ServerKeyExchange (its signature is random bytes, which no scan reads).
  const { startFakeServer } = await import('../support/fake-tls-server.js');
  const { X509Certificate } = await import('node:crypto');
  const der = new Uint8Array(new X509Certificate(readFileSync(rsa.cert)).raw);
  const s = await startFakeServer({ versions: [0x0303], suites: [0xc02f, 0xc013], serverPreference: true, certificate: der, ecdheKey: 'fresh' });
  try {
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000, sigalgs: true, skipGroups: true, http: false });
    const v12 = r.signatureAlgorithms!.find((v) => v.version === 'TLSv1.2')!;
    assert.deepEqual(v12.accepted.map((a) => a.name), ['rsa_pkcs1_sha256']);
    assert.equal(v12.ignoresClientList, true);
    assert.match(v12.note ?? '', /rsa_pss_rsae_sha256 was answered with rsa_pkcs1_sha256/);
    assert.match(renderScan(r, { color: false }), /signs with schemes the client did not offer/);
    assert.ok(validate(r), JSON.stringify(validate.errors));
  } finally {
    await s.close();
  }
});
