/** Java SE (SunJSSE) clients: HttpsURLConnection, Apache HttpClient, OkHttp on the JDK default SSLContext. */
import type { ClientProfile, ClientSource, ClientExtensions } from './types.js';

const ROADMAP: ClientSource = {
  title: 'Oracle JRE and JDK Cryptographic Roadmap',
  url: 'https://www.java.com/en/configure_crypto.html',
  facts: ['versions', 'cipherSuites', 'certificate', 'keyExchange'],
  note: 'Dated changes to jdk.tls.disabledAlgorithms / jdk.certpath.disabledAlgorithms: SSLv3 disabled (7u75, 8u31), RC4 '
    + 'disabled (7u76, 8u60), DH keys < 1024 disabled (8u121), RSA certificate keys < 1024 disabled (7u40, 8), TLS 1.0/1.1 '
    + 'disabled (8u291, 11.0.11); SHA-1 is disabled only for certificates chaining to the JDK cacerts roots ("SHA1 jdkCA & '
    + 'usage TLSServer"), so private-CA SHA-1 certificates stay accepted.',
};
const JSSE7: ClientSource = {
  title: 'Java Cryptography Architecture Oracle Providers Documentation for JDK 7: SunJSSE provider',
  url: 'https://docs.oracle.com/javase/7/docs/technotes/guides/security/SunProviders.html#SunJSSEProvider',
  facts: ['versions', 'cipherSuites', 'groups', 'extensions', 'helloFormat'],
  note: 'Client side: TLSv1.1 and TLSv1.2 supported but not enabled by default; SSLv2Hello not enabled on the client; '
    + 'default-enabled suites in preference order; all 25 RFC 4492 named curves in the SunEC order; SNI added in JDK 7.',
};
const JSSE6: ClientSource = {
  title: 'Java Cryptography Architecture Sun Providers Documentation for JDK 6: SunJSSE provider',
  url: 'https://docs.oracle.com/javase/6/docs/technotes/guides/security/SunProviders.html#SunJSSEProvider',
  facts: ['versions', 'cipherSuites', 'groups', 'extensions', 'helloFormat'],
  note: 'SSLv3 and TLSv1 with SSLv2Hello enabled for clients (an SSLv2-format ClientHello, so no extensions and no SNI); '
    + 'default-enabled suites in preference order; no ECC suites without a PKCS#11 provider.',
};
const JSSE8: ClientSource = {
  title: 'Java Cryptography Architecture Oracle Providers Documentation for JDK 8: SunJSSE provider',
  url: 'https://docs.oracle.com/javase/8/docs/technotes/guides/security/SunProviders.html#SunJSSEProvider',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
  note: 'TLS-format ClientHello (SSLv2Hello off for clients); client protocols TLSv1, TLSv1.1, TLSv1.2 enabled by default; default-enabled suites in preference order (the AES-CBC '
    + 'SHA-2 suites before the GCM suites); supported elliptic curves in the jdk.tls.namedGroups default order.',
};
const JDK8_TLS12_BLOG: ClientSource = {
  title: 'Oracle Java Platform Group blog: JDK 8 will use TLS 1.2 as default',
  url: 'https://blogs.oracle.com/java-platform-group/jdk-8-will-use-tls-12-as-default',
  facts: ['versions', 'remediation'],
  note: 'JDK 7 clients default to TLSv1; -Djdk.tls.client.protocols (7u95+, 8) or -Dhttps.protocols (HttpsURLConnection) enable TLS 1.2.',
};
const JDK8_DH: ClientSource = {
  title: 'Java SE 8 Security Enhancements: SunJCE Diffie-Hellman key size up to 2048 bits',
  url: 'https://docs.oracle.com/javase/8/docs/technotes/guides/security/enhancements-8.html',
  facts: ['keyExchange'],
  note: 'JDK 7 and earlier cannot use DHE groups larger than 1024 bits ("Prime size must be multiple of 64, and can only range '
    + 'from 512 to 1024"); JDK 8 raises the limit to 2048.',
};
const JSSE11: ClientSource = {
  title: 'Java Security Developer\'s Guide 11: Oracle Providers, SunJSSE provider',
  url: 'https://docs.oracle.com/en/java/javase/11/security/oracle-providers.html#GUID-7093246A-31A3-4304-AC5F-5FB6400405E2',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
  note: 'TLS-format ClientHello; TLSv1.3 and TLSv1.2 enabled by default (JEP 332); default suite order; named groups x25519, secp256r1, secp384r1, '
    + 'secp521r1, x448, ffdhe2048-8192; no session tickets before JDK 13, no ChaCha20 before JDK 12.',
};
const JEP332: ClientSource = {
  title: 'JEP 332: Transport Layer Security (TLS) 1.3',
  url: 'https://openjdk.org/jeps/332',
  facts: ['versions', 'extensions'],
  note: 'TLS 1.3 in JDK 11: supported_versions, key_share, psk_key_exchange_modes, signature_algorithms_cert.',
};
const JSSE21: ClientSource = {
  title: 'Java Security Developer\'s Guide 21: Oracle Providers, SunJSSE provider',
  url: 'https://docs.oracle.com/en/java/javase/21/security/oracle-providers.html',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
  note: 'JDK 21 keeps the JDK 17 default protocols, cipher suite order and named groups (the hello captured from JDK 17.0.15 is used).',
};
const CAPTURE17: ClientSource = {
  title: 'Capture of OpenJDK 17.0.21.1 (Debian 12) SSLContext "TLS" default client hello, made on loopback with tests/tools/capture-clients.ts',
  url: 'docs/captures/java-17.json',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
};
const CAPTURE17_0_15: ClientSource = {
  title: 'Capture of OpenJDK 17.0.15 (Debian 12) SSLContext "TLS" default client hello, made on loopback with tests/tools/capture-clients.ts',
  url: 'docs/captures/java-17.0.15.json',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
};
const JAVA17_SECURITY: ClientSource = {
  title: 'OpenJDK 17 conf/security/java.security (jdk.tls.disabledAlgorithms, jdk.certpath.disabledAlgorithms)',
  url: 'https://docs.oracle.com/en/java/javase/17/security/java-secure-socket-extension-jsse-reference-guide.html',
  facts: ['certificate', 'keyExchange', 'remediation'],
  note: 'jdk.certpath.disabledAlgorithms: RSA keySize < 1024, EC keySize < 224, SHA1 jdkCA & usage TLSServer; '
    + 'jdk.tls.disabledAlgorithms: SSLv3, TLSv1, TLSv1.1, DH keySize < 1024, 3DES_EDE_CBC, RC4; system properties '
    + 'jdk.tls.client.protocols and https.protocols.',
};

