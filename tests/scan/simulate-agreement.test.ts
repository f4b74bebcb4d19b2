/**
 * Real-client agreement: for every client profile whose real client runs on this
 * machine (openssl s_client, curl, gnutls-cli, python3, node, java, chromium), the
 * real client and the simulation of its profile must agree against the same real
 * servers: both fail, or both negotiate the same protocol and cipher suite. What
 * the real client negotiated is read off the wire through a recording proxy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimServers, SIM_HOST, type SimServer, type SimServerName } from '../support/sim-servers.js';
import { startRecordingProxy } from '../support/hello-capture.js';
import { REAL_CLIENTS } from '../support/real-clients.js';
import { sendHello } from '../../src/net/probe.js';
import { simulateClients } from '../../src/scan/simulate.js';
import { clientProfileById } from '../../src/registry/clients/index.js';
import { versionByCode } from '../../src/registry/index.js';

// Started at module level: the support helpers register their cleanup with after(), which must
// belong to the file, not to a before() hook (it would run as soon as the hook ends).
const servers: Record<SimServerName, SimServer> = await startSimServers();

const available = Object.entries(REAL_CLIENTS).filter(([, c]) => c.available());

test('every profile with a real client names it, and the real clients of this machine are found', () => {
  for (const [id] of Object.entries(REAL_CLIENTS)) {
    const p = clientProfileById(id);
    assert.ok(p, `${id} has a profile`);
    assert.ok(p.realClient, `${id} profile records its real client`);
  }
  // openssl, curl, gnutls-cli, python3, node and java are provisioned by .ci/run; chromium too.
  assert.ok(available.length >= 6, `found only ${available.map(([id]) => id).join(', ')}`);
});

async function agreement(name: SimServerName): Promise<{ problems: string[]; realOk: string[] }> {
  const s = servers[name];
  const problems: string[] = [];
  const okIds: string[] = [];
  // Client processes start slowly (JVM, Chromium): run up to three at once, each through its own proxy.
  const queue = [...available];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [id, client] = next;
      const proxy = await startRecordingProxy({ host: '127.0.0.1', port: s.server.port });
      const run = await client.run(SIM_HOST, proxy.port);
      const conn = proxy.connections.find((c) => c.clientHello && c.serverHello && !c.serverHello.helloRetryRequest);
      await proxy.stop();
      const realOk = (client.succeeded ? client.succeeded(run) : run.code === 0) && conn !== undefined;
      const profile = clientProfileById(id)!;
      const [sim] = await simulateClients({ host: SIM_HOST, port: s.server.port, address: '127.0.0.1', sni: SIM_HOST }, [profile], sendHello, { chain: s.chain });
      const realDesc = realOk ? `${versionByCode(conn!.serverHello!.version)?.name} 0x${conn!.serverHello!.cipherSuite.toString(16)}` : `failed (exit ${run.code})`;
      if (realOk) okIds.push(id);
      if (process.env.TLSDOCTOR_DEBUG) process.stderr.write(`${name} ${id}: real ${realDesc}\n`);
      const simDesc = sim!.ok ? `${sim!.protocol} 0x${sim!.suiteCode!.toString(16)}` : `failed: ${sim!.reason}`;
      if (realOk !== sim!.ok) {
        problems.push(`${id} on ${name}: real ${realDesc}, simulated ${simDesc}`);
      } else if (realOk && (sim!.versionCode !== conn!.serverHello!.version || sim!.suiteCode !== conn!.serverHello!.cipherSuite)) {
        problems.push(`${id} on ${name}: real ${realDesc}, simulated ${simDesc}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { problems, realOk: okIds };
}

/** Which real clients must connect to each server (positive controls: the comparison is not between two failures). */
const MUST_CONNECT: Record<SimServerName, string[]> = {
  tls12: ['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'python-3.11', 'node-20', 'java-17', 'chrome-current'],
  tls10: ['gnutls-3.7'],
  tls13: ['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'python-3.11', 'node-20', 'java-17', 'chrome-current'],
  ecdsa: ['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'python-3.11', 'node-20', 'java-17', 'chrome-current'],
  cbc: ['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'node-20', 'java-17', 'chrome-current'],
  hrr: ['openssl-3.0', 'curl-7.88', 'gnutls-3.7', 'python-3.11', 'node-20', 'java-17', 'chrome-current'],
  ffdhe: ['openssl-3.0', 'python-3.11', 'java-17'],
  // OpenSSL 3 clients refuse it ("unsafe legacy renegotiation disabled"); these connect.
  noreneg: ['gnutls-3.7', 'java-17', 'chrome-current'],
};

for (const name of ['tls12', 'tls10', 'tls13', 'ecdsa', 'cbc', 'hrr', 'ffdhe', 'noreneg'] as SimServerName[]) {
  test(`real clients and their simulations agree on the ${name} server`, { timeout: 240_000 }, async () => {
    const { problems, realOk } = await agreement(name);
    assert.deepEqual(problems, []);
    const present = new Set(available.map(([id]) => id));
    for (const id of MUST_CONNECT[name].filter((i) => present.has(i))) assert.ok(realOk.includes(id), `real ${id} connects to ${name}`);
  });
}
