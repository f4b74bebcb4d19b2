/** The readable HTML page client-test serves at GET / for a client that completed the handshake. */
import type { ClientLogEntry } from './server.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReportHtml(e: ClientLogEntry): string {
  const r = e.report!;
  const ok = r.verdict.compliant;
  const row = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
  const suites = r.cipherSuites.map((s) => {
    const cls = s.grease || s.scsv ? 'muted' : s.strength;
    const label = s.grease ? 'GREASE' : s.scsv ? 'signal' : s.strength;
    return `<tr class="${esc(cls)}"><td><code>${esc(s.code)}</code></td><td>${esc(s.name)}</td><td>${esc(label)}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tlsdoctor client test: ${esc(r.verdict.summary)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem} .verdict{padding:1rem 1.2rem;border-radius:.5rem;font-size:1.2rem;font-weight:600}
.verdict.yes{background:#e3f6e8;border:2px solid #2e8b57}.verdict.no{background:#fdeaea;border:2px solid #c0392b}
table{border-collapse:collapse;width:100%;margin:1rem 0} th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{width:12rem;color:#444} tr.insecure td{color:#b00020;font-weight:600} tr.weak td{color:#a15c00} tr.muted td{color:#888}
tr.recommended td:last-child{color:#2e8b57} code{font-family:ui-monospace,monospace}
</style></head>
<body>
<h1>tlsdoctor client test</h1>
<p class="verdict ${ok ? 'yes' : 'no'}" id="verdict">${esc(r.verdict.summary)}</p>
${r.verdict.reasons.length ? `<ul>${r.verdict.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
<table>
${row('Connected with', esc(`${e.negotiated?.protocol ?? '?'} ${e.negotiated?.cipher ?? ''}`))}
${row('Versions offered', esc(r.versionsOffered.join(', ')))}
${row('Highest version', esc(r.highestVersion))}
${row('legacy_version', esc(r.legacyVersion))}
${row('Groups', esc(r.groups.map((g) => g.name + (g.pq ? ' (post-quantum)' : '')).join(', ') || '(none)'))}
${row('Post-quantum', r.postQuantum ? 'yes' : 'no')}
${row('Key shares', esc(r.keyShareGroups.join(', ') || '(none)'))}
${row('Signature algorithms', esc(r.signatureAlgorithms.join(', ') || '(none)'))}
${row('SNI', esc(r.sni ?? '(none)'))}
${row('ALPN', esc(r.alpn?.join(', ') ?? '(none)'))}
${row('Extensions', esc(r.extensions.map((x) => x.name).join(', ')))}
${row('JA3', `<code>${esc(r.ja3.hash)}</code><br><code>${esc(r.ja3.string)}</code>`)}
${row('JA4', `<code>${esc(r.ja4.ja4)}</code>`)}
</table>
<h2>Cipher suites offered (${r.cipherSuites.length})</h2>
<table><tr><th>Code</th><th>Name</th><th>Strength</th></tr>
${suites}
</table>
${r.notes.map((n) => `<p><em>${esc(n)}</em></p>`).join('\n')}
<p>Machine-readable: <a href="/api/check">/api/check</a></p>
</body></html>
`;
}
