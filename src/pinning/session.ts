/** What a serialized TLS session says about the handshake that created it. */

/**
 * The peer certificate stored in a serialized OpenSSL session (what
 * 'session' events and getSession() return): SSL_SESSION is a DER SEQUENCE
 * whose [3] EXPLICIT element is the peer's certificate (ssl/ssl_asn1.c).
 * Returns null when the bytes are not such a session.
 */
export function peerCertificateOfSession(session: Buffer): Buffer | null {
  try {
    const readLen = (at: number): [number, number] => {
      const first = session[at]!;
      if (first < 0x80) return [first, 1];
      const n = first & 0x7f;
      if (n === 0 || n > 4) throw new Error('bad length');
      let len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + session[at + 1 + k]!;
      return [len, 1 + n];
    };
    if (session[0] !== 0x30) return null;
    const [total, lb] = readLen(1);
    let at = 1 + lb;
    const end = Math.min(session.length, at + total);
    while (at < end) {
      const tag = session[at]!;
      const [len, l] = readLen(at + 1);
      const body = at + 1 + l;
      if (body + len > end) return null;
      if (tag === 0xa3) {
        const inner = session.subarray(body, body + len);
        return inner[0] === 0x30 ? Buffer.from(inner) : null;
      }
      at = body + len;
    }
    return null;
  } catch {
    return null;
  }
}
