/**
 * The scan's window: round 1 (every version's hello with a pipelined close,
 * TLS 1.2's also plain, the others' plain too in case the close is dropped)
 * goes at once; after it, a server that close gets at most 8 probes
 * in flight, and one that queues connections at most 10, so that a server
 * with a small listen backlog (gnutls-serv: 10) never sees a burst it would
 * drop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertFactory } from '../support/certs.js';
import { startGnuTLSServer } from '../support/servers.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { ScanContext } from '../../src/scan/context.js';
import { HostPool } from '../../src/net/pool.js';
import type { ProbeTrace } from '../../src/scan/context.js';
import { mostInFlight } from '../support/in-flight.js';

/** gnutls-serv with `priority` and an RSA 2048 certificate for localhost and 127.0.0.1, made now. */
function gnutlsForLocalhost(priority: string) {
  const c = new CertFactory().make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  return startGnuTLSServer({ cert: c.cert, key: c.key, priority });
}

/** gnutls-serv with `priority`, scanned `oneWayMs` each way away (through a delaying relay: every probe and note kept; 50 ms of round trip by default) and directly. */
async function farAndNear(priority: string, oneWayMs = 25) {
  const { startDelayRelay } = await import('../support/delay-relay.js');
  const s = await gnutlsForLocalhost(priority);
  const relay = await startDelayRelay(s.port, oneWayMs);
  const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
  const trace: ProbeTrace[] = [];
  const notes: string[] = [];
  const far = await scanEndpoint(ep(relay.port), { timeoutMs: 4000, onProbe: (p) => trace.push(p), onNote: (t) => notes.push(t) });
  const near = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  return { far, near, trace, notes };
}


test('gnutls-serv on loopback (one connection at a time, backlog 10): no more probes in flight after round 1 than its backlog, and the right suites', async () => {
  const s = await gnutlsForLocalhost('NONE:+VERS-TLS1.2:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE');
  const trace: ProbeTrace[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: s.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => trace.push(p) });
  const round1 = trace.filter((p) => p.purpose === 'protocols' || p.purpose === 'pipeline-check');
  // TLS 1.2 pipelined (the check) and plain, then the other five pipelined (SSLv2 has no close to
  // pipeline), then the four other versions plain (withdrawn once both TLS 1.2 answers agree).
  assert.equal(round1.length, 11);
  assert.equal(round1.filter((p) => p.pipelineClose).length, 5);
  const afterRound1 = Math.max(...round1.map((p) => p.ended));
  assert.ok(trace.length > 30, `${trace.length} probes`);
  // Judged near (the quickest answer within 25 ms): at most 8 in flight. A machine loaded enough
  // to slow round 1 beyond that looks like a far server; the judgement itself is tested below.
  const quickest = Math.min(...round1.filter((p) => p.outcome.kind !== 'failed').map((p) => p.ended - p.started));
  if (quickest < 25) assert.ok(mostInFlight(trace, afterRound1) <= 8, `most in flight: ${mostInFlight(trace, afterRound1)}`);
  const tls12 = r.protocols.find((p) => p.version === 'TLSv1.2')!;
  assert.equal(tls12.supported, true);
  assert.equal(tls12.serverPreference, true);
  // ECDHE-RSA and RSA with AES-128/256-CBC (SHA-1, SHA-256) and AES-128-GCM.
  assert.deepEqual(tls12.cipherSuites.map((x) => x.id).sort((a, b) => a - b),
    [0x002f, 0x0035, 0x003c, 0x003d, 0x009c, 0xc013, 0xc014, 0xc027, 0xc02f]);
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.2']);
});

