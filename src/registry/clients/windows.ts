/**
 * Windows Schannel and the .NET Framework on top of it. .NET Framework has no
 * TLS stack of its own: the cipher suites, their order, the groups and the
 * signature algorithms are Schannel's; the .NET version decides which protocol
 * versions are requested (ServicePointManager.SecurityProtocol).
 */
import type { ClientProfile, ClientSource, ClientRemediation, ClientExtensions } from './types.js';

const WIN7_DOC: ClientSource = {
  title: 'Microsoft Learn: TLS Cipher Suites in Windows 7',
  url: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/tls-cipher-suites-in-windows-7',
  facts: ['cipherSuites', 'groups'],
  note: 'Default priority order after update 3042058; the _P256/_P384 variants are one code on the wire, with the curves in the '
    + 'elliptic_curves extension; RC4 is filtered out when the application passes SCH_USE_STRONG_CRYPTO; TLS 1.2-only suites are '
    + 'not offered when TLS 1.2 is not enabled.',
};
const WIN10_DOC: ClientSource = {
  title: 'Microsoft Learn: TLS Cipher Suites in Windows 10 v1607',
  url: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/tls-cipher-suites-in-windows-10-v1607',
  facts: ['cipherSuites', 'groups'],
  note: 'Default priority order; RC4, DES, export and NULL suites filtered by SCH_USE_STRONG_CRYPTO; curve order curve25519, '
    + 'NistP256, NistP384 (elliptic curve priority setting introduced in Windows 10).',
};
const SCHANNEL_PROTOCOLS: ClientSource = {
  title: 'Microsoft Learn: Protocols in TLS/SSL (Schannel SSP)',
  url: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-',
  facts: ['versions', 'extensions', 'signatureAlgorithms'],
  note: 'Windows 7 / Server 2008 R2 support TLS 1.1 and 1.2 but do not enable them for clients by default; Windows 8.1/10 '
    + 'enable TLS 1.0-1.2. Schannel sends SNI, renegotiation_info, extended_master_secret (after KB3081320 on Windows 7), '
    + 'session tickets and status_request.',
};
const WINHTTP_KB: ClientSource = {
  title: 'Microsoft Support KB3140245: Update to enable TLS 1.1 and TLS 1.2 as default secure protocols in WinHTTP in Windows',
  url: 'https://support.microsoft.com/help/3140245',
  facts: ['versions', 'remediation'],
  note: 'TLS 1.1/1.2 are off by default for Windows 7 clients; SCHANNEL\\Protocols\\TLS 1.2\\Client DisabledByDefault=0 enables them.',
};
const DOTNET_TLS: ClientSource = {
  title: 'Microsoft Learn: Transport Layer Security (TLS) best practices with the .NET Framework',
  url: 'https://learn.microsoft.com/en-us/dotnet/framework/network-programming/tls',
  facts: ['versions', 'remediation'],
  note: 'SchUseStrongCrypto and SystemDefaultTlsVersions registry values (both the 64-bit and the Wow6432Node '
    + '.NETFramework\\v4.0.30319 keys); apps targeting 4.7+ use SecurityProtocolType.SystemDefault (the OS defaults); '
    + 'before 4.6 the default is SSL 3.0 + TLS 1.0; apps targeting 4.6+ default to TLS 1.0-1.2 with strong crypto (no RC4, no SSL 3.0).',
};
const SECURITY_PROTOCOL_TYPE: ClientSource = {
  title: 'Microsoft Learn: SecurityProtocolType Enum (System.Net)',
  url: 'https://learn.microsoft.com/en-us/dotnet/api/system.net.securityprotocoltype',
  facts: ['versions', 'remediation'],
  note: 'Tls12 = 3072, Tls11 = 768, Tls = 192, Ssl3 = 48, SystemDefault = 0; Tls11/Tls12 exist from .NET Framework 4.5.',
};
const SEED_000: ClientSource = {
  title: 'OutSystems: Enable SSL for your integrations - TLS 1.1 and TLS 1.2 (seed 000)',
  url: 'seeds/000_03cef0ea3acce91f.txt',
  facts: ['versions', 'remediation'],
  note: '".NET Framework 4.5 (and older) uses, by default, two SSL Protocols: SSL v3 and TLS 1.0"; the SCHANNEL Client '
    + 'DisabledByDefault=0/Enabled=1 and SchUseStrongCrypto=1 registry steps.',
};
const KB3154518: ClientSource = {
  title: 'Microsoft Support KB3154518: Support for TLS System Default Versions included in the .NET Framework 3.5.1 on Windows 7 SP1',
  url: 'https://support.microsoft.com/help/3154518',
  facts: ['versions', 'remediation'],
  note: '.NET 3.5 offers SSL 3.0 + TLS 1.0 unless this update is installed and SystemDefaultTlsVersions=1 is set.',
};
const SEED_002: ClientSource = {
  title: 'Procore API Essentials: Transport Layer Security Requirements, permalink /tls-reqs (seed 002)',
  url: 'seeds/002_a87014b271bc0ef4.txt',
  facts: ['versions', 'remediation'],
  note: '.NET 4.5: SecurityProtocol = Tls12; .NET 4.0 with 4.5 installed: (SecurityProtocolType)3072; .NET 3.5 needs an update.',
};
const SCHANNEL_CERT: ClientSource = {
  title: 'Microsoft Support KB2661254 / Security Advisory 2661254: Update for minimum certificate key length',
  url: 'https://support.microsoft.com/kb/2661254',
  facts: ['certificate'],
  note: 'CryptoAPI chain building rejects RSA keys under 1024 bits; SHA-1 signed server certificates from private (non-Microsoft '
    + 'Trusted Root Program) CAs remain accepted by Windows.',
};
const TLS_REGISTRY: ClientSource = {
  title: 'Microsoft Learn: Transport Layer Security (TLS) registry settings',
  url: 'https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings',
  facts: ['keyExchange', 'remediation'],
  note: 'SCHANNEL\\Protocols\\<version>\\Client Enabled / DisabledByDefault values; KeyExchangeAlgorithms\\Diffie-Hellman '
    + 'ClientMinKeyBitLength (default 1024 since the 2015 update).',
};
const MS15_121: ClientSource = {
  title: 'Microsoft Security Bulletin MS15-121 (KB3081320): Security Update for Schannel to Address Spoofing',
  url: 'https://learn.microsoft.com/en-us/security-updates/securitybulletins/2015/ms15-121',
  facts: ['extensions', 'helloFormat'],
  note: 'Adds the extended_master_secret extension (RFC 7627) to Schannel on Windows 7 and later. Schannel writes 0x0300 as '
    + 'record version while SSL 3.0 is enabled, 0x0301 otherwise (observed behaviour of SSL 3.0-capable stacks).',
};

