/**
 * The addresses of one host name compared (`scan --all-addresses`): a DNS
 * round robin or a pool of servers behind one name should serve one TLS
 * configuration. A node that missed a certificate renewal or a settings
 * change makes clients fail at random, depending on the address they get.
 */
import { finding } from './catalog.js';
import type { Finding, ScanResult, ServerFeatures } from '../scan/types.js';

export interface AddressComparison {
  /** What differs, as keys: unreachable, protocols, cipherSuites:<version>, serverOrder:<version>, groups, certificate, chain, findings. */
  differences: string[];
  /** One clause per difference, this result first ("here"), the other second. */
  details: string[];
}

/** The ids of findings about the server itself (scan.* findings are about the scan). */
const serverFindings = (r: ScanResult) => new Set(r.findings.map((f) => f.id).filter((id) => !id.startsWith('scan.')));

/**
 * Findings that come from a check the scan can skip or leave undecided (the
 * padding-oracle and renegotiation checks are not asked of a server that
 * serves one connection at a time; a probe can go unanswered), with the
 * feature that holds its verdict: such a finding on one side only is a
 * difference only when the other side's check decided.
 */
const CHECK_OF: Record<string, keyof ServerFeatures> = {
  'protocol.padding-oracle': 'paddingOracle',
  'protocol.poodle-tls': 'paddingOracle',
  'protocol.client-renegotiation': 'clientRenegotiation',
  'protocol.insecure-renegotiation': 'clientRenegotiation',
  'protocol.robot': 'robot',
  'protocol.heartbleed': 'heartbleed',
  'protocol.ccs-injection': 'ccsInjection',
  'protocol.compression': 'compression',
  'protocol.kx-reuse': 'kxReuse',
  'protocol.no-fallback-scsv': 'fallbackScsv',
};

const decided = (r: ScanResult, id: string): boolean => {
  // The http.* findings come from the HTTPS request: decided where it got an answer.
  if (id.startsWith('http.')) return r.http?.status != null;
  const feature = CHECK_OF[id];
  if (!feature) return true;
  const v = r.features?.[feature];
  return v !== null && v !== undefined;
};

