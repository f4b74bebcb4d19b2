/**
 * Stapled OCSP responses (RFC 6960 section 4.2.1), read far enough to tell
 * good / revoked / unknown for the leaf. The responder's signature is
 * checked by x509/revocation.ts (ocspAnswer), where the issuer is known:
 * trust.ts does so for a staple.
 */
import type { SingleResponse } from '@peculiar/asn1-ocsp';
import { asn1Schema, asn1Ocsp } from './asn1.js';
import { WireError, errorMessage } from '../util/errors.js';
import { checkDerFraming } from './der.js';
import { embeddedScts, OCSP_SCT_LIST_OID, type Sct } from './sct.js';

export const OCSP_RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', 'unused(4)', 'sigRequired', 'unauthorized'] as const;

/** CRLReason (RFC 5280 5.3.1). */
export const CRL_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded',
  'cessationOfOperation', 'certificateHold', 'unused(7)', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

export interface OcspSingleResponse {
  /** Serial number of the certificate, lower-case hex as encoded. */
  serialNumber: string;
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: string;
  revocationReason?: string;
  thisUpdate: string;
  nextUpdate?: string;
  /** SCTs in the response's extension for this certificate (Certificate Transparency, x509/sct.ts). */
  scts?: Sct[];
}

export interface OcspResponseInfo {
  responseStatus: string;
  producedAt?: string;
  responses: OcspSingleResponse[];
}

/**
 * Parses with @peculiar/asn1-ocsp. Library errors become WireError. The outer
 * framing is checked first with der.ts checkDerFraming (definite lengths that
 * stay inside their parent, nothing trailing, bounded nesting), which the BER
 * parser underneath the schema library does not do.
 */
export function parseOcspResponse(der: Uint8Array): OcspResponseInfo {
  checkDerFraming(der);
  const { OCSPResponse, BasicOCSPResponse, id_pkix_ocsp_basic } = asn1Ocsp();
  const top = parse(der, OCSPResponse, 'OCSPResponse');
  const code = Number(top.responseStatus);
  const responseStatus = OCSP_RESPONSE_STATUS[code] ?? `status(${code})`;
  if (code !== 0) return { responseStatus, responses: [] };
  if (!top.responseBytes) throw new WireError('OCSP: responseBytes missing');
  const type = top.responseBytes.responseType;
  if (type !== id_pkix_ocsp_basic) throw new WireError(`OCSP: unsupported response type ${type}`);
  const inner = new Uint8Array(top.responseBytes.response.buffer);
  checkDerFraming(inner);
  const tbs = parse(inner, BasicOCSPResponse, 'BasicOCSPResponse').tbsResponseData;
  if (!tbs.responderID.byName && !tbs.responderID.byKey) throw new WireError('OCSP: responderID missing');
  return { responseStatus, producedAt: iso(tbs.producedAt), responses: tbs.responses.map(single) };
}

function parse<T>(der: Uint8Array, type: new () => T, what: string): T {
  try {
    return asn1Schema().AsnConvert.parse(der, type);
  } catch (e) {
    throw new WireError(`OCSP: malformed ${what}: ${errorMessage(e)}`);
  }
}

/** Whole seconds, as RFC 6960 times are (fractions are dropped). */
function iso(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new WireError('OCSP: time out of range');
  return new Date(Math.floor(t / 1000) * 1000).toISOString();
}

function single(r: SingleResponse): OcspSingleResponse {
  const cs = r.certStatus;
  const out: OcspSingleResponse = {
    serialNumber: Buffer.from(r.certID.serialNumber).toString('hex'),
    status: cs.good !== undefined ? 'good' : cs.revoked ? 'revoked' : 'unknown',
    thisUpdate: iso(r.thisUpdate),
  };
  if (cs.revoked) {
    out.revocationTime = iso(cs.revoked.revocationTime);
    if (cs.revoked.revocationReason) {
      const n = Number(cs.revoked.revocationReason.reason);
      out.revocationReason = CRL_REASONS[n] ?? `reason(${n})`;
    }
  }
  if (r.nextUpdate) out.nextUpdate = iso(r.nextUpdate);
  const ct = r.singleExtensions?.find((e) => e.extnID === OCSP_SCT_LIST_OID);
  // A malformed SCT list proves no logging; it does not make the response unreadable.
  if (ct) { try { out.scts = embeddedScts(new Uint8Array(ct.extnValue.buffer), 'ocsp'); } catch { out.scts = []; } }
  return out;
}

export interface StapleVerdict {
  /** 'none' when nothing was stapled. */
  status: 'good' | 'revoked' | 'unknown' | 'none' | 'error';
  detail: string;
  response?: OcspResponseInfo;
  single?: OcspSingleResponse;
}

/** What a stapled response says about the certificate with this serial number (hex). */
export function stapleVerdict(staple: Uint8Array | null | undefined, leafSerialHex: string, now = new Date()): StapleVerdict {
  if (!staple || staple.length === 0) return { status: 'none', detail: 'the server did not staple an OCSP response' };
  let r: OcspResponseInfo;
  try { r = parseOcspResponse(staple); } catch (e) {
    return { status: 'error', detail: `the stapled OCSP response is malformed: ${errorMessage(e)}` };
  }
  if (r.responseStatus !== 'successful') return { status: 'error', response: r, detail: `the stapled OCSP response has status ${r.responseStatus}` };
  const norm = (s: string) => s.replace(/^0+/, '').toLowerCase();
  const s = r.responses.find((x) => norm(x.serialNumber) === norm(leafSerialHex));
  if (!s) return { status: 'error', response: r, detail: `the stapled OCSP response is about another certificate (serials ${r.responses.map((x) => x.serialNumber).join(', ')})` };
  if (s.status === 'revoked') {
    return { status: 'revoked', response: r, single: s, detail: `the stapled OCSP response says the certificate was revoked on ${s.revocationTime}${s.revocationReason ? ` (${s.revocationReason})` : ''}` };
  }
  if (s.status === 'unknown') return { status: 'unknown', response: r, single: s, detail: 'the stapled OCSP response says the responder does not know this certificate' };
  if (s.nextUpdate && new Date(s.nextUpdate) < now) {
    return { status: 'error', response: r, single: s, detail: `the stapled OCSP response is stale (nextUpdate ${s.nextUpdate})` };
  }
  return { status: 'good', response: r, single: s, detail: `the stapled OCSP response says good (thisUpdate ${s.thisUpdate})` };
}
