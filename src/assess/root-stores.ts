/**
 * Clients whose runtime carries its own, frozen trust store (Java's cacerts,
 * Android's system store: registry/root-stores.ts) against the root the
 * chain ends at. A simulated client that completed its handshake but whose
 * store lacks that root fails as the real one would, with its own error
 * text and the fix for that runtime.
 *
 * Judged only for a publicly trusted chain (a private root is missing from
 * every runtime: certificate.private-ca says so once), and only where the
 * root's absence is a fact: when the server also sends a cross-certificate
 * for that root (another CA vouching for the same name), an old client may
 * take that path instead, and nothing is claimed.
 */
import type { ClientSimulationResult } from '../scan/types.js';
import type { TrustReport } from '../x509/trust.js';
import { clientProfileById, type ClientProfile } from '../registry/clients/index.js';
import { rootInStore, rootFactBySpki, type RootIdentity, type RuntimeTrustStore } from '../registry/root-stores.js';
import { issuerFetchOf } from '../registry/issuer-fetch.js';

/** One client that fails on the root, for the finding. */
export interface RootStoreMiss {
  id: string;
  name: string;
  root: string;
  why: string;
}

/** The root of a publicly trusted path, as the registry knows roots; null when there is none to judge. */
export function judgedRoot(trust: TrustReport | null): (RootIdentity & { subject: string }) | null {
  if (!trust || !trust.trusted || !trust.publiclyTrusted) return null;
  const anchor = trust.path[trust.path.length - 1];
  if (!anchor || !anchor.info.spkiSha256) return null;
  const publicStores = new Set(trust.stores.filter((s) => s.trusted && s.kind !== 'ca-file').map((s) => s.store));
  if (anchor.storeId !== undefined && !publicStores.has(anchor.storeId)) return null;
  // A cross-certificate in the chain as sent: the same subject, issued by someone else.
  const crossed = trust.certificates.some((c) => c.subject === anchor.info.subject && c.issuer !== c.subject);
  if (crossed) return null;
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(anchor.info.subject)?.[1];
  return {
    name: rootFactBySpki(anchor.info.spkiSha256)?.name ?? cn ?? anchor.info.subject,
    subject: anchor.info.subject,
    spkiSha256: anchor.info.spkiSha256,
    notBefore: new Date(anchor.info.notBefore),
  };
}

function remediation(p: ClientProfile, store: RuntimeTrustStore, root: string): string {
  const alias = root.toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (store.family === 'java') {
    const keytool = store.line >= 9
      ? `keytool -importcert -cacerts -storepass changeit -alias ${alias} -file root.pem`
      : `keytool -importcert -keystore "$JAVA_HOME/jre/lib/security/cacerts" -storepass changeit -alias ${alias} -file root.pem`;
    return `Update ${p.name} to a release whose cacerts holds ${root} (see the reason), or add the root to this runtime's cacerts: \`${keytool}\`, `
      + `or give the client a trust store of its own (-Djavax.net.ssl.trustStore=...). \`tlsdoctor diagnose URL --save-chain DIR\` writes root.pem.`;
  }
  return `Ship ${root} in the app and trust it beside the system store: res/raw/root.pem and a network security config (res/xml/network_security_config.xml: `
    + '<base-config><trust-anchors><certificates src="system"/><certificates src="@raw/root"/></trust-anchors></base-config>, Android 7.0+; '
    + 'on Android 4.4-6 an X509TrustManager built from a KeyStore that holds the root), or raise minSdkVersion past this release. '
    + '`tlsdoctor diagnose URL --save-chain DIR` writes root.pem.';
}

/**
 * The clients that connected in the simulation but whose runtime store lacks
 * the chain's root, turned into failures; `misses` lists them for the finding.
 */
export function judgeRootStores(
  clients: readonly ClientSimulationResult[], trust: TrustReport | null,
  profileOf: (id: string) => ClientProfile | undefined = clientProfileById,
): { clients: ClientSimulationResult[]; misses: RootStoreMiss[] } {
  const root = judgedRoot(trust);
  const misses: RootStoreMiss[] = [];
  if (!root) return { clients: [...clients], misses };
  // A client that got another of the server's certificates (alternateChains) is not judged by this chain's root.
  const leaf = trust!.certificates[0]?.sha256;
  const out = clients.map((c) => {
    const p = profileOf(c.id);
    if (!c.ok || !p?.trustStore || (c.leafSha256 !== undefined && c.leafSha256 !== leaf)) return c;
    const v = rootInStore(p.trustStore, root);
    if (v.held !== false) return c;
    misses.push({ id: c.id, name: c.name, root: root.name, why: v.why });
    return {
      ...c, ok: false,
      // The runtime's error when it cannot build a chain to a root it holds, whatever is missing.
      reason: `${v.why}: the handshake completes, then the certificate check fails with ${issuerFetchOf(p).error}`,
      remediation: remediation(p, p.trustStore, root.name),
    };
  });
  return { clients: out, misses };
}
