/**
 * Incremental reader of what a server sends: TLS records (RFC 8446 §5.1,
 * RFC 5246 §6.2) reassembled into handshake messages, alerts and the rest,
 * whatever the TCP chunking. Also recognises an SSL 2.0 answer.
 *
 * Encryption: the reader stops interpreting handshake bytes
 * - after a ChangeCipherSpec (TLS <= 1.2: the server's Finished and all that
 *   follows is encrypted) unless a HelloRetryRequest or TLS 1.3 ServerHello
 *   was seen (then the CCS is the RFC 8446 §D.4 compatibility dummy), and
 * - by itself after a ServerHello that negotiates TLS 1.3 (it parses the
 *   ServerHello's supported_versions; a HelloRetryRequest does not count).
 * The caller can also force it with setEncrypted(). From then on handshake
 * and application_data records come out as { kind: 'encrypted' }; alerts of
 * exactly 2 bytes are still reported as plaintext alerts (an encrypted alert
 * is always longer), and TLS 1.3 compatibility ChangeCipherSpecs as 'ccs'.
 *
 * Malformed framing throws WireError, after which the reader is spent: every
 * later push() throws the same error.
 */
import { WireError } from '../util/errors.js';
import { parseAlerts } from './alert.js';
import { ContentType, HandshakeType, MAX_PLAINTEXT_FRAGMENT } from './constants.js';
import { negotiatesTls13, parseServerHello } from './server-hello.js';

export type ServerEvent =
  | { kind: 'handshake'; type: number; body: Uint8Array; recordVersion: number }
  | { kind: 'alert'; level: number; description: number; name: string }
  | { kind: 'ccs' }
  | { kind: 'appdata'; length: number }
  | { kind: 'heartbeat'; length: number }
  /** fragment and recordVersion only with the keepEncrypted option. */
  | { kind: 'encrypted'; length: number; contentType: number; fragment?: Uint8Array; recordVersion?: number }
  | { kind: 'sslv2'; message: Uint8Array };

/**
 * The WireError thrown by ServerFlightReader.push(). `events` holds what the
 * same push() completed before the bad bytes (a valid ServerHello followed by
 * garbage in one TCP segment still tells the version and the suite).
 */
export class ServerFlightError extends WireError {
  override name = 'ServerFlightError';
  constructor(message: string, readonly events: ServerEvent[]) {
    super(message);
  }
}

export interface ServerFlightReaderOptions {
  /** Largest record fragment accepted; default 16384 + 2048 (RFC 5246 §6.2.3 TLSCiphertext bound). */
  maxRecordLength?: number;
  /** Largest handshake message accepted; default 256 KiB. */
  maxHandshakeLength?: number;
  /** Give 'encrypted' events the record's fragment and version (for a caller that holds the keys). */
  keepEncrypted?: boolean;
}

/** A growable byte queue with O(1) amortised append and consume. */
class ByteQueue {
  // Made on the first append, as large as it needs (a probe reads one flight: most are a few KB).
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;

  get length(): number { return this.end - this.start; }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.length;
      if (live + chunk.length <= this.buf.length / 2) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = Math.max(this.buf.length, 1024);
        while (cap < (live + chunk.length) * 2) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(this.start, this.end));
        this.buf = nb;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  byteAt(i: number): number { return this.buf[this.start + i]!; }

  /** Removes n bytes from the front and returns a copy of them. */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) { this.start = 0; this.end = 0; }
    return out;
  }
}

export class ServerFlightReader {
  /** True once the stream was recognised as SSL 2.0 (then push() yields 'sslv2' events). */
  sslv2 = false;
  private readonly maxRecord: number;
  private readonly maxHandshake: number;
  private readonly keepEncrypted: boolean;
  private readonly records = new ByteQueue();
  private readonly handshake = new ByteQueue();
  private handshakeRecordVersion = 0;
  private encrypted = false;
  /** A HelloRetryRequest or a TLS 1.3 ServerHello was seen: ChangeCipherSpec is then only the compatibility dummy. */
  private tls13 = false;
  private framingKnown = false;
  private failure: WireError | null = null;

