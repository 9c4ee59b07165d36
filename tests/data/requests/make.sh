#!/usr/bin/env bash
# Signs the AuthnRequest template with xmlsec1 as an SP would (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
xmlsec1 --sign --privkey-pem ../keys/rsa-2048.pkcs8.pem,../keys/rsa-2048.cert.pem \
  --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest \
  --output authn-request-signed.xml authn-request-template.xml
xmlsec1 --verify --pubkey-cert-pem ../keys/rsa-2048.cert.pem --enabled-key-data key-name \
  --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest authn-request-signed.xml
