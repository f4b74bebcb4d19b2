import type { ScanContext } from './context.js';
import { PADDING_CASES, type ProtocolName } from './types.js';
import { suiteByCode } from '../registry/ciphers.js';
import { finishableSuites, tls12Session, tls12Version, type CbcSession, type ServerRecord, type Tls12ClientResult } from '../net/tls12-client.js';
import { padding, recordMac, sealRecord } from '../wire/cbc.js';
import { ContentType } from '../wire/constants.js';
import { randomBytes } from 'node:crypto';

/**
 * CBC padding oracles (POODLE-TLS, CVE-2014-8730; Zombie POODLE,
 * GOLDENDOODLE and the 0-length oracle of CVE-2019-1559, Craig Young's
 * padcheck): with a CBC suite, a record is content, then its MAC, then
 * padding, encrypted together (MAC-then-encrypt). RFC 5246 section 6.2.3.2
 * asks a server to answer any record whose MAC or padding is wrong with the
 * same bad_record_mac alert, so that an attacker who changes ciphertext
 * learns nothing from the answer. A server that answers a bad padding
 * differently from a bad MAC (another alert, a close, a reset, silence)
 * decrypts for an attacker who can make a victim's browser send requests
 * and change them on the way (a padding oracle); one that checks only the
 * padding's last byte accepts a record whose padding is wrong (POODLE-TLS).
 *
 * The check: one connection per case, each a full handshake with a CBC
 * suite at the newest TLS 1.0-1.2 version spoken, made by our own client
 * (net/tls12-client.ts: AES, 3DES, Camellia or ARIA, whatever the server
 * picks; encrypt-then-MAC is not offered), then
 * one application_data record made wrong on purpose, the five ways padcheck
 * makes them (PADDING_CASES), and beside them a control, a record made
 * right. A server that reacts to all five alike, and not as to the control,
 * is not an oracle; one that meets them as it meets the control tells
 * nothing (it closes or speaks by itself once the handshake is done, or it
 * takes every record). A case that met another reaction than most is asked
 * again (up to RETRIES times): one answer like the others settles it (the
 * latency relay of the benchmarks loses an alert now and then, which looks
 * like a close). Differences that stay are asked the five twice more; the
 * same reactions three times make the server vulnerable.
 */

export { PADDING_CASES };

export interface PaddingOracleResult {
  /** true: an oracle (or POODLE-TLS); false: every case met the same reaction; null: not asked or no clear answer. */
  vulnerable: boolean | null;
  /** 'poodle-tls': a record with wrong padding bytes was taken; 'zero-length': only the empty record was told apart; 'oracle': otherwise. */
  kind?: 'poodle-tls' | 'zero-length' | 'oracle';
  /** The reaction to each case of PADDING_CASES, when asked. */
  reactions?: string[];
  /** The reaction to the control, a record made right. */
  control?: string;
  /** The version and suite (IANA code) the cases were asked with. */
  version?: ProtocolName;
  suite?: number;
  /** Why it was not asked or had no clear answer. */
  reason?: string;
}

/**
 * How long to wait for the reaction once the server's Finished is in: half the handshake's time
 * (about a round trip), at least REACTION_MIN_MS, at most REACTION_WAIT_MS. The good record
 * (nginx waits for the rest of the request it starts) is met with silence, and costs this wait.
 */
const REACTION_WAIT_MS = 3000;
const REACTION_MIN_MS = 50;
/** Rounds that must repeat the first one's reactions exactly before a server counts as an oracle. */
const CONFIRMATIONS = 2;
/** Times a case that met an unusual reaction is asked again, before the rounds of confirmation. */
const RETRIES = 2;

function mostCommon(xs: readonly string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]![0];
}
/** The versions the check can be asked at, newest first (the newest the server speaks is used). */
export const CBC_VERSIONS: ProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0'];

/** The CBC suites our client can make the handshake with at `version` (net/tls12-client.ts finishableSuites). */
export function checkableCbcSuites(version: ProtocolName): number[] {
  const v = tls12Version(version);
  return v ? finishableSuites(v).filter((c) => suiteByCode(c)?.cbc) : [];
}

/** A suite the check can be asked with (at any of CBC_VERSIONS): a CBC suite our client can finish. */
export function checkableCbcSuite(code: number): boolean {
  checkable ??= new Set(CBC_VERSIONS.flatMap(checkableCbcSuites));
  return checkable.has(code);
}
/** Made on first use, not when the scan's modules load (start-up is in every scan's time). */
let checkable: Set<number> | undefined;

/** What one connection of the check came to: the server's reaction to our record, or why there was none. */
type Asked =
  | { kind: 'reaction'; reaction: string; suiteCode: number }
  /** no-cbc: the server chose none of the CBC suites offered. */
  | { kind: 'failed'; code: 'no-cbc' | 'handshake' | 'timeout' | 'unreachable'; message: string };

