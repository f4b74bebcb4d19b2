/**
 * The real TLS clients installed on this machine, run with their defaults
 * against a loopback port (certificate verification off, so a test
 * certificate does not stop the handshake; that changes nothing in the
 * ClientHello). What they negotiated is read off the wire by
 * hello-capture.ts's recording proxy, not from their own output.
 *
 * Keyed by the client profile id they are the real thing for.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand } from './servers.js';
import { tempDir } from './tmp.js';

export interface RealClientRun { code: number | null; output: string }

function run(cmd: string, args: string[], timeoutMs = 30_000, env?: NodeJS.ProcessEnv): Promise<RealClientRun> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, env: env ?? process.env, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}${stderr}` });
    });
    child.stdin?.end();
  });
}

/**
 * Java statements that make `ctx`, an SSLContext that trusts any certificate
 * (the test servers' certificates are made at test time); the class needs
 * `import javax.net.ssl.*;` and `import java.security.cert.X509Certificate;`.
 */
export const JAVA_TRUST_ALL_CONTEXT = `
    TrustManager[] trustAll = { new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] c, String t) {}
      public void checkServerTrusted(X509Certificate[] c, String t) {}
      public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; } } };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trustAll, null);
`;

const JAVA_CLIENT = `
import javax.net.ssl.*;
import java.security.cert.X509Certificate;
public class TlsClient {
  public static void main(String[] a) throws Exception {${JAVA_TRUST_ALL_CONTEXT}    java.net.Socket raw = new java.net.Socket("127.0.0.1", Integer.parseInt(a[1]));
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, a[0], Integer.parseInt(a[1]), true)) {
      s.startHandshake();
      System.out.println(s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
    }
  }
}
`;

let javaDir: string | null = null;

const PY_CLIENT = `
import socket, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
with socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname=sys.argv[1]) as s:
        print(s.version(), s.cipher()[0])
`;

const NODE_CLIENT = `
const https = require('node:https');
const req = https.get({ host: '127.0.0.1', servername: process.argv[1], headers: { host: process.argv[1] }, port: Number(process.argv[2]), path: '/', rejectUnauthorized: false }, (res) => {
  console.log(res.socket.getProtocol(), res.socket.getCipher().standardName);
  res.resume(); res.on('end', () => process.exit(0));
});
req.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

/** Runs the real client for profile `id` against 127.0.0.1:port, with `host` as the server name (SNI, Host). */
export interface RealClient {
  available: () => boolean;
  run: (host: string, port: number) => Promise<RealClientRun>;
  /** Whether the run completed a handshake (and a request where the client makes one). */
  succeeded?: (r: RealClientRun) => boolean;
}

export const REAL_CLIENTS: Record<string, RealClient> = {
  'openssl-3.0': {
    available: () => hasCommand('openssl'),
    run: (host, port) => run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', host]),
    succeeded: (r) => r.code === 0 && !/Cipher is \(NONE\)/.test(r.output),
  },
  'curl-7.88': {
    available: () => hasCommand('curl'),
    run: (host, port) => run('curl', ['-sk', '--max-time', '10', '--resolve', `${host}:${port}:127.0.0.1`, `https://${host}:${port}/`]),
  },
  'gnutls-3.7': {
    available: () => hasCommand('gnutls-cli'),
    run: (host, port) => run('gnutls-cli', ['--insecure', `--sni-hostname=${host}`, '-p', String(port), '127.0.0.1']),
  },
  'python-3.11': {
    available: () => hasCommand('python3'),
    run: (host, port) => run('python3', ['-c', PY_CLIENT, host, String(port)]),
  },
  'node-20': {
    available: () => true,
    run: (host, port) => run(process.execPath, ['-e', NODE_CLIENT, host, String(port)]),
  },
  'java-17': {
    available: () => hasCommand('java') && hasCommand('javac'),
    run: async (host, port) => {
      // tempDir() is removed when the test that created it ends: recompile when it is gone.
      if (!javaDir || !existsSync(join(javaDir, 'TlsClient.class'))) {
        javaDir = tempDir('tlsdoctor-java-');
        writeFileSync(join(javaDir, 'TlsClient.java'), JAVA_CLIENT);
        const c = await run('javac', ['-d', javaDir, join(javaDir, 'TlsClient.java')], 60_000);
        if (c.code !== 0) return c;
      }
      return run('java', ['-cp', javaDir, 'TlsClient', host, String(port)]);
    },
  },
  'chrome-current': {
    available: () => hasCommand('chromium'),
    run: (host, port) => run('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage',
      '--ignore-certificate-errors', `--host-resolver-rules=MAP ${host} 127.0.0.1`, `--user-data-dir=${tempDir('tlsdoctor-chromium-')}`,
      '--dump-dom', `https://${host}:${port}/`], 60_000),
    // Chromium exits 0 and dumps its own error page when the handshake fails; the s_server -www and
    // gnutls-serv --http pages name themselves.
    succeeded: (r) => r.code === 0 && /s_server|Ciphers supported|This is <a [^>]*>GnuTLS/i.test(r.output),
  },
};
