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
 * The MODP primes are built below from pi; the ffdhe primes come from
 * ./ffdhe.ts. tests/wire/dh-groups.test.ts compares both with the openssl
 * binary's built-in groups and the RFC 2409 ones with the RFC's formula.
 */
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

/**
 * The MODP primes of RFC 2409 §6.1-6.2 and RFC 3526 §2-7: each is
 * 2^b - 2^(b-64) - 1 + 2^64 * (floor(2^(b-130) * pi) + k) for the RFC's k, so that they share
 * their leading digits, pi's: floor(2^(b-130) * pi) is the first b - 128 bits of pi, the first
 * (b - 128) / 4 hex digits of PI_HEX (8064 bits, enough for the largest, 8192). Built on first
 * use (BigInt, microseconds), not taken from node:crypto's copies (getDiffieHellman('modp1') ...
 * 'modp18'), whose 768- and 1024-bit ones cost 50 ms of CPU here, in the middle of a scan.
 * tests/wire/dh-groups.test.ts checks them against openssl's built-in groups and the 768- and
 * 1024-bit ones against the formula with pi computed there.
 */
const PI_HEX = `
  C90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22
  514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245
  E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5
  AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A
  69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D
  670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E8603
  9B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE5
  15D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64
  ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D7
  1E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64
  521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB31
  43DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D788719A10BDBA5B26
  99C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8DBBBC2DB04DE8EF9
  2E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2233BA186515BE7ED
  1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA993B4EA988D8FDDC1
  86FFB7DC90A6C08F4DF435C93402849236C3FAB4D27C7026C1D4DCB2602646DE
  C9751E763DBA37BDF8FF9406AD9E530EE5DB382F413001AEB06A53ED9027D831
  179727B0865A8918DA3EDBEBCF9B14ED44CE6CBACED4BB1BDB7F1447E6CC254B
  332051512BD7AF426FB8F401378CD2BF5983CA01C64B92ECF032EA15D1721D03
  F482D7CE6E74FEF6D55E702F46980C82B5A84031900B1C9E59E7C97FBEC7E8F3
  23A97A7E36CC88BE0F1D45B7FF585AC54BD407B22B4154AACC8F6D7EBF48E1D8
  14CC5ED20F8037E0A79715EEF29BE32806A1D58BB7C5DA76F550AA3D8A1FBFF0
  EB19CCB1A313D55CDA56C9EC2EF29632387FE8D76E3C0468043E8F663F4860EE
  12BF2D5B0B7474D6E694F91E6DBE115974A3926F12FEE5E438777CB6A932DF8C
  D8BEC4D073B931BA3BC832B68D9DD300741FA7BF8AFC47ED2576F6936BA42466
  3AAB639C5AE4F5683423B4742BF1C978238F16CBE39D652DE3FDB8BEFC848AD9
  22222E04A4037C0713EB57A81A23F0C73473FC646CEA306B4BCBC8862F8385DD
  FA9D4B7FA2C087E879683303ED5BDD3A062B3CF5B3A278A66D2A13F83F44F82D
  DF310EE074AB6A364597E899A0255DC164F31CC50846851DF9AB48195DED7EA1
  B1D510BD7EE74D73FAF36BC31ECFA268359046F4EB879F924009438B481C6CD7
  889A002ED5EE382BC9190DA6FC026E479558E4475677E9AA9E3050E2765694DF
  C81F56E880B96E7160C980DD98A573EA
`.replace(/\s+/g, '');

/** The RFC's k for each MODP size. */
const MODP_K: [bits: number, k: bigint][] = [
  [768, 149686n], [1024, 129093n], [1536, 741804n], [2048, 124476n], [3072, 1690314n], [4096, 240904n], [6144, 929484n], [8192, 4743158n],
];

/** The MODP prime of `bits` bits, big-endian lowercase hex. */
function modpPrime(bits: number, k: bigint): string {
  const b = BigInt(bits);
  const piBits = BigInt(`0x${PI_HEX.slice(0, (bits - 128) / 4)}`);
  return ((1n << b) - (1n << (b - 64n)) - 1n + (1n << 64n) * (piBits + k)).toString(16);
}

/** Where each MODP prime is defined. */
const MODP_SOURCE = new Map([
  [768, 'RFC 2409 §6.1 (Oakley group 1)'], [1024, 'RFC 2409 §6.2 (Oakley group 2)'], [1536, 'RFC 3526 §2 (MODP group 5)'],
  [2048, 'RFC 3526 §3 (MODP group 14)'], [3072, 'RFC 3526 §4 (MODP group 15)'], [4096, 'RFC 3526 §5 (MODP group 16)'],
  [6144, 'RFC 3526 §6 (MODP group 17)'], [8192, 'RFC 3526 §7 (MODP group 18)'],
]);

const FFDHE_NAMES = new Map([[256, 'ffdhe2048'], [257, 'ffdhe3072'], [258, 'ffdhe4096'], [259, 'ffdhe6144'], [260, 'ffdhe8192']]);

let byPrime: Map<string, DhGroup> | undefined;

function table(): Map<string, DhGroup> {
  if (byPrime) return byPrime;
  byPrime = new Map();
  for (const [code, p] of FFDHE_PRIMES) {
    byPrime.set(Buffer.from(p).toString('hex'), { name: FFDHE_NAMES.get(code)!, bits: p.length * 8, source: `RFC 7919 Appendix A`, namedGroup: code });
  }
  for (const [bits, k] of MODP_K) byPrime.set(modpPrime(bits, k), { name: `modp${bits}`, bits, source: MODP_SOURCE.get(bits)! });
  return byPrime;
}

/** The named group whose prime `p` is (leading zero bytes ignored), or undefined for a prime of the server's own. */
export function knownDhGroup(p: Uint8Array): DhGroup | undefined {
  let start = 0;
  while (start < p.length && p[start] === 0) start++;
  return table().get(Buffer.from(p.buffer, p.byteOffset + start, p.length - start).toString('hex'));
}
