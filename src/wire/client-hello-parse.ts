/**
 * ClientHello parser: bytes a client sent (a TLS record stream, a bare
 * handshake message, or an SSLv2-compatible CLIENT-HELLO) → typed structure.
 *
 * Pure: no I/O, no clocks. Hostile input is normal input: every failure is a
 * WireError with a message that says what was wrong, and the size of what is
 * accepted is capped (a real ClientHello is a few KiB even with post-quantum
 * key shares).
 *
 * Formats: RFC 8446 §4.1.2 (ClientHello), RFC 5246 §6.2 (records), RFC 6101
 * appendix E / RFC 5246 appendix E.2 (SSLv2-compatible CLIENT-HELLO), RFC 8701
 * (GREASE), RFC 6066 (server_name), RFC 8422 (supported_groups,
 * ec_point_formats), RFC 7301 (ALPN).
 */
import { ByteReader } from './bytes.js';
import { WireError } from '../util/errors.js';
import { isGrease } from '../registry/grease.js';

/** Largest ClientHello handshake message accepted (body + 4-byte header). */
export const MAX_CLIENT_HELLO_BYTES = 64 * 1024;

/** RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa (the registry's definition). */
export { isGrease };

export interface ClientHelloExtension {
  type: number;
  grease: boolean;
  /** Extension body, lower-case hex. */
  data: string;
  length: number;
}

export interface ParsedClientHello {
  /** How the hello arrived: TLS records, a bare handshake message, or SSLv2-compatible. */
  format: 'tls-record' | 'handshake' | 'sslv2';
  /** Version in the (first) record header; absent for a bare handshake message. */
  recordVersion?: number;
  /** client_version / legacy_version of the hello (0x0002 for SSLv2 itself). */
  legacyVersion: number;
  /** 32 bytes (TLS) or the SSLv2 challenge, hex. */
  random: string;
  sessionId: string;
  /** Cipher suites in order, GREASE values included (isGrease tells them apart). */
  cipherSuites: number[];
  /** SSLv2-only cipher kinds (3-byte codes that are not TLS suites), in order. */
  sslv2CipherKinds: number[];
  compressionMethods: number[];
  /** Extensions in the order sent (empty when the hello has no extensions block). */
  extensions: ClientHelloExtension[];
  /** True when the extensions block is present at all (even empty). */
  hasExtensionsBlock: boolean;
  serverName?: string;
  supportedGroups?: number[];
  ecPointFormats?: number[];
  signatureAlgorithms?: number[];
  signatureAlgorithmsCert?: number[];
  supportedVersions?: number[];
  keyShareGroups?: number[];
  alpn?: string[];
  pskKeyExchangeModes?: number[];
  /** Total bytes of the handshake message (header included). */
  handshakeLength: number;
}

export const EXT = {
  server_name: 0x0000,
  status_request: 0x0005,
  supported_groups: 0x000a,
  ec_point_formats: 0x000b,
  signature_algorithms: 0x000d,
  alpn: 0x0010,
  padding: 0x0015,
  extended_master_secret: 0x0017,
  session_ticket: 0x0023,
  pre_shared_key: 0x0029,
  supported_versions: 0x002b,
  psk_key_exchange_modes: 0x002d,
  signature_algorithms_cert: 0x0032,
  key_share: 0x0033,
  renegotiation_info: 0xff01,
} as const;

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function u16List(r: ByteReader, what: string): number[] {
  if (r.remaining % 2 !== 0) throw new WireError(`${what}: odd length ${r.remaining}`);
  const out: number[] = [];
  while (!r.done) out.push(r.u16(what));
  return out;
}

function u8List(r: ByteReader, what: string): number[] {
  const out: number[] = [];
  while (!r.done) out.push(r.u8(what));
  return out;
}

