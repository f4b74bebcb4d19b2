import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { register as scan } from './scan.js';
import { register as demo } from './demo.js';
import { register as diagnose } from './diagnose.js';
import { register as registerPin } from './pin.js';
import { register as registerPinning } from './pinning.js';
import { register as clientTest } from './client-test.js';
import { register as clientHello } from './client-hello.js';
import { register as windows } from './windows.js';
import { register as clients } from './clients.js';

/** Each command module exports one register function; add new commands here. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const commands: RegisterCommand[] = [
  scan,
  demo,
  diagnose,
  registerPin,
  registerPinning,
  clientTest,
  clientHello,
  windows,
  clients,
];
