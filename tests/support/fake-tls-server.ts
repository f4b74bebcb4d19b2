/**
 * SCRIPTED FAKE SERVER — not a TLS implementation. It speaks just enough of
 * SSL 2.0, SSL 3.0 and TLS 1.0-1.2 to answer a ClientHello with a ServerHello
 * (+ Certificate + ServerHelloDone) or an alert, following a configured set of
 * versions and suites. It exists because no real server on this machine (all
 * built on OpenSSL 3 / GnuTLS 3.7) can serve SSLv2, SSLv3, RC4 or export
 * suites any more, and the scanner must still detect them.
 */
import net from 'node:net';
import { constants, privateDecrypt, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { ByteReader, ByteWriter } from '../../src/wire/bytes.js';
import { suiteByCode } from '../../src/registry/ciphers.js';

export interface FakeServerConfig {
  /** Versions it accepts: 0x0002 (SSLv2), 0x0300, 0x0301, 0x0302, 0x0303. */
  versions: number[];
  /** TLS/SSLv3 suites, in server preference order. */
  suites: number[];
  /** true: pick by its own order; false: by the client's. */
  serverPreference: boolean;
  /** SSLv2 cipher kinds it accepts. */
  sslv2Kinds?: number[];
  /** DER certificate sent in Certificate / SERVER-HELLO. */
  certificate: Uint8Array;
  /**
   * Hello intolerance, as old F5/IIS/embedded stacks had it: a ClientHello
   * offering more suites than this makes the server drop the connection.
   */
  maxSuites?: number;
  /**
   * Extension intolerance, as SSL 3.0-era stacks had it: a ClientHello that
   * carries any extension makes the server drop the connection.
   */
  noExtensions?: boolean;
  /** With noExtensions: answer a hello that carries extensions with this alert instead of dropping it. */
  extensionAlert?: number;
  /**
   * Refuses a hello it shares no suite or version with by closing the
   * connection instead of sending an alert, as some SChannel and embedded
   * stacks do.
   */
  refuseByClosing?: boolean;
  /** Chooses DEFLATE (compression method 1) when the client offers it, as OpenSSL before 1.1.0 built with zlib did. */
  compression?: boolean;
  /**
   * Takes up the heartbeat extension (RFC 6520) when offered, and keeps the
   * connection open after its flight. 'vulnerable' answers a heartbeat
   * request with as many bytes as it claims, whatever it carried, as
   * OpenSSL 1.0.1-1.0.1f did (Heartbleed; the bytes here are a fixed
   * pattern, not memory); 'fixed' discards a request whose claimed length
   * exceeds what it carries (RFC 6520 section 4); 'garbage' answers it
   * with bytes that are no TLS record (a hostile or broken server).
   */
  heartbeat?: 'vulnerable' | 'fixed' | 'garbage';
  /** Refuses a hello that carries TLS_FALLBACK_SCSV below its newest version with inappropriate_fallback (RFC 7507); default: ignores it. */
  fallbackScsv?: boolean;
  /**
   * The RSA key exchange after the flight, with this private key (the
   * certificate's, PEM): 'oracle' answers a badly padded premaster secret
   * with handshake_failure at once and a well-padded one with
   * bad_record_mac after the Finished, as the servers ROBOT found did;
   * 'safe' answers bad_record_mac after the Finished whatever the padding
   * (RFC 5246 section 7.4.7.1).
   */
  robot?: { mode: 'oracle' | 'safe'; keyPem: string };
  /** Bytes written right after the flight (the connection then stays open): what a broken or hostile server sends next. */
  afterFlight?: Uint8Array;
  /**
   * A ChangeCipherSpec before the key exchange, after the flight (the
   * connection stays open): 'vulnerable' takes it silently and answers the
   * next record with bad_record_mac, as OpenSSL before 1.0.1h did (it had
   * switched to keys from an empty master secret: CVE-2014-0224); 'fixed'
   * refuses it with unexpected_message.
   */
  ccsInjection?: 'vulnerable' | 'fixed';
  /**
   * An ECDHE suite's ServerKeyExchange (secp256r1): 'fresh', a new public point in every
   * connection; 'fixed', one point for all of them (ephemeral key reuse). The point and the
   * signature are random bytes: a scanner reads neither as a client would.
   */
  ecdheKey?: 'fresh' | 'fixed';
}

/** The one point of a server with ecdheKey 'fixed'. */
const fixedPoints = new WeakMap<FakeServerConfig, Uint8Array>();

function serverKeyExchange(cfg: FakeServerConfig, version: number): Uint8Array {
  let point = cfg.ecdheKey === 'fixed' ? fixedPoints.get(cfg) : undefined;
  if (!point) {
    point = Uint8Array.from([4, ...randomBytes(64)]);
    if (cfg.ecdheKey === 'fixed') fixedPoints.set(cfg, point);
  }
  const w = new ByteWriter().u8(3).u16(23).vector(1, (p) => p.bytes(point));
  if (version >= 0x0303) w.u16(0x0401); // rsa_pkcs1_sha256
  return w.vector(2, (sig) => sig.bytes(randomBytes(256))).finish();
}

export interface FakeServer { host: string; port: number; connections: number; close(): Promise<void> }

function record(type: number, version: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).u16(version).vector(2, (w) => w.bytes(body)).finish();
}
function handshake(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).vector(3, (w) => w.bytes(body)).finish();
}
function alert(version: number, description: number): Uint8Array {
  return record(21, version, Uint8Array.from([2, description]));
}

