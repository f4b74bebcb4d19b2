import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { describeCertificate, tryDescribe, isUnparseable } from '../../src/x509/describe.js';
import { pemToDers } from '../../src/x509/cert.js';
import { spkiPinOfCertificate } from '../../src/x509/spki.js';

const f = new CertFactory();
const der = (pem: string) => pemToDers(pem)[0];

test('describe: RSA 2048 leaf signed by a CA with SANs, dates and serial', () => {
  const ca = f.make({ cn: 'Describe Root', ca: true, key: 'rsa2048' });
  const nb = new Date('2024-01-02T03:04:05Z'), na = new Date('2030-06-07T08:09:10Z');
  const leaf = f.make({ cn: 'a.test', key: 'rsa2048', san: 'DNS:a.test,DNS:*.b.test,IP:127.0.0.1,IP:::1', issuer: ca, notBefore: nb, notAfter: na });
  const info = describeCertificate(der(leaf.pem), 0);
  const x = new X509Certificate(leaf.pem);
  assert.equal(info.index, 0);
  assert.equal(info.subject, 'CN=a.test');
  assert.equal(info.issuer, 'CN=Describe Root');
  assert.equal(info.notBefore, nb.toISOString());
  assert.equal(info.notAfter, na.toISOString());
  assert.deepEqual(info.subjectAltNames, ['DNS:a.test', 'DNS:*.b.test', 'IP:127.0.0.1', 'IP:::1']);
  assert.equal(info.keyType, 'RSA');
  assert.equal(info.keyBits, 2048);
  assert.equal(info.signatureAlgorithm, 'sha256WithRSAEncryption');
  assert.equal(info.serialNumber.toUpperCase().replace(/^0+/, ''), x.serialNumber.replace(/^0+/, ''));
  assert.equal(info.sha256, x.fingerprint256.replace(/:/g, '').toLowerCase());
  assert.equal(info.spkiSha256, spkiPinOfCertificate(x));
  assert.equal(info.selfSigned, false);
  assert.equal(info.isCA, false);
  assert.equal(new X509Certificate(info.pem).fingerprint256, x.fingerprint256);
  const root = describeCertificate(der(ca.pem), 2);
  assert.equal(root.selfSigned, true);
  assert.equal(root.isCA, true);
  assert.equal(root.index, 2);
});

test('describe: key types and signature algorithms', () => {
  const cases: [Parameters<CertFactory['make']>[0], string, number, string][] = [
    [{ cn: 'ec', key: 'ec256' }, 'EC', 256, 'ecdsa-with-SHA256'],
    [{ cn: 'ec384', key: 'ec384', digest: 'sha384' }, 'EC', 384, 'ecdsa-with-SHA384'],
    [{ cn: 'ed', key: 'ed25519' }, 'Ed25519', 256, 'ED25519'],
    [{ cn: 'rsa1k', key: 'rsa1024', digest: 'sha1' }, 'RSA', 1024, 'sha1WithRSAEncryption'],
  ];
  for (const [opts, type, bits, sig] of cases) {
    const c = f.make(opts);
    const info = describeCertificate(der(c.pem), 0);
    assert.equal(info.keyType, type, opts.cn);
    assert.equal(info.keyBits, bits, opts.cn);
    assert.equal(info.signatureAlgorithm, sig, opts.cn);
    assert.equal(info.selfSigned, true, opts.cn);
  }
});

test('describe: an RSASSA-PSS signature names the hash of its parameters (openssl req -sigopt rsa_padding_mode:pss)', () => {
  // The parameters are decoded by @peculiar/asn1-rsa, which a scan no longer loads ahead (x509/asn1.ts preloadAsn1): on first use.
  const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-pss-'));
  try {
    for (const [digest, saltLen] of [['sha384', '-1'], ['sha256', '32']] as const) {
      const cert = join(dir, `${digest}.pem`);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${digest}.key`), '-out', cert,
        '-subj', `/CN=pss-${digest}.test`, '-days', '30', `-${digest}`, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${saltLen}`], { stdio: 'ignore' });
      const info = describeCertificate(der(readFileSync(cert, 'utf8')), 0);
      assert.equal(info.signatureAlgorithm, `rsassaPss(${digest})`);
      assert.equal(info.keyType, 'RSA');
      assert.equal(info.selfSigned, true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('describe: garbage never throws and is reported as unparseable', () => {
  const r = tryDescribe(new Uint8Array([0x30, 0x82, 0xff, 0xff, 0x01]), 1);
  assert.equal(r.ok, false);
  assert.ok(isUnparseable(r.info));
  assert.match(r.info.subject, /^\(unparseable certificate: .+\)$/);
  assert.equal(r.info.index, 1);
  assert.equal(describeCertificate(new Uint8Array(), 0).keyType, 'unknown');
});

test('describe: property: random bytes and mutated certificates never throw', () => {
  const good = der(f.make({ cn: 'fuzz.test', san: 'DNS:fuzz.test' }).pem);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
    const info = describeCertificate(bytes, 0);
    assert.equal(typeof info.subject, 'string');
  }), { numRuns: 300 });
  fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length), (pos, val, cut) => {
    const m = Uint8Array.from(good);
    m[pos] = val;
    const info = describeCertificate(m.subarray(0, Math.max(cut, pos + 1)), 0);
    assert.equal(typeof info.sha256, 'string');
  }), { numRuns: 500 });
});
