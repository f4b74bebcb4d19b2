/** The product's ClientHello builder (src/wire/client-hello.ts) and this parser agree, for arbitrary options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildClientHello, buildSSLv2ClientHello } from '../../src/wire/client-hello.js';
import { parseClientHello, isGrease } from '../../src/wire/client-hello-parse.js';

test('property: buildClientHello → parseClientHello gives back suites, versions, groups, SNI, ALPN, sigalgs', () => {
  fc.assert(fc.property(
    fc.constantFrom(0x0301, 0x0302, 0x0303, 0x0304),
    // GREASE values are not real suites: the parser reports them apart, so the generator leaves them out.
    fc.uniqueArray(fc.integer({ min: 1, max: 0xfeff }).filter((c) => !isGrease(c)), { minLength: 1, maxLength: 40 }),
    fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.test$/), { nil: undefined }),
    fc.option(fc.uniqueArray(fc.constantFrom('h2', 'http/1.1', 'acme-tls/1'), { minLength: 1 }), { nil: undefined }),
    fc.uniqueArray(fc.constantFrom(23, 24, 25, 29, 30, 256), { minLength: 1 }),
    fc.boolean(),
    (maxVersion, suites, sni, alpn, groups, grease) => {
      const bytes = buildClientHello({ maxVersion: maxVersion as 0x0303, cipherSuites: suites, sni, alpn, groups, keyShareGroups: [], grease });
      const h = parseClientHello(bytes);
      assert.deepEqual(h.cipherSuites.filter((c) => !isGrease(c)), suites);
      assert.equal(h.serverName, sni);
      assert.deepEqual(h.alpn, alpn);
      assert.deepEqual(h.supportedGroups?.filter((g) => !isGrease(g)), groups);
      const top = h.supportedVersions ? Math.max(...h.supportedVersions.filter((v) => !isGrease(v))) : h.legacyVersion;
      assert.equal(top, maxVersion);
      if (grease) assert.ok(h.cipherSuites.some(isGrease));
    },
  ), { numRuns: 300 });
});

test('buildSSLv2ClientHello → parseClientHello', () => {
  const h = parseClientHello(buildSSLv2ClientHello({ cipherKinds: [0x010080, 0x00002f], version: 0x0301 }));
  assert.equal(h.format, 'sslv2');
  assert.deepEqual(h.cipherSuites, [0x002f]);
  assert.deepEqual(h.sslv2CipherKinds, [0x010080]);
});
