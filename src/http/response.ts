/**
 * The little of HTTP/1.x the scan reads: the head of a response (status
 * line and header fields, RFC 9112 sections 4 and 5) and the
 * Strict-Transport-Security policy (RFC 6797 section 6.1). Pure: bytes and
 * strings in, values or a typed error out.
 */

/** A response head that cannot be read as HTTP/1.x. */
export class HttpHeadError extends Error {}

export interface ResponseHead {
  /** "HTTP/1.1" */
  version: string;
  status: number;
  reason: string;
  /** Header fields in the order sent; names in lower case. */
  fields: { name: string; value: string }[];
}

/** The most a response head may take before the scan gives up on it, bytes. */
export const MAX_HEAD_BYTES = 32 * 1024;

/**
 * Collects a response's bytes until the empty line that ends its head.
 * `push` returns the head once it is complete, undefined while more is
 * needed, and throws HttpHeadError for what is not an HTTP/1.x response or
 * a head longer than MAX_HEAD_BYTES.
 */
export class ResponseHeadReader {
  private buf = Buffer.alloc(0);

  push(chunk: Uint8Array): ResponseHead | undefined {
    this.buf = Buffer.concat([this.buf, chunk]);
    // The status line is checked as soon as its first bytes are in: a service that is no HTTP server is told at once.
    const start = this.buf.subarray(0, 5).toString('latin1');
    if (!'HTTP/'.startsWith(start)) throw new HttpHeadError(`not an HTTP answer: ${firstLine(this.buf)}`);
    const end = this.buf.indexOf('\r\n\r\n');
    const lfEnd = this.buf.indexOf('\n\n');
    const at = end >= 0 ? end : lfEnd;
    if (at < 0) {
      if (this.buf.length > MAX_HEAD_BYTES) throw new HttpHeadError(`the response head is longer than ${MAX_HEAD_BYTES} bytes`);
      return undefined;
    }
    if (at > MAX_HEAD_BYTES) throw new HttpHeadError(`the response head is longer than ${MAX_HEAD_BYTES} bytes`);
    return parseResponseHead(this.buf.subarray(0, at).toString('latin1'));
  }
}

/** The first line of what came, printable and short, for an error message. */
function firstLine(b: Buffer): string {
  const line = b.subarray(0, 80).toString('latin1').split(/\r?\n/)[0]!;
  return JSON.stringify(line.replace(/[^\x20-\x7e]/g, '.'));
}

