/**
 * assess(): ScanResult + TrustReport -> findings and a grade.
 *
 *   const trust = await analyseTrust({ chain, host, caFiles, ocspResponse });
 *   const { findings, grade } = assess(result, { host, trust });
 */
import type { ScanResult, Finding, Grade } from '../scan/types.js';
import { certificateKind } from '../x509/describe.js';
import { suiteByCode } from '../registry/ciphers.js';
import type { TrustReport } from '../x509/trust.js';
import { certificateFindings, transparencyFindings } from './certificate.js';
import { protocolFindings, cipherFindings, intoleranceFindings, incompleteFindings, noTlsFindings, featureFindings, signatureFindings } from './protocol.js';
import { computeGrade } from './grade.js';
import { httpFindings, longHsts, sentKeyPins } from './http.js';
import { sortFindings } from './catalog.js';

export interface AssessOptions {
  host: string;
  now?: Date;
  /** certificate.expires-soon threshold in days (default 30). */
  expiresSoonDays?: number;
  /** Certificate trust analysis; without it only protocol/cipher findings are made. */
  trust?: TrustReport | null;
  /** The trust analyses of the server's other certificates (result.alternateChains), in their order. */
  alternates?: TrustReport[];
}

export function assess(result: Pick<ScanResult, 'protocols'> & Partial<ScanResult>, opts: AssessOptions): { findings: Finding[]; grade: Grade } {
  const findings: Finding[] = [];
  const alternates = (result.alternateChains ?? []).flatMap((chain, i) => (opts.alternates?.[i] ? [{ chain, trust: opts.alternates[i]! }] : []));
  if (opts.trust) {
    // With other certificates beside it, each finding says which certificate it is about.
    const own = certificateFindings(opts.trust, { now: opts.now, expiresSoonDays: opts.expiresSoonDays });
    findings.push(...(alternates.length ? own.map((f) => aboutChain(f, certificateKind(result.certificates?.[0]), null)) : own));
    findings.push(...transparencyFindings(result.certificates?.[0], opts.trust, result.features));
  }
  for (const { chain, trust } of alternates) {
    // The simulated clients that got this certificate (their TLS <= 1.2 flights showed it).
    const leaf = chain.certificates[0]?.sha256;
    const got = (result.clients ?? []).filter((c) => c.ok && leaf && c.leafSha256 === leaf).map((c) => c.name);
    findings.push(...certificateFindings(trust, { now: opts.now, expiresSoonDays: opts.expiresSoonDays }).map((f) => aboutChain(f, chain.auth, chain.suite, got)));
  }
  findings.push(...protocolFindings(result.protocols));
  if (result.errors) findings.push(...intoleranceFindings(result.errors), ...incompleteFindings(result.errors), ...noTlsFindings(result.errors));
  findings.push(...featureFindings(result.features, result.protocols), ...signatureFindings(result.signatureAlgorithms));
  findings.push(...cipherFindings(result.protocols));
  findings.push(...httpFindings(result.http, sentKeyPins(result)));
  const sorted = sortFindings(findings);
  return {
    findings: sorted,
    grade: computeGrade({ protocols: result.protocols, trust: opts.trust, alternates: alternates.map((a) => ({ auth: a.chain.auth, trust: a.trust })), findings: sorted, longHsts: longHsts(result.http) }),
  };
}

/** A certificate finding of one of several certificates: which one, and which clients get it. */
function aboutChain(f: Finding, auth: string, suite: number | null | undefined, clients: string[] = []): Finding {
  const them = clients.length ? `; the simulated clients that got it: ${clients.slice(0, 6).join(', ')}${clients.length > 6 ? ` and ${clients.length - 6} more` : ''}` : '';
  const who = suite === null
    ? `the ${auth} certificate`
    : suite === undefined
      ? `the ${auth} certificate (sent to clients that offer only ${auth} signature algorithms${them})`
    : `the ${auth} certificate (sent with ${auth} suites, such as ${suiteByCode(suite)?.iana ?? `0x${suite.toString(16)}`}${them})`;
  return ofCertificate(f, who, auth, clients.length ? { clients } : {});
}

