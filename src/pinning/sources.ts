/**
 * Turns the things users have (PEM or DER certificates, one or many per file,
 * CSRs, public and private keys) into SPKI pins. Detection is by content, not
 * by file name: a ".pem" that holds DER (or a ".der" that holds PEM) works,
 * with a note saying so.
 */
import { createPrivateKey, createPublicKey, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { x509 } from '../x509/peculiar.js';
import { spkiPinOfSpkiDer } from '../x509/spki.js';
import { UsageError } from '../util/errors.js';

export type SourceKind = 'certificate' | 'csr' | 'public-key' | 'private-key';
export type CertRole = 'leaf' | 'intermediate' | 'root';

export interface PinEntry {
  /** File path or host:port the pin came from. */
  source: string;
  /** 0-based position inside that source (chain position for live hosts). */
  index: number;
  kind: SourceKind;
  /** For certificates: leaf, intermediate or root. */
  role?: CertRole;
  subject?: string;
  issuer?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** "RSA 2048", "EC P-256", "Ed25519". */
  keyType: string;
  /** base64(SHA-256(SPKI DER)), without any prefix. */
  pin: string;
  /** DER of the certificate or CSR. */
  der?: Buffer;
  /** Something the user should know about how the input was read. */
  note?: string;
}

/** Files larger than this are not certificates or keys. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

const CURVES: Record<string, string> = {
  prime256v1: 'P-256', secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1',
};

/** "RSA 2048", "EC P-256", "Ed25519" ... for a SubjectPublicKeyInfo. */
export function describeSpki(spkiDer: Uint8Array): string {
  let key: KeyObject;
  try { key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }); } catch { return 'unknown key type'; }
  return describeKey(key);
}

function describeKey(key: KeyObject): string {
  const t = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails ?? {};
  switch (t) {
    case 'rsa': return `RSA ${d.modulusLength ?? '?'}`;
    case 'rsa-pss': return `RSA-PSS ${d.modulusLength ?? '?'}`;
    case 'ec': return `EC ${CURVES[d.namedCurve ?? ''] ?? d.namedCurve ?? '?'}`;
    case 'ed25519': return 'Ed25519';
    case 'ed448': return 'Ed448';
    case 'dsa': return `DSA ${d.modulusLength ?? '?'}`;
    default: return t ?? 'unknown key type';
  }
}

function spkiOfKey(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** Reads one top-level DER SEQUENCE at `at`; returns its total length or throws. */
function derElementLength(buf: Buffer, at: number): number {
  if (at + 2 > buf.length) throw new Error('truncated DER');
  if (buf[at] !== 0x30) throw new Error('not a DER SEQUENCE');
  const first = buf[at + 1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + 2 + n > buf.length) throw new Error('bad DER length');
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + buf[at + 2 + k]!;
  return 2 + n + len;
}

/** Splits concatenated DER structures (some tools write several certificates into one .der). */
export function splitDer(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const len = derElementLength(buf, at);
    if (at + len > buf.length) throw new Error('truncated DER');
    out.push(buf.subarray(at, at + len));
    at += len;
  }
  return out;
}

interface Parsed { kind: SourceKind; spki: Buffer; der?: Buffer; cert?: x509.X509Certificate; csr?: x509.Pkcs10CertificateRequest }

function parseCertificate(der: Buffer): Parsed {
  const cert = new x509.X509Certificate(der);
  return { kind: 'certificate', spki: Buffer.from(cert.publicKey.rawData), der, cert };
}

function parseCsr(der: Buffer): Parsed {
  const csr = new x509.Pkcs10CertificateRequest(der);
  return { kind: 'csr', spki: Buffer.from(csr.publicKey.rawData), der, csr };
}

