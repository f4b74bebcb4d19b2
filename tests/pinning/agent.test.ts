import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import fc from 'fast-check';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { freePort } from '../support/servers.js';
import { createPinnedAgent, createPinnedDispatcher, peerCertificateOfSession, type VerifiedConnection } from '../../src/pinning/agent.js';
import { PIN_MISMATCH_MESSAGE, REQUEST_PROBLEM_MESSAGE, PinMismatchError, PinningRequestError } from '../../src/pinning/errors.js';
import { spkiPinOfCertificate } from '../../src/x509/spki.js';
import { opensslPinOfCert, startHttps, tamper } from './support.js';

let ca: CertFiles, inter: CertFiles, good: CertFiles, bad: CertFiles, goodChain: string;
let goodPin: string, badPin: string, interPin: string;
const backupPin = 'sha256/' + Buffer.alloc(32, 7).toString('base64');

const f = new CertFactory();

before(() => {
  ca = f.make({ cn: 'Pinning Test Root', ca: true, key: 'ec256' });
  inter = f.make({ cn: 'Pinning Test Intermediate', ca: true, key: 'ec256', issuer: ca });
  good = f.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', issuer: inter, key: 'ec256' });
  bad = f.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', issuer: inter, key: 'ec256' });
  goodChain = good.pem + inter.pem;
  goodPin = `sha256/${opensslPinOfCert(good.cert)}`;
  badPin = `sha256/${opensslPinOfCert(bad.cert)}`;
  interPin = `sha256/${opensslPinOfCert(inter.cert)}`;
  assert.notEqual(goodPin, badPin);
});

function get(agent: https.Agent, port: number, extra: https.RequestOptions & { session?: Buffer } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: 'localhost', port, path: '/', agent, ...extra }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

async function fetchText(dispatcher: ReturnType<typeof createPinnedDispatcher>, port: number): Promise<string> {
  const r = await fetch(`https://localhost:${port}/`, { dispatcher });
  return r.text();
}

/** fetch wraps connector errors in TypeError('fetch failed') with our error as cause. */
async function fetchError(dispatcher: ReturnType<typeof createPinnedDispatcher>, port: number): Promise<Error> {
  try { await fetchText(dispatcher, port); } catch (e) { return ((e as Error).cause ?? e) as Error; }
  assert.fail('fetch succeeded');
}

test('https agent and fetch dispatcher: a server whose key matches a pin passes', async () => {
  const srv = await startHttps({ cert: goodChain, key: good.keyPem });
  const seen: VerifiedConnection[] = [];
  const agent = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem, onVerified: (v) => seen.push(v) });
  assert.equal(await get(agent, srv.port), 'ok');
  assert.deepEqual(seen[0]!.matchedPins, [goodPin.slice(7)]);
  const d = createPinnedDispatcher({ pins: { localhost: [goodPin, backupPin] }, ca: ca.pem });
  assert.equal(await fetchText(d, srv.port), 'ok');
  await d.close();
  // Pins on the intermediate match too (and come from the chain Node verified).
  const agent2 = createPinnedAgent({ pins: [interPin, backupPin], ca: ca.pem });
  assert.equal(await get(agent2, srv.port), 'ok');
  agent.destroy(); agent2.destroy();
});

test("tampered pins (one character changed in each hash, the seed's test) fail with the first message", async () => {
  const srv = await startHttps({ cert: goodChain, key: good.keyPem });
  const pins = [tamper(goodPin), tamper(interPin), tamper(backupPin)];
  const agent = createPinnedAgent({ pins, ca: ca.pem });
  await assert.rejects(get(agent, srv.port), (e: Error) => {
    assert.ok(e instanceof PinMismatchError);
    assert.equal(e.message, PIN_MISMATCH_MESSAGE);
    assert.equal(e.sessionReused, false);
    assert.ok(e.peerPins.includes(goodPin.slice(7)));
    return true;
  });
  const d = createPinnedDispatcher({ pins, ca: ca.pem });
  const e = await fetchError(d, srv.port);
  assert.equal(e.message, PIN_MISMATCH_MESSAGE);
  await d.close();
  agent.destroy();
});

test('a different server key behind the same host name fails on a fresh handshake', async () => {
  const srv = await startHttps({ cert: bad.pem + inter.pem, key: bad.keyPem });
  const agent = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem });
  await assert.rejects(get(agent, srv.port), { message: PIN_MISMATCH_MESSAGE, sessionReused: false });
  const d = createPinnedDispatcher({ pins: [goodPin, backupPin], ca: ca.pem });
  assert.equal((await fetchError(d, srv.port)).message, PIN_MISMATCH_MESSAGE);
  await d.close();
  agent.destroy();
});

