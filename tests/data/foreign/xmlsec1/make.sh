#!/usr/bin/env bash
# Signs the templates in templates/ with the xmlsec1 command (libxmlsec1, OpenSSL backend)
# and verifies every signature it made. Run from anywhere: ./make.sh
# Regenerate the templates first with `python3 templates.py` (make.sh does it).
set -euo pipefail
cd "$(dirname "$0")"
KEYS=../../keys
KEY="$KEYS/rsa-2048.pkcs8.pem"
CERT="$KEYS/rsa-2048.cert.pem"
IDS=(--id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion
     --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response)
ASSERTION_SIG="/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"
RESPONSE_SIG="/*[local-name()='Response']/*[local-name()='Signature']"

xmlsec1 --version
python3 templates.py

sign() { # sign IN OUT XPATH
  xmlsec1 --sign --privkey-pem "$KEY,$CERT" "${IDS[@]}" --node-xpath "$3" --output "$2" "$1"
}
verify() { # verify FILE XPATH
  xmlsec1 --verify --pubkey-cert-pem "$CERT" --enabled-key-data key-name "${IDS[@]}" --node-xpath "$2" "$1"
}

TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT

# Only the Assertion signed.
for n in assertion-sha256 assertion-sha512 assertion-sha1 unsolicited-sha256 prefixlist-sha256; do
  sign "templates/$n.xml" "$n.xml" "$ASSERTION_SIG"
  verify "$n.xml" "$ASSERTION_SIG"
done

# Only the Response signed.
for n in response-sha256; do
  sign "templates/$n.xml" "$n.xml" "$RESPONSE_SIG"
  verify "$n.xml" "$RESPONSE_SIG"
done

# Assertion first, then the Response (whose digest covers the signed Assertion).
for n in both-sha256 pretty-both-sha256; do
  sign "templates/$n.xml" "$TMP" "$ASSERTION_SIG"
  sign "$TMP" "$n.xml" "$RESPONSE_SIG"
  verify "$n.xml" "$ASSERTION_SIG"
  verify "$n.xml" "$RESPONSE_SIG"
done
echo "all xmlsec1 fixtures signed and verified"
