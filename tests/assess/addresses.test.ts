import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressFindings, compareAddressScans } from '../../src/assess/addresses.js';
import { unreachableResult } from '../../src/scan/run.js';
import type { CertificateInfo, CipherSuiteResult, ScanResult } from '../../src/scan/types.js';

// Results as a scan reports them, built here to vary one thing at a time (the CLI test scans real servers).
const suite = (id: number, name: string): CipherSuiteResult => ({ id, name, openssl: null, kx: 'ECDHE', auth: 'RSA', cipher: 'AES-128-GCM', bits: 128, mac: 'AEAD', aead: true, forwardSecrecy: true, export: false, anonymous: false, null: false, strength: 'recommended' });
const cert = (sha256: string, index = 0): CertificateInfo => ({ index, subject: `CN=n${sha256}`, issuer: 'CN=ca', serialNumber: sha256, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', subjectAltNames: [], keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', sha256, spkiSha256: sha256, selfSigned: false, isCA: index > 0, pem: '' });
const A = suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), B = suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');

function result(address: string, o: { suites?: CipherSuiteResult[]; preference?: boolean; chacha?: boolean; chain?: string[]; groups?: string[]; findings?: string[] } = {}): ScanResult {
  const base = unreachableResult({ host: 'n.test', port: 443, sni: 'n.test', address }, 'x');
  base.errors = [];
  base.protocols = base.protocols.map((p) => p.version === 'TLSv1.2'
    ? { ...p, supported: true, serverPreference: o.preference ?? true, ...(o.chacha !== undefined ? { prioritizesChaCha: o.chacha } : {}), cipherSuites: o.suites ?? [A, B] } : p);
  base.certificates = (o.chain ?? ['leaf', 'int']).map((h, i) => cert(h, i));
  base.groups = (o.groups ?? ['x25519']).map((name, i) => ({ id: i, name, pq: false, versions: ['TLSv1.2'] }));
  base.findings = (o.findings ?? []).map((id) => ({ id, severity: 'low', title: id, detail: '', resolution: '' }));
  return base;
}

test('compareAddressScans: suites, server order, groups, chain and findings, each named', () => {
  assert.deepEqual(compareAddressScans(result('192.0.2.1'), result('192.0.2.2')).differences, []);
  const order = compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { suites: [B, A] }));
  assert.deepEqual(order.differences, ['serverOrder:TLSv1.2']);
  assert.match(order.details[0]!, /first choice here TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, at 192\.0\.2\.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384/);
  assert.deepEqual(compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { suites: [B, A], preference: false })).differences, ['serverOrder:TLSv1.2']);
  // The same order, ChaCha20 prioritised on one node only; not asked on one side is no difference.
  const chacha = compareAddressScans(result('192.0.2.1', { chacha: true }), result('192.0.2.2', { chacha: false }));
  assert.deepEqual(chacha.differences, ['serverOrder:TLSv1.2']);
  assert.match(chacha.details[0]!, /ChaCha20 prioritised here for a client that prefers it, not prioritised at 192\.0\.2\.2/);
  assert.deepEqual(compareAddressScans(result('192.0.2.1', { chacha: true }), result('192.0.2.2')).differences, []);
  const suites = compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { suites: [A] }));
  assert.deepEqual(suites.differences, ['cipherSuites:TLSv1.2']);
  assert.match(suites.details[0]!, /only here: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384/);
  // The same leaf without its intermediate: the chain differs, not the certificate.
  assert.deepEqual(compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { chain: ['leaf'] })).differences, ['chain']);
  assert.deepEqual(compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { chain: ['other', 'int'] })).differences, ['certificate']);
  // The same first chain, another RSA certificate beside it on one node.
  const withRsa = (address: string, sha: string) => ({ ...result(address), alternateChains: [{ auth: 'RSA' as const, suite: 0xc02f, certificates: [cert(sha)] }] });
  assert.deepEqual(compareAddressScans(withRsa('192.0.2.1', 'rsa1'), withRsa('192.0.2.2', 'rsa1')).differences, []);
  const rsaDiffers = compareAddressScans(withRsa('192.0.2.1', 'rsa1'), withRsa('192.0.2.2', 'rsa2'));
  assert.deepEqual(rsaDiffers.differences, ['certificate']);
  assert.match(rsaDiffers.details[0]!, /^other certificates here: RSA CN=nrsa1 until 2027-01-01; at 192\.0\.2\.2: RSA CN=nrsa2/);
  assert.deepEqual(compareAddressScans(withRsa('192.0.2.1', 'rsa1'), result('192.0.2.2')).differences, ['certificate']);
  assert.deepEqual(compareAddressScans(result('192.0.2.1'), result('192.0.2.2', { groups: ['x25519', 'secp256r1'] })).differences, ['groups']);
  // scan.* findings are about the scan, not the server.
  assert.deepEqual(compareAddressScans(result('192.0.2.1', { findings: ['scan.incomplete'] }), result('192.0.2.2')).differences, []);
  assert.deepEqual(compareAddressScans(result('192.0.2.1', { findings: ['certificate.expired'] }), result('192.0.2.2')).differences, ['findings']);
  // A check the other address's scan skipped or left undecided is no difference; one it decided is.
  const renegotiates = result('192.0.2.1', { findings: ['protocol.client-renegotiation'] });
  const skipped = result('192.0.2.2');
  skipped.features = { secureRenegotiation: true, extendedMasterSecret: true, version: 'TLSv1.2', clientCertificate: null, clientRenegotiation: null };
  assert.deepEqual(compareAddressScans(renegotiates, skipped).differences, []);
  assert.deepEqual(compareAddressScans(skipped, renegotiates).differences, []);
  skipped.features.clientRenegotiation = false;
  assert.deepEqual(compareAddressScans(renegotiates, skipped).differences, ['findings']);
  assert.match(compareAddressScans(skipped, renegotiates).details[0]!, /findings only at 192\.0\.2\.1: protocol\.client-renegotiation/);
  // HSTS on one node only is a difference where both answered the HTTPS request; not where one did not.
  const noHsts = { ...result('192.0.2.1', { findings: ['http.no-hsts'] }), http: { status: 200, hsts: null } };
  const hsts = { ...result('192.0.2.2'), http: { status: 200, hsts: { header: 'max-age=31536000', maxAge: 31536000, includeSubDomains: false, preload: false } } };
  assert.deepEqual(compareAddressScans(noHsts, hsts).differences, ['findings']);
  assert.deepEqual(compareAddressScans(noHsts, { ...hsts, http: { status: null, hsts: null, error: 'timeout' } }).differences, []);
});

