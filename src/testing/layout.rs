//! Where things are in a signed Response's text, and the text edits the catalogue is made of.
//!
//! The document is parsed once (hardened parser) to learn its element names and to check it is a
//! Response with one plain Assertion; the edits then work on the text itself, so everything the
//! mutation does not touch stays byte for byte as the IdP wrote it.

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
use crate::dsig::c14n::{C14nOptions, canonicalize};
use crate::error::{Error, UsageError};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId, ParseLimits};
use std::ops::Range;

pub(super) struct Layout {
    pub xml: String,
    pub response_local: String,
    response_qname: String,
    assertion_qname: String,
    pub assertion_id: String,
    assertion: Range<usize>,
    assertion_signature: Option<Range<usize>>,
    pub response_signature: Option<Range<usize>>,
    signature_qname: String,
    name_id: Range<usize>,
    issuer_qname: String,
    pub algorithms: (SignatureAlgorithm, DigestAlgorithm),
}

fn invalid(message: &str) -> Error {
    UsageError::InvalidArgument { what: "response to mutate", message: message.to_owned() }.into()
}

/// The start of the first `<qname` tag at or after `from` (followed by whitespace, `>` or `/`).
fn find_tag(xml: &str, qname: &str, from: usize) -> Option<usize> {
    let open = format!("<{qname}");
    let mut at = from;
    while let Some(i) = xml.get(at..)?.find(&open) {
        let start = at + i;
        match xml.as_bytes().get(start + open.len()) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/') => return Some(start),
            _ => at = start + open.len(),
        }
    }
    None
}

/// The span of the element whose start tag begins at `start`: through its first `</qname>`.
fn element_span(xml: &str, qname: &str, start: usize) -> Option<Range<usize>> {
    let close = format!("</{qname}>");
    let end = start + xml[start..].find(&close)? + close.len();
    Some(start..end)
}

fn child(doc: &Document, parent: NodeId, namespace: &str, local: &str) -> Option<NodeId> {
    doc.children_named(parent, namespace, local).next()
}