/** A certificate finding said of one of the server's certificates (`who`): its text starts with it, evidence.certificate names its kind. */
export function ofCertificate(f: Finding, who: string, auth: string, evidence: Record<string, unknown> = {}): Finding {
  return { ...f, detail: `${who}: ${f.detail}`, evidence: { ...f.evidence, certificate: auth, ...evidence } };
}

export { certificateFindings } from './certificate.js';
export { protocolFindings, cipherFindings } from './protocol.js';
export { computeGrade } from './grade.js';
export { FINDINGS, FINDING_IDS, SEVERITY_RANK, sortFindings, type FindingId } from './catalog.js';

import { createHash } from 'node:crypto';
import { analyseScanTrust } from '../x509/trust.js';
import type { Proxy } from '../net/proxy.js';
import type { TrustStore } from '../x509/trust-store.js';

export interface AssessScanOptions {
  /** --ca-file paths (PEM); ignored when `stores` is given. */
  caFiles?: string[];
  stores?: TrustStore[];
  fetchIntermediates?: boolean;
  /** Ask the CA's OCSP responders and CRL distribution points (x509/revocation.ts). */
  checkRevocation?: boolean;
  /** AIA and revocation fetches through this HTTP proxy. */
  proxy?: Proxy;
  expiresSoonDays?: number;
  now?: Date;
  /** Host name to check the certificate against (default: result.target.host). */
  host?: string;
  /**
   * The trust report of the same chain, started while the scan still ran
   * (ScanOptions.onChain); used when it covers the chain the result holds.
   */
  early?: { chain: readonly Uint8Array[]; host: string; trust: Promise<TrustReport> };
}

/**
 * For `scan`: the trust report of the chain the scan received, then findings and grade.
 *   const { findings, grade } = await assessScanResult(result, { caFiles });
 */
export async function assessScanResult(result: ScanResult, o: AssessScanOptions = {}): Promise<{ findings: Finding[]; grade: Grade; trust: TrustReport | null }> {
  const host = o.host ?? result.target.host;
  const analyse = () => analyseScanTrust(result, {
    host, caFiles: o.caFiles, stores: o.stores, fetchIntermediates: o.fetchIntermediates, checkRevocation: o.checkRevocation, now: o.now, proxy: o.proxy,
    ocspResponse: stapleOf(result),
  });
  const early = o.early && o.early.host === host && !o.stores && !o.now && sameChain(o.early.chain, result.certificates) ? o.early.trust : undefined;
  // An early analysis that failed is done again here, where its error surfaces.
  const [trust, alternates] = await Promise.all([
    result.certificates.length ? (early ? early.catch(analyse) : analyse()) : null,
    Promise.all((result.alternateChains ?? []).map((chain) => analyseScanTrust({ certificates: chain.certificates, target: result.target }, {
      host, caFiles: o.caFiles, stores: o.stores, fetchIntermediates: o.fetchIntermediates, checkRevocation: o.checkRevocation, now: o.now, proxy: o.proxy,
    }))),
  ]);
  return { ...assess(result, { host, trust, alternates, now: o.now, expiresSoonDays: o.expiresSoonDays }), trust };
}

/** The scan's staple for the trust analysis: undefined when it could not tell (no TLS <= 1.2 flight), null when none came. */
export function stapleOf(result: ScanResult): Uint8Array | null | undefined {
  const f = result.features;
  if (!f || f.ocspStapling === undefined || f.ocspStapling === null) return undefined;
  return f.ocspResponse ? Buffer.from(f.ocspResponse, 'base64') : null;
}

/** The chain `der` is the one the result describes (same certificates, same order). */
function sameChain(der: readonly Uint8Array[], described: readonly { sha256: string }[]): boolean {
  return der.length === described.length && der.every((d, i) => createHash('sha256').update(d).digest('hex') === described[i]!.sha256);
}
