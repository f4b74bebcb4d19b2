/**
 * Loopback capture of real TLS clients, for tests and for deriving client
 * profiles from the real thing:
 *
 * - startHelloRecorder(): a TCP listener that reads one ClientHello per
 *   connection, records its bytes, answers with a fatal handshake_failure alert
 *   and closes;
 * - startRecordingProxy(target): a TCP relay in front of a real TLS server that
 *   records the ClientHello the client sent and the ServerHello the server
 *   answered, so what any client negotiated (curl, chromium, java...) can be read
 *   off the wire without trusting the client's own output.
 *
 * ClientHellos are parsed with the product parser (src/wire/client-hello-parse.ts)
 * and flattened into CapturedClientHello, the shape of docs/captures/<id>.json;
 * the ServerHello reader here is a minimal one for the relay.
 */
import net from 'node:net';
import { after } from 'node:test';
import { ByteReader } from '../../src/wire/bytes.js';
import { frameClientHello, parseSSLv2ClientHello, parseHandshakeClientHello, type ParsedClientHello } from '../../src/wire/client-hello-parse.js';

export interface CapturedClientHello {
  /** Version in the record header. */
  recordVersion: number;
  legacyVersion: number;
  /** SSLv2-compatible (record-less) hello. */
  sslv2: boolean;
  sessionIdLength: number;
  cipherSuites: number[];
  compression: number[];
  /** Extension types in order. */
  extensionOrder: number[];
  /** Every extension's raw data, hex, in order. */
  rawExtensions: { type: number; data: string }[];
  sni: string | null;
  supportedVersions: number[] | null;
  groups: number[] | null;
  keyShareGroups: number[] | null;
  signatureAlgorithms: number[] | null;
  ecPointFormats: number[] | null;
  alpn: string[] | null;
  pskKeyExchangeModes: number[] | null;
  extendedMasterSecret: boolean;
  sessionTicket: boolean;
  statusRequest: boolean;
  renegotiationInfo: boolean;
  encryptThenMac: boolean;
  /** The whole handshake message body (after the 4-byte header). */
  body: Uint8Array;
}

/** Flattens the product parser's result into the capture shape. */
function flatten(p: ParsedClientHello, body: Uint8Array): CapturedClientHello {
  const has = (t: number) => p.extensions.some((e) => e.type === t);
  return {
    recordVersion: p.format === 'sslv2' ? 0x0002 : (p.recordVersion ?? 0),
    legacyVersion: p.legacyVersion,
    sslv2: p.format === 'sslv2',
    sessionIdLength: p.sessionId.length / 2,
    cipherSuites: p.cipherSuites,
    compression: p.compressionMethods,
    extensionOrder: p.extensions.map((e) => e.type),
    rawExtensions: p.extensions.map((e) => ({ type: e.type, data: e.data })),
    sni: p.serverName ?? null,
    supportedVersions: p.supportedVersions ?? null,
    groups: p.supportedGroups ?? null,
    keyShareGroups: p.keyShareGroups ?? null,
    signatureAlgorithms: p.signatureAlgorithms ?? null,
    ecPointFormats: p.ecPointFormats ?? null,
    alpn: p.alpn ?? null,
    pskKeyExchangeModes: p.pskKeyExchangeModes ?? null,
    extendedMasterSecret: has(23),
    sessionTicket: has(35),
    statusRequest: has(5),
    renegotiationInfo: has(0xff01) || p.cipherSuites.includes(0x00ff),
    encryptThenMac: has(22),
    body,
  };
}

/** Parses a ClientHello body (after the 4-byte handshake header), as it came in a record of `recordVersion`. */
export function parseClientHelloBody(body: Uint8Array, recordVersion = 0): CapturedClientHello {
  const msg = new Uint8Array(4 + body.length);
  msg.set([1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]);
  msg.set(body, 4);
  return flatten(parseHandshakeClientHello(msg, 'tls-record', recordVersion), body);
}

/**
 * Accumulates a TLS byte stream and returns the first handshake message of the
 * wanted type once complete (records may fragment it), or null for "need more".
 */
function firstHandshake(stream: Buffer, wantType: number): { body: Uint8Array; recordVersion: number } | null {
  let off = 0;
  let hs = Buffer.alloc(0);
  let recordVersion = 0;
  while (off + 5 <= stream.length) {
    const type = stream[off]!, ver = stream.readUInt16BE(off + 1), len = stream.readUInt16BE(off + 3);
    if (off + 5 + len > stream.length) break;
    if (type === 22) {
      if (!recordVersion) recordVersion = ver;
      hs = Buffer.concat([hs, stream.subarray(off + 5, off + 5 + len)]);
      while (hs.length >= 4) {
        const mlen = hs.readUIntBE(1, 3);
        if (hs.length < 4 + mlen) break;
        if (hs[0] === wantType) return { body: new Uint8Array(hs.subarray(4, 4 + mlen)), recordVersion };
        hs = hs.subarray(4 + mlen);
      }
    }
    off += 5 + len;
  }
  return null;
}

