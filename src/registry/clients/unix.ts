/**
 * OpenSSL and the runtimes built on it (Python, Ruby, curl, Node.js), GnuTLS and Go.
 * Profiles of clients installed on this machine come from captures of the real
 * thing (docs/captures/<id>.json, made with tests/tools/capture-clients.ts).
 */
import type { ClientProfile, ClientSource, ClientExtensions } from './types.js';

const capture = (id: string, what: string): ClientSource => ({
  title: `Capture of ${what} default client hello, made on loopback with tests/tools/capture-clients.ts (2026-11-23)`,
  url: `docs/captures/${id}.json`,
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat'],
});
/** OpenSSL 3.0 clients refuse servers without RFC 5746 (checked: tests/scan/simulate-agreement.test.ts, server noreneg). */
const OPENSSL3_LEGACY_CONNECT: ClientSource = {
  title: 'OpenSSL 3.0 manual: SSL_CTX_set_options(3), SECURE RENEGOTIATION',
  url: 'https://www.openssl.org/docs/man3.0/man3/SSL_CTX_set_options.html',
  facts: ['keyExchange', 'remediation'],
  note: 'SSL_OP_LEGACY_SERVER_CONNECT (connect to servers without RFC 5746 renegotiation_info) is no longer set by default '
    + 'since OpenSSL 3.0: the client aborts with "unsafe legacy renegotiation disabled". Seen here with openssl s_client, curl, '
    + 'node and python3 against gnutls-serv with %DISABLE_SAFE_RENEGOTIATION; openssl.cnf Options = UnsafeLegacyServerConnect, '
    + 's_client -legacy_server_connect, Node secureOptions SSL_OP_LEGACY_SERVER_CONNECT and Python options |= 0x4 each let it connect.',
};

