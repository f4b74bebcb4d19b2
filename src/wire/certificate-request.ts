/**
 * CertificateRequest (TLS <= 1.2: RFC 5246 §7.4.4, RFC 4346 §7.4.4 before 1.2).
 * A server that sends it asks for a client certificate (mutual TLS); the
 * certificate_authorities list names the CAs whose certificates it accepts.
 * In TLS 1.3 the message is encrypted (net/tls13-chain.ts decrypts it) and
 * has another form: parseCertificateRequest13.
 */
import { WireError } from '../util/errors.js';
import { ByteReader } from './bytes.js';

export interface CertificateRequest {
  /** ClientCertificateType codes (1 rsa_sign, 2 dss_sign, 64 ecdsa_sign, ...). */
  certificateTypes: number[];
  /** SignatureAndHashAlgorithm codes (TLS 1.2 only). */
  signatureAlgorithms?: number[];
  /** DER-encoded X.501 DistinguishedNames of acceptable CAs; empty means any. */
  certificateAuthorities: Uint8Array[];
}

/**
 * Parses a CertificateRequest body (without the 4-byte handshake header).
 * `version` is the negotiated version: from 0x0303 the message carries the
 * signature algorithms list.
 */
export function parseCertificateRequest(body: Uint8Array, version: number): CertificateRequest {
  const r = new ByteReader(body);
  const types = r.vector(1, 'certificate_types');
  if (types.remaining === 0) throw new WireError('empty certificate_types');
  const certificateTypes = Array.from(types.bytes(types.remaining));
  const out: CertificateRequest = { certificateTypes, certificateAuthorities: [] };
  if (version >= 0x0303) {
    const algs = r.vector(2, 'supported_signature_algorithms');
    if (algs.remaining === 0 || algs.remaining % 2 !== 0) throw new WireError(`bad supported_signature_algorithms length ${algs.remaining}`);
    out.signatureAlgorithms = [];
    while (!algs.done) out.signatureAlgorithms.push(algs.u16('signature algorithm'));
  }
  const cas = r.vector(2, 'certificate_authorities');
  r.expectEnd('CertificateRequest');
  while (!cas.done) {
    const dn = cas.vector(2, 'DistinguishedName');
    if (dn.remaining === 0) throw new WireError('empty DistinguishedName');
    out.certificateAuthorities.push(dn.bytes(dn.remaining));
  }
  return out;
}

/**
 * Parses a TLS 1.3 CertificateRequest body (RFC 8446 §4.3.2): a context and
 * extensions, of which certificate_authorities (47, §4.2.4) and
 * signature_algorithms (13) say what the server accepts.
 */
export function parseCertificateRequest13(body: Uint8Array): CertificateRequest {
  const r = new ByteReader(body);
  r.vector(1, 'certificate_request_context');
  const exts = r.vector(2, 'CertificateRequest extensions');
  r.expectEnd('CertificateRequest');
  const out: CertificateRequest = { certificateTypes: [], certificateAuthorities: [] };
  while (!exts.done) {
    const type = exts.u16('extension type');
    const data = exts.vector(2, `extension ${type}`);
    if (type === 47) {
      const cas = data.vector(2, 'certificate_authorities');
      while (!cas.done) {
        const dn = cas.vector(2, 'DistinguishedName');
        if (dn.remaining === 0) throw new WireError('empty DistinguishedName');
        out.certificateAuthorities.push(dn.bytes(dn.remaining));
      }
    } else if (type === 13) {
      const algs = data.vector(2, 'signature_algorithms');
      out.signatureAlgorithms = [];
      while (!algs.done) out.signatureAlgorithms.push(algs.u16('signature algorithm'));
    }
  }
  return out;
}
