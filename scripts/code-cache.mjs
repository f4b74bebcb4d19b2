#!/usr/bin/env node
// Makes V8's code caches of the CLI bundle: node scripts/code-cache.mjs dist/cli/tlsdoctor.cjs
// (scripts/bundle-cli.mjs runs it after bundling). V8 reads a whole cache when the script
// starts, so each command gets a cache of its own run (dist/cli/cache/NAME.cache; bin/
// load-bundle.js cacheFor picks it): a `--version` does not read the compiled scan engine.
// Each cache is made in a process of its own (Node's default flags, as bin/tlsdoctor.js runs
// it): the bundle is loaded as bin/tlsdoctor.js loads it, run on the warm-up below, and what V8
// compiled meanwhile is written out. Output goes nowhere; a warm-up that fails leaves a cache of
// what ran before it, and a missing cache only makes that command slower to start.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { loadBundle } from '../bin/load-bundle.js';
// tsc's output, which the bundle is made from: the command names (importing it loads no command).
import { COMMAND_LOADERS } from '../dist/src/cli/commands/index.js';

const COMMANDS = Object.keys(COMMAND_LOADERS);
/**
 * Each cache and its warm-up. scan: `tlsdoctor demo`, three local servers scanned, their chains
 * analysed and the report rendered (loopback only, a second or two): the scan's own code, which
 * demo uses too (it gets a copy). Base: no command (--version). Help: every command's help. The
 * rest: the command's --help, which runs its modules' top-level code.
 */
const WARM_UPS = {
  base: [['--version']],
  help: [['--help']],
  scan: [['demo']],
  ...Object.fromEntries(COMMANDS.filter((c) => c !== 'scan' && c !== 'demo').map((c) => [c, [[c, '--help']]])),
};
const COPIES = { demo: 'scan' };

const [bundleArg, one] = process.argv.slice(2);
if (!bundleArg) {
  process.stderr.write('usage: code-cache.mjs BUNDLE\n');
  process.exit(2);
}
const file = resolve(bundleArg);
const dir = join(dirname(file), 'cache');

if (one) {
  // One cache, in this process.
  const { exports, script } = loadBundle(file);
  const sink = () => new Writable({ write(_chunk, _encoding, done) { done(); } });
  for (const args of WARM_UPS[one]) {
    try {
      const code = await exports.main(['node', 'tlsdoctor', ...args], { stdout: sink(), stderr: sink() });
      if (code !== 0) throw new Error(`exit code ${code}`);
    } catch (e) {
      process.stderr.write(`code-cache: warm-up \`tlsdoctor ${args.join(' ')}\` failed (${e instanceof Error ? e.message : String(e)}); its cache holds less\n`);
    }
  }
  writeFileSync(join(dir, `${one}.cache`), script.createCachedData());
  process.exit(0);
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const self = fileURLToPath(import.meta.url);
const made = [];
for (const name of Object.keys(WARM_UPS)) {
  const r = spawnSync(process.execPath, [self, file, name], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
  if (r.status === 0) made.push(name);
  else process.stderr.write(`code-cache: no ${name} cache (exit ${r.status ?? r.signal}); that command starts slower\n`);
}
for (const [copy, of] of Object.entries(COPIES)) if (made.includes(of)) { copyFileSync(join(dir, `${of}.cache`), join(dir, `${copy}.cache`)); made.push(copy); }
process.stdout.write(`code-cache: ${made.length} caches in ${dir} (${made.join(', ')})\n`);
