import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectServerPreference, eliminate, sortByServer, sortWithHint, sortAllPairs, memoChooser, Precedence, searchFirst } from '../../src/scan/order.js';
import { hintOrder } from '../../src/scan/order-hint.js';

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

test('sortAllPairs recovers any server order in one round of n(n-1)/2 pairs; a memo makes pairs asked earlier free', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { minLength: 0, maxLength: 12 }),
    fc.integer(), fc.boolean(),
    async (serverOrder, seed, giveTop) => {
      const rank = new Map(serverOrder.map((s, i) => [s, i]));
      let probes = 0;
      const choose = async (offered: number[]) => { probes++; return offered.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b)); };
      const guess = [...serverOrder].sort((a, b) => ((a ^ seed) % 89) - ((b ^ seed) % 89));
      const top = giveTop ? serverOrder[0] : undefined;
      const memo = memoChooser(choose);
      assert.deepEqual(await sortAllPairs(guess, memo, top), serverOrder);
      const n = serverOrder.length - (top !== undefined && serverOrder.length ? 1 : 0);
      const pairs = n > 1 ? (n * (n - 1)) / 2 : 0;
      assert.equal(probes, pairs);
      assert.deepEqual(await sortAllPairs(guess, memo, top), serverOrder);
      assert.equal(probes, pairs, 'the second sort asks nothing new');
    }), { numRuns: 200 });
});

test('sortAllPairs keeps the given order among items the server does not tell apart', async () => {
  assert.deepEqual(await sortAllPairs([3, 1, 2], async () => null), [3, 1, 2]);
});

test('hintOrder follows the picks, then the first place of each code in the guess (a guess may end with a catch-all list)', () => {
  // Guess: 29 first, then 23, 30; the catch-all tail lists 23 and 24 again in registry order.
  const guess = [29, 23, 30, 25, 24, 23, 24, 25, 29, 30];
  assert.deepEqual(hintOrder([23, 24, 25, 29, 30], [], guess), [29, 23, 30, 25, 24]);
  // A pick that says 24 beats 23 wins over the guess.
  assert.deepEqual(hintOrder([23, 24, 25, 29, 30], [{ offered: [23, 24], chosen: 24 }], guess), [29, 30, 25, 24, 23]);
});

test('firstSets: every candidate in exactly one set; the likely suites in small sets, the rest in large ones', async () => {
  const { firstSets } = await import('../../src/scan/ciphers.js');
  const { suitesForVersion } = await import('../../src/registry/ciphers.js');
  const candidates = suitesForVersion('TLSv1.2').map((s) => s.code).filter((c) => c !== 0);
  for (const fanout of [1, 2, 8, 32]) {
    const sets = firstSets(candidates, fanout);
    assert.deepEqual(sets.flat().sort((a, b) => a - b), [...candidates].sort((a, b) => a - b));
    assert.ok(sets.length <= fanout + 1, `${sets.length} sets for fanout ${fanout}`);
  }
  const sets = firstSets(candidates, 32);
  const withGcm = sets.find((s) => s.includes(0xc02f))!; // ECDHE-RSA-AES128-GCM-SHA256
  const withCamellia = sets.find((s) => s.includes(0x0041))!; // CAMELLIA128-SHA
  assert.ok(withGcm.length <= 4, `likely set of ${withGcm.length}`);
  assert.ok(withCamellia.length >= 20, `rare set of ${withCamellia.length}`);
});

test('firstSets: dealt, an AES-128 suite and its AES-256 twin land in different likely sets; in runs (queueing servers), together', async () => {
  const { firstSets } = await import('../../src/scan/ciphers.js');
  const { dealList } = await import('../../src/scan/order.js');
  const { suitesForVersion } = await import('../../src/registry/ciphers.js');
  assert.deepEqual(dealList([1, 2, 3, 4, 5, 6, 7], 3), [[1, 4, 7], [2, 5], [3, 6]]);
  assert.deepEqual(dealList([1, 2], 5), [[1], [2]]);
  assert.deepEqual(dealList([], 5), []);
  const candidates = suitesForVersion('TLSv1.2').map((s) => s.code).filter((c) => c !== 0);
  const holder = (sets: number[][], code: number) => sets.findIndex((s) => s.includes(code));
  const twins = [[0x009e, 0x009f], [0xc02f, 0xc030], [0xc013, 0xc014], [0xc02b, 0xc02c]]; // DHE-RSA, ECDHE-RSA, ECDHE-RSA CBC, ECDHE-ECDSA
  for (const fanout of [12, 20]) {
    const dealt = firstSets(candidates, fanout);
    assert.deepEqual(dealt.flat().sort((a, b) => a - b), [...candidates].sort((a, b) => a - b));
    for (const [a, b] of twins) assert.notEqual(holder(dealt, a!), holder(dealt, b!), `fanout ${fanout}: 0x${a!.toString(16)} and 0x${b!.toString(16)}`);
  }
  const runs = firstSets(candidates, 12, false);
  assert.deepEqual(runs.flat().sort((a, b) => a - b), [...candidates].sort((a, b) => a - b));
  assert.equal(holder(runs, 0x009e), holder(runs, 0x009f));
});