export interface CapturedServerHello {
  /** Negotiated version: supported_versions when present, else legacy_version. */
  version: number;
  cipherSuite: number;
  helloRetryRequest: boolean;
  /** key_share group (TLS 1.3), when present. */
  keyShareGroup: number | null;
}

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export function parseServerHelloBody(body: Uint8Array): CapturedServerHello {
  const r = new ByteReader(body);
  let version = r.u16();
  const random = r.bytes(32);
  r.vector(1);
  const cipherSuite = r.u16();
  r.u8();
  let keyShareGroup: number | null = null;
  if (!r.done) {
    const exts = r.vector(2);
    while (!exts.done) {
      const type = exts.u16(); const d = exts.vector(2);
      if (type === 43) version = d.u16();
      if (type === 51) keyShareGroup = d.u16();
    }
  }
  return { version, cipherSuite, helloRetryRequest: Buffer.from(random).equals(HRR_RANDOM), keyShareGroup };
}

export interface RecordedConnection {
  clientHello: CapturedClientHello | null;
  serverHello: CapturedServerHello | null;
  /** A fatal alert the server sent instead of a ServerHello: its description. */
  serverAlert: number | null;
}

export interface Recorder {
  host: string;
  port: number;
  connections: RecordedConnection[];
  /** Resolves with the next connection that carried a complete ClientHello (and ServerHello when relaying). */
  next(timeoutMs?: number): Promise<RecordedConnection>;
  stop(): Promise<void>;
}

function makeRecorder(onConn: (sock: net.Socket, rec: RecordedConnection, done: () => void) => void): Promise<Recorder> {
  const connections: RecordedConnection[] = [];
  const waiters: ((c: RecordedConnection) => void)[] = [];
  const ready: RecordedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const rec: RecordedConnection = { clientHello: null, serverHello: null, serverAlert: null };
    connections.push(rec);
    let reported = false;
    onConn(sock, rec, () => {
      if (reported || !rec.clientHello) return;
      reported = true;
      const w = waiters.shift();
      if (w) w(rec); else ready.push(rec);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      const stop = () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); });
      after(stop);
      resolve({
        host: '127.0.0.1', port, connections, stop,
        next(timeoutMs = 20_000) {
          const r = ready.shift();
          if (r) return Promise.resolve(r);
          return new Promise((res, rej) => {
            const t = setTimeout(() => { const i = waiters.indexOf(res); if (i >= 0) waiters.splice(i, 1); rej(new Error('no ClientHello recorded in time')); }, timeoutMs);
            waiters.push((c) => { clearTimeout(t); res(c); });
          });
        },
      });
    });
  });
}

function tryParseClientHello(buf: Buffer): CapturedClientHello | null {
  const frame = frameClientHello(new Uint8Array(buf));
  if (!frame) return null;
  if (frame.format === 'sslv2') return flatten(parseSSLv2ClientHello(frame.message), frame.message);
  return flatten(parseHandshakeClientHello(frame.message, 'tls-record', frame.recordVersion), frame.message.subarray(4));
}

/** Records one ClientHello per connection and refuses the handshake with a fatal handshake_failure alert. */
export function startHelloRecorder(): Promise<Recorder> {
  return makeRecorder((sock, rec, done) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      if (rec.clientHello) return;
      buf = Buffer.concat([buf, d]);
      try { rec.clientHello = tryParseClientHello(buf); } catch { sock.destroy(); return; }
      if (rec.clientHello) {
        done();
        sock.end(Buffer.from([21, 3, 1, 0, 2, 2, 40]));
      }
    });
  });
}

/** Relays to target and records the ClientHello and the server's answer (ServerHello or alert). */
export function startRecordingProxy(target: { host: string; port: number }): Promise<Recorder> {
  return makeRecorder((sock, rec, done) => {
    const up = net.connect(target.port, target.host);
    up.on('error', () => sock.destroy());
    sock.on('close', () => { up.destroy(); done(); });
    up.on('close', () => { sock.destroy(); done(); });
    let cbuf = Buffer.alloc(0), sbuf = Buffer.alloc(0), serverDone = false;
    sock.on('data', (d) => {
      up.write(d);
      if (rec.clientHello) return;
      cbuf = Buffer.concat([cbuf, d]);
      try { rec.clientHello = tryParseClientHello(cbuf); } catch { /* not TLS: relay only */ }
    });
    up.on('data', (d) => {
      sock.write(d);
      if (serverDone) return;
      sbuf = Buffer.concat([sbuf, d]);
      if (sbuf.length >= 7 && sbuf[0] === 21) { rec.serverAlert = sbuf[6]!; serverDone = true; done(); return; }
      const m = firstHandshake(sbuf, 2);
      if (m) {
        const sh = parseServerHelloBody(m.body);
        // After a HelloRetryRequest the answer that counts is the second ServerHello.
        if (sh.helloRetryRequest && !rec.serverHello) { rec.serverHello = sh; sbuf = Buffer.alloc(0); return; }
        rec.serverHello = sh; serverDone = true; done();
      }
    });
  });
}
