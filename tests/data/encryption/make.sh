#!/bin/sh
# Regenerates the xmlsec1 interop fixture (see README.md):
#   assertion.xml  a Heroku assertion signed by samlkit with tests/data/keys/rsa-2048 (rsa-sha1,
#                  the recipe's default), taken out of `samlkit sign`'s response
#   response.xml   `xmlsec1 --encrypt` of assertion.xml into template.xml, for the SP
#                  certificate tests/data/keys/other-2048.cert.pem (aes256-gcm, rsa-oaep-mgf1p)
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet --manifest-path ../../../Cargo.toml -p samlkit-cli -- sign \
  --key ../keys/rsa-2048.pkcs8.pem --cert ../keys/rsa-2048.cert.pem \
  --now 2026-11-28T15:21:01Z --out "$tmp/response.xml"
python3 - "$tmp/response.xml" > assertion.xml <<'PY'
import sys
xml = open(sys.argv[1], encoding="utf-8").read()
start = xml.index("<saml:Assertion ")
end = xml.index("</saml:Assertion>") + len("</saml:Assertion>")
sys.stdout.write(xml[start:end])
PY
xmlsec1 --encrypt --pubkey-cert-pem ../keys/other-2048.cert.pem --session-key aes-256 \
  --xml-data assertion.xml --output "$tmp/encrypted-data.xml" template.xml
# The Response around it declares xmlns:saml on the root only: the EncryptedAssertion relies on it.
python3 - "$tmp/encrypted-data.xml" > response.xml <<'PY'
import sys
data = open(sys.argv[1], encoding="utf-8").read()
data = data[data.index("<xenc:EncryptedData"):].rstrip()
sys.stdout.write(
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
    ' Destination="https://sso.heroku.com/saml/acme/finalize" ID="_xmlsec1-encrypted-response"'
    ' IssueInstant="2026-11-28T15:21:01Z" Version="2.0">'
    "<saml:Issuer>urn:samlkit-demo.example</saml:Issuer>"
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    "<saml:EncryptedAssertion>" + data + "</saml:EncryptedAssertion></samlp:Response>\n"
)
PY
echo "wrote assertion.xml and response.xml"
