/**
 * One bounded plain-HTTP exchange for the PKI's own URLs (AIA caIssuers, OCSP,
 * CRL distribution points): http:// only (RFC 5280 and RFC 6960 publish
 * them so, and https would need the very trust being diagnosed), a deadline
 * for the whole exchange, a cap on the body, at most three redirects.
 * node:http is loaded on first use, not at every start-up.
 */
import type net from 'node:net';
import { connectProxy, openTunnel, type Proxy } from '../net/proxy.js';
import { proxyFor } from '../net/proxy-env.js';
import { nodeHttp } from '../util/builtins.js';

export interface HttpOptions {
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  maxBytes?: number;
  redirects?: number;
  /** Through this proxy: an HTTP one gets an absolute-form request (RFC 9112 section 3.2.2; inside TLS to an https:// one), a SOCKS5 one a tunnel. */
  proxy?: Proxy;
}

export interface HttpResult {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export async function httpExchange(url: string, o: HttpOptions = {}): Promise<HttpResult> {
  let u: URL;
  try { u = new URL(url); } catch { throw new Error('not a valid URL'); }
  if (u.protocol !== 'http:') throw new Error(`only http:// URLs are fetched (got ${u.protocol})`);
  const http = nodeHttp();
  const timeoutMs = o.timeoutMs ?? 5000;
  const maxBytes = o.maxBytes ?? 256 * 1024;
  const started = Date.now();
  // Not through the proxy when its no-proxy list names the URL's host.
  const proxy = proxyFor(o.proxy, u.hostname, Number(u.port || 80));
  // A SOCKS5 proxy carries the request in a tunnel to the URL's host.
  const tunnel: net.Socket | undefined = proxy?.kind === 'socks5' ? await openTunnel(proxy, u.hostname.replace(/^\[(.*)\]$/, '$1'), Number(u.port || 80), timeoutMs) : undefined;
  const left = Math.max(1, timeoutMs - (Date.now() - started));
  const r = await new Promise<{ status: number; location?: string; contentType?: string; body: Buffer }>((resolve, reject) => {
    const headers: Record<string, string> = { accept: o.accept ?? '*/*' };
    if (o.body) { headers['content-type'] = o.contentType ?? 'application/octet-stream'; headers['content-length'] = String(o.body.length); }
    // One exchange per connection (no keep-alive agent): nothing stays open after it.
    const via = proxy?.kind === 'http'
      ? { host: proxy.host, port: proxy.port, path: u.href, headers: { ...headers, host: u.host, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
        ...(proxy.tls ? { createConnection: () => connectProxy(proxy).socket } : {}) }
      : { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port || 80, path: `${u.pathname}${u.search}`, headers, ...(tunnel ? { createConnection: () => tunnel } : {}) };
    // `agent: false` would make node:http ignore createConnection (it builds an Agent of its own,
    // which connects directly): without an agent, createConnection's socket carries the request.
    const req = http.request({ ...via, method: o.method ?? 'GET', headers: { ...via.headers, connection: 'close' }, ...('createConnection' in via ? {} : { agent: false }), timeout: left }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) { req.destroy(new Error(`response larger than ${maxBytes} bytes`)); return; }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), left);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(o.body);
  });
  const redirects = o.redirects ?? 3;
  if (r.status >= 300 && r.status < 400 && r.location && redirects > 0 && (o.method ?? 'GET') === 'GET') {
    return httpExchange(new URL(r.location, u).toString(), { ...o, redirects: redirects - 1 });
  }
  return { status: r.status, contentType: r.contentType, body: r.body, url: u.toString() };
}
