import type { Endpoint } from '../net/target.js';
import type { HostPool } from '../net/pool.js';
import { sendHello, type ProbeOutcome } from '../net/probe.js';
import type { ScanError } from './types.js';

/** What every check gets: where to connect, how, and where to report problems. */
export class ScanContext {
  readonly errors: ScanError[] = [];
  /** Probes sent, for the progress line and benchmarks. */
  probes = 0;
  /** Probes sent per purpose ("protocols", "ciphers", "order", "groups", ...), for benchmarks. */
  readonly probesBy: Record<string, number> = {};
  onProgress?: (probes: number) => void;

  constructor(
    readonly ep: Endpoint,
    readonly pool: HostPool,
    readonly timeoutMs: number,
    readonly signal: AbortSignal,
  ) {}

  /** One probe through the host pool. Never throws. */
  async probe(purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone' = 'serverHello'): Promise<ProbeOutcome> {
    if (this.signal.aborted) return { kind: 'failed', code: 'aborted', message: 'scan deadline reached' };
    try {
      return await this.pool.run(() => {
        this.probes++;
        this.probesBy[purpose] = (this.probesBy[purpose] ?? 0) + 1;
        this.onProgress?.(this.probes);
        return sendHello(this.ep, hello, { timeoutMs: this.timeoutMs, readUntil, signal: this.signal });
      }, this.signal);
    } catch {
      return { kind: 'failed', code: 'aborted', message: 'scan deadline reached' };
    }
  }

  error(stage: string, message: string, code?: string): void {
    if (!this.errors.some((e) => e.stage === stage && e.message === message)) this.errors.push({ stage, message, code });
  }
}
