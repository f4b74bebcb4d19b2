/**
 * Trust stores a client may use: Node's bundled Mozilla roots
 * (tls.rootCertificates), the operating system bundle (Debian/Ubuntu
 * /etc/ssl/certs/ca-certificates.crt, RHEL /etc/pki/tls/certs/ca-bundle.crt,
 * Alpine /etc/ssl/cert.pem) and PEM files given with --ca-file.
 */
import { nodeTls } from '../util/builtins.js';
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError, errorMessage } from '../util/errors.js';
import { parseCertificate, pemToDers, subjectDerOf, type ParsedCertificate } from './cert.js';
import { stepByStep } from '../util/idle.js';

export type StoreKind = 'node' | 'system' | 'ca-file';

export interface CertEntry {
  der: Buffer;
  parsed: ParsedCertificate;
  /** node:crypto's view of the certificate (made on first use); null when Node cannot parse it. */
  readonly x509: X509Certificate | null;
  /** SHA-256 of the DER, hex. */
  sha256: string;
}

export interface TrustStore {
  /** "node", "system", or "ca-file:<path>". */
  id: string;
  kind: StoreKind;
  /** For people: "Node.js bundled Mozilla roots (v20.x)", "system store /etc/ssl/certs/ca-certificates.crt". */
  label: string;
  path: string | null;
  anchors: CertEntry[];
  /** Issuer-lookup index: subject DER (hex) -> anchors. */
  bySubject: Map<string, CertEntry[]>;
  bySha256: Set<string>;
}

export const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

export function toEntry(der: Uint8Array): CertEntry {
  const buf = Buffer.from(der);
  const parsed = parseCertificate(buf);
  // node:crypto's object is only needed to check a signature: made on first use, as a store
  // holds ~150 anchors and a path uses two or three of them.
  let x509: X509Certificate | null | undefined;
  return {
    der: buf,
    parsed,
    get x509() {
      if (x509 === undefined) { try { x509 = new X509Certificate(buf); } catch { x509 = null; } }
      return x509;
    },
    sha256: createHash('sha256').update(buf).digest('hex'),
  };
}

/**
 * An anchor of a bundled store (Node's roots, the system bundle): indexed by
 * its subject at once, parsed only when a path reaches it. A store holds
 * ~150 anchors and a path uses one or two, so this keeps a scan's trust
 * analysis from parsing 300 certificates. Throws WireError when even the
 * subject cannot be read (the entry is then skipped).
 */
function lazyEntry(der: Uint8Array): { entry: CertEntry; subject: string } {
  const buf = Buffer.from(der);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  // Node's roots and the system bundle are mostly the same certificates: each is indexed once.
  const known = bundledAnchors.get(sha256);
  if (known) return known;
  const subject = Buffer.from(subjectDerOf(buf)).toString('hex');
  let parsed: ParsedCertificate | undefined;
  let x509: X509Certificate | null | undefined;
  const entry: CertEntry = {
    der: buf,
    get parsed() { return (parsed ??= parseCertificate(buf)); },
    get x509() {
      if (x509 === undefined) { try { x509 = new X509Certificate(buf); } catch { x509 = null; } }
      return x509;
    },
    sha256,
  };
  const indexed = { entry, subject };
  bundledAnchors.set(sha256, indexed);
  return indexed;
}

/** The anchors of bundled stores by SHA-256 of their DER (an entry holds nothing store-specific). */
const bundledAnchors = new Map<string, { entry: CertEntry; subject: string }>();

export function subjectKey(p: ParsedCertificate): string {
  return Buffer.from(p.subjectDer).toString('hex');
}

export function issuerKey(p: ParsedCertificate): string {
  return Buffer.from(p.issuerDer).toString('hex');
}

export function makeStore(id: string, kind: StoreKind, label: string, path: string | null, ders: Uint8Array[], lazy = false): TrustStore {
  const anchors: CertEntry[] = [];
  const bySubject = new Map<string, CertEntry[]>();
  for (const d of ders) {
    let a: CertEntry, k: string;
    try {
      if (lazy) ({ entry: a, subject: k } = lazyEntry(d));
      else { a = toEntry(d); k = subjectKey(a.parsed); }
    } catch { continue; /* a broken entry in a bundle is skipped */ }
    anchors.push(a);
    bySubject.set(k, [...(bySubject.get(k) ?? []), a]);
  }
  return { id, kind, label, path, anchors, bySubject, bySha256: new Set(anchors.map((a) => a.sha256)) };
}

let nodeStore: TrustStore | null = null;
const systemStores = new Map<string, TrustStore>();

export function nodeRootStore(): TrustStore {
  nodeStore ??= makeStore('node', 'node', `Node.js ${process.version} bundled Mozilla roots`, null,
    nodeTls().rootCertificates.flatMap((p) => pemToDers(p)), true);
  return nodeStore;
}

/**
 * The operating system bundle, or null when none of the usual files exists.
 * SSL_CERT_FILE, when it names a file, is that bundle, as OpenSSL-based
 * clients (curl, Python, git, Ruby) take it: what they trust is judged.
 */
export function systemRootStore(path?: string): TrustStore | null {
  const env = process.env.SSL_CERT_FILE;
  const file = path ?? (env && existsSync(env) ? env : SYSTEM_BUNDLES.find((p) => existsSync(p)));
  if (!file || !existsSync(file)) return null;
  let store = systemStores.get(file);
  if (!store) {
    store = makeStore('system', 'system', `system store ${file}`, file, pemToDers(readFileSync(file, 'utf8')), true);
    systemStores.set(file, store);
  }
  return store;
}

/** A --ca-file: PEM with one or more certificates (DER accepted too). Throws UsageError when unusable. */
export function caFileStore(path: string): TrustStore {
  let data: Buffer;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    data = readFileSync(path);
  } catch (e) {
    throw new UsageError(`--ca-file ${path}: cannot read it (${errorMessage(e)})`);
  }
  let ders = pemToDers(data.toString('latin1'));
  if (ders.length === 0 && data[0] === 0x30) ders = [data];
  const store = makeStore(`ca-file:${path}`, 'ca-file', `--ca-file ${path}`, path, ders);
  if (store.anchors.length === 0) throw new UsageError(`--ca-file ${path}: no certificate found (expected PEM "-----BEGIN CERTIFICATE-----" blocks)`);
  return store;
}

export interface TrustStoreOptions {
  caFiles?: string[];
  /** Include Node's bundled roots (default true). */
  node?: boolean;
  /** Include the system bundle (default true); a path selects a specific bundle file. */
  system?: boolean | string;
}

/**
 * Builds the default stores (Node's roots, the system bundle) ahead of use,
 * one per turn of the event loop (each takes a few ms), so that a scan can do
 * it while it waits for the network. Never rejects: a store that fails here
 * fails again, with its error, at first real use.
 */
export function preloadTrustStores(): Promise<void> {
  return stepByStep([() => nodeRootStore(), () => systemRootStore()]);
}

/** The stores in the order they are reported: --ca-file(s), Node's roots, the system store. */
export function loadTrustStores(o: TrustStoreOptions = {}): TrustStore[] {
  const stores: TrustStore[] = [];
  for (const f of o.caFiles ?? []) stores.push(caFileStore(f));
  if (o.node !== false) stores.push(nodeRootStore());
  if (o.system !== false) {
    const s = systemRootStore(typeof o.system === 'string' ? o.system : undefined);
    if (s) stores.push(s);
  }
  return stores;
}
