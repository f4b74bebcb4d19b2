import { webcrypto } from 'node:crypto';
import { x509 } from '../x509/peculiar.js';

/**
 * Certificates made in-process for the demo servers (no openssl CLI needed):
 * a demo root CA and leaves it signs.
 */
export interface DemoIdentity {
  keyPem: string;
  certPem: string;
  /** PEM of the issuing CA (to send as chain / to trust). */
  caPem: string;
}

const subtle = webcrypto.subtle;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

type Alg = 'ec' | 'rsa';

async function keyPair(alg: Alg): Promise<CryptoKeyPair> {
  if (alg === 'ec') return subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  return subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

function signing(alg: Alg) {
  return alg === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
}

export async function makeDemoCA(): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await keyPair('ec');
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=tlsdoctor demo root CA',
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 3650 * 86_400_000),
    signingAlgorithm: signing('ec'),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

/** An intermediate CA signed by the demo root (the broken-chain target's issuer). */
export async function makeDemoIntermediate(ca: { cert: x509.X509Certificate; keys: CryptoKeyPair }): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await keyPair('ec');
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=tlsdoctor demo issuing CA',
    issuer: ca.cert.subject,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 1825 * 86_400_000),
    signingAlgorithm: signing('ec'),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert, keys };
}

/** `aia`: the URL a client can fetch the issuer from (Authority Information Access, CA Issuers). */
export async function makeDemoLeaf(ca: { cert: x509.X509Certificate; keys: CryptoKeyPair }, o: { cn: string; alg: Alg; san: string[]; days?: number; aia?: string }): Promise<DemoIdentity> {
  const keys = await keyPair(o.alg);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Date.now().toString(16),
    subject: `CN=${o.cn}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + (o.days ?? 90) * 86_400_000),
    signingAlgorithm: signing('ec'),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(o.san.map((v) => (/^[\d.]+$/.test(v) ? { type: 'ip', value: v } : { type: 'dns', value: v }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      ...(o.aia ? [new x509.AuthorityInfoAccessExtension({ caIssuers: o.aia })] : []),
    ],
  });
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: pem('PRIVATE KEY', pkcs8), certPem: cert.toString('pem') + '\n', caPem: ca.cert.toString('pem') + '\n' };
}
