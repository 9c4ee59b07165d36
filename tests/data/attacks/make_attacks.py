#!/usr/bin/env python3
"""Builds the SAML signature-verifier attack corpus in this folder from ../golden/.

Run:  python3 -m venv /tmp/attacks-venv && /tmp/attacks-venv/bin/pip install lxml cryptography
      /tmp/attacks-venv/bin/python make_attacks.py            # writes files, checks with xmlsec1
      /tmp/attacks-venv/bin/python make_attacks.py --no-check # without the xmlsec1 checks

Deterministic: the golden files are parsed with lxml and serialized back byte-for-byte (empty
elements are kept as start/end pairs); RSA PKCS#1 v1.5 signatures are deterministic. Where an
attack needs a validly signed document with different content, it is (re-)signed here with the
test keys in ../keys/ (exclusive c14n + RSA via `cryptography`), and every such claim of a valid
signature is checked with xmlsec1 (or, where xmlsec1 cannot resolve the reference because of a
duplicated ID, by recomputing the digest here).
"""
import base64
import copy
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile

from lxml import etree
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden")
KEYS = os.path.join(HERE, "..", "keys")

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"samlp": SAMLP, "saml": SAML, "ds": DS}

B_SHA256 = "heroku-rsa-sha256-sha256.xml"
B_BOTH = "heroku-sign-both-sha256.xml"
B_RONLY = "heroku-sign-response-only-sha256.xml"
B_SHA1 = "heroku.xml"
B_AUTH0 = "auth0-defaults.xml"

EVIL = "admin@example.com"
GOOD = "jane.doe@example.com"

ALG_DIGEST = {
    "http://www.w3.org/2000/09/xmldsig#sha1": hashlib.sha1,
    "http://www.w3.org/2001/04/xmlenc#sha256": hashlib.sha256,
}
ALG_SIG = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
}
HMAC_SHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1"
XPATH_TRANSFORM = "http://www.w3.org/TR/1999/REC-xpath-19991116"

# xmlsec1 --node-xpath expressions (xmlsec1 has no prefix registration: use local-name()).
def lp(*names):
    return "".join("/*[local-name()='%s']" % n if "[" not in n else "/*[local-name()='%s'][%s" % tuple(n.split("[")) for n in names)

SIG_A = lp("Response", "Assertion", "Signature")
SIG_R = lp("Response", "Signature")


def q(ns, tag):
    return "{%s}%s" % (ns, tag)


def read(name):
    with open(os.path.join(GOLDEN, name), "rb") as f:
        return f.read()


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False,
                         remove_comments=False, remove_pis=False)


def load(name):
    return etree.fromstring(read(name), PARSER)


def dump(root):
    """Serialize like the golden files: no XML declaration, empty elements as <a></a>."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.text is None and len(el) == 0:
            el.text = ""
    return etree.tostring(root)


def c14n(el):
    return etree.tostring(el, method="c14n", exclusive=True, with_comments=False)


def load_key(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def cert_b64(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        der = x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)
    return base64.b64encode(der).decode()


PINNED_KEY = load_key("rsa-2048.pkcs8.pem")
OTHER_KEY = load_key("other-2048.pkcs8.pem")
PINNED_CERT = cert_b64("rsa-2048.cert.pem")
OTHER_CERT = cert_b64("other-2048.cert.pem")
with open(os.path.join(KEYS, "rsa-2048.cert.pem"), "rb") as f:
    PINNED_CERT_PEM = f.read()


def assertion(root):
    return root.find("saml:Assertion", NS)


def sig_of(el):
    return el.find("ds:Signature", NS)


def nameid(a):
    return a.find("saml:Subject/saml:NameID", NS)


def digest_for(sig, target):
    """Digest of `target` as the Signature's Reference computes it (enveloped + exc-c14n)."""
    ref = sig.find("ds:SignedInfo/ds:Reference", NS)
    alg = ref.find("ds:DigestMethod", NS).get("Algorithm")
    parent = sig.getparent()
    enveloped = any(anc is target for anc in sig.iterancestors())
    if enveloped:
        idx = parent.index(sig)
        parent.remove(sig)
    try:
        data = c14n(target)
    finally:
        if enveloped:
            parent.insert(idx, sig)
    return base64.b64encode(ALG_DIGEST[alg](data).digest()).decode()


def resign(sig, target, key=PINNED_KEY, cert=None, signed_info=None):
    """Recompute DigestValue (for `target`) and SignatureValue of `sig` like an IdP would."""
    si = signed_info if signed_info is not None else sig.find("ds:SignedInfo", NS)
    si.find("ds:Reference/ds:DigestValue", NS).text = digest_for(sig, target)
    sign_signed_info(sig, key, si)
    if cert is not None:
        sig.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS).text = cert


def sign_signed_info(sig, key=PINNED_KEY, si=None):
    si = si if si is not None else sig.find("ds:SignedInfo", NS)
    alg = si.find("ds:SignatureMethod", NS).get("Algorithm")
    data = c14n(si)
    if alg == HMAC_SHA1:
        value = hmac.new(key, data, hashlib.sha1).digest()
    else:
        value = key.sign(data, padding.PKCS1v15(), ALG_SIG[alg]())
    sig.find("ds:SignatureValue", NS).text = base64.b64encode(value).decode()


PINNED_PUB = x509.load_pem_x509_certificate(PINNED_CERT_PEM).public_key()


