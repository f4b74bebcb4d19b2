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
 */
export type StartTls = 'smtp' | 'imap' | 'pop3' | 'ftp' | 'postgres';

export const STARTTLS_PROTOCOLS: readonly StartTls[] = ['smtp', 'imap', 'pop3', 'ftp', 'postgres'];

/** Each protocol's usual port for STARTTLS, used when the target names none. */
export const STARTTLS_PORTS: Readonly<Record<StartTls, number>> = { smtp: 25, imap: 143, pop3: 110, ftp: 21, postgres: 5432 };

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

  /** What to send as soon as the connection is up (only PostgreSQL speaks first). */
  start(): Uint8Array | null {
    if (this.protocol !== 'postgres') return null;
    this.stage = 'ready';
    return POSTGRES_SSL_REQUEST;
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
    return { smtp: 'SMTP', imap: 'IMAP', pop3: 'POP3', ftp: 'FTP', postgres: 'PostgreSQL' }[this.protocol];
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
