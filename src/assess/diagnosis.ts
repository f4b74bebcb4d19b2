/**
 * The answer `tlsdoctor diagnose` gives for one endpoint: a verdict (the
 * primary cause, in one sentence), the live causes, a numbered fix, and —
 * with --error — what the user's error text points to and whether the live
 * server confirms it. Pure: no I/O.
 */
import type { Finding } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { CAUSES, recogniseError, causesOf, type Cause, type RecognisedError } from './error-texts.js';
import { judgedRoot } from './root-stores.js';
import { rootHistory } from '../registry/root-stores.js';
import { SEVERITY_RANK } from './catalog.js';

/** Which finding decides the verdict when several are present (first wins). */
export const VERDICT_PRIORITY = [
  'handshake.not-tls', 'handshake.sni-required', 'handshake.client-certificate-required', 'handshake.client-certificate-rejected', 'handshake.failed', 'protocol.no-secure-renegotiation',
  'certificate.tls-interception', 'certificate.revoked', 'certificate.revoked-or-unknown', 'certificate.self-signed', 'certificate.incomplete-chain', 'certificate.untrusted-root',
  'certificate.invalid-signature', 'certificate.expired', 'certificate.not-yet-valid', 'certificate.hostname-mismatch',
  'certificate.not-server-auth', 'certificate.weak-signature', 'certificate.weak-key', 'certificate.hostname-cn-fallback',
  'certificate.must-staple-missing', 'certificate.revocation-unreachable', 'certificate.no-revocation-info', 'certificate.expires-soon',
];

export interface ErrorTextAnalysis {
  text: string;
  recognised: RecognisedError[];
  causes: Cause[];
  /** Causes of the text that the live server shows now. */
  confirmed: Cause[];
  /** One-line conclusion. */
  conclusion: string;
}

export interface Diagnosis {
  ok: boolean;
  verdict: string;
  primary: Finding | null;
  /** Causes present on the live server. */
  liveCauses: Cause[];
  steps: string[];
  errorText: ErrorTextAnalysis | null;
}

/** A finding is a problem (exit 1) from medium severity up. */
export function isProblem(f: Finding): boolean {
  return SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium;
}

/** The causes the live findings show: problems only (medium and up), or with `all` every finding. */
export function liveCausesOf(findings: Finding[], all = false): Cause[] {
  const ids = new Set(findings.filter((f) => all || isProblem(f)).map((f) => f.id));
  const out: Cause[] = [];
  for (const [cause, info] of Object.entries(CAUSES) as [Cause, typeof CAUSES[Cause]][]) {
    if (info.findings.some((id) => ids.has(id))) out.push(cause);
  }
  // A failed handshake is either a protocol or a cipher mismatch; revoked needs the revoked status.
  return out;
}

export function pickPrimary(findings: Finding[]): Finding | null {
  const problems = findings.filter(isProblem);
  for (const id of VERDICT_PRIORITY) {
    const f = problems.find((x) => x.id === id);
    if (f) return f;
  }
  return [...problems].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0] ?? null;
}

export function verdictOf(f: Finding | null, host: string, trust: TrustReport | null): string {
  if (!f) {
    const by = trust?.trustedBy.length ? ` by ${trust.stores.filter((s) => s.trusted).map((s) => s.label).join(', ')}` : '';
    return `no certificate problem: the chain is trusted${by} and the name ${host} is on the certificate`;
  }
  switch (f.id) {
    case 'certificate.hostname-mismatch': return f.detail.split('. ')[0];
    case 'certificate.expired': return `the certificate has expired: ${f.detail}`;
    case 'certificate.not-yet-valid': return `the certificate is not valid yet: ${f.detail}`;
    case 'certificate.self-signed': return `the certificate is self-signed: ${f.detail}`;
    case 'certificate.untrusted-root': return `the certificate's root CA is not trusted: ${f.detail}`;
    case 'certificate.incomplete-chain': return `the server does not send its intermediate certificate: ${f.detail}`;
    default: return `${f.title.charAt(0).toLowerCase()}${f.title.slice(1)}: ${f.detail}`;
  }
}

