import { createHash, X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * SPKI pins: base64(SHA-256(DER SubjectPublicKeyInfo)), the value HPKP, OkHttp,
 * TrustKit and pinning.json ("sha256/<pin>") all use. Note that Node's
 * `getPeerCertificate().pubkey` is NOT the SPKI for EC keys (it is the raw
 * point), so pins are always computed from the exported SPKI DER.
 */
export function spkiDerOfKey(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

export function spkiPinOfKey(key: KeyObject): string {
  return createHash('sha256').update(spkiDerOfKey(key)).digest('base64');
}

/** The pin of a certificate given as DER bytes or a PEM string. */
export function spkiPinOfCertificate(cert: Uint8Array | string | X509Certificate): string {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(typeof cert === 'string' ? cert : Buffer.from(cert));
  return spkiPinOfKey(x.publicKey);
}

/** The pin of a public or private key in PEM/DER (private keys yield their public half). */
export function spkiPinOfKeyMaterial(input: string | Buffer): string {
  return spkiPinOfKey(createPublicKey(input));
}

/** The pin of a SubjectPublicKeyInfo given as DER bytes, hashed exactly as they are. */
export function spkiPinOfSpkiDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64');
}
