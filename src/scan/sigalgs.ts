import type { ScanContext } from './context.js';
import type { ProtocolName, ProtocolResult, SignatureAlgorithmsResult, SignatureSchemeResult } from './types.js';
import { pickedSuite } from './ciphers.js';
import { SIGNATURE_SCHEMES, sigSchemeByCode, sigSchemeLabel, type SignatureSchemeInfo } from '../registry/sigschemes.js';
import { suiteByCode } from '../registry/ciphers.js';
import { parseServerKeyExchange } from '../wire/server-key-exchange.js';
import { readTls13ChainAsSent, Tls13ChainError, type Tls13ChainOptions } from '../net/tls13-chain.js';
import { errorMessage } from '../util/errors.js';

/**
 * The signature algorithms a server signs its handshake with (`scan
 * --sigalgs`), as sslscan's --show-sigs and testssl.sh ask them: each
 * scheme that fits one of the server's keys is offered alone, in a hello of
 * its own.
 * - TLS 1.2: the signature_algorithms extension (RFC 5246 §7.4.1.4.1) holds
 *   that one scheme, beside the ECDHE and DHE suites the server accepts with
 *   that key's authentication; the ServerKeyExchange says what the server
 *   signed with (a static RSA key exchange signs nothing, so a server with
 *   no ECDHE or DHE suite cannot be asked).
 * - TLS 1.3: our own handshake (net/tls13-chain.ts) read as far as the
 *   server's CertificateVerify (RFC 8446 §4.4.3), which names the scheme.
 * A handshake_failure (or any alert) is a refusal. A server that signs with
 * a scheme it was not offered ignores the client's list: that is reported
 * (`ignoresClientList`), and the scheme it used is not counted as accepted.
 * TLS 1.1 and older sign with MD5+SHA-1 (RSA) or SHA-1 (ECDSA, DSA) whatever
 * the client says: nothing to ask.
 */

/** The signature families that a certificate key of each type can sign with. */
const FAMILIES: Record<string, string[]> = {
  RSA: ['rsa_pkcs1', 'rsa_pss_rsae', 'rsa_pss_pss'],
  EC: ['ecdsa'],
  Ed25519: ['ed25519'],
  Ed448: ['ed448'],
  DSA: ['dsa'],
};

/** The TLS <= 1.2 suite authentication that goes with each signature family. */
const AUTH_OF: Record<string, string> = {
  rsa_pkcs1: 'RSA', rsa_pss_rsae: 'RSA', rsa_pss_pss: 'RSA', ecdsa: 'ECDSA', ed25519: 'ECDSA', ed448: 'ECDSA', dsa: 'DSS',
};

/** The schemes worth offering at a version to a server with keys of these types, ascending by code. */
export function candidateSchemes(version: 'TLSv1.2' | 'TLSv1.3', keyTypes: Iterable<string>): SignatureSchemeInfo[] {
  const families = new Set([...keyTypes].flatMap((k) => FAMILIES[k] ?? []));
  return SIGNATURE_SCHEMES.filter((s) => families.has(s.sig) && (version === 'TLSv1.2' ? s.tls12 : s.tls13)
    // draft-ietf-tls-tls13-pkcs1's *_legacy codes are for client certificates only.
    && !s.name.endsWith('_legacy'));
}

function schemeResult(code: number): SignatureSchemeResult {
  const s = sigSchemeByCode(code);
  return { code, name: sigSchemeLabel(code), hash: s?.hash ?? 'unknown', weak: s?.weak ?? false };
}

type Answer = { kind: 'accepted' } | { kind: 'refused' } | { kind: 'other'; used: number } | { kind: 'unknown'; why: string };

export interface SigAlgsInput {
  protocols: Map<ProtocolName, ProtocolResult>;
  /** Key types of the server's certificates ('RSA', 'EC', 'Ed25519', 'Ed448', 'DSA'). */
  keyTypes: string[];
  /** For the TLS 1.3 handshakes: where and how to connect. */
  chainOptions: Tls13ChainOptions;
}

export async function scanSignatureAlgorithms(ctx: ScanContext, input: SigAlgsInput): Promise<SignatureAlgorithmsResult[]> {
  const out: Promise<SignatureAlgorithmsResult>[] = [];
  if (input.protocols.get('TLSv1.2')?.supported) out.push(tls12(ctx, input));
  if (input.protocols.get('TLSv1.3')?.supported) out.push(tls13(ctx, input));
  return Promise.all(out);
}

