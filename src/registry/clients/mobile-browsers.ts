/** Android, iOS App Transport Security and the current desktop browsers. */
import type { ClientProfile, ClientSource, ClientExtensions } from './types.js';

const ANDROID_SSLSOCKET: ClientSource = {
  title: 'Android Developers: javax.net.ssl.SSLSocket reference (Default configuration: protocols and cipher suites by API level)',
  url: 'https://developer.android.com/reference/javax/net/ssl/SSLSocket',
  facts: ['versions', 'cipherSuites', 'helloFormat'],
  note: 'Client protocols: TLSv1.1/TLSv1.2 supported from API 16 but enabled by default only from API 20; TLSv1.3 enabled from '
    + 'API 29; SSLv3 removed from the defaults in API 23 (disabled 22); which suites are enabled at each API level. The '
    + 'table lists suites alphabetically: the order used here puts ECDHE before DHE before RSA, AES-GCM/ChaCha20 before '
    + 'CBC, RC4 and 3DES last, as the platform ships them.',
};
const ANDROID_CHANGES: ClientSource = {
  title: 'Android Developers: Android 5.0 behavior changes (TLS/SSL default configuration) and Android 10 (TLS 1.3 by default)',
  url: 'https://developer.android.com/about/versions/android-5.0-changes#ssl',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'certificate', 'keyExchange'],
  note: 'API 21+: TLS 1.2 on, RC4/DSS/export off, AES-GCM on (Conscrypt on BoringSSL); Android 7 (API 24) adds ChaCha20 and '
    + 'X25519; Android 10 (API 29) enables TLS 1.3; SHA-1 and RSA < 1024 refused by the platform verifier.',
};
const PROVIDER_INSTALLER: ClientSource = {
  title: 'Android Developers: Update your security provider to protect against SSL exploits (ProviderInstaller)',
  url: 'https://developer.android.com/privacy-and-security/security-gms-provider',
  facts: ['remediation'],
  note: 'ProviderInstaller.installIfNeeded() updates Conscrypt through Google Play services; on API 16-19 the app must also '
    + 'call SSLSocket.setEnabledProtocols(new String[]{"TLSv1.2"}) (for OkHttp: a ConnectionSpec with TLS_1_2).',
};
const ATS: ClientSource = {
  title: 'Apple Developer: NSAppTransportSecurity / Preventing Insecure Network Connections (Requirements for Connecting Using ATS)',
  url: 'https://developer.apple.com/documentation/security/preventing-insecure-network-connections',
  facts: ['versions', 'cipherSuites', 'certificate', 'keyExchange', 'remediation'],
  note: 'TLS 1.2 or later; one of the listed ECDHE (forward secrecy) AES suites; certificate signed with SHA-256 or better '
    + 'and an RSA key of at least 2048 bits or an EC key of at least 256 bits; exceptions NSExceptionMinimumTLSVersion, '
    + 'NSExceptionRequiresForwardSecrecy, NSAllowsArbitraryLoads in Info.plist.',
};
const IOS9_HELLO: ClientSource = {
  title: 'Apple Developer: NSExceptionRequiresForwardSecrecy (ATS default limits ciphers to ECDHE) and Secure Transport (iOS 9)',
  url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/nsexceptionrequiresforwardsecrecy',
  facts: ['groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
  note: 'With ATS on, the URL loading system offers only the ATS suites; Secure Transport in iOS 9 sends SNI, ALPN (h2, '
    + 'http/1.1), status_request, the NIST curves P-256/P-384/P-521 and RSA/ECDSA SHA-2 signature algorithms.',
};
const CHROME_CAPTURE: ClientSource = {
  title: 'Capture of Debian\'s Chromium 156.0.8078.79 (headless) client hello, made on loopback with tests/tools/capture-clients.ts (2026-11-23)',
  url: 'docs/captures/chrome-current.json',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
  note: 'GREASE values removed from the lists (the simulation adds its own); Chrome randomises extension order per connection.',
};
const CHROME_POLICY: ClientSource = {
  title: 'Chrome Root Program Policy (key sizes, SHA-1) and Chromium release history (DHE removed in Chrome 53, TLS 1.0/1.1 in Chrome 84)',
  url: 'https://www.chromium.org/Home/chromium-security/root-ca-policy/',
  facts: ['certificate', 'keyExchange', 'remediation'],
  note: 'Chrome rejects SHA-1 signed certificates (since Chrome 57), RSA keys below 1024 bits, and has no finite-field DHE '
    + 'suites (removed in Chrome 53); TLS 1.0/1.1 removed in Chrome 84.',
};
const FIREFOX_DOCS: ClientSource = {
  title: 'Mozilla Wiki: Security/Cipher Suites (NSS / Firefox client order) and Firefox release notes (TLS 1.0/1.1 disabled in 78, X25519MLKEM768 in 132)',
  url: 'https://wiki.mozilla.org/Security/Cipher_Suites',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat', 'certificate', 'keyExchange'],
  note: 'TLS 1.2-1.3; TLS 1.3 suites AES-128-GCM, ChaCha20, AES-256-GCM; then ECDHE AES-GCM/ChaCha20, ECDHE AES-CBC-SHA, '
    + 'RSA AES-GCM/CBC; groups X25519MLKEM768, X25519, P-256, P-384, P-521, ffdhe2048, ffdhe3072; key shares X25519MLKEM768, '
    + 'X25519, P-256; SHA-1 certificates rejected; no DHE suites (removed in Firefox 78).',
};
const SAFARI_DOCS: ClientSource = {
  title: 'Apple Platform Security: TLS security (Safari / URLSession) and Apple support HT210176 (requirements for trusted certificates)',
  url: 'https://support.apple.com/en-us/103769',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat', 'certificate', 'keyExchange'],
  note: 'TLS 1.2-1.3 (TLS 1.0/1.1 deprecated in Safari 15 and removed in iOS 18/macOS 15); RSA keys must be 2048 bits or '
    + 'more and SHA-1 signatures are not trusted for TLS; Safari offers GREASE, TLS 1.3 suites, ECDHE AES-GCM/ChaCha20, '
    + 'ECDHE CBC, RSA AES and 3DES suites; curves X25519, P-256, P-384, P-521.',
};

const MOZILLA_SSTLS: ClientSource = {
  title: 'Mozilla: Security/Server Side TLS (recommended server configurations and the oldest clients they serve)',
  url: 'https://wiki.mozilla.org/Security/Server_Side_TLS',
  facts: ['remediation'],
};
const RFC5246_SIGALGS: ClientSource = {
  title: 'RFC 5246 section 7.4.1.4.1: Signature Algorithms (sent only by clients that offer TLS 1.2)',
  url: 'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.1.4.1',
  facts: ['signatureAlgorithms'],
  note: 'A client offering at most TLS 1.0 sends no signature_algorithms extension.',
};

const ext = (o: Partial<ClientExtensions> = {}): ClientExtensions => ({
  sni: true, alpn: ['h2', 'http/1.1'], extendedMasterSecret: true, sessionTicket: true, statusRequest: true,
  renegotiationInfo: true, ecPointFormats: [0], encryptThenMac: false, pskKeyExchangeModes: null, grease: false, ...o,
});

const ANDROID7_SUITES = [0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030, 0xcca8, 0xc009, 0xc00a, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const BORINGSSL_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201];

export const MOBILE_BROWSER_PROFILES: ClientProfile[] = [
  {
    id: 'android-4.4', name: 'Android 4.4 (API 19) SSLSocket / HttpsURLConnection', family: 'android',
    description: 'Android 4.4 KitKat platform default SSLSocketFactory (HttpsURLConnection, OkHttp 2 without a ConnectionSpec): TLS 1.1/1.2 supported but not enabled.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: [0xc009, 0xc013, 0xc00a, 0xc014, 0x0033, 0x0039, 0x0032, 0x0038, 0xc007, 0xc011, 0x002f, 0x0035, 0x0005,
      0xc008, 0xc012, 0x0016, 0x0013, 0x000a, 0x0004, 0x00ff],
    groups: [0x0017, 0x0018, 0x0019], keyShareGroups: null, signatureAlgorithms: null,
    extensions: ext({ alpn: null, extendedMasterSecret: false, statusRequest: false, renegotiationInfo: false, ecPointFormats: [0] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: true },
    keyExchange: { minDhBits: 512 },
    remediation: { general: 'On Android 4.4 (API 16-19) TLS 1.2 is present but off: call ProviderInstaller.installIfNeeded(context) and wrap the SSLSocketFactory so every socket gets setEnabledProtocols(new String[]{"TLSv1.2", "TLSv1.1"}) (OkHttp: ConnectionSpec.MODERN_TLS with that factory); or raise minSdkVersion to 21.' },
    trustStore: { family: 'android', api: 19, label: 'Android 4.4 (API 19)', sources: [] },
    sources: [ANDROID_SSLSOCKET, PROVIDER_INSTALLER, RFC5246_SIGALGS,
      { title: 'Android libcore commit "Disable TLSv1.1 and TLSv1.2 by default" (client sockets, API 16-19)', url: 'https://android.googlesource.com/platform/libcore/+/0731920fdf845358cc13ce78292f9e80e143f915', facts: ['versions', 'groups', 'extensions', 'certificate', 'keyExchange'], note: 'getDefaultProtocols() returns SSLv3 and TLSv1 only; the OpenSSL 1.0.1-based stack sends SNI, session tickets, ec_point_formats and the NIST curves.' }],
  },
  {
    id: 'android-7', name: 'Android 7 (API 24)', family: 'android',
    description: 'Android 7.0 Nougat platform default (Conscrypt/BoringSSL): TLS 1.0-1.2, ChaCha20, X25519.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: ANDROID7_SUITES,
    groups: [0x001d, 0x0017, 0x0018], keyShareGroups: null, signatureAlgorithms: BORINGSSL_SIGALGS,
    extensions: ext(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: {},
    remediation: { general: 'Android 7 offers TLS 1.0-1.2 with ECDHE/RSA AES and ChaCha20 suites (no DHE, no TLS 1.3): keep TLS 1.2 and one of these suites on the server.' },
    trustStore: { family: 'android', api: 24, label: 'Android 7.0 (API 24)', sources: [] },
    sources: [ANDROID_SSLSOCKET, ANDROID_CHANGES, MOZILLA_SSTLS],
  },
  {
    id: 'android-10', name: 'Android 10 (API 29)', family: 'android',
    description: 'Android 10 platform default (Conscrypt/BoringSSL): TLS 1.0-1.3.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: [0x1301, 0x1302, 0x1303, ...ANDROID7_SUITES],
    groups: [0x001d, 0x0017, 0x0018], keyShareGroups: [0x001d], signatureAlgorithms: BORINGSSL_SIGALGS,
    extensions: ext({ pskKeyExchangeModes: [1] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: {},
    remediation: { general: 'Android 10 offers TLS 1.0-1.3 with modern suites; a failure points at the certificate (SHA-1, missing intermediate) or a suite outside the platform list.' },
    trustStore: { family: 'android', api: 29, label: 'Android 10 (API 29)', sources: [] },
    sources: [ANDROID_SSLSOCKET, ANDROID_CHANGES, MOZILLA_SSTLS],
  },
  {
    id: 'ios-9-ats', name: 'iOS 9+ App Transport Security (URLSession)', family: 'ios',
    description: 'An iOS 9+ app using URLSession with App Transport Security on and no exceptions: TLS 1.2, ECDHE AES suites only, SHA-256 and 2048-bit RSA / 256-bit EC certificates.',
    versions: ['TLSv1.2'],
    cipherSuites: [0xc02c, 0xc02b, 0xc024, 0xc00a, 0xc023, 0xc009, 0xc030, 0xc02f, 0xc028, 0xc027, 0xc014, 0xc013],
    groups: [0x0017, 0x0018, 0x0019], keyShareGroups: null,
    signatureAlgorithms: [0x0401, 0x0403, 0x0501, 0x0503, 0x0601, 0x0603],
    extensions: ext({ extendedMasterSecret: false, sessionTicket: false }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 2048, minEcBits: 256, acceptsSha1: false },
    keyExchange: {},
    remediation: {
      general: 'ATS needs TLS 1.2+, an ECDHE AES suite and a SHA-256, 2048-bit RSA / 256-bit EC certificate: fix the server; as a stopgap add an NSExceptionDomains entry (NSExceptionMinimumTLSVersion, NSExceptionRequiresForwardSecrecy=NO) to Info.plist.',
      certificate: 'ATS rejects the certificate: reissue it with SHA-256 and an RSA key of 2048+ bits (or EC P-256+).',
    },
    sources: [ATS, IOS9_HELLO],
  },
  {
    id: 'chrome-current', name: 'Chrome (current)', family: 'browser',
    description: 'Current Chrome/Chromium (captured from Debian\'s Chromium 156): TLS 1.2-1.3, GREASE, X25519MLKEM768.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
    groups: [0x11ec, 0x001d, 0x0017, 0x0018], keyShareGroups: [0x11ec, 0x001d],
    signatureAlgorithms: [0x0904, 0x0905, 0x0906, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
    extensions: ext({ pskKeyExchangeModes: [1], grease: true, extra: [
      { type: 17613, data: '0003026832' }, { type: 18, data: '' }, { type: 27, data: '020002' },
    ] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 256, acceptsSha1: false },
    keyExchange: {},
    remediation: { general: 'Current Chrome needs TLS 1.2+ with an ECDHE or RSA AES-GCM/ChaCha20/CBC suite and a SHA-256 certificate: enable TLS 1.2/1.3 and ECDHE-*-AES128-GCM-SHA256 on the server.' },
    realClient: 'chromium --headless',
    sources: [CHROME_CAPTURE, CHROME_POLICY],
  },
  {
    id: 'firefox-current', name: 'Firefox (current)', family: 'browser',
    description: 'Current Firefox (NSS) defaults: TLS 1.2-1.3, X25519MLKEM768 hybrid key share.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: [0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
    groups: [0x11ec, 0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101], keyShareGroups: [0x11ec, 0x001d, 0x0017],
    signatureAlgorithms: [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201],
    extensions: ext({ pskKeyExchangeModes: [1], extra: [{ type: 28, data: '4001' }, { type: 34, data: '00080403050306030203' }] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 256, acceptsSha1: false },
    keyExchange: {},
    remediation: { general: 'Current Firefox needs TLS 1.2+ with an ECDHE or RSA AES/ChaCha20 suite and a SHA-256 certificate: enable TLS 1.2/1.3 and ECDHE-*-AES128-GCM-SHA256 on the server.' },
    sources: [FIREFOX_DOCS, MOZILLA_SSTLS],
  },
  {
    id: 'safari-current', name: 'Safari (current)', family: 'browser',
    description: 'Current Safari / URLSession on macOS 15, iOS 18 (Network.framework, BoringSSL-based): TLS 1.2-1.3, GREASE.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02c, 0xc02b, 0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc00a, 0xc009, 0xc014, 0xc013, 0x009d, 0x009c, 0x0035, 0x002f, 0xc008, 0xc012, 0x000a],
    groups: [0x001d, 0x0017, 0x0018, 0x0019], keyShareGroups: [0x001d],
    signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0203, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201],
    extensions: ext({ pskKeyExchangeModes: [1], grease: true, extra: [{ type: 18, data: '' }, { type: 27, data: '020001' }] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 2048, minEcBits: 256, acceptsSha1: false },
    keyExchange: {},
    remediation: { general: 'Current Safari needs TLS 1.2+, an ECDHE/RSA AES or ChaCha20 suite and a SHA-256 certificate with an RSA key of 2048+ bits.' },
    sources: [SAFARI_DOCS, ATS],
  },
];
