/**
 * Renewal plan: will the pins in the field survive the next certificate
 * renewal, and by when must a new app build be in users' hands?
 *
 * Model. A host keeps working while at least one certificate of its live
 * chain carries a pinned key. Each pinned certificate is assumed to change its
 * key when it expires (ACME clients make a new key at every renewal unless
 * told otherwise), so the host breaks at the latest expiry among the matching
 * certificates, unless the renewal uses a key whose pin is already shipped (a
 * backup pin: a configured pin that is not in the live chain). Users install
 * updates slowly, so a build with new pins must be out `leadDays` before.
 */
import { errorMessage } from '../util/errors.js';
import type { PinningConfig } from './config.js';
import { fetchLiveChain, fetchOtherKeyChain, liveAddresses, type LiveOptions, type Target } from './live.js';
import { normalizePin, type CertRole, type PinEntry } from './sources.js';

export interface PlanOptions extends LiveOptions {
  /** Port for every host of the file (default 443). */
  port?: number;
  /** Days users need to install a new build (default 30). */
  leadDays?: number;
  /** Leaves valid for at most this many days renew often (default 90). */
  shortLivedDays?: number;
  now?: Date;
  /** A plan for every address of each host (DNS or --resolve): nodes mid-rollout serve different chains. */
  allAddresses?: boolean;
}

export type Risk = 'critical' | 'high' | 'medium' | 'low';

export interface PlanWarning { code: string; severity: Risk; message: string; fix: string }

export interface TimelineEvent {
  date: Date;
  kind: 'expiry' | 'build-deadline' | 'renew-with-backup' | 'ship-new-backup';
  text: string;
  /** The date is already past. */
  overdue: boolean;
}

export interface HostPlan {
  host: string;
  port: number;
  /** The one of the host's addresses planned for (--all-addresses). */
  address?: string;
  reachable: boolean;
  error?: string;
  chain: Array<PinEntry & { matched: boolean; shortLived: string | null }>;
  /** Levels at which a configured pin matches the live chain. */
  matchedLevels: CertRole[];
  /** Configured pins not in the live chain (bare base64). */
  backupPins: string[];
  risk: Risk;
  warnings: PlanWarning[];
  timeline: TimelineEvent[];
  /** Date by which a build with new pins must be in users' hands; null when a backup pin covers the renewal. */
  buildDeadline: Date | null;
}

/**
 * Issuing CAs whose certificates come from ACME and are renewed (with a new key
 * by default) every few weeks. Sources: https://letsencrypt.org/certificates/
 * (R3, R10-R14, E1, E5-E9), https://pki.goog/repository/ (WR1-WR5, WE1-WE4,
 * GTS CA 1P5 / 1D4), https://zerossl.com (ZeroSSL RSA/ECC Domain Secure Site CA).
 */
