#!/usr/bin/env node
// Bundles the CLI (tsc's output dist/src/cli/main.js and everything it imports,
// dependencies included) into dist/cli/: main.js plus one chunk per command, so
// that `tlsdoctor scan` still loads only the scan command's code. Run after tsc
// (`npm run build` does both). Why: loading ~90 small ES modules and the CommonJS
// packages under them (module resolution, the CJS export lexer, file reads)
// cost about 0.2 s of every run; one file per command costs a few ms.
// See docs/ARCHITECTURE.md, "How the CLI is built and loaded".
import { build } from 'esbuild';
import { rmSync, existsSync, readFileSync } from 'node:fs';
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
// esbuild hoists them into the chunk instead of wrapping CommonJS, which halves their load time.
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

await build({
  entryPoints: { main: entry },
  outdir,
  bundle: true,
  splitting: true, // the dynamic import() of each command becomes its own chunk
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Flat: src/x509/asn1.ts finds asn1.cjs beside whichever file holds it.
  chunkNames: '[name]-[hash]',
  // Loaded only by tests and optional features; never bundled.
  external: ['playwright-core'],
  plugins: [asn1EsmBuilds, lazyChildProcess],
  // src/x509/asn1.ts: load the ASN.1 packages from asn1.cjs (below), not from node_modules.
  define: { TLSDOCTOR_BUNDLE: 'true' },
  // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __tlsdoctorCreateRequire } from 'node:module';\nconst require = __tlsdoctorCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});

// dist/cli/asn1.cjs: the certificate and OCSP decoders (see src/x509/asn1.ts), a file of its own that
// only the commands that parse certificates load, with each package run on its first use.
await build({
  stdin: {
    contents: `module.exports = {
  schema: () => require('@peculiar/asn1-schema'),
  x509: () => require('@peculiar/asn1-x509'),
  rsa: () => require('@peculiar/asn1-rsa'),
  ecc: () => require('@peculiar/asn1-ecc'),
  ocsp: () => require('@peculiar/asn1-ocsp'),
};`,
    resolveDir: root,
    sourcefile: 'asn1-packages.cjs',
  },
  outfile: join(outdir, 'asn1.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [asn1EsmBuilds, lazyChildProcess],
  legalComments: 'none',
  logLevel: 'warning',
});
