import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostPool } from '../../src/net/pool.js';

test('HostPool never runs more than its limit at once and runs everything', async () => {
  const pool = new HostPool(3);
  let active = 0, max = 0;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run(async () => {
    active++; max = Math.max(max, active);
    await new Promise((r) => setImmediate(r));
    active--;
    return i;
  })));
  assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i));
  assert.equal(max, 3);
  assert.equal(pool.peak, 3);
  assert.equal(pool.count, 20);
});

test('HostPool: an aborted waiter is rejected and does not leak its slot', async () => {
  const pool = new HostPool(1);
  let release!: () => void;
  const first = pool.run(() => new Promise<void>((r) => { release = r; }));
  const ac = new AbortController();
  const second = pool.run(async () => 'never', ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(second, /stop/);
  release();
  await first;
  assert.equal(await pool.run(async () => 'free again'), 'free again');
});

test('HostPool: the window grows with quick answers up to the limit and halves when answers come late', async () => {
  const pool = new HostPool(32, 4);
  assert.equal(pool.window, 4);
  await Promise.all(Array.from({ length: 40 }, () => pool.run(async () => { await new Promise((r) => setImmediate(r)); })));
  assert.equal(pool.window, 32, 'grew to the limit');
  assert.ok(pool.peak > 4 && pool.peak <= 32);
  // A burst of answers far slower than the quickest: one cut per burst.
  await Promise.all(Array.from({ length: 4 }, () => pool.run(() => new Promise((r) => setTimeout(r, 400)))));
  assert.equal(pool.cuts, 1);
  assert.equal(pool.window, 16);
});

test('cap lowers the limit and the window for good, and never raises them', async () => {
  const pool = new HostPool(32);
  pool.cap(8);
  assert.equal(pool.limit, 8);
  assert.equal(pool.window, 8);
  pool.cap(64);
  assert.equal(pool.limit, 8, 'a cap never raises the limit');
  let inFlight = 0, most = 0;
  await Promise.all(Array.from({ length: 40 }, () => pool.run(async () => {
    inFlight++; most = Math.max(most, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
  })));
  assert.equal(most, 8);
});

test('pace spaces connection starts, and every probe still runs', async () => {
  const pool = new HostPool(16);
  pool.pace(5);
  const starts: number[] = [];
  const out = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.run(async () => {
    starts.push(performance.now());
    await new Promise((r) => setImmediate(r));
    return i;
  }, undefined, i % 3 === 0 ? 'urgent' : i % 3 === 1 ? 'spare' : 'normal')));
  assert.deepEqual([...out].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  // The first probe's body runs only after the loop above has queued the others (its start is
  // recorded late); from the second on, each start is a paced grant and recorded as it happens.
  for (let i = 2; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 4, `start ${i} came ${starts[i]! - starts[i - 1]!} ms after the one before`);
  assert.ok(starts[starts.length - 1]! - starts[0]! >= 4 * (starts.length - 2), 'eight starts span at least six gaps');
});

test('urgent probes go ahead of the queue, spare ones behind it', async () => {
  const pool = new HostPool(1);
  const order: string[] = [];
  let release!: () => void;
  const first = pool.run(() => new Promise<void>((r) => { release = r; }));
  const spare = pool.run(async () => { order.push('spare'); }, undefined, 'spare');
  const bulk = pool.run(async () => { order.push('bulk'); });
  const urgent = pool.run(async () => { order.push('urgent'); }, undefined, 'urgent');
  const bulk2 = pool.run(async () => { order.push('bulk2'); }, undefined, 'normal');
  await new Promise((r) => setImmediate(r)); // the first probe has started
  release();
  await Promise.all([first, spare, bulk, urgent, bulk2]);
  assert.deepEqual(order, ['urgent', 'bulk', 'bulk2', 'spare']);
});

test('an aborted spare wait leaves the queue', async () => {
  const pool = new HostPool(1);
  let release!: () => void;
  const first = pool.run(() => new Promise<void>((r) => { release = r; }));
  const ac = new AbortController();
  const spare = pool.run(async () => 'ran', ac.signal, 'spare');
  ac.abort();
  await assert.rejects(spare);
  release();
  await first;
  assert.equal(await pool.run(async () => 'next'), 'next');
});

test('solo: until released only held probes start, each once nothing else is in flight; then the window again', async () => {
  const pool = new HostPool(8);
  let running = 0, most = 0;
  const job = (ms: number, seen?: number[], priority?: 'held') => pool.run(async () => {
    running++; most = Math.max(most, running);
    seen?.push(running);
    await new Promise((r) => setTimeout(r, ms));
    running--;
  }, undefined, priority);
  const before = [job(20), job(20), job(20)];
  await new Promise((r) => setTimeout(r, 1));
  assert.equal(pool.inFlight, 3);
  const release = pool.solo();
  const seenQueued: number[] = [];
  const queued = [job(5, seenQueued), job(5, seenQueued), job(5, seenQueued)];
  const seenHeld: number[] = [];
  await Promise.all([job(5, seenHeld, 'held'), job(5, seenHeld, 'held')]);
  assert.deepEqual(seenHeld, [1, 1], 'each held probe ran alone, after the three in flight');
  await Promise.all(before);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seenQueued, [], 'nothing else starts while held');
  release();
  release(); // a second call does nothing
  await Promise.all(queued);
  assert.equal(seenQueued.length, 3);
  most = 0;
  await Promise.all(Array.from({ length: 8 }, () => job(10)));
  assert.equal(most, 8);
});

