/**
 * tlsdoctor pinning init | backup-key | validate | check | plan: the life of
 * a pinning.json (seed 003), from the first file to renewals that do not
 * brick installed apps.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode, UsageError, UnreachableError, errorMessage } from '../../util/errors.js';
import { formatProblems, loadPinningConfig, readPinningFile, validatePinningText, type PinningConfig } from '../../pinning/config.js';
import { writeBackupKey, BACKUP_KEY_TYPES, type BackupKeyType } from '../../pinning/backup.js';
import { checkPinning, type CheckOutcome } from '../../pinning/check.js';
import { planPinning, type HostPlan, type Risk } from '../../pinning/plan.js';
import { fetchLiveChain, fetchOtherKeyChain, parseConnectTo, parseTarget } from '../../pinning/live.js';
import type { ResolveEntry } from '../../net/target.js';
import { NOPROXY_HELP, PROXY_ENV_HELP, proxyFromOptions, resolveOption } from '../options.js';
import { normalizePin, pinsFromFile } from '../../pinning/sources.js';
import { pinEntryJson } from '../../pinning/formats.js';
import { collect, dateOption, intOption, isoDay, readCaFiles } from './pin-options.js';

const short = (s: string | undefined, n = 60) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s ?? '');

function liveOptions(o: { connectTo?: string[]; resolve?: ResolveEntry[]; ca?: string[]; timeout?: number; proxy?: string; noproxy?: string }, stderr: { write(s: string): unknown }) {
  const proxy = proxyFromOptions(o, stderr);
  return { connectTo: parseConnectTo(o.connectTo), resolve: o.resolve, ca: readCaFiles(o.ca), timeoutMs: o.timeout, ...(proxy ? { proxy } : {}) };
}

function addLiveOptions(c: Command): Command {
  return c
    .option('--connect-to <host=addr:port>', 'connect to addr:port for host (SNI, certificate name and pins stay host); repeatable', collect, [])
    .option('--resolve <host:port:addresses>', 'the addresses a host name stands for, instead of DNS, as curl takes it: HOST:PORT:ADDRESS[,ADDRESS...] (PORT may be *); the first is connected to; repeatable', resolveOption, [] as ResolveEntry[])
    .option('--ca <file>', 'extra trust anchor (PEM); repeatable', collect, [])
    .option('--timeout <ms>', 'handshake timeout', intOption('--timeout', 100, 600_000), 10_000)
    .option('--proxy <url>', `reach the hosts through this HTTP(S) or SOCKS5 proxy, e.g. http://user:password@proxy.corp:3128, https://proxy.corp:8443 or socks5h://127.0.0.1:1080 (ssh -D)${PROXY_ENV_HELP}`)
    .option('--noproxy <list>', NOPROXY_HELP);
}

/** Backup pins from --backup values: files (key, CSR, certificate) or pins. */
function backupPins(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (existsSync(v)) { out.push(...pinsFromFile(v).map((e) => e.pin)); continue; }
    const p = normalizePin(v);
    if (!p) throw new UsageError(`--backup ${v}: neither a file nor a sha256/ pin`);
    out.push(p);
  }
  return out;
}

function renderCheck(r: CheckOutcome): string {
  const lines = [`${r.host}:${r.port}${r.address ? ` (${r.address})` : ''}  ${r.success ? 'Success' : `Error: ${r.error}`}`];
  if (r.detail) lines.push(`  ${r.detail}`);
  if (r.sessionReused) lines.push('  resumed session: the server sent no certificate; the certificate below is the one recorded in the session');
  for (const c of r.chain) {
    lines.push(`  [${c.index}] ${(c.role ?? '').padEnd(12)} ${short(c.subject, 50).padEnd(50)} sha256/${c.pin}${c.matched ? '  MATCHES a configured pin' : ''}`);
  }
  for (const p of r.pins) {
    const c = p.matchedIndex === null ? undefined : r.chain[p.matchedIndex];
    lines.push(`  pin sha256/${p.pin} → ${c ? `[${c.index}] ${c.role} ${short(c.subject, 50)}` : 'not in the live chain'}`);
  }
  if (r.otherKey) {
    const k = r.otherKey;
    lines.push(`  the server's other key (${k.auth}, sent to clients that offer only ${k.auth} signature algorithms or suites): ${k.matched
      ? 'its chain matches a configured pin too'
      : `its chain matches no configured pin: an app whose TLS stack gets it fails the pin check (add a pin of this chain)`}`);
    for (const c of k.chain) lines.push(`    [${c.index}] ${(c.role ?? '').padEnd(12)} ${short(c.subject, 48).padEnd(48)} sha256/${c.pin}${c.matched ? '  MATCHES a configured pin' : ''}`);
  }
  return lines.join('\n') + '\n';
}

