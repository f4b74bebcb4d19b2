import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectServerPreference, sortByServer, sortWithHint, memoChooser, searchFirst } from '../../src/scan/order.js';

// These tests exercise the ordering algorithm alone, with a comparator that
// plays the server's choice; the scans against real servers are in scan-*.test.ts.

test('sortByServer recovers any server order, with the known top or without', async () => {
  await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { minLength: 0, maxLength: 40 }), fc.boolean(), async (serverOrder, giveTop) => {
    const rank = new Map(serverOrder.map((s, i) => [s, i]));
    let probes = 0;
    const choose = async (offered: number[]) => { probes++; return offered.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b)); };
    const shuffled = [...serverOrder].sort((a, b) => (a * 7919) % 101 - (b * 7919) % 101);
    const sorted = await sortByServer(shuffled, choose, giveTop ? serverOrder[0] : undefined);
    assert.deepEqual(sorted, serverOrder);
    assert.ok(probes <= (serverOrder.length * (serverOrder.length - 1)) / 2 + 1);
  }), { numRuns: 200 });
});

test('detectServerPreference tells server order from client order, and says null without answers', async () => {
  const items = [1, 2, 3, 4];
  const serverRank = [4, 3, 2, 1];
  assert.equal(await detectServerPreference(items, async (o) => o.reduce((a, b) => (serverRank.indexOf(a) < serverRank.indexOf(b) ? a : b))), true);
  assert.equal(await detectServerPreference(items, async (o) => o[0]!), false);
  assert.equal(await detectServerPreference(items, async () => null), null);
  assert.equal(await detectServerPreference([1], async (o) => o[0]!), null);
  assert.equal(await detectServerPreference([1, 2, 3], async (o) => o[0]!), false);
});

test('sortWithHint recovers any server order from any guess; a right guess costs n-1 comparisons', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { minLength: 0, maxLength: 40 }),
    fc.integer(), fc.boolean(),
    async (serverOrder, seed, giveTop) => {
      const rank = new Map(serverOrder.map((s, i) => [s, i]));
      const choose = async (offered: number[]) => offered.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
      const guess = [...serverOrder].sort((a, b) => ((a ^ seed) % 97) - ((b ^ seed) % 97));
      assert.deepEqual(await sortWithHint(guess, choose, giveTop ? serverOrder[0] : undefined), serverOrder);
      let probes = 0;
      const counted = async (o: number[]) => { probes++; return choose(o); };
      assert.deepEqual(await sortWithHint(serverOrder, counted), serverOrder);
      assert.equal(probes, Math.max(0, serverOrder.length - 1));
    }), { numRuns: 200 });
});

test('memoChooser asks each pair once, whatever the order offered', async () => {
  let calls = 0;
  const choose = memoChooser(async (o: number[]) => { calls++; return Math.min(...o); });
  assert.equal(await choose([2, 1]), 1);
  assert.equal(await choose([1, 2]), 1);
  assert.equal(await choose([1, 2, 3]), 1);
  assert.equal(calls, 2);
});

test('searchFirst finds the boundary of any monotone predicate, from the middle or near the end', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), async (n, b, nearEnd) => {
    const boundary = Math.min(b, n);
    const asked: number[] = [];
    const got = await searchFirst(0, n, async (i) => { asked.push(i); assert.ok(i >= 0 && i < n); return i >= boundary; }, nearEnd);
    assert.equal(got, boundary);
    assert.ok(asked.length <= 3 * (Math.ceil(Math.log2(n + 1)) + 1));
  }), { numRuns: 300 });
});
