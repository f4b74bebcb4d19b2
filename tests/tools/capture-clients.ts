/**
 * Developer tool (not a test): captures the ClientHello of every real client on
 * this machine and prints it as JSON, to derive and re-check client profiles.
 *   npx tsc -p . && node dist/tests/tools/capture-clients.js [id...]
 */
import { startHelloRecorder } from '../support/hello-capture.js';
import { REAL_CLIENTS } from '../support/real-clients.js';

const ids = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(REAL_CLIENTS);
const rec = await startHelloRecorder();
const out: Record<string, unknown> = {};
for (const id of ids) {
  const c = REAL_CLIENTS[id];
  if (!c || !c.available()) { out[id] = 'not available'; continue; }
  const p = c.run('server.test', rec.port);
  const h = await rec.next(60_000);
  await p;
  const { body: _b, ...rest } = h.clientHello!;
  const hex = (a: number[] | null) => a && a.map((x) => '0x' + x.toString(16).padStart(4, '0'));
  out[id] = { ...rest, cipherSuites: hex(rest.cipherSuites), groups: hex(rest.groups), keyShareGroups: hex(rest.keyShareGroups),
    signatureAlgorithms: hex(rest.signatureAlgorithms), supportedVersions: hex(rest.supportedVersions) };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
await rec.stop();
process.exit(0);
