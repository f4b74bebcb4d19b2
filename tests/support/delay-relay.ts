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

export async function startDelayRelay(targetPort: number, oneWayMs: number): Promise<DelayRelay> {
  const relay: DelayRelay = { port: 0, connections: 0, close: () => server.close() };
  const pipe = (src: net.Socket, dst: net.Socket) => {
    // One timer per event, in order: equal delays keep the order of data and close.
    src.on('data', (d) => setTimeout(() => { if (!dst.destroyed) dst.write(d); }, oneWayMs));
    src.on('end', () => setTimeout(() => { if (!dst.destroyed) dst.end(); }, oneWayMs));
    src.on('error', () => setTimeout(() => dst.resetAndDestroy(), oneWayMs));
  };
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    relay.connections++;
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    pipe(client, upstream);
    pipe(upstream, client);
    const closeBoth = () => setTimeout(() => { client.destroy(); upstream.destroy(); }, oneWayMs * 2 + 5);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as net.AddressInfo).port;
  after(() => server.close());
  return relay;
}