/** The answer to a ClientHello: the bytes, how many bytes of input the hello took, whether the connection stays open. */
interface TlsAnswer { reply: Uint8Array; used: number; open: boolean; clientVersion?: number }

function answerTls(cfg: FakeServerConfig, data: Uint8Array): TlsAnswer | null {
  const r = new ByteReader(data);
  if (r.u8() !== 22) return null;
  const recVersion = r.u16();
  const frag = r.vector(2);
  const used = data.length - r.remaining;
  const closed = (reply: Uint8Array | null): TlsAnswer | null => (reply ? { reply, used, open: false } : null);
  if (frag.u8() !== 1) return null;
  const body = frag.vector(3);
  const clientVersion = body.u16();
  body.skip(32);
  body.vector(1);
  const cs = body.vector(2);
  const offered: number[] = [];
  while (!cs.done) offered.push(cs.u16());
  if (cfg.maxSuites !== undefined && offered.length > cfg.maxSuites) return null; // drop the connection
  const compR = body.vector(1);
  const methods: number[] = [];
  while (!compR.done) methods.push(compR.u8());
  if (cfg.noExtensions && !body.done) {
    return closed(cfg.extensionAlert === undefined ? null : alert(Math.min(recVersion, 0x0301), cfg.extensionAlert)); // an extensions block
  }
  const extensions = new Set<number>();
  if (!body.done) {
    const exts = body.vector(2);
    while (!exts.done) { extensions.add(exts.u16()); exts.vector(2); }
  }
  const tlsVersions = cfg.versions.filter((v) => v >= 0x0300).sort((a, b) => b - a);
  const version = tlsVersions.find((v) => v <= clientVersion);
  const replyVersion = Math.min(recVersion, 0x0301);
  if (version === undefined) return closed(cfg.refuseByClosing ? null : alert(replyVersion, 70));
  if (cfg.fallbackScsv && offered.includes(0x5600) && version < tlsVersions[0]!) return closed(alert(version, 86));
  const pick = cfg.serverPreference ? cfg.suites.find((s) => offered.includes(s)) : offered.find((s) => cfg.suites.includes(s));
  if (pick === undefined) return closed(cfg.refuseByClosing ? null : alert(version, 40));
  const compression = cfg.compression && methods.includes(1) ? 1 : 0;
  const heartbeat = !!cfg.heartbeat && extensions.has(15);
  const sh = new ByteWriter().u16(version).bytes(randomBytes(32)).u8(0).u16(pick).u8(compression)
    .bytes(heartbeat ? new ByteWriter().vector(2, (w) => w.u16(15).vector(2, (e) => e.u8(1))).finish() : new Uint8Array(0))
    .finish();
  const cert = new ByteWriter().vector(3, (w) => w.vector(3, (c) => c.bytes(cfg.certificate))).finish();
  const ske = cfg.ecdheKey && suiteByCode(pick)?.kx === 'ECDHE' ? handshake(12, serverKeyExchange(cfg, version)) : new Uint8Array(0);
  const flight = new ByteWriter()
    .bytes(handshake(2, sh))
    .bytes(handshake(11, cert))
    .bytes(ske)
    .bytes(handshake(14, new Uint8Array(0)))
    .finish();
  const reply = record(22, version, flight);
  return { reply: cfg.afterFlight ? Buffer.concat([reply, cfg.afterFlight]) : reply, used, open: heartbeat || !!cfg.robot || !!cfg.afterFlight || !!cfg.ccsInjection, clientVersion };
}

