/**
 * Protocol and cipher caps that no server on this machine can be configured
 * for (SSL 2.0/3.0, export, RC4, 3DES, NULL and anonymous suites are compiled
 * out of OpenSSL 3 here): ScanResult.protocols written by hand from IANA
 * registry data, graded, and checked against docs/grading.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CipherSuiteResult, HttpCheck, ProtocolName, ProtocolResult, ServerFeatures } from '../../src/scan/types.js';
import { PROTOCOLS } from '../../src/scan/types.js';
import { assess } from '../../src/assess/index.js';
import { computeGrade, letterFor, keyExchangeScore, cipherScore } from '../../src/assess/grade.js';
import { parseHsts } from '../../src/http/response.js';

type P = Partial<CipherSuiteResult> & Pick<CipherSuiteResult, 'id' | 'name' | 'kx' | 'cipher' | 'bits'>;
const suite = (p: P): CipherSuiteResult => ({
  openssl: null, auth: 'RSA', mac: 'SHA1', aead: false, forwardSecrecy: /^ECDHE|^DHE/.test(p.kx), export: false, anonymous: false, null: false, strength: 'weak', ...p,
});
// IANA TLS Cipher Suites registry (RFC 5246, RFC 5289, RFC 4346 export, RFC 6101 SSL 3.0).
const GCM = suite({ id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', kx: 'ECDHE', cipher: 'AES-128-GCM', bits: 128, mac: 'AEAD', aead: true, strength: 'recommended', kxGroup: 'x25519' });
const CBC = suite({ id: 0xc013, name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', kx: 'ECDHE', cipher: 'AES-128-CBC', bits: 128, kxGroup: 'x25519' });
const RC4 = suite({ id: 0x0005, name: 'TLS_RSA_WITH_RC4_128_SHA', kx: 'RSA', cipher: 'RC4-128', bits: 128, strength: 'insecure' });
const TDES = suite({ id: 0x000a, name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', kx: 'RSA', cipher: '3DES-EDE-CBC', bits: 112 });
const EXP = suite({ id: 0x0003, name: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', kx: 'RSA', cipher: 'RC4-40', bits: 40, mac: 'MD5', export: true, strength: 'insecure' });
const NUL = suite({ id: 0x0002, name: 'TLS_RSA_WITH_NULL_SHA', kx: 'RSA', cipher: 'NULL', bits: 0, null: true, strength: 'insecure' });
const ANON = suite({ id: 0x0034, name: 'TLS_DH_anon_WITH_AES_128_CBC_SHA', kx: 'DHE', auth: 'anon', cipher: 'AES-128-CBC', bits: 128, anonymous: true, strength: 'insecure' });
const DHE512 = suite({ id: 0x0033, name: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', kx: 'DHE', cipher: 'AES-128-CBC', bits: 128, dhBits: 512 });
const T13 = suite({ id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', kx: 'any', auth: 'any', cipher: 'AES-128-GCM', bits: 128, mac: 'AEAD', aead: true, forwardSecrecy: true, strength: 'recommended', kxGroup: 'x25519' });

function protocols(on: Partial<Record<ProtocolName, CipherSuiteResult[]>>): ProtocolResult[] {
  return PROTOCOLS.map((v) => ({ version: v, supported: !!on[v]?.length, serverPreference: true, cipherSuites: on[v] ?? [] }));
}
const grade = (on: Partial<Record<ProtocolName, CipherSuiteResult[]>>) => assess({ protocols: protocols(on) }, { host: 'x.test' }).grade;
const has = (g: ReturnType<typeof grade>, letter: string, re: RegExp) => g.caps.some((c) => c.grade === letter && re.test(c.reason));

test('grade caps: the reference configuration (TLS 1.2 + 1.3, ECDHE-GCM) is A with no cap', () => {
  const g = grade({ 'TLSv1.2': [GCM], 'TLSv1.3': [T13] });
  assert.equal(g.grade, 'A');
  assert.deepEqual(g.caps, []);
});

const cases: [string, Partial<Record<ProtocolName, CipherSuiteResult[]>>, string, string, RegExp][] = [
  ['SSL 2.0 supported', { SSLv2: [RC4], 'TLSv1.2': [GCM] }, 'F', 'F', /SSL 2\.0/],
  ['SSL 3.0 with CBC (POODLE)', { SSLv3: [CBC], 'TLSv1.2': [GCM] }, 'C', 'C', /POODLE/],
  ['SSL 3.0 only', { SSLv3: [CBC] }, 'F', 'F', /only SSL 3\.0/],
  ['export suites', { 'TLSv1.2': [GCM, EXP] }, 'F', 'F', /export/],
  ['NULL suites', { 'TLSv1.2': [GCM, NUL] }, 'F', 'F', /NULL/],
  ['anonymous suites', { 'TLSv1.2': [GCM, ANON] }, 'F', 'F', /anonymous/],
  ['RC4 with TLS 1.2', { 'TLSv1.2': [GCM, RC4] }, 'C', 'C', /RC4 is used with TLS 1\.1/],
  ['RC4 only with TLS 1.0', { 'TLSv1.0': [RC4, CBC], 'TLSv1.2': [GCM] }, 'B', 'B', /RC4 is supported \(only with old/],
  ['3DES with TLS 1.2 (Sweet32)', { 'TLSv1.2': [GCM, TDES] }, 'C', 'C', /64-bit block/],
  ['DH parameters below 1024 bits', { 'TLSv1.2': [GCM, DHE512] }, 'F', 'F', /512 bits \(below 1024\)/],
  ['no AEAD suite', { 'TLSv1.2': [CBC] }, 'A-', 'A-', /no AEAD/],
  ['TLS 1.0 enabled', { 'TLSv1.0': [CBC], 'TLSv1.2': [GCM] }, 'B', 'B', /TLS 1\.0 supported/],
  ['no TLS 1.2', { 'TLSv1.0': [CBC], 'TLSv1.1': [CBC] }, 'C', 'C', /TLS 1\.2 is not supported/],
  ['no forward secrecy', { 'TLSv1.2': [suite({ id: 0x009c, name: 'TLS_RSA_WITH_AES_128_GCM_SHA256', kx: 'RSA', cipher: 'AES-128-GCM', bits: 128, mac: 'AEAD', aead: true })] }, 'B', 'B', /forward secrecy/],
];
for (const [name, on, expected, capLetter, reason] of cases) {
  test(`grade caps: ${name} -> ${expected}`, () => {
    const g = grade(on);
    assert.equal(g.grade, expected);
    assert.ok(has(g, capLetter, reason), JSON.stringify(g.caps));
  });
}

test('A+: an A with a valid HSTS policy of 180 days or more, from a server that refuses TLS_FALLBACK_SCSV downgrades; not from A-, a short or invalid policy, or a missing SCSV', () => {
  const on = { 'TLSv1.2': [GCM], 'TLSv1.3': [T13] };
  const http = (header: string): HttpCheck => ({ status: 200, hsts: parseHsts(header) });
  const withHttp = (h: HttpCheck, features: Partial<ServerFeatures> = {}) => assess({ protocols: protocols(on), http: h, features: features as ServerFeatures }, { host: 'x.test' }).grade;
  assert.equal(withHttp(http('max-age=15552000')).grade, 'A+');
  assert.equal(withHttp(http('max-age=15551999')).grade, 'A');
  assert.equal(withHttp(http('max-age=31536000; max-age=31536000')).grade, 'A');
  assert.equal(withHttp(http('max-age=31536000'), { fallbackScsv: false }).grade, 'A');
  assert.equal(withHttp({ status: 200, hsts: null }).grade, 'A');
  // No AEAD: A-, which HSTS does not raise.
  assert.equal(assess({ protocols: protocols({ 'TLSv1.2': [CBC] }), http: http('max-age=31536000') }, { host: 'x.test' }).grade.grade, 'A-');
  assert.equal(computeGrade({ protocols: protocols(on), findings: [], longHsts: true }).grade, 'A+');
});

test('grade caps: no protocol at all is F with its reason', () => {
  const g = grade({});
  assert.equal(g.grade, 'F');
  assert.ok(has(g, 'F', /no SSL\/TLS protocol/));
});

test('grade scores follow the rating guide tables', () => {
  assert.deepEqual([0, 300, 512, 1024, 2048, 3072, 4096].map((b) => keyExchangeScore(b)), [0, 20, 40, 80, 90, 90, 100]);
  assert.equal(keyExchangeScore(1024, true), 40);
  assert.deepEqual([0, 40, 56, 112, 128, 256].map(cipherScore), [0, 20, 20, 80, 80, 100]);
  assert.deepEqual([80, 79, 65, 64, 50, 35, 20, 19].map(letterFor), ['A', 'B', 'B', 'C', 'C', 'D', 'E', 'F']);
  const g = computeGrade({ protocols: protocols({ 'TLSv1.0': [CBC], 'TLSv1.2': [GCM] }), findings: [] });
  assert.deepEqual(g.scores, { protocol: 95, keyExchange: 90, cipher: 80 });
  assert.equal(g.score, Math.round(95 * 0.3 + 90 * 0.3 + 80 * 0.4));
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { CertFactory } from '../support/certs.js';
import { analyseTrust } from '../../src/x509/trust.js';
import { makeStore } from '../../src/x509/trust-store.js';
import { pemToDers } from '../../src/x509/cert.js';

const modern = protocols({ 'TLSv1.2': [GCM], 'TLSv1.3': [T13] });

test('grade caps: certificate key below 1024 bits (RSA 512, made by openssl) -> F', async () => {
  const dir = tempDir();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:512', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
    '-subj', '/CN=weak.test', '-addext', 'subjectAltName=DNS:weak.test', '-days', '365'], { stdio: 'ignore' });
  const der = pemToDers(readFileSync(join(dir, 'c.pem'), 'utf8'))[0];
  const trust = await analyseTrust({ chain: [der], host: 'weak.test', stores: [makeStore('system', 'system', 'test', null, [der])] });
  const r = assess({ protocols: modern }, { host: 'weak.test', trust });
  assert.equal(r.grade.grade, 'F');
  assert.ok(has(r.grade, 'F', /RSA 512 bits \(below 1024\)/), JSON.stringify(r.grade.caps));
  assert.deepEqual(r.findings.map((f) => [f.id, f.severity]), [['certificate.weak-key', 'critical']]);
});

test('grade caps: MD5-signed certificate -> F (and T: clients refuse it)', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'MD5 Root', ca: true, key: 'rsa2048' });
  const leaf = f.make({ cn: 'md5.test', san: 'DNS:md5.test', key: 'rsa2048', issuer: ca, digest: 'md5' });
  const trust = await analyseTrust({ chain: [pemToDers(leaf.pem)[0]], host: 'md5.test', stores: [makeStore('system', 'system', 'test', null, pemToDers(ca.pem))] });
  assert.equal(trust.path[0].info.signatureAlgorithm, 'md5WithRSAEncryption');
  const r = assess({ protocols: modern }, { host: 'md5.test', trust });
  assert.equal(r.grade.gradeIgnoringTrust, 'F');
  assert.equal(r.grade.grade, 'T');
  assert.ok(has(r.grade, 'F', /MD5/));
  assert.deepEqual(r.findings.map((x) => [x.id, x.severity]), [['certificate.weak-signature', 'critical']]);
});
