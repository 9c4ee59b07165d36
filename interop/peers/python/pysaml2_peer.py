"""pysaml2 as a second service provider over samlkit's documents (it verifies with xmlsec1).

Usage: pysaml2_peer.py MANIFEST RESULTS. One Saml2Client per key size and signing mode, reading
samlkit's IdP metadata; want_assertions_signed / want_response_signed follow the document's mode;
unsolicited responses allowed (as Heroku); unknown attributes kept under their SAML names (no
attribute maps). pysaml2 reads the real clock: it runs under freezegun at the manifest's check_at.
"""
import base64
import json
import sys

from freezegun import freeze_time
from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
cache = {}


def client(doc):
    key = (doc["metadata"], doc["mode"])
    if key not in cache:
        config = SPConfig()
        config.load(
            {
                "entityid": manifest["audience"],
                "metadata": {"local": [doc["metadata"]]},
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "allow_unknown_attributes": True,
                "service": {
                    "sp": {
                        "endpoints": {"assertion_consumer_service": [(manifest["acs"], BINDING_HTTP_POST)]},
                        "allow_unsolicited": True,
                        "want_assertions_signed": doc["mode"] != "response",
                        "want_response_signed": doc["mode"] != "assertion",
                    }
                },
            }
        )
        cache[key] = Saml2Client(config=config)
    return cache[key]


def value(v):
    # pysaml2 returns typed values (xs:boolean -> bool, xs:double -> float): kept typed; the Rust
    # side compares them with the expected text by value.
    return v if isinstance(v, (str, bool, int, float)) or v is None else str(v)


results = []
with freeze_time(manifest["check_at"]):
    for doc in manifest["documents"]:
        with open(doc["file"], "rb") as f:
            b64 = base64.b64encode(f.read()).decode()
        r = {"name": doc["name"], "ok": False, "error": None}
        try:
            response = client(doc).parse_authn_request_response(b64, BINDING_HTTP_POST)
            if response is None:
                raise ValueError("parse_authn_request_response returned None")
            r["ok"] = True
            r["name_id"] = response.name_id.text
            r["attributes"] = {k: [value(v) for v in vs] for k, vs in response.ava.items()}
        except Exception as e:  # noqa: BLE001 - every failure is a result
            r["error"] = f"{type(e).__name__}: {e}"
        results.append(r)

with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(results, f, ensure_ascii=False)
