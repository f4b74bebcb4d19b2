/**
 * Findings from the scan's HTTPS request (ScanResult.http): the
 * Strict-Transport-Security header missing, invalid, or too short.
 * Nothing is said when the request was not made or got no answer.
 */
import type { Finding, HttpCheck } from '../scan/types.js';
import { HSTS_LONG_SECONDS } from '../http/response.js';
import { finding } from './catalog.js';

export function httpFindings(h: HttpCheck | undefined): Finding[] {
  if (!h || h.status === null) return [];
  const answer = `the answer to GET / (HTTP ${h.status}${h.location ? `, a redirect to ${h.location}` : ''})`;
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

/** Whether the HSTS policy earns an A its plus: valid, at least 180 days. */
export function longHsts(h: HttpCheck | undefined): boolean {
  return !!h?.hsts && h.hsts.invalid === undefined && h.hsts.maxAge !== null && h.hsts.maxAge >= HSTS_LONG_SECONDS;
}
