/**
 * A TLS 1.3-only server's chain, through the whole scan: reported exactly as
 * the server sends it (order, extra certificate, root), so the chain findings
 * (order / extra / root sent) can be made for TLS 1.3-only servers too.
 * node:tls alone would have reported a rebuilt chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { makePki } from '../support/pki.js';
import type { CertFiles } from '../support/certs.js';
import { startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { analyseTrust } from '../../src/x509/trust.js';
import { pemToDers } from '../../src/x509/cert.js';
import { certificateFindings } from '../../src/assess/certificate.js';

const pki = makePki('Scan13');
const leaf = pki.leaf({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
const other = pki.f.make({ cn: 'Scan13 unrelated', key: 'ec256' });

const sha = (c: CertFiles) => createHash('sha256').update(new X509Certificate(c.pem).raw).digest('hex');

test('TLS 1.3-only openssl s_server: certificates as sent (root, extra, intermediate out of order) and the chain findings', async () => {
  const chain = pki.f.bundle('scan13-chain.pem', pki.root, other, pki.int);
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain, args: ['-tls1_3'] });
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, skipGroups: true });

  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.3']);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.certificates.map((c) => c.sha256), [leaf, pki.root, other, pki.int].map(sha));
  assert.deepEqual(r.certificates.map((c) => c.index), [0, 1, 2, 3]);

  const trust = await analyseTrust({ chain: r.certificates.map((c) => pemToDers(c.pem)[0]!), host: 'localhost', stores: [pki.systemStore] });
  const ids = certificateFindings(trust).map((f) => f.id).sort();
  assert.deepEqual(ids, ['certificate.chain-extra', 'certificate.chain-order', 'certificate.root-sent']);
});
