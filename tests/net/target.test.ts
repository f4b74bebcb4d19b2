import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseResolve, parseTarget, resolveAddresses, resolveFor, resolveTarget } from '../../src/net/target.js';
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

test('parseResolve takes curl\'s HOST:PORT:ADDRESS[,ADDRESS...]; resolveFor prefers an entry for the port to one for every port', () => {
  assert.deepEqual(parseResolve('API.Example.com.:443:203.0.113.7'), { host: 'api.example.com', port: 443, addresses: ['203.0.113.7'] });
  assert.deepEqual(parseResolve('api.example.com:*:[2001:db8::1],192.0.2.1'), { host: 'api.example.com', addresses: ['2001:db8::1', '192.0.2.1'] });
  const entries = [parseResolve('a.test:*:192.0.2.9'), parseResolve('a.test:8443:192.0.2.1,192.0.2.2')];
  assert.deepEqual(resolveFor(parseTarget('A.test:8443'), entries), ['192.0.2.1', '192.0.2.2']);
  assert.deepEqual(resolveFor(parseTarget('a.test'), entries), ['192.0.2.9']);
  assert.equal(resolveFor(parseTarget('b.test:8443'), entries), undefined);
  for (const bad of ['a.test', 'a.test:443', 'a.test:443:', 'a.test:x:192.0.2.1', 'a.test:443:192.0.2', '192.0.2.1:443:192.0.2.2', 'a b:443:192.0.2.1']) {
    assert.throws(() => parseResolve(bad), (e: unknown) => e instanceof UsageError && /--resolve|port|expected/.test((e as Error).message), bad);
  }
  // Any text: an entry or a UsageError, nothing else.
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => {
    try { const e = parseResolve(text); return e.addresses.length > 0; } catch (err) { return err instanceof UsageError; }
  }), { numRuns: 2000 });
});

test('resolveAddresses: an IP literal is itself, --resolve replaces DNS (deduplicated), a name goes to the system resolver', async () => {
  assert.deepEqual(await resolveAddresses(parseTarget('192.0.2.1:443')), ['192.0.2.1']);
  assert.deepEqual(await resolveAddresses({ ...parseTarget('a.test'), resolveTo: ['192.0.2.1', '192.0.2.2', '192.0.2.1'] }), ['192.0.2.1', '192.0.2.2']);
  assert.ok((await resolveAddresses(parseTarget('localhost'))).includes('127.0.0.1'));
  const ep = await resolveTarget({ ...parseTarget('a.test:8443'), resolveTo: ['192.0.2.1', '192.0.2.2'] });
  assert.deepEqual([ep.address, ep.addresses, ep.sni], ['192.0.2.1', ['192.0.2.1', '192.0.2.2'], 'a.test']);
  const second = await resolveTarget({ ...parseTarget('a.test:8443'), resolveTo: ['192.0.2.1', '192.0.2.2'], address: '192.0.2.2' });
  assert.equal(second.address, '192.0.2.2');
  await assert.rejects(resolveAddresses(parseTarget('no-such-host.invalid')), UnreachableError);
});
