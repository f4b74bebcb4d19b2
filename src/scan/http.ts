/**
 * The scan's HTTPS request (net/https-head.ts): what the server's web side
 * says about TLS, its Strict-Transport-Security header above all (RFC 6797:
 * a browser that saw it never again connects to the name without TLS).
 */
import type { Endpoint } from '../net/target.js';
import { fetchHttpsHead } from '../net/https-head.js';
import { field, parseHpkp, parseHsts } from '../http/response.js';
import { errorMessage } from '../util/errors.js';
import type { HttpCheck } from './types.js';

/** Ports where HTTPS is the rule: asked without waiting for the server to name HTTP by ALPN. */
export const HTTPS_PORTS: readonly number[] = [443, 4443, 8443, 9443];

/** `GET /` over TLS: the status, Location and Server, and the first Strict-Transport-Security header; a failure in `error`. */
export async function checkHttp(ep: Endpoint, timeoutMs: number): Promise<HttpCheck> {
  try {
    const head = await fetchHttpsHead({
      host: ep.address, port: ep.port, servername: ep.sni ?? undefined, hostHeader: ep.sni ?? ep.host, timeoutMs, proxy: ep.proxy,
    });
    const sts = field(head, 'strict-transport-security');
    const location = head.status >= 300 && head.status < 400 ? field(head, 'location') : undefined;
    const server = field(head, 'server');
    const pkp = field(head, 'public-key-pins');
    const pkpReport = pkp === undefined ? field(head, 'public-key-pins-report-only') : undefined;
    const hpkp = pkp !== undefined ? parseHpkp(pkp) : pkpReport !== undefined ? parseHpkp(pkpReport, true) : undefined;
    return {
      status: head.status,
      ...(location !== undefined ? { location } : {}),
      ...(server ? { server } : {}),
      hsts: sts === undefined ? null : parseHsts(sts),
      ...(hpkp ? { hpkp } : {}),
    };
  } catch (e) {
    return { status: null, hsts: null, error: errorMessage(e) };
  }
}
