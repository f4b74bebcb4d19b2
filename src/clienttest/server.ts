/**
 * client-test: a TLS endpoint that reads each client's ClientHello from the
 * socket itself (before any TLS library sees it), reports on it, and then
 * hands the socket — with the bytes already read put back — to node:tls to
 * finish the handshake when it can. A client that does not meet the policy is
 * refused the way a TLS-1.2-only API refuses it (a fatal protocol_version
 * alert), and its report is still logged.
 *
 * Hostile input is normal input: every connection has a byte cap and a read
 * deadline for its hello; whatever is malformed is logged as such and the
 * socket closed; the server keeps serving everyone else.
 */
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import { appendFileSync } from 'node:fs';
import { frameClientHello, parseHandshakeClientHello, parseSSLv2ClientHello, MAX_CLIENT_HELLO_BYTES } from '../wire/client-hello-parse.js';
import { analyzeParsedClientHello, type ClientHelloReport, type ClientPolicy, DEFAULT_POLICY, humanVersion } from './analysis.js';
import { renderReportHtml } from './html.js';
import { errorMessage, WireError } from '../util/errors.js';

export type ClientOutcome = 'completed' | 'refused' | 'malformed' | 'timeout' | 'handshake-failed' | 'closed';

export interface ClientLogEntry {
  id: number;
  time: string;
  remote: string;
  outcome: ClientOutcome;
  /** Bytes read before the hello was framed (or before giving up). */
  bytesRead: number;
  report?: ClientHelloReport;
  negotiated?: { protocol: string | null; cipher: string; alpn?: string | false | null };
  error?: string;
}

export interface ClientTestOptions {
  host?: string;
  port?: number;
  /** PEM certificate (chain) and key. */
  cert: string | Buffer;
  key: string | Buffer;
  policy?: ClientPolicy;
  /** Refuse clients that do not meet the policy (--require). */
  enforce?: boolean;
  /** Time a client has to send its whole ClientHello. */
  helloTimeoutMs?: number;
  /** Time for the TLS handshake after the hello. */
  handshakeTimeoutMs?: number;
  /** Idle time for the HTTP part. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** Append a JSON line per client here. */
  jsonLog?: string;
  /** Called once per client with its final entry (console line, tests). */
  onClient?: (e: ClientLogEntry) => void;
}

/** Bytes read before giving up on framing a hello: the hello cap plus a record header per 256 bytes. */
const MAX_PRE_HELLO_BYTES = MAX_CLIENT_HELLO_BYTES + (MAX_CLIENT_HELLO_BYTES / 256) * 5 + 64;

/** TLS alert record: level fatal (2), description; record version taken from the client. */
function alertRecord(version: number, description: number): Buffer {
  return Buffer.from([21, version >> 8, version & 0xff, 0, 2, 2, description]);
}
const ALERT_PROTOCOL_VERSION = 70;

export class ClientTestServer {
  private server: net.Server;
  private http: http.Server;
  private nextId = 1;
  private readonly entries = new WeakMap<tls.TLSSocket, ClientLogEntry>();
  private readonly sockets = new Set<net.Socket>();
  private readonly context: tls.SecureContext;
  readonly policy: ClientPolicy;

