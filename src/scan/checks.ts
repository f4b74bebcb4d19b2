import type { ScanContext } from './context.js';
import { pickedSuite } from './ciphers.js';
import { HEARTBEAT_EXTENSION, VERSION_CODE } from './hellos.js';
import type { ProtocolName } from './types.js';
import { heartbleedRequest, type ProbeOutcome } from '../net/probe.js';
import { ContentType } from '../wire/constants.js';

/**
 * Questions about a server that its suites do not answer, asked as
 * sslscan and testssl.sh ask them, with a probe or two beside the suite
 * enumeration once round 1 has named the versions:
 *
 * - Downgrade protection (TLS_FALLBACK_SCSV, RFC 7507): a client that
 *   retries with a lower version after a failed handshake (as browsers once
 *   did, and some HTTP libraries still do) puts the SCSV among its suites;
 *   a server that speaks a higher version must then refuse with
 *   inappropriate_fallback (alert 86), so that an attacker who broke the
 *   first handshake cannot force the older version.
 * - TLS compression (CRIME, CVE-2012-4929): a hello offering DEFLATE (RFC
 *   3749) first; a server that picks it compresses secrets together with
 *   what an attacker may inject.
 * - Heartbeat (RFC 6520) and Heartbleed (CVE-2014-0160): the same hello
 *   offers the heartbeat extension; a server that takes it up gets a second
 *   probe with a heartbeat request that claims 16 KB and carries nothing
 *   (net/probe.ts `afterFlight`). OpenSSL 1.0.1 to 1.0.1f answers with 16 KB
 *   of its memory (private keys included); a fixed server discards it.
 * - ALPN (RFC 7301), not through STARTTLS: the same hello offers h2, then
 *   http/1.1, which says whether the server speaks HTTP/2.
 * - CCS injection (CVE-2014-0224): a hello followed, in the same write, by
 *   two ChangeCipherSpec records, which no client sends before its key
 *   exchange. A fixed server refuses the first with unexpected_message; a
 *   vulnerable OpenSSL (before 0.9.8za, 1.0.0m, 1.0.1h) takes it, switches
 *   to keys made from an empty master secret, and fails to decrypt the
 *   second (bad_record_mac or decryption_failed). Any other reaction
 *   (a close, silence) says nothing: it counts as unknown, never as
 *   vulnerable.
 *
 * Each probe offers a suite the server is known to accept at that version
 * (round 1's choice), so that a refusal can only be about the question.
 * ROBOT, which needs the certificate's key, is scan/robot.ts.
 */
export interface CheckResults {
  /** The server refused a fallback hello with inappropriate_fallback (true), accepted it (false); null: one version only, or no answer. */
  fallbackScsv: boolean | null;
  /** The server picked DEFLATE when offered (true), null compression (false); null: not asked or no answer. */
  compression: boolean | null;
  /** The server took up the heartbeat extension (true) or not (false); null: not asked or no answer. */
  heartbeat: boolean | null;
  /** The server answered a malformed heartbeat request with its memory (true) or did not (false); null: no heartbeat, or no answer. */
  heartbleed: boolean | null;
  /**
   * The application protocol the server chose when offered h2 and then
   * http/1.1 (ALPN, RFC 7301): 'h2' is HTTP/2 (gRPC needs it); null: it
   * chose none. Not asked through STARTTLS.
   */
  alpn?: string | null;
  /** The server took a ChangeCipherSpec before the key exchange (true), refused it (false); null: not asked or no clear answer. */
  ccsInjection: boolean | null;
}

/** RFC 7507. */
export const FALLBACK_SCSV = 0x5600;
/** RFC 7507: the alert a server sends to a fallback it sees through. */
const INAPPROPRIATE_FALLBACK = 86;
/** RFC 3749 DEFLATE, then null. */
const DEFLATE_FIRST = [1, 0];
/** RFC 7301 section 3.2: the alert of a server that supports none of the protocols offered. */
const NO_APPLICATION_PROTOCOL = 120;
/** ALPN offer: HTTP/2 first (RFC 7540 "h2"), then HTTP/1.1. */
export const HTTP_ALPN = ['h2', 'http/1.1'];
/**
 * The longest heartbeat record that holds nothing we did not send: our
 * request carried no payload, so an answer is at most its header (type and
 * length, 3 bytes) and the 16 bytes of padding RFC 6520 asks for.
 */
