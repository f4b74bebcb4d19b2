/**
 * The profiles of clients installed on this machine against the real thing:
 * each real client connects to a loopback recorder, and its ClientHello must
 * carry the profile's versions, suites (in order), groups, key shares,
 * signature algorithms and extensions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHelloRecorder } from '../support/hello-capture.js';
import { REAL_CLIENTS } from '../support/real-clients.js';
import { clientProfileById, VERSION_CODES } from '../../src/registry/clients/index.js';

const recorder = await startHelloRecorder();
const grease = (v: number) => (v & 0x0f0f) === 0x0a0a;
const real = (a: number[] | null) => (a ?? []).filter((v) => !grease(v));

for (const [id, client] of Object.entries(REAL_CLIENTS)) {
  test(`the ${id} profile matches the ClientHello of the real client`, async () => {
    assert.ok(client.available(), `${id}: the real client is not installed (.ci/run provisions it)`);
    const p = clientProfileById(id)!;
    const run = client.run('server.test', recorder.port);
    const conn = await recorder.next(60_000);
    await run;
    const h = conn.clientHello!;
    assert.deepEqual(real(h.cipherSuites), p.cipherSuites, 'cipher suites in order');
    assert.deepEqual(real(h.groups), p.groups ?? [], 'supported_groups');
    assert.deepEqual(real(h.keyShareGroups), p.keyShareGroups ?? [], 'key shares');
    assert.deepEqual(real(h.signatureAlgorithms), p.signatureAlgorithms ?? [], 'signature_algorithms');
    const versions = p.versions.map((v) => VERSION_CODES[v]).reverse();
    assert.deepEqual(real(h.supportedVersions), versions, 'supported_versions');
    assert.equal(h.sni, p.extensions.sni ? 'server.test' : null, 'SNI');
    assert.deepEqual(h.alpn, p.extensions.alpn, 'ALPN');
    assert.equal(h.extendedMasterSecret, p.extensions.extendedMasterSecret, 'extended_master_secret');
    assert.equal(h.sessionTicket, p.extensions.sessionTicket, 'session_ticket');
    assert.equal(h.statusRequest, p.extensions.statusRequest, 'status_request');
    assert.equal(h.encryptThenMac, p.extensions.encryptThenMac, 'encrypt_then_mac');
    assert.deepEqual(h.ecPointFormats, p.extensions.ecPointFormats, 'ec_point_formats');
    assert.deepEqual(h.pskKeyExchangeModes, p.extensions.pskKeyExchangeModes, 'psk_key_exchange_modes');
    assert.equal(h.recordVersion, p.hello.recordVersion, 'record version');
    assert.equal(p.extensions.grease, h.cipherSuites.some(grease), 'GREASE');
    if (p.extensions.order && !p.extensions.grease) {
      assert.deepEqual(h.extensionOrder.filter((t) => !grease(t)), p.extensions.order, 'extension order');
    }
  });
}
