/**
 * Reads the fields of an X.509 certificate (RFC 5280 section 4.1) that
 * diagnosis needs: names, validity, key algorithm, signature algorithm and
 * the extensions SAN, basic constraints, EKU, key usage, AIA, key identifiers
 * and TLS feature. Decoding is done by @peculiar/asn1-x509 (schemas on top of
 * @peculiar/asn1-schema); library errors become WireError.
 *
 * Kept by hand, because the schema library does not give them: the exact
 * bytes of the issuer, subject and SubjectPublicKeyInfo as encoded (it only
 * re-serialises, which would change pins and name comparisons on a
 * non-canonical encoding), read with der.ts from the raw TBSCertificate; and
 * the framing check (one definite-length element, nothing after it) that the
 * BER parser under the library does not make.
 */
import type { Name, AttributeValue, GeneralName } from '@peculiar/asn1-x509';
import { asn1Schema, asn1X509, asn1Rsa, asn1Ecc } from './asn1.js';
import { WireError, errorMessage } from '../util/errors.js';
import { parseDer, children, readTlv, expectTag, checkDerFraming, decodeTime, TAG, type Tlv } from './der.js';
import { SIGNATURE_ALGORITHMS, HASH_ALGORITHMS, KEY_ALGORITHMS, CURVES, NAME_ATTRIBUTES, EXT, AIA } from './oids.js';
import { embeddedScts, SCT_LIST_OID, type Sct } from './sct.js';

export interface NameAttribute { type: string; oid: string; value: string }

export interface ParsedExtension { oid: string; critical: boolean; value: Uint8Array }

export interface ParsedCertificate {
  der: Uint8Array;
  version: number;
  /** Lower-case hex without leading zeros stripped (as encoded). */
  serialNumber: string;
  signatureAlgorithmOid: string;
  /** OpenSSL-style name, e.g. "sha256WithRSAEncryption", or the OID when unknown. */
  signatureAlgorithm: string;
  /** Hash used by the signature: md5, sha1, sha256, ..., "intrinsic" for EdDSA, "unknown". */
  signatureHash: string;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  /** DER of the issuer and subject Names, for exact comparison. */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spkiDer: Uint8Array;
  keyAlgorithmOid: string;
  /** 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | the OID. */
  keyType: string;
  /** Named curve for EC keys. */
  curve: string | null;
  extensions: ParsedExtension[];
  dnsNames: string[];
  ipAddresses: string[];
  /** Other SAN entries as text (email:, URI:, ...), for display. */
  otherNames: string[];
  /** null when the extension is absent. */
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  /** null when the extension is absent (any purpose allowed). */
  extKeyUsage: string[] | null;
  keyUsage: number | null;
  caIssuers: string[];
  ocspUrls: string[];
  /** CRL distribution points (RFC 5280 4.2.1.13): the URIs of their full names. */
  crlUrls: string[];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** The TLS feature extension asks for status_request (OCSP Must-Staple). */
  mustStaple: boolean;
  /** Embedded SCTs (Certificate Transparency, x509/sct.ts): null when the extension is absent. */
  scts: Sct[] | null;
  /** Why the SCT extension could not be read, when it could not. */
  sctError?: string;
}

export function formatName(attrs: NameAttribute[]): string {
  return attrs.map((a) => `${a.type}=${escapeControls(a.value.replace(/([,+\\])/g, '\\$1'))}`).join(', ');
}

/**
 * Control characters in a name from a certificate as RFC 4514 hex pairs
 * ("\0a"): a subject or SAN with a line break or an escape sequence must not
 * forge lines in a report, or reach a terminal.
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A DER-encoded X.501 Name (e.g. from a CertificateRequest) as text; `#<hex>` when it does not parse. */
export function distinguishedNameText(der: Uint8Array): string {
  try {
    return formatName(nameAttributes(parse(der, asn1X509().Name)));
  } catch {
    return `#${hex(der)}`;
  }
}

export function commonNames(attrs: NameAttribute[]): string[] {
  return attrs.filter((a) => a.oid === '2.5.4.3').map((a) => a.value);
}

function hex(b: Uint8Array): string { return Buffer.from(b).toString('hex'); }

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    // Compress the longest run of zero groups (RFC 5952).
    let best = -1, bestLen = 0;
    for (let i = 0; i < 8;) {
      if (groups[i] !== '0') { i++; continue; }
      let j = i; while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
      i = j;
    }
    if (best < 0) return groups.join(':');
    return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  }
  return `#${hex(b)}`;
}

/** TLS feature extension (RFC 7633): Features ::= SEQUENCE OF INTEGER. Declared on first use (asn1.ts). */
let features: (new () => number[]) | undefined;
function featuresType(): new () => number[] {
  if (!features) {
    const { AsnArray, AsnType, AsnTypeTypes, AsnPropTypes } = asn1Schema();
    class Features extends AsnArray<number> {}
    AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.Integer })(Features);
    features = Features;
  }
  return features;
}

