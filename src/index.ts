/** Library entry point: the public API of tlsdoctor. */
export * from './scan/types.js';
export { UsageError, UnreachableError, WireError, ExitCode } from './util/errors.js';
export * from './registry/index.js';
export { analyzeClientHello, analyzeParsedClientHello, parsePolicy, type ClientHelloReport, type ClientPolicy } from './clienttest/analysis.js';
export { parseClientHello, type ParsedClientHello } from './wire/client-hello-parse.js';
export { ja3, ja4 } from './clienttest/fingerprint.js';
export { ClientTestServer, type ClientLogEntry, type ClientTestOptions } from './clienttest/server.js';
