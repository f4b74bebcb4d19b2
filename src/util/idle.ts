/**
 * Runs `steps` one per turn of the event loop, so that network events waiting
 * in between are handled (each step may block the loop for a few ms: loading
 * code, parsing a trust store). Resolves when all have run. Never rejects: a
 * step that throws here is expected to throw again, with its error, when its
 * result is first really used.
 */
export function stepByStep(steps: Array<() => unknown>): Promise<void> {
  const queue = [...steps];
  return new Promise((resolve) => {
    const next = () => {
      const step = queue.shift();
      if (!step) { resolve(); return; }
      try { step(); } catch { /* reported at first real use */ }
      setImmediate(next);
    };
    setImmediate(next);
  });
}
