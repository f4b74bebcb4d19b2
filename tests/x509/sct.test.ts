/**
 * Certificate Transparency: the SCT list reader (fast-check on random and mutated bytes), the
 * count Apple's policy asks for, a certificate made at test time with two embedded SCTs, and
 * SCTs in the TLS extension from openssl s_server's -serverinfo. The SCTs are made here (no CT
 * log is reachable): their framing is real, their signatures are not checked by the reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { distinctLogs, embeddedScts, parseSctList, sctsRequired, SCT_LIST_OID } from '../../src/x509/sct.js';
import { transparencyFindings } from '../../src/assess/certificate.js';
import type { TrustReport } from '../../src/x509/trust.js';
import type { CertificateInfo } from '../../src/scan/types.js';
import { WireError } from '../../src/util/errors.js';
import { CertFactory } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { sct, sctList } from '../support/sct.js';

const list = sctList;
const T = Date.UTC(2026, 10, 1);

test('parseSctList reads version, log id and timestamp of each SCT; bad framing is a WireError', () => {
  const scts = parseSctList(list(sct(1, T), sct(2, T + 1000)), 'tls');
  assert.equal(scts.length, 2);
  assert.deepEqual(scts[0], { version: 0, logId: Buffer.alloc(32, 1).toString('base64'), timestamp: new Date(T).toISOString(), source: 'tls' });
  assert.equal(distinctLogs([...scts, ...parseSctList(list(sct(1, T)), 'embedded')]), 2);
  for (const bad of [Buffer.alloc(0), Buffer.from([0, 5, 0]), list(sct(1, T)).subarray(0, 30), Buffer.concat([list(sct(1, T)), Buffer.from([0])])]) {
    assert.throws(() => parseSctList(bad, 'tls'), WireError);
  }
  // A version this reader does not know is kept, unread.
  assert.deepEqual(parseSctList(list(Buffer.from([1, 2, 3])), 'embedded'), [{ version: 1, logId: '', timestamp: '', source: 'embedded' }]);
  // The X.509 extension wraps the list in an OCTET STRING.
  const l = list(sct(7, T));
  assert.equal(embeddedScts(Buffer.concat([Buffer.from([0x04, l.length]), l]))[0]!.source, 'embedded');
  assert.throws(() => embeddedScts(l), WireError);
});

test('parseSctList: random and mutated bytes give SCTs or a WireError, nothing else', () => {
  const ok = (b: Uint8Array) => { try { parseSctList(b, 'tls'); return true; } catch (e) { return e instanceof WireError; } };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), ok), { numRuns: 3000 });
  const valid = list(sct(1, T), sct(2, T), sct(3, T));
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
    const b = Buffer.from(valid);
    for (const [i, v] of edits) b[i] = v;
    return ok(b);
  }), { numRuns: 3000 });
});

test("sctsRequired: Apple's table (2 up to 180 days, 3 beyond; 2 when one comes in the handshake)", () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const days = (n: number) => new Date(from.getTime() + n * 86_400_000 - 1000);
  assert.deepEqual(sctsRequired(from, days(90), false), { required: 2, lifetimeDays: 90 });
  assert.deepEqual(sctsRequired(from, days(180), false), { required: 2, lifetimeDays: 180 });
  assert.deepEqual(sctsRequired(from, days(181), false), { required: 3, lifetimeDays: 181 });
  assert.deepEqual(sctsRequired(from, days(397), true), { required: 2, lifetimeDays: 397 });
});

test('transparencyFindings: a public leaf short of SCTs is a finding; a private CA, enough SCTs or SCTs not asked for are not', () => {
  const leaf = (scts: CertificateInfo['scts'], days = 397): CertificateInfo => ({
    index: 0, subject: 'CN=api.example.com', issuer: 'CN=CA', serialNumber: '01', notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: new Date(Date.UTC(2026, 0, 1) + days * 86_400_000 - 1000).toISOString(), subjectAltNames: [], keyType: 'EC', keyBits: 256,
    signatureAlgorithm: 'ecdsa-with-SHA256', sha256: 'x', spkiSha256: 'y', selfSigned: false, isCA: false, pem: '', ...(scts ? { scts } : {}),
  });
  const pub = { publiclyTrusted: true, ocsp: { status: 'none', detail: '' } } as TrustReport, priv = { publiclyTrusted: false } as TrustReport;
  const two = parseSctList(list(sct(1, T), sct(2, T)), 'embedded');
  const f = transparencyFindings(leaf(two), pub, { sctExtension: false });
  assert.equal(f.length, 1);
  assert.equal(f[0]!.id, 'certificate.sct-insufficient');
  assert.deepEqual(f[0]!.evidence, { embedded: 2, tls: 0, ocsp: 0, distinctLogs: 2, required: 3, lifetimeDays: 397 });
  assert.match(f[0]!.detail, /valid 397 days with embedded SCTs only, Apple's policy asks for 3 from distinct logs/);
  assert.deepEqual(transparencyFindings(leaf(two, 90), pub, { sctExtension: false }), []);
  assert.deepEqual(transparencyFindings(leaf([...two, ...parseSctList(list(sct(3, T)), 'embedded')]), pub, { sctExtension: false }), []);
  // Two from the same log count once.
  assert.equal(transparencyFindings(leaf(parseSctList(list(sct(1, T), sct(1, T)), 'embedded'), 90), pub, { sctExtension: false }).length, 1);
  // One in the handshake: two in all suffice.
  assert.deepEqual(transparencyFindings(leaf([two[0]!, ...parseSctList(list(sct(9, T)), 'tls')]), pub, { sctExtension: true }), []);
  assert.match(transparencyFindings(leaf(undefined), pub, { sctExtension: false })[0]!.detail, /comes with 0 SCTs \(none embedded, none in the TLS extension or a stapled OCSP response\)/);
  assert.deepEqual(transparencyFindings(leaf(undefined), priv, { sctExtension: false }), []);
  assert.deepEqual(transparencyFindings(leaf(undefined), pub, { sctExtension: null }), []);
  // A stapled OCSP response's SCTs count (and deliver: two suffice); one that could not be read may hold them: no verdict.
  const stapled = (scts: ReturnType<typeof parseSctList>) => ({ ...pub, ocsp: { status: 'good', detail: '', single: { serialNumber: '01', status: 'good', thisUpdate: '', scts } } }) as TrustReport;
  assert.deepEqual(transparencyFindings(leaf([two[0]!]), stapled(parseSctList(list(sct(8, T)), 'ocsp')), { sctExtension: false }), []);
  assert.deepEqual(transparencyFindings(leaf(undefined), stapled(parseSctList(list(sct(8, T)), 'ocsp')), { sctExtension: false })[0]!.evidence,
    { embedded: 0, tls: 0, ocsp: 1, distinctLogs: 1, required: 2, lifetimeDays: 397 });
  assert.deepEqual(transparencyFindings(leaf(undefined), { ...pub, ocsp: { status: 'error', detail: 'x' } } as TrustReport, { sctExtension: false }), []);
});

test('scan: embedded SCTs of a certificate made here, and SCTs in the TLS extension (openssl s_server -serverinfo), in the leaf\'s scts', async () => {
  const dir = tempDir('tlsdoctor-sct-');
  const f = new CertFactory();
  const embedded = list(sct(1, T), sct(2, T + 60_000));
  const octet = Buffer.concat([Buffer.from([0x04, embedded.length]), embedded]); // under 128 bytes: DER's short length form
  const c = f.make({ cn: 'localhost', san: 'DNS:localhost', key: 'ec256', extra: [`${SCT_LIST_OID} = DER:${octet.toString('hex')}`] });
  // s_server's -serverinfo: PEM blocks of whole ServerHello extensions (type, length, data).
  const tlsList = list(sct(3, T));
  const ext = Buffer.concat([Buffer.from([0, 18, tlsList.length >> 8, tlsList.length & 0xff]), tlsList]);
  const serverinfo = join(dir, 'serverinfo.pem');
  writeFileSync(serverinfo, `-----BEGIN SERVERINFO FOR localhost-----\n${ext.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END SERVERINFO FOR localhost-----\n`);
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-serverinfo', serverinfo] });
  const r = await runCli(['scan', '--json', '--no-clients', '--no-padding-oracle', '--no-renegotiation', `localhost:${s.port}`]);
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  const scts = res.certificates[0].scts as { logId: string; source: string; timestamp: string }[];
  assert.deepEqual(scts.map((x) => [x.source, Buffer.from(x.logId, 'base64')[0]]), [['embedded', 1], ['embedded', 2], ['tls', 3]]);
  assert.equal(scts[1]!.timestamp, new Date(T + 60_000).toISOString());
  assert.equal(res.features.sctExtension, true);
  // A private (self-signed) certificate: no CT finding.
  assert.ok(!res.findings.some((x: { id: string }) => x.id === 'certificate.sct-insufficient'));
  const text = await runCli(['scan', '--no-clients', '--no-padding-oracle', '--no-renegotiation', `localhost:${s.port}`]);
  assert.match(text.stdout, /Certificate Transparency: 3 SCTs from 3 logs \(embedded, TLS extension\)/);
});

test('scan of a TLS 1.3-only server: the SCTs of its leaf entry (openssl s_server -serverinfo, SERVERINFOV2) are read by the TLS 1.3 certificate handshake', async () => {
  const dir = tempDir('tlsdoctor-sct13-');
  const c = new CertFactory().make({ cn: 'localhost', san: 'DNS:localhost', key: 'ec256' });
  const tlsList = list(sct(4, T), sct(5, T));
  // SSL_EXT_TLS1_3_CERTIFICATE (0x1000): the extension goes in the leaf's CertificateEntry.
  const ext = Buffer.concat([Buffer.from([0, 0, 0x10, 0, 0, 18, tlsList.length >> 8, tlsList.length & 0xff]), tlsList]);
  const serverinfo = join(dir, 'serverinfo13.pem');
  writeFileSync(serverinfo, `-----BEGIN SERVERINFOV2 FOR localhost-----\n${ext.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END SERVERINFOV2 FOR localhost-----\n`);
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_3', '-serverinfo', serverinfo] });
  const r = await runCli(['scan', '--json', '--no-clients', `localhost:${s.port}`]);
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.deepEqual(res.protocols.filter((p: { supported: boolean }) => p.supported).map((p: { version: string }) => p.version), ['TLSv1.3']);
  const scts = res.certificates[0].scts as { logId: string; source: string }[];
  assert.deepEqual(scts.map((x) => [x.source, Buffer.from(x.logId, 'base64')[0]]), [['tls', 4], ['tls', 5]]);
  assert.equal(res.features.sctExtension, true);
  // Without them: asked, and none came (false, not null).
  const plain = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-tls1_3'] });
  const q = JSON.parse((await runCli(['scan', '--json', '--no-clients', `localhost:${plain.port}`])).stdout);
  assert.equal(q.features.sctExtension, false);
  assert.equal(q.certificates[0].scts, undefined);
});
