import { X509Certificate, constants, publicEncrypt, randomBytes } from 'node:crypto';
import type { ScanContext } from './context.js';
import { VERSION_CODE } from './hellos.js';
import type { ProtocolName } from './types.js';
import type { AfterFlight } from '../net/probe.js';
import { suiteByCode, suitesForVersion } from '../registry/ciphers.js';

/**
 * ROBOT (Return Of Bleichenbacher's Oracle Threat, CVE-2017-13099 and
 * siblings): a server whose reaction to an RSA-encrypted premaster secret
 * tells a well-padded one (PKCS #1 v1.5) from a badly padded one is an
 * oracle with which an attacker can decrypt recorded RSA key exchange
 * sessions and sign with the server's key. RFC 5246 section 7.4.7.1 asks a
 * server to go on with a random premaster secret whatever the padding, so
 * that every handshake fails alike, at the Finished.
 *
 * The check: for a server that accepts an RSA key exchange suite, five
 * connections, each a ClientHello offering only such suites followed, in the
 * same write, by a ClientKeyExchange made with the key of the certificate
 * round 1 read, a ChangeCipherSpec and a Finished of random bytes. The five
 * premaster blocks differ in their padding: well formed; wrong first bytes;
 * the zero separator too early; no separator; a wrong version in the
 * premaster secret. A server that reacts to all five alike (the same alert,
 * or closing alike) is not an oracle. One that reacts differently is asked
 * the five twice more; the same differences three times make it
 * vulnerable, and differences that do not repeat (a lost answer) leave it
 * unknown.
 */
export interface RobotResult {
  /** true: an oracle; false: every variant met the same reaction; null: not asked (no RSA key exchange, no RSA key) or no clear answer. */
  vulnerable: boolean | null;
  /** The reaction to each variant, in the order of ROBOT_VARIANTS (absent when not asked). */
  reactions?: string[];
}

export const ROBOT_VARIANTS = ['well formed', 'wrong first bytes', 'separator too early', 'no separator', 'wrong version'] as const;

/** How long to wait for the reaction at most, ms (net/probe.ts waits less on a near server). */
const REACTION_WAIT_MS = 3000;
/** A Finished record of random bytes: its length fits CBC (a multiple of 16) and GCM (nonce, 16 bytes, tag) alike. */
const FAKE_FINISHED_BYTES = 48;

/**
 * Runs the check at the newest TLS <= 1.2 version spoken, with the leaf
 * certificate round 1 read (`leaf`, DER).
 */
export async function checkRobot(ctx: ScanContext, tops: ReadonlyMap<ProtocolName, number>, leaf: Uint8Array | undefined): Promise<RobotResult> {
  const version = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find((v) => tops.has(v));
  const key = leaf && rsaKeyOf(leaf);
  if (!version || version === 'SSLv3' || !key) return { vulnerable: null };
  const suites = suitesForVersion(version).filter((s) => s.kx === 'RSA' && !s.export).map((s) => s.code);
  const hello = ctx.hello({ version, suites, sni: ctx.ep.sni });
  const clientVersion = VERSION_CODE[version];
  const ask = async (i: number) => {
    const out = await ctx.probeWith('robot', hello, {
      trailing: keyExchangeRecords(premasterBlock(i, key.bytes, clientVersion), key.pem, clientVersion),
      // The reaction counts only for an RSA key exchange suite (the one the messages were made for).
      afterFlight: { send: ({ serverHello }) => (suiteByCode(serverHello.cipherSuite)?.kx === 'RSA' ? new Uint8Array(0) : null), waitMs: Math.min(REACTION_WAIT_MS, ctx.timeoutMs) },
    });
    return out.kind === 'hello' && out.after ? reactionText(out.after) : null;
  };
  const round = () => Promise.all(ROBOT_VARIANTS.map((_, i) => ask(i)));
  // The well-formed variant alone first: a server with no RSA key exchange costs one probe, not five.
  const wellFormed = await ask(0);
  if (wellFormed === null) return { vulnerable: null };
  const first = [wellFormed, ...(await Promise.all(ROBOT_VARIANTS.slice(1).map((_, i) => ask(i + 1))))];
  if (first.some((r) => r === null)) return { vulnerable: null };
  const reactions = first as string[];
  if (reactions.every((r) => r === reactions[0])) return { vulnerable: false, reactions };
  // Different reactions: asked twice more, so that a lost answer (a relay that drops the alert of a
  // server that closes right behind it looks like a close) cannot pass for an oracle.
  for (let i = 0; i < CONFIRMATIONS; i++) {
    const again = await round();
    if (!again.every((r, j) => r === reactions[j])) return { vulnerable: null, reactions };
  }
  return { vulnerable: true, reactions };
}

