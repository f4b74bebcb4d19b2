/**
 * The scan engine against Java's own TLS server (JSSE, the SunJSSE provider of the JDK that
 * tests/support/jsse-server.ts compiles a server for): what Tomcat, Jetty and Spring Boot speak.
 * The ground truth is what JSSE itself reports enabled (protocols, suites in its order, whether
 * it imposes that order); sslscan must agree on the suite sets. JSSE negotiates the RFC 7919
 * groups in TLS 1.2 (-Djdk.tls.namedGroups), has no TLS_FALLBACK_SCSV (it answers a fallback
 * hello; a TLS 1.3 client sees the downgrade marker instead) and takes client-initiated
 * renegotiation by default (jdk.tls.rejectClientInitiatedRenegotiation=false).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { CertFactory } from '../support/certs.js';
import { startJsseServer } from '../support/jsse-server.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { suiteByCode, suiteByName } from '../../src/registry/ciphers.js';
import type { ProtocolName, ScanResult } from '../../src/scan/types.js';

const cert = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const scan = (port: number): Promise<ScanResult> =>
  scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 5000, renegotiation: true });
const names = (r: ScanResult, v: ProtocolName) => r.protocols.find((p) => p.version === v)!.cipherSuites.map((s) => s.name);
const groups = (r: ScanResult, v: ProtocolName) => r.groups.filter((g) => g.versions.includes(v)).map((g) => g.name);

/** JSSE's enabled suites that an RSA (or ECDSA) key can serve at this version, in JSSE's order. */
function servable(suites: string[], v: 'TLSv1.2' | 'TLSv1.3', key: 'RSA' | 'ECDSA' = 'RSA'): string[] {
  return suites.filter((n) => {
    const s = suiteByName(n);
    if (!s || s.kx === 'SCSV') return false;
    if (v === 'TLSv1.3') return s.kx === 'any';
    if (key === 'ECDSA') return s.kx === 'ECDHE' && s.auth === 'ECDSA';
    return s.kx !== 'any' && (s.kx === 'RSA' || (['ECDHE', 'DHE'].includes(s.kx) && s.auth === 'RSA'));
  });
}

/** sslscan's accepted suites per version, as IANA names. */
function sslscanSuites(port: number): Promise<Map<string, string[]>> {
  return new Promise((resolve) => {
    execFile('sslscan', ['--no-colour', '--no-groups', '--no-heartbleed', '--no-renegotiation', '--no-compression', '--no-fallback', `127.0.0.1:${port}`], { timeout: 120_000 }, (_e, out) => {
      const m = new Map<string, string[]>();
      for (const line of String(out).split('\n')) {
        const x = line.match(/^(?:Preferred|Accepted)\s+(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)/);
        if (!x) continue;
        const s = suiteByName(x[2]!) ?? [...Array(0x10000).keys()].map((c) => suiteByCode(c)).find((c) => c?.openssl === x[2]);
        m.set(x[1]!, [...(m.get(x[1]!) ?? []), s?.iana ?? x[2]!]);
      }
      resolve(m);
    });
  });
}

test('JSSE (JDK defaults): versions, every suite in its order as JSSE reports it enabled, sslscan agrees; RFC 7919 groups in TLS 1.2; no SCSV but the downgrade marker; client renegotiation taken', async () => {
  const s = await startJsseServer({ cert: cert.cert, key: cert.key });
  const r = await scan(s.port);
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version).sort(), [...s.protocols].sort());
  assert.equal(s.serverOrder, true, 'JSSE servers impose their order by default');
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
    assert.deepEqual(names(r, v), servable(s.suites, v), v);
    assert.equal(r.protocols.find((p) => p.version === v)!.serverPreference, true, v);
  }
  const theirs = await sslscanSuites(s.port);
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) assert.deepEqual([...(theirs.get(v) ?? [])].sort(), [...names(r, v)].sort(), `sslscan, ${v}`);
  // The JDK's default named groups (jdk.tls.namedGroups unset): every ffdhe group is taken in TLS 1.2 too.
  for (const g of ['x25519', 'secp256r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192']) assert.ok(groups(r, 'TLSv1.2').includes(g), `${g}: ${JSON.stringify(r.groups)}`);
  assert.equal(r.features!.fallbackScsv, false);
  assert.equal(r.features!.downgradeSentinel, true);
  assert.equal(r.features!.clientRenegotiation, true);
  assert.equal(r.features!.kxReuse, false);
  assert.deepEqual(r.errors, []);
});

test('JSSE with its order off, four suites and -Djdk.tls.namedGroups=secp384r1,ffdhe3072,ffdhe4096: client order, exactly those suites and groups', async () => {
  const suites = ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'];
  // ephemeralDHKeySize 3072: the prime JSSE uses for a client that names no ffdhe group it has (our ordinary hellos) is then one of its groups.
  const s = await startJsseServer({ cert: cert.cert, key: cert.key, suites, serverOrder: false, properties: { 'jdk.tls.namedGroups': 'secp384r1,ffdhe3072,ffdhe4096', 'jdk.tls.ephemeralDHKeySize': '3072' } });
  assert.equal(s.serverOrder, false);
  const r = await scan(s.port);
  assert.deepEqual([...names(r, 'TLSv1.2')].sort(), servable(suites, 'TLSv1.2').sort());
  assert.deepEqual(names(r, 'TLSv1.3'), ['TLS_AES_128_GCM_SHA256']);
  assert.equal(r.protocols.find((p) => p.version === 'TLSv1.2')!.serverPreference, false);
  assert.deepEqual(groups(r, 'TLSv1.2'), ['secp384r1', 'ffdhe3072', 'ffdhe4096']);
  assert.deepEqual(groups(r, 'TLSv1.3'), ['secp384r1', 'ffdhe3072', 'ffdhe4096']);
  const dhe = r.protocols.flatMap((p) => p.cipherSuites).filter((c) => c.kx === 'DHE');
  assert.ok(dhe.length === 2 && dhe.every((c) => c.dhBits === 3072 && c.dhGroup === 'ffdhe3072'), JSON.stringify(dhe));
  assert.deepEqual(r.errors, []);
});

test('JSSE (JDK defaults) with an ECDSA P-256 key: its ECDHE-ECDSA suites in its order, sslscan agrees, no ChaCha20 prioritisation', async () => {
  const ec = new CertFactory().make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startJsseServer({ cert: ec.cert, key: ec.key });
  const r = await scan(s.port);
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
    assert.deepEqual(names(r, v), servable(s.suites, v, 'ECDSA'), v);
    assert.equal(r.protocols.find((p) => p.version === v)!.serverPreference, true, v);
    assert.notEqual(r.protocols.find((p) => p.version === v)!.prioritizesChaCha, true, v);
  }
  const theirs = await sslscanSuites(s.port);
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) assert.deepEqual([...(theirs.get(v) ?? [])].sort(), [...names(r, v)].sort(), `sslscan, ${v}`);
  assert.equal(r.certificates[0]!.keyType, 'EC');
  assert.deepEqual(r.errors, []);
});
