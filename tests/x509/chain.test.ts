/**
 * Chain analysis on chains as a server sends them (order, duplicates, extras,
 * root sent, wrong intermediate), with certificates made at test time. The
 * as-sent order cannot be observed through node:tls (Node reorders the chain),
 * so these feed the DER lists straight to the analyser, as the wire engine does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
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
