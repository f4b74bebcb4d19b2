/**
 * tlsdoctor clients [SELECTION] [--json | --markdown] [--verbose]
 *
 * Lists the client profiles the simulation knows (ids usable with
 * `scan --clients`), what each offers, and the source of each fact.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CLIENT_PROFILES, parseClientSelection } from '../../registry/clients/index.js';
import { renderClientList, renderClientsMarkdown } from '../../report/clients.js';
import { wantsColor } from '../../report/style.js';
import { UsageError } from '../../util/errors.js';

interface ClientsFlags { json?: boolean; markdown?: boolean; verbose?: boolean; color?: boolean }

export function register(program: Command, ctx: CliContext): void {
  program
    .command('clients')
    .description('list the client profiles used by `scan --clients` (.NET, Java, Python, OpenSSL, Android, browsers...) with the source of every fact')
    .argument('[selection]', 'ids or families, comma-separated (e.g. dotnet,java-17); default all')
    .option('--json', 'the profiles as JSON (full data and sources)')
    .option('--markdown', 'the profiles as Markdown (docs/clients.md)')
    .option('-v, --verbose', 'list every cipher suite')
    .option('--no-color', 'no ANSI colours even on a terminal')
    .action((selection: string | undefined, flags: ClientsFlags) => {
      if (flags.json && flags.markdown) throw new UsageError('clients: choose one of --json and --markdown');
      const profiles = selection ? parseClientSelection(selection) : [...CLIENT_PROFILES];
      if (flags.json) {
        ctx.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`);
      } else if (flags.markdown) {
        ctx.stdout.write(renderClientsMarkdown(profiles));
      } else {
        ctx.stdout.write(renderClientList(profiles, { color: wantsColor(ctx.stdout, flags.color), verbose: flags.verbose }));
      }
      ctx.exitCode = 0;
    });
}
