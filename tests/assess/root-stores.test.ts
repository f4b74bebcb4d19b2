/**
 * Runtimes with a trust store of their own (Java's cacerts, Android's system store) against the
 * root a chain ends at: the registry's facts on a real root (ISRG Root X1, from Node's bundled
 * store), and end to end a real node:tls server whose test root counts as public (a "system"
 * store), scanned with the client simulation and assessed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { X509Certificate, createHash } from 'node:crypto';
import { ROOT_FACTS, rootHistory, rootInStore, type RootIdentity } from '../../src/registry/root-stores.js';
import { CLIENT_PROFILES, clientProfileById } from '../../src/registry/clients/index.js';
import { makePki, serve } from '../support/pki.js';
import { CertFactory } from '../support/certs.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assessScan } from '../../src/assess/scan.js';
import { makeStore } from '../../src/x509/trust-store.js';
import { pemToDers } from '../../src/x509/cert.js';
import { judgeRootStores } from '../../src/assess/root-stores.js';
import { describeCertificate } from '../../src/x509/describe.js';
import type { TrustReport } from '../../src/x509/trust.js';
import { diagnose } from '../../src/assess/diagnosis.js';

const DAY = 86_400_000;
const NODE_ROOTS = tls.rootCertificates.map((pem) => new X509Certificate(pem));
const spki = (c: X509Certificate) => createHash('sha256').update(c.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
const isrg = NODE_ROOTS.find((c) => /^CN=ISRG Root X1$/m.test(c.subject))!;
const isrgId: RootIdentity = { name: 'ISRG Root X1', spkiSha256: spki(isrg), notBefore: new Date(isrg.validFrom) };
const store = (id: string) => clientProfileById(id)!.trustStore!;

test('every root fact names a root of Node\'s bundled store by its key, with sources', () => {
  assert.ok(ROOT_FACTS.length > 0);
  for (const r of ROOT_FACTS) {
    const c = NODE_ROOTS.find((x) => spki(x) === r.spkiSha256);
    assert.ok(c, `${r.name}: no root with this key in tls.rootCertificates`);
    assert.match(c!.subject, new RegExp(`^CN=${r.name.replace(/\./g, '\\.')}$`, 'm'), r.name);
    for (const s of [...(r.java?.sources ?? []), ...(r.android?.sources ?? [])]) assert.match(s.url, /^https:\/\//, `${r.name}: ${s.title}`);
    assert.ok((r.java?.sources.length ?? 1) > 0 && (r.android?.sources.length ?? 1) > 0, r.name);
  }
  // Profiles with a store frozen at a date say where that date comes from.
  for (const p of CLIENT_PROFILES) {
    if (p.trustStore?.frozenAt) assert.ok(p.trustStore.sources.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(p.trustStore.frozenAt), p.id);
  }
});

test('ISRG Root X1 (a real root): missing from Java 6u45 and 7u80 and from Android before 7.1.1, held by Java 8u181+ and Android 10', () => {
  const v6 = rootInStore(store('java-6'), isrgId);
  assert.equal(v6.held, false);
  assert.match((v6 as { why: string }).why, /made on 2015-06-04 .*after Java 6u45 \(2013-04-16\)/);
  const v7 = rootInStore(store('java-7'), isrgId);
  assert.equal(v7.held, false);
  assert.match((v7 as { why: string }).why, /in Java's cacerts from 7u151, 8u141, Java 10 and later; Java 7u80 predates it/);
  for (const id of ['java-8', 'java-11', 'java-17', 'java-21', 'android-10']) assert.deepEqual(rootInStore(store(id), isrgId), { held: true }, id);
  for (const id of ['android-4.4', 'android-7']) {
    const v = rootInStore(store(id), isrgId);
    assert.equal(v.held, false, id);
    assert.match((v as { why: string }).why, /from Android 7\.1\.1 \(API 25\)/);
  }
});

test('ISRG Root X2, GTS and Microsoft roots: missing from Java 8u181-8u251, and X2 from Android 10 (API 29)', () => {
  const id = (cn: string): RootIdentity => {
    const c = NODE_ROOTS.find((x) => new RegExp(`^CN=${cn}$`, 'm').test(x.subject))!;
    return { name: cn, spkiSha256: spki(c), notBefore: new Date(c.validFrom) };
  };
  for (const cn of ['ISRG Root X2', 'GTS Root R1', 'GTS Root R4', 'Microsoft RSA Root Certificate Authority 2017']) {
    const v = rootInStore(store('java-8'), id(cn));
    assert.equal(v.held, false, cn);
  }
  assert.match((rootInStore(store('java-8'), id('ISRG Root X2')) as { why: string }).why, /from 8u401, 11\.0\.22, 17\.0\.10, 21\.0\.2, Java 22 and later; Java 8u181-8u251 predates it/);
  assert.match((rootInStore(store('android-10'), id('ISRG Root X2')) as { why: string }).why, /from Android 14 \(API 34\)/);
  // Java 17 covers 17.0.0 to today: some of its updates hold X2, some do not.
  assert.equal(rootInStore(store('java-17'), id('ISRG Root X2')).held, null);
  assert.equal(rootInStore(store('java-17'), id('GTS Root R1')).held, null);
});

test('roots added to OpenJDK since 2019 (Amazon, DigiCert G5, Telia, GlobalSign 46, SSL.com 2022, Sectigo 46): held from the feature release that took them, unknown within a line that took them in an update', () => {
  const id = (cn: string): RootIdentity => {
    const c = NODE_ROOTS.find((x) => new RegExp(`^CN=${cn.replace(/\./g, '\\.')}$`, 'm').test(x.subject))!;
    assert.ok(c, cn);
    return { name: cn, spkiSha256: spki(c), notBefore: new Date(c.validFrom) };
  };
  // Java 21 (21.0.0 to today) holds GTS and Microsoft from its first release, but only some 21.0.x hold DigiCert G5 (21.0.2), SSL.com (21.0.6), Sectigo (21.0.8).
  for (const cn of ['GTS Root R1', 'Microsoft ECC Root Certificate Authority 2017', 'Amazon Root CA 1']) assert.deepEqual(rootInStore(store('java-21'), id(cn)), { held: true }, cn);
  for (const cn of ['DigiCert TLS RSA4096 Root G5', 'Telia Root CA v2', 'SSL.com TLS ECC Root CA 2022', 'Sectigo Public Server Authentication Root R46', 'GlobalSign Root E46']) {
    assert.equal(rootInStore(store('java-21'), id(cn)).held, null, cn);
  }
  // Made after Java 8u251 (2020-04-14): missing by the date rule; Amazon's 2015 roots stay unknown there (no fact for 8u).
  for (const cn of ['DigiCert TLS ECC P384 Root G5', 'Sectigo Public Server Authentication Root E46', 'SSL.com TLS RSA Root CA 2022']) assert.equal(rootInStore(store('java-8'), id(cn)).held, false, cn);
  assert.equal(rootInStore(store('java-8'), id('Amazon Root CA 4')).held, null);
  // What diagnose says of a Java "PKIX path building failed" against such a root.
  assert.equal(rootHistory('java', id('Sectigo Public Server Authentication Root R46')), "Java's cacerts holds Sectigo Public Server Authentication Root R46 from 11.0.28, 21.0.8, Java 25 and later");
  assert.equal(rootHistory('java', id('GlobalSign Root R46')), "Java's cacerts holds GlobalSign Root R46 from 22.0.2, Java 23 and later");
  assert.equal(rootHistory('java', id('Amazon Root CA 2')), "Java's cacerts holds Amazon Root CA 2 from Java 14 and later");
  assert.equal(rootHistory('java', id('DigiCert TLS RSA4096 Root G5')), "Java's cacerts holds DigiCert TLS RSA4096 Root G5 from 11.0.22, 17.0.10, 21.0.2, Java 22 and later");
});

test('a root no fact covers: missing only where its certificate is younger than the release, else unknown', () => {
  const young: RootIdentity = { name: 'Young Root', spkiSha256: 'x', notBefore: new Date('2021-01-01T00:00:00Z') };
  const old: RootIdentity = { name: 'Old Root', spkiSha256: 'y', notBefore: new Date('2012-01-01T00:00:00Z') };
  assert.equal(rootInStore(store('java-8'), young).held, false); // 8u181-8u251: April 2020
  assert.equal(rootInStore(store('java-7'), young).held, false);
  assert.equal(rootInStore(store('java-17'), young).held, null); // still updated: no date bounds it
  assert.equal(rootInStore(store('android-7'), young).held, null);
  assert.equal(rootInStore(store('java-7'), old).held, null);
});

test('a synthetic trust report ending at ISRG Root X1: Android 7 and Java 7 fail with their own error and fix, the others are left alone', () => {
  const info = describeCertificate(new Uint8Array(isrg.raw), 1);
  const leaf = { ...info, index: 0, subject: 'CN=api.example', issuer: info.subject, sha256: 'aa' };
  const trust = {
    trusted: true, publiclyTrusted: true, certificates: [leaf],
    path: [{ info: leaf, source: 'sent' }, { info, source: 'store', storeId: 'node' }],
    stores: [{ store: 'node', kind: 'node', label: "Node's bundled roots", trusted: true }], trustedBy: ['node'],
  } as unknown as TrustReport;
  const ok = (id: string) => ({ id, name: clientProfileById(id)!.name, ok: true, protocol: 'TLSv1.2' as const, cipherSuite: 'x', group: null, reason: null, remediation: null });
  const { clients, misses } = judgeRootStores(['android-7', 'java-7', 'java-17', 'node-20'].map(ok), trust);
  assert.deepEqual(misses.map((m) => m.id), ['android-7', 'java-7']);
  assert.match(clients[0]!.reason!, /Trust anchor for certification path not found/);
  assert.match(clients[0]!.remediation!, /network_security_config/);
  assert.match(clients[1]!.reason!, /PKIX path building failed/);
  assert.match(clients[1]!.remediation!, /keytool -importcert -keystore "\$JAVA_HOME\/jre\/lib\/security\/cacerts"/);
  assert.deepEqual(clients.slice(2).map((c) => c.ok), [true, true]);
  // A client that got another leaf (alternateChains) is not judged by this chain.
  assert.equal(judgeRootStores([{ ...ok('android-7'), leafSha256: 'bb' }], trust).clients[0]!.ok, true);

  // `diagnose --error` with a Java or Android "no trusted root" error and nothing wrong live: which releases hold the root.
  const ctx = { url: 'https://api.example', host: 'api.example' };
  const java = diagnose([], trust, { ...ctx, errorText: 'PKIX path building failed: unable to find valid certification path to requested target' }).errorText!;
  assert.match(java.conclusion, /The chain ends at ISRG Root X1, a public root: Java's cacerts holds ISRG Root X1 from 7u151, 8u141, Java 10 and later\. A client on an older release/);
  const android = diagnose([], trust, { ...ctx, errorText: 'java.security.cert.CertPathValidatorException: Trust anchor for certification path not found.' }).errorText!;
  assert.deepEqual(android.recognised.map((r) => r.runtime), ['Android']);
  assert.match(android.conclusion, /Android's system store holds ISRG Root X1 from Android 7\.1\.1 \(API 25\)/);
  // Another error, or a chain that is not public: no such sentence.
  assert.doesNotMatch(diagnose([], trust, { ...ctx, errorText: 'certificate has expired' }).errorText!.conclusion, /public root/);
  assert.doesNotMatch(diagnose([], { ...trust, publiclyTrusted: false } as TrustReport, { ...ctx, errorText: 'PKIX path building failed' }).errorText!.conclusion, /public root/);
});

const ep = (port: number) => ({ host: 'localhost', port, address: '127.0.0.1', sni: 'localhost' });
const PROFILES = ['java-8', 'java-17', 'android-7', 'node-20'].map((id) => clientProfileById(id)!);

test('end to end: a public-looking root made today fails Java 8u181-8u251 in the simulation (PKIX), with the finding; the same chain under a --ca-file root or with a cross-certificate sent claims nothing', async () => {
  const pki = makePki('Runtime Store');
  const leaf = pki.leaf({ cn: 'localhost' });
  const s = await serve(pki, leaf, [pki.int]);
  try {
    const scanned = await scanEndpoint(ep(s.port), { timeoutMs: 4000, clients: PROFILES, http: false });
    assert.deepEqual(scanned.clients!.map((c) => [c.id, c.ok]), PROFILES.map((p) => [p.id, true]), JSON.stringify(scanned.clients));
    const { result, trust } = await assessScan(scanned, { stores: [pki.systemStore] });
    assert.ok(trust?.trusted && trust.publiclyTrusted);
    const byId = new Map(result.clients!.map((c) => [c.id, c]));
    assert.equal(byId.get('java-8')!.ok, false);
    assert.match(byId.get('java-8')!.reason!, /^Runtime Store Root CA was made on \d{4}-\d{2}-\d{2} .*after Java 8u181-8u251 \(2020-04-14\): the handshake completes, then the certificate check fails with "PKIX path building failed/);
    assert.equal(byId.get('java-8')!.protocol, 'TLSv1.2');
    for (const id of ['java-17', 'android-7', 'node-20']) assert.equal(byId.get(id)!.ok, true, id);
    const f = result.findings.find((x) => x.id === 'certificate.root-not-in-runtimes');
    assert.ok(f, JSON.stringify(result.findings.map((x) => x.id)));
    assert.deepEqual((f!.evidence!.clients as { id: string }[]).map((c) => c.id), ['java-8']);

    // Trusted only through a --ca-file: a private CA, which no runtime holds (certificate.private-ca says so).
    const caFile = makeStore('ca-file:root.pem', 'ca-file', 'root.pem', pki.rootFile, pemToDers(pki.root.pem));
    const priv = (await assessScan(scanned, { stores: [caFile] })).result;
    assert.ok(priv.clients!.every((c) => c.ok));
    assert.ok(!priv.findings.some((x) => x.id === 'certificate.root-not-in-runtimes'));
  } finally {
    await s.stop();
  }

  // The server also sends a cross-certificate for the root (its name, issued by an older CA).
  const older = pki.f.make({ cn: 'Older Root CA', ca: true, key: 'ec256', notBefore: new Date(Date.now() - 4000 * DAY) });
  const cross = pki.f.make({ cn: 'Runtime Store Root CA', ca: true, key: 'ec256', issuer: older });
  const s2 = await serve(pki, leaf, [pki.int, cross]);
  try {
    const scanned = await scanEndpoint(ep(s2.port), { timeoutMs: 4000, clients: PROFILES, http: false });
    const { result, trust } = await assessScan(scanned, { stores: [pki.systemStore] });
    // Still a trusted, public chain: only the cross-certificate keeps the verdict back.
    assert.ok(trust?.trusted && trust.publiclyTrusted && trust.certificates.some((c) => c.subject === trust.path.at(-1)!.info.subject && c.issuer !== c.subject));
    assert.equal(result.clients!.find((c) => c.id === 'java-8')!.ok, true, JSON.stringify(result.clients));
    assert.ok(!result.findings.some((x) => x.id === 'certificate.root-not-in-runtimes'));
  } finally {
    await s2.stop();
  }
});

test('a root made in 2019 (a real certificate with that notBefore): unknown to Java 8u181-8u251, missing from 7u80', () => {
  const f = new CertFactory();
  const r = f.make({ cn: 'Dated Root', ca: true, key: 'ec256', notBefore: new Date('2019-06-01T00:00:00Z') });
  assert.equal(new X509Certificate(r.pem).validFrom, 'Jun  1 00:00:00 2019 GMT');
  const id: RootIdentity = { name: 'Dated Root', spkiSha256: spki(new X509Certificate(r.pem)), notBefore: new Date('2019-06-01T00:00:00Z') };
  assert.equal(rootInStore(store('java-8'), id).held, null); // made before 8u251: the date proves nothing
  assert.equal(rootInStore(store('java-7'), id).held, false);
});
