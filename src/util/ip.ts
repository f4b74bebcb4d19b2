import { isIP } from 'node:net';

/**
 * The bytes of an IP address in text form: 4 for IPv4, 16 for IPv6 (with
 * "::" and an IPv4 tail such as ::ffff:192.0.2.1). For a SOCKS5 CONNECT
 * (net/proxy.ts) and a certificate's iPAddress (clienttest/selfsigned.ts).
 */
export function ipBytes(text: string): Buffer {
  if (isIP(text) === 4) return Buffer.from(text.split('.').map(Number));
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const words = (part: string | undefined) => (part ? part.split(':') : []).flatMap((w) => {
    if (!w.includes('.')) return [parseInt(w, 16)];
    const [a, b, c, d] = w.split('.').map(Number) as [number, number, number, number];
    return [(a << 8) | b, (c << 8) | d];
  });
  const h = words(head), t = words(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w & 0xffff, i * 2));
  return out;
}
