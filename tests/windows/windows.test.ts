/**
 * windows enable → audit round trips, hand-made regedit exports (UTF-16LE with
 * BOM and ANSI, every Schannel state), the exact keys and values of seed 000,
 * and clear errors with line numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { enableValues } from '../../src/cli/commands/windows.js';
import { toRegFile, toPowerShell, encodeRegFile } from '../../src/windows/reg-writer.js';
import { parseRegFile, parseRegText, RegFormatError } from '../../src/windows/reg-parser.js';
import { auditRegistry, renderAuditText, type WindowsAudit } from '../../src/windows/audit.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('tlsdoctor-win-');

function sink() {
  let text = '';
  const s = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
  return { s, get text() { return text; } };
}
async function cli(...args: string[]) {
  const out = sink(), err = sink();
  const code = await main(['node', 'tlsdoctor', ...args], { stdout: out.s, stderr: err.s });
  return { code, out: out.text, err: err.text };
}

const state = (a: WindowsAudit, p: string, role: 'Client' | 'Server') => a.protocols.find((r) => r.protocol === p && r.role === role)!.state;
const tls12 = (a: WindowsAudit, target: string, view: '64-bit' | '32-bit') => a.targets.find((t) => t.target === target && t.view === view)!.tls12;

// Seed 000 (OutSystems, "Enable SSL for your integrations"): the keys and values it tells users to create by hand.
const SEED_000 = [
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client]\r\n"DisabledByDefault"=dword:00000000\r\n"Enabled"=dword:00000001\r\n',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\r\n"SchUseStrongCrypto"=dword:00000001\r\n',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\r\n"SchUseStrongCrypto"=dword:00000001\r\n',
];

test('windows enable --tls12 --strong-crypto writes exactly the keys and values of seed 000', async () => {
  const r = await cli('windows', 'enable', '--tls12', '--strong-crypto');
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.startsWith('Windows Registry Editor Version 5.00\r\n\r\n'));
  for (const block of SEED_000) assert.ok(r.out.includes(block), `missing:\n${block}`);
  assert.doesNotMatch(r.out.replace(/\r\n/g, ''), /\n|\r/, 'every line ends with CRLF');
  assert.match(r.out, /; source: seed 000/);
  assert.match(r.out, /Reboot/);
  // TLS 1.1 only when asked; SystemDefaultTlsVersions only with --system-default-tls.
  assert.doesNotMatch(r.out, /\\TLS 1\.1\\|SystemDefaultTlsVersions/);
  const t11 = await cli('windows', 'enable', '--tls11');
  assert.ok(t11.out.includes('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.1\\Client]\r\n"DisabledByDefault"=dword:00000000\r\n"Enabled"=dword:00000001\r\n'));
});

test('--system-default-tls sets SystemDefaultTlsVersions=1 for v4.0.30319 and v2.0.50727 in both views (Microsoft .NET TLS guide)', () => {
  const text = toRegFile(enableValues({ systemDefaultTls: true }));
  for (const k of ['SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319', 'SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319',
    'SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727', 'SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727']) {
    assert.ok(text.includes(`[HKEY_LOCAL_MACHINE\\${k}]\r\n"SystemDefaultTlsVersions"=dword:00000001\r\n`), k);
  }
});

test('-o FILE writes a .reg as UTF-16LE with BOM (like regedit exports) that audit reads back', async () => {
  const file = join(dir, 'enable.reg');
  const r = await cli('windows', 'enable', '-o', file);
  assert.equal(r.code, 0, r.err);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 4)], [0xff, 0xfe, 0x57, 0x00]); // BOM, "W"
  assert.ok(bytes.subarray(2).toString('utf16le').startsWith('Windows Registry Editor Version 5.00\r\n'));
  const a = await cli('windows', 'audit', file, '--json');
  assert.equal(a.code, 0, a.err);
  const j = JSON.parse(a.out) as WindowsAudit & { encoding: string; format: string };
  assert.equal(j.encoding, 'utf16le');
  assert.equal(j.format, 'REGEDIT5');
  assert.ok(j.targets.every((t) => t.tls12 === 'yes'), JSON.stringify(j.targets));
  assert.deepEqual(j.missing, []);
});

test('round trip: each enable flag set gives the expected audit', () => {
  const audit = (o: Parameters<typeof enableValues>[0]) => auditRegistry(parseRegFile(encodeRegFile(toRegFile(enableValues(o)))));
  const onlyTls12 = audit({ tls12: true });
  assert.equal(state(onlyTls12, 'TLS 1.2', 'Client'), 'enabled');
  assert.equal(state(onlyTls12, 'TLS 1.2', 'Server'), 'os-default');
  assert.equal(tls12(onlyTls12, '4.7+', '64-bit'), 'yes');
  assert.equal(tls12(onlyTls12, '4.6', '32-bit'), 'yes');
  assert.equal(tls12(onlyTls12, '4.0-4.5.x', '64-bit'), 'no');
  assert.equal(tls12(onlyTls12, '3.5', '64-bit'), 'no');

  const seedFix = audit({ tls12: true, strongCrypto: true });
  for (const v of ['64-bit', '32-bit'] as const) {
    assert.equal(tls12(seedFix, '4.0-4.5.x', v), 'yes');
    assert.equal(tls12(seedFix, '3.5', v), 'no', 'SchUseStrongCrypto alone does not move 3.5 defaults');
  }
  assert.ok(seedFix.missing.some((m) => /SystemDefaultTlsVersions=1 under .*v2\.0\.50727/.test(m)));

  const legacy = audit({ disableLegacy: true, tls12: true });
  for (const p of ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1']) for (const r of ['Client', 'Server'] as const) assert.equal(state(legacy, p, r), 'disabled', `${p} ${r}`);
  assert.equal(state(legacy, 'TLS 1.3', 'Client'), 'os-default');

  const strongOnly = audit({ strongCrypto: true });
  assert.equal(tls12(strongOnly, '4.0-4.5.x', '32-bit'), 'yes');
  assert.equal(tls12(strongOnly, '4.7+', '64-bit'), 'depends-on-windows-version');
  assert.ok(strongOnly.missing.some((m) => /Windows 7 SP1.*TLS 1\.2\\Client/.test(m)));
  assert.ok(strongOnly.warnings.some((w) => /no key under HKLM\\SYSTEM.*SCHANNEL/.test(w)), 'an export without SCHANNEL keys is flagged');
  assert.ok(!onlyTls12.warnings.some((w) => /no key under HKLM\\SYSTEM/.test(w)));
  assert.ok(onlyTls12.warnings.some((w) => /no key under .*NETFramework/.test(w)));
});

test('-o FILE --format ps1 writes UTF-8 with BOM (Windows PowerShell 5.1 reads it as UTF-8)', async () => {
  const file = join(dir, 'enable.ps1');
  const r = await cli('windows', 'enable', '--format', 'ps1', '--tls12', '-o', file);
  assert.equal(r.code, 0, r.err);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(bytes.subarray(3).toString('utf8').startsWith('#Requires -RunAsAdministrator\r\n'));
  assert.match(r.err, /reboot/);
  assert.equal((await cli('windows', 'enable', '--format', 'xml')).code, 2);
});

test('--tls11 with --disable-legacy is refused (exit 2)', async () => {
  const r = await cli('windows', 'enable', '--tls11', '--disable-legacy');
  assert.equal(r.code, 2);
  assert.match(r.err, /contradict/);
});

test('the .ps1 backs up every key with reg export before changing anything, then reminds to reboot', () => {
  const values = enableValues({ tls12: true, strongCrypto: true, systemDefaultTls: true });
  const ps = toPowerShell(values);
  assert.ok(ps.startsWith('#Requires -RunAsAdministrator\r\n'));
  const exportAt = ps.indexOf('reg.exe export'), firstSet = ps.indexOf("Set-TlsDword 'HKLM:");
  assert.ok(exportAt > 0 && firstSet > exportAt);
  for (const v of values) {
    assert.ok(ps.includes(`'${v.key.replace('HKEY_LOCAL_MACHINE\\', 'HKLM\\')}'`), `backup of ${v.key}`);
    assert.ok(ps.includes(`Set-TlsDword '${v.key.replace('HKEY_LOCAL_MACHINE\\', 'HKLM:\\')}' '${v.name}' ${v.value}`), `${v.key} ${v.name}`);
  }
  assert.match(ps.slice(firstSet), /Write-Warning 'Reboot this machine/);
  assert.doesNotMatch(ps.replace(/\r\n/g, ''), /\n/);
});

// A hand-made export in the shape regedit writes: other values around ours, hex(2)/hex(b)/binary
// data continued over lines, a deleted key, mixed case (".NetFramework", "WOW6432Node").
const HANDMADE = [
  'Windows Registry Editor Version 5.00',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL]',
  '"EventLogging"=dword:00000001',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 2.0\\Client]',
  '"DisabledByDefault"=dword:00000001',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 3.0\\Client]',
  '"Enabled"=dword:00000000',
  '"DisabledByDefault"=dword:00000001',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 3.0\\Server]',
  '"Enabled"=dword:00000001',
  '"DisabledByDefault"=dword:00000000',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Client]',
  '"Enabled"=dword:ffffffff',
  '"DisabledByDefault"=dword:00000001',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.1\\Server]',
  '"Enabled"=dword:00000000',
  '',
  '[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.1\\Server]',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client]',
  '"DisabledByDefault"=dword:00000000',
  '',
  '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.3\\Server]',
  '"Enabled"=hex(4):00,00,00,00',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NetFramework\\v4.0.30319]',
  '"InstallPath"=hex(2):43,00,3a,00,5c,00,57,00,69,00,6e,00,64,00,6f,00,77,00,73,00,\\',
  '  5c,00,00,00',
  '"SchUseStrongCrypto"=dword:00000001',
  '"OnlyUseLatestCLR"=hex(b):01,00,00,00,00,00,00,00',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319]',
  '"SchUseStrongCrypto"=dword:00000000',
  '"SystemDefaultTlsVersions"=hex:01,00,00,00',
  '@="default value with \\"quotes\\""',
  '',
].join('\r\n');

function expectHandmade(a: WindowsAudit): void {
  assert.equal(state(a, 'SSL 2.0', 'Client'), 'disabled-by-default');
  assert.equal(state(a, 'SSL 2.0', 'Server'), 'os-default');
  assert.equal(state(a, 'SSL 3.0', 'Client'), 'disabled');
  assert.equal(state(a, 'SSL 3.0', 'Server'), 'enabled');
  assert.equal(state(a, 'TLS 1.0', 'Client'), 'disabled-by-default');
  assert.equal(state(a, 'TLS 1.1', 'Server'), 'os-default', 'deleted key');
  assert.equal(state(a, 'TLS 1.2', 'Client'), 'enabled', 'DisabledByDefault=0 alone (the Windows 7 fix)');
  assert.equal(state(a, 'TLS 1.3', 'Server'), 'disabled', 'hex(4) DWORD');
  const v4 = a.netfx.filter((r) => r.framework === 'v4.0.30319');
  assert.deepEqual(v4.map((r) => [r.view, r.schUseStrongCrypto, r.systemDefaultTlsVersions]), [['64-bit', 1, undefined], ['32-bit', 0, undefined]]);
  assert.equal(tls12(a, '4.0-4.5.x', '64-bit'), 'yes');
  assert.equal(tls12(a, '4.0-4.5.x', '32-bit'), 'no');
  assert.equal(tls12(a, '4.6', '32-bit'), 'no', 'SchUseStrongCrypto=0 turns off the 4.6 default');
  assert.equal(tls12(a, '4.7+', '32-bit'), 'yes');
  assert.ok(a.missing.some((m) => m.startsWith('SchUseStrongCrypto=1 under HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319')));
  assert.ok(a.warnings.some((w) => /SSL 3\.0 Server is enabled/.test(w)));
  assert.ok(a.warnings.some((w) => /SystemDefaultTlsVersions is not a DWORD/.test(w)));
}

test('hand-made export, UTF-16LE with BOM: the expected table', async () => {
  const file = join(dir, 'handmade-utf16.reg');
  writeFileSync(file, encodeRegFile(HANDMADE));
  const f = parseRegFile(readFileSync(file));
  assert.equal(f.encoding, 'utf16le');
  expectHandmade(auditRegistry(f));
  const r = await cli('windows', 'audit', file);
  assert.equal(r.code, 1, 'not every target uses TLS 1.2');
  assert.match(r.out, /SSL 3\.0 {3}disabled {13}enabled/);
  assert.match(r.out, /TLS 1\.0 {3}disabled by default {2}OS default/);
  assert.match(r.out, /\.NET 4\.0-4\.5\.x {2}32-bit {2}no {25}neither/);
});

test('hand-made export, ANSI REGEDIT4 (latin-1 text): same table', () => {
  const ansi = HANDMADE.replace('Windows Registry Editor Version 5.00', 'REGEDIT4') + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso]\r\n"Owner"="Société Générale"\r\n';
  const f = parseRegFile(Buffer.from(ansi, 'latin1'));
  assert.equal(f.format, 'REGEDIT4');
  assert.equal(f.encoding, 'latin1');
  const owner = f.keys.get('HKEY_LOCAL_MACHINE\\SOFTWARE\\CONTOSO')!.values.get('owner')!.data;
  assert.deepEqual(owner, { type: 'sz', value: 'Société Générale' });
  expectHandmade(auditRegistry(f));
  const text = renderAuditText(auditRegistry(f));
  assert.match(text, /Still missing/);
});

test('unparseable files: a clear error with the line number (exit 2 from the CLI)', async () => {
  const cases: [string, RegExp][] = [
    ['hello\r\n', /^line 1: not a regedit file/],
    ['Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"A"=dword:xyz\r\n', /^line 4: bad dword "xyz"/],
    ['REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\X\r\n', /^line 2: key line without a closing/],
    ['REGEDIT4\r\n"A"=dword:1\r\n', /^line 2: value outside of a key/],
    ['REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"A"=hex:01,\\\r\n  zz\r\n', /^line 3: bad hex byte "zz"/],
    ['REGEDIT4\r\n[HKEY_BOGUS\\X]\r\n', /^line 2: unknown registry root/],
    ['REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\X]\r\nrandom words\r\n', /^line 3: expected \[key\]/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseRegText(text), (e: unknown) => e instanceof RegFormatError && re.test(e.message), text);
  }
  const file = join(dir, 'bad.reg');
  writeFileSync(file, cases[1]![0]);
  const r = await cli('windows', 'audit', file);
  assert.equal(r.code, 2);
  assert.equal(r.err, `tlsdoctor: ${file}: line 4: bad dword "xyz" (8 hex digits expected)\n`);
});

test('property: arbitrary text never throws anything but RegFormatError', () => {
  const lines = fc.array(fc.oneof(
    fc.string(), fc.constantFrom('[HKEY_LOCAL_MACHINE\\A]', '[-HKEY_LOCAL_MACHINE\\A]', '"x"=dword:1', '"x"=hex(b):01,02', '"x"=-', '@="v"', '"a"=hex:01,\\', ';c', '"q\\"'),
  ), { maxLength: 12 });
  fc.assert(fc.property(fc.boolean(), lines, (v5, ls) => {
    const text = [v5 ? 'Windows Registry Editor Version 5.00' : 'REGEDIT4', ...ls].join('\r\n');
    try { auditRegistry(parseRegText(text)); } catch (e) { if (!(e instanceof RegFormatError)) throw e; }
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
    try { parseRegFile(b); } catch (e) { if (!(e instanceof RegFormatError)) throw e; }
  }), { numRuns: 1000 });
});
