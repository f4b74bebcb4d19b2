/**
 * Node built-ins that the scan's first probes do not need, loaded on first
 * use: an ES module import of node:tls costs about 4 ms and node:zlib 3 ms of
 * start-up before the first ClientHello leaves (docs/ARCHITECTURE.md, "How
 * the CLI is built and loaded"); node:http only an AIA, CRL or OCSP fetch
 * needs. By require, not import(): the CLI bundle runs as a script, which has
 * no dynamic import. Types stay those of the static modules.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

let tlsModule: typeof import('node:tls') | undefined;
let zlibModule: typeof import('node:zlib') | undefined;
let httpModule: typeof import('node:http') | undefined;

export const nodeTls = (): typeof import('node:tls') => (tlsModule ??= load('node:tls') as typeof import('node:tls'));
export const nodeZlib = (): typeof import('node:zlib') => (zlibModule ??= load('node:zlib') as typeof import('node:zlib'));
export const nodeHttp = (): typeof import('node:http') => (httpModule ??= load('node:http') as typeof import('node:http'));
