import { Writable } from 'node:stream';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

/** Runs bin/tlsdoctor.js in a process of its own, with `env` added to this one's (what Node reads at start-up, such as NODE_EXTRA_CA_CERTS). */
export function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const bin = fileURLToPath(new URL('../../../bin/tlsdoctor.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
