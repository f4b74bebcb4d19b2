#!/usr/bin/env node
// A loopback TCP proxy that models a far server with its TCP handshake: like
// ../shared/bench/latency-proxy.mjs it delays every chunk by half the round
// trip in each direction, and in addition a connection is only "established"
// one round trip after it was opened (the SYN and SYN-ACK of a real network):
// whatever the client writes before that waits until then. A client that
// connects and writes at once pays two round trips for its first answer, as
// it would on a real network; one that writes on a connection opened earlier
// pays one. The connection to the server is made when the client's ACK would
// reach it (one and a half round trips after the connect), as a server's
// accept() returns then. Ends and closes are delivered after the data that
// preceded them (never before it). Only loopback targets are accepted.
//
//   node bench/tcp-rtt-proxy.mjs --listen 9443 --target 127.0.0.1:8443 --rtt 50 [--listen ... --target ...]
import net from 'node:net';

const args = process.argv.slice(2);
const listens = [];
const targets = [];
let rtt = 50;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const v = args[i + 1];
  if (a === '--listen') { listens.push(Number(v)); i++; } else if (a === '--target') { targets.push(v); i++; } else if (a === '--rtt') { rtt = Number(v); i++; } else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}
if (!listens.length || listens.length !== targets.length || !(rtt >= 0)) {
  console.error('usage: tcp-rtt-proxy.mjs --listen PORT --target HOST:PORT [...] [--rtt MS]');
  process.exit(2);
}
const oneWay = rtt / 2;

/**
 * Forwards src to dst in order: each chunk, then the end or the close, leaves
 * `oneWay` ms after it came in, or after `notBefore()` (the moment the
 * connection is established, for the client's side) when that is later;
 * `beforeDelivery` runs first (it makes the connection to the server).
 */
function delayedPipe(src, dst, notBefore, beforeDelivery = () => {}) {
  let last = 0;
  const at = (fn) => {
    // Delivery times only grow, so that nothing overtakes what came in before it.
    last = Math.max(last, Math.max(notBefore(), performance.now()) + oneWay);
    setTimeout(() => { beforeDelivery(); fn(); }, Math.max(0, last - performance.now()));
  };
  src.on('data', (chunk) => at(() => { if (!dst.destroyed) dst.write(chunk); }));
  src.on('end', () => at(() => { if (!dst.destroyed) dst.end(); }));
  src.on('error', () => at(() => dst.destroy()));
  src.on('close', () => at(() => { if (!dst.destroyed) dst.end(); setTimeout(() => dst.destroy(), 50); }));
}

listens.forEach((port, i) => {
  const [host, tport] = targets[i].split(':');
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    console.error(`refusing non-loopback target ${targets[i]}`);
    process.exit(2);
  }
  net.createServer((client) => {
    // The client's SYN-ACK comes back one round trip after its connect; its ACK, and whatever it
    // sends right away, reaches the server half a round trip later: that is when the server's
    // accept() returns, so that is when the connection to the server is made (a server that
    // serves one connection at a time is not held by a connection whose bytes are still on the way).
    const established = performance.now() + rtt;
    client.setNoDelay(true);
    const upstream = new net.Socket();
    upstream.on('error', () => {});
    let connected = false;
    // Made by its timer, or by the first bytes due for the server should their timer run first
    // (timers run late or early by what the event loop's cached clock is off).
    const connectUpstream = () => {
      if (connected) return;
      connected = true;
      upstream.connect({ host, port: Number(tport) }, () => upstream.setNoDelay(true));
    };
    setTimeout(connectUpstream, rtt + oneWay);
    delayedPipe(client, upstream, () => established, connectUpstream);
    delayedPipe(upstream, client, () => 0);
  }).listen(port, '127.0.0.1', () => console.log(`127.0.0.1:${port} -> ${targets[i]} (rtt ${rtt} ms, TCP handshake included)`));
});
