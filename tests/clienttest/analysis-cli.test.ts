/** The analysis verdicts, policies, and the client-hello / client-test commands end to end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { analyzeClientHello, parsePolicy, renderReportText } from '../../src/clienttest/analysis.js';
import { analyzeClientHello as fromIndex } from '../../src/index.js';
import { UsageError } from '../../src/util/errors.js';
import { records, ext, sslv2Hello } from './hello-fixture.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('tlsdoctor-ch-');

async function cli(...args: string[]) {
  let out = '', err = '';
  const o = new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } });
  const e = new Writable({ write(c, _e, cb) { err += c.toString(); cb(); } });
  const code = await main(['node', 'tlsdoctor', ...args], { stdout: o, stderr: e });
  return { code, out, err };
}

const tls10 = records({ version: 0x0301, suites: [0x0035, 0x002f, 0x000a, 0x0005, 0x00ff], extensions: [ext.sni('legacy.test'), ext.groups([23, 24]), ext.pointFormats([0])] });

test('verdicts: TLS 1.0-only client, TLS 1.3-only client against TLSv1.2 and TLSv1.3 policies', () => {
  const old = analyzeClientHello(tls10);
  assert.equal(old.verdict.summary, 'TLS 1.2 compliant: no — offers at most TLS 1.0');
  assert.deepEqual(old.insecureSuites, ['TLS_RSA_WITH_RC4_128_SHA']);
  assert.deepEqual(old.weakSuites, ['TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA']);
  assert.deepEqual(old.versionsOffered, ['TLSv1']);
  assert.match(old.versionsNote!, /accepts up to TLS 1\.0, and maybe lower versions/);
  const modern = records({ suites: [0x1301], extensions: [ext.versions([0x0304]), ext.groups([0x11ec]), ext.keyShare([0x11ec])] });
  const r12 = analyzeClientHello(modern, parsePolicy('TLSv1.2'));
  assert.equal(r12.verdict.compliant, true);
  assert.equal(r12.postQuantum, true);
  assert.deepEqual(r12.keyShareGroups, ['X25519MLKEM768']);
  const r13 = analyzeClientHello(records({ suites: [0xc02f], extensions: [ext.versions([0x0303])] }), parsePolicy('TLSv1.3'));
  assert.equal(r13.verdict.summary, 'TLS 1.3 compliant: no — offers at most TLS 1.2');
});

test('policy items: aead and no-insecure; TLS 1.2 offered with only TLS 1.3 suites is not enough', () => {
  const cbcOnly = records({ suites: [0xc013, 0xc014], extensions: [ext.versions([0x0303])] });
  assert.equal(analyzeClientHello(cbcOnly, parsePolicy('TLSv1.2')).verdict.compliant, true);
  const aead = analyzeClientHello(cbcOnly, parsePolicy('TLSv1.2,aead'));
  assert.equal(aead.verdict.summary, 'TLS 1.2 compliant: no — offers no AEAD (GCM/ChaCha20/CCM) cipher suite');
  const rc4 = analyzeClientHello(records({ suites: [0xc02f, 0x0005] }), parsePolicy('TLSv1.2,no-insecure'));
  assert.match(rc4.verdict.summary, /offers insecure cipher suites: TLS_RSA_WITH_RC4_128_SHA/);
  const mismatch = analyzeClientHello(records({ suites: [0x1301], extensions: [ext.versions([0x0303])] }));
  assert.match(mismatch.verdict.summary, /offers TLS 1\.2 but no cipher suite usable with it/);
  assert.throws(() => parsePolicy('TLSv9'), UsageError);
  assert.throws(() => parsePolicy('aead'), /names no protocol version/);
});

test('SSLv2-compatible hello: SSLv2 kinds are insecure, versions include SSLv2', () => {
  const r = analyzeClientHello(sslv2Hello(0x0301, [0x010080, 0x0700c0, 0x00002f]));
  assert.equal(r.format, 'sslv2');
  assert.deepEqual(r.versionsOffered, ['TLSv1']);
  assert.equal(r.highestVersion, 'TLSv1');
  assert.deepEqual(r.insecureSuites, ['SSL_CK_RC4_128_WITH_MD5', 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5']);
  assert.ok(r.notes.some((n) => /SSLv2-compatible/.test(n)));
  assert.match(renderReportText(r), /SSLv2 kinds: SSL_CK_RC4_128_WITH_MD5/);
  assert.equal(fromIndex, analyzeClientHello, 'library export');
});

test('tlsdoctor client-hello FILE: hex with colons and newlines, text and --json; exit 1 when not compliant', async () => {
  const hexFile = join(dir, 'hello.hex');
  writeFileSync(hexFile, Buffer.from(tls10).toString('hex').replace(/(..)/g, '$1:').replace(/(.{60})/g, '$1\n'));
  const text = await cli('client-hello', hexFile);
  assert.equal(text.code, 1);
  assert.match(text.out, /^TLS 1\.2 compliant: no — offers at most TLS 1\.0\n/);
  assert.match(text.out, /0x0005 TLS_RSA_WITH_RC4_128_SHA\s+insecure/);
  assert.match(text.out, /JA3: {8}[0-9a-f]{32}  769,53-47-10-5-255,0-10-11,23-24,0/);
  const rawFile = join(dir, 'hello.bin');
  writeFileSync(rawFile, tls10);
  const json = await cli('client-hello', rawFile, '--json', '--require', 'TLSv1');
  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out);
  assert.equal(r.verdict.summary, 'TLS 1.0 compliant: yes — offers up to TLS 1.0');
  assert.equal(r.sni, 'legacy.test');
});

test('tlsdoctor client-hello: unreadable, empty and malformed input are one-line errors (exit 2)', async () => {
  const bad = join(dir, 'bad.hex');
  writeFileSync(bad, '16 03 01 00 05 01 00 00 ff');
  const r = await cli('client-hello', bad);
  assert.equal(r.code, 2);
  assert.equal(r.err, `tlsdoctor: ${bad}: not a ClientHello: truncated ClientHello: 9 byte(s) do not hold a complete hello\n`);
  const missing = await cli('client-hello', join(dir, 'nope'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^tlsdoctor: cannot read .*nope/);
  assert.equal((await cli('client-hello', bad, '--require', 'TLSv7')).code, 2);
});

test('tlsdoctor client-test (the real CLI process): serves a client, writes the JSON log, stops on SIGTERM', async () => {
  const bin = fileURLToPath(new URL('../../../bin/tlsdoctor.js', import.meta.url));
  const log = join(dir, 'ct.jsonl');
  const child = spawn(process.execPath, [bin, 'client-test', '--port', '0', '--require', 'TLSv1.2', '--json-log', log], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
    child.stdout.on('data', () => { const m = /listening on https:\/\/127\.0\.0\.1:(\d+)\//.exec(out); if (m) { clearTimeout(t); resolve(Number(m[1])); } });
  });
  assert.match(out, /policy TLSv1\.2, enforced, self-signed certificate/);
  const body = await new Promise<string>((resolve) => execFile('curl', ['-sk', '--max-time', '10', `https://127.0.0.1:${port}/api/check`], (_e, so) => resolve(so)));
  assert.equal(JSON.parse(body).report.verdict.compliant, true);
  const refused = await new Promise<string>((resolve) => execFile('curl', ['-sk', '--max-time', '10', '--tlsv1', '--tls-max', '1.0', '--ciphers', 'DEFAULT:@SECLEVEL=0', `https://127.0.0.1:${port}/`], (_e, so, se) => resolve(so + se)));
  assert.equal(refused, '');
  await new Promise((r) => setTimeout(r, 200));
  const code = await new Promise<number | null>((resolve) => { child.on('exit', (c) => resolve(c)); child.kill('SIGTERM'); });
  assert.equal(code, 0);
  const lines = out.split('\n').filter((l) => / #\d+ /.test(l));
  assert.equal(lines.length, 2, out);
  assert.match(lines[0]!, /completed: TLS 1\.2 compliant: yes/);
  assert.match(lines[1]!, /refused: TLS 1\.2 compliant: no — offers at most TLS 1\.0/);
  const { readFileSync } = await import('node:fs');
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l).outcome), ['completed', 'refused']);
});

test('reports validate against schema/client-hello-report.schema.json (TLS 1.0, TLS 1.3 with GREASE, SSLv2)', async () => {
  const { readFileSync } = await import('node:fs');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schema/client-hello-report.schema.json', import.meta.url), 'utf8')));
  const reports = [
    analyzeClientHello(tls10),
    analyzeClientHello(records({ suites: [0x2a2a, 0x1301, 0x00ff], extensions: [ext.empty(0x3a3a), ext.sni('a.test'), ext.alpn(['h2']), ext.versions([0x4a4a, 0x0304]), ext.groups([0x5a5a, 0x11ec]), ext.keyShare([0x11ec])] })),
    analyzeClientHello(sslv2Hello(0x0002, [0x010080])),
  ];
  for (const r of reports) assert.ok(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors));
});
