/**
 * The TLS 1.3 certificate chain exactly as the server sent it, from a TLS 1.3
 * handshake of our own (readChain), as far as the server's Certificate message.
 *
 * In TLS 1.3 the Certificate message is encrypted under the server handshake
 * traffic key (node:tls's getPeerCertificate(true) is a rebuilt chain:
 * reordered, extras dropped, a root appended from Node's CA list). We send a
 * ClientHello with X25519 and P-256 key shares (and, after a
 * HelloRetryRequest, one for the group it names), agree the key
 * (wire/key-share.ts keyAgreement), derive the server handshake traffic
 * secret from it and the transcript (serverHandshakeSecret), and decrypt the
 * server's handshake records:
 *
 * - key = HKDF-Expand-Label(secret, "key", "", key_length) and
 *   iv = HKDF-Expand-Label(secret, "iv", "", 12) (RFC 8446 §7.1, §7.3);
 * - per-record nonce = iv XOR the 64-bit record sequence number, additional
 *   data = the 5-byte record header (RFC 8446 §5.2, §5.3);
 * - TLSInnerPlaintext = content || content type || zero padding (§5.4);
 * - handshake messages may span records; the Certificate message (§4.4.2),
 *   or a CompressedCertificate (RFC 8879), is parsed with the wire engine's
 *   parseCertificateEntries.
 *
 * The ClientHello asks for a stapled OCSP response and for SCTs, which a
 * TLS 1.3 server sends in the leaf's entry extensions. Until session 16
 * node:tls made the handshake and its key log gave the secret: its
 * ClientHello could ask for no SCTs, and its groups were those of the local
 * OpenSSL. Nothing is verified (the caller diagnoses trust), and no Finished
 * is sent. Every failure is a Tls13ChainError with a code.
 */
