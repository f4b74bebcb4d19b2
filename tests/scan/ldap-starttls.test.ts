/**
 * LDAP StartTLS (RFC 4511 section 4.14.1) against OpenLDAP's slapd, a real
 * directory server, as Active Directory integrations meet it on port 389: the
 * scan through StartTLS equals the scan of the same slapd's LDAPS port, and
 * pin, diagnose and the refusals work through it. The dialogue itself is
 * checked on bytes too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertFactory } from '../support/certs.js';
import { startSlapd } from '../support/servers.js';
import { scanTarget } from '../../src/scan/run.js';
import { StartTlsDialogue, StartTlsError, StartTlsBusy } from '../../src/net/starttls.js';
import { UnreachableError } from '../../src/util/errors.js';
import { opensslPinOfCert, runCli } from '../pinning/support.js';

/** An LDAPMessage with an ExtendedResponse: resultCode, empty matchedDN, diagnosticMessage. */
function extendedResponse(messageId: number, resultCode: number, message = ''): Buffer {
  const msg = Buffer.from(message, 'utf8');
  const op = Buffer.concat([Buffer.from([0x0a, 0x01, resultCode, 0x04, 0x00, 0x04, msg.length]), msg]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, messageId, 0x78, op.length]), op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

test('LDAP StartTLS dialogue: the extended request, then success read byte by byte; refusals, a busy server, a disconnection notice, a TLS-first server and garbage each end in one clear error', () => {
  const d = new StartTlsDialogue('ldap');
  const request = Buffer.from(d.start()!);
  // LDAPMessage { messageID 1, [APPLICATION 23] { [0] "1.3.6.1.4.1.1466.20037" } }
  assert.equal(request.toString('hex'), '301d02010177188016' + Buffer.from('1.3.6.1.4.1.1466.20037').toString('hex'));
  const ok = Buffer.concat([extendedResponse(1, 0), Buffer.from([0x16, 0x03, 0x03])]);
  let step = {};
  for (let i = 0; i < ok.length - 3; i++) {
    step = d.push(ok.subarray(i, i + 1));
    if (i < ok.length - 4) assert.deepEqual(step, {}, `byte ${i}`);
  }
  assert.deepEqual(step, { done: true, rest: undefined });
  const withRest = new StartTlsDialogue('ldap');
  withRest.start();
  assert.deepEqual(withRest.push(ok), { done: true, rest: Buffer.from([0x16, 0x03, 0x03]) });
  // Long-form lengths are read too.
  const long = new StartTlsDialogue('ldap');
  long.start();
  const inner = extendedResponse(1, 0).subarray(2);
  assert.equal(long.push(Buffer.concat([Buffer.from([0x30, 0x81, inner.length]), inner])).done, true);

  const refuse = (bytes: Buffer, pattern: RegExp, cls: typeof StartTlsError = StartTlsError) => {
    const x = new StartTlsDialogue('ldap');
    x.start();
    assert.throws(() => x.push(bytes), (e: Error) => e instanceof cls && pattern.test(e.message));
  };
  refuse(extendedResponse(1, 2, 'unsupported extended operation'), /^LDAP: the server refused StartTLS \(resultCode 2 \(protocolError\): "unsupported extended operation"\)$/);
  refuse(extendedResponse(1, 52), /resultCode 52 \(unavailable\)/);
  refuse(extendedResponse(1, 51), /^LDAP: the server is busy/, StartTlsBusy);
  refuse(extendedResponse(0, 52, 'bye'), /Notice of Disconnection, resultCode 52/);
  refuse(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]), /speaks TLS from its first byte \(LDAPS, port 636\)/);
  refuse(Buffer.from('220 mail.test ESMTP\r\n'), /not an LDAP message \(first byte 0x32\): not an LDAP server\?/);
  refuse(Buffer.from([0x30, 0x80, 0x00]), /indefinite form/);
  refuse(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]), /not an ExtendedResponse/);
});

test('slapd: the scan through LDAP StartTLS equals the scan of its LDAPS port; pin and diagnose go through StartTLS; a slapd without TLS refuses it in one line', async () => {
  const f = new CertFactory();
  const c = f.make({ cn: 'dc1.corp.test', key: 'rsa2048', san: 'DNS:dc1.corp.test,IP:127.0.0.1' });
  const slapd = await startSlapd({ cert: c.cert, key: c.key });
  const viaStartTls = await scanTarget({ host: '127.0.0.1', port: slapd.ldapPort, sni: null, input: 'x', starttls: 'ldap' }, { timeoutMs: 3000 });
  const direct = await scanTarget({ host: '127.0.0.1', port: slapd.ldapsPort!, sni: null, input: 'x' }, { timeoutMs: 3000 });
  const shape = (r: typeof direct) => r.protocols.map((p) => [p.version, p.supported, p.serverPreference, p.cipherSuites.map((s) => s.id)]);
  assert.ok(direct.protocols.some((p) => p.supported && p.cipherSuites.length > 0), JSON.stringify(direct.protocols));
  assert.deepEqual(shape(viaStartTls), shape(direct));
  assert.deepEqual(viaStartTls.groups.map((g) => g.id), direct.groups.map((g) => g.id));
  assert.equal(viaStartTls.target.starttls, 'ldap');
  assert.deepEqual(viaStartTls.errors, []);

  const pin = await runCli(['pin', `127.0.0.1:${slapd.ldapPort}`, '--starttls', 'ldap', '--role', 'leaf', '-f', 'sha256']);
  assert.equal(pin.out, `sha256/${opensslPinOfCert(c.cert)}\n`, pin.err);
  const diag = await runCli(['diagnose', `127.0.0.1:${slapd.ldapPort}`, '--starttls', 'ldap']);
  assert.match(diag.out.split('\n')[0]!, /^Verdict: the certificate is self-signed/, diag.out + diag.err);

  const plain = await startSlapd();
  await assert.rejects(scanTarget({ host: '127.0.0.1', port: plain.ldapPort, sni: null, input: 'x', starttls: 'ldap' }, { timeoutMs: 3000 }),
    (e: unknown) => e instanceof UnreachableError && /^no TLS through STARTTLS at 127\.0\.0\.1:\d+: LDAP: the server refused StartTLS \(resultCode \d+/.test((e as Error).message));
  const cli = await runCli(['scan', `127.0.0.1:${plain.ldapPort}`, '--starttls', 'ldap']);
  assert.equal(cli.code, 3);
  assert.equal(cli.err.trim().split('\n').length, 1, cli.err);
});
