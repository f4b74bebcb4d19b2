import net from 'node:net';
import type { Endpoint } from './target.js';

/**
 * Connections opened ahead of the probes that will use them (net/probe.ts
 * `stock`). On a real network a probe on a new connection pays a round trip
 * for the TCP handshake before its ClientHello can leave, so each round of a
 * scan costs two round trips; a probe that takes a connection opened during
 * the previous wait pays one. Only for a far server that serves connections
 * at once (ScanContext): a server that serves one connection at a time
 * would be held by an idle connection it accepted, waiting for a hello.
 *
 * A spare that the server writes to or closes before it is used (a service
 * that speaks first, an idle timeout) is dropped; one older than `maxIdleMs`
 * is closed rather than handed out. Plain TCP only: a proxy tunnel or a
 * STARTTLS preamble is per probe (and not here).
 */
export class ConnectionStock {
  private readonly spares: Spare[] = [];
  private closed = false;
  /** Connections opened ahead, handed to probes, and closed unused (for the trace). */
  opened = 0;
  used = 0;
  wasted = 0;
  /** Why the stock stopped (the server spoke first, spares refused), once it did. */
  stopped: string | undefined;
  private refused = 0;

  constructor(private readonly ep: Endpoint, private readonly maxIdleMs = DEFAULT_MAX_IDLE_MS) {}

  /** Spares waiting (connected or connecting). */
  get size(): number { return this.spares.length; }

  /** Opens connections until `n` spares wait. */
  fill(n: number): void {
    while (!this.closed && this.spares.length < n) this.open();
    this.keepAlive();
  }

  /**
   * A stock nobody takes from for `maxIdleMs` closes itself (a scan that
   * ended by an exception before it closed the stock leaves nothing open),
   * and its spares never keep the process alive (unref).
   */
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private keepAlive(): void {
    clearTimeout(this.idleTimer);
    if (this.closed || !this.spares.length) return;
    this.idleTimer = setTimeout(() => this.close(), this.maxIdleMs);
    this.idleTimer.unref();
  }

  /**
   * A spare for a probe, the longest connected first (then one still
   * connecting, which saves part of the round trip), or undefined. The
   * caller owns it from then on: the stock's listeners are gone.
   */
  take(): net.Socket | undefined {
    const now = performance.now();
    for (const s of [...this.spares]) {
      // Stale, or closed by now though its close event has not run yet.
      if (s.socket.destroyed) this.drop(s, false);
      else if (now - s.openedAt > this.maxIdleMs) this.drop(s, true);
    }
    const s = this.spares.find((x) => x.connected) ?? this.spares[0];
    if (!s) return undefined;
    this.spares.splice(this.spares.indexOf(s), 1);
    s.detach();
    s.socket.ref();
    this.used++;
    this.keepAlive();
    return s.socket;
  }

  /** Closes every spare; the stock opens no more. */
  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const s of [...this.spares]) this.drop(s, true);
  }

  private open(): void {
    const socket = net.connect({ host: this.ep.address, port: this.ep.port });
    socket.setNoDelay(true);
    socket.unref();
    this.opened++;
    const spare: Spare = {
      socket, openedAt: performance.now(), connected: false,
      detach: () => {
        socket.off('connect', onConnect);
        socket.off('data', onData);
        socket.off('end', onGone);
        socket.off('close', onGone);
        socket.off('error', onGone);
      },
    };
    const onConnect = () => { spare.connected = true; };
    const onData = () => {
      // A service that speaks first (a greeting): no spare of ours can carry a ClientHello.
      this.stopped = 'the server wrote on a connection before any hello';
      this.drop(spare, true);
      this.close();
    };
    const onGone = (err?: unknown) => {
      // Refused or reset while waiting: a limit on our connections (a firewall's, the server's) may
      // count these; after two, no more spares.
      if (err instanceof Error && ++this.refused >= 2) {
        this.stopped = 'connections opened ahead were refused or reset';
        this.drop(spare, false);
        this.close();
        return;
      }
      this.drop(spare, false);
    };
    socket.on('connect', onConnect);
    socket.on('data', onData);
    socket.on('end', onGone);
    socket.on('close', onGone);
    socket.on('error', onGone);
    this.spares.push(spare);
  }

  private drop(s: Spare, unused: boolean): void {
    const i = this.spares.indexOf(s);
    if (i < 0) return;
    this.spares.splice(i, 1);
    s.detach();
    s.socket.on('error', () => {});
    s.socket.destroy();
    if (unused) this.wasted++;
  }
}

interface Spare {
  socket: net.Socket;
  openedAt: number;
  connected: boolean;
  detach(): void;
}

/**
 * A spare older than this is closed rather than used: servers close idle
 * connections that send no hello after some seconds (Apache's
 * RequestReadTimeout, load balancers), and one that does so just as the
 * probe writes would look like a refusal.
 */
const DEFAULT_MAX_IDLE_MS = 1500;
