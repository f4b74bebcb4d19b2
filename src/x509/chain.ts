/**
 * Chain analysis: the certificates as the server sent them (order, duplicates,
 * extras, root sent) and path building from the leaf to a trust anchor of
 * each trust store, with optional AIA caIssuers fetch for a missing issuer.
 *
 * Issuer matching: the child's issuer Name equals the parent's subject Name
 * (DER bytes, then a case-insensitive text comparison as RFC 5280 7.1 allows),
 * key identifiers agree when both are present, and the parent's key verifies
 * the child's signature (node:crypto).
 */
import { errorMessage } from '../util/errors.js';
import { formatName } from './cert.js';
import { toEntry, issuerKey, subjectKey, type CertEntry, type TrustStore } from './trust-store.js';
import { fetchCaIssuers, type AiaFetchResult } from './aia.js';
import type { Proxy } from '../net/proxy.js';

export type LinkSource = 'sent' | 'store' | 'aia';

export interface PathLink {
  entry: CertEntry;
  source: LinkSource;
  /** Position in the chain as sent, for source "sent". */
  sentIndex?: number;
  storeId?: string;
  url?: string;
}

export type UntrustedReason = 'self-signed' | 'untrusted-root' | 'missing-issuer' | 'bad-signature' | 'too-long';

export interface StorePath {
  store: TrustStore;
  trusted: boolean;
  /** Leaf first; ends with the anchor when trusted. */
  path: PathLink[];
  reason?: UntrustedReason;
  /** The issuer Name the path could not find, for "missing-issuer". */
  missingIssuer?: string;
}

export interface SentChainIssues {
  /** Indexes of certificates sent more than once (the later copies). */
  duplicates: number[];
  /** Indexes of certificates that are not on the path from the leaf. */
  extra: number[];
  /** Index of a self-signed root the server sent, if any. */
  rootSent: number | null;
  /** Indexes that could not be parsed, with the reason. */
  unparseable: { index: number; error: string }[];
  /** true when certificate i+1 does not issue certificate i somewhere along the used path. */
  misordered: boolean;
  /** The order the certificates should have been sent in (sent indexes). */
  expectedOrder: number[];
}

const verifyCache = new Map<string, boolean>();

function namesEqual(child: CertEntry, parent: CertEntry): boolean {
  if (issuerKey(child.parsed) === subjectKey(parent.parsed)) return true;
  return formatName(child.parsed.issuer).toLowerCase() === formatName(parent.parsed.subject).toLowerCase();
}

/**
 * Does `parent` issue `child`? name, key id, signature, and (unless checking a
 * self-signature) the parent may act as a CA: a basicConstraints extension
 * with cA FALSE rules it out (RFC 5280 4.2.1.9; v1 certificates without the
 * extension are accepted, as OpenSSL does for old roots).
 */
export function issues(parent: CertEntry, child: CertEntry, requireCa = true): 'yes' | 'no' | 'bad-signature' {
  if (!namesEqual(child, parent)) return 'no';
  if (requireCa && parent !== child && parent.parsed.basicConstraints && !parent.parsed.basicConstraints.ca) return 'no';
  const aki = child.parsed.authorityKeyId, ski = parent.parsed.subjectKeyId;
  if (aki && ski && aki !== ski) return 'no';
  const key = `${parent.sha256}>${child.sha256}`;
  let ok = verifyCache.get(key);
  if (ok === undefined) {
    try { ok = !!(child.x509 && parent.x509 && child.x509.verify(parent.x509.publicKey)); } catch { ok = false; }
    if (verifyCache.size > 10_000) verifyCache.clear();
    verifyCache.set(key, ok);
  }
  return ok ? 'yes' : 'bad-signature';
}

export function isSelfIssued(e: CertEntry): boolean {
  return issuerKey(e.parsed) === subjectKey(e.parsed);
}

