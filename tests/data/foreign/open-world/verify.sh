#!/usr/bin/env bash
# Re-runs the xmlsec1 check of every Signature listed in manifest.json ("signed") against the
# certificate the upstream test pins ("cert"; KeyInfo is ignored: --enabled-key-data key-name)
# and compares the outcome with the recorded "xmlsec1" result. Exit 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")"
command -v xmlsec1 >/dev/null || { echo "xmlsec1 not installed (apt-get install xmlsec1)"; exit 2; }
IDS=(--id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion
     --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response)
diff=0; n=0
while IFS=$'\t' read -r file cert what expected verdict; do
  if [ "$what" = Response ]; then
    xp="/*[local-name()='Response']/*[local-name()='Signature']"
  else
    xp="/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"
  fi
  if grep -q 'PUBLIC KEY' "$cert"; then keyopt=--pubkey-pem; else keyopt=--pubkey-cert-pem; fi
  if xmlsec1 --verify "$keyopt" "$cert" --enabled-key-data key-name "${IDS[@]}" \
       --node-xpath "$xp" "$file" >/dev/null 2>&1; then got=ok; else got=fail; fi
  n=$((n+1))
  if [ "$got" = "$expected" ]; then mark="   "; else mark="!! "; diff=1; fi
  printf '%s%-4s %-9s %-7s %s\n' "$mark" "$got" "$what" "$verdict" "$file"
done < <(python3 -c '
import json
for e in json.load(open("manifest.json")):
    for what, res in e.get("xmlsec1", {}).items():
        print("\t".join([e["file"], e["cert"], what, res, e["verdict"]]))')
if [ $diff = 0 ]; then echo "all $n signature checks match manifest.json"; else echo "some results differ from manifest.json (marked !!)"; exit 1; fi
