/**
 * Which proxy a connection takes: `--proxy URL`, or `--proxy env` for the
 * one the environment names, and the hosts that go direct (`--noproxy`, or
 * NO_PROXY with `--proxy env`), as curl reads them:
 *
 * - the proxy: https_proxy, HTTPS_PROXY, then all_proxy, ALL_PROXY (the
 *   first set; a TLS connection is what curl sends to https_proxy);
 * - the list: no_proxy, then NO_PROXY; entries apart by commas or spaces;
 *   `*` alone: every host; a name: that host and every name under it (a
 *   leading `.` or `*.` changes nothing); an IP address or a CIDR block
 *   (curl 7.86+): a target given as an address in it (names are not
 *   resolved for this); `:port` after an entry (`[v6]:port` for an IPv6
 *   address): that port only, as Go and Python read it.
 *
 * Loopback is not exempt (curl does not exempt it): a target that NO_PROXY
 * does not name goes through the proxy.
 */
import net from 'node:net';
import { UsageError } from '../util/errors.js';
import { parseProxy, type Proxy } from './proxy.js';

/** One entry of a no-proxy list. */
export type Bypass =
  | { kind: 'all' }
  | { kind: 'name'; name: string; port?: number }
  | { kind: 'net'; block: net.BlockList; port?: number };

const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'];
const NO_PROXY_VARS = ['no_proxy', 'NO_PROXY'];

/** The first of `names` set (non-empty) in `env`. */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): { name: string; value: string } | undefined {
  const name = names.find((n) => env[n]?.trim());
  return name ? { name, value: env[name]!.trim() } : undefined;
}

/** Parses a no-proxy list; `label` names its source in errors. */
export function parseNoProxy(text: string, label = '--noproxy'): Bypass[] {
  const out: Bypass[] = [];
  for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
    if (raw === '*') { out.push({ kind: 'all' }); continue; }
    let entry = raw, port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      if (bracketed[2] !== undefined) port = portOf(bracketed[2], raw, label);
    } else {
      // host:port, but not an IPv6 address (two colons or more) or a CIDR block of one.
      const m = /^([^:]+):(\d+)$/.exec(entry);
      if (m) { entry = m[1]!; port = portOf(m[2]!, raw, label); }
    }
    const slash = entry.indexOf('/');
    const addr = slash >= 0 ? entry.slice(0, slash) : entry;
    const family = net.isIP(addr);
    if (family) {
      const bits = slash >= 0 ? Number(entry.slice(slash + 1)) : family === 4 ? 32 : 128;
      if (!/^\d+$/.test(slash >= 0 ? entry.slice(slash + 1) : String(bits)) || bits > (family === 4 ? 32 : 128)) {
        throw new UsageError(`${label}: "${raw}" is not an address or a CIDR block (prefix length 0-${family === 4 ? 32 : 128})`);
      }
      const block = new net.BlockList();
      block.addSubnet(addr, bits, family === 4 ? 'ipv4' : 'ipv6');
      out.push({ kind: 'net', block, ...(port !== undefined ? { port } : {}) });
      continue;
    }
    if (slash >= 0) throw new UsageError(`${label}: "${raw}" is not an address or a CIDR block`);
    const name = entry.replace(/^\*?\./, '').replace(/\.$/, '').toLowerCase();
    if (!name || !/^[a-z0-9_.-]+$/.test(name)) throw new UsageError(`${label}: "${raw}" is not a host name, domain, address or CIDR block`);
    out.push({ kind: 'name', name, ...(port !== undefined ? { port } : {}) });
  }
  return out;
}

function portOf(text: string, raw: string, label: string): number {
  const n = Number(text);
  if (!(n >= 1 && n <= 65535)) throw new UsageError(`${label}: "${raw}": the port must be 1-65535`);
  return n;
}

/** Whether a no-proxy list sends host:port direct. `host` as the user gave it (a name, or an address, IPv6 without brackets). */
export function bypassesProxy(rules: readonly Bypass[], host: string, port: number): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  const family = net.isIP(h);
  return rules.some((r) => {
    if (r.kind === 'all') return true;
    if (r.port !== undefined && r.port !== port) return false;
    if (r.kind === 'net') return family !== 0 && r.block.check(h, family === 4 ? 'ipv4' : 'ipv6');
    return family === 0 && (h === r.name || h.endsWith(`.${r.name}`));
  });
}

/**
 * The proxy of `--proxy VALUE` and `--noproxy LIST`. `env` takes the
 * environment's (see the module's comment; undefined when none is set, so
 * that connections go direct, as curl's do); with it NO_PROXY applies unless
 * `--noproxy` is given. A URL gets only `--noproxy`.
 */
export function proxyChoice(value: string | undefined, noProxy: string | undefined, env: NodeJS.ProcessEnv = process.env): Proxy | undefined {
  if (value === undefined) {
    if (noProxy !== undefined) throw new UsageError('--noproxy: without --proxy there is no proxy to go around');
    return undefined;
  }
  const withBypass = (proxy: Proxy, bypass: Bypass[]): Proxy => (bypass.length ? { ...proxy, bypass } : proxy);
  if (value.trim().toLowerCase() !== 'env') return withBypass(parseProxy(value), noProxy !== undefined ? parseNoProxy(noProxy) : []);
  const set = firstSet(env, PROXY_VARS);
  if (!set) return undefined;
  const list = noProxy !== undefined ? { name: '--noproxy', value: noProxy } : firstSet(env, NO_PROXY_VARS);
  return withBypass(parseProxy(set.value, set.name), list ? parseNoProxy(list.value, list.name) : []);
}

/** The proxy a connection to host:port takes: none when the proxy's no-proxy list names it. */
export function proxyFor(proxy: Proxy | undefined, host: string, port: number): Proxy | undefined {
  if (!proxy || bypassesProxy(proxy.bypass ?? [], host, port)) return undefined;
  return proxy;
}

/** For `--proxy env` when the environment names no proxy: what to tell the user (connections go direct). */
export const NO_ENV_PROXY = `--proxy env: none of ${PROXY_VARS.join(', ')} is set: connecting directly`;
