/**
 * Test-only ClientHello bytes made with ByteWriter, so parser and fingerprint
 * tests can use hellos with exactly the fields a published example lists.
 * (The product's ClientHello builder lives in src/wire/client-hello.ts.)
 */
import { ByteWriter } from '../../src/wire/bytes.js';

export interface FixtureHello {
  version?: number;
  recordVersion?: number;
  suites: number[];
  /** Extensions in order: type and body. Use the helpers below for bodies. */
  extensions?: { type: number; body: Uint8Array }[];
  /** Omit the extensions block entirely. */
  noExtensionsBlock?: boolean;
  sessionId?: Uint8Array;
}

export function helloBody(o: FixtureHello): Uint8Array {
  const w = new ByteWriter();
  w.u16(o.version ?? 0x0303);
  w.bytes(new Uint8Array(32).fill(7));
  w.vector(1, (v) => v.bytes(o.sessionId ?? new Uint8Array(0)));
  w.vector(2, (v) => { for (const s of o.suites) v.u16(s); });
  w.vector(1, (v) => v.u8(0));
  if (!o.noExtensionsBlock) {
    w.vector(2, (v) => { for (const e of o.extensions ?? []) { v.u16(e.type); v.vector(2, (b) => b.bytes(e.body)); } });
  }
  return w.finish();
}

export function handshake(o: FixtureHello): Uint8Array {
  const body = helloBody(o);
  return new ByteWriter().u8(1).u24(body.length).bytes(body).finish();
}

/** One or more TLS records (split the handshake into fragments of `fragment` bytes). */
export function records(o: FixtureHello, fragment = 16384): Uint8Array {
  const hs = handshake(o);
  const w = new ByteWriter();
  for (let i = 0; i < hs.length; i += fragment) {
    const part = hs.subarray(i, i + fragment);
    w.u8(22).u16(o.recordVersion ?? 0x0301).vector(2, (v) => v.bytes(part));
  }
  return w.finish();
}

const body = (fn: (w: ByteWriter) => void) => { const w = new ByteWriter(); fn(w); return w.finish(); };

export const ext = {
  sni: (host: string) => ({ type: 0, body: body((w) => w.vector(2, (l) => { l.u8(0); l.vector(2, (n) => n.bytes(Buffer.from(host))); })) }),
  groups: (gs: number[]) => ({ type: 10, body: body((w) => w.vector(2, (l) => gs.forEach((g) => l.u16(g)))) }),
  pointFormats: (fs: number[]) => ({ type: 11, body: body((w) => w.vector(1, (l) => fs.forEach((f) => l.u8(f)))) }),
  sigalgs: (ss: number[]) => ({ type: 13, body: body((w) => w.vector(2, (l) => ss.forEach((s) => l.u16(s)))) }),
  alpn: (ps: string[]) => ({ type: 16, body: body((w) => w.vector(2, (l) => ps.forEach((p) => l.vector(1, (x) => x.bytes(Buffer.from(p, 'latin1')))))) }),
  versions: (vs: number[]) => ({ type: 43, body: body((w) => w.vector(1, (l) => vs.forEach((v) => l.u16(v)))) }),
  keyShare: (gs: number[]) => ({ type: 51, body: body((w) => w.vector(2, (l) => gs.forEach((g) => { l.u16(g); l.vector(2, (k) => k.bytes(new Uint8Array(32).fill(1))); }))) }),
  pskModes: (ms: number[]) => ({ type: 45, body: body((w) => w.vector(1, (l) => ms.forEach((m) => l.u8(m)))) }),
  empty: (type: number) => ({ type, body: new Uint8Array(0) }),
  raw: (type: number, bytes: number[]) => ({ type, body: Uint8Array.from(bytes) }),
};

/** An SSLv2-compatible CLIENT-HELLO (2-byte header) offering `specs` (3-byte codes). */
export function sslv2Hello(version: number, specs: number[], challenge = 16): Uint8Array {
  const w = new ByteWriter();
  w.u8(1).u16(version).u16(specs.length * 3).u16(0).u16(challenge);
  for (const s of specs) w.u8(s >> 16).u16(s & 0xffff);
  w.bytes(new Uint8Array(challenge).fill(9));
  const msg = w.finish();
  return new ByteWriter().u16(0x8000 | msg.length).bytes(msg).finish();
}