test('gnutls-serv 50 ms away (through a delaying relay): round 1 sees the queueing; later probes carry a pipelined close, at most 10 in flight (24 when its handshakes are quick), and the suites are right', async () => {
  // Three versions: three plain round-1 answers held a round trip each make the queueing plain to see.
  const { far, near, trace, notes } = await farAndNear('NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE');
  const round1 = trace.filter((p) => p.purpose === 'protocols' || p.purpose === 'pipeline-check');
  const round1End = Math.max(...round1.map((p) => p.ended));
  const later = trace.filter((p) => p.started >= round1End);
  assert.ok(later.length > 20);
  assert.ok(later.filter((p) => p.pipelineClose).length > later.length / 2, `${later.filter((p) => p.pipelineClose).length} of ${later.length} pipelined`);
  // Judged early, from the two TLS 1.2 answers: the TLS 1.2 suites were asked for, pipelined,
  // before the answers held back behind the plain hello came in.
  assert.ok(notes.some((t) => /^takes one connection at a time \(judged early/.test(t)), notes.join('\n'));
  assert.ok(trace.some((p) => p.purpose === 'ciphers' && p.pipelineClose && p.started < round1End), 'TLS 1.2 suites asked for during round 1');
  // So were the checks that need only TLS 1.2's answer (compression, heartbeat and ALPN, and CCS
  // injection; ROBOT is begun then too, but may wait for a slot when the window is 10).
  assert.ok(trace.some((p) => p.purpose === 'compression' && p.started < round1End), 'compression asked for during round 1');
  // The server's handshake time as the early verdict saw it: the plain TLS 1.2 hello's answer came
  // one handshake after its pipelined twin's (the window then stands for the rest of the scan).
  const held = round1.find((p) => !p.pipelineClose && p.outcome.kind === 'hello' && p.outcome.serverHello.version === 0x0303)!;
  const twin = round1.find((p) => p.purpose === 'pipeline-check')!;
  const handshakeMs = Math.max(0, held.ended - twin.ended);
  const most = mostInFlight(trace, round1End);
  assert.ok(most <= (handshakeMs <= 3 ? 24 : 10), `most in flight: ${most} (handshakes ${handshakeMs.toFixed(1)} ms apart)`);
  const sets = (r: typeof far) => r.protocols.map((p) => [p.version, p.serverPreference, p.cipherSuites.map((x) => x.id)]);
  assert.deepEqual(sets(far), sets(near), 'the same suites, in the same order, far and near');
  assert.deepEqual(far.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
  assert.equal(far.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.length, 9);
});

test('a pipelined probe whose flight a relay loses twice is asked again pipelined, and its answer counts: no plain retry, no narrower window', async () => {
  const { startDelayRelay } = await import('../support/delay-relay.js');
  const priority = 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+ECDHE-RSA:+AES-128-GCM:+AES-128-CBC:+AEAD:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE';
  const s = await gnutlsForLocalhost(priority);
  // The compression check's hello is the only one that offers ALPN's http/1.1 to a server without
  // TLS 1.3: the relay loses the flights of its first two connections.
  let lose = 2;
  const relay = await startDelayRelay(s.port, 25, { loseFlight: (d) => d.includes('http/1.1') && lose-- > 0 });
  const trace: ProbeTrace[] = [];
  const notes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port: relay.port, address: '127.0.0.1', sni: 'localhost' }, { timeoutMs: 4000, onProbe: (p) => trace.push(p), onNote: (t) => notes.push(t) });
  assert.ok(notes.some((t) => /^takes one connection at a time/.test(t)), notes.join('\n'));
  const asked = trace.filter((p) => p.purpose.startsWith('compression'));
  assert.deepEqual(asked.map((p) => [p.purpose, p.pipelineClose, p.outcome.kind]),
    [['compression', true, 'failed'], ['compression(retry)', true, 'failed'], ['compression(retry)', true, 'hello']]);
  assert.equal(r.features?.compression, false);
  assert.ok(!notes.some((t) => /asked plainly/.test(t)), notes.join('\n'));
  assert.ok(!trace.some((p) => p.purpose.endsWith('(plain retry)')));
  assert.deepEqual(r.protocols.filter((p) => p.supported).map((p) => [p.version, p.cipherSuites.length]), [['TLSv1.1', 1], ['TLSv1.2', 2]]);
});

