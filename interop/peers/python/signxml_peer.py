"""signxml (on lxml) verifies every signature of samlkit's documents, and signs samlkit-built
assertions and responses for samlkit's Validator (foreign -> samlkit).

Usage: signxml_peer.py MANIFEST RESULTS. RESULTS is {"results": [...], "signed": [...]}.
SHA-1 is off by default in signxml 5: it is enabled explicitly for verifying and signing (Auth0's default is rsa-sha1).
Verify: each signed element (found by its ID) goes to XMLVerifier with the certificate pinned, and
the element signxml reports as signed must carry that ID. Sign: for each 2048-bit document
accepted by design, every Signature is removed and signxml signs the same elements again
(Assertion first, then the Response over it) with the document's algorithms, its Signature placed
after the element's Issuer.
"""
import json
import os
import sys

from lxml import etree
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLSigner, XMLVerifier, methods

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
DS = "http://www.w3.org/2000/09/xmldsig#"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
CONFIG = SignatureConfiguration(
    signature_methods=frozenset(m for m in SignatureMethod if m.name.startswith("RSA_")),
    digest_algorithms=frozenset(DigestAlgorithm),
)


class Sha1AllowingSigner(XMLSigner):
    """signxml refuses to sign with SHA-1 unless this check is overridden (its documented way)."""

    def check_deprecated_methods(self):
        pass


out_dir = os.path.join(manifest["dir"], "signxml-signed")
os.makedirs(out_dir, exist_ok=True)


def by_id(root, id_):
    found = root.xpath("//*[@ID=$id]", id=id_)
    if len(found) != 1:
        raise ValueError(f"{len(found)} elements with ID {id_}")
    return found[0]


def verify(doc):
    with open(doc["file"], "rb") as f:
        root = etree.fromstring(f.read())
    with open(doc["cert"], encoding="utf-8") as f:
        cert = f.read()
    signatures = root.findall(f".//{{{DS}}}Signature")
    if len(signatures) != len(doc["signed"]):
        raise ValueError(f"{len(signatures)} signatures, expected {len(doc['signed'])}")
    for s in doc["signed"]:
        element = root if s["element"] == "Response" else by_id(root, s["id"])
        result = XMLVerifier().verify(element, x509_cert=cert, expect_config=CONFIG, id_attribute="ID")
        if result.signed_xml.get("ID") != s["id"]:
            raise ValueError(f"signxml verified {result.signed_xml.get('ID')}, not {s['id']}")


def sign(doc):
    with open(doc["file"], "rb") as f:
        root = etree.fromstring(f.read())
    for sig in root.findall(f".//{{{DS}}}Signature"):
        sig.getparent().remove(sig)
    with open(doc["key"], "rb") as f:
        key = f.read()
    with open(doc["cert"], "rb") as f:
        cert = f.read()
    signer = Sha1AllowingSigner(
        method=methods.enveloped,
        signature_algorithm=doc["signature_uri"],
        digest_algorithm=doc["digest_uri"],
        c14n_algorithm=EXC_C14N,
    )
    # The Assertion first, so the Response's signature covers the Assertion's.
    for s in sorted(doc["signed"], key=lambda s: s["element"] != "Assertion"):
        element = root if s["element"] == "Response" else by_id(root, s["id"])
        issuer = element.find(f"{{{SAML}}}Issuer")
        placeholder = etree.Element(f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
        issuer.addnext(placeholder)
        root = signer.sign(root, key=key, cert=cert, reference_uri=s["id"], id_attribute="ID")
    path = os.path.join(out_dir, doc["name"] + ".xml")
    with open(path, "wb") as f:
        f.write(etree.tostring(root))
    return path


results, signed = [], []
for doc in manifest["documents"]:
    r = {"name": doc["name"], "ok": False, "error": None}
    try:
        verify(doc)
        r["ok"] = True
    except Exception as e:  # noqa: BLE001 - every failure is a result
        r["error"] = f"{type(e).__name__}: {e}"
    results.append(r)
    if doc["expect"] == "accept" and doc["bits"] == 2048:
        try:
            signed.append({"name": doc["name"], "file": sign(doc), "error": None})
        except Exception as e:  # noqa: BLE001
            signed.append({"name": doc["name"], "file": None, "error": f"{type(e).__name__}: {e}"})

with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump({"results": results, "signed": signed}, f, ensure_ascii=False)