/**
 * The reaction as text: each kind of record the server sent after its
 * Finished (its alerts decrypted: "alert 20" is bad_record_mac), then a
 * close or reset, joined by ", then "; "no answer" when nothing came.
 */
export function reactionText(records: readonly ServerRecord[], end: Extract<Tls12ClientResult, { kind: 'reaction' }>['end']): string {
  const parts: string[] = [];
  for (const r of records) {
    const level = r.content?.[0];
    const text = r.type === ContentType.alert ? (r.content && r.content.length >= 2 && (level === 1 || level === 2) ? `alert ${r.content[1]}` : 'alert (unreadable)')
      : r.type === ContentType.application_data ? 'data' : `record ${r.type}`;
    if (!parts.includes(text)) parts.push(text);
  }
  if (end === 'closed' || end === 'reset') parts.push(end);
  if (end === 'malformed') parts.push('garbage');
  return parts.length ? parts.join(', then ') : 'no answer';
}

function asked(r: Tls12ClientResult): Asked {
  if (r.kind === 'reaction') return { kind: 'reaction', reaction: reactionText(r.records, r.end), suiteCode: r.suiteCode };
  if (r.code === 'timeout' || r.code === 'unreachable') return { kind: 'failed', code: r.code, message: r.message };
  // A refusal of the hello for want of a common suite: none of the CBC suites is accepted.
  if (r.code === 'refused' && /handshake_failure|insufficient_security/.test(r.message)) return { kind: 'failed', code: 'no-cbc', message: r.message };
  return { kind: 'failed', code: 'handshake', message: r.message };
}

/** Content of the records: what a client could send, should a server take it. */
const CONTENT = Buffer.from('GET / HTTP/1.1\r\nX-Padding-Check: ', 'latin1');

/** The case number of the control: a record made right, to see how the server takes a good one. */
export const CONTROL = -1;

/**
 * The record of case `i` (PADDING_CASES, or CONTROL): application_data,
 * sequence number 1, with the session's keys. The MAC, where there is one,
 * covers the content actually sent, so that only what the case makes wrong
 * is wrong.
 */
export function caseRecord(i: number, s: CbcSession): Buffer {
  const { suite, keys, version } = s;
  const b = suite.blockLength;
  const macOf = (content: Buffer) => recordMac(suite, keys.clientMacKey, 1n, ContentType.application_data, version, content);
  const wrong = (mac: Buffer) => { const m = Buffer.from(mac); m[m.length - 1]! ^= 0x01; return m; };
  /** Content whose length, with `extra` bytes after it, fills whole blocks. */
  const content = (extra: number) => CONTENT.subarray(0, CONTENT.length - ((CONTENT.length + extra) % b));
  const macLength = macOf(Buffer.alloc(0)).length;
  let plaintext: Buffer;
  switch (i) {
    case CONTROL: { // the right MAC, then valid padding
      const c = content(macLength + 1);
      plaintext = Buffer.concat([c, macOf(c), padding(suite, c.length + macLength)]);
      break;
    }
    case 0: { // a wrong MAC, then valid padding of length 0 (one byte, 0x00)
      const c = content(macLength + 1);
      plaintext = Buffer.concat([c, wrong(macOf(c)), Buffer.from([0])]);
      break;
    }
    case 1: { // no MAC: blocks of 0xff, a padding length of 255 that the record cannot hold
      const n = Math.ceil((macLength + 1) / b) * b;
      plaintext = Buffer.alloc(n, 0xff);
      break;
    }
    case 2: { // the right MAC, then a full block of padding whose last byte is right and the others are not
      const c = content(macLength);
      const pad = Buffer.alloc(b, (b - 1) ^ 0x42);
      pad[b - 1] = b - 1;
      plaintext = Buffer.concat([c, macOf(c), pad]);
      break;
    }
    case 3: { // the right MAC, then padding bytes of 0x80 (a length of 128 that the record cannot hold)
      const c = content(macLength + 1);
      const used = c.length + macLength;
      plaintext = Buffer.concat([c, macOf(c), Buffer.alloc(b - (used % b), 0x80)]);
      break;
    }
    default: { // no content: a wrong MAC of the empty record, then valid padding
      const mac = wrong(macOf(Buffer.alloc(0)));
      plaintext = Buffer.concat([mac, padding(suite, mac.length)]);
    }
  }
  const iv = version >= 0x0302 ? randomBytes(b) : s.clientIv;
  return sealRecord(version, suite, keys.clientKey, iv, ContentType.application_data, plaintext);
}

