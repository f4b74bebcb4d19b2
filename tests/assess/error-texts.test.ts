import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recogniseError, causesOf, type Cause, type Runtime } from '../../src/assess/error-texts.js';

// [runtime, exact error text as the runtime prints it, first cause]
const TABLE: [Runtime, string, Cause][] = [
  ['.NET', 'System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.', 'incomplete-chain'],
  ['.NET', 'System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.', 'incomplete-chain'],
  ['.NET', 'The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch', 'hostname-mismatch'],
  ['.NET', 'The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot', 'untrusted-root'],
  ['.NET', 'The remote certificate is invalid because of errors in the certificate chain: PartialChain', 'incomplete-chain'],
  ['.NET', 'The request was aborted: Could not create SSL/TLS secure channel.', 'protocol-mismatch'],
  ['Java', 'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target', 'incomplete-chain'],
  ['Java', 'unable to find valid certification path to requested target', 'incomplete-chain'],
  ['Android', 'javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found.', 'incomplete-chain'],
  ['Java', 'java.security.cert.CertificateException: No subject alternative names matching IP address 10.0.0.5 found', 'hostname-mismatch'],
  ['Java', 'java.security.cert.CertificateException: No name matching api.example.com found', 'hostname-mismatch'],
  ['Java', 'javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure', 'cipher-mismatch'],
  ['Java', 'javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate)', 'protocol-mismatch'],
  ['Python', "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)", 'incomplete-chain'],
  ['Python', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain (_ssl.c:1129)', 'untrusted-root'],
  ['Python', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)', 'self-signed'],
  ['Python', "ssl.CertificateError: hostname 'api.example.com' doesn't match '*.example.net'", 'hostname-mismatch'],
  ['Python', "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'api.example.com'. (_ssl.c:1006)", 'hostname-mismatch'],
  ['Python', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)', 'expired'],
  ['Node.js', 'Error: unable to verify the first certificate', 'incomplete-chain'],
  ['Node.js', "code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'", 'incomplete-chain'],
  ['Node.js', "Error: self-signed certificate\n  code: 'DEPTH_ZERO_SELF_SIGNED_CERT'", 'self-signed'],
  ['Node.js', "Error: self-signed certificate in certificate chain\n  code: 'SELF_SIGNED_CERT_IN_CHAIN'", 'untrusted-root'],
  ['Node.js', "Error: certificate has expired\n  code: 'CERT_HAS_EXPIRED'", 'expired'],
  ['Node.js', "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: api.example.com. is not in the cert's altnames: DNS:*.example.net", 'hostname-mismatch'],
  ['Node.js', 'Error: write EPROTO 40F8:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', 'not-tls'],
  ['curl/OpenSSL', 'curl: (60) SSL certificate problem: unable to get local issuer certificate', 'incomplete-chain'],
  ['curl/OpenSSL', 'curl: (60) SSL certificate problem: self-signed certificate', 'self-signed'],
  ['curl/OpenSSL', 'curl: (60) SSL certificate problem: self signed certificate in certificate chain', 'untrusted-root'],
  ['curl/OpenSSL', 'curl: (60) SSL certificate problem: certificate has expired', 'expired'],
  ['curl/OpenSSL', "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'", 'hostname-mismatch'],
  ['curl/OpenSSL', 'curl: (35) error:0A000410:SSL routines::sslv3 alert handshake failure', 'cipher-mismatch'],
  ['curl/OpenSSL', 'curl: (35) error:0A00042E:SSL routines::tlsv1 alert protocol version', 'protocol-mismatch'],
  ['curl/OpenSSL', 'curl: (35) error:0A000458:SSL routines::tlsv1 unrecognized name', 'sni-required'],
  ['Java', 'javax.net.ssl.SSLHandshakeException: Received fatal alert: unrecognized_name', 'sni-required'],
  ['Go', 'Get "https://10.0.0.5": remote error: tls: unrecognized name', 'sni-required'],
  ['Go', 'Get "https://api.example.com": x509: certificate signed by unknown authority', 'incomplete-chain'],
  ['Go', 'x509: certificate is valid for *.example.net, example.net, not api.example.com', 'hostname-mismatch'],
  ['Go', 'x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-12-01T00:00:00Z', 'expired'],
  ['Go', 'remote error: tls: handshake failure', 'cipher-mismatch'],
  ['Go', 'remote error: tls: protocol version not supported', 'protocol-mismatch'],
  // Mutual TLS: the server wanted a client certificate, or refused the one sent.
  ['Node.js', 'Error: 40F7E5E2A57F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../ssl/record/rec_layer_s3.c:1605:SSL alert number 116', 'client-certificate'],
  ['Node.js', "code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'", 'client-certificate'],
  ['Python', '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)', 'client-certificate'],
  ['Java', 'javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate', 'client-certificate'],
  ['Go', 'remote error: tls: certificate required', 'client-certificate'],
  ['curl/OpenSSL', 'curl: (56) OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0', 'client-certificate'],
  // OpenSSL 3 against a server without RFC 5746.
  ['Node.js', "Error: 80CCE8DB537F0000:error:0A000152:SSL routines:final_renegotiate:unsafe legacy renegotiation disabled\n  code: 'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED'", 'insecure-renegotiation'],
  ['Python', '[SSL: UNSAFE_LEGACY_RENEGOTIATION_DISABLED] unsafe legacy renegotiation disabled (_ssl.c:1006)', 'insecure-renegotiation'],
  ['curl/OpenSSL', 'curl: (35) error:0A000152:SSL routines::unsafe legacy renegotiation disabled', 'insecure-renegotiation'],
  // Browsers and Apple platforms, which require Certificate Transparency.
  ['Chrome', 'Your connection is not private NET::ERR_CERTIFICATE_TRANSPARENCY_REQUIRED', 'ct-required'],
  ['Apple', 'Safari can\'t verify the identity of the website: the certificate is not standards compliant', 'ct-required'],
  ['Apple', 'Error Domain=NSURLErrorDomain Code=-1202 "The certificate for this server is invalid. You might be connecting to a server that is pretending to be “api.example.com”"', 'incomplete-chain'],
  ['Apple', 'Error Domain=NSURLErrorDomain Code=-1200 "An SSL error has occurred and a secure connection to the server cannot be made."', 'protocol-mismatch'],
];

test('error texts: every runtime message maps to its cause (table)', () => {
  for (const [runtime, text, first] of TABLE) {
    const r = recogniseError(text);
    assert.ok(r.length > 0, `not recognised: ${text}`);
    assert.ok(r.some((x) => x.runtime === runtime), `${text}: runtime ${r.map((x) => x.runtime)} instead of ${runtime}`);
    assert.equal(causesOf(text)[0], first, text);
  }
});

test('error texts: specific rows win over generic ones', () => {
  const r = recogniseError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired');
  assert.ok(r.every((x) => x.causes.length < 5));
  assert.deepEqual(causesOf('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired'), ['expired']);
});

test('error texts: unknown text and hostile input', () => {
  assert.deepEqual(recogniseError('Connection reset by peer'), []);
  fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => { assert.ok(Array.isArray(causesOf(s))); }));
  assert.deepEqual(causesOf('a'.repeat(200_000)), []);
});
