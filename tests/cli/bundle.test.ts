// The CLI bundle (dist/cli/tlsdoctor.cjs and its V8 code caches, made by `npm run build` from tsc's
// output with scripts/bundle-cli.mjs) is what bin/tlsdoctor.js runs (bin/load-bundle.js). These
// tests run the bundle as its own process and compare it with tsc's output run in-process
// (runCli): same answers, same exit codes, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRun } from '../support/cli.js';
import { closedPort, startOpenSSLServer } from '../support/servers.js';
import { CertFactory } from '../support/certs.js';
import { tempDir } from '../support/tmp.js';
import { COMMAND_LOADERS } from '../../src/cli/commands/index.js';

const root = new URL('../../../', import.meta.url);
const bundle = fileURLToPath(new URL('dist/cli/tlsdoctor.cjs', root));
const loader = new URL('bin/load-bundle.js', root).href;
const bin = fileURLToPath(new URL('bin/tlsdoctor.js', root));
const pkgVersion = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;

function run(argv: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The bundle's main() in a process of its own, loaded as bin/tlsdoctor.js loads it, whatever that would pick. */
function runBundle(args: string[]): Promise<CliRun> {
  const script = `import { cacheFor, loadBundle } from ${JSON.stringify(loader)};
const { exports } = loadBundle(${JSON.stringify(bundle)}, cacheFor(${JSON.stringify(bundle)}, process.argv.slice(1)));
exports.main(['node', 'tlsdoctor', ...process.argv.slice(1)]).then((c) => { process.exitCode = c; });`;
  return run(['--input-type=module', '-e', script, '--', ...args]);
}

const oneLine = (s: string) => s.trim().split('\n').length === 1 && !/\n\s+at /.test(s);

test('the bundle is built (npm run build), with a code cache per command that Node.js takes', async () => {
  assert.ok(existsSync(bundle), `${bundle} missing: run npm run build`);
  for (const name of ['base', 'help', ...Object.keys(COMMAND_LOADERS)]) {
    assert.ok(existsSync(join(dirname(bundle), 'cache', `${name}.cache`)), `${name}.cache missing: scripts/code-cache.mjs did not make it`);
  }
  // A process of its own, started as bin/tlsdoctor.js is (no flags): V8 checks its version and flags against the cache's.
  for (const [args, cache] of [[['scan', 'example.com'], 'scan'], [['--version'], 'base'], [['--help'], 'help'], [['help', 'pin'], 'help'], [['pinning', 'validate'], 'pinning'], [['no-such-command'], 'base'], [['../x'], 'base']] as const) {
    const r = await run(['--input-type=module', '-e', `import { cacheFor, loadBundle } from ${JSON.stringify(loader)};
const file = ${JSON.stringify(bundle)}, cache = cacheFor(file, ${JSON.stringify(args)});
console.log(cache.slice(cache.lastIndexOf('/') + 1), loadBundle(file, cache).cache);`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${cache}.cache used\n`, `${args.join(' ')}: another cache, or V8 rejected it`);
  }
});

test('the bundle loader: a script without a cache, or with one V8 rejects, is compiled and runs the same', async () => {
  const dir = tempDir('tlsdoctor-load-bundle-');
  const file = join(dir, 'b.cjs');
  writeFileSync(file, 'exports.main = async (argv) => argv.length + (typeof require).length;\n');
  const { loadBundle } = await import(loader) as { loadBundle: (f: string, cache?: string) => { exports: { main: (a: string[]) => Promise<number> }; cache: string } };
  const none = loadBundle(file, `${file}.cache`);
  assert.equal(none.cache, 'none');
  assert.equal(await none.exports.main(['a', 'b']), 2 + 'function'.length);
  // Another script (V8 keeps what it compiled in this process, and would not look at a cache for the same one).
  const other = join(dir, 'c.cjs');
  writeFileSync(other, 'exports.main = async (argv) => argv.length + (typeof require).length; // c\n');
  writeFileSync(`${other}.cache`, Buffer.from('not a V8 code cache'));
  const rejected = loadBundle(other, `${other}.cache`);
  assert.equal(rejected.cache, 'rejected');
  assert.equal(await rejected.exports.main(['a']), 1 + 'function'.length);
});

test('bin/tlsdoctor.js: a bundle that does not load (a build cut short) is said in one line, and tsc\'s output runs instead', async () => {
  // A copy of the bin beside a broken bundle, with the real tsc output (dist/src) linked in.
  const dir = tempDir('tlsdoctor-broken-bundle-');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  for (const f of ['tlsdoctor.js', 'load-bundle.js', 'package.json']) copyFileSync(fileURLToPath(new URL(`bin/${f}`, root)), join(dir, 'bin', f));
  symlinkSync(fileURLToPath(new URL('dist/src', root)), join(dir, 'dist', 'src'));
  writeFileSync(join(dir, 'dist', 'cli', 'tlsdoctor.cjs'), readFileSync(bundle, 'latin1').slice(0, 100_000), 'latin1');
  const r = await run([join(dir, 'bin', 'tlsdoctor.js'), '--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${pkgVersion}\n`);
  assert.match(r.stderr, /tlsdoctor\.cjs did not load \(.+\); using tsc's output/);
  assert.ok(oneLine(r.stderr), r.stderr);
});

test('--version prints the version of package.json, from the bundle and from bin/tlsdoctor.js', async () => {
  for (const r of [await runBundle(['--version']), await run([bin, '--version']), await runBundle(['-V'])]) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${pkgVersion}\n`);
    assert.equal(r.stderr, '');
  }
});

test('help lists every command, and each command loads (<command> --help)', async () => {
  const help = await runBundle(['--help']);
  assert.equal(help.code, 0, help.stderr);
  const names = Object.keys(COMMAND_LOADERS);
  for (const name of names) assert.match(help.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${name} in help`);
  for (const name of names) {
    const r = await runBundle([name, '--help']);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: tlsdoctor ${name} `), name);
    assert.equal(r.stdout, (await runCli([name, '--help'])).stdout, `${name} --help: same text as tsc's output`);
  }
});

test('bad input exits 2 and an unreachable target 3, each with one line on stderr', async () => {
  const closed = await closedPort();
  const cases: [string[], number, RegExp][] = [
    [['scan', '--concurrency', 'lots', 'example.com'], 2, /whole number/],
    [['scan'], 2, /no target/],
    [['bogus'], 2, /unknown command 'bogus'/],
    [['scan', '--timeout', '1000', `127.0.0.1:${closed}`], 3, /cannot connect/],
  ];
  for (const [args, code, re] of cases) {
    const r = await runBundle(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.equal(r.stdout, '');
  }
});

test('scan --json from the bundle finds what tsc\'s output finds, certificate and trust analysis included', async () => {
  const f = new CertFactory();
  const c = f.make({ cn: 'localhost', key: 'rsa2048' });
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA'] });
  const args = ['scan', '--json', '--no-clients', `127.0.0.1:${s.port}`];
  const [b, t] = [await runBundle(args), await runCli(args)];
  assert.equal(b.code, t.code, b.stderr);
  assert.equal(b.stderr, '');
  const [rb, rt] = [JSON.parse(b.stdout), JSON.parse(t.stdout)];
  for (const key of ['tool', 'target', 'protocols', 'groups', 'certificates', 'findings', 'grade']) {
    assert.deepEqual(rb[key], rt[key], key);
  }
  assert.equal(rb.tool.version, pkgVersion);
  assert.equal(rb.certificates[0].subject, 'CN=localhost');
  assert.ok(rb.findings.some((x: { id: string }) => x.id.startsWith('certificate.')), 'the self-signed certificate is a finding');
});

test('pin from the bundle prints the pin tsc\'s output prints', async () => {
  const c = new CertFactory().make({ cn: 'pin.test', key: 'ec256' });
  const [b, t] = [await runBundle(['pin', c.cert]), await runCli(['pin', c.cert])];
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, t.stdout);
  assert.match(b.stdout, /sha256\/[A-Za-z0-9+/]{43}=/);
});