/** Tries every DER shape we know; throws a message naming what it is not. */
function parseDer(der: Buffer): Parsed {
  try { return parseCertificate(der); } catch { /* next */ }
  try { return parseCsr(der); } catch { /* next */ }
  try { return { kind: 'public-key', spki: spkiOfKey(createPublicKey({ key: der, format: 'der', type: 'spki' })) }; } catch { /* next */ }
  try { return { kind: 'public-key', spki: spkiOfKey(createPublicKey({ key: der, format: 'der', type: 'pkcs1' })) }; } catch { /* next */ }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try { return { kind: 'private-key', spki: spkiOfKey(createPublicKey(createPrivateKey({ key: der, format: 'der', type }))) }; } catch { /* next */ }
  }
  throw new Error('DER data that is not a certificate, CSR, public key or private key (PKCS#12 and PKCS#7 files: extract the certificate with openssl first)');
}

const PEM_RE = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g;

function pemBody(body: string): Buffer {
  const lines = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.includes(':'));
  const b64 = lines.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('PEM body is not base64');
  return Buffer.from(b64, 'base64');
}

function parsePemBlock(label: string, block: string, body: string): Parsed | null {
  switch (label) {
    case 'CERTIFICATE': case 'X509 CERTIFICATE': case 'TRUSTED CERTIFICATE': {
      const der = pemBody(body);
      // "TRUSTED CERTIFICATE" appends OpenSSL trust settings after the certificate.
      const first = label === 'TRUSTED CERTIFICATE' ? splitDer(der)[0]! : der;
      return parseCertificate(first);
    }
    case 'CERTIFICATE REQUEST': case 'NEW CERTIFICATE REQUEST':
      return parseCsr(pemBody(body));
    case 'PUBLIC KEY': case 'RSA PUBLIC KEY':
      return { kind: 'public-key', spki: spkiOfKey(createPublicKey(block)) };
    case 'PRIVATE KEY': case 'RSA PRIVATE KEY': case 'EC PRIVATE KEY': {
      if (/Proc-Type:\s*4,ENCRYPTED/.test(body)) throw new Error('encrypted private key: give the certificate, the CSR or the public key instead (or decrypt it with `openssl pkey`)');
      return { kind: 'private-key', spki: spkiOfKey(createPublicKey(createPrivateKey(block))) };
    }
    case 'ENCRYPTED PRIVATE KEY':
      throw new Error('encrypted private key: give the certificate, the CSR or the public key instead (or decrypt it with `openssl pkey`)');
    case 'PKCS7':
      throw new Error('PKCS#7 bundle: extract the certificates with `openssl pkcs7 -print_certs`');
    case 'EC PARAMETERS': case 'DH PARAMETERS': case 'X509 CRL':
      return null;
    default:
      throw new Error(`PEM block "${label}" is not a certificate, CSR or key`);
  }
}

function entryOf(source: string, index: number, p: Parsed, note?: string): PinEntry {
  const e: PinEntry = { source, index, kind: p.kind, keyType: describeSpki(p.spki), pin: spkiPinOfSpkiDer(p.spki) };
  if (p.der) e.der = Buffer.from(p.der);
  if (p.cert) {
    e.subject = p.cert.subject;
    e.issuer = p.cert.issuer;
    e.notBefore = p.cert.notBefore;
    e.notAfter = p.cert.notAfter;
    e.role = roleOfStandalone(p.der!);
  }
  if (p.csr) e.subject = p.csr.subject;
  if (note) e.note = note;
  return e;
}

/** True when the certificate names itself as issuer and its own key verifies its signature. */
export function isSelfSigned(der: Buffer): boolean {
  try {
    const c = new NodeX509(der);
    return c.issuer === c.subject && c.verify(c.publicKey);
  } catch { return false; }
}

/** Role of a certificate seen outside a chain: self-signed → root, CA → intermediate, else leaf. */
function roleOfStandalone(der: Buffer): CertRole {
  if (isSelfSigned(der)) {
    try { if (!new NodeX509(der).ca) return 'leaf'; } catch { /* fall through */ }
    return 'root';
  }
  try { if (new NodeX509(der).ca) return 'intermediate'; } catch { /* fall through */ }
  return 'leaf';
}

/** Role of a certificate at `index` of a chain as sent by a server, leaf first. */
export function roleInChain(der: Buffer, index: number): CertRole {
  if (index === 0) return 'leaf';
  return isSelfSigned(der) ? 'root' : 'intermediate';
}