  constructor(opts: ServerFlightReaderOptions = {}) {
    this.maxRecord = opts.maxRecordLength ?? MAX_PLAINTEXT_FRAGMENT + 2048;
    this.maxHandshake = opts.maxHandshakeLength ?? 256 * 1024;
    this.keepEncrypted = opts.keepEncrypted ?? false;
  }

  /** Bytes received but not yet returned as events (partial records and partial handshake messages). */
  get bufferedBytes(): number { return this.records.length + this.handshake.length; }

  /** True once records are treated as encrypted. */
  get isEncrypted(): boolean { return this.encrypted; }

  /** From now on, handshake and application data records are opaque ('encrypted' events). */
  setEncrypted(): void {
    this.encrypted = true;
  }

  /**
   * Feeds bytes from the socket; returns the events completed by them.
   * Throws ServerFlightError (a WireError) on malformed framing; its `events`
   * are the events this call completed before the fault.
   */
  push(chunk: Uint8Array): ServerEvent[] {
    if (this.failure) throw new ServerFlightError(`reader already failed: ${this.failure.message}`, []);
    const out: ServerEvent[] = [];
    try {
      this.records.append(chunk);
      this.drain(out);
      return out;
    } catch (e) {
      if (!(e instanceof WireError)) throw e; // a bug, not bad input: let tests see it
      this.failure = e;
      throw new ServerFlightError(e.message, out);
    }
  }

  private drain(out: ServerEvent[]): void {
    const q = this.records;
    for (;;) {
      if (!this.framingKnown) {
        if (q.length === 0) return;
        const b0 = q.byteAt(0);
        if (b0 & 0x80) {
          this.sslv2 = true;
        } else if (b0 < ContentType.change_cipher_spec) {
          // SSL 2.0 3-byte header: 2 bits flags, 14 bits length, then padding count.
          if (q.length < 3) return;
          const len = ((b0 & 0x3f) << 8) | q.byteAt(1);
          if (len === 0 || q.byteAt(2) > len) throw new WireError(`not a TLS or SSL 2.0 record (first byte 0x${b0.toString(16)})`);
          this.sslv2 = true;
        }
        this.framingKnown = true;
      }
      const ok = this.sslv2 ? this.nextSSLv2(out) : this.nextRecord(out);
      if (!ok) return;
    }
  }

  private nextSSLv2(out: ServerEvent[]): boolean {
    const q = this.records;
    if (q.length < 2) return false;
    const b0 = q.byteAt(0);
    const twoByte = (b0 & 0x80) !== 0;
    const headerLen = twoByte ? 2 : 3;
    const len = twoByte ? ((b0 & 0x7f) << 8) | q.byteAt(1) : ((b0 & 0x3f) << 8) | q.byteAt(1);
    if (len > this.maxRecord) throw new WireError(`SSL 2.0 record of ${len} bytes exceeds ${this.maxRecord}`);
    if (len === 0) throw new WireError('empty SSL 2.0 record');
    if (q.length < headerLen) return false;
    const padding = twoByte ? 0 : q.byteAt(2);
    if (padding > len) throw new WireError(`SSL 2.0 padding ${padding} longer than record ${len}`);
    if (q.length < headerLen + len) return false;
    q.take(headerLen);
    const data = q.take(len);
    out.push({ kind: 'sslv2', message: data.subarray(0, len - padding) });
    return true;
  }

  private nextRecord(out: ServerEvent[]): boolean {
    const q = this.records;
    if (q.length < 1) return false;
    const type = q.byteAt(0);
    if (type < ContentType.change_cipher_spec || type > ContentType.heartbeat) {
      throw new WireError(`unknown record content type ${type} (0x${type.toString(16)}): not a TLS record`);
    }
    if (q.length < 5) {
      if (q.length >= 2 && q.byteAt(1) !== 3) throw new WireError(`record version major ${q.byteAt(1)} is not 3`);
      return false;
    }
    const major = q.byteAt(1);
    if (major !== 3) throw new WireError(`record version major ${major} is not 3`);
    const version = (major << 8) | q.byteAt(2);
    const len = (q.byteAt(3) << 8) | q.byteAt(4);
    if (len > this.maxRecord) throw new WireError(`record of ${len} bytes exceeds the maximum ${this.maxRecord}`);
    if (q.length < 5 + len) {
      if (type === ContentType.handshake && !this.encrypted) this.peekHandshakeLength(q.length - 5);
      return false;
    }
    q.take(5);
    const frag = q.take(len);
    this.onRecord(type, version, frag, out);
    return true;
  }

