/**
 * Finite-field DHE groups of TLS <= 1.2 servers: the prime named when it is a published one
 * (wire/dh-groups.ts), and the ffdhe groups a server negotiates by supported_groups (RFC 7919),
 * against real servers: gnutls-serv negotiates (each answer checked with gnutls-cli, the server's
 * own library), OpenSSL 3.0 (s_server, nginx) keeps fixed parameters whatever the client names.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startGnuTLSServer, startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import type { ScanResult } from '../../src/scan/types.js';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/scan-result.schema.json', import.meta.url), 'utf8')));

const f = new CertFactory();
let rsa: CertFiles;
before(() => { rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' }); });

const scan = (port: number): Promise<ScanResult> =>
  scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000 });
const groups12 = (r: ScanResult) => r.groups.filter((g) => g.versions.includes('TLSv1.2')).map((g) => g.name);
const dheOf = (r: ScanResult) => r.protocols.flatMap((p) => p.cipherSuites.filter((c) => c.kx === 'DHE').map((c) => ({ version: p.version, ...c })));

/** gnutls-cli's report of one handshake (stdin /dev/null: it ends once connected). */
function gnutlsCli(port: number, priority: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('gnutls-cli', ['--insecure', '--port', String(port), '127.0.0.1', '--priority', priority], { timeout: 10_000 }, (_err, stdout) => resolve(String(stdout)))
      .stdin?.end();
  });
}

/** A DHParameter PEM (SEQUENCE { INTEGER p, INTEGER 2 }) for a prime. */
function dhParamsPem(p: Buffer): string {
  const int = (b: Buffer) => { const v = b[0]! & 0x80 ? Buffer.concat([Buffer.of(0), b]) : b; return Buffer.concat([Buffer.of(0x02), len(v.length), v]); };
  const len = (n: number) => (n < 128 ? Buffer.of(n) : n < 256 ? Buffer.of(0x81, n) : Buffer.of(0x82, n >> 8, n & 0xff));
  const body = Buffer.concat([int(p), int(Buffer.of(2))]);
  const der = Buffer.concat([Buffer.of(0x30), len(body.length), body]);
  return `-----BEGIN DH PARAMETERS-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END DH PARAMETERS-----\n`;
}

test('gnutls-serv with ffdhe3072 and ffdhe4096: both listed for TLS 1.2, as gnutls-cli connects with each group alone', async () => {
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NORMAL:-VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-FFDHE3072:+GROUP-FFDHE4096' });
  try {
    const r = await scan(s.port);
    // Asynchronously: gnutls-serv writes to a pipe this process reads, which a blocked event loop would leave full.
    const names = ['FFDHE2048', 'FFDHE3072', 'FFDHE4096', 'FFDHE6144', 'FFDHE8192'];
    const connects = await Promise.all(names.map((g) => gnutlsCli(s.port, `NORMAL:-VERS-TLS1.3:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-${g}`)));
    const theirs = names.filter((g, i) => connects[i]!.includes(`(DHE-${g})`)).map((g) => g.toLowerCase());
    assert.deepEqual(theirs, ['ffdhe3072', 'ffdhe4096'], 'gnutls-cli: the configuration');
    assert.ok(validate(r), JSON.stringify(validate.errors));
    assert.deepEqual(groups12(r), ['secp256r1', 'ffdhe3072', 'ffdhe4096']);
    // To a hello that names no ffdhe group (ours name the EC curves), the server's first ffdhe group.
    const dhe = dheOf(r);
    assert.ok(dhe.length > 0 && dhe.every((c) => c.dhBits === 3072 && c.dhGroup === 'ffdhe3072'), JSON.stringify(dhe));
    assert.deepEqual(r.errors, []);
    const weak = assess(r, { host: 'localhost' }).findings.find((x) => x.id === 'cipher.weak-dh');
    assert.equal(weak, undefined);
  } finally { await s.stop(); }
});