/** Rounds that must repeat the first one's reactions exactly before a server counts as an oracle. */
const CONFIRMATIONS = 2;

/** The leaf's RSA public key: its modulus length in bytes, and the key as PEM for publicEncrypt. */
function rsaKeyOf(der: Uint8Array): { bytes: number; pem: string } | undefined {
  try {
    const key = new X509Certificate(der).publicKey;
    if (key.asymmetricKeyType !== 'rsa') return undefined;
    const n = key.export({ format: 'jwk' }).n;
    if (!n) return undefined;
    return { bytes: Buffer.from(n, 'base64url').length, pem: key.export({ format: 'pem', type: 'spki' }).toString() };
  } catch {
    return undefined;
  }
}

/** `n` random bytes, none of them zero (PKCS #1 v1.5 padding). */
function nonZero(n: number): Buffer {
  const b = randomBytes(Math.max(0, n));
  for (let i = 0; i < b.length; i++) if (b[i] === 0) b[i] = 1 + (i % 255);
  return b;
}

/**
 * The RSA plaintext of variant `i` for a modulus of `k` bytes (RFC 8017
 * section 7.2.1: 00 02, at least 8 non-zero bytes, 00, the 48-byte premaster
 * secret that starts with the client's version).
 */
export function premasterBlock(i: number, k: number, clientVersion: number): Buffer {
  const version = Buffer.from([clientVersion >> 8, clientVersion & 0xff]);
  const secret = (v: Buffer) => Buffer.concat([v, nonZero(46)]);
  switch (i) {
    case 1: return Buffer.concat([Buffer.from([0x41, 0x17]), nonZero(k - 51), Buffer.from([0]), secret(version)]);
    case 2: return Buffer.concat([Buffer.from([0, 2]), nonZero(k - 61), Buffer.from([0]), nonZero(10), secret(version)]);
    case 3: return Buffer.concat([Buffer.from([0, 2]), nonZero(k - 50), secret(version)]);
    case 4: return Buffer.concat([Buffer.from([0, 2]), nonZero(k - 51), Buffer.from([0]), secret(Buffer.from([0x02, 0x02]))]);
    default: return Buffer.concat([Buffer.from([0, 2]), nonZero(k - 51), Buffer.from([0]), secret(version)]);
  }
}

/** ClientKeyExchange (the block encrypted with the raw RSA key), ChangeCipherSpec and a Finished of random bytes, as records. */
function keyExchangeRecords(block: Buffer, pem: string, recordVersion: number): Uint8Array {
  const encrypted = publicEncrypt({ key: pem, padding: constants.RSA_NO_PADDING }, block);
  const body = Buffer.concat([Buffer.from([encrypted.length >> 8, encrypted.length & 0xff]), encrypted]);
  const message = Buffer.concat([Buffer.from([16, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  const record = (type: number, fragment: Buffer) => Buffer.concat([Buffer.from([type, recordVersion >> 8, recordVersion & 0xff, fragment.length >> 8, fragment.length & 0xff]), fragment]);
  return Buffer.concat([record(22, message), record(20, Buffer.from([1])), record(22, randomBytes(FAKE_FINISHED_BYTES))]);
}

function reactionText(a: AfterFlight): string {
  switch (a.kind) {
    case 'alert': return `alert ${a.description}`;
    case 'heartbeat': return `heartbeat ${a.length}`;
    case 'record': return `record ${a.contentType}`;
    default: return a.kind;
  }
}
