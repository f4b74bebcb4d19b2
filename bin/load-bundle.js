import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs the CLI bundle (dist/cli/tlsdoctor.cjs, one CommonJS script made by
 * scripts/bundle-cli.mjs) with V8's code cache of it (tlsdoctor.cjs.cache,
 * made by the same script after a warm-up run): V8 then neither parses the
 * bundle nor compiles the functions the cache holds. Without a cache, or with
 * one V8 rejects (another Node.js version, other V8 flags), the script is
 * compiled as any other and runs the same.
 *
 * The build's warm-up (scripts/code-cache.mjs) loads the bundle through this
 * same function: the wrapper and the file name must be the same for V8 to
 * take the cache.
 *
 * @param {string} file absolute path of the bundle
 * @returns {{ exports: { main: (argv: string[], ctx?: object) => Promise<number> }, script: Script, cache: 'used' | 'rejected' | 'none' }}
 */
export function loadBundle(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache (not built yet, or removed): compile.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
}
