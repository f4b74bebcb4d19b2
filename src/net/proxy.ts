/**
 * Proxies: every connection of a scan, a diagnosis or a pin goes through a
 * tunnel, as a client on a network that only lets a proxy out would.
 *
 * - HTTP (`--proxy http://[user:pass@]host:port`): a CONNECT request (RFC
 *   9110 section 9.3.6), Basic authentication; the proxy resolves the name.
 *   `https://` speaks to the proxy itself over TLS (as curl's HTTPS proxies):
 *   its certificate is verified as Node.js verifies one (its bundled roots,
 *   and NODE_EXTRA_CA_CERTS), and the tunnel runs inside that connection.
 * - SOCKS5 (`--proxy socks5h://[user:pass@]host:port`, as `ssh -D` and
 *   microsocks serve): RFC 1928 CONNECT, with the user name and password of
 *   RFC 1929 when the URL has them. socks5h:// lets the proxy resolve the
 *   name; socks5:// resolves it here and hands the proxy the address (as
 *   curl does).
 *
 * The proxy's side of the exchange is read by a pure state machine (a
 * TunnelDialogue: HttpTunnel, Socks5Tunnel), which the probe (net/probe.ts)
 * drives inline and openTunnel drives for node:tls handshakes and the PKI's
 * HTTP fetches.
 */
import net from 'node:net';
import { lookup } from 'node:dns/promises';
import { nodeTls } from '../util/builtins.js';
import { UsageError } from '../util/errors.js';
import { ipBytes } from '../util/ip.js';
import type { Bypass } from './proxy-env.js';

export interface Proxy {
  kind: 'http' | 'socks5';
  host: string;
  port: number;
  /** HTTP: "Basic <base64>" from the URL's user and password. */
  authorization?: string;
  /** SOCKS5: the URL's user name and password (RFC 1929). */
  credentials?: { user: string; password: string };
  /** The proxy resolves the target's name (http://, socks5h://); false: it is resolved here (socks5://). */
  remoteDns: boolean;
  /** https://: the connection to the proxy is TLS. */
  tls?: boolean;
  /** The proxy as shown in messages: scheme, host and port, never its credentials. */
  shown: string;
  /** Hosts reached directly instead (--noproxy, NO_PROXY: net/proxy-env.ts). */
  bypass?: readonly Bypass[];
}

const PROXY_SCHEMES: Record<string, { kind: Proxy['kind']; port: number; remoteDns: boolean; tls?: true }> = {
  'http:': { kind: 'http', port: 80, remoteDns: true },
  'https:': { kind: 'http', port: 443, remoteDns: true, tls: true },
  'socks5:': { kind: 'socks5', port: 1080, remoteDns: false },
  'socks5h:': { kind: 'socks5', port: 1080, remoteDns: true },
};

/**
 * Parses --proxy: http://, https:// (TLS to the proxy), socks5:// or
 * socks5h://; host:port alone is HTTP. `label` names where
 * the text came from in errors (an environment variable for --proxy env).
 */