const OPENSSL3_SECLEVEL: ClientSource = {
  title: 'OpenSSL 3.0 manual: SSL_CTX_set_security_level(3)',
  url: 'https://www.openssl.org/docs/man3.0/man3/SSL_CTX_set_security_level.html',
  facts: ['certificate', 'keyExchange'],
  note: 'Level 1 (the default): keys under 80 bits of security (RSA/DH < 1024, EC < 160) are refused, and SHA-1/MD5 '
    + 'signatures are forbidden, which includes the MD5+SHA-1 signature TLS 1.0/1.1 use in ServerKeyExchange; level 2: '
    + 'RSA/DH < 2048 and EC < 224 refused.',
};
const OPENSSL_CIPHERS_101: ClientSource = {
  title: 'OpenSSL 1.0.1 manual: ciphers(1) (DEFAULT = ALL:!aNULL:!eNULL:!SSLv2, sorted by strength)',
  url: 'https://www.openssl.org/docs/man1.0.1/apps/ciphers.html',
  facts: ['cipherSuites'],
  note: 'Order of `openssl ciphers -V DEFAULT` in 1.0.1 (256-bit before 128-bit, ECDHE before DHE before ECDH before RSA, '
    + 'export and RC4 last); the fixed-DH suites that 1.0.2 added are absent.',
};
const OPENSSL_101_NEWS: ClientSource = {
  title: 'OpenSSL 1.0.1 release notes (NEWS): TLS 1.1 and TLS 1.2 support, heartbeat extension',
  url: 'https://www.openssl.org/news/openssl-1.0.1-notes.html',
  facts: ['versions', 'extensions', 'groups', 'signatureAlgorithms', 'helloFormat', 'certificate', 'keyExchange', 'remediation'],
  note: 'TLS 1.2 first appears in 1.0.1 (seed 002: "TLS 1.2 was first supported in OpenSSL version 1.0.1"); the client sends '
    + 'all 25 RFC 4492 curves, the 1.0.1 signature_algorithms list, session tickets and the heartbeat extension; no '
    + 'security levels (any key size and SHA-1 are accepted).',
};
const OPENSSL_098: ClientSource = {
  title: 'OpenSSL 0.9.8 manual: ciphers(1) and SSL_CTX_new(3) (SSLv23_method sends an SSLv2-compatible hello while SSLv2 ciphers are enabled)',
  url: 'https://www.openssl.org/docs/man0.9.8/apps/ciphers.html',
  facts: ['versions', 'cipherSuites', 'helloFormat', 'extensions', 'groups', 'signatureAlgorithms', 'certificate', 'keyExchange'],
  note: 'DEFAULT = ALL:!ADH:+RC4:@STRENGTH including SSLv2 suites, so SSLv23_method writes an SSLv2-format ClientHello '
    + 'offering up to TLS 1.0 (no extensions possible); no TLS 1.1/1.2; ECC suites not enabled in 0.9.8 default builds.',
};
const OPENSSL_111: ClientSource = {
  title: 'OpenSSL 1.1.1 manual: SSL_CTX_set1_groups_list(3), ciphers(1), SSL_CTX_set_min_proto_version(3)',
  url: 'https://www.openssl.org/docs/man1.1.1/man3/SSL_CTX_set1_groups_list.html',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat', 'certificate', 'keyExchange'],
  note: 'Default groups X25519, P-256, X448, P-521, P-384; the DEFAULT cipher list and TLS 1.3 suites are the same as in 3.0 '
    + '(compare the 3.0 capture); TLS 1.0-1.3 enabled; security level 1 without the 3.0 ban on SHA-1 handshake signatures.',
};
const PY_SSL_DOCS: ClientSource = {
  title: 'Python 3 documentation: ssl - security considerations, create_default_context(); What\'s New in Python 3.10 (ssl)',
  url: 'https://docs.python.org/3/library/ssl.html#ssl-security',
  facts: ['versions', 'certificate', 'keyExchange', 'remediation'],
  note: 'Since 3.10 the default context requires TLS 1.2, drops suites without forward secrecy or with SHA-1 MAC, and uses '
    + 'OpenSSL security level 2 (RSA/DH keys under 2048 bits refused).',
};
const PEP466: ClientSource = {
  title: 'PEP 466 - Network Security Enhancements for Python 2.7.x; Python 2.7.9 changelog',
  url: 'https://peps.python.org/pep-0466/',
  facts: ['versions', 'cipherSuites', 'extensions', 'helloFormat', 'remediation'],
  note: '2.7.9 backports the 3.4 ssl module: SSLContext, create_default_context() with SNI, the _DEFAULT_CIPHERS string '
    + '(ECDH+AESGCM:DH+AESGCM:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:ECDH+HIGH:DH+HIGH:RSA+AESGCM:RSA+AES:RSA+HIGH:'
    + '!aNULL:!eNULL:!MD5), no SSLv2/SSLv3; before 2.7.9 httplib/urllib2 call ssl.wrap_socket() without server_hostname '
    + '(no SNI) and with the OpenSSL default cipher list.',
};
const RUBY_193: ClientSource = {
  title: 'Ruby 1.9.3 ext/openssl/lib/openssl/ssl-internal.rb: SSLContext::DEFAULT_PARAMS',
  url: 'https://github.com/ruby/ruby/blob/ruby_1_9_3/ext/openssl/lib/openssl/ssl-internal.rb',
  facts: ['versions', 'cipherSuites', 'extensions', 'helloFormat'],
  note: 'ssl_version SSLv23, ciphers "ALL:!ADH:!EXPORT:!SSLv2:RC4+RSA:+HIGH:+MEDIUM:+LOW" (no SSLv2 suites, so a TLS-format '
    + 'hello), expanded here with the OpenSSL 0.9.8 cipher table; Net::HTTP sets SSLSocket#hostname (SNI).',
};
const RUBY_27: ClientSource = {
  title: 'ruby/openssl lib/openssl/ssl.rb: SSLContext::DEFAULT_PARAMS (openssl gem 2.1, bundled with Ruby 2.7)',
  url: 'https://github.com/ruby/openssl/blob/v2.1.2/lib/openssl/ssl.rb',
  facts: ['versions', 'cipherSuites', 'extensions', 'helloFormat', 'groups', 'signatureAlgorithms'],
  note: 'Explicit TLS 1.2 cipher list (ECDHE-ECDSA-AES128-GCM-SHA256 ... AES256-SHA), OP_NO_SSLv2|OP_NO_SSLv3; with '
    + 'OpenSSL 1.1.1 the TLS 1.3 suites and the 1.1.1 default groups and signature algorithms are added.',
};
const SEED_002: ClientSource = {
  title: 'Procore API Essentials: Transport Layer Security Requirements, permalink /tls-reqs (seed 002)',
  url: 'seeds/002_a87014b271bc0ef4.txt',
  facts: ['versions', 'remediation'],
  note: 'Python 2.7.9+ has TLS 1.2 by default; Ruby 2.0 with OpenSSL 1.0.1+ has TLS 1.2; Ruby 1.9.3 needs a build against '
    + 'OpenSSL 1.0.1+; TLS 1.2 first in OpenSSL 1.0.1.',
};
const NODE10_DOCS: ClientSource = {
  title: 'Node.js v10 documentation: tls - Modifying the Default TLS Cipher suite',
  url: 'https://nodejs.org/docs/latest-v10.x/api/tls.html#tls_modifying_the_default_tls_cipher_suite',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat', 'certificate', 'keyExchange'],
  note: 'Default cipher string ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:...:HIGH:!aNULL:!eNULL:!EXPORT:!DES:'
    + '!RC4:!MD5:!PSK:!SRP:!CAMELLIA (the same string Node 20 still uses, see its capture), TLS 1.0-1.2 (no TLS 1.3 in Node '
    + '10), OpenSSL 1.1.x default groups.',
};
const GO_TLS: ClientSource = {
  title: 'Go 1.22 release notes (crypto/tls) and crypto/tls package documentation',
  url: 'https://go.dev/doc/go1.22#crypto/tls',
  facts: ['versions', 'cipherSuites', 'groups', 'signatureAlgorithms', 'extensions', 'helloFormat', 'certificate', 'keyExchange', 'remediation'],
  note: 'Client default minimum TLS 1.2 (since 1.18); RSA key exchange suites removed from the default list in 1.22 (GODEBUG '
    + 'tlsrsakex=1 restores them); ECDHE-RSA-3DES still default until 1.23; default curves X25519, P-256, P-384, P-521 '
    + '(X25519Kyber768 only from 1.23); SHA-1 certificate signatures rejected since 1.18; no DHE suites.',
};
const GNUTLS_PRIORITY: ClientSource = {
  title: 'GnuTLS 3.7 manual: Priority strings (NORMAL)',
  url: 'https://www.gnutls.org/manual/html_node/Priority-Strings.html',
  facts: ['certificate', 'keyExchange', 'remediation'],
  note: 'NORMAL: minimum profile LOW (RSA/DH >= 1024 bits); SHA-1 certificate signatures not accepted for verification by default.',
};

