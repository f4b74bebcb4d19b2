import type { ScanResult } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { assessScanResult, type AssessScanOptions } from './index.js';

/**
 * The assessment step of `scan` and `demo`: trust analysis of the chain the
 * server sent, then findings and grade, written into the result. The name is
 * checked against the SNI sent (so `--sni` works for IP targets).
 */
export async function assessScan(result: ScanResult, o: Omit<AssessScanOptions, 'host'> = {}): Promise<{ result: ScanResult; trust: TrustReport | null }> {
  const { findings, grade, trust } = await assessScanResult(result, { ...o, host: result.target.sni ?? result.target.host });
  const anySupported = result.protocols.some((p) => p.supported);
  // The SCTs of a stapled OCSP response join the leaf's (the trust analysis read the staple).
  const ocspScts = trust?.ocsp?.single?.scts ?? [];
  const [leaf, ...rest] = result.certificates;
  const certificates = leaf && ocspScts.length && !leaf.scts?.some((x) => x.source === 'ocsp')
    ? [{ ...leaf, scts: [...(leaf.scts ?? []), ...ocspScts] }, ...rest] : result.certificates;
  return { result: { ...result, certificates, findings, ...(anySupported ? { grade } : {}) }, trust };
}