/** Parses the known extension bodies into the hello; unknown ones are kept raw only. */
function parseExtensionBody(h: ParsedClientHello, type: number, body: Uint8Array): void {
  const r = new ByteReader(body);
  switch (type) {
    case EXT.server_name: {
      if (r.done) return; // empty server_name is legal in a ServerHello; tolerate it here
      const list = r.vector(2, 'server_name list');
      r.expectEnd('server_name');
      while (!list.done) {
        const kind = list.u8('server_name type');
        const name = list.vector(2, 'server_name host_name');
        if (kind === 0 && h.serverName === undefined) {
          h.serverName = Buffer.from(name.bytes(name.remaining)).toString('latin1');
        }
      }
      return;
    }
    case EXT.supported_groups: {
      h.supportedGroups = u16List(r.vector(2, 'supported_groups'), 'supported_groups');
      r.expectEnd('supported_groups');
      return;
    }
    case EXT.ec_point_formats: {
      h.ecPointFormats = u8List(r.vector(1, 'ec_point_formats'), 'ec_point_formats');
      r.expectEnd('ec_point_formats');
      return;
    }
    case EXT.signature_algorithms: {
      h.signatureAlgorithms = u16List(r.vector(2, 'signature_algorithms'), 'signature_algorithms');
      r.expectEnd('signature_algorithms');
      return;
    }
    case EXT.signature_algorithms_cert: {
      h.signatureAlgorithmsCert = u16List(r.vector(2, 'signature_algorithms_cert'), 'signature_algorithms_cert');
      r.expectEnd('signature_algorithms_cert');
      return;
    }
    case EXT.supported_versions: {
      h.supportedVersions = u16List(r.vector(1, 'supported_versions'), 'supported_versions');
      r.expectEnd('supported_versions');
      return;
    }
    case EXT.key_share: {
      const list = r.vector(2, 'key_share list');
      r.expectEnd('key_share');
      const groups: number[] = [];
      while (!list.done) {
        groups.push(list.u16('key_share group'));
        list.vector(2, 'key_share key_exchange');
      }
      h.keyShareGroups = groups;
      return;
    }
    case EXT.alpn: {
      const list = r.vector(2, 'alpn list');
      r.expectEnd('alpn');
      const names: string[] = [];
      while (!list.done) {
        const p = list.vector(1, 'alpn protocol');
        names.push(Buffer.from(p.bytes(p.remaining)).toString('latin1'));
      }
      h.alpn = names;
      return;
    }
    case EXT.psk_key_exchange_modes: {
      h.pskKeyExchangeModes = u8List(r.vector(1, 'psk_key_exchange_modes'), 'psk_key_exchange_modes');
      r.expectEnd('psk_key_exchange_modes');
      return;
    }
    default:
      return;
  }
}

/** Parses a ClientHello body (after the 4-byte handshake header). */
export function parseClientHelloBody(body: Uint8Array, format: ParsedClientHello['format'] = 'handshake', recordVersion?: number): ParsedClientHello {
  if (body.length + 4 > MAX_CLIENT_HELLO_BYTES) {
    throw new WireError(`ClientHello of ${body.length + 4} bytes exceeds the ${MAX_CLIENT_HELLO_BYTES}-byte limit`);
  }
  const r = new ByteReader(body);
  const legacyVersion = r.u16('client_version');
  const random = hex(r.bytes(32, 'random'));
  const sid = r.vector(1, 'session_id');
  if (sid.remaining > 32) throw new WireError(`session_id of ${sid.remaining} bytes (max 32)`);
  const sessionId = hex(sid.bytes(sid.remaining));
  const suitesR = r.vector(2, 'cipher_suites');
  if (suitesR.remaining === 0) throw new WireError('empty cipher_suites');
  const cipherSuites = u16List(suitesR, 'cipher_suites');
  const compR = r.vector(1, 'compression_methods');
  if (compR.remaining === 0) throw new WireError('empty compression_methods');
  const compressionMethods = u8List(compR, 'compression_methods');
  const h: ParsedClientHello = {
    format, legacyVersion, random, sessionId, cipherSuites, sslv2CipherKinds: [], compressionMethods,
    extensions: [], hasExtensionsBlock: false, handshakeLength: body.length + 4,
  };
  if (recordVersion !== undefined) h.recordVersion = recordVersion;
  if (!r.done) {
    h.hasExtensionsBlock = true;
    const extR = r.vector(2, 'extensions');
    r.expectEnd('ClientHello');
    const seen = new Set<number>();
    while (!extR.done) {
      const type = extR.u16('extension type');
      const len = extR.u16('extension length');
      const data = extR.bytes(len, `extension 0x${type.toString(16).padStart(4, '0')} body`);
      if (seen.has(type)) throw new WireError(`duplicate extension 0x${type.toString(16).padStart(4, '0')}`);
      seen.add(type);
      h.extensions.push({ type, grease: isGrease(type), data: hex(data), length: len });
      parseExtensionBody(h, type, data);
    }
  }
  return h;
}