test('heavy probes: while one waits or runs, at most heavyLimit probes are in flight; it starts once there is room under it, ahead of the normal queue; an aborted heavy wait lifts the ceiling', async () => {
  const pool = new HostPool(10);
  pool.heavyLimit = 3;
  let active = 0;
  let most = 0;
  const order: string[] = [];
  const gates = new Map<string, () => void>();
  const job = (label: string) => async () => {
    active++;
    most = Math.max(most, active);
    order.push(label);
    await new Promise<void>((r) => gates.set(label, r));
    active--;
  };
  const open = (label: string) => { gates.get(label)!(); gates.delete(label); };
  const tick = async () => { for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); };
  // Six probes in flight, then a heavy one and four more behind it.
  const first = Array.from({ length: 6 }, (_, i) => pool.run(job(`n${i}`)));
  await tick();
  assert.equal(active, 6);
  const heavy = pool.run(job('heavy'), undefined, 'normal', true);
  const after = Array.from({ length: 4 }, (_, i) => pool.run(job(`m${i}`)));
  await tick();
  assert.equal(active, 6, 'nothing more starts while the heavy probe waits above the ceiling');
  // Four of the six end: two in flight, room for the heavy probe (three with it), and for nothing else.
  most = 0;
  for (let i = 0; i < 4; i++) open(`n${i}`);
  await tick();
  assert.equal(active, 3);
  assert.deepEqual(order.slice(6), ['heavy']);
  // One of the first six ends while the heavy one runs: one of those behind takes its place, no more.
  open('n4');
  await tick();
  assert.equal(active, 3);
  assert.equal(most, 3, 'never more than the ceiling while the heavy probe waited or ran');
  // The heavy one ends: the ceiling is gone and the rest start.
  open('heavy');
  await heavy;
  await tick();
  assert.equal(active, 5, 'n5 and the four behind the heavy probe');
  for (const label of [...gates.keys()]) open(label);
  await Promise.all([...first, ...after]);
  assert.deepEqual(order.slice(6), ['heavy', 'm0', 'm1', 'm2', 'm3']);

  // An aborted heavy wait lifts the ceiling at once.
  const p2 = new HostPool(10);
  p2.heavyLimit = 2;
  const hold: Array<() => void> = [];
  const busy = Array.from({ length: 4 }, () => p2.run(() => new Promise<void>((r) => hold.push(r))));
  const ac = new AbortController();
  const waiting = p2.run(async () => 'never', ac.signal, 'normal', true);
  let extra = false;
  const more = p2.run(async () => { extra = true; });
  await tick();
  assert.equal(extra, false, 'held under the ceiling');
  ac.abort(new Error('withdrawn'));
  await assert.rejects(waiting, /withdrawn/);
  await more;
  assert.equal(extra, true);
  hold.forEach((r) => r());
  await Promise.all(busy);
});

test('heavy as a function: asked again when a queued probe\'s turn comes; one that became heavy while it waited starts only under the ceiling, and counts as heavy while it runs', async () => {
  const pool = new HostPool(6);
  pool.heavyLimit = 2;
  let active = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const job = () => async () => {
    active++;
    most = Math.max(most, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
  };
  const tick = async () => { for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); };
  // Six in flight; two guesses wait behind them, not heavy when queued.
  let heavyNow = false;
  const busy = Array.from({ length: 6 }, () => pool.run(job()));
  const spare = [pool.run(job(), undefined, 'spare', () => heavyNow), pool.run(job(), undefined, 'spare', () => heavyNow)];
  await tick();
  assert.equal(active, 6);
  // What the scan learns meanwhile makes them heavy.
  heavyNow = true;
  // Three of the six end: three in flight, above the ceiling of two: neither guess starts.
  for (let i = 0; i < 3; i++) gates.shift()!();
  await tick();
  assert.equal(active, 3, 'a probe that became heavy waits under the ceiling');
  // Two more end: one in flight, room for one heavy probe under the ceiling of two, not both.
  gates.shift()!();
  gates.shift()!();
  await tick();
  assert.equal(active, 2);
  most = 0;
  // A normal probe asked now waits too: a heavy one runs.
  let normalStarted = false;
  const normal = pool.run(async () => { normalStarted = true; });
  await tick();
  assert.equal(normalStarted, false, 'the ceiling holds while the guess, now heavy, runs');
  while (gates.length) { gates.shift()!(); await tick(); }
  await Promise.all([...busy, ...spare, normal]);
  assert.equal(normalStarted, true);
  assert.ok(most <= 2, `${most} in flight while a heavy probe ran`);

  // One that is still not heavy when its turn comes starts as any other, with no ceiling.
  const p2 = new HostPool(6);
  p2.heavyLimit = 2;
  active = 0;
  const busy2 = Array.from({ length: 6 }, () => p2.run(job()));
  const light = [p2.run(job(), undefined, 'spare', () => false), p2.run(job(), undefined, 'spare', () => false)];
  await tick();
  for (let i = 0; i < 3; i++) gates.shift()!();
  await tick();
  assert.equal(active, 5, 'both guesses started beside the three left');
  while (gates.length) { gates.shift()!(); await tick(); }
  await Promise.all([...busy2, ...light]);
});
