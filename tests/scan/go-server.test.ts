/**
 * The scan engine against Go's crypto/tls server (tests/support/go-server.ts; Debian's Go 1.19).
 * Go picks by one of two orders of its own, by the client's first suite: AES-GCM first for a
 * client that leads with an ECDHE or TLS 1.3 AES-GCM suite (on a CPU with AES instructions),
 * ChaCha20 first otherwise (crypto/tls cipher_suites.go, Go 1.17+: cipherSuitesPreferenceOrder,
 * cipherSuitesPreferenceOrderNoAES, aesgcmPreferred). The scan reports the order mainstream
 * clients get, with "ChaCha20 first for a client that prefers it", and node:tls handshakes led
 * each way check both halves of that on the same server. sslscan must agree on the suite sets.
 * Go 1.19 also has no extended master secret (RFC 7627 came in Go 1.21): the scan must say so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import tls from 'node:tls';
import { CertFactory } from '../support/certs.js';
import { cpuHasAes, goVersion, startGoServer } from '../support/go-server.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { suiteByCode, suiteByName } from '../../src/registry/ciphers.js';
import type { ProtocolName, ScanResult } from '../../src/scan/types.js';

const cert = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
const scan = (port: number): Promise<ScanResult> => scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 5000 });
const proto = (r: ScanResult, v: ProtocolName) => r.protocols.find((p) => p.version === v)!;
const ids = (r: ScanResult, v: ProtocolName) => proto(r, v).cipherSuites.map((s) => s.id);
const code = (name: string) => suiteByName(name)!.code;

/** The suite a node:tls (OpenSSL) TLS 1.2 client gets, offering these OpenSSL names in this order. */
function negotiated(port: number, ciphers: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ciphers, maxVersion: 'TLSv1.2', rejectUnauthorized: false }, () => {
      const name = s.getCipher().standardName;
      s.destroy();
      resolve(code(name));
    });
    s.once('error', reject);
  });
}

/** sslscan's accepted suites at a version, as codes. */
function sslscanSet(port: number, version: string): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('sslscan', ['--no-colour', '--no-groups', '--no-heartbleed', '--no-renegotiation', '--no-compression', '--no-fallback', `127.0.0.1:${port}`], { timeout: 120_000 }, (_e, out) => {
      const names = [...String(out).matchAll(/^(?:Preferred|Accepted)\s+(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)/gm)].filter((m) => m[1] === version).map((m) => m[2]!);
      resolve(names.map((n) => suiteByName(n)?.code ?? [...Array(0x10000).keys()].find((c) => suiteByCode(c)?.openssl === n) ?? -1).sort((a, b) => a - b));
    });
  });
}

const AES_ORDER = [0xc02f, 0xc030, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0xc012, 0x000a];
const CHACHA_ORDER = [0xcca8, 0xc02f, 0xc030, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0xc012, 0x000a];

test('Go crypto/tls (its defaults): every version and suite, sslscan agrees; TLS 1.2 and 1.3 in the order an AES-GCM-first client gets, ChaCha20 first for a client that prefers it', async () => {
  const s = await startGoServer({ cert: cert.cert, key: cert.key });
  const r = await scan(s.port);
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
    assert.deepEqual([...ids(r, v)].sort((a, b) => a - b), await sslscanSet(s.port, v), `sslscan, ${v}`);
    assert.equal(proto(r, v).serverPreference, true, v);
  }
  assert.deepEqual(ids(r, 'TLSv1.0'), [0xc013, 0xc014, 0x002f, 0x0035, 0xc012, 0x000a]);
  // The two halves, from the server itself: a client that leads with AES-GCM gets AES-GCM, one that leads with ChaCha20 gets ChaCha20.
  const aesFirst = await negotiated(s.port, 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305');
  const chachaFirst = await negotiated(s.port, 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256');
  assert.equal(chachaFirst, 0xcca8);
  if (cpuHasAes()) {
    assert.equal(aesFirst, 0xc02f);
    assert.deepEqual(ids(r, 'TLSv1.2'), AES_ORDER);
    assert.equal(proto(r, 'TLSv1.2').prioritizesChaCha, true);
    assert.deepEqual(ids(r, 'TLSv1.3'), [0x1301, 0x1302, 0x1303]);
    assert.equal(proto(r, 'TLSv1.3').prioritizesChaCha, true);
  } else {
    // Without AES instructions Go always takes its ChaCha20-first order: nothing to prioritise.
    assert.equal(aesFirst, 0xcca8);
    assert.deepEqual(ids(r, 'TLSv1.2'), CHACHA_ORDER);
    assert.notEqual(proto(r, 'TLSv1.2').prioritizesChaCha, true);
  }
  // What the ServerHello and the checks show of Go: TLS_FALLBACK_SCSV honoured, no renegotiation
  // as a server, and the extended master secret (RFC 7627) only from Go 1.21 on (Debian 12 has 1.19).
  const [major, minor] = await goVersion();
  assert.equal(r.features!.extendedMasterSecret, major > 1 || minor >= 21);
  assert.equal(r.features!.fallbackScsv, true);
  assert.equal(r.features!.clientRenegotiation, false);
  assert.deepEqual(r.errors, []);
});

test('Go crypto/tls with three suites listed in an order it ignores, TLS 1.2 at most: exactly those, in Go\'s own order', async () => {
  const s = await startGoServer({ cert: cert.cert, key: cert.key, maxTls12: true, suites: ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] });
  const r = await scan(s.port);
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  assert.deepEqual(ids(r, 'TLSv1.2'), cpuHasAes() ? [0xc030, 0xcca8, 0x002f] : [0xcca8, 0xc030, 0x002f]);
  assert.deepEqual(ids(r, 'TLSv1.0'), [0x002f]);
  assert.deepEqual(r.errors, []);
});

test('Go crypto/tls (its defaults) with an ECDSA P-256 key: its ECDHE-ECDSA suites in Go\'s own order, sslscan agrees', async () => {
  const ec = new CertFactory().make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
  const s = await startGoServer({ cert: ec.cert, key: ec.key });
  const r = await scan(s.port);
  for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
    assert.deepEqual([...ids(r, v)].sort((a, b) => a - b), await sslscanSet(s.port, v), `sslscan, ${v}`);
  }
  assert.deepEqual(ids(r, 'TLSv1.2'), cpuHasAes() ? [0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a] : [0xcca9, 0xc02b, 0xc02c, 0xc009, 0xc00a]);
  assert.deepEqual(ids(r, 'TLSv1.0'), [0xc009, 0xc00a]);
  assert.equal(r.certificates[0]!.keyType, 'EC');
  assert.deepEqual(r.errors, []);
});