/** Parses a bare handshake message: type 1, u24 length, body. */
export function parseHandshakeClientHello(msg: Uint8Array, format: ParsedClientHello['format'] = 'handshake', recordVersion?: number): ParsedClientHello {
  const r = new ByteReader(msg);
  const type = r.u8('handshake type');
  if (type !== 1) throw new WireError(`handshake type ${type} is not ClientHello (1)`);
  const len = r.u24('handshake length');
  if (len + 4 > MAX_CLIENT_HELLO_BYTES) {
    throw new WireError(`ClientHello of ${len + 4} bytes exceeds the ${MAX_CLIENT_HELLO_BYTES}-byte limit`);
  }
  const body = r.bytes(len, 'ClientHello body');
  return parseClientHelloBody(body, format, recordVersion);
}

/** Largest TLSPlaintext fragment (RFC 5246 §6.2.1: 2^14). */
const MAX_RECORD_FRAGMENT = 16384;

export interface HelloFrame {
  /** Bytes of the input that hold the whole hello (records or SSLv2 message). */
  end: number;
  /** The handshake message reassembled from records (TLS) or the SSLv2 message body. */
  message: Uint8Array;
  format: 'tls-record' | 'sslv2';
  recordVersion?: number;
}

function looksLikeSSLv2(buf: Uint8Array): boolean {
  return buf.length >= 1 && (buf[0]! & 0x80) !== 0;
}

/**
 * Frames a ClientHello at the start of a byte stream: returns the frame when
 * all of it has arrived, null when more bytes are needed, and throws WireError
 * as soon as the bytes cannot be a ClientHello (wrong record type, absurd
 * lengths, a hello larger than MAX_CLIENT_HELLO_BYTES). A server calls this on
 * each chunk it reads.
 */