test('openssl s_server with the 1024-bit RFC 2409 prime: named modp1024, no ffdhe group for TLS 1.2 (fixed parameters), weak-dh high with Logjam', async () => {
  const pem = join(f.dir, 'oakley2.pem');
  writeFileSync(pem, dhParamsPem(getDiffieHellman('modp2').getPrime()));
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', '-dhparam', pem] });
  try {
    const r = await scan(s.port);
    const dhe = dheOf(r);
    assert.deepEqual(dhe.map((c) => [c.name, c.dhBits, c.dhGroup]), [['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 1024, 'modp1024']]);
    assert.ok(!groups12(r).some((g) => g.startsWith('ffdhe')), JSON.stringify(r.groups));
    assert.ok(groups12(r).includes('x25519'));
    const weak = assess(r, { host: 'localhost' }).findings.find((x) => x.id === 'cipher.weak-dh');
    assert.equal(weak?.severity, 'high');
    assert.match(weak!.detail, /modp1024, a published one .*\(Logjam, CVE-2015-4000\)/);
    assert.deepEqual(weak!.evidence?.dhGroups, ['modp1024']);
    assert.ok(validate(r), JSON.stringify(validate.errors));
  } finally { await s.stop(); }
});

/** A 1024-bit DH prime of our own (openssl dhparam), made once. */
let own1024: string | undefined;
function ownPrime(): string {
  if (own1024) return own1024;
  const pem = join(f.dir, 'own1024.pem');
  const made = spawnSync('openssl', ['dhparam', '-out', pem, '1024'], { stdio: 'ignore' });
  assert.equal(made.status, 0);
  return (own1024 = pem);
}

test('gnutls-serv with DH parameters of its own (--dhparams): that prime for a client that names no ffdhe group, the ffdhe groups for one that does', async () => {
  const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority: 'NORMAL:-VERS-TLS1.3:%PROFILE_LOW', args: ['--dhparams', ownPrime()] });
  try {
    const r = await scan(s.port);
    const dhe = dheOf(r);
    assert.ok(dhe.length > 0 && dhe.every((c) => c.dhBits === 1024 && c.dhGroup === undefined), JSON.stringify(dhe));
    assert.ok(['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'].every((g) => groups12(r).includes(g)), JSON.stringify(r.groups));
    const out = await gnutlsCli(s.port, 'NORMAL:-VERS-TLS1.3:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE3072');
    assert.match(out, /\(DHE-FFDHE3072\)/, 'gnutls-cli naming ffdhe3072 alone gets it');
  } finally { await s.stop(); }
});

test('openssl s_server with a 1024-bit prime of its own (openssl dhparam): unnamed, weak-dh stays medium', async () => {
  const pem = ownPrime();
  const s = await startOpenSSLServer({ cert: rsa.cert, key: rsa.key, args: ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', '-dhparam', pem] });
  try {
    const r = await scan(s.port);
    const dhe = dheOf(r);
    assert.deepEqual(dhe.map((c) => [c.dhBits, c.dhGroup]), [[1024, undefined]]);
    const weak = assess(r, { host: 'localhost' }).findings.find((x) => x.id === 'cipher.weak-dh');
    assert.equal(weak?.severity, 'medium');
    assert.doesNotMatch(weak!.detail, /published/);
  } finally { await s.stop(); }
});

test('nginx with the ffdhe2048 parameters file: named ffdhe2048, fixed (one probe shows it), no ffdhe group for TLS 1.2', async () => {
  const pem = join(f.dir, 'ffdhe2048.pem');
  writeFileSync(pem, spawnSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048'], { encoding: 'utf8' }).stdout);
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', 'ssl_ciphers DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256;', `ssl_dhparam ${pem};`] });
  try {
    let probes: Record<string, number> = {};
    const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onStats: (p) => { probes = p; } });
    assert.deepEqual(dheOf(r).map((c) => [c.dhBits, c.dhGroup]), [[2048, 'ffdhe2048']]);
    assert.ok(!groups12(r).some((g) => g.startsWith('ffdhe')), JSON.stringify(r.groups));
    assert.equal(probes['groups:ffdhe'], 1);
    assert.equal(assess(r, { host: 'localhost' }).findings.find((x) => x.id === 'cipher.weak-dh'), undefined);
  } finally { await s.stop(); }
});