/** Windows 7 default order (after update 3042058), one code per suite. */
export const WIN7_SUITES = [
  0xc028, 0xc027, 0xc014, 0xc013, 0x009f, 0x009e, 0x0039, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f,
  0xc02c, 0xc02b, 0xc024, 0xc023, 0xc00a, 0xc009, 0x006a, 0x0040, 0x0038, 0x0032, 0x000a, 0x0013, 0x0005, 0x0004,
];
/** The Windows 7 suites usable at TLS 1.0 (what Schannel offers when TLS 1.2 is not enabled). */
export const WIN7_TLS10_SUITES = [0xc014, 0xc013, 0x0039, 0x0033, 0x0035, 0x002f, 0xc00a, 0xc009, 0x0038, 0x0032, 0x000a, 0x0013, 0x0005, 0x0004];
/** Windows 10 v1607+ default order. */
export const WIN10_SUITES = [
  0xc02c, 0xc02b, 0xc030, 0xc02f, 0x009f, 0x009e, 0xc024, 0xc023, 0xc028, 0xc027, 0xc00a, 0xc009, 0xc014, 0xc013,
  0x0039, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x000a, 0x006a, 0x0040, 0x0038, 0x0032, 0x0013, 0x0005, 0x0004,
];
const RC4 = new Set([0x0004, 0x0005]);
const strong = (l: number[]) => l.filter((c) => !RC4.has(c));

const WIN7_GROUPS = [0x0017, 0x0018];
const WIN10_GROUPS = [0x001d, 0x0017, 0x0018];
const WIN7_SIGALGS = [0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0201, 0x0203, 0x0202, 0x0402];
const WIN10_SIGALGS = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0201, 0x0203];

const schannelExt = (o: Partial<ClientExtensions> = {}): ClientExtensions => ({
  sni: true, alpn: null, extendedMasterSecret: true, sessionTicket: true, statusRequest: true, renegotiationInfo: true,
  ecPointFormats: [0], encryptThenMac: false, pskKeyExchangeModes: null, grease: false, ...o,
});
const windowsCert = { minRsaBits: 1024, minEcBits: 256, acceptsSha1: true };
const windowsKx = { minDhBits: 1024 };

