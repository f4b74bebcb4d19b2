/**
 * --save-chain DIR: the certificates of the path as PEM files, named by role
 * (leaf.pem, intermediate-1.pem ..., root.pem, fullchain.pem), and the exact
 * commands that add the right file to each platform's trust store.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, errorMessage } from '../util/errors.js';
import type { TrustReport } from './trust.js';

export interface SavedFile { file: string; role: 'leaf' | 'intermediate' | 'root' | 'fullchain' | 'extra'; subject: string }

export interface SavedChain {
  dir: string;
  files: SavedFile[];
  /** The file a client must trust to accept this server (self-signed leaf or private root), or null. */
  trustFile: string | null;
  /** Why trustFile is null when the chain is untrusted (e.g. the root was not sent). */
  note: string | null;
}

export function saveChain(t: TrustReport, dir: string): SavedChain {
  const abs = resolve(dir);
  try { mkdirSync(abs, { recursive: true }); } catch (e) { throw new UsageError(`--save-chain ${dir}: cannot create the directory (${errorMessage(e)})`); }
  const files: SavedFile[] = [];
  const write = (name: string, pem: string, role: SavedFile['role'], subject: string) => {
    const file = join(abs, name);
    try { writeFileSync(file, pem); } catch (e) { throw new UsageError(`--save-chain ${dir}: cannot write ${name} (${errorMessage(e)})`); }
    files.push({ file, role, subject });
    return file;
  };
  let inter = 0;
  let rootFile: string | null = null;
  t.path.forEach((c, i) => {
    const last = i === t.path.length - 1;
    if (i === 0) {
      write('leaf.pem', c.info.pem, 'leaf', c.info.subject);
      if (c.info.selfSigned) rootFile = join(abs, 'leaf.pem');
    } else if (last && c.info.selfSigned) rootFile = write('root.pem', c.info.pem, 'root', c.info.subject);
    else write(`intermediate-${++inter}.pem`, c.info.pem, 'intermediate', c.info.subject);
  });
  const onPath = new Set(t.path.map((c) => c.info.sha256));
  let extra = 0;
  for (const c of t.certificates) {
    if (!onPath.has(c.sha256) && c.subject && !c.subject.startsWith('(unparseable')) write(`extra-${++extra}.pem`, c.pem, 'extra', c.subject);
  }
  const serverChain = t.path.filter((c) => c.source !== 'store' && !(c.info.selfSigned && c !== t.path[0]));
  if (serverChain.length) write('fullchain.pem', serverChain.map((c) => c.info.pem).join(''), 'fullchain', serverChain.map((c) => c.info.subject).join(' > '));

  let trustFile: string | null = null;
  let note: string | null = null;
  if (t.problem === 'self-signed') trustFile = rootFile ?? join(abs, 'leaf.pem');
  else if (t.problem === 'untrusted-root') {
    if (rootFile) trustFile = rootFile;
    else note = `the root (${t.missingIssuer ?? t.path[t.path.length - 1]?.info.issuer}) was not sent by the server; get its certificate from the CA's owner, then add that file to the trust store`;
  } else if (t.trusted && !t.publiclyTrusted && rootFile) trustFile = rootFile;
  return { dir: abs, files, trustFile, note };
}

/** Commands that add a CA (or self-signed) certificate file to common trust stores. */
export function trustStoreInstructions(file: string): { platform: string; how: string }[] {
  const name = file.replace(/^.*[\\/]/, '').replace(/\.pem$/, '');
  return [
    { platform: 'Windows (machine-wide, .NET/IIS/PowerShell)', how: `certlm.msc > Trusted Root Certification Authorities > All Tasks > Import "${file}", or PowerShell as admin: Import-Certificate -FilePath "${file}" -CertStoreLocation Cert:\\LocalMachine\\Root` },
    { platform: 'Java (the JVM running the client)', how: `keytool -importcert -cacerts -alias tlsdoctor-${name} -file "${file}" -noprompt   (password "changeit" unless changed; restart the JVM)` },
    { platform: 'Debian/Ubuntu (curl, OpenSSL, Python with the system store)', how: `sudo cp "${file}" /usr/local/share/ca-certificates/tlsdoctor-${name}.crt && sudo update-ca-certificates` },
    { platform: 'Node.js', how: `NODE_EXTRA_CA_CERTS="${file}" node app.js   (read at start-up)` },
    { platform: 'Python (requests/certifi)', how: `REQUESTS_CA_BUNDLE="${file}" or SSL_CERT_FILE="${file}" (replaces the bundle: append the file to a copy of certifi.where() to keep the public roots)` },
  ];
}
