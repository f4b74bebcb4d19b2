/**
 * Expected pass/fail of every client profile, with the reason, against real
 * servers on loopback: TLS 1.2-only, TLS 1.0-only legacy, TLS 1.3-only,
 * ECDSA-only, CBC-only, plus a weak certificate, an SNI-dependent server and a
 * DHE-only server with a 2048-bit group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimServers, SIM_HOST } from '../support/sim-servers.js';
import { startOpenSSLServer } from '../support/servers.js';
import { CertFactory } from '../support/certs.js';
import { sendHello } from '../../src/net/probe.js';
import { simulateClients, toClientResults, type SimulatedClient } from '../../src/scan/simulate.js';
import { CLIENT_PROFILES } from '../../src/registry/clients/index.js';
import { pemToDers } from '../../src/x509/cert.js';

const servers = await startSimServers();
const ep = (port: number) => ({ host: SIM_HOST, port, address: '127.0.0.1', sni: SIM_HOST });

async function simulateAll(port: number, chain: Uint8Array[]): Promise<Map<string, SimulatedClient>> {
  const r = await simulateClients(ep(port), CLIENT_PROFILES, sendHello, { chain, timeoutMs: 5000 });
  assert.equal(r.length, CLIENT_PROFILES.length);
  return new Map(r.map((x) => [x.id, x]));
}

/** Asserts that exactly the listed profiles fail, each with a reason matching its pattern, and that all others pass. */
function expectOutcome(results: Map<string, SimulatedClient>, failing: Record<string, RegExp>, where: string): void {
  for (const [id, r] of results) {
    const want = failing[id];
    if (want) {
      assert.equal(r.ok, false, `${id} should fail on ${where}, got ${r.protocol} ${r.cipherSuite}`);
      assert.match(r.reason ?? '', want, `${id} on ${where}`);
      assert.ok(r.remediation && r.remediation.length > 20, `${id} on ${where} carries a remediation`);
    } else {
      assert.equal(r.ok, true, `${id} should pass on ${where}: ${r.reason}`);
      assert.ok(r.protocol && r.cipherSuite, `${id} on ${where} reports protocol and suite`);
      assert.equal(r.remediation, null);
    }
  }
  for (const id of Object.keys(failing)) assert.ok(results.has(id), `expectation for unknown profile ${id}`);
}

const TLS10_ONLY = ['dotnet-3.5', 'dotnet-4.0', 'dotnet-4.5', 'dotnet-4.7-win7', 'windows-7-schannel', 'java-6', 'java-7',
  'python-2.7.8', 'ruby-1.9.3', 'openssl-0.9.8', 'android-4.4'];
const NEEDS_TLS12 = ['dotnet-4.5-tls12', 'java-11', 'java-17', 'java-21', 'python-3.11', 'node-20', 'go-1.22', 'ios-9-ats',
  'chrome-current', 'firefox-current', 'safari-current'];
const NO_TLS13 = [...TLS10_ONLY, 'dotnet-4.5-tls12', 'dotnet-4.6', 'dotnet-4.7-win10', 'windows-10-schannel', 'java-8',
  'python-2.7.9', 'openssl-1.0.1', 'node-10', 'android-7', 'ios-9-ats'];
const all = (ids: string[], re: RegExp) => Object.fromEntries(ids.map((id) => [id, re]));

test('TLS 1.2-only server: the clients stuck at TLS 1.0 fail with "server requires TLSv1.2"', async () => {
  const r = await simulateAll(servers.tls12.server.port, servers.tls12.chain);
  expectOutcome(r, all(TLS10_ONLY, /^no common protocol: server requires TLSv1\.2, client offers at most TLSv1\.0$/), 'tls12');
  // The seed 000 case: .NET 4.5 defaults fail, its remediation carries the registry keys and the code change.
  const dn = r.get('dotnet-4.5')!;
  assert.match(dn.remediation!, /SecurityProtocolType\.Tls12/);
  assert.match(dn.remediation!, /SchUseStrongCrypto=1/);
  assert.match(dn.remediation!, /Wow6432Node\\Microsoft\\\.NETFramework\\v4\.0\.30319/);
  assert.match(dn.remediation!, /SCHANNEL\\Protocols\\TLS 1\.2\\Client: DisabledByDefault=0, Enabled=1/);
  assert.match(dn.remediation!, /tlsdoctor windows enable --tls12 --strong-crypto/);
  assert.match(r.get('dotnet-4.0')!.remediation!, /\(SecurityProtocolType\)3072/);
  assert.match(r.get('java-7')!.remediation!, /-Djdk\.tls\.client\.protocols=TLSv1\.2/);
  assert.match(r.get('openssl-0.9.8')!.remediation!, /OpenSSL 1\.0\.1 or later/);
  assert.match(r.get('android-4.4')!.remediation!, /setEnabledProtocols/);
  assert.match(r.get('android-4.4')!.remediation!, /ProviderInstaller/);
  // Passing clients report what they negotiated.
  assert.equal(r.get('java-8')!.protocol, 'TLSv1.2');
  assert.equal(r.get('dotnet-4.5-tls12')!.cipherSuite, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'Windows 7 order: ECDHE-RSA CBC-SHA384 first, no ECDHE-RSA-GCM');
  assert.equal(r.get('chrome-current')!.group, 'x25519');
  // The ScanResult form carries exactly the contract fields.
  const [first] = toClientResults([r.get('java-7')!]);
  assert.deepEqual(Object.keys(first!).sort(), ['cipherSuite', 'group', 'id', 'name', 'ok', 'protocol', 'reason', 'remediation']);
});