function summarise(version: 'TLSv1.2' | 'TLSv1.3', asked: { scheme: SignatureSchemeInfo; answer: Answer }[], notes: string[]): SignatureAlgorithmsResult {
  const ignored = asked.filter((a) => a.answer.kind === 'other');
  const unknown = asked.filter((a) => a.answer.kind === 'unknown');
  if (ignored.length) {
    notes.push(`offered alone, ${ignored.map((a) => `${a.scheme.name} was answered with ${sigSchemeLabel((a.answer as { used: number }).used)}`).join(', ')}: the server does not keep to the client's list`);
  }
  if (unknown.length) notes.push(`not answered for ${unknown.map((a) => `${a.scheme.name} (${(a.answer as { why: string }).why})`).join(', ')}`);
  return {
    version,
    accepted: asked.filter((a) => a.answer.kind === 'accepted').map((a) => schemeResult(a.scheme.code)),
    tested: asked.map((a) => a.scheme.code),
    ignoresClientList: ignored.length > 0,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

async function tls12(ctx: ScanContext, input: SigAlgsInput): Promise<SignatureAlgorithmsResult> {
  const suites = input.protocols.get('TLSv1.2')!.cipherSuites.map((c) => suiteByCode(c.id)).filter((s) => s && (s.kx === 'ECDHE' || s.kx === 'DHE'));
  const notes: string[] = [];
  const asked = await Promise.all(candidateSchemes('TLSv1.2', input.keyTypes).flatMap((scheme) => {
    const offered = suites.filter((s) => s!.auth === AUTH_OF[scheme.sig]).map((s) => s!.code);
    if (!offered.length) return [];
    return [ctx.probe('sigalgs:TLSv1.2', ctx.hello({ version: 'TLSv1.2', suites: offered, sni: ctx.ep.sni, signatureAlgorithms: [scheme.code] }), 'serverHelloDone')
      .then((o): { scheme: SignatureSchemeInfo; answer: Answer } => {
        const suite = pickedSuite(o, 'TLSv1.2');
        if (suite === null) {
          return { scheme, answer: o.kind === 'failed' && o.code !== 'closed' && o.code !== 'reset' ? { kind: 'unknown', why: o.message } : { kind: 'refused' } };
        }
        const ske = o.kind === 'hello' ? o.serverKeyExchange : undefined;
        const kx = suiteByCode(suite)?.kx;
        if (!ske || (kx !== 'ECDHE' && kx !== 'DHE')) return { scheme, answer: { kind: 'unknown', why: 'no ServerKeyExchange' } };
        try {
          const parsed = parseServerKeyExchange(ske, kx, { version: 0x0303 });
          const used = 'signature' in parsed ? parsed.signature?.algorithm : undefined;
          if (used === undefined) return { scheme, answer: { kind: 'unknown', why: 'unsigned ServerKeyExchange' } };
          return { scheme, answer: used === scheme.code ? { kind: 'accepted' } : { kind: 'other', used } };
        } catch (e) {
          return { scheme, answer: { kind: 'unknown', why: `malformed ServerKeyExchange: ${errorMessage(e)}` } };
        }
      })];
  }));
  if (!asked.length) notes.push('not asked: no ECDHE or DHE suite at TLS 1.2 (a static RSA key exchange signs nothing)');
  return summarise('TLSv1.2', asked, notes);
}

async function tls13(ctx: ScanContext, input: SigAlgsInput): Promise<SignatureAlgorithmsResult> {
  const asked = await Promise.all(candidateSchemes('TLSv1.3', input.keyTypes).map((scheme) =>
    ctx.ownHandshake('sigalgs:TLSv1.3', () => readTls13ChainAsSent({ ...input.chainOptions, signatureAlgorithms: [scheme.code], readCertificateVerify: true })
      .then((r): Answer => (r.certificateVerifyScheme === scheme.code ? { kind: 'accepted' } : r.certificateVerifyScheme === undefined
        ? { kind: 'unknown', why: 'no CertificateVerify' } : { kind: 'other', used: r.certificateVerifyScheme }),
      (e: unknown): Answer => (e instanceof Tls13ChainError && (e.code === 'alert' || e.code === 'closed') ? { kind: 'refused' } : { kind: 'unknown', why: errorMessage(e) })),
    (a) => `${scheme.name}: ${a.kind}`)
      .then((answer) => ({ scheme, answer }))));
  return summarise('TLSv1.3', asked, []);
}