function inStore(e: CertEntry, s: TrustStore): CertEntry | null {
  if (s.bySha256.has(e.sha256)) return e;
  // Same subject and same key counts as the anchor (a re-issued root).
  for (const a of s.bySubject.get(subjectKey(e.parsed)) ?? []) {
    if (Buffer.compare(Buffer.from(a.parsed.spkiDer), Buffer.from(e.parsed.spkiDer)) === 0) return a;
  }
  return null;
}

const MAX_DEPTH = 10;
const MAX_STEPS = 2000;

/**
 * Builds the best path from `leaf` for one store, using the sent and fetched
 * certificates as intermediates. Depth-first, store anchors tried first.
 */
export function buildPath(leaf: PathLink, pool: PathLink[], store: TrustStore): StorePath {
  let best: StorePath | null = null;
  const consider = (p: StorePath) => {
    if (!best || rank(p) > rank(best)) best = p;
  };
  // Bounded search: a hostile chain (many certificates sharing a name and a key) must not
  // make path building explode.
  let budget = MAX_STEPS;
  const walk = (path: PathLink[]): StorePath | null => {
    if (--budget < 0) { consider({ store, trusted: false, path, reason: 'too-long' }); return null; }
    const cur = path[path.length - 1].entry;
    const anchored = inStore(cur, store);
    if (anchored) return { store, trusted: true, path };
    if (path.length > MAX_DEPTH) { consider({ store, trusted: false, path, reason: 'too-long' }); return null; }
    let sawBadSig = false;
    for (const a of store.bySubject.get(issuerKey(cur.parsed)) ?? []) {
      const r = issues(a, cur);
      if (r === 'yes') return { store, trusted: true, path: [...path, { entry: a, source: 'store', storeId: store.id }] };
      if (r === 'bad-signature') sawBadSig = true;
    }
    if (isSelfIssued(cur) && issues(cur, cur, false) === 'yes') {
      consider({ store, trusted: false, path, reason: path.length === 1 ? 'self-signed' : 'untrusted-root' });
      return null;
    }
    let extended = false;
    for (const cand of pool) {
      if (path.some((l) => l.entry.sha256 === cand.entry.sha256)) continue;
      const r = issues(cand.entry, cur);
      if (r === 'bad-signature') { sawBadSig = true; continue; }
      if (r !== 'yes') continue;
      extended = true;
      const found = walk([...path, cand]);
      if (found) return found;
    }
    if (!extended) {
      consider(sawBadSig
        ? { store, trusted: false, path, reason: 'bad-signature', missingIssuer: formatName(cur.parsed.issuer) }
        : { store, trusted: false, path, reason: 'missing-issuer', missingIssuer: formatName(cur.parsed.issuer) });
    }
    return null;
  };
  const found = walk([leaf]);
  return found ?? best ?? { store, trusted: false, path: [leaf], reason: 'missing-issuer', missingIssuer: formatName(leaf.entry.parsed.issuer) };
}

function rank(p: StorePath): number {
  // Prefer paths that end at a root over paths that stop at a missing issuer, then longer paths.
  const end = p.reason === 'untrusted-root' || p.reason === 'self-signed' ? 100 : 0;
  return end + p.path.length;
}

export interface ChainAnalysisOptions {
  fetchIntermediates?: boolean;
  aiaTimeoutMs?: number;
  /** AIA downloads through this HTTP proxy. */
  proxy?: Proxy;
  /** At most this many AIA downloads (default 4). */
  maxFetches?: number;
}

export interface ChainAnalysis {
  sent: (PathLink | null)[];
  issues: SentChainIssues;
  perStore: StorePath[];
  aia: (AiaFetchResult & { fetchedSubjects: string[] })[];
  /** Certificates obtained through AIA, usable as intermediates. */
  fetched: PathLink[];
}

