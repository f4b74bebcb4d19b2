import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget, resolveTarget } from '../../src/net/target.js';
import { UsageError, UnreachableError } from '../../src/util/errors.js';

test('parseTarget accepts host, host:port, [v6]:port, bare v6 and https URLs', () => {
  assert.deepEqual(parseTarget('example.com'), { host: 'example.com', port: 443, sni: 'example.com', input: 'example.com' });
  assert.deepEqual(parseTarget('Example.COM:8443'), { host: 'Example.COM', port: 8443, sni: 'example.com', input: 'Example.COM:8443' });
  assert.equal(parseTarget('[::1]:8443').host, '::1');
  assert.equal(parseTarget('[::1]:8443').port, 8443);
  assert.equal(parseTarget('[::1]:8443').sni, null);
  assert.equal(parseTarget('::1').port, 443);
  assert.equal(parseTarget('127.0.0.1:444').sni, null);
  const u = parseTarget('https://api.example.com:9443/v1/soap?wsdl');
  assert.deepEqual([u.host, u.port, u.sni], ['api.example.com', 9443, 'api.example.com']);
  assert.equal(parseTarget('https://api.example.com/').port, 443);
  assert.equal(parseTarget('127.0.0.1:8443', { sni: 'api.test' }).sni, 'api.test');
});

test('parseTarget rejects bad input with a UsageError naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['', /empty target/],
    ['https://', /bad URL|no host/],
    ['example.com:0', /out of range/],
    ['example.com:70000', /out of range/],
    ['example.com:http', /bad port/],
    ['http://example.com', /unsupported scheme "http"/],
    ['exa mple.com', /bad target|bad host/],
    ['[::1', /bad target/],
    ['-bad-.com', /bad host name/],
  ];
  for (const [input, re] of cases) {
    assert.throws(() => parseTarget(input), (e: unknown) => e instanceof UsageError && re.test((e as Error).message), input);
  }
});

test('resolveTarget: an unknown host is unreachable, not a crash', async () => {
  await assert.rejects(resolveTarget(parseTarget('no-such-host.invalid')), UnreachableError);
  const ep = await resolveTarget(parseTarget('127.0.0.1:1'));
  assert.equal(ep.address, '127.0.0.1');
});
