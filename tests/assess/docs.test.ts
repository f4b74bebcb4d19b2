import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FINDINGS, FINDING_IDS } from '../../src/assess/catalog.js';
import { renderFindings } from '../../src/report/findings.js';
import { assess } from '../../src/assess/index.js';

const root = new URL('../../../', import.meta.url);

test('docs/findings.md documents exactly the finding ids of the catalog, with cause, evidence and resolution', () => {
  const md = readFileSync(new URL('docs/findings.md', root), 'utf8');
  const documented = [...md.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), [...FINDING_IDS].sort());
  for (const id of FINDING_IDS) {
    const section = md.split(`### ${id}\n`)[1].split('\n### ')[0];
    assert.match(section, /\*\*Cause:\*\* \S/, id);
    assert.match(section, /\*\*Evidence:\*\* \S/, id);
    assert.match(section, new RegExp(`\\*\\*Severity:\\*\\* ${FINDINGS[id].severity}`), id);
    assert.ok(section.includes(FINDINGS[id].resolution), `${id}: resolution differs from the catalog`);
  }
});

test('docs/grading.md lists every cap reason the grader can produce', () => {
  const md = readFileSync(new URL('docs/grading.md', root), 'utf8');
  for (const phrase of ['SSL 2.0 supported', 'only SSL 3.0', 'POODLE', 'TLS 1.0 or TLS 1.1', 'TLS 1.2 not supported', 'export suites', 'anonymous suites', 'NULL suites',
    'RC4 used with TLS 1.1', 'RC4 only with older', '64-bit block', 'DH parameters below 1024', 'DH parameters below 2048', 'no forward secrecy', 'no AEAD',
    'RSA key below 1024', 'RSA key below 2048', 'MD5/MD2', 'incomplete chain', 'revoked', '**T**', '**M**', '**A+**', '15552000']) {
    assert.ok(md.includes(phrase), phrase);
  }
});

test('renderFindings: cause and fix next to each problem; colour only when asked', () => {
  const { findings, grade } = assess({ protocols: [
    { version: 'TLSv1.0', supported: true, serverPreference: true, cipherSuites: [{ id: 0xc013, name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', openssl: 'ECDHE-RSA-AES128-SHA', kx: 'ECDHE', auth: 'RSA', cipher: 'AES-128-CBC', bits: 128, mac: 'SHA1', aead: false, forwardSecrecy: true, export: false, anonymous: false, null: false, strength: 'weak' }] },
  ] }, { host: 'x.test' });
  const plain = renderFindings(findings, grade, { color: false });
  assert.ok(!plain.includes('\x1b['));
  assert.match(plain, /^Grade  C /);
  assert.match(plain, /capped at C: TLS 1\.2 is not supported/);
  assert.match(plain, /MEDIUM\s+TLS 1\.0 is enabled\s+\[protocol\.tls10-enabled\]\n\s+cause: the server accepts TLS 1\.0[^\n]*\n\s+fix:\s+Disable TLS 1\.0/);
  const coloured = renderFindings(findings, grade, { color: true });
  assert.ok(coloured.includes('\x1b[33mMEDIUM'));
  assert.equal(renderFindings([], null, { color: false }), 'No problems found.\n');
});
