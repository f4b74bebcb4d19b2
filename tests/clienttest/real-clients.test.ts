/**
 * Real clients on this machine connect to client-test; each report's versions,
 * suites and verdict must match what the client was told to offer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { startHarness, type Harness } from './harness.js';
import { tempDir } from '../support/tmp.js';
import { JAVA_TRUST_ALL_CONTEXT } from '../support/real-clients.js';
import type { ClientLogEntry } from '../../src/clienttest/server.js';
import type { ClientHelloReport } from '../../src/clienttest/analysis.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.server.close());

function run(cmd: string, args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 30_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** Suites a client really offers: GREASE and signalling values left out. */
const realSuites = (r: ClientHelloReport) => r.cipherSuites.filter((s) => !s.grease && !s.scsv).map((s) => s.name);

async function connectWith(cmd: string, args: string[], input = ''): Promise<{ entry: ClientLogEntry; out: string }> {
  const from = h.entries.length;
  const res = await run(cmd, args, input);
  const entry = await h.next(from);
  return { entry, out: res.stdout + res.stderr };
}

test('curl (TLS 1.2 only, one suite): report shows exactly that; /api/check returns this connection', async () => {
  const from = h.entries.length;
  const res = await run('curl', ['-sk', '--max-time', '10', '--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256',
    `https://localhost:${h.port}/api/check`]);
  assert.equal(res.code, 0, res.stderr);
  const body = JSON.parse(res.stdout) as { report: ClientHelloReport; negotiated: { protocol: string } };
  const e = await h.next(from);
  assert.equal(e.outcome, 'completed');
  assert.deepEqual(body.report, e.report);
  assert.equal(body.negotiated.protocol, 'TLSv1.2');
  assert.equal(body.report.highestVersion, 'TLSv1.2');
  assert.deepEqual(realSuites(body.report), ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  assert.equal(body.report.sni, 'localhost');
  assert.deepEqual(body.report.alpn, ['h2', 'http/1.1']);
  assert.equal(body.report.verdict.compliant, true);
  assert.equal(body.report.verdict.summary, 'TLS 1.2 compliant: yes — offers up to TLS 1.2');
  assert.match(body.report.ja3.hash, /^[0-9a-f]{32}$/);
  assert.match(body.report.ja4.ja4, /^t12d0\d\d\dh2_/);
});

test('curl (defaults): offers TLS 1.3 and 1.2, negotiates TLS 1.3, GET / is the HTML page', async () => {
  const from = h.entries.length;
  const res = await run('curl', ['-sk', '--max-time', '10', `https://127.0.0.1:${h.port}/`]);
  assert.equal(res.code, 0, res.stderr);
  const e = await h.next(from);
  assert.match(res.stdout, /<p class="verdict yes" id="verdict">TLS 1\.2 compliant: yes — offers up to TLS 1\.3<\/p>/);
  assert.deepEqual(e.report!.supportedVersions!.slice(0, 2), ['TLSv1.3', 'TLSv1.2']);
  assert.equal(e.report!.highestVersion, 'TLSv1.3');
  assert.equal(e.negotiated!.protocol, 'TLSv1.3');
  assert.equal(e.report!.sni, undefined, 'no SNI for an IP address');
  assert.ok(realSuites(e.report!).includes('TLS_AES_256_GCM_SHA384'));
});

const sClient = (flags: string[]) => connectWith('openssl', ['s_client', '-connect', `127.0.0.1:${h.port}`, ...flags], 'Q\n');

test('openssl s_client -tls1: TLS 1.0 only, one suite; not TLS 1.2 compliant, handshake still completes', async () => {
  const { entry: e, out } = await sClient(['-tls1', '-cipher', 'AES128-SHA:@SECLEVEL=0']);
  assert.equal(e.outcome, 'completed', out);
  assert.equal(e.negotiated!.protocol, 'TLSv1');
  assert.equal(e.report!.highestVersion, 'TLSv1');
  assert.equal(e.report!.legacyVersion, 'TLSv1');
  assert.equal(e.report!.supportedVersions, undefined);
  assert.deepEqual(realSuites(e.report!), ['TLS_RSA_WITH_AES_128_CBC_SHA']);
  assert.equal(e.report!.verdict.compliant, false);
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: no — offers at most TLS 1.0');
});

test('openssl s_client -tls1_1: TLS 1.1 only; verdict names TLS 1.1', async () => {
  const { entry: e, out } = await sClient(['-tls1_1', '-cipher', 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0']);
  assert.equal(e.outcome, 'completed', out);
  assert.equal(e.negotiated!.protocol, 'TLSv1.1');
  assert.equal(e.report!.highestVersion, 'TLSv1.1');
  assert.deepEqual(realSuites(e.report!), ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA']);
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: no — offers at most TLS 1.1');
});

test('openssl s_client -tls1_2 with two suites: both reported in order, compliant', async () => {
  const { entry: e, out } = await sClient(['-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305']);
  assert.equal(e.outcome, 'completed', out);
  assert.equal(e.report!.highestVersion, 'TLSv1.2');
  assert.deepEqual(realSuites(e.report!), ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256']);
  assert.equal(e.report!.verdict.compliant, true);
});

test('openssl s_client -tls1_3 with one suite and X25519 only', async () => {
  const { entry: e, out } = await sClient(['-tls1_3', '-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256', '-groups', 'X25519', '-servername', 'api.example.test']);
  assert.equal(e.outcome, 'completed', out);
  assert.deepEqual(e.report!.supportedVersions, ['TLSv1.3']);
  assert.deepEqual(realSuites(e.report!), ['TLS_CHACHA20_POLY1305_SHA256']);
  assert.deepEqual(e.report!.groups.map((g) => g.name), ['x25519']);
  assert.deepEqual(e.report!.keyShareGroups, ['x25519']);
  assert.equal(e.report!.sni, 'api.example.test');
  assert.equal(e.report!.postQuantum, false);
  assert.equal(e.negotiated!.cipher, 'TLS_CHACHA20_POLY1305_SHA256');
});

test('python3 ssl module capped at TLS 1.2 with one suite', async () => {
  const py = `
import socket, ssl, sys, json
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_ciphers('ECDHE-RSA-AES256-GCM-SHA384')
with socket.create_connection(('127.0.0.1', int(sys.argv[1]))) as s:
    with ctx.wrap_socket(s, server_hostname='python.test') as t:
        t.sendall(b'GET /api/check HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n')
        data = b''
        while True:
            chunk = t.recv(65536)
            if not chunk: break
            data += chunk
        print(t.version(), json.loads(data.split(b'\\r\\n\\r\\n', 1)[1])['report']['highestVersion'])
`;
  const { entry: e, out } = await connectWith('python3', ['-c', py, String(h.port)]);
  assert.match(out, /^TLSv1\.2 TLSv1\.2$/m);
  assert.equal(e.report!.highestVersion, 'TLSv1.2');
  assert.deepEqual(realSuites(e.report!), ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
  assert.equal(e.report!.sni, 'python.test');
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: yes — offers up to TLS 1.2');
});

test('java (JSSE) with TLSv1.2 and one suite', async () => {
  const dir = tempDir('tlsdoctor-java-');
  const src = join(dir, 'Hello.java');
  writeFileSync(src, `
import javax.net.ssl.*;
import java.security.cert.X509Certificate;
import java.io.*;
public class Hello {
  public static void main(String[] a) throws Exception {${JAVA_TRUST_ALL_CONTEXT}    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(a[0]))) {
      s.setEnabledProtocols(new String[] { "TLSv1.2" });
      s.setEnabledCipherSuites(new String[] { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" });
      s.startHandshake();
      OutputStream o = s.getOutputStream();
      o.write("GET /api/check HTTP/1.0\\r\\n\\r\\n".getBytes());
      o.flush();
      System.out.println(s.getSession().getProtocol() + " " + new String(s.getInputStream().readAllBytes()).contains("TLSv1.2"));
    }
  }
}
`);
  const { entry: e, out } = await connectWith('java', [src, String(h.port)]);
  assert.match(out, /TLSv1\.2 true/);
  assert.equal(e.report!.highestVersion, 'TLSv1.2');
  assert.deepEqual(realSuites(e.report!), ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  assert.equal(e.report!.verdict.compliant, true);
});

test('node tls.connect, TLS 1.3 only with one suite', async () => {
  const from = h.entries.length;
  await new Promise<void>((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: h.port, rejectUnauthorized: false, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_128_GCM_SHA256', servername: 'node.test', ALPNProtocols: ['http/1.1'] }, () => { s.end(); resolve(); });
    s.on('error', reject);
  });
  const e = await h.next(from);
  assert.deepEqual(e.report!.supportedVersions, ['TLSv1.3']);
  assert.deepEqual(realSuites(e.report!).filter((n) => /^TLS_AES|^TLS_CHACHA/.test(n)), ['TLS_AES_128_GCM_SHA256']);
  assert.deepEqual(e.report!.alpn, ['http/1.1']);
  assert.equal(e.report!.sni, 'node.test');
  assert.match(e.report!.ja4.ja4, /^t13d\d{4}h1_/);
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: yes — offers up to TLS 1.3');
});

test('gnutls-cli limited to TLS 1.2 and AES-256-GCM', async () => {
  const { entry: e, out } = await connectWith('gnutls-cli', ['--insecure', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM',
    '-p', String(h.port), '127.0.0.1'], '');
  assert.equal(e.outcome, 'completed', out);
  assert.equal(e.report!.highestVersion, 'TLSv1.2');
  const suites = realSuites(e.report!);
  assert.ok(suites.length >= 2, suites.join());
  for (const s of suites) assert.match(s, /AES_256_GCM/);
  assert.equal(e.report!.verdict.compliant, true);
});

test('gnutls-cli limited to TLS 1.1: not compliant', async () => {
  const { entry: e, out } = await connectWith('gnutls-cli', ['--insecure', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.1', '-p', String(h.port), '127.0.0.1'], '');
  assert.equal(e.report!.highestVersion, 'TLSv1.1', out);
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: no — offers at most TLS 1.1');
  for (const s of realSuites(e.report!)) assert.doesNotMatch(s, /^TLS_AES_|^TLS_CHACHA20_POLY1305_SHA256$/);
});

test('an SSL 3.0-only client (scripted bytes: no client here still speaks SSL 3.0) is analysed; Node cannot complete it', async () => {
  const { records } = await import('./hello-fixture.js');
  const net = await import('node:net');
  const from = h.entries.length;
  const reply = await new Promise<Buffer>((resolve) => {
    const s = net.connect(h.port, '127.0.0.1', () => s.write(records({ version: 0x0300, recordVersion: 0x0300, suites: [0x000a, 0x002f], noExtensionsBlock: true })));
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', () => {});
    s.on('close', () => resolve(Buffer.concat(got)));
    setTimeout(() => s.destroy(), 5000);
  });
  const e = await h.next(from);
  assert.equal(e.outcome, 'handshake-failed');
  assert.equal(e.report!.highestVersion, 'SSLv3');
  assert.equal(e.report!.verdict.summary, 'TLS 1.2 compliant: no — offers at most SSL 3.0');
  assert.match(e.error!, /analysed only/);
  assert.equal(reply[0], 21, 'the server answers with a TLS alert');
});

test('every report the real clients produced validates against schema/client-hello-report.schema.json', async () => {
  const { readFileSync } = await import('node:fs');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const validate = new Ajv2020({ allErrors: true, strict: true })
    .compile(JSON.parse(readFileSync(new URL('../../../schema/client-hello-report.schema.json', import.meta.url), 'utf8')));
  const reports = h.entries.map((e) => e.report).filter((r) => r !== undefined);
  assert.ok(reports.length >= 12, `${reports.length} reports`);
  for (const r of reports) assert.ok(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors));
});
