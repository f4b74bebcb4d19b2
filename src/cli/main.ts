import { Command, CommanderError } from 'commander';
import type { CliContext } from './context.js';
import { ExitCode, UsageError, UnreachableError, errorMessage, proxyNote } from '../util/errors.js';
import { loadCommands, type RegisterCommand } from './commands/index.js';
import { terminalSafeStream } from '../report/style.js';

import { VERSION } from '../util/version.js';

export { VERSION };

export function buildProgram(ctx: CliContext, commands: RegisterCommand[]): Command {
  const program = new Command('tlsdoctor')
    .description('Make TLS connections between integrations work: scan servers, diagnose trust, simulate clients, manage SSL pins.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // One clear line for bad input, never the whole help text.
      outputError: (s, write) => write(s.endsWith('\n') ? s : `${s}\n`),
    })
    .exitOverride();
  for (const register of commands) register(program, ctx);
  return program;
}

/** Runs the CLI; resolves to the exit code. Never throws for user errors. */
export async function main(argv: string[], ctx?: Partial<CliContext>): Promise<number> {
  // What a server sent can reach either stream (a certificate name, a header, an error): its control characters are shown, not obeyed.
  const full: CliContext = { exitCode: 0, ...ctx, stdout: terminalSafeStream(ctx?.stdout ?? process.stdout), stderr: terminalSafeStream(ctx?.stderr ?? process.stderr) };
  const program = buildProgram(full, await loadCommands(argv));
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv);
    return full.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // commander has already printed its one-line message.
      return ExitCode.badInput;
    }
    if (err instanceof UsageError) {
      full.stderr.write(`tlsdoctor: ${err.message}\n`);
      return ExitCode.badInput;
    }
    if (err instanceof UnreachableError) {
      full.stderr.write(`tlsdoctor: ${err.message}${proxyNote(process.env, argv.some((a) => a === '--proxy' || a.startsWith('--proxy=')))}\n`);
      return ExitCode.unreachable;
    }
    full.stderr.write(`tlsdoctor: internal error: ${errorMessage(err)}\n`);
    return ExitCode.internal;
  }
}