test('TLS 1.0-only legacy server: TLS 1.2+ clients fail, OpenSSL 3 refuses the MD5+SHA-1 signed key exchange', async () => {
  const r = await simulateAll(servers.tls10.server.port, servers.tls10.chain);
  expectOutcome(r, {
    ...all(NEEDS_TLS12, /^no common protocol: server (supports at most|answered with) TLSv1\.0, client requires TLSv1\.2 or later$/),
    'openssl-3.0': /TLSv1\.0 signs the ECDHE key exchange with MD5\+SHA-1/,
    'curl-7.88': /TLSv1\.0 signs the ECDHE key exchange with MD5\+SHA-1/,
  }, 'tls10');
  assert.equal(r.get('dotnet-4.5')!.protocol, 'TLSv1.0');
  assert.equal(r.get('java-6')!.cipherSuite, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'Java 6 SSLv2-compatible hello, RC4 not enabled on the server');
  assert.match(r.get('go-1.22')!.remediation!, /TLS 1\.2/);
});

test('TLS 1.3-only server: every client without TLS 1.3 fails with "server requires TLSv1.3"', async () => {
  const r = await simulateAll(servers.tls13.server.port, servers.tls13.chain);
  expectOutcome(r, all(NO_TLS13, /^no common protocol: server requires TLSv1\.3, client offers at most TLSv1\.[0-2]$/), 'tls13');
  assert.equal(r.get('java-17')!.cipherSuite, 'TLS_AES_256_GCM_SHA384');
  assert.equal(r.get('chrome-current')!.cipherSuite, 'TLS_AES_128_GCM_SHA256');
});

test('ECDSA-only server: clients without ECDSA suites fail with "no common cipher suite ... ECDSA certificate"', async () => {
  const r = await simulateAll(servers.ecdsa.server.port, servers.ecdsa.chain);
  expectOutcome(r, all(['java-6', 'python-2.7.8', 'ruby-1.9.3', 'openssl-0.9.8'],
    /^no common cipher suite at TLSv1\.0: .*the server has an ECDSA certificate and the client offers no ECDSA suite$/), 'ecdsa');
  assert.equal(r.get('java-7')!.cipherSuite, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA');
});

test('CBC-only server: Python 3.11 (no SHA-1 CBC suites) fails with "no common cipher suite"; TLS 1.0 clients on protocol', async () => {
  const r = await simulateAll(servers.cbc.server.port, servers.cbc.chain);
  expectOutcome(r, {
    ...all(TLS10_ONLY, /^no common protocol: server requires TLSv1\.2, client offers at most TLSv1\.0$/),
    'python-3.11': /^no common cipher suite at TLSv1\.2: client offers TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384.*server would pick e\.g\. TLS_.*CBC_SHA/,
  }, 'cbc');
  assert.match(r.get('python-3.11')!.remediation!, /set_ciphers/);
});

test('weak certificate (RSA 1024, SHA-1 signed): rejected by the clients whose limits it breaks', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'weak CA', ca: true, key: 'rsa2048' });
  const leaf = f.make({ cn: SIM_HOST, san: `DNS:${SIM_HOST}`, issuer: ca, key: 'rsa1024', digest: 'sha1' });
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: ca.cert, args: ['-tls1_2', '-cipher', 'DEFAULT@SECLEVEL=0'] });
  const chain = [...pemToDers(leaf.pem), ...pemToDers(ca.pem)].map((b) => new Uint8Array(b));
  const r = await simulateAll(s.port, chain);
  const keySize = /^the server certificate has a 1024-bit RSA key; .* requires at least 2048 bits$/;
  const sha1 = /^the server certificate is signed with SHA1; .* rejects SHA1 certificate signatures$/;
  expectOutcome(r, {
    ...all(TLS10_ONLY, /^no common protocol/),
    'python-3.11': keySize, 'ios-9-ats': keySize, 'safari-current': keySize,
    ...all(['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'node-20', 'go-1.22', 'android-7', 'android-10', 'chrome-current', 'firefox-current'], sha1),
  }, 'weak certificate');
  assert.equal(r.get('python-3.11')!.protocol, null);
  assert.match(r.get('ios-9-ats')!.remediation!, /SHA-256 and an RSA key of 2048\+ bits/);
});