test('gnutls-serv 4 ms away (one connection at a time, judged near): the probes after round 1 carry a pipelined close, so none holds it for a round trip; the results are those of a direct scan', async () => {
  // Near, round 1 cannot tell a server that takes one connection at a time (a millisecond of our
  // own CPU looks like queueing): every probe ends with a pipelined close once round 1 showed it
  // works. Plain, each held this server a round trip (the 3des bench server 8 ms away through the
  // shared latency proxy: engine 861 ms plain, 362 pipelined).
  const { far: r, near: direct, trace, notes } = await farAndNear('NONE:+VERS-TLS1.2:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+AES-128-GCM:+SHA1:+SHA256:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE', 4);
  const round1End = Math.max(...trace.filter((p) => p.purpose === 'protocols' || p.purpose === 'pipeline-check').map((p) => p.ended));
  const later = trace.filter((p) => p.started >= round1End && /^(ciphers|pairs|order|groups)/.test(p.purpose));
  assert.ok(later.length > 10, `${later.length} probes after round 1`);
  // Near or, on a machine slow enough to make round 1 look far, judged to take one connection at a
  // time: pipelined either way.
  assert.ok(notes.some((t) => /^(near|takes one connection at a time)/.test(t)), notes.join('\n'));
  assert.ok(later.every((p) => p.pipelineClose), later.filter((p) => !p.pipelineClose).map((p) => p.purpose).join(', '));
  const sets = (x: typeof r) => x.protocols.map((p) => [p.version, p.serverPreference, p.cipherSuites.map((c) => c.id)]);
  assert.deepEqual(sets(r), sets(direct));
  assert.deepEqual(r.groups.map((g) => g.id), direct.groups.map((g) => g.id));
  assert.equal(r.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.length, 9);
});

test('judgeQueueing: near answers narrow the window to 8; far answers with two held back mean queueing (window 10, paced); far even answers, or one late, change nothing', () => {
  const judged = (times: number[]) => {
    const ctx = new ScanContext({ host: 'x', port: 1, address: '127.0.0.1', sni: null }, new HostPool(32), 1000, new AbortController().signal);
    ctx.answerTimes.push(...times);
    ctx.judgeQueueing();
    return { limit: ctx.pool.limit, queueing: ctx.queueing };
  };
  assert.deepEqual(judged([9, 10, 12, 15, 14]), { limit: 8, queueing: false }, 'loopback');
  assert.deepEqual(judged([52, 53, 54, 104, 158, 160]), { limit: 10, queueing: true }, 'one connection at a time, 50 ms away');
  assert.deepEqual(judged([69, 115, 116, 117, 118]), { limit: 10, queueing: true }, 'held behind a plain hello whose own answer was slow (cold start)');
  assert.deepEqual(judged([52, 55, 60, 58, 53]), { limit: 32, queueing: false }, 'concurrent, 50 ms away');
  assert.deepEqual(judged([52, 55, 60, 120]), { limit: 32, queueing: false }, 'one hiccup is not queueing');
  assert.deepEqual(judged([]), { limit: 32, queueing: false }, 'no answer at all');
});

test('a server that queues connections gets 24 connections 2 ms apart when pipelined closes work and its handshakes are quick, else 10', () => {
  const judged = (hellos: number[], verified: boolean) => {
    const pool = new HostPool(32);
    const ctx = new ScanContext({ host: 'x', port: 1, address: '127.0.0.1', sni: null }, pool, 1000, new AbortController().signal);
    ctx.answerTimes.push(52, 104, 105, 106);
    ctx.pipelinedHellos.push(...hellos);
    ctx.pipelineVerified = verified;
    ctx.judgeQueueing();
    return { queueing: ctx.queueing, limit: pool.limit, handshakeMs: Math.round(ctx.handshakeMs() * 10) / 10 };
  };
  assert.deepEqual(judged([100, 100.7, 101.4], true), { queueing: true, limit: 24, handshakeMs: 0.7 });
  assert.deepEqual(judged([100, 106.5, 113], true), { queueing: true, limit: 10, handshakeMs: 6.5 }, 'a 4096-bit key: slow handshakes');
  assert.deepEqual(judged([100, 100.7, 101.4], false), { queueing: true, limit: 10, handshakeMs: 0.7 }, 'plain probes hold the server');
  assert.equal(judged([100], true).limit, 10, 'one handshake tells nothing');
});

