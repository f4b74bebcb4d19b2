/**
 * Reads the fields of an X.509 certificate (RFC 5280 section 4.1) from DER
 * with the walker in der.ts: names, validity, key algorithm, signature
 * algorithm and the extensions diagnosis needs (SAN, basic constraints, EKU,
 * AIA, key identifiers). Throws WireError on malformed input.
 */
import { WireError } from '../util/errors.js';
import {
  parseDer, children, expectTag, isContext, decodeOid, decodeInteger, decodeBoolean, decodeTime, decodeString,
  bitStringBytes, readTlv, TAG, type Tlv,
} from './der.js';
import { SIGNATURE_ALGORITHMS, HASH_ALGORITHMS, KEY_ALGORITHMS, CURVES, NAME_ATTRIBUTES, EXT, AIA } from './oids.js';

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
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** The TLS feature extension asks for status_request (OCSP Must-Staple). */
  mustStaple: boolean;
}

export function formatName(attrs: NameAttribute[]): string {
  return attrs.map((a) => `${a.type}=${a.value.replace(/([,+\\])/g, '\\$1')}`).join(', ');
}

export function commonNames(attrs: NameAttribute[]): string[] {
  return attrs.filter((a) => a.oid === '2.5.4.3').map((a) => a.value);
}

function parseName(t: Tlv): NameAttribute[] {
  expectTag(t, TAG.SEQUENCE, 'Name');
  const out: NameAttribute[] = [];
  for (const rdn of children(t)) {
    expectTag(rdn, TAG.SET, 'RelativeDistinguishedName');
    for (const atv of children(rdn)) {
      const [typ, val] = children(expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(expectTag(typ, TAG.OID, 'attribute type'));
      if (!val) throw new WireError('DER: attribute value missing');
      out.push({ oid, type: NAME_ATTRIBUTES[oid] ?? oid, value: decodeString(val) });
    }
  }
  return out;
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

function parseAlgorithm(t: Tlv): { oid: string; params: Tlv | undefined } {
  const [o, params] = children(expectTag(t, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  return { oid: decodeOid(expectTag(o, TAG.OID, 'algorithm')), params };
}

/** RSASSA-PSS-params: [0] hashAlgorithm, default sha1 (RFC 4055). */
function pssHash(params: Tlv | undefined): string {
  if (!params || params.tag !== TAG.SEQUENCE) return 'sha1';
  for (const c of children(params)) {
    if (isContext(c, 0)) {
      const [alg] = children(c);
      if (alg) return HASH_ALGORITHMS[parseAlgorithm(alg).oid] ?? 'unknown';
    }
  }
  return 'sha1';
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const root = parseDer(der);
  const [tbs, sigAlg, sig] = children(expectTag(root, TAG.SEQUENCE, 'Certificate'));
  expectTag(tbs, TAG.SEQUENCE, 'TBSCertificate');
  expectTag(sig, TAG.BIT_STRING, 'signatureValue');
  const f = children(tbs);
  let i = 0;
  let version = 1;
  if (isContext(f[0], 0)) {
    const [v] = children(f[0]);
    version = Number(decodeInteger(expectTag(v, TAG.INTEGER, 'version'))) + 1;
    i++;
  }
  const serialT = expectTag(f[i++], TAG.INTEGER, 'serialNumber');
  parseAlgorithm(expectTag(f[i++], TAG.SEQUENCE, 'signature'));
  const issuerT = expectTag(f[i++], TAG.SEQUENCE, 'issuer');
  const validity = children(expectTag(f[i++], TAG.SEQUENCE, 'validity'));
  const subjectT = expectTag(f[i++], TAG.SEQUENCE, 'subject');
  const spkiT = expectTag(f[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  if (validity.length !== 2) throw new WireError('DER: validity must hold two times');
  const [keyAlgT, keyBits] = children(spkiT);
  const keyAlg = parseAlgorithm(keyAlgT);
  bitStringBytes(expectTag(keyBits, TAG.BIT_STRING, 'subjectPublicKey'));
  let curve: string | null = null;
  if (keyAlg.oid === '1.2.840.10045.2.1' && keyAlg.params?.tag === TAG.OID) {
    const c = decodeOid(keyAlg.params);
    curve = CURVES[c]?.name ?? c;
  }
  const sa = parseAlgorithm(sigAlg);
  const known = SIGNATURE_ALGORITHMS[sa.oid];
  const signatureHash = sa.oid === '1.2.840.113549.1.1.10' ? pssHash(sa.params) : (known?.hash ?? 'unknown');

  const extensions: ParsedExtension[] = [];
  for (; i < f.length; i++) {
    if (isContext(f[i], 3)) {
      const [seq] = children(f[i]);
      for (const e of children(expectTag(seq, TAG.SEQUENCE, 'Extensions'))) {
        const parts = children(expectTag(e, TAG.SEQUENCE, 'Extension'));
        const oid = decodeOid(expectTag(parts[0], TAG.OID, 'extnID'));
        let critical = false;
        let k = 1;
        if (parts[k]?.tag === TAG.BOOLEAN) { critical = decodeBoolean(parts[k]); k++; }
        const val = expectTag(parts[k], TAG.OCTET_STRING, 'extnValue');
        extensions.push({ oid, critical, value: val.value });
      }
    }
  }

  const cert: ParsedCertificate = {
    der,
    version,
    serialNumber: hex(serialT.value),
    signatureAlgorithmOid: sa.oid,
    signatureAlgorithm: known?.name ?? sa.oid,
    signatureHash,
    issuer: parseName(issuerT),
    subject: parseName(subjectT),
    issuerDer: issuerT.raw,
    subjectDer: subjectT.raw,
    notBefore: decodeTime(validity[0]),
    notAfter: decodeTime(validity[1]),
    spkiDer: spkiT.raw,
    keyAlgorithmOid: keyAlg.oid,
    keyType: KEY_ALGORITHMS[keyAlg.oid] ?? keyAlg.oid,
    curve,
    extensions,
    dnsNames: [], ipAddresses: [], otherNames: [],
    basicConstraints: null,
    extKeyUsage: null,
    keyUsage: null,
    caIssuers: [], ocspUrls: [],
    subjectKeyId: null, authorityKeyId: null,
    mustStaple: false,
  };
  for (const e of extensions) readExtension(cert, e);
  return cert;
}

function readExtension(c: ParsedCertificate, e: ParsedExtension): void {
  const t = parseDer(e.value);
  switch (e.oid) {
    case EXT.subjectAltName:
      for (const g of children(expectTag(t, TAG.SEQUENCE, 'GeneralNames'))) {
        if (g.cls !== 2) throw new WireError('DER: GeneralName must be context-tagged');
        const s = () => Buffer.from(g.value).toString('latin1');
        switch (g.num) {
          case 2: c.dnsNames.push(s()); break;
          case 7: c.ipAddresses.push(formatIp(g.value)); break;
          case 1: c.otherNames.push(`email:${s()}`); break;
          case 6: c.otherNames.push(`URI:${s()}`); break;
          default: c.otherNames.push(`othername:[${g.num}]`);
        }
      }
      break;
    case EXT.basicConstraints: {
      let ca = false, pathLen: number | null = null;
      for (const x of children(expectTag(t, TAG.SEQUENCE, 'BasicConstraints'))) {
        if (x.tag === TAG.BOOLEAN) ca = decodeBoolean(x);
        else if (x.tag === TAG.INTEGER) pathLen = Number(decodeInteger(x));
      }
      c.basicConstraints = { ca, pathLen };
      break;
    }
    case EXT.extKeyUsage:
      c.extKeyUsage = children(expectTag(t, TAG.SEQUENCE, 'ExtKeyUsageSyntax')).map((o) => decodeOid(o));
      break;
    case EXT.keyUsage: {
      const b = bitStringBytes(expectTag(t, TAG.BIT_STRING, 'KeyUsage'));
      c.keyUsage = ((b[0] ?? 0) << 8) | (b[1] ?? 0);
      break;
    }
    case EXT.authorityInfoAccess:
      for (const ad of children(expectTag(t, TAG.SEQUENCE, 'AuthorityInfoAccessSyntax'))) {
        const [m, loc] = children(expectTag(ad, TAG.SEQUENCE, 'AccessDescription'));
        const method = decodeOid(expectTag(m, TAG.OID, 'accessMethod'));
        if (!loc || !isContext(loc, 6)) continue; // only URIs are fetchable
        const uri = Buffer.from(loc.value).toString('latin1');
        if (method === AIA.caIssuers) c.caIssuers.push(uri);
        else if (method === AIA.ocsp) c.ocspUrls.push(uri);
      }
      break;
    case EXT.subjectKeyIdentifier:
      c.subjectKeyId = hex(expectTag(t, TAG.OCTET_STRING, 'SubjectKeyIdentifier').value);
      break;
    case EXT.authorityKeyIdentifier:
      for (const x of children(expectTag(t, TAG.SEQUENCE, 'AuthorityKeyIdentifier'))) {
        if (isContext(x, 0)) c.authorityKeyId = hex(x.value);
      }
      break;
    case EXT.tlsFeature:
      for (const x of children(expectTag(t, TAG.SEQUENCE, 'Features'))) {
        if (x.tag === TAG.INTEGER && decodeInteger(x) === 5n) c.mustStaple = true;
      }
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
