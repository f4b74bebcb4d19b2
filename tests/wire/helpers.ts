/**
 * Test-only helpers for wire/: a small ClientHello decoder (the product's
 * parser lives in src/wire/client-hello-parse.ts, written separately), server
 * message builders for synthetic flights, a deterministic rng and a tiny
 * loopback socket exchange (net/ is the product's, this is for tests only).
 */
import net from 'node:net';
import { createHash } from 'node:crypto';
import { ByteReader, ByteWriter } from '../../src/wire/bytes.js';
import { ServerFlightReader, type ServerEvent } from '../../src/wire/record.js';
import { alertEndsHandshake } from '../../src/wire/alert.js';

export interface DecodedClientHello {
  recordVersions: number[];
  recordCount: number;
  handshakeLength: number;
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compression: number[];
  /** null when the hello has no extensions block. */
  extensions: { type: number; data: Uint8Array }[] | null;
}

/** Decodes ClientHello record(s) as written by buildClientHello, checking every length on the way. */
export function decodeClientHelloRecords(bytes: Uint8Array): DecodedClientHello {
  const r = new ByteReader(bytes);
  const recordVersions: number[] = [];
  const hs = new ByteWriter();
  let recordCount = 0;
  while (!r.done) {
    const type = r.u8();
    if (type !== 22) throw new Error(`record type ${type}`);
    recordVersions.push(r.u16());
    const frag = r.vector(2);
    if (frag.remaining > 16384) throw new Error('record over 16384');
    hs.bytes(frag.bytes(frag.remaining));
    recordCount++;
  }
  return { ...decodeClientHelloMessage(hs.finish()), recordVersions, recordCount };
}

export function decodeClientHelloMessage(msg: Uint8Array): Omit<DecodedClientHello, 'recordVersions' | 'recordCount'> {
  const r = new ByteReader(msg);
  if (r.u8() !== 1) throw new Error('not a ClientHello');
  const body = r.vector(3);
  r.expectEnd('handshake');
  const legacyVersion = body.u16();
  const random = body.bytes(32);
  const sid = body.vector(1);
  const sessionId = sid.bytes(sid.remaining);
  const cs = body.vector(2);
  const cipherSuites: number[] = [];
  while (!cs.done) cipherSuites.push(cs.u16());
  const comp = body.vector(1);
  const compression = Array.from(comp.bytes(comp.remaining));
  let extensions: { type: number; data: Uint8Array }[] | null = null;
  if (!body.done) {
    extensions = [];
    const ex = body.vector(2);
    body.expectEnd('ClientHello body');
    while (!ex.done) {
      const type = ex.u16();
      const d = ex.vector(2);
      extensions.push({ type, data: d.bytes(d.remaining) });
    }
  }
  return { handshakeLength: msg.length, legacyVersion, random, sessionId, cipherSuites, compression, extensions };
}

export function ext(h: { extensions: { type: number; data: Uint8Array }[] | null }, type: number): Uint8Array | undefined {
  return h.extensions?.find((e) => e.type === type)?.data;
}

export function u16s(data: Uint8Array, prefix: 1 | 2): number[] {
  const r = new ByteReader(data);
  const v = r.vector(prefix);
  r.expectEnd('list');
  const out: number[] = [];
  while (!v.done) out.push(v.u16());
  return out;
}

/** A deterministic byte source: SHA-256 in counter mode over a seed. */
export function seededRng(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      const k = Math.min(block.length, n - off);
      out.set(block.subarray(0, k), off);
      off += k;
    }
    return out;
  };
}

// ---- server-side message builders for synthetic flights ----

export function handshakeMsg(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).u24(body.length).bytes(body).finish();
}

export function record(type: number, version: number, frag: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).u16(version).u16(frag.length).bytes(frag).finish();
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function serverHelloBody(o: {
  version?: number; random?: Uint8Array; sessionId?: Uint8Array; suite?: number; compression?: number;
  extensions?: { type: number; data: Uint8Array | number[] }[] | null;
}): Uint8Array {
  const w = new ByteWriter()
    .u16(o.version ?? 0x0303)
    .bytes(o.random ?? new Uint8Array(32).fill(7))
    .vector(1, (x) => x.bytes(o.sessionId ?? new Uint8Array(0)))
    .u16(o.suite ?? 0xc02f)
    .u8(o.compression ?? 0);
  if (o.extensions !== null) {
    w.vector(2, (x) => { for (const e of o.extensions ?? []) x.u16(e.type).vector(2, (d) => d.bytes(e.data)); });
  }
  return w.finish();
}

