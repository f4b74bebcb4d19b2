/**
 * Certificate findings from a TrustReport (src/x509/trust.ts).
 */
import type { CertificateInfo, Finding, ServerFeatures } from '../scan/types.js';
import { distinctLogs, sctsRequired, withStapledScts, CT_POLICY_SOURCE } from '../x509/sct.js';
import type { TrustReport, PathCertificate } from '../x509/trust.js';
import { EKU } from '../x509/oids.js';
import { finding } from './catalog.js';
import { interceptionProduct } from '../registry/interception.js';

export interface CertificateCheckOptions {
  now?: Date;
  /** Warn when a certificate expires within this many days (default 30). */
  expiresSoonDays?: number;
}

const DAY = 86_400_000;

function who(c: PathCertificate): string {
  const role = c.sentIndex === 0 ? 'the leaf certificate' : c.source === 'store' ? 'the trusted root' : c.source === 'aia' ? 'the downloaded intermediate' : `certificate #${c.sentIndex}`;
  return `${role} (${c.info.subject})`;
}

function ev(c: PathCertificate): Record<string, unknown> {
  return { index: c.sentIndex, source: c.source, subject: c.info.subject, issuer: c.info.issuer, sha256: c.info.sha256 };
}

export function certificateFindings(t: TrustReport, o: CertificateCheckOptions = {}): Finding[] {
  const now = o.now ?? new Date();
  const soonDays = o.expiresSoonDays ?? 30;
  const out: Finding[] = [];
  if (t.certificates.length === 0) return out;

  for (const u of t.issues.unparseable) {
    out.push(finding('certificate.unparseable', `certificate #${u.index} sent by the server cannot be parsed: ${u.error}`, { index: u.index, error: u.error }));
  }
  if (t.path.length === 0) return out;
  const leaf = t.path[0];

  // Name.
  const h = t.hostname;
  if (h && !h.ok) {
    const names = h.presented.map((n) => n.replace(/^(DNS|IP|CN):/, '')).join(', ') || 'no name at all';
    out.push(finding('certificate.hostname-mismatch',
      `the certificate's name does not match ${t.host}: it is issued to ${names}. ${h.reason}${h.notes.length ? `. ${h.notes.join('; ')}` : ''}`,
      { host: t.host, presented: h.presented, subject: leaf.info.subject, notes: h.notes }));
  } else if (h && h.ok && h.cnFallback) {
    out.push(finding('certificate.hostname-cn-fallback',
      `${t.host} matches only the subject CN "${h.name}"; the certificate has no DNS subjectAltName, so Chrome, Go and other modern clients reject it`,
      { host: t.host, commonName: h.name }));
  }

  // Validity of every certificate on the path that the server (or AIA) supplied.
  for (const c of t.path) {
    if (c.source === 'store' || !c.info.notAfter) continue;
    const nb = new Date(c.info.notBefore), na = new Date(c.info.notAfter);
    if (na.getTime() < now.getTime()) {
      const days = Math.floor((now.getTime() - na.getTime()) / DAY);
      out.push(finding('certificate.expired', `${who(c)} expired on ${c.info.notAfter} (${days} day${days === 1 ? '' : 's'} ago)`,
        { ...ev(c), notAfter: c.info.notAfter, now: now.toISOString() }));
    } else if (nb.getTime() > now.getTime()) {
      out.push(finding('certificate.not-yet-valid', `${who(c)} is valid only from ${c.info.notBefore}; it is now ${now.toISOString()}`,
        { ...ev(c), notBefore: c.info.notBefore, now: now.toISOString() }));
    } else if (na.getTime() - now.getTime() < soonDays * DAY) {
      const days = Math.floor((na.getTime() - now.getTime()) / DAY);
      out.push(finding('certificate.expires-soon', `${who(c)} expires on ${c.info.notAfter}, in ${days} day${days === 1 ? '' : 's'} (threshold ${soonDays} days)`,
        { ...ev(c), notAfter: c.info.notAfter, daysLeft: days, thresholdDays: soonDays }, days < 7 ? 'high' : 'medium'));
    }
  }

  // Trust.
  const storeList = t.stores.map((s) => s.label).join(', ') || 'no trust store';
  switch (t.problem) {
    case 'self-signed':
      out.push(finding('certificate.self-signed',
        `the leaf certificate (${leaf.info.subject}) is self-signed and is in none of the trust stores checked (${storeList}); clients that do not carry this exact certificate refuse it`,
        { ...ev(leaf), stores: t.stores.map((s) => s.store) }));
      break;
    case 'untrusted-root': {
      const last = t.path[t.path.length - 1];
      const isRoot = last.info.selfSigned;
      out.push(finding('certificate.untrusted-root', isRoot
        ? `the chain ends at the root ${last.info.subject}, which is in none of the trust stores checked (${storeList})`
        : `the chain ends at ${last.info.subject}, issued by ${t.missingIssuer ?? last.info.issuer}, a CA that is in none of the trust stores checked (${storeList})`,
      { root: isRoot ? last.info.subject : t.missingIssuer ?? last.info.issuer, rootSha256: isRoot ? last.info.sha256 : undefined, stores: t.stores.map((s) => s.store) }));
      break;
    }
    case 'bad-signature':
      out.push(finding('certificate.invalid-signature', `a certificate named ${t.missingIssuer} is present but its key does not verify the signature of ${t.path[t.path.length - 1].info.subject}`,
        { issuer: t.missingIssuer }));
      break;
    default: break;
  }
  if (t.incomplete) {
    const fetched = t.aia.filter((a) => a.ok).flatMap((a) => a.subjects);
    const last = t.path.filter((c) => c.source === 'sent').pop() ?? leaf;
    const detail = t.completedByAia
      ? `the server sent ${t.certificates.length} certificate(s) but not the intermediate ${fetched.join(', ')}; tlsdoctor downloaded it from the AIA URL ${t.aia.find((a) => a.ok)?.url} and then the chain is trusted (${t.trustedBy.join(', ')}). Clients that do not fetch AIA (Java, Python, Node.js, curl, Go) fail with "unable to get local issuer certificate"`
      : `the server sent ${t.certificates.length} certificate(s); the issuer of ${last.info.subject} (${t.missingIssuer ?? last.info.issuer}) is missing: it was not sent and is not a trusted root${t.aia.length ? '' : ` (run with --fetch-intermediates to download it${last.caIssuers.length ? ` from ${last.caIssuers[0]}` : ''} and see which simulated clients fail for want of it)`}. If ${t.missingIssuer ?? last.info.issuer} is in fact a private root, add it with --ca-file`;
    out.push(finding('certificate.incomplete-chain', detail, {
      sent: t.certificates.map((c) => c.subject), missingIssuer: t.missingIssuer ?? fetched[0] ?? last.info.issuer,
      aia: t.aia, caIssuers: last.caIssuers,
    }));
  }
  if (t.trusted && !t.publiclyTrusted) {
    out.push(finding('certificate.private-ca', `the chain is trusted only by ${t.trustedBy.join(', ')}; Node's bundled roots and the system store do not trust it`,
      { trustedBy: t.trustedBy }));
  }

  // Keys and signatures (the anchor's own self-signature does not matter).
  for (const c of t.path) {
    const k = c.info;
    let weak: string | null = null;
    if (k.keyType === 'RSA' && k.keyBits < 2048) weak = `RSA ${k.keyBits} bits (minimum 2048)`;
    else if (k.keyType === 'EC' && k.keyBits < 256) weak = `EC ${k.keyBits} bits (minimum 256)`;
    else if (k.keyType === 'DSA') weak = `DSA ${k.keyBits} bits (DSA is no longer accepted for TLS certificates)`;
    if (weak && c.source !== 'store') {
      out.push(finding('certificate.weak-key', `${who(c)} has a weak key: ${weak}`, { ...ev(c), keyType: k.keyType, keyBits: k.keyBits },
        k.keyType === 'RSA' && k.keyBits < 1024 ? 'critical' : undefined));
    }
    const selfSignedAnchor = k.selfSigned && (c.source === 'store' || c !== leaf);
    if (!selfSignedAnchor && ['md2', 'md5', 'sha1'].includes(c.signatureHash)) {
      out.push(finding('certificate.weak-signature', `${who(c)} is signed with ${k.signatureAlgorithm} (${c.signatureHash.toUpperCase()})`,
        { ...ev(c), signatureAlgorithm: k.signatureAlgorithm }, c.signatureHash === 'sha1' ? 'high' : 'critical'));
    }
  }

  // Extended key usage of the leaf (and of intermediates: OpenSSL and Windows enforce it along the chain).
  for (const c of t.path) {
    if (c.source === 'store') continue;
    const eku = c.extKeyUsage;
    if (eku && !eku.includes(EKU.serverAuth) && !eku.includes(EKU.anyExtendedKeyUsage)) {
      out.push(finding('certificate.not-server-auth', `${who(c)} has extendedKeyUsage ${eku.map(ekuName).join(', ')} without serverAuth, so TLS clients refuse it for a server`,
        { ...ev(c), extKeyUsage: eku }));
    }
  }

  // OCSP staple.
  if (t.ocsp.status === 'revoked' || t.ocsp.status === 'unknown') {
    out.push(finding('certificate.revoked-or-unknown', t.ocsp.detail, { status: t.ocsp.status, ...t.ocsp.single },
      t.ocsp.status === 'revoked' ? 'critical' : 'medium'));
  } else if (t.ocsp.status === 'error') {
    out.push(finding('certificate.ocsp-staple-invalid', t.ocsp.detail, { status: t.ocsp.status }));
  }

  // A TLS-inspecting proxy or antivirus between this machine and the server: its CA signed what we got.
  // CA names only: issuers, and the subjects of the certificates above the leaf (the leaf of a
  // vendor's own web site names the vendor, and is no interception).
  const names = [...t.certificates.flatMap((c, i) => (i === 0 ? [c.issuer] : [c.subject, c.issuer])), ...t.path.flatMap((c, i) => (i === 0 ? [c.info.issuer] : [c.info.subject, c.info.issuer]))];
  const mitm = interceptionProduct(names);
  if (mitm) {
    out.push(finding('certificate.tls-interception', `the chain names ${mitm.name}: ${mitm.product.product} (${mitm.product.kind}) between this machine and ${t.host} ends the TLS connection and re-signs the server's certificate with its own CA${t.trusted ? `, which ${t.trustedBy.join(', ')} trust${t.trustedBy.length === 1 ? 's' : ''} here` : ''}; clients with their own trust store (Java cacerts, Node.js, Python certifi) and apps with pinned keys refuse it`,
      { product: mitm.product.product, kind: mitm.product.kind, name: mitm.name, source: mitm.product.source }));
  }

  // OCSP Must-Staple: the leaf demands a staple; only a handshake that asked for one can tell.
  if (t.mustStaple && t.stapleAsked && t.ocsp.status === 'none' && t.path[0]) {
    out.push(finding('certificate.must-staple-missing', `${who(t.path[0])} carries the TLS feature status_request (OCSP Must-Staple, RFC 7633) and the server stapled no OCSP response: Firefox refuses the connection (MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING)`,
      { ...ev(t.path[0]) }));
  }

  // The CA's own answer (OCSP, CRL), when it was asked.
  const r = t.revocation;
  const leafInfo = t.path[0]?.info;
  if (r && leafInfo) {
    const sources = r.sources; // plain data already: what each source said, as evidence
    const said = (m: 'ocsp' | 'crl') => (m === 'ocsp' ? 'the OCSP responder' : 'the CRL');
    if (r.status === 'revoked') {
      const x = r.sources.find((s) => s.status === 'revoked')!;
      out.push(finding('certificate.revoked', `${said(x.method)} at ${x.url} says the leaf ${leafInfo.subject} (serial ${r.serialNumber}) was revoked${x.revokedAt ? ` on ${x.revokedAt}` : ''}${x.reason ? ` (${x.reason})` : ''}`,
        { serialNumber: r.serialNumber, sources }));
    } else if (r.status === 'unknown') {
      const x = r.sources.find((s) => s.status === 'unknown')!;
      out.push(finding('certificate.revocation-unreachable', `the OCSP responder at ${x.url} does not know the leaf ${leafInfo.subject} (status unknown), and no other source said good: clients that check revocation treat it as unchecked`,
        { serialNumber: r.serialNumber, sources }));
    } else if (r.status === 'unreachable') {
      out.push(finding('certificate.revocation-unreachable', `no revocation server of the leaf ${leafInfo.subject} gave a usable answer from here: ${r.sources.map((x) => `${x.method === 'ocsp' ? 'OCSP' : 'CRL'} ${x.url} (${x.error ?? 'no answer'})`).join('; ')}`,
        { serialNumber: r.serialNumber, sources }));
    } else if (r.status === 'no-info') {
      out.push(finding('certificate.no-revocation-info', `the leaf ${leafInfo.subject} has no CRL distribution point and no OCSP URL: a client that requires a revocation check cannot do one`,
        { serialNumber: r.serialNumber, subject: leafInfo.subject }));
    }
  }

  // The chain as sent.
  const iss = t.issues;
  if (iss.duplicates.length) {
    out.push(finding('certificate.chain-duplicate', `certificate(s) #${iss.duplicates.join(', #')} repeat a certificate already sent`, { indexes: iss.duplicates }));
  }
  if (iss.extra.length) {
    out.push(finding('certificate.chain-extra', `certificate(s) ${iss.extra.map((i) => `#${i} (${t.certificates[i]?.subject})`).join(', ')} are not part of the leaf's chain`,
      { indexes: iss.extra }));
  }
  if (iss.misordered) {
    out.push(finding('certificate.chain-order', `the server sent the chain as #${t.path.filter((c) => c.source === 'sent').map((c) => c.sentIndex).join(', #')} along the path; it should be leaf first, each certificate followed by its issuer`,
      { expectedOrder: iss.expectedOrder }));
  }
  if (iss.rootSent !== null && t.problem !== 'self-signed') {
    out.push(finding('certificate.root-sent', `the server sends the self-signed root ${t.certificates[iss.rootSent]?.subject} as certificate #${iss.rootSent}`, { index: iss.rootSent }));
  }
  return out;
}