/** A response head without its final empty line: status line, then fields (obs-fold lines join the field before). */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split(/\r?\n/);
  const m = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!m) throw new HttpHeadError(`not an HTTP status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const fields: { name: string; value: string }[] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]!.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    // A line that is no field is skipped, as clients do (RFC 9112 section 5 lets a recipient reject or ignore it).
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon))) continue;
    fields.push({ name: line.slice(0, colon).toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return { version: m[1]!, status: Number(m[2]), reason: m[3] ?? '', fields };
}

/** The first value of a field, by lower-case name. */
export function field(head: ResponseHead, name: string): string | undefined {
  return head.fields.find((f) => f.name === name)?.value;
}

/**
 * The directives of a Strict-Transport-Security or Public-Key-Pins value
 * (RFC 6797 section 6.1, RFC 7469 section 2.1, the same grammar): separated
 * by ";", names case-insensitive (returned in lower case), values bare or
 * quoted (returned unquoted), each name at most once but those in
 * `repeatable`; a string when the value breaks these rules (the reason).
 */
function directives(header: string, repeatable: readonly string[] = []): { name: string; value: string | undefined }[] | string {
  const out: { name: string; value: string | undefined }[] = [];
  for (const raw of header.split(';')) {
    const directive = raw.trim();
    if (!directive) continue;
    const eq = directive.indexOf('=');
    const name = (eq < 0 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? undefined : directive.slice(eq + 1).trim();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return `"${name}" is not a directive name`;
    if (!repeatable.includes(name) && out.some((d) => d.name === name)) return `the ${name} directive appears more than once`;
    if (value !== undefined && value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) return `the ${name} value ${value} has no closing quote`;
      value = value.slice(1, -1);
    }
    out.push({ name, value });
  }
  return out;
}

/** The max-age and includeSubDomains both headers have, or the reason they break the grammar. */
function ageAndScope(list: { name: string; value: string | undefined }[]): { maxAge: number | null; includeSubDomains: boolean } | string {
  let maxAge: number | null = null;
  let includeSubDomains = false;
  for (const { name, value } of list) {
    if (name === 'max-age') {
      // Large values stay large (a client caps them); digits past 2^53 are no concern here.
      if (value === undefined || !/^\d+$/.test(value)) return `max-age must be a number of seconds, not ${value === undefined ? 'missing' : JSON.stringify(value)}`;
      maxAge = Number(value);
    } else if (name === 'includesubdomains') {
      if (value !== undefined) return 'includeSubDomains takes no value';
      includeSubDomains = true;
    }
  }
  return { maxAge, includeSubDomains };
}

export interface HstsPolicy {
  /** The header as sent (the first one: RFC 6797 section 8.1 has a client read only that). */
  header: string;
  /** max-age in seconds; null when the header is invalid. */
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
  /** Why a client ignores the header (RFC 6797 section 6.1); absent when it is valid. */
  invalid?: string;
}

/**
 * A Strict-Transport-Security value as a client reads it (RFC 6797 section
 * 6.1): directives separated by ";", names case-insensitive, each at most
 * once, max-age required, as delta-seconds or a quoted string of them;
 * unknown directives ignored. An invalid header is ignored by clients: it
 * comes back with maxAge null and the reason in `invalid`.
 */
export function parseHsts(header: string): HstsPolicy {
  const bad = (invalid: string): HstsPolicy => ({ header, maxAge: null, includeSubDomains: false, preload: false, invalid });
  const list = directives(header);
  if (typeof list === 'string') return bad(list);
  const common = ageAndScope(list);
  if (typeof common === 'string') return bad(common);
  if (common.maxAge === null) return bad('the required max-age directive is missing');
  return { header, maxAge: common.maxAge, includeSubDomains: common.includeSubDomains, preload: list.some((d) => d.name === 'preload') };
}

/** 180 days, in seconds: the least max-age SSL Labs counts for A+ (and the least worth having, by its rating guide). */
export const HSTS_LONG_SECONDS = 180 * 24 * 3600;

export interface HpkpPolicy {
  /** The header as sent (the first one). */
  header: string;
  /** Public-Key-Pins-Report-Only: the client only reports a mismatch. */
  reportOnly: boolean;
  /** max-age in seconds; null when the header is invalid. */
  maxAge: number | null;
  /** The pin-sha256 values (base64 SHA-256 of a SubjectPublicKeyInfo), in order. */
  pins: string[];
  includeSubDomains: boolean;
  /** Why a client ignores the header (RFC 7469 section 2.1); absent when it is valid. */
  invalid?: string;
}

/**
 * A Public-Key-Pins (or -Report-Only) value (RFC 7469 section 2.1):
 * pin-sha256="base64" directives, as many as there are pins; max-age
 * required (Report-Only: optional); includeSubDomains and report-uri at most
 * once; other pin-* algorithms and unknown directives ignored.
 */
export function parseHpkp(header: string, reportOnly = false): HpkpPolicy {
  const pins: string[] = [];
  const bad = (invalid: string): HpkpPolicy => ({ header, reportOnly, maxAge: null, pins, includeSubDomains: false, invalid });
  const list = directives(header, ['pin-sha256']);
  if (typeof list === 'string') return bad(list);
  for (const { name, value } of list) {
    if (name !== 'pin-sha256') continue;
    if (value === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(value)) return bad(`a pin-sha256 value must be the base64 of 32 bytes, not ${value === undefined ? 'missing' : JSON.stringify(value)}`);
    pins.push(value);
  }
  const common = ageAndScope(list);
  if (typeof common === 'string') return bad(common);
  if (!pins.length) return bad('it has no pin-sha256 directive');
  if (common.maxAge === null && !reportOnly) return bad('the required max-age directive is missing');
  return { header, reportOnly, maxAge: common.maxAge ?? 0, pins, includeSubDomains: common.includeSubDomains };
}
