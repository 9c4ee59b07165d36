#!/usr/bin/env python3
"""Signs SAML Responses in every legal layout a verifier must accept (and a few it must refuse
or accept only with an opt-in) with the xmlsec1 command, verifies each signature with xmlsec1,
and writes them with manifest.json. Run from anywhere: python3 make.py

The Responses are those of ../xmlsec1/templates.py (same login, issuer, audience, clock, key);
each layout changes the template before signing (canonicalization, Reference URI, transforms,
Signature position, encoding, confirmations, conditions) or the signed bytes afterwards where
the change is not signed (KeyInfo content, byte order mark, CRLF line ends).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "xmlsec1"))
import templates as t  # noqa: E402

KEYS = os.path.join(HERE, "..", "..", "keys")
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C = EXC + "WithComments"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_C = C14N + "#WithComments"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
C14N11_C = C14N11 + "#WithComments"
ENV = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
IDS = ["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
       "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"]
A_SIG = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"
R_SIG = "/*[local-name()='Response']/*[local-name()='Signature']"
SIG_ALGS = {
    "rsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
    "ecdsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
    "ecdsa-sha384": ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#sha384"),
}


def signature(uri, *, method=EXC, transforms=(ENV, EXC), alg="rsa-sha256", key_info="<ds:X509Data/>",
              signed_info_comment=False):
    sig, dig = SIG_ALGS[alg]
    tr = "".join(f'<ds:Transform Algorithm="{a}"/>' for a in transforms)
    comment = "<!-- in SignedInfo -->" if signed_info_comment else ""
    ki = f"<ds:KeyInfo>{key_info}</ds:KeyInfo>" if key_info is not None else ""
    return (f'<ds:Signature xmlns:ds="{t.NS_DS}"><ds:SignedInfo>{comment}'
            f'<ds:CanonicalizationMethod Algorithm="{method}"/>'
            f'<ds:SignatureMethod Algorithm="{sig}"/>'
            f'<ds:Reference URI="{uri}"><ds:Transforms>{tr}</ds:Transforms>'
            f'<ds:DigestMethod Algorithm="{dig}"/><ds:DigestValue/></ds:Reference>'
            f'</ds:SignedInfo><ds:SignatureValue/>{ki}</ds:Signature>')


ASSERTION_REF = "#" + t.ASSERT_ID


def assertion_signed(**kw):
    return t.response(assertion_sig=signature(ASSERTION_REF, **kw))


def move_signature_last(xml, parent_close):
    """Moves the first ds:Signature of the element closed by `parent_close` to its end."""
    start = xml.index("<ds:Signature ")
    end = xml.index("</ds:Signature>", start) + len("</ds:Signature>")
    sig = xml[start:end]
    xml = xml[:start] + xml[end:]
    at = xml.index(parent_close)
    return xml[:at] + sig + xml[at:]


def sub(xml, old, new, count=1):
    assert old in xml, old
    return xml.replace(old, new, count)


# (name, template, signatures to make: [(xpath, key, cert)], post-processing of the signed
# bytes, manifest facts)
K2048 = ("rsa-2048.pkcs8.pem", "rsa-2048.cert.pem")
LAYOUTS = []


def layout(name, xml, sign=((A_SIG, K2048),), post=None, expect="OK", needs=(), refused_without=None,
           cert="rsa-2048.cert.pem", note="", encoding="utf-8", decl=t.DECL):
    LAYOUTS.append(dict(name=name, xml=xml, sign=sign, post=post, expect=expect, needs=list(needs),
                        refused_without=refused_without, cert=cert, note=note, encoding=encoding,
                        decl=decl))


ROOT_LANG = 'xml:lang="en"'
# Inclusive c14n: the namespaces (and, for 1.0 and 1.1, xml:lang) in scope at the Assertion
# come from the Response, outside the signed element: they are part of what is signed.
for method, tag in [(C14N, "c14n"), (C14N_C, "c14n-comments"), (C14N11, "c14n11"), (C14N11_C, "c14n11-comments")]:
    xml = t.response(assertion_sig=signature(ASSERTION_REF, method=method, transforms=(ENV, method),
                                             signed_info_comment="comments" in tag),
                     root_ns=t.XSNS + " " + ROOT_LANG, assertion_ns="")
    if "comments" in tag:
        # A comment inside the signed Assertion: URI="#id" drops comments from the digest.
        xml = sub(xml, "<saml:Conditions ", "<!-- not in the digest --><saml:Conditions ")
    layout(f"inclusive-{tag}", xml,
           note=f"SignedInfo and Reference canonicalized with {method}; xmlns:xs, xmlns:xsi and xml:lang "
                "declared on the Response only (inherited into the canonical Assertion)")
# The Response signed with inclusive c14n too.
layout("inclusive-c14n-response", t.response(response_sig=signature("#" + t.RESP_ID, method=C14N, transforms=(ENV, C14N))),
       sign=((R_SIG, K2048),), needs=["allow_response_signature_only"],
       note="Response signature only, Canonical XML 1.0")
# Exclusive c14n with comments, through an XPointer (which keeps comments).
xml = t.response(assertion_sig=signature(f"#xpointer(id('{t.ASSERT_ID}'))", transforms=(ENV, EXC_C)))
xml = sub(xml, "<saml:Conditions ", "<!-- in the digest --><saml:Conditions ")
layout("xpointer-exc-comments", xml, note="Reference URI=\"#xpointer(id('_assertion1'))\" with exc-c14n#WithComments: the comment is digested")
layout("xpointer", t.response(assertion_sig=signature(f"#xpointer(id('{t.ASSERT_ID}'))")),
       note="Reference URI=\"#xpointer(id('_assertion1'))\"")
# URI="" for the document element.
layout("uri-empty-response", t.response(response_sig=signature("")), sign=((R_SIG, K2048),),
       needs=["allow_response_signature_only"], note="Response signature with Reference URI=\"\" (the whole document)")
# Enveloped-signature alone: the node-set is serialized with Canonical XML 1.0.
layout("enveloped-only", t.response(assertion_sig=signature(ASSERTION_REF, transforms=(ENV,))),
       note="the only Transform is enveloped-signature (Canonical XML 1.0 implied)")
# Signatures last among their parent's children.
xml = t.response(assertion_sig=signature(ASSERTION_REF), response_sig=signature("#" + t.RESP_ID))
xml = move_signature_last(xml, "</samlp:Response>")  # the Response's (first in the document)
xml = move_signature_last(xml, "</saml:Assertion>")
layout("signature-last", xml, sign=((A_SIG, K2048), (R_SIG, K2048)),
       note="both Signatures are the last child of their element (Auth0's older layout)")
# KeyInfo forms: what KeyInfo says never refuses a signature by a pinned key.
layout("keyinfo-none", t.response(assertion_sig=signature(ASSERTION_REF, key_info=None)), note="no KeyInfo")
layout("keyinfo-rsakeyvalue", t.response(assertion_sig=signature(ASSERTION_REF, key_info="<ds:KeyValue/>")),
       note="KeyInfo holds an RSAKeyValue (filled by xmlsec1), no certificate")


def replace_certificate(new):
    def post(data):
        return re.sub(rb"<ds:X509Certificate>[^<]*</ds:X509Certificate>", new.encode(), data, count=1)
    return post


def pem_body(name):
    text = open(os.path.join(KEYS, name)).read()
    return "".join(text.strip().splitlines()[1:-1])


layout("keyinfo-chain", assertion_signed(),
       post=replace_certificate(f"<ds:X509Certificate>{pem_body('other-2048.cert.pem')}</ds:X509Certificate>"
                                f"<ds:X509Certificate>{pem_body('rsa-2048.cert.pem')}</ds:X509Certificate>"),
       note="X509Data holds another certificate first, then the pinned one")
layout("keyinfo-other-cert", assertion_signed(),
       post=replace_certificate(f"<ds:X509Certificate>{pem_body('other-2048.cert.pem')}</ds:X509Certificate>"),
       note="X509Data names an unpinned certificate; the signature is the pinned key's")
layout("keyinfo-pem-text", assertion_signed(),
       post=replace_certificate("<ds:X509Certificate>" + open(os.path.join(KEYS, "rsa-2048.cert.pem")).read()
                                + "</ds:X509Certificate>"),
       note="X509Certificate holds the PEM text (armor lines included), as some IdPs write it")
layout("keyinfo-reissued", assertion_signed(),
       post=replace_certificate(f"<ds:X509Certificate>{pem_body('rsa-2048.reissued.cert.pem')}</ds:X509Certificate>"),
       note="X509Certificate is a re-issued certificate for the pinned key (another subject and serial)")
# Byte order mark and CRLF line ends (not signed: the parser normalizes line ends).
layout("bom-crlf", t.indent(assertion_signed()) + "\n",
       post=lambda d: b"\xef\xbb\xbf" + d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
       note="UTF-8 byte order mark and CRLF line ends everywhere, indented")
# Other encodings: ISO-8859-1 (an attribute value with é as one byte), US-ASCII.
latin = assertion_signed()
latin = sub(latin, "</saml:AttributeStatement>",
            '<saml:Attribute Name="name"><saml:AttributeValue>Jos\u00e9</saml:AttributeValue></saml:Attribute>'
            "</saml:AttributeStatement>")
layout("latin1", latin, encoding="latin-1", decl='<?xml version="1.0" encoding="ISO-8859-1"?>\n',
       note="XML declaration encoding=\"ISO-8859-1\"; the name attribute value is José with é as byte 0xE9")
ascii_ = sub(assertion_signed(), "</saml:AttributeStatement>",
             '<saml:Attribute Name="name"><saml:AttributeValue>Jos&#233;</saml:AttributeValue></saml:Attribute>'
             "</saml:AttributeStatement>")
layout("us-ascii", ascii_, encoding="ascii", decl='<?xml version="1.0" encoding="US-ASCII"?>\n',
       note="XML declaration encoding=\"US-ASCII\"; é as a character reference")
# Several SubjectConfirmations: holder-of-key first, a bearer for another SP, then the one.
xml = assertion_signed()
confirmation = re.search(r"<saml:SubjectConfirmation .*?</saml:SubjectConfirmation>", xml).group(0)
others = (confirmation.replace("cm:bearer", "cm:holder-of-key")
          + confirmation.replace(t.ACS, "https://other-sp.example/acs"))
layout("multiple-subjectconfirmations", sub(xml, confirmation, others + confirmation),
       note="holder-of-key, then a bearer for another Recipient, then the valid bearer confirmation")
# Two bearers and neither holds: the first one's failures are the ones reported.
expired = confirmation.replace(f'NotOnOrAfter="{t.LATER}"', 'NotOnOrAfter="2026-11-28T15:00:00Z"')
layout("multiple-subjectconfirmations-none-holds", sub(xml, confirmation, others + expired), expect="recipient:",
       note="holder-of-key, a bearer for another Recipient, a bearer that expired at 15:00: refused, with the "
            "first bearer's failure (its Recipient)")
# Whitespace around xs:anyURI values.
xml = assertion_signed()
xml = sub(xml, f'Destination="{t.ACS}"', f'Destination=" {t.ACS} "')
xml = sub(xml, f'Recipient="{t.ACS}"', f'Recipient="\n  {t.ACS}\n"')
xml = sub(xml, f"<saml:Audience>{t.AUDIENCE}</saml:Audience>", f"<saml:Audience>\n    {t.AUDIENCE}\n  </saml:Audience>")
layout("uri-whitespace", xml, note="spaces and line breaks around Destination, Recipient and Audience (xs:anyURI collapses them)")
# Advice holding another (unsigned) Assertion: set aside, nothing read from it.
advice = ('<saml:Advice><saml:Assertion ID="_advice1" Version="2.0" IssueInstant="' + t.NOW + '">'
          f"<saml:Issuer>{t.ISSUER}</saml:Issuer></saml:Assertion></saml:Advice>")
layout("advice", sub(assertion_signed(), "<saml:AuthnStatement ", advice + "<saml:AuthnStatement "),
       note="the signed Assertion carries an Advice with a second, unsigned Assertion")
# Conditions samlkit understands beside AudienceRestriction.
layout("one-time-use", sub(assertion_signed(), "</saml:AudienceRestriction>",
                           "</saml:AudienceRestriction><saml:OneTimeUse/><saml:ProxyRestriction Count=\"0\"/>"),
       note="OneTimeUse and ProxyRestriction conditions")
# Opt-ins: each refused by default with an error naming the option.
layout("no-audience", re.sub(r"<saml:AudienceRestriction>.*?</saml:AudienceRestriction>", "", assertion_signed()),
       needs=["insecure_allow_no_audience"], refused_without="insecure_allow_no_audience",
       note="Conditions without AudienceRestriction")
xml = t.response(assertion_sig=signature(ASSERTION_REF), response_sig=signature("#" + t.RESP_ID))
layout("no-destination", sub(xml, f' Destination="{t.ACS}"', ""), sign=((A_SIG, K2048), (R_SIG, K2048)),
       needs=["allow_missing_destination"], refused_without="allow_missing_destination",
       note="signed Response without Destination")
layout("rsa-1024", assertion_signed(), sign=((A_SIG, ("rsa-1024.pkcs8.pem", "rsa-1024.cert.pem")),),
       cert="rsa-1024.cert.pem", needs=["insecure_allow_rsa_1024"], refused_without="insecure_allow_rsa_1024",
       note="signed with a 1024-bit RSA key")
# ECDSA P-384 and P-256.
layout("ecdsa-p384", t.response(assertion_sig=signature(ASSERTION_REF, alg="ecdsa-sha384")),
       sign=((A_SIG, ("ec-p384.pkcs8.pem", "ec-p384.cert.pem")),), cert="ec-p384.cert.pem",
       note="ecdsa-sha384 with a P-384 key")
layout("ecdsa-p256", t.response(assertion_sig=signature(ASSERTION_REF, alg="ecdsa-sha256")),
       sign=((A_SIG, ("ec-p256.pkcs8.pem", "ec-p256.cert.pem")),), cert="ec-p256.cert.pem",
       note="ecdsa-sha256 with a P-256 key")
# Refused: a condition samlkit does not understand makes the assertion Indeterminate.
layout("unknown-condition", sub(assertion_signed(), "</saml:AudienceRestriction>",
                                '</saml:AudienceRestriction><saml:Condition xmlns:x="urn:example:conditions" '
                                'xsi:type="x:Geofence" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'),
       expect="is not understood", note="a saml:Condition of a type samlkit does not know")


def xmlsec1(*args):
    return subprocess.run(["xmlsec1", *args], capture_output=True)


def main():
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for entry in LAYOUTS:
            name = entry["name"]
            path = os.path.join(tmp, name + ".xml")
            with open(path, "wb") as f:
                f.write((entry["decl"] + entry["xml"] + ("" if entry["xml"].endswith("\n") else "\n")).encode(entry["encoding"]))
            signed = []
            for xpath, (key, cert) in entry["sign"]:
                out = xmlsec1("--sign", "--privkey-pem", f"{os.path.join(KEYS, key)},{os.path.join(KEYS, cert)}",
                              *IDS, "--node-xpath", xpath, "--output", path + ".out", path)
                if out.returncode != 0:
                    sys.exit(f"{name}: xmlsec1 --sign failed: {out.stderr.decode()}")
                os.replace(path + ".out", path)
                signed.append("Assertion" if xpath == A_SIG else "Response")
            for xpath, (key, cert) in entry["sign"]:
                out = xmlsec1("--verify", "--pubkey-cert-pem", os.path.join(KEYS, cert), "--enabled-key-data",
                              "key-name", *IDS, "--node-xpath", xpath, path)
                if out.returncode != 0:
                    sys.exit(f"{name}: xmlsec1 --verify failed: {out.stderr.decode()}")
            data = open(path, "rb").read()
            if entry["post"]:
                data = entry["post"](data)
            with open(os.path.join(HERE, name + ".xml"), "wb") as f:
                f.write(data)
            manifest.append({"file": name + ".xml", "cert": entry["cert"], "signed": sorted(signed, reverse=True),
                             "expect": entry["expect"], "needs": entry["needs"],
                             "refused_without": entry["refused_without"], "note": entry["note"]})
            print(f"{name}: signed {', '.join(signed)}; xmlsec1 verifies")
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"{len(manifest)} layouts")


if __name__ == "__main__":
    main()
