/**
 * Hostile servers: each scan must end within its deadline with a clear error
 * in `errors`, never a crash or a hang. These servers are plain TCP servers
 * scripted to misbehave (that is the point: no TLS server misbehaves on cue).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { plainTextService, scanEndpoint } from '../../src/scan/run.js';
import { assess } from '../../src/assess/index.js';
import { plainTextLine } from '../../src/net/probe.js';
import fc from 'fast-check';
import { UnreachableError } from '../../src/util/errors.js';
import { closedPort } from '../support/servers.js';

async function hostile(onConnection: (sock: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    onConnection(sock);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return (server.address() as net.AddressInfo).port;
}

const TIMEOUT = 600;
const SCAN_DEADLINE = 8000;

async function scanHostile(port: number) {
  const t0 = Date.now();
  const r = await scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'hostile.test' }, { timeoutMs: TIMEOUT, scanTimeoutMs: SCAN_DEADLINE });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < SCAN_DEADLINE + 2000, `scan took ${elapsed} ms`);
  assert.ok(r.protocols.every((p) => !p.supported), 'nothing is reported as supported');
  assert.equal(r.protocols.length, 6);
  return r;
}

test('a server that never answers: every probe times out, the scan ends with a timeout error', async () => {
  const port = await hostile(() => {});
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'timeout' || /no answer within/.test(e.message)), JSON.stringify(r.errors));
});

test('a server that resets every connection', async () => {
  const port = await hostile((s) => s.resetAndDestroy());
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'no-tls' && /reset/.test(e.message)), JSON.stringify(r.errors));
});

test('a server that closes every connection without a byte: no TLS, and one probe tested alone, not each dropped one in turn', async () => {
  const port = await hostile((s) => s.destroy());
  const purposes: string[] = [];
  const r = await scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: 'hostile.test' },
    { timeoutMs: TIMEOUT, scanTimeoutMs: SCAN_DEADLINE, onProbe: (p) => purposes.push(p.purpose) });
  assert.ok(r.protocols.every((p) => !p.supported));
  assert.ok(r.errors.some((e) => e.code === 'no-tls' && /closed without an answer/.test(e.message)), JSON.stringify(r.errors));
  // A limit on our connections would let a probe alone through: one is asked alone, after each of
  // three pauses, and dropped each time; with no hello ever answered, the rest stand as dropped
  // (each asked alone in turn, 39 probes and 6 s went by).
  const alone = purposes.filter((p) => p.endsWith('(alone)'));
  assert.ok(alone.length >= 1 && alone.length <= 3, purposes.join(' '));
});

test('a server that answers garbage', async () => {
  // (Binary: its second byte is no text, so it is not taken for a plain-text service, below.)
  const port = await hostile((s) => s.once('data', () => s.end(randomBytes(300).fill(0x42, 0, 1).fill(0x00, 1, 2))));
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'malformed'), JSON.stringify(r.errors));
});

test('a service that is not TLS (an SSH banner, then it waits for a line): one clear finding that quotes it, and the SSL 2.0 hello, which it would wait on, is withdrawn rather than timed out', async () => {
  const port = await hostile((s) => { s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'); s.resume(); });
  const r = await scanHostile(port);
  const notTls = r.errors.filter((e) => e.code === 'not-tls');
  assert.equal(notTls.length, 1, JSON.stringify(r.errors));
  assert.equal(notTls[0]!.message, `hostile.test:${port} does not speak TLS: it answered in plain text ("SSH-2.0-OpenSSH_9.2p1 Debian-2"): an SSH server`.replace('hostile.test', '127.0.0.1'));
  assert.ok(!r.errors.some((e) => e.code === 'incomplete' || e.code === 'timeout'), JSON.stringify(r.errors));
  const findings = assess(r, { host: '127.0.0.1' }).findings;
  assert.deepEqual(findings.map((f) => f.id), ['handshake.not-tls']);
  assert.equal(findings[0]!.evidence?.plainText, 'SSH-2.0-OpenSSH_9.2p1 Debian-2');
});

test('plainTextLine: the first line of a text answer; nothing for TLS records, SSL 2.0 answers or random bytes', () => {
  assert.equal(plainTextLine(Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')), 'HTTP/1.1 400 Bad Request');
  assert.equal(plainTextLine(Buffer.from('220 mail.example.com ESMTP\r\n')), '220 mail.example.com ESMTP');
  assert.match(plainTextService('220 mail.example.com ESMTP Postfix'), /^: an SMTP server greeting \(it may offer TLS after --starttls smtp/);
  assert.match(plainTextService('220 (vsFTPd 3.0.3)'), /^: an FTP server greeting/);
  assert.match(plainTextService('220 ready'), /^: an SMTP or FTP server greeting/);
  assert.match(plainTextService('+OK Dovecot ready.'), /POP3.*--starttls pop3/);
  assert.match(plainTextService('* OK [CAPABILITY IMAP4rev1] Dovecot ready.'), /IMAP.*--starttls imap/);
  assert.equal(plainTextService('hello'), '');
  assert.equal(plainTextLine(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x31])), undefined);
  assert.equal(plainTextLine(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28])), undefined);
  assert.equal(plainTextLine(Buffer.from([0x80, 0x2e, 0x04, 0x00])), undefined);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    const line = plainTextLine(bytes);
    if (line === undefined) return;
    assert.ok(/^[\x20-\x7e]{3,80}$/.test(line));
    assert.ok(bytes[0]! < 0x80 && (bytes[0]! < 0x14 || bytes[0]! > 0x18), 'never a TLS record or SSL 2.0 header');
  }));
});

test('a server that announces a 16 MB handshake message', async () => {
  // A handshake record whose ServerHello claims 0xFFFFFF bytes, then silence.
  const port = await hostile((s) => s.once('data', () => s.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0xff, 0xff, 0xff]))));
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'malformed' && /16777215|handshake message|too (large|long)|exceeds/i.test(e.message)), JSON.stringify(r.errors));
});

test('a server that trickles a byte a second', async () => {
  const port = await hostile((s) => {
    s.once('data', () => {
      const bytes = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x30, 0x02, 0x00, 0x00, 0x2c, 0x03, 0x03]);
      let i = 0;
      const t = setInterval(() => { if (i < bytes.length && !s.destroyed) s.write(bytes.subarray(i, ++i)); else clearInterval(t); }, 1000);
      s.on('close', () => clearInterval(t));
    });
  });
  const r = await scanHostile(port);
  assert.ok(r.errors.some((e) => e.code === 'timeout'), JSON.stringify(r.errors));
});

test('a closed port is unreachable (exit code 3 in the CLI), not an error inside a result; it is not tested for a connection limit', async () => {
  const port = await closedPort();
  const purposes: string[] = [];
  await assert.rejects(scanEndpoint({ host: '127.0.0.1', port, address: '127.0.0.1', sni: null }, {
    timeoutMs: TIMEOUT, onProbe: (p) => purposes.push(p.purpose),
  }), UnreachableError);
  // No connection was ever accepted, so a refusal cannot be a limit on our connections: round 1
  // and its immediate retries, no tests alone with pauses.
  assert.ok(purposes.length > 0 && purposes.every((p) => !p.includes('(alone)')), purposes.join(' '));
});
