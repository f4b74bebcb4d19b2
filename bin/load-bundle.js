'use strict';
// CommonJS, as is all of bin/ (bin/package.json): Node.js starts a CommonJS entry point about
// 10 ms sooner than an ES module one, whose loader it must set up first.
const { existsSync, readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * Runs the CLI bundle (dist/cli/tlsdoctor.cjs, one CommonJS script made by
 * scripts/bundle-cli.mjs) with a V8 code cache of it (dist/cli/cache/*.cache,
 * made by scripts/code-cache.mjs after a warm-up run of each command): V8 then
 * neither parses the bundle nor compiles the functions the cache holds.
 * Without a cache, or with one V8 rejects (another Node.js version, other V8
 * flags), the script is compiled as any other and runs the same.
 *
 * The build's warm-up loads the bundle through this same function: the wrapper
 * and the file name must be the same for V8 to take the cache.
 *
 * @param {string} file absolute path of the bundle
 * @param {string} [cacheFile] absolute path of the code cache to use
 * @returns {{ exports: { main: (argv: string[], ctx?: object) => Promise<number> }, script: Script, cache: 'used' | 'rejected' | 'none' }}
 */
function loadBundle(file, cacheFile) {
  // The build checks that the bundle is ASCII (esbuild escapes the rest): read so, it is a
  // one-byte string with no UTF-8 decoding (about 10 ms less for its 1.3 MB here).
  const source = readFileSync(file, 'latin1');
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache (not built yet, or removed): compile.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
}

/**
 * The code cache for a command line: the one made by a warm-up of its
 * command (a cache holds what that run compiled, and V8 reads all of it at
 * start, so each command gets its own, and `--version` a small one); the
 * help one for `--help` or `help`; else the base one (no command, an
 * unknown word).
 *
 * @param {string} bundleFile absolute path of the bundle
 * @param {string[]} args the command line after `node tlsdoctor`
 */
function cacheFor(bundleFile, args) {
  const name = args.find((a) => !a.startsWith('-'));
  const dir = join(dirname(bundleFile), 'cache');
  const wanted = name ?? (args.some((a) => a === '-h' || a === '--help') ? 'help' : 'base');
  const own = /^[a-z][a-z-]*$/.test(wanted) ? join(dir, `${wanted}.cache`) : undefined;
  return own && existsSync(own) ? own : join(dir, 'base.cache');
}

module.exports = { loadBundle, cacheFor };
