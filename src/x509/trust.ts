/**
 * The TrustReport: everything assess/ needs to judge a certificate chain for
 * one host, as plain JSON-able data. Built from the DER chain as sent (wire
 * engine or node:tls), the trust stores, the host name and the OCSP staple.
 *
 *   const trust = await analyseTrust({ chain: ders, host, caFiles, fetchIntermediates, ocspResponse });
 *   const { findings, grade } = assess(scanResult, { host, trust });
 */
import type { CertificateInfo } from '../scan/types.js';
import { describeCertificate } from './describe.js';
import { commonNames, formatName, pemToDers, type ParsedCertificate } from './cert.js';
import { matchHostname, type HostnameMatch } from './hostname.js';
import { loadTrustStores, makeStore, type TrustStore, type StoreKind } from './trust-store.js';
import { analyseChain, type PathLink, type SentChainIssues, type UntrustedReason, type LinkSource } from './chain.js';
import { checkRevocation, ocspAnswer, type RevocationReport } from './revocation.js';
import type { Proxy } from '../net/proxy.js';
import { stapleVerdict, type StapleVerdict } from './ocsp.js';

export interface PathCertificate {
  info: CertificateInfo;
  source: LinkSource;
  /** Position in the chain as sent, when the server sent it. */
  sentIndex: number | null;
  storeId?: string;
  url?: string;
  /** Hash of the signature: md5, sha1, sha256 ..., "intrinsic" (EdDSA). */
  signatureHash: string;
  /** Extended key usage OIDs; null when the extension is absent. */
  extKeyUsage: string[] | null;
  caIssuers: string[];
}

export interface StoreVerdict {
  store: string;
  kind: StoreKind;
  label: string;
  trusted: boolean;
  reason?: UntrustedReason;
  missingIssuer?: string;
  /** Subjects along the path, leaf first. */
  path: string[];
  detail: string;
}

export type ChainProblem = 'self-signed' | 'untrusted-root' | 'incomplete-chain' | 'bad-signature' | 'no-certificate' | 'unparseable-leaf';

export interface TrustReport {
  host: string;
  /** The chain as sent, described. */
  certificates: CertificateInfo[];
  /** The path used for the verdict: the trusted one, else the longest one built. Leaf first. */
  path: PathCertificate[];
  hostname: HostnameMatch | null;
  stores: StoreVerdict[];
  /** At least one store trusts the path. */
  trusted: boolean;
  trustedBy: string[];
  /** Trusted by Node's roots or the system store (not only by --ca-file). */
  publiclyTrusted: boolean;
  /** Why no store trusts the chain (null when one does). */
  problem: ChainProblem | null;
  /** The server did not send an intermediate needed to reach a root. */
  incomplete: boolean;
  /** Name of the missing issuer when incomplete or unknown. */
  missingIssuer: string | null;
  /** The missing issuer was downloaded through AIA and completed the path. */
  completedByAia: boolean;
  aia: { url: string; ok: boolean; error?: string; subjects: string[] }[];
  issues: SentChainIssues;
  ocsp: StapleVerdict;
  /** The CA's own answer (OCSP, CRL), when asked for (AnalyseTrustOptions.checkRevocation). */
  revocation?: RevocationReport;
  /** The leaf demands a stapled OCSP response (TLS feature status_request, RFC 7633, "OCSP Must-Staple"). */
  mustStaple?: boolean;
  /** Whether the handshake asked for a staple (ocspResponse given, null for none): only then does a missing one say anything. */
  stapleAsked?: boolean;
}

export interface AnalyseTrustOptions {
  chain: Uint8Array[];
  host: string;
  /** Stores to use; loaded from caFiles + Node + system when absent. */
  stores?: TrustStore[];
  caFiles?: string[];
  fetchIntermediates?: boolean;
  aiaTimeoutMs?: number;
  ocspResponse?: Uint8Array | null;
  now?: Date;
  /** Ask the leaf's OCSP responders and CRL distribution points (plain HTTP to the CA), as clients that check revocation do. */
  checkRevocation?: boolean;
  revocationTimeoutMs?: number;
  /** AIA and revocation fetches through this HTTP proxy. */
  proxy?: Proxy;
}

