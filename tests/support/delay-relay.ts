/**
 * A TCP relay on loopback that adds a fixed delay to each direction, so that
 * a test can see a real server as if it were some milliseconds away. Bytes
 * and closes keep their order in each direction (a close follows the data
 * sent before it), half-closes are passed on, and a reset is passed on as
 * a reset after the same delay.
 */
import net from 'node:net';
import { after } from 'node:test';

export interface DelayRelay { port: number; connections: number; close(): void }

export interface DelayRelayOptions {
  /**
   * Told the first bytes a client sent: true to lose what the server sends
   * back on that connection, and pass on only its close (a silent close, as
   * a relay that loses a flight the server closed right behind shows it).
   */
  loseFlight?: (firstChunk: Buffer) => boolean;
  /** The one-way delay of the n-th connection (from 1), instead of `oneWayMs` for all: a server that gets farther. */
  oneWayMsOf?: (n: number) => number;
}

export async function startDelayRelay(targetPort: number, oneWayMs: number, o: DelayRelayOptions = {}): Promise<DelayRelay> {
  const relay: DelayRelay = { port: 0, connections: 0, close: () => server.close() };
  const pipe = (src: net.Socket, dst: net.Socket, oneWayMs: number, lose = () => false) => {
    // One timer per event, in order: equal delays keep the order of data and close.
    src.on('data', (d) => setTimeout(() => { if (!dst.destroyed && !lose()) dst.write(d); }, oneWayMs));
    src.on('end', () => setTimeout(() => { if (!dst.destroyed) dst.end(); }, oneWayMs));
    src.on('error', () => setTimeout(() => dst.resetAndDestroy(), oneWayMs));
  };
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    relay.connections++;
    const oneWay = o.oneWayMsOf?.(relay.connections) ?? oneWayMs;
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    let lost: boolean | undefined;
    if (o.loseFlight) client.once('data', (d) => { lost = o.loseFlight!(d); });
    pipe(client, upstream, oneWay);
    pipe(upstream, client, oneWay, () => lost === true);
    const closeBoth = () => setTimeout(() => { client.destroy(); upstream.destroy(); }, oneWay * 2 + 5);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as net.AddressInfo).port;
  after(() => server.close());
  return relay;
}
