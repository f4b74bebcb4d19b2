import type { ScanResult } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { assessScanResult, type AssessScanOptions } from './index.js';
import { withStapledScts } from '../x509/sct.js';

/**
 * The assessment step of `scan` and `demo`: trust analysis of the chain the
 * server sent, then findings and grade, written into the result. The name is
 * checked against the SNI sent (so `--sni` works for IP targets).
 */
export async function assessScan(result: ScanResult, o: Omit<AssessScanOptions, 'host'> = {}): Promise<{ result: ScanResult; trust: TrustReport | null }> {
  const { findings, grade, trust } = await assessScanResult(result, { ...o, host: result.target.sni ?? result.target.host });
  const anySupported = result.protocols.some((p) => p.supported);
  // The SCTs of a stapled OCSP response join the leaf's (the trust analysis read the staple).
  const [leaf, ...rest] = result.certificates;
  const scts = leaf ? withStapledScts(leaf.scts, trust?.ocsp?.single?.scts) : [];
  const certificates = leaf && scts.length > (leaf.scts?.length ?? 0) ? [{ ...leaf, scts }, ...rest] : result.certificates;
  return { result: { ...result, certificates, findings, ...(anySupported ? { grade } : {}) }, trust };
}
