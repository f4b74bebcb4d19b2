/**
 * What an OpenSSL session (node:tls's `session` event: i2d_SSL_SESSION, the
 * SSL_SESSION_ASN1 sequence of OpenSSL's ssl/ssl_asn1.c) says that Node does
 * not otherwise expose: the ticket's lifetime hint ([9]), whether a ticket
 * came ([10]) and, for TLS 1.3, the early data the server will take with it
 * ([15] max_early_data, from the NewSessionTicket's early_data extension,
 * RFC 8446 section 4.6.1). A small DER walk, bounded by the input; anything
 * malformed gives no facts rather than an exception.
 */
export interface SessionFacts {
  /** The protocol version in the session (0x0304: TLS 1.3). */
  version?: number;
  /** A session ticket came with the session. */
  ticket: boolean;
  /** The ticket's lifetime hint, seconds. */
  lifetimeSeconds?: number;
  /** max_early_data_size of the ticket: above 0, the server takes 0-RTT data on resumption. */
  maxEarlyData?: number;
}

interface Tlv { tag: number; start: number; end: number }

/** The TLV at `at`, within `limit`; undefined when it does not fit. */
function tlv(b: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  return start + len <= limit ? { tag, start, end: start + len } : undefined;
}

/** An unsigned INTEGER's value (up to 2^53), or undefined. */
function uint(b: Uint8Array, t: Tlv | undefined): number | undefined {
  if (!t || t.tag !== 0x02 || t.end - t.start < 1 || t.end - t.start > 7) return undefined;
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + b[i]!;
  return v;
}

export function sessionFacts(der: Uint8Array): SessionFacts {
  const facts: SessionFacts = { ticket: false };
  const seq = tlv(der, 0, der.length);
  if (!seq || seq.tag !== 0x30) return facts;
  let at = seq.start;
  for (let field = 0; at < seq.end; field++) {
    const t = tlv(der, at, seq.end);
    if (!t) return facts;
    at = t.end;
    // The second universal field is ssl_version; context-specific [n] fields are EXPLICIT.
    if (field === 1 && t.tag === 0x02) facts.version = uint(der, t);
    const explicit = t.tag >= 0xa0 && t.tag <= 0xbf ? t.tag - 0xa0 : -1;
    if (explicit === 9) facts.lifetimeSeconds = uint(der, tlv(der, t.start, t.end));
    else if (explicit === 10) facts.ticket = true;
    else if (explicit === 15) facts.maxEarlyData = uint(der, tlv(der, t.start, t.end));
  }
  return facts;
}
