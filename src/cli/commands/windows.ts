/** `tlsdoctor windows enable|audit`: the Windows/.NET registry fix of seed 000, written and checked. */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { enableClientProtocol, strongCrypto, systemDefaultTls, disableLegacy, type RegValue } from '../../windows/data.js';
import { toRegFile, toPowerShell, encodeRegFile } from '../../windows/reg-writer.js';
import { parseRegFile, RegFormatError } from '../../windows/reg-parser.js';
import { auditRegistry, renderAuditText } from '../../windows/audit.js';
import { UsageError, errorMessage } from '../../util/errors.js';

export interface EnableOptions { tls12?: boolean; tls11?: boolean; strongCrypto?: boolean; systemDefaultTls?: boolean; disableLegacy?: boolean }

/** The values for a set of flags; none given means --tls12 --strong-crypto --system-default-tls. */
export function enableValues(o: EnableOptions): RegValue[] {
  const any = o.tls12 || o.tls11 || o.strongCrypto || o.systemDefaultTls || o.disableLegacy;
  const f = any ? o : { tls12: true, strongCrypto: true, systemDefaultTls: true };
  if (f.tls11 && f.disableLegacy) throw new UsageError('--tls11 and --disable-legacy contradict each other (--disable-legacy disables TLS 1.1)');
  return [
    ...(f.disableLegacy ? disableLegacy() : []),
    ...(f.tls11 ? enableClientProtocol('TLS 1.1') : []),
    ...(f.tls12 ? enableClientProtocol('TLS 1.2') : []),
    ...(f.strongCrypto ? strongCrypto() : []),
    ...(f.systemDefaultTls ? systemDefaultTls() : []),
  ];
}

export function register(program: Command, ctx: CliContext): void {
  const win = program.command('windows').description('write and check the Windows registry settings that make Schannel and .NET use TLS 1.2');
  win.command('enable')
    .description('write the registry changes as a .reg file or a PowerShell script (default: --tls12 --strong-crypto --system-default-tls)')
    .option('--tls12', 'enable TLS 1.2 for Schannel clients (SCHANNEL\\Protocols\\TLS 1.2\\Client)')
    .option('--tls11', 'enable TLS 1.1 for Schannel clients')
    .option('--strong-crypto', 'SchUseStrongCrypto=1 for .NET 4.x and 3.5, 64-bit and 32-bit (Wow6432Node)')
    .option('--system-default-tls', 'SystemDefaultTlsVersions=1 for .NET 4.x and 3.5, both views: let Windows choose the TLS version')
    .option('--disable-legacy', 'disable SSL 2.0, SSL 3.0, TLS 1.0 and TLS 1.1 for clients and servers')
    .option('--format <format>', 'reg or ps1', 'reg')
    .option('-o, --output <file>', 'write to a file (a .reg file is written UTF-16LE with BOM, as regedit exports)')
    .action((opts: EnableOptions & { format: string; output?: string }) => {
      if (opts.format !== 'reg' && opts.format !== 'ps1') throw new UsageError(`--format: "${opts.format}" is not reg or ps1`);
      const values = enableValues(opts);
      const flagNames: [keyof EnableOptions, string][] = [['tls12', '--tls12'], ['tls11', '--tls11'], ['strongCrypto', '--strong-crypto'], ['systemDefaultTls', '--system-default-tls'], ['disableLegacy', '--disable-legacy']];
      const given = flagNames.filter(([k]) => opts[k]).map(([, f]) => f);
      const comment = [`written by: tlsdoctor windows enable ${given.length ? given.join(' ') : '(defaults: --tls12 --strong-crypto --system-default-tls)'}`];
      const text = opts.format === 'reg' ? toRegFile(values, comment) : toPowerShell(values, comment);
      if (opts.output) {
        // .reg: UTF-16LE with BOM like regedit's own exports; .ps1: UTF-8 with BOM so Windows PowerShell 5.1 reads it as UTF-8.
        const bytes = opts.format === 'reg' ? encodeRegFile(text) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
        try { writeFileSync(opts.output, bytes); } catch (e) { throw new UsageError(`cannot write ${opts.output}: ${errorMessage(e)}`); }
        ctx.stderr.write(`wrote ${opts.output} (${values.length} values${opts.format === 'reg' ? ', UTF-16LE' : ''}); reboot after applying it\n`);
      } else {
        ctx.stdout.write(text);
      }
    });
  win.command('audit')
    .description('read a regedit export (.reg) and report Schannel protocol states, .NET values, and which .NET targets use TLS 1.2')
    .argument('<file>', 'regedit export: UTF-16LE or ANSI/UTF-8, REGEDIT4 or version 5.00')
    .option('--json', 'print the audit as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      let bytes: Buffer;
      try { bytes = readFileSync(file); } catch (e) { throw new UsageError(`cannot read ${file}: ${errorMessage(e)}`); }
      let reg;
      try { reg = parseRegFile(bytes); } catch (e) {
        if (e instanceof RegFormatError) throw new UsageError(`${file}: ${e.message}`);
        throw e;
      }
      const audit = auditRegistry(reg);
      ctx.stdout.write(opts.json ? JSON.stringify({ file, format: reg.format, encoding: reg.encoding, ...audit }, null, 2) + '\n' : renderAuditText(audit));
      ctx.exitCode = audit.targets.every((t) => t.tls12 === 'yes') ? 0 : 1;
    });
}