/**
 * The verdict from one round's reactions to the five cases, given the
 * reaction to the control (a good record). The five alike, and unlike the
 * control, is no oracle; the five like the control says nothing (a server
 * that closes or speaks by itself once the handshake is done, or takes
 * every record). The POODLE case met as the good record is, where a wrong
 * MAC is not, is POODLE-TLS.
 */
export function judgePadding(reactions: readonly string[], control: string): Pick<PaddingOracleResult, 'vulnerable' | 'kind'> {
  if (reactions.every((r) => r === control)) return { vulnerable: null };
  if (reactions.every((r) => r === reactions[0])) return { vulnerable: false };
  if (reactions[2] === control && reactions[0] !== control) return { vulnerable: true, kind: 'poodle-tls' };
  const others = reactions.slice(0, 4);
  if (others.every((r) => r === others[0])) return { vulnerable: true, kind: 'zero-length' };
  return { vulnerable: true, kind: 'oracle' };
}

/**
 * Runs the check at `version`, where the server is known to accept a suite
 * of checkableCbcSuites: the five cases at once.
 */
export async function checkPaddingOracle(ctx: ScanContext, version: ProtocolName): Promise<PaddingOracleResult> {
  const wireVersion = tls12Version(version);
  const suites = checkableCbcSuites(version);
  if (!wireVersion || !suites.length) return { vulnerable: null, reason: `not asked at ${version}` };
  const ep = ctx.ep;
  const ask = (i: number): Promise<Asked> => ctx.ownHandshake('padding-oracle', () => tls12Session({
    host: ep.address, port: ep.port, servername: ep.sni ?? undefined, version: wireVersion, suites,
    timeoutMs: ctx.timeoutMs, starttls: ep.starttls, proxy: ep.proxy, signal: ctx.signal,
    followUp: (s) => (s.cbc ? [caseRecord(i, s.cbc)] : []),
    reactionWaitMs: (handshakeMs) => Math.min(REACTION_WAIT_MS, ctx.timeoutMs, Math.max(REACTION_MIN_MS, handshakeMs / 2)),
  }).then(asked), (r) => (r.kind === 'reaction' ? `case ${i === CONTROL ? 'control' : i}: ${r.reaction}` : `${r.code}: ${r.message}`))
    .catch((e: unknown): Asked => ({ kind: 'failed', code: 'timeout', message: String(e) }));
  // The control beside the first round: how the server takes a good record. A connection closed
  // before the server's Finished is asked again (the benchmarks' latency proxy loses a flight the
  // server closed right behind, and here the alert for our record follows the Finished at once).
  const askHard = async (i: number): Promise<Asked> => {
    let r = await ask(i);
    for (let k = 0; r.kind === 'failed' && r.code === 'handshake' && k < RETRIES; k++) r = await ask(i);
    return r;
  };
  const [good, ...all] = await Promise.all([askHard(CONTROL), ...PADDING_CASES.map((_, i) => askHard(i))]);
  const round = async (): Promise<Asked[]> => Promise.all(PADDING_CASES.map((_, i) => askHard(i)));
  const failed = [good!, ...all].find((r) => r.kind === 'failed');
  if (failed?.kind === 'failed') {
    return { vulnerable: null, version, reason: failed.code === 'no-cbc' ? `the server accepted none of the ${suites.length} CBC suites offered at ${version} in a full handshake` : failed.message };
  }
  const control = (good as Extract<Asked, { kind: 'reaction' }>).reaction;
  const answered = all as Extract<Asked, { kind: 'reaction' }>[];
  const reactions = answered.map((r) => r.reaction);
  // A case that met another reaction than most is asked again first: a relay that loses an alert
  // the server closed right behind (the benchmarks' latency proxy, one scan in ten) makes a
  // correct server look like an oracle for one case, once. One answer like the others settles it.
  const usual = mostCommon(reactions);
  await Promise.all(reactions.map(async (r, i) => {
    for (let k = 0; r !== usual && k < RETRIES; k++) {
      const again = await ask(i);
      if (again.kind === 'reaction' && again.reaction === usual) { reactions[i] = usual; return; }
    }
  }));
  const verdict = judgePadding(reactions, control);
  const base = { version, suite: answered[0]!.suiteCode, reactions, control };
  if (verdict.vulnerable === null) return { ...verdict, ...base, reason: `the server met the bad records as it met a good one (${control}): its reaction to them says nothing` };
  if (!verdict.vulnerable) return { ...verdict, ...base };
  for (let i = 0; i < CONFIRMATIONS; i++) {
    const again = await round();
    if (!again.every((r, j) => r.kind === 'reaction' && r.reaction === reactions[j])) {
      return { vulnerable: null, ...base, reason: 'the reactions did not repeat' };
    }
  }
  return { ...verdict, ...base };
}
