/**
 * ClientHello builder (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and the SSL 2.0
 * CLIENT-HELLO. Everything is driven by numeric codes; names live in registry/.
 *
 * Defaults (each can be overridden):
 * - supported_versions is sent only when TLS 1.3 is offered: maxVersion 0x0304
 *   lists 0x0304 down to `minVersion`, and minVersion defaults to maxVersion,
 *   i.e. a 1.3-only hello (what a protocol probe wants). Pass minVersion 0x0301
 *   for a browser-like "1.3 down to 1.0" hello, or `supportedVersions` for an
 *   exact list. With maxVersion below 0x0304 minVersion is ignored (legacy
 *   negotiation through client_version only).
 * - supported_groups: DEFAULT_GROUPS; `groups: []` omits the extension.
 * - key_share (only when 1.3 is offered): one real share for the first group
 *   of `groups` we can generate; `keyShareGroups: []` sends an empty list
 *   (the server must answer with a HelloRetryRequest).
 * - signature_algorithms: DEFAULT_SIGNATURE_ALGORITHMS when TLS 1.2 or 1.3 is
 *   offered (RFC 5246 §7.4.1.4.1: not for older hellos); an explicit list is
 *   always sent; [] omits.
 * - ec_point_formats [0] when an EC group or EC suite is offered; null omits.
 * - renegotiation_info (empty) and extended_master_secret when a version below
 *   TLS 1.3 is offered; session_ticket, status_request, encrypt_then_mac off.
 * - psk_key_exchange_modes [psk_dhe_ke] when 1.3 is offered.
 * - padding 'auto' (RFC 7685: pad hellos of 256..511 bytes to 512, the F5 bug).
 * - legacy_session_id: 32 random bytes when 1.3 is offered (middlebox
 *   compatibility, RFC 8446 §D.4), else empty.
 * An entry of `extraExtensions` whose type matches a built-in extension
 * replaces it in place; the others are appended before padding. A
 * pre_shared_key extension is always moved last (RFC 8446 §4.2.11).
 */
import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { ByteWriter } from './bytes.js';
import { ContentType, ExtensionType, GREASE_VALUES, HandshakeType, isGrease, MAX_PLAINTEXT_FRAGMENT } from './constants.js';
import {
  DEFAULT_GROUPS, DEFAULT_SIGNATURE_ALGORITHMS, EC_POINT_FORMAT_UNCOMPRESSED, PSK_DHE_KE, isEcCipherSuite, isFfdheGroup,
} from './defaults.js';
import type { Extension } from './server-hello.js';
import { canGenerateKeyShare, generateKeyShare } from './key-share.js';


