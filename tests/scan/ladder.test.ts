/**
 * The ladder (scan/ciphers.ts): a server a few milliseconds away is asked
 * every candidate suite but the ones it already picked, one probe after the
 * other, so that it names its suites in its own order, one probe each; a
 * server whose steps keep the scan waiting longer has the rest split as a
 * first round would. Against real nginx servers on loopback and through a
 * delaying relay.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CertFactory, type CertFiles } from '../support/certs.js';
import { startNginx } from '../support/servers.js';
import { startDelayRelay } from '../support/delay-relay.js';
import { scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { suiteByName } from '../../src/registry/ciphers.js';
import type { ProbeTrace } from '../../src/scan/context.js';
import { mostInFlight } from '../support/in-flight.js';
import type { ScanResult } from '../../src/scan/types.js';

const f = new CertFactory();
let rsa: CertFiles;
before(() => { rsa = f.make({ cn: 'localhost', key: 'rsa2048', san: 'DNS:localhost,IP:127.0.0.1' }); });

// Eight suites in an order no guess from their shapes gives (AES-128 before AES-256, CBC among
// the AEADs, RSA key exchange among ECDHE), with server order on.
const ORDER = [
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
];
const OPENSSL_NAMES = [
  'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-CHACHA20-POLY1305',
  'AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'AES256-SHA', 'ECDHE-RSA-AES256-SHA',
];

async function scanWithTrace(port: number) {
  const trace: ProbeTrace[] = [];
  const notes: string[] = [];
  let probes: Record<string, number> = {};
  const r = await scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'localhost' },
    { timeoutMs: 4000, onProbe: (p) => trace.push(p), onNote: (t) => notes.push(t), onStats: (p) => { probes = p; } });
  return { r, trace, notes, probes };
}

/** The engine's note when a ladder stopped, and the wait it names (ms). */
function ladderStop(notes: string[]): number | undefined {
  const m = notes.map((t) => /^TLSv1\.2: suites asked one after the other \(a ladder\) until a step kept the scan waiting ([\d.]+) ms/.exec(t)).find(Boolean);
  return m ? Number(m[1]) : undefined;
}

const tls12 = (r: ScanResult) => r.protocols.find((p) => p.version === 'TLSv1.2')!;
/** The TLS 1.2 enumeration's probes (round 1's full hello is a `protocols` probe). */
const cipherProbes = (trace: ProbeTrace[]) => trace.filter((p) => p.purpose === 'ciphers' || p.purpose === 'ciphers:next');

test('nginx on loopback with an order of its own: its suites asked in a ladder, one probe each and one more, and its order read from the picks with no pair asked', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', `ssl_ciphers '${OPENSSL_NAMES.join(':')}';`, 'ssl_prefer_server_ciphers on;'] });
  try {
    const { r, trace, notes, probes } = await scanWithTrace(s.port);
    assert.deepEqual(tls12(r).cipherSuites.map((c) => c.name), ORDER);
    assert.equal(tls12(r).serverPreference, true);
    // Nginx answers a probe on loopback in a millisecond or two. On a machine so busy that round 1's
    // answers took 25 ms the server is judged far, with no ladder (the first sets go out at once);
    // one where a step kept the scan waiting over 10 ms has the ladder stopped, and says so. Either
    // way the results must stand.
    if (!notes.some((t) => t.startsWith('near'))) {
      const sets = cipherProbes(trace);
      assert.ok(sets.filter((p) => p.started < sets[0]!.ended).length > 1, notes.join('\n'));
      return;
    }
    const stopped = ladderStop(notes);
    if (stopped !== undefined) {
      assert.ok(stopped > 10, notes.join('\n'));
      return;
    }
    // The first choice came with round 1; the ladder asks for each of the seven others and is
    // refused once: eight probes, one after the other.
    const steps = cipherProbes(trace);
    assert.equal(steps.length, ORDER.length, JSON.stringify(probes));
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i]!.started >= steps[i - 1]!.ended, `step ${i} went out before step ${i - 1} was answered`);
    assert.deepEqual(steps.map((p) => p.outcome.kind === 'hello' ? p.outcome.serverHello.cipherSuite : null),
      [...ORDER.slice(1).map((n) => suiteByName(n)!.code), null]);
    // The order needs no pair: the picks came in it. Only the preference check asks (a pair both ways).
    assert.equal(probes['pairs:TLSv1.2'] ?? 0, 0, JSON.stringify(probes));
    assert.ok((probes['order:TLSv1.2'] ?? 0) <= 4, JSON.stringify(probes));
  } finally { await s.stop(); }
});