impl Layout {
    pub fn read(xml: &str) -> Result<Self, Error> {
        let doc = Document::parse(xml, &ParseLimits::default())?;
        let root = doc.root();
        let root_el = doc.element(root).ok_or_else(|| invalid("no document element"))?;
        if !root_el.is(ns::SAMLP, "Response") {
            return Err(invalid(&format!("the document element is <{}>, not a samlp:Response", root_el.qname())));
        }
        let assertions: Vec<NodeId> =
            doc.elements().filter(|(_, e)| e.is(ns::SAML, "Assertion")).map(|(id, _)| id).collect();
        if doc.elements().any(|(_, e)| e.is(ns::SAML, "EncryptedAssertion")) {
            return Err(invalid("its Assertion is encrypted: mutate the Response before encryption"));
        }
        let [assertion] = assertions[..] else {
            return Err(invalid(&format!("it holds {} Assertion elements; one is needed", assertions.len())));
        };
        if doc.parent(assertion) != Some(root) {
            return Err(invalid("its Assertion is not a child of the Response"));
        }
        let qname = |id: NodeId| doc.element(id).map(|e| e.qname().to_owned()).unwrap_or_default();
        let assertion_el = doc.element(assertion).ok_or_else(|| invalid("no Assertion"))?;
        let assertion_id = assertion_el.attribute(None, "ID").ok_or_else(|| invalid("its Assertion has no ID"))?;
        let issuer =
            child(&doc, assertion, ns::SAML, "Issuer").ok_or_else(|| invalid("its Assertion has no Issuer"))?;
        let name_id = child(&doc, assertion, ns::SAML, "Subject")
            .and_then(|s| child(&doc, s, ns::SAML, "NameID"))
            .ok_or_else(|| invalid("its Assertion has no Subject/NameID"))?;
        let assertion_sig = child(&doc, assertion, ns::DSIG, "Signature");
        let response_sig = child(&doc, root, ns::DSIG, "Signature");
        let signature = assertion_sig.or(response_sig).ok_or_else(|| invalid("it is not signed"))?;
        let algorithm = |local: &str| {
            doc.descendants(signature)
                .find(|&n| doc.element(n).is_some_and(|e| e.is(ns::DSIG, local)))
                .and_then(|n| doc.element(n)?.attribute(None, "Algorithm").map(str::to_owned))
        };
        let algorithms = (
            algorithm("SignatureMethod")
                .and_then(|u| SignatureAlgorithm::from_uri(&u))
                .unwrap_or(SignatureAlgorithm::RsaSha256),
            algorithm("DigestMethod").and_then(|u| DigestAlgorithm::from_uri(&u)).unwrap_or(DigestAlgorithm::Sha256),
        );

        let (response_qname, assertion_qname) = (qname(root), qname(assertion));
        let unique =
            |q: &str| find_tag(xml, q, 0).is_some() && find_tag(xml, q, find_tag(xml, q, 0).unwrap_or(0) + 1).is_none();
        if !unique(&assertion_qname) {
            return Err(invalid("its Assertion's name appears more than once in the text"));
        }
        let missing = || invalid("its text does not match its parsed structure");
        let a_start = find_tag(xml, &assertion_qname, 0).ok_or_else(missing)?;
        let assertion_span = element_span(xml, &assertion_qname, a_start).ok_or_else(missing)?;
        let span_in = |id: Option<NodeId>, within: Range<usize>| -> Result<Option<Range<usize>>, Error> {
            let Some(id) = id else { return Ok(None) };
            let q = qname(id);
            let start = find_tag(&xml[..within.end], &q, within.start).ok_or_else(missing)?;
            Ok(Some(element_span(xml, &q, start).ok_or_else(missing)?))
        };
        let assertion_signature = span_in(assertion_sig, assertion_span.clone())?;
        // The Response's own Signature is outside the Assertion: before it, as SAML places it,
        // or after.
        let response_signature = match response_sig {
            None => None,
            Some(_) => {
                span_in(response_sig, 0..assertion_span.start)?
                    .or(span_in(response_sig, assertion_span.end..xml.len()).ok().flatten())
            }
        };
        let nq = qname(name_id);
        let n_start = find_tag(xml, &nq, assertion_span.start).ok_or_else(missing)?;
        let text_start = n_start + xml[n_start..].find('>').ok_or_else(missing)? + 1;
        let text_end = text_start + xml[text_start..].find(&format!("</{nq}>")).ok_or_else(missing)?;
        Ok(Layout {
            xml: xml.to_owned(),
            response_local: root_el.local_name().to_owned(),
            response_qname,
            assertion_qname,
            assertion_id: assertion_id.to_owned(),
            assertion: assertion_span,
            assertion_signature,
            response_signature,
            signature_qname: qname(signature),
            name_id: text_start..text_end,
            issuer_qname: qname(issuer),
            algorithms,
        })
    }

    pub fn has_assertion_signature(&self) -> bool {
        self.assertion_signature.is_some()
    }

    pub fn assertion_text(&self) -> String {
        self.xml[self.assertion.clone()].to_owned()
    }

    /// The Assertion, its NameID changed (its Signature kept, now broken).
    pub fn evil_assertion(&self) -> String {
        let (a, n) = (self.assertion.start, &self.name_id);
        format!("{}{}{}", &self.xml[a..n.start], super::EVIL_NAME_ID, &self.xml[n.end..self.assertion.end])
    }

    /// `assertion` (a copy of the Assertion's text) without its Signature.
    pub fn without_assertion_signature(&self, assertion: &str) -> String {
        match find_tag(assertion, &self.signature_qname, 0)
            .and_then(|s| element_span(assertion, &self.signature_qname, s))
        {
            Some(span) => format!("{}{}", &assertion[..span.start], &assertion[span.end..]),
            None => assertion.to_owned(),
        }
    }