export interface ClientHelloOptions {
  /** Highest version offered. */
  maxVersion: 0x0300 | 0x0301 | 0x0302 | 0x0303 | 0x0304;
  /** With maxVersion 0x0304: lowest version listed in supported_versions (default: maxVersion, 1.3 only). */
  minVersion?: number;
  /** Exact supported_versions list (overrides min/max derivation), may include GREASE. */
  supportedVersions?: number[];
  cipherSuites: number[];
  /** server_name; omitted when null/undefined/empty or an IP literal. Non-ASCII names are sent as A-labels. */
  sni?: string | null;
  /** supported_groups; default DEFAULT_GROUPS; [] omits the extension. */
  groups?: readonly number[];
  /** Groups to send a real key share for; [] = empty key_share. Groups we cannot generate are skipped. */
  keyShareGroups?: number[];
  /** Explicit key shares (overrides keyShareGroups), for deterministic hellos. */
  keyShares?: { group: number; data: Uint8Array }[];
  signatureAlgorithms?: readonly number[];
  /** Default [0] when an EC suite or group is offered; null omits. */
  ecPointFormats?: number[] | null;
  alpn?: string[];
  /** Empty renegotiation_info extension; default true when a version below 1.3 is offered. */
  renegotiationInfo?: boolean;
  /** Default true when a version below 1.3 (and above SSLv3) is offered. */
  extendedMasterSecret?: boolean;
  sessionTicket?: boolean;
  statusRequest?: boolean;
  /** An empty signed_certificate_timestamp extension (RFC 6962 section 3.3.1): the server may answer with SCTs. */
  signedCertificateTimestamp?: boolean;
  encryptThenMac?: boolean;
  /** Default [1] (psk_dhe_ke) when 1.3 is offered. */
  pskKeyExchangeModes?: number[];
  /** RFC 8701 GREASE values in suites, extensions, groups, key shares and versions. */
  grease?: boolean;
  /** Padding extension data length, or 'auto' (default): pad 256..511-byte hellos to 512 (RFC 7685). */
  padding?: number | 'auto';
  extraExtensions?: { type: number; data: Uint8Array }[];
  /** Explicit order of extension types; a GREASE value stands for the next GREASE extension. Unlisted ones follow. */
  extensionOrder?: number[];
  /** Record-layer version; default 0x0301 (0x0300 when maxVersion is SSLv3). */
  recordVersion?: number;
  /** client_version field; default min(maxVersion, 0x0303). */
  legacyVersion?: number;
  /** 32-byte client random. */
  random?: Uint8Array;
  sessionId?: Uint8Array;
  /** Default [0] (null compression). */
  compression?: number[];
  /** SSLv3-style hello without any extensions block. */
  noExtensions?: boolean;
  /** Randomness source for random, session id and GREASE picks (tests inject a deterministic one). */
  rng?: (n: number) => Uint8Array;
}

/**
 * Random bytes from the operating system's generator, drawn 4 KB at a time: a
 * scan builds hundreds of hellos, each with a random and often a session id,
 * and a call of randomBytes per field cost more than the rest of the hello.
 */
let randomPool = new Uint8Array(0);
let randomAt = 0;
const RANDOM_POOL_BYTES = 4096;
const defaultRng = (n: number): Uint8Array => {
  if (n > RANDOM_POOL_BYTES) return new Uint8Array(randomBytes(n));
  if (randomAt + n > randomPool.length) {
    randomPool = new Uint8Array(randomBytes(RANDOM_POOL_BYTES));
    randomAt = 0;
  }
  // A copy: no two callers share bytes.
  const out = randomPool.slice(randomAt, randomAt + n);
  randomAt += n;
  return out;
};

function isIpLiteral(host: string): boolean {
  if (host.includes(':')) return true; // IPv6, possibly bracketed
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** RFC 6066 §3: HostName is ASCII without a trailing dot. Returns null when nothing should be sent. */
export function sniHostName(sni: string | null | undefined): string | null {
  if (sni == null) return null;
  let h = sni.trim();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === '' || isIpLiteral(h)) return null;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(h)) {
    const a = domainToASCII(h);
    if (!a) throw new RangeError(`server name ${JSON.stringify(sni)} is not a valid host name`);
    h = a;
  }
  return h;
}

/** Encodings of frozen lists (the scan's group and signature algorithm lists, in every hello it builds). */
const frozenLists = new WeakMap<readonly number[], Uint8Array>();

function u16List(values: readonly number[]): Uint8Array {
  const known = frozenLists.get(values);
  if (known) return known;
  const out = new ByteWriter(2 + 2 * values.length).vector(2, (w) => { for (const v of values) w.u16(v); }).finish();
  if (Object.isFrozen(values)) frozenLists.set(values, out);
  return out;
}

/** Picks distinct GREASE values for the slots that need one. */
function pickGrease(rng: (n: number) => Uint8Array): { suite: number; group: number; version: number; ext1: number; ext2: number } {
  const r = rng(5);
  const at = (i: number) => GREASE_VALUES[r[i]! & 0x0f]!;
  const e1 = r[3]! & 0x0f;
  const e2 = (e1 + 1 + ((r[4]! & 0x0f) % 15)) & 0x0f; // differs from e1 (RFC 8701 §3.1: no duplicate extensions)
  return { suite: at(0), group: at(1), version: at(2), ext1: GREASE_VALUES[e1]!, ext2: GREASE_VALUES[e2]! };
}

