/**
 * TLS-inspecting products: corporate proxies, antivirus web shields and
 * debugging proxies that end the client's TLS connection themselves and
 * re-sign the server's certificate with a CA of their own. Recognised by the
 * name of that CA (the default its product gives it), found in the chain the
 * client received. The classic cause of "PKIX path building failed" or
 * "unable to get local issuer certificate" on a company laptop or build
 * agent: the operating system trusts the inspection root (IT installed it),
 * the JVM's cacerts, Node's bundled roots and Python's certifi do not.
 */
export interface InterceptionProduct {
  product: string;
  kind: 'corporate proxy' | 'antivirus' | 'debugging proxy';
  /** Matched against the subject and issuer names (RFC 4514 text) of every certificate of the chain. */
  pattern: RegExp;
  /** Where the CA name comes from. */
  source: string;
}

export const INTERCEPTION_PRODUCTS: readonly InterceptionProduct[] = [
  { product: 'Zscaler', kind: 'corporate proxy', pattern: /\bZscaler\b/i, source: 'Zscaler SSL inspection: the default intermediate/root "Zscaler Root CA" (O=Zscaler Inc.)' },
  { product: 'Netskope', kind: 'corporate proxy', pattern: /\bNetskope\b|goskope\.com/i, source: 'Netskope SSL decryption: CA certificates of a tenant under goskope.com, O=Netskope' },
  { product: 'Cisco Umbrella', kind: 'corporate proxy', pattern: /Cisco Umbrella/i, source: 'Cisco Umbrella HTTPS inspection: "Cisco Umbrella Root CA"' },
  { product: 'Fortinet FortiGate', kind: 'corporate proxy', pattern: /Fortinet_CA_SSL|FortiGate CA|\bFortinet\b.*\bCA\b/i, source: 'FortiGate deep inspection: the built-in CA "Fortinet_CA_SSL" (CN FortiGate CA)' },
  { product: 'Palo Alto Networks', kind: 'corporate proxy', pattern: /Palo Alto Networks/i, source: 'PAN-OS SSL forward proxy: forward-trust certificates generated with O=Palo Alto Networks' },
  { product: 'Sophos', kind: 'corporate proxy', pattern: /Sophos SSL CA|\bSophos\b.*\bCA\b/i, source: 'Sophos Firewall/UTM HTTPS scanning: "Sophos SSL CA_<serial>"' },
  { product: 'Symantec/Broadcom ProxySG (Blue Coat)', kind: 'corporate proxy', pattern: /Blue ?Coat/i, source: 'ProxySG SSL interception: CA names carrying "Blue Coat"' },
  { product: 'Forcepoint (Websense)', kind: 'corporate proxy', pattern: /\bForcepoint\b|\bWebsense\b/i, source: 'Forcepoint Web Security SSL decryption: CA names carrying Forcepoint/Websense' },
  { product: 'McAfee/Skyhigh Web Gateway', kind: 'corporate proxy', pattern: /McAfee Web Gateway|Skyhigh/i, source: 'McAfee (Skyhigh) Web Gateway SSL scanner: "McAfee Web Gateway" CA' },
  { product: 'Check Point', kind: 'corporate proxy', pattern: /Check ?Point/i, source: 'Check Point HTTPS Inspection: the outbound CA of the gateway (O=Check Point)' },
  { product: 'Cloudflare Zero Trust (Gateway)', kind: 'corporate proxy', pattern: /Cloudflare for Teams|Cloudflare Gateway/i, source: 'Cloudflare Gateway TLS decryption: "Cloudflare for Teams ECC Certificate Authority"' },
  { product: 'Kaspersky', kind: 'antivirus', pattern: /Kaspersky/i, source: 'Kaspersky encrypted connection scanning: "Kaspersky Anti-Virus Personal Root Certificate"' },
  { product: 'Avast / AVG', kind: 'antivirus', pattern: /(Avast|AVG) (Web|Mail|Web\/Mail) Shield/i, source: 'Avast/AVG HTTPS scanning: "Avast Web/Mail Shield Root", "AVG Web/Mail Shield Root"' },
  { product: 'ESET', kind: 'antivirus', pattern: /ESET SSL Filter/i, source: 'ESET SSL/TLS protocol filtering: "ESET SSL Filter CA"' },
  { product: 'Bitdefender', kind: 'antivirus', pattern: /Bitdefender/i, source: 'Bitdefender encrypted web scan: "Bitdefender Personal CA"' },
  { product: 'Fiddler', kind: 'debugging proxy', pattern: /DO_NOT_TRUST_Fiddler/i, source: 'Fiddler HTTPS decryption: CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST, OU=Created by http://www.fiddler2.com' },
  { product: 'mitmproxy', kind: 'debugging proxy', pattern: /\bmitmproxy\b/i, source: 'mitmproxy docs, "About Certificates": its CA in ~/.mitmproxy (CN=mitmproxy, O=mitmproxy)' },
  { product: 'Charles Proxy', kind: 'debugging proxy', pattern: /Charles Proxy/i, source: 'Charles SSL proxying: "Charles Proxy CA (<date>, <host>)"' },
  { product: 'Burp Suite', kind: 'debugging proxy', pattern: /PortSwigger/i, source: 'Burp Suite: "PortSwigger CA" (O=PortSwigger)' },
];

/** The inspection product whose CA name appears among these names, if any. */
export function interceptionProduct(names: readonly string[]): { product: InterceptionProduct; name: string } | null {
  for (const name of names) {
    const product = INTERCEPTION_PRODUCTS.find((p) => p.pattern.test(name));
    if (product) return { product, name };
  }
  return null;
}
