/**
 * Reads regedit export files (.reg): "Windows Registry Editor Version 5.00"
 * (usually UTF-16LE with a byte order mark) or "REGEDIT4" (ANSI), with
 * comments, line continuations (a trailing backslash), dword/hex/hex(N)/string
 * values, deleted values ("name"=-) and deleted keys ([-HKEY_...]).
 * The result is the registry state the file describes, keys compared
 * case-insensitively as Windows does.
 */

export class RegFormatError extends Error {
  override name = 'RegFormatError';
  constructor(readonly line: number, message: string) { super(`line ${line}: ${message}`); }
}

export type RegData =
  | { type: 'dword'; value: number }
  | { type: 'qword'; value: bigint }
  | { type: 'sz'; value: string }
  | { type: 'binary'; kind: number; bytes: number[] };

export interface RegKey { path: string; values: Map<string, { name: string; data: RegData }> }

export interface RegFile {
  format: 'REGEDIT5' | 'REGEDIT4';
  encoding: 'utf16le' | 'utf8' | 'latin1';
  /** Keys present after applying the file, by upper-cased path. */
  keys: Map<string, RegKey>;
  /** Keys the file deletes ([-...]), upper-cased. */
  deletedKeys: Set<string>;
}

const ROOTS: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER', HKCR: 'HKEY_CLASSES_ROOT', HKU: 'HKEY_USERS', HKCC: 'HKEY_CURRENT_CONFIG',
};
const FULL_ROOTS = new Set(Object.values(ROOTS));

export function normaliseKey(path: string): string {
  const parts = path.split('\\').filter((p) => p !== '');
  if (parts.length === 0) return '';
  parts[0] = ROOTS[parts[0]!.toUpperCase()] ?? parts[0]!.toUpperCase();
  return parts.join('\\');
}

export function decodeRegBytes(bytes: Uint8Array): { text: string; encoding: RegFile['encoding'] } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xff && b[1] === 0xfe) return { text: b.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: b.subarray(3).toString('utf8'), encoding: 'utf8' };
  // UTF-16LE without a BOM: every other byte is zero for ASCII text.
  if (b.length >= 4 && b[1] === 0 && b[3] === 0 && b[0] !== 0) return { text: b.toString('utf16le'), encoding: 'utf16le' };
  const utf8 = b.toString('utf8');
  if (!utf8.includes('\ufffd')) return { text: utf8, encoding: 'utf8' };
  return { text: b.toString('latin1'), encoding: 'latin1' };
}

/** Parses a quoted name starting at s[i] === '"'; returns the name and the index after the closing quote. */
function readQuoted(s: string, i: number, line: number): [string, number] {
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\') {
      const n = s[j + 1];
      if (n === undefined) break;
      out += n; j++;
    } else if (c === '"') {
      return [out, j + 1];
    } else {
      out += c;
    }
  }
  throw new RegFormatError(line, 'unterminated quoted string');
}

function parseHexBytes(s: string, line: number): number[] {
  const t = s.trim();
  if (t === '') return [];
  return t.split(',').map((x) => {
    const v = x.trim();
    if (!/^[0-9a-fA-F]{1,2}$/.test(v)) throw new RegFormatError(line, `bad hex byte "${v}"`);
    return parseInt(v, 16);
  });
}

function parseData(raw: string, line: number): RegData | null {
  const v = raw.trim();
  if (v === '-') return null;
  if (v.startsWith('"')) {
    const [str, end] = readQuoted(v, 0, line);
    if (v.slice(end).trim() !== '') throw new RegFormatError(line, `text after the closing quote: "${v.slice(end).trim()}"`);
    return { type: 'sz', value: str };
  }
  const m = /^(dword|hex(?:\(([0-9a-fA-F]+)\))?):(.*)$/i.exec(v);
  if (!m) throw new RegFormatError(line, `unknown value data "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`);
  if (m[1]!.toLowerCase() === 'dword') {
    const d = m[3]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(d)) throw new RegFormatError(line, `bad dword "${d}" (8 hex digits expected)`);
    return { type: 'dword', value: parseInt(d, 16) >>> 0 };
  }
  const kind = m[2] === undefined ? 3 : parseInt(m[2], 16);
  const bytes = parseHexBytes(m[3]!, line);
  if (kind === 4 && bytes.length === 4) return { type: 'dword', value: (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 };
  if (kind === 0xb) {
    if (bytes.length !== 8) throw new RegFormatError(line, `hex(b) (QWORD) needs 8 bytes, has ${bytes.length}`);
    let q = 0n;
    for (let i = 7; i >= 0; i--) q = (q << 8n) | BigInt(bytes[i]!);
    return { type: 'qword', value: q };
  }
  return { type: 'binary', kind, bytes };
}