/** `value`, or the next GREASE value (cyclically) that is not in `taken`. */
function freeGrease(value: number, taken: ReadonlySet<number>): number {
  const start = GREASE_VALUES.indexOf(value);
  for (let i = 0; i < GREASE_VALUES.length; i++) {
    const v = GREASE_VALUES[(start + i) % GREASE_VALUES.length]!;
    if (!taken.has(v)) return v;
  }
  return value;
}

function orderExtensions(exts: Extension[], order: number[] | undefined): Extension[] {
  if (!order) return exts;
  const left = [...exts];
  const out: Extension[] = [];
  for (const t of order) {
    const i = left.findIndex((e) => (isGrease(t) ? isGrease(e.type) : e.type === t));
    if (i >= 0) out.push(...left.splice(i, 1));
  }
  return [...out, ...left];
}

/** The ClientHello handshake message: type (1), 3-byte length and body. */
export function buildClientHelloBody(o: ClientHelloOptions): Uint8Array {
  const rng = o.rng ?? defaultRng;
  const grease = o.grease ? pickGrease(rng) : null;
  if (grease) {
    // The GREASE extensions must not collide with a GREASE-typed extension given in extraExtensions.
    const taken = new Set((o.extraExtensions ?? []).map((e) => e.type).filter(isGrease));
    grease.ext1 = freeGrease(grease.ext1, taken);
    taken.add(grease.ext1);
    grease.ext2 = freeGrease(grease.ext2, taken);
  }

  let versions: number[] | null = null;
  if (o.supportedVersions) {
    versions = [...o.supportedVersions];
  } else if (o.maxVersion === 0x0304) {
    const min = Math.max(o.minVersion ?? o.maxVersion, 0x0300);
    versions = [];
    for (let v = o.maxVersion; v >= min; v--) versions.push(v);
  }
  if (versions && grease && !versions.some(isGrease)) versions.unshift(grease.version);
  const realVersions = versions ? versions.filter((v) => !isGrease(v)) : [o.maxVersion];
  const offers13 = realVersions.some((v) => v === 0x0304 || (v & 0xff00) === 0x7f00);
  const offersLegacy = realVersions.some((v) => v < 0x0304);
  const offersTls12 = realVersions.some((v) => v === 0x0303 || v === 0x0304 || (v & 0xff00) === 0x7f00);
  const offersTlsPre13 = realVersions.some((v) => v >= 0x0301 && v <= 0x0303);

  const random = o.random ?? rng(32);
  if (random.length !== 32) throw new RangeError(`ClientHello random must be 32 bytes, got ${random.length}`);
  const sessionId = o.sessionId ?? (offers13 ? rng(32) : new Uint8Array(0));
  if (sessionId.length > 32) throw new RangeError(`session id must be at most 32 bytes, got ${sessionId.length}`);
  const suites = grease ? [grease.suite, ...o.cipherSuites] : o.cipherSuites;
  const legacyVersion = o.legacyVersion ?? Math.min(o.maxVersion, 0x0303);

  const compression = o.compression ?? [0];
  const head = new ByteWriter(2 + 32 + 1 + sessionId.length + 2 + 2 * suites.length + 1 + compression.length)
    .u16(legacyVersion)
    .bytes(random)
    .vector(1, (w) => w.bytes(sessionId))
    .vector(2, (w) => { for (const s of suites) w.u16(s); })
    .vector(1, (w) => w.bytes(compression))
    .finish();

  /** The handshake message: type, 3-byte length, then the body (head and extensions), in one buffer. */
  const message = (exts: Extension[] | null): Uint8Array => {
    // (The body cannot outgrow its 3-byte length: the suites and the extensions have 2-byte ones.)
    const size = 4 + head.length + (exts ? 2 + exts.reduce((n, e) => n + 4 + e.data.length, 0) : 0);
    return new ByteWriter(size).u8(HandshakeType.client_hello).vector(3, (b) => {
      b.bytes(head);
      if (exts) b.vector(2, (x) => { for (const e of exts) x.u16(e.type).vector(2, (d) => d.bytes(e.data)); });
    }).finish();
  };

  if (o.noExtensions) return message(null);

  const exts: Extension[] = [];
  // Encoded here, or by the caller (extraExtensions): never written to after, so not copied.
  const add = (type: number, data: Uint8Array | readonly number[]) => exts.push({ type, data: data instanceof Uint8Array ? data : Uint8Array.from(data) });

  if (grease) add(grease.ext1, []);

  const host = sniHostName(o.sni);
  if (host !== null) {
    add(ExtensionType.server_name, new ByteWriter(5 + host.length).vector(2, (w) => {
      w.u8(0).vector(2, (n) => n.bytes(Buffer.from(host, 'ascii')));
    }).finish());
  }

  const groups = o.groups ?? [...DEFAULT_GROUPS];
  const ecOffered = groups.some((g) => !isFfdheGroup(g) && !isGrease(g)) || o.cipherSuites.some(isEcCipherSuite);
  const pointFormats = o.ecPointFormats === undefined ? (ecOffered ? [EC_POINT_FORMAT_UNCOMPRESSED] : null) : o.ecPointFormats;
  if (pointFormats) add(ExtensionType.ec_point_formats, new ByteWriter(1 + pointFormats.length).vector(1, (w) => w.bytes(pointFormats)).finish());

  if (groups.length > 0) add(ExtensionType.supported_groups, u16List(grease ? [grease.group, ...groups] : groups));

  if (o.sessionTicket) add(ExtensionType.session_ticket, []);

  if (o.alpn && o.alpn.length > 0) {
    const alpn = o.alpn;
    add(ExtensionType.alpn, new ByteWriter().vector(2, (w) => {
      for (const p of alpn) w.vector(1, (x) => x.bytes(Buffer.from(p, 'utf8')));
    }).finish());
  }

  if (o.encryptThenMac) add(ExtensionType.encrypt_then_mac, []);
  if (o.extendedMasterSecret ?? offersTlsPre13) add(ExtensionType.extended_master_secret, []);

  const sigalgs = o.signatureAlgorithms ?? (offersTls12 ? [...DEFAULT_SIGNATURE_ALGORITHMS] : []);
  if (sigalgs.length > 0) add(ExtensionType.signature_algorithms, u16List(sigalgs));

  if (o.statusRequest) add(ExtensionType.status_request, [1, 0, 0, 0, 0]); // ocsp, no responder ids, no extensions
  if (o.signedCertificateTimestamp) add(ExtensionType.sct, []);

  if (versions) add(ExtensionType.supported_versions, new ByteWriter(1 + 2 * versions.length).vector(1, (w) => { for (const v of versions!) w.u16(v); }).finish());

  if (offers13 || o.pskKeyExchangeModes) {
    const modes = o.pskKeyExchangeModes ?? [PSK_DHE_KE];
    if (modes.length > 0) add(ExtensionType.psk_key_exchange_modes, new ByteWriter(1 + modes.length).vector(1, (w) => w.bytes(modes)).finish());
  }

  if (offers13 || o.keyShares || o.keyShareGroups) {
    let shares: { group: number; data: Uint8Array }[];
    if (o.keyShares) {
      shares = [...o.keyShares];
    } else {
      const wanted = o.keyShareGroups
        ?? [groups.find((g) => !isGrease(g) && canGenerateKeyShare(g)) ?? 29];
      shares = [];
      for (const g of wanted) {
        const data = isGrease(g) ? Uint8Array.of(0) : generateKeyShare(g);
        if (data) shares.push({ group: g, data });
      }
    }
    if (grease && !shares.some((s) => isGrease(s.group))) shares.unshift({ group: grease.group, data: Uint8Array.of(0) });
    add(ExtensionType.key_share, new ByteWriter(2 + shares.reduce((n, x) => n + 4 + x.data.length, 0)).vector(2, (w) => {
      for (const s of shares) w.u16(s.group).vector(2, (x) => x.bytes(s.data));
    }).finish());
  }

  if (o.renegotiationInfo ?? offersLegacy) add(ExtensionType.renegotiation_info, [0]);

  for (const e of o.extraExtensions ?? []) {
    const i = exts.findIndex((x) => x.type === e.type);
    if (i >= 0) exts[i] = { type: e.type, data: e.data };
    else exts.push({ type: e.type, data: e.data });
  }

  if (grease) add(grease.ext2, [0]);

  const padding = o.padding ?? 'auto';
  let padLen: number | null = null;
  if (typeof padding === 'number') {
    if (!Number.isInteger(padding) || padding < 0 || padding > 0xffff) throw new RangeError(`bad padding length ${padding}`);
    padLen = padding;
  } else if (!exts.some((e) => e.type === ExtensionType.padding)) {
    // The message's length: type and length (4), the head, the extensions' length (2) and each extension.
    const len = 4 + head.length + 2 + exts.reduce((n, e) => n + 4 + e.data.length, 0);
    if (len >= 256 && len < 512) padLen = Math.max(512 - len - 4, 1);
  }
  if (padLen !== null) add(ExtensionType.padding, new Uint8Array(padLen));

  const ordered = orderExtensions(exts, o.extensionOrder);
  // RFC 8446 §4.2.11: pre_shared_key (only ever from extraExtensions) must be the last extension.
  const psk = ordered.findIndex((e) => e.type === ExtensionType.pre_shared_key);
  if (psk >= 0) ordered.push(...ordered.splice(psk, 1));
  return message(ordered);
}

