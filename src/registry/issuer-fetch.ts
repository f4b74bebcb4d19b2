/**
 * What a client runtime does when the server does not send an intermediate
 * certificate: fetch it from the certificate's Authority Information Access
 * "CA Issuers" URL (Windows' CryptoAPI, Apple, Chrome), use a list of public
 * intermediates shipped with it (Firefox), or fail (OpenSSL and what is built
 * on it, Java, Android, Go, Node.js, GnuTLS). Each fact names its source.
 */
import type { ClientFamily, ClientProfile } from './clients/types.js';

export type IssuerFetch = 'aia' | 'preloaded' | 'none';

export interface IssuerFetchFact {
  fetch: IssuerFetch;
  /** The runtime's error when it cannot build the chain (what its users search for). */
  error: string;
  /** A change on the client's side, when there is one (the fix belongs on the server). */
  workaround?: string;
  /** Where the verdict holds, or what can make a client succeed anyway. */
  scope?: string;
  source: { title: string; url: string };
}

const OPENSSL: IssuerFetchFact['source'] = {
  title: 'OpenSSL issue 27016 "Certificate Chain Completion via AIA" (open feature request: OpenSSL builds chains only from the certificates sent and the trusted ones; Python\'s ssl, Ruby and curl use it)',
  url: 'https://github.com/openssl/openssl/issues/27016',
};
const WINDOWS: IssuerFetchFact['source'] = {
  title: 'Microsoft Learn: X509ChainPolicy.DisableCertificateDownloads, whether the chain engine may use the AIA extension to locate unknown issuers (default false: it does)',
  url: 'https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509chainpolicy.disablecertificatedownloads',
};
const APPLE: IssuerFetchFact['source'] = {
  title: 'Apple: SecTrustSetNetworkFetchAllowed, network fetch of missing certificates is on by default for the SSL policy',
  url: 'https://developer.apple.com/documentation/security/sectrustsetnetworkfetchallowed(_:_:)',
};
const TRUST_INTERMEDIATE = 'add the intermediate to this client\'s trust store (it then breaks again when the CA issues from a new intermediate)';

const BY_FAMILY: Record<ClientFamily, IssuerFetchFact> = {
  dotnet: {
    fetch: 'aia', error: '"The remote certificate is invalid according to the validation procedure" (X509ChainStatus PartialChain)',
    source: WINDOWS,
  },
  windows: {
    fetch: 'aia', error: 'SEC_E_UNTRUSTED_ROOT / CERT_E_CHAINING (X509ChainStatus PartialChain)',
    source: WINDOWS,
  },
  java: {
    fetch: 'none', error: '"PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target"',
    workaround: 'run the JVM with -Dcom.sun.security.enableAIAcaIssuers=true (Java then fetches the issuer from the AIA URL), or ' + TRUST_INTERMEDIATE,
    source: { title: 'Java PKI Programmer\'s Guide, Support for the Authority Information Access extension: disabled by default, enabled with com.sun.security.enableAIAcaIssuers=true', url: 'https://docs.oracle.com/javase/8/docs/technotes/guides/security/certpath/CertPathProgGuide.html#AIA' },
  },
  android: {
    fetch: 'none', error: '"java.security.cert.CertPathValidatorException: Trust anchor for certification path not found."',
    scope: 'a device whose platform cached this intermediate from another connection may succeed, so test on a clean one',
    workaround: 'ship the intermediate in the app as a trust anchor (network_security_config), or ' + TRUST_INTERMEDIATE,
    source: { title: 'Android developers: Security with network protocols, "Missing intermediate certificate authority"', url: 'https://developer.android.com/privacy-and-security/security-ssl#MissingCa' },
  },
  python: { fetch: 'none', error: '"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate"', workaround: TRUST_INTERMEDIATE, source: OPENSSL },
  ruby: { fetch: 'none', error: '"certificate verify failed (unable to get local issuer certificate)"', workaround: TRUST_INTERMEDIATE, source: OPENSSL },
  openssl: { fetch: 'none', error: '"verify error:num=20:unable to get local issuer certificate"', workaround: TRUST_INTERMEDIATE, source: OPENSSL },
  curl: {
    fetch: 'none', error: '"curl: (60) SSL certificate problem: unable to get local issuer certificate"', workaround: TRUST_INTERMEDIATE,
    source: { title: 'curl issue 2793: fetching missing intermediates from AIA (open feature request)', url: 'https://github.com/curl/curl/issues/2793' },
  },
  gnutls: {
    fetch: 'none', error: '"The certificate issuer is unknown."', workaround: TRUST_INTERMEDIATE,
    source: { title: 'GnuTLS issue 202: no fetching of missing chain certificates (since 3.7.0 an application may fetch them in a gnutls_x509_trust_list_set_getissuer_function callback)', url: 'https://gitlab.com/gnutls/gnutls/-/issues/202' },
  },
  node: {
    fetch: 'none', error: '"unable to verify the first certificate" (UNABLE_TO_VERIFY_LEAF_SIGNATURE)', workaround: 'NODE_EXTRA_CA_CERTS=intermediate.pem, or ' + TRUST_INTERMEDIATE,
    source: { title: 'Node.js issue 58082 "Handling incomplete certificate chains in Node TLS" (open feature request)', url: 'https://github.com/nodejs/node/issues/58082' },
  },
  go: {
    fetch: 'none', error: '"x509: certificate signed by unknown authority"', workaround: TRUST_INTERMEDIATE,
    scope: 'on Linux; on Windows and macOS Go verifies with the platform, which fetches it',
    source: { title: 'Go issue 31773: AIA fetching declined for crypto/x509 (on Linux; on Windows and macOS Go hands verification to the platform, which fetches)', url: 'https://github.com/golang/go/issues/31773' },
  },
  ios: {
    fetch: 'aia', error: 'NSURLErrorServerCertificateUntrusted (-1202)',
    source: APPLE,
  },
  browser: {
    fetch: 'aia', error: 'NET::ERR_CERT_AUTHORITY_INVALID',
    source: { title: 'Chromium net/cert/cert_verify_proc_builtin.cc: the path builder discovers intermediates through AIA fetching', url: 'https://chromium.googlesource.com/chromium/src/+/main/net/cert/cert_verify_proc_builtin.cc' },
  },
};

const BY_ID: Record<string, IssuerFetchFact> = {
  'firefox-current': {
    fetch: 'preloaded', error: 'SEC_ERROR_UNKNOWN_ISSUER',
    source: { title: 'Mozilla Security Blog: Preloading Intermediate CA Certificates into Firefox (all intermediates disclosed to the CCADB)', url: 'https://blog.mozilla.org/security/2020/11/13/preloading-intermediate-ca-certificates-into-firefox/' },
  },
  'safari-current': {
    fetch: 'aia', error: '"This Connection Is Not Private"',
    source: APPLE,
  },
};

/** What this client does about a missing intermediate. */
export function issuerFetchOf(p: Pick<ClientProfile, 'id' | 'family'>): IssuerFetchFact {
  return BY_ID[p.id] ?? BY_FAMILY[p.family];
}
