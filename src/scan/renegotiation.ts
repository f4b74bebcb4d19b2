import type { ScanContext } from './context.js';
import type { ProtocolName } from './types.js';
import { clientRenegotiation, type RenegotiationResult } from '../net/renegotiation.js';
import { tls12Version } from '../net/tls12-client.js';
import { suiteByCode } from '../registry/ciphers.js';

/**
 * Does the server renegotiate when the client asks (net/renegotiation.ts)?
 * One full handshake of our own at the newest TLS 1.0-1.2 version, then a
 * ClientHello inside it: a handshake record back says yes, an alert no.
 * A close or reset right after our ClientHello is a refusal too (servers
 * that drop such connections rather than answer them: older nginx); no
 * answer at all or a failed handshake say nothing. A server without RFC
 * 5746 that says yes renegotiates insecurely (CVE-2009-3555): the caller
 * reads that with features.secureRenegotiation.
 */
export interface RenegotiationCheck {
  /** true: it started the new handshake; false: it refused; null: not known (see note). */
  accepted: boolean | null;
  /** What came back after our ClientHello: 'handshake', 'alert <name> (<code>)', 'closed', 'reset'. */
  answer?: string;
  /** The version and suite of the handshake the renegotiation was asked in. */
  version?: ProtocolName;
  suite?: string;
  /** Why accepted is null. */
  note?: string;
}

/**
 * How long the answer to our ClientHello is waited for once the server's
 * Finished is in: as long as the handshake took (two round trips; the
 * answer needs at most one and the server's signature), never less than
 * ANSWER_MIN_MS, nor more than the probe deadline.
 */
const ANSWER_MIN_MS = 150;

/**
 * No answer at all within that wait is asked once more, waiting at least this long: a server
 * that answers late rather than never (gnutls-serv on a CI machine busy with other test
 * servers did, once) is then not left unknown, and one that stays silent costs this once.
 */
const SILENT_RETRY_MIN_MS = 1000;

export async function checkClientRenegotiation(ctx: ScanContext, version: ProtocolName): Promise<RenegotiationCheck> {
  const wireVersion = tls12Version(version);
  if (!wireVersion) return { accepted: null, note: `not asked at ${version} (renegotiation is a TLS 1.0-1.2 question)` };
  const ep = ctx.ep;
  const ask = (minWaitMs = ANSWER_MIN_MS) => ctx.ownHandshake('renegotiation', () => clientRenegotiation({
    host: ep.address, port: ep.port, servername: ep.sni ?? undefined, version: wireVersion,
    timeoutMs: ctx.timeoutMs, starttls: ep.starttls, proxy: ep.proxy, signal: ctx.signal, afterServerFinished: ctx.near,
    answerWaitMs: (handshakeMs) => Math.min(ctx.timeoutMs, Math.max(minWaitMs, handshakeMs)),
  }), (r) => (r.kind === 'answer' ? `${r.alert ?? r.answer} after the renegotiation's ClientHello` : `${r.code}: ${r.message}`)).catch((e: unknown): RenegotiationResult => ({ kind: 'failed', code: 'timeout', message: String(e) }));
  let r = await ask();
  // A handshake closed before it was done is asked once more (the benchmarks' latency proxy loses
  // a flight that the server closes right behind, now and then).
  if (r.kind === 'failed' && r.code === 'handshake') r = await ask();
  if (r.kind === 'answer' && r.answer === 'no answer') r = await ask(SILENT_RETRY_MIN_MS);
  if (r.kind === 'failed') {
    return { accepted: null, version, note: r.message };
  }
  const suite = suiteByCode(r.suiteCode)?.iana;
  const base = { answer: r.alert ?? r.answer, version, ...(suite ? { suite } : {}) };
  if (r.answer === 'handshake') return { accepted: true, ...base };
  if (r.answer === 'no answer') return { accepted: null, ...base, note: 'no answer to the renegotiation\'s ClientHello' };
  if (r.answer === 'own close') return { accepted: null, ...base, note: 'the server closed the connection by itself once its handshake was done (close_notify, or data and then a close)' };
  return { accepted: false, ...base };
}