export function parseProxy(text: string, label = '--proxy'): Proxy {
  // A variable's value is not repeated: it may hold a password.
  const given = label === '--proxy' ? `"${text}"` : 'the value';
  let u: URL;
  try { u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`); } catch { throw new UsageError(`${label}: ${given} is not a proxy URL (http://host:port or socks5h://host:port)`); }
  const scheme = PROXY_SCHEMES[u.protocol];
  if (!scheme) throw new UsageError(`${label}: only http://, https://, socks5:// and socks5h:// proxies are spoken (got ${u.protocol}//)`);
  if (!u.hostname) throw new UsageError(`${label}: ${given} names no host`);
  const port = u.port ? Number(u.port) : scheme.port;
  const user = decodeURIComponent(u.username), pass = decodeURIComponent(u.password);
  if (scheme.kind === 'socks5' && (user.length > 255 || pass.length > 255)) throw new UsageError(`${label}: a SOCKS5 user name or password is at most 255 bytes (RFC 1929)`);
  return {
    kind: scheme.kind,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    ...(user || pass ? (scheme.kind === 'http'
      ? { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` }
      : { credentials: { user, password: pass } }) : {}),
    remoteDns: scheme.remoteDns,
    ...(scheme.tls ? { tls: true } : {}),
    shown: `${u.protocol}//${u.host}`,
  };
}

/** A failure of the connection to the proxy, in words; an https:// proxy whose certificate is not trusted says where trust comes from. */
export function proxyErrorText(p: Proxy, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const cert = p.tls && /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test(code);
  return `the proxy ${p.shown}: ${err.message}${cert ? ' (an https:// proxy\'s certificate is verified against Node.js\'s bundled roots and the file NODE_EXTRA_CA_CERTS names)' : ''}`;
}

/**
 * A connection to the proxy, and the event that says it is ready for the
 * tunnel's first bytes: TCP's connect, or, for an https:// proxy, the end of
 * the TLS handshake with it (the proxy's certificate verified by Node.js).
 */
export function connectProxy(p: Proxy): { socket: net.Socket; ready: 'connect' | 'secureConnect' } {
  if (!p.tls) return { socket: net.connect({ host: p.host, port: p.port }), ready: 'connect' };
  const socket = nodeTls().connect({ host: p.host, port: p.port, ...(net.isIP(p.host) ? {} : { servername: p.host }), ALPNProtocols: ['http/1.1'] });
  return { socket, ready: 'secureConnect' };
}

/** The proxy's side of opening a tunnel, fed its bytes: what to write next, and when the tunnel is open (with any bytes after). */
export interface TunnelDialogue {
  /** The first bytes to send once connected to the proxy. */
  start(): Buffer;
  /** Throws ProxyError when the proxy refuses or does not speak its protocol. */
  push(chunk: Uint8Array): { write?: Buffer; done?: true; rest?: Buffer };
}

/** The dialogue that opens a tunnel to host:port through `p`. */
export function tunnelDialogue(p: Proxy, host: string, port: number): TunnelDialogue {
  return p.kind === 'socks5' ? new Socks5Tunnel(p, host, port) : new HttpTunnel(p, host, port);
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

/** HTTP CONNECT: the request, then the proxy's reply: done (with any bytes after the head) on 2xx; ProxyError otherwise. */
export class HttpTunnel implements TunnelDialogue {
  private buf = Buffer.alloc(0);
  private readonly target: string;
  constructor(private readonly proxy: Proxy, private readonly host: string, private readonly port: number) {
    this.target = `${host}:${port}`;
  }

  start(): Buffer {
    return connectRequest(this.proxy, this.host, this.port);
  }

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

/** RFC 1928 section 6: the REP codes of a SOCKS5 reply. */
const SOCKS5_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure', 2: 'connection not allowed by ruleset', 3: 'network unreachable', 4: 'host unreachable',
  5: 'connection refused', 6: 'TTL expired', 7: 'command not supported', 8: 'address type not supported',
};

/**
 * SOCKS5 (RFC 1928): the greeting with one method (no authentication, or
 * user name and password when the URL has them, RFC 1929), the sub-
 * negotiation, then CONNECT with the name (the proxy resolves it) or the
 * address; done, with any bytes after the reply, on REP 0.
 */
export class Socks5Tunnel implements TunnelDialogue {
  private buf = Buffer.alloc(0);
  private state: 'method' | 'auth' | 'connect' | 'open' = 'method';
  private readonly target: string;
  constructor(private readonly proxy: Proxy, private readonly host: string, private readonly port: number) {
    this.target = `${host}:${port}`;
  }

  start(): Buffer {
    return Buffer.from([5, 1, this.proxy.credentials ? 2 : 0]);
  }

  push(chunk: Uint8Array): { write?: Buffer; done?: true; rest?: Buffer } {
    this.buf = Buffer.concat([this.buf, chunk]);
    let write: Buffer | undefined;
    for (;;) {
      const b = this.buf;
      if (this.state === 'method') {
        if (b.length < 2) break;
        if (b[0] !== 5) throw this.notSocks();
        if (b[1] === 0xff) {
          throw new ProxyError(`the proxy ${this.proxy.shown} accepts none of our authentication methods${this.proxy.credentials ? '' : ': it requires a user name and password (--proxy socks5h://user:password@host:port)'}`, null);
        }
        if (b[1] !== (this.proxy.credentials ? 2 : 0)) throw this.notSocks();
        this.buf = b.subarray(2);
        this.state = this.proxy.credentials ? 'auth' : 'connect';
        write = this.proxy.credentials ? this.authRequest() : this.connectRequest();
        continue;
      }
      if (this.state === 'auth') {
        if (b.length < 2) break;
        if (b[0] !== 1) throw this.notSocks();
        if (b[1] !== 0) throw new ProxyError(`the proxy ${this.proxy.shown} refused the user name and password`, null);
        this.buf = b.subarray(2);
        this.state = 'connect';
        write = this.connectRequest();
        continue;
      }
      // The reply to CONNECT: VER REP RSV ATYP BND.ADDR BND.PORT.
      if (b.length < 4) break;
      if (b[0] !== 5 || b[2] !== 0 || ![1, 3, 4].includes(b[3]!)) throw this.notSocks();
      if (b[1] !== 0) {
        throw new ProxyError(`the proxy ${this.proxy.shown} did not open a tunnel to ${this.target}: ${SOCKS5_REPLIES[b[1]!] ?? `reply ${b[1]}`}`, b[1]!);
      }
      if (b[3] === 3 && b.length < 5) break;
      const addr = b[3] === 1 ? 4 : b[3] === 4 ? 16 : 1 + b[4]!;
      if (b.length < 4 + addr + 2) break;
      this.state = 'open';
      const rest = b.subarray(4 + addr + 2);
      return { ...(write ? { write } : {}), done: true, ...(rest.length ? { rest: Buffer.from(rest) } : {}) };
    }
    if (this.buf.length > 512) throw this.notSocks();
    return write ? { write } : {};
  }

  private authRequest(): Buffer {
    const { user, password } = this.proxy.credentials!;
    const u = Buffer.from(user, 'utf8'), p = Buffer.from(password, 'utf8');
    return Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]);
  }

  private connectRequest(): Buffer {
    const kind = net.isIP(this.host);
    const port = Buffer.from([this.port >> 8, this.port & 0xff]);
    if (kind) return Buffer.concat([Buffer.from([5, 1, 0, kind === 4 ? 1 : 4]), ipBytes(this.host), port]);
    const name = Buffer.from(this.host, 'latin1');
    return Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, port]);
  }

  private notSocks(): ProxyError {
    return new ProxyError(`${this.proxy.shown} did not answer as a SOCKS5 proxy`, null);
  }
}

/**
 * A TCP connection to host:port through the proxy's tunnel: the next byte
 * written goes to the target. socks5:// takes an address: a name is resolved here first.
 */
export async function openTunnel(p: Proxy, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  if (p.kind === 'socks5' && !p.remoteDns && !net.isIP(host)) {
    try {
      host = (await lookup(host)).address;
    } catch (e) {
      throw new Error(`cannot resolve ${host} (socks5:// resolves names here; socks5h:// lets the proxy): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return new Promise((resolve, reject) => {
    const reply = tunnelDialogue(p, host, port);
    const { socket: sock, ready } = connectProxy(p);
    const fail = (err: Error) => { clearTimeout(timer); sock.destroy(); reject(err); };
    const timer = setTimeout(() => fail(new Error(`the proxy ${p.shown} did not open a tunnel to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    sock.once('error', (e) => fail(new Error(proxyErrorText(p, e))));
    sock.once('end', () => fail(new Error(`the proxy ${p.shown} closed the connection before opening the tunnel to ${host}:${port}`)));
    sock.once(ready, () => sock.write(reply.start()));
    const onData = (d: Buffer) => {
      let step;
      try { step = reply.push(d); } catch (e) { return fail(e as Error); }
      if (step.write) sock.write(step.write);
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
