/**
 * Revocation material made at test time with the openssl CLI: lines of an
 * `openssl ca` database (index.txt) saying a certificate is valid or revoked,
 * and a CRL signed from such a database (`openssl ca -gencrl`). The same
 * database serves `openssl ocsp` as a responder.
 */
import { after } from 'node:test';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertFactory, CertFiles } from './certs.js';
import { freePort } from './servers.js';

/** The certificate's serial number, upper-case hex, as openssl prints it. */
export function serialOf(c: CertFiles): string {
  return execFileSync('openssl', ['x509', '-in', c.cert, '-noout', '-serial'], { encoding: 'utf8' }).trim().split('=')[1]!;
}

const yymmdd = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

/** A database line: valid, or revoked an hour ago for `revokedReason` (keyCompromise, superseded ...). */
export function indexLine(c: CertFiles, cn: string, revokedReason?: string): string {
  const expires = yymmdd(new Date(Date.now() + 300 * 86400_000));
  return revokedReason
    ? `R\t${expires}\t${yymmdd(new Date(Date.now() - 3600_000))},${revokedReason}\t${serialOf(c)}\tunknown\t/CN=${cn}\n`
    : `V\t${expires}\t\t${serialOf(c)}\tunknown\t/CN=${cn}\n`;
}

/** A CRL (DER) that `signer` issues from the database `index`, valid for 7 days; its files go in `dir` under `name`. */
export function makeCrl(dir: string, name: string, index: string, signer: CertFiles): Buffer {
  const idx = join(dir, `${name}.index`);
  writeFileSync(idx, index);
  const conf = join(dir, `${name}.cnf`);
  writeFileSync(conf, `[ca]\ndefault_ca=d\n[d]\ndatabase=${idx}\ndefault_md=sha256\n`);
  const pem = join(dir, `${name}.crl.pem`);
  execFileSync('openssl', ['ca', '-gencrl', '-config', conf, '-keyfile', signer.key, '-cert', signer.cert, '-out', pem, '-crldays', '7'], { stdio: 'ignore' });
  return execFileSync('openssl', ['crl', '-in', pem, '-outform', 'DER']);
}

/**
 * A CA and a leaf for localhost that it revoked (keyCompromise), its CRL served over plain HTTP
 * on 127.0.0.1 at the URL the leaf names (crlDistributionPoints), until the test file ends.
 */
export async function revokedLeafWithCrl(f: CertFactory, name: string): Promise<{ ca: CertFiles; leaf: CertFiles; crlUrl: string }> {
  const crlPort = await freePort();
  const crlUrl = `http://127.0.0.1:${crlPort}/ca.crl`;
  const ca = f.make({ cn: `${name} CA`, ca: true, key: 'rsa2048' });
  const leaf = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost', issuer: ca, extra: [`crlDistributionPoints=URI:${crlUrl}`] });
  const crl = makeCrl(f.dir, name.replace(/\W/g, ''), indexLine(leaf, 'localhost', 'keyCompromise'), ca);
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/pkix-crl' }); res.end(crl); });
  await new Promise<void>((resolve) => server.listen(crlPort, '127.0.0.1', resolve));
  after(() => server.close());
  return { ca, leaf, crlUrl };
}
