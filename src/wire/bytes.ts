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

/** A growable byte writer with length-prefixed sub-vectors. */
export class ByteWriter {
  private chunks: number[] = [];

  u8(v: number): this { this.chunks.push(v & 0xff); return this; }
  u16(v: number): this { this.chunks.push((v >>> 8) & 0xff, v & 0xff); return this; }
  u24(v: number): this { this.chunks.push((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); return this; }
  u32(v: number): this { this.chunks.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); return this; }
  bytes(b: Uint8Array | readonly number[]): this { for (const x of b) this.chunks.push(x & 0xff); return this; }

  /** Writes a vector whose body is produced by fn, prefixed with its length in lenBytes bytes. */
  vector(lenBytes: 1 | 2 | 3, fn: (w: ByteWriter) => void): this {
    const inner = new ByteWriter();
    fn(inner);
    const body = inner.finish();
    const max = lenBytes === 1 ? 0xff : lenBytes === 2 ? 0xffff : 0xffffff;
    if (body.length > max) throw new RangeError(`vector of ${body.length} bytes does not fit a ${lenBytes}-byte length`);
    if (lenBytes === 1) this.u8(body.length); else if (lenBytes === 2) this.u16(body.length); else this.u24(body.length);
    return this.bytes(body);
  }

  get length(): number { return this.chunks.length; }
  finish(): Uint8Array { return Uint8Array.from(this.chunks); }
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
