"""python3-saml (OneLogin) as a Heroku-like service provider over samlkit's documents.

Usage: onelogin_peer.py MANIFEST RESULTS. The SP's IdP settings are read from samlkit's IdP
metadata (one file per key size); the SP is entity `https://sso.heroku.com/saml/acme` with ACS
`.../finalize`, strict, wantAssertionsSigned (wantMessagesSigned too where the Response is
signed; for Response-only documents wantAssertionsSigned is off and wantMessagesSigned on, and the
same document must be rejected with wantAssertionsSigned on).
python3-saml reads the real clock: validation runs under freezegun at the manifest's check_at.
"""
import base64
import json
import sys

from freezegun import freeze_time
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REQUEST = {"https": "on", "http_host": "sso.heroku.com", "script_name": "/saml/acme/finalize", "server_port": "443"}
cache = {}


def settings(doc, want_assertions_signed=None):
    if want_assertions_signed is None:
        want_assertions_signed = doc["mode"] != "response"
    key = (doc["metadata"], doc["mode"], doc["name_id"]["format"], want_assertions_signed)
    if key not in cache:
        with open(doc["metadata"], encoding="utf-8") as f:
            idp = OneLogin_Saml2_IdPMetadataParser.parse(f.read(), required_sso_binding=POST)["idp"]
        cache[key] = OneLogin_Saml2_Settings(
            {
                "strict": True,
                "debug": False,
                "sp": {
                    "entityId": manifest["audience"],
                    "assertionConsumerService": {"url": manifest["acs"], "binding": POST},
                    "NameIDFormat": doc["name_id"]["format"],
                },
                "idp": idp,
                "security": {
                    "wantAssertionsSigned": want_assertions_signed,
                    "wantMessagesSigned": doc["mode"] != "assertion",
                    "wantNameId": True,
                    "rejectDeprecatedAlgorithm": False,
                },
            },
            sp_validation_only=True,
        )
    return cache[key]


results = []
with freeze_time(manifest["check_at"]):
    for doc in manifest["documents"]:
        with open(doc["file"], "rb") as f:
            b64 = base64.b64encode(f.read()).decode()
        r = {"name": doc["name"], "ok": False, "error": None}
        try:
            response = OneLogin_Saml2_Response(settings(doc), b64)
            response.is_valid(REQUEST, raise_exceptions=True)
            r["ok"] = True
            r["name_id"] = response.get_nameid()
            r["attributes"] = response.get_attributes()
            if doc["mode"] == "response":
                # The Heroku-like SP proper (wantAssertionsSigned) must refuse an unsigned Assertion.
                try:
                    OneLogin_Saml2_Response(settings(doc, True), b64).is_valid(REQUEST, raise_exceptions=True)
                    r["want_assertions_signed_rejects"] = False
                except Exception:  # noqa: BLE001
                    r["want_assertions_signed_rejects"] = True
        except Exception as e:  # noqa: BLE001 - every failure is a result
            r["error"] = f"{type(e).__name__}: {e}"
        results.append(r)

with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(results, f, ensure_ascii=False)
