/**
 * A plain implementation of the probe contract (one TCP connection, one
 * ClientHello, read the server's answer) used by the simulation tests until
 * src/net/probe.ts is available; it follows the same ProbeOutcome shape.
 */
import net from 'node:net';
import { ServerFlightReader, parseServerHello, parseCertificateMessage, HandshakeType } from '../../src/wire/index.js';
import type { ProbeOutcome, SendHello } from '../../src/scan/simulate.js';

export const sendHelloForTests: SendHello = (ep, hello, opts) => new Promise<ProbeOutcome>((resolve) => {
  const sock = net.connect({ host: ep.address, port: ep.port });
  const reader = new ServerFlightReader();
  let done = false;
  let serverHello: ReturnType<typeof parseServerHello> | null = null;
  let certificates: Uint8Array[] | undefined;
  let ske: Uint8Array | undefined;
  const finish = (o: ProbeOutcome) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    sock.destroy();
    resolve(o);
  };
  const timer = setTimeout(() => finish(serverHello
    ? { kind: 'hello', serverHello, certificates, serverKeyExchange: ske, helloDone: false }
    : { kind: 'failed', code: 'timeout', message: `no answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
  sock.on('connect', () => sock.write(hello));
  sock.on('error', (e: NodeJS.ErrnoException) => finish(serverHello
    ? { kind: 'hello', serverHello, certificates, serverKeyExchange: ske, helloDone: false }
    : { kind: 'failed', code: e.code === 'ECONNREFUSED' ? 'refused' : 'reset', message: e.message }));
  sock.on('close', () => finish(serverHello
    ? { kind: 'hello', serverHello, certificates, serverKeyExchange: ske, helloDone: false }
    : { kind: 'failed', code: 'closed', message: 'connection closed before a ServerHello' }));
  sock.on('data', (chunk) => {
    let events;
    try { events = reader.push(new Uint8Array(chunk)); } catch (e) {
      finish({ kind: 'failed', code: 'malformed', message: (e as Error).message });
      return;
    }
    for (const ev of events) {
      if (ev.kind === 'sslv2') { finish({ kind: 'sslv2' }); return; }
      if (ev.kind === 'alert' && !serverHello) { finish({ kind: 'alert', description: ev.description, name: ev.name }); return; }
      if (ev.kind !== 'handshake') continue;
      try {
        if (ev.type === HandshakeType.server_hello) {
          serverHello = parseServerHello(ev.body);
          const tls13 = serverHello.version === 0x0304 || serverHello.isHelloRetryRequest;
          if (opts.readUntil === 'serverHello' || tls13) {
            finish({ kind: 'hello', serverHello, helloDone: false });
            return;
          }
        } else if (ev.type === HandshakeType.certificate) {
          certificates = parseCertificateMessage(ev.body);
        } else if (ev.type === HandshakeType.server_key_exchange) {
          ske = ev.body;
        } else if (ev.type === HandshakeType.server_hello_done && serverHello) {
          finish({ kind: 'hello', serverHello, certificates, serverKeyExchange: ske, helloDone: true });
          return;
        }
      } catch (e) {
        finish({ kind: 'failed', code: 'malformed', message: (e as Error).message });
        return;
      }
    }
  });
});
