/**
 * STARTTLS preambles: the plain-text (or, for PostgreSQL, binary) exchange
 * that turns a connection to a mail, file or database server into a TLS
 * one, before the ClientHello. Pure: fed the server's bytes, it says what to
 * send next and when TLS may start; the probe (net/probe.ts) and the TLS 1.3
 * certificate reader (net/tls13-chain.ts) drive it.
 *
 * - SMTP (RFC 3207): 220 greeting, EHLO, a 250 reply that lists STARTTLS,
 *   STARTTLS, 220.
 * - IMAP (RFC 3501 §6.2.1): "* OK" greeting, "a1 STARTTLS", "a1 OK".
 * - POP3 (RFC 2595 §4): "+OK" greeting, "STLS", "+OK".
 * - FTP (RFC 4217 §4): 220 greeting, "AUTH TLS", 234.
 * - PostgreSQL (protocol 3, "SSLRequest"): the 8-byte request, then "S".
 * - LDAP (RFC 4511 §4.14.1): the StartTLS extended request (OID
 *   1.3.6.1.4.1.1466.20037, message ID 1), then an ExtendedResponse with
 *   resultCode 0 (success). Active Directory and OpenLDAP on port 389.
 */
import { children, expectTag, parseDer, TAG, type Tlv } from '../x509/der.js';
import { WireError } from '../util/errors.js';

export type StartTls = 'smtp' | 'imap' | 'pop3' | 'ftp' | 'postgres' | 'ldap';

export const STARTTLS_PROTOCOLS: readonly StartTls[] = ['smtp', 'imap', 'pop3', 'ftp', 'postgres', 'ldap'];

/** Each protocol's usual port for STARTTLS, used when the target names none. */
export const STARTTLS_PORTS: Readonly<Record<StartTls, number>> = { smtp: 25, imap: 143, pop3: 110, ftp: 21, postgres: 5432, ldap: 389 };

/** Whether the service greets first (SMTP, IMAP, POP3, FTP): PostgreSQL and LDAP wait for the client's request. */
export function serverGreetsFirst(protocol: StartTls): boolean {
  return protocol !== 'postgres' && protocol !== 'ldap';
}

/** The server's answer ends the preamble without TLS: it does not offer STARTTLS, or said something else. */
export class StartTlsError extends Error {}

/**
 * The server turned the connection away before the dialogue (SMTP or FTP
 * 421, "service not available, closing": typically too many connections
 * from this client): a drop, as a reset would be, not an answer.
 */
export class StartTlsBusy extends StartTlsError {}

/** A server that sends more than this before TLS is talking nonsense. */
const MAX_PREAMBLE_BYTES = 16 * 1024;

const POSTGRES_SSL_REQUEST = Uint8Array.of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f);

/** LDAPMessage { messageID 1, ExtendedRequest [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }. */
const LDAP_STARTTLS_OID = '1.3.6.1.4.1.1466.20037';
const LDAP_STARTTLS_REQUEST = Uint8Array.from([
  0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16, ...Buffer.from(LDAP_STARTTLS_OID, 'latin1'),
]);

/** LDAP resultCode names (RFC 4511 appendix A), for the error text. */
const LDAP_RESULTS: Record<number, string> = {
  1: 'operationsError', 2: 'protocolError', 7: 'authMethodNotSupported', 8: 'strongerAuthRequired',
  12: 'unavailableCriticalExtension', 13: 'confidentialityRequired', 50: 'insufficientAccessRights',
  51: 'busy', 52: 'unavailable', 53: 'unwillingToPerform', 80: 'other',
};

/** The length of the whole DER element that starts `buf` (identifier, length, contents); null while its header is not all in. */
function elementLength(buf: Uint8Array): number | null {
  if (buf.length < 2) return null;
  const first = buf[1]!;
  if (!(first & 0x80)) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 3) throw new StartTlsError(`LDAP: a BER length of ${n === 0 ? 'indefinite form' : `${n} bytes`} (not an LDAP server?)`);
  if (buf.length < 2 + n) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i]!;
  return 2 + n + len;
}

