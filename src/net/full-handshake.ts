import type tls from 'node:tls';
import net from 'node:net';
import { nodeTls } from '../util/builtins.js';
import { StartTlsDialogue, serverGreetsFirst, type StartTls } from './starttls.js';
import { openTunnel, type Proxy } from './proxy.js';
import { X509Certificate, constants as cryptoConstants } from 'node:crypto';

/**
 * A complete handshake through node:tls, for what a real Node client sees:
 * the chain as Node rebuilds it (pinning, diagnose), stapled OCSP, session
 * resumption and the verdict of Node's own verifier. The chain exactly as the
 * server sent it comes from the wire engine (TLS <= 1.2) and tls13-chain.ts
 * (TLS 1.3). Certificate checking is off here: callers get the chain and
 * Node's authorizationError and decide for themselves.
 */
export interface FullHandshakeOptions {
  host: string;
  port: number;
  /** SNI; false to send none. Defaults to host unless host is an IP literal. */
  servername?: string | false;
  timeoutMs?: number;
  /** Extra trust anchors (PEM) for Node's verdict. */
  ca?: string[];
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** The signature algorithms offered (OpenSSL names, colon-separated): they choose among a server's certificates. */
  sigalgs?: string;
  requestOCSP?: boolean;
  session?: Buffer;
  /**
   * Connects to a TLS <= 1.2 server without RFC 5746 secure renegotiation,
   * which OpenSSL 3 otherwise refuses (SSL_OP_LEGACY_SERVER_CONNECT).
   */
  legacyServerConnect?: boolean;
  /** A client certificate chain (PEM) and its private key (PEM), for servers that ask for one. */
  cert?: string;
  key?: string;
  /** The service's STARTTLS preamble before the handshake (net/starttls.ts). */
  starttls?: StartTls;
  /** Connect through this HTTP proxy's CONNECT tunnel (net/proxy.ts). */
  proxy?: Proxy;
}

/**
 * A handshake that only one kind of server key can answer: its signature
 * algorithms (TLS 1.3 and 1.2 servers pick their certificate by them; OpenSSL
 * names) and, for TLS <= 1.2, its suites (`ciphers`).
 */