const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2, critical: 3 };

function renderPlan(p: HostPlan): string {
  const lines = [`${p.host}:${p.port}${p.address ? ` (${p.address})` : ''}  risk: ${p.risk}`];
  if (p.reachable) {
    lines.push('  live chain:');
    for (const c of p.chain) {
      lines.push(`    [${c.index}] ${(c.role ?? '').padEnd(12)} ${short(c.subject, 44).padEnd(44)} expires ${c.notAfter ? isoDay(c.notAfter) : '?'}  ${c.matched ? 'PINNED' : 'not pinned'}${c.shortLived ? `  (renews often: ${c.shortLived})` : ''}`);
    }
    lines.push(`  backup pins (not in the live chain): ${p.backupPins.length ? p.backupPins.map((b) => `sha256/${b}`).join(', ') : 'none'}`);
  }
  if (p.warnings.length) {
    lines.push('  warnings:');
    for (const w of p.warnings) lines.push(`    ${w.severity.padEnd(8)} ${w.code}: ${w.message}`, `             fix: ${w.fix}`);
  }
  if (p.timeline.length) {
    lines.push('  timeline:');
    for (const t of p.timeline) lines.push(`    ${isoDay(t.date)}  ${t.kind.padEnd(17)} ${t.text}${t.overdue ? '  (PAST)' : ''}`);
  }
  if (p.buildDeadline) lines.push(`  a new build must be in users' hands by ${isoDay(p.buildDeadline)}`);
  return lines.join('\n') + '\n';
}

