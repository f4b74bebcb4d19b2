/** The compatibility table: columns, colour only when asked, remediation under the table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderClientTable } from '../../src/report/clients.js';
import type { ClientSimulationResult } from '../../src/scan/types.js';

const rows: ClientSimulationResult[] = [
  { id: 'java-17', name: 'Java 17', ok: true, protocol: 'TLSv1.3', cipherSuite: 'TLS_AES_256_GCM_SHA384', group: 'x25519', reason: null, remediation: null },
  { id: 'dotnet-4.5', name: '.NET Framework 4.5 default (Windows 7 SP1)', ok: false, protocol: null, cipherSuite: null, group: null,
    reason: 'no common protocol: server requires TLSv1.2, client offers at most TLSv1.0', remediation: 'Set ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12.' },
];

test('renderClientTable: one aligned row per client, the reason as note, remediations below', () => {
  const t = renderClientTable(rows, { color: false });
  const lines = t.split('\n');
  assert.match(lines[0]!, /^Client simulation \(1 of 2 connect\)$/);
  assert.match(lines[1]!, /Client\s+Result\s+Protocol\s+Cipher suite\s+Note/);
  assert.match(t, /Java 17\s+ok\s+TLSv1\.3\s+TLS_AES_256_GCM_SHA384\s+x25519/);
  assert.match(t, /\.NET Framework 4\.5 default \(Windows 7 SP1\)\s+FAIL\s+-\s+-\s+no common protocol: server requires TLSv1\.2, client offers at most TLSv1\.0/);
  // Columns line up: "Result" starts at the same offset in every row.
  const col = lines[1]!.indexOf('Result');
  assert.equal(lines[2]!.indexOf('ok'), col);
  assert.equal(lines[3]!.indexOf('FAIL'), col);
  assert.match(t, /What to change in each failing client\n  \.NET Framework 4\.5 default \(Windows 7 SP1\): Set ServicePointManager/);
  assert.doesNotMatch(t, /\u001b\[/);
});

test('renderClientTable: colour on request, empty selection, remediation off', () => {
  assert.match(renderClientTable(rows, { color: true }), /\u001b\[31mFAIL\u001b\[39m/);
  assert.equal(renderClientTable([], { color: false }), 'Client simulation: no clients selected\n');
  assert.doesNotMatch(renderClientTable(rows, { color: false, remediation: false }), /What to change/);
});