test('the same nginx farther after round 1 (20 ms away from then on): judged near, its ladder stops after the first step that kept the scan waiting, the rest is split, and the results are the same', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', `ssl_ciphers '${OPENSSL_NAMES.join(':')}';`, 'ssl_prefer_server_ciphers on;'] });
  // Round 1 is 11 connections (TLS 1.2 pipelined and plain, the other versions both ways, SSLv2).
  const relay = await startDelayRelay(s.port, 0, { oneWayMsOf: (n) => (n <= 11 ? 0 : 10) });
  try {
    const { r, trace, notes } = await scanWithTrace(relay.port);
    assert.deepEqual(tls12(r).cipherSuites.map((c) => c.name), ORDER);
    assert.equal(tls12(r).serverPreference, true);
    const steps = cipherProbes(trace).sort((a, b) => a.started - b.started);
    if (!notes.some((t) => t.startsWith('near'))) {
      // A machine so busy that round 1's answers took 25 ms: far, and no ladder at all (the first
      // sets go out at once).
      assert.ok(steps.filter((p) => p.started < steps[0]!.ended).length > 1, notes.join('\n'));
      return;
    }
    // The first step (every suite but the first choice) goes alone, and keeps the scan waiting a
    // round trip; what is left of it goes out in several sets at once.
    const [first, ...rest] = steps;
    assert.ok(first!.ended - first!.started >= 20, `the first step took ${first!.ended - first!.started} ms`);
    assert.ok(ladderStop(notes)! > 10, notes.join('\n'));
    assert.ok(rest.length > 0 && rest.every((p) => p.started >= first!.ended));
    const second = rest.filter((p) => p.started < Math.min(...rest.map((q) => q.ended)));
    assert.ok(second.length > 1, `${second.length} set(s) offered at once after the first step`);
  } finally { relay.close(); await s.stop(); }
});

test('the same nginx nearer after round 1 (round 1 held back 200 ms, as by a server that was asleep): judged far, then judged again once answers come in at a fraction of that time; near, the window narrows and the connections opened ahead close; the results are the same', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', `ssl_ciphers '${OPENSSL_NAMES.join(':')}';`, 'ssl_prefer_server_ciphers on;'] });
  const relay = await startDelayRelay(s.port, 0, { oneWayMsOf: (n) => (n <= 11 ? 100 : 0) });
  try {
    const trace: ProbeTrace[] = [];
    const notes: { at: number; text: string }[] = [];
    const r = await scanEndpoint({ host: '127.0.0.1', port: relay.port, address: '127.0.0.1', sni: 'localhost' },
      { timeoutMs: 4000, onProbe: (p) => trace.push(p), onNote: (text) => notes.push({ at: performance.now(), text }) });
    const said = notes.map((n) => n.text).join('\n');
    assert.deepEqual(tls12(r).cipherSuites.map((c) => c.name), ORDER);
    assert.equal(tls12(r).serverPreference, true);
    assert.ok(notes.some((n) => /^far \(quickest answer \d+ ms\)/.test(n.text)), said);
    // The answers after round 1 come in within a few ms, or some tens while this process is busy
    // with round 2's work (64 probes in flight): near after all, or at least nearer.
    const again = notes.find((n) => /^answers now come in within \d+ ms, round 1's took \d+ ms or more: (near after all|nearer than round 1 said)/.test(n.text));
    assert.ok(again, said);
    if (/near after all/.test(again.text)) {
      assert.ok(notes.some((n) => /^connections opened ahead: .*\(stopped: the server is near after all\)/.test(n.text)), said);
      // Probes that start after that judgement: at most 8 in flight among them.
      const most = mostInFlight(trace, again.at);
      assert.ok(most <= 8, `most in flight among the probes started after the judgement: ${most}`);
    }
  } finally { relay.close(); await s.stop(); }
});