const HEARTBEAT_ECHO_MAX = 3 + 16;
/** How long the Heartbleed check waits for an answer at most, ms (net/probe.ts waits less on a near server). */
const HEARTBLEED_WAIT_MS = 3000;

const NEWEST_FIRST: ProtocolName[] = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];

/** What startFeatureChecks finds. */
export type FeatureChecks = Omit<CheckResults, 'fallbackScsv'>;

/** Every check unasked (no TLS <= 1.2 version, or no version at all). */
export const NOT_CHECKED: CheckResults = { fallbackScsv: null, compression: null, heartbeat: null, heartbleed: null, ccsInjection: null };

/**
 * Runs the checks. `tops` holds, for each version round 1 found spoken,
 * the suite the server chose from the full list. `features`: the
 * compression, heartbeat, ALPN and CCS injection checks already under way
 * (startFeatureChecks, begun as soon as TLS 1.2 answered: they need only
 * its suite).
 */
export async function runChecks(ctx: ScanContext, tops: ReadonlyMap<ProtocolName, number>, features?: Promise<FeatureChecks>): Promise<CheckResults> {
  const spoken = NEWEST_FIRST.filter((v) => tops.has(v));
  const classic = spoken.find((v) => v !== 'TLSv1.3');
  const [fallbackScsv, found] = await Promise.all([
    fallback(ctx, spoken, tops),
    features ?? (classic ? startFeatureChecks(ctx, classic, tops.get(classic)!) : Promise.resolve(NOT_CHECKED)),
  ]);
  return { ...found, fallbackScsv };
}

/**
 * The compression, heartbeat (Heartbleed), ALPN and CCS injection checks, at
 * `version`: the newest version below TLS 1.3 the server speaks, and `top`
 * its first choice there.
 */
export async function startFeatureChecks(ctx: ScanContext, version: ProtocolName, top: number): Promise<FeatureChecks> {
  const [found, ccsInjection] = await Promise.all([compressionAndHeartbeat(ctx, version, top), earlyCcs(ctx, version, top)]);
  return { ...found, ccsInjection };
}

/** RFC 5246 section 7.2.2 alerts: a message out of place; a record that does not decrypt (and its SSL 3.0/TLS 1.0 twin). */
const UNEXPECTED_MESSAGE = 10;
const BAD_RECORD_MAC = 20;
const DECRYPTION_FAILED = 21;
/** How long the CCS injection check waits for the reaction at most, ms (net/probe.ts waits less on a near server). */
const CCS_WAIT_MS = 3000;

/** A ChangeCipherSpec record (one byte: 1) at a record version. */
function changeCipherSpec(recordVersion: number): Uint8Array {
  return Uint8Array.of(ContentType.change_cipher_spec, recordVersion >> 8, recordVersion & 0xff, 0, 1, 1);
}

/**
 * CCS injection (CVE-2014-0224): two ChangeCipherSpec records right behind
 * the hello, in the same write (so that a server that serves one connection
 * at a time is not held), and the server's first reaction after its flight.
 */
