/**
 * A per-host connection pool: at most `limit` probes in flight against one
 * server (sslyze's lesson: bound the connections per server to keep scans
 * reliable and servers alive). The number in flight adapts like TCP's
 * congestion window: it starts at the limit (a scan's rounds are short
 * bursts, and a slow start would add round trips to every one of them),
 * halves when an answer comes very late, then grows back by one with every
 * quick answer and holds while answers queue up. A very late answer is
 * what a server with a short listen backlog (dropped SYNs are retried after
 * a second) or a busy single-threaded server looks like from outside.
 * Probes queue in FIFO order, urgent ones (short chains of dependent
 * probes) ahead of the rest, spare ones (guesses) behind; an aborted wait
 * rejects at once.
 */
/**
 * Where a probe waits for its slot: ahead of the others, among them, or
 * behind them all; 'held': the probe of a hold (solo), which runs with
 * nothing else in flight.
 */
export type Priority = 'urgent' | 'normal' | 'spare' | 'held';

export class HostPool {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  /** Waiters that go before all others (short chains of dependent probes, such as order checks). */
  private readonly urgent: Waiter[] = [];
  /** Waiters that go after all others (guesses that only pay when nothing else needs the slot). */
  private readonly spare: Waiter[] = [];
  /** Probes allowed in flight now (1..limit). */
  window: number;
  private threshold: number;
  private quickest = Infinity;
  private lastCut = 0;
  /** Highest concurrency seen, for benchmarks and tests. */
  peak = 0;
  /** Probes run through this pool. */
  count = 0;
  /** Times the window was halved. */
  cuts = 0;
  /** Holds in force (solo): while any is, only 'held' probes start, each with nothing else in flight. */
  private holds = 0;
  private readonly held: Waiter[] = [];

  /** Probes in flight now. */
  get inFlight(): number { return this.active; }