def crypto_check(sig, target):
    """Python-side proof that `sig` is valid for `target` (digest and RSA over SignedInfo with
    the pinned key), for wrappings xmlsec1 refuses on structure (element inside ds:Signature,
    duplicated ID) before doing any crypto."""
    si = sig.find("ds:SignedInfo", NS)
    assert digest_for(sig, target) == si.find("ds:Reference/ds:DigestValue", NS).text
    alg = si.find("ds:SignatureMethod", NS).get("Algorithm")
    PINNED_PUB.verify(base64.b64decode(sig.find("ds:SignatureValue", NS).text), c14n(si),
                      padding.PKCS1v15(), ALG_SIG[alg]())


def evilize(a, new_id="_evil2"):
    """In place: the attacker's content (NameID and email attribute become admin@example.com)."""
    if new_id:
        a.set("ID", new_id)
    nameid(a).text = EVIL
    for av in a.iter(q(SAML, "AttributeValue")):
        if av.text == GOOD:
            av.text = EVIL
    return a


def unsigned_copy(a):
    c = copy.deepcopy(a)
    s = sig_of(c)
    if s is not None:
        c.remove(s)
    return c


def insert_after(parent, ref_el, new_el):
    parent.insert(parent.index(ref_el) + 1, new_el)


def fragment(text):
    return etree.fromstring(text.encode(), PARSER)


ENTRIES = []
FILES = {}
CHECKS = []  # (file, xpath, cert file, should_verify)


def add(file, attack, base, expect, data, note, also=None, validator=None, ok=(), fail=()):
    assert file not in FILES, file
    FILES[file] = data
    e = {"file": file, "attack": attack, "base": base, "expect": expect}
    if also:
        e["also"] = also
    if validator:
        e["validator"] = validator
    e["note"] = note
    ENTRIES.append(e)
    for xp, cert in ok:
        CHECKS.append((file, xp, cert, True))
    for xp, cert in fail:
        CHECKS.append((file, xp, cert, False))


PIN = "rsa-2048.cert.pem"
OTH = "other-2048.cert.pem"

# ---------------------------------------------------------------------------------------------
# Self-checks of the tooling: lxml round trip is byte-exact; re-signing reproduces the golden.
for name in (B_SHA256, B_BOTH, B_RONLY, B_SHA1, B_AUTH0, "heroku-rsa-sha256-sha1.xml"):
    assert dump(load(name)) == read(name), "lxml round trip changed " + name
_r = load(B_SHA256)
_a = assertion(_r)
resign(sig_of(_a), _a)
assert dump(_r) == read(B_SHA256), "re-signing the golden Assertion does not reproduce it"
_r = load(B_BOTH)
resign(sig_of(_r), _r)
assert dump(_r) == read(B_BOTH), "re-signing the golden Response does not reproduce it"

# ---------------------------------------------------------------------------------------------
# The originals, accepted.
add("ok-heroku-rsa-sha256-sha256.xml", "original (Assertion signed, rsa-sha256)", B_SHA256, "OK",
    read(B_SHA256), "Unmodified copy; must be accepted by the default validator.", ok=[(SIG_A, PIN)])
add("ok-heroku-sign-both-sha256.xml", "original (Response and Assertion signed)", B_BOTH, "OK",
    read(B_BOTH), "Unmodified copy; must be accepted by the default validator.",
    ok=[(SIG_A, PIN), (SIG_R, PIN)])
add("ok-heroku-sign-response-only-sha256.xml", "original (only the Response signed)", B_RONLY, "OK",
    read(B_RONLY), "Unmodified copy; accepted only when a Response signature suffices.",
    validator={"allow_response_signature_only": True}, ok=[(SIG_R, PIN)])
add("ok-heroku-rsa-sha1.xml", "original (rsa-sha1/sha1)", B_SHA1, "OK", read(B_SHA1),
    "Unmodified copy of heroku.xml; accepted with allow_sha1 true (see rsa-sha1-not-allowed.xml "
    "for the default).", validator={"allow_sha1": True}, ok=[(SIG_A, PIN)])
add("base-auth0-defaults.xml", "original made for another SP (auth0 defaults)", B_AUTH0,
    "Failure::Destination", read(B_AUTH0),
    "Unmodified copy; its signature is valid (allow_sha1) but it was made for ACS "
    "https://sp.example.com/acs, no audience, NameID format unspecified: no Heroku validator can "
    "accept it, every one of those checks fails.",
    also=["Failure::Recipient", "Failure::Audience", "Failure::NameIdFormat",
          "Failure::NameIdNotEmail", "Failure::Missing"],
    validator={"allow_sha1": True}, ok=[(SIG_A, PIN)])

# ---------------------------------------------------------------------------------------------
# Validator-driven cases on unmodified copies.
base = read(B_SHA256)
add("expired.xml", "expired", B_SHA256, "Failure::Expired", base,
    "Copy of the base; now 16:30Z is past NotOnOrAfter 16:21:01.288Z plus 180 s skew.",
    validator={"now": "2026-11-28T16:30:00Z"})
add("not-yet-valid.xml", "not yet valid", B_SHA256, "Failure::NotYetValid", base,
    "Copy of the base; now 15:00Z is before NotBefore 15:21:01.288Z minus 180 s skew.",
    validator={"now": "2026-11-28T15:00:00Z"})
add("wrong-org-audience.xml", "wrong audience (org evil)", B_SHA256, "Failure::Audience", base,
    "Copy of the base validated for org `evil`: audience https://sso.heroku.com/saml/evil is not "
    "among the Audiences (Destination and Recipient fail too).",
    also=["Failure::Destination", "Failure::Recipient"], validator={"org": "evil"})
