import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { matchHostname, matchDnsName } from '../../src/x509/hostname.js';

const subj = (dns: string[], ips: string[] = [], cn: string[] = []) => ({ dnsNames: dns, ipAddresses: ips, commonNames: cn });

test('hostname: RFC 6125 table', () => {
  const rows: [string[], string[], string[], string, boolean, string?][] = [
    [['example.com'], [], [], 'example.com', true, 'san-dns'],
    [['Example.COM'], [], [], 'EXAMPLE.com.', true, 'san-dns'],
    [['*.example.com'], [], [], 'a.example.com', true, 'san-dns'],
    [['*.example.com'], [], [], 'a.b.example.com', false],
    [['*.example.com'], [], [], 'example.com', false],
    [['f*.example.com'], [], [], 'foo.example.com', false],
    [['*oo.example.com'], [], [], 'foo.example.com', false],
    [['a.*.example.com'], [], [], 'a.b.example.com', false],
    [['*.com'], [], [], 'example.com', false],
    [['*'], [], [], 'localhost', false],
    [['xn--bcher-kva.example'], [], [], 'bücher.example', true, 'san-dns'],
    [['XN--BCHER-KVA.example'], [], [], 'xn--bcher-kva.EXAMPLE', true, 'san-dns'],
    [['*.xn--bcher-kva.example'], [], [], 'shop.bücher.example', true, 'san-dns'],
    [[], ['127.0.0.1'], [], '127.0.0.1', true, 'san-ip'],
    [[], ['::1'], [], '::1', true, 'san-ip'],
    [[], ['::1'], [], '0:0:0:0:0:0:0:1', true, 'san-ip'],
    [['127.0.0.1'], [], ['127.0.0.1'], '127.0.0.1', false],
    [['a.example'], ['10.0.0.1'], [], '127.0.0.1', false],
    [[], [], ['legacy.example'], 'legacy.example', true, 'cn'],
    [['other.example'], [], ['legacy.example'], 'legacy.example', false],
    [[], [], [], 'x.example', false],
  ];
  for (const [dns, ips, cn, host, ok, via] of rows) {
    const r = matchHostname(subj(dns, ips, cn), host);
    assert.equal(r.ok, ok, `${JSON.stringify({ dns, ips, cn })} vs ${host}`);
    if (r.ok) {
      assert.equal(r.via, via);
      assert.equal(r.cnFallback, via === 'cn');
    } else assert.ok(r.reason.length > 0);
  }
});

test('hostname: notes explain wildcard refusals', () => {
  const r = matchHostname(subj(['*.example.com']), 'a.b.example.com');
  assert.equal(r.ok, false);
  assert.match(r.notes.join(' '), /exactly one label/);
  const p = matchHostname(subj(['f*.example.com']), 'foo.example.com');
  assert.match(p.notes.join(' '), /partial wildcard/);
  const bare = matchHostname(subj(['*.example.com']), 'example.com');
  assert.match(bare.notes.join(' '), /bare domain/);
});

test('hostname: property: never throws, exact names always match themselves', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  // All-numeric labels can spell an IPv4 address ("0.0.0.0"), which is an IP target, not a DNS name.
  const dnsLabels = fc.array(label, { minLength: 2, maxLength: 5 }).filter((l) => isIP(l.join('.')) === 0);
  fc.assert(fc.property(dnsLabels, (labels) => {
    const h = labels.join('.');
    assert.equal(matchHostname(subj([h]), h).ok, true);
    assert.equal(matchDnsName(`*.${labels.slice(1).join('.')}`, h).ok, labels.length >= 3);
  }));
  fc.assert(fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.string(), (names, host) => {
    const r = matchHostname(subj(names, names, names), host);
    assert.equal(typeof r.ok, 'boolean');
  }));
});
