/**
 * Signed Certificate Timestamps made here, for certificates that stand for publicly trusted
 * ones (a public CA embeds them): their framing is RFC 6962's, their signatures are filler, as
 * no CT log is reachable from the tests.
 */
import { SCT_LIST_OID } from '../../src/x509/sct.js';

/** One v1 SCT: version, log id (32 bytes of `log`), timestamp, no extensions, an ECDSA-SHA256 "signature". */
export function sct(log: number, ms: number): Buffer {
  const b = Buffer.alloc(1 + 32 + 8 + 2 + 4 + 2);
  b[0] = 0;
  b.fill(log, 1, 33);
  b.writeBigUInt64BE(BigInt(ms), 33);
  b.writeUInt16BE(0, 41);
  b[43] = 4; b[44] = 3; b.writeUInt16BE(2, 45);
  b[47] = 0xaa; b[48] = 0xbb;
  return b;
}

/** A SignedCertificateTimestampList. */
export function sctList(...items: Buffer[]): Buffer {
  const body = Buffer.concat(items.map((x) => Buffer.concat([Buffer.from([x.length >> 8, x.length & 0xff]), x])));
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

/** The openssl config line that embeds `n` SCTs from distinct logs in a certificate (none for 0). */
export function embeddedSctLine(n: number, ms = Date.UTC(2026, 0, 1)): string[] {
  if (n <= 0) return [];
  const list = sctList(...Array.from({ length: n }, (_, i) => sct(0x40 + i, ms)));
  // DER OCTET STRING: the short length form under 128 bytes, else two length bytes.
  const head = list.length < 128 ? Buffer.from([0x04, list.length]) : Buffer.from([0x04, 0x82, list.length >> 8, list.length & 0xff]);
  return [`${SCT_LIST_OID} = DER:${Buffer.concat([head, list]).toString('hex')}`];
}
