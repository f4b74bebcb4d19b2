/**
 * A certificate whose subject and SAN carry a line break and an escape
 * sequence (made here with @peculiar/x509): described with RFC 4514 hex
 * pairs, named so in the host-name mismatch, and a scan's report shows no
 * forged line and no raw escape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { x509 } from '../../src/x509/peculiar.js';
import { describeCertificate } from '../../src/x509/describe.js';
import { matchHostname } from '../../src/x509/hostname.js';
import { commonNames, parseCertificate } from '../../src/x509/cert.js';
import { startNodeTLSServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';

const EVIL = 'evil\nHIGH     forged line\u001b[2J';

async function hostileCertificate(): Promise<{ der: Uint8Array; pem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: [{ '2.5.4.3': [EVIL] }], notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 30 * 86_400_000),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, keys,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'a\nb.test' }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { der: new Uint8Array(cert.rawData), pem: cert.toString('pem'), keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n` };
}

test('control characters in a certificate\'s names: RFC 4514 hex pairs in the description and the mismatch; no forged line in the scan report', async () => {
  const c = await hostileCertificate();
  const info = describeCertificate(c.der, 0);
  assert.equal(info.subject, 'CN=evil\\0aHIGH     forged line\\1b[2J');
  assert.deepEqual(info.subjectAltNames, ['DNS:a\\0ab.test']);
  const p = parseCertificate(c.der);
  const m = matchHostname({ dnsNames: p.dnsNames, ipAddresses: p.ipAddresses, commonNames: commonNames(p.subject) }, 'api.test');
  assert.equal(m.ok, false);
  assert.ok(!/[\n\u001b]/.test(JSON.stringify(m.presented) + (m.ok ? '' : m.reason)), JSON.stringify(m));

  const s = await startNodeTLSServer({ cert: c.pem, key: c.keyPem });
  const text = await runCli(['scan', `127.0.0.1:${s.port}`, '--no-clients', '--no-http']);
  assert.match(text.stdout, /CN=evil\\0aHIGH {5}forged line\\1b\[2J/);
  assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('HIGH     forged line')), 'no forged finding line');
  assert.ok(!text.stdout.includes('\u001b[2J'));
});
