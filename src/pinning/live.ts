/**
 * Live hosts: targets ("host", "host:port", "[::1]:443", "https://host:port/path"),
 * where to connect (--connect-to, like curl's), and the chain a server sends.
 */
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { fullHandshake, ONLY_KEY, otherKeyKind, type FullHandshakeResult } from '../net/full-handshake.js';
import { UsageError } from '../util/errors.js';
import { pinsFromChain, type PinEntry } from './sources.js';
import { hostKey } from './pinset.js';
import { peerCertificateOfSession } from './session.js';
import type { StartTls } from '../net/starttls.js';
import type { Proxy } from '../net/proxy.js';
import { proxyFor } from '../net/proxy-env.js';
import { resolveAddresses, resolveFor, type ResolveEntry } from '../net/target.js';

export interface Target {
  /** The host name (or IP) the client asks for: SNI, certificate name, pins. */
  host: string;
  port: number;
  /** As written by the user. */
  input: string;
}

export function parseTarget(input: string, defaultPort = 443): Target {
  const s = input.trim();
  if (!s) throw new UsageError('empty host');
  let host: string, port = defaultPort;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    let u: URL;
    try { u = new URL(s); } catch { throw new UsageError(`"${input}" is not a valid URL`); }
    if (u.protocol !== 'https:') throw new UsageError(`"${input}": only https:// URLs have certificates to pin`);
    host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    if (u.port) port = Number(u.port);
  } else {
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    const hp = /^([^:/\s]+)(?::(\d+))?$/.exec(s);
    if (v6) { host = v6[1]!; if (v6[2]) port = Number(v6[2]); }
    else if (isIP(s) === 6) host = s;
    else if (hp) { host = hp[1]!; if (hp[2]) port = Number(hp[2]); }
    else throw new UsageError(`"${input}" is not a host, host:port or https:// URL`);
  }
  if (!host || !(port >= 1 && port <= 65535)) throw new UsageError(`"${input}": bad host or port`);
  if (!isIP(host) && !/^[A-Za-z0-9_.-]+$/.test(host)) throw new UsageError(`"${input}": "${host}" is not a valid host name`);
  return { host: host.toLowerCase(), port, input };
}

/** --connect-to HOST=ADDR:PORT: connect there instead of resolving HOST (SNI and pins stay HOST's). */
export type ConnectMap = Map<string, { address: string; port: number }>;

export function parseConnectTo(values: string[] = []): ConnectMap {
  const m: ConnectMap = new Map();
  for (const v of values) {
    const r = /^([^=]+)=(\[[^\]]+\]|[^:]+):(\d+)$/.exec(v.trim());
    if (!r) throw new UsageError(`--connect-to "${v}": expected HOST=ADDRESS:PORT, e.g. www.example.com=127.0.0.1:8443`);
    const port = Number(r[3]);
    if (!(port >= 1 && port <= 65535)) throw new UsageError(`--connect-to "${v}": bad port`);
    m.set(hostKey(r[1]!), { address: r[2]!.replace(/^\[(.*)\]$/, '$1'), port });
  }
  return m;
}

export interface LiveChain {
  target: Target;
  /** Where we actually connected. */
  address: string;
  port: number;
  handshake: FullHandshakeResult;
  chain: PinEntry[];
  /** Null when the chain is trusted and names the host; else why not. */
  trustProblem: string | null;
  /**
   * True when an offered session was resumed: the server then sends no
   * certificate, and `chain` is the peer certificate recorded in the session,
   * the one that authenticated the original handshake.
   */
  sessionReused: boolean;
}

export interface LiveOptions {
  connectTo?: ConnectMap;
  timeoutMs?: number;
  /** Extra trust anchors (PEM). */
  ca?: string[];
  /** A TLS session to offer for resumption. */
  session?: Buffer;
  /** A mail, file or database server: its STARTTLS preamble before the handshake. */
  starttls?: StartTls;
  /** Connect through this proxy (an HTTP CONNECT or SOCKS5 tunnel), except to the hosts its no-proxy list names. */
  proxy?: Proxy;
  /** --resolve: the addresses a host name stands for (the first is connected to), instead of DNS. */
  resolve?: ResolveEntry[];
  /** Connect to this one of the host's addresses (--all-addresses), unless --connect-to names the host. */
  address?: string;
  /** Ask for the server's certificate of this kind of key: only its signature algorithms and suites are offered (ONLY_KEY). */
  only?: 'RSA' | 'ECDSA';
}

