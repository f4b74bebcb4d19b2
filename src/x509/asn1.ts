/**
 * The @peculiar/asn1-* packages that decode certificates (cert.ts) and OCSP
 * responses (ocsp.ts), loaded on first use rather than when a module that
 * uses them is imported. They are the heaviest code on the scan path (about
 * 50 ms to load from node_modules) and a scan needs them only after its last
 * probe, so `tlsdoctor scan` loads them with `preloadAsn1()` while it waits for
 * the network instead of before its first probe.
 *
 * Where they come from:
 * - tsc's output (the library, the tests): Node's require, from node_modules.
 * - the CLI bundle (scripts/bundle-cli.mjs defines TLSDOCTOR_BUNDLE): the
 *   bundle itself. esbuild bundles the five packages (their ES module builds)
 *   behind these require calls, each run on its first call, and the bundle's
 *   code cache holds their compiled code (docs/ARCHITECTURE.md, "How the CLI
 *   is built and loaded").
 * Either way one source serves all five packages (their schemas must come
 * from the same @peculiar/asn1-schema).
 */
import { createRequire } from 'node:module';
import { stepByStep } from '../util/idle.js';
import type * as Schema from '@peculiar/asn1-schema';
import type * as X509 from '@peculiar/asn1-x509';
import type * as Rsa from '@peculiar/asn1-rsa';
import type * as Ecc from '@peculiar/asn1-ecc';
import type * as Ocsp from '@peculiar/asn1-ocsp';

/** Replaced by `true` in the CLI bundle (esbuild `define`); undeclared elsewhere. */
declare const TLSDOCTOR_BUNDLE: boolean | undefined;

/** Each package's module object, loaded when first called. */
export interface Asn1Packages {
  schema: () => typeof Schema;
  x509: () => typeof X509;
  rsa: () => typeof Rsa;
  ecc: () => typeof Ecc;
  ocsp: () => typeof Ocsp;
}

let packages: Asn1Packages | undefined;

function source(): Asn1Packages {
  if (!packages) {
    if (typeof TLSDOCTOR_BUNDLE !== 'undefined' && TLSDOCTOR_BUNDLE) {
      // Literal requires, which esbuild bundles (the bundle is CommonJS: `require` is its own).
      packages = {
        schema: () => require('@peculiar/asn1-schema') as typeof Schema,
        x509: () => require('@peculiar/asn1-x509') as typeof X509,
        rsa: () => require('@peculiar/asn1-rsa') as typeof Rsa,
        ecc: () => require('@peculiar/asn1-ecc') as typeof Ecc,
        ocsp: () => require('@peculiar/asn1-ocsp') as typeof Ocsp,
      };
    } else {
      const load = createRequire(import.meta.url);
      packages = {
        schema: () => load('@peculiar/asn1-schema'),
        x509: () => load('@peculiar/asn1-x509'),
        rsa: () => load('@peculiar/asn1-rsa'),
        ecc: () => load('@peculiar/asn1-ecc'),
        ocsp: () => load('@peculiar/asn1-ocsp'),
      };
    }
  }
  return packages;
}

let schema: typeof Schema | undefined;
let x509: typeof X509 | undefined;
let rsa: typeof Rsa | undefined;
let ecc: typeof Ecc | undefined;
let ocsp: typeof Ocsp | undefined;

export function asn1Schema(): typeof Schema { return (schema ??= source().schema()); }
export function asn1X509(): typeof X509 { return (x509 ??= source().x509()); }
export function asn1Rsa(): typeof Rsa { return (rsa ??= source().rsa()); }
export function asn1Ecc(): typeof Ecc { return (ecc ??= source().ecc()); }
export function asn1Ocsp(): typeof Ocsp { return (ocsp ??= source().ocsp()); }

/**
 * Loads what certificate parsing needs, one step per turn of the event loop
 * (each blocks it for a few ms), so that network events waiting in between
 * are handled. Resolves when all are loaded. Never rejects: a package that
 * fails to load fails again, with its error, at first real use.
 * @peculiar/asn1-rsa is left to its first use: certificate parsing needs it
 * only for RSASSA-PSS parameters (cert.ts pssHash), which few chains have,
 * and its start-up serialises default parameters (about 7 ms of CPU here,
 * the most of the five), so a scan of any other chain never pays it.
 */
export function preloadAsn1(): Promise<void> {
  return stepByStep([source, asn1Schema, asn1X509, asn1Ecc]);
}
