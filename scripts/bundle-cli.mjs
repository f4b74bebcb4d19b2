#!/usr/bin/env node
// Bundles the CLI (tsc's output dist/src/cli/main.js and everything it imports,
// dependencies included) into one CommonJS script, dist/cli/tlsdoctor.cjs, then
// makes V8 code caches of it, one per command (scripts/code-cache.mjs:
// dist/cli/cache/). bin/tlsdoctor.js runs the script with its command's cache
// (bin/load-bundle.js), so that V8 neither parses the bundle nor compiles what
// that command ran in its warm-up. Run after tsc
// (`npm run build` does both). Why: loading ~90 small ES modules and the CommonJS
// packages under them cost about 0.2 s of every run; one ES module file per
// command still cost ~70 ms of parsing and compiling, which the code cache
// takes away. See docs/ARCHITECTURE.md, "How the CLI is built and loaded".
import { build } from 'esbuild';
import { rmSync, existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/src/cli/main.js');
const outdir = join(root, 'dist/cli');

if (!existsSync(entry)) {
  process.stderr.write(`bundle-cli: ${entry} missing: run tsc first (npm run build)\n`);
  process.exit(1);
}
rmSync(outdir, { recursive: true, force: true });

// The ES module builds ("module" in package.json) of the ASN.1 stack that decodes certificates:
// esbuild runs them as lazily initialised ES modules instead of wrapping CommonJS, which halves
// their load time.
// Only for these packages: for the rest (e.g. @peculiar/x509 and tsyringe, which must run after
// reflect-metadata) the CommonJS builds keep the evaluation order tsc's output has.
const ESM_BUILDS = /^(@peculiar\/asn1-[a-z0-9-]+|asn1js|pvtsutils|pvutils)$/;
const asn1EsmBuilds = {
  name: 'asn1-esm-builds',
  setup(b) {
    b.onResolve({ filter: ESM_BUILDS }, (args) => {
      const pkgJson = createRequire(join(args.resolveDir, 'x.js')).resolve(`${args.path}/package.json`);
      const { module } = JSON.parse(readFileSync(pkgJson, 'utf8'));
      return module ? { path: join(dirname(pkgJson), module) } : undefined;
    });
  },
};

// commander requires node:child_process at load time, for executable subcommands that tlsdoctor
// never has: about 4 ms of start-up (with dgram and the socket list it pulls in) before the first
// probe. commander gets a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      loader: 'js',
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
    }));
  },
};

const outfile = join(outdir, 'tlsdoctor.cjs');
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  // One script: the import() of each command and of the few modules loaded on demand become
  // functions that run that module's code on first call (esbuild's lazy module wrappers), so a
  // command still runs only its own modules' top-level code.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Loaded only by tests and optional features; never bundled.
  external: ['playwright-core'],
  plugins: [asn1EsmBuilds, lazyChildProcess],
  // src/x509/asn1.ts: the ASN.1 packages by literal require, which esbuild bundles. import.meta.url
  // (createRequire's base, util/version.ts's start) is the bundle's own file URL.
  define: { TLSDOCTOR_BUNDLE: 'true', 'import.meta.url': '__tlsdoctorModuleUrl' },
  banner: { js: "const __tlsdoctorModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // No comments and no indentation: bin/tlsdoctor.js reads the whole file at every start (1.7 ->
  // 1.3 MB; names are kept, so stack traces still name functions).
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// A script has no dynamic import() (bin/load-bundle.js runs it with vm.Script): every import()
// must have become a lazy module wrapper or, for playwright-core, a require. And the loader reads
// the bundle as Latin-1, which is right only for ASCII (esbuild's default charset escapes the
// rest in strings and names; comments, which could hold more, are gone).
const bundled = readFileSync(outfile);
const dynamicImport = /\bimport\(\s*["'`]/.exec(bundled.toString('latin1'));
if (dynamicImport) {
  process.stderr.write(`bundle-cli: ${outfile} still has a dynamic import() at offset ${dynamicImport.index}: load that module by require (src/util/builtins.ts)\n`);
  process.exit(1);
}
const nonAscii = bundled.findIndex((b) => b > 0x7f);
if (nonAscii >= 0) {
  process.stderr.write(`bundle-cli: ${outfile} has a byte over 0x7f at offset ${nonAscii}: bin/load-bundle.js reads it as ASCII\n`);
  process.exit(1);
}

// The code caches: warm-up runs of the bundle, each in a process of its own (Node's default flags,
// as bin/tlsdoctor.js runs it). Without them the CLI works, only slower to start.
const warm = spawnSync(process.execPath, [join(root, 'scripts/code-cache.mjs'), outfile], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
if (warm.status !== 0) process.stderr.write(`bundle-cli: no code caches made (exit ${warm.status ?? warm.signal}); the CLI works, with a slower start\n`);
