import type { ScanResult } from '../scan/types.js';
import { analyseTrust, type TrustReport } from '../x509/trust.js';
import { pemToDers } from '../x509/cert.js';
import { assess } from './index.js';

/**
 * The assessment step of a scan: trust analysis of the chain the server sent,
 * then findings and grade, written into the result.
 */
export interface ScanAssessOptions {
  /** Extra trust anchors (PEM files), e.g. a private root CA. */
  caFiles?: string[];
  /** Download missing intermediates through AIA caIssuers. */
  fetchIntermediates?: boolean;
  /** certificate.expires-soon threshold, days (default 30). */
  expiresSoonDays?: number;
  now?: Date;
}

export async function assessScan(result: ScanResult, o: ScanAssessOptions = {}): Promise<{ result: ScanResult; trust: TrustReport | null }> {
  const host = result.target.sni ?? result.target.host;
  const chain = result.certificates.flatMap((c) => pemToDers(c.pem));
  const trust = chain.length
    ? await analyseTrust({ chain, host, caFiles: o.caFiles, fetchIntermediates: o.fetchIntermediates, now: o.now })
    : null;
  const { findings, grade } = assess(result, { host, trust, now: o.now, expiresSoonDays: o.expiresSoonDays });
  const anySupported = result.protocols.some((p) => p.supported);
  return { result: { ...result, findings, ...(anySupported ? { grade } : {}) }, trust };
}