export const ACME_ISSUERS: Array<{ re: RegExp; ca: string }> = [
  { re: /\bO=Let's Encrypt\b/i, ca: "Let's Encrypt" },
  { re: /\bCN=(R3|R4|R1[0-4]|E[1-2]|E[5-9])\b/, ca: "Let's Encrypt" },
  { re: /\bO=ZeroSSL\b|\bCN=ZeroSSL\b/i, ca: 'ZeroSSL' },
  { re: /\bO=Google Trust Services\b/i, ca: 'Google Trust Services' },
  { re: /\bCN=(WR[1-5]|WE[1-4]|GTS CA 1P5|GTS CA 1D4)\b/, ca: 'Google Trust Services' },
];

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Why a leaf renews often, or null. */
export function shortLivedReason(e: PinEntry, shortLivedDays = 90): string | null {
  if (e.notBefore && e.notAfter) {
    const days = Math.round((e.notAfter.getTime() - e.notBefore.getTime()) / DAY);
    if (days <= shortLivedDays) return `valid for ${days} days`;
  }
  const acme = ACME_ISSUERS.find((a) => a.re.test(e.issuer ?? ''));
  if (acme) return `issued by ${acme.ca} (ACME, renewed every few weeks)`;
  return null;
}

export function planHost(
  host: string, port: number, configured: string[], chain: PinEntry[], o: PlanOptions = {},
): HostPlan {
  const now = o.now ?? new Date();
  const lead = o.leadDays ?? 30;
  const pins = new Set(configured.map((p) => normalizePin(p)).filter((p): p is string => !!p));
  const rows = chain.map((e) => ({ ...e, matched: pins.has(e.pin), shortLived: e.role === 'leaf' ? shortLivedReason(e, o.shortLivedDays) : null }));
  const matched = rows.filter((r) => r.matched);
  const livePins = new Set(rows.map((r) => r.pin));
  // A placeholder such as "AAAA…A=" is not the pin of a key anyone holds.
  const isPlaceholder = (p: string) => /^(.)\1{42}=$/.test(p);
  const placeholders = [...pins].filter((p) => !livePins.has(p) && isPlaceholder(p));
  const backupPins = [...pins].filter((p) => !livePins.has(p) && !isPlaceholder(p));
  const matchedLevels = [...new Set(matched.map((m) => m.role ?? 'leaf'))];
  const warnings: PlanWarning[] = [];
  const timeline: TimelineEvent[] = [];
  const ev = (date: Date, kind: TimelineEvent['kind'], text: string) => timeline.push({ date, kind, text, overdue: date.getTime() < now.getTime() });
  let buildDeadline: Date | null = null;

  if (!matched.length) {
    warnings.push({ code: 'no-match', severity: 'critical', message: 'no certificate of the live chain matches a configured pin: apps with this file fail on every call now',
      fix: 'ship a build with the pins of the live chain (tlsdoctor pin HOST) or put back a certificate with a pinned key' });
    buildDeadline = now;
  } else {
    const name = (r: PinEntry) => `${r.role} "${r.subject}"`;
    for (const m of matched) {
      ev(m.notAfter!, 'expiry', `${name(m)} expires; its pin sha256/${m.pin} is configured`);
      if (m.notAfter!.getTime() < now.getTime()) {
        warnings.push({ code: 'pinned-expired', severity: 'critical', message: `the pinned ${name(m)} expired on ${day(m.notAfter!)}`, fix: 'renew it with a key whose pin is in the app' });
      }
    }
    const breakDate = new Date(Math.max(...matched.map((m) => m.notAfter!.getTime())));
    if (backupPins.length) {
      ev(breakDate, 'renew-with-backup', `last day to renew with a backup key (pins already shipped: ${backupPins.map((p) => `sha256/${p}`).join(', ')})`);
      ev(new Date(breakDate.getTime() - lead * DAY), 'ship-new-backup', 'a build with a new backup pin should be in users\' hands (after renewing with the backup key no spare is left)');
    } else {
      buildDeadline = new Date(breakDate.getTime() - lead * DAY);
      ev(buildDeadline, 'build-deadline', `a new app build with the pin of the next key must be in users' hands (${lead} days before the last pinned certificate expires on ${day(breakDate)})`);
      warnings.push({ code: 'no-backup', severity: 'high', message: `no backup pin: every configured pin is in the live chain${placeholders.length ? ` or a placeholder (${placeholders.map((p) => `sha256/${p}`).join(', ')})` : ''}, so a lost key or a new CA chain breaks every installed app`,
        fix: 'run `tlsdoctor pinning backup-key --out DIR`, add its pin to the file, keep the key offline and use it for the next certificate' });
      if (buildDeadline.getTime() < now.getTime()) {
        warnings.push({ code: 'build-overdue', severity: 'critical', message: `the build deadline ${day(buildDeadline)} has passed: users will not have a fixed app before ${day(breakDate)}`,
          fix: 'release a build with the next pins now, and renew the certificate with the same key (e.g. certbot --reuse-key) to buy time' });
      }
    }
    const levels = new Set(matchedLevels);
    const leaf = rows.find((r) => r.role === 'leaf');
    if (levels.size === 1 && levels.has('leaf') && leaf?.shortLived) {
      warnings.push({ code: 'short-lived-leaf', severity: 'high', message: `the only matching pin is on the leaf, which renews often (${leaf.shortLived})`,
        fix: 'keep the key across renewals (certbot --reuse-key, or your own key and CSR) and ship a backup pin; or pin the root as well' });
    }
    if (levels.size === 1 && levels.has('intermediate')) {
      warnings.push({ code: 'intermediate-only', severity: 'medium', message: 'the only matching pins are on intermediates, which CAs rotate without notice (Let\'s Encrypt, for one, issues from several intermediates in turn: letsencrypt.org/certificates)',
        fix: 'pin your own leaf key plus a backup key you hold, or the root of the CA' });
    }
  }
  timeline.sort((a, b) => a.date.getTime() - b.date.getTime());
  const risk = warnings.reduce<Risk>((r, w) => (RANK[w.severity] > RANK[r] ? w.severity : r), 'low');
  return { host, port, reachable: true, chain: rows, matchedLevels, backupPins, risk, warnings, timeline, buildDeadline };
}

export async function planPinning(config: PinningConfig, o: PlanOptions = {}): Promise<HostPlan[]> {
  const each = await Promise.all(config.hosts.map(async (h): Promise<HostPlan[]> => {
    const target = { host: h.host.toLowerCase(), port: o.port ?? 443, input: h.host };
    const addresses = o.allAddresses ? await liveAddresses(target, o) : null;
    if (!addresses || addresses.length < 2) return [await planOne(target, h.hashes, o)];
    return Promise.all(addresses.map(async (address) => ({ ...(await planOne(target, h.hashes, { ...o, address })), address })));
  }));
  return each.flat();
}

async function planOne(target: Target, hashes: string[], o: PlanOptions): Promise<HostPlan> {
  try {
    const live = await fetchLiveChain(target, o);
    const plan = planHost(target.host, target.port, hashes, live.chain, o);
    // A second key (RSA beside ECDSA) whose chain no pin matches fails, now, the clients that get it.
    const other = await fetchOtherKeyChain(target, live, o);
    const pins = new Set(hashes.map((h) => normalizePin(h)));
    if (other && !other.live.chain.some((c) => pins.has(c.pin))) {
      plan.warnings.push({
        code: 'other-key-unpinned', severity: 'high',
        message: `the server's other key (${other.auth}) has a chain that matches no configured pin: a client that offers only ${other.auth} signature algorithms or suites gets it and fails the pin check now`,
        fix: `add a pin of that chain (\`tlsdoctor pin ${target.host}:${target.port}\` lists it as "(${other.auth} key)"), or remove the ${other.auth} certificate from the server`,
      });
      if (RANK[plan.risk] < RANK.high) plan.risk = 'high';
    }
    return plan;
  } catch (e) {
    return { host: target.host, port: target.port, reachable: false, error: errorMessage(e), chain: [], matchedLevels: [],
      backupPins: [], risk: 'critical', warnings: [{ code: 'unreachable', severity: 'critical', message: `could not get the live chain: ${errorMessage(e)}`, fix: 'check the host name and port (--port, --connect-to)' }],
      timeline: [], buildDeadline: null };
  }
}
