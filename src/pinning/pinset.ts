/**
 * Pin sets: which pins apply to which host, and matching a chain against them.
 */
import { UsageError } from '../util/errors.js';
import type { PinningConfig } from './config.js';
import { normalizePin, pinsFromChain, type PinEntry } from './sources.js';

/** Pins as the library accepts them: one list for every host, or per host (pinning.json shape or a map). */
export type PinsInput = string[] | Record<string, string[]> | PinningConfig;

export class PinSet {
  private readonly byHost = new Map<string, Set<string>>();
  private readonly all?: Set<string>;

  constructor(input: PinsInput) {
    const norm = (pins: string[], where: string) => new Set(pins.map((p) => {
      const n = normalizePin(p);
      if (!n) throw new UsageError(`${where}: "${p}" is not a SHA-256 SPKI pin (sha256/<44 base64 characters>)`);
      return n;
    }));
    if (Array.isArray(input)) {
      this.all = norm(input, 'pins');
    } else if (Array.isArray((input as PinningConfig).hosts)) {
      // A pinning.json may carry a dummy second hash (seed 003 suggests one for single-certificate
      // environments): it can never match, so it is skipped; a host needs one real pin.
      for (const h of (input as PinningConfig).hosts) {
        const real = (Array.isArray(h.hashes) ? h.hashes : []).filter((p) => typeof p === 'string' && normalizePin(p));
        if (!real.length) throw new UsageError(`${h.host}: no valid SHA-256 SPKI pin among its hashes`);
        this.add(h.host, norm(real, h.host));
      }
    } else {
      for (const [host, pins] of Object.entries(input as Record<string, string[]>)) this.add(host, norm(pins, host));
    }
  }

  private add(host: string, pins: Set<string>) {
    const key = hostKey(host);
    const prev = this.byHost.get(key);
    this.byHost.set(key, prev ? new Set([...prev, ...pins]) : pins);
  }

  /** The pins for a host, or undefined when the host is not pinned. */
  pinsFor(host: string): Set<string> | undefined {
    return this.all ?? this.byHost.get(hostKey(host));
  }

  hosts(): string[] { return [...this.byHost.keys()]; }
}

export const hostKey = (h: string) => h.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');

export interface ChainMatch {
  /** Every certificate of the chain with its pin and role. */
  chain: PinEntry[];
  /** Chain positions whose pin is configured, with that pin. */
  matches: Array<{ index: number; pin: string; role: string }>;
  ok: boolean;
}

export function matchChain(chainDer: Buffer[], pins: Set<string>, source = 'server'): ChainMatch {
  const chain = pinsFromChain(chainDer, source);
  const matches = chain.filter((e) => pins.has(e.pin)).map((e) => ({ index: e.index, pin: e.pin, role: e.role ?? 'certificate' }));
  return { chain, matches, ok: matches.length > 0 };
}