/** The records after the flight (heartbeat requests, the key exchange), one at a time: what to send, and whether to close. */
function answerAfterFlight(cfg: FakeServerConfig, data: Uint8Array, state: { clientVersion: number; padding?: 'good' | 'bad'; ccs?: boolean }): { reply: Uint8Array | null; used: number; end: boolean } | null {
  if (data.length < 5) return null;
  const len = (data[3]! << 8) | data[4]!;
  if (data.length < 5 + len) return null;
  const used = 5 + len;
  const version = (data[1]! << 8) | data[2]!;
  if (data[0] === 24) return { reply: answerHeartbeat(cfg, data.subarray(5, used), version), used, end: false };
  if (cfg.ccsInjection) {
    // A record after a ChangeCipherSpec taken too early "does not decrypt"; the first early one is refused or taken.
    if (state.ccs) return { reply: alert(version, 20), used, end: true };
    if (data[0] === 20) {
      if (cfg.ccsInjection === 'fixed') return { reply: alert(version, 10), used, end: true };
      state.ccs = true;
      return { reply: null, used, end: false };
    }
  }
  if (data[0] !== 22 || !cfg.robot) return { reply: null, used, end: false };
  const frag = data.subarray(5, used);
  if (state.padding === undefined && frag[0] === 16) {
    // ClientKeyExchange: the premaster block, decrypted with the raw key, and its PKCS #1 v1.5 form checked.
    const encrypted = frag.subarray(6, 6 + ((frag[4]! << 8) | frag[5]!));
    const block = privateDecrypt({ key: cfg.robot.keyPem, padding: constants.RSA_NO_PADDING }, encrypted);
    const sep = block.indexOf(0, 2);
    const good = block[0] === 0 && block[1] === 2 && sep === block.length - 49 && ((block[sep + 1]! << 8) | block[sep + 2]!) === state.clientVersion;
    state.padding = good ? 'good' : 'bad';
    if (!good && cfg.robot.mode === 'oracle') return { reply: alert(version, 40), used, end: true };
    return { reply: null, used, end: false };
  }
  // The Finished (random bytes, so it cannot decrypt): bad_record_mac.
  return { reply: alert(version, 20), used, end: true };
}

/**
 * After the flight, with heartbeats taken up: the answer to a heartbeat
 * request record at the start of `data` (null: none due, or not complete).
 */
