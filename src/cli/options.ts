import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../scan/types.js';
import { UsageError, errorMessage } from '../util/errors.js';
import { STARTTLS_PROTOCOLS, type StartTls } from '../net/starttls.js';
import { parseResolve, type ResolveEntry } from '../net/target.js';
import { NO_ENV_PROXY, proxyChoice } from '../net/proxy-env.js';
import type { Proxy } from '../net/proxy.js';

/** commander argument parsers that reject bad values with one clear line. */
export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number between ${min} and ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

/** --starttls: one of the protocols net/starttls.ts speaks. */
export function starttlsOption(value: string): StartTls {
  const v = value.trim().toLowerCase();
  if (!(STARTTLS_PROTOCOLS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${STARTTLS_PROTOCOLS.join(', ')}`);
  return v as StartTls;
}

export function severityOption(value: string): Severity {
  const v = value.trim().toLowerCase() as Severity;
  if (!SEVERITIES.includes(v)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return v;
}

/** Reads a target list: one per line, blank lines and # comments ignored. */
export function readTargetFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `target file not found: ${path}` : `cannot read target file ${path}: ${errorMessage(err)}`);
  }
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** Runs fn over items with at most `limit` at once, keeping result order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** commander's parser of a repeatable --resolve HOST:PORT:ADDRESS[,...] (scan, diagnose, pin, pinning). */
export function resolveOption(value: string, previous: ResolveEntry[] = []): ResolveEntry[] {
  return [...previous, parseResolve(value)];
}

/** The help of --proxy's `env` value and of --noproxy, the same in every command that connects. */
export const PROXY_ENV_HELP = '; `env`: the proxy HTTPS_PROXY (or ALL_PROXY) names, minus the hosts in NO_PROXY, as curl takes them';
export const NOPROXY_HELP = 'with --proxy: hosts reached directly, comma-separated: a name (and the names under it), an address, a CIDR block, `*`; `host:port` for one port (default with --proxy env: NO_PROXY)';

/**
 * The proxy of --proxy and --noproxy (net/proxy-env.ts). `--proxy env`
 * when the environment names none says so on stderr and connects directly.
 */
export function proxyFromOptions(o: { proxy?: string; noproxy?: string }, stderr: { write(s: string): unknown }): Proxy | undefined {
  const proxy = proxyChoice(o.proxy, o.noproxy);
  if (!proxy && o.proxy !== undefined) stderr.write(`tlsdoctor: ${NO_ENV_PROXY}\n`);
  return proxy;
}
