#!/usr/bin/env node
'use strict';
// CommonJS, as is all of bin/ (bin/package.json): Node.js starts a CommonJS entry point about
// 10 ms sooner than an ES module one, whose loader it must set up first.
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { cacheFor, loadBundle } = require('./load-bundle.js');

// The CLI bundle made by `npm run build` (dist/cli/tlsdoctor.cjs and its code caches, see
// docs/ARCHITECTURE.md) starts several times faster than tsc's output, which it is built from.
// When tsc has run since the bundle was made (`npx tsc -p .` alone rewrites dist/src/), the
// bundle is stale: tsc's output is used.
const root = join(__dirname, '..');
const mtime = (rel) => { try { return statSync(join(root, rel)).mtimeMs; } catch { return -1; } };
const bundle = join(root, 'dist', 'cli', 'tlsdoctor.cjs');
const bundled = mtime('dist/cli/tlsdoctor.cjs');

/** The CLI's main(): the bundle's, else tsc's output (an ES module, loaded by import()). */
function loadMain() {
  if (bundled >= 0 && bundled >= mtime('dist/src/cli/main.js')) {
    try {
      return Promise.resolve(loadBundle(bundle, cacheFor(bundle, process.argv.slice(2))).exports.main);
    } catch (err) {
      // A bundle that does not load (a build cut short) is no reason to stop: tsc's output does the same work.
      process.stderr.write(`tlsdoctor: ${bundle} did not load (${err && err.message ? err.message : String(err)}); using tsc's output (npm run build remakes the bundle)\n`);
    }
  }
  return import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href).then((m) => m.main);
}

// A reader that goes away early (`tlsdoctor pin --help | head -1`) ends the output, not with a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

loadMain().then((main) => main(process.argv)).then(
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
