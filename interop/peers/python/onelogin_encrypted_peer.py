"""python3-saml (OneLogin) as a service provider that requires encrypted assertions.

Usage: onelogin_encrypted_peer.py MANIFEST RESULTS. The manifest names the SP's key pair, the
IdP metadata, and the documents (samlkit responses whose signed Assertion is encrypted for the
SP); each must validate with wantAssertionsEncrypted and wantAssertionsSigned and give back its
NameID. Runs under freezegun at the manifest's check_at.
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

with open(manifest["metadata"], encoding="utf-8") as f:
    idp = OneLogin_Saml2_IdPMetadataParser.parse(f.read(), required_sso_binding=POST)["idp"]
settings = OneLogin_Saml2_Settings(
    {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": manifest["audience"],
            "assertionConsumerService": {"url": manifest["acs"], "binding": POST},
            "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "x509cert": open(manifest["sp_cert"], encoding="utf-8").read(),
            "privateKey": open(manifest["sp_key"], encoding="utf-8").read(),
        },
        "idp": idp,
        "security": {
            "wantAssertionsSigned": True,
            "wantAssertionsEncrypted": True,
            "wantNameId": True,
            "rejectDeprecatedAlgorithm": False,
        },
    },
    sp_validation_only=True,
)

results = []
with freeze_time(manifest["check_at"]):
    for doc in manifest["documents"]:
        with open(doc["file"], "rb") as f:
            b64 = base64.b64encode(f.read()).decode()
        r = {"name": doc["name"], "ok": False, "error": None}
        try:
            response = OneLogin_Saml2_Response(settings, b64)
            response.is_valid(REQUEST, raise_exceptions=True)
            r["ok"] = True
            r["name_id"] = response.get_nameid()
            r["attributes"] = response.get_attributes()
        except Exception as e:  # noqa: BLE001 - every failure is a result
            r["error"] = f"{type(e).__name__}: {e}"
        results.append(r)

with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(results, f, ensure_ascii=False)