/** A session from a plain (unpinned) client, as any other code in the process could hold. */
function plainSession(port: number, maxVersion: tls.SecureVersion): Promise<{ session: Buffer; reused: boolean }> {
  return new Promise((resolve, reject) => {
    let session: Buffer | undefined;
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.pem, maxVersion, session: undefined });
    s.on('session', (x) => { session = x; });
    s.on('secureConnect', () => s.write('GET / HTTP/1.1\r\nhost: localhost\r\n\r\n'));
    s.on('data', () => {});
    s.on('end', () => { const reused = s.isSessionReused(); s.destroy(); session ? resolve({ session, reused }) : reject(new Error('no session')); });
    s.on('error', reject);
  });
}

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`a different server key fails on a resumed session too (${version}, real resumption through a shared ticket key)`, async () => {
    const ticketKeys = randomBytes(48);
    const port = await freePort();
    // Server A holds the wrong key; an unpinned client obtains a session from it.
    const a = await startHttps({ cert: bad.pem + inter.pem, key: bad.keyPem, port, ticketKeys, maxVersion: version });
    const { session } = await plainSession(port, version);
    assert.equal(spkiPinOfCertificate(peerCertificateOfSession(session)!), badPin.slice(7), 'the session records the key that authenticated it');
    await a.stop();
    // The server on the same port now has the pinned key and the same ticket key: resumption really succeeds.
    await startHttps({ cert: goodChain, key: good.keyPem, port, ticketKeys, maxVersion: version });
    // Node's own check is skipped on resumption: a pin check in checkServerIdentity would accept this.
    let naiveCalled = false;
    const naive = await new Promise<boolean>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.pem, session, maxVersion: version,
        checkServerIdentity: () => { naiveCalled = true; return new Error('pin mismatch'); } });
      s.on('secureConnect', () => { const r = s.isSessionReused(); s.destroy(); resolve(r); });
      s.on('error', reject);
    });
    assert.equal(naive, true, 'the resumption is real');
    assert.equal(naiveCalled, false, 'Node skipped checkServerIdentity');
    // The pinned agent refuses: the resumed session was authenticated by the wrong key.
    const agent = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem, maxVersion: version });
    await assert.rejects(get(agent, port, { session }), (e: Error) => {
      assert.ok(e instanceof PinMismatchError);
      assert.equal(e.message, PIN_MISMATCH_MESSAGE);
      assert.equal(e.sessionReused, true);
      assert.deepEqual(e.peerPins, [badPin.slice(7)]);
      return true;
    });
    // Without the foreign session, the same agent connects (fresh handshake with the pinned key).
    assert.equal(await get(agent, port), 'ok');
    agent.destroy();
  });
}

test('sessions the agent verified resume, and pins on the intermediate still hold on resumption', async () => {
  const srv = await startHttps({ cert: goodChain, key: good.keyPem });
  for (const make of ['agent', 'dispatcher'] as const) {
    const seen: VerifiedConnection[] = [];
    const o = { pins: [interPin, backupPin], ca: ca.pem, onVerified: (v: VerifiedConnection) => seen.push(v) };
    if (make === 'agent') {
      const agent = createPinnedAgent(o);
      assert.equal(await get(agent, srv.port), 'ok');
      assert.equal(await get(agent, srv.port), 'ok');
      agent.destroy();
    } else {
      const d = createPinnedDispatcher(o);
      assert.equal(await fetchText(d, srv.port), 'ok');
      assert.equal(await fetchText(d, srv.port), 'ok');
      await d.close();
    }
    assert.deepEqual(seen.map((s) => s.sessionReused), [false, true], make);
    // On resumption Node reports no certificate; the verdict came with the session.
    assert.deepEqual(seen[1]!.matchedPins, [interPin.slice(7)], make);
  }
  const seen: VerifiedConnection[] = [];
  const noResume = createPinnedAgent({ pins: [interPin, backupPin], ca: ca.pem, maxCachedSessions: 0, onVerified: (v) => seen.push(v) });
  assert.equal(await get(noResume, srv.port), 'ok');
  assert.equal(await get(noResume, srv.port), 'ok');
  assert.deepEqual(seen.map((s) => s.sessionReused), [false, false], 'maxCachedSessions: 0 turns resumption off');
  noResume.destroy();
});

