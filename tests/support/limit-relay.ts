/**
 * A TCP relay on loopback that plays a firewall's limit on connections from
 * one client (iptables connlimit with --reject-with tcp-reset, or a server's
 * own cap): at most `limit` connections pass at once; the ones past it are
 * reset (or, with `mode: 'close'`, closed) before a byte reaches the server,
 * and with `banAfter` it stops accepting anything after that many. The
 * server behind it is a real one.
 */
import net from 'node:net';
import { after } from 'node:test';

export interface LimitRelay { port: number; turnedAway: number; close(): void }

/**
 * `banAfter`: after that many connections the relay stops listening, so that
 * every later connection is refused, as a fail2ban-style ban does.
 */
export async function startLimitRelay(
  targetPort: number, limit: number, mode: 'reset' | 'close' = 'reset', banAfter = Infinity,
  /** How long a closed connection still counts against the limit, ms (conntrack counts one until its close is through). */
  lagMs = 0,
): Promise<LimitRelay> {
  let active = 0;
  let seen = 0;
  const relay: LimitRelay = { port: 0, turnedAway: 0, close: () => server.close() };
  const server = net.createServer((client) => {
    if (++seen > banAfter) {
      relay.turnedAway++;
      if (server.listening) server.close();
      client.resetAndDestroy();
      return;
    }
    if (active >= limit) {
      relay.turnedAway++;
      if (mode === 'reset') client.resetAndDestroy();
      else client.destroy();
      return;
    }
    active++;
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    client.pipe(upstream);
    upstream.pipe(client);
    let done = false;
    const end = () => {
      if (!done) { done = true; if (lagMs > 0) setTimeout(() => active--, lagMs); else active--; }
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) { s.on('error', end); s.on('close', end); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as net.AddressInfo).port;
  after(() => server.close());
  return relay;
}
