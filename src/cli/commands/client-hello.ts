/** `tlsdoctor client-hello FILE`: the client-test analysis of a captured ClientHello (raw bytes or hex). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { decodeHelloInput } from '../../wire/client-hello-parse.js';
import { analyzeClientHello, parsePolicy, renderReportText, DEFAULT_POLICY } from '../../clienttest/analysis.js';
import { UsageError, WireError, errorMessage } from '../../util/errors.js';

export function register(program: Command, ctx: CliContext): void {
  program.command('client-hello')
    .description('analyse a captured ClientHello (raw bytes or hex, e.g. exported from a pcap): versions, suites, groups, JA3/JA4, verdict')
    .argument('<file>', 'file holding the hello: TLS records, a handshake message or an SSLv2 hello; raw or hex ("-" for stdin)')
    .option('--require <policy>', 'policy for the verdict, e.g. TLSv1.2, TLSv1.3, TLSv1.2,aead', 'TLSv1.2')
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { require: string; json?: boolean }) => {
      const policy = opts.require ? parsePolicy(opts.require) : DEFAULT_POLICY;
      let data: Buffer;
      try { data = readFileSync(file === '-' ? 0 : file); } catch (e) { throw new UsageError(`cannot read ${file}: ${errorMessage(e)}`); }
      let report;
      try {
        report = analyzeClientHello(decodeHelloInput(data), policy);
      } catch (e) {
        if (e instanceof WireError) throw new UsageError(`${file}: not a ClientHello: ${e.message}`);
        throw e;
      }
      ctx.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderReportText(report));
      ctx.exitCode = report.verdict.compliant ? 0 : 1;
    });
}
