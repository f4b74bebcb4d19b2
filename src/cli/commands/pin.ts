/**
 * tlsdoctor pin SOURCE...: SPKI pins of certificate files (PEM or DER, one or
 * many per file), CSRs, public and private keys, and live hosts (every
 * certificate of the chain with its role).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliContext } from '../context.js';
import { UnreachableError, UsageError, errorMessage } from '../../util/errors.js';
import { pinsFromFile, type PinEntry } from '../../pinning/sources.js';
import { formatPins, formatPinsText, PIN_FORMATS, type PinFormat } from '../../pinning/formats.js';
import { fetchLiveChain, fetchOtherKeyChain, parseConnectTo, parseTarget } from '../../pinning/live.js';
import { collect, dateOption, intOption, readCaFiles } from './pin-options.js';
import { NOPROXY_HELP, PROXY_ENV_HELP, proxyFromOptions, resolveOption, starttlsOption } from '../options.js';
import type { ResolveEntry } from '../../net/target.js';
import { STARTTLS_PORTS, STARTTLS_PROTOCOLS, type StartTls } from '../../net/starttls.js';

interface PinOpts {
  format: PinFormat;
  role: 'leaf' | 'intermediate' | 'root' | 'all';
  host?: string;
  expiration?: string;
  connectTo: string[];
  resolve: ResolveEntry[];
  ca: string[];
  timeout: number;
  starttls?: StartTls;
  port?: number;
  proxy?: string;
}

export async function collectPins(
  sources: string[], o: { connectTo?: string[]; resolve?: ResolveEntry[]; ca?: string[]; timeout?: number; starttls?: StartTls; proxy?: string; noproxy?: string },
  stderr: { write(s: string): unknown },
): Promise<{ entries: PinEntry[]; hosts: { host: string; port: number }[] }> {
  const entries: PinEntry[] = [];
  const hosts: { host: string; port: number }[] = [];
  const connectTo = parseConnectTo(o.connectTo);
  const ca = readCaFiles(o.ca);
  const proxy = proxyFromOptions(o, stderr);
  for (const s of sources) {
    if (existsSync(s)) { entries.push(...pinsFromFile(s)); continue; }
    let target;
    try { target = parseTarget(s, o.starttls ? STARTTLS_PORTS[o.starttls] : 443); } catch (e) {
      throw new UsageError(`${s}: no such file, and not a usable host (${errorMessage(e).replace(/^"[^"]*":\s*/, '')})`);
    }
    if (o.starttls && /^https:/i.test(s)) throw new UsageError(`${s}: --starttls ${o.starttls} needs host[:port], not an https:// URL`);
    try {
      const lo = { connectTo, resolve: o.resolve, ca, timeoutMs: o.timeout, ...(o.starttls ? { starttls: o.starttls } : {}), ...(proxy ? { proxy } : {}) };
      const live = await fetchLiveChain(target, lo);
      entries.push(...live.chain);
      // A server with a second key (RSA beside ECDSA) gives its other chain to a client that cannot
      // take the first: its pins too, those not already listed (a root or intermediate they share).
      const other = await fetchOtherKeyChain(target, live, lo);
      if (other) entries.push(...other.live.chain.filter((e) => !entries.some((x) => x.pin === e.pin)));
      hosts.push({ host: target.host, port: target.port });
    } catch (e) {
      throw new UnreachableError(`${target.host}:${target.port}: ${errorMessage(e)}`);
    }
  }
  return { entries, hosts };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('pin')
    .description('print SPKI pins (base64 SHA-256 of the public key) of certificates, CSRs, keys and live hosts')
    .argument('<source...>', 'certificate/CSR/key files (PEM or DER), or host[:port] / https:// URL')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...PIN_FORMATS]).default('text'))
    .addOption(new Option('--role <role>', 'only certificates with this role').choices(['leaf', 'intermediate', 'root', 'all']).default('all'))
    .option('--host <name>', 'host name written into the android, trustkit and tlsa formats (default: the live host)')
    .option('--port <n>', 'port of the tlsa owner name _PORT._tcp.HOST (default: the live target\'s, else 443 or the --starttls protocol\'s)', intOption('--port', 1, 65535))
    .option('--expiration <date|none>', 'android pin-set expiration (default: earliest expiry of the pinned certificates)')
    .option('--connect-to <host=addr:port>', 'connect to addr:port for host (SNI stays host); repeatable', collect, [])
    .option('--resolve <host:port:addresses>', 'the addresses a host name stands for, instead of DNS, as curl takes it: HOST:PORT:ADDRESS[,ADDRESS...] (PORT may be *); the first is connected to; repeatable', resolveOption, [] as ResolveEntry[])
    .option('--ca <file>', 'extra trust anchor (PEM) for live hosts; repeatable', collect, [])
    .option('--timeout <ms>', 'handshake timeout for live hosts', intOption('--timeout', 100, 600_000), 10_000)
    .option('--proxy <url>', `reach live hosts through this HTTP(S) or SOCKS5 proxy, e.g. http://user:password@proxy.corp:3128, https://proxy.corp:8443 or socks5h://127.0.0.1:1080 (ssh -D)${PROXY_ENV_HELP}`)
    .option('--noproxy <list>', NOPROXY_HELP)
    .option('--starttls <protocol>', `live hosts are mail, file or database servers: their STARTTLS preamble first (${STARTTLS_PROTOCOLS.map((p) => `${p}, port ${STARTTLS_PORTS[p]}`).join('; ')})`, starttlsOption)
    .addHelpText('after', `
Pins are what \`openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64\`
prints, for RSA, ECDSA and Ed25519 keys alike. Formats: text (details), sha256 (pinning.json, OkHttp),
hpkp, curl (--pinnedpubkey), android (network_security_config pin-set), trustkit, tlsa (DANE records:
3 1 1 for the server's key, 2 1 1 for a CA's, e.g. \`tlsdoctor pin mail.example.com --starttls smtp -f tlsa\`), json.`)
    .action(async (sources: string[], o: PinOpts) => {
      const { entries, hosts } = await collectPins(sources, o, ctx.stderr);
      const chosen = o.role === 'all' ? entries : entries.filter((e) => e.role === o.role);
      if (!chosen.length) throw new UsageError(`no ${o.role} certificate among the sources`);
      if (o.format === 'text') { ctx.stdout.write(formatPinsText(chosen)); return; }
      const expiration = o.expiration === undefined ? undefined : o.expiration === 'none' ? null : dateOption('--expiration')(o.expiration);
      const port = o.port ?? hosts[0]?.port ?? (o.starttls ? STARTTLS_PORTS[o.starttls] : 443);
      ctx.stdout.write(formatPins(chosen, o.format, { host: o.host ?? hosts[0]?.host, expiration, port }));
    });
}
