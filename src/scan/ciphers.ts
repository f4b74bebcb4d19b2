import type { ScanContext } from './context.js';
import { VERSION_CODE } from './hellos.js';
import type { ProtocolName } from './types.js';
import type { ProbeOutcome } from '../net/probe.js';
import { dealList, eliminate, splitList, SPLIT } from './order.js';
import { suiteByCode } from '../registry/ciphers.js';
import { chachaNotFirst } from './chacha.js';

/**
 * Cipher suite enumeration for one protocol version: elimination (order.ts)
 * with ClientHellos as the question. The wall time is about log2(candidates)
 * rounds, not one round per suite. On a server that did not tolerate our full
 * hello (reset, timeout, garbage: typical of servers intolerant of long
 * hellos), a failed set is split and retried, down to single suites.
 */

export interface EnumerationResult {
  accepted: number[];
  /** Every (offered set -> chosen suite) answer seen; used later for ordering. */
  picks: { offered: number[]; chosen: number }[];
  /** Suites whose status could not be determined. */
  unknown: number[];
}

/**
 * An internal_error alert (80) in answer to a hello: the server chose something and could not
 * go on with it (gnutls-serv with DHE suites and no DH parameters), which says nothing of the
 * other suites offered: a set is split rather than refused.
 */
export function failedInternally(o: ProbeOutcome): boolean {
  return o.kind === 'alert' && o.description === 80;
}

/**
 * The suite the server picked, if it answered at exactly `version`. A TLS 1.3
 * HelloRetryRequest names the suite too, and costs the server no signature.
 */
export function pickedSuite(o: ProbeOutcome, version: ProtocolName): number | null {
  if (o.kind !== 'hello') return null;
  if (o.serverHello.version !== VERSION_CODE[version]) return null;
  return o.serverHello.cipherSuite;
}

/**
 * Sets offered at once after round 1: a refused set is cheap (an alert), so
 * split wide: fewer rounds for more probes. Not as wide as the window: the
 * TLS 1.3 suites and groups also start in round 2, and what does not fit in
 * the window waits a round (20 measured better than 32 on both nginx bench
 * servers at 50 ms with a window of 32; with 64, 20, 28 and 32 were within
 * noise). Against a server that queues connections every probe costs, so
 * split less.
 */
const INITIAL_FANOUT = 20;
const QUEUEING_FANOUT = 12;
/**
 * Against a server that queues connections, what is left of a set after a
 * pick is offered again whole while it has at most this many suites (the
 * first sets of likely suites have 8 or 9): fewer probes than halving, and
 * the picks come in the server's order, which the sort then mostly knows.
 */
const QUEUEING_CHAIN_MAX = 16;

/**
 * A server a few milliseconds away (ScanContext.near) is asked in a ladder:
 * every candidate suite but its first choice in one hello, then all but the
 * suites it picked, one probe after the other, until it refuses. That is one
 * probe per accepted suite and one more, and from a server with an order of
 * its own the picks come in that order, so that sorting them asks nothing
 * more (Precedence). Split wide instead, the sets cost about twice as many
 * probes, and their picks relate only within a set: most of the order is
 * then asked pair by pair. Near, the probes are what costs, not the round
 * trips: each takes CPU of the server's and of this process.
 *
 * Each step costs a round trip, so the ladder goes on only while the last
 * step kept this process waiting (its event loop idle) at most
 * LADDER_STEP_MS, and for LADDER_BUDGET_MS at most; then what is left is
 * split as a first round would split it (a server farther than round 1's
 * answers said, a long list). The wait, not the step's time: on loopback the
 * steps that go out beside round 2's work take 10-40 ms of which this
 * process is busy nearly all (building hellos, the trust analysis), and a
 * server that takes one connection at a time keeps a step waiting behind
 * the probes in flight, some 7-10 ms. A server 10 ms away through the shared
 * latency proxy keeps each step waiting 8.5-10 ms.
 *
 * Engine time, medians of 9, interleaved with the split enumeration:
 * gnutls-serv (the 3des bench server) on loopback 265 -> 209 ms, with 136 ->
 * 80 probes; the nginx bench servers on loopback, modern 131 -> 109 ms and
 * legacy 274 -> 256 ms (293 and 294 in 15 more runs: the same), and 10 ms
 * away, modern 347 -> 270 ms (legacy, 10 ms away, was judged far in those
 * runs: no ladder).
 */
const LADDER_STEP_MS = 10;
const LADDER_BUDGET_MS = 100;

/**
 * Suites that servers commonly enable: ECDHE, DHE or RSA key exchange with RSA
 * or ECDSA certificates, and AES, ChaCha20 or 3DES. Most servers accept only
 * such suites; the other ~300 codes (Camellia, ARIA, SEED, PSK, SRP,
 * anonymous, export, static DH...) are mostly refused.
 */
function likelySuite(code: number): boolean {
  const s = suiteByCode(code);
  return !!s && !s.export && !s.anonymous && !s.null && ['ECDHE', 'DHE', 'RSA'].includes(s.kx)
    && ['RSA', 'ECDSA'].includes(s.auth) && /^(AES|CHACHA20|3DES)/.test(s.cipher) && !/_OLD$|FIPS/.test(s.iana);
}

/**
 * The first sets to offer: the likely suites in small sets, the rest in large
 * ones. A refused set costs one probe whatever its size, and a set with a
 * suite in it costs a round per halving: small sets where suites are likely
 * finish the enumeration a round or two sooner.
 *
 * `dealt`: the likely suites are dealt out like cards rather than cut in runs.
 * Neighbouring codes are mostly one key exchange's AES-128 and AES-256 twins,
 * which a server enables together: dealt, they land in different sets, and
 * each set holds one accepted suite more often than two (modern bench server
 * at 50 ms: one round fewer, engine 318 -> 261 ms). Against a server that
 * queues connections the runs are kept: there a set is offered again whole
 * after each pick, and a run's picks (one key exchange's suites, in the
 * server's order) are what its order guess is built from (dealt: 3des bench
 * server at 50 ms, 493 -> 581 ms).
 */