  /**
   * Until the returned function is called, no probe starts but 'held' ones,
   * each once nothing else is in flight: the probes in flight finish, the
   * rest wait (probes that must run alone, such as the tests of whether the
   * server limits our connections).
   */
  solo(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.wake();
    };
  }

  /** Probes allowed in flight at this moment (held probes aside). */
  private allowed(): number {
    if (this.holds > 0) return 0;
    const w = Math.floor(this.window);
    return this.heavy > 0 || this.heavyWaiters.length ? Math.min(w, this.heavyLimit) : w;
  }

  /**
   * While a heavy probe waits or runs, at most this many probes are in flight (the heavy one
   * included): a probe that costs a server which serves one connection at a time far more than
   * a handshake (RFC 7919's large groups: it computes a key of 6144 or 8192 bits) would let the
   * probes behind it overflow the server's listen backlog.
   */
  heavyLimit = Infinity;
  /** Heavy probes in flight, and waiting (run's `heavy`). */
  private heavy = 0;
  private readonly heavyWaiters: Waiter[] = [];

  constructor(public limit: number, initialWindow = limit) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('pool limit must be a positive integer');
    this.window = Math.min(limit, Math.max(1, initialWindow));
    this.threshold = limit;
  }

  /**
   * `heavy`: a probe that costs the server far more than others (heavyLimit). As a function, it
   * is asked when the probe is queued and again when its turn comes: a probe queued before the
   * scan knew it would be heavy (a guess waiting behind the rest) still waits under the ceiling.
   */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal, priority: Priority = 'normal', heavy: boolean | (() => boolean) = false): Promise<T> {
    const isHeavy = priority === 'held' ? () => false : typeof heavy === 'function' ? heavy : () => heavy;
    const ticket = await this.acquire(signal, priority, isHeavy);
    this.count++;
    const started = performance.now();
    try {
      return await fn();
    } finally {
      if (ticket.heavy) this.heavy--;
      this.feedback(performance.now() - started);
      this.release();
    }
  }

  /**
   * Caps the window from now on (a server seen to take one connection at a
   * time: more connections in flight only overflow its listen backlog).
   */
  cap(max: number): void {
    this.limit = Math.max(1, Math.min(this.limit, max));
    this.window = Math.min(this.window, this.limit);
    this.threshold = Math.min(this.threshold, this.limit);
  }

  /** Lifts the cap to `max` (a verdict taken back); the window grows back as answers come in. */
  uncap(max: number): void {
    this.limit = Math.max(this.limit, max);
    this.wake();
  }

  /** Adapts the window to how long the last probe took. */
  private feedback(ms: number): void {
    this.quickest = Math.min(this.quickest, ms);
    const now = performance.now();
    const late = ms > this.quickest * 4 + 300;
    if (late) {
      // At most one cut per "round trip": one burst of late answers is one signal.
      if (now - this.lastCut > Math.max(this.quickest * 2, 50)) {
        this.window = Math.max(2, Math.floor(this.window / 2));
        this.threshold = this.window;
        this.lastCut = now;
        this.cuts++;
      }
      return;
    }
    // An answer much slower than the quickest (but not late) means the server queues our
    // connections: more of them would only wait longer, or overflow its backlog. Hold.
    if (ms > this.quickest * 2 + 20) return;
    this.window = Math.min(this.limit, this.window < this.threshold ? this.window + 1 : this.window + 1 / this.window);
    this.wake();
  }

  /**
   * Spaces connection starts at least `gapMs` apart from now on. A server
   * that accepts one connection at a time drains its listen queue at its
   * own pace; starting connections no faster than that keeps the queue
   * short, so that a wide window does not overflow a small backlog.
   */
  pace(gapMs: number): void {
    this.gap = Math.max(0, gapMs);
  }

  private gap = 0;
  /** The least time between two connection starts, ms (pace). */
  get gapMs(): number { return this.gap; }
  private lastStart = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private start(heavy = false): void {
    // Counted as it is granted, so that the ceiling holds for the grants that follow in the same turn.
    if (heavy) this.heavy++;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    this.lastStart = performance.now();
  }

  private acquire(signal: AbortSignal | undefined, priority: Priority, isHeavy: () => boolean): Promise<{ heavy: boolean }> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    const ticket = { heavy: isHeavy() };
    const room = ticket.heavy ? Math.min(this.allowed(), this.heavyLimit) : this.allowed();
    if (priority === 'held' ? this.active === 0 && !this.held.length
      : !this.queued() && this.active < room && performance.now() - this.lastStart >= this.gap) {
      this.start(ticket.heavy);
      return Promise.resolve(ticket);
    }
    return new Promise((resolve, reject) => {
      const grant: Waiter = () => {
        signal?.removeEventListener('abort', onAbort);
        ticket.heavy = grant.heavy === true;
        this.start(ticket.heavy);
        resolve(ticket);
      };
      grant.heavy = ticket.heavy;
      // Not heavy yet: asked again when its turn comes (wake).
      if (!ticket.heavy) grant.recheck = isHeavy;
      const queue = ticket.heavy ? this.heavyWaiters : priority === 'urgent' ? this.urgent : priority === 'spare' ? this.spare : priority === 'held' ? this.held : this.waiters;
      const onAbort = () => {
        // Wherever it waits now (a recheck may have moved it among the heavy ones).
        for (const q of [this.urgent, this.heavyWaiters, this.waiters, this.spare, this.held]) {
          const i = q.indexOf(grant);
          if (i >= 0) q.splice(i, 1);
        }
        reject(signal!.reason ?? new Error('aborted'));
        if (grant.heavy) this.wake(); // the ceiling may be lifted
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
      this.wake();
    });
  }

  /** Starts waiting probes while the window and the pace allow. */
  private wake(): void {
    if (this.active === 0 && this.held.length) { this.held.shift()!(); return; }
    while (this.active < this.allowed() && this.queued()) {
      const wait = this.lastStart + this.gap - performance.now();
      if (wait > 0) {
        this.timer ??= setTimeout(() => { this.timer = undefined; this.wake(); }, Math.ceil(wait));
        return;
      }
      // A heavy probe goes after the urgent ones, as soon as the ceiling leaves it room.
      const queue = [this.urgent, this.heavyWaiters, this.waiters, this.spare].find((q) => q.length)!;
      const next = queue[0]!;
      if (queue !== this.heavyWaiters && next.recheck?.()) {
        // Heavy by now (what the scan learnt while it waited): it waits under the ceiling instead.
        queue.shift();
        next.heavy = true;
        next.recheck = undefined;
        this.heavyWaiters.push(next);
        continue;
      }
      queue.shift()!();
    }
  }

  private queued(): number {
    return this.urgent.length + this.heavyWaiters.length + this.waiters.length + this.spare.length;
  }

  private release(): void {
    this.active--;
    this.wake();
  }
}

/** A probe waiting for its slot: granting it starts it. */
interface Waiter {
  (): void;
  /** It waits (or waited) as a heavy probe. */
  heavy?: boolean;
  /** Whether it is heavy by now: asked when its turn comes (HostPool.run's `heavy` as a function). */
  recheck?: () => boolean;
}
