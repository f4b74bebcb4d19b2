/**
 * What a regedit export says about TLS on that Windows machine: the Schannel
 * state of each protocol for clients and servers, the .NET Framework
 * SchUseStrongCrypto/SystemDefaultTlsVersions values in both registry views,
 * and which .NET target frameworks would use TLS 1.2 — with what is missing.
 * Rules from SOURCES.MS_SCHANNEL and SOURCES.MS_NETFX_TLS (src/windows/data.ts).
 */
import {
  PROTOCOLS, ROLES, FRAMEWORKS, VIEWS, schannelKey, netfxKey, NETFX35_UPDATES, TLS12_OS_DEFAULT,
  type Protocol, type Role, type Framework, type View,
} from './data.js';
import { getDword, type RegFile } from './reg-parser.js';

export type SchannelState = 'enabled' | 'disabled-by-default' | 'disabled' | 'os-default';

export interface ProtocolRow {
  protocol: Protocol;
  role: Role;
  state: SchannelState;
  enabled?: number;
  disabledByDefault?: number;
}

export interface NetFxRow {
  framework: Framework;
  view: View;
  key: string;
  schUseStrongCrypto?: number;
  systemDefaultTlsVersions?: number;
}

export type Tls12Answer = 'yes' | 'no' | 'depends-on-windows-version';

export interface TargetVerdict {
  target: '4.7+' | '4.6' | '4.0-4.5.x' | '3.5';
  view: View;
  tls12: Tls12Answer;
  why: string;
}

export interface WindowsAudit {
  protocols: ProtocolRow[];
  netfx: NetFxRow[];
  targets: TargetVerdict[];
  missing: string[];
  warnings: string[];
}

/** Schannel state from Enabled/DisabledByDefault, as the Schannel registry reference defines it. */
export function schannelState(enabled: number | undefined, disabledByDefault: number | undefined): SchannelState {
  if (enabled === 0) return 'disabled';
  if (enabled === undefined && disabledByDefault === undefined) return 'os-default';
  if (disabledByDefault !== undefined && disabledByDefault !== 0) return 'disabled-by-default';
  return 'enabled';
}

