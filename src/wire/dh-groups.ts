/**
 * The finite-field Diffie-Hellman groups a server's ServerKeyExchange may
 * carry that are known by name: the RFC 7919 ffdhe groups (the only ones a
 * TLS 1.2 client can ask for, through supported_groups) and the MODP groups
 * of RFC 2409 §6.1-6.2 and RFC 3526 §2-7, which servers and libraries ship
 * as fixed parameters. A prime known by name is shared by every server that
 * uses it: a precomputation against it (the number field sieve) serves
 * against all of them at once, which is what made the 512-bit export and the
 * 1024-bit shared primes practical targets (Logjam, CVE-2015-4000; Adrian et
 * al., "Imperfect Forward Secrecy", CCS 2015). Any other prime is the
 * server's own (`openssl dhparam`).
 *
 * The MODP primes come from node:crypto (`getDiffieHellman('modp1')` ...
 * `'modp18'`, OpenSSL's copies of the RFC constants); the ffdhe primes from
 * ./ffdhe.ts. tests/wire/dh-groups.test.ts compares both with the openssl
 * binary's built-in groups.
 */
import { getDiffieHellman } from 'node:crypto';
import { FFDHE_PRIMES } from './ffdhe.js';

export interface DhGroup {
  /** ffdhe2048 ... ffdhe8192, modp768 ... modp8192. */
  name: string;
  bits: number;
  /** Where the prime is defined. */
  source: string;
  /** The NamedGroup code (RFC 7919) of an ffdhe group: a client can ask for it by supported_groups. */
  namedGroup?: number;
}

/** node:crypto's MODP group names (OpenSSL's RFC 2409/3526 constants), with the RFC that defines each. */
const MODP: [nodeName: string, bits: number, source: string][] = [
  ['modp1', 768, 'RFC 2409 §6.1 (Oakley group 1)'],
  ['modp2', 1024, 'RFC 2409 §6.2 (Oakley group 2)'],
  ['modp5', 1536, 'RFC 3526 §2 (MODP group 5)'],
  ['modp14', 2048, 'RFC 3526 §3 (MODP group 14)'],
  ['modp15', 3072, 'RFC 3526 §4 (MODP group 15)'],
  ['modp16', 4096, 'RFC 3526 §5 (MODP group 16)'],
  ['modp17', 6144, 'RFC 3526 §6 (MODP group 17)'],
  ['modp18', 8192, 'RFC 3526 §7 (MODP group 18)'],
];

const FFDHE_NAMES = new Map([[256, 'ffdhe2048'], [257, 'ffdhe3072'], [258, 'ffdhe4096'], [259, 'ffdhe6144'], [260, 'ffdhe8192']]);

let byPrime: Map<string, DhGroup> | undefined;

function table(): Map<string, DhGroup> {
  if (byPrime) return byPrime;
  byPrime = new Map();
  for (const [code, p] of FFDHE_PRIMES) {
    byPrime.set(Buffer.from(p).toString('hex'), { name: FFDHE_NAMES.get(code)!, bits: p.length * 8, source: `RFC 7919 Appendix A`, namedGroup: code });
  }
  for (const [nodeName, bits, source] of MODP) {
    let p: Buffer;
    try { p = getDiffieHellman(nodeName).getPrime(); } catch { continue; } // a Node.js without that group: it stays unnamed
    byPrime.set(p.toString('hex'), { name: `modp${bits}`, bits, source });
  }
  return byPrime;
}

/** The named group whose prime `p` is (leading zero bytes ignored), or undefined for a prime of the server's own. */
export function knownDhGroup(p: Uint8Array): DhGroup | undefined {
  let start = 0;
  while (start < p.length && p[start] === 0) start++;
  return table().get(Buffer.from(p.buffer, p.byteOffset + start, p.length - start).toString('hex'));
}
