import net from 'node:net';
import type { Endpoint } from './target.js';
import { StartTlsDialogue, StartTlsBusy, serverGreetsFirst } from './starttls.js';
import { connectProxy, proxyErrorText, tunnelDialogue } from './proxy.js';
import { ServerFlightError, ServerFlightReader, type ServerEvent } from '../wire/record.js';
import { parseServerHello, type ServerHello } from '../wire/server-hello.js';
import { parseCertificateMessage } from '../wire/certificate.js';
import { parseSSLv2Message, type SSLv2ServerHello } from '../wire/sslv2.js';
import { HandshakeType } from '../wire/constants.js';
import { alertEndsHandshake, buildAlertRecord } from '../wire/alert.js';
import { WireError, errorMessage } from '../util/errors.js';
import type { ConnectionStock } from './stock.js';

/**
 * One probe = one TCP connection + one ClientHello + reading the server's
 * answer up to what the caller needs. Always ends (deadline), always closes
 * the socket, never throws: every failure is a typed outcome.
 */

export type FailureCode = 'timeout' | 'reset' | 'closed' | 'refused' | 'unreachable' | 'malformed' | 'aborted' | 'starttls';

export type ProbeOutcome =
  | {
    kind: 'hello';
    serverHello: ServerHello;
    /** DER certificates from the Certificate message (TLS <= 1.2, when read). */
    certificates?: Uint8Array[];
    /** Raw ServerKeyExchange body (TLS <= 1.2, when read); parse with wire/server-key-exchange. */
    serverKeyExchange?: Uint8Array;
    /** Raw CertificateStatus body (stapled OCSP), when read. */
    certificateStatus?: Uint8Array;
    /** Raw CertificateRequest body (the server asks for a client certificate), when read. */
    certificateRequest?: Uint8Array;
    helloDone: boolean;
    /** With the `afterFlight` option, when it sent something: what the server did next. */
    after?: AfterFlight;
  }
  | { kind: 'sslv2'; hello: SSLv2ServerHello }
  | { kind: 'alert'; level: number; description: number; name: string }
  | {
    kind: 'failed'; code: FailureCode; message: string; /** Bytes the server had sent before the failure. */ received?: number;
    /** A malformed answer that is text (HTTP, SSH, SMTP ...): its first line, for "this port does not speak TLS". */
    plainText?: string;
  };

export interface ProbeOptions {
  /** Deadline for the whole probe (connect + answer), ms. */
  timeoutMs: number;
  /** 'serverHello': stop at ServerHello; 'serverHelloDone': also read Certificate/ServerKeyExchange (TLS <= 1.2). */
  readUntil?: 'serverHello' | 'serverHelloDone';
  signal?: AbortSignal;
  /** Cap on bytes read from the server, against floods. */
  maxBytes?: number;
  /**
   * Send a close_notify alert right behind the ClientHello, in the same
   * write. The server reads it only after it has written its first flight,
   * and then closes at once instead of waiting a round trip for our next
   * message: a server that handles one connection at a time (gnutls-serv,
   * openssl s_server, small appliances) is then never held by a probe.
   * Checked per server before use (scan/run.ts round 1).
   */
  pipelineClose?: boolean;
  /**
   * Bytes written right behind the ClientHello, in the same write (as the
   * pipelined close is): messages that do not depend on the server's answer
   * (ROBOT's ClientKeyExchange, made with the key round 1 saw), so that a
   * server that serves one connection at a time is not held waiting for them.
   */
  trailing?: Uint8Array;
  /**
   * A step after the flight, for checks that need the server's reaction to
   * a message of ours (scan/checks.ts: Heartbleed; scan/robot.ts: ROBOT):
   * once the flight is read to its ServerHelloDone, `send` says what to
   * write, from what the flight said (null: nothing, and the probe ends as
   * usual); then the server's first reaction is read, waiting up to
   * `waitMs` (or twice the time the ServerHello took, plus 200 ms,
   * whichever is less).
   */
  afterFlight?: {
    send: (flight: { serverHello: ServerHello; certificates?: Uint8Array[] }) => Uint8Array | null;
    waitMs: number;
  };
  /**
   * Connections opened ahead (net/stock.ts): the probe takes one when there
   * is one (not through a proxy or STARTTLS). Should the server close or
   * reset it before any answer, the probe is sent once more on a connection
   * of its own (an idle close can cross the hello), unless `stockRetries`
   * says no.
   */
  stock?: ConnectionStock;
  /** Whether a probe on a stocked connection that met a close or reset before any answer is sent again (default true). */
  stockRetries?: boolean;
}

/** The outcome of a probe that took a connection from the stock (ProbeOptions.stock). */
export interface StockedOutcome {
  outcome: ProbeOutcome;
  /** The probe ran on a connection opened ahead. */
  spare: boolean;
  /** It met a close or reset before any answer there, and was sent again on a new connection. */
  retried: boolean;
}