/** A relay to nginx that holds open and silent the connections `hold` names (by number, from 1), and passes the rest on. */
async function holdingRelay(target: number, hold: (n: number) => boolean) {
  let n = 0;
  const held = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    client.on('error', () => undefined);
    if (hold(++n)) { held.add(client); client.on('close', () => held.delete(client)); return; }
    const upstream = net.connect(target, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return { port: (relay.address() as net.AddressInfo).port, close: () => { for (const c of held) c.destroy(); relay.close(); } };
}

test('the same nginx stalling after round 1 (a relay that takes every later connection and passes nothing on): the ladder\'s timed-out step is split once, not down to single suites, and the scan ends saying it is incomplete', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', `ssl_ciphers '${OPENSSL_NAMES.join(':')}';`, 'ssl_prefer_server_ciphers on;'] });
  // Round 1 is 11 connections; every later one is held open and silent.
  const relay = await holdingRelay(s.port, (n) => n > 11);
  try {
    const started = performance.now();
    const { r, trace, notes } = await scanWithTrace(relay.port);
    const took = performance.now() - started;
    if (!notes.some((t) => t.startsWith('near'))) return assert.ok(r.errors.some((e) => e.code === 'incomplete'), JSON.stringify(r.errors));
    // The ladder's first step and the two halves it was split into, at most: not one per suite.
    const steps = cipherProbes(trace);
    assert.ok(steps.length <= 3, JSON.stringify(steps.map((p) => p.purpose)));
    assert.ok(steps[0]!.outcome.kind === 'failed' && steps[0]!.outcome.code === 'timeout', JSON.stringify(steps[0]!.outcome));
    assert.ok(r.errors.some((e) => e.code === 'incomplete'), JSON.stringify(r.errors));
    // Stopped once a hello the server had answered got no answer either: two probe deadlines.
    assert.ok(r.errors.some((e) => e.code === 'stalled'), JSON.stringify(r.errors));
    assert.ok(notes.some((t) => t.startsWith('stalled')), notes.join('\n'));
    assert.ok(took < 3 * 4000, `${took.toFixed(0)} ms`);
    // The finding says why the results are partial, the stall first.
    const incomplete = assess(r, { host: 'localhost' }).findings.find((x) => x.id === 'scan.incomplete');
    assert.deepEqual((incomplete?.evidence as { reasons?: string[] } | undefined)?.reasons, ['stalled', 'incomplete']);
    assert.match(incomplete!.detail, /^the server stopped answering/);
  } finally {
    relay.close();
    await s.stop();
  }
});

test('the same nginx silent for a while after round 1, then answering again: no stall is declared (a hello it answered before is answered), and the scan goes on', async () => {
  const s = await startNginx({ cert: rsa.cert, key: rsa.key, directives: ['ssl_protocols TLSv1.2;', `ssl_ciphers '${OPENSSL_NAMES.join(':')}';`, 'ssl_prefer_server_ciphers on;'] });
  // The first wave after round 1 (8 probes in flight near) is held; every connection after it is passed on.
  const relay = await holdingRelay(s.port, (n) => n > 11 && n <= 19);
  try {
    const { r, notes } = await scanWithTrace(relay.port);
    assert.ok(!r.errors.some((e) => e.code === 'stalled'), JSON.stringify(r.errors));
    assert.ok(!notes.some((t) => t.startsWith('stalled')), notes.join('\n'));
    assert.ok(tls12(r).supported);
    assert.ok(tls12(r).cipherSuites.length >= 1, JSON.stringify(tls12(r)));
  } finally {
    relay.close();
    await s.stop();
  }
});
