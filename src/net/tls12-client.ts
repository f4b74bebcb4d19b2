/**
 * A TLS 1.0-1.2 client handshake of our own, for the checks that need a
 * connection past its handshake (scan/renegotiation.ts): ECDHE, DHE or RSA
 * key exchange; AES-GCM, ChaCha20-Poly1305 or a CBC cipher (3DES, Camellia
 * and ARIA too: whatever node:crypto has, not what node:tls would offer).
 * The server's signature and certificate are not checked: nothing sent
 * here is secret, and the server's Finished, which is checked, proves that
 * both sides hold the same keys.
 *
 * The caller's records go out encrypted right behind the client Finished,
 * in the same flight, as a False Start client's first data would (RFC
 * 7918): the server reads them once its handshake is done, and its reaction
 * comes with its own Finished or soon after, a round trip sooner than if
 * they waited for it. Every record the server sends after its Finished is
 * the reaction (decrypted with its keys where it opens), until a close, a
 * reset, the caller's `enough`, or the wait runs out.
 */
import net from 'node:net';
import { createDiffieHellman, createECDH, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes, constants as cryptoConstants, X509Certificate } from 'node:crypto';
import { ServerFlightReader, type ServerEvent } from '../wire/record.js';
import { parseServerHello, type ServerHello } from '../wire/server-hello.js';
import { parseServerKeyExchange, type ServerKeyExchange } from '../wire/server-key-exchange.js';
import { parseCertificateMessage } from '../wire/certificate.js';
import { buildClientHello, type ClientHelloOptions } from '../wire/client-hello.js';
import { ContentType, HandshakeType, alertName } from '../wire/constants.js';
import { masterSecret, protectionOf, sessionKeys, transcriptHash, verifyData, type Protection, type SessionKeys } from '../wire/tls12-keys.js';
import type { CbcKeys, CbcSuite } from '../wire/cbc.js';
import { suiteByCode, suitesForVersion } from '../registry/ciphers.js';
import { VERSION_CODE } from '../registry/versions.js';
import { errorMessage } from '../util/errors.js';
import { openPath } from './full-handshake.js';
import type { StartTls } from './starttls.js';
import type { Proxy } from './proxy.js';

export type Tls12Version = 0x0301 | 0x0302 | 0x0303;

export interface Tls12ClientOptions {
  host: string;
  port: number;
  /** SNI; undefined sends none. */
  servername?: string;
  version: Tls12Version;
  /** Suites to offer (default: every one this client can finish at `version`). */
  suites?: number[];
  /** Deadline of the handshake, ms. */
  timeoutMs: number;
  starttls?: StartTls;
  proxy?: Proxy;
  signal?: AbortSignal;
  /**
   * What to send encrypted right behind the client Finished: records as a content type and
   * content (sealed here, sequence numbers from 1), or whole records made by the caller (sent
   * as they are: with `session.cbc`, a record made wrong on purpose).
   */
  followUp: (session: Tls12Session) => ({ type: number; content: Uint8Array } | Uint8Array)[];
  /**
   * Send them once the server's Finished is in instead, a round trip later. For a near server
   * that does not set TCP_NODELAY (gnutls-serv): its answer to records that came with our
   * Finished is a second small write right behind its Finished, which Nagle's algorithm holds
   * until our delayed ACK comes, 40 ms later; written after its Finished, they carry that ACK.
   */
  afterServerFinished?: boolean;
  /** How long the reaction is waited for once the server's Finished is in, given how long the handshake took, ms. */
  reactionWaitMs: (handshakeMs: number) => number;
  /** The reaction is complete (default: never before the wait, or a moment after an alert). */
  enough?: (records: ServerRecord[]) => boolean;
  /** Offer RFC 5077 session tickets (an empty session_ticket extension). */
  sessionTicket?: boolean;
}

/** What the server gave for resuming the session: the session ID of its ServerHello, and its NewSessionTicket's ticket. */
export interface SessionState {
  id: Buffer;
  ticket?: Buffer;
}