/** Closed or reset before the server sent a single byte (what an idle close of a stocked connection also looks like). */
export function silentClose(o: ProbeOutcome): boolean {
  return o.kind === 'failed' && (o.code === 'closed' || o.code === 'reset') && !o.received;
}

/**
 * sendHello with a connection from the stock when there is one; a close or
 * reset before any answer on such a connection is asked again on a new one
 * (once), and the caller is told both, to judge whether such answers are the
 * server's way to refuse.
 */
export async function sendHelloStocked(ep: Endpoint, hello: Uint8Array, opts: ProbeOptions): Promise<StockedOutcome> {
  const spare = !ep.proxy && !ep.starttls ? opts.stock?.take() : undefined;
  const outcome = await sendHello(ep, hello, { ...opts, stock: undefined }, spare);
  if (!spare || !silentClose(outcome) || opts.stockRetries === false || opts.signal?.aborted) return { outcome, spare: !!spare, retried: false };
  return { outcome: await sendHello(ep, hello, { ...opts, stock: undefined }), spare: true, retried: true };
}

/** What the server did after the flight when the probe sent something more (ProbeOptions.afterFlight). */
export type AfterFlight =
  | { kind: 'alert'; description: number }
  | { kind: 'heartbeat'; length: number }
  | { kind: 'record'; contentType: number; length: number }
  | { kind: 'closed' | 'reset' | 'timeout' | 'malformed' };

/** RFC 6520: the content type of heartbeat records. */
const HEARTBEAT = 24;

/** A heartbeat_request record (type 1) that claims `claimed` bytes of payload and carries none. */
export function heartbleedRequest(recordVersion: number, claimed = 0x4000): Uint8Array {
  return Uint8Array.from([HEARTBEAT, recordVersion >> 8, recordVersion & 0xff, 0, 3, 1, claimed >> 8, claimed & 0xff]);
}

/** The ClientHello followed by a close_notify alert in the hello's own record version. */
export function withPipelinedClose(hello: Uint8Array): Uint8Array {
  // An SSL 2.0 hello (high bit of the first byte set) has no alert record to follow it.
  if (hello.length < 3 || hello[0]! & 0x80) return hello;
  const alert = buildAlertRecord(1, 0, (hello[1]! << 8) | hello[2]!);
  const out = new Uint8Array(hello.length + alert.length);
  out.set(hello);
  out.set(alert, hello.length);
  return out;
}

/**
 * The first line of an answer that is text rather than TLS records (an HTTP
 * server's "HTTP/1.1 400 Bad Request", an SSH banner, an SMTP greeting):
 * printable ASCII from its first byte up to the first line end, at most 80
 * characters; undefined when the bytes do not look like text.
 */
export function plainTextLine(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, 80);
  let end = 0;
  while (end < n && bytes[end] !== 0x0d && bytes[end] !== 0x0a) {
    const b = bytes[end]!;
    if (b < 0x20 || b > 0x7e) return undefined;
    end++;
  }
  // At least a few characters, the first a letter, digit or markup (a TLS record's first byte is 20-24 or 0x80+).
  if (end < 3 || !/[A-Za-z0-9<+*-]/.test(String.fromCharCode(bytes[0]!))) return undefined;
  return Buffer.from(bytes.subarray(0, end)).toString('latin1');
}

/** The abort reason of a probe withdrawn by the scan (its question was answered otherwise). */
export const WITHDRAWN = 'withdrawn';

function failure(code: FailureCode, message: string, received?: number): ProbeOutcome {
  return received === undefined ? { kind: 'failed', code, message } : { kind: 'failed', code, message, received };
}

function classify(err: NodeJS.ErrnoException, received?: number): ProbeOutcome {
  switch (err.code) {
    case 'ECONNREFUSED': return failure('refused', 'connection refused');
    case 'ECONNRESET': case 'EPIPE': return failure('reset', 'connection reset by the server', received);
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL': return failure('unreachable', `host unreachable (${err.code})`);
    case 'ETIMEDOUT': return failure('timeout', 'connect timed out');
    default: return failure('reset', errorMessage(err), received);
  }
}

