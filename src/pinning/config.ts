/**
 * pinning.json: the file the SSL Pinning plugin of seed 003 bundles into a
 * mobile app, and its rules. Shape:
 *
 *   { "hosts": [ { "host": "www.example.com",
 *                  "hashes": ["sha256/<base64>", "sha256/<base64>"] } ] }
 *
 * Rules from seed 003: .json extension; that exact structure; the full host
 * name; no subdomains (no wildcards: each host is listed itself); at least two
 * hashes per host (a primary and a backup); the "sha256/" prefix; for iOS only
 * unique hashes. Rules the pin consumers enforce (TrustKit, OkHttp,
 * Android): the base64 must decode to the 32 bytes of a SHA-256; a host may
 * appear only once.
 *
 * Duplicate hashes are an error by default, not only for iOS: one pinning.json
 * is bundled into both the iOS and the Android build, so a file that breaks
 * the iOS build is broken. `platform: 'android'` makes them a warning.
 */
import { isIP } from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { childPath, JsonSyntaxError, parseJsonWithPositions, type JsonPosition } from './json-source.js';
import { UsageError } from '../util/errors.js';

export interface PinningHost { host: string; hashes: string[] }
export interface PinningConfig { hosts: PinningHost[] }

export type Severity = 'error' | 'warning';

export interface ConfigProblem {
  severity: Severity;
  /** Stable id, e.g. "hash-prefix". */
  code: string;
  /** JSON path, e.g. "$.hosts[1].hashes[0]". */
  path: string;
  line?: number;
  column?: number;
  message: string;
  fix: string;
}

export interface ValidateOptions {
  /** 'ios' and 'both' (default) make duplicate hashes an error; 'android' a warning. */
  platform?: 'both' | 'ios' | 'android';
  /** Allow IP literals and single-label names such as localhost (test set-ups). */
  allowLocal?: boolean;
  /** File name, to check the .json extension. */
  fileName?: string;
}

export interface ValidationResult {
  valid: boolean;
  problems: ConfigProblem[];
  /** The config when the structure is usable (even with warnings). */
  config?: PinningConfig;
}

export const MAX_CONFIG_BYTES = 1024 * 1024;

const SHA256_B64 = /^[A-Za-z0-9+/]{43}=$/;

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function suggest(key: string, allowed: string[]): string {
  if (key.length > 40) return 'remove it (the plugin ignores it and it hides typos)';
  const lower = key.toLowerCase();
  const best = allowed.find((k) => k === lower || levenshtein(lower, k) <= 2 || (lower.startsWith(k.slice(0, 4)) && k.length > 3));
  if (best) return `rename it to "${best}"`;
  if (['pins', 'pin', 'sha256', 'hash', 'keys', 'pinset'].includes(lower) && allowed.includes('hashes')) return 'rename it to "hashes"';
  if (['domain', 'hostname', 'url', 'name', 'domains'].includes(lower) && allowed.includes('host')) return 'rename it to "host"';
  return 'remove it (the plugin ignores it and it hides typos)';
}