export async function analyseTrust(o: AnalyseTrustOptions): Promise<TrustReport> {
  let stores = o.stores ?? loadTrustStores({ caFiles: o.caFiles });
  if (stores.length === 0) stores = [makeStore('none', 'ca-file', 'no trust store', null, [])];
  const certificates = o.chain.map((d, i) => describeCertificate(d, i));
  const a = await analyseChain(o.chain, stores, { fetchIntermediates: o.fetchIntermediates, aiaTimeoutMs: o.aiaTimeoutMs, proxy: o.proxy });
  const leaf = a.sent[0];
  const empty: TrustReport = {
    host: o.host, certificates, path: [], hostname: null, stores: [], trusted: false, trustedBy: [], publiclyTrusted: false,
    problem: o.chain.length === 0 ? 'no-certificate' : 'unparseable-leaf', incomplete: false, missingIssuer: null,
    completedByAia: false, aia: [], issues: a.issues, ocsp: { status: 'none', detail: 'no certificate' },
  };
  if (!leaf) return empty;

  const trustedPaths = a.perStore.filter((p) => p.trusted);
  const chosen = trustedPaths[0] ?? [...a.perStore].sort((x, y) => score(y) - score(x))[0];
  const links: PathLink[] = chosen?.path ?? [leaf];
  const path = links.map((l) => pathCert(l, certificates));
  const trusted = trustedPaths.length > 0;
  const completedByAia = trusted && chosen.path.some((l) => l.source === 'aia');

  let problem: ChainProblem | null = null;
  let missingIssuer: string | null = null;
  let incomplete = completedByAia;
  if (!trusted) {
    const reason = chosen?.reason ?? 'missing-issuer';
    missingIssuer = chosen?.missingIssuer ?? null;
    const last = links[links.length - 1];
    if (reason === 'self-signed') problem = 'self-signed';
    else if (reason === 'bad-signature') problem = 'bad-signature';
    else if (reason === 'untrusted-root') {
      problem = 'untrusted-root';
      incomplete = links.some((l) => l.source === 'aia');
    } else if (last.source === 'aia') {
      // Even the downloaded issuer leads nowhere trusted.
      problem = 'untrusted-root';
      incomplete = true;
    } else if (links.length === 1 && !(leaf.entry.parsed.basicConstraints?.ca)) {
      // Only the leaf reached, and its issuer is neither sent nor a known root:
      // the usual cause is a missing intermediate.
      problem = 'incomplete-chain';
      incomplete = true;
    } else {
      // An intermediate was sent but its issuer is no root we know: a private or unknown root.
      problem = 'untrusted-root';
    }
  }
  const trustedBy = trustedPaths.map((p) => p.store.id);
  const parsedLeaf = leaf.entry.parsed;
  // A self-signed leaf has no CA to ask; without its issuer (a missing intermediate) no answer
  // could be verified, and the missing issuer is the finding then.
  const issuerLink = links[1];
  const revocation = o.checkRevocation && problem !== 'self-signed' && issuerLink
    ? await checkRevocation(leaf.entry.der, issuerLink.entry.der, { timeoutMs: o.revocationTimeoutMs, now: o.now, proxy: o.proxy })
    : undefined;
  const hostname = matchHostname({ dnsNames: parsedLeaf.dnsNames, ipAddresses: parsedLeaf.ipAddresses, commonNames: commonNames(parsedLeaf.subject) }, o.host);
  return {
    host: o.host,
    certificates,
    path,
    hostname,
    stores: a.perStore.map((p) => ({
      store: p.store.id,
      kind: p.store.kind,
      label: p.store.label,
      trusted: p.trusted,
      reason: p.reason,
      missingIssuer: p.missingIssuer,
      path: p.path.map((l) => formatName(l.entry.parsed.subject)),
      detail: storeDetail(p.trusted, p.reason, p.path, p.missingIssuer, p.store.label),
    })),
    trusted,
    trustedBy,
    publiclyTrusted: trustedPaths.some((p) => p.store.kind !== 'ca-file'),
    problem,
    incomplete,
    missingIssuer,
    completedByAia,
    aia: a.aia.map((x) => ({ url: x.url, ok: x.ok, error: x.error, subjects: x.fetchedSubjects })),
    issues: a.issues,
    ocsp: stapleChecked(o.ocspResponse ?? null, parsedLeaf, issuerLink?.entry.parsed ?? null, o.now),
    ...(revocation ? { revocation } : {}),
    mustStaple: parsedLeaf.mustStaple,
    stapleAsked: o.ocspResponse !== undefined,
  };
}