export const ONLY_KEY: Record<'RSA' | 'ECDSA', { sigalgs: string; ciphers: string }> = {
  RSA: { sigalgs: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512:rsa_pkcs1_sha1', ciphers: 'aRSA:@SECLEVEL=0' },
  ECDSA: { sigalgs: 'ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512:ECDSA+SHA1', ciphers: 'aECDSA:@SECLEVEL=0' },
};

/** The other kind of key (RSA or ECDSA) to ask a server for after a certificate with this one; undefined for other keys. */
export function otherKeyKind(cert: X509Certificate | undefined): 'RSA' | 'ECDSA' | undefined {
  const t = cert?.publicKey.asymmetricKeyType;
  return t === 'ec' ? 'RSA' : t === 'rsa' || t === 'rsa-pss' ? 'ECDSA' : undefined;
}

export interface FullHandshakeResult {
  protocol: string | null;
  cipher: { name: string; standardName: string; version: string } | null;
  /** The chain as Node reassembles it from the server's Certificate message, leaf first. */
  chain: X509Certificate[];
  /** DER of each certificate in `chain`. */
  chainDer: Buffer[];
  /** Node's verification error code (e.g. "CERT_HAS_EXPIRED") or null when trusted. */
  authorizationError: string | null;
  authorized: boolean;
  ocspResponse: Buffer | null;
  alpnProtocol: string | false;
  session: Buffer | null;
  sessionReused: boolean;
  /** The address the connection went to (the proxy's through a tunnel), when the socket knew it. */
  remoteAddress?: string;
}

const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

/** OpenSSL's SSL_OP_LEGACY_SERVER_CONNECT (crypto.constants has it too; 0x4 in OpenSSL 3). */
export const SSL_OP_LEGACY_SERVER_CONNECT = cryptoConstants.SSL_OP_LEGACY_SERVER_CONNECT ?? 0x4;

/**
 * A TCP connection on which the service's STARTTLS preamble is done: the
 * next byte to write is the ClientHello. Rejects with the dialogue's error
 * (no STARTTLS offered, a refusal, a 421) or a timeout.
 */
export async function openStartTls(host: string, port: number, protocol: StartTls, timeoutMs: number, proxy?: Proxy): Promise<net.Socket> {
  const started = Date.now();
  const tunnel = proxy ? await openTunnel(proxy, host, port, timeoutMs) : undefined;
  timeoutMs = Math.max(1, timeoutMs - (Date.now() - started));
  return new Promise((resolve, reject) => {
    const dialogue = new StartTlsDialogue(protocol);
    const sock = tunnel ?? net.connect({ host, port });
    const fail = (err: Error) => { clearTimeout(timer); sock.destroy(); reject(err); };
    let received = 0;
    const timer = setTimeout(() => fail(new Error(`${protocol} STARTTLS with ${host}:${port} timed out after ${timeoutMs} ms`
      + (received || !serverGreetsFirst(protocol) ? '' : ': no greeting came (a service that speaks TLS from its first byte, as on ports 465, 993 and 995, needs no --starttls)'))), timeoutMs);
    sock.once('error', fail);
    sock.once('end', () => fail(new Error(`${host}:${port} closed the connection during the ${protocol} STARTTLS preamble`)));
    const begin = () => { const first = dialogue.start(); if (first) sock.write(first); };
    if (tunnel) begin(); else sock.once('connect', begin);
    const onData = (d: Buffer) => {
      received += d.length;
      let step;
      try { step = dialogue.push(d); } catch (e) { return fail(e instanceof Error ? e : new Error(String(e))); }
      if (step.send) sock.write(step.send);
      if (!step.done) return;
      clearTimeout(timer);
      sock.off('data', onData);
      sock.removeAllListeners('error');
      sock.removeAllListeners('end');
      if (step.rest) sock.unshift(Buffer.from(step.rest));
      resolve(sock);
    };
    sock.on('data', onData);
  });
}

/**
 * The socket to hand node:tls for host:port: after the service's STARTTLS
 * preamble, through the proxy's tunnel, or both; undefined when neither
 * (node:tls then connects by itself).
 */
export async function openPath(host: string, port: number, timeoutMs: number, starttls?: StartTls, proxy?: Proxy): Promise<net.Socket | undefined> {
  if (starttls) return openStartTls(host, port, starttls, timeoutMs, proxy);
  return proxy ? openTunnel(proxy, host, port, timeoutMs) : undefined;
}

export async function fullHandshake(o: FullHandshakeOptions): Promise<FullHandshakeResult> {
  const started = Date.now();
  const timeout = o.timeoutMs ?? 10_000;
  const socket = await openPath(o.host, o.port, timeout, o.starttls, o.proxy);
  try {
    return await handshake(o, socket, Math.max(1, timeout - (Date.now() - started)));
  } finally {
    // The tunnel or STARTTLS socket is closed whatever happened: node:tls leaves it open when it
    // fails before taking it over (bad options), and a server that serves one connection at a
    // time would wait on it.
    socket?.destroy();
  }
}

function handshake(o: FullHandshakeOptions, socket: net.Socket | undefined, timeoutMs: number): Promise<FullHandshakeResult> {
  const servername = o.servername === false ? undefined : (o.servername ?? (isIp(o.host) ? undefined : o.host));
  return new Promise((resolve, reject) => {
    let ocsp: Buffer | null = null;
    let session: Buffer | null = null;
    let settled = false;
    const sock = nodeTls().connect({
      ...(socket ? { socket } : { host: o.host, port: o.port }),
      servername,
      rejectUnauthorized: false,
      ca: o.ca && o.ca.length ? [...nodeTls().rootCertificates, ...o.ca] : undefined,
      minVersion: o.minVersion ?? 'TLSv1',
      maxVersion: o.maxVersion,
      ciphers: o.ciphers ?? 'ALL:@SECLEVEL=0',
      ...(o.sigalgs ? { sigalgs: o.sigalgs } : {}),
      requestOCSP: o.requestOCSP ?? true,
      session: o.session,
      secureOptions: o.legacyServerConnect ? SSL_OP_LEGACY_SERVER_CONNECT : undefined,
      cert: o.cert,
      key: o.key,
    } as tls.ConnectionOptions & { requestOCSP?: boolean });
    const started = Date.now();
    // The caller's whole deadline, as tls13-chain.ts names it; `timeoutMs` is what the preamble left.
    const timer = setTimeout(() => finish(new Error(`TLS handshake with ${o.host}:${o.port} timed out after ${o.timeoutMs ?? 10_000} ms`)), timeoutMs);
    function finish(err: Error | null, value?: FullHandshakeResult) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err); else resolve(value!);
    }
    sock.on('OCSPResponse', (r) => { ocsp = r; });
    let afterHandshake: (() => void) | undefined;
    sock.on('session', (s) => { session = s; afterHandshake?.(); });
    sock.once('error', (e) => finish(e));
    sock.once('secureConnect', () => {
      const chainDer: Buffer[] = [];
      let c: tls.DetailedPeerCertificate | undefined = sock.getPeerCertificate(true);
      const seen = new Set<string>();
      while (c && c.raw && !seen.has(c.fingerprint256)) {
        seen.add(c.fingerprint256);
        chainDer.push(c.raw);
        c = c.issuerCertificate && c.issuerCertificate !== c ? c.issuerCertificate : undefined;
      }
      const cipher = sock.getCipher();
      // TLS 1.3: the client's side of the handshake is done before the server has read the
      // client's Finished (and certificate): a server that requires a client certificate says so
      // with an alert a round trip later, and a server that accepted sends its session tickets
      // then. Wait for either, about two handshakes' time (100 ms-1.5 s), so that a far server's
      // "certificate required" is not taken for a success.
      const done = () => finish(null, {
        protocol: sock.getProtocol(),
        cipher: cipher ? { name: cipher.name, standardName: cipher.standardName, version: cipher.version } : null,
        chain: chainDer.map((d) => new X509Certificate(d)),
        chainDer,
        authorizationError: sock.authorizationError ? String(sock.authorizationError) : null,
        authorized: sock.authorized,
        ocspResponse: ocsp,
        alpnProtocol: sock.alpnProtocol ?? false,
        session: session ?? sock.getSession() ?? null,
        sessionReused: sock.isSessionReused(),
        ...(sock.remoteAddress ? { remoteAddress: sock.remoteAddress } : {}),
      });
      if (sock.getProtocol() === 'TLSv1.3' && !session) {
        afterHandshake = done;
        setTimeout(done, Math.min(1500, Math.max(100, 2 * (Date.now() - started))));
      } else {
        done();
      }
    });
  });
}
