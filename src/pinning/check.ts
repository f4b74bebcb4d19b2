/**
 * CheckCertificateForUrl (seed 003) from a command line or a script: connect,
 * compare the chain's SPKI pins with the configured ones, and answer Success
 * or the Error with the seed's two texts.
 *
 * Order of the verdict, as on a phone: a connection that fails, or a chain the
 * platform would not trust for that host name, is "some problem with the
 * request" (the pinning check is never reached); a trusted chain whose pins
 * match none of the configured ones is "an issue with the configured
 * certificate". Pin matching is reported in both cases.
 */
import { UsageError, errorMessage } from '../util/errors.js';
import type { PinningConfig } from './config.js';
import { PIN_MISMATCH_MESSAGE, REQUEST_PROBLEM_MESSAGE } from './errors.js';
import { fetchLiveChain, fetchOtherKeyChain, liveAddresses, type LiveOptions, type Target } from './live.js';
import { hostKey } from './pinset.js';
import { normalizePin, type PinEntry } from './sources.js';

export interface CheckOutcome {
  host: string;
  port: number;
  /** The one of the host's addresses checked (--all-addresses). */
  address?: string;
  success: boolean;
  /** 'ok', 'mismatch' (first message) or 'request' (second message). */
  status: 'ok' | 'mismatch' | 'request';
  /** The seed's error text, when not successful. */
  error?: string;
  /** Why, for a person. */
  detail?: string;
  sessionReused?: boolean;
  /** The live chain, leaf first, each with the configured pin it matched. */
  chain: Array<PinEntry & { matched: boolean }>;
  /** Configured pins (bare base64) and the chain position each matched, or null. */
  pins: Array<{ pin: string; matchedIndex: number | null }>;
  /**
   * The server's other key (an RSA one beside an ECDSA one), whose chain a client that offers only
   * that kind's signature algorithms and suites gets: whether a configured pin matches it. Absent
   * when the server has one key (or the check did not get that far).
   */
  otherKey?: { auth: 'RSA' | 'ECDSA'; matched: boolean; chain: Array<PinEntry & { matched: boolean }> };
}

export interface CheckOptions extends LiveOptions {
  /** Port used for hosts from the file (default 443). */
  port?: number;
  /** Check pins even when the chain is not trusted (the phone would not get that far). */
  insecure?: boolean;
  /**
   * Check every address of each host, one outcome each: a pool where one node serves another
   * key (a renewal rolled out node by node) fails the app there only, now and then.
   */
  allAddresses?: boolean;
}

export interface CheckHostResult extends CheckOutcome {
  /** The TLS session of this connection, to resume later (like an app that keeps its sessions). */
  session?: Buffer | null;
}

export async function checkHost(target: Target, configuredPins: string[], o: CheckOptions = {}): Promise<CheckHostResult> {
  const pins = configuredPins.map((p) => normalizePin(p)).filter((p): p is string => !!p);
  const base = { host: target.host, port: target.port, ...(o.address ? { address: o.address } : {}) };
  let live;
  try {
    live = await fetchLiveChain(target, o);
  } catch (e) {
    return { ...base, success: false, status: 'request', error: REQUEST_PROBLEM_MESSAGE, detail: `connection failed: ${errorMessage(e)}`,
      chain: [], pins: pins.map((pin) => ({ pin, matchedIndex: null })) };
  }
  const set = new Set(pins);
  const chain = live.chain.map((e) => ({ ...e, matched: set.has(e.pin) }));
  const pinRows = pins.map((pin) => ({ pin, matchedIndex: chain.find((c) => c.pin === pin)?.index ?? null }));
  const other = await fetchOtherKeyChain(target, live, o);
  const otherChain = other?.live.chain.map((e) => ({ ...e, matched: set.has(e.pin) }));
  const otherKey = other && otherChain ? { auth: other.auth, matched: otherChain.some((c) => c.matched), chain: otherChain } : undefined;
  const out = { ...base, chain, pins: pinRows, sessionReused: live.sessionReused, session: live.handshake.session, ...(otherKey ? { otherKey } : {}) };
  if (live.trustProblem && !o.insecure) {
    return { ...out, success: false, status: 'request', error: REQUEST_PROBLEM_MESSAGE, detail: `${live.trustProblem} (the app's TLS stack refuses it before pins are compared; --ca adds a trust anchor, --insecure compares pins anyway)` };
  }
  if (!chain.some((c) => c.matched)) {
    if (live.sessionReused) {
      return { ...out, success: false, status: 'mismatch', error: PIN_MISMATCH_MESSAGE,
        detail: `the session was resumed; the key that authenticated it (recorded in the session) matches none of the ${pins.length} configured pin${pins.length === 1 ? '' : 's'} for ${target.host}` };
    }
    return { ...out, success: false, status: 'mismatch', error: PIN_MISMATCH_MESSAGE,
      detail: `none of the ${chain.length} certificate${chain.length === 1 ? '' : 's'} of the chain${live.trustProblem ? '' : ' (the verified chain)'} matches any of the ${pins.length} configured pin${pins.length === 1 ? '' : 's'} for ${target.host}` };
  }
  return { ...out, success: true, status: 'ok' };
}

/** Targets for a check: the URL given, or every host of the file. */
export function checkTargets(config: PinningConfig, targets: Target[] | undefined, o: CheckOptions = {}): Array<{ target: Target; pins: string[] }> {
  if (targets?.length) {
    return targets.map((t) => {
      const pins = config.hosts.filter((h) => hostKey(h.host) === hostKey(t.host)).flatMap((h) => h.hashes);
      if (!config.hosts.some((h) => hostKey(h.host) === hostKey(t.host))) {
        throw new UsageError(`${t.host} is not in the pinning file (hosts: ${config.hosts.map((h) => h.host).join(', ') || 'none'})`);
      }
      return { target: t, pins };
    });
  }
  return config.hosts.map((h) => ({ target: { host: h.host.toLowerCase(), port: o.port ?? 443, input: h.host }, pins: h.hashes }));
}

export async function checkPinning(config: PinningConfig, targets: Target[] | undefined, o: CheckOptions = {}): Promise<CheckHostResult[]> {
  const jobs = checkTargets(config, targets, o);
  const each = await Promise.all(jobs.map(async (j) => {
    const addresses = o.allAddresses ? await liveAddresses(j.target, o) : null;
    if (!addresses || addresses.length < 2) return Promise.all([checkHost(j.target, j.pins, o)]);
    return Promise.all(addresses.map((address) => checkHost(j.target, j.pins, { ...o, address })));
  }));
  return each.flat();
}