test('addressFindings: each address against the first, the first against the first that differs; one address or all alike: none', () => {
  assert.deepEqual(addressFindings([result('192.0.2.1')]), [undefined]);
  assert.deepEqual(addressFindings([result('192.0.2.1'), result('192.0.2.2'), result('192.0.2.3')]), [undefined, undefined, undefined]);
  const f = addressFindings([result('192.0.2.1'), result('192.0.2.2'), result('192.0.2.3', { chain: ['leaf'] })]);
  assert.equal(f[1], undefined);
  assert.equal(f[0]?.id, 'scan.addresses-differ');
  assert.deepEqual(f[0]?.evidence, { comparedWith: '192.0.2.3', differences: ['chain'] });
  assert.deepEqual(f[2]?.evidence, { comparedWith: '192.0.2.1', differences: ['chain'] });
  assert.match(f[2]!.detail, /^n\.test at 192\.0\.2\.3 differs from 192\.0\.2\.1: same certificate, another chain: 1 certificate\(s\) sent here, 2 at 192\.0\.2\.1$/);
  // An incomplete scan on either side is said beside the differences.
  const g = addressFindings([result('192.0.2.1'), result('192.0.2.2', { chain: ['leaf'], findings: ['scan.incomplete'] })]);
  assert.match(g[1]!.detail, /\(the scan of 192\.0\.2\.2 is incomplete: some of this may come from probes that got no answer\)$/);
  assert.match(g[0]!.detail, /\(the scan of 192\.0\.2\.2 is incomplete/);
});

test('compareAddressScans: an address not reached differs from one that answers, and only so; two not reached do not differ', () => {
  const down = (address: string) => unreachableResult({ host: 'n.test', port: 443, sni: 'n.test', address }, `cannot connect to ${address}:443: ECONNREFUSED`);
  const up = compareAddressScans(result('192.0.2.1'), down('192.0.2.2'));
  assert.deepEqual(up.differences, ['unreachable']);
  assert.equal(up.details[0], '192.0.2.2 could not be reached from here (cannot connect to 192.0.2.2:443: ECONNREFUSED)');
  assert.match(compareAddressScans(down('192.0.2.2'), result('192.0.2.1')).details[0]!, /^this address could not be reached from here \(cannot connect[^)]*\); 192\.0\.2\.1 answers$/);
  assert.deepEqual(compareAddressScans(down('192.0.2.1'), down('192.0.2.2')).differences, []);
});
