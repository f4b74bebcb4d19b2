/**
 * One HTTPS request, for what the server's web side says about TLS (its
 * Strict-Transport-Security header): a handshake through node:tls (any
 * version and suite it can still speak, no certificate check: the scan
 * judges the chain itself), `GET /` with Connection: close, and the head of
 * the answer. Bounded: one deadline for connect, handshake and head, and
 * at most MAX_HEAD_BYTES read; the socket is always closed.
 */
import type tls from 'node:tls';
import type net from 'node:net';
import { nodeTls } from '../util/builtins.js';
import { errorMessage } from '../util/errors.js';
import { openPath, SSL_OP_LEGACY_SERVER_CONNECT } from './full-handshake.js';
import type { Proxy } from './proxy.js';
import { ResponseHeadReader, type ResponseHead } from '../http/response.js';
import { VERSION } from '../util/version.js';

/** The least time given to the answer once the request is sent, ms. */
const ANSWER_MIN_MS = 2000;

export interface HttpsHeadOptions {
  host: string;
  port: number;
  /** SNI; undefined sends none (an address). */
  servername?: string;
  /** The Host header: the name the site is asked by. */
  hostHeader: string;
  timeoutMs: number;
  proxy?: Proxy;
}

/** The answer's head, and what the handshake under it showed. */
export interface HttpsAnswer {
  head: ResponseHead;
  /** The protocol node:tls negotiated ("TLSv1.3"). */
  protocol: string | null;
  /** The first session the server gave (node:tls's `session` event: with TLS 1.3, a NewSessionTicket, which comes before the answer); null when none came. */
  session: Buffer | null;
}

export async function fetchHttpsHead(o: HttpsHeadOptions): Promise<HttpsAnswer> {
  const started = Date.now();
  const socket = await openPath(o.host, o.port, o.timeoutMs, undefined, o.proxy);
  try {
    return await request(o, socket, Math.max(1, o.timeoutMs - (Date.now() - started)));
  } finally {
    socket?.destroy();
  }
}

function request(o: HttpsHeadOptions, socket: net.Socket | undefined, timeoutMs: number): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const reader = new ResponseHeadReader();
    let settled = false;
    let session: Buffer | null = null;
    const sock = nodeTls().connect({
      ...(socket ? { socket } : { host: o.host, port: o.port }),
      ...(o.servername ? { servername: o.servername } : {}),
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
      ALPNProtocols: ['http/1.1'],
      secureOptions: SSL_OP_LEGACY_SERVER_CONNECT,
    } as tls.ConnectionOptions);
    const started = Date.now();
    let timer = setTimeout(() => finish(new Error(`no HTTP answer from ${o.host}:${o.port} within ${o.timeoutMs} ms`)), timeoutMs);
    function finish(err: Error | null, head?: ResponseHead): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const protocol = sock.getProtocol();
      sock.destroy();
      if (err) reject(err); else resolve({ head: head!, protocol, session });
    }
    sock.on('session', (s: Buffer) => { session ??= s; });
    sock.on('secureConnect', () => {
      const host = o.hostHeader.includes(':') && !o.hostHeader.startsWith('[') ? `[${o.hostHeader}]` : o.hostHeader;
      const authority = o.port === 443 ? host : `${host}:${o.port}`;
      sock.write(`GET / HTTP/1.1\r\nHost: ${authority}\r\nUser-Agent: tlsdoctor/${VERSION}\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n`);
      // A TLS service that is no web server never answers: the answer gets the larger of
      // ANSWER_MIN_MS and eight handshakes' time, not the whole deadline (a scan would wait for it).
      const wait = Math.min(timeoutMs - (Date.now() - started), Math.max(ANSWER_MIN_MS, 8 * (Date.now() - started)));
      clearTimeout(timer);
      timer = setTimeout(() => finish(new Error(`no HTTP answer from ${o.host}:${o.port} within ${wait} ms of the request`)), Math.max(1, wait));
    });
    sock.on('data', (d: Buffer) => {
      try {
        const head = reader.push(d);
        if (head) finish(null, head);
      } catch (e) {
        finish(e as Error);
      }
    });
    sock.on('end', () => finish(new Error(`${o.host}:${o.port} closed the connection before the end of an HTTP response head`)));
    sock.on('error', (e) => finish(new Error(`HTTPS request to ${o.host}:${o.port} failed: ${errorMessage(e)}`)));
  });
}