add("wrong-org-recipient.xml", "wrong recipient (org evil)", B_SHA256, "Failure::Recipient", base,
    "Copy of the base validated for org `evil`: Recipient is acme's ACS URL.",
    also=["Failure::Destination", "Failure::Audience"], validator={"org": "evil"})
add("wrong-org-destination.xml", "wrong destination (org evil)", B_SHA256, "Failure::Destination",
    base, "Copy of the base validated for org `evil`: Destination is acme's ACS URL.",
    also=["Failure::Recipient", "Failure::Audience"], validator={"org": "evil"})
add("wrong-in-response-to.xml", "wrong InResponseTo", B_SHA256, "Failure::InResponseTo", base,
    "Copy of the base; the validator expects request `_other`, the message answers `_request1`.",
    validator={"in_response_to": "_other"})
add("unexpected-in-response-to.xml", "InResponseTo present when unsolicited expected", B_SHA256,
    "Failure::InResponseTo", base,
    "Copy of the base; the validator expects an unsolicited response (null) but it answers `_request1`.",
    validator={"in_response_to": None})
add("replayed.xml", "replayed assertion ID", B_SHA256, "Failure::Replayed", base,
    "Copy of the base validated twice with one replay cache: the second must fail.",
    validator={"replay": True})
add("rsa-sha1-not-allowed.xml", "rsa-sha1/sha1 without opt-in", B_SHA1,
    "Verify::AlgorithmNotAllowed", read(B_SHA1),
    "Copy of heroku.xml with the default validator (SHA-1 not allowed); ok-heroku-rsa-sha1.xml "
    "shows it passes with allow_sha1.")
add("sha1-digest-not-allowed.xml", "sha1 digest under rsa-sha256 without opt-in",
    "heroku-rsa-sha256-sha1.xml", "Verify::AlgorithmNotAllowed", read("heroku-rsa-sha256-sha1.xml"),
    "Copy of heroku-rsa-sha256-sha1.xml: the DigestMethod is sha1, refused by default.")
add("response-signature-only-not-allowed.xml", "only the Response signed, default validator",
    B_RONLY, "Verify::Unsigned", read(B_RONLY),
    "Copy of heroku-sign-response-only-sha256.xml: the Assertion is unsigned and the default "
    "validator requires its signature.")

# ---------------------------------------------------------------------------------------------
# XML signature wrapping (Somorovsky et al. 2012 / SAML Raider numbering).
def xsw_response(inside_signature):
    root = load(B_RONLY)
    orig = unsigned_copy(root)            # the signed Response, without its Signature
    root.set("ID", "_evil1")
    evilize(assertion(root))              # the evil Response's (unsigned) Assertion
    sig = sig_of(root)
    if inside_signature:
        sig.append(orig)
    else:
        root.insert(root.index(sig), orig)
    crypto_check(sig, orig)
    return dump(root)

add("xsw1.xml", "XSW1: evil Response, signed original inside the Signature", B_RONLY,
    "Verify::AssertionCount", xsw_response(True),
    "Response ID -> _evil1 with an evil Assertion (_evil2, NameID admin@example.com); the original "
    "Response (ID _golden1, minus its Signature) appended inside ds:Signature, where Reference "
    "#_golden1 still finds it, so the signature stays valid (checked by the script: digest and RSA; "
    "xmlsec1 refuses a Response inside ds:Signature before any crypto). Two Assertions in the "
    "document; also wrong: an unexpected Signature child and a Reference not to the enclosing element.",
    also=["Verify::Malformed", "Verify::ReferenceUri"],
    validator={"allow_response_signature_only": True})
add("xsw2.xml", "XSW2: evil Response, signed original as sibling before the Signature", B_RONLY,
    "Verify::AssertionCount", xsw_response(False),
    "As XSW1 but the original Response (minus Signature) is inserted right before ds:Signature; "
    "the signature stays valid (xmlsec1). Two Assertions; the Signature is no longer right after "
    "Issuer and references a child, not the enclosing element.",
    also=["Verify::ReferenceUri", "Verify::Malformed", "Verify::AssertionPlacement"],
    validator={"allow_response_signature_only": True}, ok=[(SIG_R, PIN)])

root = load(B_SHA256); a = assertion(root)
root.insert(root.index(a), evilize(unsigned_copy(a)))
add("xsw3.xml", "XSW3: evil unsigned Assertion before the signed one", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "An unsigned copy (ID _evil2, NameID admin@example.com) inserted before the untouched signed "
    "Assertion, whose signature stays valid (xmlsec1). Two Assertions.",
    ok=[(lp("Response", "Assertion[2]", "Signature"), PIN)])

root = load(B_SHA256); a = assertion(root)
evil = evilize(unsigned_copy(a))
root.replace(a, evil)
evil.append(a)
add("xsw4.xml", "XSW4: evil Assertion wraps the signed Assertion", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "An unsigned evil Assertion (_evil2) takes the signed Assertion's place and holds it as its "
    "last child; the inner signature stays valid (xmlsec1). Two Assertions, the signed one nested.",
    also=["Verify::AssertionPlacement"],
    ok=[(lp("Response", "Assertion", "Assertion", "Signature"), PIN)])

def xsw5(inside_signature):
    root = load(B_SHA256); a = assertion(root)
    orig = unsigned_copy(a)
    evilize(a)                            # keeps its Signature, ID -> _evil2
    if inside_signature:
        sig_of(a).append(orig)
    else:
        root.append(orig)
    crypto_check(sig_of(a), orig)
    return dump(root)

