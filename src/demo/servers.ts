import tls from 'node:tls';
import http from 'node:http';
import { constants } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { makeDemoCA, makeDemoIntermediate, makeDemoLeaf } from './certs.js';

/**
 * The built-in demo targets: real node:tls servers on loopback, so that a
 * newcomer sees a scan with no network at all.
 */
export interface DemoServer {
  name: string;
  description: string;
  host: string;
  port: number;
  caPem: string;
  /** The scan should download a missing intermediate (AIA), as `--fetch-intermediates` does. */
  fetchIntermediates?: boolean;
  close(): Promise<void>;
}

function listen(name: string, description: string, options: tls.TlsOptions, caPem: string, headers = ''): Promise<DemoServer> {
  // An HTTPS server: it names HTTP/1.1 by ALPN, so that the scan asks it for its headers.
  const server = tls.createServer({ ALPNProtocols: ['http/1.1'], ...options }, (sock) => {
    sock.on('error', () => {});
    // As an HTTPS server does: the answer once a request comes, not before (a server that speaks
    // first hides how it meets a bad record from the padding-oracle check).
    sock.once('data', () => sock.end(`HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n${headers}\r\nok\n`));
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        name, description, host: '127.0.0.1', port, caPem,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

export async function startDemoServers(): Promise<DemoServer[]> {
  const ca = await makeDemoCA();
  const [modernId, legacyId] = await Promise.all([
    makeDemoLeaf(ca, { cn: 'modern.demo.test', alg: 'ec', san: ['modern.demo.test', '127.0.0.1'] }),
    makeDemoLeaf(ca, { cn: 'legacy.demo.test', alg: 'rsa', san: ['legacy.demo.test', '127.0.0.1'] }),
  ]);
  const modern = listen('modern', 'TLS 1.2 + 1.3, ECDSA P-256, AEAD suites only, server order, HSTS for a year', {
    key: modernId.keyPem,
    cert: modernId.certPem + modernId.caPem,
    minVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384',
    ecdhCurve: 'X25519:P-256:P-384',
    honorCipherOrder: true,
    // Node's TLS servers renegotiate when a client asks (up to tls.CLIENT_RENEG_LIMIT times per
    // connection); a well-kept server refuses (protocol.client-renegotiation). The legacy one does not.
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
  }, modernId.caPem, 'strict-transport-security: max-age=31536000; includeSubDomains\r\n');
  const legacy = listen('legacy', 'TLS 1.0 - 1.2, RSA 2048, CBC and RSA key exchange suites, no server order', {
    key: legacyId.keyPem,
    cert: legacyId.certPem + legacyId.caPem,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0',
    ecdhCurve: 'P-256:P-384',
    honorCipherOrder: false,
  }, legacyId.caPem);
  return Promise.all([modern, legacy, brokenChain(ca)]);
}

/**
 * A server that sends its leaf without the intermediate that issued it, the way a server
 * configured with cert.pem instead of fullchain.pem does; the leaf names a loopback HTTP server
 * as the place to fetch that intermediate from (AIA), as a public CA's leaves do.
 */
async function brokenChain(ca: Awaited<ReturnType<typeof makeDemoCA>>): Promise<DemoServer> {
  const int = await makeDemoIntermediate(ca);
  const der = Buffer.from(int.cert.rawData);
  const web = http.createServer((req, res) => {
    if (req.url === '/issuing-ca.der') res.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(der);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => { web.once('error', reject); web.listen(0, '127.0.0.1', () => resolve()); });
  const aia = `http://127.0.0.1:${(web.address() as AddressInfo).port}/issuing-ca.der`;
  const id = await makeDemoLeaf(int, { cn: 'broken-chain.demo.test', alg: 'ec', san: ['broken-chain.demo.test', '127.0.0.1'], aia });
  const s = await listen('broken-chain', 'TLS 1.2 + 1.3, the leaf sent without its intermediate (cert.pem instead of fullchain.pem)', {
    key: id.keyPem,
    cert: id.certPem,
    minVersion: 'TLSv1.2',
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
  }, ca.cert.toString('pem') + '\n');
  return {
    ...s, fetchIntermediates: true,
    close: () => Promise.all([s.close(), new Promise<void>((r) => web.close(() => r()))]).then(() => undefined),
  };
}
