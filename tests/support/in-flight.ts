import type { ProbeTrace } from '../../src/scan/context.js';

/** Most probes in flight at once, over the probes that started at or after `from` (performance.now()). */
export function mostInFlight(trace: ProbeTrace[], from: number): number {
  const events = trace.filter((p) => p.started >= from).flatMap((p) => [[p.started, 1], [p.ended, -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0, most = 0;
  for (const [, d] of events) { now += d; most = Math.max(most, now); }
  return most;
}
