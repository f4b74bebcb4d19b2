import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CertFactory } from '../support/certs.js';
import { startNodeTLSServer } from '../support/servers.js';
import { tempDir } from '../support/tmp.js';
import { parseConnectTo, parseTarget } from '../../src/pinning/live.js';
import { UsageError } from '../../src/util/errors.js';
import { opensslPinOfCert, opensslPinOfKey, runCli } from './support.js';

const f = new CertFactory();
const dir = tempDir('tlsdoctor-init-');
const root = f.make({ cn: 'Init Root', ca: true, key: 'rsa2048' });
const inter = f.make({ cn: 'Init Intermediate', ca: true, key: 'ec256', issuer: root });
const leaf = f.make({ cn: 'www.example.com', san: 'DNS:www.example.com,DNS:localhost', key: 'ec256', issuer: inter });
const srv = await startNodeTLSServer({ cert: leaf.pem + inter.pem, key: leaf.keyPem });

test('backup-key: a new key (0600), public key, CSR and pin; the pin equals the openssl pipe of the key and of the CSR', async () => {
  for (const key of ['ec256', 'rsa2048'] as const) {
    const out = join(dir, `keys-${key}`);
    const r = await runCli(['pinning', 'backup-key', '--out', out, '--key', key, '--name', 'www.example.com', '--name', 'api.example.com']);
    assert.equal(r.code, 0, r.err);
    const pin = r.out.split('\n')[0]!;
    assert.match(pin, /^sha256\/[A-Za-z0-9+/]{43}=$/);
    assert.equal(statSync(join(out, 'backup.key')).mode & 0o777, 0o600);
    assert.equal(`sha256/${opensslPinOfKey(join(out, 'backup.key'))}`, pin);
    assert.equal(readFileSync(join(out, 'backup.pin'), 'utf8'), `${pin}\n`);
    const csr = join(out, 'backup.csr');
    const text = execFileSync('openssl', ['req', '-in', csr, '-verify', '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(text, /Subject: CN\s*=\s*www\.example\.com/);
    assert.match(text, /DNS:www\.example\.com, DNS:api\.example\.com/);
    const csrPin = execFileSync('sh', ['-c', 'openssl req -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', 'sh', csr], { encoding: 'utf8' }).trim();
    assert.equal(`sha256/${csrPin}`, pin);
    // tlsdoctor pin reads the CSR to the same pin.
    assert.equal((await runCli(['pin', csr, '--format', 'sha256'])).out, `${pin}\n`);
    const again = await runCli(['pinning', 'backup-key', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.err, /exists; refusing to overwrite a key/);
  }
});

test('init: pinning.json from the live chain at the chosen level plus the backup key; it validates and checks', async () => {
  const keys = join(dir, 'init-keys');
  assert.equal((await runCli(['pinning', 'backup-key', '--out', keys])).code, 0);
  const backupPin = readFileSync(join(keys, 'backup.pin'), 'utf8').trim();
  const out = join(dir, 'pinning.json');
  const connect = ['--connect-to', `www.example.com=127.0.0.1:${srv.port}`, '--ca', root.cert];
  const r = await runCli(['pinning', 'init', 'www.example.com', '-o', out, '--backup', join(keys, 'backup.pub'), ...connect]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const written = JSON.parse(readFileSync(out, 'utf8')) as { hosts: Array<{ host: string; hashes: string[] }> };
  assert.deepEqual(written, { hosts: [{ host: 'www.example.com', hashes: [`sha256/${opensslPinOfCert(leaf.cert)}`, backupPin] }] });
  assert.equal((await runCli(['pinning', 'validate', out])).code, 0);
  const check = await runCli(['pinning', 'check', '--config', out, ...connect]);
  assert.equal(check.code, 0, check.out);
  assert.match(check.out, /www\.example\.com:443 {2}Success/);
  const plan = await runCli(['pinning', 'plan', out, ...connect, '--json']);
  assert.equal(plan.code, 0);
  assert.deepEqual((JSON.parse(plan.out) as { plans: Array<{ backupPins: string[] }> }).plans[0]!.backupPins, [backupPin.slice(7)]);

  const levelInter = await runCli(['pinning', 'init', 'www.example.com', '--level', 'intermediate', '--backup', backupPin, ...connect]);
  assert.deepEqual(JSON.parse(levelInter.out).hosts[0].hashes, [`sha256/${opensslPinOfCert(inter.cert)}`, backupPin]);
  const levelAll = await runCli(['pinning', 'init', 'www.example.com', '--level', 'all', ...connect]);
  assert.equal(levelAll.code, 0);
  assert.equal(JSON.parse(levelAll.out).hosts[0].hashes.length, 3, 'leaf, intermediate and the root of the verified chain');
  assert.match(levelAll.err, /no --backup given/);
});

test('init: refuses a single pin, an existing file and a missing level with one line', async () => {
  const connect = ['--connect-to', `www.example.com=127.0.0.1:${srv.port}`, '--ca', root.cert];
  const single = await runCli(['pinning', 'init', 'www.example.com', ...connect]);
  assert.equal(single.code, 2);
  assert.match(single.err, /only one pin; every host needs a backup pin: run `tlsdoctor pinning backup-key/);
  const out = join(dir, 'exists.json');
  const first = await runCli(['pinning', 'init', 'www.example.com', '-o', out, '--level', 'all', ...connect]);
  assert.equal(first.code, 0);
  const second = await runCli(['pinning', 'init', 'www.example.com', '-o', out, '--level', 'all', ...connect]);
  assert.equal(second.code, 2);
  assert.match(second.err, /exists \(use --force to overwrite\)/);
  // Without the trust anchor the chain is the one sent: leaf and intermediate, no root.
  const noRoot = await runCli(['pinning', 'init', `localhost:${srv.port}`, '--level', 'root', '--backup', join(dir, 'init-keys', 'backup.pub')]);
  assert.equal(noRoot.code, 2);
  assert.equal(noRoot.err, 'tlsdoctor: localhost: the live chain has no root certificate (the server sends leaf, intermediate); choose another --level\n');
  const gone = await runCli(['pinning', 'init', 'www.example.com', '--connect-to', 'www.example.com=127.0.0.1:1', '--backup', readFileSync(join(dir, 'init-keys', 'backup.pin'), 'utf8').trim()]);
  assert.equal(gone.code, 3);
});

test('property: targets and --connect-to values parse or fail with a UsageError', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.webUrl(), fc.tuple(fc.domain(), fc.integer({ min: 0, max: 70000 })).map(([d, p]) => `${d}:${p}`)), (s) => {
    try { const t = parseTarget(s); assert.ok(t.port >= 1 && t.port <= 65535 && t.host.length > 0); } catch (e) { if (!(e instanceof UsageError)) throw e; }
    try { parseConnectTo([s]); } catch (e) { if (!(e instanceof UsageError)) throw e; }
  }), { numRuns: 200 });
  assert.deepEqual(parseTarget('https://[::1]:8443/x'), { host: '::1', port: 8443, input: 'https://[::1]:8443/x' });
  assert.deepEqual(parseTarget('WWW.Example.com'), { host: 'www.example.com', port: 443, input: 'WWW.Example.com' });
  assert.throws(() => parseTarget('http://www.example.com'), /only https:\/\/ URLs/);
  assert.deepEqual([...parseConnectTo(['www.example.com=[::1]:8443'])], [['www.example.com', { address: '::1', port: 8443 }]]);
});