export function certificateBody(ders: Uint8Array[], tls13 = false): Uint8Array {
  const w = new ByteWriter();
  if (tls13) w.vector(1, () => {});
  w.vector(3, (l) => {
    for (const d of ders) {
      l.vector(3, (c) => c.bytes(d));
      if (tls13) l.vector(2, () => {});
    }
  });
  return w.finish();
}

/** A plausible TLS 1.2 ECDHE flight: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone in records. */
export function syntheticTls12Flight(opts: { split?: number } = {}): Uint8Array {
  const sh = handshakeMsg(2, serverHelloBody({ extensions: [{ type: 0xff01, data: [0] }, { type: 23, data: [] }] }));
  const cert = handshakeMsg(11, certificateBody([new Uint8Array(700).fill(0x30), new Uint8Array(500).fill(0x31)]));
  const ske = handshakeMsg(12, new ByteWriter().u8(3).u16(29).vector(1, (w) => w.bytes(new Uint8Array(32).fill(9)))
    .u16(0x0804).vector(2, (w) => w.bytes(new Uint8Array(256).fill(1))).finish());
  const done = handshakeMsg(14, new Uint8Array(0));
  const all = concat(sh, cert, ske, done);
  const split = opts.split ?? 600;
  const recs: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += split) recs.push(record(22, 0x0303, all.subarray(i, i + split)));
  return concat(...recs);
}

// ---- loopback exchange ----

export interface Exchange {
  events: ServerEvent[];
  /** Every byte the server sent until we stopped. */
  raw: Uint8Array;
  closed: boolean;
}

/**
 * Connects to 127.0.0.1:port, writes `hello`, feeds the answer into a
 * ServerFlightReader and stops when `until` says so, on a fatal alert, on close,
 * or after timeoutMs (then rejects).
 */
export async function exchange(port: number, hello: Uint8Array, until: (events: ServerEvent[]) => boolean, timeoutMs = 8000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const reader = new ServerFlightReader();
    const events: ServerEvent[] = [];
    const chunks: Buffer[] = [];
    const sock = net.connect({ host: '127.0.0.1', port });
    let finished = false;
    const finish = (closed: boolean, err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err); else resolve({ events, raw: new Uint8Array(Buffer.concat(chunks)), closed });
    };
    const timer = setTimeout(() => finish(false, new Error(`no complete answer within ${timeoutMs} ms; events: ${JSON.stringify(events.map((e) => e.kind))}`)), timeoutMs);
    sock.on('connect', () => sock.write(hello));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      try {
        events.push(...reader.push(d));
      } catch (e) {
        finish(false, e as Error);
        return;
      }
      // a fatal alert ends the exchange; a warning (e.g. unrecognized_name) does not
      if (events.some((e) => e.kind === 'alert' && alertEndsHandshake(e)) || until(events)) finish(false);
    });
    sock.on('error', (e) => finish(true, events.length ? undefined : e));
    sock.on('close', () => finish(true));
  });
}

export const handshakes = (events: ServerEvent[]) =>
  events.filter((e): e is Extract<ServerEvent, { kind: 'handshake' }> => e.kind === 'handshake');

/** A loopback connection kept open for several exchanges (e.g. ClientHello, HelloRetryRequest, second ClientHello). */
export class Conversation {
  readonly events: ServerEvent[] = [];
  private readonly reader = new ServerFlightReader();
  private readonly sock: net.Socket;
  private error: Error | null = null;
  private closed = false;
  private wake: (() => void) | null = null;

  private constructor(sock: net.Socket) {
    this.sock = sock;
    sock.on('data', (d: Buffer) => {
      try { this.events.push(...this.reader.push(d)); } catch (e) { this.error = e as Error; }
      this.wake?.();
    });
    sock.on('error', (e) => { this.error = e; this.wake?.(); });
    sock.on('close', () => { this.closed = true; this.wake?.(); });
  }

  static open(port: number): Promise<Conversation> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new Conversation(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void { this.sock.write(bytes); }

  /** Waits until `until` holds for the events so far; rejects on error, close or timeout. */
  async waitFor(until: (events: ServerEvent[]) => boolean, timeoutMs = 8000): Promise<ServerEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (until(this.events)) return this.events;
      if (this.error) throw this.error;
      if (this.closed) throw new Error(`connection closed; events: ${JSON.stringify(this.events.map((e) => e.kind))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; events: ${JSON.stringify(this.events.map((e) => e.kind))}`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, left); this.wake = () => { clearTimeout(t); resolve(); }; });
      this.wake = null;
    }
  }

  close(): void { this.sock.destroy(); }
}