/** Wraps a payload into records of one content type, split at 16384 bytes (RFC 8446 §5.1). */
export function wrapRecords(contentType: number, version: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter(payload.length + 5 * Math.max(1, Math.ceil(payload.length / MAX_PLAINTEXT_FRAGMENT)));
  let off = 0;
  do {
    const n = Math.min(MAX_PLAINTEXT_FRAGMENT, payload.length - off);
    w.u8(contentType).u16(version).u16(n).bytes(payload.subarray(off, off + n));
    off += n;
  } while (off < payload.length);
  return w.finish();
}

/** The complete ClientHello record(s), ready to write on a socket. */
export function buildClientHello(o: ClientHelloOptions): Uint8Array {
  const recordVersion = o.recordVersion ?? (o.maxVersion === 0x0300 ? 0x0300 : 0x0301);
  return wrapRecords(ContentType.handshake, recordVersion, buildClientHelloBody(o));
}

export interface SSLv2ClientHelloOptions {
  /** 3-byte cipher kinds (SSLv2 codes like 0x010080, or TLS suites as 0x00XXYY). */
  cipherKinds: number[];
  /** 16..32 bytes; default 16 random bytes. */
  challenge?: Uint8Array;
  /** Version field; default 0x0002 (SSL 2.0). A TLS version makes an SSLv2-compatible TLS hello. */
  version?: number;
  sessionId?: Uint8Array;
  rng?: (n: number) => Uint8Array;
}

/** An SSL 2.0 CLIENT-HELLO in a record with the 2-byte header (high bit set). */
export function buildSSLv2ClientHello(o: SSLv2ClientHelloOptions): Uint8Array {
  const challenge = o.challenge ?? (o.rng ?? defaultRng)(16);
  if (challenge.length < 16 || challenge.length > 32) throw new RangeError(`SSLv2 challenge must be 16..32 bytes, got ${challenge.length}`);
  const sid = o.sessionId ?? new Uint8Array(0);
  const msg = new ByteWriter()
    .u8(1) // CLIENT-HELLO
    .u16(o.version ?? 0x0002)
    .u16(o.cipherKinds.length * 3)
    .u16(sid.length)
    .u16(challenge.length);
  for (const k of o.cipherKinds) msg.u24(k);
  msg.bytes(sid).bytes(challenge);
  const body = msg.finish();
  if (body.length > 0x7fff) throw new RangeError('SSLv2 CLIENT-HELLO too large for a 2-byte header');
  return new ByteWriter().u16(0x8000 | body.length).bytes(body).finish();
}
