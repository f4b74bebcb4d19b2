/**
 * Chain analysis on chains as a server sends them (order, duplicates, extras,
 * root sent, wrong intermediate), with certificates made at test time. The
 * as-sent order cannot be observed through node:tls (Node reorders the chain),
 * so these feed the DER lists straight to the analyser, as the wire engine does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { makePki } from '../support/pki.js';
import { analyseTrust } from '../../src/x509/trust.js';
import { caFileStore, loadTrustStores, nodeRootStore } from '../../src/x509/trust-store.js';
import { pemToDers } from '../../src/x509/cert.js';
import { certificatesFromBody, pkcs7Certificates } from '../../src/x509/aia.js';
import { parseDer, children, decodeOid, readTlv } from '../../src/x509/der.js';
import { certificateFindings } from '../../src/assess/certificate.js';
import { UsageError } from '../../src/util/errors.js';
import { execFileSync } from 'node:child_process';

const pki = makePki('Chain');
const leaf = pki.leaf({ cn: 'chain.test' });
const d = (pem: string) => pemToDers(pem)[0];
const ids = async (chain: Uint8Array[]) => {
  const t = await analyseTrust({ chain, host: 'chain.test', stores: [pki.systemStore] });
  return { t, ids: certificateFindings(t).map((f) => f.id).sort() };
};

test('chain: leaf, intermediate: clean', async () => {
  const { t, ids: f } = await ids([d(leaf.pem), d(pki.int.pem)]);
  assert.deepEqual(f, []);
  assert.equal(t.trusted, true);
});

test('chain: misordered, duplicated, extra and root sent are each reported', async () => {
  const other = makePki('Other');
  assert.deepEqual((await ids([d(leaf.pem), d(pki.root.pem), d(pki.int.pem)])).ids, ['certificate.chain-order', 'certificate.root-sent']);
  assert.deepEqual((await ids([d(leaf.pem), d(pki.int.pem), d(pki.int.pem)])).ids, ['certificate.chain-duplicate']);
  const extra = await ids([d(leaf.pem), d(pki.int.pem), d(other.int.pem)]);
  assert.deepEqual(extra.ids, ['certificate.chain-extra']);
  assert.deepEqual(extra.t.issues.extra, [2]);
});

test('chain: an intermediate with the right name but another key is not taken as the issuer', async () => {
  // Same subject name as the real intermediate, a different key, signed by the same root.
  const impostor = pki.f.make({ cn: 'Chain Issuing CA 1', ca: true, key: 'ec256', issuer: pki.root });
  const { t, ids: f } = await ids([d(leaf.pem), d(impostor.pem)]);
  assert.equal(t.trusted, false);
  assert.deepEqual(f, ['certificate.chain-extra', 'certificate.incomplete-chain']);
  assert.equal(t.missingIssuer, 'CN=Chain Issuing CA 1');
});

test('chain: unparseable certificate in the chain is reported, the rest still analysed', async () => {
  const { t, ids: f } = await ids([d(leaf.pem), new Uint8Array([0x30, 0x03, 1, 2, 3]), d(pki.int.pem)]);
  assert.equal(t.trusted, true);
  assert.deepEqual(f, ['certificate.unparseable']);
  const none = await analyseTrust({ chain: [new Uint8Array([1, 2, 3])], host: 'x', stores: [] });
  assert.equal(none.problem, 'unparseable-leaf');
  const self = pki.f.make({ cn: 'self.test' });
  assert.equal((await analyseTrust({ chain: [d(self.pem)], host: 'self.test', stores: [] })).problem, 'self-signed');
  assert.equal((await analyseTrust({ chain: [], host: 'x', stores: [] })).problem, 'no-certificate');
});

test('trust stores: Node roots load; --ca-file errors are usage errors', () => {
  assert.ok(nodeRootStore().anchors.length > 100);
  const dir = pki.f.dir;
  writeFileSync(join(dir, 'empty.pem'), 'nothing here\n');
  assert.throws(() => caFileStore(join(dir, 'empty.pem')), UsageError);
  assert.throws(() => caFileStore(join(dir, 'missing.pem')), UsageError);
  assert.throws(() => caFileStore(dir), UsageError);
  const stores = loadTrustStores({ caFiles: [pki.rootFile], system: false });
  assert.deepEqual(stores.map((s) => s.kind), ['ca-file', 'node']);
});

test('AIA bodies: DER, PEM and PKCS#7 (openssl crl2pkcs7) all yield the certificate', () => {
  const der = Buffer.from(d(pki.int.pem));
  assert.deepEqual(certificatesFromBody(der), [der]);
  assert.deepEqual(certificatesFromBody(Buffer.from(pki.int.pem)), [der]);
  const p7 = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pki.int.cert, '-outform', 'DER']);
  assert.deepEqual(pkcs7Certificates(p7), [der]);
  assert.deepEqual(certificatesFromBody(p7), [der]);
  assert.deepEqual(certificatesFromBody(Buffer.from('<html>not found</html>')), []);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { assert.ok(Array.isArray(certificatesFromBody(Buffer.from(b)))); }));
});

test('DER reader: property: random and truncated input throws only WireError, never loops', () => {
  const good = Buffer.from(d(leaf.pem));
  const walk = (buf: Uint8Array, depth = 0): number => {
    const t = readTlv(buf, 0);
    let n = 1;
    if (t.constructed && depth < 20) for (const c of children(t)) n += walk(c.raw, depth + 1);
    return n;
  };
  assert.ok(walk(good) > 20);
  assert.equal(decodeOid(children(children(parseDer(good))[1])[0]), '1.2.840.10045.4.3.2');
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    try { walk(b); } catch (e) { assert.equal((e as Error).name, 'WireError'); }
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.nat(good.length), (cut) => {
    try { parseDer(good.subarray(0, cut)); if (cut !== good.length) assert.fail('truncated input accepted'); } catch (e) { assert.equal((e as Error).name, 'WireError'); }
  }));
});

test('chain: hostile chain of same-name CAs that cross-sign each other: path building stops (bounded search)', { timeout: 120_000 }, async () => {
  // Two keys a and b, one name "Loop CA"; certificates for key a signed by b and for key b
  // signed by a. Every a-certificate can issue every b-certificate and back: without a bound,
  // the number of paths explodes.
  const a0 = pki.f.make({ cn: 'Loop CA', ca: true, key: 'ec256' });
  const b0 = pki.f.make({ cn: 'Loop CA', ca: true, key: 'ec256', issuer: a0 });
  const dir = pki.f.dir;
  const ext = join(dir, 'loop.ext');
  writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nsubjectKeyIdentifier=hash\n');
  const cross = (key: string, signer: { cert: string; key: string }, serial: number) => {
    const csr = join(dir, `loop-${serial}.csr`), out = join(dir, `loop-${serial}.pem`);
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=Loop CA', '-out', csr], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', signer.cert, '-CAkey', signer.key, '-set_serial', String(serial), '-extfile', ext, '-out', out], { stdio: 'ignore' });
    return d(readFileSync(out, 'utf8'));
  };
  const copies: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) copies.push(cross(a0.key, b0, 7100 + i), cross(b0.key, a0, 7200 + i));
  const loopLeaf = pki.f.make({ cn: 'loop.test', san: 'DNS:loop.test', key: 'ec256', issuer: b0 });
  const t = await analyseTrust({ chain: [d(loopLeaf.pem), ...copies], host: 'loop.test', stores: [pki.systemStore] });
  assert.equal(t.trusted, false);
  assert.ok(t.path.length >= 2 && t.path.length <= 11, String(t.path.length));
  assert.ok(t.path.slice(1).every((c) => c.info.subject === 'CN=Loop CA'));
});

test('chain: a certificate signed by a leaf (cA=FALSE) does not chain through it', async () => {
  const child = pki.f.make({ cn: 'child.test', san: 'DNS:child.test', key: 'ec256', issuer: leaf });
  const t = await analyseTrust({ chain: [d(child.pem), d(leaf.pem), d(pki.int.pem)], host: 'child.test', stores: [pki.systemStore] });
  assert.equal(t.trusted, false);
  assert.equal(t.path.length, 1);
});
