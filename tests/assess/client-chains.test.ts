/**
 * A real node:tls server that leaves out its intermediate, whose leaf names a loopback HTTP
 * server as its AIA "CA Issuers" URL: with the download (--fetch-intermediates) the simulated
 * clients that do not fetch issuers fail with their own error, those that do connect; without it
 * nothing is claimed (the missing issuer could be a private root the clients hold).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makePki, serve, serveIssuer } from '../support/pki.js';
import { pemToDers } from '../../src/x509/cert.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assessScan } from '../../src/assess/scan.js';
import { CLIENT_PROFILES, clientProfileById } from '../../src/registry/clients/index.js';
import { issuerFetchOf } from '../../src/registry/issuer-fetch.js';

const pki = makePki('Missing Int');
const web = await serveIssuer(pemToDers(pki.int.pem)[0]!);
after(() => web.close());
const url = web.url;

const IDS = ['java-17', 'python-3.11', 'node-20', 'go-1.22', 'android-10', 'dotnet-4.7-win10', 'chrome-current', 'firefox-current'];
const PROFILES = IDS.map((id) => clientProfileById(id)!);
const ep = (port: number) => ({ host: 'localhost', port, address: '127.0.0.1', sni: 'localhost' });

test('every client profile says what it does about a missing intermediate, with a source', () => {
  for (const p of CLIENT_PROFILES) {
    const f = issuerFetchOf(p);
    assert.ok(['aia', 'preloaded', 'none'].includes(f.fetch), p.id);
    assert.match(f.source.url, /^https:\/\//, p.id);
    assert.ok(f.error.length > 0, p.id);
  }
  assert.equal(issuerFetchOf(clientProfileById('firefox-current')!).fetch, 'preloaded');
  assert.equal(issuerFetchOf(clientProfileById('java-17')!).fetch, 'none');
});

test('leaf sent without its intermediate: with the AIA download, Java, Python, Node.js, Go and Android fail with their own errors; .NET, Chrome and Firefox connect', async () => {
  const leaf = pki.leaf({ cn: 'localhost', extra: [`authorityInfoAccess=caIssuers;URI:${url}`] });
  const s = await serve(pki, leaf, []);
  try {
    const scanned = await scanEndpoint(ep(s.port), { timeoutMs: 4000, clients: PROFILES, http: false });
    assert.deepEqual(scanned.clients!.filter((c) => !c.ok).map((c) => c.id), [], JSON.stringify(scanned.clients));

    // Without the download: an issuer that is neither sent nor known could be a private root; nothing is claimed.
    const plain = await assessScan(scanned, { stores: [pki.systemStore] });
    assert.equal(web.hits, 0);
    assert.ok(plain.result.clients!.every((c) => c.ok));

    const { result, trust } = await assessScan(scanned, { stores: [pki.systemStore], fetchIntermediates: true });
    assert.equal(web.hits, 1);
    assert.ok(trust?.trusted && trust.completedByAia);
    const byId = new Map(result.clients!.map((c) => [c.id, c]));
    const failing = IDS.filter((id) => !byId.get(id)!.ok);
    assert.deepEqual(failing, ['java-17', 'python-3.11', 'node-20', 'go-1.22', 'android-10']);
    assert.match(byId.get('java-17')!.reason!, /^the server does not send the intermediate CN=Missing Int Issuing CA 1 and Java 17 does not fetch it: .*PKIX path building failed/);
    assert.match(byId.get('java-17')!.remediation!, /-Dcom\.sun\.security\.enableAIAcaIssuers=true/);
    assert.match(byId.get('python-3.11')!.reason!, /unable to get local issuer certificate/);
    assert.match(byId.get('node-20')!.reason!, /unable to verify the first certificate/);
    assert.match(byId.get('go-1.22')!.reason!, /x509: certificate signed by unknown authority/);
    assert.match(byId.get('android-10')!.reason!, /Trust anchor for certification path not found/);
    assert.match(byId.get('dotnet-4.7-win10')!.reason!, new RegExp(`fetches the missing intermediate from ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(byId.get('dotnet-4.7-win10')!.reason!, /a host without outbound internet access, as many servers are, cannot, and fails/);
    assert.match(byId.get('firefox-current')!.reason!, /carries the public intermediates/);
    assert.equal(byId.get('chrome-current')!.ok, true);
    const f = result.findings.find((x) => x.id === 'certificate.incomplete-chain')!;
    assert.deepEqual(f.evidence!.clientsFailing, failing);
    assert.deepEqual(f.evidence!.clientsFetching, ['dotnet-4.7-win10', 'chrome-current', 'firefox-current']);
    assert.match(f.detail, /Among the simulated clients: Java 17, .* fail; .* fetch it and connect$/);
  } finally {
    await s.stop();
  }
});
