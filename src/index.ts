/** Library entry point: the public API of tlsdoctor. */
export * from './scan/types.js';
export { UsageError, UnreachableError, WireError, ExitCode } from './util/errors.js';
export * from './registry/index.js';