function answerHeartbeat(cfg: FakeServerConfig, frag: Uint8Array, version: number): Uint8Array | null {
  if (frag.length < 3 || frag[0] !== 1) return null;
  if (cfg.heartbeat === 'garbage') return new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n');
  const claimed = (frag[1]! << 8) | frag[2]!;
  const carried = frag.length - 3;
  if (cfg.heartbeat !== 'vulnerable' && claimed + 16 > carried) return null; // discarded (RFC 6520 section 4)
  // The claimed payload, whatever was carried: a fixed pattern stands for the server's memory.
  const payload = new Uint8Array(claimed).fill(0x41);
  payload.set(frag.subarray(3, 3 + Math.min(claimed, carried)));
  const body = new ByteWriter().u8(2).u16(claimed).bytes(payload).bytes(randomBytes(16)).finish();
  return record(24, version, body);
}

function answerSSLv2(cfg: FakeServerConfig, data: Uint8Array): Uint8Array | null {
  const r = new ByteReader(data);
  const len = ((r.u8() & 0x7f) << 8) | r.u8();
  const msg = new ByteReader(r.bytes(Math.min(len, r.remaining)));
  if (msg.u8() !== 1) return null;
  const version = msg.u16();
  const specLen = msg.u16();
  const sidLen = msg.u16();
  const chLen = msg.u16();
  const specs = msg.bytes(specLen);
  msg.skip(sidLen);
  msg.skip(chLen);
  const kinds: number[] = [];
  for (let i = 0; i + 2 < specs.length; i += 3) kinds.push((specs[i]! << 16) | (specs[i + 1]! << 8) | specs[i + 2]!);
  const v2msg = (m: Uint8Array) => new ByteWriter().u16(0x8000 | m.length).bytes(m).finish();
  if (version !== 0x0002 || !cfg.versions.includes(0x0002)) return null;
  const common = kinds.filter((k) => (cfg.sslv2Kinds ?? []).includes(k));
  if (!common.length) return v2msg(new ByteWriter().u8(0).u16(0x0001).finish());
  const w = new ByteWriter().u8(4).u8(0).u8(1).u16(0x0002)
    .u16(cfg.certificate.length).u16(common.length * 3).u16(16)
    .bytes(cfg.certificate);
  for (const k of common) w.u8(k >>> 16).u8(k >>> 8).u8(k);
  w.bytes(randomBytes(16));
  return v2msg(w.finish());
}

export async function startFakeServer(cfg: FakeServerConfig): Promise<FakeServer> {
  const state = { connections: 0 };
  const server = net.createServer((sock) => {
    state.connections++;
    let buf = Buffer.alloc(0);
    sock.on('error', () => {});
    sock.setTimeout(5000, () => sock.destroy());
    let open = false;
    const conn = { clientVersion: 0 } as { clientVersion: number; padding?: 'good' | 'bad'; ccs?: boolean };
    const afterFlight = () => {
      // The flight is out and the connection stays open: heartbeat requests, the key exchange.
      for (let a = answerAfterFlight(cfg, buf, conn); a; a = answerAfterFlight(cfg, buf, conn)) {
        buf = buf.subarray(a.used);
        if (a.end) { if (a.reply) sock.end(Buffer.from(a.reply)); else sock.end(); return; }
        if (a.reply) sock.write(Buffer.from(a.reply));
      }
    };
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (open) { afterFlight(); return; }
      let answer: TlsAnswer | null;
      try {
        answer = (buf[0]! & 0x80) ? ((reply) => (reply ? { reply, used: buf.length, open: false } : null))(answerSSLv2(cfg, buf)) : answerTls(cfg, buf);
      } catch {
        return; // incomplete: wait for more bytes
      }
      if (!answer) { sock.destroy(); return; }
      if (!answer.open) { sock.end(Buffer.from(answer.reply)); return; }
      open = true;
      conn.clientVersion = answer.clientVersion ?? 0;
      sock.write(Buffer.from(answer.reply));
      buf = buf.subarray(answer.used);
      afterFlight(); // what came in the same write as the hello
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  after(close);
  return { host: '127.0.0.1', port, get connections() { return state.connections; }, close };
}