export async function analyseChain(ders: Uint8Array[], stores: TrustStore[], o: ChainAnalysisOptions = {}): Promise<ChainAnalysis> {
  const unparseable: { index: number; error: string }[] = [];
  const sent: (PathLink | null)[] = ders.map((d, i) => {
    try { return { entry: toEntry(d), source: 'sent' as const, sentIndex: i }; } catch (e) {
      unparseable.push({ index: i, error: errorMessage(e) });
      return null;
    }
  });
  const leaf = sent[0];
  const duplicates: number[] = [];
  const seen = new Set<string>();
  const pool: PathLink[] = [];
  for (const l of sent.slice(1)) {
    if (!l) continue;
    if (seen.has(l.entry.sha256) || l.entry.sha256 === leaf?.entry.sha256) { duplicates.push(l.sentIndex!); continue; }
    seen.add(l.entry.sha256);
    pool.push(l);
  }
  const aia: ChainAnalysis['aia'] = [];
  const fetched: PathLink[] = [];
  if (!leaf) {
    return { sent, issues: { duplicates, extra: [], rootSent: null, unparseable, misordered: false, expectedOrder: [] }, perStore: [], aia, fetched };
  }
  let perStore = stores.map((s) => buildPath(leaf, pool, s));
  if (o.fetchIntermediates) {
    const max = o.maxFetches ?? 4;
    const tried = new Set<string>();
    for (let round = 0; round < max; round++) {
      if (perStore.some((p) => p.trusted)) break;
      const stuck = perStore.find((p) => p.reason === 'missing-issuer') ?? (stores.length === 0 ? buildPath(leaf, [...pool, ...fetched], { id: 'none', kind: 'ca-file', label: 'none', path: null, anchors: [], bySubject: new Map(), bySha256: new Set() }) : undefined);
      if (!stuck || stuck.reason !== 'missing-issuer') break;
      const last = stuck.path[stuck.path.length - 1].entry;
      const url = last.parsed.caIssuers.find((u) => !tried.has(u));
      if (!url) break;
      tried.add(url);
      const r = await fetchCaIssuers(url, { timeoutMs: o.aiaTimeoutMs, proxy: o.proxy });
      const subjects: string[] = [];
      for (const d of r.certificates) {
        try {
          const e = toEntry(d);
          subjects.push(formatName(e.parsed.subject));
          if (![...pool, ...fetched].some((l) => l.entry.sha256 === e.sha256)) fetched.push({ entry: e, source: 'aia', url });
        } catch (e) {
          r.ok = false;
          r.error = `the downloaded certificate cannot be parsed: ${errorMessage(e)}`;
        }
      }
      aia.push({ ...r, fetchedSubjects: subjects });
      if (!r.ok) break;
      perStore = stores.map((s) => buildPath(leaf, [...pool, ...fetched], s));
    }
  }

  // Which sent certificates are used: the trusted path if any, else the longest path.
  const used = perStore.find((p) => p.trusted) ?? [...perStore].sort((a, b) => rank(b) - rank(a))[0]
    ?? buildPath(leaf, pool, { id: 'none', kind: 'ca-file', label: 'none', path: null, anchors: [], bySubject: new Map(), bySha256: new Set() });
  const usedSent = used.path.filter((l) => l.source === 'sent').map((l) => l.sentIndex!);
  // A sent copy of the store's anchor is on the path too (the root sent by the server).
  const anchor = used.path[used.path.length - 1];
  if (anchor.source === 'store') {
    const copy = pool.find((l) => l.entry.sha256 === anchor.entry.sha256
      || (subjectKey(l.entry.parsed) === subjectKey(anchor.entry.parsed) && Buffer.compare(Buffer.from(l.entry.parsed.spkiDer), Buffer.from(anchor.entry.parsed.spkiDer)) === 0));
    if (copy) usedSent.push(copy.sentIndex!);
  }
  const extra = pool.map((l) => l.sentIndex!).filter((i) => !usedSent.includes(i));
  // A sent root is normal on the path; flag it when the server sends a self-signed CA.
  const rootIdx = sent.findIndex((l, i) => i > 0 && l && isSelfIssued(l.entry) && (l.entry.parsed.basicConstraints?.ca ?? false));
  const misordered = usedSent.some((v, k) => k > 0 && v < usedSent[k - 1]);
  return {
    sent,
    issues: { duplicates, extra, rootSent: rootIdx > 0 ? rootIdx : null, unparseable, misordered, expectedOrder: usedSent },
    perStore,
    aia,
    fetched,
  };
}
