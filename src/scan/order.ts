/**
 * Server preference: does the server pick by its own order, and what is it?
 *
 * The server is a comparator: offered {a, b} it answers with the one it
 * prefers. Preference is detected by offering two accepted items in both
 * orders. The order itself comes from a parallel quicksort: every item is
 * compared with a pivot at once (one round), then both sides are sorted at
 * once; about log2(n) rounds instead of the n sequential rounds of the
 * classic "offer all, remove the winner, repeat" method.
 */

/** Asks the server to choose between the items offered, in this order; null when it did not answer. */
export type Chooser<T> = (offered: T[]) => Promise<T | null>;

export async function detectServerPreference<T>(items: T[], choose: Chooser<T>): Promise<boolean | null> {
  if (items.length < 2) return null;
  // Compare the first two items both ways; a second pair guards against ties
  // (equal-preference groups such as BoringSSL's [AES-GCM|CHACHA20]).
  const pairs: [T, T][] = [[items[0]!, items[items.length - 1]!]];
  if (items.length >= 4) pairs.push([items[1]!, items[items.length - 2]!]);
  else if (items.length === 3) pairs.push([items[0]!, items[1]!]);
  const answers = await Promise.all(pairs.flatMap(([a, b]) => [choose([a, b]), choose([b, a])]));
  let server = 0, client = 0;
  for (let i = 0; i < answers.length; i += 2) {
    const [a, b] = pairs[i / 2]!;
    const ab = answers[i], ba = answers[i + 1];
    if (ab == null || ba == null) continue;
    if (ab === ba) server++;
    else if (ab === a && ba === b) client++;
  }
  if (server === 0 && client === 0) return null;
  return server > 0;
}

/**
 * Sorts items by the server's preference; `top`, when known, is the server's
 * first choice among all of them. Comparisons the server does not answer
 * keep the given order.
 */
export async function sortByServer<T>(items: T[], choose: Chooser<T>, top?: T): Promise<T[]> {
  if (top !== undefined && items.includes(top)) {
    // The server's first choice from the full list is already known.
    return [top, ...(await sortByServer(items.filter((x) => x !== top), choose))];
  }
  if (items.length <= 1) return items.slice();
  if (items.length === 2) {
    const w = await choose(items);
    return w === items[1] ? [items[1]!, items[0]!] : items.slice();
  }
  const pivot = items[Math.floor(items.length / 2)]!;
  const others = items.filter((x) => x !== pivot);
  const winners = await Promise.all(others.map((x) => choose([x, pivot])));
  const above: T[] = [], below: T[] = [];
  others.forEach((x, i) => (winners[i] === x ? above : below).push(x));
  const [a, b] = await Promise.all([sortByServer(above, choose), sortByServer(below, choose)]);
  return [...a, pivot, ...b];
}

/**
 * What the server's answers say it prefers, closed under transitivity: told
 * that a beats b and b beats c, it knows that a beats c without a probe. A
 * server with an order of its own (the only kind whose answers are sorted)
 * is transitive; where answers contradict one another, the first stands.
 */
export class Precedence<T> {
  private readonly beaten = new Map<T, Set<T>>();
  private readonly beating = new Map<T, Set<T>>();
  /** The picks told so far, and the items picked: only facts between picked items are kept. */
  private readonly picks: { offered: Set<T>; chosen: T }[] = [];
  private readonly picked = new Set<T>();

  /**
   * A pick: offered a set, the server chose `chosen`, which it so prefers to
   * each other item of the set. Only what it says of items that are picked
   * somewhere is kept (the others are never compared; a full set holds
   * hundreds of suites): the rest waits until such an item is picked.
   */
  notePick(chosen: T, offered: readonly T[]): void {
    if (!this.picked.has(chosen)) {
      this.picked.add(chosen);
      for (const p of this.picks) if (p.chosen !== chosen && p.offered.has(chosen)) this.add(p.chosen, chosen);
    }
    const set = new Set(offered);
    for (const x of this.picked) if (x !== chosen && set.has(x)) this.add(chosen, x);
    this.picks.push({ offered: set, chosen });
  }