test('chainHolds: true only when every pair of neighbours after the first choice was answered for the first of the two', async () => {
  const { chainHolds } = await import('../../src/scan/order-hint.js');
  const won = (a: number, b: number) => ({ offered: [b, a], chosen: a });
  // top 1 needs no pair; 2>3 and 3>4 prove 2,3,4.
  assert.equal(chainHolds([1, 2, 3, 4], 1, [won(2, 3), won(3, 4)]), true);
  // A pick from a larger set is no pair answer.
  assert.equal(chainHolds([1, 2, 3, 4], 1, [won(2, 3), { offered: [3, 4, 5], chosen: 3 }]), false);
  // An answer against the guess (4 beat 3) or a missing pair: not proven.
  assert.equal(chainHolds([1, 2, 3, 4], 1, [won(2, 3), won(4, 3)]), false);
  assert.equal(chainHolds([1, 2, 3, 4], 1, [won(2, 3)]), false);
  // One suite besides the first choice, or none: nothing to prove.
  assert.equal(chainHolds([1, 2], 1, []), true);
  assert.equal(chainHolds([7], 7, []), true);
});

test('Precedence: what answers imply by transitivity is known without a probe; a pick counts only between items picked', () => {
  const p = new Precedence<number>();
  p.add(1, 2);
  p.add(2, 3);
  assert.equal(p.winner(3, 1), 1, 'a beats b, b beats c: a beats c');
  assert.equal(p.winner(1, 4), undefined);
  p.add(3, 1); // contradicts what is known: the first answer stands
  assert.equal(p.winner(1, 3), 1);
  const q = new Precedence<number>();
  q.notePick(10, [10, 20, 30, 40]);
  assert.equal(q.winner(10, 20), undefined, '20 was never picked: nothing kept of it yet');
  q.notePick(30, [20, 30, 40]);
  assert.equal(q.winner(10, 30), 10, 'the first pick, told again once 30 was picked');
  q.notePick(20, [20, 40]);
  assert.equal(q.winner(20, 10), 10);
  assert.equal(q.winner(20, 30), 30);
});

test('memoChooser with a Precedence: on any server order, no pair is asked whose answer the answers so far imply, and every answer is right', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { minLength: 2, maxLength: 16 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
    async (serverOrder, asks) => {
      const rank = new Map(serverOrder.map((s, i) => [s, i]));
      const best = (o: number[]) => o.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
      const known = new Precedence<number>();
      const asked: number[][] = [];
      const choose = memoChooser(async (o: number[]) => { asked.push(o); return best(o); }, new Map(), known);
      for (const [i, j] of asks) {
        const a = serverOrder[i % serverOrder.length]!, b = serverOrder[j % serverOrder.length]!;
        if (a === b) continue;
        const before = known.winner(a, b);
        const n = asked.length;
        assert.equal(await choose([a, b]), best([a, b]));
        if (before !== undefined) assert.equal(asked.length, n, 'implied: not asked');
      }
    }), { numRuns: 200 });
});

/**
 * A server that accepts the items of `order` and, offered a set, picks the one it ranks first
 * (null when it accepts none); `probes` counts the sets offered.
 */
function rankedServer(order: number[]) {
  const rank = new Map(order.map((s, i) => [s, i]));
  const server = {
    rank,
    probes: 0,
    pick: async (offered: number[]) => {
      server.probes++;
      const ok = offered.filter((x) => rank.has(x));
      return ok.length ? ok.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b)) : null;
    },
  };
  return server;
}

test('eliminate with `next`: offering what is left whole (a ladder) finds every accepted item, one probe each and one more, in the server order; switching to halves at any step finds them all too', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
    fc.uniqueArray(fc.integer({ min: 401, max: 800 }), { maxLength: 60 }),
    fc.nat({ max: 50 }),
    async (serverOrder, refused, ladderSteps) => {
      const server = rankedServer(serverOrder);
      const rank = server.rank, pick = server.pick;
      const items = [...refused, ...serverOrder].sort((a, b) => (a * 7919) % 101 - (b * 7919) % 101);
      const top = serverOrder[0]!;
      const rest = items.filter((x) => x !== top);
      const ladder = await eliminate(items, pick, { known: [top], parts: [rest], next: (left) => [left] });
      assert.deepEqual(ladder.accepted, items.filter((x) => rank.has(x)));
      assert.deepEqual(ladder.picks.map((p) => p.chosen), serverOrder.slice(1), 'picked in the server order');
      // One probe per accepted item but the known one, and one refused (none when nothing is left to refuse).
      const least = serverOrder.length - 1 + (refused.length ? 1 : 0);
      assert.equal(server.probes, least);
      // A ladder that gives up after some steps: the rest as without `next` (halves).
      server.probes = 0;
      let steps = 0;
      const mixed = await eliminate(items, pick, { known: [top], parts: [rest], next: (left) => (++steps <= ladderSteps ? [left] : undefined) });
      assert.deepEqual(mixed.accepted, ladder.accepted);
      assert.ok(server.probes >= least);
    }), { numRuns: 300 });
});

test('eliminate with chainMax: a set left after a pick is offered again whole, so a server with an order gives its picks in that order, one probe per accepted item plus one', async () => {
  const order = [5, 3, 9, 1];
  const server = rankedServer(order);
  const pick = server.pick;
  const items = Array.from({ length: 12 }, (_, i) => i);
  const chained = await eliminate(items, pick, { parts: [items], chainMax: 16 });
  assert.deepEqual(chained.picks.map((p) => p.chosen), order, 'picked in the server order');
  assert.deepEqual(chained.accepted, [1, 3, 5, 9]);
  assert.equal(server.probes, order.length + 1);
  server.probes = 0;
  const halved = await eliminate(items, pick, { parts: [items] });
  assert.deepEqual(halved.accepted, [1, 3, 5, 9]);
  assert.ok(server.probes > order.length + 1, `halves: ${server.probes} probes`);
});
