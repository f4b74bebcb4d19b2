import type { Writable } from 'node:stream';

/** What a command needs from the outside world; tests pass their own streams. */
export interface CliContext {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** Set by a command's action: the process exit code. */
  exitCode: number;
}
