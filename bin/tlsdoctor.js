#!/usr/bin/env node
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cacheFor, loadBundle } from './load-bundle.js';

// The CLI bundle made by `npm run build` (dist/cli/tlsdoctor.cjs and its code caches, see
// docs/ARCHITECTURE.md) starts several times faster than tsc's output, which it is built from.
// When tsc has run since the bundle was made (`npx tsc -p .` alone rewrites dist/src/), the
// bundle is stale: tsc's output is used.
const mtime = (rel) => { try { return statSync(new URL(rel, import.meta.url)).mtimeMs; } catch { return -1; } };
const bundled = mtime('../dist/cli/tlsdoctor.cjs');
const bundle = fileURLToPath(new URL('../dist/cli/tlsdoctor.cjs', import.meta.url));
let main;
if (bundled >= 0 && bundled >= mtime('../dist/src/cli/main.js')) {
  try {
    ({ main } = loadBundle(bundle, cacheFor(bundle, process.argv.slice(2))).exports);
  } catch (err) {
    // A bundle that does not load (a build cut short) is no reason to stop: tsc's output does the same work.
    process.stderr.write(`tlsdoctor: ${bundle} did not load (${err && err.message ? err.message : String(err)}); using tsc's output (npm run build remakes the bundle)\n`);
  }
}
main ??= (await import('../dist/src/cli/main.js')).main;

// A reader that goes away early (`tlsdoctor pin --help | head -1`) ends the output, not with a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Done: end now rather than let Node tear the whole heap down first (10-20 ms on a scan),
    // once what was written has been handed to the OS.
    let pending = 2;
    const end = () => { if (--pending === 0) process.exit(code); };
    process.stdout.write('', end);
    process.stderr.write('', end);
  },
  (err) => {
    // Last-resort guard: a bug must still end with one line and a non-zero code.
    process.stderr.write(`tlsdoctor: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
