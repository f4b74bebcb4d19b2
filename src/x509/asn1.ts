/**
 * The @peculiar/asn1-* packages that decode certificates (cert.ts) and OCSP
 * responses (ocsp.ts), loaded on first use rather than when a module that
 * uses them is imported. They are the heaviest code on the scan path (about
 * 50 ms to load from node_modules, 20 ms from the CLI bundle) and a scan needs
 * them only after its last probe, so `tlsdoctor scan` loads them with
 * `preloadAsn1()` while it waits for the network instead of before its first
 * probe.
 *
 * Two spellings of the same loads. In the CLI bundle (scripts/bundle-cli.mjs
 * defines TLSDOCTOR_BUNDLE), esbuild turns each literal `require()` below into
 * a call of the bundled copy, which runs that package's code on first call. In
 * tsc's output (ES modules, no `require`), Node's require loads the same
 * packages from node_modules.
 */
import { createRequire } from 'node:module';
import type * as Schema from '@peculiar/asn1-schema';
import type * as X509 from '@peculiar/asn1-x509';
import type * as Rsa from '@peculiar/asn1-rsa';
import type * as Ecc from '@peculiar/asn1-ecc';
import type * as Ocsp from '@peculiar/asn1-ocsp';

/** Replaced by `true` in the CLI bundle (esbuild `define`); undeclared elsewhere. */
declare const TLSDOCTOR_BUNDLE: boolean | undefined;
const bundled = typeof TLSDOCTOR_BUNDLE !== 'undefined' && TLSDOCTOR_BUNDLE;
const fromNodeModules = bundled ? null : createRequire(import.meta.url);

let schema: typeof Schema | undefined;
let x509: typeof X509 | undefined;
let rsa: typeof Rsa | undefined;
let ecc: typeof Ecc | undefined;
let ocsp: typeof Ocsp | undefined;

export function asn1Schema(): typeof Schema {
  return (schema ??= fromNodeModules ? fromNodeModules('@peculiar/asn1-schema') : require('@peculiar/asn1-schema'));
}

export function asn1X509(): typeof X509 {
  return (x509 ??= fromNodeModules ? fromNodeModules('@peculiar/asn1-x509') : require('@peculiar/asn1-x509'));
}

export function asn1Rsa(): typeof Rsa {
  return (rsa ??= fromNodeModules ? fromNodeModules('@peculiar/asn1-rsa') : require('@peculiar/asn1-rsa'));
}

export function asn1Ecc(): typeof Ecc {
  return (ecc ??= fromNodeModules ? fromNodeModules('@peculiar/asn1-ecc') : require('@peculiar/asn1-ecc'));
}

export function asn1Ocsp(): typeof Ocsp {
  return (ocsp ??= fromNodeModules ? fromNodeModules('@peculiar/asn1-ocsp') : require('@peculiar/asn1-ocsp'));
}

/**
 * Loads the packages certificate parsing needs, one per turn of the event
 * loop (each blocks it for a few ms), so that network events waiting in
 * between are handled. Resolves when all are loaded. Never rejects: a package
 * that fails to load fails again, with its error, at first real use.
 */
export function preloadAsn1(): Promise<void> {
  const steps = [asn1Schema, asn1X509, asn1Rsa, asn1Ecc];
  return new Promise((resolve) => {
    const next = () => {
      const step = steps.shift();
      if (!step) { resolve(); return; }
      try { step(); } catch { /* reported at first use */ }
      setImmediate(next);
    };
    setImmediate(next);
  });
}
