/** Starts a ClientTestServer for a test file and collects its per-client log entries. */

import { ClientTestServer, type ClientLogEntry, type ClientTestOptions } from '../../src/clienttest/server.js';
import { generateSelfSigned } from '../../src/clienttest/selfsigned.js';

export interface Harness {
  port: number;
  entries: ClientLogEntry[];
  /** Resolves with the first entry logged after index `from` that matches. */
  next(from: number, pred?: (e: ClientLogEntry) => boolean, timeoutMs?: number): Promise<ClientLogEntry>;
  server: ClientTestServer;
}

let pairPromise: ReturnType<typeof generateSelfSigned> | undefined;

export async function startHarness(o: Partial<ClientTestOptions> = {}): Promise<Harness> {
  pairPromise ??= generateSelfSigned();
  const pair = await pairPromise;
  const entries: ClientLogEntry[] = [];
  const waiters: (() => void)[] = [];
  const server = new ClientTestServer({
    port: 0, cert: pair.cert, key: pair.key, ...o,
    onClient: (e) => { entries.push(e); o.onClient?.(e); waiters.splice(0).forEach((w) => w()); },
  });
  const { port } = await server.listen();

  const next = async (from: number, pred: (e: ClientLogEntry) => boolean = () => true, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = entries.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching client entry after #${from} within ${timeoutMs} ms; have: ${JSON.stringify(entries.slice(from).map((e) => [e.outcome, e.error]))}`);
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
    }
  };
  return { port, entries, next, server };
}