test('an unreachable host, an untrusted chain, a TLS version below the minimum and an unpinned host give the second message', async () => {
  const port = await freePort();
  const agent = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem });
  await assert.rejects(get(agent, port), (e: Error) => {
    assert.ok(e instanceof PinningRequestError);
    assert.equal(e.message, REQUEST_PROBLEM_MESSAGE);
    assert.match(e.detail, /ECONNREFUSED/);
    return true;
  });
  const d = createPinnedDispatcher({ pins: [goodPin, backupPin], ca: ca.pem });
  assert.equal((await fetchError(d, port)).message, REQUEST_PROBLEM_MESSAGE);
  await d.close();

  const srv12 = await startHttps({ cert: goodChain, key: good.keyPem, maxVersion: 'TLSv1.2' });
  const untrusting = createPinnedAgent({ pins: [goodPin, backupPin] });
  await assert.rejects(get(untrusting, srv12.port), { message: REQUEST_PROBLEM_MESSAGE });
  const strict = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem, minVersion: 'TLSv1.3' });
  await assert.rejects(get(strict, srv12.port), (e: Error) => {
    assert.equal(e.message, REQUEST_PROBLEM_MESSAGE);
    assert.match((e as PinningRequestError).detail, /protocol|version/i);
    return true;
  });
  const ok12 = createPinnedAgent({ pins: [goodPin, backupPin], ca: ca.pem, minVersion: 'TLSv1.2' });
  assert.equal(await get(ok12, srv12.port), 'ok');
  const otherHost = createPinnedAgent({ pins: { 'api.example.com': [goodPin, backupPin] }, ca: ca.pem });
  await assert.rejects(get(otherHost, srv12.port), (e: Error) => {
    assert.equal(e.message, REQUEST_PROBLEM_MESSAGE);
    assert.match((e as PinningRequestError).detail, /no configured pins/);
    return true;
  });
  for (const a of [agent, untrusting, strict, ok12, otherHost]) a.destroy();
});

test('pins that are not SHA-256 SPKI pins are refused when the agent is created; a pinning.json may carry a dummy', async () => {
  assert.throws(() => createPinnedAgent({ pins: ['sha256/short'] }), /not a SHA-256 SPKI pin/);
  assert.throws(() => createPinnedAgent({ pins: { hosts: [{ host: 'localhost', hashes: ['sha256/dummy', 'x'] }] } }), /localhost: no valid SHA-256 SPKI pin/);
  const srv = await startHttps({ cert: goodChain, key: good.keyPem });
  const agent = createPinnedAgent({ pins: { hosts: [{ host: 'localhost', hashes: [goodPin, 'sha256/dummy text'] }] }, ca: ca.pem });
  assert.equal(await get(agent, srv.port), 'ok');
  agent.destroy();
});

test('property: reading the certificate out of a session never throws on damaged or foreign bytes', async () => {
  const srv = await startHttps({ cert: goodChain, key: good.keyPem, maxVersion: 'TLSv1.2' });
  const { session } = await plainSession(srv.port, 'TLSv1.2');
  assert.equal(spkiPinOfCertificate(peerCertificateOfSession(session)!), goodPin.slice(7));
  fc.assert(fc.property(fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)),
    fc.nat(session.length).map((n) => session.subarray(0, n)),
    fc.tuple(fc.nat(session.length - 1), fc.nat(255)).map(([i, b]) => { const c = Buffer.from(session); c[i] = b; return c; }),
  ), (bytes) => {
    const r = peerCertificateOfSession(bytes);
    assert.ok(r === null || (Buffer.isBuffer(r) && r[0] === 0x30));
  }), { numRuns: 500 });
});

test("Node's built-in fetch takes the pinned dispatcher too", async () => {
  const srv = await startHttps({ cert: goodChain, key: good.keyPem });
  const ok = createPinnedDispatcher({ pins: [goodPin, backupPin], ca: ca.pem });
  const r = await globalThis.fetch(`https://localhost:${srv.port}/`, { dispatcher: ok } as unknown as RequestInit);
  assert.equal(await r.text(), 'ok');
  const refused = createPinnedDispatcher({ pins: [tamper(goodPin), backupPin], ca: ca.pem });
  await assert.rejects(globalThis.fetch(`https://localhost:${srv.port}/`, { dispatcher: refused } as unknown as RequestInit),
    (e: Error) => (e.cause as Error).message === PIN_MISMATCH_MESSAGE);
  await ok.close(); await refused.close();
});