export interface StartTlsStep {
  /** Bytes to send to the server now. */
  send?: Uint8Array;
  /** The server is ready for the ClientHello. */
  done?: boolean;
  /** Bytes that came after the preamble (the start of TLS, in theory). */
  rest?: Uint8Array;
}

type Stage = 'greeting' | 'capabilities' | 'ready';

export class StartTlsDialogue {
  private buf = Buffer.alloc(0);
  private total = 0;
  private stage: Stage = 'greeting';
  /** The reply lines of the current multi-line reply (SMTP, FTP). */
  private lines: string[] = [];

  constructor(readonly protocol: StartTls) {}

  /** What to send as soon as the connection is up (PostgreSQL and LDAP speak first). */
  start(): Uint8Array | null {
    if (serverGreetsFirst(this.protocol)) return null;
    this.stage = 'ready';
    return this.protocol === 'postgres' ? POSTGRES_SSL_REQUEST : LDAP_STARTTLS_REQUEST;
  }

  /** Feeds the server's bytes; throws StartTlsError when the server will not start TLS. */
  push(chunk: Uint8Array): StartTlsStep {
    this.total += chunk.length;
    if (this.total > MAX_PREAMBLE_BYTES) throw new StartTlsError(`${this.name()} server sent more than ${MAX_PREAMBLE_BYTES} bytes without starting TLS`);
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.protocol === 'postgres') {
      if (this.buf.length === 0) return {};
      const answer = this.buf[0]!;
      const rest = this.buf.subarray(1);
      if (answer === 0x53 /* S */) return { done: true, rest: rest.length ? rest : undefined };
      if (answer === 0x4e /* N */) throw new StartTlsError('the PostgreSQL server does not accept SSL (it answered the SSLRequest with N)');
      throw new StartTlsError(`the server did not answer the PostgreSQL SSLRequest with S or N (first byte 0x${answer.toString(16).padStart(2, '0')}): not a PostgreSQL server?`);
    }
    if (this.protocol === 'ldap') return this.ldap();
    const out: StartTlsStep = {};
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return out;
      const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      const step = this.line(line);
      if (step.send) out.send = step.send;
      if (step.done) return { ...out, done: true, rest: this.buf.length ? Buffer.from(this.buf) : undefined };
    }
  }

  private name(): string {
    return { smtp: 'SMTP', imap: 'IMAP', pop3: 'POP3', ftp: 'FTP', postgres: 'PostgreSQL', ldap: 'LDAP' }[this.protocol];
  }

  /**
   * The answer to the StartTLS extended request, once all of it is in: an
   * LDAPMessage whose ExtendedResponse [APPLICATION 24] carries resultCode,
   * matchedDN and diagnosticMessage. Message ID 0 is a Notice of
   * Disconnection: the server is closing.
   */
  private ldap(): StartTlsStep {
    const b = this.buf;
    if (!b.length) return {};
    if (b[0] === 0x15 || b[0] === 0x16) throw new StartTlsError('LDAP: the server answered with a TLS record: it speaks TLS from its first byte (LDAPS, port 636) and needs no --starttls');
    if (b[0] !== 0x30) throw new StartTlsError(`LDAP: the answer to StartTLS is not an LDAP message (first byte 0x${b[0]!.toString(16).padStart(2, '0')}): not an LDAP server?`);
    const size = elementLength(b);
    if (size === null || b.length < size) return {};
    let id: Tlv, code: Tlv, diag: Tlv | undefined;
    try {
      const [msgId, op] = children(parseDer(b.subarray(0, size)));
      id = expectTag(msgId, TAG.INTEGER, 'messageID');
      if (expectTag(op, 0x78, 'ExtendedResponse').value.length === 0) throw new WireError('empty ExtendedResponse');
      [code, , diag] = children(op!) as [Tlv, Tlv | undefined, Tlv | undefined];
      expectTag(code, TAG.ENUMERATED, 'resultCode');
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      throw new StartTlsError(`LDAP: the answer to StartTLS is not an ExtendedResponse (${e.message}): not an LDAP server?`);
    }
    if (code.value.length < 1 || code.value.length > 4) throw new StartTlsError('LDAP: the ExtendedResponse to StartTLS has no usable resultCode');
    const result = code.value.reduce((a, x) => a * 256 + x, 0);
    const text = diag?.tag === TAG.OCTET_STRING ? Buffer.from(diag.value.subarray(0, 200)).toString('utf8').replace(/[^\x20-\x7e]/g, '?') : '';
    const said = `resultCode ${result}${LDAP_RESULTS[result] ? ` (${LDAP_RESULTS[result]})` : ''}${text ? `: "${text}"` : ''}`;
    if (id.value.reduce((a, x) => a * 256 + x, 0) === 0) throw new StartTlsError(`LDAP: the server is closing the connection (Notice of Disconnection, ${said})`);
    if (result === 51) throw new StartTlsBusy(`LDAP: the server is busy (${said})`);
    if (result !== 0) throw new StartTlsError(`LDAP: the server refused StartTLS (${said})`);
    const rest = b.subarray(size);
    return { done: true, rest: rest.length ? Buffer.from(rest) : undefined };
  }

  private fail(what: string, line: string): never {
    const shown = line.length > 120 ? `${line.slice(0, 120)}...` : line;
    throw new StartTlsError(`${this.name()}: ${what} (the server said "${shown.replace(/[^\x20-\x7e]/g, '?')}")`);
  }

  /** One line of a reply with a three-digit code ("220-..." continues, "220 ..." ends). */
  private reply(line: string, want: string, what: string): string[] | null {
    const m = /^(\d{3})([ -]|$)/.exec(line);
    if (!m) this.fail(`expected a ${want} reply ${what}`, line);
    if (m[1] === '421' && m[2] !== '-') throw new StartTlsBusy(`${this.name()}: the server turned the connection away (${line.slice(0, 120)})`);
    this.lines.push(line);
    if (m[2] === '-') return null;
    const lines = this.lines;
    this.lines = [];
    if (m[1] !== want) this.fail(`expected ${want} ${what}`, line);
    return lines;
  }

  private line(line: string): StartTlsStep {
    const text = (s: string) => Buffer.from(`${s}\r\n`, 'latin1');
    switch (this.protocol) {
      case 'smtp':
        if (this.stage === 'greeting') {
          if (!this.reply(line, '220', 'as the greeting')) return {};
          this.stage = 'capabilities';
          return { send: text('EHLO tlsdoctor.invalid') };
        }
        if (this.stage === 'capabilities') {
          const lines = this.reply(line, '250', 'to EHLO');
          if (!lines) return {};
          if (!lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) {
            this.fail('the server does not offer STARTTLS', lines.map((l) => l.slice(4)).join(', '));
          }
          this.stage = 'ready';
          return { send: text('STARTTLS') };
        }
        return this.reply(line, '220', 'to STARTTLS') ? { done: true } : {};
      case 'ftp':
        if (this.stage === 'greeting') {
          if (!this.reply(line, '220', 'as the greeting')) return {};
          this.stage = 'ready';
          return { send: text('AUTH TLS') };
        }
        return this.reply(line, '234', 'to AUTH TLS') ? { done: true } : {};
      case 'pop3':
        if (this.stage === 'greeting') {
          if (!line.startsWith('+OK')) this.fail('expected "+OK" as the greeting', line);
          this.stage = 'ready';
          return { send: text('STLS') };
        }
        if (!line.startsWith('+OK')) this.fail('STLS was refused', line);
        return { done: true };
      case 'imap':
        if (this.stage === 'greeting') {
          if (!/^\* (OK|PREAUTH)\b/i.test(line)) this.fail('expected "* OK" as the greeting', line);
          this.stage = 'ready';
          return { send: text('a1 STARTTLS') };
        }
        if (line.startsWith('* ')) return {}; // untagged data before the tagged answer
        if (/^a1 OK\b/i.test(line)) return { done: true };
        return this.fail('STARTTLS was refused', line);
      default:
        return {};
    }
  }
}
