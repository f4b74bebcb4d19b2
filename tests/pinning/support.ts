/** Helpers for the pinning tests: the openssl pin pipe of seed 003 and an HTTPS server that can restart on its port. */
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64` on a certificate file. */
export function opensslPinOfCert(certPath: string, inform: 'PEM' | 'DER' = 'PEM'): string {
  return execFileSync('sh', ['-c',
    `openssl x509 -inform ${inform} -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`, 'sh', certPath],
  { encoding: 'utf8' }).trim();
}

/** The same pipe starting from a key file (private or public). */
export function opensslPinOfKey(keyPath: string, isPublic = false): string {
  return execFileSync('sh', ['-c',
    `openssl pkey ${isPublic ? '-pubin' : ''} -in "$1" -pubout -outform der | openssl dgst -sha256 -binary | base64`, 'sh', keyPath],
  { encoding: 'utf8' }).trim();
}

/** One character changed: the seed's tamper test. */
export function tamper(pin: string): string {
  const b64 = pin.startsWith('sha256/') ? pin.slice(7) : pin;
  const c = b64[10] === 'A' ? 'B' : 'A';
  const t = b64.slice(0, 10) + c + b64.slice(11);
  return pin.startsWith('sha256/') ? `sha256/${t}` : t;
}

export interface HttpsServer { port: number; stop(): Promise<void> }

/** An HTTPS server answering "ok"; `port` to restart on a known port, `ticketKeys` to share session tickets. */
export async function startHttps(o: { cert: string; key: string; port?: number; ticketKeys?: Buffer; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }): Promise<HttpsServer> {
  const server = https.createServer({ cert: o.cert, key: o.key, ticketKeys: o.ticketKeys, maxVersion: o.maxVersion }, (req, res) => {
    res.setHeader('connection', 'close');
    res.end('ok');
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(o.port ?? 0, '127.0.0.1', () => resolve()); });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  after(stop);
  return { port: (server.address() as AddressInfo).port, stop };
}

/** Runs the CLI with captured output. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const stdout = new Writable({ write(c, _e, cb) { out += c; cb(); } });
  const stderr = new Writable({ write(c, _e, cb) { err += c; cb(); } });
  const code = await main(['node', 'tlsdoctor', ...args], { stdout, stderr });
  return { code, out, err };
}
