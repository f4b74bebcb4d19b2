import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { tempDir } from '../support/tmp.js';
import { validatePinningText, type ValidateOptions } from '../../src/pinning/config.js';
import { parseJsonWithPositions, JsonSyntaxError, MAX_JSON_DEPTH } from '../../src/pinning/json-source.js';
import { runCli } from './support.js';

const A = 'sha256/' + Buffer.alloc(32, 1).toString('base64');
const B = 'sha256/' + Buffer.alloc(32, 2).toString('base64');
const C = 'sha256/' + Buffer.alloc(32, 3).toString('base64');
const file = (hosts: unknown) => JSON.stringify({ hosts }, null, 2);
const one = (host: unknown, hashes: unknown) => file([{ host, hashes }]);

const root = join(fileURLToPath(import.meta.url), '../../../..');
const schema = JSON.parse(readFileSync(join(root, 'schema/pinning.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
const schemaValidate = ajv.compile(schema);

interface Case {
  name: string;
  text: string;
  options?: ValidateOptions;
  /** Expected problems: [severity, code, path, message (substring or regexp)]. Empty: valid. */
  expect: Array<[string, string, string, string | RegExp]>;
  /** Whether the JSON Schema (which editors use) also rejects it; undefined when it cannot say (syntax, extension). */
  schema?: boolean;
}

const CASES: Case[] = [
  { name: "seed 003's example shape", text: one('www.example.com', [A, B]), expect: [], schema: true },
  { name: 'a pin that starts with "/" (sha256//…) is not mistaken for curl\'s prefix', text: one('www.example.com', [A, 'sha256/' + Buffer.from([0xfc, ...Buffer.alloc(31, 7)]).toString('base64')]), expect: [], schema: true },
  { name: 'several hosts', text: file([{ host: 'www.myserver1.com', hashes: [A, B] }, { host: 'api.myserver2.com', hashes: [B, C] }]), expect: [], schema: true },
  { name: 'syntax error: trailing comma, with line and column', text: '{\n  "hosts": [\n    {"host": "a.example.com", "hashes": ["x",]}\n  ]\n}',
    expect: [['error', 'json-syntax', '$', "JSON syntax error at line 3, column 46: trailing comma before ']'"]] },
  { name: 'syntax error: single quotes', text: "{'hosts': []}", expect: [['error', 'json-syntax', '$', 'line 1, column 2: expected a property name in double quotes']] },
  { name: 'syntax error: truncated file', text: '{"hosts": [', expect: [['error', 'json-syntax', '$', 'line 1, column 12: unexpected end of file']] },
  { name: 'empty file', text: '  \n', expect: [['error', 'json-empty', '$', 'the file is empty']] },
  { name: 'wrong extension', text: one('www.example.com', [A, B]), options: { fileName: 'pinning.txt' },
    expect: [['error', 'file-extension', '$', 'file name "pinning.txt" does not end in .json']] },
  { name: 'top level is an array', text: JSON.stringify([{ host: 'www.example.com', hashes: [A, B] }]), expect: [['error', 'root-not-object', '$', 'the top level is an array']], schema: false },
  { name: 'hosts missing', text: '{}', expect: [['error', 'hosts-missing', '$', 'the "hosts" array is missing']], schema: false },
  { name: 'hosts not an array', text: JSON.stringify({ hosts: { host: 'www.example.com', hashes: [A, B] } }), expect: [['error', 'hosts-not-array', '$.hosts', '"hosts" is not an array']], schema: false },
  { name: 'hosts empty', text: file([]), expect: [['error', 'hosts-empty', '$.hosts', '"hosts" is empty']], schema: false },
  { name: 'unknown property with a suggestion', text: file([{ host: 'www.example.com', pins: [A, B] }]),
    expect: [['error', 'unknown-property', '$.hosts[0].pins', 'unknown property "pins"'], ['error', 'hashes-missing', '$.hosts[0]', 'has no "hashes"']], schema: false },
  { name: 'unknown top-level property', text: JSON.stringify({ hosts: [{ host: 'www.example.com', hashes: [A, B] }], version: 2 }), expect: [['error', 'unknown-property', '$.version', 'unknown property "version" at the top level']], schema: false },
  { name: 'host entry not an object', text: file(['www.example.com']), expect: [['error', 'host-entry-not-object', '$.hosts[0]', 'hosts[0] is not an object']], schema: false },
  { name: 'host missing', text: file([{ hashes: [A, B] }]), expect: [['error', 'host-missing', '$.hosts[0]', 'has no "host"']], schema: false },
  { name: 'host not a string', text: one(42, [A, B]), expect: [['error', 'host-not-string', '$.hosts[0].host', '"host" is not a string']], schema: false },
  { name: 'host with scheme', text: one('https://www.example.com/', [A, B]), expect: [['error', 'host-scheme', '$.hosts[0].host', 'has a scheme (https://)']], schema: false },
  { name: 'host with path', text: one('www.example.com/api', [A, B]), expect: [['error', 'host-path', '$.hosts[0].host', 'has a path']], schema: false },
  { name: 'host with port', text: one('www.example.com:8443', [A, B]), expect: [['error', 'host-port', '$.hosts[0].host', 'has a port']], schema: false },
  { name: 'wildcard host (no subdomains)', text: one('*.example.com', [A, B]), expect: [['error', 'host-wildcard', '$.hosts[0].host', 'is a wildcard; pinning.json has no subdomain matching']], schema: false },
  { name: 'IP address', text: one('192.0.2.10', [A, B]), expect: [['error', 'host-ip', '$.hosts[0].host', 'is an IP address']], schema: false },
  { name: 'IP address allowed for a test set-up', text: one('127.0.0.1', [A, B]), options: { allowLocal: true }, expect: [] },
  { name: 'not a full host name', text: one('intranet', [A, B]), expect: [['error', 'host-not-full', '$.hosts[0].host', 'is not a full host name']], schema: false },
  { name: 'invalid host name', text: one('www.exa_mple.com', [A, B]), expect: [['error', 'host-invalid', '$.hosts[0].host', 'is not a valid host name']], schema: false },
  { name: 'upper case host is a warning', text: one('WWW.Example.com', [A, B]), expect: [['warning', 'host-case', '$.hosts[0].host', 'has upper-case letters']], schema: true },
  { name: 'duplicate host', text: file([{ host: 'www.example.com', hashes: [A, B] }, { host: 'www.example.com', hashes: [B, C] }]),
    expect: [['error', 'host-duplicate', '$.hosts[1].host', 'is already listed at $.hosts[0].host']] },
  { name: 'hashes missing', text: file([{ host: 'www.example.com' }]), expect: [['error', 'hashes-missing', '$.hosts[0]', 'has no "hashes"']], schema: false },
  { name: 'hashes not an array', text: one('www.example.com', A), expect: [['error', 'hashes-not-array', '$.hosts[0].hashes', '"hashes" is not an array']], schema: false },
  { name: 'only one hash', text: one('www.example.com', [A]), expect: [['error', 'hashes-too-few', '$.hosts[0].hashes', 'host has 1 hash; at least two are required']], schema: false },
  { name: 'hash not a string', text: one('www.example.com', [A, 7]), expect: [['error', 'hash-not-string', '$.hosts[0].hashes[1]', 'hash is not a string']], schema: false },
  { name: 'hash without prefix', text: one('www.example.com', [A, B.slice(7)]), expect: [['error', 'hash-prefix', '$.hosts[0].hashes[1]', 'does not start with "sha256/"']], schema: false },
  { name: "curl's sha256// prefix", text: one('www.example.com', [A, 'sha256//' + B.slice(7)]), expect: [['error', 'hash-prefix', '$.hosts[0].hashes[1]', 'uses curl\'s "sha256//" prefix']], schema: false },
  { name: 'HPKP form', text: one('www.example.com', [A, `pin-sha256="${B.slice(7)}"`]), expect: [['error', 'hash-prefix', '$.hosts[0].hashes[1]', 'is in HPKP header form']], schema: false },
  { name: 'SHA-1 pin', text: one('www.example.com', [A, 'sha1/' + Buffer.alloc(20, 1).toString('base64')]), expect: [['error', 'hash-prefix', '$.hosts[0].hashes[1]', 'is a SHA-1 pin']], schema: false },
  { name: 'prefix in the wrong case', text: one('www.example.com', [A, 'SHA256/' + B.slice(7)]), expect: [['error', 'hash-prefix', '$.hosts[0].hashes[1]', 'has the prefix in the wrong case']], schema: false },
  { name: 'not base64', text: one('www.example.com', [A, 'sha256/not base64!']), expect: [['error', 'hash-base64', '$.hosts[0].hashes[1]', 'is not valid base64']], schema: false },
  { name: 'base64url instead of base64', text: one('www.example.com', [A, 'sha256/' + Buffer.alloc(32, 0xfb).toString('base64url') + '=']), expect: [['error', 'hash-base64', '$.hosts[0].hashes[1]', 'is not valid base64']], schema: false },
  { name: 'hex instead of base64', text: one('www.example.com', [A, 'sha256/' + Buffer.alloc(32, 9).toString('hex')]), expect: [['error', 'hash-hex', '$.hosts[0].hashes[1]', 'hash is hexadecimal, not base64']], schema: false },
  { name: 'wrong length (SHA-1 value)', text: one('www.example.com', [A, 'sha256/' + Buffer.alloc(20, 1).toString('base64')]), expect: [['error', 'hash-length', '$.hosts[0].hashes[1]', 'hash decodes to 20 bytes, not the 32 bytes of a SHA-256']], schema: false },
  { name: 'non-canonical last character', text: one('www.example.com', [A, B.slice(0, 49) + 'B=']), expect: [['error', 'hash-base64', '$.hosts[0].hashes[1]', 'is not canonical base64']], schema: false },
  { name: 'duplicate hashes are an error (iOS rule; the file goes into both builds)', text: one('www.example.com', [A, B, A]),
    expect: [['error', 'hash-duplicate', '$.hosts[0].hashes[2]', 'hash is a duplicate of $.hosts[0].hashes[0]; iOS accepts only unique hashes and this file is bundled into the iOS build too']], schema: false },
  { name: 'duplicate hashes only warn with --platform android', text: one('www.example.com', [A, B, A]), options: { platform: 'android' },
    expect: [['warning', 'hash-duplicate', '$.hosts[0].hashes[2]', 'hash is a duplicate of $.hosts[0].hashes[0]']] },
  { name: 'placeholder hash warns', text: one('www.example.com', [A, 'sha256/' + 'A'.repeat(43) + '=']), expect: [['warning', 'hash-placeholder', '$.hosts[0].hashes[1]', 'looks like a placeholder']], schema: true },
  { name: 'duplicate JSON key', text: '{"hosts": [], "hosts": [{"host": "www.example.com", "hashes": ["' + A + '", "' + B + '"]}]}',
    expect: [['error', 'json-duplicate-key', '$.hosts', 'property "hosts" appears twice']] },
];

for (const c of CASES) {
  test(`validate: ${c.name}`, () => {
    const r = validatePinningText(c.text, c.options);
    assert.equal(r.valid, !c.expect.some((e) => e[0] === 'error'), JSON.stringify(r.problems));
    assert.equal(r.problems.length, c.expect.length, JSON.stringify(r.problems, null, 1));
    c.expect.forEach(([severity, code, path, message], k) => {
      const p = r.problems[k]!;
      assert.equal(p.severity, severity);
      assert.equal(p.code, code);
      assert.equal(p.path, path);
      if (typeof message === 'string') assert.ok(p.message.includes(message), `${p.message} ⊅ ${message}`);
      else assert.match(p.message, message);
      assert.ok(p.fix.length > 10, 'every problem has a fix');
    });
    if (c.schema !== undefined) assert.equal(schemaValidate(JSON.parse(c.text)), c.schema, JSON.stringify(schemaValidate.errors));
  });
}

test('validate: problems carry the line and column of the value they are about', () => {
  const text = '{\n  "hosts": [\n    {\n      "host": "www.example.com",\n      "hashes": [\n        "' + A + '",\n        "nope"\n      ]\n    }\n  ]\n}\n';
  const r = validatePinningText(text);
  const p = r.problems.find((x) => x.path === '$.hosts[0].hashes[1]')!;
  assert.deepEqual([p.line, p.column], [7, 9]);
});

test('json-source: agrees with JSON.parse on arbitrary JSON and arbitrary text; only JsonSyntaxError escapes', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (v, pretty) => {
    const text = JSON.stringify(v, null, pretty ? 2 : undefined);
    assert.deepEqual(parseJsonWithPositions(text).value, JSON.parse(text));
  }), { numRuns: 300 });
  const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9.eE+\-tfrunlsa\\]*$/, { maxLength: 40 });
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), jsonish), (text) => {
    let expected: unknown, ok = true;
    try { expected = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch { ok = false; }
    try {
      const got = parseJsonWithPositions(text).value;
      assert.ok(ok, `accepted what JSON.parse refuses: ${JSON.stringify(text)}`);
      assert.deepEqual(got, expected);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      assert.ok(!ok, `refused what JSON.parse accepts: ${JSON.stringify(text)}`);
      assert.ok(e.position.line >= 1 && e.position.column >= 1);
    }
  }), { numRuns: 1000 });
});

