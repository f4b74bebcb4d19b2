/**
 * A test PKI (root -> intermediate -> leaves) made at test time with
 * CertFactory, TLS servers that serve a chosen chain, and the TrustReport a
 * real client handshake yields. Shared by the trust, assess and diagnose tests.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CertFactory, type CertFiles, type CertOptions } from './certs.js';
import { startNodeTLSServer, startOpenSSLServer, startNginx, type RunningServer } from './servers.js';
import { fullHandshake } from '../../src/net/full-handshake.js';
import { analyseTrust, type TrustReport } from '../../src/x509/trust.js';
import { makeStore, type TrustStore } from '../../src/x509/trust-store.js';
import { pemToDers } from '../../src/x509/cert.js';
import { embeddedSctLine } from './sct.js';

export interface Pki {
  f: CertFactory;
  root: CertFiles;
  int: CertFiles;
  /** PEM file holding only the root. */
  rootFile: string;
  /** The root as a "system" store (so a chain to it counts as publicly trusted in tests). */
  systemStore: TrustStore;
  /**
   * A leaf of the intermediate. `scts`: SCTs from that many distinct logs embedded (default 3,
   * as a public CA embeds them, since `systemStore` makes the chain count as publicly trusted).
   */
  leaf(o: Partial<CertOptions> & { cn: string; scts?: number }): CertFiles;
}

export function makePki(name = 'Test'): Pki {
  const f = new CertFactory();
  const root = f.make({ cn: `${name} Root CA`, ca: true, key: 'ec256' });
  const int = f.make({ cn: `${name} Issuing CA 1`, ca: true, key: 'ec256', issuer: root });
  const rootFile = join(f.dir, `${name.replace(/\W/g, '')}-root.pem`);
  writeFileSync(rootFile, root.pem);
  const systemStore = makeStore('system', 'system', `test system store ${rootFile}`, rootFile, pemToDers(root.pem));
  return {
    f, root, int, rootFile, systemStore,
    leaf: ({ scts = 3, ...o }) => f.make({ key: 'ec256', issuer: int, san: `DNS:${o.cn}`, ...o, extra: [...embeddedSctLine(scts), ...(o.extra ?? [])] }),
  };
}

export type ServerKind = 'node' | 'openssl' | 'nginx';

/** Serves `leaf` followed by `chain` (as the server's chain file). */
export async function serve(pki: Pki, leaf: CertFiles, chain: CertFiles[], kind: ServerKind = 'node', extra: string[] = []): Promise<RunningServer> {
  const full = pki.f.bundle(`chain-${Math.random().toString(36).slice(2)}.pem`, leaf, ...chain);
  switch (kind) {
    case 'node':
      return startNodeTLSServer({ cert: [leaf.pem, ...chain.map((c) => c.pem)].join(''), key: leaf.keyPem, minVersion: 'TLSv1.2' });
    case 'openssl': {
      const args = [...extra];
      if (chain.length) {
        const chainFile = pki.f.bundle(`ic-${Math.random().toString(36).slice(2)}.pem`, ...chain);
        return startOpenSSLServer({ cert: leaf.cert, key: leaf.key, chain: chainFile, args });
      }
      return startOpenSSLServer({ cert: leaf.cert, key: leaf.key, args });
    }
    case 'nginx':
      return startNginx({ cert: full, key: leaf.key, directives: ['ssl_protocols TLSv1.2 TLSv1.3;', ...extra] });
  }
}

export interface HandshakeTrust {
  trust: TrustReport;
  chain: Buffer[];
  protocol: string | null;
  authorizationError: string | null;
}

/** Connects like a client to `server` asking for `host` (SNI) and builds the TrustReport. */
export async function trustOf(server: RunningServer, host: string, o: { stores: TrustStore[]; fetchIntermediates?: boolean; now?: Date }): Promise<HandshakeTrust> {
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const hs = await fullHandshake({ host: server.host, port: server.port, servername: isIp ? false : host });
  const trust = await analyseTrust({ chain: hs.chainDer, host, stores: o.stores, fetchIntermediates: o.fetchIntermediates, ocspResponse: hs.ocspResponse, now: o.now, aiaTimeoutMs: 3000 });
  return { trust, chain: hs.chainDer, protocol: hs.protocol, authorizationError: hs.authorizationError };
}

/** A loopback HTTP server that offers one certificate (DER) at `url`, as a CA's AIA "CA Issuers" URL does; `hits` counts the requests. */
export interface IssuerServer { url: string; readonly hits: number; close(): Promise<void> }

export async function serveIssuer(der: Uint8Array, path = '/int.der'): Promise<IssuerServer> {
  let hits = 0;
  const web = http.createServer((req, res) => {
    hits++;
    if (req.url === path) { res.writeHead(200, { 'content-type': 'application/pkix-cert' }); res.end(der); } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(web.address() as AddressInfo).port}${path}`,
    get hits() { return hits; },
    close: () => new Promise<void>((r) => web.close(() => r())),
  };
}
