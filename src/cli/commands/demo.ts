import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { startDemoServers } from '../../demo/servers.js';
import { scanEndpoint } from '../../scan/run.js';
import { renderScan } from '../../report/terminal.js';
import { makeStyle, wantsColor } from '../../report/style.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('start two local TLS servers (modern and legacy) and scan them: the main job, with no network')
    .option('--json', 'JSON lines instead of the human report')
    .option('--no-color', 'no ANSI colours even on a terminal')
    .action(async (flags: { json?: boolean; color?: boolean }) => {
      const color = wantsColor(ctx.stdout, flags.color);
      const st = makeStyle(color);
      const servers = await startDemoServers();
      try {
        for (const s of servers) {
          if (!flags.json) ctx.stdout.write(st.bold(`== demo target "${s.name}": ${s.description}`) + '\n');
          const result = await scanEndpoint({ host: s.host, port: s.port, address: s.host, sni: `${s.name}.demo.test` });
          ctx.stdout.write(flags.json ? JSON.stringify(result) + '\n' : renderScan(result, { color }) + '\n');
        }
        if (!flags.json) ctx.stdout.write(st.dim('Next: tlsdoctor scan your.api.example:443   (tlsdoctor --help for every command)') + '\n');
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
}
