/**
 * Whether the server reuses its ephemeral key exchange keys across
 * connections (what SSL Labs calls "(EC)DH public server param reuse"). A
 * server that keeps one ECDHE or DHE key for many handshakes gives each of
 * them forward secrecy only as long as that key lives: whoever gets the key
 * (from memory, a dump, a side channel) decrypts every recorded connection
 * made with it, and a reused DH key also opens small-subgroup attacks on
 * primes that are not safe (CVE-2016-0701, OpenSSL before 1.0.2f).
 *
 * No probe of its own: every TLS <= 1.2 ServerKeyExchange a scan reads
 * (round 1's flights, the curve and DH probes) is noted, each from its own
 * connection; a public value seen twice is reuse. The verdict needs two
 * handshakes with the same curve or prime: without them it stays null.
 */
import { suiteByCode } from '../registry/ciphers.js';
import { groupByCode } from '../registry/groups.js';
import { knownDhGroup } from '../wire/dh-groups.js';
import { parseServerKeyExchange } from '../wire/server-key-exchange.js';
import type { ProbeOutcome } from '../net/probe.js';
import type { KxReuseSample } from './types.js';

export class KxReuseLog {
  /** Per curve or prime (`ECDHE:29`, `DHE:<p hex>`): its label and each public value with its count. */
  private readonly seen = new Map<string, { kind: 'ECDHE' | 'DHE'; group: string; keys: Map<string, number> }>();

  /** Notes the ServerKeyExchange of one connection's answer, if it carries an (EC)DHE key. */
  note(out: ProbeOutcome): void {
    if (out.kind !== 'hello' || !out.serverKeyExchange) return;
    const kx = suiteByCode(out.serverHello.cipherSuite)?.kx;
    if (kx !== 'ECDHE' && kx !== 'DHE') return;
    let params: string, group: string, key: Uint8Array;
    try {
      const ske = parseServerKeyExchange(out.serverKeyExchange, kx);
      if (ske.kind === 'ecdhe') {
        if (ske.curveType !== 3) return; // explicit curves: rare, and nothing to name them by
        params = `ECDHE:${ske.group}`;
        group = groupByCode(ske.group)?.name ?? `0x${ske.group.toString(16).padStart(4, '0')}`;
      } else if (ske.kind === 'dhe') {
        const hex = Buffer.from(ske.p).toString('hex');
        params = `DHE:${hex}`;
        group = knownDhGroup(ske.p)?.name ?? `${ske.pBits}-bit prime`;
      } else return;
      key = ske.publicKey;
    } catch {
      return; // a malformed ServerKeyExchange: the suite checks report it, not this
    }
    let entry = this.seen.get(params);
    if (!entry) { entry = { kind: kx, group, keys: new Map() }; this.seen.set(params, entry); }
    const k = Buffer.from(key).toString('hex');
    entry.keys.set(k, (entry.keys.get(k) ?? 0) + 1);
  }

  /** Every curve or prime seen in two handshakes or more. */
  samples(): KxReuseSample[] {
    return [...this.seen.values()]
      .map((e) => ({ kind: e.kind, group: e.group, handshakes: [...e.keys.values()].reduce((a, b) => a + b, 0), distinctKeys: e.keys.size }))
      .filter((s) => s.handshakes >= 2);
  }

  /** true: a key came back in another handshake; false: compared and always fresh; null: never two handshakes to compare. */
  verdict(): boolean | null {
    const s = this.samples();
    if (!s.length) return null;
    return reusedSamples(s).length > 0;
  }
}

/** The samples that showed reuse: fewer distinct keys than handshakes. */
export function reusedSamples(samples: readonly KxReuseSample[]): KxReuseSample[] {
  return samples.filter((x) => x.distinctKeys < x.handshakes);
}

/** "1 key in 3 handshakes": what one sample saw. */
export function keysText(x: KxReuseSample): string {
  return `${x.distinctKeys} key${x.distinctKeys === 1 ? '' : 's'} in ${x.handshakes} handshakes`;
}