export function register(program: Command, ctx: CliContext): void {
  const pinning = program.command('pinning').description('create, validate, check and plan a pinning.json (SSL pinning for mobile apps)');

  addLiveOptions(pinning
    .command('init')
    .description("write a pinning.json with the live chain's pins at the chosen level plus your backup pin(s)")
    .argument('<host...>', 'host[:port] or https:// URL')
    .option('-o, --output <file>', 'write here instead of standard output')
    .addOption(new Option('--level <level>', 'which certificates of the live chain to pin').choices(['leaf', 'intermediate', 'root', 'all']).default('leaf'))
    .option('--backup <file|pin>', 'backup pin: a key, CSR or certificate file you hold, or sha256/<pin>; repeatable', collect, [])
    .option('--force', 'overwrite the output file'))
    .action(async (hosts: string[], o: { output?: string; level: string; backup: string[]; force?: boolean; connectTo: string[]; ca: string[]; timeout: number }) => {
      if (o.output && existsSync(o.output) && !o.force) throw new UsageError(`${o.output} exists (use --force to overwrite)`);
      const backups = backupPins(o.backup);
      const lo = liveOptions(o, ctx.stderr);
      const config: PinningConfig = { hosts: [] };
      for (const h of hosts) {
        const target = parseTarget(h);
        let chain;
        try {
          const first = await fetchLiveChain(target, lo);
          // With a second key (RSA beside ECDSA), the pins of its chain too: a client that cannot take the first gets it.
          const other = await fetchOtherKeyChain(target, first, lo);
          chain = [...first.chain, ...(other?.live.chain ?? [])];
        } catch (e) { throw new UnreachableError(`${target.host}:${target.port}: ${errorMessage(e)}`); }
        const live = chain.filter((c) => o.level === 'all' || c.role === o.level).map((c) => c.pin);
        if (!live.length) throw new UsageError(`${target.host}: the live chain has no ${o.level} certificate (the server sends ${chain.map((c) => c.role).join(', ')}); choose another --level`);
        const pins = [...new Set([...live, ...backups])];
        if (pins.length < 2) {
          throw new UsageError(`${target.host}: only one pin; every host needs a backup pin: run \`tlsdoctor pinning backup-key --out DIR\` and pass --backup DIR/backup.pub`);
        }
        if (!backups.length) ctx.stderr.write(`warning: ${target.host}: no --backup given; all pins are in the live chain (see \`tlsdoctor pinning plan\`)\n`);
        const existing = config.hosts.find((x) => x.host === target.host);
        if (existing) existing.hashes = [...new Set([...existing.hashes, ...pins.map((p) => `sha256/${p}`)])];
        else config.hosts.push({ host: target.host, hashes: pins.map((p) => `sha256/${p}`) });
      }
      const text = JSON.stringify(config, null, 2) + '\n';
      const v = validatePinningText(text);
      if (v.problems.length) ctx.stderr.write(formatProblems(v.problems).replace(/^(error|warning):/gm, 'note: $1:'));
      if (o.output) {
        writeFileSync(o.output, text);
        ctx.stdout.write(`wrote ${o.output}: ${config.hosts.length} host(s), ${config.hosts.reduce((n, h) => n + h.hashes.length, 0)} pins\n`);
      } else ctx.stdout.write(text);
    });

  pinning
    .command('backup-key')
    .description('make a new key pair and CSR for the next certificate, and print its pin (the honest backup pin)')
    .requiredOption('--out <dir>', 'directory for backup.key (0600), backup.pub, backup.csr and backup.pin')
    .addOption(new Option('--key <type>', 'key type').choices([...BACKUP_KEY_TYPES]).default('ec256'))
    .option('--name <dns>', 'DNS name for the CSR (subject CN and SAN); repeatable', collect, [])
    .option('--prefix <prefix>', 'file name prefix', 'backup')
    .action(async (o: { out: string; key: BackupKeyType; name: string[]; prefix: string }) => {
      if (!/^[A-Za-z0-9._-]+$/.test(o.prefix)) throw new UsageError('--prefix may contain only letters, digits, ".", "_" and "-"');
      const k = await writeBackupKey(o.out, { keyType: o.key, dnsNames: o.name.length ? o.name : undefined, prefix: o.prefix });
      ctx.stdout.write([
        `sha256/${k.pin}`,
        '',
        `private key: ${k.files.key}  (keep it offline; it is the key of your next certificate)`,
        `public key:  ${k.files.publicKey}`,
        `CSR:         ${k.files.csr}  (send it to the CA when you renew)`,
        `pin:         ${k.files.pin}  (add it to pinning.json now, long before you use the key)`,
        '',
      ].join('\n'));
    });

  pinning
    .command('validate')
    .description('check a pinning.json against every rule of the SSL Pinning plugin and of the pin consumers (iOS, Android)')
    .argument('<file>', 'pinning.json')
    .addOption(new Option('--platform <platform>', 'duplicate hashes are an error for ios and both (default: the file goes into both builds)').choices(['both', 'ios', 'android']).default('both'))
    .option('--allow-local', 'accept IP addresses and single-label names such as localhost (test set-ups)')
    .option('--json', 'JSON output')
    .action((file: string, o: { platform: 'both' | 'ios' | 'android'; allowLocal?: boolean; json?: boolean }) => {
      const r = readPinningFile(file, { platform: o.platform, allowLocal: o.allowLocal });
      const errors = r.problems.filter((p) => p.severity === 'error').length;
      const warnings = r.problems.length - errors;
      if (o.json) {
        ctx.stdout.write(JSON.stringify({ file, valid: r.valid, errors, warnings, problems: r.problems }, null, 2) + '\n');
      } else {
        ctx.stdout.write(formatProblems(r.problems));
        const hosts = r.config?.hosts.length ?? 0;
        ctx.stdout.write(r.valid
          ? `${file}: valid (${hosts} host${hosts === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''})\n`
          : `${file}: invalid (${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''})\n`);
      }
      ctx.exitCode = r.valid ? ExitCode.ok : ExitCode.findings;
    });

  addLiveOptions(pinning
    .command('check')
    .description('CheckCertificateForUrl: connect and compare the live chain with the pins of the file')
    .argument('[url]', 'https://host[:port] to check (default: every host of the file)')
    .requiredOption('-c, --config <file>', 'pinning.json')
    .option('--port <port>', 'port for the hosts of the file (default 443)', intOption('--port', 1, 65535))
    .option('--insecure', 'compare pins even when the chain is not trusted')
    .option('--session-out <file>', 'save the TLS session of this check (one host) to resume it later')
    .option('--session-in <file>', 'offer a saved TLS session (one host); a resumed session is judged by the key that authenticated it')
    .option('--all-addresses', 'check every address of each host (DNS or --resolve), one result each: a pool where one node already serves a renewed key fails the app on that node only')
    .option('--json', 'JSON output'))
    .addHelpText('after', `
Prints Success, or Error with the texts of CheckCertificateForUrl:
  "${'SSLPinning found an issue with the configured certificate for the url!'}" (no pin matches; exit 1)
  "${'Message: SSLPinning found some problem with the request!'}" (anything else; exit 3 when unreachable, 1 when untrusted)
The file names hosts without ports; test servers on other ports are reached with a URL
(https://localhost:8443), --port, or --connect-to www.example.com=127.0.0.1:8443.`)
    .action(async (url: string | undefined, o: { config: string; port?: number; insecure?: boolean; json?: boolean; sessionIn?: string; sessionOut?: string; allAddresses?: boolean; connectTo: string[]; resolve: ResolveEntry[]; ca: string[]; timeout: number }) => {
      const { config, problems } = loadPinningConfig(o.config);
      for (const p of problems.filter((x) => x.severity === 'error')) ctx.stderr.write(`warning: ${o.config}: ${p.path}: ${p.message}\n`);
      const targets = url ? [parseTarget(url)] : undefined;
      if ((o.sessionIn || o.sessionOut) && (targets?.length ?? config.hosts.length) !== 1) {
        throw new UsageError('--session-in and --session-out need a single host: give the URL to check');
      }
      if ((o.sessionIn || o.sessionOut) && o.allAddresses) throw new UsageError('--session-in and --session-out need a single connection: not with --all-addresses');
      let session: Buffer | undefined;
      if (o.sessionIn) {
        try {
          if (statSync(o.sessionIn).size > 64 * 1024) throw new Error('too large for a TLS session');
          session = readFileSync(o.sessionIn);
        } catch (e) { throw new UsageError(`--session-in ${o.sessionIn}: ${errorMessage(e)}`); }
      }
      const results = await checkPinning(config, targets, { ...liveOptions(o, ctx.stderr), port: o.port, insecure: o.insecure, session, allAddresses: o.allAddresses });
      if (o.sessionOut) {
        const s = results[0]?.session;
        if (s) writeFileSync(o.sessionOut, s, { mode: 0o600 });
        else ctx.stderr.write('warning: no TLS session to save\n');
      }
      if (o.json) {
        ctx.stdout.write(JSON.stringify({ results: results.map(({ session: _s, ...r }) => ({ ...r, chain: r.chain.map((c) => ({ ...pinEntryJson(c), matched: c.matched })) })) }, null, 2) + '\n');
      } else {
        ctx.stdout.write(results.map(renderCheck).join('\n'));
      }
      const mismatch = results.some((r) => r.status === 'mismatch' || (r.status === 'request' && r.chain.length > 0));
      const unreachable = results.some((r) => r.status === 'request' && r.chain.length === 0);
      ctx.exitCode = mismatch ? ExitCode.findings : unreachable ? ExitCode.unreachable : ExitCode.ok;
    });

  addLiveOptions(pinning
    .command('plan')
    .description('renewal risk per host: matching pins and levels, backup pins, expiries, and the date a new build must be out')
    .argument('<file>', 'pinning.json')
    .option('--lead-days <days>', "days users need to install a new build", intOption('--lead-days', 0, 3650), 30)
    .option('--short-lived-days <days>', 'leaves valid this long or less renew often', intOption('--short-lived-days', 1, 3650), 90)
    .option('--now <date>', 'plan as of this date (default: now)', dateOption('--now'))
    .option('--port <port>', 'port for the hosts of the file (default 443)', intOption('--port', 1, 65535))
    .addOption(new Option('--fail-on <risk>', 'exit 1 when a host has this risk or worse').choices(['critical', 'high', 'medium', 'never']).default('high'))
    .option('--all-addresses', 'a plan for every address of each host (DNS or --resolve): nodes in the middle of a rollout serve different chains')
    .option('--json', 'JSON output'))
    .action(async (file: string, o: { leadDays: number; shortLivedDays: number; now?: Date; port?: number; failOn: Risk | 'never'; json?: boolean; allAddresses?: boolean; connectTo: string[]; resolve: ResolveEntry[]; ca: string[]; timeout: number }) => {
      const { config } = loadPinningConfig(file);
      const plans = await planPinning(config, { ...liveOptions(o, ctx.stderr), port: o.port, leadDays: o.leadDays, shortLivedDays: o.shortLivedDays, now: o.now, allAddresses: o.allAddresses });
      if (o.json) {
        ctx.stdout.write(JSON.stringify({ leadDays: o.leadDays, plans: plans.map((p) => ({ ...p, chain: p.chain.map((c) => ({ ...pinEntryJson(c), matched: c.matched, shortLived: c.shortLived })) })) }, null, 2) + '\n');
      } else {
        ctx.stdout.write(plans.map(renderPlan).join('\n'));
      }
      const worst = plans.reduce((n, p) => Math.max(n, RISK_RANK[p.risk]), 0);
      ctx.exitCode = o.failOn !== 'never' && worst >= RISK_RANK[o.failOn] ? ExitCode.findings : ExitCode.ok;
    });
}