function parse<T>(der: Uint8Array, type: new () => T): T {
  return asn1Schema().AsnConvert.parse(der, type);
}

const bytes = (b: ArrayBuffer | ArrayBufferView): Uint8Array =>
  ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

/** An attribute value as text: the directory string types decoded, anything else as #hex of its content. */
function attributeText(v: AttributeValue): string {
  if (v.utf8String !== undefined) return v.utf8String;
  const s = v.printableString ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
  if (s !== undefined) return s;
  if (v.anyValue) {
    const t = readTlv(bytes(v.anyValue));
    const content = Buffer.from(t.value);
    return t.tag === 0x1a /* VisibleString */ ? content.toString('latin1') : `#${content.toString('hex')}`;
  }
  return '';
}

function nameAttributes(name: Name): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of name) {
    for (const atv of rdn) out.push({ oid: atv.type, type: NAME_ATTRIBUTES[atv.type] ?? atv.type, value: attributeText(atv.value) });
  }
  return out;
}

/** RSASSA-PSS-params: hashAlgorithm, default sha1 (RFC 4055). */
function pssHash(params: ArrayBuffer | null | undefined): string {
  if (!params || bytes(params)[0] !== 0x30) return 'sha1';
  return HASH_ALGORITHMS[parse(bytes(params), asn1Rsa().RsaSaPssParams).hashAlgorithm.algorithm] ?? 'unknown';
}

/**
 * The issuer, subject and SubjectPublicKeyInfo elements as encoded (views
 * into `der`), and the validity times read strictly (the library's time
 * decoding accepts non-digits and a missing "Z").
 */
