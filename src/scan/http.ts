/**
 * The scan's HTTPS request (net/https-head.ts): what the server's web side
 * says about TLS, its Strict-Transport-Security header above all (RFC 6797:
 * a browser that saw it never again connects to the name without TLS).
 */
import type { Endpoint } from '../net/target.js';
import { fetchHttpsHead } from '../net/https-head.js';
import { field, parseHpkp, parseHsts } from '../http/response.js';
import { errorMessage } from '../util/errors.js';
import { sessionFacts } from '../net/openssl-session.js';
import type { HttpCheck, Tls13Tickets } from './types.js';

/**
 * The TLS 1.3 session the request's handshake got: a server that issues tickets sends its
 * NewSessionTicket right after the handshake, before any answer, so an answer without one
 * means none was issued.
 */
function tls13Session(session: Buffer | null): Tls13Tickets {
  if (!session) return { tickets: false };
  const f = sessionFacts(session);
  return {
    tickets: true,
    ...(f.lifetimeSeconds !== undefined ? { lifetimeSeconds: f.lifetimeSeconds } : {}),
    maxEarlyData: f.maxEarlyData ?? 0,
  };
}

/** Ports where HTTPS is the rule: asked without waiting for the server to name HTTP by ALPN. */
export const HTTPS_PORTS: readonly number[] = [443, 4443, 8443, 9443];

/** `GET /` over TLS: the status, Location and Server, and the first Strict-Transport-Security header; a failure in `error`. */
export async function checkHttp(ep: Endpoint, timeoutMs: number): Promise<HttpCheck> {
  try {
    const { head, protocol, session } = await fetchHttpsHead({
      host: ep.address, port: ep.port, servername: ep.sni ?? undefined, hostHeader: ep.sni ?? ep.host, timeoutMs, proxy: ep.proxy,
    });
    const sts = field(head, 'strict-transport-security');
    const location = head.status >= 300 && head.status < 400 ? field(head, 'location') : undefined;
    const server = field(head, 'server');
    const encoding = field(head, 'content-encoding')?.trim().toLowerCase();
    const pkp = field(head, 'public-key-pins');
    const pkpReport = pkp === undefined ? field(head, 'public-key-pins-report-only') : undefined;
    const hpkp = pkp !== undefined ? parseHpkp(pkp) : pkpReport !== undefined ? parseHpkp(pkpReport, true) : undefined;
    return {
      status: head.status,
      ...(location !== undefined ? { location } : {}),
      ...(server ? { server } : {}),
      ...(encoding && encoding !== 'identity' ? { contentEncoding: encoding } : {}),
      hsts: sts === undefined ? null : parseHsts(sts),
      ...(hpkp ? { hpkp } : {}),
      ...(protocol === 'TLSv1.3' ? { tls13: tls13Session(session) } : {}),
    };
  } catch (e) {
    return { status: null, hsts: null, error: errorMessage(e) };
  }
}