/**
 * Every address of a host to check one by one (--all-addresses), as
 * resolveAddresses gives them: its --resolve addresses, or DNS's; only itself
 * for an IP literal or a name a proxy resolves. Null with a --connect-to for
 * the host, and for a DNS failure: the check then fails to connect, and says so.
 */
export async function liveAddresses(target: Target, o: LiveOptions = {}): Promise<string[] | null> {
  if (o.connectTo?.has(hostKey(target.host))) return null;
  const resolveTo = resolveFor(target, o.resolve ?? []);
  const proxy = proxyFor(o.proxy, target.host, target.port);
  try {
    return await resolveAddresses({ host: target.host, port: target.port, sni: target.host, input: target.input, ...(proxy ? { proxy } : {}), ...(resolveTo ? { resolveTo } : {}) });
  } catch {
    return null;
  }
}

export async function fetchLiveChain(target: Target, o: LiveOptions = {}): Promise<LiveChain> {
  const via = o.connectTo?.get(hostKey(target.host));
  const address = via?.address ?? o.address ?? resolveFor(target, o.resolve ?? [])?.[0] ?? target.host;
  const port = via?.port ?? target.port;
  // A host its no-proxy list names (--noproxy, NO_PROXY) is reached directly.
  const proxy = proxyFor(o.proxy, target.host, target.port);
  const handshake = await fullHandshake({
    host: address, port, servername: isIP(target.host) ? false : target.host,
    timeoutMs: o.timeoutMs ?? 10_000, ca: o.ca, minVersion: 'TLSv1', requestOCSP: false, session: o.session,
    ...(o.starttls ? { starttls: o.starttls } : {}),
    ...(proxy ? { proxy } : {}),
    ...(o.only ? ONLY_KEY[o.only] : {}),
  });
  let chainDer = handshake.chainDer;
  if (handshake.sessionReused && !chainDer.length) {
    const peer = o.session && peerCertificateOfSession(o.session);
    if (!peer) throw new Error('the session was resumed but records no certificate to check');
    chainDer = [peer];
  }
  if (!chainDer.length) throw new Error('the server sent no certificate');
  const source = `${target.host}:${target.port}${o.only ? ` (${o.only} key)` : ''}`;
  const chain = pinsFromChain(chainDer, source);
  let trustProblem: string | null = null;
  if (handshake.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID') trustProblem = `the certificate is not valid for ${target.host}`;
  else if (handshake.authorizationError) trustProblem = `certificate not trusted: ${handshake.authorizationError}`;
  else {
    const leaf = new X509Certificate(chainDer[0]!);
    const ok = isIP(target.host) ? leaf.checkIP(target.host) : leaf.checkHost(target.host);
    if (!ok) trustProblem = `the certificate is not valid for ${target.host}`;
  }
  return { target, address, port, handshake, chain, trustProblem, sessionReused: handshake.sessionReused };
}

/**
 * The chain of the server's other key (an RSA one beside an ECDSA one, or the reverse), which a
 * client that offers only that kind's signature algorithms and suites gets; null when the server
 * has none (it refuses such a handshake, or sends the same certificate).
 */
export async function fetchOtherKeyChain(target: Target, live: LiveChain, o: LiveOptions = {}): Promise<{ auth: 'RSA' | 'ECDSA'; live: LiveChain } | null> {
  const auth = otherKeyKind(live.handshake.chain[0]);
  if (!auth || live.sessionReused) return null;
  const { session: _session, ...rest } = o;
  try {
    const other = await fetchLiveChain(target, { ...rest, only: auth });
    return other.chain[0] && other.chain[0].pin !== live.chain[0]?.pin ? { auth, live: other } : null;
  } catch {
    return null;
  }
}
