/**
 * HTTP proxies (`--proxy http://[user:pass@]host:port`): every connection of
 * a scan, a diagnosis or a pin goes through a CONNECT tunnel (RFC 9110
 * section 9.3.6), as a client on a network that only lets a proxy out would.
 * The target's name is resolved by the proxy. The reply to CONNECT is read by
 * a pure parser (TunnelReply), which the probe (net/probe.ts) drives inline
 * and openTunnel drives for node:tls handshakes.
 */
import net from 'node:net';
import { UsageError } from '../util/errors.js';

export interface Proxy {
  host: string;
  port: number;
  /** "Basic <base64>" from the URL's user and password. */
  authorization?: string;
  /** The proxy as shown in messages: scheme, host and port, never its credentials. */
  shown: string;
}

/** Parses --proxy: http:// only (a TLS connection to the proxy itself is not spoken). */
export function parseProxy(text: string): Proxy {
  let u: URL;
  try { u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`); } catch { throw new UsageError(`--proxy: "${text}" is not a proxy URL (http://host:port)`); }
  if (u.protocol !== 'http:') throw new UsageError(`--proxy: only http:// proxies are spoken (got ${u.protocol}//)`);
  if (!u.hostname) throw new UsageError(`--proxy: "${text}" names no host`);
  const port = u.port ? Number(u.port) : 80;
  const user = decodeURIComponent(u.username), pass = decodeURIComponent(u.password);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    ...(user || pass ? { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } : {}),
    shown: `http://${u.host}`,
  };
}

/** The CONNECT request for host:port. */
export function connectRequest(p: Proxy, host: string, port: number): Buffer {
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return Buffer.from(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${p.authorization ? `Proxy-Authorization: ${p.authorization}\r\n` : ''}\r\n`, 'latin1');
}

/** The proxy did not open the tunnel: its status line, or a reply that is not HTTP. */
export class ProxyError extends Error {
  constructor(message: string, readonly status: number | null) { super(message); }
}

/** A proxy that sends more than this before its reply head ends is not one. */
const MAX_HEAD = 16 * 1024;

/** Reads the proxy's reply to CONNECT: done (with any bytes after the head) on 2xx; ProxyError otherwise. */
export class TunnelReply {
  private buf = Buffer.alloc(0);
  constructor(private readonly proxy: Proxy, private readonly target: string) {}

  push(chunk: Uint8Array): { done?: true; rest?: Buffer } {
    this.buf = Buffer.concat([this.buf, chunk]);
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) throw new ProxyError(`the proxy ${this.proxy.shown} sent more than ${MAX_HEAD} bytes without ending its reply to CONNECT`, null);
      if (this.buf.length >= 5 && !this.buf.subarray(0, 5).equals(Buffer.from('HTTP/'))) throw this.notHttp();
      return {};
    }
    const line = this.buf.subarray(0, this.buf.indexOf('\r\n')).toString('latin1');
    const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(line);
    if (!m) throw this.notHttp();
    const status = Number(m[1]);
    if (status < 200 || status > 299) {
      const why = status === 407 ? ': it requires authentication (--proxy http://user:password@host:port)' : '';
      throw new ProxyError(`the proxy ${this.proxy.shown} refused the tunnel to ${this.target}: ${status}${m[2] ? ` ${m[2].slice(0, 80)}` : ''}${why}`, status);
    }
    const rest = this.buf.subarray(end + 4);
    return { done: true, ...(rest.length ? { rest: Buffer.from(rest) } : {}) };
  }

  private notHttp(): ProxyError {
    return new ProxyError(`${this.proxy.shown} did not answer CONNECT as an HTTP proxy`, null);
  }
}

/** A TCP connection to host:port through the proxy's tunnel: the next byte written goes to the target. */
export function openTunnel(p: Proxy, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const reply = new TunnelReply(p, `${host}:${port}`);
    const sock = net.connect({ host: p.host, port: p.port });
    const fail = (err: Error) => { clearTimeout(timer); sock.destroy(); reject(err); };
    const timer = setTimeout(() => fail(new Error(`the proxy ${p.shown} did not open a tunnel to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    sock.once('error', (e) => fail(new Error(`the proxy ${p.shown}: ${e.message}`)));
    sock.once('end', () => fail(new Error(`the proxy ${p.shown} closed the connection before opening the tunnel to ${host}:${port}`)));
    sock.once('connect', () => sock.write(connectRequest(p, host, port)));
    const onData = (d: Buffer) => {
      let step;
      try { step = reply.push(d); } catch (e) { return fail(e as Error); }
      if (!step.done) return;
      clearTimeout(timer);
      sock.off('data', onData);
      sock.removeAllListeners('error');
      sock.removeAllListeners('end');
      if (step.rest) sock.unshift(step.rest);
      resolve(sock);
    };
    sock.on('data', onData);
  });
}
