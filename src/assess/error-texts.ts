/**
 * TLS error texts of common runtimes and the causes they point to. Data, not
 * code: add a row to teach `tlsdoctor diagnose --error` a new message.
 *
 * Sources of the texts: .NET System.Net (WebException/HttpRequestException
 * messages, SslPolicyErrors and X509ChainStatusFlags names); Java JSSE and
 * sun.security.validator/provider.certpath messages; CPython ssl module
 * (SSLCertVerificationError with OpenSSL's X509_verify_cert_error_string);
 * Node.js tls (error codes = OpenSSL verify error names, ERR_TLS_CERT_ALTNAME_INVALID);
 * curl (lib/vtls/openssl.c "SSL certificate problem: %s") and OpenSSL alert
 * strings ("sslv3 alert handshake failure", "tlsv1 alert protocol version");
 * Go crypto/x509 (UnknownAuthorityError, HostnameError, CertificateInvalidError)
 * and crypto/tls alert texts; Chrome's net error names (net/base/net_error_list.h:
 * ERR_CERTIFICATE_TRANSPARENCY_REQUIRED is -214); Apple's Foundation URL loading
 * errors (NSURLErrorDomain -1200 NSURLErrorSecureConnectionFailed, -1202
 * NSURLErrorServerCertificateUntrusted, with their localized descriptions) and
 * Safari's "not standards compliant" (Apple's certificate requirements: CT,
 * validity period, key sizes; support.apple.com HT210176 and HT205280).
 */

export type Cause =
  | 'hostname-mismatch' | 'expired' | 'not-yet-valid' | 'self-signed' | 'untrusted-root' | 'incomplete-chain'
  | 'not-server-auth' | 'weak-certificate' | 'revoked' | 'protocol-mismatch' | 'cipher-mismatch' | 'not-tls'
  | 'insecure-renegotiation' | 'client-certificate' | 'revocation-unchecked' | 'tls-interception' | 'sni-required' | 'ct-required';

export interface CauseInfo {
  title: string;
  /** Finding ids that confirm this cause on the live server. */
  findings: string[];
}

export const CAUSES: Record<Cause, CauseInfo> = {
  'hostname-mismatch': { title: 'the host name is not on the certificate', findings: ['certificate.hostname-mismatch', 'certificate.hostname-cn-fallback'] },
  expired: { title: 'the certificate has expired', findings: ['certificate.expired'] },
  'not-yet-valid': { title: 'the certificate is not valid yet (or a clock is wrong)', findings: ['certificate.not-yet-valid'] },
  'self-signed': { title: 'the certificate is self-signed', findings: ['certificate.self-signed'] },
  'untrusted-root': { title: 'the root CA is not trusted by the client', findings: ['certificate.untrusted-root'] },
  'incomplete-chain': { title: 'the server does not send the intermediate certificate', findings: ['certificate.incomplete-chain'] },
  'not-server-auth': { title: 'the certificate is not meant for TLS servers (extended key usage)', findings: ['certificate.not-server-auth'] },
  'weak-certificate': { title: 'the certificate uses a key or signature the client refuses', findings: ['certificate.weak-key', 'certificate.weak-signature'] },
  revoked: { title: 'the certificate is revoked', findings: ['certificate.revoked', 'certificate.revoked-or-unknown'] },
  'tls-interception': { title: 'a TLS-inspecting proxy or antivirus re-signs the connection with a CA the client does not trust', findings: ['certificate.tls-interception'] },
  'revocation-unchecked': { title: 'the client could not check revocation: the CA\'s revocation servers are unreachable from it, or the certificate names none', findings: ['certificate.revocation-unreachable', 'certificate.no-revocation-info'] },
  'protocol-mismatch': { title: 'client and server share no protocol version', findings: ['protocol.no-tls12', 'handshake.failed'] },
  'cipher-mismatch': { title: 'client and server share no cipher suite', findings: ['handshake.failed'] },
  'not-tls': { title: 'the port does not speak TLS (plain HTTP, wrong port, or a proxy in between)', findings: ['handshake.not-tls'] },
  'sni-required': { title: 'the server answers only clients that send its name (SNI), and this one sent none, or another name', findings: ['handshake.sni-required'] },
  'client-certificate': { title: 'the server requires a client certificate (mutual TLS) that the client did not send, or refused the one it sent', findings: ['handshake.client-certificate-required', 'handshake.client-certificate-rejected'] },
  'ct-required': { title: 'the certificate lacks the Certificate Transparency proof (SCTs) that Chrome, Safari and Apple platforms require of a public certificate', findings: ['certificate.sct-insufficient'] },
  'insecure-renegotiation': { title: 'the server does not support secure renegotiation (RFC 5746), which OpenSSL 3 clients require', findings: ['protocol.no-secure-renegotiation'] },
};

