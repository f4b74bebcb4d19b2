/**
 * An HTTP proxy for tests, on node:http: CONNECT tunnels to the requested
 * host:port, plain HTTP requests in absolute form forwarded (as CRL and OCSP
 * fetches go), Basic authentication when `auth` is set, 502 when the target
 * refuses. With `tls`, an HTTPS proxy on node:https (TLS to the proxy, the
 * same CONNECT inside). `tunnels` and `requests` record what went through it.
 */
import { after } from 'node:test';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export async function startProxy(auth?: string, o: { tls?: { cert: string; key: string } } = {}): Promise<{ url: string; tunnels: string[]; requests: string[] }> {
  const tunnels: string[] = [];
  const requests: string[] = [];
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('http://')) { res.writeHead(405); res.end(); return; }
    requests.push(`${req.method} ${req.url}`);
    const up = http.request(req.url, { method: req.method, headers: { ...req.headers, 'proxy-authorization': '' } }, (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, handle) : http.createServer(handle);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    client.on('error', () => {});
    if (auth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    tunnels.push(req.url ?? '');
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')).replace(/^\[|\]$/g, ''), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const upstream = net.connect({ host, port }, () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => { if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'); });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => { server.closeAllConnections(); server.close(); });
  return { url: `${o.tls ? 'https' : 'http'}://${auth ? `${auth}@` : ''}127.0.0.1:${(server.address() as net.AddressInfo).port}`, tunnels, requests };
}