test('json-source: hostile nesting is refused quickly and positions count lines', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.throws(() => parseJsonWithPositions(deep), (e: Error) => e instanceof JsonSyntaxError && e.message.includes(`nesting deeper than ${MAX_JSON_DEPTH}`));
  const doc = parseJsonWithPositions('{\n "a": [1,\n  {"b": true}]}');
  assert.deepEqual(doc.positions.get('$.a[1].b'), { offset: 20, line: 3, column: 9 });
  assert.equal(doc.duplicateKeys.length, 0);
  const proto = parseJsonWithPositions('{"__proto__": {"x": 1}}').value as Record<string, unknown>;
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('property: validating arbitrary text never throws and every problem has a path and a fix', () => {
  const hostArb = fc.oneof(fc.domain(), fc.string({ maxLength: 30 }), fc.ipV4(), fc.constant('*.example.com'));
  const hashArb = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((u) => `sha256/${Buffer.from(u).toString('base64')}`), fc.string({ maxLength: 50 }), fc.integer());
  const doc = fc.record({ hosts: fc.array(fc.record({ host: hostArb, hashes: fc.array(hashArb, { maxLength: 4 }) }, { requiredKeys: [] }), { maxLength: 4 }) }, { requiredKeys: [] });
  fc.assert(fc.property(fc.oneof(doc.map((d) => JSON.stringify(d)), fc.string({ maxLength: 80 })), (text) => {
    const r = validatePinningText(text);
    for (const p of r.problems) { assert.ok(p.path.startsWith('$')); assert.ok(p.fix); }
    assert.equal(r.valid, !r.problems.some((p) => p.severity === 'error'));
  }), { numRuns: 400 });
});

