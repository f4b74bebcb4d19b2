/**
 * assess(): ScanResult + TrustReport -> findings and a grade.
 *
 *   const trust = await analyseTrust({ chain, host, caFiles, ocspResponse });
 *   const { findings, grade } = assess(result, { host, trust });
 */
import type { ScanResult, Finding, Grade } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { certificateFindings } from './certificate.js';
import { protocolFindings, cipherFindings } from './protocol.js';
import { computeGrade } from './grade.js';
import { sortFindings } from './catalog.js';

export interface AssessOptions {
  host: string;
  now?: Date;
  /** certificate.expires-soon threshold in days (default 30). */
  expiresSoonDays?: number;
  /** Certificate trust analysis; without it only protocol/cipher findings are made. */
  trust?: TrustReport | null;
}

export function assess(result: Pick<ScanResult, 'protocols'> & Partial<ScanResult>, opts: AssessOptions): { findings: Finding[]; grade: Grade } {
  const findings: Finding[] = [];
  if (opts.trust) findings.push(...certificateFindings(opts.trust, { now: opts.now, expiresSoonDays: opts.expiresSoonDays }));
  findings.push(...protocolFindings(result.protocols));
  findings.push(...cipherFindings(result.protocols));
  const sorted = sortFindings(findings);
  return { findings: sorted, grade: computeGrade({ protocols: result.protocols, trust: opts.trust, findings: sorted }) };
}

export { certificateFindings } from './certificate.js';
export { protocolFindings, cipherFindings } from './protocol.js';
export { computeGrade } from './grade.js';
export { FINDINGS, FINDING_IDS, SEVERITY_RANK, sortFindings, type FindingId } from './catalog.js';
