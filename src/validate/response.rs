//! The document around the assertion: IDs, where the Assertions are, the status, the
//! decrypted assertion's own document.

use super::assertion::{attr, one_child};
use crate::encryption::XENC;
use crate::error::{EncryptionError, Failure, VerifyError, truncate};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId, ParseLimits};
use std::collections::HashSet;

/// Every element `ns:local` in the document, wherever it is.
pub(super) fn find_all<'d>(doc: &'d Document, namespace: &'d str, local: &'d str) -> impl Iterator<Item = NodeId> + 'd {
    doc.elements().filter(move |(_, e)| e.is(namespace, local)).map(|(id, _)| id)
}

/// Whether `id` sits inside a `saml:Advice` child of `main`.
pub(super) fn in_advice(doc: &Document, main: NodeId, id: NodeId) -> bool {
    let mut at = doc.parent(id);
    while let Some(p) = at {
        if doc.parent(p) == Some(main) {
            return doc.element(p).is_some_and(|e| e.is(ns::SAML, "Advice"));
        }
        if p == main {
            return false;
        }
        at = doc.parent(p);
    }
    false
}

/// Every `saml:Assertion` and every `saml:EncryptedAssertion` of the document, in document
/// order, found in the one pass over its elements that also checks its IDs are unique.
pub(super) fn survey(doc: &Document) -> Result<(Vec<NodeId>, Vec<NodeId>), VerifyError> {
    let mut seen = HashSet::new();
    let (mut assertions, mut encrypted) = (Vec::new(), Vec::new());
    for (id, e) in doc.elements() {
        if !e.attributes().is_empty() {
            if let Some(value) = e.attribute(None, "ID") {
                if !seen.insert(value) {
                    return Err(VerifyError::DuplicateId { id: truncate(value) });
                }
            }
        }
        if e.is(ns::SAML, "Assertion") {
            assertions.push(id);
        } else if e.is(ns::SAML, "EncryptedAssertion") {
            encrypted.push(id);
        }
    }
    Ok((assertions, encrypted))
}

pub(super) fn unique_ids(doc: &Document) -> Result<(), VerifyError> {
    let mut seen = HashSet::new();
    for (_, e) in doc.elements() {
        if let Some(value) = e.attribute(None, "ID") {
            if !seen.insert(value) {
                return Err(VerifyError::DuplicateId { id: truncate(value) });
            }
        }
    }
    Ok(())
}

/// Parses decrypted assertion text inside a wrapper element that re-declares every namespace
/// in scope at the EncryptedAssertion (a foreign assertion may rely on the Response's
/// declarations); the wrapper must hold exactly one `saml:Assertion` and nothing else, and the
/// document no other Assertion or EncryptedAssertion.
pub(super) fn wrap_decrypted(
    doc: &Document,
    encrypted: NodeId,
    plaintext: &str,
) -> Result<zeroize::Zeroizing<String>, EncryptionError> {
    let mut wrapped = zeroize::Zeroizing::new(String::with_capacity(plaintext.len() + 512));
    wrapped.push_str("<DecryptedAssertion");
    let mut declared = HashSet::new();
    let mut at = Some(encrypted);
    while let Some(id) = at {
        for declaration in doc.element(id).iter().flat_map(|e| e.namespace_declarations()) {
            // The nearest declaration of a prefix wins; an undeclaration leaves it undeclared.
            if declared.insert(declaration.prefix()) && !declaration.uri().is_empty() {
                wrapped.push_str(" xmlns");
                if let Some(prefix) = declaration.prefix() {
                    wrapped.push(':');
                    wrapped.push_str(prefix);
                }
                wrapped.push_str("=\"");
                crate::xml::escape::escape_into(
                    &mut wrapped,
                    declaration.uri(),
                    crate::xml::escape::Context::Attribute,
                )
                .map_err(|_| EncryptionError::NotAnAssertion { reason: "unusable namespace URI".into() })?;
                wrapped.push('"');
            }
        }
        at = doc.parent(id);
    }
    wrapped.push('>');
    wrapped.push_str(plaintext);
    wrapped.push_str("</DecryptedAssertion>");
    Ok(wrapped)
}

/// Parses what [`wrap_decrypted`] made: the document borrows the wrapped plaintext, which is
/// wiped when it is dropped.
pub(super) fn parse_decrypted<'w>(
    wrapped: &'w str,
    limits: &ParseLimits,
) -> Result<(Document<'w>, NodeId), EncryptionError> {
    let adoc = Document::parse(wrapped, limits)
        .map_err(|e| EncryptionError::NotAnAssertion { reason: truncate(&e.to_string()) })?;
    let not_one = || EncryptionError::NotAnAssertion { reason: "it must be exactly one saml:Assertion element".into() };
    let assertion = {
        let mut children = adoc.child_elements(adoc.root());
        match (children.next(), children.next()) {
            (Some(a), None) if adoc.element(a).is_some_and(|e| e.is(ns::SAML, "Assertion")) => a,
            _ => return Err(not_one()),
        }
    };
    let stray_text = adoc
        .children(adoc.root())
        .iter()
        .any(|&c| matches!(adoc.node(c), crate::xml::parse::Node::Text(t) if !t.trim().is_empty()));
    // The decrypted Assertion and nothing else, Advice aside.
    let nested = find_all(&adoc, ns::SAML, "Assertion")
        .chain(find_all(&adoc, ns::SAML, "EncryptedAssertion"))
        .chain(find_all(&adoc, XENC, "EncryptedData"))
        .filter(|&n| !in_advice(&adoc, assertion, n))
        .count();
    if stray_text || nested != 1 {
        return Err(not_one());
    }
    Ok((adoc, assertion))
}

/// IDs are unique within the decrypted document and across it and the Response.
pub(super) fn ids_disjoint(doc: &Document, adoc: &Document) -> Result<(), VerifyError> {
    unique_ids(adoc)?;
    let outer: HashSet<&str> = doc.elements().filter_map(|(_, e)| e.attribute(None, "ID")).collect();
    for (_, e) in adoc.elements() {
        if let Some(value) = e.attribute(None, "ID") {
            if outer.contains(value) {
                return Err(VerifyError::DuplicateId { id: truncate(value) });
            }
        }
    }
    Ok(())
}

pub(super) fn status_code(doc: &Document, root: NodeId, failures: &mut Vec<Failure>) -> Option<String> {
    let status = one_child(doc, root, ns::SAMLP, "Status", failures);
    let code = status.and_then(|s| one_child(doc, s, ns::SAMLP, "StatusCode", failures));
    match code.and_then(|c| attr(doc, c, "Value")) {
        Some(v) => Some(v.to_owned()),
        None => {
            failures.push(Failure::Missing { element: "samlp:Status/samlp:StatusCode" });
            None
        }
    }
}
