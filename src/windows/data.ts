/**
 * The Windows registry facts tlsdoctor writes and audits, each with its source.
 *
 * Sources:
 * - SEED_000: seeds/000 (OutSystems, "Enable SSL for your integrations - TLS 1.1
 *   and TLS 1.2"): Protocols\TLS 1.x\Client DisabledByDefault=0 and Enabled=1;
 *   SchUseStrongCrypto=1 under .NETFramework\v4.0.30319 and its Wow6432Node twin;
 *   reboot afterwards.
 * - MS_NETFX_TLS: Microsoft, "Transport Layer Security (TLS) best practices with
 *   the .NET Framework" (learn.microsoft.com/dotnet/framework/network-programming/tls):
 *   SchUseStrongCrypto and SystemDefaultTlsVersions, DWORD, under
 *   HKLM\SOFTWARE\[Wow6432Node\]Microsoft\.NETFramework\<VERSION>, VERSION
 *   v4.0.30319 (.NET Framework 4 and above) or v2.0.50727 (3.5); defaults by
 *   target framework; the KB hot fixes 3.5 needs.
 * - MS_SCHANNEL: Microsoft, "Transport Layer Security (TLS) registry settings"
 *   (learn.microsoft.com/windows-server/security/tls/tls-registry-settings):
 *   HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\
 *   <SSL|TLS> <major>.<minor>\<Client|Server>, DWORDs Enabled and DisabledByDefault;
 *   the three states Enabled / Disabled by default / Disabled.
 */

export const SOURCES = {
  SEED_000: 'seed 000: OutSystems, "Enable SSL for your integrations - TLS 1.1 and TLS 1.2"',
  MS_NETFX_TLS: 'Microsoft: "Transport Layer Security (TLS) best practices with the .NET Framework" (learn.microsoft.com/dotnet/framework/network-programming/tls)',
  MS_SCHANNEL: 'Microsoft: "Transport Layer Security (TLS) registry settings" (learn.microsoft.com/windows-server/security/tls/tls-registry-settings)',
} as const;

export const HKLM = 'HKEY_LOCAL_MACHINE';
export const SCHANNEL_PROTOCOLS = `${HKLM}\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols`;

export const PROTOCOLS = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type Role = 'Client' | 'Server';
export const ROLES: Role[] = ['Client', 'Server'];

export function schannelKey(p: Protocol, role: Role): string {
  return `${SCHANNEL_PROTOCOLS}\\${p}\\${role}`;
}

export type Framework = 'v4.0.30319' | 'v2.0.50727';
export type View = '64-bit' | '32-bit';
export const FRAMEWORKS: Framework[] = ['v4.0.30319', 'v2.0.50727'];
export const VIEWS: View[] = ['64-bit', '32-bit'];

/** 64-bit processes read the native key; 32-bit processes on 64-bit Windows read Wow6432Node. */
export function netfxKey(fw: Framework, view: View): string {
  return view === '64-bit'
    ? `${HKLM}\\SOFTWARE\\Microsoft\\.NETFramework\\${fw}`
    : `${HKLM}\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\${fw}`;
}

export interface RegValue { key: string; name: string; value: number; source: string }

/** Seed 000, part A: enable TLS 1.x for Schannel clients (exact values). */
export function enableClientProtocol(p: 'TLS 1.1' | 'TLS 1.2'): RegValue[] {
  const key = schannelKey(p, 'Client');
  return [
    { key, name: 'DisabledByDefault', value: 0, source: SOURCES.SEED_000 },
    { key, name: 'Enabled', value: 1, source: SOURCES.SEED_000 },
  ];
}

/**
 * Seed 000, part B: SchUseStrongCrypto=1 under v4.0.30319 in both views; Microsoft's
 * .NET TLS guide sets it under v2.0.50727 too (3.5 honours it when code names a TLS version).
 */
export function strongCrypto(): RegValue[] {
  return [
    { key: netfxKey('v4.0.30319', '64-bit'), name: 'SchUseStrongCrypto', value: 1, source: SOURCES.SEED_000 },
    { key: netfxKey('v4.0.30319', '32-bit'), name: 'SchUseStrongCrypto', value: 1, source: SOURCES.SEED_000 },
    { key: netfxKey('v2.0.50727', '64-bit'), name: 'SchUseStrongCrypto', value: 1, source: SOURCES.MS_NETFX_TLS },
    { key: netfxKey('v2.0.50727', '32-bit'), name: 'SchUseStrongCrypto', value: 1, source: SOURCES.MS_NETFX_TLS },
  ];
}

/** Microsoft's .NET TLS guide: let the OS choose the protocol, for 4.x and 3.5, both views. */
export function systemDefaultTls(): RegValue[] {
  return FRAMEWORKS.flatMap((fw) => VIEWS.map((view) => ({
    key: netfxKey(fw, view), name: 'SystemDefaultTlsVersions', value: 1, source: SOURCES.MS_NETFX_TLS,
  })));
}

/** Schannel "Disabled" state for the legacy protocols, client and server (MS_SCHANNEL). */
export function disableLegacy(): RegValue[] {
  return (['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1'] as const).flatMap((p) => ROLES.flatMap((role) => [
    { key: schannelKey(p, role), name: 'Enabled', value: 0, source: SOURCES.MS_SCHANNEL },
    { key: schannelKey(p, role), name: 'DisabledByDefault', value: 1, source: SOURCES.MS_SCHANNEL },
  ]));
}

/** KB updates .NET Framework 3.5 needs before SystemDefaultTlsVersions works (MS_NETFX_TLS). */
export const NETFX35_UPDATES = 'KB3154518 (Windows 7 SP1/2008 R2), KB3154519 (Server 2012), KB3154520 (8.1/2012 R2), or the May 2016 cumulative update on Windows 10';

/** Windows versions whose Schannel has TLS 1.2 client enabled by default (MS_NETFX_TLS "Support for TLS 1.2"). */
export const TLS12_OS_DEFAULT = 'enabled by default on Windows 8/Server 2012 and later; supported but not enabled by default on Windows 7 SP1/Server 2008 R2';