  /** Records that the server prefers `a` to `b` (and so to all that `b` beats, as all that beat `a` do). */
  add(a: T, b: T): void {
    if (a === b || this.winner(a, b) !== undefined) return;
    const above = [a, ...(this.beating.get(a) ?? [])];
    const below = [b, ...(this.beaten.get(b) ?? [])];
    for (const x of above) {
      for (const y of below) {
        if (x === y) continue;
        set(this.beaten, x).add(y);
        set(this.beating, y).add(x);
      }
    }
  }

  /** The one of the two the server is known to prefer, if known. */
  winner(a: T, b: T): T | undefined {
    if (this.beaten.get(a)?.has(b)) return a;
    if (this.beaten.get(b)?.has(a)) return b;
    return undefined;
  }
}

function set<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  let s = m.get(k);
  if (!s) { s = new Set<V>(); m.set(k, s); }
  return s;
}

/**
 * Wraps a chooser with a memo of pairwise answers, so that no pair is asked
 * twice (preference detection, hint checks and repairs share answers).
 * Choosers given the same `memo` share their answers. With `known`, a pair
 * whose answer follows from answers already in (transitivity) is not asked
 * either, and every answer goes into it.
 */
export function memoChooser<T extends number>(choose: Chooser<T>, memo = new Map<string, Promise<T | null>>(), known?: Precedence<T>): Chooser<T> {
  return (offered) => {
    if (offered.length !== 2) return choose(offered);
    const [a, b] = offered as [T, T];
    const key = pairKey(a, b);
    let p = memo.get(key);
    if (!p) {
      const implied = known?.winner(a, b);
      p = implied !== undefined ? Promise.resolve(implied) : choose(offered).then((w) => {
        if (w === a) known?.add(a, b);
        else if (w === b) known?.add(b, a);
        return w;
      });
      memo.set(key, p);
    }
    return p;
  };
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

/**
 * Records what a pick says about pairs: offered a set, the server chose
 * `chosen`, so it prefers it to each other item offered, if it picks by its
 * own order at all. What reads the memo is safe either way: the sort runs
 * only once the server was seen to have an order, and an older version's
 * chain of pairs takes a pair's winner only as proof that it is accepted,
 * which a pick is. Pairs already in the memo are kept.
 */
export function notePick(memo: Map<string, Promise<number | null>>, chosen: number, offered: readonly number[], known?: Precedence<number>): void {
  known?.notePick(chosen, offered);
  for (const x of offered) {
    if (x === chosen) continue;
    const key = pairKey(x, chosen);
    if (!memo.has(key)) memo.set(key, Promise.resolve(chosen));
  }
}

/**
 * Sorts by the server's preference starting from a guess (`hint`): one round
 * compares every adjacent pair of the guess; where the guess was right that
 * costs n-1 probes in total. Where it was wrong, the guess falls apart into
 * sorted runs, merged pairwise (in parallel) by mergeRuns, which is cheap
 * when the guess was close: a local swap costs a few probes. Only for
 * servers with a preference order.
 */
export async function sortWithHint<T>(hint: T[], choose: Chooser<T>, top?: T): Promise<T[]> {
  if (top !== undefined && hint.includes(top)) {
    return [top, ...(await sortWithHint(hint.filter((x) => x !== top), choose))];
  }
  if (hint.length <= 1) return hint.slice();
  const winners = await Promise.all(hint.slice(1).map((b, i) => choose([hint[i]!, b])));
  const runs: T[][] = [[hint[0]!]];
  hint.slice(1).forEach((b, i) => {
    if (winners[i] === b) runs.push([b]); // b beats its predecessor: a new run starts
    else runs[runs.length - 1]!.push(b);
  });
  let level = runs;
  while (level.length > 1) {
    const next: Promise<T[]>[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? mergeRuns(level[i]!, level[i + 1]!, choose) : Promise.resolve(level[i]!));
    }
    level = await Promise.all(next);
  }
  return level[0]!;
}