    /// `assertion` with the Assertion's ID replaced by `id`.
    pub fn with_id(&self, assertion: &str, id: &str) -> String {
        assertion.replacen(&format!("ID=\"{}\"", self.assertion_id), &format!("ID=\"{id}\""), 1)
    }

    fn replace_assertion(&self, with: &str) -> String {
        format!("{}{with}{}", &self.xml[..self.assertion.start], &self.xml[self.assertion.end..])
    }

    pub fn insert_before_assertion(&self, text: &str) -> String {
        format!("{}{text}{}", &self.xml[..self.assertion.start], &self.xml[self.assertion.start..])
    }

    /// The Assertion replaced by `in_place`, and `appended` as the Response's last child.
    pub fn append_to_response(&self, in_place: &str, appended: &str) -> String {
        let doc = self.replace_assertion(in_place);
        let close = format!("</{}>", self.response_qname);
        match doc.rfind(&close) {
            Some(end) => format!("{}{appended}{}", &doc[..end], &doc[end..]),
            None => doc,
        }
    }

    /// `outer` (an Assertion's text) with the signed original inside it, before its end tag.
    pub fn wrap_assertion(&self, outer: &str) -> String {
        let close = format!("</{}>", self.assertion_qname);
        let end = outer.rfind(&close).unwrap_or(outer.len());
        self.replace_assertion(&format!("{}{}{}", &outer[..end], self.assertion_text(), &outer[end..]))
    }

    /// `signed` (an Assertion's text) with `inner` placed inside its Signature, before the end tag.
    fn inside_signature(&self, signed: &str, inner: &str) -> String {
        let close = format!("</{}>", self.signature_qname);
        match signed.find(&close) {
            Some(end) => format!("{}{inner}{}", &signed[..end], &signed[end..]),
            None => signed.to_owned(),
        }
    }

    /// XSW6: `evil` in place, the original Assertion (signed) inside its Signature.
    pub fn copy_into_signature(&self, evil: &str) -> String {
        self.replace_assertion(&self.inside_signature(evil, &self.assertion_text()))
    }

    /// XSW8: `evil` in place, a ds:Object in its Signature holding the original without its
    /// Signature.
    pub fn object_in_signature(&self, evil: &str) -> String {
        let object = format!(
            "<ds:Object xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">{}</ds:Object>",
            self.without_assertion_signature(&self.assertion_text())
        );
        self.replace_assertion(&self.inside_signature(evil, &object))
    }

    /// An unsigned copy of the Response (another ID, the NameID changed) as the document element;
    /// the signed original inside its Signature (XSW1) or before it (XSW2).
    pub fn evil_response_without_signature(&self) -> String {
        let doc = self.replace_name_id(super::EVIL_NAME_ID);
        let doc = match &self.response_signature {
            Some(span) if span.end <= self.assertion.start => format!("{}{}", &doc[..span.start], &doc[span.end..]),
            _ => doc,
        };
        let response_id = Document::parse(&self.xml, &ParseLimits::default())
            .ok()
            .and_then(|d| d.element(d.root()).and_then(|e| e.attribute(None, "ID").map(str::to_owned)))
            .unwrap_or_default();
        doc.replacen(&format!("ID=\"{response_id}\""), "ID=\"_evil-response\"", 1)
    }

