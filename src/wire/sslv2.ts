/**
 * SSL 2.0 server messages (the Netscape "SSL 0.2" specification,
 * draft-hickman-netscape-ssl-00): SERVER-HELLO (type 4) and ERROR (type 0).
 */
import { WireError } from '../util/errors.js';
import { ByteReader } from './bytes.js';
import { SSLv2ErrorCode, SSLv2MessageType } from './constants.js';

export interface SSLv2ServerHello {
  sessionIdHit: boolean;
  /** 1 = X.509 certificate. */
  certificateType: number;
  /** server_version, 0x0002 for SSL 2.0. */
  version: number;
  /** DER certificate (empty when the session id hit). */
  certificate: Uint8Array;
  /** 3-byte cipher kinds the server accepts, e.g. 0x010080 (RC4_128_WITH_MD5). */
  cipherKinds: number[];
  connectionId: Uint8Array;
}

/** Thrown by parseSSLv2ServerHello when the server answered with an SSL 2.0 ERROR message. */
export class SSLv2ErrorMessage extends WireError {
  override name = 'SSLv2ErrorMessage';
  constructor(readonly code: number, readonly codeName: string) {
    super(`SSL 2.0 ERROR ${codeName} (0x${code.toString(16).padStart(4, '0')})`);
  }
}

export type SSLv2Message =
  | { type: 'server-hello'; hello: SSLv2ServerHello }
  | { type: 'error'; code: number; name: string }
  | { type: 'other'; messageType: number; body: Uint8Array };

function parseHello(r: ByteReader): SSLv2ServerHello {
  const hit = r.u8('session_id_hit');
  const certificateType = r.u8('certificate_type');
  const version = r.u16('server_version');
  const certLen = r.u16('certificate_length');
  const specsLen = r.u16('cipher_specs_length');
  const connIdLen = r.u16('connection_id_length');
  if (specsLen % 3 !== 0) throw new WireError(`SSL 2.0 cipher_specs_length ${specsLen} is not a multiple of 3`);
  if (connIdLen < 16 || connIdLen > 32) throw new WireError(`SSL 2.0 connection id of ${connIdLen} bytes (16..32)`);
  const certificate = r.bytes(certLen, 'certificate');
  const specs = r.bytes(specsLen, 'cipher specs');
  const connectionId = r.bytes(connIdLen, 'connection id');
  r.expectEnd('SSL 2.0 SERVER-HELLO');
  const cipherKinds: number[] = [];
  for (let i = 0; i < specs.length; i += 3) cipherKinds.push((specs[i]! << 16) | (specs[i + 1]! << 8) | specs[i + 2]!);
  return { sessionIdHit: hit !== 0, certificateType, version, certificate, cipherKinds, connectionId };
}

/** Parses an SSL 2.0 message (record data, header and padding removed) of any type. */
export function parseSSLv2Message(message: Uint8Array): SSLv2Message {
  const r = new ByteReader(message);
  const type = r.u8('SSL 2.0 message type');
  if (type === SSLv2MessageType.server_hello) return { type: 'server-hello', hello: parseHello(r) };
  if (type === SSLv2MessageType.error) {
    const code = r.u16('SSL 2.0 error code');
    r.expectEnd('SSL 2.0 ERROR');
    return { type: 'error', code, name: SSLv2ErrorCode.get(code) ?? `unknown(${code})` };
  }
  return { type: 'other', messageType: type, body: r.bytes(r.remaining) };
}

/**
 * Parses an SSL 2.0 SERVER-HELLO. An ERROR message throws SSLv2ErrorMessage
 * (a WireError with the code); any other message type throws WireError.
 */
export function parseSSLv2ServerHello(message: Uint8Array): SSLv2ServerHello {
  const m = parseSSLv2Message(message);
  if (m.type === 'server-hello') return m.hello;
  if (m.type === 'error') throw new SSLv2ErrorMessage(m.code, m.name);
  throw new WireError(`expected SSL 2.0 SERVER-HELLO, got message type ${m.messageType}`);
}