/** Up to this many items (besides a known first choice), every pair is asked at once (45 pairs at most). */
export const ALL_PAIRS_MAX = 10;

/**
 * Orders a small set by asking every pair at once (one round; with a
 * memoised chooser, pairs asked earlier cost nothing), then ranking by wins.
 * `top`, when known, is the server's first choice among all of them. A
 * server whose answers are not transitive gets ties broken by the given order.
 */
export async function sortAllPairs<T>(items: T[], choose: Chooser<T>, top?: T): Promise<T[]> {
  if (top !== undefined && items.includes(top)) return [top, ...(await sortAllPairs(items.filter((x) => x !== top), choose))];
  const wins = new Map<T, number>(items.map((x) => [x, 0]));
  const asks: Promise<void>[] = [];
  items.forEach((a, i) => items.slice(i + 1).forEach((b) => asks.push(choose([a, b]).then((w) => {
    if (w === a || w === b) wins.set(w as T, wins.get(w as T)! + 1);
  }))));
  await Promise.all(asks);
  return items.map((x, i) => ({ x, i })).sort((p, q) => wins.get(q.x)! - wins.get(p.x)! || p.i - q.i).map((p) => p.x);
}

/** Probes asked at once by a search step: fewer sequential round trips for a few more probes. */
const SEARCH_WIDTH = 3;

/**
 * The first index i in [lo, hi) where `pred` is true (pred is false...true
 * over the range), or hi. Each round asks up to SEARCH_WIDTH points at once.
 * With `nearEnd`, the first round looks just below hi at gaps 1, 2, 4, where
 * a nearly right guess puts the answer.
 */
export async function searchFirst(lo: number, hi: number, pred: (i: number) => Promise<boolean>, nearEnd = false): Promise<number> {
  let first = true;
  while (lo < hi) {
    let points: number[];
    if (first && nearEnd && hi - lo > SEARCH_WIDTH + 1) {
      points = Array.from({ length: SEARCH_WIDTH }, (_, k) => hi - (1 << k)).filter((i) => i >= lo).reverse();
    } else {
      const n = Math.min(SEARCH_WIDTH, hi - lo);
      points = Array.from({ length: n }, (_, k) => lo + Math.floor(((k + 1) * (hi - lo)) / (n + 1)));
      points = [...new Set(points)];
    }
    first = false;
    const answers = await Promise.all(points.map(pred));
    // points ascend: the answer lies after the last false and at or before the first true.
    const t = answers.indexOf(true);
    const newHi = t >= 0 ? points[t]! : hi;
    const lastFalse = (t >= 0 ? answers.slice(0, t) : answers).lastIndexOf(false);
    const newLo = lastFalse >= 0 ? points[lastFalse]! + 1 : lo;
    if (newLo === lo && newHi === hi) break; // cannot happen with a monotone pred; guards a lying server
    lo = newLo;
    hi = newHi;
  }
  return hi;
}

/**
 * Merges two runs sorted by server preference, `left` guessed to come first.
 * The elements of `right` that beat the last of `left` form a prefix of
 * `right`; each of them then finds its place in `left`, searching first near
 * the end, where a near-right guess puts it.
 */
async function mergeRuns<T>(left: T[], right: T[], choose: Chooser<T>): Promise<T[]> {
  const last = left[left.length - 1]!;
  const cut = await searchFirst(0, right.length, async (j) => (await choose([last, right[j]!])) === last);
  const prefix = right.slice(0, cut);
  // x beats left[last]; its place is the first index of `left` that x beats.
  const positions = await Promise.all(prefix.map((x) =>
    searchFirst(0, left.length - 1, async (i) => (await choose([left[i]!, x])) === x, true)));
  const out: T[] = [];
  let j = 0;
  prefix.forEach((x, i) => {
    // Keep `right`'s own order even if the server's answers were not transitive.
    const pos = Math.max(positions[i]!, j);
    while (j < pos) out.push(left[j++]!);
    out.push(x);
  });
  while (j < left.length) out.push(left[j++]!);
  return [...out, ...right.slice(cut)];
}