  /**
   * Checks the length of the handshake message that starts in a record still
   * being received, so a hostile 16 MB length is refused without waiting for
   * the rest of the record.
   */
  private peekHandshakeLength(available: number): void {
    const h = this.handshake;
    if (h.length >= 4 || h.length + available < 4) return;
    const at = (i: number) => (i < h.length ? h.byteAt(i) : this.records.byteAt(5 + i - h.length));
    const len = (at(1) << 16) | (at(2) << 8) | at(3);
    if (len > this.maxHandshake) {
      throw new WireError(`handshake message type ${at(0)} of ${len} bytes exceeds the maximum ${this.maxHandshake}`);
    }
  }

  private onRecord(type: number, version: number, frag: Uint8Array, out: ServerEvent[]): void {
    switch (type) {
      case ContentType.change_cipher_spec:
        if (frag.length !== 1 || frag[0] !== 1) throw new WireError(`malformed ChangeCipherSpec (${frag.length} byte(s))`);
        if (this.handshake.length > 0) throw new WireError('ChangeCipherSpec inside an unfinished handshake message');
        out.push({ kind: 'ccs' });
        // TLS 1.3 (RFC 8446 §5 and §D.4): the compatibility CCS changes nothing; a
        // server sends it after a HelloRetryRequest too, and the next ServerHello
        // still comes in the clear.
        if (!this.tls13) this.encrypted = true;
        return;
      case ContentType.alert:
        if (this.encrypted && frag.length !== 2) {
          out.push(this.opaque(type, version, frag));
          return;
        }
        for (const a of parseAlerts(frag)) out.push({ kind: 'alert', ...a });
        return;
      case ContentType.handshake:
        if (this.encrypted) {
          out.push(this.opaque(type, version, frag));
          return;
        }
        this.onHandshakeFragment(version, frag, out);
        return;
      case ContentType.application_data:
        out.push(this.encrypted ? this.opaque(type, version, frag) : { kind: 'appdata', length: frag.length });
        return;
      default:
        out.push({ kind: 'heartbeat', length: frag.length });
        return;
    }
  }

  private opaque(contentType: number, recordVersion: number, frag: Uint8Array): ServerEvent {
    return this.keepEncrypted
      ? { kind: 'encrypted', length: frag.length, contentType, fragment: frag, recordVersion }
      : { kind: 'encrypted', length: frag.length, contentType };
  }

  private onHandshakeFragment(version: number, frag: Uint8Array, out: ServerEvent[]): void {
    const h = this.handshake;
    if (h.length === 0) this.handshakeRecordVersion = version;
    h.append(frag);
    while (h.length >= 4) {
      const type = h.byteAt(0);
      const len = (h.byteAt(1) << 16) | (h.byteAt(2) << 8) | h.byteAt(3);
      if (len > this.maxHandshake) {
        throw new WireError(`handshake message type ${type} of ${len} bytes exceeds the maximum ${this.maxHandshake}`);
      }
      if (h.length < 4 + len) return;
      h.take(4);
      const body = h.take(len);
      out.push({ kind: 'handshake', type, body, recordVersion: this.handshakeRecordVersion });
      this.handshakeRecordVersion = version;
      if (type === HandshakeType.server_hello) {
        const kind = this.serverHelloKind(body);
        if (kind !== 'legacy') this.tls13 = true;
        if (kind === 'tls13') {
          if (h.length > 0) throw new WireError('handshake data after a TLS 1.3 ServerHello in the same record');
          this.encrypted = true;
          return;
        }
      }
    }
  }

  private serverHelloKind(body: Uint8Array): 'tls13' | 'hrr' | 'legacy' {
    try {
      const sh = parseServerHello(body);
      if (sh.isHelloRetryRequest) return 'hrr';
      return negotiatesTls13(sh) ? 'tls13' : 'legacy';
    } catch (e) {
      if (e instanceof WireError) return 'legacy'; // the caller's own parseServerHello reports it
      throw e;
    }
  }
}