const RFC5246_SIGALGS: ClientSource = {
  title: 'RFC 5246 section 7.4.1.4.1: Signature Algorithms (sent only by clients that offer TLS 1.2)',
  url: 'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.1.4.1',
  facts: ['signatureAlgorithms'],
  note: 'A client offering at most TLS 1.0 sends no signature_algorithms extension.',
};

const jext = (o: Partial<ClientExtensions> = {}): ClientExtensions => ({
  sni: true, alpn: null, extendedMasterSecret: false, sessionTicket: false, statusRequest: false, renegotiationInfo: false,
  ecPointFormats: [0], encryptThenMac: false, pskKeyExchangeModes: null, grease: false, ...o,
});

const JAVA7_CURVES = [23, 1, 3, 19, 21, 6, 7, 9, 10, 24, 11, 12, 25, 13, 14, 15, 16, 17, 2, 18, 4, 5, 20, 8, 22];
const JAVA8_SUITES = [
  0xc024, 0xc028, 0x003d, 0xc026, 0xc02a, 0x006b, 0x006a, 0xc00a, 0xc014, 0x0035, 0xc005, 0xc00f, 0x0039, 0x0038,
  0xc023, 0xc027, 0x003c, 0xc025, 0xc029, 0x0067, 0x0040, 0xc009, 0xc013, 0x002f, 0xc004, 0xc00e, 0x0033, 0x0032,
  0xc02c, 0xc02b, 0xc030, 0x009d, 0xc02e, 0xc032, 0x009f, 0x00a3, 0xc02f, 0x009c, 0xc02d, 0xc031, 0x009e, 0x00a2,
  0xc008, 0xc012, 0x000a, 0xc003, 0xc00d, 0x0016, 0x0013, 0x00ff,
];
const JAVA11_SUITES = [
  0x1302, 0x1301, 0xc02c, 0xc02b, 0xc030, 0x009f, 0xc02f, 0x009e, 0x00a3, 0x00a2, 0xc024, 0xc028, 0x006b, 0x006a,
  0xc023, 0xc027, 0x0067, 0x0040, 0xc02e, 0xc032, 0xc02d, 0xc031, 0xc026, 0xc02a, 0xc025, 0xc029, 0xc00a, 0xc014,
  0x0039, 0x0038, 0xc009, 0xc013, 0x0033, 0x0032, 0xc005, 0xc00f, 0xc004, 0xc00e, 0x009d, 0x009c, 0x003d, 0x003c,
  0x0035, 0x002f, 0x00ff,
];
/** Captured from OpenJDK 17.0.15 (docs/captures/java-17.0.15.json); Java 21 keeps these defaults. */
const JAVA17_0_15_SUITES = [
  0x1302, 0x1301, 0x1303, 0xc02c, 0xc02b, 0xcca9, 0xc030, 0xcca8, 0xc02f, 0x009f, 0xccaa, 0x00a3, 0x009e, 0x00a2,
  0xc024, 0xc028, 0xc023, 0xc027, 0x006b, 0x006a, 0x0067, 0x0040, 0xc00a, 0xc014, 0xc009, 0xc013, 0x0039, 0x0038,
  0x0033, 0x0032, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
const JAVA17_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
const JAVA17_0_15_SIGALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401,
  0x0501, 0x0601, 0x0402, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202];