test('SNI-dependent server: clients that send no SNI get the default certificate and fail with the SNI reason', async () => {
  const f = new CertFactory();
  const ca = f.make({ cn: 'sni CA', ca: true, key: 'rsa2048' });
  const fallback = f.make({ cn: 'default.test', san: 'DNS:default.test', issuer: ca, key: 'rsa2048' });
  const named = f.make({ cn: SIM_HOST, san: `DNS:${SIM_HOST}`, issuer: ca, key: 'rsa2048' });
  const s = await startOpenSSLServer({
    cert: fallback.cert, key: fallback.key, chain: ca.cert,
    args: ['-cipher', 'DEFAULT@SECLEVEL=0', '-servername', SIM_HOST, '-cert2', named.cert, '-key2', named.key],
  });
  const chain = [...pemToDers(named.pem), ...pemToDers(ca.pem)].map((b) => new Uint8Array(b));
  const r = await simulateAll(s.port, chain);
  const sni = /sends no SNI and without it the server presents a different certificate \(CN=default\.test\), not valid for server\.test$/;
  expectOutcome(r, {
    'java-6': sni, 'python-2.7.8': sni, 'openssl-0.9.8': sni,
  }, 'sni');
  assert.match(r.get('java-6')!.remediation!, /sends no SNI/);
});

test('DHE-only TLS 1.0 server with a 2048-bit group: Java 6/7 fail on the DH size, Java 8 passes', async () => {
  const f = new CertFactory();
  const leaf = f.make({ cn: SIM_HOST, san: `DNS:${SIM_HOST}`, key: 'rsa2048' });
  const s = await startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args: ['-tls1', '-cipher', 'DHE-RSA-AES128-SHA:@SECLEVEL=0'] });
  const r = await simulateAll(s.port, pemToDers(leaf.pem).map((b) => new Uint8Array(b)));
  for (const id of ['java-6', 'java-7']) {
    const x = r.get(id)!;
    assert.equal(x.ok, false, id);
    assert.match(x.reason!, /^server's DHE group is 2048 bits; Java [67] .* handles at most 1024-bit DH$/);
    assert.match(x.remediation!, /DHE groups above 1024 bits/);
  }
  assert.equal(r.get('java-8')!.ok, true);
  assert.equal(r.get('java-8')!.cipherSuite, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA');
  // Clients without that suite fail on the cipher, with the reason naming the server's pick.
  assert.match(r.get('android-7')!.reason!, /^no common cipher suite at TLSv1\.0: .*server would pick e\.g\. TLS_DHE_RSA_WITH_AES_128_CBC_SHA/);
});

test('TLS 1.3 server with only P-384: clients get there through a HelloRetryRequest and report the group', async () => {
  const r = await simulateAll(servers.hrr.server.port, servers.hrr.chain);
  expectOutcome(r, all(NO_TLS13, /^no common protocol: server requires TLSv1\.3/), 'hrr');
  for (const id of ['chrome-current', 'java-17', 'openssl-3.0', 'go-1.22']) {
    assert.equal(r.get(id)!.group, 'secp384r1', id);
    assert.equal(r.get(id)!.reason, 'negotiated (after a HelloRetryRequest)', id);
  }
});

test('TLS 1.3 server with only ffdhe2048: clients without finite-field groups fail with "no common group"', async () => {
  const r = await simulateAll(servers.ffdhe.server.port, servers.ffdhe.chain);
  const noGroup = /^no common group: client offers /;
  expectOutcome(r, {
    ...all(NO_TLS13, /^no common protocol: server requires TLSv1\.3/),
    ...all(['ruby-2.7', 'openssl-1.1.1', 'go-1.22', 'android-10', 'chrome-current', 'safari-current'], noGroup),
  }, 'ffdhe');
  assert.equal(r.get('java-17')!.group, 'ffdhe2048');
  assert.equal(r.get('firefox-current')!.group, 'ffdhe2048');
});

test('TLS 1.2 server without secure renegotiation (gnutls-serv): the OpenSSL 3 clients fail with "unsafe legacy renegotiation", with the client-side stopgap', async () => {
  const r = await simulateAll(servers.noreneg.server.port, servers.noreneg.chain);
  const noRi = /^the TLSv1\.2 ServerHello has no renegotiation_info \(RFC 5746\), and .+ refuses servers without secure renegotiation \("unsafe legacy renegotiation disabled"\)$/;
  expectOutcome(r, {
    ...all(TLS10_ONLY, /^no common protocol: server requires TLSv1\.2, client offers at most TLSv1\.0$/),
    ...all(['openssl-3.0', 'curl-7.88', 'python-3.11', 'node-20'], noRi),
  }, 'noreneg');
  assert.match(r.get('node-20')!.remediation!, /secureOptions: crypto\.constants\.SSL_OP_LEGACY_SERVER_CONNECT/);
  assert.match(r.get('python-3.11')!.remediation!, /OP_LEGACY_SERVER_CONNECT", 0x4/);
  assert.match(r.get('openssl-3.0')!.remediation!, /-legacy_server_connect/);
  assert.match(r.get('curl-7.88')!.remediation!, /UnsafeLegacyServerConnect/);
  assert.equal(r.get('java-17')!.protocol, 'TLSv1.2');
});