export function stepsFor(f: Finding | null, t: TrustReport | null, ctx: { url: string; savedTrustFile?: string | null }): string[] {
  if (!f) return [];
  const rerun = `Run \`tlsdoctor diagnose ${ctx.url}\` again to confirm the fix.`;
  const names = t?.certificates[0]?.subjectAltNames.map((n) => n.replace(/^(DNS|IP):/, '')).join(', ') || t?.certificates[0]?.subject || '';
  const trustFile = ctx.savedTrustFile;
  const saveHint = trustFile ? `the file ${trustFile}` : `the root certificate (write it with \`tlsdoctor diagnose ${ctx.url} --save-chain DIR\`)`;
  switch (f.id) {
    case 'certificate.hostname-mismatch':
      return [
        `Compare the names: the client asks for ${t?.host}; the certificate covers ${names || 'no name'}.`,
        `If the client uses the wrong name, change its URL to one of: ${names || '(none)'}.`,
        `Otherwise install a certificate whose subjectAltName includes ${t?.host} (a wildcard covers exactly one label: *.${t?.host.split('.').slice(1).join('.')} covers ${t?.host}).`,
        'If the server hosts several names, check that SNI selects this certificate: nginx `server_name` + `ssl_certificate` in the same server block; Apache `ServerName`/`ServerAlias` + `SSLCertificateFile` in the same <VirtualHost>; IIS: the https binding for this host name with "Require Server Name Indication".',
        'Reload the server (nginx -s reload, apachectl graceful, iisreset).',
        rerun,
      ];
    case 'certificate.expired':
    case 'certificate.expires-soon':
      return [
        'Renew the certificate with your CA (ACME: `certbot renew`), for the same names.',
        'Install the new certificate and its intermediates: nginx `ssl_certificate` (full chain file) + `ssl_certificate_key`; Apache `SSLCertificateFile`/`SSLCertificateKeyFile`; IIS: import it and select it in the site\'s https binding.',
        'Reload the server, and automate renewal so it does not happen again.',
        rerun,
      ];
    case 'certificate.not-yet-valid':
      return [
        'Check the clock of the client and of the server (timedatectl / w32tm /query /status); fix NTP if either is wrong.',
        'If the clocks are right, install a certificate whose validity has started.',
        rerun,
      ];
    case 'certificate.self-signed':
      return [
        'Decide: a public certificate (recommended for anything clients outside your control call) or trusting this self-signed certificate on every client.',
        'Public: get a certificate from a public CA (e.g. ACME/Let\'s Encrypt) and install it with its intermediates.',
        `Private: add ${trustFile ? `the file ${trustFile}` : `the server's certificate (write it with \`tlsdoctor diagnose ${ctx.url} --save-chain DIR\`)`} to each client's trust store (Windows certlm.msc / Import-Certificate, Java keytool -importcert, Debian update-ca-certificates, Node NODE_EXTRA_CA_CERTS, Python SSL_CERT_FILE).`,
        `Check with \`tlsdoctor diagnose ${ctx.url} --ca-file <that file>\`: the verdict must become "no certificate problem".`,
      ];
    case 'certificate.untrusted-root':
      return [
        `Find out who runs the root CA (${(f.evidence as { root?: string } | undefined)?.root ?? 'see the evidence'}). If it is your organisation's private CA, the clients must trust it; if the server should be public, install a certificate from a public CA instead.`,
        `Add ${saveHint} to each client's trust store (Windows certlm.msc / Import-Certificate, Java keytool -importcert, Debian update-ca-certificates, Node NODE_EXTRA_CA_CERTS, Python SSL_CERT_FILE).`,
        `Check with \`tlsdoctor diagnose ${ctx.url} --ca-file <root file>\`: the verdict must become "no certificate problem".`,
      ];
    case 'certificate.incomplete-chain':
      return [
        `Get the missing intermediate (${t?.missingIssuer ?? 'see the evidence'}) from your CA's download page${t?.path[0]?.caIssuers[0] ? ` or from the certificate's AIA URL ${t.path[0].caIssuers[0]}` : ''}; \`tlsdoctor diagnose ${ctx.url} --fetch-intermediates --save-chain DIR\` downloads it and writes DIR/fullchain.pem.`,
        'Build the chain file leaf first, then the intermediate(s): `cat leaf.pem intermediate-1.pem > fullchain.pem`.',
        'Point the server at it: nginx `ssl_certificate /path/fullchain.pem;`; Apache 2.4.8+ `SSLCertificateFile /path/fullchain.pem` (older: `SSLCertificateChainFile /path/intermediate-1.pem`); IIS: import the intermediate into "Intermediate Certification Authorities" of the computer account.',
        'Reload the server. Do not "fix" this on the clients: browsers hide it, but Java, Python, Node.js, curl and Go will keep failing.',
        rerun,
      ];
    case 'handshake.client-certificate-required':
    case 'handshake.client-certificate-rejected':
      return [
        ...f.resolution.split(/(?<=\.)\s+(?=[A-Z])/),
        `Run \`tlsdoctor diagnose ${ctx.url} --cert client.crt --key client.key\` with the certificate to see whether the server accepts it.`,
      ];
    case 'protocol.no-secure-renegotiation':
      return [
        'Update the server\'s TLS stack, or the load balancer or appliance in front of it, to one that supports RFC 5746 secure renegotiation: every TLS library maintained since 2010 does. Enabling TLS 1.3 there also avoids the check for clients that speak it.',
        'Until then, only as a stopgap on an OpenSSL 3 client: Node.js `secureOptions: crypto.constants.SSL_OP_LEGACY_SERVER_CONNECT`; Python `ctx.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)`; curl and other OpenSSL 3 programs: an OPENSSL_CONF file with `Options = UnsafeLegacyServerConnect` in its [system_default] section (`openssl s_client -legacy_server_connect`).',
        rerun,
      ];
    case 'handshake.failed':
    case 'handshake.not-tls':
      return f.resolution.split(/(?<=\.)\s+(?=[A-Z])/).concat([`Run \`tlsdoctor scan ${ctx.url.replace(/^https:\/\//, '')}\` to list every protocol and cipher suite the server accepts.`]);
    default:
      return [f.resolution, rerun];
  }
}