const REG_TLS12_CLIENT = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client: '
  + 'DisabledByDefault=0, Enabled=1 (DWORD), then reboot';
const REG_STRONG = 'SchUseStrongCrypto=1 (DWORD) in HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and in '
  + 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319';
const REG_TOOL = 'tlsdoctor windows enable --tls12 --strong-crypto writes these keys as a .reg file';

export const DOTNET_REMEDIATION_45: ClientRemediation = {
  general: `Set ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12 (or | Tls11 | Tls) before the first request; or without a code change set ${REG_STRONG}, and ${REG_TLS12_CLIENT} on Windows 7 (${REG_TOOL}); better, retarget the application to .NET Framework 4.7.2 or later (SystemDefault).`,
};
const remediation = (general: string, extra: Partial<ClientRemediation> = {}): ClientRemediation => ({ general, ...extra });

export const WINDOWS_PROFILES: ClientProfile[] = [
  {
    id: 'dotnet-3.5', name: '.NET Framework 3.5 (Windows 7 SP1)', family: 'dotnet',
    description: 'HttpWebRequest/WCF on .NET Framework 3.5 on Windows 7 SP1, default ServicePointManager.SecurityProtocol (Ssl3 | Tls), SchUseStrongCrypto not set.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: WIN7_TLS10_SUITES,
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: null,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0300 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation(`Install the .NET 3.5 TLS update for the OS (KB3154518 on Windows 7 SP1) and set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 in HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727 and HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727, plus ${REG_TLS12_CLIENT} (tlsdoctor windows enable --tls12 --strong-crypto --system-default-tls writes these keys as a .reg file); better, retarget the application to .NET Framework 4.7.2 or later.`),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, DOTNET_TLS, SEED_000, KB3154518, SEED_002, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'dotnet-4.0', name: '.NET Framework 4.0 (Windows 7 SP1)', family: 'dotnet',
    description: '.NET Framework 4.0 on Windows 7 SP1, default SecurityProtocol (Ssl3 | Tls); 4.0 has no Tls12 member.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: WIN7_TLS10_SUITES,
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: null,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0300 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation(`Install .NET Framework 4.5 or later and set ServicePointManager.SecurityProtocol = (SecurityProtocolType)3072 (TLS 1.2; the enum member does not exist in 4.0) before the first request; or set ${REG_STRONG} and ${REG_TLS12_CLIENT} (${REG_TOOL}); better, retarget to .NET Framework 4.7.2 or later.`),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, DOTNET_TLS, SECURITY_PROTOCOL_TYPE, SEED_000, SEED_002, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'dotnet-4.5', name: '.NET Framework 4.5 default (Windows 7 SP1)', family: 'dotnet',
    description: '.NET Framework 4.5-4.5.2 on Windows 7 SP1 with the default SecurityProtocol: SSL 3.0 + TLS 1.0.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: WIN7_TLS10_SUITES,
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: null,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0300 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: DOTNET_REMEDIATION_45,
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, DOTNET_TLS, SECURITY_PROTOCOL_TYPE, SEED_000, SEED_002, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'dotnet-4.5-tls12', name: '.NET Framework 4.5 with SecurityProtocol = Tls12 (Windows 7 SP1)', family: 'dotnet',
    description: '.NET Framework 4.5 on Windows 7 SP1 with ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12 set in code (an explicit protocol overrides Schannel\'s DisabledByDefault).',
    versions: ['TLSv1.2'],
    cipherSuites: WIN7_SUITES,
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: WIN7_SIGALGS,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0303 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation('TLS 1.2 is requested; if it still fails the server wants a cipher suite Windows 7 lacks (no ECDHE-RSA with AES-GCM, no ChaCha20, no TLS 1.3): add one of the suites Windows 7 offers on the server, or move the client to Windows 10 or later.'),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, SECURITY_PROTOCOL_TYPE, SEED_002, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY,
      { title: 'Microsoft Learn: SCHANNEL_CRED structure (grbitEnabledProtocols)', url: 'https://learn.microsoft.com/en-us/windows/win32/api/schannel/ns-schannel-schannel_cred', facts: ['versions'], note: 'Protocols the application enables explicitly are used even when the registry marks them DisabledByDefault (the seed 000 note on grbitEnabledProtocols).' }],
  },
  {
    id: 'dotnet-4.6', name: '.NET Framework 4.6 (Windows 7 SP1)', family: 'dotnet',
    description: 'Application targeting .NET Framework 4.6-4.6.2 on Windows 7 SP1: default SecurityProtocol is Tls | Tls11 | Tls12 and strong crypto is on (no RC4, no SSL 3.0).',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: strong(WIN7_SUITES),
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: WIN7_SIGALGS,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation('TLS 1.0-1.2 are offered; if it fails the server wants a cipher suite Windows 7 lacks (no ECDHE-RSA with AES-GCM, no ChaCha20, no TLS 1.3): add one of the suites Windows 7 offers on the server, or move the client to Windows 10 or later.'),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, DOTNET_TLS, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'dotnet-4.7-win7', name: '.NET Framework 4.7 SystemDefault (Windows 7 SP1)', family: 'dotnet',
    description: 'Application targeting .NET Framework 4.7+ (SecurityProtocolType.SystemDefault) on Windows 7 SP1 without registry changes: the OS client default is TLS 1.0 only.',
    versions: ['TLSv1.0'],
    cipherSuites: strong(WIN7_TLS10_SUITES),
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: null,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation(`The application follows the OS: enable TLS 1.1/1.2 for Schannel clients on Windows 7 with ${REG_TLS12_CLIENT} (and TLS 1.1 likewise) (tlsdoctor windows enable --tls12 --tls11 writes these keys as a .reg file); or set ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12 in code.`),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, WINHTTP_KB, DOTNET_TLS, SEED_000, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'dotnet-4.7-win10', name: '.NET Framework 4.7 SystemDefault (Windows 10)', family: 'dotnet',
    description: 'Application targeting .NET Framework 4.7+ (SystemDefault) on Windows 10 v1607 or later: TLS 1.0-1.2 with the Windows 10 suite order.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: strong(WIN10_SUITES),
    groups: WIN10_GROUPS, keyShareGroups: null, signatureAlgorithms: WIN10_SIGALGS,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation('Windows 10 offers TLS 1.0-1.2 and modern suites; if it fails the server probably requires TLS 1.3 only (Windows 11 / Server 2022 and .NET Framework 4.8 are needed) or a suite outside the Windows list.'),
    sources: [WIN10_DOC, SCHANNEL_PROTOCOLS, DOTNET_TLS, SCHANNEL_CERT,
      MS15_121, TLS_REGISTRY],
  },
  {
    id: 'windows-7-schannel', name: 'Windows 7 Schannel (WinHTTP, IE 11 defaults)', family: 'windows',
    description: 'Any Schannel client on Windows 7 SP1 with OS defaults (WinHTTP, WinINet): SSL 3.0 and TLS 1.0, RC4 allowed.',
    versions: ['SSLv3', 'TLSv1.0'],
    cipherSuites: WIN7_TLS10_SUITES,
    groups: WIN7_GROUPS, keyShareGroups: null, signatureAlgorithms: null,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0300 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation(`Install KB3140245 (WinHTTP) and set ${REG_TLS12_CLIENT}, plus DefaultSecureProtocols=0xA80 under HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp (${REG_TOOL}).`),
    sources: [WIN7_DOC, SCHANNEL_PROTOCOLS, WINHTTP_KB, SEED_000, SCHANNEL_CERT, MS15_121, TLS_REGISTRY],
  },
  {
    id: 'windows-10-schannel', name: 'Windows 10 Schannel', family: 'windows',
    description: 'Any Schannel client on Windows 10 v1607+ with OS defaults: TLS 1.0-1.2.',
    versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    cipherSuites: WIN10_SUITES,
    groups: WIN10_GROUPS, keyShareGroups: null, signatureAlgorithms: WIN10_SIGALGS,
    extensions: schannelExt(),
    hello: { format: 'tls', recordVersion: 0x0301 },
    certificate: windowsCert, keyExchange: windowsKx,
    remediation: remediation('Windows 10 has no TLS 1.3 for Schannel clients: a TLS 1.3-only server needs Windows 11 / Server 2022 clients, or keep TLS 1.2 enabled on the server.'),
    sources: [WIN10_DOC, SCHANNEL_PROTOCOLS, SCHANNEL_CERT, MS15_121, TLS_REGISTRY],
  },
];