test('CLI: pinning validate exits 0 for a valid file, 1 with every problem for an invalid one, 2 for a missing file', async () => {
  const dir = tempDir('tlsdoctor-validate-');
  const good = join(dir, 'pinning.json');
  writeFileSync(good, one('www.example.com', [A, B]));
  const ok = await runCli(['pinning', 'validate', good]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /pinning\.json: valid \(1 host\)/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, one('https://www.example.com', [A]));
  const r = await runCli(['pinning', 'validate', bad]);
  assert.equal(r.code, 1);
  assert.match(r.out, /error: \$\.hosts\[0\]\.host \(line 4, column 15\): host "https:\/\/www\.example\.com" has a scheme/);
  assert.match(r.out, /fix: write only the host name: "www\.example\.com"/);
  assert.match(r.out, /invalid \(2 errors\)/);
  const j = await runCli(['pinning', 'validate', bad, '--json']);
  const parsed = JSON.parse(j.out) as { valid: boolean; problems: Array<{ code: string }> };
  assert.equal(parsed.valid, false);
  assert.deepEqual(parsed.problems.map((p) => p.code), ['host-scheme', 'hashes-too-few']);
  const missing = await runCli(['pinning', 'validate', join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});

test('json-source and validate: a large file (a megabyte of values on many lines) is handled in one pass', () => {
  const big = '{"hosts": [\n' + Array.from({ length: 60_000 }, (_, k) => `{"host": "h${k}.example.com", "hashes": []}`).join(',\n') + '\n]}';
  assert.ok(big.length > 1_000_000);
  const doc = parseJsonWithPositions(big);
  const at = big.lastIndexOf('[]');
  assert.deepEqual(doc.positions.get('$.hosts[59999].hashes'), { offset: at, line: 60_001, column: at - big.lastIndexOf('\n', at) });
  const r = validatePinningText(big);
  assert.equal(r.problems.filter((p) => p.code === 'hashes-too-few').length, 60_000);
});

test('validate: hostile values (a very long host with many colons, a very long key) are reported, not chewed on', () => {
  const host = 'a:'.repeat(200_000);
  const r = validatePinningText(JSON.stringify({ hosts: [{ host, hashes: [A, B], ['k'.repeat(100_000)]: 1 }] }));
  assert.deepEqual(r.problems.map((p) => p.code), ['unknown-property', 'host-invalid']);
  assert.match(r.problems[1]!.message, /host is 400000 characters long/);
});
