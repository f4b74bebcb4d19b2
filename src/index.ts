/** Library entry point: the public API of tlsdoctor. */
export * from './scan/types.js';
export { UsageError, UnreachableError, WireError, ExitCode } from './util/errors.js';
export * from './registry/index.js';
// SSL pinning (docs/pinning.md)
export { createPinnedAgent, createPinnedDispatcher, PinnedAgent, type PinnedOptions, type PinnedAgentOptions, type PinnedDispatcherOptions, type VerifiedConnection } from './pinning/agent.js';
export { PIN_MISMATCH_MESSAGE, REQUEST_PROBLEM_MESSAGE, PinMismatchError, PinningRequestError } from './pinning/errors.js';
export { computePins, pinsFromFile, pinsFromChain, normalizePin, type PinEntry } from './pinning/sources.js';
export { formatPins, type PinFormat } from './pinning/formats.js';
export { validatePinningText, readPinningFile, type PinningConfig, type ConfigProblem, type ValidationResult } from './pinning/config.js';
export { checkPinning, checkHost as checkPinnedHost, type CheckOutcome } from './pinning/check.js';
export { planPinning, planHost as planPinnedHost, type HostPlan } from './pinning/plan.js';
export { makeBackupKey } from './pinning/backup.js';
export { analyzeClientHello, analyzeParsedClientHello, parsePolicy, type ClientHelloReport, type ClientPolicy } from './clienttest/analysis.js';
export { parseClientHello, type ParsedClientHello } from './wire/client-hello-parse.js';
export { ja3, ja4 } from './clienttest/fingerprint.js';
export { ClientTestServer, type ClientLogEntry, type ClientTestOptions } from './clienttest/server.js';
export { describeCertificate, tryDescribe } from './x509/describe.js';
export { analyseTrust, analyseScanTrust, type TrustReport } from './x509/trust.js';
export { loadTrustStores, caFileStore } from './x509/trust-store.js';
export { matchHostname } from './x509/hostname.js';
export { assess, FINDINGS, FINDING_IDS, type AssessOptions } from './assess/index.js';
export { recogniseError, causesOf } from './assess/error-texts.js';
export { renderFindings } from './report/findings.js';
// Scanning (docs/ARCHITECTURE.md)
export { scanTarget, scanEndpoint, DEFAULTS as SCAN_DEFAULTS, type ScanOptions } from './scan/run.js';
export { parseTarget, resolveTarget, type Target, type Endpoint } from './net/target.js';
export { assessScan } from './assess/scan.js';
export { simulateClients, toClientResults } from './scan/simulate.js';
export { evaluatePolicy, parsePolicy as parseServerPolicy } from './assess/policy.js';
