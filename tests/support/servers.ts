/**
 * Real TLS servers on loopback for tests: openssl s_server, nginx, gnutls-serv
 * and node:tls. Each start function resolves once the port accepts TCP and
 * registers its own shutdown with the test file's `after` hook.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { tempDir } from './tmp.js';
import { nginxConf } from './nginx-conf.js';

export interface RunningServer {
  host: string;
  port: number;
  stop(): Promise<void>;
  /** Output of the server process, for debugging a failed test. */
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A port nothing listens on, for the tests of an unreachable target: a random one below Linux's
 * ephemeral range (32768-60999), checked to refuse a connection. Not freePort's: a port it
 * released goes back to the kernel's pool, and a server another test file starts at the same
 * moment (on port 0, as the JSSE and Go servers do) can be given it: the "closed" port answered.
 */
export async function closedPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
    });
    if (refused) return port;
  }
  throw new Error('no closed port found in 20000-31999');
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`server on ${host}:${port} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function hasCommand(cmd: string): boolean {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** SIGTERM, then SIGKILL 2 s later if the process is still there; resolves once it has exited. */
export function terminate(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 2000).unref(); });
}

async function spawnServer(cmd: string, args: string[], port: number, opts: { cwd?: string } = {}): Promise<RunningServer> {
  let out = '';
  const child: ChildProcess = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const stop = async () => { if (!exited) await terminate(child); };
  after(stop);
  try {
    await waitForPort(port);
  } catch (e) {
    await stop();
    throw new Error(`${cmd} failed to start: ${(e as Error).message}\n${out}`);
  }
  return { host: '127.0.0.1', port, stop, log: () => out };
}

/**
 * openssl s_server. `args` are extra s_server flags, e.g. ['-tls1_3'] or
 * ['-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-serverpref'].
 * -www makes it answer HTTP so clients can complete a request.
 */
export async function startOpenSSLServer(o: { cert: string; key: string; chain?: string; args?: string[]; www?: boolean }): Promise<RunningServer> {
  const port = await freePort();
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', o.cert, '-key', o.key, '-quiet'];
  if (o.chain) args.push('-cert_chain', o.chain);
  if (o.www !== false) args.push('-www');
  args.push(...(o.args ?? []));
  return spawnServer('openssl', args, port);
}

/** gnutls-serv with a priority string, e.g. 'NORMAL:-VERS-ALL:+VERS-TLS1.2'. */
export async function startGnuTLSServer(o: { cert: string; key: string; priority?: string; args?: string[] }): Promise<RunningServer> {
  const port = await freePort();
  const args = ['--port', String(port), '--x509certfile', o.cert, '--x509keyfile', o.key, '--http', '--quiet'];
  if (o.priority) args.push('--priority', o.priority);
  args.push(...(o.args ?? []));
  return spawnServer('gnutls-serv', args, port);
}

/**
 * nginx with one TLS server block. `directives` go inside the server block,
 * e.g. ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers ...;', 'ssl_prefer_server_ciphers on;'].
 */
export async function startNginx(o: { cert: string; key: string; directives?: string[]; defaultServer?: string[] }): Promise<RunningServer> {
  const port = await freePort();
  const dir = tempDir('tlsdoctor-nginx-');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf({ dir, port, cert: o.cert, key: o.key, directives: o.directives, defaultServer: o.defaultServer }));
  return spawnServer('nginx', ['-p', dir, '-c', conf], port);
}

/** microsocks, a SOCKS5 server (RFC 1928), on loopback; with a user and password (RFC 1929) when given. */
export async function startMicrosocks(o: { user?: string; password?: string } = {}): Promise<RunningServer> {
  const port = await freePort();
  const args = ['-i', '127.0.0.1', '-p', String(port), ...(o.user ? ['-u', o.user, '-P', o.password ?? ''] : [])];
  return spawnServer('microsocks', args, port);
}

/** A node:tls server; options are passed to tls.createServer. */
export async function startNodeTLSServer(options: tls.TlsOptions): Promise<RunningServer> {
  const server = tls.createServer(options, (sock) => {
    sock.on('error', () => {});
    // Read (and drop) what the client sends: a stream that holds unread data never ends, and its
    // connection would stay open past the client's close (the padding-oracle check's good record).
    sock.resume();
    sock.end('HTTP/1.0 200 OK\r\n\r\nok\n');
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  after(stop);
  return { host: '127.0.0.1', port, stop, log: () => '' };
}

export interface SlapdServer { ldapPort: number; ldapsPort: number | null; stop(): Promise<void>; log(): string }

/**
 * OpenLDAP's slapd with no database (the root DSE answers), listening for
 * LDAP on one port and, with a certificate, LDAPS on another; StartTLS on the
 * LDAP port uses the same certificate. Without `cert`, StartTLS is refused.
 */
export async function startSlapd(o: { cert?: string; key?: string } = {}): Promise<SlapdServer> {
  const dir = tempDir('tlsdoctor-slapd-');
  const ldapPort = await freePort();
  const ldapsPort = o.cert ? await freePort() : null;
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, [
    'include /etc/ldap/schema/core.schema',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    ...(o.cert && o.key ? [`TLSCertificateFile ${o.cert}`, `TLSCertificateKeyFile ${o.key}`] : []),
    '',
  ].join('\n'));
  const urls = [`ldap://127.0.0.1:${ldapPort}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])].join(' ');
  const slapd = hasCommand('slapd') ? 'slapd' : '/usr/sbin/slapd';
  const s = await spawnServer(slapd, ['-f', conf, '-h', urls, '-d', '0'], ldapPort);
  if (ldapsPort) await waitForPort(ldapsPort);
  return { ldapPort, ldapsPort, stop: s.stop, log: s.log };
}

/**
 * Two node:tls servers on one port, at 127.0.0.1 and 127.0.0.2 (both loopback on Linux): two
 * nodes of one host name, which `--resolve` names (no DNS server here gives a name two
 * addresses). `two` null: no server at 127.0.0.2. Each connection is ended once it is up.
 */
export async function startNodeTLSPair(one: tls.TlsOptions, two: tls.TlsOptions | null): Promise<{ port: number; close: () => Promise<void> }> {
  const closing = (s: tls.Server) => new Promise<void>((r) => s.close(() => r()));
  for (let attempt = 0; ; attempt++) {
    const a = tls.createServer(one, (s) => s.end());
    const port = await new Promise<number>((resolve, reject) => {
      a.once('error', reject).listen(0, '127.0.0.1', () => resolve((a.address() as net.AddressInfo).port));
    });
    if (!two) return { port, close: () => closing(a) };
    const b = tls.createServer(two, (s) => s.end());
    const ok = await new Promise<boolean>((resolve) => {
      b.once('error', () => resolve(false)).listen(port, '127.0.0.2', () => resolve(true));
    });
    if (ok) return { port, close: async () => { await closing(a); await closing(b); } };
    await closing(a);
    if (attempt > 5) throw new Error('no port free on both 127.0.0.1 and 127.0.0.2');
  }
}
