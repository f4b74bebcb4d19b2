import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { startDemoServers } from '../../demo/servers.js';
import { scanEndpoint } from '../../scan/run.js';
import { renderScan } from '../../report/terminal.js';
import { renderFindings } from '../../report/findings.js';
import { assessScan } from '../../assess/scan.js';
import { parseClientSelection } from '../../registry/clients/index.js';
import { renderClientTable } from '../../report/clients.js';

/** The runtimes of the seed documents, and today's browsers, for the demo's compatibility table. */
const DEMO_CLIENTS = 'dotnet-4.5,dotnet-4.5-tls12,dotnet-4.7-win10,java-7,java-8,python-2.7.8,python-3.11,openssl-1.0.1,android-4.4,chrome-current';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeStyle, wantsColor } from '../../report/style.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('start three local TLS servers (modern, legacy, and one that leaves out its intermediate) and scan them: the main job, with no network')
    .option('--json', 'JSON lines instead of the human report')
    .option('--no-color', 'no ANSI colours even on a terminal')
    .action(async (flags: { json?: boolean; color?: boolean }) => {
      const color = wantsColor(ctx.stdout, flags.color);
      const st = makeStyle(color);
      const servers = await startDemoServers();
      // The demo servers' certificates come from a demo root CA: trust it as --ca-file would.
      const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-demo-'));
      const caFile = join(dir, 'demo-root-ca.pem');
      writeFileSync(caFile, servers[0]!.caPem);
      try {
        for (const s of servers) {
          if (!flags.json) ctx.stdout.write(st.bold(`== demo target "${s.name}": ${s.description}`) + '\n');
          const scanned = await scanEndpoint({ host: s.host, port: s.port, address: s.host, sni: `${s.name}.demo.test` }, { clients: parseClientSelection(DEMO_CLIENTS) });
          const { result } = await assessScan(scanned, { caFiles: [caFile], fetchIntermediates: s.fetchIntermediates });
          const extra = [renderClientTable(result.clients ?? [], { color }), renderFindings(result.findings, result.grade, { color, width: ctx.stdout.columns })];
          ctx.stdout.write(flags.json ? JSON.stringify(result) + '\n' : renderScan(result, { color, extra }) + '\n');
        }
        if (!flags.json) ctx.stdout.write(st.dim('Next: tlsdoctor scan your.api.example:443   (tlsdoctor --help for every command)') + '\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await Promise.all(servers.map((s) => s.close()));
      }
    });
}