const OPENSSL_CONFIG: ClientSource = {
  title: 'OpenSSL 3.0 manual: config(5), system_default section (MinProtocol, CipherString) and openssl-s_client(1)',
  url: 'https://www.openssl.org/docs/man3.0/man5/config.html',
  facts: ['remediation'],
  note: 'System-wide MinProtocol / CipherString overrides; -cipher DEFAULT@SECLEVEL=0 for legacy peers.',
};
const CURL_MANPAGE: ClientSource = {
  title: 'curl man page: --tlsv1.2, --ciphers, --curves',
  url: 'https://curl.se/docs/manpage.html',
  facts: ['remediation'],
};
const NODE_RELEASES: ClientSource = {
  title: 'Node.js release schedule (nodejs/Release): Node.js 10 end-of-life 2021-04-30',
  url: 'https://github.com/nodejs/release#end-of-life-releases',
  facts: ['remediation'],
};

const ossl = (o: Partial<ClientExtensions> = {}): ClientExtensions => ({
  sni: true, alpn: null, extendedMasterSecret: true, sessionTicket: true, statusRequest: false, renegotiationInfo: false,
  ecPointFormats: [0, 1, 2], encryptThenMac: true, pskKeyExchangeModes: [1], grease: false, ...o,
});

/** OpenSSL 1.1.1/3.0 DEFAULT order (captured from 3.0.19; 1.1.1 is identical). */
export const OPENSSL3_SUITES = [
  0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b,
  0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
const OPENSSL3_GROUPS = [0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
const OPENSSL111_GROUPS = [0x001d, 0x0017, 0x001e, 0x0019, 0x0018];
const OPENSSL3_SIGALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
  0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602];
const OPENSSL101_SUITES = [
  0xc030, 0xc02c, 0xc028, 0xc024, 0xc014, 0xc00a, 0x00a3, 0x009f, 0x006b, 0x006a, 0x0039, 0x0038, 0x0088, 0x0087,
  0xc032, 0xc02e, 0xc02a, 0xc026, 0xc00f, 0xc005, 0x009d, 0x003d, 0x0035, 0x0084, 0xc012, 0xc008, 0x0016, 0x0013,
  0xc00d, 0xc003, 0x000a, 0xc02f, 0xc02b, 0xc027, 0xc023, 0xc013, 0xc009, 0x00a2, 0x009e, 0x0067, 0x0040, 0x0033,
  0x0032, 0x009a, 0x0099, 0x0045, 0x0044, 0xc031, 0xc02d, 0xc029, 0xc025, 0xc00e, 0xc004, 0x009c, 0x003c, 0x002f,
  0x0096, 0x0041, 0x0007, 0xc011, 0xc007, 0xc00c, 0xc002, 0x0005, 0x0004, 0x0015, 0x0012, 0x0009, 0x0014, 0x0011,
  0x0008, 0x0006, 0x0003, 0x00ff,
];
const OPENSSL101_CURVES = [14, 13, 25, 11, 12, 24, 9, 10, 22, 23, 8, 6, 7, 20, 21, 4, 5, 18, 19, 1, 2, 3, 15, 16, 17];
const OPENSSL101_SIGALGS = [0x0601, 0x0602, 0x0603, 0x0501, 0x0502, 0x0503, 0x0401, 0x0402, 0x0403, 0x0301, 0x0302,
  0x0303, 0x0201, 0x0202, 0x0203, 0x0101];
/** OpenSSL 0.9.8 DEFAULT (TLS codes only; the SSLv2 cipher kinds of the SSLv2-format hello are not listed). */
const OPENSSL098_SUITES = [0x0039, 0x0038, 0x0035, 0x0016, 0x0013, 0x000a, 0x0033, 0x0032, 0x002f, 0x0015, 0x0012,
  0x0009, 0x0014, 0x0011, 0x0008, 0x0006, 0x0003, 0x0005, 0x0004, 0x00ff];
/** Python 2.7.9 _DEFAULT_CIPHERS expanded for OpenSSL 1.0.1 (see PEP466 source note). */
const PY279_SUITES = [
  0xc02c, 0xc030, 0xc02b, 0xc02f, 0x00a3, 0x009f, 0x00a2, 0x009e, 0xc024, 0xc028, 0xc00a, 0xc014, 0x006b, 0x006a,
  0x0039, 0x0038, 0xc023, 0xc027, 0xc009, 0xc013, 0x0067, 0x0040, 0x0033, 0x0032, 0xc008, 0xc012, 0x0088, 0x0087,
  0x0045, 0x0044, 0x0016, 0x0013, 0x009d, 0x009c, 0x003d, 0x0035, 0x003c, 0x002f, 0x0084, 0x0041, 0x000a, 0x00ff,
];
const RUBY193_SUITES = [0x0039, 0x0038, 0x0035, 0x0016, 0x0013, 0x000a, 0x0033, 0x0032, 0x002f, 0x0005, 0x0004, 0x0015,
  0x0012, 0x0009, 0x00ff];
const RUBY27_SUITES = [0x1302, 0x1303, 0x1301,
  0xc02b, 0xc02f, 0xc02c, 0xc030, 0x009e, 0x00a2, 0x009f, 0x00a3, 0xc023, 0xc027, 0xc009, 0xc013, 0xc024, 0xc028, 0xc00a,
  0xc014, 0x0067, 0x006b, 0x0033, 0x0039, 0x0040, 0x006a, 0x0032, 0x0038, 0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035, 0x00ff];
const PY311_SUITES = [0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc024, 0xc028, 0xc023,
  0xc027, 0x009f, 0x009e, 0x006b, 0x0067, 0x00ff];
const NODE20_SUITES = [
  0x1302, 0x1303, 0x1301, 0xc02f, 0xc02b, 0xc030, 0xc02c, 0x009e, 0xc027, 0x0067, 0xc028, 0x006b, 0x00a3, 0x009f, 0xcca9,
  0xcca8, 0xccaa, 0xc0af, 0xc0ad, 0xc0a3, 0xc09f, 0xc05d, 0xc061, 0xc057, 0xc053, 0x00a2, 0xc0ae, 0xc0ac, 0xc0a2, 0xc09e,
  0xc05c, 0xc060, 0xc056, 0xc052, 0xc024, 0x006a, 0xc023, 0x0040, 0xc00a, 0xc014, 0x0039, 0x0038, 0xc009, 0xc013, 0x0033,
  0x0032, 0x009d, 0xc0a1, 0xc09d, 0xc051, 0x009c, 0xc0a0, 0xc09c, 0xc050, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
const GNUTLS_SUITES = [0x1302, 0x1303, 0x1301, 0x1304, 0xc02c, 0xcca9, 0xc0ad, 0xc00a, 0xc02b, 0xc0ac, 0xc009, 0xc030,
  0xcca8, 0xc014, 0xc02f, 0xc013, 0x009d, 0xc09d, 0x0035, 0x009c, 0xc09c, 0x002f, 0x009f, 0xccaa, 0xc09f, 0x0039, 0x009e,
  0xc09e, 0x0033];
const GO122_SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a,
  0xc014, 0xc012];

const PADDING_PY = { type: 21, data: '00'.repeat(40) };

const OPENSSL_UPGRADE = 'Build or link against OpenSSL 1.1.1 or 3.x (TLS 1.2 needs at least OpenSSL 1.0.1; `openssl version` shows the one in use)';

export const UNIX_PROFILES: ClientProfile[] = [
  {
    id: 'python-2.7.8', name: 'Python 2.7.8 (urllib2/httplib, OpenSSL 0.9.8)', family: 'python',
    description: 'Python 2.7.8 linked against OpenSSL 0.9.8 (the system OpenSSL of macOS before 10.11 and CentOS 5): ssl.wrap_socket(PROTOCOL_SSLv23) without server_hostname, OpenSSL default ciphers.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: OPENSSL098_SUITES,
    groups: null, keyShareGroups: null, signatureAlgorithms: null,
    extensions: ossl({ sni: false, extendedMasterSecret: false, sessionTicket: false, ecPointFormats: null, encryptThenMac: false, pskKeyExchangeModes: null }),
    hello: { format: 'sslv2-compatible' },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: {},
    remediation: { general: `Upgrade to Python 2.7.9+ (better 3.x) linked against OpenSSL 1.0.1 or later; pass server_hostname (SNI) and use ssl.create_default_context(). ${OPENSSL_UPGRADE}.` },
    sources: [PEP466, OPENSSL_098, SEED_002],
  },
  {
    id: 'python-2.7.9', name: 'Python 2.7.9 (OpenSSL 1.0.1)', family: 'python',
    description: 'Python 2.7.9 linked against OpenSSL 1.0.1, ssl.create_default_context(): TLS 1.0-1.2 with SNI.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: PY279_SUITES,
    groups: OPENSSL101_CURVES, keyShareGroups: null, signatureAlgorithms: OPENSSL101_SIGALGS,
    extensions: ossl({ extendedMasterSecret: false, encryptThenMac: false, pskKeyExchangeModes: null, extra: [{ type: 15, data: '01' }] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: {},
    remediation: { general: `Python 2.7.9 has TLS 1.2 when its OpenSSL is 1.0.1+; for TLS 1.3 move to Python 3.7+ with OpenSSL 1.1.1+. ${OPENSSL_UPGRADE}.` },
    sources: [PEP466, OPENSSL_101_NEWS, SEED_002],
  },
  {
    id: 'python-3.11', name: 'Python 3.11 (OpenSSL 3.0)', family: 'python',
    description: 'CPython 3.11 ssl.create_default_context() (urllib, requests) with OpenSSL 3.0 (captured on Debian 12).',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: PY311_SUITES,
    groups: OPENSSL3_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl({ extra: [PADDING_PY], order: [0, 11, 10, 35, 22, 23, 13, 43, 45, 51, 21] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 2048, minEcBits: 224, acceptsSha1: false },
    keyExchange: { minDhBits: 2048, requiresSecureRenegotiation: true },
    remediation: {
      general: 'Python 3.10+ requires TLS 1.2, forward secrecy and 2048-bit keys by default: fix the server (preferred), or for a legacy server build a context with ctx.minimum_version = ssl.TLSVersion.TLSv1 and ctx.set_ciphers("DEFAULT:@SECLEVEL=1").',
      renegotiation: 'Fix the server (RFC 5746 secure renegotiation: update its TLS stack, or enable TLS 1.3). For a legacy server only: ctx.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4) on the SSLContext used.',
    },
    realClient: 'python3 (ssl.create_default_context)',
    sources: [capture('python-3.11', 'CPython 3.11.7 with OpenSSL 3.0.19'), PY_SSL_DOCS, OPENSSL3_SECLEVEL, OPENSSL3_LEGACY_CONNECT],
  },
  {
    id: 'ruby-1.9.3', name: 'Ruby 1.9.3 (Net::HTTP, OpenSSL 0.9.8)', family: 'ruby',
    description: 'Ruby 1.9.3 Net::HTTP with SSLContext DEFAULT_PARAMS, linked against OpenSSL 0.9.8 (no TLS 1.1/1.2, no :TLSv1_2 method).',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: RUBY193_SUITES,
    groups: null, keyShareGroups: null, signatureAlgorithms: null,
    extensions: ossl({ extendedMasterSecret: false, ecPointFormats: null, encryptThenMac: false, pskKeyExchangeModes: null }),
    hello: { format: 'tls', recordVersion: 0x0300 },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: {},
    remediation: { general: `Upgrade to Ruby 2.x built against OpenSSL 1.0.1 or later (check: ruby -ropenssl -e 'puts OpenSSL::OPENSSL_VERSION'); Ruby 1.9.3 itself has no :TLSv1_2 method. ${OPENSSL_UPGRADE}.` },
    sources: [RUBY_193, OPENSSL_098, SEED_002],
  },
  {
    id: 'ruby-2.7', name: 'Ruby 2.7 (Net::HTTP, OpenSSL 1.1.1)', family: 'ruby',
    description: 'Ruby 2.7 Net::HTTP (openssl gem 2.1 DEFAULT_PARAMS) with OpenSSL 1.1.1: TLS 1.0-1.3.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: RUBY27_SUITES,
    groups: OPENSSL111_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'Ruby 2.7 with OpenSSL 1.1.1 offers TLS 1.0-1.3 but only the 30 DEFAULT_PARAMS suites (no ChaCha20): add one of them on the server, or set ctx.ciphers for the client.' },
    sources: [RUBY_27, OPENSSL_111, SEED_002],
  },
  {
    id: 'openssl-0.9.8', name: 'OpenSSL 0.9.8', family: 'openssl',
    description: 'An application using OpenSSL 0.9.8 (0.9.8zh) with SSLv23_client_method and the DEFAULT cipher list: SSLv2-compatible hello up to TLS 1.0.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: OPENSSL098_SUITES,
    groups: null, keyShareGroups: null, signatureAlgorithms: null,
    extensions: ossl({ sni: false, extendedMasterSecret: false, sessionTicket: false, ecPointFormats: null, encryptThenMac: false, pskKeyExchangeModes: null }),
    hello: { format: 'sslv2-compatible' },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: {},
    remediation: { general: `Upgrade to OpenSSL 1.0.1 or later (1.1.1 / 3.x today): 0.9.8 has no TLS 1.1/1.2. ${OPENSSL_UPGRADE}.` },
    sources: [OPENSSL_098, SEED_002],
  },
  {
    id: 'openssl-1.0.1', name: 'OpenSSL 1.0.1', family: 'openssl',
    description: 'An application using OpenSSL 1.0.1 (1.0.1u) with SSLv23_client_method and DEFAULT ciphers: TLS 1.0-1.2.',
    versions: ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: OPENSSL101_SUITES,
    groups: OPENSSL101_CURVES, keyShareGroups: null, signatureAlgorithms: OPENSSL101_SIGALGS,
    extensions: ossl({ extendedMasterSecret: false, encryptThenMac: false, pskKeyExchangeModes: null, extra: [{ type: 15, data: '01' }] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 512, minEcBits: 160, acceptsSha1: true },
    keyExchange: {},
    remediation: { general: 'OpenSSL 1.0.1 has TLS 1.2 but no TLS 1.3, ChaCha20 or X25519: upgrade to 1.1.1 or 3.x for TLS 1.3-only servers.' },
    sources: [OPENSSL_101_NEWS, OPENSSL_CIPHERS_101, SEED_002],
  },
  {
    id: 'openssl-1.1.1', name: 'OpenSSL 1.1.1', family: 'openssl',
    description: 'An application using OpenSSL 1.1.1 defaults (TLS_client_method, DEFAULT ciphers, security level 1): TLS 1.0-1.3.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: OPENSSL3_SUITES,
    groups: OPENSSL111_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'OpenSSL 1.1.1 offers TLS 1.0-1.3 with modern suites; check the system openssl.cnf (MinProtocol, CipherString @SECLEVEL) for local restrictions.' },
    sources: [OPENSSL_111, capture('openssl-3.0', 'OpenSSL 3.0.19 s_client (cipher order shared with 1.1.1)'), OPENSSL_CONFIG],
  },
  {
    id: 'openssl-3.0', name: 'OpenSSL 3.0 (s_client)', family: 'openssl',
    description: 'openssl s_client / an application with OpenSSL 3.0 defaults (captured from 3.0.19 on Debian 12): TLS 1.0-1.3 offered, security level 1.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: OPENSSL3_SUITES,
    groups: OPENSSL3_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl({ order: [0, 11, 10, 35, 22, 23, 13, 43, 45, 51] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: { minDhBits: 1024, rejectsLegacyKxSignature: true, requiresSecureRenegotiation: true },
    remediation: {
      general: 'OpenSSL 3.0 offers TLS 1.0-1.3; check the system openssl.cnf (MinProtocol, CipherString) for local restrictions.',
      keyExchange: 'OpenSSL 3.0 at security level 1 refuses the MD5+SHA-1 signed key exchange of TLS 1.0/1.1: enable TLS 1.2 on the server (best), or for a legacy server lower the client to -cipher DEFAULT@SECLEVEL=0.',
      renegotiation: 'Fix the server (RFC 5746 secure renegotiation: update its TLS stack, or enable TLS 1.3). For a legacy server only: s_client -legacy_server_connect, or Options = UnsafeLegacyServerConnect in the [system_default] section of openssl.cnf (every OpenSSL 3 application on the machine).',
    },
    realClient: 'openssl s_client',
    sources: [capture('openssl-3.0', 'OpenSSL 3.0.19 s_client'), OPENSSL3_SECLEVEL, OPENSSL_CONFIG, OPENSSL3_LEGACY_CONNECT],
  },
  {
    id: 'curl-7.88', name: 'curl 7.88 (Debian 12, OpenSSL 3.0)', family: 'curl',
    description: 'curl 7.88.1 / libcurl on Debian 12 with OpenSSL 3.0 (captured): like openssl-3.0 plus ALPN h2/http1.1, no session ticket.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: OPENSSL3_SUITES,
    groups: OPENSSL3_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl({ alpn: ['h2', 'http/1.1'], sessionTicket: false, extra: [{ type: 49, data: '' }, PADDING_PY], order: [0, 11, 10, 16, 22, 23, 49, 13, 43, 45, 51, 21] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: { minDhBits: 1024, rejectsLegacyKxSignature: true, requiresSecureRenegotiation: true },
    remediation: {
      general: 'curl with OpenSSL 3.0 offers TLS 1.0-1.3; --tlsv1.2 / --ciphers / --curves override the defaults.',
      keyExchange: 'OpenSSL 3.0 under curl refuses the MD5+SHA-1 signed key exchange of TLS 1.0/1.1: enable TLS 1.2 on the server, or (legacy only) curl --ciphers DEFAULT@SECLEVEL=0.',
      renegotiation: 'Fix the server (RFC 5746 secure renegotiation: update its TLS stack, or enable TLS 1.3). For a legacy server only: run curl with OPENSSL_CONF pointing to a file whose [system_default] section has Options = UnsafeLegacyServerConnect.',
    },
    realClient: 'curl',
    sources: [capture('curl-7.88', 'curl 7.88.1 (libcurl OpenSSL/3.0.19)'), OPENSSL3_SECLEVEL, CURL_MANPAGE, OPENSSL3_LEGACY_CONNECT],
  },
  {
    id: 'gnutls-3.7', name: 'GnuTLS 3.7 (gnutls-cli)', family: 'gnutls',
    description: 'gnutls-cli 3.7.9 on Debian 12 with the NORMAL priority (captured): TLS 1.0-1.3 offered.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    cipherSuites: GNUTLS_SUITES,
    groups: [0x0017, 0x0018, 0x0019, 0x001d, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104], keyShareGroups: [0x0017, 0x001d],
    signatureAlgorithms: [0x0401, 0x0809, 0x0804, 0x0403, 0x0807, 0x0501, 0x080a, 0x0805, 0x0503, 0x0808, 0x0601, 0x080b, 0x0806, 0x0603, 0x0201, 0x0203],
    extensions: ossl({ statusRequest: true, renegotiationInfo: true, ecPointFormats: [0], pskKeyExchangeModes: [1, 0], extra: [{ type: 28, data: '4001' }], order: [5, 10, 11, 13, 22, 23, 35, 51, 43, 65281, 0, 45, 28] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'GnuTLS NORMAL offers TLS 1.0-1.3; the priority string (--priority, /etc/gnutls/config) overrides it.' },
    realClient: 'gnutls-cli',
    sources: [capture('gnutls-3.7', 'gnutls-cli 3.7.9'), GNUTLS_PRIORITY],
  },
  {
    id: 'node-10', name: 'Node.js 10', family: 'node',
    description: 'Node.js 10 https/tls client defaults with OpenSSL 1.1.1 (10.16+): TLS 1.0-1.2, no TLS 1.3.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: NODE20_SUITES.filter((c) => c < 0x1301 || c > 0x1305),
    groups: OPENSSL111_GROUPS, keyShareGroups: null, signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl({ pskKeyExchangeModes: null }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: true },
    keyExchange: { minDhBits: 1024 },
    remediation: { general: 'Node.js 10 has no TLS 1.3 and is end-of-life: upgrade to a supported Node.js (20 or later).' },
    sources: [NODE10_DOCS, NODE_RELEASES, capture('node-20', 'Node.js 20.20.2 (OpenSSL 3.0.19) https.get; the same default cipher string as Node 10')],
  },
  {
    id: 'node-20', name: 'Node.js 20', family: 'node',
    description: 'Node.js 20 https.get / tls.connect defaults (captured from 20.20.2, OpenSSL 3.0.19): TLS 1.2-1.3.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: NODE20_SUITES,
    groups: OPENSSL3_GROUPS, keyShareGroups: [0x001d], signatureAlgorithms: OPENSSL3_SIGALGS,
    extensions: ossl({ order: [0, 11, 10, 35, 22, 23, 13, 43, 45, 51] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 1024, minEcBits: 160, acceptsSha1: false },
    keyExchange: { minDhBits: 1024, requiresSecureRenegotiation: true },
    remediation: {
      general: 'Node.js 20 requires TLS 1.2 by default: fix the server, or (legacy only) start node with --tls-min-v1.0 and pass ciphers: "DEFAULT@SECLEVEL=0".',
      renegotiation: 'Fix the server (RFC 5746 secure renegotiation: update its TLS stack, or enable TLS 1.3). For a legacy server only: pass secureOptions: crypto.constants.SSL_OP_LEGACY_SERVER_CONNECT to https.request / tls.connect (an https.Agent option too).',
    },
    realClient: 'node (https.get)',
    sources: [capture('node-20', 'Node.js 20.20.2 (OpenSSL 3.0.19) https.get'), OPENSSL3_SECLEVEL, OPENSSL3_LEGACY_CONNECT,
      { title: 'Node.js v20 documentation: tls.DEFAULT_MIN_VERSION, --tls-min-v1.0', url: 'https://nodejs.org/docs/latest-v20.x/api/tls.html#tlsdefault_min_version', facts: ['remediation'] }],
  },
  {
    id: 'go-1.22', name: 'Go 1.22 (crypto/tls, net/http)', family: 'go',
    description: 'Go 1.22 net/http client with the crypto/tls defaults on hardware with AES-GCM support: TLS 1.2-1.3, no RSA key exchange.',
    versions: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: GO122_SUITES,
    groups: [0x001d, 0x0017, 0x0018, 0x0019], keyShareGroups: [0x001d],
    signatureAlgorithms: [0x0804, 0x0403, 0x0807, 0x0805, 0x0503, 0x0806, 0x0603, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201],
    extensions: ossl({ alpn: ['h2', 'http/1.1'], statusRequest: true, renegotiationInfo: true, ecPointFormats: [0], encryptThenMac: false, extra: [{ type: 18, data: '' }] }),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: { minRsaBits: 512, minEcBits: 224, acceptsSha1: false },
    keyExchange: {},
    remediation: {
      general: 'Go 1.22 offers TLS 1.2/1.3 with ECDHE suites only.',
      cipher: 'Go 1.22 dropped RSA key exchange suites: enable an ECDHE suite on the server, or (temporarily) run the client with GODEBUG=tlsrsakex=1.',
      protocol: 'Go clients require TLS 1.2 since Go 1.18: enable TLS 1.2 on the server, or set tls.Config{MinVersion: tls.VersionTLS10} (legacy only).',
    },
    sources: [GO_TLS],
  },
];