test('judgeEarly: two far TLS 1.2 answers (pipelined, then plain) judge a server that serves one connection at a time before the rest of round 1 is in; judgeQueueing then confirms it, or undoes it when nothing came in late', () => {
  const ctx = (times: number[]) => {
    const c = new ScanContext({ host: 'x', port: 1, address: '127.0.0.1', sni: null }, new HostPool(32), 1000, new AbortController().signal);
    c.answerTimes.push(...times);
    return c;
  };
  const near = ctx([3, 4]);
  assert.equal(near.judgeEarly(1), false, 'near: no verdict early');
  assert.equal(near.queueing, false);
  const held = ctx([52, 53]);
  assert.equal(held.judgeEarly(1.2), true);
  assert.deepEqual({ queueing: held.queueing, pipelined: held.pipelineClose, limit: held.pool.limit, gap: held.pool.gapMs }, { queueing: true, pipelined: true, limit: 24, gap: 2 });
  assert.equal(held.judgeEarly(1.2), false, 'judged once');
  held.answerTimes.push(104, 105, 106);
  const notes: string[] = [];
  held.onNote = (t) => notes.push(t);
  held.judgeQueueing();
  assert.equal(held.queueing, true);
  assert.match(notes.join('\n'), /as judged early/);
  const slow = ctx([52, 53]);
  assert.equal(slow.judgeEarly(6.5), true);
  assert.equal(slow.pool.limit, 10, 'slow handshakes: the narrow window');
  const undone = ctx([52, 53]);
  undone.judgeEarly(1);
  undone.answerTimes.push(55, 54); // the rest came in on time after all (or failed)
  undone.judgeQueueing();
  assert.deepEqual({ queueing: undone.queueing, limit: undone.pool.limit, gap: undone.pool.gapMs }, { queueing: false, limit: 32, gap: 0 });
});

test('a far server judged concurrent that goes on to answer late is judged to queue after all; a near one is not', () => {
  const ctx = (times: number[]) => {
    const c = new ScanContext({ host: 'x', port: 1, address: '127.0.0.1', sni: null }, new HostPool(32), 1000, new AbortController().signal);
    c.answerTimes.push(...times);
    c.judgeQueueing();
    return c;
  };
  const far = ctx([52, 55, 53, 54]);
  assert.equal(far.queueing, false);
  for (let i = 0; i < 7; i++) far.noteAnswer(160);
  far.noteAnswer(60);
  assert.equal(far.queueing, false, 'seven late answers are not enough');
  far.noteAnswer(170);
  assert.deepEqual({ queueing: far.queueing, limit: far.pool.limit }, { queueing: true, limit: 10 });
  const near = ctx([3, 4, 5]);
  for (let i = 0; i < 20; i++) near.noteAnswer(100);
  assert.equal(near.queueing, false);
  assert.equal(near.pool.limit, 8);
});

test('late answers while the scan\'s own full handshakes are under way (and a round trip after) do not make a far server judged to queue', async () => {
  const c = new ScanContext({ host: 'x', port: 1, address: '127.0.0.1', sni: null }, new HostPool(32), 1000, new AbortController().signal);
  c.answerTimes.push(52, 55, 53, 54);
  c.judgeQueueing();
  let release!: () => void;
  const own = c.ownHandshake('test', () => new Promise<void>((resolve) => { release = resolve; }));
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 20; i++) c.noteAnswer(170);
  assert.equal(c.queueing, false, 'not while our own handshake runs');
  release();
  await own;
  for (let i = 0; i < 20; i++) c.noteAnswer(170);
  assert.equal(c.queueing, false, 'nor a round trip after');
  await new Promise((r) => setTimeout(r, 60));
  for (let i = 0; i < 8; i++) c.noteAnswer(170);
  assert.equal(c.queueing, true, 'later, late answers count again');
});

test('gnutls-serv, TLS 1.3 only, 50 ms away: round 1 sees that it takes one connection at a time (its plain TLS 1.3 hello holds it, the rest of the round comes back late): every later probe is pipelined', async () => {
  const { far, near, trace, notes } = await farAndNear('NORMAL:-VERS-ALL:+VERS-TLS1.3');
  const sets = (r: typeof far) => r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((x) => x.id)]);
  assert.deepEqual(sets(far), sets(near), 'the same suites, in the same order, far and near');
  assert.deepEqual(far.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.3']);
  assert.deepEqual(far.groups.map((g) => g.id), near.groups.map((g) => g.id));
  assert.ok(notes.some((t) => /^takes one connection at a time \(\d+ of \d+ answers held back behind the quickest/.test(t)), notes.join('\n'));
  assert.ok(!notes.some((t) => /serves connections at once|answers keep coming in late/.test(t)), notes.join('\n'));
  // Round 1: the TLS 1.3 hello without a pipelined close was sent third, right behind TLS 1.2's
  // pair, and everything answered after its answer came back at least half a round trip later.
  const round1 = trace.filter((p) => p.purpose === 'protocols' || p.purpose === 'pipeline-check');
  const plain13 = round1.find((p) => !p.pipelineClose && p.outcome.kind === 'hello' && p.outcome.serverHello.version === 0x0304)!;
  assert.ok(plain13, 'TLS 1.3 answered without a pipelined close');
  assert.ok(round1.filter((p) => p.started < plain13.started).length <= 2, 'sent right behind the TLS 1.2 pair');
  const held = round1.filter((p) => p !== plain13 && p.outcome.kind !== 'failed' && p.ended > plain13.ended);
  assert.ok(held.length >= 2 && held.every((p) => p.ended - plain13.ended >= 25), held.map((p) => `${p.started.toFixed(0)}-${p.ended.toFixed(0)}`).join(' '));
  const round1End = Math.max(...round1.map((p) => p.ended));
  const later = trace.filter((p) => p.started >= round1End);
  assert.ok(later.length > 10 && later.every((p) => p.pipelineClose || p.purpose.endsWith('(plain retry)')), 'pipelined from round 2 on');
  // One plain hello at a time in round 2 would have cost a round trip each: the scan takes a few.
  assert.ok(far.durationMs < 2000, `${far.durationMs} ms`);
});

