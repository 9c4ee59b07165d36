#!/usr/bin/env python3
"""Writes manifest.json: one entry per fixture. The xmlsec1 entries are listed here; the
auth0-samlp entries come from auth0-samlp/made.json, which make.js writes."""
import json, os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
XMLSEC1 = subprocess.run(["xmlsec1", "--version"], capture_output=True, text=True).stdout.split(" (")[0].strip()

COMMON = {
    "now": "2026-11-28T15:30:00Z",  # every fixture: valid from 15:21:01.288Z to 16:21:01.288Z
    "name_id": "jane.doe@example.com",
    "attributes": {
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": ["jane.doe@example.com"],
        "http://schemas.xmlsoap.org/claims/Group": ["admins", "devs"],
    },
}

XMLSEC1_FIXTURES = [
    # file, signed, signature, digest, in_response_to
    ("assertion-sha256.xml", ["Assertion"], "rsa-sha256", "sha256", "_request1"),
    ("assertion-sha512.xml", ["Assertion"], "rsa-sha512", "sha512", "_request1"),
    ("assertion-sha1.xml", ["Assertion"], "rsa-sha1", "sha1", "_request1"),
    ("both-sha256.xml", ["Response", "Assertion"], "rsa-sha256", "sha256", "_request1"),
    ("response-sha256.xml", ["Response"], "rsa-sha256", "sha256", "_request1"),
    ("unsolicited-sha256.xml", ["Assertion"], "rsa-sha256", "sha256", None),
    ("prefixlist-sha256.xml", ["Assertion"], "rsa-sha256", "sha256", "_request1"),
    ("pretty-both-sha256.xml", ["Response", "Assertion"], "rsa-sha256", "sha256", "_request1"),
]


def entry(file, tool, signed, sig, digest, irt, algorithms=None):
    e = {"file": file, "tool": tool, "signed": signed, "signature": sig, "digest": digest,
         "needs_sha1": False, "in_response_to": irt}
    if algorithms:  # per-signature algorithms when they differ; signature/digest = the weakest
        e["algorithms"] = algorithms
    pairs = list(algorithms.values()) if algorithms else [[sig, digest]]
    e["needs_sha1"] = any(a == "rsa-sha1" or d == "sha1" for a, d in pairs)
    e.update(COMMON)
    return e


def main():
    out = [entry("xmlsec1/" + f, XMLSEC1, s, a, d, i) for f, s, a, d, i in XMLSEC1_FIXTURES]
    with open(os.path.join(HERE, "auth0-samlp", "made.json")) as fh:
        for m in json.load(fh):
            out.append(entry("auth0-samlp/" + m["file"], m["tool"], m["signed"], m["signature"],
                             m["digest"], m["in_response_to"], m.get("algorithms")))
    with open(os.path.join(HERE, "manifest.json"), "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
