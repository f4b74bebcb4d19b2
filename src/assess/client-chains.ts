/**
 * Simulated clients against a chain the server sends without its
 * intermediate: those that fetch the missing issuer (AIA) or ship the public
 * intermediates connect, the others fail, each with its own error
 * (registry/issuer-fetch.ts).
 *
 * Judged only when the trust analysis downloaded the missing certificate
 * from the AIA URL and the chain was then trusted (`--fetch-intermediates`):
 * then it is certain that an intermediate is missing, and that it can be
 * fetched. Without that download a missing issuer may as well be a private
 * root that the clients hold, and nothing is claimed.
 */
import type { ClientSimulationResult } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { clientProfileById, type ClientProfile } from '../registry/clients/index.js';
import { issuerFetchOf } from '../registry/issuer-fetch.js';

export interface MissingIssuerVerdicts {
  clients: ClientSimulationResult[];
  /** The simulated clients that fail for want of the intermediate, and those that fetch it. */
  failing: { id: string; name: string }[];
  fetching: { id: string; name: string }[];
}

export function judgeMissingIntermediate(
  clients: readonly ClientSimulationResult[], trust: TrustReport | null,
  profileOf: (id: string) => ClientProfile | undefined = clientProfileById,
): MissingIssuerVerdicts {
  const none = { clients: [...clients], failing: [], fetching: [] };
  if (!trust || !trust.trusted || !trust.completedByAia) return none;
  const fetchedAt = trust.path.findIndex((c) => c.source === 'aia');
  if (fetchedAt < 1) return none;
  const missing = trust.path[fetchedAt]!.info.subject;
  const url = trust.aia.find((a) => a.ok)?.url ?? trust.path[fetchedAt - 1]!.caIssuers[0] ?? 'the AIA URL';
  const leafMissing = fetchedAt === 1;
  const leaf = trust.certificates[0]?.sha256;
  const failing: MissingIssuerVerdicts['failing'] = [];
  const fetching: MissingIssuerVerdicts['fetching'] = [];
  const out = clients.map((c) => {
    const p = profileOf(c.id);
    if (!c.ok || !p || (c.leafSha256 !== undefined && c.leafSha256 !== leaf)) return c;
    const f = issuerFetchOf(p);
    if (f.fetch === 'aia' || (f.fetch === 'preloaded' && trust.publiclyTrusted)) {
      fetching.push({ id: c.id, name: c.name });
      const how = f.fetch === 'aia'
        ? `fetches the missing intermediate from ${url} (a host without outbound internet access, as many servers are, cannot, and fails)`
        : `carries the public intermediates, ${missing} among them`;
      return { ...c, reason: c.reason ? `${c.reason}; ${how}` : how };
    }
    if (f.fetch !== 'none') return c;
    failing.push({ id: c.id, name: c.name });
    const error = p.family === 'node' && !leafMissing ? '"unable to get local issuer certificate" (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)' : f.error;
    return {
      ...c, ok: false,
      reason: `the server does not send the intermediate ${missing} and ${p.name} does not fetch it: the handshake completes, then the certificate check fails with ${error}${f.scope ? ` (${f.scope})` : ''}`,
      remediation: `Fix the server: send the full chain (leaf, then ${missing}). Until then, on this client: ${f.workaround ?? 'none that lasts'}.`,
    };
  });
  return { clients: out, failing, fetching };
}
