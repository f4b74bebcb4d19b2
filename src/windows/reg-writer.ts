/**
 * Writes registry changes as a regedit file (.reg, "Windows Registry Editor
 * Version 5.00", CRLF line ends) or as a PowerShell script that exports the
 * affected keys first (reg export), then sets the values, then reminds to reboot.
 */
import type { RegValue } from './data.js';

const CRLF = '\r\n';

function groupByKey(values: RegValue[]): Map<string, RegValue[]> {
  const m = new Map<string, RegValue[]>();
  for (const v of values) {
    const list = m.get(v.key) ?? [];
    const i = list.findIndex((x) => x.name === v.name);
    if (i >= 0) list[i] = v; else list.push(v);
    m.set(v.key, list);
  }
  return m;
}

const dword = (n: number) => `dword:${(n >>> 0).toString(16).padStart(8, '0')}`;

export function toRegFile(values: RegValue[], comment: string[] = []): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const c of comment) lines.push(`; ${c}`);
  const sources = [...new Set(values.map((v) => v.source))];
  for (const s of sources) lines.push(`; source: ${s}`);
  lines.push('; Reboot after importing: Schannel and .NET read these values at start.');
  for (const [key, vals] of groupByKey(values)) {
    lines.push('', `[${key}]`);
    for (const v of vals) lines.push(`"${v.name}"=${dword(v.value)}`);
  }
  return lines.join(CRLF) + CRLF;
}

/** regedit exports are UTF-16LE with a byte order mark; regedit imports both that and ANSI/UTF-8. */
export function encodeRegFile(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

const psq = (s: string) => `'${s.replace(/'/g, "''")}'`;
const toPsPath = (key: string) => key.replace(/^HKEY_LOCAL_MACHINE\\/, 'HKLM:\\');
const toRegExePath = (key: string) => key.replace(/^HKEY_LOCAL_MACHINE\\/, 'HKLM\\');

export function toPowerShell(values: RegValue[], comment: string[] = []): string {
  const byKey = groupByKey(values);
  const L: string[] = [];
  L.push('#Requires -RunAsAdministrator');
  for (const c of comment) L.push(`# ${c}`);
  for (const s of new Set(values.map((v) => v.source))) L.push(`# source: ${s}`);
  L.push("$ErrorActionPreference = 'Stop'", '');
  L.push('# 1. Back up every key this script changes (reg export), so the change can be undone with reg import.');
  L.push("$backup = Join-Path $env:TEMP ('tlsdoctor-registry-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))");
  L.push('New-Item -ItemType Directory -Path $backup | Out-Null');
  L.push('$keys = @(');
  const keyList = [...byKey.keys()];
  keyList.forEach((k, i) => L.push(`  ${psq(toRegExePath(k))}${i < keyList.length - 1 ? ',' : ''}`));
  L.push(')');
  L.push('$i = 0');
  L.push('foreach ($k in $keys) {');
  L.push('  $i++');
  L.push("  $file = Join-Path $backup ('key' + $i + '.reg')");
  L.push("  # Test-Path, not reg query: Windows PowerShell 5.1 turns a native command's stderr into a terminating error under 'Stop'.");
  L.push("  if (Test-Path -LiteralPath ('Registry::' + $k)) {");
  L.push('    & reg.exe export $k $file /y | Out-Null');
  L.push('    if ($LASTEXITCODE -ne 0) { throw "Backup of $k failed; nothing was changed." }');
  L.push('  } else {');
  L.push("    Add-Content -Path (Join-Path $backup 'keys-that-did-not-exist.txt') -Value $k");
  L.push('  }');
  L.push('}');
  L.push('Write-Host "Backup of the current values written to $backup (undo: reg import each .reg file there; delete the keys listed in keys-that-did-not-exist.txt)."', '');
  L.push('# 2. Set the values.');
  L.push('function Set-TlsDword([string]$Path, [string]$Name, [int]$Value) {');
  L.push('  if (-not (Test-Path -LiteralPath $Path)) { New-Item -Path $Path -Force | Out-Null }');
  L.push('  New-ItemProperty -LiteralPath $Path -Name $Name -Value $Value -PropertyType DWord -Force | Out-Null');
  L.push('  Write-Host "  $Path : $Name = $Value"');
  L.push('}');
  for (const [key, vals] of byKey) {
    for (const v of vals) L.push(`Set-TlsDword ${psq(toPsPath(key))} ${psq(v.name)} ${v.value >>> 0}`);
  }
  L.push('');
  L.push('# 3. Schannel and the .NET Framework read these settings when they start.');
  L.push("Write-Warning 'Reboot this machine for the new TLS settings to take effect.'");
  return L.join('\r\n') + '\r\n';
}
