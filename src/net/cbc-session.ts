/**
 * One TLS 1.0-1.2 connection with a CBC suite, and one record of our own
 * after its handshake: the connection of the padding-oracle check
 * (scan/padding-oracle.ts).
 *
 * node:tls makes the handshake (any key exchange its OpenSSL speaks), over
 * a socket of ours that sees every byte both ways, as net/tls13-chain.ts
 * does. Encrypt-then-MAC (RFC 7366) is not offered: the records are
 * MAC-then-encrypt, the construction whose padding a server must check with
 * care. Once node:tls has written the client Finished, it is cut off from
 * the socket: with the master secret from its 'keylog' event and the two
 * randoms read on the wire, the key block is ours (wire/cbc.ts), and the
 * caller's record (sequence number 1, the client Finished was 0) goes out
 * right behind the Finished. What the server does after its own Finished
 * is the reaction: an alert (decrypted with the server's keys), data, a
 * close, a reset, or nothing within the wait.
 */
import net from 'node:net';
import type tls from 'node:tls';
import { constants as cryptoConstants } from 'node:crypto';
import { ServerFlightReader, type ServerEvent } from '../wire/record.js';
import { parseServerHello, type ServerHello } from '../wire/server-hello.js';
import { ContentType, HandshakeType } from '../wire/constants.js';
import { cbcSuite, keyBlock, openRecord, type CbcKeys, type CbcSuite } from '../wire/cbc.js';
import { suiteByCode } from '../registry/ciphers.js';
import { nodeTls } from '../util/builtins.js';
import { errorMessage, tidyTlsError } from '../util/errors.js';
import { openPath } from './full-handshake.js';
import { tapSocket } from './tap.js';
import type { StartTls } from './starttls.js';
import type { Proxy } from './proxy.js';

export type CbcVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';

/** What the caller needs to make its record: the version and suite spoken, and our side's keys. */
export interface CbcSession {
  version: number;
  suiteCode: number;
  suite: CbcSuite;
  keys: CbcKeys;
  /** The IV of the next client record: TLS 1.0 chains from the last ciphertext block of the client Finished. */
  clientIv: Buffer;
}

export interface CbcSessionOptions {
  host: string;
  port: number;
  /** SNI; undefined sends none. */
  servername?: string;
  version: CbcVersion;
  /** OpenSSL cipher list to offer: CBC suites only. */
  ciphers: string;
  /** Deadline of the handshake, ms. */
  timeoutMs: number;
  starttls?: StartTls;
  proxy?: Proxy;
  /** The record to send after the handshake, made with the session's keys. */
  record: (s: CbcSession) => Uint8Array;
  /**
   * How long to wait for the reaction once the server's Finished is in, given how long the
   * handshake took (until then), ms. The server reads our record right after the client
   * Finished it came with, so its reaction comes with its own Finished or soon after.
   */
  reactionWaitMs: (handshakeMs: number) => number;
  signal?: AbortSignal;
}

export type CbcSessionResult =
  | { kind: 'reaction'; reaction: string; version: number; suiteCode: number }
  /** no-cbc: the server chose none of the suites offered (or one we cannot speak); etm: it insisted on encrypt-then-MAC. */
  | { kind: 'failed'; code: 'no-cbc' | 'etm' | 'handshake' | 'timeout' | 'unreachable'; message: string };

/** After an alert, how long a close or reset that follows it still counts as part of the reaction, ms. */
const CLOSE_GRACE_MS = 100;

