/**
 * Stapled OCSP responses (RFC 6960 section 4.2.1), read far enough to tell
 * good / revoked / unknown for the leaf. The responder's signature is not
 * verified here: a stapled answer is evidence for diagnosis, not a trust
 * decision (a client that enforces OCSP verifies it itself).
 */
import { WireError, errorMessage } from '../util/errors.js';
import {
  parseDer, children, expectTag, isContext, decodeOid, decodeInteger, decodeTime, TAG, type Tlv,
} from './der.js';

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
}

export interface OcspResponseInfo {
  responseStatus: string;
  producedAt?: string;
  responses: OcspSingleResponse[];
}

export function parseOcspResponse(der: Uint8Array): OcspResponseInfo {
  const top = children(expectTag(parseDer(der), TAG.SEQUENCE, 'OCSPResponse'));
  const st = expectTag(top[0], TAG.ENUMERATED, 'responseStatus');
  const code = Number(decodeInteger(st));
  const responseStatus = OCSP_RESPONSE_STATUS[code] ?? `status(${code})`;
  if (code !== 0) return { responseStatus, responses: [] };
  if (!isContext(top[1], 0)) throw new WireError('OCSP: responseBytes missing');
  const [rb] = children(top[1]);
  const [typ, resp] = children(expectTag(rb, TAG.SEQUENCE, 'ResponseBytes'));
  const type = decodeOid(expectTag(typ, TAG.OID, 'responseType'));
  if (type !== '1.3.6.1.5.5.7.48.1.1') throw new WireError(`OCSP: unsupported response type ${type}`);
  const basic = children(expectTag(parseDer(expectTag(resp, TAG.OCTET_STRING, 'response').value), TAG.SEQUENCE, 'BasicOCSPResponse'));
  const tbs = children(expectTag(basic[0], TAG.SEQUENCE, 'ResponseData'));
  let i = 0;
  if (isContext(tbs[i], 0)) i++; // version
  if (!isContext(tbs[i], 1) && !isContext(tbs[i], 2)) throw new WireError('OCSP: responderID missing');
  i++;
  const producedAt = decodeTime(expectTag(tbs[i++], TAG.GeneralizedTime, 'producedAt')).toISOString();
  const responses = children(expectTag(tbs[i], TAG.SEQUENCE, 'responses')).map(single);
  return { responseStatus, producedAt, responses };
}

function single(t: Tlv): OcspSingleResponse {
  const f = children(expectTag(t, TAG.SEQUENCE, 'SingleResponse'));
  const certId = children(expectTag(f[0], TAG.SEQUENCE, 'CertID'));
  const serial = expectTag(certId[3], TAG.INTEGER, 'serialNumber');
  const cs = f[1];
  if (!cs || cs.cls !== 2) throw new WireError('OCSP: certStatus missing');
  const out: OcspSingleResponse = {
    serialNumber: Buffer.from(serial.value).toString('hex'),
    status: cs.num === 0 ? 'good' : cs.num === 1 ? 'revoked' : 'unknown',
    thisUpdate: decodeTime(expectTag(f[2], TAG.GeneralizedTime, 'thisUpdate')).toISOString(),
  };
  if (cs.num === 1) {
    const ri = children(cs);
    out.revocationTime = decodeTime(expectTag(ri[0], TAG.GeneralizedTime, 'revocationTime')).toISOString();
    if (isContext(ri[1], 0)) {
      const [r] = children(ri[1]);
      const n = Number(decodeInteger(expectTag(r, TAG.ENUMERATED, 'revocationReason')));
      out.revocationReason = CRL_REASONS[n] ?? `reason(${n})`;
    }
  }
  for (const x of f.slice(3)) {
    if (isContext(x, 0)) out.nextUpdate = decodeTime(children(x)[0]).toISOString();
  }
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
