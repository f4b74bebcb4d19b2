/**
 * `diagnose URL --client IDS`: the runtimes the user has, each sending its own ClientHello to a
 * real node:tls server and judged against the chain (protocols, intermediate fetching): a client
 * that fails where nothing else is wrong becomes the verdict.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';
import { makePki, serve, serveIssuer } from '../support/pki.js';
import { pemToDers } from '../../src/x509/cert.js';

const pki = makePki('Diagnose Clients');
const run = async (args: string[]) => { const r = await runCli(args); return { code: r.code, out: r.stdout, err: r.stderr }; };
const url = (port: number) => `https://localhost:${port}`;

test('diagnose --client: a good chain, Java 17 connects (exit 0); Java 7 (TLS 1.0 only) against a TLS 1.2+ server is the verdict, with its fix (exit 1)', async () => {
  const s = await serve(pki, pki.leaf({ cn: 'localhost' }), [pki.int]);
  try {
    const ok = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--client', 'java-17']);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^Verdict: no certificate problem/);
    assert.match(ok.out, /Client simulation \(1 of 1 connect\)/);

    const bad = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--client', 'java-7', '--json']);
    assert.equal(bad.code, 1, bad.out + bad.err);
    const r = JSON.parse(bad.out);
    assert.equal(r.ok, false);
    assert.equal(r.clients.length, 1);
    assert.equal(r.clients[0].id, 'java-7');
    assert.equal(r.clients[0].ok, false);
    assert.match(r.verdict, /^Java 7 \(7u80\) cannot connect: no common protocol/);
    assert.match(r.steps[0], /-Djdk\.tls\.client\.protocols=TLSv1\.2/);
  } finally {
    await s.stop();
  }
});

test('diagnose --client with --fetch-intermediates: the server leaves out its intermediate; Java 17 fails (does not fetch it), .NET connects (fetches it)', async () => {
  const web = await serveIssuer(pemToDers(pki.int.pem)[0]!);
  after(() => web.close());
  const aia = web.url;
  const s = await serve(pki, pki.leaf({ cn: 'localhost', extra: [`authorityInfoAccess=caIssuers;URI:${aia}`] }), []);
  try {
    const r = await run(['diagnose', url(s.port), '--ca-file', pki.rootFile, '--fetch-intermediates', '--client', 'java-17,dotnet-4.7-win10', '--json']);
    assert.equal(r.code, 1, r.out + r.err);
    const j = JSON.parse(r.out);
    const byId = new Map(j.clients.map((c: { id: string }) => [c.id, c])) as Map<string, { ok: boolean; reason: string; remediation: string | null }>;
    assert.equal(byId.get('java-17')!.ok, false);
    assert.match(byId.get('java-17')!.reason, /does not fetch it: .*PKIX path building failed/);
    assert.equal(byId.get('dotnet-4.7-win10')!.ok, true);
    assert.match(byId.get('dotnet-4.7-win10')!.reason, /fetches the missing intermediate/);
    // The server's problem stays the verdict (the missing intermediate), the clients are evidence.
    assert.match(j.verdict, /does not send its intermediate/);
  } finally {
    await s.stop();
  }
});

test('diagnose --client with an unknown id: one line, exit 2, before any connection', async () => {
  const r = await run(['diagnose', 'https://localhost:1', '--client', 'java-99x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown client "java-99x"/);
  assert.equal(r.err.trim().split('\n').length, 1);
});
