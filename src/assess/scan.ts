import type { ScanResult } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { assessScanResult, type AssessScanOptions } from './index.js';
import { withStapledScts } from '../x509/sct.js';
import { finding, sortFindings } from './catalog.js';
import { judgeRootStores } from './root-stores.js';
import { judgeMissingIntermediate } from './client-chains.js';

/**
 * The assessment step of `scan` and `demo`: trust analysis of the chain the
 * server sent, then findings and grade, written into the result. The name is
 * checked against the SNI sent (so `--sni` works for IP targets).
 */
export async function assessScan(result: ScanResult, o: Omit<AssessScanOptions, 'host'> = {}): Promise<{ result: ScanResult; trust: TrustReport | null }> {
  const assessed = await assessScanResult(result, { ...o, host: result.target.sni ?? result.target.host });
  const { grade, trust } = assessed;
  let { findings } = assessed;
  // Simulated clients whose runtime's own trust store lacks the chain's root (assess/root-stores.ts).
  let clients = result.clients;
  if (clients) {
    // Clients that do not fetch an intermediate the server leaves out (assess/client-chains.ts).
    const missing = judgeMissingIntermediate(clients, trust);
    clients = missing.clients;
    if (missing.failing.length) {
      findings = findings.map((f) => (f.id !== 'certificate.incomplete-chain' ? f : {
        ...f,
        detail: `${f.detail}. Among the simulated clients: ${missing.failing.map((c) => c.name).join(', ')} fail${missing.fetching.length ? `; ${missing.fetching.map((c) => c.name).join(', ')} fetch it and connect` : ''}`,
        evidence: { ...f.evidence, clientsFailing: missing.failing.map((c) => c.id), clientsFetching: missing.fetching.map((c) => c.id) },
      }));
    }
    const judged = judgeRootStores(clients, trust);
    clients = judged.clients;
    if (judged.misses.length) {
      const root = judged.misses[0]!.root;
      findings = sortFindings([...findings, finding('certificate.root-not-in-runtimes',
        `${judged.misses.map((m) => m.name).join(', ')}: ${root} is not in their trust store (${judged.misses[0]!.why}${judged.misses.length > 1 ? '; see the client simulation for the others' : ''})`,
        { root, clients: judged.misses.map(({ id, name, why }) => ({ id, name, why })) })]);
    }
  }
  const anySupported = result.protocols.some((p) => p.supported);
  // The SCTs of a stapled OCSP response join the leaf's (the trust analysis read the staple).
  const [leaf, ...rest] = result.certificates;
  const scts = leaf ? withStapledScts(leaf.scts, trust?.ocsp?.single?.scts) : [];
  const certificates = leaf && scts.length > (leaf.scts?.length ?? 0) ? [{ ...leaf, scts }, ...rest] : result.certificates;
  return { result: { ...result, certificates, findings, ...(clients ? { clients } : {}), ...(anySupported ? { grade } : {}) }, trust };
}
