/**
 * A SOCKS5 proxy for tests that records where it was asked to connect (RFC
 * 1928: no authentication, CONNECT to an IPv4 address or a name), so that a
 * test can tell a connection went through the proxy and not around it
 * (microsocks, the real one the other tests use, keeps no such record).
 */
import { after } from 'node:test';
import net from 'node:net';

export async function startRecordingSocks(): Promise<{ url: string; targets: string[] }> {
  const targets: string[] = [];
  const server = net.createServer((client) => {
    client.on('error', () => {});
    let buf = Buffer.alloc(0);
    let greeted = false;
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!greeted) {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        buf = buf.subarray(2 + buf[1]!);
        greeted = true;
        client.write(Buffer.from([5, 0]));
      }
      if (buf.length < 5) return;
      const atyp = buf[3]!;
      const hostLen = atyp === 1 ? 4 : atyp === 3 ? 1 + buf[4]! : 16;
      if (buf.length < 4 + hostLen + 2) return;
      const host = atyp === 1 ? [...buf.subarray(4, 8)].join('.') : atyp === 3 ? buf.subarray(5, 5 + buf[4]!).toString('latin1') : '';
      const port = buf.readUInt16BE(4 + hostLen);
      const rest = buf.subarray(4 + hostLen + 2);
      client.off('data', onData);
      targets.push(`${host}:${port}`);
      const up = net.connect({ host, port }, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (rest.length) up.write(rest);
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
      client.on('close', () => up.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { url: `socks5h://127.0.0.1:${(server.address() as net.AddressInfo).port}`, targets };
}
