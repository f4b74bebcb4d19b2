/**
 * An unreachable target on a machine whose environment names a proxy: the
 * one-line error says that tlsdoctor connects directly (credentials in the
 * proxy URL are not shown). Run as a process of its own, with its own env.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closedPort } from '../support/servers.js';
import { proxyNote } from '../../src/util/errors.js';

const bin = fileURLToPath(new URL('../../../bin/tlsdoctor.js', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 30_000 }, (e, _out, err) => resolve({ code: e ? (e as { code?: number }).code ?? 1 : 0, err }));
  });
}

test('proxyNote: none without a proxy variable; the proxy\'s scheme and host, never its credentials', () => {
  assert.equal(proxyNote({}), '');
  assert.equal(proxyNote({ https_proxy: 'http://alice:s3cret@proxy.corp.example:3128/' }),
    ' (https_proxy is http://proxy.corp.example:3128: tlsdoctor connects directly unless given --proxy env or --proxy URL)');
  assert.match(proxyNote({ HTTP_PROXY: 'not a url' }), /^ \(HTTP_PROXY is set: /);
  assert.equal(proxyNote({ HTTPS_PROXY: 'http://proxy:3128' }, true), ''); // --proxy given: nothing to say
});

test('scan and diagnose of a closed port with HTTPS_PROXY set: one line, exit 3, the note at its end', async () => {
  const port = await closedPort();
  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: 'http://bob:pw@proxy.corp.example:8080', NO_COLOR: '1' };
  for (const args of [['scan', `127.0.0.1:${port}`], ['diagnose', `https://127.0.0.1:${port}`]]) {
    const r = await run(args, env);
    assert.equal(r.code, 3, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /\(HTTPS_PROXY is http:\/\/proxy\.corp\.example:8080: tlsdoctor connects directly unless given --proxy env or --proxy URL\)\n$/);
    assert.doesNotMatch(r.err, /bob|pw@/);
  }
});
