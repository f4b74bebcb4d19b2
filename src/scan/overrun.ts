/** Beyond the probe deadline, how long a part of the scan may run past the scan's deadline before it is abandoned, ms. */
export const OVERRUN_GRACE_MS = 1000;

/**
 * The scan's last line of defence against a hang: every probe, handshake
 * and wait ends at the scan's deadline, and a part still running `graceMs`
 * after it (a fault of ours: something that waits on what will never come)
 * is abandoned, named, and the scan returns what it has.
 */
export class Overrun {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fire!: () => void;
  private readonly fired = new Promise<void>((resolve) => { this.fire = resolve; });
  /** The parts abandoned, by label. */
  readonly abandoned: string[] = [];
  private readonly onDeadline = () => { this.timer = setTimeout(this.fire, this.graceMs); };

  constructor(private readonly deadline: AbortSignal, readonly graceMs: number) {
    deadline.addEventListener('abort', this.onDeadline, { once: true });
  }

  /** `p`, or `fallback` once the grace after the deadline is over (`label` then goes to `abandoned`). */
  bound<T>(label: string, p: Promise<T>, fallback: T): Promise<T> {
    let settled = false;
    return Promise.race([
      p.finally(() => { settled = true; }),
      this.fired.then(() => {
        if (!settled) this.abandoned.push(label);
        return fallback;
      }),
    ]);
  }

  /** The scan is over: no grace timer is left to hold the process. */
  close(): void {
    this.deadline.removeEventListener('abort', this.onDeadline);
    clearTimeout(this.timer);
  }
}
