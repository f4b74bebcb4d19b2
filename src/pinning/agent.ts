/**
 * Pinned connections for Node: an https.Agent (node:https, axios, got ...) and
 * an undici Agent (fetch), both refusing a server whose chain matches no pin,
 * with the texts of seed 003.
 *
 * Resumed sessions. Node calls checkServerIdentity only on full handshakes
 * (`if (!verifyError && !this.isSessionReused())` in _tls_wrap.js), and on a
 * resumed session getPeerCertificate() returns nothing at all: the server
 * sends no certificate. A pin check in checkServerIdentity is therefore
 * silently skipped on resumption. Here the check runs on every secureConnect,
 * and the pin verdict travels with the session: a session is offered for
 * resumption only after the handshake that created it passed the pin check,
 * and on resumption the chain that authenticated the original handshake is
 * what gets checked. A session this agent did not verify (passed in by the
 * caller) is checked against the peer certificate recorded inside the
 * session itself; when that cannot be read the connection is refused.
 */
import https from 'node:https';
import tls from 'node:tls';
import { isIP, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Agent as UndiciAgent } from 'undici';
import { PinMismatchError, PinningRequestError } from './errors.js';
import { PinSet, hostKey, type PinsInput } from './pinset.js';
import { pinsFromChain } from './sources.js';
import { spkiPinOfCertificate } from '../x509/spki.js';
import { peerCertificateOfSession } from './session.js';

export { peerCertificateOfSession };

export interface PinnedOptions {
  /** Pins ("sha256/…" or bare base64): one list for every host, a map host → pins, or a pinning.json object. */
  pins: PinsInput;
  /** Lowest TLS version accepted; default TLSv1.2. */
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** Extra trust anchors (replace the default roots, as in tls.connect). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Certificate trust and host-name checks stay on unless this is false (pins are checked either way). */
  rejectUnauthorized?: boolean;
  /** Let hosts without pins through (default false: a pinned agent refuses them). */
  allowUnpinnedHosts?: boolean;
  /** TCP + TLS handshake deadline in ms (default 10000). */
  connectTimeout?: number;
  /** Sessions kept for resumption (default 100; 0 turns resumption off). */
  maxCachedSessions?: number;
  /** Called after each connection passed the pin check (for logs and tests). */
  onVerified?: (info: VerifiedConnection) => void;
}

export interface VerifiedConnection {
  host: string;
  port: number;
  sessionReused: boolean;
  /** Pins of the chain that authenticated the connection. */
  chainPins: string[];
  /** Those of them that are configured pins. */
  matchedPins: string[];
}

interface Verdict { pins: string[] }

/** State shared by every connection of one agent: pins and verified sessions. */
class PinnedConnector {
  readonly pinSet: PinSet;
  private readonly sessions = new Map<string, Buffer>();
  private readonly verdicts = new Map<string, Verdict>();
  private readonly max: number;

  constructor(readonly o: PinnedOptions) {
    this.pinSet = new PinSet(o.pins);
    this.max = o.maxCachedSessions ?? 100;
  }

  private static sessionId(s: Buffer) { return createHash('sha256').update(s).digest('base64'); }

  private remember(key: string, session: Buffer, verdict: Verdict) {
    if (this.max <= 0) return;
    const old = this.sessions.get(key);
    if (old) this.verdicts.delete(PinnedConnector.sessionId(old));
    this.sessions.delete(key);
    this.sessions.set(key, session);
    this.verdicts.set(PinnedConnector.sessionId(session), verdict);
    while (this.sessions.size > this.max) {
      const [k, s] = this.sessions.entries().next().value as [string, Buffer];
      this.sessions.delete(k);
      this.verdicts.delete(PinnedConnector.sessionId(s));
    }
  }

  private forget(key: string) {
    const s = this.sessions.get(key);
    if (s) this.verdicts.delete(PinnedConnector.sessionId(s));
    this.sessions.delete(key);
  }

  /** The chain pins that authenticated the handshake which created `session`, if known. */
  private verdictOf(session: Buffer): Verdict | undefined {
    const v = this.verdicts.get(PinnedConnector.sessionId(session));
    if (v) return v;
    const peer = peerCertificateOfSession(session);
    return peer ? { pins: [spkiPinOfCertificate(peer)] } : undefined;
  }