function ekuName(oid: string): string {
  const names: Record<string, string> = {
    [EKU.serverAuth]: 'serverAuth', [EKU.clientAuth]: 'clientAuth', [EKU.codeSigning]: 'codeSigning',
    [EKU.emailProtection]: 'emailProtection', [EKU.timeStamping]: 'timeStamping', [EKU.ocspSigning]: 'OCSPSigning',
  };
  return names[oid] ?? oid;
}

/**
 * Certificate Transparency: whether a publicly trusted leaf comes with the
 * SCTs that Apple's platforms and Chrome ask for (x509/sct.ts). Counted by
 * distinct log; whether each log is approved and each SCT's signature are
 * not checked (that needs the browsers' log lists). Only when the SCTs of the
 * TLS extension were asked for (features.sctExtension not null): otherwise
 * the server may deliver the missing ones there. SCTs of a stapled OCSP
 * response count too (no verdict when the staple could not be read).
 * Private CAs are exempt.
 */
export function transparencyFindings(leaf: CertificateInfo | undefined, t: TrustReport, features?: Pick<ServerFeatures, 'sctExtension'>): Finding[] {
  if (!leaf || !t.publiclyTrusted || features?.sctExtension == null) return [];
  // A staple that could not be read may hold SCTs: no verdict. One that could adds its own.
  if (t.ocsp?.status === 'error') return [];
  const scts = withStapledScts(leaf.scts, t.ocsp?.single?.scts);
  const delivered = scts.some((s) => s.source !== 'embedded');
  const { required, lifetimeDays } = sctsRequired(new Date(leaf.notBefore), new Date(leaf.notAfter), delivered);
  const logs = distinctLogs(scts);
  if (logs >= required) return [];
  const embedded = scts.filter((s) => s.source === 'embedded').length, tls = scts.filter((s) => s.source === 'tls').length, ocsp = scts.length - embedded - tls;
  const where = scts.length ? `${embedded} embedded, ${tls} in the TLS extension, ${ocsp} in the stapled OCSP response, from ${logs} distinct log${logs === 1 ? '' : 's'}` : 'none embedded, none in the TLS extension or a stapled OCSP response';
  return [finding('certificate.sct-insufficient',
    `the leaf certificate (${leaf.subject}) is publicly trusted and comes with ${scts.length} SCT${scts.length === 1 ? '' : 's'} (${where}); `
    + `for a certificate valid ${lifetimeDays} days ${delivered ? 'with SCTs delivered in the handshake' : 'with embedded SCTs only'}, Apple's policy asks for ${required} from distinct logs (${CT_POLICY_SOURCE}); `
    + 'tlsdoctor counted logs; it did not check the SCT signatures, whether the logs are approved, or how many share an operator (Apple counts at most one or two per operator)',
    { embedded, tls, ocsp, distinctLogs: logs, required, lifetimeDays })];
}
