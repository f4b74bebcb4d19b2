/**
 * Client profile data: the required ids exist, every fact has a source, every
 * code is known to the registry, and each profile's own ClientHello builds and
 * parses back to the profile's lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { CLIENT_PROFILES, CLIENT_FACTS, clientProfileById, parseClientSelection } from '../../src/registry/clients/index.js';
import { suiteByCode, groupByCode } from '../../src/registry/index.js';
import { buildProfileHello } from '../../src/scan/simulate.js';
import { parseClientHelloBody } from '../support/hello-capture.js';
import { UsageError } from '../../src/util/errors.js';

const REQUIRED = ['dotnet-3.5', 'dotnet-4.0', 'dotnet-4.5', 'dotnet-4.5-tls12', 'dotnet-4.6', 'dotnet-4.7-win7', 'dotnet-4.7-win10',
  'windows-7-schannel', 'windows-10-schannel', 'java-6', 'java-7', 'java-8', 'java-11', 'java-17', 'java-21', 'python-2.7.8',
  'python-2.7.9', 'python-3.11', 'ruby-1.9.3', 'ruby-2.7', 'openssl-0.9.8', 'openssl-1.0.1', 'openssl-1.1.1', 'openssl-3.0',
  'curl-7.88', 'gnutls-3.7', 'node-10', 'node-20', 'go-1.22', 'android-4.4', 'android-7', 'android-10', 'ios-9-ats',
  'chrome-current', 'firefox-current', 'safari-current'];

test('every required profile id exists, ids are unique', () => {
  const ids = CLIENT_PROFILES.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of REQUIRED) assert.ok(clientProfileById(id), id);
});

test('every fact of every profile is backed by a source with a title and a URL or capture file', () => {
  for (const p of CLIENT_PROFILES) {
    assert.ok(p.sources.length > 0, p.id);
    for (const s of p.sources) {
      assert.ok(s.title.length > 10, `${p.id}: source title`);
      assert.ok(/^https:\/\//.test(s.url) || /^docs\/captures\/[\w.-]+\.json$/.test(s.url) || /^seeds\//.test(s.url), `${p.id}: ${s.url}`);
      if (s.url.startsWith('docs/captures/')) assert.ok(existsSync(s.url), `${p.id}: capture file ${s.url} is in the repository`);
    }
    const covered = new Set(p.sources.flatMap((s) => s.facts));
    for (const f of CLIENT_FACTS) assert.ok(covered.has(f), `${p.id}: no source for "${f}"`);
    if (p.realClient) assert.ok(p.sources.some((s) => s.url.startsWith('docs/captures/')), `${p.id}: a profile of a local client cites its capture`);
  }
});

test('every suite and group code is known to the registry; versions ascend; remediation is written', () => {
  for (const p of CLIENT_PROFILES) {
    for (const c of p.cipherSuites) assert.ok(suiteByCode(c), `${p.id}: unknown suite 0x${c.toString(16)}`);
    for (const g of [...(p.groups ?? []), ...(p.keyShareGroups ?? [])]) assert.ok(groupByCode(g), `${p.id}: unknown group 0x${g.toString(16)}`);
    for (const g of p.keyShareGroups ?? []) assert.ok((p.groups ?? []).includes(g), `${p.id}: key share ${g} not in groups`);
    const order = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
    const idx = p.versions.map((v) => order.indexOf(v));
    assert.deepEqual(idx, [...idx].sort((a, b) => a - b), `${p.id}: versions ascending`);
    assert.equal(new Set(p.cipherSuites).size, p.cipherSuites.length, `${p.id}: duplicate suite`);
    if (p.versions.includes('TLSv1.3')) assert.ok(p.cipherSuites.some((c) => suiteByCode(c)!.tls13), `${p.id}: TLS 1.3 without 1.3 suites`);
    assert.ok(p.remediation.general.length > 30, `${p.id}: remediation`);
  }
});

test("each profile's own ClientHello carries exactly its suites, groups, signature algorithms and versions", () => {
  for (const p of CLIENT_PROFILES) {
    const hello = buildProfileHello(p, 'server.test');
    if (p.hello.format === 'sslv2-compatible') {
      assert.equal(hello[0]! & 0x80, 0x80, `${p.id}: SSLv2 header`);
      assert.equal(hello[2], 1, `${p.id}: CLIENT-HELLO`);
      continue;
    }
    const h = parseClientHelloBody(hello.subarray(9), (hello[1]! << 8) | hello[2]!);
    const grease = (v: number) => (v & 0x0f0f) === 0x0a0a;
    assert.deepEqual(h.cipherSuites.filter((c) => !grease(c)), p.cipherSuites, `${p.id}: suites`);
    assert.deepEqual((h.groups ?? []).filter((g) => !grease(g)), p.groups ?? [], `${p.id}: groups`);
    assert.deepEqual(h.signatureAlgorithms ?? [], p.signatureAlgorithms ?? [], `${p.id}: signature algorithms`);
    assert.equal(h.sni, p.extensions.sni ? 'server.test' : null, `${p.id}: SNI`);
    assert.deepEqual(h.alpn, p.extensions.alpn, `${p.id}: ALPN`);
    if (p.versions.includes('TLSv1.3')) {
      const want = p.versions.filter((v) => v !== 'SSLv3').map((v) => ({ 'TLSv1.0': 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 } as Record<string, number>)[v]!).reverse();
      assert.deepEqual((h.supportedVersions ?? []).filter((v) => !grease(v)), want, `${p.id}: supported_versions`);
      assert.deepEqual((h.keyShareGroups ?? []).filter((g) => !grease(g) && g !== 0x11ec), (p.keyShareGroups ?? []).filter((g) => g !== 0x11ec), `${p.id}: key shares`);
    } else {
      assert.equal(h.supportedVersions, null, `${p.id}: no supported_versions below TLS 1.3`);
      assert.equal(h.legacyVersion, Math.min(0x0303, { 'SSLv3': 0x0300, 'TLSv1.0': 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303 }[p.versions[p.versions.length - 1] as 'SSLv3']), `${p.id}: client_version`);
    }
    assert.equal(h.extendedMasterSecret, p.extensions.extendedMasterSecret, `${p.id}: EMS`);
    assert.equal(h.sessionTicket, p.extensions.sessionTicket, `${p.id}: session ticket`);
    assert.equal(h.statusRequest, p.extensions.statusRequest, `${p.id}: status_request`);
  }
});

test('parseClientSelection: ids, families and prefixes; unknown names are a UsageError', () => {
  assert.deepEqual(parseClientSelection('java-17').map((p) => p.id), ['java-17']);
  const dn = parseClientSelection('dotnet,java-17').map((p) => p.id);
  assert.ok(dn.includes('dotnet-4.5') && dn.includes('dotnet-4.7-win10') && dn[dn.length - 1] === 'java-17');
  assert.ok(!dn.includes('java-8'));
  assert.deepEqual(parseClientSelection('java').map((p) => p.id), ['java-6', 'java-7', 'java-8', 'java-11', 'java-17', 'java-21']);
  assert.deepEqual(parseClientSelection('browser').map((p) => p.id), ['chrome-current', 'firefox-current', 'safari-current']);
  assert.deepEqual(parseClientSelection(' Java-17 , java-17 ').map((p) => p.id), ['java-17']);
  assert.equal(parseClientSelection('all').length, CLIENT_PROFILES.length);
  assert.throws(() => parseClientSelection('cobol-85'), (e: unknown) => e instanceof UsageError && /unknown client "cobol-85"/.test(e.message));
  assert.throws(() => parseClientSelection(' , '), UsageError);
});

test('parseClientSelection on arbitrary input returns profiles or throws UsageError, nothing else', () => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
    try {
      const r = parseClientSelection(s);
      assert.ok(r.length > 0 && r.every((p) => CLIENT_PROFILES.includes(p)));
    } catch (e) {
      assert.ok(e instanceof UsageError, String(e));
    }
  }), { numRuns: 300 });
});

test('every `tlsdoctor windows enable ...` named in a remediation is a valid invocation of the real command', async () => {
  const { main } = await import('../../src/cli/main.js');
  const { Writable } = await import('node:stream');
  const commands = new Set<string>();
  for (const p of CLIENT_PROFILES) {
    for (const text of Object.values(p.remediation)) {
      for (const m of (text ?? '').matchAll(/tlsdoctor windows enable((?: --[a-z0-9-]+)+)/g)) commands.add(m[1]!.trim());
    }
  }
  assert.ok(commands.size >= 2, [...commands].join(' | '));
  for (const flags of commands) {
    let out = '', err = '';
    const code = await main(['node', 'tlsdoctor', 'windows', 'enable', ...flags.split(' ')], {
      stdout: new Writable({ write(c, _e, cb) { out += c; cb(); } }),
      stderr: new Writable({ write(c, _e, cb) { err += c; cb(); } }),
    });
    assert.equal(code, 0, `windows enable ${flags}: ${err}`);
    assert.match(out, /SCHANNEL|NETFramework/, flags);
  }
});

test('property: any profile with any subset and order of its suites and groups builds a hello that parses back to them', () => {
  const tlsProfiles = CLIENT_PROFILES.filter((p) => p.hello.format === 'tls');
  const grease = (v: number) => (v & 0x0f0f) === 0x0a0a;
  fc.assert(fc.property(
    fc.constantFrom(...tlsProfiles).chain((p) => fc.tuple(
      fc.constant(p),
      fc.shuffledSubarray(p.cipherSuites, { minLength: 1 }),
      fc.shuffledSubarray(p.groups ?? [], { minLength: 0 }),
      fc.option(fc.constantFrom('a.test', 'xn--bcher-kva.example', 'very-long-label-'.repeat(3) + 'x.test'), { nil: null }),
    )),
    ([p, suites, groups, sni]) => {
      const keyShares = (p.keyShareGroups ?? []).filter((g) => groups.includes(g));
      const variant = { ...p, cipherSuites: suites, groups: groups.length ? groups : null, keyShareGroups: keyShares.length ? keyShares : null };
      const hello = buildProfileHello(variant, sni);
      const h = parseClientHelloBody(hello.subarray(9), (hello[1]! << 8) | hello[2]!);
      assert.deepEqual(h.cipherSuites.filter((c) => !grease(c)), suites);
      assert.deepEqual((h.groups ?? []).filter((g) => !grease(g)), groups);
      assert.equal(h.sni, p.extensions.sni ? sni : null);
    },
  ), { numRuns: 200 });
});
