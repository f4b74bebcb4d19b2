import { randomBytes } from 'node:crypto';
import type { ScanContext } from './context.js';
import type { ProtocolName } from './types.js';
import { finishableSuites, tls12HelloOptions, tls12Session, tls12Version } from '../net/tls12-client.js';
import { buildClientHello } from '../wire/client-hello.js';
import { ContentType, ExtensionType } from '../wire/constants.js';

/**
 * TLS 1.0-1.2 session resumption (asked with --resumption): does the
 * server resume a session by its ID (a session cache, RFC 5246 section
 * 7.3) and by a session ticket (RFC 5077)? A resumed handshake skips the
 * public-key work and a round trip: what a client that calls an API often
 * saves, and what a load balancer without a shared cache or ticket key
 * takes away.
 *
 * Two full handshakes of our own (net/tls12-client.ts), one offering
 * tickets and one not, each ended with a close_notify right behind our
 * Finished (a server drops a session from its cache when the connection
 * ends without one), then two ClientHellos at once: one with the first
 * session's ID, one with the second's ticket and a fresh session ID. The server resumed when its ServerHello carries the
 * ID offered (RFC 5246 section 7.4.1.3; RFC 5077 section 3.4).
 */
export interface ResumptionCheck {
  /** Resumed by session ID; false also when its ServerHello gave none (no cache); null: not known. */
  ids: boolean | null;
  /** Resumed by ticket; false also when it issued none; null: not known. */
  tickets: boolean | null;
  /** Why a field is null, or how it was asked. */
  note?: string;
}

export async function checkResumption(ctx: ScanContext, version: ProtocolName): Promise<ResumptionCheck> {
  const wireVersion = tls12Version(version);
  if (!wireVersion) return { ids: null, tickets: null, note: `not asked at ${version} (a TLS 1.0-1.2 question)` };
  const ep = ctx.ep;
  const suites = finishableSuites(wireVersion);
  // Two full handshakes: one without tickets (the session ID, kept in a cache), one with (a server
  // that issues a ticket may keep nothing in its cache: gnutls-serv resumes by ID only then).
  const handshake = (tickets: boolean) => ctx.ownHandshake('resumption', () => tls12Session({
    host: ep.address, port: ep.port, servername: ep.sni ?? undefined, version: wireVersion, suites, sessionTicket: tickets,
    timeoutMs: ctx.timeoutMs, starttls: ep.starttls, proxy: ep.proxy, signal: ctx.signal,
    followUp: () => [{ type: ContentType.alert, content: Uint8Array.of(1, 0) }],
    // The server's own close_notify ends it; a server that only closes is waited for no longer than this.
    reactionWaitMs: (handshakeMs) => Math.min(ctx.timeoutMs, Math.max(100, handshakeMs)),
    enough: (records) => records.some((r) => r.type === ContentType.alert),
  }), (r) => (r.kind === 'reaction' ? `session ID of ${r.session.id.length} bytes, ${r.session.ticket ? `a ticket of ${r.session.ticket.length} bytes` : 'no ticket'}` : `${r.code}: ${r.message}`))
    .catch((e: unknown) => ({ kind: 'failed' as const, code: 'timeout' as const, message: String(e) }));
  const [plain, withTicket] = await Promise.all([handshake(false), handshake(true)]);
  if (plain.kind === 'failed' && withTicket.kind === 'failed') return { ids: null, tickets: null, note: plain.message };
  const id = plain.kind === 'reaction' ? plain.session.id : undefined;
  const ticket = withTicket.kind === 'reaction' ? withTicket.session.ticket : undefined;
  const resumes = async (sessionId: Uint8Array, extra: { type: number; data: Uint8Array }[]): Promise<boolean | null> => {
    const hello = buildClientHello(tls12HelloOptions(wireVersion, suites, ep.sni, { sessionId, extraExtensions: extra }));
    const out = await ctx.probe('resumption', hello);
    if (out.kind !== 'hello') return out.kind === 'alert' ? false : null;
    return Buffer.from(out.serverHello.sessionId).equals(Buffer.from(sessionId));
  };
  const [ids, tickets] = await Promise.all([
    !id ? Promise.resolve(null) : id.length ? resumes(id, []) : Promise.resolve(false),
    withTicket.kind === 'failed' ? Promise.resolve(null) : ticket ? resumes(randomBytes(32), [{ type: ExtensionType.session_ticket, data: ticket }]) : Promise.resolve(false),
  ]);
  const notes = [
    ...(id && !id.length ? ['its ServerHello gave no session ID'] : []),
    ...(withTicket.kind === 'reaction' && !ticket ? ['it issued no session ticket'] : []),
    ...(plain.kind === 'failed' ? [plain.message] : withTicket.kind === 'failed' ? [withTicket.message] : []),
    ...((ids === null && id) || (tickets === null && ticket) ? ['a resumption hello got no answer'] : []),
  ];
  return { ids, tickets, ...(notes.length ? { note: notes.join('; ') } : {}) };
}
