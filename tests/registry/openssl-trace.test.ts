/**
 * Cross-checks the group and signature-scheme code points against OpenSSL's own ClientHello:
 * `openssl s_client -trace` prints every supported_groups / signature_algorithms entry with its name
 * and code. The "server" is a plain TCP listener on loopback that reads the ClientHello and hangs up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { groupByCode, groupByName } from '../../src/registry/groups.js';
import { sigSchemeByCode, sigSchemeByName } from '../../src/registry/sigschemes.js';

async function traceClientHello(extraArgs: string[]): Promise<string> {
  const server = net.createServer((sock) => {
    sock.once('data', () => sock.destroy());
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-trace', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`openssl s_client hung:\n${out}`)); }, 15_000);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('exit', () => { clearTimeout(timer); resolve(out); });
    });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Lines of one extension block in the trace: indented deeper than its "extension_type=" header. */
function extensionLines(trace: string, ext: string): string[] {
  const lines = trace.split('\n');
  const start = lines.findIndex((l) => l.includes(`extension_type=${ext}(`));
  assert.ok(start >= 0, `no ${ext} in trace:\n${trace}`);
  const indent = lines[start].search(/\S/);
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && lines[i].search(/\S/) > indent; i++) out.push(lines[i].trim());
  return out;
}

test('sigschemes: codes and names agree with OpenSSL (signature_algorithms in a real ClientHello)', async () => {
  const hashes = ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];
  const list = [
    ...hashes.flatMap((h) => ['RSA', 'DSA', 'ECDSA'].map((s) => `${s}+${h}`)),
    'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
    'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512', 'ed25519', 'ed448',
  ];
  const trace = await traceClientHello(['-tls1_2', '-sigalgs', list.join(':'), '-cipher', 'ALL:@SECLEVEL=0']);
  const entries = extensionLines(trace, 'signature_algorithms');
  assert.equal(entries.length, list.length, entries.join('\n'));
  for (const e of entries) {
    const m = /^(\S+) \(0x([0-9a-fA-F]{4})\)$/.exec(e);
    assert.ok(m, `unparsed: ${e}`);
    const code = parseInt(m[2], 16);
    assert.equal(sigSchemeByCode(code)?.name, m[1], `0x${m[2]}`);
  }
  // The OpenSSL-style spellings we accept map to the codes OpenSSL sent, in order.
  assert.deepEqual(
    list.map((n) => sigSchemeByName(n)?.code),
    entries.map((e) => parseInt(/\(0x([0-9a-fA-F]{4})\)/.exec(e)![1], 16)),
  );
});

test('groups: codes and names agree with OpenSSL (supported_groups in a real ClientHello)', async () => {
  const names = [
    'sect163k1', 'sect163r1', 'sect163r2', 'sect193r1', 'sect193r2', 'sect233k1', 'sect233r1', 'sect239k1', 'sect283k1',
    'sect283r1', 'sect409k1', 'sect409r1', 'sect571k1', 'sect571r1', 'secp160k1', 'secp160r1', 'secp160r2', 'secp192k1',
    'secp192r1', 'secp224k1', 'secp224r1', 'secp256k1', 'P-256', 'P-384', 'P-521', 'brainpoolP256r1', 'brainpoolP384r1',
    'brainpoolP512r1', 'X25519', 'X448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192',
  ];
  const trace = await traceClientHello(['-groups', names.join(':'), '-cipher', 'ALL:@SECLEVEL=0']);
  const entries = extensionLines(trace, 'supported_groups');
  assert.equal(entries.length, names.length, entries.join('\n'));
  const codes: number[] = [];
  for (const e of entries) {
    // e.g. "sect163k1 (K-163) (1)", "secp256r1 (P-256) (23)", "ecdh_x25519 (29)", "ffdhe2048 (256)"
    const m = /^(\S+)(?: \(([^)]+)\))? \((\d+)\)$/.exec(e);
    assert.ok(m, `unparsed: ${e}`);
    const code = Number(m[3]);
    codes.push(code);
    const g = groupByCode(code);
    assert.ok(g, `missing group ${code}`);
    assert.equal(g.name, m[1].replace(/^ecdh_/, ''), `group ${code}`);
    if (m[2]) assert.equal(groupByName(m[2])?.code, code, `NIST alias ${m[2]}`);
  }
  assert.deepEqual(names.map((n) => groupByName(n)?.code), codes);
});
