/**
 * ChaCha20 prioritisation (src/scan/chacha.ts): a server with its own suite
 * order that gives a client listing a ChaCha20-Poly1305 suite first that
 * suite. Real servers: openssl s_server -prioritize_chacha and nginx with
 * `ssl_conf_command Options PrioritizeChaCha` (OpenSSL 3), the same without
 * it, and one that follows the client. What the scan says is checked against
 * what a real client gets (node:tls, which sends a ChaCha20 suite first when
 * told to).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { tempDir } from '../support/tmp.js';
import { startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { chachaNotFirst, isChaCha, refusedLead } from '../../src/scan/chacha.js';
import { suiteByCode, suitesForVersion } from '../../src/registry/ciphers.js';
import type { ScanResult } from '../../src/scan/types.js';

const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
const localhostCert = () => new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const at = (r: ScanResult, v: string) => {
  const p = r.protocols.find((x) => x.version === v)!;
  return { serverPreference: p.serverPreference, prioritizesChaCha: p.prioritizesChaCha, order: p.cipherSuites.map((c) => c.id) };
};

/** The suite a node:tls client gets when it offers `ciphers` in this order (OpenSSL names; TLS 1.3 ones included). */
function negotiated(port: number, ciphers: string, maxVersion: tls.SecureVersion): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ciphers, maxVersion, minVersion: maxVersion }, () => {
      const name = s.getCipher().standardName;
      s.destroy();
      resolve(name);
    });
    s.on('error', reject);
  });
}

const CHACHA_FIRST_12 = 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256';
const CHACHA_FIRST_13 = 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

