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

export interface AiaFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

export interface AiaFetchResult {
  url: string;
  ok: boolean;
  certificates: Buffer[];
  error?: string;
}

export async function fetchCaIssuers(url: string, o: AiaFetchOptions = {}, redirects = 3): Promise<AiaFetchResult> {
  let u: URL;
  try { u = new URL(url); } catch { return { url, ok: false, certificates: [], error: 'not a valid URL' }; }
  if (u.protocol !== 'http:') return { url, ok: false, certificates: [], error: `only http:// caIssuers URLs are fetched (got ${u.protocol})` };
  const timeoutMs = o.timeoutMs ?? 5000;
  const maxBytes = o.maxBytes ?? 256 * 1024;
  try {
    // node:http is loaded only when a fetch happens (--fetch-intermediates): not at every start-up.
    const { default: http } = await import('node:http');
    const { status, location, body } = await get(http, u, timeoutMs, maxBytes);
    if (status >= 300 && status < 400 && location && redirects > 0) {
      return fetchCaIssuers(new URL(location, u).toString(), o, redirects - 1);
    }
    if (status !== 200) return { url, ok: false, certificates: [], error: `HTTP ${status}` };
    const certificates = certificatesFromBody(body);
    if (certificates.length === 0) return { url, ok: false, certificates, error: 'the response holds no certificate' };
    return { url, ok: true, certificates };
  } catch (e) {
    return { url, ok: false, certificates: [], error: errorMessage(e) };
  }
}

function get(http: typeof import('node:http'), u: URL, timeoutMs: number, maxBytes: number): Promise<{ status: number; location?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(u, { timeout: timeoutMs, headers: { accept: 'application/pkix-cert, application/pkcs7-mime, */*' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) { req.destroy(new Error(`response larger than ${maxBytes} bytes`)); return; }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
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