/** The staple's verdict, and, with the issuer known, whether the issuer (or its delegated responder) signed it. */
function stapleChecked(staple: Uint8Array | null, leaf: ParsedCertificate, issuer: ParsedCertificate | null, now?: Date): StapleVerdict {
  const v = stapleVerdict(staple, leaf.serialNumber, now);
  if (!staple || !issuer || v.status === 'none' || v.status === 'error') return v;
  const a = ocspAnswer(staple, leaf, issuer, now);
  if (a.status === null && a.error && /signature/.test(a.error)) {
    return { status: 'error', response: v.response, detail: `the stapled OCSP response says ${v.status}, but ${a.error}: it cannot be believed` };
  }
  return v;
}

function score(p: { path: unknown[]; reason?: string }): number {
  return (p.reason === 'untrusted-root' || p.reason === 'self-signed' ? 100 : 0) + p.path.length;
}

function pathCert(l: PathLink, sentInfos: CertificateInfo[]): PathCertificate {
  const info = l.source === 'sent' && l.sentIndex !== undefined ? sentInfos[l.sentIndex] : describeCertificate(l.entry.der, -1);
  return {
    info,
    source: l.source,
    sentIndex: l.source === 'sent' ? l.sentIndex ?? null : null,
    storeId: l.storeId,
    url: l.url,
    signatureHash: l.entry.parsed.signatureHash,
    extKeyUsage: l.entry.parsed.extKeyUsage,
    caIssuers: l.entry.parsed.caIssuers,
  };
}

function storeDetail(trusted: boolean, reason: UntrustedReason | undefined, path: PathLink[], missing: string | undefined, label: string): string {
  const last = path[path.length - 1];
  const lastName = formatName(last.entry.parsed.subject);
  if (trusted) return `trusted by ${label}: the path ends at ${lastName}`;
  switch (reason) {
    case 'self-signed': return `${label}: the leaf is self-signed and is not in this store`;
    case 'untrusted-root': return `${label}: the path ends at the root ${lastName}, which is not in this store`;
    case 'bad-signature': return `${label}: a certificate named ${missing} was found but its key does not verify the signature of ${lastName}`;
    case 'too-long': return `${label}: the path is longer than 10 certificates`;
    default: return `${label}: no issuer found for ${lastName} (issuer ${missing}); it was neither sent by the server nor is it in this store`;
  }
}

/** The TrustReport of a ScanResult's chain (certificates as the scan engine received them). */
export async function analyseScanTrust(
  result: { certificates: CertificateInfo[]; target: { host: string } },
  o: Omit<AnalyseTrustOptions, 'chain' | 'host'> & { host?: string },
): Promise<TrustReport> {
  const chain = result.certificates.map((c) => pemToDers(c.pem)[0] ?? new Uint8Array());
  return analyseTrust({ ...o, chain, host: o.host ?? result.target.host });
}
