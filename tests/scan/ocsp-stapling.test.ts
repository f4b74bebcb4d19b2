/**
 * OCSP stapling against openssl s_server -status_file, with responses made
 * at test time by `openssl ocsp` acting as the CA's responder: the scan sees
 * the staple (round 1's TLS <= 1.2 hellos ask for it), the trust analysis
 * judges it (good, revoked, a signature that is not the CA's), and a
 * Must-Staple certificate served without one is a finding in scan and
 * diagnose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { runCli } from '../pinning/support.js';
import { indexLine } from '../support/ca-database.js';
import { sign } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, OCSPResponse } from '@peculiar/asn1-ocsp';
import { OCSP_SCT_LIST_OID } from '../../src/x509/sct.js';
import { sct, sctList } from '../support/sct.js';

const f = new CertFactory();
const dir = f.dir;
const ca = f.make({ cn: 'Stapling Test CA', ca: true, key: 'rsa2048' });
const leaf = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1', issuer: ca });
const mustStaple = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1', issuer: ca, extra: ['tlsfeature=status_request'] });

let n = 0;
/** The CA's OCSP response for `c` (openssl ocsp as the responder, request in a file), DER. */
function ocspResponse(c: CertFiles, cn: string, revoked: boolean): string {
  const k = ++n;
  const index = join(dir, `staple${k}.index`);
  writeFileSync(index, indexLine(c, cn, revoked ? 'keyCompromise' : undefined));
  const req = join(dir, `staple${k}.req`), resp = join(dir, `staple${k}.der`);
  execFileSync('openssl', ['ocsp', '-issuer', ca.cert, '-cert', c.cert, '-reqout', req, '-no_nonce'], { stdio: 'ignore' });
  execFileSync('openssl', ['ocsp', '-index', index, '-rsigner', ca.cert, '-rkey', ca.key, '-CA', ca.cert, '-reqin', req, '-respout', resp, '-ndays', '7', '-resp_no_certs'], { stdio: 'ignore' });
  return resp;
}

interface ScanJson { features: { ocspStapling: boolean | null; ocspResponse?: string }; findings: { id: string; severity: string; detail: string }[]; grade: { caps: { reason: string }[] } }
const scan = async (port: number): Promise<ScanJson> => {
  const r = await runCli(['scan', `127.0.0.1:${port}`, '--ca-file', ca.cert, '--no-clients', '--json']);
  assert.equal(r.err, '');
  return JSON.parse(r.out) as ScanJson;
};
const ids = (j: ScanJson) => j.findings.map((x) => x.id).filter((id) => /ocsp|staple|revoked/.test(id));

test('a good staple: seen (features.ocspStapling, the response in the JSON), believed, no finding', async () => {
  const resp = ocspResponse(leaf, 'localhost', false);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert, args: ['-status_file', resp] });
  const j = await scan(s.port);
  assert.equal(j.features.ocspStapling, true);
  assert.deepEqual(Buffer.from(j.features.ocspResponse!, 'base64'), readFileSync(resp));
  assert.deepEqual(ids(j), []);
});

test('a revoked staple is critical and caps the grade at F; a staple whose signature is not the CA\'s is not believed', async () => {
  const revoked = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert, args: ['-status_file', ocspResponse(leaf, 'localhost', true)] });
  const j = await scan(revoked.port);
  assert.deepEqual(j.findings.filter((x) => x.id === 'certificate.revoked-or-unknown').map((x) => x.severity), ['critical']);
  assert.ok(j.grade.caps.some((c) => /revoked \(stapled OCSP\)/.test(c.reason)), JSON.stringify(j.grade));

  // The same good response with the last byte of its signature changed (-resp_no_certs: the signature ends it).
  const bytes = readFileSync(ocspResponse(leaf, 'localhost', false));
  bytes[bytes.length - 1] ^= 0x01;
  const tampered = join(dir, 'tampered.der');
  writeFileSync(tampered, bytes);
  const bad = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert, args: ['-status_file', tampered] });
  const k = await scan(bad.port);
  const invalid = k.findings.find((x) => x.id === 'certificate.ocsp-staple-invalid');
  assert.ok(invalid, JSON.stringify(k.findings));
  assert.match(invalid.detail, /^the stapled OCSP response says good, but its signature is not the issuer's nor a delegated responder's: it cannot be believed$/);
});

