/** `tlsdoctor clients`: listing, --json, --markdown (docs/clients.md is current), bad selections exit 2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { CLIENT_PROFILES } from '../../src/registry/clients/index.js';

function sink() {
  let data = '';
  const s = new Writable({ write(chunk, _enc, cb) { data += chunk; cb(); } });
  return { s, text: () => data };
}

async function run(args: string[]) {
  const out = sink(), err = sink();
  const code = await main(['node', 'tlsdoctor', ...args], { stdout: out.s, stderr: err.s });
  return { code, out: out.text(), err: err.text() };
}

test('clients lists every profile with its sources', async () => {
  const r = await run(['clients']);
  assert.equal(r.code, 0);
  for (const p of CLIENT_PROFILES) assert.ok(r.out.includes(`${p.id}  ${p.name}`), p.id);
  assert.match(r.out, /Microsoft Learn: TLS Cipher Suites in Windows 7 <https:\/\/learn\.microsoft\.com/);
  assert.match(r.out, /Capture of OpenJDK 17\.0\.21\.1 .* <docs\/captures\/java-17\.json>/);
  assert.doesNotMatch(r.out, /\u001b\[/, 'no colour when not a TTY');
});

test('clients SELECTION --json gives the full data of the selected profiles', async () => {
  const r = await run(['clients', 'dotnet-4.5,java-17', '--json']);
  assert.equal(r.code, 0);
  const data = JSON.parse(r.out) as { id: string; cipherSuites: number[]; sources: { url: string }[]; remediation: { general: string } }[];
  assert.deepEqual(data.map((p) => p.id), ['dotnet-4.5', 'java-17']);
  assert.ok(data[0]!.sources.length > 3);
  assert.match(data[0]!.remediation.general, /SchUseStrongCrypto=1/);
  assert.equal(data[1]!.cipherSuites[0], 0x1302);
});

test('clients with an unknown id exits 2 with one line', async () => {
  const r = await run(['clients', 'cobol']);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.err, /unknown client "cobol"/);
});

test('docs/clients.md is the current --markdown output', async () => {
  const r = await run(['clients', '--markdown']);
  assert.equal(r.code, 0);
  assert.equal(readFileSync('docs/clients.md', 'utf8'), r.out, 'regenerate with: node bin/tlsdoctor.js clients --markdown > docs/clients.md');
  for (const p of CLIENT_PROFILES) assert.ok(r.out.includes(`## ${p.id}: `), p.id);
});
