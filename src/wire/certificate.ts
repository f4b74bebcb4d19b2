/**
 * Certificate handshake message (RFC 5246 §7.4.2; RFC 8446 §4.4.2) and
 * CertificateStatus (RFC 6066 §8). Only framing: DER bytes come out untouched.
 */
import { WireError } from '../util/errors.js';
import { ByteReader } from './bytes.js';
import { parseExtensionList, type Extension } from './server-hello.js';

export interface CertificateEntry {
  der: Uint8Array;
  /** TLS 1.3 per-entry extensions (status_request, signed_certificate_timestamp); [] before 1.3. */
  extensions: Extension[];
}

/**
 * Parses a Certificate message body (without the 4-byte handshake header)
 * into its entries, leaf first. tls13 selects the TLS 1.3 form
 * (certificate_request_context, per-entry extensions).
 */
export function parseCertificateEntries(body: Uint8Array, tls13 = false): CertificateEntry[] {
  const r = new ByteReader(body);
  if (tls13) {
    // certificate_request_context is empty in a server's handshake Certificate.
    r.vector(1, 'certificate_request_context');
  }
  const list = r.vector(3, 'certificate_list');
  r.expectEnd('Certificate message');
  const out: CertificateEntry[] = [];
  while (!list.done) {
    const cert = list.vector(3, 'certificate');
    if (cert.remaining === 0) throw new WireError(`empty certificate at position ${out.length}`);
    const der = cert.bytes(cert.remaining);
    const extensions = tls13 ? parseExtensionList(list.vector(2, 'certificate entry extensions'), 'CertificateEntry extensions') : [];
    out.push({ der, extensions });
  }
  return out;
}

/** The DER certificates of a Certificate message body, leaf first. */
export function parseCertificateMessage(body: Uint8Array, tls13 = false): Uint8Array[] {
  return parseCertificateEntries(body, tls13).map((e) => e.der);
}

/**
 * CertificateStatus body (TLS <= 1.2 OCSP stapling, RFC 6066 §8): returns the
 * DER OCSPResponse. status_type must be ocsp (1).
 */
export function parseCertificateStatus(body: Uint8Array): Uint8Array {
  const r = new ByteReader(body);
  const statusType = r.u8('status_type');
  if (statusType !== 1) throw new WireError(`unknown CertificateStatus type ${statusType}`);
  const resp = r.vector(3, 'OCSPResponse');
  r.expectEnd('CertificateStatus');
  if (resp.remaining === 0) throw new WireError('empty OCSPResponse');
  return resp.bytes(resp.remaining);
}