  /**
   * Opens a TLS connection and calls back only once the pins are verified
   * (or with a PinMismatchError / PinningRequestError).
   */
  connect(
    target: { host: string; port: number; servername?: string; session?: Buffer; ALPNProtocols?: string[]; localAddress?: string },
    cb: (err: Error | null, socket: tls.TLSSocket | null) => void,
  ): tls.TLSSocket | null {
    const host = target.host.replace(/^\[(.*)\]$/, '$1');
    const port = target.port;
    const servername = target.servername || (isIP(host) ? undefined : host);
    const nameForPins = servername ?? host;
    const pins = this.pinSet.pinsFor(nameForPins);
    let settled = false;
    const done = (err: Error | null, s: tls.TLSSocket | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err && s) s.destroy();
      cb(err, err ? null : s);
    };
    let timer: NodeJS.Timeout | undefined;
    if (!pins && !this.o.allowUnpinnedHosts) {
      process.nextTick(() => done(new PinningRequestError(nameForPins, port, `host ${nameForPins} has no configured pins`), null));
      return null;
    }
    const key = `${hostKey(host)}:${port}:${servername ?? ''}`;
    const offered = target.session ?? (this.max > 0 ? this.sessions.get(key) : undefined);
    const sock = tls.connect({
      host,
      port,
      servername,
      session: offered,
      minVersion: this.o.minVersion ?? 'TLSv1.2',
      maxVersion: this.o.maxVersion,
      ca: this.o.ca,
      rejectUnauthorized: this.o.rejectUnauthorized ?? true,
      ALPNProtocols: target.ALPNProtocols,
      ...(target.localAddress ? { localAddress: target.localAddress } : {}),
    } as tls.ConnectionOptions);
    const deadline = this.o.connectTimeout ?? 10_000;
    timer = setTimeout(() => done(new PinningRequestError(nameForPins, port, `TLS connection not established within ${deadline} ms`), sock), deadline);
    let verdict: Verdict | undefined;
    const pending: Buffer[] = [];
    sock.on('session', (s: Buffer) => {
      if (verdict) this.remember(key, s, verdict); else pending.push(s);
    });
    // `on`, not `once`: an error after we gave up on the socket must not become an uncaught exception.
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      if (offered) this.forget(key);
      const code = e.code ? `${e.code}: ` : '';
      done(new PinningRequestError(nameForPins, port, `${code}${e.message}`, { cause: e }), sock);
    });
    sock.once('secureConnect', () => {
      if (settled) return;
      const reused = sock.isSessionReused();
      let chainPins: string[];
      if (reused) {
        chainPins = (offered && this.verdictOf(offered))?.pins ?? [];
      } else {
        chainPins = pinsFromChain(peerChainDer(sock), nameForPins).map((e) => e.pin);
      }
      if (pins && !chainPins.some((p) => pins.has(p))) {
        if (offered) this.forget(key);
        const why = chainPins.length
          ? `none of the chain's pins (${chainPins.map((p) => `sha256/${p}`).join(', ')}) is among the ${pins.size} configured for ${nameForPins}`
          : 'the resumed session carries no certificate that could be checked';
        done(new PinMismatchError(nameForPins, port, chainPins, reused, why), sock);
        return;
      }
      verdict = { pins: chainPins };
      this.o.onVerified?.({ host: nameForPins, port, sessionReused: reused, chainPins, matchedPins: pins ? chainPins.filter((p) => pins.has(p)) : [] });
      for (const s of pending) this.remember(key, s, verdict);
      pending.length = 0;
      done(null, sock);
    });
    return sock;
  }
}

/** The chain Node verified (or, without verification, the one the server sent), leaf first. */
export function peerChainDer(sock: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = sock.getPeerCertificate(true);
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate && c.issuerCertificate !== c ? c.issuerCertificate : undefined;
  }
  return out;
}

export interface PinnedAgentOptions extends PinnedOptions {
  /** Passed to https.Agent (keepAlive, maxSockets, ...). */
  agentOptions?: https.AgentOptions;
}

/** An https.Agent that refuses servers whose chain matches no pin, including on resumed sessions. */
export class PinnedAgent extends https.Agent {
  private readonly connector: PinnedConnector;
  constructor(o: PinnedAgentOptions) {
    super({ ...o.agentOptions, maxCachedSessions: 0 });
    this.connector = new PinnedConnector(o);
  }

  override createConnection(
    options: https.RequestOptions & { servername?: string; session?: Buffer },
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const port = Number(options.port) || 443;
    const host = String(options.host ?? options.hostname ?? 'localhost');
    this.connector.connect({ host, port, servername: options.servername, session: options.session },
      (err, sock) => callback?.(err, sock as unknown as Duplex));
    // The socket is handed over through the callback once the pins are verified.
    return undefined;
  }
}

/** An https.Agent for node:https (and libraries built on it) that enforces SSL pins. */
export function createPinnedAgent(o: PinnedAgentOptions): PinnedAgent {
  return new PinnedAgent(o);
}

export interface PinnedDispatcherOptions extends PinnedOptions {
  /** Passed to undici's Agent (connections, keepAliveTimeout, ...); `connect` is ours. */
  agentOptions?: Omit<UndiciAgent.Options, 'connect'>;
}

/** An undici Agent (a fetch dispatcher) that enforces SSL pins: fetch(url, { dispatcher }). */
export function createPinnedDispatcher(o: PinnedDispatcherOptions): UndiciAgent {
  const connector = new PinnedConnector(o);
  return new UndiciAgent({
    ...o.agentOptions,
    connect: (opts, cb) => {
      if (opts.protocol !== 'https:') {
        cb(new PinningRequestError(opts.hostname, Number(opts.port) || 80, `${opts.protocol}//${opts.hostname} is not HTTPS: pins cannot be checked`), null);
        return;
      }
      connector.connect({
        host: opts.hostname,
        port: Number(opts.port) || 443,
        servername: opts.servername ?? undefined,
        ALPNProtocols: ['http/1.1'],
        localAddress: opts.localAddress ?? undefined,
      }, (err, sock) => {
        if (err) cb(err, null);
        else cb(null, sock as Socket);
      });
    },
  });
}
