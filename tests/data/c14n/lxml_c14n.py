"""Exclusive c14n with lxml (libxml2), for tests/c14n_interop.rs.

Reads JSON lines from stdin: {"xml": str, "apex": int|null, "exclude": int|null,
"incl": [str], "comments": bool, "exclusive": bool}
(exclusive c14n unless "exclusive" is false: then Canonical XML 1.0, inclusive; with
"c14n11" true, Canonical XML 1.1 with comments of the whole document by `xmllint --c14n11`). `apex`/`exclude` index the elements in document order;
`apex` null means the whole document. The excluded element is removed (its tail text kept)
before canonicalizing. Writes one line per case: "OK <base64 of the canonical bytes>" or
"ERR <message>".
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

from lxml import etree


def remove_keeping_tail(el):
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def main():
    parser = etree.XMLParser(resolve_entities=False, strip_cdata=True, remove_blank_text=False)
    for line in sys.stdin:
        case = json.loads(line)
        try:
            if case.get("c14n11"):
                # Canonical XML 1.1 (with comments, whole document): xmllint, libxml2's own tool.
                with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
                    f.write(case["xml"].encode("utf-8"))
                try:
                    out = subprocess.run(["xmllint", "--c14n11", f.name], capture_output=True, check=True).stdout
                finally:
                    os.unlink(f.name)
                print("OK " + base64.b64encode(out).decode("ascii"))
                sys.stdout.flush()
                continue
            tree = etree.ElementTree(etree.fromstring(case["xml"].encode("utf-8"), parser))
            elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
            apex = None if case["apex"] is None else elements[case["apex"]]
            if case["exclude"] is not None:
                remove_keeping_tail(elements[case["exclude"]])
            target = tree if apex is None else apex
            out = etree.tostring(
                target,
                method="c14n",
                exclusive=case.get("exclusive", True),
                with_comments=case["comments"],
                inclusive_ns_prefixes=(case["incl"] or None) if case.get("exclusive", True) else None,
            )
            print("OK " + base64.b64encode(out).decode("ascii"))
        except Exception as e:  # reported to the Rust side as a failure
            print("ERR " + repr(e).replace("\n", " "))
        sys.stdout.flush()


main()