/**
 * Captured from OpenJDK 17.0.21.1 (docs/captures/java-17.json): the TLS_RSA_* suites (RSA key
 * exchange) and the SHA-1 signature schemes are gone from the default hello, which 17.0.15 still sent.
 */
const JAVA17_SUITES = JAVA17_0_15_SUITES.filter((c) => ![0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f].includes(c));
const JAVA17_SIGALGS = JAVA17_0_15_SIGALGS.filter((c) => ![0x0203, 0x0201, 0x0202].includes(c));
const JAVA17_EXTRA = [
  { type: 17, data: '000702000400000000' },
  { type: 50, data: '002a040305030603080708080804080508060809080a080b0401050106010402030303010302020302010202' },
];
const JAVA17_ORDER = [0, 5, 10, 11, 17, 23, 35, 13, 43, 45, 50, 51];

const JAVA_PROTOCOLS = 'Run the JVM with -Djdk.tls.client.protocols=TLSv1.2 (Java 7u95+ and 8; for HttpsURLConnection also -Dhttps.protocols=TLSv1.2), or create the SSLContext with SSLContext.getInstance("TLSv1.2")';

export const JAVA_PROFILES: ClientProfile[] = [
  {
    id: 'java-6', name: 'Java 6 (6u45)', family: 'java',
    description: 'Oracle/OpenJDK 6u45 (last public update) default SSLContext: SSLv2Hello + SSLv3 + TLSv1, no ECC provider, limited-strength policy (no AES-256).',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: [0x0004, 0x0005, 0x002f, 0x0033, 0x0032, 0x000a, 0x0016, 0x0013, 0x0009, 0x0015, 0x0012, 0x0003, 0x0008, 0x0014, 0x0011, 0x00ff],
    groups: null, keyShareGroups: null, signatureAlgorithms: null,
    extensions: jext({ sni: false, ecPointFormats: null }),
    hello: { format: 'sslv2-compatible' },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: { maxDhBits: 1024 },
    remediation: {
      general: 'Java 6 cannot do TLS 1.2 (public updates end at 6u45): update the runtime to Java 8 or later.',
      keyExchange: 'Java 6 fails on DHE groups above 1024 bits: update to Java 8 or later, or prefer ECDHE / RSA key exchange for this client on the server.',
      sni: 'Java 6 sends no SNI: update to Java 7 or later, or give the server a default certificate valid for this host.',
    },
    trustStore: { family: 'java', line: 6, fromUpdate: 45, toUpdate: 45, frozenAt: '2013-04-16', label: 'Java 6u45', sources: [{ title: 'Java SE 6u45 release notes (16 April 2013)', url: 'https://www.oracle.com/java/technologies/javase/6u45-relnotes.html' }] },
    sources: [JSSE6, JDK8_DH, ROADMAP, JDK8_TLS12_BLOG, RFC5246_SIGALGS],
  },
  {
    id: 'java-7', name: 'Java 7 (7u80)', family: 'java',
    description: 'Oracle/OpenJDK 7u80 default client SSLContext: TLSv1 only (TLS 1.1/1.2 supported but off for clients; SSLv3 disabled since 7u75, RC4 since 7u76).',
    versions: ['TLSv1.0'],
    cipherSuites: [0xc009, 0xc013, 0x002f, 0xc004, 0xc00e, 0x0033, 0x0032, 0xc008, 0xc012, 0x000a, 0xc003, 0xc00d, 0x0016, 0x0013, 0x00ff],
    groups: JAVA7_CURVES, keyShareGroups: null, signatureAlgorithms: null,
    extensions: jext(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: true },
    keyExchange: { maxDhBits: 1024 },
    remediation: {
      general: `${JAVA_PROTOCOLS}; or update to Java 8 or later.`,
      keyExchange: 'Java 7 fails on DHE groups above 1024 bits: update to Java 8 or later, or prefer ECDHE for this client on the server.',
    },
    trustStore: { family: 'java', line: 7, fromUpdate: 80, toUpdate: 80, frozenAt: '2015-04-14', label: 'Java 7u80', sources: [{ title: 'Java SE 7u80 release notes (14 April 2015)', url: 'https://www.oracle.com/java/technologies/javase/7u80-relnotes.html' }] },
    sources: [JSSE7, JDK8_TLS12_BLOG, JDK8_DH, ROADMAP, RFC5246_SIGALGS,
      { title: 'Java SE 7 Update 95 release notes: new jdk.tls.client.protocols system property', url: 'https://www.oracle.com/java/technologies/javase/7u95-relnotes.html', facts: ['remediation'] }],
  },
  {
    id: 'java-8', name: 'Java 8 (8u181)', family: 'java',
    description: 'Oracle/OpenJDK 8u181-8u251 default client SSLContext: TLS 1.0-1.2, unlimited crypto policy, extended master secret (8u161+), no ALPN.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: JAVA8_SUITES,
    groups: [23, 24, 25, 9, 10, 11, 12, 13, 14, 22], keyShareGroups: null,
    signatureAlgorithms: [0x0603, 0x0601, 0x0503, 0x0501, 0x0403, 0x0401, 0x0303, 0x0301, 0x0203, 0x0201, 0x0202],
    extensions: jext({ extendedMasterSecret: true }),
    hello: { format: 'tls', recordVersion: 0x0303 },
    certificate: { minRsaBits: 1024, minEcBits: 224, acceptsSha1: true },
    keyExchange: { minDhBits: 1024, maxDhBits: 2048 },
    remediation: {
      general: 'Update to the current Java 8 update (8u341+ offers TLS 1.3) or to Java 17/21; check jdk.tls.disabledAlgorithms in $JAVA_HOME/jre/lib/security/java.security for locally disabled protocols or suites.',
      protocol: 'Java 8 offers TLS 1.0-1.2; a TLS 1.3-only server needs Java 8u261+ with -Djdk.tls.client.protocols=TLSv1.3,TLSv1.2 (default from 8u341), or Java 11+.',
    },
    trustStore: { family: 'java', line: 8, fromUpdate: 181, toUpdate: 251, frozenAt: '2020-04-14', label: 'Java 8u181-8u251', sources: [{ title: 'Java SE 8u251 release notes (14 April 2020)', url: 'https://www.oracle.com/java/technologies/javase/8u251-relnotes.html' }] },
    sources: [JSSE8, JDK8_TLS12_BLOG, JDK8_DH, ROADMAP],
  },
  {
    id: 'java-11', name: 'Java 11 (11.0.11+)', family: 'java',
    description: 'OpenJDK 11.0.11 or later default client: TLS 1.3 and 1.2 (TLS 1.0/1.1 disabled in 11.0.11), no ChaCha20, no session tickets.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: JAVA11_SUITES,
    groups: JAVA17_GROUPS, keyShareGroups: [0x001d, 0x0017],
    signatureAlgorithms: JAVA17_0_15_SIGALGS,
    extensions: jext({ extendedMasterSecret: true, statusRequest: true, renegotiationInfo: true, pskKeyExchangeModes: [1], extra: JAVA17_EXTRA }),
    hello: { format: 'tls', recordVersion: 0x0303 },
    certificate: { minRsaBits: 1024, minEcBits: 224, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'Update to the latest Java 11 update or to Java 17/21; check jdk.tls.disabledAlgorithms in $JAVA_HOME/conf/security/java.security; to talk to a TLS 1.0/1.1-only server (not recommended) remove TLSv1/TLSv1.1 from jdk.tls.disabledAlgorithms.' },
    trustStore: { family: 'java', line: 11, fromUpdate: 11, toUpdate: null, label: 'Java 11.0.11+', sources: [] },
    sources: [JSSE11, JEP332, ROADMAP, JAVA17_SECURITY],
  },
  {
    id: 'java-17', name: 'Java 17', family: 'java',
    description: 'OpenJDK 17 default SSLContext "TLS" client (captured from 17.0.21.1 on Debian 12; 17.0.15 still offered the TLS_RSA_* suites and SHA-1 signature schemes).',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: JAVA17_SUITES,
    groups: JAVA17_GROUPS, keyShareGroups: [0x001d, 0x0017], signatureAlgorithms: JAVA17_SIGALGS,
    extensions: jext({ extendedMasterSecret: true, sessionTicket: true, statusRequest: true, renegotiationInfo: true, pskKeyExchangeModes: [1], extra: JAVA17_EXTRA, order: JAVA17_ORDER }),
    hello: { format: 'tls', recordVersion: 0x0303 },
    certificate: { minRsaBits: 1024, minEcBits: 224, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'Java 17 offers TLS 1.2/1.3 with modern suites; check jdk.tls.disabledAlgorithms and jdk.tls.client.protocols overrides; to reach a TLS 1.0/1.1-only server (not recommended) remove TLSv1/TLSv1.1 from jdk.tls.disabledAlgorithms.' },
    realClient: 'java (SSLContext.getInstance("TLS").getSocketFactory())',
    trustStore: { family: 'java', line: 17, fromUpdate: 0, toUpdate: null, label: 'Java 17', sources: [] },
    sources: [CAPTURE17, JAVA17_SECURITY, ROADMAP],
  },
  {
    id: 'java-21', name: 'Java 21', family: 'java',
    description: 'OpenJDK 21 default SSLContext "TLS" client; same defaults as Java 17.0.15.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: JAVA17_0_15_SUITES,
    groups: JAVA17_GROUPS, keyShareGroups: [0x001d, 0x0017], signatureAlgorithms: JAVA17_0_15_SIGALGS,
    extensions: jext({ extendedMasterSecret: true, sessionTicket: true, statusRequest: true, renegotiationInfo: true, pskKeyExchangeModes: [1], extra: JAVA17_EXTRA, order: JAVA17_ORDER }),
    hello: { format: 'tls', recordVersion: 0x0303 },
    certificate: { minRsaBits: 1024, minEcBits: 224, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'Java 21 offers TLS 1.2/1.3 with modern suites; check jdk.tls.disabledAlgorithms and jdk.tls.client.protocols overrides in $JAVA_HOME/conf/security/java.security.' },
    trustStore: { family: 'java', line: 21, fromUpdate: 0, toUpdate: null, label: 'Java 21', sources: [] },
    sources: [JSSE21, CAPTURE17_0_15, JAVA17_SECURITY, ROADMAP],
  },
];
