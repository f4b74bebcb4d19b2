/**
 * The scan engine against real servers started here (openssl s_server, nginx,
 * gnutls-serv, node:tls): reported protocols and per-protocol suite sets must
 * equal what each server is configured to accept, and the order must be the
 * server's when it imposes one.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startOpenSSLServer, startNginx, startGnuTLSServer, startNodeTLSServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { suiteByName } from '../../src/registry/ciphers.js';
import type { ProtocolName, ScanResult } from '../../src/scan/types.js';

let rsa: CertFiles, ecdsa: CertFiles, dhparam: string;
const f = new CertFactory();

before(() => {
  rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  ecdsa = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
  dhparam = join(f.dir, 'dh2048.pem');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dhparam]);
});

function codes(names: string[]): number[] {
  return names.map((n) => {
    const s = suiteByName(n);
    if (!s) throw new Error(`unknown suite name ${n}`);
    return s.code;
  });
}

function scan(port: number): Promise<ScanResult> {
  return scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000 });
}

function supported(r: ScanResult): ProtocolName[] {
  return r.protocols.filter((p) => p.supported).map((p) => p.version);
}
function suites(r: ScanResult, v: ProtocolName): number[] {
  return r.protocols.find((p) => p.version === v)!.cipherSuites.map((s) => s.id);
}
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

test('openssl s_server, TLS 1.3 only: exactly the configured 1.3 suites', async () => {
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_3', '-ciphersuites', 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256'] });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.3']);
  assert.deepEqual(sorted(suites(r, 'TLSv1.3')), codes(['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']).sort((a, b) => a - b));
  assert.ok(r.groups.some((g) => g.name === 'x25519' && g.versions.includes('TLSv1.3')), JSON.stringify(r.groups));
  assert.equal(r.certificates.length, 1, 'certificate read through a full TLS 1.3 handshake');
  assert.equal(r.certificates[0]!.subject.includes('localhost'), true);
  assert.deepEqual(r.errors, []);
});

test('nginx, TLS 1.2 + 1.3 with DHE and ECDHE, server order on: set and order as configured', async () => {
  const tls12 = ['ECDHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-SHA256'];
  const s = await startNginx({
    cert: rsa.cert, key: rsa.key,
    directives: ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_ciphers ${tls12.join(':')};`, 'ssl_prefer_server_ciphers on;', `ssl_dhparam ${dhparam};`, 'ssl_ecdh_curve X25519:secp384r1:prime256v1;'],
  });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.2', 'TLSv1.3']);
  const p12 = r.protocols.find((p) => p.version === 'TLSv1.2')!;
  assert.equal(p12.serverPreference, true);
  assert.deepEqual(suites(r, 'TLSv1.2'), codes(tls12));
  const dhe = p12.cipherSuites.filter((c) => c.kx === 'DHE');
  assert.ok(dhe.length === 2 && dhe.every((c) => c.dhBits === 2048 && c.dhGroup === 'ffdhe2048'), JSON.stringify(dhe));
  assert.deepEqual(sorted(suites(r, 'TLSv1.3')), codes(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']).sort((a, b) => a - b));
  const g12 = r.groups.filter((g) => g.versions.includes('TLSv1.2')).map((g) => g.name).sort();
  assert.deepEqual(g12, ['secp256r1', 'secp384r1', 'x25519']);
  assert.ok(r.certificates.length >= 1);
});

test('openssl s_server legacy TLS 1.0-1.2 with CBC suites, client order: every version, set, no server order', async () => {
  // Debian's OpenSSL 3 has no 3DES at all; the 3DES server below is GnuTLS.
  const list = ['ECDHE-RSA-AES128-SHA', 'AES128-SHA', 'AES256-SHA', 'CAMELLIA128-SHA'];
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-no_tls1_3', '-cipher', `${list.join(':')}:@SECLEVEL=0`] });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as ProtocolName[]) {
    assert.deepEqual(sorted(suites(r, v)), sorted(codes(list)), v);
    assert.equal(r.protocols.find((p) => p.version === v)!.serverPreference, false, v);
  }
});

test('gnutls-serv legacy TLS 1.0-1.2 with 3DES and CBC, server precedence: set and order in every version', async () => {
  const s = await startGnuTLSServer({
    cert: rsa.cert, key: rsa.key,
    priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+3DES-CBC:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE',
  });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  const order = codes(['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-DES-CBC3-SHA', 'AES128-SHA', 'DES-CBC3-SHA']);
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as ProtocolName[]) {
    assert.deepEqual(suites(r, v), order, v);
    assert.equal(r.protocols.find((p) => p.version === v)!.serverPreference, true, v);
  }
  const tdes = r.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.find((c) => c.openssl === 'DES-CBC3-SHA')!;
  assert.equal(tdes.strength, 'weak');
});

test('node:tls with an ECDSA certificate and server order: only ECDSA suites, in order', async () => {
  const order = ['ECDHE-ECDSA-AES256-SHA', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'];
  const s = await startNodeTLSServer({ key: ecdsa.keyPem, cert: ecdsa.pem, ciphers: order.join(':'), honorCipherOrder: true, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.2']);
  assert.deepEqual(suites(r, 'TLSv1.2'), codes(order));
  assert.equal(r.certificates[0]!.keyType, 'EC');
});

test('gnutls-serv with a TLS 1.2 priority string: set as configured', async () => {
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NONE:+VERS-TLS1.2:+ECDHE-RSA:+RSA:+AES-128-GCM:+AES-256-CBC:+AEAD:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL' });
  const r = await scan(s.port);
  assert.deepEqual(supported(r), ['TLSv1.2']);
  assert.deepEqual(sorted(suites(r, 'TLSv1.2')), sorted(codes(['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES256-SHA', 'AES256-SHA'])));
});

test('TLS 1.2 curves when the first choice tells nothing of them (found by a differential campaign against random s_server configurations, each checked with s_client -groups): anonymous ECDHE only; an ECDSA key behind an anonymous first choice; ECDHE only with the ECDSA key of two, behind static RSA', async () => {
  const base = ['-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.2', '-groups', 'X25519:P-256:P-384:P-521:X448'];
  const all = ['secp256r1', 'secp384r1', 'secp521r1', 'x25519', 'x448'];
  const cases: { cert: CertFiles; args: string[]; want: string[] }[] = [
    { cert: rsa, args: ['-cipher', 'AECDH-AES128-SHA:@SECLEVEL=0'], want: all },
    { cert: ecdsa, args: ['-cipher', 'ADH-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0'], want: all },
    // Server order: an ECDSA P-256 key can only go with a list that holds P-256, and the server
    // takes P-256 over P-384, P-521 and X448 then: no client gets those; X25519 it takes first.
    { cert: ecdsa, args: ['-cipher', 'ADH-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0', '-serverpref'], want: ['secp256r1', 'x25519'] },
    { cert: rsa, args: ['-dcert', ecdsa.cert, '-dkey', ecdsa.key, '-cipher', 'AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256'], want: all },
    // A P-256 key and no P-256 among the server's own groups, its order P-521 before X25519: X25519 is
    // seen only when offered with the certificate's curve alone (with P-521 in the list, P-521 wins).
    { cert: ecdsa, args: ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384:@SECLEVEL=0', '-serverpref', '-groups', 'ffdhe2048:P-521:X25519'], want: ['secp521r1', 'x25519'] },
  ];
  const results = await Promise.all(cases.map(async (c) => scan((await startOpenSSLServer({ cert: c.cert.cert, key: c.cert.key, args: [...(c.args.includes('-groups') ? base.slice(0, 4) : base), ...c.args] })).port)));
  results.forEach((r, i) => {
    assert.deepEqual(r.groups.map((g) => g.name).sort(), cases[i]!.want, cases[i]!.args.join(' '));
    assert.ok(r.groups.every((g) => g.versions.join() === 'TLSv1.2'));
    assert.deepEqual(r.errors, []);
  });
});

test('gnutls-serv with DHE suites and no DH parameters (internal_error when it picks one): the suites it can use are still found, the version still supported, and each broken suite named', async () => {
  // Found by a differential campaign against random gnutls-serv priority strings, each checked with gnutls-cli.
  const only = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NONE:+VERS-TLS1.2:+DHE-RSA:+RSA:+AES-128-CBC:+SHA1:+COMP-NULL:+SIGN-ALL:%SERVER_PRECEDENCE' });
  const a = await scan(only.port);
  assert.deepEqual(supported(a), ['TLSv1.2']);
  assert.deepEqual(suites(a, 'TLSv1.2'), codes(['TLS_RSA_WITH_AES_128_CBC_SHA']));
  assert.deepEqual(a.errors.map((e) => e.code), ['internal-error']);
  assert.match(a.errors[0]!.message, /internal_error when it picks TLS_DHE_RSA_WITH_AES_128_CBC_SHA/);
  const mixed = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NONE:+VERS-TLS1.2:+RSA:+ECDHE-RSA:+DHE-RSA:+AES-256-GCM:+AES-128-GCM:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-SECP256R1:%SERVER_PRECEDENCE' });
  const b = await scan(mixed.port);
  assert.deepEqual(suites(b, 'TLSv1.2'), codes(['TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']));
  assert.equal(b.protocols.find((p) => p.version === 'TLSv1.2')!.serverPreference, true);
  assert.deepEqual(b.errors.map((e) => e.code), ['internal-error', 'internal-error']);
  // Every full hello answered with internal_error (the server's pick among them is a DHE suite),
  // a short one with a suite: no hello intolerance, and its TLS 1.2 curve (found by a differential
  // campaign: the groups started before any version was known to be spoken, and found none).
  const allFull = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.0:+VERS-TLS1.3:+VERS-TLS1.1:+DHE-RSA:+ECDHE-RSA:+AES-128-CBC:+SHA1:+AEAD:+SHA384:+SHA256:+COMP-NULL:+SIGN-ALL:+GROUP-SECP256R1' });
  const c = await scan(allFull.port);
  assert.deepEqual(supported(c), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  assert.deepEqual([...suites(c, 'TLSv1.2')].sort(), codes(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256']).sort());
  assert.deepEqual(c.groups.map((g) => [g.name, g.versions]), [['secp256r1', ['TLSv1.2']]]);
  assert.ok(c.errors.length > 0 && c.errors.every((e) => e.code === 'internal-error'), JSON.stringify(c.errors));
  // The full hello met internal_error, the short one (without the AES-CCM-8 suites, the only ones
  // this server can use) a handshake_failure: TLS 1.2 is still found (found by a campaign: it was
  // reported absent).
  const ccm8 = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+DHE-RSA:+RSA:+AES-128-CCM-8:+CHACHA20-POLY1305:+AES-256-CCM-8:+AEAD:+SHA256:+SHA1:+COMP-NULL:+SIGN-ALL:%SERVER_PRECEDENCE' });
  const d = await scan(ccm8.port);
  assert.deepEqual(supported(d), ['TLSv1.2']);
  assert.deepEqual([...suites(d, 'TLSv1.2')].sort(), codes(['TLS_RSA_WITH_AES_128_CCM_8', 'TLS_RSA_WITH_AES_256_CCM_8']).sort());
  assert.ok(d.errors.every((e) => e.code === 'internal-error'), JSON.stringify(d.errors));
});

test('openssl s_server, client order, a static RSA suite first and ECDHE with the RSA key: the TLS 1.2 curves by elimination, in a few probes, not each of the 41 alone', async () => {
  // Round 1's hello lists the suites by code, so a server that follows the client takes AES128-SHA
  // (0x002f) first: no curve in that answer. One probe with only the ECDHE RSA suites shows the
  // server does ECDHE with its RSA key; from there any curve it has is taken with such a suite.
  // (Before: every curve alone, and the 38 refused again beside each of the three certificate
  // curves: 150 full handshakes against s_server with its defaults.)
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.2', '-cipher', 'AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256', '-groups', 'X25519:P-256:P-384'] });
  const purposes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => purposes.push(p.purpose) });
  assert.equal(suites(r, 'TLSv1.2')[0], 0x002f, 'the first choice is the static RSA suite');
  assert.deepEqual(sorted(suites(r, 'TLSv1.2')), sorted(codes(['AES128-SHA', 'ECDHE-RSA-AES128-GCM-SHA256'])));
  assert.deepEqual(r.groups.map((g) => g.name).sort(), ['secp256r1', 'secp384r1', 'x25519']);
  assert.ok(r.groups.every((g) => g.versions.join() === 'TLSv1.2'));
  const curveProbes = purposes.filter((p) => p === 'groups:classic').length;
  assert.ok(curveProbes <= 12, `${curveProbes} curve probes`);
  assert.deepEqual(r.errors, []);
});

test('openssl s_server with server order and an anonymous ECDHE suite first: the TLS 1.2 curves by elimination, in a few probes, not each of the 41 alone', async () => {
  // Found by a differential campaign through the latency proxy at 22 ms (seed 2101): no certificate
  // constrains the curve of an anonymous suite either, but only ECDHE with an RSA key was seen so;
  // this server was asked every curve alone and the 38 refused again beside each certificate curve
  // (155 full handshakes, 0.75 s scans).
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.2', '-cipher', 'AECDH-AES128-SHA:DHE-RSA-AES128-SHA256:@SECLEVEL=0', '-serverpref', '-groups', 'P-384:X448:P-521'] });
  const purposes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => purposes.push(p.purpose) });
  assert.deepEqual(suites(r, 'TLSv1.2'), codes(['AECDH-AES128-SHA', 'DHE-RSA-AES128-SHA256']), 'the anonymous suite first, in server order');
  assert.deepEqual(r.groups.map((g) => g.name).sort(), ['secp384r1', 'secp521r1', 'x448']);
  assert.ok(r.groups.every((g) => g.versions.join() === 'TLSv1.2'));
  const curveProbes = purposes.filter((p) => p === 'groups:classic').length;
  assert.ok(curveProbes <= 12, `${curveProbes} curve probes`);
  // The scan also shows the key reuse check its two handshakes with one curve.
  assert.equal(r.features?.kxReuse, false);
});

test('openssl s_server with only an ECDSA P-256 key, an anonymous DH suite first and X25519, P-256 and P-384: each curve asked beside the certificate\'s, and none alone once the server shows it holds the list to that curve', async () => {
  // Found by a differential campaign through the latency proxy at 22 ms (seed 2101): every curve was
  // asked alone first, which OpenSSL refuses when the certificate's curve is not in the list
  // (RFC 8422 §5.1): 83 curve probes.
  const s = await startOpenSSLServer({ cert: ecdsa.cert, key: ecdsa.key, args: ['-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.2', '-cipher', 'ADH-AES256-SHA:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0', '-groups', 'X25519:P-256:P-384'] });
  const purposes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => purposes.push(p.purpose) });
  assert.equal(suites(r, 'TLSv1.2')[0], codes(['ADH-AES256-SHA'])[0], 'the first choice is the anonymous DH suite (client order, by code)');
  assert.deepEqual(sorted(suites(r, 'TLSv1.2')), sorted(codes(['ADH-AES256-SHA', 'ECDHE-ECDSA-AES128-GCM-SHA256'])));
  assert.deepEqual(r.groups.map((g) => g.name).sort(), ['secp256r1', 'secp384r1', 'x25519']);
  const curveProbes = purposes.filter((p) => p === 'groups:classic').length;
  assert.ok(curveProbes <= 45, `${curveProbes} curve probes`);
});

test('openssl s_server with an RSA key and an ECDSA P-256 one, a static RSA suite first and only ECDSA suites for ECDHE, X25519 its one group: the probe of every curve shows the ECDSA leaf, and each curve is asked beside that leaf\'s curve alone', async () => {
  // Found by a differential campaign through the latency proxy at 22 ms (seed 2101): round 1's leaf
  // is the RSA one, so each curve refused alone was asked beside each of the three certificate
  // curves: 161 curve probes.
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-dcert', ecdsa.cert, '-dkey', ecdsa.key, '-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.2', '-cipher', 'CAMELLIA256-SHA256:ECDHE-ECDSA-AES256-SHA', '-serverpref', '-groups', 'X25519'] });
  const purposes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => purposes.push(p.purpose) });
  assert.deepEqual(suites(r, 'TLSv1.2'), codes(['CAMELLIA256-SHA256', 'ECDHE-ECDSA-AES256-SHA']));
  assert.deepEqual(r.groups.map((g) => [g.name, g.versions]), [['x25519', ['TLSv1.2']]]);
  const curveProbes = purposes.filter((p) => p === 'groups:classic').length;
  assert.ok(curveProbes <= 46, `${curveProbes} curve probes`);
});

test('nginx with an ECDSA P-256 key beside an RSA one, an RSA suite first and X25519, X448 and P-521 for ECDHE: every TLS 1.2 curve is found (each asked with one certificate curve at a time)', async () => {
  // Found by a differential campaign: offered with all three certificate curves, X25519 and X448
  // were answered with P-521, which the server prefers, and missed.
  const s = await startNginx({ cert: ecdsa.cert, key: ecdsa.key, directives: [
    'ssl_protocols TLSv1.2;', 'ssl_prefer_server_ciphers on;', `ssl_certificate ${rsa.cert};`, `ssl_certificate_key ${rsa.key};`,
    "ssl_ciphers 'AES256-CCM:ECDHE-ECDSA-AES256-GCM-SHA384';", 'ssl_ecdh_curve secp521r1:X448:X25519;',
  ] });
  const r = await scan(s.port);
  assert.deepEqual(suites(r, 'TLSv1.2'), codes(['TLS_RSA_WITH_AES_256_CCM', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']));
  assert.deepEqual(r.groups.map((g) => g.name).sort(), ['secp521r1', 'x25519', 'x448']);
  assert.ok(r.groups.every((g) => g.versions.join() === 'TLSv1.2'));
});

test('a first choice that needs no certificate (an anonymous suite): the chain is asked with the suites that need one, and a second key is found from it', async () => {
  // Found by a differential campaign: such a server was reported with no certificate at all.
  const { X509Certificate } = await import('node:crypto');
  const sha = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: [
    '-tls1_2', '-serverpref', '-cipher', 'ADH-AES128-SHA:AES128-SHA:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0', '-dcert', ecdsa.cert, '-dkey', ecdsa.key,
  ] });
  const r = await scan(s.port);
  assert.equal(suites(r, 'TLSv1.2')[0], codes(['TLS_DH_anon_WITH_AES_128_CBC_SHA'])[0]);
  assert.equal(r.certificates[0]?.sha256, sha(rsa.pem));
  assert.deepEqual(r.alternateChains?.map((a) => [a.auth, a.certificates[0]!.sha256]), [['ECDSA', sha(ecdsa.pem)]]);
});