test('gnutls-serv, TLS 1.3 only, 50 ms away: the certificate handshake goes with a pipelined close beside the probes; one that meets a HelloRetryRequest (P-384 only) is done plainly at the end; a second key that only TLS 1.3 reaches is still found', async () => {
  const { startDelayRelay } = await import('../support/delay-relay.js');
  const f = new CertFactory();
  const rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' });
  const ec = f.make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
  const scanFar = async (priority: string, twoKeys = false) => {
    const s = await startGnuTLSServer({ cert: rsa.cert, key: rsa.key, priority, args: twoKeys ? ['--x509certfile', ec.cert, '--x509keyfile', ec.key] : [] });
    const relay = await startDelayRelay(s.port, 25);
    const handshakes: { purpose: string; started: number; ended: number; what: string }[] = [];
    const trace: ProbeTrace[] = [];
    const notes: string[] = [];
    const r = await scanEndpoint({ host: '127.0.0.1', port: relay.port, address: '127.0.0.1', sni: 'localhost' },
      { timeoutMs: 4000, onProbe: (p) => trace.push(p), onHandshake: (h) => handshakes.push(h), onNote: (t) => notes.push(t) });
    assert.ok(notes.some((t) => /^takes one connection at a time/.test(t)), notes.join('\n'));
    return { r, handshakes, trace };
  };
  const { X509Certificate } = await import('node:crypto');
  const sha = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

  // X25519 first: the pipelined handshake reads the chain while the probes are still going.
  const plain = await scanFar('NORMAL:-VERS-ALL:+VERS-TLS1.3');
  assert.equal(plain.r.certificates.length, 1);
  assert.equal(plain.r.certificates[0]!.sha256, sha(rsa.pem));
  const lastProbe = Math.max(...plain.trace.map((p) => p.ended));
  const chain = plain.handshakes.find((h) => h.purpose === 'certificates');
  assert.ok(chain && /1 certificate/.test(chain.what) && chain.ended < lastProbe, JSON.stringify(plain.handshakes));

  // P-384 only: the pipelined attempt meets a HelloRetryRequest; the chain comes from a plain one after the probes.
  const hrr = await scanFar('NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1');
  assert.equal(hrr.r.certificates[0]?.sha256, sha(rsa.pem));
  assert.ok(hrr.handshakes.some((h) => h.purpose === 'certificates' && /not read/.test(h.what)), JSON.stringify(hrr.handshakes));
  assert.ok(!hrr.r.errors.some((e) => e.stage === 'certificates'), JSON.stringify(hrr.r.errors));

  // Two keys, TLS 1.2 suites of the RSA one only, groups that need a HelloRetryRequest: the ECDSA chain.
  const two = await scanFar('NONE:+VERS-TLS1.3:+VERS-TLS1.2:+ECDHE-RSA:+AES-128-GCM:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-SECP521R1:+GROUP-X448', true);
  assert.equal(two.r.certificates[0]!.keyType, 'RSA');
  assert.deepEqual(two.r.alternateChains?.map((a) => [a.auth, a.certificates[0]!.sha256]), [['ECDSA', sha(ec.pem)]]);
});

