#!/usr/bin/env bash
# Makes the work folder of the differential campaigns: an RSA 2048 and an ECDSA P-256
# self-signed certificate, ffdhe2048 DH parameters (nginx ssl_dhparam), and gcat.json
# (GnuTLS's suite catalogue, from gnutls-cli -l). DIFF_WORKDIR, else /tmp/tlsdoctor-differential.
set -euo pipefail
D="${DIFF_WORKDIR:-/tmp/tlsdoctor-differential}"
mkdir -p "$D"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/rsa.key" -out "$D/rsa.crt" -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/ec.key" -out "$D/ec.crt" -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$D/dh.pem" 2>/dev/null
DIFF_WORKDIR="$D" python3 "$(dirname "$0")/gcat.py"
echo "ready: $D"
