/**
 * A host name with several addresses: --resolve gives them (there is no DNS server here to
 * give a name two addresses; the servers are real node:tls servers on 127.0.0.1 and
 * 127.0.0.2, both loopback on Linux, on one port), --all-addresses scans each and compares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { constants } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { runCli } from '../support/cli.js';
import { CertFactory } from '../support/certs.js';
import { startNodeTLSPair } from '../support/servers.js';

const certs = new CertFactory();
const first = certs.make({ cn: 'multi.test', san: 'DNS:multi.test', key: 'ec256' });
const renewed = certs.make({ cn: 'multi.test', san: 'DNS:multi.test', key: 'ec256' });
const options = (c: { cert: string; key: string }, more: tls.TlsOptions = {}): tls.TlsOptions =>
  ({ cert: readFileSync(c.cert), key: readFileSync(c.key), secureOptions: constants.SSL_OP_NO_RENEGOTIATION, ...more });

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/scan-result.schema.json', import.meta.url), 'utf8')));
const valid = (x: unknown) => assert.ok(validate(x), JSON.stringify(validate.errors));

const fast = ['--no-clients', '--no-padding-oracle', '--no-renegotiation', '--timeout', '3000'];

test('scan --resolve: the name stands for the addresses given; the first is scanned, the others are named', async () => {
  const s = await startNodeTLSPair(options(first), options(first));
  try {
    const target = `multi.test:${s.port}`;
    const json = await runCli(['scan', '--json', ...fast, '--resolve', `multi.test:${s.port}:127.0.0.1,127.0.0.2`, target]);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const r = JSON.parse(lines[0]!);
    valid(r);
    assert.deepEqual([r.target.host, r.target.address, r.target.sni, r.target.addresses], ['multi.test', '127.0.0.1', 'multi.test', ['127.0.0.1', '127.0.0.2']]);
    assert.ok(!r.findings.some((f: { id: string }) => f.id === 'scan.addresses-differ'));
    // The human output names the other address and how to scan it.
    const text = await runCli(['scan', ...fast, '--resolve', `multi.test:*:127.0.0.2`, '--resolve', `multi.test:${s.port}:127.0.0.1,127.0.0.2`, target]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^multi\.test:\d+ \(127\.0\.0\.1\)/);
    assert.match(text.stdout, /multi\.test has 2 addresses; also 127\.0\.0\.2 \(not scanned; --all-addresses scans each\)/);
    // An entry for every port: the one address, scanned.
    const star = await runCli(['scan', '--json', ...fast, '--resolve', 'multi.test:*:127.0.0.2', target]);
    assert.equal(star.code, 0, star.stderr);
    const one = JSON.parse(star.stdout);
    assert.equal(one.target.address, '127.0.0.2');
    assert.equal(one.target.addresses, undefined);
  } finally { await s.close(); }
});

test('scan --all-addresses: each address scanned; a node with another certificate and no TLS 1.3 is reported on both sides (scan.addresses-differ)', async () => {
  const s = await startNodeTLSPair(options(first), options(renewed, { maxVersion: 'TLSv1.2' }));
  try {
    const args = ['scan', '--json', ...fast, '--all-addresses', '--resolve', `multi.test:${s.port}:127.0.0.1,127.0.0.2`, `multi.test:${s.port}`];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const x of [a, b]) valid(x);
    assert.deepEqual([a.target.address, b.target.address], ['127.0.0.1', '127.0.0.2']);
    assert.deepEqual(b.target.addresses, ['127.0.0.1', '127.0.0.2']);
    assert.equal(a.protocols.find((p: { version: string }) => p.version === 'TLSv1.3').supported, true);
    assert.equal(b.protocols.find((p: { version: string }) => p.version === 'TLSv1.3').supported, false);
    assert.notEqual(a.certificates[0].sha256, b.certificates[0].sha256);
    const fa = a.findings.find((f: { id: string }) => f.id === 'scan.addresses-differ');
    const fb = b.findings.find((f: { id: string }) => f.id === 'scan.addresses-differ');
    assert.ok(fa && fb, 'both sides carry the finding');
    assert.equal(fa.evidence.comparedWith, '127.0.0.2');
    assert.equal(fb.evidence.comparedWith, '127.0.0.1');
    for (const f of [fa, fb]) {
      assert.ok(f.evidence.differences.includes('protocols'), f.detail);
      assert.ok(f.evidence.differences.includes('certificate'), f.detail);
      assert.equal(f.severity, 'medium');
    }
    assert.match(fb.detail, /protocols only at 127\.0\.0\.1: TLSv1\.3/);
    assert.match(fb.detail, new RegExp(`serial ${b.certificates[0].serialNumber}`));
    // It is a medium finding: --fail-on medium fails.
    assert.equal((await runCli([...args, '--fail-on', 'medium'])).code, 1);
    // The terminal: each address under its own heading, the difference among the findings.
    const text = await runCli(args.filter((x) => x !== '--json'));
    assert.match(text.stdout, /multi\.test:\d+ \(127\.0\.0\.1\)[^\n]*\n  multi\.test has 2 addresses; also 127\.0\.0\.2 \(each scanned\)/);
    assert.match(text.stdout, /multi\.test:\d+ \(127\.0\.0\.2\)/);
    assert.match(text.stdout, /\[scan\.addresses-differ\]/);
  } finally { await s.close(); }
});

test('scan --all-addresses: two nodes alike give no finding; an address with no server is unreachable (exit 3) and differs', async () => {
  const alike = await startNodeTLSPair(options(first), options(first));
  try {
    const r = await runCli(['scan', '--json', ...fast, '--all-addresses', '--resolve', `multi.test:${alike.port}:127.0.0.1,127.0.0.2`, `multi.test:${alike.port}`]);
    assert.equal(r.code, 0, r.stderr);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(results.length, 2);
    for (const x of results) assert.ok(!x.findings.some((f: { id: string }) => f.id === 'scan.addresses-differ'), JSON.stringify(x.findings.map((f: { id: string }) => f.id)));
  } finally { await alike.close(); }

  const lone = await startNodeTLSPair(options(first), null);
  try {
    const args = ['scan', ...fast, '--all-addresses', '--resolve', `multi.test:${lone.port}:127.0.0.1,127.0.0.2`, `multi.test:${lone.port}`];
    const r = await runCli(['scan', '--json', ...args.slice(1)]);
    assert.equal(r.code, 3, r.stderr);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const x of [a, b]) valid(x);
    assert.equal(b.target.address, '127.0.0.2');
    assert.equal(b.errors[0].code, 'unreachable');
    const f = a.findings.find((x: { id: string }) => x.id === 'scan.addresses-differ');
    assert.ok(f, JSON.stringify(a.findings.map((x: { id: string }) => x.id)));
    assert.deepEqual(f.evidence.differences, ['unreachable']);
    assert.match(f.detail, /differs from 127\.0\.0\.2: 127\.0\.0\.2 could not be reached from here \(cannot connect/);
    assert.deepEqual(b.findings.find((x: { id: string }) => x.id === 'scan.addresses-differ')?.evidence.differences, ['unreachable']);
    // Without --json: the reachable node's result, one stderr line naming the other address.
    const text = await runCli(args);
    assert.equal(text.code, 3);
    assert.match(text.stderr, /^tlsdoctor: multi\.test:\d+ \(127\.0\.0\.2\): cannot connect/);
    assert.equal(text.stderr.trim().split('\n').length, 1);
    assert.match(text.stdout, /\[scan\.addresses-differ\]/);
  } finally { await lone.close(); }
});

test('scan --resolve: a malformed entry exits 2 with one line', async () => {
  for (const [value, re] of [
    ['multi.test:443', /expected HOST:PORT:ADDRESS/],
    ['multi.test:443:not-an-ip', /bad address "not-an-ip"/],
    ['multi.test:0:127.0.0.1', /out of range/],
    ['-x-:443:127.0.0.1', /bad host name/],
  ] as [string, RegExp][]) {
    const r = await runCli(['scan', '--resolve', value, 'multi.test']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('scan --all-addresses: one node without the intermediate (the classic "works now and then"): same certificate, another chain, and its incomplete-chain finding named', async () => {
  const { makePki } = await import('../support/pki.js');
  const pki = makePki('Pool');
  const leaf = pki.leaf({ cn: 'multi.test' });
  const full = { cert: readFileSync(leaf.cert, 'utf8') + pki.int.pem, key: readFileSync(leaf.key), secureOptions: constants.SSL_OP_NO_RENEGOTIATION };
  const bare = { ...full, cert: readFileSync(leaf.cert, 'utf8') };
  const s = await startNodeTLSPair(full, bare);
  try {
    const r = await runCli(['scan', '--json', ...fast, '--all-addresses', '--ca-file', pki.rootFile, '--resolve', `multi.test:${s.port}:127.0.0.1,127.0.0.2`, `multi.test:${s.port}`]);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(a.certificates.length, 2);
    assert.equal(b.certificates.length, 1);
    assert.ok(b.findings.some((f: { id: string }) => f.id === 'certificate.incomplete-chain'), JSON.stringify(b.findings.map((f: { id: string }) => f.id)));
    const fb = b.findings.find((f: { id: string }) => f.id === 'scan.addresses-differ');
    assert.deepEqual(fb.evidence.differences, ['chain', 'findings']);
    assert.match(fb.detail, /same certificate, another chain: 1 certificate\(s\) sent here, 2 at 127\.0\.0\.1; findings only here: certificate\.incomplete-chain/);
    assert.deepEqual(a.findings.find((f: { id: string }) => f.id === 'scan.addresses-differ').evidence.differences, ['chain', 'findings']);
  } finally { await s.close(); }
});