export function parseRegText(text: string, encoding: RegFile['encoding'] = 'utf8'): RegFile {
  const rawLines = text.split(/\r\n|\n|\r/);
  // Join continuation lines, remembering where each logical line started.
  const lines: { text: string; line: number }[] = [];
  for (let i = 0; i < rawLines.length; i++) {
    const start = i + 1;
    let cur = rawLines[i]!;
    while (/\\\s*$/.test(cur) && !/^\s*\[/.test(cur) && !/^\s*;/.test(cur) && i + 1 < rawLines.length) {
      cur = cur.replace(/\\\s*$/, '') + rawLines[++i]!.trimStart();
    }
    lines.push({ text: cur, line: start });
  }
  let idx = 0;
  while (idx < lines.length && lines[idx]!.text.trim() === '') idx++;
  const header = lines[idx]?.text.trim();
  let format: RegFile['format'];
  if (header === 'Windows Registry Editor Version 5.00') format = 'REGEDIT5';
  else if (header === 'REGEDIT4') format = 'REGEDIT4';
  else throw new RegFormatError(lines[idx]?.line ?? 1, `not a regedit file: expected "Windows Registry Editor Version 5.00" or "REGEDIT4", found "${(header ?? '').slice(0, 60)}"`);
  const keys = new Map<string, RegKey>();
  const deletedKeys = new Set<string>();
  let current: RegKey | null = null;
  for (const { text: t, line } of lines.slice(idx + 1)) {
    const s = t.trim();
    if (s === '' || s.startsWith(';')) continue;
    if (s.startsWith('[')) {
      if (!s.endsWith(']')) throw new RegFormatError(line, 'key line without a closing "]"');
      const inner = s.slice(1, -1).trim();
      const del = inner.startsWith('-');
      const path = normaliseKey(del ? inner.slice(1) : inner);
      if (!FULL_ROOTS.has(path.split('\\')[0]!)) throw new RegFormatError(line, `unknown registry root in "${inner}"`);
      const up = path.toUpperCase();
      if (del) {
        for (const k of [...keys.keys()]) if (k === up || k.startsWith(up + '\\')) keys.delete(k);
        deletedKeys.add(up);
        current = null;
      } else {
        current = keys.get(up) ?? { path, values: new Map() };
        keys.set(up, current);
        for (const d of [...deletedKeys]) if (up === d || up.startsWith(d + '\\')) deletedKeys.delete(d);
      }
      continue;
    }
    let name: string, rest: string;
    if (s.startsWith('@')) {
      name = '';
      rest = s.slice(1).trimStart();
    } else if (s.startsWith('"')) {
      const [n, end] = readQuoted(s, 0, line);
      name = n;
      rest = s.slice(end).trimStart();
    } else {
      throw new RegFormatError(line, `expected [key], "name"=value or a ; comment, found "${s.length > 40 ? s.slice(0, 40) + '…' : s}"`);
    }
    if (!rest.startsWith('=')) throw new RegFormatError(line, `missing "=" after the value name "${name}"`);
    if (!current) throw new RegFormatError(line, 'value outside of a key (or under a deleted key)');
    const data = parseData(rest.slice(1), line);
    if (data === null) current.values.delete(name.toLowerCase());
    else current.values.set(name.toLowerCase(), { name, data });
  }
  return { format, encoding, keys, deletedKeys };
}

export function parseRegFile(bytes: Uint8Array): RegFile {
  const { text, encoding } = decodeRegBytes(bytes);
  return parseRegText(text, encoding);
}

/** A DWORD value of a key, undefined when the key or value is absent. Non-DWORD data counts as absent and is reported by the caller. */
export function getDword(f: RegFile, key: string, name: string): number | undefined | 'not-a-dword' {
  const k = f.keys.get(normaliseKey(key).toUpperCase());
  const v = k?.values.get(name.toLowerCase());
  if (!v) return undefined;
  return v.data.type === 'dword' ? v.data.value : 'not-a-dword';
}