  constructor(private readonly o: ClientTestOptions) {
    this.policy = o.policy ?? DEFAULT_POLICY;
    // Accept every version Node's OpenSSL still speaks so that old clients can
    // finish the handshake and see their report: TLS 1.0/1.1 need SECLEVEL 0.
    // With --require, the context also refuses below the policy's version.
    const minVersion = o.enforce ? (tlsMin(this.policy.minVersion)) : 'TLSv1';
    this.context = tls.createSecureContext({
      cert: o.cert, key: o.key, minVersion, ciphers: 'ALL:@SECLEVEL=0',
    });
    this.http = http.createServer((req, res) => this.handleHttp(req, res));
    this.http.keepAliveTimeout = 2000;
    this.server = net.createServer((s) => this.accept(s));
    this.server.maxConnections = o.maxConnections ?? 512;
  }

  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port ?? 8443, this.o.host ?? '127.0.0.1', () => { this.server.off('error', reject); resolve(); });
    });
    const a = this.server.address() as net.AddressInfo;
    return { host: a.address, port: a.port };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private log(e: ClientLogEntry): void {
    if (this.o.jsonLog) {
      try { appendFileSync(this.o.jsonLog, JSON.stringify(e) + '\n'); } catch { /* a full disk must not stop the server */ }
    }
    try { this.o.onClient?.(e); } catch { /* a listener's bug must not stop the server */ }
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => { /* logged through the outcome below */ });
    const entry: ClientLogEntry = {
      id: this.nextId++, time: new Date().toISOString(),
      remote: `${socket.remoteAddress}:${socket.remotePort}`, outcome: 'closed', bytesRead: 0,
    };
    let buf: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: ClientOutcome, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      entry.outcome = outcome;
      if (error) entry.error = error;
      this.log(entry);
    };
    const timeoutMs = this.o.helloTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      finish('timeout', `no complete ClientHello within ${timeoutMs} ms (${buf.length} byte(s) received)`);
      socket.destroy();
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      entry.bytesRead = buf.length;
      if (buf.length > MAX_PRE_HELLO_BYTES) {
        finish('malformed', `more than ${MAX_PRE_HELLO_BYTES} bytes without a complete ClientHello`);
        socket.destroy();
        return;
      }
      let frame;
      try {
        frame = frameClientHello(buf);
        if (!frame) return;
        const hello = frame.format === 'sslv2'
          ? parseSSLv2ClientHello(frame.message)
          : parseHandshakeClientHello(frame.message, 'tls-record', frame.recordVersion);
        entry.report = analyzeParsedClientHello(hello, this.policy);
      } catch (e) {
        finish('malformed', e instanceof WireError ? e.message : `internal: ${errorMessage(e)}`);
        socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      this.afterHello(socket, buf, entry, frame.recordVersion ?? 0x0301, () => { done = true; });
    };
    socket.on('data', onData);
    socket.on('end', () => finish('closed', `client closed after ${buf.length} byte(s) without a complete ClientHello`));
    socket.on('close', () => finish('closed', `connection closed or reset after ${buf.length} byte(s) without a complete ClientHello`));
  }

  private afterHello(socket: net.Socket, bytes: Buffer, entry: ClientLogEntry, recordVersion: number, markDone: () => void): void {
    markDone();
    const report = entry.report!;
    if (this.o.enforce && !report.verdict.compliant) {
      entry.outcome = 'refused';
      entry.error = `refused with a protocol_version alert: ${report.verdict.reasons.join('; ')}`;
      this.log(entry);
      socket.end(alertRecord(recordVersion >= 0x0300 && recordVersion <= 0x0303 ? recordVersion : 0x0301, ALERT_PROTOCOL_VERSION));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    socket.unshift(bytes);
    const t = new tls.TLSSocket(socket, { isServer: true, secureContext: this.context });
    let logged = false;
    const hsTimer = setTimeout(() => {
      if (!logged) { logged = true; entry.outcome = 'timeout'; entry.error = 'TLS handshake did not finish in time'; this.log(entry); }
      t.destroy();
    }, this.o.handshakeTimeoutMs ?? 10_000);
    t.on('secure', () => {
      clearTimeout(hsTimer);
      const c = t.getCipher();
      entry.negotiated = { protocol: t.getProtocol(), cipher: c.standardName ?? c.name, alpn: t.alpnProtocol };
      entry.outcome = 'completed';
      this.entries.set(t, entry);
      if (!logged) { logged = true; this.log(entry); }
      t.setTimeout(this.o.idleTimeoutMs ?? 15_000, () => t.destroy());
      this.http.emit('connection', t);
    });
    t.on('error', (e) => {
      clearTimeout(hsTimer);
      if (logged) return;
      logged = true;
      entry.outcome = 'handshake-failed';
      const top = report.highestVersion;
      entry.error = errorMessage(e) + (/SSLv[23]/.test(top) ? ` (the client offers at most ${humanVersion(versionCode(top))}, which Node's OpenSSL cannot negotiate: analysed only)` : '');
      this.log(entry);
    });
  }

  private handleHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const entry = this.entries.get(req.socket as tls.TLSSocket);
    const path = (req.url ?? '/').split('?')[0];
    if (!entry?.report || req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(entry ? 405 : 500, { 'content-type': 'text/plain; charset=utf-8' }).end(entry ? 'use GET\n' : 'no report for this connection\n');
      return;
    }
    if (path === '/api/check') {
      const body = JSON.stringify({ remote: entry.remote, negotiated: entry.negotiated, report: entry.report }, null, 2);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body + '\n');
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(renderReportHtml(entry));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try / or /api/check\n');
    }
  }
}

function tlsMin(v: number): tls.SecureVersion {
  return v >= 0x0304 ? 'TLSv1.3' : v === 0x0303 ? 'TLSv1.2' : v === 0x0302 ? 'TLSv1.1' : 'TLSv1';
}

function versionCode(name: string): number {
  return ({ SSLv2: 0x0002, SSLv3: 0x0300 } as Record<string, number>)[name] ?? 0x0301;
}

/** One console line per client. */
export function consoleLine(e: ClientLogEntry): string {
  const r = e.report;
  const head = `${e.time} #${e.id} ${e.remote} ${e.outcome}`;
  if (!r) return `${head}: ${e.error ?? ''}`;
  const neg = e.negotiated ? ` | ${e.negotiated.protocol} ${e.negotiated.cipher}` : '';
  return `${head}: ${r.verdict.summary}${neg} | ja4 ${r.ja4.ja4}${e.error ? ` | ${e.error}` : ''}`;
}