test('Must-Staple: served without a staple it is a high finding in scan and diagnose, also from a TLS 1.3-only server (the staple read from the decrypted Certificate); with one it is not', async () => {
  const none = await startOpenSSLServer({ cert: mustStaple.cert, key: mustStaple.key, chain: ca.cert });
  const j = await scan(none.port);
  assert.equal(j.features.ocspStapling, false);
  assert.deepEqual(j.findings.filter((x) => x.id === 'certificate.must-staple-missing').map((x) => x.severity), ['high']);
  const d = await runCli(['diagnose', `https://127.0.0.1:${none.port}`, '--ca-file', ca.cert, '--no-revocation', '--json']);
  const report = JSON.parse(d.out) as { ok: boolean; verdict: string };
  assert.equal(report.ok, false);
  assert.match(report.verdict, /^the certificate demands OCSP stapling \(Must-Staple\) and the server staples nothing: .*MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING/);

  const stapled = await startOpenSSLServer({ cert: mustStaple.cert, key: mustStaple.key, chain: ca.cert, args: ['-status_file', ocspResponse(mustStaple, 'localhost', false)] });
  assert.deepEqual(ids(await scan(stapled.port)), []);
  const d2 = await runCli(['diagnose', `https://127.0.0.1:${stapled.port}`, '--ca-file', ca.cert, '--no-revocation', '--json']);
  assert.equal((JSON.parse(d2.out) as { ok: boolean }).ok, true, d2.out);

  const only13 = await startOpenSSLServer({ cert: mustStaple.cert, key: mustStaple.key, chain: ca.cert, args: ['-tls1_3'] });
  const t = await scan(only13.port);
  assert.equal(t.features.ocspStapling, false);
  assert.deepEqual(ids(t), ['certificate.must-staple-missing']);
  const resp = ocspResponse(mustStaple, 'localhost', false);
  const stapled13 = await startOpenSSLServer({ cert: mustStaple.cert, key: mustStaple.key, chain: ca.cert, args: ['-tls1_3', '-status_file', resp] });
  const t2 = await scan(stapled13.port);
  assert.equal(t2.features.ocspStapling, true);
  assert.deepEqual(Buffer.from(t2.features.ocspResponse!, 'base64'), readFileSync(resp));
  assert.deepEqual(ids(t2), []);
  // Without a leaf that demands it, no staple is no finding.
  const plain = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert });
  const p = await scan(plain.port);
  assert.equal(p.features.ocspStapling, false);
  assert.deepEqual(ids(p), []);
});

/**
 * The CA's response for `c` with SCTs in its SingleResponse extension (RFC 6962 section 3.3),
 * signed again by the CA: openssl ocsp cannot add that extension.
 */
function ocspResponseWithScts(c: CertFiles, cn: string, logs: number[]): string {
  const der = readFileSync(ocspResponse(c, cn, false));
  const top = AsnConvert.parse(der, OCSPResponse);
  const basic = AsnConvert.parse(top.responseBytes!.response.buffer, BasicOCSPResponse);
  const list = sctList(...logs.map((l) => sct(l, Date.UTC(2026, 0, 1))));
  basic.tbsResponseData.responses[0]!.singleExtensions = [new Extension({
    extnID: OCSP_SCT_LIST_OID, critical: false, extnValue: new OctetString(AsnConvert.serialize(new OctetString(list))),
  })];
  const tbs = Buffer.from(AsnConvert.serialize(basic.tbsResponseData));
  basic.signature = new Uint8Array(sign('sha256', tbs, readFileSync(ca.key))).buffer;
  top.responseBytes!.response = new OctetString(AsnConvert.serialize(basic));
  const out = join(dir, `staple-sct${++n}.der`);
  writeFileSync(out, Buffer.from(AsnConvert.serialize(top)));
  return out;
}

test('a staple with SCTs (Certificate Transparency): believed, and its SCTs join the leaf\'s, source "ocsp"', async () => {
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert, args: ['-status_file', ocspResponseWithScts(leaf, 'localhost', [0x51, 0x52])] });
  const r = await runCli(['scan', `127.0.0.1:${s.port}`, '--ca-file', ca.cert, '--no-clients', '--json']);
  const j = JSON.parse(r.out) as ScanJson & { certificates: { scts?: { source: string; logId: string }[] }[] };
  assert.equal(j.features.ocspStapling, true);
  assert.deepEqual(ids(j), []);
  assert.deepEqual(j.certificates[0]!.scts?.map((x) => [x.source, Buffer.from(x.logId, 'base64')[0]]), [['ocsp', 0x51], ['ocsp', 0x52]]);
});