/** `spare`: a connection opened ahead (net/stock.ts) to use instead of a new one. */
export function sendHello(ep: Endpoint, hello: Uint8Array, opts: ProbeOptions, spare?: net.Socket): Promise<ProbeOutcome> {
  const readUntil = opts.readUntil ?? 'serverHello';
  const maxBytes = opts.maxBytes ?? 512 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    let received = 0;
    const reader = new ServerFlightReader();
    let serverHello: ServerHello | undefined;
    let certificates: Uint8Array[] | undefined;
    let ske: Uint8Array | undefined;
    let status: Uint8Array | undefined;
    let certRequest: Uint8Array | undefined;
    // The step after the flight (opts.afterFlight): when the ServerHello came, and the wait for the reaction.
    const startedAt = performance.now();
    let helloAt = startedAt;
    let afterWait: ReturnType<typeof setTimeout> | undefined;
    // Through a proxy: its tunnel first (net/proxy.ts: HTTP CONNECT or SOCKS5).
    const { socket: sock, ready } = ep.proxy ? connectProxy(ep.proxy)
      : { socket: spare ?? net.connect({ host: ep.address, port: ep.port }), ready: 'connect' as const };
    sock.setNoDelay(true);
    let tunnel = ep.proxy ? tunnelDialogue(ep.proxy, ep.address, ep.port) : null;

    const timer = setTimeout(() => {
      if (serverHello) finishHello(false, { kind: 'timeout' });
      else if (tunnel) done(failure('timeout', `the proxy ${ep.proxy!.shown} did not open a tunnel to ${ep.address}:${ep.port} within ${opts.timeoutMs} ms`));
      else if (preamble) done(failure('timeout', `no answer within ${opts.timeoutMs} ms during the ${ep.starttls} STARTTLS preamble${preambleBytes || !serverGreetsFirst(ep.starttls!) ? '' : ' (no greeting: a service that speaks TLS from its first byte needs no --starttls)'}`));
      else done(failure('timeout', `no answer within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const onAbort = () => done(failure('aborted', opts.signal?.reason === WITHDRAWN ? 'probe withdrawn' : 'scan deadline reached'));
    if (opts.signal) {
      if (opts.signal.aborted) { queueMicrotask(onAbort); } else opts.signal.addEventListener('abort', onAbort, { once: true });
    }

    function done(outcome: ProbeOutcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(afterWait);
      opts.signal?.removeEventListener('abort', onAbort);
      sock.removeAllListeners('data');
      sock.on('error', () => {});
      sock.destroy();
      resolve(outcome);
    }
    /** Ends the probe with what the flight said; during the step after it, `ending` is the server's reaction. */
    function finishHello(helloDone: boolean, ending: AfterFlight = { kind: 'closed' }): void {
      if (afterWait) { afterEnd(ending); return; }
      const more = helloDone && opts.afterFlight ? opts.afterFlight.send({ serverHello: serverHello!, certificates }) : null;
      if (more) {
        sock.write(more);
        const wait = Math.min(opts.afterFlight!.waitMs, 2 * (helloAt - startedAt) + 200);
        afterWait = setTimeout(() => afterEnd({ kind: 'timeout' }), wait);
        return;
      }
      done({ kind: 'hello', serverHello: serverHello!, certificates, serverKeyExchange: ske, certificateStatus: status, certificateRequest: certRequest, helloDone });
    }
    /** The step after the flight ends: what the server did. */
    function afterEnd(after: AfterFlight): void {
      clearTimeout(afterWait);
      afterWait = undefined;
      done({ kind: 'hello', serverHello: serverHello!, certificates, serverKeyExchange: ske, certificateStatus: status, certificateRequest: certRequest, helloDone: true, after });
    }

    function onEvent(ev: ServerEvent): boolean {
      if (afterWait) {
        afterEnd(ev.kind === 'alert' ? { kind: 'alert', description: ev.description }
          : ev.kind === 'heartbeat' ? { kind: 'heartbeat', length: ev.length }
            : { kind: 'record', contentType: ev.kind === 'encrypted' ? ev.contentType : ev.kind === 'handshake' ? 22 : ev.kind === 'ccs' ? 20 : 23, length: 'length' in ev ? ev.length : 0 });
        return true;
      }
      switch (ev.kind) {
        case 'alert':
          // A warning such as unrecognized_name (virtual hosts without this SNI) is followed by the handshake.
          if (!alertEndsHandshake(ev)) return false;
          if (serverHello) { finishHello(false); return true; }
          done({ kind: 'alert', level: ev.level, description: ev.description, name: ev.name });
          return true;
        case 'sslv2': {
          const m = parseSSLv2Message(ev.message);
          if (m.type === 'server-hello') done({ kind: 'sslv2', hello: m.hello });
          else if (m.type === 'error') done({ kind: 'alert', level: 2, description: m.code, name: `SSLv2 ${m.name}` });
          else throw new WireError(`expected SSL 2.0 SERVER-HELLO, got message type ${m.messageType}`);
          return true;
        }
        case 'handshake':
          if (!serverHello) {
            if (ev.type !== HandshakeType.server_hello) throw new WireError(`expected ServerHello, got handshake message type ${ev.type}`);
            serverHello = parseServerHello(ev.body);
            helloAt = performance.now();
            if (readUntil === 'serverHello' || serverHello.version >= 0x0304 || serverHello.isHelloRetryRequest) {
              finishHello(false);
              return true;
            }
            return false;
          }
          if (ev.type === HandshakeType.certificate) certificates = parseCertificateMessage(ev.body, false);
          else if (ev.type === HandshakeType.server_key_exchange) ske = ev.body;
          else if (ev.type === HandshakeType.certificate_status) status = ev.body;
          else if (ev.type === HandshakeType.certificate_request) certRequest = ev.body;
          else if (ev.type === HandshakeType.server_hello_done) {
            finishHello(true);
            return settled; // the step after the flight reads on (its reaction may be in this very chunk)
          }
          return false;
        default:
          // ChangeCipherSpec / encrypted records / application data: nothing more to learn in clear.
          if (serverHello) { finishHello(false); return true; }
          throw new WireError(`unexpected ${ev.kind} record before ServerHello`);
      }
    }

    const first = opts.trailing ? Buffer.concat([hello, opts.trailing]) : hello;
    const bytes = opts.pipelineClose ? withPipelinedClose(first) : first;
    // STARTTLS: the service's own preamble first; the ClientHello once it says TLS may start.
    let preamble = ep.starttls ? new StartTlsDialogue(ep.starttls) : null;
    let preambleBytes = 0;
    const begin = () => {
      if (!preamble) { sock.write(bytes); return; }
      const first = preamble.start();
      if (first) sock.write(first);
    };
    const onReady = () => { if (tunnel) sock.write(tunnel.start()); else begin(); };
    // A connection from the stock may be connected already: the hello leaves now.
    if (spare && !spare.connecting && !spare.destroyed) onReady();
    else sock.on(ready, onReady);
    // The proxy's side of the tunnel; a refusal (403, 407, 502 or a SOCKS5 error for a target it
    // cannot reach) is no answer.
    const duringTunnel = (chunk: Buffer): Buffer | null => {
      try {
        const step = tunnel!.push(chunk);
        if (step.write) sock.write(step.write);
        if (!step.done) return null;
        tunnel = null;
        begin();
        return step.rest ?? null;
      } catch (err) {
        done(failure('refused', errorMessage(err)));
        return null;
      }
    };
    const duringPreamble = (chunk: Buffer): Buffer | null => {
      preambleBytes += chunk.length;
      try {
        const step = preamble!.push(chunk);
        if (step.send) sock.write(step.send);
        if (!step.done) return null;
        preamble = null;
        sock.write(bytes);
        return step.rest ? Buffer.from(step.rest) : null;
      } catch (err) {
        // Turned away (421): a drop like a reset, which the scan may ask again; else no STARTTLS here.
        if (err instanceof StartTlsBusy) done(failure('closed', err.message));
        else done(failure('starttls', errorMessage(err)));
        return null;
      }
    };
    sock.on('data', (data: Buffer) => {
      if (settled) return;
      let chunk: Buffer | null = data;
      if (tunnel) chunk = duringTunnel(chunk);
      if (chunk && preamble && !settled) chunk = duringPreamble(chunk);
      if (!chunk || settled) return;
      received += chunk.length;
      try {
        if (received > maxBytes) throw new WireError(`server sent more than ${maxBytes} bytes without completing its flight`);
        for (const ev of reader.push(chunk)) if (onEvent(ev)) return;
      } catch (err) {
        // What the same bytes completed before the fault still counts: a flight followed, in one
        // segment, by bytes that are no record (a server's garbage, or its reaction to our step
        // after the flight) is still a flight.
        if (err instanceof ServerFlightError) {
          try {
            for (const ev of err.events) if (onEvent(ev)) break;
          } catch { /* malformed as well: as below */ }
          if (settled) return;
        }
        if (serverHello) finishHello(false, { kind: 'malformed' });
        else {
          // The answer's first chunk: text there is a service that does not speak TLS.
          const text = received === chunk.length ? plainTextLine(chunk) : undefined;
          done({ kind: 'failed', code: 'malformed', message: err instanceof WireError ? `malformed answer: ${err.message}` : errorMessage(err), ...(text !== undefined ? { plainText: text } : {}) });
        }
      }
    });
    sock.on('end', () => {
      if (serverHello) finishHello(false);
      else if (tunnel) done(failure('closed', `the proxy ${ep.proxy!.shown} closed the connection before opening the tunnel`));
      else if (preamble) done(failure('closed', `connection closed during the ${ep.starttls} STARTTLS preamble`));
      else done(failure('closed', received ? 'connection closed in the middle of a record' : 'connection closed without an answer', received));
    });
    sock.on('error', (err) => {
      if (serverHello) finishHello(false, { kind: 'reset' });
      else if (tunnel) done(failure('refused', proxyErrorText(ep.proxy!, err)));
      else done(classify(err as NodeJS.ErrnoException, received));
    });
  });
}
