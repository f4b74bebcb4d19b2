/**
 * A Java (JSSE, SunJSSE provider) TLS server on loopback: what Tomcat, Jetty and Spring Boot
 * run on. The class below is compiled once per test process with javac; each server is a
 * `java` process with its own configuration, which prints what JSSE says it has enabled
 * (protocols, suites in order, whether it imposes that order) before it takes connections:
 * the ground truth the scan is compared with. Each connection gets its handshake and is then
 * held until the client closes it (or 5 s pass), as an application server holds one.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { RunningServer } from './servers.js';

const SOURCE = `
import javax.net.ssl.*;
import java.io.*;
import java.net.InetAddress;
import java.security.KeyStore;

public class JsseServer {
  // args: keystore.p12 password protocols|- suites|- order(on|off|-)
  public static void main(String[] a) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(a[0])) { ks.load(in, a[1].toCharArray()); }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, a[1].toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
    if (!a[2].equals("-")) ss.setEnabledProtocols(a[2].split(","));
    if (!a[3].equals("-")) ss.setEnabledCipherSuites(a[3].split(","));
    if (!a[4].equals("-")) { SSLParameters p = ss.getSSLParameters(); p.setUseCipherSuitesOrder(a[4].equals("on")); ss.setSSLParameters(p); }
    System.out.println("protocols " + String.join(",", ss.getEnabledProtocols()));
    System.out.println("suites " + String.join(",", ss.getEnabledCipherSuites()));
    System.out.println("order " + ss.getSSLParameters().getUseCipherSuitesOrder());
    System.out.println("port " + ss.getLocalPort());
    System.out.flush();
    while (true) {
      SSLSocket s = (SSLSocket) ss.accept();
      Thread t = new Thread(() -> {
        try (SSLSocket c = s) {
          c.setSoTimeout(5000);
          c.startHandshake();
          InputStream in = c.getInputStream();
          while (in.read() != -1) { }
        } catch (Exception e) { }
      });
      t.setDaemon(true);
      t.start();
    }
  }
}
`;

let classDir: Promise<string> | undefined;

/**
 * Every server started, stopped when the test file ends: by a hook of the file (registered
 * when this module is first imported), not of the test that started it (an \`after\` called
 * inside a test after awaits was seen not to run for a second server, which then held the
 * test process), and on exit as a last resort.
 */
const running = new Set<() => Promise<void>>();
const tempDirs: string[] = [];
after(async () => { await Promise.all([...running].map((stop) => stop())); });
process.once('exit', () => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

function compile(): Promise<string> {
  return (classDir ??= new Promise((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-jsse-'));
    tempDirs.push(dir);
    writeFileSync(join(dir, 'JsseServer.java'), SOURCE);
    execFile('javac', ['-d', dir, join(dir, 'JsseServer.java')], { timeout: 120_000 }, (err, _out, stderr) => {
      if (err || !existsSync(join(dir, 'JsseServer.class'))) reject(new Error(`javac failed: ${stderr || err?.message}`));
      else resolve(dir);
    });
  }));
}

export interface JsseServer extends RunningServer {
  /** What JSSE reports enabled: protocol names, IANA suite names in its order, and whether it imposes that order. */
  protocols: string[];
  suites: string[];
  serverOrder: boolean;
}

/**
 * A JSSE server with this certificate and key (PEM files), made into a PKCS#12 keystore with the
 * openssl CLI. `properties`: system properties, e.g. { 'jdk.tls.namedGroups': 'secp256r1,ffdhe3072' }.
 */
export async function startJsseServer(o: { cert: string; key: string; protocols?: string[]; suites?: string[]; serverOrder?: boolean; properties?: Record<string, string> }): Promise<JsseServer> {
  const dir = await compile();
  const storeDir = mkdtempSync(join(tmpdir(), 'tlsdoctor-jsse-ks-'));
  tempDirs.push(storeDir);
  const store = join(storeDir, 'server.p12');
  await new Promise<void>((resolve, reject) => {
    execFile('openssl', ['pkcs12', '-export', '-in', o.cert, '-inkey', o.key, '-out', store, '-passout', 'pass:secret', '-name', 'server'], (err, _o, e) => (err ? reject(new Error(`openssl pkcs12: ${e}`)) : resolve()));
  });
  const props = Object.entries(o.properties ?? {}).map(([k, v]) => `-D${k}=${v}`);
  const args = [...props, '-cp', dir, 'JsseServer', store, 'secret', o.protocols?.join(',') ?? '-', o.suites?.join(',') ?? '-', o.serverOrder === undefined ? '-' : o.serverOrder ? 'on' : 'off'];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exited = false;
  child.on('exit', () => { exited = true; });
  const stop = async () => {
    running.delete(stop);
    if (exited) return;
    await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 2000).unref(); });
  };
  running.add(stop);
  process.once('exit', () => { if (!exited) child.kill('SIGKILL'); });
  const facts = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`JSSE server did not start within 30 s:\n${out}`)), 30_000);
    const read = (d: Buffer) => {
      out += d;
      const lines = Object.fromEntries(out.split('\n').map((l) => l.split(' ')).filter((p) => p.length === 2).map(([k, v]) => [k!, v!.trim()]));
      if (lines.port) { clearTimeout(timer); resolve(lines); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`JSSE server exited (${code}):\n${out}`)); });
  });
  return {
    host: '127.0.0.1', port: Number(facts.port), stop, log: () => out,
    protocols: facts.protocols!.split(','), suites: facts.suites!.split(','), serverOrder: facts.order === 'true',
  };
}