function listed(names: string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function onlyIn<T>(a: Iterable<T>, b: Set<T>): T[] {
  return [...a].filter((x) => !b.has(x));
}

/** Both sides of a set difference, or null when the sets are equal. */
function sides(here: string[], there: string[], at: string): string | null {
  const h = new Set(here), t = new Set(there);
  const mine = onlyIn(h, t), theirs = onlyIn(t, h);
  if (!mine.length && !theirs.length) return null;
  const parts: string[] = [];
  if (mine.length) parts.push(`only here: ${listed(mine)}`);
  if (theirs.length) parts.push(`only at ${at}: ${listed(theirs)}`);
  return parts.join('; ');
}

function describeCert(r: ScanResult): string {
  const c = r.certificates[0];
  if (!c) return 'none';
  return `${c.subject}, serial ${c.serialNumber}, valid until ${c.notAfter.slice(0, 10)}`;
}

/** How `here` differs from `there`, the scan of another address of the same name. */
export function compareAddressScans(here: ScanResult, there: ScanResult): AddressComparison {
  const at = there.target.address ?? there.target.host;
  const differences: string[] = [];
  const details: string[] = [];
  const add = (key: string, text: string) => { differences.push(key); details.push(text); };

  // An address that could not be reached from here is the difference: nothing else is known of it.
  const down = (r: ScanResult) => r.errors.find((e) => e.code === 'unreachable' && r.protocols.every((p) => !p.supported));
  const hereDown = down(here), thereDown = down(there);
  if (hereDown || thereDown) {
    if (hereDown && thereDown) return { differences, details };
    add('unreachable', hereDown ? `this address could not be reached from here (${hereDown.message}); ${at} answers`
      : `${at} could not be reached from here (${thereDown!.message})`);
    return { differences, details };
  }

  const supported = (r: ScanResult) => r.protocols.filter((p) => p.supported).map((p) => p.version);
  const protocols = sides(supported(here), supported(there), at);
  if (protocols) add('protocols', `protocols ${protocols}`);

  for (const p of here.protocols) {
    const q = there.protocols.find((x) => x.version === p.version);
    if (!p.supported || !q?.supported) continue;
    const suites = sides(p.cipherSuites.map((c) => c.name), q.cipherSuites.map((c) => c.name), at);
    if (suites) { add(`cipherSuites:${p.version}`, `${p.version} suites ${suites}`); continue; }
    const order = (r: typeof p) => (r.serverPreference ? r.cipherSuites.map((c) => c.id).join(',') : 'client');
    if (order(p) !== order(q)) {
      add(`serverOrder:${p.version}`, p.serverPreference === q.serverPreference
        ? `${p.version} server order differs (first choice here ${p.cipherSuites[0]?.name}, at ${at} ${q.cipherSuites[0]?.name})`
        : `${p.version}: ${p.serverPreference ? 'server order here' : 'client order here'}, ${q.serverPreference ? 'server order' : 'client order'} at ${at}`);
    } else if (p.serverPreference && typeof p.prioritizesChaCha === 'boolean' && typeof q.prioritizesChaCha === 'boolean' && p.prioritizesChaCha !== q.prioritizesChaCha) {
      // A phone without AES instructions gets ChaCha20 from one node and AES-GCM from the other.
      add(`serverOrder:${p.version}`, `${p.version}: ChaCha20 ${p.prioritizesChaCha ? 'prioritised' : 'not prioritised'} here for a client that prefers it, ${q.prioritizesChaCha ? 'prioritised' : 'not prioritised'} at ${at}`);
    }
  }

  const groups = sides(here.groups.map((g) => g.name), there.groups.map((g) => g.name), at);
  if (groups) add('groups', `groups ${groups}`);

  if ((here.certificates[0]?.sha256 ?? '') !== (there.certificates[0]?.sha256 ?? '')) {
    add('certificate', `certificate here: ${describeCert(here)}; at ${at}: ${describeCert(there)}`);
  } else {
    const rest = (r: ScanResult) => r.certificates.slice(1).map((c) => c.sha256).join(',');
    if (rest(here) !== rest(there)) {
      add('chain', `same certificate, another chain: ${here.certificates.length} certificate(s) sent here, ${there.certificates.length} at ${at}`);
    }
  }
  // The other keys' certificates (an RSA one beside an ECDSA one): one node may have missed renewing one of them.
  const others = (r: ScanResult) => (r.alternateChains ?? []).map((a) => `${a.auth} ${a.certificates.map((c) => c.sha256).join(',')}`).sort().join(';');
  if (others(here) !== others(there) && !differences.includes('certificate')) {
    const kinds = (r: ScanResult) => (r.alternateChains ?? []).map((a) => `${a.auth} ${a.certificates[0]?.subject ?? ''} until ${a.certificates[0]?.notAfter.slice(0, 10) ?? '?'}`).join(', ') || 'none';
    add('certificate', `other certificates here: ${kinds(here)}; at ${at}: ${kinds(there)}`);
  }

  const mine = serverFindings(here), theirs = serverFindings(there);
  const findings = sides([...mine].filter((id) => decided(there, id)), [...theirs].filter((id) => decided(here, id)), at);
  if (findings) add('findings', `findings ${findings}`);
  return { differences, details };
}

/**
 * The scan.addresses-differ finding for each result of one name's addresses
 * (in the order scanned) that differs from another: each is compared with
 * the first one, and the first with the first that differs from it. Results
 * of addresses that could not be reached are compared too (compareAddressScans).
 * Returns the findings in the results' order (undefined: no difference).
 */
export function addressFindings(results: ScanResult[]): (Finding | undefined)[] {
  if (results.length < 2) return results.map(() => undefined);
  const make = (here: ScanResult, there: ScanResult): Finding | undefined => {
    const c = compareAddressScans(here, there);
    if (!c.differences.length) return undefined;
    const at = there.target.address ?? there.target.host;
    // Differences seen through unanswered probes may be the network's, not the servers'.
    const partial = [here, there].filter((r) => r.findings.some((f) => f.id === 'scan.incomplete')).map((r) => r.target.address ?? r.target.host);
    const caveat = partial.length ? ` (the scan of ${partial.join(' and ')} is incomplete: some of this may come from probes that got no answer)` : '';
    return finding('scan.addresses-differ', `${here.target.host} at ${here.target.address} differs from ${at}: ${c.details.join('; ')}${caveat}`,
      { comparedWith: at, differences: c.differences });
  };
  const first = results[0]!;
  const rest = results.slice(1).map((r) => make(r, first));
  const other = rest.findIndex((f) => f !== undefined);
  return [other >= 0 ? make(first, results[other + 1]!) : undefined, ...rest];
}