async function earlyCcs(ctx: ScanContext, version: ProtocolName, top: number, again = true): Promise<boolean | null> {
  const v = VERSION_CODE[version];
  const out = await ctx.probeWith('ccs-injection', ctx.hello({ version, suites: [top], sni: ctx.ep.sni }), {
    trailing: Uint8Array.from([...changeCipherSpec(v), ...changeCipherSpec(v)]),
    afterFlight: { send: () => new Uint8Array(0), waitMs: Math.min(CCS_WAIT_MS, ctx.timeoutMs) },
  });
  // No answer, or no reaction within the wait (a near server's wait is short, and a loaded
  // machine can outlast it): asked once more before "unknown".
  if (again && (out.kind === 'failed' || (out.kind === 'hello' && out.after?.kind === 'timeout'))) return earlyCcs(ctx, version, top, false);
  if (out.kind !== 'hello' || pickedSuite(out, version) === null || !out.after) return null;
  const a = out.after;
  if (a.kind === 'alert') return a.description === UNEXPECTED_MESSAGE ? false : a.description === BAD_RECORD_MAC || a.description === DECRYPTION_FAILED ? true : null;
  // An alert record that is no plain alert: encrypted, with keys the early ChangeCipherSpec set up.
  return a.kind === 'record' && a.contentType === ContentType.alert ? true : null;
}

/** A hello one version below the newest spoken, with the SCSV: refused with alert 86 is protection. */
async function fallback(ctx: ScanContext, spoken: ProtocolName[], tops: ReadonlyMap<ProtocolName, number>): Promise<boolean | null> {
  const lower = spoken.slice(1).find((v) => v !== 'TLSv1.3');
  if (!lower) return null;
  const out = await ctx.probe('fallback-scsv', ctx.hello({ version: lower, suites: [tops.get(lower)!, FALLBACK_SCSV], sni: ctx.ep.sni }));
  if (out.kind === 'alert') return out.description === INAPPROPRIATE_FALLBACK ? true : null;
  return pickedSuite(out, lower) !== null ? false : null;
}

/**
 * One hello offering DEFLATE first, the heartbeat extension and (not
 * through STARTTLS) h2 and http/1.1 by ALPN; the Heartbleed probe when
 * heartbeats were taken up.
 */
async function compressionAndHeartbeat(ctx: ScanContext, version: ProtocolName, top: number): Promise<Omit<FeatureChecks, 'ccsInjection'>> {
  const extensions = version !== 'SSLv3' && !ctx.bare.has(version);
  let alpn = extensions && !ctx.ep.starttls ? HTTP_ALPN : undefined;
  const hello = (heartbeat: boolean, compression?: number[]) => ctx.hello({ version, suites: [top], sni: ctx.ep.sni, heartbeat, compression, alpn });
  let out = await ctx.probe('compression', hello(extensions, DEFLATE_FIRST));
  let chosen: { alpn?: string | null } = {};
  if (alpn && out.kind === 'alert' && out.description === NO_APPLICATION_PROTOCOL) {
    // A server that speaks neither HTTP/2 nor HTTP/1.1 and insists on its own protocol: asked again without ALPN.
    chosen = { alpn: null };
    alpn = undefined;
    out = await ctx.probe('compression', hello(extensions, DEFLATE_FIRST));
  }
  if (out.kind !== 'hello' || pickedSuite(out, version) === null) return { compression: null, heartbeat: null, heartbleed: null, ...chosen };
  if (alpn) chosen = { alpn: out.serverHello.alpn ?? null };
  const compression = out.serverHello.compression !== 0;
  const heartbeat = extensions ? out.serverHello.extensions.some((e) => e.type === HEARTBEAT_EXTENSION) : null;
  if (!heartbeat) return { compression, heartbeat, heartbleed: heartbeat === false ? false : null, ...chosen };
  const bleed: ProbeOutcome = await ctx.probeWith('heartbleed', hello(true), { afterFlight: {
    // The request only to a server that took up heartbeats in this handshake too.
    send: ({ serverHello }) => (serverHello.extensions.some((e) => e.type === HEARTBEAT_EXTENSION) ? heartbleedRequest(serverHello.legacyVersion) : null),
    waitMs: Math.min(HEARTBLEED_WAIT_MS, ctx.timeoutMs),
  } });
  if (bleed.kind !== 'hello' || !bleed.after) return { compression, heartbeat, heartbleed: null, ...chosen };
  return { compression, heartbeat, heartbleed: bleed.after.kind === 'heartbeat' && bleed.after.length > HEARTBEAT_ECHO_MAX, ...chosen };
}
