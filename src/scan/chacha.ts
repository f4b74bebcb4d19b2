import { suiteByCode } from '../registry/ciphers.js';

/**
 * ChaCha20 prioritisation: a server with its own suite order that still
 * gives a client a ChaCha20-Poly1305 suite when the client lists one first,
 * as phones without AES instructions do. OpenSSL 1.1.1+ does it with
 * SSL_OP_PRIORITIZE_CHACHA (nginx `ssl_conf_command Options
 * PrioritizeChaCha`, `openssl s_server -prioritize_chacha`): when the first
 * suite of the client's list is a ChaCha20 one, the server's ChaCha20 suites
 * move to the top of its order for that handshake. Go's crypto/tls (1.17+)
 * prefers ChaCha20 whenever the client's first known suite is not AES-GCM.
 *
 * To such a server a hello that starts with a ChaCha20 suite asks a
 * different question, so the scan's order questions never start with one
 * (chachaNotFirst), and one hello that does asks whether the server
 * prioritises (run.ts).
 */

export function isChaCha(code: number): boolean {
  return suiteByCode(code)?.cipher === 'CHACHA20-POLY1305';
}

/**
 * A suite every library knows (OpenSSL, GnuTLS, Go, SChannel...), AES-GCM
 * first: AES with an ECDHE, DHE or RSA key exchange, or a TLS 1.3 AES suite.
 * ECDHE and TLS 1.3 AES-GCM suites rank above the other AES-GCM ones: they
 * are the ones Go counts as AES-GCM (crypto/tls aesgcmCiphers, Go 1.17+),
 * so a hello led by TLS_RSA_WITH_AES_128_GCM_SHA256 still gets Go's
 * ChaCha20-first order; Go does not know DHE suites at all and skips them.
 */
function leadSuite(code: number): 0 | 1 | 2 | 3 {
  const s = suiteByCode(code);
  if (!s || !s.openssl || isChaCha(code) || !/^AES-(128|256)-/.test(s.cipher) || !['ECDHE', 'DHE', 'RSA', 'any'].includes(s.kx)) return 0;
  if (!/GCM$/.test(s.cipher)) return 1;
  return s.kx === 'ECDHE' || s.kx === 'any' ? 3 : 2;
}

/**
 * The suites to offer, in this order, except that an offer with a ChaCha20
 * suite in it is led by a suite every library knows, ECDHE AES-GCM when there
 * is one: the first suite a library knows is what it looks at (it skips the
 * codes it does not know, so an unknown code first would leave a ChaCha20
 * suite in front), and Go looks for ECDHE or TLS 1.3 AES-GCM there. A server with an order
 * then answers by that order alone. Unchanged without a ChaCha20 suite, or
 * without such a suite to lead.
 */
export function chachaNotFirst(suites: readonly number[]): number[] {
  if (!suites.some(isChaCha)) return [...suites];
  const moved = (i: number) => (i <= 0 ? [...suites] : [suites[i]!, ...suites.slice(0, i), ...suites.slice(i + 1)]);
  const best = Math.max(0, ...suites.map(leadSuite));
  if (best > 0) return moved(suites.findIndex((c) => leadSuite(c) === best));
  // No such suite (a pair of Camellia and ChaCha20, say): at least no ChaCha20 suite is the first one a library knows.
  const known = (c: number) => !!suiteByCode(c)?.openssl;
  if (!isChaCha(suites.find(known) ?? suites[0]!)) return [...suites];
  const i = suites.findIndex((c) => known(c) && !isChaCha(c));
  return moved(i >= 0 ? i : suites.findIndex((c) => !isChaCha(c)));
}

/**
 * Suites nearly every TLS library knows (a library skips the suites it does
 * not know when it looks at the client's first one), AES-GCM first (Go looks
 * for AES-GCM there): a refused one of these, offered first, leads a hello
 * whose first suite the server knows and does not take, before a ChaCha20
 * suite and another accepted suite.
 */
const KNOWN_LEADS: Record<'TLSv1.2' | 'TLSv1.3', number[]> = {
  'TLSv1.2': [0xc02b, 0xc02f, 0xc02c, 0xc030, 0x009c, 0x009d, 0xc009, 0xc013, 0xc00a, 0xc014, 0x002f, 0x0035],
  'TLSv1.3': [0x1301, 0x1302, 0x1304],
};

/** A suite to lead the hello that tells client order from ChaCha20 prioritisation (see KNOWN_LEADS); undefined when every one is accepted. */
export function refusedLead(version: 'TLSv1.2' | 'TLSv1.3', accepted: readonly number[]): number | undefined {
  return KNOWN_LEADS[version].find((c) => !accepted.includes(c));
}
