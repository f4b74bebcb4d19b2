/** Library entry point: the public API of tlsdoctor. */
export * from './scan/types.js';
export { UsageError, UnreachableError, WireError, ExitCode } from './util/errors.js';
export * from './registry/index.js';
export { describeCertificate, tryDescribe } from './x509/describe.js';
export { analyseTrust, analyseScanTrust, type TrustReport } from './x509/trust.js';
export { loadTrustStores, caFileStore } from './x509/trust-store.js';
export { matchHostname } from './x509/hostname.js';
export { assess, FINDINGS, FINDING_IDS, type AssessOptions } from './assess/index.js';
export { recogniseError, causesOf } from './assess/error-texts.js';
export { renderFindings } from './report/findings.js';
