/**
 * client-test with --require TLSv1.2 (seed 002: "refuse connections ... that are
 * not TLS 1.2 compliant"), and hostile input: truncated hellos, wrong lengths,
 * random bytes, a 1 MB hello, a slow trickle, silence. Each is logged (JSON
 * lines file included) and the server keeps serving real clients.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from './harness.js';
import { tempDir } from '../support/tmp.js';
import { parsePolicy } from '../../src/clienttest/analysis.js';
import { records, ext } from './hello-fixture.js';

let h: Harness;
const logFile = join(tempDir('tlsdoctor-ct-log-'), 'clients.jsonl');
before(async () => {
  h = await startHarness({ policy: parsePolicy('TLSv1.2'), enforce: true, helloTimeoutMs: 1500, jsonLog: logFile });
});
after(() => h.server.close());

function run(cmd: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve) => {
    const c = execFile(cmd, args, { timeout: 20_000 }, (_e, out, err) => resolve(out + err));
    c.stdin?.end(input);
  });
}

/** Opens a raw TCP connection, writes `chunks` (with `gapMs` between), returns what the server sent back. */
function raw(chunks: Buffer[], gapMs = 0, end = true): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = net.connect(h.port, '127.0.0.1');
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', () => {});
    s.on('close', () => resolve(Buffer.concat(got)));
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) break;
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (end && !s.destroyed) s.end();
    });
  });
}

async function curlOk(): Promise<void> {
  const out = await run('curl', ['-sk', '--max-time', '10', `https://127.0.0.1:${h.port}/api/check`]);
  assert.match(out, /"compliant": true/, out);
}

test('--require TLSv1.2: a TLS 1.0 client is refused with a protocol_version alert and still logged', async () => {
  const from = h.entries.length;
  const out = await run('openssl', ['s_client', '-connect', `127.0.0.1:${h.port}`, '-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0'], 'Q\n');
  assert.match(out, /alert protocol version/);
  const e = await h.next(from);
  assert.equal(e.outcome, 'refused');
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: no — offers at most TLS 1.0');
  assert.match(e.error!, /protocol_version alert/);
});

test('--require TLSv1.2: a TLS 1.1 gnutls client is refused too; a TLS 1.3 client completes', async () => {
  const from = h.entries.length;
  const out = await run('gnutls-cli', ['--insecure', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.1', '-p', String(h.port), '127.0.0.1']);
  assert.match(out, /protocol version|Protocol version/i);
  assert.equal((await h.next(from)).outcome, 'refused');
  const from2 = h.entries.length;
  await curlOk();
  const e = await h.next(from2);
  assert.equal(e.outcome, 'completed');
  assert.equal(e.negotiated!.protocol, 'TLSv1.3');
});

test('an SSL 3.0-only hello (scripted bytes: no client here still speaks SSL 3.0) is analysed and refused', async () => {
  const from = h.entries.length;
  const reply = await raw([Buffer.from(records({ version: 0x0300, recordVersion: 0x0300, suites: [0x000a, 0x0005], noExtensionsBlock: true }))]);
  assert.deepEqual([...reply], [21, 3, 0, 0, 2, 2, 70]);
  const e = await h.next(from);
  assert.equal(e.outcome, 'refused');
  assert.equal(e.report!.highestVersion, 'SSLv3');
  assert.deepEqual(e.report!.insecureSuites, ['TLS_RSA_WITH_RC4_128_SHA']);
  assert.ok(e.report!.notes.some((n) => /can only be analysed/.test(n)));
});

test('malformed: truncated hello, lying lengths, random bytes, HTTP, 1 MB hello — each logged, server alive', async () => {
  const good = Buffer.from(records({ suites: [0x1301], extensions: [ext.sni('x.test'), ext.versions([0x0304])] }));
  const lying = Buffer.from(good); lying.writeUInt16BE(0x0fff, 5 + 4 + 2 + 32 + 1); // cipher_suites length
  const huge = Buffer.alloc(5 + 4); huge.set([22, 3, 1, 0x40, 0x00, 1, 0x10, 0x00, 0x00]);
  const cases: [string, Buffer[], RegExp, string][] = [
    ['truncated', [good.subarray(0, 30)], /without a complete ClientHello/, 'closed'],
    ['lying length', [lying], /truncated|trailing/, 'malformed'],
    ['random bytes', [Buffer.concat([Buffer.from([22, 3, 1, 0, 200]), randomBytes(200)])], /./, 'malformed'],
    ['plain HTTP', [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')], /plain HTTP/, 'malformed'],
    ['1 MB hello', [huge, Buffer.alloc(1 << 20)], /ClientHello of 1048580 bytes exceeds the 65536-byte limit/, 'malformed'],
  ];
  for (const [name, chunks, re, outcome] of cases) {
    const from = h.entries.length;
    await raw(chunks);
    const e = await h.next(from);
    assert.equal(e.outcome, outcome, `${name}: ${e.error}`);
    assert.match(e.error!, re, name);
  }
  await curlOk();
});

test('slow trickle and silence hit the hello deadline while other clients keep being served', async () => {
  const good = Buffer.from(records({ suites: [0x1301], extensions: [ext.versions([0x0304])] }));
  const from = h.entries.length;
  const trickle = raw([...good].map((b) => Buffer.from([b])), 100, false);
  const silent = raw([], 0, false);
  await curlOk(); // served while the two others are pending
  await Promise.all([trickle, silent]);
  const timeouts = h.entries.slice(from).filter((e) => e.outcome === 'timeout');
  assert.equal(timeouts.length, 2, JSON.stringify(h.entries.slice(from)));
  for (const t of timeouts) assert.match(t.error!, /no complete ClientHello within 1500 ms/);
});

test('60 hostile connections at once (junk, truncated, lying) are each logged while a real client is served', async () => {
  const good = Buffer.from(records({ suites: [0x1301], extensions: [ext.versions([0x0304])] }));
  const from = h.entries.length;
  const hostile: Promise<Buffer>[] = [];
  for (let i = 0; i < 60; i++) {
    const kind = i % 3;
    const bytes = kind === 0 ? randomBytes(64 + i) : kind === 1 ? good.subarray(0, Math.min(10 + i, good.length - 1)) : Buffer.concat([good.subarray(0, 5), Buffer.from([2, 0, 0, 0])]);
    hostile.push(raw([bytes]));
  }
  await curlOk();
  await Promise.all(hostile);
  const got = await h.next(from, () => h.entries.length - from >= 61);
  assert.ok(got);
  const mine = h.entries.slice(from);
  assert.equal(mine.filter((e) => e.outcome === 'completed').length, 1);
  assert.equal(mine.filter((e) => ['malformed', 'closed'].includes(e.outcome)).length, 60, JSON.stringify(mine.map((e) => e.outcome)));
});

test('the JSON-lines log has one line per client, including those that never completed', async () => {
  await new Promise((r) => setTimeout(r, 100));
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; id: number });
  assert.equal(lines.length, h.entries.length);
  assert.deepEqual(lines.map((l) => l.id), h.entries.map((e) => e.id));
  const outcomes = new Set(lines.map((l) => l.outcome));
  for (const o of ['refused', 'completed', 'malformed', 'timeout', 'closed']) assert.ok(outcomes.has(o), o);
});