export function firstSets(candidates: number[], fanout: number, dealt = true): number[][] {
  const likely = candidates.filter(likelySuite);
  const rare = candidates.filter((c) => !likelySuite(c));
  const nLikely = Math.min(likely.length, Math.max(1, Math.round(fanout * LIKELY_SHARE)));
  return [...(dealt ? dealList : splitList)(likely, nLikely), ...splitList(rare, Math.max(1, fanout - nLikely))];
}

/** The share of the first sets given to the likely suites. */
const LIKELY_SHARE = 0.6;

export async function enumerateSuites(
  ctx: ScanContext,
  version: ProtocolName,
  candidates: number[],
  opts: { known?: number[]; tolerant: boolean; onAccept?: (code: number, offered: number[]) => void },
): Promise<EnumerationResult> {
  const known = opts.known ?? [];
  const unknown = new Set<number>();
  // A server a few milliseconds away is asked in a ladder (see LADDER_STEP_MS), while it is quick.
  const ladder = known.length > 0 && opts.tolerant && ctx.near;
  let laddering = ladder;
  // How long the probe of each set kept this process waiting (its event loop idle), and the ladder's steps in all.
  const waited = new WeakMap<number[], number>();
  let ladderWaited = 0;
  let ladderSteps = 0;
  const quick = (offered: number[]) => {
    const ms = waited.get(offered) ?? Infinity;
    ladderWaited += ms;
    ladderSteps++;
    return ms <= LADDER_STEP_MS && ladderWaited <= LADDER_BUDGET_MS;
  };
  const pick = async (set: number[], continued: boolean): Promise<number | null | typeof SPLIT> => {
    if (ctx.signal.aborted) {
      for (const s of set) unknown.add(s);
      return null;
    }
    // What is left of an answered set is the next step of a chain of dependent probes: it jumps
    // the queue (ScanContext), ahead of independent work that can wait.
    // Never led by a ChaCha20 suite: the pick then follows the server's order (scan/chacha.ts).
    const loop = performance.eventLoopUtilization();
    const outcome = await ctx.probe(continued ? 'ciphers:next' : 'ciphers', ctx.hello({ version, suites: chachaNotFirst(set), sni: ctx.ep.sni }));
    waited.set(set, performance.eventLoopUtilization(loop).idle);
    const chosen = pickedSuite(outcome, version);
    if (chosen !== null) {
      if (!set.includes(chosen)) {
        ctx.error(`ciphers:${version}`, `server chose suite 0x${chosen.toString(16).padStart(4, '0')} that was not offered`, 'protocol-violation');
        return null;
      }
      return chosen;
    }
    if (outcome.kind === 'failed') {
      if (outcome.code === 'aborted') {
        for (const s of set) unknown.add(s);
        return null;
      }
      // A server that answered our full-length hello tolerates it: a close or reset now
      // is how it says no. Otherwise the failure may be intolerance: retry in halves. So too a
      // ladder's step that timed out, once: the whole rest of the candidates is not lost with it,
      // and a server that stopped answering costs two probes more, not one per suite.
      if (laddering && outcome.code === 'timeout' && set.length > 1) {
        laddering = false;
        return SPLIT;
      }
      if (!opts.tolerant && set.length > 1) return SPLIT;
      if (outcome.code === 'timeout' || outcome.code === 'malformed' || outcome.code === 'refused' || outcome.code === 'unreachable') {
        for (const s of set) unknown.add(s);
        ctx.error(`ciphers:${version}`, `${outcome.code}: ${outcome.message}`, outcome.code);
      }
    }
    if (failedInternally(outcome)) {
      if (set.length > 1) return SPLIT;
      const name = suiteByCode(set[0]!)?.iana ?? `0x${set[0]!.toString(16)}`;
      ctx.error(`ciphers:${version}`, `the server ends the handshake with internal_error when it picks ${name}: it cannot use that suite (gnutls-serv does so for DHE suites when it has no DH parameters), so a client that offers it first may fail`, 'internal-error');
    }
    // An alert, a close or a reset on a single suite, or a different version: none of `set` is accepted.
    return null;
  };
  const fanout = ladder ? 1 : known.length ? (ctx.queueing ? QUEUEING_FANOUT : INITIAL_FANOUT) : 1;
  const { accepted, picks } = await eliminate(candidates, pick, {
    known,
    onAccept: opts.onAccept,
    fanout,
    parts: fanout > 1 ? firstSets(candidates.filter((c) => !known.includes(c)), fanout, !ctx.queueing) : undefined,
    chainMax: ctx.queueing ? QUEUEING_CHAIN_MAX : undefined,
    // Quick steps go on as a ladder; after a slow one its rest is split as a first round would
    // be, and every set after that as elsewhere (undefined: chainMax).
    next: ladder ? (rest, offered) => {
      if (!laddering) return undefined;
      if (quick(offered)) return [rest];
      laddering = false;
      ctx.onNote?.(`${version}: suites asked one after the other (a ladder) until a step kept the scan waiting ${(waited.get(offered) ?? 0).toFixed(1)} ms `
        + `(step ${ladderSteps}, ${ladderWaited.toFixed(1)} ms in all): the ${rest.length} suites left are split`);
      return firstSets(rest, ctx.queueing ? QUEUEING_FANOUT : INITIAL_FANOUT, !ctx.queueing);
    } : undefined,
  });
  return { accepted, picks, unknown: [...unknown] };
}
