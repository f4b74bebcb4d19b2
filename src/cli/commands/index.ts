import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** Each command module exports one register function. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/**
 * The commands, loaded on demand: `tlsdoctor scan` loads only the scan
 * module's graph, not the pinning agents, the client-test server or
 * Playwright, which keeps start-up short. Add new commands here (help lists
 * them in this order).
 */
export const COMMAND_LOADERS: Record<string, () => Promise<{ register: RegisterCommand }>> = {
  scan: () => import('./scan.js'),
  demo: () => import('./demo.js'),
  diagnose: () => import('./diagnose.js'),
  clients: () => import('./clients.js'),
  'client-test': () => import('./client-test.js'),
  'client-hello': () => import('./client-hello.js'),
  windows: () => import('./windows.js'),
  pin: () => import('./pin.js'),
  pinning: () => import('./pinning.js'),
};

/**
 * The register functions needed for this command line: one command's, none
 * for a bare `--version`, or all (help, unknown command).
 */
export async function loadCommands(argv: string[]): Promise<RegisterCommand[]> {
  const args = argv.slice(2);
  const name = args.find((a) => !a.startsWith('-'));
  if (!name && args.some((a) => a === '-V' || a === '--version') && !args.some((a) => a === '-h' || a === '--help')) return [];
  const wanted = name && name in COMMAND_LOADERS ? [COMMAND_LOADERS[name]!] : Object.values(COMMAND_LOADERS);
  return (await Promise.all(wanted.map((load) => load()))).map((m) => m.register);
}
