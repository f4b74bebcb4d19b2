import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderScan } from '../../src/report/terminal.js';
import { PROTOCOLS, SCHEMA_VERSION, type ScanResult } from '../../src/scan/types.js';

/** A scan result as the engine makes it, with nothing accepted but what a test sets. */
function result(over: Partial<ScanResult>): ScanResult {
  return {
    schemaVersion: SCHEMA_VERSION, tool: { name: 'tlsdoctor', version: 'test' },
    target: { host: 'api.test', port: 443, address: '192.0.2.1', sni: 'api.test' }, startedAt: '2026-12-05T00:00:00.000Z', durationMs: 1,
    protocols: PROTOCOLS.map((version) => ({ version, supported: false, serverPreference: null, cipherSuites: [] })),
    groups: [], certificates: [], findings: [], errors: [], ...over,
  };
}

test('renderScan: the Features block says what the ServerHello said, the client certificate request with its CAs, and nothing when unknown', () => {
  const text = renderScan(result({
    features: {
      secureRenegotiation: false, extendedMasterSecret: true, version: 'TLSv1.2',
      clientCertificate: { requested: true, authorities: ['CN=Partner Client CA, O=Example', 'CN=Other CA'], version: 'TLSv1.2' },
    },
  }), { color: false });
  assert.match(text, /^Features  TLSv1\.2 ServerHello$/m);
  assert.match(text, /^  secure renegotiation    no \(OpenSSL 3 clients refuse TLS <= 1\.2\)  RFC 5746$/m);
  assert.match(text, /^  extended master secret  yes  RFC 7627$/m);
  assert.match(text, /^  client certificate      requested \(mutual TLS; CAs it names: CN=Partner Client CA, O=Example \| CN=Other CA\)  TLSv1\.2$/m);
  const tls13Only = renderScan(result({
    features: { secureRenegotiation: null, extendedMasterSecret: null, version: null, clientCertificate: { requested: false, authorities: [], version: 'TLSv1.3' } },
  }), { color: false });
  assert.match(tls13Only, /^Features$/m);
  assert.doesNotMatch(tls13Only, /renegotiation/);
  assert.match(tls13Only, /^  client certificate      not requested  TLSv1\.3$/m);
  const none = renderScan(result({ features: { secureRenegotiation: null, extendedMasterSecret: null, version: null, clientCertificate: null } }), { color: false });
  assert.doesNotMatch(none, /Features/);
});