test('gnutls-serv with TLS 1.0 and 1.1 only, 50 ms away: no TLS 1.2 or 1.3 answer to compare, so round 1 asks TLS 1.1 plainly; pipelined closes are on and the suites are right', async () => {
  const { far, near, trace, notes } = await farAndNear('NONE:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+AES-256-CBC:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL:%SERVER_PRECEDENCE');
  const sets = (r: typeof far) => r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((x) => x.id)]);
  assert.deepEqual(sets(far), sets(near));
  assert.deepEqual(far.protocols.filter((p) => p.supported).map((p) => p.version), ['TLSv1.0', 'TLSv1.1']);
  assert.ok(notes.some((t) => /^takes one connection at a time .*pipelined closes on/.test(t)), notes.join('\n'));
  const round1 = trace.filter((p) => p.purpose === 'protocols' || p.purpose === 'pipeline-check');
  assert.ok(round1.some((p) => !p.pipelineClose && p.outcome.kind === 'hello' && p.outcome.serverHello.version === 0x0302), 'TLS 1.1 asked plainly');
  const round1End = Math.max(...round1.map((p) => p.ended));
  const later = trace.filter((p) => p.started >= round1End);
  // (ROBOT and the CCS injection check send more after the flight: they never carry a pipelined close.)
  const plain = later.filter((p) => !p.pipelineClose && !/retry\)$/.test(p.purpose) && !/^(robot|ccs-injection)/.test(p.purpose));
  assert.ok(later.length > 10 && plain.length === 0, `pipelined from round 2 on: ${plain.map((p) => p.purpose).join(' ')}`);
});

test('gnutls-serv with ffdhe8192 as its only DH group, 25 ms away (one connection at a time): once the DH probe shows the group, every hello that offers a DHE suite is heavy, the guesses queued before too; the results are those of a direct scan', async () => {
  // Found by a differential campaign through the latency proxy at 22 ms (seed 2101): the order's
  // pairs, queued as guesses before the DH probe answered, went out 19 at a time; a pair the
  // server answered with a DHE suite made it compute an 8192-bit key while the rest queued
  // beyond its listen backlog of 10, and their SYNs waited a second (1.6 s scans, now 0.6-0.75 s).
  const { startDelayRelay } = await import('../support/delay-relay.js');
  const s = await gnutlsForLocalhost('NONE:+VERS-TLS1.2:+ECDHE-RSA:+DHE-RSA:+RSA:+AES-128-GCM:+AES-256-GCM:+CAMELLIA-128-GCM:+AES-128-CCM-8:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-FFDHE8192:+GROUP-X25519:+GROUP-SECP256R1:%SERVER_PRECEDENCE');
  const relay = await startDelayRelay(s.port, 25);
  const ep = (port: number) => ({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' });
  const trace: ProbeTrace[] = [];
  let heavyFrom = Infinity;
  const notes: string[] = [];
  const far = await scanEndpoint(ep(relay.port), {
    timeoutMs: 4000, onProbe: (p) => trace.push(p),
    onNote: (t) => { notes.push(t); if (/^DH group of 8192 bits/.test(t)) heavyFrom = performance.now(); },
  });
  relay.close();
  const near = await scanEndpoint(ep(s.port), { timeoutMs: 4000 });
  assert.ok(notes.some((t) => /^takes one connection at a time/.test(t)), notes.join('\n'));
  assert.ok(Number.isFinite(heavyFrom), notes.join('\n'));
  // Every probe begun after that and answered with a DHE suite ran with at most 10 in flight.
  const dhe = new Set(far.protocols.find((p) => p.version === 'TLSv1.2')!.cipherSuites.filter((c) => c.kx === 'DHE').map((c) => c.id));
  assert.ok(dhe.size >= 3, JSON.stringify([...dhe]));
  const heavy = trace.filter((p) => p.started >= heavyFrom && p.outcome.kind === 'hello' && dhe.has(p.outcome.serverHello.cipherSuite));
  assert.ok(heavy.some((p) => p.purpose.startsWith('pairs:')), `the pairs answered with a DHE suite: ${heavy.map((p) => p.purpose).join(', ')}`);
  for (const p of heavy) {
    const beside = trace.filter((q) => q.started < p.ended && q.ended > p.started);
    const most = mostInFlight(beside, -Infinity);
    assert.ok(most <= 10, `${p.purpose}: ${most} probes in flight beside it`);
  }
  const sets = (r: typeof far) => r.protocols.map((p) => [p.version, p.serverPreference, p.cipherSuites.map((x) => x.id)]);
  assert.deepEqual(sets(far), sets(near), 'the same suites, in the same order, far and near');
});
