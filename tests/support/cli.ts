import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun { code: number; stdout: string; stderr: string }

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void { this.text += chunk.toString(); cb(); }
}

/** Runs the CLI in-process with captured output (argv without "node tlsdoctor"). */
export async function runCli(args: string[]): Promise<CliRun> {
  const stdout = new Capture(), stderr = new Capture();
  const code = await main(['node', 'tlsdoctor', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
