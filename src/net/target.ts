import { isIP, isIPv4 } from 'node:net';

/**
 * net.isIP, without its IPv6 pattern for text that holds no colon (an IPv6
 * address has at least two): compiling that pattern costs 10-30 ms at its
 * first use, a large share of a short scan's start-up.
 */
function ipVersion(s: string): number {
  if (s.indexOf(':') !== s.lastIndexOf(':')) return isIP(s);
  return isIPv4(s) ? 4 : 0;
}
import { lookup } from 'node:dns/promises';
import { UsageError, UnreachableError, errorMessage } from '../util/errors.js';
import type { StartTls } from './starttls.js';
import type { Proxy } from './proxy.js';

/** A scan target as the user named it. */
export interface Target {
  host: string;
  port: number;
  /** SNI to send: --sni, else the host name; null for IP literals. */
  sni: string | null;
  /** The text the user typed, for messages. */
  input: string;
  /** --starttls: the protocol whose STARTTLS preamble comes before TLS. */
  starttls?: StartTls;
  /** --proxy: connect through this HTTP proxy's CONNECT tunnel. */
  proxy?: Proxy;
}

/** A target with its address resolved: what a probe connects to. */
export interface Endpoint {
  host: string;
  port: number;
  address: string;
  sni: string | null;
  /** The plain-text preamble before TLS (net/starttls.ts), when the service speaks STARTTLS. */
  starttls?: StartTls;
  /** An HTTP proxy to tunnel through (net/proxy.ts); `address` is then the name the proxy resolves. */
  proxy?: Proxy;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

function parsePort(text: string, input: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`bad port "${text}" in target "${input}"`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} out of range 1-65535 in target "${input}"`);
  return port;
}

/**
 * Parses host, host:port, [v6], [v6]:port, a bare IPv6 literal, or an
 * https://host[:port]/path URL. Throws UsageError with one clear line.
 */
export function parseTarget(input: string, opts: { sni?: string; defaultPort?: number } = {}): Target {
  const text = input.trim();
  if (!text) throw new UsageError('empty target');
  let host: string;
  let portText: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try { url = new URL(text); } catch { throw new UsageError(`bad URL "${input}"`); }
    if (!url.hostname) throw new UsageError(`no host in URL "${input}"`);
    const scheme = url.protocol.replace(/:$/, '').toLowerCase();
    const schemePorts: Record<string, number> = { https: 443, wss: 443, ldaps: 636, imaps: 993, pop3s: 995, smtps: 465, ftps: 990 };
    if (!(scheme in schemePorts)) throw new UsageError(`unsupported scheme "${scheme}" in "${input}": use https:// or host:port`);
    host = url.hostname;
    portText = url.port || String(schemePorts[scheme]);
  } else if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    if (!m) throw new UsageError(`bad target "${input}": expected [IPv6]:port`);
    host = m[1]!;
    portText = m[2];
    if (portText === '') throw new UsageError(`missing port after "]:" in "${input}"`);
  } else if (ipVersion(text) === 6) {
    host = text;
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0) { host = text.slice(0, i); portText = text.slice(i + 1); }
    else host = text;
    if (/[/?#@\s]/.test(text)) throw new UsageError(`bad target "${input}": expected host, host:port or https://host`);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (!host) throw new UsageError(`no host in target "${input}"`);
  if (ipVersion(host) === 0 && !HOSTNAME.test(host)) throw new UsageError(`bad host name "${host}" in target "${input}"`);
  const port = portText === undefined ? (opts.defaultPort ?? 443) : parsePort(portText, input);
  const sni = opts.sni ?? (ipVersion(host) ? null : host.replace(/\.$/, '').toLowerCase());
  return { host, port, sni, input };
}

/** Resolves a target's address. DNS failures are UnreachableError. */
export async function resolveTarget(t: Target): Promise<Endpoint> {
  const st = { ...(t.starttls ? { starttls: t.starttls } : {}), ...(t.proxy ? { proxy: t.proxy } : {}) };
  // Through a proxy, the proxy resolves the name (a client behind one often has no outside DNS),
  // but for socks5://, which takes the address (socks5h:// takes the name).
  if (ipVersion(t.host) || t.proxy?.remoteDns) return { host: t.host, port: t.port, address: t.host, sni: t.sni, ...st };
  try {
    const { address } = await lookup(t.host);
    return { host: t.host, port: t.port, address, sni: t.sni, ...st };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
      throw new UnreachableError(`cannot resolve host "${t.host}" (${code})`);
    }
    throw new UnreachableError(`cannot resolve host "${t.host}": ${errorMessage(err)}`);
  }
}
