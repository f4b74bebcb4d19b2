/**
 * The scan's guard against a hang (scan/overrun.ts): past the deadline and
 * its grace, a part that never ends is abandoned and named; parts that end
 * keep their answers; a scan that is over leaves no timer behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Overrun } from '../../src/scan/overrun.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('Overrun: a part still running after the deadline and its grace is abandoned and named; parts that ended keep their answers and their errors', async () => {
  const deadline = new AbortController();
  const o = new Overrun(deadline.signal, 40);
  const stuck = o.bound('suites of TLSv1.0', new Promise<number>(() => {}), -1);
  const quick = o.bound('groups', Promise.resolve(7), -2);
  const failing = o.bound('checks', Promise.reject(new Error('boom')), -3);
  assert.equal(await quick, 7);
  await assert.rejects(failing, /boom/);
  const before = performance.now();
  deadline.abort();
  assert.equal(await stuck, -1);
  assert.ok(performance.now() - before >= 35, 'abandoned only after the grace');
  assert.deepEqual(o.abandoned, ['suites of TLSv1.0']);
  o.close();
});

test('Overrun: closed before its deadline, it sets no grace timer when the deadline comes (the process is not held)', () => {
  const deadline = new AbortController();
  const o = new Overrun(deadline.signal, 60_000);
  void o.bound('groups', Promise.resolve(1), 0);
  o.close();
  const n = timers();
  deadline.abort();
  assert.equal(timers(), n);
  assert.deepEqual(o.abandoned, []);
});
