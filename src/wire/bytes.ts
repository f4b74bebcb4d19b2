import { WireError } from '../util/errors.js';

/**
 * A bounds-checked reader over a byte buffer. Every read past the end throws
 * WireError, so parsers can be written straight-line and still never read
 * garbage or throw anything but WireError on hostile input.
 */
export class ByteReader {
  private pos = 0;
  constructor(readonly buf: Uint8Array, private readonly end = buf.length) {
    if (end > buf.length) throw new WireError('reader end past buffer');
  }

  get offset(): number { return this.pos; }
  get remaining(): number { return this.end - this.pos; }
  get done(): boolean { return this.pos >= this.end; }

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new WireError(`truncated ${what}: need ${n} byte(s), have ${this.end - this.pos}`);
    }
  }

  u8(what = 'u8'): number { this.need(1, what); return this.buf[this.pos++]!; }
  u16(what = 'u16'): number { this.need(2, what); const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!; this.pos += 2; return v; }
  u24(what = 'u24'): number {
    this.need(3, what);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3; return v;
  }
  u32(what = 'u32'): number { this.need(4, what); const v = ((this.buf[this.pos]! << 24) >>> 0) + ((this.buf[this.pos + 1]! << 16) | (this.buf[this.pos + 2]! << 8) | this.buf[this.pos + 3]!); this.pos += 4; return v; }
  bytes(n: number, what = 'bytes'): Uint8Array { this.need(n, what); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  skip(n: number, what = 'bytes'): void { this.need(n, what); this.pos += n; }

  /** A length-prefixed vector (prefix of 1, 2 or 3 bytes); returns a reader limited to it. */
  vector(lenBytes: 1 | 2 | 3, what = 'vector'): ByteReader {
    const len = lenBytes === 1 ? this.u8(what) : lenBytes === 2 ? this.u16(what) : this.u24(what);
    this.need(len, what);
    const sub = new ByteReader(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return sub;
  }

  /** Throws when bytes are left over: a length field that lies is malformed input. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) throw new WireError(`${this.end - this.pos} trailing byte(s) in ${what}`);
  }
}

/**
 * A growable byte writer with length-prefixed sub-vectors. Vectors reserve
 * their length field and patch it when the body is done, so nothing is
 * copied twice (a scan builds hundreds of ClientHellos).
 */
export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  /** `capacity`: the bytes to start with (it grows as needed); the exact size, when known, saves a copy. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(1, capacity));
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): this { this.ensure(1); this.buf[this.pos++] = v & 0xff; return this; }
  u16(v: number): this { this.ensure(2); this.buf[this.pos++] = (v >>> 8) & 0xff; this.buf[this.pos++] = v & 0xff; return this; }
  u24(v: number): this { this.ensure(3); this.buf[this.pos++] = (v >>> 16) & 0xff; this.buf[this.pos++] = (v >>> 8) & 0xff; this.buf[this.pos++] = v & 0xff; return this; }
  u32(v: number): this { this.ensure(4); this.buf[this.pos++] = (v >>> 24) & 0xff; this.buf[this.pos++] = (v >>> 16) & 0xff; this.buf[this.pos++] = (v >>> 8) & 0xff; this.buf[this.pos++] = v & 0xff; return this; }
  bytes(b: Uint8Array | readonly number[]): this {
    this.ensure(b.length);
    if (b instanceof Uint8Array) { this.buf.set(b, this.pos); this.pos += b.length; }
    else for (const x of b) this.buf[this.pos++] = x & 0xff;
    return this;
  }

  /** Writes a vector whose body is produced by fn, prefixed with its length in lenBytes bytes. */
  vector(lenBytes: 1 | 2 | 3, fn: (w: ByteWriter) => void): this {
    const max = lenBytes === 1 ? 0xff : lenBytes === 2 ? 0xffff : 0xffffff;
    this.ensure(lenBytes);
    const at = this.pos;
    this.pos += lenBytes;
    fn(this);
    const len = this.pos - at - lenBytes;
    if (len > max) throw new RangeError(`vector of ${len} bytes does not fit a ${lenBytes}-byte length`);
    for (let i = lenBytes - 1, v = len; i >= 0; i--, v >>>= 8) this.buf[at + i] = v & 0xff;
    return this;
  }

  get length(): number { return this.pos; }
  /** The bytes written (the writer's own buffer when it was sized exactly: write nothing more after). */
  finish(): Uint8Array { return this.pos === this.buf.length ? this.buf : this.buf.slice(0, this.pos); }
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
