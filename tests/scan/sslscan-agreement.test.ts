/**
 * Agreement with a peer: against the same real servers, tlsdoctor's protocols
 * and per-protocol suite sets equal sslscan's (sslscan uses the local OpenSSL,
 * so the servers here offer only what that OpenSSL can also speak).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CertFactory } from '../support/certs.js';
import { startNginx, startOpenSSLServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import type { ProtocolName } from '../../src/scan/types.js';

const run = promisify(execFile);

async function sslscan(port: number): Promise<Map<ProtocolName, number[]>> {
  const { stdout } = await run('sslscan', ['--no-colour', '--xml=-', '--no-heartbleed', '--no-renegotiation', '--no-compression', '--no-fallback', `127.0.0.1:${port}`], { timeout: 120_000 });
  const sets = new Map<ProtocolName, number[]>();
  for (const m of stdout.matchAll(/<cipher status="(?:accepted|preferred)" sslversion="([^"]+)"[^>]* id="0x([0-9a-f]+)"/gi)) {
    const v = m[1] as ProtocolName; // sslscan's names are ours: SSLv3, TLSv1.0 ... TLSv1.3
    const list = sets.get(v) ?? [];
    list.push(parseInt(m[2]!, 16));
    sets.set(v, list);
  }
  return sets;
}

async function compare(port: number): Promise<void> {
  const [ours, theirs] = await Promise.all([
    scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 5000, skipGroups: true }),
    sslscan(port),
  ]);
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  for (const p of ours.protocols) {
    if (p.version === 'SSLv2' || p.version === 'SSLv3') continue; // this sslscan's OpenSSL cannot test them
    assert.deepEqual(sort(p.cipherSuites.map((s) => s.id)), sort(theirs.get(p.version) ?? []), `${p.version} suites`);
  }
  assert.ok(theirs.size > 0, 'sslscan found suites');
}

test('same protocols and suites as sslscan: nginx with ALL:@SECLEVEL=0, TLS 1.0-1.3, DHE and server order', async () => {
  const f = new CertFactory();
  const c = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost' });
  const dh = join(f.dir, 'dh.pem');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dh]);
  const s = await startNginx({ cert: c.cert, key: c.key, directives: ['ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;', "ssl_ciphers 'ALL:@SECLEVEL=0';", 'ssl_prefer_server_ciphers on;', `ssl_dhparam ${dh};`] });
  await compare(s.port);
});

test('same protocols and suites as sslscan: openssl s_server with an ECDSA key and client order', async () => {
  const f = new CertFactory();
  const c = f.make({ cn: 'localhost', key: 'ec384' });
  const s = await startOpenSSLServer({ cert: c.cert, key: c.key, args: ['-cipher', 'ALL:@SECLEVEL=0'] });
  await compare(s.port);
});
