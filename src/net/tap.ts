/**
 * node:tls over a socket of ours: the `socket` that tls.connect is given,
 * so that the caller sees every byte both ways. What node:tls writes goes
 * to `raw` (and is shown to `sent` once handed over); what `raw` receives,
 * the caller reads and pushes (`tap.push(chunk)`), after a look of its own.
 *
 * Used where node:tls makes a handshake that our wire code only watches:
 * the TLS 1.3 chain (net/tls13-chain.ts). (TLS 1.0-1.2 handshakes that
 * must go on past their Finished are our own: net/tls12-client.ts.)
 */
import type net from 'node:net';
import { Duplex } from 'node:stream';

export interface TlsTap extends Duplex {
  /**
   * Cuts node:tls off: what it writes from now on is dropped, and its end or
   * destruction no longer reaches `raw` (the caller has taken the connection over).
   */
  cut(): void;
}

export function tapSocket(raw: net.Socket, sent?: (chunk: Buffer) => void): TlsTap {
  let cut = false;
  const tap = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      if (cut || raw.destroyed) return cb();
      raw.write(chunk, () => cb());
      sent?.(chunk);
    },
    final(cb) { if (!cut) raw.end(); cb(); },
    destroy(err, cb) { if (!cut) raw.destroy(); cb(err); },
  }) as TlsTap;
  tap.cut = () => { cut = true; };
  return tap;
}
