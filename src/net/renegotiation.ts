/**
 * Client-initiated renegotiation: once a TLS 1.0-1.2 handshake is done, the
 * client sends a new ClientHello inside the connection. A server that
 * starts the new handshake spends a handshake's public-key work on each
 * such request, which costs the client next to nothing: a cheap denial of
 * service from anyone (THC-SSL-DOS, 2011). nginx, IIS, Apache 2.4.48+ and
 * OpenSSL 3 servers (unless SSL_OP_ALLOW_CLIENT_RENEGOTIATION) refuse it.
 *
 * Our own client (net/tls12-client.ts) makes the handshake and sends the
 * renegotiation's ClientHello right behind its Finished, with RFC 5746's
 * renegotiation_info (the client's verify_data), as a secure renegotiation
 * must. The server's first record after its own Finished is the answer: a
 * handshake record (its ServerHello: it renegotiates) or an alert
 * (no_renegotiation, or a fatal one: it refuses). Two round trips in all.
 */
import { buildClientHelloBody } from '../wire/client-hello.js';
import { ContentType, ExtensionType } from '../wire/constants.js';
import { alertText, finishableSuites, tls12HelloOptions, tls12Session, type Tls12Version } from './tls12-client.js';
import type { StartTls } from './starttls.js';
import type { Proxy } from './proxy.js';

export interface RenegotiationOptions {
  host: string;
  port: number;
  /** SNI; undefined sends none. */
  servername?: string;
  version: Tls12Version;
  /** Deadline of the handshake, ms. */
  timeoutMs: number;
  /** Send the ClientHello once the server's Finished is in, not with ours (tls12-client.ts afterServerFinished: near servers). */
  afterServerFinished?: boolean;
  /** How long to wait for the answer once the server's Finished is in, given how long the handshake took, ms. */
  answerWaitMs: (handshakeMs: number) => number;
  starttls?: StartTls;
  proxy?: Proxy;
  signal?: AbortSignal;
}

export type RenegotiationResult =
  /**
   * handshake: the server answered our ClientHello with a handshake record (it renegotiates);
   * alert: with `alert`; closed, reset: it dropped the connection; own close: it closed the
   * connection by itself (close_notify, or data and then a close), which says nothing.
   */
  | { kind: 'answer'; answer: 'handshake' | 'alert' | 'closed' | 'reset' | 'own close' | 'no answer'; alert?: string; version: number; suiteCode: number }
  | { kind: 'failed'; code: 'handshake' | 'timeout' | 'unreachable'; message: string };

export async function clientRenegotiation(o: RenegotiationOptions): Promise<RenegotiationResult> {
  const suites = finishableSuites(o.version);
  const r = await tls12Session({
    host: o.host, port: o.port, servername: o.servername, version: o.version, suites,
    timeoutMs: o.timeoutMs, starttls: o.starttls, proxy: o.proxy, signal: o.signal,
    followUp: ({ version, clientVerifyData }) => [{
      type: ContentType.handshake,
      // RFC 5746 section 3.5: a renegotiating client sends its verify_data, and no SCSV.
      content: buildClientHelloBody(tls12HelloOptions(version as Tls12Version, suites, o.servername, {
        renegotiationInfo: false,
        extraExtensions: [{ type: ExtensionType.renegotiation_info, data: Buffer.concat([Buffer.from([clientVerifyData.length]), clientVerifyData]) }],
      })),
    }],
    reactionWaitMs: o.answerWaitMs,
    afterServerFinished: o.afterServerFinished,
    enough: (records) => records.some((r) => r.type === ContentType.handshake || r.type === ContentType.alert),
  });
  if (r.kind === 'failed') {
    return { kind: 'failed', code: r.code === 'timeout' ? 'timeout' : r.code === 'unreachable' ? 'unreachable' : 'handshake', message: r.message };
  }
  const first = r.records.find((x) => x.type === ContentType.handshake || x.type === ContentType.alert);
  const base = { kind: 'answer' as const, version: r.version, suiteCode: r.suiteCode };
  if (first?.type === ContentType.handshake) return { ...base, answer: 'handshake' };
  // close_notify is no answer to the ClientHello: the server ends the connection by itself (a
  // service that speaks first and hangs up), and so does one that sent data and then closed.
  const closeNotify = first?.content?.[1] === 0;
  if (first && !closeNotify) return { ...base, answer: 'alert', alert: alertText(first) };
  const spoke = r.records.some((x) => x.type === ContentType.application_data);
  if (closeNotify || (spoke && (r.end === 'closed' || r.end === 'reset'))) return { ...base, answer: 'own close' };
  return { ...base, answer: r.end === 'reset' ? 'reset' : r.end === 'closed' ? 'closed' : 'no answer' };
}
