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
  /** --resolve: the addresses the host name stands for, instead of asking DNS. */
  resolveTo?: string[];
  /** The one of the name's addresses to scan (--all-addresses); else the first. */
  address?: string;
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
  /** Every address the host name resolved to, in the resolver's order, when it resolved to more than one. */
  addresses?: string[];
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

/**
 * Every address a target's host stands for, in the order the system resolver
 * gives them (a client tries the first first): the IP literal itself, the
 * --resolve addresses (also through a proxy: the tunnel then goes to the
 * address), the name itself through a proxy that resolves names, or DNS
 * (deduplicated). DNS failures are UnreachableError.
 */
export async function resolveAddresses(t: Target): Promise<string[]> {
  if (ipVersion(t.host)) return [t.host];
  if (t.resolveTo?.length) return [...new Set(t.resolveTo)];
  if (t.proxy?.remoteDns) return [t.host];
  try {
    const found = await lookup(t.host, { all: true });
    const addresses = [...new Set(found.map((a) => a.address))];
    if (!addresses.length) throw Object.assign(new Error('no address'), { code: 'ENODATA' });
    return addresses;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
      throw new UnreachableError(`cannot resolve host "${t.host}" (${code})`);
    }
    throw new UnreachableError(`cannot resolve host "${t.host}": ${errorMessage(err)}`);
  }
}

/**
 * Resolves a target's address: `t.address` when set, else the first of its
 * addresses (resolveAddresses). Through a proxy that resolves names (HTTP
 * CONNECT, socks5h://) the address is the name: a client behind one often has
 * no outside DNS; socks5:// takes an address resolved here.
 */
export async function resolveTarget(t: Target): Promise<Endpoint> {
  const st = { ...(t.starttls ? { starttls: t.starttls } : {}), ...(t.proxy ? { proxy: t.proxy } : {}) };
  const addresses = t.address !== undefined && !t.resolveTo ? [t.address] : await resolveAddresses(t);
  const address = t.address ?? addresses[0]!;
  return { host: t.host, port: t.port, address, sni: t.sni, ...st, ...(addresses.length > 1 ? { addresses } : {}) };
}

/** A --resolve entry: the addresses HOST stands for on PORT (undefined: every port). */
export interface ResolveEntry { host: string; port?: number; addresses: string[] }

/**
 * Parses --resolve as curl spells it, HOST:PORT:ADDRESS[,ADDRESS...] (PORT
 * may be *; an IPv6 address may be in brackets). Throws UsageError.
 */
export function parseResolve(text: string): ResolveEntry {
  const m = /^([^:\s]+):(\d{1,5}|\*):(.+)$/.exec(text.trim());
  if (!m) throw new UsageError(`bad --resolve "${text}": expected HOST:PORT:ADDRESS[,ADDRESS...], e.g. api.example.com:443:203.0.113.7`);
  const [, host, portText, list] = m as unknown as [string, string, string, string];
  if (!HOSTNAME.test(host) || ipVersion(host)) throw new UsageError(`bad host name "${host}" in --resolve "${text}"`);
  const port = portText === '*' ? undefined : parsePort(portText, `--resolve ${text}`);
  const addresses = list.split(',').map((a) => a.trim().replace(/^\[(.*)\]$/, '$1'));
  for (const a of addresses) {
    if (!ipVersion(a)) throw new UsageError(`bad address "${a}" in --resolve "${text}": expected an IPv4 or IPv6 address`);
  }
  return { host: normalHost(host), ...(port !== undefined ? { port } : {}), addresses };
}

/** The --resolve addresses for a target, if an entry names its host and port. */
export function resolveFor(t: { host: string; port: number }, entries: readonly ResolveEntry[]): string[] | undefined {
  const host = normalHost(t.host);
  // An entry for this port comes before one for every port.
  const hit = entries.find((e) => e.host === host && e.port === t.port) ?? entries.find((e) => e.host === host && e.port === undefined);
  return hit?.addresses;
}

const normalHost = (h: string) => h.replace(/\.$/, '').toLowerCase();
