/**
 * Findings from the scan's HTTPS request (ScanResult.http): the
 * Strict-Transport-Security header missing, invalid, or too short; a
 * Public-Key-Pins header, judged against the keys of the chains the server
 * sent; 0-RTT allowed by the TLS 1.3 session ticket its handshake brought.
 * Nothing is said when the request was not made or got no answer.
 */
import type { Finding, HpkpPolicy, HttpCheck, ScanResult } from '../scan/types.js';
import { HSTS_LONG_SECONDS } from '../http/response.js';
import { finding } from './catalog.js';

export function httpFindings(h: HttpCheck | undefined, chainPins: string[] = []): Finding[] {
  if (!h || h.status === null) return [];
  const answer = `the answer to GET / (HTTP ${h.status}${h.location ? `, a redirect to ${h.location}` : ''})`;
  const early = h.tls13?.maxEarlyData ? [finding('protocol.early-data',
    `the TLS 1.3 session ticket the server gave with the HTTPS request's handshake allows ${h.tls13.maxEarlyData} bytes of early data (max_early_data_size, RFC 8446 section 4.6.1): a client that resumes with it may send a request before the handshake completes`,
    { maxEarlyData: h.tls13.maxEarlyData })] : [];
  const compressed = h.contentEncoding ? [finding('http.compression',
    `${answer}, asked with "Accept-Encoding: gzip, deflate, br" as browsers ask, came back with "Content-Encoding: ${h.contentEncoding}": a page that holds a secret (a CSRF token, a session value) and reflects what the request sends lets an attacker who can send requests from the victim's browser and watch the encrypted lengths recover the secret (BREACH, CVE-2013-3587); only / was asked`,
    { contentEncoding: h.contentEncoding, status: h.status })] : [];
  return [...hstsFindings(h, answer), ...(h.hpkp ? [hpkpFinding(h.hpkp, answer, chainPins)] : []), ...early, ...compressed];
}

/**
 * Public-Key-Pins: a header browsers no longer read (low), that still binds
 * a client that does (medium when no pin is a key of the chain the server
 * sent); Report-Only only reports (info).
 */
function hpkpFinding(p: HpkpPolicy, answer: string, chainPins: string[]): Finding {
  const name = p.reportOnly ? 'Public-Key-Pins-Report-Only' : 'Public-Key-Pins';
  const matched = p.pins.filter((pin) => chainPins.includes(pin));
  const evidence = { header: p.header, reportOnly: p.reportOnly, pins: p.pins, matched, ...(p.maxAge !== null ? { maxAge: p.maxAge } : {}) };
  const head = `${answer} carries "${name}: ${p.header}"`;
  if (p.invalid !== undefined) return finding('http.hpkp', `${head}: ${p.invalid}, so even a client that reads HPKP ignores it`, evidence);
  const backup = p.pins.length > matched.length;
  const said = matched.length
    ? `${matched.length} of its ${p.pins.length} pins ${matched.length === 1 ? 'is the key of a certificate' : 'are keys of certificates'} the server sent${backup ? '' : ', and none is a backup pin (RFC 7469 section 4.3: a client ignores a pin set without one)'}`
    : `none of its ${p.pins.length} pins is the key of a certificate the server sent: a client that still honours it refuses the site`;
  const severity = p.reportOnly ? 'info' : matched.length ? 'low' : 'medium';
  return finding('http.hpkp', `${head}: ${said}`, evidence, severity);
}

function hstsFindings(h: HttpCheck, answer: string): Finding[] {
  const evidence = { status: h.status, ...(h.hsts ? { header: h.hsts.header } : {}) };
  if (!h.hsts) return [finding('http.no-hsts', `${answer} carries no Strict-Transport-Security header`, evidence)];
  if (h.hsts.invalid !== undefined || h.hsts.maxAge === null) {
    return [finding('http.hsts-invalid', `${answer} carries "Strict-Transport-Security: ${h.hsts.header}": ${h.hsts.invalid ?? 'no max-age'}`, evidence)];
  }
  if (h.hsts.maxAge === 0) {
    return [finding('http.no-hsts', `${answer} carries "Strict-Transport-Security: ${h.hsts.header}": max-age=0 tells browsers to forget the policy`, evidence)];
  }
  if (h.hsts.maxAge < HSTS_LONG_SECONDS) {
    return [finding('http.hsts-short', `${answer} carries "Strict-Transport-Security: ${h.hsts.header}": max-age ${h.hsts.maxAge} s is ${days(h.hsts.maxAge)}`, { ...evidence, maxAge: h.hsts.maxAge })];
  }
  return [];
}

/** Seconds as days, for a message ("29.5 days", "less than a day"). */
function days(seconds: number): string {
  const d = seconds / 86400;
  return d < 1 ? 'less than a day' : `${Number(d.toFixed(1))} day${d === 1 ? '' : 's'}`;
}

/** The SPKI pins of every certificate the server sent, in each of its chains: what Public-Key-Pins is judged against. */
export function sentKeyPins(r: Pick<Partial<ScanResult>, 'certificates' | 'alternateChains'>): string[] {
  return [...(r.certificates ?? []), ...(r.alternateChains ?? []).flatMap((c) => c.certificates)].map((c) => c.spkiSha256);
}

/** Whether the HSTS policy earns an A its plus: valid, at least 180 days. */
export function longHsts(h: HttpCheck | undefined): boolean {
  return !!h?.hsts && h.hsts.invalid === undefined && h.hsts.maxAge !== null && h.hsts.maxAge >= HSTS_LONG_SECONDS;
}
