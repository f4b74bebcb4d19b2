import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { CertFactory } from '../support/certs.js';

test('test support: CertFactory makes a CA-signed leaf with chosen dates and SANs', () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'Test Root', ca: true, key: 'rsa2048' });
  const nb = new Date('2020-01-01T00:00:00Z'), na = new Date('2021-01-01T00:00:00Z');
  const leaf = f.make({ cn: 'a.test', san: 'DNS:a.test,IP:127.0.0.1', issuer: ca, notBefore: nb, notAfter: na, digest: 'sha1' });
  const x = new X509Certificate(leaf.pem);
  assert.equal(new Date(x.validFrom).toISOString(), nb.toISOString());
  assert.equal(new Date(x.validTo).toISOString(), na.toISOString());
  assert.match(x.subjectAltName ?? '', /DNS:a\.test/);
  assert.match(x.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.ok(x.verify(new X509Certificate(ca.pem).publicKey));
  const self = f.make({ cn: 'self.test', key: 'ed25519' });
  const sx = new X509Certificate(self.pem);
  assert.ok(sx.verify(sx.publicKey));
  assert.equal(sx.issuer, sx.subject);
});
