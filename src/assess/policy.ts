/**
 * TLS policies for providers and consumers of APIs (seed 002: "from May 1 we
 * refuse anything below TLS 1.2"): does the server meet the policy, and which
 * clients would the policy cut off once the server is configured to it.
 */
import { UsageError } from '../util/errors.js';
import { versionByName, suiteByCode, type CipherSuiteInfo } from '../registry/index.js';
import { VERSION_CODES, type ClientProfile, type ClientVersion } from '../registry/clients/types.js';
import { PROTOCOLS, type ProtocolName, type ScanResult } from '../scan/types.js';

export type PolicyRule = 'no-cbc' | 'no-3des' | 'no-rc4' | 'no-sha1' | 'pfs' | 'aead';

export interface Policy {
  /** Lowest protocol allowed (null: no version rule). */
  minVersion: ProtocolName | null;
  rules: PolicyRule[];
  /** The policy as the user wrote it, normalised. */
  text: string;
}

const RULES: Record<PolicyRule, { describe: string; forbids: (s: CipherSuiteInfo) => boolean }> = {
  'no-cbc': { describe: 'CBC-mode suites', forbids: (s) => s.cbc },
  'no-3des': { describe: '3DES suites', forbids: (s) => s.cipher.startsWith('3DES') },
  'no-rc4': { describe: 'RC4 suites', forbids: (s) => s.cipher.startsWith('RC4') },
  'no-sha1': { describe: 'suites with a SHA-1 MAC', forbids: (s) => s.mac === 'SHA1' },
  pfs: { describe: 'suites without forward secrecy', forbids: (s) => !s.forwardSecrecy && !s.tls13 },
  aead: { describe: 'non-AEAD suites', forbids: (s) => !s.aead },
};
const ALIASES: Record<string, PolicyRule> = {
  'no-cbc': 'no-cbc', 'no-3des': 'no-3des', 'no-rc4': 'no-rc4', 'no-sha1': 'no-sha1',
  pfs: 'pfs', 'forward-secrecy': 'pfs', 'no-rsa-kx': 'pfs', aead: 'aead', 'aead-only': 'aead',
};

/** Parses "TLSv1.2", "TLSv1.2,no-cbc", "tls1.3", "pfs,no-3des". Unknown terms are a UsageError. */
export function parsePolicy(text: string): Policy {
  const terms = text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (terms.length === 0) throw new UsageError('--require needs a policy, e.g. TLSv1.2 or TLSv1.2,no-cbc');
  let minVersion: ProtocolName | null = null;
  const rules: PolicyRule[] = [];
  for (const t of terms) {
    const rule = ALIASES[t.toLowerCase()];
    if (rule) { if (!rules.includes(rule)) rules.push(rule); continue; }
    const v = /^(ssl|tls)/i.test(t) ? versionByName(t.replace(/\+$/, '')) : undefined;
    if (v) {
      if (minVersion && minVersion !== v.name) throw new UsageError(`--require names two protocol versions (${minVersion}, ${v.name}): give the lowest one allowed`);
      minVersion = v.name as ProtocolName;
      continue;
    }
    throw new UsageError(`unknown policy term "${t}": use a protocol version (TLSv1.2, TLSv1.3) or ${Object.keys(ALIASES).join(', ')}`);
  }
  return { minVersion, rules, text: [minVersion, ...rules].filter(Boolean).join(',') };
}

const vrank = (v: ProtocolName) => PROTOCOLS.indexOf(v);

/** Whether the policy allows this suite at this version. */
export function policyAllows(policy: Policy, version: ProtocolName, suiteCode: number): boolean {
  if (policy.minVersion && vrank(version) < vrank(policy.minVersion)) return false;
  const s = suiteByCode(suiteCode);
  if (!s) return policy.rules.length === 0;
  return !policy.rules.some((r) => RULES[r].forbids(s));
}

export interface PolicyEvaluation {
  meets: boolean;
  violations: string[];
  /** Ids of the client profiles that connect today and would not under the policy. */
  clientsCutOff: string[];
  /** Why each of them is cut off. */
  cutOffReasons: { id: string; name: string; reason: string }[];
}

function suiteUsableAt(s: CipherSuiteInfo, v: ProtocolName): boolean {
  if (v === 'TLSv1.3') return s.tls13;
  return !s.tls13 && vrank(s.minVersion as ProtocolName) <= vrank(v);
}

/**
 * Checks the scanned server against the policy, and simulates the policy as a server
 * configuration: a client is cut off when it shares (protocol, suite) pairs with the server
 * today but every one of them is forbidden by the policy.
 */
export function evaluatePolicy(scan: ScanResult, policy: Policy, profiles: readonly ClientProfile[]): PolicyEvaluation {
  const violations: string[] = [];
  const supported = scan.protocols.filter((p) => p.supported);
  for (const p of supported) {
    if (policy.minVersion && vrank(p.version) < vrank(policy.minVersion)) {
      violations.push(`server accepts ${p.version}; the policy requires ${policy.minVersion} or later`);
      continue;
    }
    for (const r of policy.rules) {
      const bad = p.cipherSuites.filter((c) => { const s = suiteByCode(c.id); return s ? RULES[r].forbids(s) : false; });
      if (bad.length > 0) violations.push(`server accepts ${RULES[r].describe} at ${p.version} (policy ${r}): ${bad.map((c) => c.name).join(', ')}`);
    }
  }
  const cutOffReasons: PolicyEvaluation['cutOffReasons'] = [];
  for (const prof of profiles) {
    const offered = new Set(prof.versions.filter((v): v is ClientVersion => v in VERSION_CODES));
    const pairs: { v: ProtocolName; code: number }[] = [];
    for (const p of supported) {
      if (!offered.has(p.version as ClientVersion)) continue;
      for (const c of p.cipherSuites) {
        const s = suiteByCode(c.id);
        if (s && prof.cipherSuites.includes(c.id) && suiteUsableAt(s, p.version)) pairs.push({ v: p.version, code: c.id });
      }
    }
    if (pairs.length === 0) continue; // cannot connect today: not the policy's doing
    if (pairs.some((x) => policyAllows(policy, x.v, x.code))) continue;
    const versions = [...new Set(pairs.map((x) => x.v))];
    const belowMin = policy.minVersion ? versions.every((v) => vrank(v) < vrank(policy.minVersion!)) : false;
    const reason = belowMin
      ? `offers at most ${versions[versions.length - 1]}; the policy requires ${policy.minVersion}`
      : `its only suites in common with the server (${[...new Set(pairs.map((x) => suiteByCode(x.code)!.iana))].slice(0, 3).join(', ')}) are forbidden by ${policy.text}`;
    cutOffReasons.push({ id: prof.id, name: prof.name, reason });
  }
  return { meets: violations.length === 0, violations, clientsCutOff: cutOffReasons.map((c) => c.id), cutOffReasons };
}
