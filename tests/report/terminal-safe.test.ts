/**
 * Control characters from a hostile peer in what the CLI prints
 * (report/style.ts terminalSafe, applied to both streams by cli/main.ts):
 * shown as \u00XX, never passed to the terminal; the CLI's own colours,
 * progress line and CRLF output (.reg files) unchanged; JSON stays JSON.
 * Then a real scan of a node:tls server whose HTTP answer carries escape
 * sequences in its headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { terminalSafe } from '../../src/report/style.js';
import { CertFactory } from '../support/certs.js';
import { runCli } from '../support/cli.js';

const BAD = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('terminalSafe: escape sequences and other controls made visible; colours, a leading progress erase, CRLF, tabs and text kept', () => {
  assert.equal(terminalSafe('CN=evil\u001b]0;pwned\u0007\u001b[2J\u009b1;1H'), 'CN=evil\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1;1H');
  assert.equal(terminalSafe('\r\u001b[2Kscanning 3 targets'), '\r\u001b[2Kscanning 3 targets');
  assert.equal(terminalSafe('a\r\u001b[2Kb'), 'a\\u000d\\u001b[2Kb');
  assert.equal(terminalSafe('\u001b[1;31mHIGH\u001b[0m\tx\r\ny\n'), '\u001b[1;31mHIGH\u001b[0m\tx\r\ny\n');
  assert.equal(terminalSafe('Zürich 東京 — ok'), 'Zürich 東京 — ok');
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
    const out = terminalSafe(s);
    // What is left of the controls: only SGR's ESC, CRLF's CR, a leading progress erase.
    assert.ok(!BAD.test(out.replace(/\u001b\[[0-9;]*m|\r\n|^\r\u001b\[2K/g, '')), JSON.stringify(out));
    if (!BAD.test(s)) assert.equal(out, s);
    // A JSON line stays valid and means the same.
    assert.equal((JSON.parse(terminalSafe(JSON.stringify({ s }))) as { s: string }).s, s);
  }));
});

test('scan of a server whose HTTP answer carries escape sequences: the report shows them, the terminal never gets them', async () => {
  const c = new CertFactory().make({ cn: 'localhost', key: 'ec256', san: 'DNS:localhost,IP:127.0.0.1' });
  const server = tls.createServer({ cert: c.pem, key: c.keyPem, ALPNProtocols: ['http/1.1'] }, (sock) => {
    sock.on('error', () => {});
    sock.once('data', () => sock.end('HTTP/1.1 301 Moved\r\nLocation: https://x.test/\u001b[2J\u001b]0;pwned\u0007\r\nStrict-Transport-Security: max-age=1\u009b31m\r\n\r\n', 'latin1'));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.after(() => { server.close(); });
  const { port } = server.address() as AddressInfo;
  process.env.FORCE_COLOR = '1';
  const text = await runCli(['scan', `127.0.0.1:${port}`, '--no-clients']).finally(() => { delete process.env.FORCE_COLOR; });
  assert.match(text.stdout, /https:\/\/x\.test\/\\u001b\[2J\\u001b\]0;pwned\\u0007/);
  assert.match(text.stdout, /max-age=1\\u009b31m/);
  assert.ok(!/\u001b\]|\u0007|\u009b|\u001b\[2J/.test(text.stdout + text.stderr));
  assert.match(text.stdout, /\u001b\[\d+m/, 'the report keeps its own colours');
  const json = JSON.parse((await runCli(['scan', `127.0.0.1:${port}`, '--no-clients', '--json'])).stdout) as { http: { location: string; hsts: { header: string } } };
  assert.equal(json.http.location, 'https://x.test/\u001b[2J\u001b]0;pwned\u0007');
  assert.equal(json.http.hsts.header, 'max-age=1\u009b31m');
});
