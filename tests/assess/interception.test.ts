/**
 * TLS interception: a test CA named as Zscaler's inspection root signs the
 * certificate an openssl s_server presents, as a corporate proxy would
 * re-sign a server's certificate. diagnose names the product, the Java and
 * Node errors that such a proxy causes are confirmed, and an ordinary
 * private CA is not taken for one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertFactory } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../pinning/support.js';
import { interceptionProduct, INTERCEPTION_PRODUCTS } from '../../src/registry/interception.js';

const f = new CertFactory();

test('the product list: each entry has a source, and names of ordinary CAs match none', () => {
  for (const p of INTERCEPTION_PRODUCTS) assert.ok(p.source.length > 20, p.product);
  assert.equal(interceptionProduct(['CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., L=San Jose, ST=California, C=US'])?.product.product, 'Zscaler');
  assert.equal(interceptionProduct(['CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST, OU=Created by http://www.fiddler2.com'])?.product.kind, 'debugging proxy');
  for (const ordinary of ['CN=ISRG Root X1, O=Internet Security Research Group, C=US', 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
    'CN=Example Corp Issuing CA 1, O=Example Corp', 'CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited']) {
    assert.equal(interceptionProduct([ordinary]), null, ordinary);
  }
});

test('diagnose through a re-signing proxy: the verdict names Zscaler; a Java PKIX error and a Node SELF_SIGNED_CERT_IN_CHAIN are confirmed as interception', async () => {
  const root = f.make({ cn: 'Zscaler Root CA', ca: true, key: 'rsa2048' });
  const issuing = f.make({ cn: 'Zscaler Intermediate Root CA (zscalerthree.net)', ca: true, key: 'ec256', issuer: root });
  const leaf = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: issuing });
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: f.bundle('zs-chain.pem', issuing, root) });
  const d = await runCli(['diagnose', `https://localhost:${s.port}`, '--no-revocation', '--json', '--error',
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target']);
  assert.equal(d.code, 1, d.err);
  const r = JSON.parse(d.out) as { verdict: string; steps: string[]; findings: { id: string; evidence: { product: string } }[]; errorText: { confirmed: string[] } };
  assert.match(r.verdict, /^a TLS-inspecting proxy or antivirus re-signs this connection: the chain names CN=Zscaler Intermediate Root CA \(zscalerthree\.net\): Zscaler \(corporate proxy\) between this machine and localhost/);
  assert.equal(r.findings.find((x) => x.id === 'certificate.tls-interception')?.evidence.product, 'Zscaler');
  assert.ok(r.errorText.confirmed.includes('tls-interception'), JSON.stringify(r.errorText));
  const node = await runCli(['diagnose', `https://localhost:${s.port}`, '--no-revocation', '--json', '--error', 'Error: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)']);
  assert.ok((JSON.parse(node.out) as { errorText: { confirmed: string[] } }).errorText.confirmed.includes('tls-interception'));

  // The vendor's own site: its leaf names the vendor, its issuer does not: no interception.
  const vendorCa = f.make({ cn: 'Example Public CA G2', ca: true, key: 'rsa2048' });
  const vendorLeaf = f.make({ cn: 'Zscaler Inc. web site', key: 'ec256', san: 'DNS:localhost', issuer: vendorCa });
  const s3 = await startOpenSSLServer({ cert: vendorLeaf.cert, key: vendorLeaf.key, chain: vendorCa.cert });
  const d3 = JSON.parse((await runCli(['diagnose', `https://localhost:${s3.port}`, '--no-revocation', '--json'])).out) as { findings: { id: string }[] };
  assert.ok(!d3.findings.some((x) => x.id === 'certificate.tls-interception'), JSON.stringify(d3.findings));

  // An ordinary private CA: untrusted root, no interception.
  const own = f.make({ cn: 'Example Corp Root CA', ca: true, key: 'rsa2048' });
  const ownLeaf = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: own });
  const s2 = await startOpenSSLServer({ cert: ownLeaf.cert, key: ownLeaf.key, chain: own.cert });
  const d2 = JSON.parse((await runCli(['diagnose', `https://localhost:${s2.port}`, '--no-revocation', '--json'])).out) as { verdict: string; findings: { id: string }[] };
  assert.match(d2.verdict, /^the certificate's root CA is not trusted/);
  assert.ok(!d2.findings.some((x) => x.id === 'certificate.tls-interception'));
});