add("xsw5.xml", "XSW5: signed Assertion modified, unsigned original appended", B_SHA256,
    "Verify::AssertionCount", xsw5(False),
    "The signed Assertion gets ID _evil2 and NameID admin@example.com but keeps its Signature; an "
    "unmodified unsigned copy (ID _golden2) is appended to the Response, so Reference #_golden2 "
    "still verifies (xmlsec1). Two Assertions; the Reference does not point at the enclosing element.",
    also=["Verify::ReferenceUri"], ok=[(lp("Response", "Assertion[1]", "Signature"), PIN)])
add("xsw6.xml", "XSW6: as XSW5, original copy inside the Signature", B_SHA256,
    "Verify::AssertionCount", xsw5(True),
    "As XSW5 but the unmodified unsigned copy (ID _golden2) is placed inside the evil Assertion's "
    "ds:Signature; the signature verifies (checked by the script: digest and RSA; xmlsec1 refuses an "
    "Assertion directly inside ds:Signature before any crypto). Two Assertions; unexpected Signature child; "
    "Reference not to the enclosing element.",
    also=["Verify::Malformed", "Verify::ReferenceUri", "Verify::AssertionPlacement"])

root = load(B_SHA256); a = assertion(root)
ext = etree.SubElement(root, q(SAMLP, "Extensions"))
root.insert(1, ext)                       # schema place: after Issuer
ext.append(evilize(unsigned_copy(a)))
add("xsw7.xml", "XSW7: evil Assertion copy inside samlp:Extensions", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "samlp:Extensions added after the Response Issuer, holding an unsigned evil copy (_evil2, "
    "admin@example.com); the real signed Assertion is untouched and verifies (xmlsec1). Two Assertions.",
    also=["Verify::AssertionPlacement"], ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root)
orig = unsigned_copy(a)
evilize(a, new_id=None)                   # keeps ID _golden2 and its Signature
sig = sig_of(a)
obj = etree.SubElement(sig, q(DS, "Object"))
obj.append(orig)
crypto_check(sig, orig)
add("xsw8.xml", "XSW8: evil Assertion keeps the ID, original inside ds:Object", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "The signed Assertion is modified (NameID admin@example.com) and keeps ID _golden2 and its "
    "Signature; the unmodified original (ID _golden2, minus Signature) sits in a ds:Object appended "
    "to that Signature. The script checks that the Signature is valid for the copy (digest and RSA; "
    "xmlsec1 itself refuses the duplicated ID). Two Assertions, duplicated ID, ds:Object.",
    also=["Verify::DuplicateId", "Verify::Malformed"])

# ---------------------------------------------------------------------------------------------
# Signature removed / spliced / re-pointed.
root = load(B_SHA256); a = assertion(root)
a.remove(sig_of(a))
add("signature-removed.xml", "signature removed", B_SHA256, "Verify::Unsigned", dump(root),
    "The Assertion's ds:Signature deleted; nothing else signed.")

auth0 = load(B_AUTH0)
root = load(B_SHA256); a = assertion(root)
a.replace(sig_of(a), copy.deepcopy(sig_of(assertion(auth0))))
add("signature-spliced-auth0.xml", "signature spliced from another document", B_SHA256,
    "Verify::DigestMismatch", dump(root),
    "The Assertion's Signature replaced by the (valid, rsa-sha1) Signature of auth0-defaults.xml's "
    "Assertion, which also references #_golden2: SignatureValue verifies over its SignedInfo with "
    "the pinned key, but the digest is another document's. allow_sha1 so the algorithm check passes.",
    validator={"allow_sha1": True}, fail=[(SIG_A, PIN)])

