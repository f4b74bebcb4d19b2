/**
 * A small protocol/cipher probe built on node:tls for the grading tests: for
 * each protocol version and each candidate suite, one real handshake. It
 * yields the ScanResult.protocols a scan would report for the suites listed
 * below (the lead's wire engine covers every suite; this covers what the
 * tests' servers are configured with). Suite properties are IANA registry
 * facts (RFC 5246, RFC 5288, RFC 5289, RFC 8446; 3DES per RFC 5246 app. C).
 */
import tls from 'node:tls';
import type { CipherSuiteResult, ProtocolName, ProtocolResult } from '../../src/scan/types.js';
import { PROTOCOLS } from '../../src/scan/types.js';

type Props = Omit<CipherSuiteResult, 'kxGroup' | 'dhBits'>;
const S = (id: number, name: string, openssl: string, kx: string, auth: string, cipher: string, bits: number, mac: string, strength: CipherSuiteResult['strength']): Props => ({
  id, name, openssl, kx, auth, cipher, bits, mac, aead: mac === 'AEAD', forwardSecrecy: /^(ECDHE|DHE|any)$/.test(kx), export: false, anonymous: false, null: false, strength,
});

export const CANDIDATES: Props[] = [
  S(0x1301, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 'any', 'any', 'AES-128-GCM', 128, 'AEAD', 'recommended'),
  S(0x1302, 'TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384', 'any', 'any', 'AES-256-GCM', 256, 'AEAD', 'recommended'),
  S(0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'any', 'any', 'CHACHA20-POLY1305', 256, 'AEAD', 'recommended'),
  S(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE', 'ECDSA', 'AES-128-GCM', 128, 'AEAD', 'recommended'),
  S(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE', 'ECDSA', 'AES-256-GCM', 256, 'AEAD', 'recommended'),
  S(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE', 'RSA', 'AES-128-GCM', 128, 'AEAD', 'recommended'),
  S(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE', 'RSA', 'AES-256-GCM', 256, 'AEAD', 'recommended'),
  S(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE', 'ECDSA', 'AES-128-CBC', 128, 'SHA1', 'weak'),
  S(0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE', 'RSA', 'AES-128-CBC', 128, 'SHA1', 'weak'),
  S(0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'DHE', 'RSA', 'AES-128-GCM', 128, 'AEAD', 'secure'),
  S(0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256', 'RSA', 'RSA', 'AES-128-GCM', 128, 'AEAD', 'weak'),
  S(0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA', 'RSA', 'RSA', 'AES-128-CBC', 128, 'SHA1', 'weak'),
  S(0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA', 'RSA', 'RSA', 'AES-256-CBC', 256, 'SHA1', 'weak'),
];

const VERSIONS: Partial<Record<ProtocolName, tls.SecureVersion>> = { 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

function attempt(host: string, port: number, servername: string | undefined, version: tls.SecureVersion, cipher: string): Promise<{ ok: boolean; eph?: tls.EphemeralKeyInfo | object }> {
  return new Promise((resolve) => {
    const tls13 = version === 'TLSv1.3';
    let sock: tls.TLSSocket;
    try {
      sock = tls.connect({
        host, port, servername, rejectUnauthorized: false, minVersion: version, maxVersion: version,
        ciphers: tls13 ? cipher : `${cipher}:@SECLEVEL=0`,
      });
    } catch {
      resolve({ ok: false }); // this Node/OpenSSL build cannot offer the suite
      return;
    }
    const timer = setTimeout(() => { sock.destroy(); resolve({ ok: false }); }, 5000);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      const eph = sock.getEphemeralKeyInfo();
      const ok = sock.getCipher()?.name === cipher || sock.getCipher()?.standardName === cipher;
      sock.destroy();
      resolve({ ok, eph: eph ?? undefined });
    });
    sock.once('error', () => { clearTimeout(timer); sock.destroy(); resolve({ ok: false }); });
  });
}

/** ScanResult.protocols for a server, from real handshakes with each candidate suite. */
export async function probeProtocols(host: string, port: number, servername?: string): Promise<ProtocolResult[]> {
  const out: ProtocolResult[] = [];
  for (const v of PROTOCOLS) {
    const nv = VERSIONS[v];
    if (!nv) { out.push({ version: v, supported: false, serverPreference: null, cipherSuites: [] }); continue; }
    const cands = CANDIDATES.filter((c) => (v === 'TLSv1.3') === (c.kx === 'any') && (v === 'TLSv1.2' || v === 'TLSv1.3' || c.mac !== 'AEAD'));
    const suites: CipherSuiteResult[] = [];
    for (const c of cands) {
      const r = await attempt(host, port, servername, nv, c.openssl!);
      if (!r.ok) continue;
      const e = r.eph as { type?: string; name?: string; size?: number } | undefined;
      const s: CipherSuiteResult = { ...c };
      if (e?.type === 'DH') s.dhBits = e.size;
      if (e?.type === 'ECDH' && e.name) s.kxGroup = e.name;
      suites.push(s);
    }
    out.push({ version: v, supported: suites.length > 0, serverPreference: null, cipherSuites: suites });
  }
  return out;
}