/** Splits a byte stream into TLS records (header and fragment); the bytes of an unfinished record stay. */
class RecordSplitter {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): { type: number; fragment: Buffer }[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: { type: number; fragment: Buffer }[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt16BE(3);
      if (this.buf.length < 5 + len) break;
      out.push({ type: this.buf[0]!, fragment: this.buf.subarray(5, 5 + len) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}

export async function cbcSession(o: CbcSessionOptions): Promise<CbcSessionResult> {
  const started = Date.now();
  let socket: net.Socket | undefined;
  try {
    socket = await openPath(o.host, o.port, o.timeoutMs, o.starttls, o.proxy);
  } catch (e) {
    return { kind: 'failed', code: 'unreachable', message: errorMessage(e) };
  }
  return run(o, socket, Math.max(1, o.timeoutMs - (Date.now() - started)));
}

function run(o: CbcSessionOptions, connected: net.Socket | undefined, timeoutMs: number): Promise<CbcSessionResult> {
  const where = `${o.host}:${o.port}`;
  return new Promise((resolve) => {
    const started = performance.now();
    const raw = connected ?? net.connect({ host: o.host, port: o.port });
    let settled = false;
    // Until our record is out, node:tls talks through `wrap`; then it is cut off.
    let detached = false;
    let clientHello: Buffer | undefined;
    let master: Buffer | undefined;
    let serverHello: ServerHello | undefined;
    // The client's Finished record (TLS 1.0 chains our record's IV from its last block).
    let clientFinished: Buffer | undefined;
    let session: CbcSession | undefined;
    // The server's side: its ChangeCipherSpec, then its Finished; what comes after is the reaction.
    let serverCcs = false;
    let serverFinished = false;
    let serverIv: Buffer | undefined;
    // What the server did after its Finished, in order: data, an alert, a close (the reaction).
    const parts: string[] = [];
    const clientRecords = new RecordSplitter();
    const reader = new ServerFlightReader({ keepEncrypted: true });
    let clientCcs = false;

    const wrap = tapSocket(raw, (chunk) => {
      for (const r of clientRecords.push(chunk)) {
        if (r.type === ContentType.handshake && !clientCcs && !clientHello) clientHello = Buffer.from(r.fragment);
        if (r.type === ContentType.change_cipher_spec) clientCcs = true;
        else if (clientCcs && !clientFinished) clientFinished = Buffer.from(r.fragment);
      }
      inject();
    });
    let sock: tls.TLSSocket;
    try {
      sock = nodeTls().connect({
        socket: wrap,
        ...(o.servername ? { servername: o.servername } : {}),
        rejectUnauthorized: false,
        minVersion: o.version,
        maxVersion: o.version,
        ciphers: o.ciphers,
        // MAC-then-encrypt records only: a server that insists on encrypt-then-MAC has no padding to check.
        secureOptions: cryptoConstants.SSL_OP_NO_ENCRYPT_THEN_MAC | cryptoConstants.SSL_OP_NO_TICKET,
      } as tls.ConnectionOptions);
    } catch (e) {
      // No suite of the list is one this OpenSSL can offer.
      raw.destroy();
      return resolve({ kind: 'failed', code: 'no-cbc', message: `no CBC suite to offer: ${errorMessage(e)}` });
    }

    const deadline = setTimeout(() => finish({ kind: 'failed', code: 'timeout', message: `TLS handshake with ${where} timed out after ${o.timeoutMs} ms` }), timeoutMs);
    let waitTimer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => finish({ kind: 'failed', code: 'timeout', message: 'scan deadline reached' });
    o.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(r: CbcSessionResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(waitTimer);
      o.signal?.removeEventListener('abort', onAbort);
      detached = true;
      wrap.cut();
      sock.destroy();
      raw.destroy();
      resolve(r);
    }
    const failed = (code: Extract<CbcSessionResult, { kind: 'failed' }>['code'], message: string) => finish({ kind: 'failed', code, message });
    const react = () => finish({ kind: 'reaction', reaction: parts.length ? parts.join(', then ') : 'no answer', version: session!.version, suiteCode: session!.suiteCode });

    /**
     * Our record goes out right behind the client Finished, in the same flight (as a False Start
     * client's first data would, RFC 7918): the server reads it once its handshake is done, and
     * its reaction comes back with its own Finished, a round trip sooner than after it.
     */
    function inject(): void {
      if (session || settled || !clientFinished || !master || !serverHello || !clientHello) return;
      const code = serverHello.cipherSuite;
      const info = suiteByCode(code);
      const suite = info && cbcSuite(info.cipher, info.mac);
      if (!suite) return failed('no-cbc', `${where} chose ${info?.iana ?? code}, not a CBC suite`);
      const version = serverHello.version;
      const keys = keyBlock(version, suite, master, clientHello.subarray(6, 38), serverHello.random);
      const clientIv = clientFinished.length >= suite.blockLength ? Buffer.from(clientFinished.subarray(clientFinished.length - suite.blockLength)) : keys.clientIv;
      session = { version, suiteCode: code, suite, keys, clientIv };
      // TLS 1.0: the server's records chain from its Finished when that came first, else from the key block.
      serverIv ??= keys.serverIv;
      detached = true;
      wrap.cut();
      let record: Uint8Array;
      try {
        record = o.record(session);
      } catch (e) {
        return failed('handshake', `cannot make the record: ${errorMessage(e)}`);
      }
      raw.write(record);
      // The reaction's wait starts with the server's Finished; until then the deadline stands (a
      // server that never finishes its handshake has no reaction to tell).
      if (serverFinished) waitTimer = setTimeout(react, o.reactionWaitMs(performance.now() - started));
    }

    /**
     * Something the server sent after its Finished. Data (a server that speaks first, or one that
     * took the record) waits for what may follow; an alert ends the reaction, with the close that
     * may follow it within a moment.
     */
    const noteRecord = (text: string) => {
      if (parts.includes(text)) return;
      parts.push(text);
      if (text === 'data') return;
      clearTimeout(waitTimer);
      waitTimer = setTimeout(react, CLOSE_GRACE_MS);
    };
    const closed = (how: 'closed' | 'reset') => {
      if (settled) return;
      if (!serverFinished) {
        // Deferred: node:tls may still have an alert of this connection to report (a refusal).
        setImmediate(() => failed('handshake', `${where} ${how === 'reset' ? 'reset' : 'closed'} the connection during the handshake`));
        return;
      }
      parts.push(how);
      react();
    };

    const onServerEvent = (e: ServerEvent) => {
      if (!serverCcs) {
        if (e.kind === 'handshake' && e.type === HandshakeType.server_hello) {
          serverHello = parseServerHello(e.body);
          // MAC-then-encrypt only: a server that sends encrypt_then_mac unasked has no padding to check.
          if (serverHello.encryptThenMac) failed('etm', `${where} uses encrypt-then-MAC (RFC 7366), though it was not offered`);
        } else if (e.kind === 'ccs') serverCcs = true;
        else if (e.kind === 'alert' && session) failed('handshake', `${where} refused the handshake: alert ${e.description}`);
        return;
      }
      if (e.kind === 'alert') return serverFinished ? noteRecord(`alert ${e.description}`) : failed('handshake', `${where} refused the handshake: alert ${e.description}`);
      if (e.kind !== 'encrypted' || !e.fragment) return noteRecord(e.kind);
      const b = session?.suite.blockLength ?? 16;
      const iv = serverIv;
      // TLS 1.0: the next record's IV is this one's last ciphertext block, whatever it holds.
      if (e.fragment.length >= b) serverIv = Buffer.from(e.fragment.subarray(e.fragment.length - b));
      if (!serverFinished) {
        // The server's Finished: the wait for the reaction to our record starts (once it is out).
        serverFinished = true;
        if (session) waitTimer = setTimeout(react, o.reactionWaitMs(performance.now() - started));
        return;
      }
      if (!session) return;
      if (e.contentType !== ContentType.alert) return noteRecord(e.contentType === ContentType.application_data ? 'data' : `record ${e.contentType}`);
      const opened = openRecord(session.version, session.suite, session.keys.serverKey, iv!, e.fragment);
      // An alert's level is 1 or 2: anything else is not what our keys would decrypt.
      const level = opened?.plaintext[0];
      noteRecord(opened && opened.plaintext.length >= 2 && (level === 1 || level === 2) ? `alert ${opened.plaintext[1]}` : 'alert (unreadable)');
    };

    raw.on('data', (d: Buffer) => {
      if (settled) return;
      let events: ServerEvent[];
      try {
        events = reader.push(d);
      } catch (e) {
        if (serverFinished && session) { parts.push('garbage'); return react(); }
        return failed('handshake', `${where} sent malformed records: ${errorMessage(e)}`);
      }
      try {
        for (const e of events) if (!settled) onServerEvent(e);
      } catch (e) {
        return failed('handshake', `${where}: ${errorMessage(e)}`);
      }
      if (!detached && !settled) wrap.push(d);
    });
    raw.on('end', () => closed('closed'));
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (!clientHello) return failed('unreachable', `cannot connect to ${where}: ${e.code ?? e.message}`);
      closed(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'closed');
    });
    raw.on('close', () => closed('closed'));

    sock.on('keylog', (line: Buffer) => {
      const [label, random, secret] = line.toString('latin1').trim().split(' ');
      if (label !== 'CLIENT_RANDOM' || !random || !secret) return;
      if (clientHello && clientHello.length >= 38 && clientHello.subarray(6, 38).toString('hex') !== random.toLowerCase()) return; // not this connection's
      master = Buffer.from(secret, 'hex');
      inject();
    });
    sock.on('error', (e) => {
      if (session) return; // node:tls is cut off once our record is out
      const noSuite = /no cipher|handshake failure|wrong cipher|no shared cipher/i.test(e.message);
      failed(noSuite ? 'no-cbc' : 'handshake', `TLS handshake with ${where} failed: ${tidyTlsError(e.message)}`);
    });
  });
}