auth0 = load(B_AUTH0); a0 = assertion(auth0); s0 = sig_of(a0)
s0.find("ds:SignedInfo/ds:SignatureMethod", NS).set("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
s0.find("ds:SignedInfo/ds:Reference/ds:DigestMethod", NS).set("Algorithm", "http://www.w3.org/2001/04/xmlenc#sha256")
resign(s0, a0)
resigned_auth0 = dump(auth0)
root = load(B_SHA256); a = assertion(root)
a.replace(sig_of(a), copy.deepcopy(s0))
add("signature-spliced-sha256.xml", "signature spliced from another document (sha256)", B_SHA256,
    "Verify::DigestMismatch", dump(root),
    "auth0-defaults.xml's Assertion re-signed here with the pinned key in rsa-sha256/sha256 (a valid "
    "signature for other content, checked with xmlsec1 before splicing), then its Signature put into "
    "the base Assertion: valid SignedInfo, wrong digest.", fail=[(SIG_A, PIN)])
FILES["_check-auth0-resigned.xml"] = resigned_auth0
CHECKS.append(("_check-auth0-resigned.xml", SIG_A, PIN, True))

root = load(B_SHA256); a = assertion(root)
root.replace(a, copy.deepcopy(assertion(load(B_AUTH0))))
add("assertion-from-other-document.xml", "validly signed Assertion taken from another document",
    B_SHA256, "Failure::Recipient", dump(root),
    "The Assertion replaced by auth0-defaults.xml's untouched signed Assertion (valid signature, "
    "xmlsec1; allow_sha1): the signature holds, but it was issued for another SP (Recipient "
    "https://sp.example.com/acs, no audience, NameID not an email).",
    also=["Failure::Audience", "Failure::Missing", "Failure::NameIdFormat", "Failure::NameIdNotEmail"],
    validator={"allow_sha1": True}, ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sig.find("ds:SignedInfo/ds:Reference", NS).set("URI", "")
resign(sig, root)
add("reference-uri-empty.xml", "Reference URI empty", B_SHA256, "Verify::ReferenceUri", dump(root),
    "Reference URI=\"\" (whole document), re-signed with the pinned key so the signature is valid "
    "(xmlsec1): only the URI rule catches it.", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sig.find("ds:SignedInfo/ds:Reference", NS).set("URI", "#_golden1")
resign(sig, root)
add("reference-uri-response.xml", "Reference URI points at the Response", B_SHA256,
    "Verify::ReferenceUri", dump(root),
    "The Assertion's Signature references #_golden1 (the Response), re-signed with the pinned key so "
    "it is valid (xmlsec1): the Reference is not the enclosing element.", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sig.find("ds:SignedInfo/ds:Reference", NS).set("URI", "#_golden1")
add("reference-uri-response-unsigned.xml", "Reference URI re-pointed, not re-signed", B_SHA256,
    "Verify::ReferenceUri", dump(root),
    "Reference URI changed to #_golden1 without re-signing: the URI rule must fire before any "
    "crypto (a verifier that checks crypto first would say BadSignature/DigestMismatch).",
    also=["Verify::DigestMismatch", "Verify::BadSignature"], fail=[(SIG_A, PIN)])

# ---------------------------------------------------------------------------------------------
# Duplicated IDs.
root = load(B_SHA256)
ext = etree.SubElement(root, q(SAMLP, "Extensions"))
root.insert(1, ext)
ext.append(fragment('<ext:Data xmlns:ext="urn:example:evil" ID="_golden2">evil</ext:Data>'))
add("duplicate-id-extensions.xml", "duplicated ID (element in Extensions)", B_SHA256,
    "Verify::DuplicateId", dump(root),
    "samlp:Extensions after the Issuer holds <ext:Data ID=\"_golden2\">, before the signed Assertion "
    "(ID _golden2), whose signature is untouched.")

root = load(B_SHA256)
root.set("ID", "_golden2")
add("duplicate-id-response.xml", "duplicated ID (Response carries the Assertion's ID)", B_SHA256,
    "Verify::DuplicateId", dump(root),
    "The unsigned Response's ID changed to _golden2: first in document order, so a lookup by ID "
    "finds the Response, not the signed Assertion.")

# ---------------------------------------------------------------------------------------------
# Comments and processing instructions in identity elements.
def split_text(el, head, node, tail):
    el.text = head
    el.append(node)
    node.tail = tail

root = load(B_SHA256); a = assertion(root)
split_text(nameid(a), "jane.doe", etree.Comment(""), "@example.com")
add("nameid-comment-split.xml", "comment inside NameID (jane.doe<!---->@example.com)", B_SHA256,
    "Failure::CommentInIdentity", dump(root),
    "Empty comment inserted into the signed NameID; c14n drops comments so the original signature "
    "stays valid (xmlsec1); a first-text-node reader would see `jane.doe`.", ok=[(SIG_A, PIN)])

def nameid_resigned(value, head, node, tail, attr_too=False):
    root = load(B_SHA256); a = assertion(root)
    nameid(a).text = value
    if attr_too:
        for av in a.iter(q(SAML, "AttributeValue")):
            av.text = value
    if isinstance(node, etree._Comment):
        resign(sig_of(a), a)
        split_text(nameid(a), head, node, tail)
    else:  # PIs survive c14n: sign with the PI in place
        split_text(nameid(a), head, node, tail)
        resign(sig_of(a), a)
    return dump(root)

add("nameid-comment-suffix.xml", "comment inside NameID (jane.doe@example.com<!---->.evil.com)",
    B_SHA256, "Failure::CommentInIdentity",
    nameid_resigned("jane.doe@example.com.evil.com", GOOD, etree.Comment(""), ".evil.com", True),
    "CVE-2017-11427 style: the Assertion is re-signed with the pinned key for the attacker's "
    "legitimate account jane.doe@example.com.evil.com (NameID and email attribute), then a comment is "
    "put in the NameID after `jane.doe@example.com`; the signature stays valid (xmlsec1).",
    ok=[(SIG_A, PIN)])
add("nameid-comment-admin.xml", "comment inside NameID (admin<!---->@example.com)", B_SHA256,
    "Failure::CommentInIdentity",
    nameid_resigned(EVIL, "admin", etree.Comment(""), "@example.com"),
    "NameID admin@example.com signed with the pinned key, then written admin<!---->@example.com; "
    "signature valid (xmlsec1); a first-text-node reader sees `admin`.", ok=[(SIG_A, PIN)])
add("nameid-pi.xml", "processing instruction inside NameID", B_SHA256,
    "Failure::CommentInIdentity",
    nameid_resigned("jane.doe@example.com.evil.com", GOOD, etree.ProcessingInstruction("evil"), ".evil.com"),
    "NameID jane.doe@example.com<?evil?>.evil.com; c14n keeps PIs, so the Assertion was re-signed "
    "with the PI in place (valid, xmlsec1): only the identity check catches it.", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root)
split_text(nameid(a), "jane.doe", etree.ProcessingInstruction("evil"), "@example.com")
add("nameid-pi-not-resigned.xml", "processing instruction inside NameID, not re-signed", B_SHA256,
    "Verify::DigestMismatch", dump(root),
    "PI <?evil?> inserted into the golden NameID without re-signing: c14n keeps PIs, so the digest breaks.",
    also=["Failure::CommentInIdentity"], fail=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root)
av = a.find(".//saml:AttributeValue", NS)
split_text(av, "jane.doe", etree.Comment(""), "@example.com")
add("attributevalue-comment.xml", "comment inside the email AttributeValue", B_SHA256,
    "Failure::CommentInIdentity", dump(root),
    "jane.doe<!---->@example.com in the email AttributeValue; original signature valid (xmlsec1). "
    "Rejecting is expected; reading the whole text (jane.doe@example.com) and accepting is also "
    "correct per rule 6, hence OK in `also`.", also=["OK"], ok=[(SIG_A, PIN)])

# ---------------------------------------------------------------------------------------------
# DOCTYPE.
body = read(B_SHA256)
nid = b">jane.doe@example.com</saml:NameID>"
assert body.count(nid) == 1
add("doctype-entity.xml", "DOCTYPE with an internal entity", B_SHA256, "Xml::Doctype",
    b'<!DOCTYPE samlp:Response [<!ENTITY dom "example.com">]>' +
    body.replace(nid, b">jane.doe@&dom;</saml:NameID>"),
    "Internal entity used in the NameID (jane.doe@&dom;); once expanded the signature would be "
    "valid, so only the DOCTYPE rule catches it.")
add("doctype-external-entity.xml", "DOCTYPE with an external entity (XXE)", B_SHA256, "Xml::Doctype",
    b'<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>' +
    body.replace(nid, b">&xxe;</saml:NameID>"),
    "External entity (file:///etc/hostname) used as the NameID; must be refused without any fetch.")
add("syntax-truncated.xml", "truncated document", B_SHA256, "Xml::Syntax", body[: len(body) // 2],
    "The base cut in half: not well-formed.")

# ---------------------------------------------------------------------------------------------
# Namespace tricks.
def other_prefix_evil(a):
    e = evilize(unsigned_copy(a))
    text = etree.tostring(e).decode()
    text = text.replace("saml:", "x:").replace("xmlns:saml=", "xmlns:x=")
    return fragment(text)

root = load(B_SHA256); a = assertion(root)
root.insert(root.index(a), other_prefix_evil(a))
add("xmlns-other-prefix-assertion.xml", "second Assertion under another prefix", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "An unsigned evil <x:Assertion xmlns:x=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_evil2\"> "
    "before the signed saml:Assertion (valid, xmlsec1): a prefix-matching verifier sees one "
    "Assertion, a namespace-aware one two.", ok=[(lp("Response", "Assertion[2]", "Signature"), PIN)])

REAL_DECL = b'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_golden2"'
FAKE_DECL = b'<saml:Assertion xmlns:saml="urn:example:not-saml" ID="_golden2"'
root = load(B_SHA256); a = assertion(root)
insert_after(root, a, other_prefix_evil(a))
data = dump(root)
assert data.count(REAL_DECL) == 1
add("xmlns-rebind-saml-prefix.xml", "real Assertion's saml prefix re-bound, evil Assertion added",
    B_SHA256, "Verify::Unsigned", data.replace(REAL_DECL, FAKE_DECL),
    "The signed Assertion's xmlns:saml re-bound to urn:example:not-saml (it is no longer a SAML "
    "Assertion) and an unsigned evil x:Assertion (SAML namespace, _evil2) appended: the one real "
    "Assertion is the evil one and it is unsigned. A prefix-matching verifier picks the old one.",
    also=["Verify::Malformed"])

data = read(B_SHA256)
add("xmlns-rebind-only.xml", "real Assertion's saml prefix re-bound, nothing else", B_SHA256,
    "Verify::AssertionCount", data.replace(REAL_DECL, FAKE_DECL),
    "The signed Assertion's xmlns:saml re-bound to urn:example:not-saml: a Success Response with no "
    "SAML Assertion at all.", also=["Verify::Unsigned", "Failure::Missing"])

# ---------------------------------------------------------------------------------------------
# Signature structure.
root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
si = sig.find("ds:SignedInfo", NS)
si2 = copy.deepcopy(si)
insert_after(sig, si, si2)
evilize(a, new_id=None)
si2.find("ds:Reference/ds:DigestValue", NS).text = digest_for(sig, a)
add("two-signedinfo.xml", "two SignedInfo in one Signature", B_SHA256, "Verify::Malformed", dump(root),
    "NameID changed to admin@example.com; a second SignedInfo (after the original, whose "
    "SignatureValue still verifies) carries the digest of the modified Assertion "
    "(CVE-2025-29775 style).", also=["Verify::DigestMismatch"])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
ref = sig.find("ds:SignedInfo/ds:Reference", NS)
insert_after(ref.getparent(), ref, copy.deepcopy(ref))
sign_signed_info(sig)
add("two-references.xml", "two Reference elements", B_SHA256, "Verify::Malformed", dump(root),
    "SignedInfo holds the Reference twice, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
dv = sig.find("ds:SignedInfo/ds:Reference/ds:DigestValue", NS)
v = dv.text
split_text(dv, v[:8], etree.Comment(""), v[8:])
add("digestvalue-comment.xml", "comment inside DigestValue", B_SHA256, "Verify::Malformed", dump(root),
    "DigestValue written 8sojDRLY<!---->zFUq...: c14n drops the comment, so SignedInfo and the "
    "signature stay valid (xmlsec1) (CVE-2025-29774 style).", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sv = sig.find("ds:SignatureValue", NS)
v = sv.text
split_text(sv, v[:16], etree.Comment(""), v[16:])
add("signaturevalue-comment.xml", "comment inside SignatureValue", B_SHA256, "Verify::Malformed",
    dump(root), "SignatureValue split by an empty comment; the value itself is unchanged.")

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
insert_after(a, nameid(a).getparent(), sig)
add("signature-misplaced.xml", "Signature not right after Issuer (a legal layout)", B_SHA256, "OK",
    dump(root), "The Assertion's Signature moved after saml:Subject; still cryptographically valid "
    "(xmlsec1). Placement is not a security property (the Reference binds to the parent), so it "
    "must be accepted.", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
resign(sig, a, OTHER_KEY, cert=OTHER_CERT)
add("keyinfo-foreign-cert.xml", "certificate in KeyInfo not the pinned one", B_SHA256,
    "Verify::BadSignature", dump(root),
    "The Assertion re-signed with other-2048 and its certificate put in KeyInfo: valid under that "
    "certificate (xmlsec1), not under the pinned one. KeyInfo only orders the pinned certificates, "
    "so the signature fails under them.",
    ok=[(SIG_A, OTH)], fail=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sig.find("ds:SignedInfo/ds:SignatureMethod", NS).set("Algorithm", HMAC_SHA1)
evilize(a, new_id=None)
resign(sig, a, key=PINNED_CERT_PEM)
add("hmac-signature-method.xml", "HMAC SignatureMethod (key confusion)", B_SHA256,
    "Verify::AlgorithmNotAllowed", dump(root),
    "NameID changed to admin@example.com, digest recomputed, SignatureMethod hmac-sha1 with the "
    "pinned certificate's PEM bytes as HMAC key: a verifier that feeds the public key to HMAC accepts it.")

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sig.find("ds:SignedInfo/ds:SignatureMethod", NS).set("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-md5")
add("unknown-signature-method.xml", "rsa-md5 SignatureMethod", B_SHA256,
    "Verify::AlgorithmNotAllowed", dump(root),
    "SignatureMethod changed to rsa-md5 (not on any allow-list); not re-signed.")

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
tr = sig.find("ds:SignedInfo/ds:Reference/ds:Transforms", NS)
tr.insert(1, fragment('<Transform xmlns="%s" Algorithm="%s"><XPath>not(ancestor-or-self::*[local-name()=\'Signature\' and '
                      'namespace-uri()=\'%s\'])</XPath></Transform>' % (DS, XPATH_TRANSFORM, DS)))
resign(sig, a)
add("transform-xpath.xml", "disallowed XPath Transform", B_SHA256, "Verify::Transform", dump(root),
    "An XPath transform (keep nodes outside any ds:Signature) added between enveloped-signature "
    "and exc-c14n, re-signed with the pinned key (valid, xmlsec1).", ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root)
nameid(a).text = "jana.doe@example.com"
add("nameid-tampered.xml", "tampered byte in the signed NameID", B_SHA256, "Verify::DigestMismatch",
    dump(root), "jane.doe -> jana.doe, signature kept.", fail=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root); sig = sig_of(a)
sv = sig.find("ds:SignatureValue", NS)
v = sv.text
i = 100
sv.text = v[:i] + ("B" if v[i] != "B" else "C") + v[i + 1:]
add("signaturevalue-tampered.xml", "tampered byte in SignatureValue", B_SHA256, "Verify::BadSignature",
    dump(root), "One base64 character of SignatureValue changed (still valid base64, same length).",
    fail=[(SIG_A, PIN)])

# ---------------------------------------------------------------------------------------------
# Response-level fields outside the signature; Assertion count and placement.
root = load(B_SHA256)
root.set("Destination", "https://evil.example/acs")
add("unsigned-response-forged-destination.xml", "unsigned Response, forged Destination", B_SHA256,
    "Failure::Destination", dump(root),
    "Destination of the unsigned Response set to https://evil.example/acs; the signed Assertion "
    "is untouched (valid, xmlsec1).", ok=[(SIG_A, PIN)])

root = load(B_SHA256)
root.set("InResponseTo", "_other")
add("unsigned-response-forged-in-response-to.xml", "unsigned Response, forged InResponseTo", B_SHA256,
    "Failure::InResponseTo", dump(root),
    "InResponseTo of the unsigned Response set to _other; the signed Assertion still says _request1.",
    ok=[(SIG_A, PIN)])

root = load(B_SHA256)
root.remove(assertion(root))
add("success-no-assertion.xml", "status Success and no Assertion", B_SHA256,
    "Verify::AssertionCount", dump(root), "The Assertion deleted; Status stays Success.",
    also=["Verify::Unsigned", "Failure::Missing"])

root = load(B_SHA256); a = assertion(root)
ext = etree.SubElement(root, q(SAMLP, "Extensions"))
root.insert(1, ext)
ext.append(a)
add("assertion-in-extensions.xml", "Assertion moved into samlp:Extensions", B_SHA256,
    "Verify::AssertionPlacement", dump(root),
    "The untouched signed Assertion moved into samlp:Extensions (after Issuer): its signature is "
    "valid (xmlsec1) but it is not a direct child of the Response.",
    ok=[(lp("Response", "Extensions", "Assertion", "Signature"), PIN)])

root = load(B_RONLY); a = assertion(root)
obj = etree.SubElement(sig_of(root), q(DS, "Object"))
obj.append(a)
add("assertion-in-ds-object.xml", "Assertion inside ds:Object of the Response Signature", B_RONLY,
    "Verify::AssertionPlacement", dump(root),
    "The (unsigned) Assertion of the response-signed base moved into a ds:Object appended to the "
    "Response's Signature: one Assertion, not a Response child; the Response digest breaks too.",
    also=["Verify::Malformed", "Verify::DigestMismatch"],
    validator={"allow_response_signature_only": True})

root = load(B_SHA256); a = assertion(root)
root.append(copy.deepcopy(a))
add("second-assertion-copy.xml", "second identical signed Assertion", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "An exact copy of the signed Assertion (same ID, valid signature) appended.",
    also=["Verify::DuplicateId"])

root = load(B_SHA256); a = assertion(root)
root.append(evilize(unsigned_copy(a)))
add("second-assertion-unsigned.xml", "second, unsigned Assertion after the signed one", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "Unsigned evil Assertion (_evil2, admin@example.com) appended after the signed one, which stays "
    "valid (xmlsec1) (crewjam/saml CVE-2022-41912 style).",
    ok=[(lp("Response", "Assertion[1]", "Signature"), PIN)])

root = load(B_SHA256); a = assertion(root)
st = root.find("samlp:Status", NS)
detail = etree.SubElement(st, q(SAMLP, "StatusDetail"))
detail.append(evilize(unsigned_copy(a)))
add("second-assertion-in-status-detail.xml", "second Assertion inside samlp:StatusDetail", B_SHA256,
    "Verify::AssertionCount", dump(root),
    "Unsigned evil Assertion (_evil2) inside samlp:Status/samlp:StatusDetail; the signed one is "
    "untouched (valid, xmlsec1).", also=["Verify::AssertionPlacement"], ok=[(SIG_A, PIN)])

root = load(B_SHA256); a = assertion(root)
insert_after(root, a, fragment(
    '<saml:EncryptedAssertion xmlns:saml="%s"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" '
    'Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod '
    'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"></xenc:EncryptionMethod><xenc:CipherData>'
    '<xenc:CipherValue>AAAAAAAAAAAAAAAAAAAAAA==</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>'
    '</saml:EncryptedAssertion>' % SAML))
add("encrypted-assertion-added.xml", "EncryptedAssertion added", B_SHA256,
    "Verify::EncryptedAssertion", dump(root),
    "A saml:EncryptedAssertion (dummy ciphertext) appended after the signed Assertion.",
    ok=[(SIG_A, PIN)])

root = load(B_SHA256)
add("root-is-assertion.xml", "bare signed Assertion as the document", B_SHA256,
    "Verify::UnexpectedRoot", dump(copy.deepcopy(assertion(root))),
    "The signed Assertion alone (valid signature, xmlsec1) where a samlp:Response is expected.",
    ok=[(lp("Assertion", "Signature"), PIN)])

# ---------------------------------------------------------------------------------------------
# Validly signed (pinned key) Assertions with one wrong field: isolate each validation check.
def resigned(mutate, name_fmt=None):
    root = load(B_SHA256); a = assertion(root)
    mutate(a)
    resign(sig_of(a), a)
    return dump(root)

def set_attr(path, attr, value):
    return lambda a: a.find(path, NS).set(attr, value)

def set_text(path, value):
    def f(a):
        a.find(path, NS).text = value
    return f

add("resigned-wrong-issuer.xml", "Assertion Issuer not the IdP", B_SHA256, "Failure::Issuer",
    resigned(set_text("saml:Issuer", "urn:evil.auth0.com")),
    "Assertion Issuer urn:evil.auth0.com, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])
add("resigned-wrong-audience.xml", "Audience of another SP", B_SHA256, "Failure::Audience",
    resigned(set_text("saml:Conditions/saml:AudienceRestriction/saml:Audience", "https://sso.heroku.com/saml/evil")),
    "Audience https://sso.heroku.com/saml/evil, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])
add("resigned-wrong-recipient.xml", "Recipient of another SP", B_SHA256, "Failure::Recipient",
    resigned(set_attr("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", "Recipient",
                      "https://evil.example/acs")),
    "SubjectConfirmationData Recipient https://evil.example/acs, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])
add("resigned-nameid-format.xml", "NameID format unspecified", B_SHA256, "Failure::NameIdFormat",
    resigned(set_attr("saml:Subject/saml:NameID", "Format",
                      "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")),
    "NameID Format unspecified instead of emailAddress, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])
add("resigned-nameid-not-email.xml", "NameID not an email", B_SHA256, "Failure::NameIdNotEmail",
    resigned(set_text("saml:Subject/saml:NameID", "jane.doe")),
    "NameID `jane.doe` with format emailAddress, re-signed with the pinned key (valid, xmlsec1).",
    ok=[(SIG_A, PIN)])


# ---------------------------------------------------------------------------------------------
def xmlsec1_verifies(path, xpath, cert):
    out = subprocess.run(
        ["xmlsec1", "--verify", "--pubkey-cert-pem", os.path.join(KEYS, cert),
         "--enabled-key-data", "key-name",
         "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
         "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
         "--node-xpath", xpath, path],
        capture_output=True)
    return out.returncode == 0


def main():
    check = "--no-check" not in sys.argv[1:]
    for name, data in FILES.items():
        if name.startswith("_"):
            continue
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(ENTRIES, f, indent=2, ensure_ascii=False)
        f.write("\n")
    bad = 0
    if check:
        if shutil.which("xmlsec1") is None:
            sys.exit("xmlsec1 not found (use --no-check to skip the checks)")
        with tempfile.TemporaryDirectory() as tmp:
            for name, xp, cert, want in CHECKS:
                path = os.path.join(tmp, name)
                with open(path, "wb") as f:
                    f.write(FILES[name])
                got = xmlsec1_verifies(path, xp, cert)
                if got != want:
                    bad += 1
                    print("CHECK FAILED: %s %s with %s: xmlsec1 %s" % (
                        name, xp, cert, "verifies" if got else "rejects"), file=sys.stderr)
    print("%d files, %d xmlsec1 checks, %d failed" % (len(ENTRIES), len(CHECKS) if check else 0, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
