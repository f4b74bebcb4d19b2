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
