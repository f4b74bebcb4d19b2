/**
 * The real servers the client-simulation tests run against, all on
 * loopback with certificates made at test time for "server.test":
 * TLS 1.2-only, TLS 1.0-only legacy, TLS 1.3-only, ECDSA-only, CBC-only, two
 * TLS 1.3 servers restricted to one group (P-384: HelloRetryRequest; ffdhe2048)
 * (openssl s_server), and a TLS 1.2 server without RFC 5746 secure
 * renegotiation (gnutls-serv, %DISABLE_SAFE_RENEGOTIATION).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertFactory } from './certs.js';
import { startOpenSSLServer, startGnuTLSServer, type RunningServer } from './servers.js';
import { pemToDers } from '../../src/x509/cert.js';

export const SIM_HOST = 'server.test';

export interface SimServer { name: string; server: RunningServer; chain: Uint8Array[] }

export type SimServerName = 'tls12' | 'tls10' | 'tls13' | 'ecdsa' | 'cbc' | 'hrr' | 'ffdhe' | 'noreneg';

export async function startSimServers(only?: SimServerName[]): Promise<Record<SimServerName, SimServer>> {
  const f = new CertFactory();
  const ca = f.make({ cn: 'tlsdoctor sim CA', ca: true, key: 'rsa2048' });
  const rsa = f.make({ cn: SIM_HOST, san: `DNS:${SIM_HOST}`, issuer: ca, key: 'rsa2048' });
  const ec = f.make({ cn: SIM_HOST, san: `DNS:${SIM_HOST}`, issuer: ca, key: 'ec256' });
  const chainOf = (leafPem: string) => [...pemToDers(leafPem), ...pemToDers(readFileSync(ca.cert, 'utf8'))].map((b) => new Uint8Array(b));
  const specs: Record<SimServerName, { cert: typeof rsa; args: string[]; gnutls?: string }> = {
    tls12: { cert: rsa, args: ['-tls1_2'] },
    tls10: { cert: rsa, args: ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'] },
    tls13: { cert: rsa, args: ['-tls1_3'] },
    ecdsa: { cert: ec, args: ['-no_tls1_3', '-cipher', 'DEFAULT@SECLEVEL=0'] },
    cbc: { cert: rsa, args: ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA:AES256-SHA'] },
    // TLS 1.3 with only P-384: clients that sent an X25519 key share get a HelloRetryRequest.
    hrr: { cert: rsa, args: ['-tls1_3', '-groups', 'secp384r1'] },
    // TLS 1.3 with only ffdhe2048: clients without finite-field groups have no common group.
    ffdhe: { cert: rsa, args: ['-tls1_3', '-groups', 'ffdhe2048'] },
    // TLS 1.2 without renegotiation_info in its ServerHello: OpenSSL 3 clients refuse it.
    noreneg: { cert: rsa, args: [], gnutls: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION' },
  };
  const names = only ?? (Object.keys(specs) as SimServerName[]);
  const out = {} as Record<SimServerName, SimServer>;
  await Promise.all(names.map(async (name) => {
    const s = specs[name];
    let server: RunningServer;
    if (s.gnutls) {
      // gnutls-serv sends the chain in its certificate file: the leaf, then the CA.
      const chainFile = join(f.dir, `${name}-chain.pem`);
      writeFileSync(chainFile, readFileSync(s.cert.cert, 'utf8') + readFileSync(ca.cert, 'utf8'));
      server = await startGnuTLSServer({ cert: chainFile, key: s.cert.key, priority: s.gnutls });
    } else {
      server = await startOpenSSLServer({ cert: s.cert.cert, key: s.cert.key, chain: ca.cert, args: s.args });
    }
    out[name] = { name, server, chain: chainOf(s.cert.pem) };
  }));
  return out;
}
