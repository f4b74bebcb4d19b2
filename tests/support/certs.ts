/**
 * Certificates made at test time with the openssl CLI: a CA, intermediates and
 * leaves with the properties a test needs (key type and size, validity dates,
 * SANs, EKU, signature hash). Files are written into a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export type KeySpec = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'ec256' | 'ec384' | 'ec521' | 'ed25519';

export interface CertFiles {
  key: string;
  cert: string;
  /** PEM text of the certificate. */
  pem: string;
  /** PEM text of the key. */
  keyPem: string;
}

export interface CertOptions {
  cn: string;
  key?: KeySpec;
  /** "DNS:a.example,IP:127.0.0.1" */
  san?: string;
  /** Issuer; self-signed when absent. */
  issuer?: CertFiles;
  ca?: boolean;
  /** Validity start and end; default now-1d .. now+365d. */
  notBefore?: Date;
  notAfter?: Date;
  /** Signature digest: sha256 (default), sha1, sha384 ... */
  digest?: string;
  /** extendedKeyUsage value, default serverAuth for leaves, none for CAs. */
  eku?: string | null;
  /** Extra extension lines for the openssl config section. */
  extra?: string[];
}

let counter = 0;

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function genKey(spec: KeySpec, path: string, cwd: string): void {
  const args = ['genpkey', '-out', path];
  switch (spec) {
    case 'rsa1024': args.push('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'); break;
    case 'rsa2048': args.push('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'); break;
    case 'rsa3072': args.push('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'); break;
    case 'ec256': args.push('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'); break;
    case 'ec384': args.push('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'); break;
    case 'ec521': args.push('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'); break;
    case 'ed25519': args.push('-algorithm', 'ED25519'); break;
  }
  openssl(args, cwd);
}

/** openssl's -not_before/-not_after want YYYYMMDDHHMMSSZ. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

export class CertFactory {
  readonly dir: string;
  constructor(dir?: string) { this.dir = dir ?? tempDir('tlsdoctor-certs-'); }

  make(o: CertOptions): CertFiles {
    const n = ++counter;
    const base = join(this.dir, `c${n}`);
    const key = `${base}.key`, csr = `${base}.csr`, cert = `${base}.crt`, ext = `${base}.ext`;
    genKey(o.key ?? 'ec256', key, this.dir);
    openssl(['req', '-new', '-key', key, '-subj', `/CN=${o.cn}`, '-out', csr], this.dir);
    const lines = ['[ext]'];
    if (o.ca) {
      lines.push('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature');
    } else {
      lines.push('basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment');
      const eku = o.eku === undefined ? 'serverAuth' : o.eku;
      if (eku) lines.push(`extendedKeyUsage=${eku}`);
    }
    if (o.ca && o.eku) lines.push(`extendedKeyUsage=${o.eku}`);
    if (o.san) lines.push(`subjectAltName=${o.san}`);
    lines.push('subjectKeyIdentifier=hash');
    if (o.issuer) lines.push('authorityKeyIdentifier=keyid:always');
    lines.push(...(o.extra ?? []));
    writeFileSync(ext, lines.join('\n') + '\n');
    const notBefore = o.notBefore ?? new Date(Date.now() - 86400_000);
    const notAfter = o.notAfter ?? new Date(Date.now() + 365 * 86400_000);
    const args = ['x509', '-req', '-in', csr, '-out', cert, '-extfile', ext, '-extensions', 'ext',
      '-set_serial', String(1000 + n), `-${o.digest ?? 'sha256'}`];
    if (o.issuer) args.push('-CA', o.issuer.cert, '-CAkey', o.issuer.key);
    else args.push('-key', key);
    signWithDates(args, notBefore, notAfter, this.dir);
    return { key, cert, pem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  }

  /** Concatenates PEM files (leaf first) into one chain file. */
  bundle(name: string, ...certs: CertFiles[]): string {
    const path = join(this.dir, name);
    writeFileSync(path, certs.map((c) => c.pem).join(''));
    return path;
  }
}

/**
 * openssl 3.0's `x509 -req` cannot set arbitrary notBefore/notAfter, but `openssl ca`
 * can (-startdate/-enddate). We run it with a throwaway database.
 */
function signWithDates(x509Args: string[], notBefore: Date, notAfter: Date, cwd: string): void {
  const get = (flag: string) => { const i = x509Args.indexOf(flag); return i >= 0 ? x509Args[i + 1] : undefined; };
  const csr = get('-in')!, out = get('-out')!, ext = get('-extfile')!;
  const caCert = get('-CA'), caKey = get('-CAkey') ?? get('-key')!;
  const digest = x509Args.find((a) => /^-sha|^-md5/.test(a))!.slice(1);
  const n = ++counter;
  const db = join(cwd, `db${n}`);
  writeFileSync(`${db}.index`, '');
  writeFileSync(`${db}.serial`, (0x2000 + n).toString(16).padStart(4, '0') + '\n');
  const conf = join(cwd, `ca${n}.cnf`);
  writeFileSync(conf, [
    '[ca]', 'default_ca=tca', '[tca]', `database=${db}.index`, `serial=${db}.serial`, `new_certs_dir=${cwd}`,
    'policy=pol', 'unique_subject=no', 'copy_extensions=none', '[pol]', 'commonName=supplied',
  ].join('\n') + '\n');
  const args = ['ca', '-batch', '-config', conf, '-in', csr, '-out', out, '-notext', '-md', digest,
    '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extfile', ext, '-extensions', 'ext', '-keyfile', caKey];
  if (caCert) args.push('-cert', caCert); else args.push('-selfsign');
  openssl(args, cwd);
}