/** Checks one host name; returns [code, message, fix] triples. */
function hostProblems(host: string, allowLocal: boolean): Array<[string, string, string, Severity?]> {
  const out: Array<[string, string, string, Severity?]> = [];
  if (host.length > 300) {
    out.push(['host-invalid', `host is ${host.length} characters long; a host name has at most 253`, 'write the full host name of the server, nothing else']);
    return out;
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host);
  let bare = host;
  if (m) {
    bare = host.slice(m[0].length).replace(/[/?#].*$/, '');
    out.push(['host-scheme', `host "${host}" has a scheme (${m[1]}://)`, `write only the host name: "${bare.replace(/:\d+$/, '')}"`]);
  } else if (/[/?#]/.test(host)) {
    bare = host.replace(/[/?#].*$/, '');
    out.push(['host-path', `host "${host}" has a path`, `write only the host name: "${bare}"`]);
  }
  if (/\s/.test(bare)) {
    out.push(['host-whitespace', `host "${host}" contains white space`, `remove it: "${bare.replace(/\s+/g, '')}"`]);
    bare = bare.replace(/\s+/g, '');
  }
  const ip = bare.replace(/^\[(.*)\]$/, '$1');
  if (isIP(ip)) {
    if (!allowLocal) out.push(['host-ip', `host "${bare}" is an IP address`, 'pin the host name the app connects to (certificates are issued to names); use --allow-local for a test set-up']);
    return out;
  }
  const port = /^(.*):(\d*)$/.exec(bare);
  if (port) {
    out.push(['host-port', `host "${bare}" has a port`, `write only the host name: "${port[1]}" (pins apply to every port)`]);
    bare = port[1]!;
  }
  if (bare.includes('*')) {
    const base = bare.replace(/^(\*\.)+/, '');
    out.push(['host-wildcard', `host "${bare}" is a wildcard; pinning.json has no subdomain matching`, `list each full host name on its own, e.g. "www.${base}" and "api.${base}"`]);
    return out;
  }
  if (bare.endsWith('.')) out.push(['host-trailing-dot', `host "${bare}" ends with a dot`, `write "${bare.replace(/\.+$/, '')}"`]);
  const name = bare.replace(/\.+$/, '');
  const labels = name.split('.');
  if (!name || name.length > 253 || labels.some((l) => !/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l) && !/^xn--[a-z0-9-]+$/i.test(l))) {
    out.push(['host-invalid', `host "${bare}" is not a valid host name`, 'use letters, digits and hyphens in dot-separated labels of at most 63 characters (internationalized names in their xn-- form)']);
    return out;
  }
  if (labels.length < 2 && !allowLocal) {
    out.push(['host-not-full', `host "${bare}" is not a full host name`, `write the fully qualified name, e.g. "${bare}.example.com"; use --allow-local for a test set-up`]);
  }
  if (/[A-Z]/.test(name)) out.push(['host-case', `host "${bare}" has upper-case letters`, `write "${name.toLowerCase()}" (some plugins compare host names exactly)`, 'warning']);
  return out;
}

/** Validates pinning.json text. Never throws for bad content. */
export function validatePinningText(text: string, o: ValidateOptions = {}): ValidationResult {
  const problems: ConfigProblem[] = [];
  let positions = new Map<string, JsonPosition>();
  const add = (severity: Severity, code: string, path: string, message: string, fix: string) => {
    const pos = positions.get(path);
    problems.push({ severity, code, path, ...(pos ? { line: pos.line, column: pos.column } : {}), message, fix });
  };
  if (o.fileName !== undefined && extname(o.fileName).toLowerCase() !== '.json') {
    add('error', 'file-extension', '$', `file name "${o.fileName}" does not end in .json`, 'rename it, e.g. to pinning.json (the plugin reads pinning/pinning.json)');
  }
  if (!text.trim()) {
    add('error', 'json-empty', '$', 'the file is empty', 'write {"hosts": [{"host": "www.example.com", "hashes": ["sha256/…", "sha256/…"]}]}');
    return { valid: false, problems };
  }
  let value: unknown;
  try {
    const doc = parseJsonWithPositions(text);
    value = doc.value;
    positions = doc.positions;
    for (const d of doc.duplicateKeys) {
      problems.push({ severity: 'error', code: 'json-duplicate-key', path: childPath(d.path, d.key), line: d.position.line, column: d.position.column,
        message: `property "${d.key}" appears twice in the same object; JSON readers keep only one of them`, fix: 'merge the two into one property' });
    }
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    problems.push({ severity: 'error', code: 'json-syntax', path: '$', line: e.position.line, column: e.position.column,
      message: `JSON syntax error at line ${e.position.line}, column ${e.position.column}: ${e.detail}`,
      fix: 'correct the JSON at that position (no comments, no trailing commas, double quotes only)' });
    return { valid: false, problems };
  }

  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value)) {
    add('error', 'root-not-object', '$', `the top level is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}, not an object`, 'wrap the hosts: {"hosts": [ ... ]}');
    return { valid: false, problems };
  }
  for (const k of Object.keys(value)) {
    if (k !== 'hosts') add('error', 'unknown-property', childPath('$', k), `unknown property "${k}" at the top level`, suggest(k, ['hosts']));
  }
  const hosts = value.hosts;
  const config: PinningConfig = { hosts: [] };
  if (hosts === undefined) {
    add('error', 'hosts-missing', '$', 'the "hosts" array is missing', 'add "hosts": [{"host": "www.example.com", "hashes": ["sha256/…", "sha256/…"]}]');
  } else if (!Array.isArray(hosts)) {
    add('error', 'hosts-not-array', '$.hosts', '"hosts" is not an array', 'make it an array of {"host", "hashes"} objects: "hosts": [{...}]');
  } else if (hosts.length === 0) {
    add('error', 'hosts-empty', '$.hosts', '"hosts" is empty: nothing is pinned', 'add one {"host", "hashes"} object per server the app calls');
  } else {
    const seenHosts = new Map<string, string>();
    const platform = o.platform ?? 'both';
    hosts.forEach((h, hi) => {
      const hp = childPath('$.hosts', hi);
      if (!isObj(h)) {
        add('error', 'host-entry-not-object', hp, `hosts[${hi}] is not an object`, 'write {"host": "www.example.com", "hashes": ["sha256/…", "sha256/…"]}');
        return;
      }
      for (const k of Object.keys(h)) {
        if (k !== 'host' && k !== 'hashes') add('error', 'unknown-property', childPath(hp, k), `unknown property "${k}" in hosts[${hi}]`, suggest(k, ['host', 'hashes']));
      }
      const entry: PinningHost = { host: '', hashes: [] };
      const host = h.host;
      const hostPath = childPath(hp, 'host');
      if (host === undefined) add('error', 'host-missing', hp, `hosts[${hi}] has no "host"`, 'add "host": "www.example.com" (the full host name of the server)');
      else if (typeof host !== 'string') add('error', 'host-not-string', hostPath, '"host" is not a string', 'write the host name in double quotes');
      else if (!host) add('error', 'host-empty', hostPath, '"host" is empty', 'write the full host name of the server');
      else {
        entry.host = host;
        for (const [code, message, fix, sev] of hostProblems(host, o.allowLocal ?? false)) add(sev ?? 'error', code, hostPath, message, fix);
        const key = host.toLowerCase().replace(/\.$/, '');
        const prev = seenHosts.get(key);
        if (prev) add('error', 'host-duplicate', hostPath, `host "${host}" is already listed at ${prev}`, `merge the hashes of both entries into ${prev} and remove this one`);
        else seenHosts.set(key, hostPath);
      }
      const hashes = h.hashes;
      const hashesPath = childPath(hp, 'hashes');
      if (hashes === undefined) {
        add('error', 'hashes-missing', hp, `hosts[${hi}] has no "hashes"`, 'add "hashes": ["sha256/<primary>", "sha256/<backup>"] (tlsdoctor pin HOST prints them)');
      } else if (!Array.isArray(hashes)) {
        add('error', 'hashes-not-array', hashesPath, '"hashes" is not an array', 'write "hashes": ["sha256/…", "sha256/…"]');
      } else {
        if (hashes.length < 2) {
          add('error', 'hashes-too-few', hashesPath, `host has ${hashes.length} hash${hashes.length === 1 ? '' : 'es'}; at least two are required`,
            'add a backup pin: the pin of a key you hold for the next certificate (tlsdoctor pinning backup-key)');
        }
        const seen = new Map<string, string>();
        hashes.forEach((x, xi) => {
          const xp = childPath(hashesPath, xi);
          if (typeof x !== 'string') { add('error', 'hash-not-string', xp, 'hash is not a string', 'write "sha256/<base64>" in double quotes'); return; }
          entry.hashes.push(x);
          let b64 = x;
          // A pin may itself start with "/" ("sha256//P9…" is valid): curl's "sha256//" leaves 44 characters after it.
          if (x.startsWith('sha256//') && x.length === 8 + 44) {
            add('error', 'hash-prefix', xp, `hash "${x}" uses curl's "sha256//" prefix`, `write "sha256/${x.slice(8)}"`);
            b64 = x.slice(8);
          } else if (/^pin-sha256=/i.test(x)) {
            b64 = x.replace(/^pin-sha256=\s*"?|"$/gi, '');
            add('error', 'hash-prefix', xp, `hash "${x}" is in HPKP header form`, `write "sha256/${b64}"`);
          } else if (/^sha1\//i.test(x)) {
            add('error', 'hash-prefix', xp, `hash "${x}" is a SHA-1 pin`, 'compute the SHA-256 pin instead (tlsdoctor pin CERT)');
            return;
          } else if (!x.startsWith('sha256/')) {
            if (/^sha256\//i.test(x)) { b64 = x.slice(7); add('error', 'hash-prefix', xp, `hash "${x}" has the prefix in the wrong case`, `write "sha256/${b64}"`); }
            else { add('error', 'hash-prefix', xp, `hash "${x}" does not start with "sha256/"`, `write "sha256/${x.trim()}"`); b64 = x.trim(); }
          } else {
            b64 = x.slice(7);
          }
          if (/^[0-9a-fA-F]{64}$/.test(b64)) {
            add('error', 'hash-hex', xp, 'hash is hexadecimal, not base64', `write "sha256/${Buffer.from(b64, 'hex').toString('base64')}"`);
          } else if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
            const urlSafe = /^[A-Za-z0-9_-]+=*$/.test(b64) && /[_-]/.test(b64);
            add('error', 'hash-base64', xp, `hash "${x}" is not valid base64`, urlSafe ? 'use standard base64 ("+" and "/"), not base64url ("-" and "_")' : 'copy the pin again from `tlsdoctor pin` (43 base64 characters and "=")');
          } else {
            const n = Buffer.from(b64, 'base64').length;
            if (!SHA256_B64.test(b64) || n !== 32) {
              add('error', 'hash-length', xp, `hash decodes to ${n} bytes, not the 32 bytes of a SHA-256`, n === 20 ? 'this looks like a SHA-1 value: compute the SHA-256 pin (tlsdoctor pin CERT)' : 'a SHA-256 pin is 44 base64 characters ending in "="');
            } else if (Buffer.from(b64, 'base64').toString('base64') !== b64) {
              add('error', 'hash-base64', xp, `hash "${x}" is not canonical base64: the character before "=" cannot end a SHA-256`, 'copy the pin again from `tlsdoctor pin` (a character was changed)');
            } else if (/^(.)\1{42}=$/.test(b64)) {
              add('warning', 'hash-placeholder', xp, `hash "${x}" looks like a placeholder`, 'replace it with a real backup pin before release (tlsdoctor pinning backup-key)');
            }
          }
          const prev = seen.get(x);
          if (prev) {
            add(platform === 'android' ? 'warning' : 'error', 'hash-duplicate', xp,
              `hash is a duplicate of ${prev}; iOS accepts only unique hashes${platform === 'both' ? ' and this file is bundled into the iOS build too' : ''}`,
              'remove the duplicate, and add a distinct backup pin if fewer than two remain');
          } else seen.set(x, xp);
        });
      }
      config.hosts.push(entry);
    });
  }
  const valid = !problems.some((p) => p.severity === 'error');
  return { valid, problems, ...(Array.isArray(hosts) ? { config } : {}) };
}

export function readPinningFile(path: string, o: Omit<ValidateOptions, 'fileName'> = {}): ValidationResult {
  let size: number;
  try { size = statSync(path).size; } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > MAX_CONFIG_BYTES) {
    return { valid: false, problems: [{ severity: 'error', code: 'file-too-large', path: '$', message: `file is ${size} bytes; a pinning.json is a few kilobytes`, fix: 'check that this is the right file' }] };
  }
  return validatePinningText(readFileSync(path, 'utf8'), { ...o, fileName: path });
}

/**
 * Loads a pinning.json for use (check, plan): structural errors are fatal
 * (UsageError with the first problem); rule violations are returned as warnings
 * so a file under test can still be checked.
 */
export function loadPinningConfig(path: string, o: Omit<ValidateOptions, 'fileName'> = {}): { config: PinningConfig; problems: ConfigProblem[] } {
  const r = readPinningFile(path, { allowLocal: true, ...o });
  const structural = r.problems.find((p) => p.severity === 'error' && /^(json-|root-|hosts-|host-entry|host-missing|host-not-string|host-empty|hashes-missing|hashes-not-array|file-too-large)/.test(p.code));
  if (structural || !r.config) {
    const p = structural ?? r.problems[0];
    throw new UsageError(`${path}: ${p ? `${p.path}${p.line ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}` : 'not a pinning.json'}`);
  }
  return { config: r.config, problems: r.problems };
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => {
    const at = p.line ? ` (line ${p.line}, column ${p.column})` : '';
    return `${p.severity}: ${p.path}${at}: ${p.message}\n  fix: ${p.fix}\n`;
  }).join('');
}
