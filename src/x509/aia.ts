/**
 * AIA caIssuers fetch (RFC 5280 4.2.2.1): download the certificate of a
 * missing issuer from the URL its child names. Only http:// is followed (the
 * RFC's convention, and https would need the very trust being diagnosed).
 * Bounded: one request, a deadline, a size cap, no redirects beyond three.
 * The body may be DER, PEM or a certs-only PKCS#7 (".p7c").
 */
import { WireError, errorMessage } from '../util/errors.js';
import { parseDer, children, expectTag, isContext, decodeOid, TAG } from './der.js';
import { pemToDers } from './cert.js';
import { httpExchange } from './http.js';
import type { Proxy } from '../net/proxy.js';

export interface AiaFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  proxy?: Proxy;
}

export interface AiaFetchResult {
  url: string;
  ok: boolean;
  certificates: Buffer[];
  error?: string;
}

export async function fetchCaIssuers(url: string, o: AiaFetchOptions = {}): Promise<AiaFetchResult> {
  try {
    const { status, body } = await httpExchange(url, {
      timeoutMs: o.timeoutMs ?? 5000, maxBytes: o.maxBytes ?? 256 * 1024, accept: 'application/pkix-cert, application/pkcs7-mime, */*', proxy: o.proxy,
    });
    if (status !== 200) return { url, ok: false, certificates: [], error: `HTTP ${status}` };
    const certificates = certificatesFromBody(body);
    if (certificates.length === 0) return { url, ok: false, certificates, error: 'the response holds no certificate' };
    return { url, ok: true, certificates };
  } catch (e) {
    return { url, ok: false, certificates: [], error: errorMessage(e) };
  }
}

/** DER certificate, PEM, or PKCS#7 SignedData carrying certificates. */
export function certificatesFromBody(body: Buffer): Buffer[] {
  const text = body.subarray(0, 64).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const pems = pemToDers(body.toString('latin1'));
    if (pems.length) return pems;
    const m = body.toString('latin1').match(/-----BEGIN PKCS7-----([\s\S]*?)-----END PKCS7-----/);
    if (m) return pkcs7Certificates(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
    return [];
  }
  try {
    const t = parseDer(body);
    const first = children(t)[0];
    if (first?.tag === TAG.OID && decodeOid(first) === '1.2.840.113549.1.7.2') return pkcs7Certificates(body);
    return [body];
  } catch {
    return [];
  }
}

export function pkcs7Certificates(der: Buffer): Buffer[] {
  try {
    const [oid, content] = children(expectTag(parseDer(der), TAG.SEQUENCE, 'ContentInfo'));
    if (decodeOid(expectTag(oid, TAG.OID, 'contentType')) !== '1.2.840.113549.1.7.2' || !isContext(content, 0)) return [];
    const [signedData] = children(content);
    for (const f of children(expectTag(signedData, TAG.SEQUENCE, 'SignedData'))) {
      if (isContext(f, 0) && f.constructed) return children(f).map((c) => Buffer.from(c.raw));
    }
    return [];
  } catch (e) {
    if (e instanceof WireError) return [];
    throw e;
  }
}