export type Runtime = '.NET' | 'Java' | 'Python' | 'Node.js' | 'curl/OpenSSL' | 'Go' | 'Android' | 'Chrome' | 'Apple';

export interface ErrorPattern {
  runtime: Runtime;
  pattern: RegExp;
  /** Most likely first. */
  causes: Cause[];
  /** A broad message: dropped when a more specific row matches too. */
  generic?: boolean;
  note: string;
}

const CERT_ANY: Cause[] = ['incomplete-chain', 'untrusted-root', 'self-signed', 'expired', 'hostname-mismatch', 'not-yet-valid', 'not-server-auth', 'weak-certificate', 'revoked', 'tls-interception'];
const ISSUER: Cause[] = ['incomplete-chain', 'untrusted-root', 'self-signed', 'tls-interception'];

export const ERROR_PATTERNS: ErrorPattern[] = [
  // ---- .NET (SslPolicyErrors / X509ChainStatusFlags names first: they are specific) ----
  { runtime: '.NET', pattern: /RemoteCertificateNameMismatch/i, causes: ['hostname-mismatch'], note: 'SslPolicyErrors.RemoteCertificateNameMismatch: the name in the URL is not on the certificate' },
  { runtime: '.NET', pattern: /PartialChain/i, causes: ['incomplete-chain', 'untrusted-root', 'tls-interception'], note: 'X509ChainStatus PartialChain: Windows could not build a chain to a root' },
  { runtime: '.NET', pattern: /UntrustedRoot/i, causes: ['untrusted-root', 'self-signed', 'tls-interception'], note: 'X509ChainStatus UntrustedRoot: the chain ends at a root not in the Trusted Root store' },
  { runtime: '.NET', pattern: /NotTimeValid/i, causes: ['expired', 'not-yet-valid'], note: 'X509ChainStatus NotTimeValid: outside the validity period' },
  { runtime: '.NET', pattern: /revocation function was unable to check revocation|CRYPT_E_NO_REVOCATION_CHECK|CRYPT_E_REVOCATION_OFFLINE|0x8009201[23]|RevocationStatusUnknown|OfflineRevocation/i, causes: ['revocation-unchecked'], generic: true, note: 'Windows could not check revocation (CRYPT_E_REVOCATION_OFFLINE 0x80092013: no revocation server answered; CRYPT_E_NO_REVOCATION_CHECK 0x80092012: none answered or the certificate names none); curl and git on Windows (SChannel) print the same text' },
  { runtime: '.NET', pattern: /CRYPT_E_REVOKED|0x80092010|The certificate is revoked|Revoked/, causes: ['revoked'], note: 'X509ChainStatus Revoked / CRYPT_E_REVOKED (0x80092010): the CA revoked the certificate' },
  { runtime: '.NET', pattern: /Could not establish trust relationship for the SSL\/TLS secure channel/i, causes: CERT_ANY, generic: true, note: '.NET Framework WebException: the server certificate failed validation (any certificate cause)' },
  { runtime: '.NET', pattern: /The remote certificate is invalid (according to the validation procedure|because of errors in the certificate chain)/i, causes: CERT_ANY, generic: true, note: 'AuthenticationException from SslStream: certificate validation failed' },
  { runtime: '.NET', pattern: /Could not create SSL\/TLS secure channel/i, causes: ['protocol-mismatch', 'cipher-mismatch'], note: 'the TLS handshake itself failed: typically an old .NET default (SSL 3/TLS 1.0) against a TLS 1.2+ server, or no common cipher suite' },
  { runtime: '.NET', pattern: /The client and server cannot communicate, because they do not possess a common algorithm/i, causes: ['protocol-mismatch', 'cipher-mismatch'], note: 'SEC_E_ALGORITHM_MISMATCH from SChannel' },

  // ---- Java ----
  { runtime: 'Java', pattern: /Received fatal alert: (certificate_required|bad_certificate|unknown_ca|certificate_unknown)/i, causes: ['client-certificate'], note: 'the server asked for a client certificate (javax.net.ssl.keyStore) and refused the handshake without one, or refused the one sent' },
  { runtime: 'Java', pattern: /Received fatal alert: unrecognized_name/i, causes: ['sni-required'], note: 'the server does not know the name Java sent (or got none): call it by the name it serves (Java 7+ sends the URL\'s host name; -Djsse.enableSNIExtension=false turns that off)' },
  { runtime: 'Java', pattern: /No subject alternative names matching IP address/i, causes: ['hostname-mismatch'], note: 'the URL uses an IP address that is not an IP SAN of the certificate' },
  { runtime: 'Java', pattern: /No subject alternative (DNS )?names? (matching|present)/i, causes: ['hostname-mismatch'], note: 'the host name is not in the certificate\'s SANs' },
  { runtime: 'Java', pattern: /No name matching \S+ found/i, causes: ['hostname-mismatch'], note: 'the host name is not on the certificate' },
  { runtime: 'Java', pattern: /CertificateExpiredException|validity check failed.*NotAfter/i, causes: ['expired'], note: 'the certificate has expired' },
  { runtime: 'Java', pattern: /CertificateNotYetValidException/i, causes: ['not-yet-valid'], note: 'the certificate is not yet valid' },
  { runtime: 'Java', pattern: /Extended key usage does not permit use for TLS server authentication/i, causes: ['not-server-auth'], note: 'the EKU lacks serverAuth' },
  { runtime: 'Java', pattern: /Certificates do not conform to algorithm constraints|Algorithm constraints check failed/i, causes: ['weak-certificate'], note: 'jdk.certpath.disabledAlgorithms refuses the key or signature (SHA-1, RSA < 2048 ...)' },
  { runtime: 'Java', pattern: /PKIX path building failed|unable to find valid certification path to requested target/i, causes: ISSUER, note: 'the chain does not reach a root in the JVM\'s cacerts: missing intermediate, private/untrusted root, or self-signed certificate' },
  { runtime: 'Java', pattern: /Could not determine revocation status/i, causes: ['revocation-unchecked'], note: 'PKIX revocation checking is on (com.sun.net.ssl.checkRevocation / ocsp.enable) and no OCSP responder or CRL answered' },
  { runtime: 'Java', pattern: /Certificate has been revoked/i, causes: ['revoked'], note: 'CertPathValidatorException: the CA revoked the certificate' },
  { runtime: 'Java', pattern: /No appropriate protocol/i, causes: ['protocol-mismatch'], note: 'the client has every protocol the server offers disabled (jdk.tls.disabledAlgorithms / https.protocols)' },
  { runtime: 'Java', pattern: /Received fatal alert: protocol_version/i, causes: ['protocol-mismatch'], note: 'the server refused the protocol version the client offered' },
  { runtime: 'Java', pattern: /Received fatal alert: handshake_failure/i, causes: ['cipher-mismatch', 'protocol-mismatch'], note: 'the server found nothing acceptable in the ClientHello: no common cipher suite (or protocol, or SNI required)' },

  // ---- Python (ssl / requests / urllib3) ----
  { runtime: 'Python', pattern: /self[- ]signed certificate in certificate chain/i, causes: ['untrusted-root', 'tls-interception'], note: 'the chain ends at a self-signed root that is not in Python\'s CA bundle (certifi or the system store)' },
  { runtime: 'Python', pattern: /certificate verify failed: self[- ]signed certificate(?! in)/i, causes: ['self-signed'], note: 'the server certificate is self-signed' },
  { runtime: 'Python', pattern: /certificate verify failed: unable to get local issuer certificate/i, causes: ['incomplete-chain', 'untrusted-root', 'tls-interception'], note: 'the issuer of the last certificate is not in the CA bundle: missing intermediate or unknown root' },
  { runtime: 'Python', pattern: /certificate verify failed: certificate has expired/i, causes: ['expired'], note: 'the certificate has expired' },
  { runtime: 'Python', pattern: /hostname \S+ doesn't match|Hostname mismatch, certificate is not valid for/i, causes: ['hostname-mismatch'], note: 'the host name is not on the certificate' },
  { runtime: 'Python', pattern: /IP address mismatch, certificate is not valid for/i, causes: ['hostname-mismatch'], note: 'the IP address is not an IP SAN of the certificate' },
  { runtime: 'Python', pattern: /TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/i, causes: ['protocol-mismatch'], note: 'no common protocol version' },
  { runtime: 'Python', pattern: /SSLV3_ALERT_HANDSHAKE_FAILURE/i, causes: ['cipher-mismatch', 'protocol-mismatch'], note: 'the server rejected the handshake: no common cipher suite or protocol' },
  { runtime: 'Python', pattern: /CERTIFICATE_VERIFY_FAILED/i, causes: CERT_ANY, generic: true, note: 'OpenSSL certificate verification failed (the text after "certificate verify failed:" names the reason)' },

  { runtime: 'Python', pattern: /UNSAFE_LEGACY_RENEGOTIATION_DISABLED|unsafe legacy renegotiation disabled/i, causes: ['insecure-renegotiation'], note: 'OpenSSL 3 (under Python 3.10+) refuses a TLS <= 1.2 server without RFC 5746 secure renegotiation' },

  { runtime: 'Python', pattern: /TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_CERTIFICATE_UNKNOWN/i, causes: ['client-certificate'], note: 'the server asked for a client certificate and refused the handshake without one, or refused the one sent' },

  // ---- Node.js ----
  { runtime: 'Node.js', pattern: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE/i, causes: ['incomplete-chain', 'untrusted-root', 'tls-interception'], note: 'the leaf\'s issuer is neither sent by the server nor in Node\'s CA list: usually the intermediate is missing' },
  { runtime: 'Node.js', pattern: /UNABLE_TO_GET_ISSUER_CERT_LOCALLY/i, causes: ['incomplete-chain', 'untrusted-root', 'tls-interception'], note: 'an issuer is missing from Node\'s CA list' },
  { runtime: 'Node.js', pattern: /DEPTH_ZERO_SELF_SIGNED_CERT/i, causes: ['self-signed'], note: 'the server certificate is self-signed' },
  { runtime: 'Node.js', pattern: /SELF_SIGNED_CERT_IN_CHAIN/i, causes: ['untrusted-root', 'tls-interception'], note: 'the chain ends at a self-signed root that Node does not trust (use NODE_EXTRA_CA_CERTS)' },
  { runtime: 'Node.js', pattern: /CERT_REVOKED/i, causes: ['revoked'], note: 'a CRL given to Node (the crl option) lists the certificate' },
  { runtime: 'Node.js', pattern: /CERT_HAS_EXPIRED/i, causes: ['expired'], note: 'a certificate in the chain has expired' },
  { runtime: 'Node.js', pattern: /CERT_NOT_YET_VALID/i, causes: ['not-yet-valid'], note: 'a certificate in the chain is not yet valid' },
  { runtime: 'Node.js', pattern: /ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match certificate's altnames/i, causes: ['hostname-mismatch'], note: 'the host name is not in the certificate\'s SANs' },
  { runtime: 'Node.js', pattern: /EPROTO.*wrong version number|ERR_SSL_WRONG_VERSION_NUMBER/i, causes: ['not-tls', 'protocol-mismatch'], note: 'the reply was not a TLS record: the port speaks plain HTTP (http:// vs https://), or a proxy answered' },
  { runtime: 'Node.js', pattern: /alert certificate required|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|alert bad certificate|ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|alert unknown ca|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA/i, causes: ['client-certificate'], note: 'the server asked for a client certificate (mutual TLS) and refused the handshake without one, or refused the one sent (alert 116, 42, 48)' },
  { runtime: 'Node.js', pattern: /ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED|unsafe legacy renegotiation disabled/i, causes: ['insecure-renegotiation'], note: 'OpenSSL 3 (Node.js 17+) refuses a TLS <= 1.2 server without RFC 5746 secure renegotiation' },
  { runtime: 'Node.js', pattern: /ERR_SSL_UNSUPPORTED_PROTOCOL|unsupported protocol/i, causes: ['protocol-mismatch'], note: 'the server only offers protocol versions Node has disabled (TLS 1.0/1.1 need --tls-min-v1.0)' },

  // ---- curl / OpenSSL ----
  { runtime: 'curl/OpenSSL', pattern: /alert certificate required|alert bad certificate|alert unknown ca/i, causes: ['client-certificate'], note: 'the server asked for a client certificate: curl --cert/--key (or the certificate sent was refused)' },
  { runtime: 'curl/OpenSSL', pattern: /(tlsv1|sslv3) (alert )?unrecognized name|alert number 112/i, causes: ['sni-required'], note: 'the server does not know the name the client sent, or got none (a URL with an address): it serves only the names it is configured for' },
  { runtime: 'curl/OpenSSL', pattern: /0A000152|unsafe legacy renegotiation disabled/i, causes: ['insecure-renegotiation'], note: 'OpenSSL 3 (curl, s_client, any OpenSSL 3 application) refuses a TLS <= 1.2 server without RFC 5746 secure renegotiation' },
  { runtime: 'curl/OpenSSL', pattern: /self[- ]signed certificate in certificate chain/i, causes: ['untrusted-root', 'tls-interception'], note: 'the chain ends at a self-signed root not in curl\'s CA bundle' },
  { runtime: 'curl/OpenSSL', pattern: /SSL certificate problem: self[- ]signed certificate(?! in)/i, causes: ['self-signed'], note: 'the server certificate is self-signed' },
  { runtime: 'curl/OpenSSL', pattern: /unable to get local issuer certificate/i, causes: ['incomplete-chain', 'untrusted-root', 'tls-interception'], note: 'the issuer is not in the CA bundle: missing intermediate or unknown root' },
  { runtime: 'curl/OpenSSL', pattern: /schannel:.*(0x8009201[23]|CRYPT_E_NO_REVOCATION_CHECK|CRYPT_E_REVOCATION_OFFLINE|unable to check revocation)/i, causes: ['revocation-unchecked'], note: 'curl or git on Windows (SChannel backend) checks revocation by default and could not: no CRL distribution point or OCSP responder answered, or the certificate names none (curl --ssl-revoke-best-effort, git http.schannelCheckRevoke false skip it)' },
  { runtime: 'curl/OpenSSL', pattern: /certificate revoked|SSL certificate revocation reason/i, causes: ['revoked'], note: 'a CRL or OCSP check says the certificate is revoked' },
  { runtime: 'curl/OpenSSL', pattern: /certificate has expired/i, causes: ['expired'], note: 'a certificate has expired' },
  { runtime: 'curl/OpenSSL', pattern: /certificate is not yet valid/i, causes: ['not-yet-valid'], note: 'a certificate is not yet valid' },
  { runtime: 'curl/OpenSSL', pattern: /no alternative certificate subject name matches target host name|subject name does not match target host name/i, causes: ['hostname-mismatch'], note: 'the host name is not on the certificate' },
  { runtime: 'curl/OpenSSL', pattern: /unsupported certificate purpose/i, causes: ['not-server-auth'], note: 'the EKU does not allow TLS server use' },
  { runtime: 'curl/OpenSSL', pattern: /ca md too weak|ee key too small|EE certificate key too weak/i, causes: ['weak-certificate'], note: 'OpenSSL\'s security level refuses the key or signature' },
  { runtime: 'curl/OpenSSL', pattern: /tlsv1 alert protocol version/i, causes: ['protocol-mismatch'], note: 'the server refused the offered protocol version' },
  { runtime: 'curl/OpenSSL', pattern: /sslv3 alert handshake failure/i, causes: ['cipher-mismatch', 'protocol-mismatch'], note: 'the server rejected the handshake: no common cipher suite (or protocol, or SNI required)' },
  { runtime: 'curl/OpenSSL', pattern: /SSL certificate problem/i, causes: CERT_ANY, generic: true, note: 'curl could not verify the certificate' },

  // ---- Go ----
  { runtime: 'Go', pattern: /remote error: tls: (certificate required|bad certificate|unknown certificate authority)/i, causes: ['client-certificate'], note: 'the server asked for a client certificate (tls.Config.Certificates) and refused the handshake without one, or refused the one sent' },
  { runtime: 'Go', pattern: /remote error: tls: unrecognized name/i, causes: ['sni-required'], note: 'the server does not know the name sent (tls.Config.ServerName), or got none' },
  { runtime: 'Go', pattern: /x509: certificate signed by unknown authority/i, causes: ISSUER, note: 'no path to a root in the system pool: missing intermediate, private root or self-signed certificate' },
  { runtime: 'Go', pattern: /x509: certificate is valid for .+, not \S+/i, causes: ['hostname-mismatch'], note: 'the host name is not on the certificate' },
  { runtime: 'Go', pattern: /x509: certificate is not valid for any names|doesn't contain any IP SANs|x509: certificate relies on legacy Common Name field/i, causes: ['hostname-mismatch'], note: 'the certificate has no usable SAN for this host' },
  { runtime: 'Go', pattern: /x509: certificate has expired or is not yet valid/i, causes: ['expired', 'not-yet-valid'], note: 'outside the validity period' },
  { runtime: 'Go', pattern: /x509: certificate specifies an incompatible key usage/i, causes: ['not-server-auth'], note: 'the EKU lacks serverAuth' },
  { runtime: 'Go', pattern: /tls: protocol version not supported/i, causes: ['protocol-mismatch'], note: 'no common protocol version (Go clients default to TLS 1.2+)' },
  { runtime: 'Go', pattern: /tls: handshake failure/i, causes: ['cipher-mismatch', 'protocol-mismatch'], note: 'the handshake failed: no common cipher suite or protocol' },
  { runtime: 'Go', pattern: /tls: first record does not look like a TLS handshake/i, causes: ['not-tls'], note: 'the port does not speak TLS' },

  // ---- Android ----
  { runtime: 'Android', pattern: /Trust anchor for certification path not found/i, causes: ISSUER, note: 'the chain does not reach a root the app trusts (the system store of that Android release, or the app\'s network security config): missing intermediate, private root, or a root newer than the release' },

  // ---- browsers and Apple platforms ----
  { runtime: 'Chrome', pattern: /ERR_CERTIFICATE_TRANSPARENCY_REQUIRED/i, causes: ['ct-required'], note: 'Chrome (desktop and Android WebView) wants SCTs from enough distinct CT logs for a publicly trusted certificate' },
  { runtime: 'Apple', pattern: /not standards compliant/i, causes: ['ct-required', 'weak-certificate', 'expired'], note: 'Safari / Apple platforms: the certificate breaks Apple\'s requirements (too few SCTs, a validity period over 398 days, a weak key or signature)' },
  { runtime: 'Apple', pattern: /NSURLErrorServerCertificateUntrusted|The certificate for this server is invalid|NSURLErrorDomain Code=-1202\b/i, causes: [...CERT_ANY, 'ct-required'], generic: true, note: 'URLSession / NSURLConnection (iOS, macOS) NSURLErrorServerCertificateUntrusted (-1202): the trust evaluation failed, which on Apple platforms includes Certificate Transparency' },
  { runtime: 'Apple', pattern: /NSURLErrorSecureConnectionFailed|An SSL error has occurred and a secure connection to the server cannot be made|NSURLErrorDomain Code=-1200\b/i, causes: ['protocol-mismatch', 'cipher-mismatch', ...CERT_ANY, 'ct-required'], generic: true, note: 'URLSession (iOS, macOS) NSURLErrorSecureConnectionFailed (-1200): the handshake failed, or App Transport Security refused the server (TLS 1.2+, forward secrecy, SHA-256 certificate, CT)' },
];

export interface RecognisedError {
  runtime: Runtime;
  note: string;
  causes: Cause[];
  matched: string;
}

/** Every row that matches, specific rows first; generic rows only when nothing specific matched. */
export function recogniseError(text: string): RecognisedError[] {
  const t = text.slice(0, 10_000);
  const hits = ERROR_PATTERNS.map((p) => ({ p, m: t.match(p.pattern) })).filter((x) => x.m);
  const specific = hits.filter((x) => !x.p.generic);
  const use = specific.length ? specific : hits;
  return use.map(({ p, m }) => ({ runtime: p.runtime, note: p.note, causes: p.causes, matched: m![0] }));
}

/** The causes a text points to, most likely first. */
export function causesOf(text: string): Cause[] {
  const out: Cause[] = [];
  for (const r of recogniseError(text)) for (const c of r.causes) if (!out.includes(c)) out.push(c);
  return out;
}