test('openssl s_server -serverpref -prioritize_chacha with one AES-GCM and one ChaCha20 suite per version: server order (not client order), ChaCha20 prioritised, as a client that leads with ChaCha20 sees', async () => {
  const c = localhostCert();
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-serverpref', '-prioritize_chacha',
    '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305', '-ciphersuites', 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256'] });
  const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  // Offered both ways round, each pair answers as a client-order server would: only a hello led by
  // a suite the server refused tells them apart.
  assert.deepEqual(at(r, 'TLSv1.2'), { serverPreference: true, prioritizesChaCha: true, order: [0xc02f, 0xcca8] });
  assert.deepEqual(at(r, 'TLSv1.3'), { serverPreference: true, prioritizesChaCha: true, order: [0x1301, 0x1303] });
  assert.deepEqual(r.errors, []);
  assert.equal(await negotiated(s.port, CHACHA_FIRST_12, 'TLSv1.2'), 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
  assert.equal(await negotiated(s.port, CHACHA_FIRST_13, 'TLSv1.3'), 'TLS_CHACHA20_POLY1305_SHA256');
});

test('openssl s_server -serverpref without -prioritize_chacha: server order, ChaCha20 not prioritised; without -serverpref: client order, the question does not arise', async () => {
  const c = localhostCert();
  const suites = ['-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305', '-ciphersuites', 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256'];
  const ordered = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-serverpref', ...suites] });
  const r = await scanEndpoint(ep(ordered.port), { timeoutMs: 4000 });
  assert.deepEqual(at(r, 'TLSv1.2'), { serverPreference: true, prioritizesChaCha: false, order: [0xc02f, 0xcca8] });
  assert.deepEqual(at(r, 'TLSv1.3'), { serverPreference: true, prioritizesChaCha: false, order: [0x1301, 0x1303] });
  assert.equal(await negotiated(ordered.port, CHACHA_FIRST_12, 'TLSv1.2'), 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');

  const follows = await startOpenSSLServer({ cert: c.cert, key: c.key, args: suites });
  const f = await scanEndpoint(ep(follows.port), { timeoutMs: 4000 });
  for (const v of ['TLSv1.2', 'TLSv1.3']) {
    assert.equal(at(f, v).serverPreference, false, v);
    assert.equal(at(f, v).prioritizesChaCha, undefined, v);
  }
});

test('nginx, server order with two ChaCha20 suites below AES-GCM: the order as configured, and PrioritizeChaCha seen exactly when set', async () => {
  const c = localhostCert();
  const dhparam = join(tempDir('tlsdoctor-chacha-'), 'dh2048.pem');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dhparam]);
  const directives = (prioritize: boolean) => [
    'ssl_protocols TLSv1.2 TLSv1.3;',
    'ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA;',
    'ssl_prefer_server_ciphers on;',
    `ssl_dhparam ${dhparam};`,
    ...(prioritize ? ['ssl_conf_command Options PrioritizeChaCha;'] : []),
  ];
  const expected12 = [0xc030, 0xcca8, 0xc02f, 0xccaa, 0xc013];
  for (const prioritize of [true, false]) {
    const s = await startNginx({ cert: c.cert, key: c.key, directives: directives(prioritize) });
    const r = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
    assert.deepEqual(at(r, 'TLSv1.2'), { serverPreference: true, prioritizesChaCha: prioritize, order: expected12 }, `PrioritizeChaCha ${prioritize}`);
    // nginx leaves OpenSSL's TLS 1.3 order: AES-256-GCM, ChaCha20, AES-128-GCM.
    assert.deepEqual(at(r, 'TLSv1.3'), { serverPreference: true, prioritizesChaCha: prioritize, order: [0x1302, 0x1303, 0x1301] }, `PrioritizeChaCha ${prioritize}`);
    assert.equal(await negotiated(s.port, 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384', 'TLSv1.2'),
      prioritize ? 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' : 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    await s.stop();
  }
});

test('chachaNotFirst: an offer with a ChaCha20 suite is led by a well-known AES suite (AES-GCM first) when it has one, even behind codes a library skips; others unchanged', () => {
  const codes = [...suitesForVersion('TLSv1.2'), ...suitesForVersion('TLSv1.3')].map((s) => s.code);
  const chacha = codes.filter(isChaCha);
  assert.ok(chacha.includes(0xcca8) && chacha.includes(0x1303) && !chacha.includes(0xc02f));
  // An unknown-to-OpenSSL code first would leave ChaCha20 in front: the AES-GCM suite leads instead.
  assert.deepEqual(chachaNotFirst([0xff85, 0xcca8, 0xc013, 0xc02f]), [0xc02f, 0xff85, 0xcca8, 0xc013]);
  assert.deepEqual(chachaNotFirst([0xcca8, 0xc013]), [0xc013, 0xcca8]);
  assert.deepEqual(chachaNotFirst([0x1303, 0x1301]), [0x1301, 0x1303]);
  assert.deepEqual(chachaNotFirst([0xc02f, 0xcca8]), [0xc02f, 0xcca8]);
  assert.deepEqual(chachaNotFirst([0xcca8, 0xccaa]), [0xcca8, 0xccaa]);
  // Without an AES suite, at least not a ChaCha20 suite first (Camellia here).
  assert.deepEqual(chachaNotFirst([0xcca8, 0xc077]), [0xc077, 0xcca8]);
  assert.deepEqual(chachaNotFirst([0xc077, 0xcca8]), [0xc077, 0xcca8]);
  const gcm = (c: number) => /GCM$/.test(suiteByCode(c)!.cipher);
  fc.assert(fc.property(fc.uniqueArray(fc.oneof(fc.constantFrom(...chacha), fc.constantFrom(0xc02f, 0x1301, 0xc013), fc.constantFrom(...codes)), { maxLength: 12 }), (offer) => {
    const out = chachaNotFirst(offer);
    assert.deepEqual([...out].sort((a, b) => a - b), [...offer].sort((a, b) => a - b));
    if (!offer.some(isChaCha)) assert.deepEqual(out, offer);
    if (offer.some(isChaCha) && offer.some((x) => [0xc02f, 0x1301].includes(x))) assert.ok(!isChaCha(out[0]!) && gcm(out[0]!), out.map((x) => x.toString(16)).join(' '));
    // The first suite a library knows is never a ChaCha20 one while a known other is offered.
    const known = (c: number) => !!suiteByCode(c)?.openssl;
    if (out.some((x) => known(x) && !isChaCha(x))) assert.ok(!isChaCha(out.find(known)!), out.map((x) => x.toString(16)).join(' '));
    // Apart from the suite moved to the front, the offer keeps its order.
    assert.deepEqual(out.slice(1), offer.filter((x) => x !== out[0]));
  }));
});

test('refusedLead: a suite the libraries know and the server refused, AES-GCM first; none when every one is accepted', () => {
  assert.equal(refusedLead('TLSv1.2', [0xc02f, 0xcca8]), 0xc02b);
  assert.equal(refusedLead('TLSv1.2', [0xc02b, 0xc02f]), 0xc02c);
  assert.equal(refusedLead('TLSv1.3', [0x1301, 0x1303]), 0x1302);
  assert.equal(refusedLead('TLSv1.3', [0x1301, 0x1302, 0x1304]), undefined);
});
