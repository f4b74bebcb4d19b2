import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERSIONS, VERSIONS_SOURCE, versionByCode, versionByName, compareVersions, versionRank } from '../../src/registry/versions.js';
import { PROTOCOLS } from '../../src/scan/types.js';
import fc from 'fast-check';

test('versions: wire codes', () => {
  assert.deepEqual(VERSIONS.map((v) => [v.name, v.code]), [
    ['SSLv2', 0x0002], ['SSLv3', 0x0300], ['TLSv1.0', 0x0301], ['TLSv1.1', 0x0302], ['TLSv1.2', 0x0303], ['TLSv1.3', 0x0304],
  ]);
  assert.deepEqual(VERSIONS.map((v) => v.name), [...PROTOCOLS]);
  assert.equal(versionByCode(0x0303)?.name, 'TLSv1.2');
  assert.equal(versionByCode(0x0304)?.rfc, 'RFC 8446');
  assert.equal(versionByCode(0x0305), undefined);
  assert.equal(versionByCode(0x7f1c), undefined);
  assert.match(VERSIONS_SOURCE, /RFC 8446/);
  for (const v of VERSIONS) assert.match(v.rfc, /^(RFC \d+|draft-)/);
});

test('versions: lookup by name and common spellings', () => {
  for (const v of VERSIONS) assert.equal(versionByName(v.name), v);
  const cases: [string, string | undefined][] = [
    ['tlsv1.2', 'TLSv1.2'], ['TLS1.2', 'TLSv1.2'], ['TLS 1.3', 'TLSv1.3'], ['tls1_1', 'TLSv1.1'], ['TLSv1', 'TLSv1.0'],
    ['TLS1', 'TLSv1.0'], ['ssl3', 'SSLv3'], ['SSLv2', 'SSLv2'], ['SSL3.0', 'SSLv3'], ['TLSv1.4', undefined],
    ['TLS2.0', undefined], ['', undefined], ['foo', undefined], ['SSLv4', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(versionByName(input)?.name, expected, input);
});

test('versions: ordering', () => {
  assert.ok(compareVersions('TLSv1.0', 'TLSv1.2') < 0);
  assert.ok(compareVersions('TLSv1.3', 'SSLv3') > 0);
  assert.equal(compareVersions('TLSv1.1', 'TLSv1.1'), 0);
  assert.equal(versionRank('SSLv2'), 0);
  assert.equal(versionRank('TLSv1.3'), 5);
});

test('versions: lookups never throw and only return real versions (property)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => {
    const v = versionByName(s);
    return v === undefined || VERSIONS.includes(v);
  }));
  fc.assert(fc.property(fc.integer({ min: -1, max: 0x1ffff }), (c) => {
    const v = versionByCode(c);
    return v === undefined ? ![0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304].includes(c) : v.code === c;
  }));
});