export function frameClientHello(buf: Uint8Array): HelloFrame | null {
  if (buf.length === 0) return null;
  if (looksLikeSSLv2(buf)) {
    if (buf.length < 3) return null;
    const len = ((buf[0]! & 0x7f) << 8) | buf[1]!;
    if (buf[2] !== 1) throw new WireError(`SSLv2 message type ${buf[2]} is not CLIENT-HELLO (1)`);
    if (len < 9) throw new WireError(`SSLv2 CLIENT-HELLO length ${len} too short`);
    if (buf.length < 2 + len) return null;
    return { end: 2 + len, message: buf.subarray(2, 2 + len), format: 'sslv2' };
  }
  if (buf[0] !== 22) {
    throw new WireError(`record type ${buf[0]} is not handshake (22)${buf[0] === 0x47 || buf[0] === 0x50 ? ': plain HTTP sent to a TLS port?' : ''}`);
  }
  let pos = 0;
  const parts: Uint8Array[] = [];
  let have = 0;
  let need = -1; // handshake message length incl. header, once known
  let recordVersion: number | undefined;
  while (need < 0 || have < need) {
    if (buf.length < pos + 5) return null;
    const type = buf[pos]!;
    if (type !== 22) throw new WireError(`record type ${type} inside the ClientHello (expected handshake, 22)`);
    const major = buf[pos + 1]!;
    if (major !== 3) throw new WireError(`record version ${major}.${buf[pos + 2]} is not SSL 3.0/TLS`);
    recordVersion ??= (buf[pos + 1]! << 8) | buf[pos + 2]!;
    const len = (buf[pos + 3]! << 8) | buf[pos + 4]!;
    if (len === 0) throw new WireError('empty handshake record');
    if (len > MAX_RECORD_FRAGMENT) throw new WireError(`record of ${len} bytes exceeds 2^14`);
    if (buf.length < pos + 5 + len) return null;
    parts.push(buf.subarray(pos + 5, pos + 5 + len));
    have += len;
    pos += 5 + len;
    if (need < 0 && have >= 4) {
      const first = Buffer.concat(parts);
      if (first[0] !== 1) throw new WireError(`handshake type ${first[0]} is not ClientHello (1)`);
      const hlen = (first[1]! << 16) | (first[2]! << 8) | first[3]!;
      need = hlen + 4;
      if (need > MAX_CLIENT_HELLO_BYTES) {
        throw new WireError(`ClientHello of ${need} bytes exceeds the ${MAX_CLIENT_HELLO_BYTES}-byte limit`);
      }
    }
  }
  const all = Buffer.concat(parts);
  if (all.length !== need) {
    throw new WireError(`${all.length - need} byte(s) after the ClientHello in its last record`);
  }
  return { end: pos, message: new Uint8Array(all.buffer, all.byteOffset, all.length), format: 'tls-record', recordVersion };
}

/** SSLv2 CLIENT-HELLO (RFC 5246 appendix E.2): the message after the 2-byte record header. */
export function parseSSLv2ClientHello(msg: Uint8Array): ParsedClientHello {
  const r = new ByteReader(msg);
  const type = r.u8('SSLv2 message type');
  if (type !== 1) throw new WireError(`SSLv2 message type ${type} is not CLIENT-HELLO (1)`);
  const legacyVersion = r.u16('SSLv2 version');
  const specLen = r.u16('cipher_spec_length');
  const sidLen = r.u16('session_id_length');
  const chLen = r.u16('challenge_length');
  if (specLen === 0 || specLen % 3 !== 0) throw new WireError(`cipher_spec_length ${specLen} is not a positive multiple of 3`);
  if (sidLen !== 0 && sidLen !== 16 && sidLen !== 32) throw new WireError(`SSLv2 session_id_length ${sidLen} (must be 0, 16 or 32)`);
  if (chLen < 16 || chLen > 32) throw new WireError(`SSLv2 challenge_length ${chLen} (must be 16..32)`);
  const specs = r.bytes(specLen, 'cipher_specs');
  const sid = r.bytes(sidLen, 'session_id');
  const challenge = r.bytes(chLen, 'challenge');
  r.expectEnd('SSLv2 CLIENT-HELLO');
  const cipherSuites: number[] = [];
  const kinds: number[] = [];
  for (let i = 0; i < specs.length; i += 3) {
    const v = (specs[i]! << 16) | (specs[i + 1]! << 8) | specs[i + 2]!;
    if (specs[i] === 0) cipherSuites.push(v & 0xffff); else kinds.push(v);
  }
  return {
    format: 'sslv2', legacyVersion, random: hex(challenge), sessionId: hex(sid), cipherSuites,
    sslv2CipherKinds: kinds, compressionMethods: [0], extensions: [], hasExtensionsBlock: false,
    handshakeLength: msg.length,
  };
}

/**
 * Parses a ClientHello from whatever a capture holds: TLS records (0x16 ...),
 * an SSLv2-compatible hello (high bit set), or a bare handshake message (0x01 ...).
 * Trailing bytes after a complete record-framed hello are ignored (the client's
 * next flight may follow it in a capture).
 */