function rawParts(der: Uint8Array): { issuer: Uint8Array; subject: Uint8Array; spki: Uint8Array; notBefore: Date; notAfter: Date } {
  const [tbs] = children(expectTag(parseDer(der), TAG.SEQUENCE, 'Certificate'));
  const f = children(expectTag(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  const i = f[0]?.cls === 2 && f[0].num === 0 ? 1 : 0; // [0] version present
  if (f.length < i + 6) throw new WireError('DER: TBSCertificate too short');
  const validity: Tlv[] = f[i + 3].constructed ? children(f[i + 3]) : [];
  if (validity.length !== 2) throw new WireError('DER: validity must hold two times');
  return { issuer: f[i + 2].raw, subject: f[i + 4].raw, spki: f[i + 5].raw, notBefore: decodeTime(validity[0]), notAfter: decodeTime(validity[1]) };
}

/** The DER subject of a certificate without parsing the rest (trust-store indexes). Throws only WireError. */
export function subjectDerOf(der: Uint8Array): Uint8Array {
  try {
    return rawParts(der).subject;
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`unparseable certificate: ${errorMessage(e)}`);
  }
}

/** Parses a DER certificate. Throws only WireError. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    return readCertificate(der);
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`unparseable certificate: ${errorMessage(e)}`);
  }
}

function readCertificate(der: Uint8Array): ParsedCertificate {
  const raw = rawParts(der);
  checkDerFraming(der);
  const asn = parse(der, asn1X509().Certificate);
  const tbs = asn.tbsCertificate;
  // Same byte container as the input (a Buffer in, Buffers out), as views are.
  const like = Buffer.isBuffer(der) ? (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength) : (u: Uint8Array) => u;
  const keyAlg = tbs.subjectPublicKeyInfo.algorithm;
  let curve: string | null = null;
  if (keyAlg.algorithm === '1.2.840.10045.2.1' && keyAlg.parameters && bytes(keyAlg.parameters)[0] === 0x06) {
    const c = parse(bytes(keyAlg.parameters), asn1Ecc().ECParameters).namedCurve ?? '';
    curve = CURVES[c]?.name ?? c;
  }
  const sa = asn.signatureAlgorithm;
  const known = SIGNATURE_ALGORITHMS[sa.algorithm];
  const signatureHash = sa.algorithm === '1.2.840.113549.1.1.10' ? pssHash(sa.parameters) : (known?.hash ?? 'unknown');
  const extensions: ParsedExtension[] = Array.from(tbs.extensions ?? [], (e) => ({
    oid: e.extnID, critical: e.critical, value: like(bytes(e.extnValue.buffer)),
  }));

  const cert: ParsedCertificate = {
    der,
    version: Number(tbs.version) + 1,
    serialNumber: hex(bytes(tbs.serialNumber)),
    signatureAlgorithmOid: sa.algorithm,
    signatureAlgorithm: known?.name ?? sa.algorithm,
    signatureHash,
    issuer: nameAttributes(tbs.issuer),
    subject: nameAttributes(tbs.subject),
    issuerDer: raw.issuer,
    subjectDer: raw.subject,
    notBefore: raw.notBefore,
    notAfter: raw.notAfter,
    spkiDer: raw.spki,
    keyAlgorithmOid: keyAlg.algorithm,
    keyType: KEY_ALGORITHMS[keyAlg.algorithm] ?? keyAlg.algorithm,
    curve,
    extensions,
    dnsNames: [], ipAddresses: [], otherNames: [],
    basicConstraints: null,
    extKeyUsage: null,
    keyUsage: null,
    caIssuers: [], ocspUrls: [], crlUrls: [],
    subjectKeyId: null, authorityKeyId: null,
    mustStaple: false,
    scts: null,
  };
  for (const e of extensions) readExtension(cert, e);
  return cert;
}

/** GeneralName CHOICE member -> its context tag number (RFC 5280 4.2.1.6). */
const GENERAL_NAME_TAGS: [keyof GeneralName, number][] = [
  ['otherName', 0], ['rfc822Name', 1], ['dNSName', 2], ['x400Address', 3], ['directoryName', 4],
  ['ediPartyName', 5], ['uniformResourceIdentifier', 6], ['iPAddress', 7], ['registeredID', 8],
];

function readExtension(c: ParsedCertificate, e: ParsedExtension): void {
  parseDer(e.value);
  const {
    SubjectAlternativeName, BasicConstraints, ExtendedKeyUsage, KeyUsage, AuthorityInfoAccessSyntax, SubjectKeyIdentifier, AuthorityKeyIdentifier,
    CRLDistributionPoints,
  } = asn1X509();
  switch (e.oid) {
    case EXT.subjectAltName:
      for (const g of parse(e.value, SubjectAlternativeName)) {
        if (g.dNSName !== undefined) c.dnsNames.push(g.dNSName);
        else if (g.iPAddress !== undefined) c.ipAddresses.push(g.iPAddress);
        else if (g.rfc822Name !== undefined) c.otherNames.push(`email:${g.rfc822Name}`);
        else if (g.uniformResourceIdentifier !== undefined) c.otherNames.push(`URI:${g.uniformResourceIdentifier}`);
        else c.otherNames.push(`othername:[${GENERAL_NAME_TAGS.find(([k]) => g[k] !== undefined)?.[1] ?? '?'}]`);
      }
      break;
    case EXT.basicConstraints: {
      const bc = parse(e.value, BasicConstraints);
      c.basicConstraints = { ca: bc.cA, pathLen: bc.pathLenConstraint ?? null };
      break;
    }
    case EXT.extKeyUsage:
      c.extKeyUsage = [...parse(e.value, ExtendedKeyUsage)];
      break;
    case EXT.keyUsage: {
      const b = bytes(parse(e.value, KeyUsage).value);
      c.keyUsage = ((b[0] ?? 0) << 8) | (b[1] ?? 0);
      break;
    }
    case EXT.authorityInfoAccess:
      for (const ad of parse(e.value, AuthorityInfoAccessSyntax)) {
        const uri = ad.accessLocation.uniformResourceIdentifier; // only URIs are fetchable
        if (uri === undefined) continue;
        if (ad.accessMethod === AIA.caIssuers) c.caIssuers.push(uri);
        else if (ad.accessMethod === AIA.ocsp) c.ocspUrls.push(uri);
      }
      break;
    case EXT.crlDistributionPoints:
      for (const dp of parse(e.value, CRLDistributionPoints)) {
        for (const n of dp.distributionPoint?.fullName ?? []) if (n.uniformResourceIdentifier !== undefined) c.crlUrls.push(n.uniformResourceIdentifier);
      }
      break;
    case EXT.subjectKeyIdentifier:
      c.subjectKeyId = hex(bytes(parse(e.value, SubjectKeyIdentifier).buffer));
      break;
    case EXT.authorityKeyIdentifier: {
      const kid = parse(e.value, AuthorityKeyIdentifier).keyIdentifier;
      if (kid) c.authorityKeyId = hex(bytes(kid.buffer));
      break;
    }
    case EXT.tlsFeature:
      if (parse(e.value, featuresType()).some((n) => Number(n) === 5)) c.mustStaple = true;
      break;
    case SCT_LIST_OID:
      try { c.scts = embeddedScts(e.value); } catch (err) { c.scts = []; c.sctError = errorMessage(err); }
      break;
    default:
      break;
  }
}

/** Decodes a PEM text (one or more CERTIFICATE blocks) into DER buffers. */
export function pemToDers(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;
  for (const m of pem.matchAll(re)) out.push(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  return out;
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export { readTlv };
