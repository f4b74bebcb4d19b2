/**
 * A Java (JSSE, SunJSSE provider) TLS server on loopback: what Tomcat, Jetty and Spring Boot
 * run on. The class below is compiled once per test process with javac; each server is a
 * `java` process with its own configuration, which prints what JSSE says it has enabled
 * (protocols, suites in order, whether it imposes that order) before it takes connections:
 * the ground truth the scan is compared with. Each connection gets its handshake and is then
 * held until the client closes it (or 5 s pass), as an application server holds one.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from './servers.js';
import { processTempDir, startProgramServer } from './program-server.js';

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

function compile(): Promise<string> {
  return (classDir ??= new Promise((resolve, reject) => {
    const dir = processTempDir('tlsdoctor-jsse-');
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
  const store = join(processTempDir('tlsdoctor-jsse-ks-'), 'server.p12');
  await new Promise<void>((resolve, reject) => {
    execFile('openssl', ['pkcs12', '-export', '-in', o.cert, '-inkey', o.key, '-out', store, '-passout', 'pass:secret', '-name', 'server'], (err, _o, e) => (err ? reject(new Error(`openssl pkcs12: ${e}`)) : resolve()));
  });
  const props = Object.entries(o.properties ?? {}).map(([k, v]) => `-D${k}=${v}`);
  const args = [...props, '-cp', dir, 'JsseServer', store, 'secret', o.protocols?.join(',') ?? '-', o.suites?.join(',') ?? '-', o.serverOrder === undefined ? '-' : o.serverOrder ? 'on' : 'off'];
  const server = await startProgramServer('JSSE server', 'java', args);
  const { facts } = server;
  return { ...server, protocols: facts.protocols!.split(','), suites: facts.suites!.split(','), serverOrder: facts.order === 'true' };
}
