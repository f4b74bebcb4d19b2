/**
 * CertificateInfo (src/scan/types.ts) for one DER certificate as the server
 * sent it. Fields come from our own DER reader (cert.ts); key sizes, the
 * self-signature check and the SPKI pin from node:crypto.
 *
 * Contract: `describeCertificate` NEVER throws. For bytes that are not a
 * certificate it returns a CertificateInfo whose subject is
 * "(unparseable certificate: <reason>)", keyType "unknown", and the SHA-256 of
 * the bytes (so the entry can still be identified). Use `tryDescribe` when you
 * need to know whether parsing worked.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { CertificateInfo } from '../scan/types.js';
import { errorMessage } from '../util/errors.js';
import { spkiPinOfCertificate } from './spki.js';
import { parseCertificate, formatName, derToPem, escapeControls, type ParsedCertificate } from './cert.js';
import { CURVES } from './oids.js';

export type DescribeResult =
  | { ok: true; info: CertificateInfo; parsed: ParsedCertificate; x509: X509Certificate | null }
  | { ok: false; info: CertificateInfo; error: string };

const UNPARSEABLE_PREFIX = '(unparseable certificate: ';

export function isUnparseable(info: CertificateInfo): boolean {
  return info.subject.startsWith(UNPARSEABLE_PREFIX);
}

/** ECDSA, RSA or DSS (else the key type): the kind of certificate, from its key, as suites and signature algorithms name it. */
export function certificateKind(c: Pick<CertificateInfo, 'keyType'> | undefined): string {
  return c?.keyType === 'EC' ? 'ECDSA' : c?.keyType === 'DSA' ? 'DSS' : c?.keyType ?? '';
}

export function describeCertificate(der: Uint8Array, index: number): CertificateInfo {
  return tryDescribe(der, index).info;
}

export function tryDescribe(der: Uint8Array, index: number): DescribeResult {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let parsed: ParsedCertificate;
  try {
    parsed = parseCertificate(bytes);
  } catch (e) {
    const error = errorMessage(e);
    return { ok: false, error, info: unparseable(index, error, sha256, bytes) };
  }
  let x509: X509Certificate | null = null;
  try { x509 = new X509Certificate(bytes); } catch { x509 = null; }

  const { keyType, keyBits } = keyOf(parsed, x509);
  const subject = formatName(parsed.subject);
  const issuer = formatName(parsed.issuer);
  let spkiSha256: string;
  try {
    spkiSha256 = x509 ? spkiPinOfCertificate(x509) : createHash('sha256').update(parsed.spkiDer).digest('base64');
  } catch {
    spkiSha256 = createHash('sha256').update(parsed.spkiDer).digest('base64');
  }
  const info: CertificateInfo = {
    index,
    subject,
    issuer,
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore.toISOString(),
    notAfter: parsed.notAfter.toISOString(),
    subjectAltNames: [...parsed.dnsNames.map((d) => `DNS:${escapeControls(d)}`), ...parsed.ipAddresses.map((a) => `IP:${a}`)],
    keyType,
    keyBits,
    signatureAlgorithm: parsed.signatureAlgorithm === 'rsassaPss' ? `rsassaPss(${parsed.signatureHash})` : parsed.signatureAlgorithm,
    sha256,
    spkiSha256,
    selfSigned: isSelfSigned(parsed, x509),
    isCA: parsed.basicConstraints?.ca ?? false,
    pem: derToPem(bytes),
    ...(parsed.scts ? { scts: parsed.scts } : {}),
  };
  return { ok: true, info, parsed, x509 };
}

function keyOf(p: ParsedCertificate, x: X509Certificate | null): { keyType: string; keyBits: number } {
  const keyType = p.keyType;
  let keyBits = 0;
  try {
    const d = x?.publicKey.asymmetricKeyDetails;
    if (d?.modulusLength) keyBits = d.modulusLength;
    else if (keyType === 'EC') keyBits = curveBits(d?.namedCurve ?? p.curve);
  } catch { /* Node cannot load this key; keep what the DER says */ }
  if (!keyBits) {
    if (keyType === 'EC') keyBits = curveBits(p.curve);
    else if (keyType === 'Ed25519') keyBits = 256;
    else if (keyType === 'Ed448') keyBits = 456;
  }
  return { keyType, keyBits };
}

function curveBits(name: string | null | undefined): number {
  if (!name) return 0;
  const aliases: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, prime192v1: 192, secp224r1: 224 };
  if (aliases[name]) return aliases[name];
  for (const c of Object.values(CURVES)) if (c.name === name) return c.bits;
  const m = name.match(/(\d{3})/);
  return m ? Number(m[1]) : 0;
}

/** Subject equals issuer and the certificate's own key verifies its signature. */
function isSelfSigned(p: ParsedCertificate, x: X509Certificate | null): boolean {
  if (Buffer.compare(Buffer.from(p.subjectDer), Buffer.from(p.issuerDer)) !== 0) return false;
  if (!x) return true;
  try { return x.verify(x.publicKey); } catch { return true; }
}

function unparseable(index: number, reason: string, sha256: string, bytes: Buffer): CertificateInfo {
  return {
    index,
    subject: `${UNPARSEABLE_PREFIX}${reason})`,
    issuer: '',
    serialNumber: '',
    notBefore: '',
    notAfter: '',
    subjectAltNames: [],
    keyType: 'unknown',
    keyBits: 0,
    signatureAlgorithm: 'unknown',
    sha256,
    spkiSha256: '',
    selfSigned: false,
    isCA: false,
    pem: derToPem(bytes),
  };
}