export function auditRegistry(f: RegFile): WindowsAudit {
  const warnings: string[] = [];
  const dw = (key: string, name: string): number | undefined => {
    const v = getDword(f, key, name);
    if (v === 'not-a-dword') { warnings.push(`${key}\\${name} is not a DWORD: ignored, as Windows ignores it`); return undefined; }
    return v;
  };
  const protocols: ProtocolRow[] = [];
  for (const protocol of PROTOCOLS) {
    for (const role of ROLES) {
      const key = schannelKey(protocol, role);
      const enabled = dw(key, 'Enabled'), dbd = dw(key, 'DisabledByDefault');
      const row: ProtocolRow = { protocol, role, state: schannelState(enabled, dbd) };
      if (enabled !== undefined) row.enabled = enabled;
      if (dbd !== undefined) row.disabledByDefault = dbd;
      protocols.push(row);
    }
  }
  const netfx: NetFxRow[] = [];
  for (const framework of FRAMEWORKS) {
    for (const view of VIEWS) {
      const key = netfxKey(framework, view);
      const row: NetFxRow = { framework, view, key };
      const s = dw(key, 'SchUseStrongCrypto'), d = dw(key, 'SystemDefaultTlsVersions');
      if (s !== undefined) row.schUseStrongCrypto = s;
      if (d !== undefined) row.systemDefaultTlsVersions = d;
      netfx.push(row);
    }
  }
  const tls12Client = protocols.find((p) => p.protocol === 'TLS 1.2' && p.role === 'Client')!.state;
  // When .NET lets the OS choose (SystemDefaultTlsVersions), TLS 1.2 is used only if the client side is enabled.
  const osChooses = (): [Tls12Answer, string] => {
    switch (tls12Client) {
      case 'enabled': return ['yes', 'the OS chooses and Schannel has TLS 1.2 (client) enabled'];
      case 'os-default': return ['depends-on-windows-version', `the OS chooses; Schannel TLS 1.2 (client) is not set, so it is the OS default: ${TLS12_OS_DEFAULT}`];
      case 'disabled-by-default': return ['no', 'the OS chooses, but Schannel TLS 1.2 (client) is disabled by default'];
      case 'disabled': return ['no', 'Schannel TLS 1.2 (client) is disabled'];
    }
  };
  // When .NET names TLS 1.2 itself (strong crypto), "disabled by default" does not stop it; "disabled" does.
  const netNames = (what: string): [Tls12Answer, string] => tls12Client === 'disabled'
    ? ['no', `${what}, but Schannel TLS 1.2 (client) is disabled`]
    : ['yes', `${what}: .NET asks Schannel for TLS 1.0, 1.1 and 1.2`];
  const targets: TargetVerdict[] = [];
  for (const view of VIEWS) {
    const v4 = netfx.find((r) => r.framework === 'v4.0.30319' && r.view === view)!;
    const v2 = netfx.find((r) => r.framework === 'v2.0.50727' && r.view === view)!;
    const push = (target: TargetVerdict['target'], [tls12, why]: [Tls12Answer, string]) => targets.push({ target, view, tls12, why });
    // 4.7+: SystemDefaultTlsVersions defaults to 1 for apps that target 4.7 or later.
    if (v4.systemDefaultTlsVersions === 0) {
      push('4.7+', v4.schUseStrongCrypto === 0 ? ['no', 'SystemDefaultTlsVersions=0 and SchUseStrongCrypto=0: SSL 3.0/TLS 1.0 only'] : netNames('SystemDefaultTlsVersions=0, strong crypto by default'));
    } else push('4.7+', osChooses());
    // 4.6.x: strong crypto is the default for apps that target 4.6 or later.
    if (v4.systemDefaultTlsVersions === 1) push('4.6', osChooses());
    else if (v4.schUseStrongCrypto === 0) push('4.6', ['no', 'SchUseStrongCrypto=0 turns off the 4.6 default of strong crypto']);
    else push('4.6', netNames('strong crypto (the default for apps targeting 4.6)'));
    // 4.0-4.5.x: SSL 3.0 + TLS 1.0 unless a registry value says otherwise.
    if (v4.systemDefaultTlsVersions === 1) push('4.0-4.5.x', osChooses());
    else if (v4.schUseStrongCrypto === 1) push('4.0-4.5.x', netNames('SchUseStrongCrypto=1'));
    else push('4.0-4.5.x', ['no', 'neither SchUseStrongCrypto nor SystemDefaultTlsVersions is 1: .NET offers SSL 3.0 and TLS 1.0 only']);
    // 3.5: only through SystemDefaultTlsVersions under v2.0.50727, with the hot fix installed.
    if (v2.systemDefaultTlsVersions === 1) {
      const [a, why] = osChooses();
      push('3.5', [a, `${why}; needs the .NET 3.5 TLS update (${NETFX35_UPDATES})`]);
    } else push('3.5', ['no', 'SystemDefaultTlsVersions is not 1 under v2.0.50727 (SchUseStrongCrypto alone helps 3.5 only when code names TLS 1.2)']);
  }
  const missing: string[] = [];
  if (tls12Client === 'disabled' || tls12Client === 'disabled-by-default') {
    missing.push(`set Enabled=1 and DisabledByDefault=0 under ${schannelKey('TLS 1.2', 'Client')} (tlsdoctor windows enable --tls12)`);
  } else if (tls12Client === 'os-default') {
    missing.push(`on Windows 7 SP1/Server 2008 R2, set Enabled=1 and DisabledByDefault=0 under ${schannelKey('TLS 1.2', 'Client')} (tlsdoctor windows enable --tls12); later Windows versions have it enabled already`);
  }
  for (const view of VIEWS) {
    const v4 = netfx.find((r) => r.framework === 'v4.0.30319' && r.view === view)!;
    const v2 = netfx.find((r) => r.framework === 'v2.0.50727' && r.view === view)!;
    const who = view === '64-bit' ? '64-bit processes' : '32-bit processes';
    if (v4.schUseStrongCrypto !== 1 && v4.systemDefaultTlsVersions !== 1) {
      missing.push(`SchUseStrongCrypto=1 under ${v4.key} (${who} targeting .NET 4.0-4.5.x; tlsdoctor windows enable --strong-crypto)`);
    }
    if (v4.systemDefaultTlsVersions !== 1) {
      missing.push(`SystemDefaultTlsVersions=1 under ${v4.key} (${who}: let the OS choose, as Microsoft recommends; tlsdoctor windows enable --system-default-tls)`);
    }
    if (v2.systemDefaultTlsVersions !== 1) {
      missing.push(`SystemDefaultTlsVersions=1 under ${v2.key} (${who} targeting .NET 3.5, with ${NETFX35_UPDATES})`);
    }
  }
  const has = (prefix: string) => [...f.keys.keys()].some((k) => k === prefix.toUpperCase() || k.startsWith(prefix.toUpperCase() + '\\'));
  if (!has('HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL')) {
    warnings.push('the file has no key under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL: Schannel states are shown as OS default; export that key too (reg export "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL" schannel.reg)');
  }
  if (!has('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework') && !has('HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework')) {
    warnings.push('the file has no key under HKLM\\SOFTWARE\\[Wow6432Node\\]Microsoft\\.NETFramework: .NET values are shown as not set; export those keys too');
  }
  for (const p of protocols) {
    if ((p.protocol === 'SSL 2.0' || p.protocol === 'SSL 3.0') && p.state === 'enabled') warnings.push(`${p.protocol} ${p.role} is enabled: it is broken (RFC 6176, RFC 7568); disable it (tlsdoctor windows enable --disable-legacy)`);
  }
  return { protocols, netfx, targets, missing, warnings };
}

