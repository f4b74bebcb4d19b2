/**
 * STARTTLS servers for tests: each speaks its protocol's plain-text (or, for
 * PostgreSQL, binary) preamble on a plain TCP socket, then hands the socket
 * to Node's tls as a server, so that what the scan meets after STARTTLS is a
 * real TLS server (node:tls), as in the services that do this. Not full mail,
 * file or database servers: only the greeting and the STARTTLS exchange.
 */
import net from 'node:net';
import tls from 'node:tls';
import { after } from 'node:test';
import type { StartTls } from '../../src/net/starttls.js';

export interface StartTlsServer { port: number; connections: number; turnedAway: number }

export interface StartTlsServerOptions {
  protocol: StartTls;
  tls: tls.TlsOptions;
  /** SMTP: leave STARTTLS out of the EHLO reply; PostgreSQL: answer N. */
  noStartTls?: boolean;
  /** Never send the greeting (a stalled server). */
  silent?: boolean;
  /** SMTP: greet the connections past this many at once with 421 and close them, as Postfix does past its per-client limit. */
  maxConnections?: number;
}

export async function startStartTlsServer(o: StartTlsServerOptions): Promise<StartTlsServer> {
  const context = tls.createSecureContext(o.tls);
  const state: StartTlsServer = { port: 0, connections: 0, turnedAway: 0 };
  let open = 0;
  const server = net.createServer((sock) => {
    state.connections++;
    sock.on('error', () => {});
    if (o.maxConnections !== undefined && open >= o.maxConnections) {
      state.turnedAway++;
      sock.end('421 4.7.0 mail.test Error: too many connections from 127.0.0.1\r\n');
      return;
    }
    open++;
    sock.once('close', () => { open--; });
    sock.setTimeout(10_000, () => sock.destroy());
    const upgrade = () => {
      sock.removeAllListeners('data');
      const secure = new tls.TLSSocket(sock, { isServer: true, secureContext: context, ...o.tls });
      secure.on('error', () => sock.destroy());
      secure.resume(); // what the client sends is dropped; unread data would keep the connection open
      secure.on('secure', () => secure.end());
    };
    const say = (text: string) => sock.write(`${text}\r\n`);
    let buf = '';
    const lines = (onLine: (line: string) => boolean) => sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (onLine(line)) return upgrade();
      }
    });
    if (o.silent) return;
    switch (o.protocol) {
      case 'smtp':
        say('220-mail.test ESMTP test server');
        say('220 ready');
        lines((line) => {
          if (/^EHLO /i.test(line)) { say('250-mail.test'); say('250-PIPELINING'); if (!o.noStartTls) say('250-STARTTLS'); say('250 8BITMIME'); return false; }
          if (/^STARTTLS$/i.test(line)) { say(o.noStartTls ? '502 5.5.1 not implemented' : '220 2.0.0 go ahead'); return !o.noStartTls; }
          say('500 unknown command');
          return false;
        });
        break;
      case 'imap':
        say('* OK [CAPABILITY IMAP4rev1 STARTTLS] test server ready');
        lines((line) => {
          const [tag, cmd] = line.split(' ');
          if (cmd?.toUpperCase() === 'STARTTLS') { say(`${tag} OK begin TLS`); return true; }
          say(`${tag} BAD unknown`);
          return false;
        });
        break;
      case 'pop3':
        say('+OK test POP3 server ready');
        lines((line) => {
          if (/^STLS$/i.test(line)) { say('+OK begin TLS'); return true; }
          say('-ERR unknown');
          return false;
        });
        break;
      case 'ftp':
        say('220 test FTP server ready');
        lines((line) => {
          if (/^AUTH TLS$/i.test(line)) { say('234 AUTH TLS OK'); return true; }
          say('500 unknown');
          return false;
        });
        break;
      case 'ldap': {
        // The StartTLS extended request (RFC 4511 4.14.1), then an ExtendedResponse: success, or
        // protocolError as servers without TLS answer.
        let got = Buffer.alloc(0);
        const onData = (d: Buffer) => {
          got = Buffer.concat([got, d]);
          if (got.length < 2 || got.length < 2 + got[1]!) return;
          sock.off('data', onData);
          if (!got.includes(Buffer.from('1.3.6.1.4.1.1466.20037'))) { sock.destroy(); return; }
          const msg = o.noStartTls ? Buffer.from('unsupported extended operation') : Buffer.alloc(0);
          const op = Buffer.concat([Buffer.from([0x0a, 0x01, o.noStartTls ? 2 : 0, 0x04, 0x00, 0x04, msg.length]), msg]);
          const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x78, op.length]), op]);
          sock.write(Buffer.concat([Buffer.from([0x30, body.length]), body]));
          if (!o.noStartTls) upgrade();
        };
        sock.on('data', onData);
        break;
      }
      case 'postgres':
        sock.once('data', (d: Buffer) => {
          if (d.length === 8 && d.readUInt32BE(0) === 8 && d.readUInt32BE(4) === 80877103) {
            sock.write(o.noStartTls ? 'N' : 'S');
            if (!o.noStartTls) upgrade();
          } else {
            sock.destroy();
          }
        });
        break;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  after(() => server.close());
  return state;
}
