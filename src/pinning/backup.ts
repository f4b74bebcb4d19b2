/**
 * A backup pin that is real: a new key pair (kept by the user, offline) and a
 * CSR for the next certificate, whose pin ships in the app before the key is
 * ever used. A "backup pin" of a key nobody holds protects nothing.
 */
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { x509 } from '../x509/peculiar.js';
import { spkiPinOfSpkiDer } from '../x509/spki.js';
import { UsageError } from '../util/errors.js';

export const BACKUP_KEY_TYPES = ['ec256', 'ec384', 'rsa2048', 'rsa3072', 'rsa4096'] as const;
export type BackupKeyType = (typeof BACKUP_KEY_TYPES)[number];

export interface BackupKeyOptions {
  keyType?: BackupKeyType;
  /** Subject CN and DNS names for the CSR. */
  commonName?: string;
  dnsNames?: string[];
}

export interface BackupKey {
  keyPem: string;
  publicKeyPem: string;
  csrPem: string;
  pin: string;
  keyType: BackupKeyType;
}

type W = typeof webcrypto;
type GenParams = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;
type SignParams = webcrypto.Algorithm | webcrypto.EcdsaParams;

function algorithms(t: BackupKeyType): { gen: GenParams; sign: SignParams } {
  switch (t) {
    case 'ec256': return { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams };
    case 'ec384': return { gen: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as webcrypto.EcdsaParams };
    default: {
      const bits = Number(t.slice(3));
      return { gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } };
    }
  }
}

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

export async function makeBackupKey(o: BackupKeyOptions = {}): Promise<BackupKey> {
  const keyType = o.keyType ?? 'ec256';
  const { gen, sign } = algorithms(keyType);
  const crypto: W = webcrypto;
  const keys = await crypto.subtle.generateKey(gen, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const cn = o.commonName ?? o.dnsNames?.[0] ?? 'backup key';
  const extensions: x509.Extension[] = [];
  const names = o.dnsNames ?? (o.commonName ? [o.commonName] : []);
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))));
  const name: x509.JsonName = [{ CN: [cn] }];
  // @peculiar/x509 is typed against the DOM's Crypto; Node's webcrypto is the same API.
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys: keys as never, signingAlgorithm: sign as never, extensions }, crypto as never);
  const spki = await crypto.subtle.exportKey('spki', keys.publicKey);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    keyPem: pem('PRIVATE KEY', pkcs8),
    publicKeyPem: pem('PUBLIC KEY', spki),
    csrPem: csr.toString('pem') + '\n',
    pin: spkiPinOfSpkiDer(new Uint8Array(spki)),
    keyType,
  };
}

/** Writes backup.key (mode 0600), backup.pub, backup.csr and backup.pin into dir; refuses to overwrite. */
export async function writeBackupKey(dir: string, o: BackupKeyOptions & { prefix?: string } = {}): Promise<BackupKey & { files: Record<string, string> }> {
  const prefix = o.prefix ?? 'backup';
  const files = { key: join(dir, `${prefix}.key`), publicKey: join(dir, `${prefix}.pub`), csr: join(dir, `${prefix}.csr`), pin: join(dir, `${prefix}.pin`) };
  for (const f of Object.values(files)) if (existsSync(f)) throw new UsageError(`${f} exists; refusing to overwrite a key (choose another --out or --name)`);
  const k = await makeBackupKey(o);
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.key, k.keyPem, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.publicKey, k.publicKeyPem, { flag: 'wx' });
  writeFileSync(files.csr, k.csrPem, { flag: 'wx' });
  writeFileSync(files.pin, `sha256/${k.pin}\n`, { flag: 'wx' });
  return { ...k, files };
}