/**
 * Pins of everything in one input (file content). `name` labels the entries
 * and is used only for notes about the file extension.
 */
export function pinsFromBytes(bytes: Buffer, name: string): PinEntry[] {
  const ext = extname(name).toLowerCase();
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    const entries: PinEntry[] = [];
    const note = ['.der'].includes(ext) ? 'PEM content (the file name suggests DER); read as PEM' : undefined;
    for (const m of text.matchAll(PEM_RE)) {
      const [block, label, body] = m as unknown as [string, string, string];
      let parsed: Parsed | null;
      try { parsed = parsePemBlock(label, block, body); } catch (e) {
        throw new UsageError(`${name}: PEM block #${entries.length + 1} (${label}): ${(e as Error).message}`);
      }
      if (parsed) entries.push(entryOf(name, entries.length, parsed, note));
    }
    if (!entries.length) {
      if (/-----BEGIN [A-Z0-9 #]+-----/.test(text) && !/-----END /.test(text)) throw new UsageError(`${name}: PEM block without its -----END line (truncated file?)`);
      throw new UsageError(`${name}: no certificate, CSR or key found in this PEM file`);
    }
    return entries;
  }
  if (!bytes.length) throw new UsageError(`${name}: empty file`);
  let der = bytes;
  let note: string | undefined = ['.pem', '.crt', '.cer', '.key', '.csr', '.pub'].includes(ext) && bytes[0] === 0x30
    ? `DER content (the file name suggests PEM); read as DER` : undefined;
  const trimmed = text.trim();
  if (bytes[0] !== 0x30 && trimmed.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
    note = 'base64 without PEM armour; read as DER';
  }
  if (der[0] !== 0x30) {
    throw new UsageError(`${name}: neither PEM (no "-----BEGIN" line) nor DER (does not start with a SEQUENCE)`);
  }
  let parts: Buffer[];
  try { parts = splitDer(der); } catch (e) { throw new UsageError(`${name}: malformed DER: ${(e as Error).message}`); }
  return parts.map((p, k) => {
    try { return entryOf(name, k, parseDer(p), note); } catch (e) {
      throw new UsageError(`${name}: ${parts.length > 1 ? `DER element #${k + 1}: ` : ''}${(e as Error).message}`);
    }
  });
}

export function pinsFromFile(path: string): PinEntry[] {
  let size: number;
  try { size = statSync(path).size; } catch (e) { throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`); }
  if (size > MAX_INPUT_BYTES) throw new UsageError(`${path}: ${size} bytes is too large for a certificate or key file`);
  return pinsFromBytes(readFileSync(path), path);
}

/** Pins of a chain as a server sent it (leaf first), with roles. */
export function pinsFromChain(chainDer: Buffer[], source: string): PinEntry[] {
  return chainDer.map((der, k) => {
    const e = entryOf(source, k, parseCertificate(der));
    e.role = roleInChain(der, k);
    return e;
  });
}

/** Accepts "sha256/B64", "sha256//B64", 'pin-sha256="B64"' or bare base64; returns the bare base64 or null. */
export function normalizePin(p: string): string | null {
  let s = p.trim();
  const m = /^pin-sha256\s*=\s*"?([^"]*)"?$/i.exec(s);
  if (m) s = m[1]!;
  // A pin may itself start with "/": "sha256//x…" is curl's prefix only when 44 characters follow "//".
  else if (s.startsWith('sha256//') && s.length === 8 + 44) s = s.slice(8);
  else if (s.startsWith('sha256/')) s = s.slice(7);
  if (!/^[A-Za-z0-9+/]{43}=$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === s ? s : null;
}

/** Pins of a certificate/CSR/key (PEM text or DER bytes, one or many); throws UsageError for anything else. */
export function computePins(input: string | Uint8Array, name = 'input'): PinEntry[] {
  return pinsFromBytes(typeof input === 'string' ? Buffer.from(input, 'latin1') : Buffer.from(input), name);
}
