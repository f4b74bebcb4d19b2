/**
 * ServerHello and HelloRetryRequest parser (RFC 8446 §4.1.3, §4.1.4; RFC 5246
 * §7.4.1.3; SSL 3.0 hellos without an extensions block).
 */
import { WireError } from '../util/errors.js';
import { ByteReader } from './bytes.js';
import { DOWNGRADE_TLS11, DOWNGRADE_TLS12, ExtensionType, HELLO_RETRY_REQUEST_RANDOM } from './constants.js';

export interface Extension { type: number; data: Uint8Array }

export interface ServerHello {
  /** The legacy_version / server_version field. */
  legacyVersion: number;
  /** Negotiated version: supported_versions value when present, else legacyVersion. */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compression: number;
  extensions: Extension[];
  isHelloRetryRequest: boolean;
  /** From key_share: the server share's group (ServerHello) or selected_group (HRR). */
  selectedGroup?: number;
  /** Length of the server's key_exchange value in a ServerHello key_share. */
  keyShareLength?: number;
  /** The server's key_exchange value in a ServerHello key_share (its public value for the group). */
  keyShare?: Uint8Array;
  /** HelloRetryRequest cookie. */
  cookie?: Uint8Array;
  /** RFC 8446 §4.1.3 downgrade marker seen in random. */
  downgradeSentinel?: 'tls12' | 'tls11';
  /** Protocol selected through ALPN. */
  alpn?: string;
  /** renegotiation_info present (RFC 5746). */
  secureRenegotiation: boolean;
  /** extended_master_secret present (RFC 7627). */
  extendedMasterSecret: boolean;
  /** encrypt_then_mac present (RFC 7366). */
  encryptThenMac: boolean;
  /** session_ticket present: the server will send a NewSessionTicket (RFC 5077). */
  sessionTicket: boolean;
  /** status_request present: the server will staple an OCSP response (RFC 6066 §8). */
  statusRequest: boolean;
  /** ec_point_formats list when present (RFC 8422 §5.2). */
  ecPointFormats?: number[];
  /** heartbeat extension mode when present (RFC 6520: 1 peer_allowed_to_send, 2 peer_not_allowed_to_send). */
  heartbeatMode?: number;
}

/**
 * Reads an extensions block body (the bytes inside the 2-byte length) into a
 * list. Throws WireError on bad framing or a repeated extension type
 * (RFC 8446 §4.2: at most one of each type).
 */
export function parseExtensionList(r: ByteReader, what = 'extensions'): Extension[] {
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (!r.done) {
    const type = r.u16(`${what} type`);
    const data = r.vector(2, `${what} data`);
    if (seen.has(type)) throw new WireError(`duplicate extension ${type} in ${what}`);
    seen.add(type);
    out.push({ type, data: data.bytes(data.remaining) });
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const latin1 = new TextDecoder('latin1');

/** Parses a ServerHello (or HelloRetryRequest) handshake body, without the 4-byte handshake header. */
export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new ByteReader(body);
  const legacyVersion = r.u16('server_version');
  const random = r.bytes(32, 'server random');
  const sidLen = r.u8('session id length');
  if (sidLen > 32) throw new WireError(`session id of ${sidLen} bytes (max 32)`);
  const sessionId = r.bytes(sidLen, 'session id');
  const cipherSuite = r.u16('cipher suite');
  const compression = r.u8('compression method');
  let extensions: Extension[] = [];
  if (!r.done) {
    extensions = parseExtensionList(r.vector(2, 'extensions'), 'ServerHello extensions');
    r.expectEnd('ServerHello');
  }

  const isHelloRetryRequest = equalBytes(random, HELLO_RETRY_REQUEST_RANDOM);
  const sh: ServerHello = {
    legacyVersion, version: legacyVersion, random, sessionId, cipherSuite, compression, extensions,
    isHelloRetryRequest, secureRenegotiation: false, extendedMasterSecret: false, encryptThenMac: false,
    sessionTicket: false, statusRequest: false,
  };
  const tail = random.subarray(24);
  if (equalBytes(tail, DOWNGRADE_TLS12)) sh.downgradeSentinel = 'tls12';
  else if (equalBytes(tail, DOWNGRADE_TLS11)) sh.downgradeSentinel = 'tls11';

  for (const e of extensions) {
    const x = new ByteReader(e.data);
    switch (e.type) {
      case ExtensionType.supported_versions:
        sh.version = x.u16('selected_version');
        x.expectEnd('supported_versions');
        break;
      case ExtensionType.key_share:
        sh.selectedGroup = x.u16('key_share group');
        if (!isHelloRetryRequest) {
          const ke = x.vector(2, 'key_exchange');
          if (ke.remaining === 0) throw new WireError('empty key_exchange in ServerHello key_share');
          sh.keyShareLength = ke.remaining;
          sh.keyShare = ke.bytes(ke.remaining);
        }
        x.expectEnd('key_share');
        break;
      case ExtensionType.cookie: {
        const c = x.vector(2, 'cookie');
        if (c.remaining === 0) throw new WireError('empty HelloRetryRequest cookie');
        sh.cookie = c.bytes(c.remaining);
        x.expectEnd('cookie');
        break;
      }
      case ExtensionType.alpn: {
        const list = x.vector(2, 'ALPN protocol list');
        const name = list.vector(1, 'ALPN protocol');
        list.expectEnd('ALPN protocol list (server must select exactly one)');
        x.expectEnd('alpn');
        if (name.remaining === 0) throw new WireError('empty ALPN protocol name');
        sh.alpn = latin1.decode(name.bytes(name.remaining));
        break;
      }
      case ExtensionType.renegotiation_info:
        x.vector(1, 'renegotiated_connection');
        x.expectEnd('renegotiation_info');
        sh.secureRenegotiation = true;
        break;
      case ExtensionType.extended_master_secret:
        sh.extendedMasterSecret = true;
        break;
      case ExtensionType.encrypt_then_mac:
        sh.encryptThenMac = true;
        break;
      case ExtensionType.session_ticket:
        sh.sessionTicket = true;
        break;
      case ExtensionType.status_request:
        sh.statusRequest = true;
        break;
      case ExtensionType.ec_point_formats: {
        const f = x.vector(1, 'ec_point_formats');
        sh.ecPointFormats = Array.from(f.bytes(f.remaining));
        x.expectEnd('ec_point_formats');
        break;
      }
      case ExtensionType.heartbeat:
        sh.heartbeatMode = x.u8('heartbeat mode');
        x.expectEnd('heartbeat');
        break;
      default:
        break;
    }
  }
  return sh;
}

/** True when the ServerHello negotiates TLS 1.3 (or a 1.3 draft): everything after it is encrypted. */
export function negotiatesTls13(sh: ServerHello): boolean {
  return !sh.isHelloRetryRequest && (sh.version === 0x0304 || (sh.version & 0xff00) === 0x7f00);
}
