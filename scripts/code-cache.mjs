#!/usr/bin/env node
// Makes V8's code cache of the CLI bundle: node scripts/code-cache.mjs dist/cli/tlsdoctor.cjs
// (scripts/bundle-cli.mjs runs it after bundling). The bundle is loaded as bin/tlsdoctor.js loads
// it (bin/load-bundle.js), then run on a warm-up: `tlsdoctor demo` (the main job: three local
// servers scanned, their chains analysed, the report rendered; loopback only, a second or two)
// and every command's --help. What V8 compiled meanwhile goes into FILE.cache, so that a later
// run compiles none of it. Output goes nowhere; a warm-up that fails still leaves the cache of
// what ran before it.
import { rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { loadBundle } from '../bin/load-bundle.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: code-cache.mjs BUNDLE\n');
  process.exit(2);
}
rmSync(`${file}.cache`, { force: true });
const { exports, script } = loadBundle(file);
const sink = () => new Writable({ write(_chunk, _encoding, done) { done(); } });
const runs = [['demo'], ...['scan', 'demo', 'diagnose', 'clients', 'client-test', 'client-hello', 'windows', 'pin', 'pinning'].map((c) => [c, '--help'])];
let failed = 0;
for (const args of runs) {
  try {
    const code = await exports.main(['node', 'tlsdoctor', ...args], { stdout: sink(), stderr: sink() });
    if (code !== 0) throw new Error(`exit code ${code}`);
  } catch (e) {
    failed++;
    process.stderr.write(`code-cache: warm-up \`tlsdoctor ${args.join(' ')}\` failed (${e instanceof Error ? e.message : String(e)}); the cache holds less\n`);
  }
}
const data = script.createCachedData();
writeFileSync(`${file}.cache`, data);
process.stdout.write(`code-cache: ${file}.cache, ${(data.length / 1024).toFixed(0)} kB (${runs.length - failed} of ${runs.length} warm-up runs)\n`);
process.exit(0);