/** `live`: the causes the server's problems show; `shown`: those any finding shows, which confirm the text. */
export function analyseErrorText(text: string, live: Cause[], shown: Cause[] = live): ErrorTextAnalysis {
  const recognised = recogniseError(text);
  const causes = causesOf(text);
  const confirmed = causes.filter((c) => shown.includes(c));
  let conclusion: string;
  if (recognised.length === 0) conclusion = 'this error text is not one tlsdoctor knows; the live findings above are what the server shows now';
  else if (confirmed.length) conclusion = `the live server confirms it: ${confirmed.map((c) => CAUSES[c].title).join('; ')}`;
  else if (live.length) conclusion = `the live server does not show ${causes.length > 1 ? 'any of these causes' : 'this cause'} right now; it shows: ${live.map((c) => CAUSES[c].title).join('; ')}`;
  else conclusion = 'the live server does not show this problem now: check that the client calls the same URL, through the same proxy, with the same trust store (and whether the server was already fixed)';
  return { text, recognised, causes, confirmed, conclusion };
}

export function diagnose(findings: Finding[], t: TrustReport | null, ctx: { url: string; host: string; errorText?: string; savedTrustFile?: string | null }): Diagnosis {
  const primary = pickPrimary(findings);
  const liveCauses = liveCausesOf(findings);
  return {
    ok: primary === null,
    verdict: verdictOf(primary, ctx.host, t),
    primary,
    liveCauses,
    steps: stepsFor(primary, t, ctx),
    // A client's error is confirmed by a finding of any severity: one that is low for most clients
    // (a certificate naming no revocation server) is the cause for the client that requires a check.
    errorText: ctx.errorText !== undefined ? withRuntimeStore(analyseErrorText(ctx.errorText, liveCauses, liveCausesOf(findings, true)), t) : null,
  };
}

/**
 * A Java or Android "no trusted root" error against a chain that is publicly trusted today and
 * shows no cause: an older release of that runtime lacks the root (registry/root-stores.ts).
 */
function withRuntimeStore(a: ErrorTextAnalysis, t: TrustReport | null): ErrorTextAnalysis {
  const root = judgedRoot(t);
  if (!root || a.confirmed.length) return a;
  const families = [...new Set(a.recognised.filter((r) => r.causes.includes('untrusted-root') && (r.runtime === 'Java' || r.runtime === 'Android'))
    .map((r) => (r.runtime === 'Java' ? 'java' : 'android') as 'java' | 'android'))];
  if (!families.length) return a;
  const history = families.map((f) => rootHistory(f, root)).join('; ');
  return {
    ...a,
    conclusion: `${a.conclusion}. The chain ends at ${root.name}, a public root: ${history}. A client on an older release has no such root and fails with this very error: update it, or add the root to its trust store (\`--save-chain DIR\` writes root.pem)`,
  };
}
