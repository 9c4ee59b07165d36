#!/usr/bin/env python3
"""Writes the unsigned xmlsec1 signature templates into templates/.

Each template is a complete SAML 2.0 Response with empty <ds:Signature> template(s)
(DigestValue and SignatureValue empty, X509Data empty) that `make.sh` fills with xmlsec1.
Only plain string building is used here: the XML bytes written are exactly the strings below.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "templates")

NOW = "2026-11-28T15:21:01.288Z"
LATER = "2026-11-28T16:21:01.288Z"  # one hour later
ISSUER = "urn:foreign-idp.example"
AUDIENCE = "https://sso.heroku.com/saml/acme"
ACS = "https://sso.heroku.com/saml/acme/finalize"
REQ = "_request1"
RESP_ID = "_response1"
ASSERT_ID = "_assertion1"

NS_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSNS = f'xmlns:xs="{NS_XS}" xmlns:xsi="{NS_XSI}"'

ALGS = {
    "sha1": ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1"),
    "sha256": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256"),
    "sha512": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "http://www.w3.org/2001/04/xmlenc#sha512"),
}
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENV = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"


def signature(ref_id, alg="sha256", prefix_list=None):
    sig, dig = ALGS[alg]
    if prefix_list is None:
        exc_transform = f'<ds:Transform Algorithm="{EXC}"/>'
    else:
        exc_transform = (f'<ds:Transform Algorithm="{EXC}">'
                         f'<ec:InclusiveNamespaces xmlns:ec="{EXC}" PrefixList="{prefix_list}"/>'
                         f'</ds:Transform>')
    return (f'<ds:Signature xmlns:ds="{NS_DS}">'
            f'<ds:SignedInfo>'
            f'<ds:CanonicalizationMethod Algorithm="{EXC}"/>'
            f'<ds:SignatureMethod Algorithm="{sig}"/>'
            f'<ds:Reference URI="#{ref_id}">'
            f'<ds:Transforms><ds:Transform Algorithm="{ENV}"/>{exc_transform}</ds:Transforms>'
            f'<ds:DigestMethod Algorithm="{dig}"/>'
            f'<ds:DigestValue/>'
            f'</ds:Reference>'
            f'</ds:SignedInfo>'
            f'<ds:SignatureValue/>'
            f'<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>'
            f'</ds:Signature>')


def value(v, per_value_ns):
    ns = f" {XSNS}" if per_value_ns else ""
    return f'<saml:AttributeValue{ns} xsi:type="xs:string">{v}</saml:AttributeValue>'


def response(*, assertion_sig="", response_sig="", in_response_to=True,
             root_ns="", assertion_ns=XSNS, per_value_ns=False):
    irt = f' InResponseTo="{REQ}"' if in_response_to else ""
    scd_irt = f' InResponseTo="{REQ}"' if in_response_to else ""
    root_extra = f" {root_ns}" if root_ns else ""
    assertion_extra = f" {assertion_ns}" if assertion_ns else ""
    attrs = (
        '<saml:AttributeStatement>'
        '<saml:Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" '
        'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
        + value("jane.doe@example.com", per_value_ns) +
        '</saml:Attribute>'
        '<saml:Attribute Name="http://schemas.xmlsoap.org/claims/Group" '
        'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
        + value("admins", per_value_ns) + value("devs", per_value_ns) +
        '</saml:Attribute>'
        '</saml:AttributeStatement>')
    # Deliberately the schema's natural attribute order (ID, Version, IssueInstant, ...),
    # not the lexicographic order samlkit writes, and self-closing empty elements.
    return (
        f'<samlp:Response xmlns:samlp="{NS_SAMLP}" xmlns:saml="{NS_SAML}"{root_extra} '
        f'ID="{RESP_ID}" Version="2.0" IssueInstant="{NOW}" Destination="{ACS}"{irt}>'
        f'<saml:Issuer>{ISSUER}</saml:Issuer>'
        f'{response_sig}'
        f'<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        f'<saml:Assertion{assertion_extra} ID="{ASSERT_ID}" Version="2.0" IssueInstant="{NOW}">'
        f'<saml:Issuer>{ISSUER}</saml:Issuer>'
        f'{assertion_sig}'
        f'<saml:Subject>'
        f'<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">jane.doe@example.com</saml:NameID>'
        f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData{scd_irt} NotOnOrAfter="{LATER}" Recipient="{ACS}"/>'
        f'</saml:SubjectConfirmation>'
        f'</saml:Subject>'
        f'<saml:Conditions NotBefore="{NOW}" NotOnOrAfter="{LATER}">'
        f'<saml:AudienceRestriction><saml:Audience>{AUDIENCE}</saml:Audience></saml:AudienceRestriction>'
        f'</saml:Conditions>'
        f'<saml:AuthnStatement AuthnInstant="{NOW}" SessionIndex="_session1">'
        f'<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext>'
        f'</saml:AuthnStatement>'
        f'{attrs}'
        f'</saml:Assertion>'
        f'</samlp:Response>')


def indent(xml):
    """Pretty-print with two-space indentation (whitespace text nodes between elements).
    Text content never contains '<', so a split on tags is safe for these documents."""
    import re
    tokens = re.findall(r"<[^>]+>|[^<]+", xml)
    out, depth, i = [], 0, 0
    while i < len(tokens):
        t = tokens[i]
        if t.startswith("</"):
            depth -= 1
            out.append("  " * depth + t)
        elif t.endswith("/>"):
            out.append("  " * depth + t)
        else:
            # element with only text content stays on one line
            if i + 2 < len(tokens) and not tokens[i + 1].startswith("<") and tokens[i + 2].startswith("</"):
                out.append("  " * depth + t + tokens[i + 1] + tokens[i + 2])
                i += 3
                continue
            out.append("  " * depth + t)
            depth += 1
        i += 1
    return "\n".join(out)


DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

TEMPLATES = {
    # Assertion signed, rsa-sha256/sha256, ds: prefix, right after the Assertion's Issuer.
    "assertion-sha256": response(assertion_sig=signature(ASSERT_ID, "sha256")),
    "assertion-sha512": response(assertion_sig=signature(ASSERT_ID, "sha512")),
    "assertion-sha1": response(assertion_sig=signature(ASSERT_ID, "sha1")),
    # Assertion and Response signed (Assertion first, then Response).
    "both-sha256": response(assertion_sig=signature(ASSERT_ID, "sha256"),
                            response_sig=signature(RESP_ID, "sha256")),
    # Response only signed.
    "response-sha256": response(response_sig=signature(RESP_ID, "sha256")),
    # Unsolicited: no InResponseTo on Response nor on SubjectConfirmationData.
    "unsolicited-sha256": response(assertion_sig=signature(ASSERT_ID, "sha256"), in_response_to=False),
    # xmlns:xs/xmlns:xsi declared on the Response root only (outside the signed Assertion);
    # PrefixList="xs" makes exc-c14n render xmlns:xs on the Assertion apex.
    "prefixlist-sha256": response(assertion_sig=signature(ASSERT_ID, "sha256", prefix_list="xs"),
                                  root_ns=XSNS, assertion_ns=""),
    # Indented, whitespace text nodes everywhere; namespaces declared on each AttributeValue
    # (Okta style); both Assertion and Response signed.
    "pretty-both-sha256": indent(response(assertion_sig=signature(ASSERT_ID, "sha256"),
                                          response_sig=signature(RESP_ID, "sha256"),
                                          assertion_ns="", per_value_ns=True)) + "\n",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, xml in TEMPLATES.items():
        with open(os.path.join(OUT, name + ".xml"), "w", encoding="utf-8", newline="\n") as f:
            f.write(DECL + xml + ("" if xml.endswith("\n") else "\n"))


if __name__ == "__main__":
    main()
