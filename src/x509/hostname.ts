/**
 * Host-name verification per RFC 6125 (section 6), with the stricter choices
 * modern clients make (CA/Browser Forum Baseline Requirements 7.1.4.2,
 * Chromium, Go crypto/x509):
 *  - dNSName SANs are compared case-insensitively, after IDNs are turned into
 *    A-labels (RFC 5890) and a trailing dot is dropped;
 *  - a wildcard is honoured only as the complete left-most label ("*.a.b"),
 *    matches exactly one label, and never a bare public suffix ("*.com");
 *    partial wildcards ("f*.example.com", "*oo.example.com") and wildcards in
 *    other labels are refused (RFC 6125 6.4.3 lets clients refuse them, and
 *    Chromium and Go do);
 *  - the subject CN is consulted only when the certificate carries no dNSName
 *    SAN (RFC 6125 6.4.4), and such a match is reported as a CN fallback
 *    because Chromium (since 58) and Go (since 1.15) no longer accept it;
 *  - an IP-address target matches only iPAddress SANs (RFC 6125 leaves IPs
 *    out; RFC 5280 4.2.1.6 defines the encoding), never a dNSName or the CN.
 */
import { isIP as netIsIP, isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';
import { escapeControls } from './cert.js';

export interface HostnameSubject {
  dnsNames: string[];
  ipAddresses: string[];
  commonNames: string[];
}

export type HostnameMatch =
  | { ok: true; via: 'san-dns' | 'san-ip' | 'cn'; name: string; cnFallback: boolean; notes: string[] }
  | { ok: false; reason: string; presented: string[]; notes: string[] };

/**
 * net.isIP, without running Node's IPv6 pattern on text that has no colon
 * (every IPv6 address has one): compiling that pattern costs 10-20 ms the
 * first time it runs, which host names and IPv4 addresses need not pay.
 */
function isIP(s: string): number {
  return s.includes(':') ? netIsIP(s) : isIPv4(s) ? 4 : 0;
}

/** Lower-case A-label form of a DNS name, without a trailing dot; null when it is not a valid name. */
export function normaliseHost(host: string): string | null {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (isIP(h)) return normaliseIp(h);
  h = h.replace(/\.$/, '');
  if (!h) return null;
  const ascii = /^[\x21-\x7e]+$/.test(h) ? h.toLowerCase() : domainToASCII(h);
  return ascii ? ascii.toLowerCase() : null;
}

export function normaliseIp(ip: string): string {
  const v = isIP(ip);
  if (v === 4) return ip.split('.').map((p) => String(Number(p))).join('.');
  if (v === 6) return expandIpv6(ip).join(':');
  return ip.toLowerCase();
}

function expandIpv6(ip: string): string[] {
  let s = ip.toLowerCase();
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  // Embedded IPv4 tail.
  const m = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (m) {
    const p = m[1].split('.').map(Number);
    s = s.slice(0, -m[1].length) + ((p[0] << 8) | p[1]).toString(16) + ':' + ((p[2] << 8) | p[3]).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : new Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g || '0', 16).toString(16));
}

/** Does a presented dNSName (possibly a wildcard) match the reference host? Both already normalised. */
export function matchDnsName(presented: string, host: string): { ok: boolean; note?: string } {
  const p = presented.toLowerCase().replace(/\.$/, '');
  if (!p.includes('*')) return { ok: p === host };
  const pl = p.split('.');
  const hl = host.split('.');
  if (pl.slice(1).some((l) => l.includes('*'))) return { ok: false, note: `"${escapeControls(presented)}": a wildcard is only allowed in the left-most label` };
  if (pl[0] !== '*') return { ok: false, note: `"${escapeControls(presented)}": partial wildcards such as "${pl[0]}" are not accepted by modern clients` };
  if (pl.length < 3) return { ok: false, note: `"${escapeControls(presented)}": a wildcard must have at least two labels after it` };
  if (pl.length !== hl.length) {
    if (hl.length > pl.length && hl.slice(-(pl.length - 1)).join('.') === pl.slice(1).join('.')) {
      return { ok: false, note: `"${escapeControls(presented)}" covers exactly one label: it matches x.${pl.slice(1).join('.')} but not ${host}` };
    }
    if (hl.join('.') === pl.slice(1).join('.')) {
      return { ok: false, note: `"${escapeControls(presented)}" does not cover the bare domain ${host}` };
    }
    return { ok: false };
  }
  if (!hl[0]) return { ok: false };
  return { ok: hl.slice(1).join('.') === pl.slice(1).join('.') };
}

export function matchHostname(subject: HostnameSubject, target: string): HostnameMatch {
  const notes: string[] = [];
  const host = normaliseHost(target);
  const presented = [...subject.dnsNames.map((d) => `DNS:${escapeControls(d)}`), ...subject.ipAddresses.map((a) => `IP:${a}`)];
  if (!host) return { ok: false, reason: `"${target}" is not a valid host name`, presented, notes };
  const ipTarget = isIP(target.replace(/^\[|\]$/g, '')) !== 0;
  if (ipTarget) {
    for (const ip of subject.ipAddresses) {
      if (isIP(ip) && normaliseIp(ip) === host) return { ok: true, via: 'san-ip', name: ip, cnFallback: false, notes };
    }
    if (subject.dnsNames.includes(target) || subject.commonNames.includes(target)) {
      notes.push(`${target} appears as a DNS name or CN, but an IP address must be an iPAddress SAN`);
    }
    return {
      ok: false,
      reason: subject.ipAddresses.length
        ? `${target} is not among the certificate's IP addresses (${subject.ipAddresses.join(', ')})`
        : `the certificate has no IP address SAN, so it cannot be used for ${target}`,
      presented, notes,
    };
  }
  for (const d of subject.dnsNames) {
    const n = normaliseHost(d.replace(/^\*\./, 'wildcard.'));
    const pres = n && d.startsWith('*.') ? `*.${n.slice('wildcard.'.length)}` : (n ?? d.toLowerCase());
    const r = matchDnsName(pres, host);
    if (r.note) notes.push(r.note);
    if (r.ok) return { ok: true, via: 'san-dns', name: d, cnFallback: false, notes };
  }
  if (subject.dnsNames.length === 0) {
    for (const cn of subject.commonNames) {
      const n = normaliseHost(cn.replace(/^\*\./, 'wildcard.'));
      const pres = n && cn.startsWith('*.') ? `*.${n.slice('wildcard.'.length)}` : (n ?? cn.toLowerCase());
      const r = matchDnsName(pres, host);
      if (r.ok) return { ok: true, via: 'cn', name: cn, cnFallback: true, notes };
    }
    return {
      ok: false,
      reason: subject.commonNames.length
        ? `the certificate has no DNS name SAN and its CN (${subject.commonNames.map(escapeControls).join(', ')}) does not match ${target}`
        : `the certificate names no host at all (no SAN, no CN)`,
      presented: [...presented, ...subject.commonNames.map((c) => `CN:${escapeControls(c)}`)], notes,
    };
  }
  if (subject.commonNames.some((c) => normaliseHost(c) === host)) {
    notes.push(`${target} appears only in the subject CN, which clients ignore when DNS SANs are present`);
  }
  return { ok: false, reason: `${target} is not among the certificate's names (${subject.dnsNames.map(escapeControls).join(', ')})`, presented, notes };
}