const STATE_TEXT: Record<SchannelState, string> = {
  'enabled': 'enabled', 'disabled-by-default': 'disabled by default', 'disabled': 'disabled', 'os-default': 'OS default',
};

export function renderAuditText(a: WindowsAudit): string {
  const L: string[] = [];
  L.push('Schannel protocols (HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols)');
  L.push(`  ${'protocol'.padEnd(9)} ${'client'.padEnd(20)} server`);
  for (const p of PROTOCOLS) {
    const c = a.protocols.find((r) => r.protocol === p && r.role === 'Client')!;
    const s = a.protocols.find((r) => r.protocol === p && r.role === 'Server')!;
    L.push(`  ${p.padEnd(9)} ${STATE_TEXT[c.state].padEnd(20)} ${STATE_TEXT[s.state]}`);
  }
  L.push('', '.NET Framework registry values');
  L.push(`  ${'framework'.padEnd(11)} ${'view'.padEnd(7)} ${'SchUseStrongCrypto'.padEnd(19)} SystemDefaultTlsVersions`);
  for (const r of a.netfx) {
    const show = (v?: number) => (v === undefined ? 'not set' : String(v));
    L.push(`  ${r.framework.padEnd(11)} ${r.view.padEnd(7)} ${show(r.schUseStrongCrypto).padEnd(19)} ${show(r.systemDefaultTlsVersions)}`);
  }
  L.push('', 'Would use TLS 1.2 (apps that do not set a protocol in code)');
  for (const t of a.targets) L.push(`  .NET ${t.target.padEnd(10)} ${t.view.padEnd(7)} ${t.tls12.padEnd(26)} ${t.why}`);
  if (a.missing.length) { L.push('', 'Still missing'); for (const m of a.missing) L.push(`  - ${m}`); }
  if (a.warnings.length) { L.push('', 'Warnings'); for (const w of a.warnings) L.push(`  - ${w}`); }
  L.push('', 'Changes take effect after a reboot.');
  return L.join('\n') + '\n';
}
