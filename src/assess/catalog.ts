/**
 * Every finding id tlsdoctor emits, with its default severity, its title and
 * the resolution text. Ids are stable (docs/findings.md documents each one;
 * a test checks that the two agree). Details and evidence are built per
 * finding by the checks in certificate.ts and protocol.ts.
 */
import type { Finding, Severity } from '../scan/types.js';

export interface FindingSpec {
  severity: Severity;
  title: string;
  resolution: string;
}

const TRUST_STORE_HOWTO =
  'Windows: certlm.msc > Trusted Root Certification Authorities, or PowerShell `Import-Certificate -FilePath root.pem -CertStoreLocation Cert:\\LocalMachine\\Root`; ' +
  'Java: `keytool -importcert -cacerts -alias myroot -file root.pem`; Debian/Ubuntu: copy to /usr/local/share/ca-certificates/myroot.crt and run `update-ca-certificates`; ' +
  'Node.js: NODE_EXTRA_CA_CERTS=/path/root.pem; Python requests: REQUESTS_CA_BUNDLE or SSL_CERT_FILE (or append to certifi\'s cacert.pem). ' +
  'Use `tlsdoctor diagnose URL --save-chain DIR` to write the certificate files.';

export const FINDINGS = {
  // ---- certificate ----
  'certificate.hostname-mismatch': {
    severity: 'high',
    title: 'The certificate does not cover the host name',
    resolution: 'Install a certificate whose subjectAltName lists this exact host (or a wildcard *.parent covering exactly one label), or call the service by a name that is on the certificate. '
      + 'If the server hosts several names, check that SNI selects the right certificate: nginx `server_name` + `ssl_certificate` in the matching server block; Apache `ServerName`/`ServerAlias` + `SSLCertificateFile` in the matching <VirtualHost>; IIS: the site binding with "Require Server Name Indication" and the right certificate.',
  },
  'certificate.hostname-cn-fallback': {
    severity: 'medium',
    title: 'The host name is only in the subject CN, not in a subjectAltName',
    resolution: 'Reissue the certificate with the host name in the subjectAltName extension (DNS:host). Chrome (since 58), Go (since 1.15) and other modern clients ignore the CN.',
  },
  'certificate.expired': {
    severity: 'critical',
    title: 'A certificate in the chain has expired',
    resolution: 'Renew the certificate and install the new one (nginx `ssl_certificate`, Apache `SSLCertificateFile`/`SSLCertificateChainFile`, IIS: bind the renewed certificate to the site), then reload the server. For an expired intermediate, install the current intermediate from your CA.',
  },
  'certificate.not-yet-valid': {
    severity: 'high',
    title: 'A certificate in the chain is not valid yet',
    resolution: 'Check the clocks of server and client (NTP). If the clocks are right, the certificate was issued with a future notBefore: install a currently valid certificate.',
  },
  'certificate.expires-soon': {
    severity: 'medium',
    title: 'A certificate in the chain expires soon',
    resolution: 'Renew the certificate now and automate renewal (ACME/certbot, your CA\'s agent), then reload the server. Remember to update pins (pinning.json) that name the current key.',
  },
  'certificate.self-signed': {
    severity: 'high',
    title: 'The certificate is self-signed',
    resolution: 'Either install a certificate from a public CA on the server, or make every client trust this exact certificate (pinning it as a trust anchor). ' + TRUST_STORE_HOWTO,
  },
  'certificate.untrusted-root': {
    severity: 'high',
    title: 'The chain ends at a root that no trust store trusts',
    resolution: 'If this is your organisation\'s private CA, add its root certificate to the client\'s trust store (or pass --ca-file to tlsdoctor). Otherwise install a certificate from a publicly trusted CA. ' + TRUST_STORE_HOWTO,
  },
  'certificate.incomplete-chain': {
    severity: 'high',
    title: 'The server does not send the intermediate certificate(s)',
    resolution: 'Configure the server to send the full chain (leaf first, then each intermediate; the root may be left out): nginx `ssl_certificate` must point to a file holding the leaf followed by the intermediates ("fullchain.pem"); Apache 2.4.8+: the same in `SSLCertificateFile` (older: `SSLCertificateChainFile`); IIS: import the intermediate into the computer\'s "Intermediate Certification Authorities" store and re-bind. '
      + 'Browsers often hide this problem by fetching the intermediate themselves (AIA); Java, Android, Python, Node.js, curl and Go do not, and .NET on a server without outbound internet access cannot (it works in the browser on your desk and fails on the server).',
  },
  'certificate.invalid-signature': {
    severity: 'critical',
    title: 'A certificate signature does not verify',
    resolution: 'The server sends a certificate whose issuer\'s key does not match its signature (often a leaf paired with the wrong intermediate after a CA change). Install the intermediate that really issued the leaf.',
  },
  'certificate.weak-key': {
    severity: 'high',
    title: 'A certificate uses a weak key',
    resolution: 'Generate a new key of at least RSA 2048 bits (3072 recommended) or ECDSA P-256, get a certificate for it and install both (nginx `ssl_certificate_key`, Apache `SSLCertificateKeyFile`). Example: `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr`.',
  },
  'certificate.weak-signature': {
    severity: 'high',
    title: 'A certificate is signed with a weak hash (SHA-1 or MD5)',
    resolution: 'Reissue the certificate (and use an intermediate) signed with SHA-256 or better. Clients refuse SHA-1 signed certificates (Chrome since 2017, OpenSSL 3 at security level 1+, Java jdk.certpath.disabledAlgorithms).',
  },
  'certificate.not-server-auth': {
    severity: 'high',
    title: 'The certificate is not valid for TLS server authentication (EKU)',
    resolution: 'The extendedKeyUsage extension must include serverAuth (1.3.6.1.5.5.7.3.1). Request a "TLS Web Server" / "Web Server" template certificate from your CA and install it.',
  },
  'certificate.revoked-or-unknown': {
    severity: 'critical',
    title: 'The stapled OCSP response says the certificate is revoked or unknown',
    resolution: 'A revoked certificate must be replaced: get a new certificate (with a new key if the key was compromised) and install it; the server then staples a fresh OCSP response (nginx `ssl_stapling on;`, Apache `SSLUseStapling on`). For "unknown", check that the OCSP responder belongs to the issuing CA.',
  },
  'certificate.tls-interception': {
    severity: 'high',
    title: 'A TLS-inspecting proxy or antivirus re-signs this connection',
    resolution: 'The certificate the client gets is not the server\'s: a proxy or antivirus in between re-signs it with its own CA. Either add that CA to the trust store the failing client uses (Java: `keytool -importcert -cacerts -alias inspection -file inspection-root.pem`; Node.js: NODE_EXTRA_CA_CERTS; Python requests: REQUESTS_CA_BUNDLE; Windows and macOS usually have it from IT already; `tlsdoctor diagnose URL --save-chain DIR` writes the certificates), '
      + 'or ask IT to exempt the host from TLS inspection, which apps with pinned keys, mutual TLS and certificate-bound APIs need. Diagnose the server itself from a network without the inspection.',
  },
  'certificate.revoked': {
    severity: 'critical',
    title: 'The CA says the certificate is revoked',
    resolution: 'A revoked certificate must be replaced: get a new certificate (with a new key if the key was compromised) from the CA and install it, then reload the server. Every client that checks revocation (browsers, Windows/SChannel, .NET, Java with revocation checks on) refuses this one.',
  },
  'certificate.revocation-unreachable': {
    severity: 'medium',
    title: 'None of the certificate\'s revocation servers answered',
    resolution: 'Clients that check revocation fail where the CA\'s OCSP responders and CRL distribution points cannot be reached: Windows (SChannel, .NET, curl and git on Windows) with "The revocation function was unable to check revocation because the revocation server was offline" (CRYPT_E_REVOCATION_OFFLINE, 0x80092013), Java with "Could not determine revocation status". '
      + 'Let the client machine reach these URLs over plain HTTP (port 80), directly or through its proxy (Windows: `netsh winhttp set proxy` for the system account). For a private CA, publish its CRL at the URL its certificates name and keep it current (nextUpdate). '
      + 'Stopgaps that drop the check: curl `--ssl-revoke-best-effort` (7.70+) or `--ssl-no-revoke`; git `http.schannelCheckRevoke false`; .NET `X509RevocationMode.Offline` or `NoCheck`.',
  },
  'certificate.no-revocation-info': {
    severity: 'low',
    title: 'The certificate names no CRL distribution point and no OCSP responder',
    resolution: 'Clients that require a revocation check cannot do one: curl and git on Windows (SChannel) refuse with "The revocation function was unable to check revocation for the certificate" (CRYPT_E_NO_REVOCATION_CHECK, 0x80092012). '
      + 'Issue certificates with a CRL distribution point (OpenSSL: `crlDistributionPoints=URI:http://pki.example.com/ca.crl`; AD CS: the CDP extension of the CA) and/or an OCSP URL (`authorityInfoAccess=OCSP;URI:http://ocsp.example.com/`), and publish the CRL there. '
      + 'Stopgaps on the client: curl `--ssl-no-revoke`, git `http.schannelCheckRevoke false`.',
  },
  'certificate.must-staple-missing': {
    severity: 'high',
    title: 'The certificate demands OCSP stapling (Must-Staple) and the server staples nothing',
    resolution: 'Turn OCSP stapling on, and make sure the server can reach the CA\'s OCSP responder to fetch responses: nginx `ssl_stapling on; ssl_stapling_verify on;` with a `resolver` and `ssl_trusted_certificate`; Apache `SSLUseStapling on` and `SSLStaplingCache shmcb:/var/run/ocsp(128000)`; HAProxy `ocsp-update on`. Or get a certificate without the Must-Staple extension (the CSR\'s `tlsfeature=status_request`).',
  },
  'certificate.sct-insufficient': {
    severity: 'high',
    title: 'Too few Certificate Transparency SCTs: Apple platforms and Chrome refuse the certificate',
    resolution: 'Get a certificate that is logged: public CAs embed the SCTs of two or three CT logs in their certificates (a certificate ordered without them, for names that must stay out of the public logs, belongs on a private CA instead). Or deliver the SCTs in the TLS signed_certificate_timestamp extension or a stapled OCSP response. Until then iOS and macOS apps (URLSession, ATS), Safari and Chrome fail the connection while Java, .NET and Python clients, which do not check CT, succeed. `openssl x509 -noout -text -in leaf.pem` shows embedded SCTs under "CT Precertificate SCTs"; crt.sh lists where a certificate was logged.',
  },
  'certificate.private-ca': {
    severity: 'info',
    title: 'The chain is trusted only through a --ca-file (private CA)',
    resolution: 'Every client of this service must carry this root in its trust store; clients with only public roots will refuse the connection. ' + TRUST_STORE_HOWTO,
  },
  'certificate.root-not-in-runtimes': {
    severity: 'low',
    title: 'The chain\'s root is missing from the trust store of older runtimes',
    resolution: 'Those clients fail the certificate check ("PKIX path building failed" in Java, "Trust anchor for certification path not found" on Android) although the chain is valid today. Update them, or add the root to their trust store (Java: `keytool -importcert -cacerts -alias myroot -file root.pem`; Android 7.0+: the root in res/raw and a network_security_config <trust-anchors> entry beside "system"). On the server side: a chain that leads to an older root the clients have (a CA\'s cross-signed chain, where it still offers one), or a certificate from a CA whose root they hold. The client simulation lists which runtimes are affected and why.',
  },
  'certificate.chain-order': {
    severity: 'low',
    title: 'The server sends the chain in the wrong order',
    resolution: 'List the certificates leaf first, then the intermediate that issued it, and so on up. Some clients (older Java, .NET on some platforms, embedded stacks) fail on a misordered chain.',
  },
  'certificate.chain-duplicate': {
    severity: 'low',
    title: 'The server sends a certificate more than once',
    resolution: 'Remove the duplicate from the chain file (nginx `ssl_certificate`, Apache `SSLCertificateFile`/`SSLCertificateChainFile`).',
  },
  'certificate.chain-extra': {
    severity: 'low',
    title: 'The server sends certificates that are not part of the chain',
    resolution: 'Remove certificates that do not belong to the leaf\'s chain from the chain file: they waste bytes in every handshake and confuse some clients.',
  },
  'certificate.root-sent': {
    severity: 'info',
    title: 'The server sends the root certificate',
    resolution: 'Optional: leave the root out of the chain file. Clients ignore a sent root and use their own copy; sending it costs bytes in every handshake.',
  },
  'certificate.unparseable': {
    severity: 'medium',
    title: 'The server sends a certificate that cannot be parsed',
    resolution: 'Check the PEM/DER files configured on the server: a damaged or non-certificate entry in the chain file breaks strict clients.',
  },
  'certificate.ocsp-staple-invalid': {
    severity: 'low',
    title: 'The stapled OCSP response is unusable',
    resolution: 'The server staples a response that is malformed, stale or about another certificate. Check the OCSP configuration (nginx `ssl_stapling_verify on; ssl_trusted_certificate ...;`, Apache `SSLStaplingCache`), and that the server can reach the CA\'s OCSP responder.',
  },

  // ---- handshake (diagnose: the client could not complete a handshake) ----
  'handshake.failed': {
    severity: 'high',
    title: 'The TLS handshake fails: no common protocol version or cipher suite',
    resolution: 'Make client and server share a protocol and a suite. On the server, enable TLS 1.2 (and 1.3) with ECDHE-GCM suites (nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache `SSLProtocol -all +TLSv1.2 +TLSv1.3`, Windows SCHANNEL TLS 1.2 Server Enabled=1). On an old .NET client, allow TLS 1.2: `ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12` or SchUseStrongCrypto=1 under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319. On Java, check jdk.tls.disabledAlgorithms and https.protocols.',
  },
  'handshake.client-certificate-required': {
    severity: 'high',
    title: 'The server requires a client certificate (mutual TLS)',
    resolution: 'Give the client a certificate issued by a CA the server names, with its private key: .NET `handler.ClientCertificates.Add(new X509Certificate2("client.pfx", password))` on the HttpClientHandler (WCF: ClientCredentials.ClientCertificate); Java `-Djavax.net.ssl.keyStore=client.p12 -Djavax.net.ssl.keyStoreType=PKCS12 -Djavax.net.ssl.keyStorePassword=...`; Python requests `cert=("client.crt", "client.key")`; Node.js `https.request({ ..., cert, key })`; curl `--cert client.crt --key client.key`. Without one, ask the API owner for it. Check it with `tlsdoctor diagnose URL --cert client.crt --key client.key`.',
  },
  'handshake.client-certificate-rejected': {
    severity: 'high',
    title: 'The server refuses the client certificate',
    resolution: 'Use a client certificate issued by a CA the server names (the CertificateRequest lists them), valid now, with the clientAuth extended key usage, sent with its intermediate certificates and matching its private key; or have the server trust the client certificate\'s CA. The alert says which: unknown_ca (issuer not trusted), certificate_expired, bad_certificate or unsupported_certificate (key usage, key type), access_denied (trusted but not allowed).',
  },
  'handshake.not-tls': {
    severity: 'high',
    title: 'The port does not answer with TLS',
    resolution: 'Check the URL: https:// to a port that serves plain HTTP (or http:// to a TLS port) gives "wrong version number". Use the TLS port (usually 443), or enable TLS on this listener (nginx `listen 443 ssl;`). A proxy or load balancer in between may also answer in plain text.',
  },

  // ---- protocol ----
  'protocol.sslv2-enabled': {
    severity: 'critical',
    title: 'SSL 2.0 is enabled',
    resolution: 'Disable SSL 2.0. nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS/Windows: HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 2.0\\Server Enabled=0 (or IIS Crypto).',
  },
  'protocol.sslv3-enabled': {
    severity: 'high',
    title: 'SSL 3.0 is enabled (POODLE)',
    resolution: 'Disable SSL 3.0. nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS/Windows: SCHANNEL\\Protocols\\SSL 3.0\\Server Enabled=0.',
  },
  'protocol.tls10-enabled': {
    severity: 'medium',
    title: 'TLS 1.0 is enabled',
    resolution: 'Disable TLS 1.0 (deprecated by RFC 8996). nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS/Windows: SCHANNEL\\Protocols\\TLS 1.0\\Server Enabled=0. Check first that no client still needs it (`tlsdoctor clients`).',
  },
  'protocol.tls11-enabled': {
    severity: 'medium',
    title: 'TLS 1.1 is enabled',
    resolution: 'Disable TLS 1.1 (deprecated by RFC 8996). nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS/Windows: SCHANNEL\\Protocols\\TLS 1.1\\Server Enabled=0.',
  },
  'protocol.no-tls12': {
    severity: 'high',
    title: 'TLS 1.2 is not supported',
    resolution: 'Enable TLS 1.2: most clients and APIs now require it. nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; Windows: SCHANNEL\\Protocols\\TLS 1.2\\Server Enabled=1, DisabledByDefault=0 (and update old OpenSSL/Java/Windows versions that lack it).',
  },
  'scan.incomplete': {
    severity: 'medium',
    title: 'The scan is incomplete: some probes got no answer',
    resolution: 'Scan again from a host the server, its firewall or WAF does not limit or ban (allow-list the scanning host, e.g. in fail2ban or a connlimit rule), or more gently: `--concurrency 2` and a longer `--timeout`. What the unanswered probes asked is missing, so suites, versions or groups may be missing and the grade may be too good.',
  },
  'handshake.sni-required': {
    severity: 'medium',
    title: 'The server answers only clients that send its name (SNI)',
    resolution: 'Call the server by its host name (https://api.example.com/, not an address: a client sends no name for an address), or make the client send the name (curl `--resolve`/`--connect-to`, `tlsdoctor scan ADDRESS --sni api.example.com`). Clients that send no server name at all (Java 6, Python before 2.7.9, Internet Explorer on Windows XP, some embedded HTTP stacks) need an upgrade, or a server (its default server or virtual host) that answers without a name.',
  },
  'scan.addresses-differ': {
    severity: 'medium',
    title: 'The host name\'s addresses do not serve the same TLS configuration',
    resolution: 'Deploy the same certificate chain and TLS settings to every server behind the name (every node of the DNS round robin, every load balancer pool member or region), e.g. roll the renewed certificate out to all of them, then check with `tlsdoctor scan HOST --all-addresses`. Until then a client fails or succeeds depending on the address it gets, which looks like an intermittent error. To check one node before or after a DNS change: `tlsdoctor scan HOST --resolve HOST:443:ADDRESS`.',
  },
  'protocol.no-tls13': {
    severity: 'low',
    title: 'TLS 1.3 is not supported',
    resolution: 'Enable TLS 1.3 (OpenSSL 1.1.1+, nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache 2.4.37+ `SSLProtocol -all +TLSv1.2 +TLSv1.3`, Windows Server 2022+).',
  },
  'protocol.hello-intolerance': {
    severity: 'medium',
    title: 'The server drops long ClientHellos',
    resolution: 'Update the server, or the load balancer or firewall in front of it: a TLS stack must take a ClientHello of any valid length, whatever its suites and extensions. Clients whose hello is long fail here: a post-quantum key share (X25519MLKEM768, 1,216 bytes) makes a current browser\'s hello span two TCP segments, and old F5 BIG-IP firmware hung on hellos of 256 to 511 bytes (the reason for the padding extension, RFC 7685).',
  },
  'protocol.no-secure-renegotiation': {
    severity: 'high',
    title: 'The server does not support secure renegotiation (RFC 5746)',
    resolution: 'Update the server\'s TLS stack or load balancer firmware: every TLS library maintained since 2010 sends renegotiation_info (OpenSSL 0.9.8m+, Windows since MS10-049, Java 6u22+). Until then, OpenSSL 3 clients (Node.js 17+, Python with OpenSSL 3, curl with OpenSSL 3, openssl s_client) fail with "unsafe legacy renegotiation disabled" at TLS 1.2 and below; as a stopgap on such a client only: Node.js `secureOptions: crypto.constants.SSL_OP_LEGACY_SERVER_CONNECT`, Python `ctx.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)` (the constant is missing from some 3.11 builds), openssl.cnf `Options = UnsafeLegacyServerConnect`. Enabling TLS 1.3 on the server also avoids the check for clients that speak it.',
  },
  'protocol.no-extended-master-secret': {
    severity: 'medium',
    title: 'The server does not support the extended master secret (RFC 7627)',
    resolution: 'Update the server\'s TLS stack (OpenSSL 1.1.0+, Java 8u161+, GnuTLS 3.4+, Go 1.21+), or enable TLS 1.3, which does not need it. Clients in FIPS mode on RHEL 9.2+ refuse TLS 1.2 without it (FIPS 140-3 IG D.Q); `update-crypto-policies --set FIPS:NO-ENFORCE-EMS` on such a client works around it but is not FIPS compliant. Without it TLS 1.2 is open to the triple handshake attack.',
  },
  'protocol.insecure-renegotiation': {
    severity: 'critical',
    title: 'The server renegotiates without RFC 5746 protection (CVE-2009-3555)',
    resolution: 'Update the server\'s TLS stack or load balancer firmware to one that supports secure renegotiation (RFC 5746: OpenSSL 0.9.8m+, Windows since MS10-049, Java 6u22+, GnuTLS 2.10+), or make it refuse renegotiation altogether (nginx does since 0.8.23; Java: `-Djdk.tls.rejectClientInitiatedRenegotiation=true`). Until then an attacker in the middle can splice a request of its own in front of a client\'s authenticated one (the 2009 renegotiation attack), and OpenSSL 3 clients refuse the server anyway.',
  },
  'protocol.client-renegotiation': {
    severity: 'low',
    title: 'The server renegotiates when the client asks (client-initiated renegotiation)',
    resolution: 'Make the server refuse client-initiated renegotiation, which no HTTPS client needs: nginx always refuses it; OpenSSL 3 servers refuse it unless the application sets SSL_OP_ALLOW_CLIENT_RENEGOTIATION (`openssl s_server -client_renegotiation`); Java (JSSE): `-Djdk.tls.rejectClientInitiatedRenegotiation=true`; Node.js (its TLS servers accept up to `tls.CLIENT_RENEG_LIMIT`, 3, per connection in 10 minutes): `secureOptions: crypto.constants.SSL_OP_NO_RENEGOTIATION`; an application on GnuTLS decides itself when its read returns GNUTLS_E_REHANDSHAKE (gnutls-serv accepts). Until then each renegotiation costs the server a handshake\'s public-key operation and the client next to nothing: one client can keep a server\'s CPU busy (THC-SSL-DOS, 2011), past any limit on connections.',
  },
  'protocol.heartbleed': {
    severity: 'critical',
    title: 'The server is vulnerable to Heartbleed (CVE-2014-0160)',
    resolution: 'Upgrade OpenSSL to 1.0.1g or later (every maintained release is fixed) or the appliance firmware that embeds it, and restart every process that loaded the old library; or rebuild it with -DOPENSSL_NO_HEARTBEATS. Then assume the private key, session keys and passwords that passed through the server leaked: make a new key, have the certificate reissued and revoke the old one, and have users change their passwords. Until then any client on the network can read up to 64 KB of the server\'s memory per request.',
  },
  'protocol.robot': {
    severity: 'critical',
    title: 'The server is a Bleichenbacher oracle on RSA key exchange (ROBOT)',
    resolution: 'Update the TLS stack or the appliance firmware (the ROBOT disclosures of December 2017 name fixed versions: CVE-2017-6168 F5 BIG-IP, CVE-2017-17382 Citrix NetScaler, CVE-2017-13099 wolfSSL, CVE-2017-13098 Bouncy Castle, and Radware, Cisco ACE and others), or stop accepting RSA key exchange: remove the TLS_RSA_* suites and keep ECDHE (nginx `ssl_ciphers` without `kRSA`, e.g. `ECDHE+AESGCM:ECDHE+CHACHA20`; IIS/SChannel: disable the TLS_RSA_* suites in the cipher suite order policy). Until then an attacker who recorded a session made with RSA key exchange can decrypt it, and can sign messages with the server\'s key.',
  },
  'protocol.poodle-tls': {
    severity: 'high',
    title: 'The server takes CBC records whose padding is wrong (POODLE-TLS, CVE-2014-8730)',
    resolution: 'Update the TLS stack or the appliance firmware (the December 2014 advisories name fixed versions: F5 BIG-IP CVE-2014-8730, A10, Citrix NetScaler and others), or stop accepting CBC suites: keep the AES-GCM and ChaCha20-Poly1305 suites, and TLS 1.3. Until then an attacker in the middle who can make a victim\'s browser send requests recovers secrets such as cookies a byte at a time, as with POODLE on SSL 3.0.',
  },
  'protocol.padding-oracle': {
    severity: 'high',
    title: 'The server is a CBC padding oracle (Zombie POODLE, GOLDENDOODLE, 0-length padding oracle)',
    resolution: 'Update the TLS stack or the appliance firmware (Craig Young\'s 2019 disclosures name affected Citrix, F5, Cisco and other devices; OpenSSL 1.0.2r fixed the 0-length oracle, CVE-2019-1559), or stop accepting CBC suites: keep the AES-GCM and ChaCha20-Poly1305 suites, and TLS 1.3. Until then an attacker in the middle who can make a victim\'s browser send requests decrypts them a byte at a time from the server\'s different answers.',
  },
  'protocol.ccs-injection': {
    severity: 'high',
    title: 'The server takes a ChangeCipherSpec before the key exchange (CCS injection, CVE-2014-0224)',
    resolution: 'Upgrade OpenSSL to a release fixed on 2014-06-05 or later (0.9.8za, 1.0.0m, 1.0.1h; every maintained release is fixed) or the appliance firmware that embeds it, and restart every process that loaded the old library. The attack needs a client that is vulnerable too (OpenSSL clients before the same releases): an attacker in the middle then makes both sides use keys derived from an empty master secret, and can read and change the traffic. Update the clients\' OpenSSL as well.',
  },
  'protocol.compression': {
    severity: 'medium',
    title: 'The server compresses TLS records (CRIME, CVE-2012-4929)',
    resolution: 'Turn TLS compression off: OpenSSL `SSL_OP_NO_COMPRESSION` (the default since OpenSSL 1.1.0, and nginx sets it), Apache `SSLCompression off` (the default since 2.4.4); GnuTLS 3.6+ has no compression at all. Compressed records let an attacker who can inject text into the same connection (a browser script, a reflected parameter) recover secrets such as cookies and tokens from the lengths of the records. Current clients never offer compression, so nothing breaks.',
  },
  'protocol.weak-signature-hash': {
    severity: 'low',
    title: 'The server signs its TLS 1.2 key exchange with MD5 or SHA-1 when a client offers it (RFC 9155)',
    resolution: 'Take MD5 and SHA-1 out of the signature algorithms the server signs with: OpenSSL `SignatureAlgorithms` (nginx 1.19.4+ `ssl_conf_command SignatureAlgorithms RSA-PSS+SHA256:RSA+SHA256:ECDSA+SHA256:RSA-PSS+SHA384:RSA+SHA384:ECDSA+SHA384:RSA-PSS+SHA512:RSA+SHA512:ECDSA+SHA512;`; OpenSSL 3 at its default security level 1 refuses SHA-1 signatures already), GnuTLS `-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1:-SIGN-RSA-MD5` in the priority string. A signature made with a hash that has collisions (MD5; SHA-1: a collision in 2017, chosen-prefix collisions in 2020) lets an attacker who finds one reuse the server\'s signature for a key exchange of its own choosing (SLOTH, CVE-2015-7575): RFC 9155 deprecates MD5 and SHA-1 signatures in TLS 1.2. Current clients offer SHA-256 and better, and keep working.',
  },
  'protocol.kx-reuse': {
    severity: 'low',
    title: 'The server reuses its ephemeral (EC)DHE key across connections',
    resolution: 'Have the server make a new ECDHE/DHE key for every handshake: OpenSSL does so since 1.0.2f (before, set SSL_OP_SINGLE_DH_USE and SSL_OP_SINGLE_ECDH_USE); on an appliance or load balancer, look for an ephemeral-key caching or reuse setting, or update its firmware. While one key serves many connections, whoever obtains it decrypts every recorded connection made with it: forward secrecy lasts only as long as the key.',
  },
  'protocol.no-fallback-scsv': {
    severity: 'low',
    title: 'The server does not refuse protocol downgrades signalled with TLS_FALLBACK_SCSV (RFC 7507)',
    resolution: 'Update the server\'s TLS stack (OpenSSL supports RFC 7507 since 1.0.1j), or turn off the old versions the downgrade would reach, which removes the risk as well (the way on Windows: SChannel does not implement the SCSV). A client that retries a failed handshake with a lower version marks the retry with the SCSV; a server that ignores it lets an attacker who breaks the first handshake force the older version. SSL Labs gives A+ only to servers that support it.',
  },
  'protocol.no-downgrade-sentinel': {
    severity: 'low',
    title: 'The server speaks TLS 1.3 but does not mark a TLS 1.2 answer as a downgrade (RFC 8446 section 4.1.3)',
    resolution: 'Update the TLS stack or the appliance that terminates TLS: RFC 8446 requires a server that speaks TLS 1.3 to end the random of a TLS 1.2 ServerHello with "DOWNGRD" and 01, which is how TLS 1.3 clients detect an attacker who forced TLS 1.2 (OpenSSL 1.1.1+, GnuTLS 3.6.5+ and BoringSSL do). A TLS-inspecting middlebox or a load balancer that answers TLS 1.2 itself while a back end speaks TLS 1.3 can cause it too.',
  },
  'protocol.early-data': {
    severity: 'low',
    title: 'The server takes TLS 1.3 early data (0-RTT), which an attacker can replay',
    resolution: 'Turn 0-RTT off unless the application is built for it: nginx `ssl_early_data off;` (the default), OpenSSL servers: a max_early_data of 0 (the default), HAProxy: no `allow-0rtt`, Cloudflare: the 0-RTT switch. Early data is sent before the handshake completes and is not protected against replay (RFC 8446 section 8): an attacker who records it can send it again, so a POST or any request with an effect may run twice. A server that keeps it must take only idempotent requests that way, or answer 425 Too Early (RFC 8470: nginx passes `$ssl_early_data` for the back end to check the Early-Data header).',
  },
  'protocol.extension-intolerance': {
    severity: 'high',
    title: 'The server drops ClientHellos that carry extensions',
    resolution: 'Update or replace the server\'s TLS stack: a server must ignore extensions it does not know (RFC 5246 §7.4.1.4), and every current client sends some (server_name, supported_groups, signature_algorithms), so none of them can connect with this version.',
  },

  // ---- cipher ----
  'cipher.null': {
    severity: 'critical',
    title: 'Cipher suites without encryption (NULL) are offered',
    resolution: 'Remove NULL suites: nginx `ssl_ciphers` / Apache `SSLCipherSuite` with "!eNULL:!aNULL", or use a modern list such as Mozilla\'s "intermediate" configuration.',
  },
  'cipher.anonymous': {
    severity: 'critical',
    title: 'Anonymous (unauthenticated) cipher suites are offered',
    resolution: 'Remove anonymous suites (ADH/AECDH): add "!aNULL" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`. They allow a man-in-the-middle without any certificate.',
  },
  'cipher.export': {
    severity: 'critical',
    title: 'Export-grade cipher suites are offered (FREAK/Logjam)',
    resolution: 'Remove EXPORT suites: add "!EXP" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`; on Windows disable them with IIS Crypto or the SSL Cipher Suite Order policy.',
  },
  'cipher.rc4': {
    severity: 'high',
    title: 'RC4 cipher suites are offered',
    resolution: 'Remove RC4 (prohibited by RFC 7465): add "!RC4" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`; Windows: SCHANNEL\\Ciphers\\RC4 * Enabled=0.',
  },
  'cipher.des': {
    severity: 'high',
    title: 'Single-DES cipher suites are offered',
    resolution: 'Remove DES suites (56-bit keys): add "!DES" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`; Windows: SCHANNEL\\Ciphers\\DES 56/56 Enabled=0.',
  },
  'cipher.3des': {
    severity: 'medium',
    title: '3DES cipher suites are offered (64-bit block, Sweet32)',
    resolution: 'Remove 3DES: add "!3DES" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`; Windows: SCHANNEL\\Ciphers\\Triple DES 168 Enabled=0. Only Windows XP/IE 8 era clients need it.',
  },
  'cipher.64bit-block': {
    severity: 'medium',
    title: 'Cipher suites with a 64-bit block cipher (IDEA, RC2) are offered',
    resolution: 'Remove IDEA and RC2 suites from nginx `ssl_ciphers` / Apache `SSLCipherSuite` ("!IDEA:!RC2").',
  },
  'cipher.no-forward-secrecy': {
    severity: 'medium',
    title: 'No cipher suite with forward secrecy',
    resolution: 'Offer ECDHE suites (and TLS 1.3) first: nginx `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:...; ssl_prefer_server_ciphers off;`, Apache `SSLCipherSuite` likewise.',
  },
  'cipher.static-rsa': {
    severity: 'low',
    title: 'Cipher suites with static RSA key exchange are offered (no forward secrecy)',
    resolution: 'Remove "kRSA" suites (TLS_RSA_WITH_*) once no client needs them: add "!kRSA" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`. They give no forward secrecy and are the target of ROBOT-style attacks.',
  },
  'cipher.no-aead': {
    severity: 'medium',
    title: 'No AEAD cipher suite (GCM, ChaCha20-Poly1305, CCM)',
    resolution: 'Enable TLS 1.2 AEAD suites and TLS 1.3: e.g. ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-CHACHA20-POLY1305 in nginx `ssl_ciphers` / Apache `SSLCipherSuite`.',
  },
  'cipher.cbc': {
    severity: 'low',
    title: 'CBC-mode cipher suites are offered in TLS 1.2',
    resolution: 'Prefer AEAD suites and drop CBC suites (SHA1/SHA256/SHA384 MAC) when clients allow: they have a long history of padding-oracle attacks (Lucky13, GOLDENDOODLE).',
  },
  'cipher.weak-dh': {
    severity: 'medium',
    title: 'Weak Diffie-Hellman parameters (below 2048 bits)',
    resolution: 'Use 2048-bit or larger DH parameters, or drop DHE suites in favour of ECDHE: nginx `ssl_dhparam /etc/nginx/dhparam.pem;` (`openssl dhparam -out dhparam.pem 2048`, or the RFC 7919 ffdhe2048 group); Apache 2.4.8+: append the DH parameters to `SSLCertificateFile`.',
  },
  'cipher.weak': {
    severity: 'high',
    title: 'Cipher suites with less than 128-bit encryption are offered',
    resolution: 'Remove suites with keys under 128 bits: add "!LOW:!EXP" to nginx `ssl_ciphers` / Apache `SSLCipherSuite`.',
  },
  'cipher.no-server-preference': {
    severity: 'low',
    title: 'The server follows the client\'s cipher order while weak suites are enabled',
    resolution: 'Either remove the weak suites, or make the server choose: nginx `ssl_prefer_server_ciphers on;`, Apache `SSLHonorCipherOrder on`.',
  },

  // ---- http ----
  'http.no-hsts': {
    severity: 'low',
    title: 'The HTTPS answer sets no Strict-Transport-Security (HSTS)',
    resolution: 'Send the header on every HTTPS answer, redirects and errors included: nginx `add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;`; Apache (mod_headers) `Header always set Strict-Transport-Security "max-age=31536000; includeSubDomains"`; IIS 10 (1709+): the site\'s HSTS settings (`<hsts enabled="true" max-age="31536000" includeSubDomains="true" />`). Start with a short max-age if some names under the domain still serve plain HTTP (includeSubDomains covers them). A browser that saw the header never again connects to the name without TLS, which defeats SSL stripping; HTTP clients of APIs do not keep it, so it matters for what browsers open. SSL Labs gives A+ only with it.',
  },
  'http.hsts-short': {
    severity: 'low',
    title: 'The Strict-Transport-Security max-age is shorter than 180 days',
    resolution: 'Raise max-age to at least 15552000 (180 days); a year (31536000) is common, two years (63072000) is what the HSTS preload list asks. A short policy lapses between a user\'s visits, and the first request after it goes out over plain HTTP again. SSL Labs gives A+ only from 180 days.',
  },
  'http.hpkp': {
    severity: 'low',
    title: 'The server sends Public-Key-Pins (HPKP), which browsers no longer honour',
    resolution: 'Remove the Public-Key-Pins header (nginx `add_header`, Apache `Header set`, or the application that adds it). Chrome dropped HPKP in version 72 and Firefox in 72 (2019-2020): one wrong pin set locked visitors out for max-age, and a key change needed months of planning. Pin in the apps that need it instead, where a new app version can change the pins: a pinning.json (`tlsdoctor pinning init HOST`, then `pinning plan` before each renewal), Android\'s network security config, or TrustKit on iOS. While the header stays, keep its pins the keys of the chain the server sends, plus a backup key.',
  },
  'http.compression': {
    severity: 'low',
    title: 'The HTTPS answers are HTTP-compressed (BREACH, CVE-2013-3587)',
    resolution: 'Where a page holds a secret and reflects request input, keep the two from being compressed together: mask CSRF tokens per response (a fresh random XOR, as Django and Rails do), keep secrets out of compressed bodies, or turn compression off for those pages (nginx `gzip off;` in their location; Apache `SetEnv no-gzip` / `SetEnvIfNoCase Request_URI ... no-gzip`), or off where the Referer is another site. Static files and pages without secrets can stay compressed. TLS-level compression (CRIME) is a different switch (protocol.compression).',
  },
  'http.hsts-invalid': {
    severity: 'medium',
    title: 'The Strict-Transport-Security header is invalid: browsers ignore it',
    resolution: 'Send exactly one header with max-age as a number of seconds, each directive once, separated by semicolons: `Strict-Transport-Security: max-age=31536000; includeSubDomains` (RFC 6797 section 6.1). Browsers drop a header that does not parse, so the site has no HSTS at all.',
  },
} as const satisfies Record<string, FindingSpec>;

export type FindingId = keyof typeof FINDINGS;

export const FINDING_IDS = Object.keys(FINDINGS) as FindingId[];

export function finding(id: FindingId, detail: string, evidence?: Record<string, unknown>, severity?: Finding['severity']): Finding {
  const spec: FindingSpec = FINDINGS[id];
  return { id, severity: severity ?? spec.severity, title: spec.title, detail, resolution: spec.resolution, ...(evidence ? { evidence } : {}) };
}

export const SEVERITY_RANK: Record<Finding['severity'], number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function sortFindings(f: Finding[]): Finding[] {
  // Ids are ASCII: a plain comparison (localeCompare's first call loads ICU's collator, about 12 ms).
  return [...f].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