/** A pick's answer meaning "no verdict on this set: offer it again in two halves" (hello intolerance). */
export const SPLIT = Symbol('split');

/**
 * Which items does the server accept? Offer a set; the server picks one (or
 * refuses the whole set); remove the pick and offer the rest again, split in
 * two so both halves run at once. About log2(n) rounds and two probes per
 * accepted item. `pick` answers null when the server refused the set, SPLIT
 * when the answer says nothing about the set (it is then retried in halves,
 * down to single items).
 */
export async function eliminate<T>(
  items: readonly T[],
  /** `continued`: the set is what was left of an answered one (a step of a chain, or a half), not a first set. */
  pick: (offered: T[], continued: boolean) => Promise<T | null | typeof SPLIT>,
  o: {
    fanout?: number; known?: T[];
    /** Told of each item accepted, with the set the server chose it from. */
    onAccept?: (item: T, offered: T[]) => void;
    /** The first sets to offer (instead of `items` split in `fanout` parts); together they must hold every item. */
    parts?: T[][];
    /**
     * What is left of a set after a pick is offered again whole, not in
     * halves, while it has at most this many items: one probe per accepted
     * item plus one, and, from a server with an order, its picks in that
     * order, for a round per accepted item (default 1: halves always).
     */
    chainMax?: number;
    /**
     * The sets in which what is left of `offered` after a pick (`rest`, not empty) is offered
     * next; together they must hold every item of `rest`. Undefined, from the option or as its
     * answer: as chainMax says.
     */
    next?: (rest: T[], offered: T[]) => T[][] | undefined;
  } = {},
): Promise<{ accepted: T[]; picks: { offered: T[]; chosen: T }[] }> {
  const known = o.known ?? [];
  const accepted = new Set<T>(known);
  const picks: { offered: T[]; chosen: T }[] = [];
  const explore = async (set: T[], continued: boolean): Promise<void> => {
    if (!set.length) return;
    const chosen = await pick(set, continued);
    if (chosen === SPLIT) {
      if (set.length > 1) await Promise.all(splitList(set, 2).map((half) => explore(half, true)));
      return;
    }
    if (chosen === null || !set.includes(chosen)) return;
    accepted.add(chosen);
    o.onAccept?.(chosen, set);
    picks.push({ offered: set, chosen });
    const rest = set.filter((x) => x !== chosen);
    if (!rest.length) return;
    const next = o.next?.(rest, set) ?? (rest.length <= (o.chainMax ?? 1) ? [rest] : splitList(rest, 2));
    await Promise.all(next.map((part) => explore(part, true)));
  };
  // Items already known to be accepted (e.g. the first choice from the full list) are not offered again.
  const first = o.parts ?? splitList(items, o.fanout ?? 8);
  await Promise.all(first.map((part) => part.filter((x) => !accepted.has(x))).map((part) => explore(part, false)));
  return { accepted: items.filter((x) => accepted.has(x)), picks };
}

/**
 * Deals a list into n nearly equal parts, as cards are dealt: item i goes to
 * part i mod n, so that neighbours in the list land in different parts.
 */
export function dealList<T>(list: readonly T[], n: number): T[][] {
  const k = Math.max(1, Math.min(n, list.length));
  const parts: T[][] = Array.from({ length: k }, () => []);
  list.forEach((x, i) => parts[i % k]!.push(x));
  return parts.filter((p) => p.length > 0);
}

/** Splits into n nearly equal consecutive parts (fewer when the list is short), dropping empties. */
export function splitList<T>(list: readonly T[], n: number): T[][] {
  const parts: T[][] = [];
  const k = Math.max(1, Math.min(n, list.length));
  const size = Math.ceil(list.length / k);
  for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size));
  return parts;
}
