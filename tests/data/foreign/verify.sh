#!/usr/bin/env bash
# Checks every signature of every fixture in manifest.json with xmlsec1 against the pinned
# certificate (KeyInfo is ignored: --enabled-key-data key-name).
set -euo pipefail
cd "$(dirname "$0")"
CERT=../keys/rsa-2048.cert.pem
IDS=(--id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion
     --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response)
fail=0
while IFS=$'\t' read -r file signed; do
  for what in Response Assertion; do
    if [ "$what" = Response ]; then
      xp="/*[local-name()='Response']/*[local-name()='Signature']"
    else
      xp="/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"
    fi
    if [[ ",$signed," == *",$what,"* ]]; then
      if xmlsec1 --verify --pubkey-cert-pem "$CERT" --enabled-key-data key-name "${IDS[@]}" \
           --node-xpath "$xp" "$file" >/dev/null 2>&1; then
        echo "ok   $file $what"
      else
        echo "FAIL $file $what"; fail=1
      fi
    fi
  done
done < <(python3 -c '
import json
for e in json.load(open("manifest.json")):
    print(e["file"] + "\t" + ",".join(e["signed"]))')
n=$(python3 -c 'import json; print(len(json.load(open("manifest.json"))))')
if [ $fail = 0 ]; then echo "all $n fixtures verified"; else echo "some signatures FAILED"; exit 1; fi
