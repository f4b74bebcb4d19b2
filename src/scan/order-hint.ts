import { suiteByCode } from '../registry/ciphers.js';

/**
 * A first guess at a server's suite order, for sortWithHint. A wrong guess
 * costs probes, never correctness.
 *
 * Two sources: what the enumeration already learned (every probe that picked
 * suite c from a set S proves c beats the rest of S), and, where that says
 * nothing, the order OpenSSL gives a cipher string such as ALL, HIGH or
 * DEFAULT (most servers' lists are one of those, or a subset of one in the
 * same order; `openssl ciphers -v ALL` shows it): forward secrecy first; then
 * AEAD, SHA-2 CBC, SHA-1 CBC, MD5; more key bits first; authenticated before
 * anonymous; AES-GCM, ChaCha20, AES-CCM-8, AES-CCM, ARIA, then the CBC
 * ciphers; ECDHE before DHE; ECDSA before RSA before DSS.
 */
const KX = ['ECDHE', 'DHE', 'ECDH', 'DH', 'RSA'];
const MAC_CLASS: Record<string, number> = { AEAD: 0, SHA384: 1, SHA256: 1, SHA1: 2, MD5: 3 };
const FAMILY: [RegExp, number][] = [
  [/^AES-\d+-GCM/, 0], [/^CHACHA20/, 1], [/^AES-\d+-CCM-8/, 2], [/^AES-\d+-CCM/, 3], [/^ARIA-\d+-GCM/, 4], [/^CAMELLIA-\d+-GCM/, 5],
  [/^AES-\d+-CBC/, 6], [/^CAMELLIA/, 7], [/^ARIA/, 8], [/^SEED/, 9], [/^3DES/, 10], [/^IDEA/, 11], [/^RC4/, 12], [/^RC2/, 13], [/^DES/, 14],
];
const AUTH = ['ECDSA', 'RSA', 'DSS'];

const idx = (list: string[], v: string) => { const i = list.indexOf(v); return i < 0 ? list.length : i; };

function key(c: number): number[] {
  const s = suiteByCode(c);
  if (!s) return [9, 9, 0, 9, 99, 9, 9, c];
  const family = FAMILY.find(([re]) => re.test(s.cipher))?.[1] ?? 98;
  return [s.forwardSecrecy ? 0 : 1, MAC_CLASS[s.mac] ?? 4, -s.bits, s.anonymous ? 1 : 0, family, idx(KX, s.kx), idx(AUTH, s.auth), c];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function guessSuiteOrder(codes: number[]): number[] {
  const keys = new Map(codes.map((c) => [c, key(c)]));
  return [...codes].sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
}

/** The suite guess: a previous version's order where known, then the shape above. */
export function suiteHintBase(codes: number[], known?: number[] | null): number[] {
  if (!known) return guessSuiteOrder(codes);
  const set = new Set(codes);
  const head = known.filter((c) => set.has(c));
  return [...head, ...guessSuiteOrder(codes.filter((c) => !head.includes(c)))];
}

/**
 * An order of `codes` consistent with what the server already told us
 * (`picks`), ties broken by their place in `base`.
 */
export function hintOrder(codes: number[], picks: { offered: number[]; chosen: number }[], base: number[]): number[] {
  const set = new Set(codes);
  const priority = new Map<number, number>();
  // The first place of a code in `base` counts (a guess may end with a catch-all list).
  base.forEach((c, i) => { if (!priority.has(c)) priority.set(c, i); });
  codes.forEach((c) => { if (!priority.has(c)) priority.set(c, base.length + c); });
  const beats = new Map<number, Set<number>>(codes.map((c) => [c, new Set<number>()]));
  const indegree = new Map<number, number>(codes.map((c) => [c, 0]));
  for (const { offered, chosen } of picks) {
    if (!set.has(chosen)) continue;
    for (const x of offered) {
      if (x === chosen || !set.has(x) || beats.get(chosen)!.has(x)) continue;
      beats.get(chosen)!.add(x);
      indegree.set(x, indegree.get(x)! + 1);
    }
  }
  const out: number[] = [];
  const ready = codes.filter((c) => indegree.get(c) === 0);
  while (out.length < codes.length) {
    if (ready.length === 0) {
      // Contradictory answers (a cycle): fall back to the priority order for the rest.
      for (const c of [...codes].sort((a, b) => priority.get(a)! - priority.get(b)!)) if (!out.includes(c)) out.push(c);
      break;
    }
    ready.sort((a, b) => priority.get(a)! - priority.get(b)!);
    const c = ready.shift()!;
    out.push(c);
    for (const x of beats.get(c)!) {
      const d = indegree.get(x)! - 1;
      indegree.set(x, d);
      if (d === 0) ready.push(x);
    }
  }
  return out;
}

/**
 * Whether the answers already prove `order` (after the first choice `top`):
 * every pair of neighbours was offered and went to the first of the two.
 */
export function chainHolds(order: number[], top: number, answered: { offered: number[]; chosen: number }[]): boolean {
  const rest = order.filter((c) => c !== top);
  const won = new Set(answered.filter((a) => a.offered.length === 2).map((a) => `${a.chosen},${a.offered.find((x) => x !== a.chosen)}`));
  return rest.every((c, i) => i === 0 || won.has(`${rest[i - 1]},${c}`));
}