    /// XSW1 (`inside`) and XSW2: `evil` (an unsigned Response) with the original Response's
    /// Signature moved into it, holding the signed original inside (XSW1) or followed by it.
    pub fn wrap_response(&self, evil: &str, inside: bool) -> String {
        let Some(span) = &self.response_signature else { return evil.to_owned() };
        let signature = &self.xml[span.clone()];
        let original = self.xml.trim_start_matches(|c| c != '<');
        let original =
            original.strip_prefix("<?xml").map_or(original, |rest| rest.split_once("?>").map_or(rest, |(_, r)| r));
        let moved = if inside { self.inside_signature(signature, original) } else { format!("{original}{signature}") };
        // Right after the evil Response's Issuer, where the Signature was.
        let close = format!("</{}>", self.issuer_qname);
        match evil.find(&close) {
            Some(i) => format!("{}{moved}{}", &evil[..i + close.len()], &evil[i + close.len()..]),
            None => evil.to_owned(),
        }
    }

    pub fn strip_signatures(&self) -> String {
        let mut spans: Vec<&Range<usize>> = self.assertion_signature.iter().chain(&self.response_signature).collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.start));
        let mut doc = self.xml.clone();
        for span in spans {
            doc.replace_range(span.clone(), "");
        }
        doc
    }

    pub fn replace_name_id(&self, value: &str) -> String {
        format!("{}{value}{}", &self.xml[..self.name_id.start], &self.xml[self.name_id.end..])
    }

    /// `text` inside the NameID: after its `@`, else in its middle.
    pub fn insert_in_name_id(&self, text: &str) -> String {
        let name = &self.xml[self.name_id.clone()];
        let at = name.find('@').map_or(name.len() / 2, |i| i + 1);
        let at = (0..=at).rev().find(|&i| name.is_char_boundary(i)).unwrap_or(0);
        format!(
            "{}{}{text}{}{}",
            &self.xml[..self.name_id.start],
            &name[..at],
            &name[at..],
            &self.xml[self.name_id.end..]
        )
    }

    /// One base64 character of the outermost SignatureValue changed: the Response's (which
    /// covers the Assertion's), else the Assertion's.
    pub fn break_signature_value(&self) -> String {
        let Some(span) = self.response_signature.as_ref().or(self.assertion_signature.as_ref()) else {
            return self.xml.clone();
        };
        let signature = &self.xml[span.clone()];
        let Some(value) = signature.find("SignatureValue").and_then(|i| signature[i..].find('>').map(|j| i + j + 1))
        else {
            return self.xml.clone();
        };
        let at = span.start + value;
        let c = self.xml.as_bytes()[at];
        let swapped = if c == b'A' { "B" } else { "A" };
        format!("{}{swapped}{}", &self.xml[..at], &self.xml[at + 1..])
    }

    /// Every `name="…"` value inside the Assertion set to `value`.
    pub fn set_times(&self, name: &str, value: &str) -> String {
        let mut assertion = self.assertion_text();
        let needle = format!(" {name}=\"");
        let mut from = 0;
        while let Some(i) = assertion[from..].find(&needle) {
            let start = from + i + needle.len();
            let Some(len) = assertion[start..].find('"') else { break };
            assertion.replace_range(start..start + len, value);
            from = start + value.len();
        }
        self.replace_assertion(&assertion)
    }

    /// The text of every element named `local` (any prefix) replaced by `value`.
    pub fn replace_element_text(&self, local: &str, value: &str) -> String {
        let mut doc = self.xml.clone();
        for qname in self.qnames(local) {
            let mut from = 0;
            while let Some(start) = find_tag(&doc, &qname, from) {
                let Some(open_end) = doc[start..].find('>').map(|i| start + i + 1) else { break };
                let Some(close) = doc[open_end..].find(&format!("</{qname}>")).map(|i| open_end + i) else { break };
                doc.replace_range(open_end..close, value);
                from = open_end + value.len();
            }
        }
        doc
    }

    /// The attribute `name` of every element named `local` set to `value` (added where absent).
    pub fn set_attribute(&self, local: &str, name: &str, value: &str) -> String {
        let mut doc = self.xml.clone();
        for qname in self.qnames(local) {
            let mut from = 0;
            while let Some(start) = find_tag(&doc, &qname, from) {
                let Some(tag_end) = doc[start..].find('>').map(|i| start + i) else { break };
                let tag = &doc[start..tag_end];
                let needle = format!(" {name}=\"");
                let (range, text) = match tag.find(&needle) {
                    Some(i) => {
                        let v = start + i + needle.len();
                        let len = doc[v..].find('"').unwrap_or(0);
                        (v..v + len, value.to_owned())
                    }
                    None => {
                        let at = if tag.ends_with('/') { tag_end - 1 } else { tag_end };
                        (at..at, format!(" {name}=\"{value}\""))
                    }
                };
                from = range.start + text.len();
                doc.replace_range(range, &text);
            }
        }
        doc
    }

    pub fn set_in_response_to(&self, value: &str) -> String {
        let with_response = self.set_attribute(&self.response_local, "InResponseTo", value);
        Layout::read(&with_response)
            .map_or(with_response.clone(), |l| l.set_attribute("SubjectConfirmationData", "InResponseTo", value))
    }

    /// The qualified names used for SAML elements named `local` (and the Response's own).
    fn qnames(&self, local: &str) -> Vec<String> {
        let Ok(doc) = Document::parse(&self.xml, &ParseLimits::default()) else { return Vec::new() };
        let mut names: Vec<String> = doc
            .elements()
            .filter(|(_, e)| e.local_name() == local && matches!(e.namespace(), Some(ns::SAML | ns::SAMLP)))
            .map(|(_, e)| e.qname().to_owned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// `xml` (this Response, edited) with its signatures made anew by `key`: the Assertion's,
    /// then the Response's over it, each where the original had one, right after the element's
    /// Issuer.
    pub fn resign(
        &self,
        xml: &str,
        key: &dyn SigningKey,
        algorithms: (SignatureAlgorithm, DigestAlgorithm),
    ) -> Result<String, Error> {
        let mut doc = xml.to_owned();
        if self.assertion_signature.is_some() {
            let l = Layout::read(&doc)?;
            doc = l.signed_anew(&l.assertion_qname, key, algorithms, true)?;
        }
        if self.response_signature.is_some() {
            let l = Layout::read(&doc)?;
            doc = l.signed_anew(&l.response_qname, key, algorithms, false)?;
        }
        Ok(doc)
    }

    /// This document with the Assertion's (`assertion`) or the Response's Signature replaced by
    /// a new one.
    fn signed_anew(
        &self,
        qname: &str,
        key: &dyn SigningKey,
        algorithms: (SignatureAlgorithm, DigestAlgorithm),
        assertion: bool,
    ) -> Result<String, Error> {
        let old = if assertion { &self.assertion_signature } else { &self.response_signature };
        let mut doc = self.xml.clone();
        if let Some(span) = old {
            doc.replace_range(span.clone(), "");
        }
        let parsed = Document::parse(&doc, &ParseLimits::default())?;
        let element = if assertion {
            parsed.elements().find(|(_, e)| e.is(ns::SAML, "Assertion")).map(|(id, _)| id)
        } else {
            Some(parsed.root())
        }
        .ok_or_else(|| invalid("the element to sign is gone"))?;
        let id = parsed
            .element(element)
            .and_then(|e| e.attribute(None, "ID"))
            .ok_or_else(|| invalid("the element to sign has no ID"))?
            .to_owned();
        let mut canonical = Vec::new();
        canonicalize(&parsed, element, &C14nOptions::default(), &mut canonical);
        let signature = crate::dsig::sign::signature_element(&canonical, &id, algorithms, key)?;
        let start = find_tag(&doc, qname, 0).ok_or_else(|| invalid("the element to sign is gone"))?;
        let close = format!("</{}>", self.issuer_qname);
        let issuer_end =
            start + doc[start..].find(&close).ok_or_else(|| invalid("no Issuer to sign after"))? + close.len();
        doc.insert_str(issuer_end, &signature.doc);
        Ok(doc)
    }
}