import net from 'node:net';
import { createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { WireError, errorMessage } from '../util/errors.js';
import { ByteReader } from '../wire/bytes.js';
import { ServerFlightReader, type ServerEvent } from '../wire/record.js';
import { buildAlertRecord } from '../wire/alert.js';
import { parseServerHello, negotiatesTls13, type ServerHello } from '../wire/server-hello.js';
import { parseCertificateEntries, type CertificateEntry } from '../wire/certificate.js';
import { ContentType, ExtensionType, HandshakeType, alertName } from '../wire/constants.js';
import { buildClientHelloBody, wrapRecords } from '../wire/client-hello.js';
import { keyAgreement, type KeyAgreement } from '../wire/key-share.js';
import { SIGNATURE_SCHEMES } from '../registry/sigschemes.js';
import { nodeZlib } from '../util/builtins.js';
import type { StartTls } from './starttls.js';
import { openPath } from './full-handshake.js';
import type { Proxy } from './proxy.js';

export type Tls13ChainErrorCode =
  | 'unreachable' // TCP connect failed
  | 'timeout' // deadline reached
  | 'closed' // the server closed or reset the connection first
  | 'alert' // the server sent an alert
  | 'not-tls13' // the server answered with another version
  | 'protocol' // malformed or unexpected records / messages
  | 'decrypt' // a record did not authenticate under the logged keys
  | 'handshake'; // the path (STARTTLS, proxy) failed, or the server wants a group we cannot compute

export class Tls13ChainError extends Error {
  override name = 'Tls13ChainError';
  constructor(readonly code: Tls13ChainErrorCode, message: string) {
    super(message);
  }
}

export interface Tls13ChainOptions {
  host: string;
  port: number;
  /** SNI; false to send none. Defaults to host unless host is an IP literal. */
  servername?: string | false;
  /** Whole operation, connect included; default 10 s. */
  timeoutMs?: number;
  /** The STARTTLS preamble to run before the handshake (net/starttls.ts). */
  starttls?: StartTls;
  /** Connect through this HTTP proxy's CONNECT tunnel (net/proxy.ts). */
  proxy?: Proxy;
  /** Application protocols to offer (ALPN, RFC 7301); the server's choice comes back in `alpn`. */
  alpn?: string[];
  /** The signature algorithms offered (codes; default: every one): a server with several keys picks its certificate by them. */
  signatureAlgorithms?: number[];
  /** Read on to the server's CertificateVerify, for the signature scheme it signed with (`certificateVerifyScheme`). */
  readCertificateVerify?: boolean;
  /**
   * Send a close_notify alert right behind the ClientHello (net/probe.ts's pipelined close): the
   * server sends its whole flight, then reads the alert and closes, so that a server that serves
   * one connection at a time is not held until we close. A server that answers with a
   * HelloRetryRequest reads the alert where the second ClientHello should be: that handshake
   * fails ('closed'), and the caller asks again without.
   */
  pipelineClose?: boolean;
}

export interface Tls13ChainResult {
  /** DER certificates in the order the server sent them. */
  certificates: Uint8Array[];
  /** The same, with each entry's TLS 1.3 extensions (status_request, SCT). */
  entries: CertificateEntry[];
  cipherSuite: number;
  protocol: 'TLSv1.3';
  /** The CertificateRequest body, when the server asked for a client certificate (it comes before the Certificate). */
  certificateRequest?: Uint8Array;
  /** With the `alpn` option: the protocol the server chose in its EncryptedExtensions, null for none. */
  alpn?: string | null;
  /** With the `readCertificateVerify` option: the SignatureScheme of the server's CertificateVerify. */
  certificateVerifyScheme?: number;
}

// ---------------------------------------------------------------------------
// Key schedule pieces (RFC 8446 §7.1) and record protection (§5.2).

type HashName = 'sha256' | 'sha384';
const HASH_LEN: Record<HashName, number> = { sha256: 32, sha384: 48 };

/** HKDF-Expand (RFC 5869 §2.3) with HMAC-<hash>. */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const n = Math.ceil(length / HASH_LEN[hash]);
  if (n > 255) throw new RangeError(`HKDF-Expand length ${length} too large`);
  const blocks: Buffer[] = [];
  let prev = Buffer.alloc(0);
  for (let i = 1; i <= n; i++) {
    prev = createHmac(hash, prk).update(prev).update(info).update(Uint8Array.of(i)).digest();
    blocks.push(prev);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** The HkdfLabel structure: uint16 length, opaque label<7..255> ("tls13 " + label), opaque context<0..255>. */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  if (full.length > 255 || context.length > 255) throw new RangeError('HKDF label or context too long');
  return Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446 §7.1. */
export function hkdfExpandLabel(hash: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  return hkdfExpand(hash, secret, hkdfLabel(label, context, length), length);
}

interface Aead { cipher: string; keyLength: number; tagLength: number; hash: HashName; name: string }

/** TLS 1.3 cipher suites (RFC 8446 §B.4) and their AEAD / hash. */
export const TLS13_AEADS: ReadonlyMap<number, Aead> = new Map([
  [0x1301, { name: 'TLS_AES_128_GCM_SHA256', cipher: 'aes-128-gcm', keyLength: 16, tagLength: 16, hash: 'sha256' }],
  [0x1302, { name: 'TLS_AES_256_GCM_SHA384', cipher: 'aes-256-gcm', keyLength: 32, tagLength: 16, hash: 'sha384' }],
  [0x1303, { name: 'TLS_CHACHA20_POLY1305_SHA256', cipher: 'chacha20-poly1305', keyLength: 32, tagLength: 16, hash: 'sha256' }],
  [0x1304, { name: 'TLS_AES_128_CCM_SHA256', cipher: 'aes-128-ccm', keyLength: 16, tagLength: 16, hash: 'sha256' }],
  [0x1305, { name: 'TLS_AES_128_CCM_8_SHA256', cipher: 'aes-128-ccm', keyLength: 16, tagLength: 8, hash: 'sha256' }],
]);

/** key and iv for one direction from its traffic secret (RFC 8446 §7.3). */
export function trafficKeys(cipherSuite: number, secret: Uint8Array): { key: Buffer; iv: Buffer } {
  const a = TLS13_AEADS.get(cipherSuite);
  if (!a) throw new RangeError(`not a TLS 1.3 cipher suite: 0x${cipherSuite.toString(16)}`);
  const empty = new Uint8Array(0);
  return { key: hkdfExpandLabel(a.hash, secret, 'key', empty, a.keyLength), iv: hkdfExpandLabel(a.hash, secret, 'iv', empty, 12) };
}

/** RFC 8446 §5.2: TLSCiphertext.length <= 2^14 + 256. */
const MAX_CIPHERTEXT = 16384 + 256;

/**
 * Decrypts the records of one direction under one traffic secret, counting
 * the sequence number from 0. decrypt() returns the inner content type and
 * content; it throws Tls13ChainError on a record that does not authenticate
 * or has no content type.
 */
export class Tls13RecordDecryptor {
  private seq = 0n;
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private readonly aead: Aead;

  constructor(cipherSuite: number, secret: Uint8Array) {
    this.aead = TLS13_AEADS.get(cipherSuite)!;
    if (!this.aead) throw new Tls13ChainError('protocol', `not a TLS 1.3 cipher suite: 0x${cipherSuite.toString(16)}`);
    ({ key: this.key, iv: this.iv } = trafficKeys(cipherSuite, secret));
  }

  decrypt(header: Uint8Array, fragment: Uint8Array): { contentType: number; content: Uint8Array } {
    const { cipher, tagLength } = this.aead;
    const seq = this.seq++;
    if (fragment.length > MAX_CIPHERTEXT) throw new Tls13ChainError('protocol', `encrypted record of ${fragment.length} bytes exceeds 2^14 + 256`);
    if (fragment.length < tagLength + 1) throw new Tls13ChainError('protocol', `encrypted record of ${fragment.length} bytes is too short`);
    const nonce = Buffer.from(this.iv);
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((seq >> BigInt(8 * i)) & 0xffn);
    const ct = fragment.subarray(0, fragment.length - tagLength);
    const tag = fragment.subarray(fragment.length - tagLength);
    let plain: Buffer;
    try {
      const d = createDecipheriv(cipher as 'aes-128-gcm', this.key, nonce, { authTagLength: tagLength });
      d.setAuthTag(tag);
      if (cipher.endsWith('-ccm')) (d as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(header, { plaintextLength: ct.length });
      else d.setAAD(header);
      plain = Buffer.concat([d.update(ct), d.final()]);
    } catch {
      throw new Tls13ChainError('decrypt', `encrypted record ${seq} did not authenticate under the server handshake traffic key`);
    }
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) throw new Tls13ChainError('protocol', `decrypted record ${seq} has no content type (all padding)`);
    if (end - 1 > 16384) throw new Tls13ChainError('protocol', `decrypted record ${seq} carries more than 2^14 bytes`);
    return { contentType: plain[end - 1]!, content: plain.subarray(0, end - 1) };
  }
}

// ---------------------------------------------------------------------------
// The server's byte stream, from the first byte to its Certificate message.

const MAX_HANDSHAKE_MESSAGE = 256 * 1024;
/** Encrypted bytes held until the secret is known. */
const MAX_PENDING = 1024 * 1024;

/** The protocol an EncryptedExtensions body names in its ALPN extension (RFC 7301 section 3.1), or null. */
export function alpnOf(body: Uint8Array): string | null {
  try {
    const exts = new ByteReader(body).vector(2);
    while (!exts.done) {
      const type = exts.u16();
      const data = exts.vector(2);
      if (type !== ExtensionType.alpn) continue;
      const name = data.vector(2).vector(1);
      return Buffer.from(name.bytes(name.remaining)).toString('latin1');
    }
  } catch {
    // Malformed: no protocol is known to be chosen.
  }
  return null;
}

/**
 * Consumes what a TLS 1.3 server sends (any chunking) and, once given the
 * server handshake traffic secret, decrypts up to the Certificate message.
 * `result` is set when the Certificate message is complete. push() and
 * setSecret() throw Tls13ChainError on anything else.
 */
export class Tls13ServerFlight {
  cipherSuite: number | undefined;
  result: CertificateEntry[] | undefined;
  certificateRequest: Uint8Array | undefined;
  /** The ALPN protocol of the EncryptedExtensions (null: none chosen; undefined: not read yet). */
  alpn: string | null | undefined;
  /** The SignatureScheme of the CertificateVerify, when the flight is read that far (`wantVerify`). */
  verifyScheme: number | undefined;
  /**
   * Told of each clear-text ServerHello (a HelloRetryRequest first, if any) with the whole
   * handshake message, for the transcript: our own handshake (readChain) sends its second
   * ClientHello, or derives the handshake secret and calls setSecret, from here.
   */
  constructor(private readonly onHello?: (sh: ServerHello, message: Uint8Array) => void, private readonly wantVerify = false) {}

  /** The flight is read as far as asked: the Certificate message, and the CertificateVerify with `wantVerify`. */
  get complete(): boolean {
    return this.result !== undefined && (!this.wantVerify || this.verifyScheme !== undefined);
  }
  private readonly reader = new ServerFlightReader({ keepEncrypted: true });
  private readonly pending: { header: Uint8Array; fragment: Uint8Array }[] = [];
  private secret: Uint8Array | undefined;
  private decryptor: Tls13RecordDecryptor | undefined;
  private pendingBytes = 0;
  private hs = Buffer.alloc(0);
  private received = 0;

  get bytesReceived(): number { return this.received; }

  push(chunk: Uint8Array): void {
    if (this.complete) return;
    this.received += chunk.length;
    let events: ServerEvent[];
    try {
      events = this.reader.push(chunk);
    } catch (e) {
      if (e instanceof WireError) throw new Tls13ChainError('protocol', `malformed records from the server: ${e.message}`);
      throw e;
    }
    for (const ev of events) this.onEvent(ev);
    this.drain();
  }

  /** The SERVER_HANDSHAKE_TRAFFIC_SECRET of this connection. */
  setSecret(secret: Uint8Array): void {
    if (this.secret) return;
    this.secret = secret;
    this.drain();
  }

  private onEvent(ev: ServerEvent): void {
    switch (ev.kind) {
      case 'handshake': {
        if (ev.type !== HandshakeType.server_hello) {
          throw new Tls13ChainError('protocol', `unexpected clear-text handshake message type ${ev.type} before the TLS 1.3 ServerHello`);
        }
        let sh;
        try { sh = parseServerHello(ev.body); } catch (e) {
          if (e instanceof WireError) throw new Tls13ChainError('protocol', `malformed ServerHello: ${e.message}`);
          throw e;
        }
        const message = new Uint8Array(4 + ev.body.length);
        message.set([ev.type, ev.body.length >> 16, (ev.body.length >> 8) & 0xff, ev.body.length & 0xff]);
        message.set(ev.body, 4);
        if (sh.isHelloRetryRequest) {
          this.onHello?.(sh, message);
          return;
        }
        if (!negotiatesTls13(sh)) throw new Tls13ChainError('not-tls13', `server answered with version 0x${sh.version.toString(16)}, not TLS 1.3`);
        if (!TLS13_AEADS.has(sh.cipherSuite)) throw new Tls13ChainError('protocol', `ServerHello selects 0x${sh.cipherSuite.toString(16)}, not a TLS 1.3 cipher suite`);
        this.cipherSuite = sh.cipherSuite;
        this.onHello?.(sh, message);
        return;
      }
      case 'alert':
        throw new Tls13ChainError('alert', `server sent alert ${ev.name} (${ev.description}) before its Certificate message`);
      case 'ccs':
        return; // RFC 8446 §D.4 compatibility dummy
      case 'encrypted':
        if (this.cipherSuite === undefined) throw new Tls13ChainError('protocol', 'encrypted record before the ServerHello');
        if (ev.contentType !== ContentType.application_data) {
          throw new Tls13ChainError('protocol', `record of type ${ev.contentType} after the TLS 1.3 ServerHello (expected application_data)`);
        }
        this.pendingBytes += ev.length;
        if (this.pendingBytes > MAX_PENDING) throw new Tls13ChainError('protocol', `more than ${MAX_PENDING} encrypted bytes without a Certificate message`);
        this.pending.push({
          header: Uint8Array.of(ev.contentType, ev.recordVersion! >> 8, ev.recordVersion! & 0xff, ev.length >> 8, ev.length & 0xff),
          fragment: ev.fragment!,
        });
        return;
      case 'appdata':
        throw new Tls13ChainError('protocol', 'application_data record before the ServerHello');
      default:
        throw new Tls13ChainError('protocol', `unexpected ${ev.kind} record from the server`);
    }
  }

  private drain(): void {
    if (this.complete || !this.secret || this.cipherSuite === undefined) return;
    this.decryptor ??= new Tls13RecordDecryptor(this.cipherSuite, this.secret);
    while (this.pending.length && !this.complete) {
      const { header, fragment } = this.pending.shift()!;
      const { contentType, content } = this.decryptor.decrypt(header, fragment);
      if (contentType === ContentType.alert) {
        const name = content.length === 2 ? alertName(content[1]!) : 'malformed';
        throw new Tls13ChainError('alert', `server sent encrypted alert ${name} before its ${this.result ? 'CertificateVerify' : 'Certificate'} message`);
      }
      if (contentType !== ContentType.handshake) {
        throw new Tls13ChainError('protocol', `decrypted record of content type ${contentType} before the Certificate message`);
      }
      if (content.length === 0) throw new Tls13ChainError('protocol', 'empty handshake record (RFC 8446 §5.4)');
      this.hs = this.hs.length ? Buffer.concat([this.hs, content]) : Buffer.from(content);
      this.messages();
    }
  }

  private messages(): void {
    while (this.hs.length >= 4 && !this.complete) {
      const type = this.hs[0]!;
      const len = this.hs.readUIntBE(1, 3);
      if (len > MAX_HANDSHAKE_MESSAGE) throw new Tls13ChainError('protocol', `handshake message type ${type} of ${len} bytes exceeds ${MAX_HANDSHAKE_MESSAGE}`);
      if (this.hs.length < 4 + len) return;
      const body = this.hs.subarray(4, 4 + len);
      this.hs = this.hs.subarray(4 + len);
      if (this.result) {
        // RFC 8446 §4.4.3: CertificateVerify = SignatureScheme algorithm; opaque signature<0..2^16-1>.
        if (type !== HandshakeType.certificate_verify) throw new Tls13ChainError('protocol', `handshake message type ${type} where the CertificateVerify message was expected`);
        if (body.length < 4 || body.readUInt16BE(2) !== body.length - 4) throw new Tls13ChainError('protocol', 'malformed CertificateVerify message');
        this.verifyScheme = body.readUInt16BE(0);
        return;
      }
      switch (type) {
        case HandshakeType.encrypted_extensions:
          this.alpn = alpnOf(body);
          continue;
        case HandshakeType.certificate_request:
          this.certificateRequest = Buffer.from(body);
          continue;
        case HandshakeType.certificate:
        case HandshakeType.compressed_certificate:
          try {
            this.result = parseCertificateEntries(type === HandshakeType.certificate ? body : decompressCertificate(body), true);
          } catch (e) {
            if (e instanceof WireError) throw new Tls13ChainError('protocol', `malformed Certificate message: ${e.message}`);
            throw e;
          }
          continue;
        default:
          throw new Tls13ChainError('protocol', `handshake message type ${type} where the Certificate message was expected`);
      }
    }
  }
}

/**
 * CompressedCertificate (RFC 8879 §4): uint16 algorithm, uint24
 * uncompressed_length, opaque compressed_certificate_message<1..2^24-1>.
 * Returns the Certificate message body. A server may send it only when the
 * client offered compress_certificate (the OpenSSL under Node may).
 */
export function decompressCertificate(body: Uint8Array): Uint8Array {
  const r = new ByteReader(body);
  const algorithm = r.u16('algorithm');
  const length = r.u24('uncompressed_length');
  const data = r.vector(3, 'compressed_certificate_message');
  r.expectEnd('CompressedCertificate');
  const compressed = data.bytes(data.remaining);
  if (compressed.length === 0) throw new WireError('empty compressed_certificate_message');
  if (length > MAX_HANDSHAKE_MESSAGE) throw new WireError(`compressed Certificate of ${length} bytes exceeds ${MAX_HANDSHAKE_MESSAGE}`);
  const opts = { maxOutputLength: Math.max(1, length) };
  const z = nodeZlib() as ReturnType<typeof nodeZlib> & { zstdDecompressSync?: (b: Uint8Array, o: object) => Buffer };
  let out: Buffer;
  try {
    if (algorithm === 1) out = z.inflateSync(compressed, opts);
    else if (algorithm === 2) out = z.brotliDecompressSync(compressed, opts);
    else if (algorithm === 3 && z.zstdDecompressSync) out = z.zstdDecompressSync(compressed, opts);
    else throw new WireError(`unsupported certificate compression algorithm ${algorithm}`);
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`compressed Certificate (algorithm ${algorithm}) does not decompress: ${(e as Error).message}`);
  }
  if (out.length !== length) throw new WireError(`compressed Certificate decompresses to ${out.length} bytes, not the announced ${length}`);
  return out;
}

// ---------------------------------------------------------------------------
// Our own handshake, up to the server's Certificate message.

/** HKDF-Extract (RFC 5869 §2.2): HMAC-<hash>(salt, IKM). */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Buffer {
  return createHmac(hash, salt).update(ikm).digest();
}

/**
 * The server_handshake_traffic_secret of RFC 8446 §7.1 without a PSK: Early Secret =
 * HKDF-Extract(0, 0), Handshake Secret = HKDF-Extract(Derive-Secret(Early, "derived", ""),
 * (EC)DHE), then Derive-Secret(Handshake, "s hs traffic", ClientHello...ServerHello).
 */
export function serverHandshakeSecret(hash: HashName, shared: Uint8Array, transcriptHash: Uint8Array): Buffer {
  const zeros = Buffer.alloc(HASH_LEN[hash]);
  const early = hkdfExtract(hash, zeros, zeros);
  const derived = hkdfExpandLabel(hash, early, 'derived', createHash(hash).digest(), HASH_LEN[hash]);
  return hkdfExpandLabel(hash, hkdfExtract(hash, derived, shared), 's hs traffic', transcriptHash, HASH_LEN[hash]);
}

/**
 * The groups our handshake offers: those it can carry through (wire/key-share.ts
 * keyAgreement), X25519 and P-256 first with a share each, as mainstream clients
 * send; any other one the server wants costs a HelloRetryRequest.
 */
const OWN_GROUPS = [29, 23, 24, 25, 30, 256, 257, 258, 259, 260, 31, 32, 33];
const FIRST_SHARES = [29, 23];

/** The handshake message of one of our ClientHellos (the second, after a HelloRetryRequest, with its cookie). */
function ownClientHello(o: Tls13ChainOptions, servername: string | undefined, random: Uint8Array, sessionId: Uint8Array, shares: KeyAgreement[], cookie?: Uint8Array): Uint8Array {
  return buildClientHelloBody({
    maxVersion: 0x0304,
    supportedVersions: [0x0304],
    cipherSuites: [...TLS13_AEADS.keys()],
    sni: servername ?? null,
    groups: OWN_GROUPS,
    keyShares: shares.map((k) => ({ group: k.group, data: k.share })),
    signatureAlgorithms: o.signatureAlgorithms ?? ALL_SIGNATURE_SCHEMES,
    pskKeyExchangeModes: [1],
    renegotiationInfo: false,
    padding: 'auto',
    random, sessionId,
    // A stapled OCSP response and SCTs come in the leaf's entry extensions (RFC 8446 §4.4.2.1).
    statusRequest: true, signedCertificateTimestamp: true,
    ...(o.alpn ? { alpn: o.alpn } : {}),
    // RFC 8446 §4.2.2: the HelloRetryRequest's cookie, echoed in the extension's cookie<1..2^16-1>.
    ...(cookie ? { extraExtensions: [{ type: ExtensionType.cookie, data: Buffer.concat([Uint8Array.of(cookie.length >> 8, cookie.length & 0xff), cookie]) }] } : {}),
  });
}

const ALL_SIGNATURE_SCHEMES = SIGNATURE_SCHEMES.map((x) => x.code);

/** RFC 8446 §4.4.1: after a HelloRetryRequest, the first ClientHello stands in the transcript as message_hash(Hash(ClientHello1)). */
function messageHash(hash: HashName, clientHello1: Uint8Array): Buffer {
  const h = createHash(hash).update(clientHello1).digest();
  return Buffer.concat([Uint8Array.of(HandshakeType.message_hash, 0, 0, h.length), h]);
}

// ---------------------------------------------------------------------------
// The connection.

const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

/** The handshake's deadline when the caller gives none, ms. */
const DEFAULT_TIMEOUT_MS = 10_000;

export async function readTls13ChainAsSent(o: Tls13ChainOptions): Promise<Tls13ChainResult> {
  // STARTTLS or a proxy: the preamble (or the tunnel) first, on a socket of our own, and the handshake on it.
  const timeout = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  let socket: net.Socket | undefined;
  try {
    socket = await openPath(o.host, o.port, timeout, o.starttls, o.proxy);
  } catch (e) {
    throw new Tls13ChainError('handshake', errorMessage(e));
  }
  // The tunnel or STARTTLS socket is closed however the handshake ends (readChain closes it when it
  // gets to run; a throw before that would leave it open, holding the process).
  return readChain(o, socket, Math.max(1, timeout - (Date.now() - started))).finally(() => socket?.destroy());
}

/**
 * Our own TLS 1.3 handshake as far as the server's Certificate message: a ClientHello with
 * X25519 and P-256 shares (a second one with the group a HelloRetryRequest names), the
 * handshake secret from our key agreement and the transcript, and the server's records
 * decrypted with it (Tls13ServerFlight). No Finished is sent: the connection is closed once
 * the Certificate message is read.
 */
function readChain(o: Tls13ChainOptions, connectedSocket: net.Socket | undefined, timeoutMs: number): Promise<Tls13ChainResult> {
  const servername = o.servername === false ? undefined : (o.servername ?? (isIp(o.host) ? undefined : o.host));
  const where = `${o.host}:${o.port}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let connected = !!connectedSocket;
    const random = randomBytes(32);
    const sessionId = randomBytes(32); // RFC 8446 §D.4: a middlebox-compatible non-empty legacy_session_id
    let shares = FIRST_SHARES.map(keyAgreement).filter((k): k is KeyAgreement => k !== null);
    const hello1 = ownClientHello(o, servername, random, sessionId, shares);
    const transcript: Uint8Array[] = [hello1];
    let retried: { suite: number } | undefined;
    const raw = connectedSocket ?? net.connect({ host: o.host, port: o.port });

    const onHello = (sh: ServerHello, message: Uint8Array): void => {
      const aead = TLS13_AEADS.get(sh.cipherSuite);
      if (sh.isHelloRetryRequest) {
        const group = sh.selectedGroup;
        if (retried) throw new Tls13ChainError('protocol', 'a second HelloRetryRequest (RFC 8446 §4.1.4)');
        if (o.pipelineClose) throw new Tls13ChainError('closed', 'HelloRetryRequest: the close sent behind the ClientHello ends this handshake');
        if (!aead) throw new Tls13ChainError('protocol', `HelloRetryRequest selects 0x${sh.cipherSuite.toString(16)}, not a TLS 1.3 cipher suite`);
        if (group === undefined || !OWN_GROUPS.includes(group) || shares.some((k) => k.group === group)) {
          throw new Tls13ChainError('protocol', `HelloRetryRequest for group ${group === undefined ? '(none)' : `0x${group.toString(16)}`}, which was not offered or already had a share`);
        }
        const k = keyAgreement(group);
        if (!k) throw new Tls13ChainError('handshake', `HelloRetryRequest for group 0x${group.toString(16)}, which this Node.js cannot compute`);
        shares = [k];
        retried = { suite: sh.cipherSuite };
        const hello2 = ownClientHello(o, servername, random, sessionId, shares, sh.cookie);
        transcript.splice(0, transcript.length, messageHash(aead.hash, hello1), message, hello2);
        raw.write(wrapRecords(ContentType.handshake, 0x0303, hello2));
        return;
      }
      if (retried && retried.suite !== sh.cipherSuite) throw new Tls13ChainError('protocol', 'ServerHello selects another suite than its HelloRetryRequest (RFC 8446 §4.1.4)');
      const k = shares.find((x) => x.group === sh.selectedGroup);
      if (!k || !sh.keyShare) throw new Tls13ChainError('protocol', `ServerHello key_share for group ${sh.selectedGroup === undefined ? '(none)' : `0x${sh.selectedGroup.toString(16)}`}, for which no share was sent`);
      let shared: Buffer;
      try {
        shared = k.secret(sh.keyShare);
      } catch (e) {
        throw new Tls13ChainError('protocol', `the server's key share for group 0x${k.group.toString(16)} is not a valid public value (${errorMessage(e)})`);
      }
      transcript.push(message);
      const hash = createHash(aead!.hash);
      for (const m of transcript) hash.update(m);
      flight.setSecret(serverHandshakeSecret(aead!.hash, shared, hash.digest()));
    };
    const flight = new Tls13ServerFlight(onHello, o.readCertificateVerify === true);

    // The message names the caller's whole deadline; `timeoutMs` is what the STARTTLS preamble or
    // the tunnel left of it (a millisecond less than the deadline even without them, now and then).
    const timer = setTimeout(() => finish(new Tls13ChainError('timeout',
      `TLS 1.3 handshake with ${where} timed out after ${o.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms (${flight.bytesReceived} bytes received, no Certificate message yet)`)), timeoutMs);

    function finish(err: Error | null): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      raw.destroy();
      if (err) return reject(err);
      const entries = flight.result!;
      resolve({ certificates: entries.map((e) => e.der), entries, cipherSuite: flight.cipherSuite!, protocol: 'TLSv1.3', ...(flight.certificateRequest ? { certificateRequest: flight.certificateRequest } : {}),
        ...(o.alpn ? { alpn: flight.alpn ?? null } : {}), ...(flight.verifyScheme !== undefined ? { certificateVerifyScheme: flight.verifyScheme } : {}) });
    }

    const first = wrapRecords(ContentType.handshake, 0x0301, hello1);
    const send = () => raw.write(o.pipelineClose ? Buffer.concat([first, buildAlertRecord(1, 0, 0x0301)]) : first);
    if (connected) send();
    raw.on('connect', () => { connected = true; send(); });
    raw.on('data', (d: Buffer) => {
      if (settled) return;
      try {
        flight.push(d);
      } catch (e) {
        return finish(e instanceof Error ? e : new Error(String(e)));
      }
      if (flight.complete) finish(null);
    });
    raw.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected) return finish(new Tls13ChainError('unreachable', `cannot connect to ${where}: ${e.code ?? e.message}`));
      finish(new Tls13ChainError('closed', `connection to ${where} failed after ${flight.bytesReceived} bytes (${e.code ?? e.message}), before the Certificate message`));
    });
    raw.on('close', () => finish(new Tls13ChainError('closed',
      `server ${where} closed the connection after ${flight.bytesReceived} bytes, before its Certificate message`)));
  });
}