export function parseClientHello(bytes: Uint8Array): ParsedClientHello {
  if (bytes.length === 0) throw new WireError('no bytes');
  if (bytes[0] === 1) return parseHandshakeClientHello(bytes, 'handshake');
  const frame = frameClientHello(bytes);
  if (!frame) throw new WireError(`truncated ClientHello: ${bytes.length} byte(s) do not hold a complete hello`);
  if (frame.format === 'sslv2') return parseSSLv2ClientHello(frame.message);
  return parseHandshakeClientHello(frame.message, 'tls-record', frame.recordVersion);
}

/**
 * Reads a captured hello from file contents: raw bytes; hex text (whitespace,
 * colons, commas, "0x" prefixes tolerated); or a hex dump with offsets as
 * Wireshark ("Copy as Hex Dump"), `hexdump -C` and `xxd` print it (offset,
 * bytes, ASCII column).
 */
export function decodeHelloInput(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new WireError('empty input');
  const text = Buffer.from(data).toString('latin1');
  if (!/^[\x09\x0a\x0d\x20-\x7e]*$/.test(text)) return data; // binary: the bytes themselves
  const dump = decodeHexDump(text);
  if (dump) return dump;
  if (/^[\s0-9a-fA-FxX:,.\-]*$/.test(text)) {
    const cleaned = text.replace(/0x/gi, '').replace(/[\s:,.\-]/g, '');
    if (cleaned.length === 0) throw new WireError('no hex digits in input');
    if (/[^0-9a-fA-F]/.test(cleaned)) throw new WireError('input looks like hex but has non-hex characters');
    if (cleaned.length % 2 !== 0) throw new WireError(`odd number of hex digits (${cleaned.length})`);
    return new Uint8Array(Buffer.from(cleaned, 'hex'));
  }
  throw new WireError('input is text but neither hex nor a hex dump');
}

const OFFSET = /^\s*([0-9a-fA-F]{4,8}):?(?=\s|$)/;

/**
 * A hex dump with offsets, or null when the text is not one. `hexdump -C`
 * prints "*" for repeated lines; the next offset says how many bytes repeat.
 */
function decodeHexDump(text: string): Uint8Array | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return null;
  const isDumpLine = (l: string) => l.trim() === '*' || (OFFSET.test(l) && (/^\s*[0-9a-fA-F]{4,8}:?\s*$/.test(l) || /\s{2,}|\|/.test(l.replace(OFFSET, '').trim())));
  if (!lines.every(isDumpLine) || !lines.some((l) => /\s{2,}|\|/.test(l.replace(OFFSET, '').trim()))) return null;
  const out: number[] = [];
  let last: number[] = [];
  let repeat = false;
  for (const line of lines) {
    if (line.trim() === '*') { repeat = true; continue; }
    const offset = parseInt(OFFSET.exec(line)![1]!, 16);
    if (offset > out.length) {
      if (!repeat || last.length === 0) throw new WireError(`hex dump: bytes missing before offset 0x${offset.toString(16)}`);
      if (offset - out.length > MAX_CLIENT_HELLO_BYTES * 2) throw new WireError('hex dump: repeated run too long for a ClientHello');
      while (out.length < offset) out.push(...last.slice(0, offset - out.length));
    } else if (offset < out.length) {
      throw new WireError(`hex dump: offset 0x${offset.toString(16)} goes backwards`);
    }
    repeat = false;
    const body = line.replace(OFFSET, '').split('|')[0]!.split(/\s{3,}/).find((p) => p.trim() !== '') ?? '';
    const bytes: number[] = [];
    for (const tok of body.trim().split(/\s+/)) {
      if (tok === '' || !/^([0-9a-fA-F]{2}){1,2}$/.test(tok) || bytes.length >= 16) break;
      for (let i = 0; i < tok.length; i += 2) bytes.push(parseInt(tok.slice(i, i + 2), 16));
    }
    if (bytes.length > 0) { out.push(...bytes); last = bytes; }
  }
  return out.length > 0 ? Uint8Array.from(out) : null;
}