/** The session, once the client Finished is made: what a caller needs to make records of its own. */
export interface Tls12Session {
  version: number;
  suiteCode: number;
  clientVerifyData: Buffer;
  /** CBC suites: the cipher, the key block, and the IV of the next client record at TLS 1.0 (the last block of our Finished). */
  cbc?: CbcSession;
}

/** A CBC session's parameters: enough to make a record sequence number 1 by hand (wire/cbc.ts). */
export interface CbcSession {
  version: number;
  suiteCode: number;
  suite: CbcSuite;
  keys: CbcKeys;
  clientIv: Buffer;
}

/** A record the server sent after its Finished: its content type, and its content when it opened with the server's keys. */
export interface ServerRecord {
  type: number;
  content?: Buffer;
}

export type Tls12ClientResult =
  /** end: how the reaction ended; malformed: bytes that were no TLS record came after the server's Finished. */
  | { kind: 'reaction'; version: number; suiteCode: number; records: ServerRecord[]; end: 'closed' | 'reset' | 'waited' | 'enough' | 'malformed'; session: SessionState }
  | { kind: 'failed'; code: 'unreachable' | 'timeout' | 'refused' | 'unsupported' | 'closed' | 'protocol'; message: string };

/** After an alert, how long a close that follows still counts as part of the reaction, ms. */
const CLOSE_GRACE_MS = 100;
/** Bounds on what a server may send: bytes in all (a flight with a long chain is some 10 KB), records after its Finished. */
const MAX_BYTES = 1024 * 1024;
const MAX_RECORDS = 64;
const KX = new Set(['ECDHE', 'DHE', 'RSA']);
const AUTH = new Set(['RSA', 'ECDSA', 'DSS']);
/** Groups offered for ECDHE: the ones node:crypto can make a key for. */
const GROUPS = [29, 23, 24, 25, 30];
const NIST: Record<number, string> = { 23: 'prime256v1', 24: 'secp384r1', 25: 'secp521r1' };
const VERSION_NAME = { 0x0301: 'TLSv1.0', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2' } as const;

/** The wire version of a TLS 1.0-1.2 version name ('TLSv1.2' -> 0x0303); undefined for others. */
export function tls12Version(name: string): Tls12Version | undefined {
  const code = (VERSION_CODE as Record<string, number>)[name];
  return code === 0x0301 || code === 0x0302 || code === 0x0303 ? code : undefined;
}

/**
 * The ClientHello options of this client at `version`: `suites`, the groups it can make keys
 * for, the extended master secret; no encrypt-then-MAC, no OCSP request, no ticket unless asked.
 * `more` adds to them (a renegotiation's or a resumption's hello keeps the rest the same).
 */
export function tls12HelloOptions(version: Tls12Version, suites: number[], sni: string | null | undefined, more: Partial<ClientHelloOptions> = {}): ClientHelloOptions {
  return {
    maxVersion: version, cipherSuites: suites, sni: sni ?? null, groups: GROUPS,
    extendedMasterSecret: true, encryptThenMac: false, sessionTicket: false, statusRequest: false, ...more,
  };
}

/** The suites this client can finish at a version: ECDHE, DHE or RSA key exchange, records node:crypto protects. */
export function finishableSuites(version: Tls12Version): number[] {
  return suitesForVersion(VERSION_NAME[version])
    .filter((s) => !s.export && !s.scsv && KX.has(s.kx) && AUTH.has(s.auth) && protectionOf(s.cipher, s.mac, s.iana))
    .map((s) => s.code);
}

const handshakeMessage = (type: number, body: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from([type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
const plainRecord = (type: number, version: number, content: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from([type, version >> 8, version & 0xff, content.length >> 8, content.length & 0xff]), content]);

/** The ClientKeyExchange body and the premaster secret, for the suite's key exchange. */
function keyExchange(kx: string, version: number, ske: ServerKeyExchange | undefined, leaf: Uint8Array | undefined): { body: Buffer; premaster: Buffer } {
  if (kx === 'RSA') {
    if (!leaf) throw new Error('no certificate to encrypt the premaster secret to');
    const premaster = Buffer.concat([Buffer.from([version >> 8, version & 0xff]), randomBytes(46)]);
    const encrypted = publicEncrypt({ key: new X509Certificate(leaf).publicKey, padding: cryptoConstants.RSA_PKCS1_PADDING }, premaster);
    return { body: Buffer.concat([Buffer.from([encrypted.length >> 8, encrypted.length & 0xff]), encrypted]), premaster };
  }
  if (kx === 'DHE') {
    if (ske?.kind !== 'dhe') throw new Error('no DH parameters in the ServerKeyExchange');
    const dh = createDiffieHellman(Buffer.from(ske.p), Buffer.from(ske.g));
    const ours = dh.generateKeys();
    const z = dh.computeSecret(Buffer.from(ske.publicKey));
    // RFC 5246 section 8.1.2: leading zero bytes of Z are stripped.
    let i = 0;
    while (i < z.length - 1 && z[i] === 0) i++;
    return { body: Buffer.concat([Buffer.from([ours.length >> 8, ours.length & 0xff]), ours]), premaster: z.subarray(i) };
  }
  if (ske?.kind !== 'ecdhe' || ske.curveType !== 3) throw new Error('no named curve in the ServerKeyExchange');
  if (ske.group === 29 || ske.group === 30) {
    const crv = ske.group === 29 ? 'X25519' : 'X448';
    const pair = ske.group === 29 ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const theirs = createPublicKey({ key: { kty: 'OKP', crv, x: Buffer.from(ske.publicKey).toString('base64url') }, format: 'jwk' });
    const premaster = diffieHellman({ privateKey: pair.privateKey, publicKey: theirs });
    const ours = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    return { body: Buffer.concat([Buffer.from([ours.length]), ours]), premaster };
  }
  const curve = NIST[ske.group];
  if (!curve) throw new Error(`curve 0x${ske.group.toString(16)} is not one this client speaks`);
  const ecdh = createECDH(curve);
  const ours = ecdh.generateKeys();
  return { body: Buffer.concat([Buffer.from([ours.length]), ours]), premaster: ecdh.computeSecret(Buffer.from(ske.publicKey)) };
}

export async function tls12Session(o: Tls12ClientOptions): Promise<Tls12ClientResult> {
  const started = Date.now();
  let socket: net.Socket | undefined;
  try {
    socket = await openPath(o.host, o.port, o.timeoutMs, o.starttls, o.proxy);
  } catch (e) {
    return { kind: 'failed', code: 'unreachable', message: errorMessage(e) };
  }
  // As in tls13-chain.ts: the tunnel or STARTTLS socket is closed however the handshake ends.
  return run(o, socket, Math.max(1, o.timeoutMs - (Date.now() - started))).finally(() => socket?.destroy());
}

function run(o: Tls12ClientOptions, connected: net.Socket | undefined, timeoutMs: number): Promise<Tls12ClientResult> {
  const where = `${o.host}:${o.port}`;
  return new Promise((resolve) => {
    const started = performance.now();
    const raw = connected ?? net.connect({ host: o.host, port: o.port });
    const offered = o.suites ?? finishableSuites(o.version);
    const hello = buildClientHello(tls12HelloOptions(o.version, offered, o.servername, { sessionTicket: !!o.sessionTicket }));
    // Every handshake message, as sent and received, for the Finished messages (and RFC 7627's session hash).
    const transcript: Uint8Array[] = [hello.subarray(5)];
    let settled = false;
    let serverHello: ServerHello | undefined;
    let protection: Protection | undefined;
    let kx = '';
    let leaf: Uint8Array | undefined;
    let ske: ServerKeyExchange | undefined;
    let certificateRequested = false;
    let keys: SessionKeys | undefined;
    let master: Buffer | undefined;
    let flightSent = false;
    let serverCcs = false;
    let serverFinished = false;
    const records: ServerRecord[] = [];
    // The NewSessionTicket's ticket, when the server sent one.
    let ticket: Buffer | undefined;
    let waitTimer: ReturnType<typeof setTimeout> | undefined;
    const reader = new ServerFlightReader({ keepEncrypted: true });

    const deadline = setTimeout(() => finish({ kind: 'failed', code: 'timeout', message: `TLS handshake with ${where} timed out after ${o.timeoutMs} ms` }), timeoutMs);
    const onAbort = () => finish({ kind: 'failed', code: 'timeout', message: 'scan deadline reached' });
    o.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(r: Tls12ClientResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(waitTimer);
      o.signal?.removeEventListener('abort', onAbort);
      raw.destroy();
      resolve(r);
    }
    const failed = (code: Extract<Tls12ClientResult, { kind: 'failed' }>['code'], message: string) => finish({ kind: 'failed', code, message });
    const react = (end: Extract<Tls12ClientResult, { kind: 'reaction' }>['end']) =>
      finish({ kind: 'reaction', version: serverHello!.version, suiteCode: serverHello!.cipherSuite, records, end, session: { id: Buffer.from(serverHello!.sessionId), ...(ticket ? { ticket } : {}) } });

    /** The client's second flight: [Certificate], ClientKeyExchange, ChangeCipherSpec, Finished, and the caller's records. */
    function sendFlight(): void {
      const version = serverHello!.version;
      const p = protection!;
      const out: Buffer[] = [];
      // Asked for a certificate: an empty one (a server that insists then refuses the handshake).
      const messages = certificateRequested ? [handshakeMessage(HandshakeType.certificate, Buffer.from([0, 0, 0]))] : [];
      const { body, premaster } = keyExchange(kx, version, ske, leaf);
      messages.push(handshakeMessage(HandshakeType.client_key_exchange, body));
      transcript.push(...messages);
      const clientRandom = hello.subarray(11, 43);
      master = serverHello!.extendedMasterSecret
        ? masterSecret(version, p.prf, premaster, { sessionHash: transcriptHash(version, p.prf, transcript) })
        : masterSecret(version, p.prf, premaster, { clientRandom, serverRandom: serverHello!.random });
      keys = sessionKeys(version, p, master, clientRandom, serverHello!.random);
      const clientVerifyData = verifyData(version, p.prf, master, 'client', transcriptHash(version, p.prf, transcript));
      const finished = handshakeMessage(HandshakeType.finished, clientVerifyData);
      transcript.push(finished);
      out.push(plainRecord(ContentType.handshake, version, Buffer.concat(messages)));
      out.push(plainRecord(ContentType.change_cipher_spec, version, Buffer.from([1])));
      const sealedFinished = keys.client.seal(ContentType.handshake, finished);
      out.push(sealedFinished);
      const suiteCode = serverHello!.cipherSuite;
      const cbc = p.kind === 'cbc' && keys.cbc ? {
        version, suiteCode, suite: p.suite, keys: keys.cbc,
        clientIv: Buffer.from(sealedFinished.subarray(sealedFinished.length - p.suite.blockLength)),
      } : undefined;
      const session: Tls12Session = { version, suiteCode, clientVerifyData, ...(cbc ? { cbc } : {}) };
      followUp = () => Buffer.concat(o.followUp(session).map((r) => (r instanceof Uint8Array ? r : keys!.client.seal(r.type, r.content))));
      if (!o.afterServerFinished) out.push(followUp());
      raw.write(Buffer.concat(out));
      flightSent = true;
    }
    let followUp: (() => Buffer) | undefined;

    const onHandshake = (type: number, body: Uint8Array) => {
      if (type === HandshakeType.hello_request) return;
      transcript.push(handshakeMessage(type, body));
      if (flightSent) {
        // NewSessionTicket (RFC 5077 section 3.3): lifetime hint, then the ticket; in the transcript of the server's Finished.
        if (type === HandshakeType.new_session_ticket && body.length >= 6) {
          const n = (body[4]! << 8) | body[5]!;
          if (n > 0 && body.length >= 6 + n) ticket = Buffer.from(body.subarray(6, 6 + n));
        }
        return;
      }
      switch (type) {
        case HandshakeType.server_hello: {
          serverHello = parseServerHello(body);
          const suite = suiteByCode(serverHello.cipherSuite);
          if (serverHello.version !== o.version) return failed('unsupported', `${where} answered with version 0x${serverHello.version.toString(16)} to a ${VERSION_NAME[o.version]} hello`);
          if (!suite || !offered.includes(suite.code)) return failed('protocol', `${where} chose suite 0x${serverHello.cipherSuite.toString(16)}, which was not offered`);
          if (serverHello.encryptThenMac) return failed('unsupported', `${where} uses encrypt-then-MAC (RFC 7366), which was not offered`);
          protection = protectionOf(suite.cipher, suite.mac, suite.iana);
          kx = suite.kx;
          return;
        }
        case HandshakeType.certificate: leaf = parseCertificateMessage(body)[0]; return;
        case HandshakeType.server_key_exchange:
          if (kx === 'ECDHE' || kx === 'DHE') ske = parseServerKeyExchange(body, kx, { version: serverHello?.version });
          return;
        case HandshakeType.certificate_request: certificateRequested = true; return;
        case HandshakeType.server_hello_done:
          if (!serverHello || !protection) return failed('protocol', `${where} ended its flight without a ServerHello`);
          try {
            sendFlight();
          } catch (e) {
            failed('unsupported', `cannot finish the key exchange with ${where}: ${errorMessage(e)}`);
          }
      }
    };

    const onServerEvent = (e: ServerEvent) => {
      if (!serverCcs) {
        if (e.kind === 'handshake') return onHandshake(e.type, e.body);
        if (e.kind === 'ccs') { serverCcs = true; return; }
        if (e.kind === 'alert') return failed('refused', `${where} refused the handshake: alert ${e.name} (${e.description})`);
        return;
      }
      if (e.kind !== 'encrypted' || !e.fragment || !keys) return failed('protocol', `${where} sent a clear-text ${e.kind} record after its ChangeCipherSpec`);
      const content = keys.server.open(e.contentType, e.fragment);
      if (!serverFinished) {
        const expected = handshakeMessage(HandshakeType.finished, verifyData(serverHello!.version, protection!.prf, master!, 'server', transcriptHash(serverHello!.version, protection!.prf, transcript)));
        if (e.contentType !== ContentType.handshake || !content?.equals(expected)) return failed('protocol', `${where}'s Finished did not verify under the session's keys`);
        serverFinished = true;
        if (o.afterServerFinished) raw.write(followUp!());
        waitTimer = setTimeout(() => react('waited'), o.reactionWaitMs(performance.now() - started));
        return;
      }
      records.push(content ? { type: e.contentType, content } : { type: e.contentType });
      if (o.enough?.(records) || records.length >= MAX_RECORDS) return react('enough');
      if (e.contentType === ContentType.alert) {
        clearTimeout(waitTimer);
        waitTimer = setTimeout(() => react('waited'), CLOSE_GRACE_MS);
      }
    };

    let received = 0;
    raw.on('data', (d: Buffer) => {
      if (settled) return;
      received += d.length;
      if (received > MAX_BYTES) return serverFinished ? react('malformed') : failed('protocol', `${where} sent more than ${MAX_BYTES} bytes`);
      try {
        for (const e of reader.push(d)) if (!settled) onServerEvent(e);
      } catch (e) {
        if (serverFinished) return react('malformed');
        failed('protocol', `${where} sent malformed records: ${errorMessage(e)}`);
      }
    });
    const closed = (how: 'closed' | 'reset') => {
      if (settled) return;
      if (serverFinished) return react(how);
      failed('closed', `${where} ${how === 'reset' ? 'reset' : 'closed'} the connection during the handshake`);
    };
    raw.on('end', () => closed('closed'));
    raw.on('close', () => closed('closed'));
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (!serverHello) return failed('unreachable', `cannot connect to ${where}: ${e.code ?? e.message}`);
      closed(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'closed');
    });
    raw.write(hello);
  });
}

/** An alert record's content as text: "alert no_renegotiation (100)". */
export function alertText(r: ServerRecord): string {
  return r.content && r.content.length >= 2 ? `alert ${alertName(r.content[1]!)} (${r.content[1]})` : 'alert (unreadable)';
}
