/**
 * Servers that are programs of the tests' own (tests/support/jsse-server.ts, go-server.ts):
 * each prints `key value` lines of what it has enabled, then `port N` once it listens.
 *
 * They are stopped by a hook of the test file (registered when this module is first
 * imported), not of the test that started them: an `after` called inside a test, after
 * awaits, was seen not to run for a second JSSE server, which then held the test process.
 * On exit, as a last resort, whatever still runs is killed and the folders are removed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { terminate, type RunningServer } from './servers.js';

const running = new Set<() => Promise<void>>();
const folders: string[] = [];
const children = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
after(async () => { await Promise.all([...running].map((stop) => stop())); });
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

/** A temporary folder removed when the test process exits. */
export function processTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

export interface ProgramServer extends RunningServer {
  /** The `key value` lines it printed before `port N`. */
  facts: Record<string, string>;
}

/** Starts `cmd args` and resolves once it has printed its port (30 s at most). */
export async function startProgramServer(name: string, cmd: string, args: string[]): Promise<ProgramServer> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let exited = false;
  child.on('exit', () => { exited = true; children.delete(child); });
  const stop = async () => {
    running.delete(stop);
    if (!exited) await terminate(child);
  };
  running.add(stop);
  const facts = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const lines = Object.fromEntries(out.split('\n').map((l) => l.trim().split(' ')).filter((p) => p.length === 2).map(([k, v]) => [k!, v!]));
      if (lines.port) { clearTimeout(timer); resolve(lines); }
    });
    child.stderr.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}):\n${out}`)); });
  });
  return { host: '127.0.0.1', port: Number(facts.port), stop, log: () => out, facts };
}
