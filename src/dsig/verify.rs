//! Verification of one enveloped XML-DSig signature, hardened against signature wrapping.
//!
//! Rules (see `verifier-threats.md`): the Signature must be a direct child of the element it
//! signs, placed right after that element's Issuer; exactly one SignedInfo, one Reference, one
//! DigestValue; `Reference/@URI` is `#` + the enclosing element's ID; transforms are exactly
//! enveloped-signature then exclusive c14n (with an optional InclusiveNamespaces PrefixList);
//! algorithms come from an allow-list (SHA-1 only on opt-in, never HMAC); a certificate in KeyInfo
//! may only select among the pinned certificates; comments and processing instructions inside
//! DigestValue or SignatureValue are rejected. Every parameter is read from under the one
//! SignedInfo whose canonical bytes are verified, on the same tree that is canonicalized.

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, verify_signature};
use crate::dsig::c14n::{C14nOptions, canonicalize};
use crate::error::{VerifyError, truncate};
use crate::keys::Certificate;
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use base64::Engine as _;

/// What the verifier accepts.
#[derive(Debug, Clone)]
pub struct VerifyPolicy {
    /// The pinned certificates: a signature must verify under one of them.
    pub certificates: Vec<Certificate>,
    /// Accept rsa-sha1 and sha1 (Auth0's default, weak). Default false.
    pub allow_sha1: bool,
}

/// A verified signature: which element it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The signed element.
    pub element: NodeId,
    /// The Signature element.
    pub signature: NodeId,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The digest algorithm.
    pub digest: DigestAlgorithm,
}

/// The `ds:` child elements of `parent`, in order; any other element child is an error.
fn ds_children(doc: &Document, parent: NodeId, element: &'static str) -> Result<Vec<(NodeId, String)>, VerifyError> {
    doc.child_elements(parent)
        .map(|id| {
            let e = doc.element(id).ok_or(malformed(element, "unexpected node"))?;
            if e.namespace() != Some(ns::DSIG) {
                return Err(malformed(element, "an element outside the XML-DSig namespace inside the Signature"));
            }
            Ok((id, e.local_name().to_owned()))
        })
        .collect()
}

fn malformed(element: &'static str, reason: &'static str) -> VerifyError {
    VerifyError::Malformed { element, reason }
}

/// Exactly the children named `names`, in that order.
fn expect_children(
    doc: &Document,
    parent: NodeId,
    names: &[&str],
    optional_last: Option<&str>,
    element: &'static str,
    reason: &'static str,
) -> Result<Vec<NodeId>, VerifyError> {
    let children = ds_children(doc, parent, element)?;
    let mut expected: Vec<&str> = names.to_vec();
    if let Some(last) = optional_last {
        if children.len() == names.len() + 1 {
            expected.push(last);
        }
    }
    if children.len() != expected.len() || children.iter().zip(&expected).any(|((_, n), e)| n != e) {
        return Err(malformed(element, reason));
    }
    Ok(children.into_iter().map(|(id, _)| id).collect())
}

fn algorithm_of(doc: &Document, id: NodeId) -> &str {
    doc.element(id).and_then(|e| e.attribute(None, "Algorithm")).unwrap_or("")
}

/// The InclusiveNamespaces PrefixList under a c14n method or transform, if any; other children
/// are not allowed.
fn prefix_list(doc: &Document, method: NodeId, element: &'static str) -> Result<Vec<String>, VerifyError> {
    let mut children = doc.child_elements(method);
    let Some(child) = children.next() else { return Ok(Vec::new()) };
    let inclusive = doc.element(child).is_some_and(|e| e.is(ns::EXC_C14N, "InclusiveNamespaces"));
    if !inclusive || children.next().is_some() {
        return Err(malformed(element, "unexpected content in a canonicalization method"));
    }
    let list = doc.element(child).and_then(|e| e.attribute(None, "PrefixList")).unwrap_or("");
    Ok(list.split_ascii_whitespace().map(str::to_owned).collect())
}

/// The base64 content of a leaf element, refusing comments and processing instructions inside.
fn base64_content(
    doc: &Document,
    id: NodeId,
    element: &'static str,
    what: &'static str,
) -> Result<Vec<u8>, VerifyError> {
    if doc.has_comment_or_pi(id) {
        return Err(malformed(element, what));
    }
    if doc.child_elements(id).next().is_some() {
        return Err(malformed(element, "an element inside DigestValue, SignatureValue or X509Certificate"));
    }
    let text = doc.text_content(id);
    // Line breaks inside base64 are common; decode the text as is when there are none.
    let decoded = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(compact)
    } else {
        base64::engine::general_purpose::STANDARD.decode(text.as_bytes())
    };
    decoded.map_err(|_| malformed(element, "DigestValue, SignatureValue or X509Certificate is not base64"))
}

/// Why a known algorithm is refused by this build (ECDSA without the `aws-lc-rs` feature).
pub(crate) const UNAVAILABLE_HINT: &str = " (ECDSA needs samlkit's `aws-lc-rs` feature)";

/// The algorithm `uri` names, when the allow-list accepts it: known, and not SHA-1 unless the
/// policy opts in. `parsed` is the lookup result with its weakness.
fn allowed<T>(
    uri: &str,
    parsed: Option<(T, bool)>,
    policy: &VerifyPolicy,
    element: &'static str,
) -> Result<T, VerifyError> {
    match parsed {
        Some((a, weak)) if !weak || policy.allow_sha1 => Ok(a),
        Some(_) => Err(VerifyError::AlgorithmNotAllowed {
            element,
            algorithm: uri.to_owned(),
            hint: " (SHA-1 is weak; opt in with insecure_allow_sha1 if this IdP cannot do better)",
        }),
        None => Err(VerifyError::AlgorithmNotAllowed { element, algorithm: truncate(uri), hint: "" }),
    }
}

/// Verifies the enveloped signature of `target` (named `element` in errors). Returns None when
/// `target` carries no Signature, the verified signature otherwise, and an error for a Signature
/// that does not verify or breaks a rule.
pub fn verify_enveloped(
    doc: &Document,
    target: NodeId,
    element: &'static str,
    policy: &VerifyPolicy,
) -> Result<Option<Verified>, VerifyError> {
    let children: Vec<NodeId> = doc.child_elements(target).collect();
    let signatures: Vec<usize> = children
        .iter()
        .enumerate()
        .filter(|(_, id)| doc.element(**id).is_some_and(|e| e.is(ns::DSIG, "Signature")))
        .map(|(i, _)| i)
        .collect();
    let index = match signatures.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => return Err(malformed(element, "more than one Signature")),
    };
    let issuer_first = children.first().and_then(|id| doc.element(*id)).is_some_and(|e| e.is(ns::SAML, "Issuer"));
    if index != usize::from(issuer_first) {
        return Err(malformed(element, "the Signature is not placed right after the Issuer"));
    }
    let signature = children[index];

    let parts = expect_children(
        doc,
        signature,
        &["SignedInfo", "SignatureValue"],
        Some("KeyInfo"),
        element,
        "a Signature must hold SignedInfo, SignatureValue and an optional KeyInfo, nothing else",
    )?;
    let (signed_info, signature_value) = (parts[0], parts[1]);
    let info = expect_children(
        doc,
        signed_info,
        &["CanonicalizationMethod", "SignatureMethod", "Reference"],
        None,
        element,
        "SignedInfo must hold CanonicalizationMethod, SignatureMethod and exactly one Reference",
    )?;
    let (c14n_method, signature_method, reference) = (info[0], info[1], info[2]);

    if algorithm_of(doc, c14n_method) != ns::EXC_C14N {
        return Err(VerifyError::AlgorithmNotAllowed {
            element,
            algorithm: truncate(algorithm_of(doc, c14n_method)),
            hint: " (only exclusive c14n is accepted for SignedInfo)",
        });
    }
    let signed_info_prefixes = prefix_list(doc, c14n_method, element)?;
    if doc.child_elements(signature_method).next().is_some() {
        return Err(malformed(element, "SignatureMethod has content (HMACOutputLength?)"));
    }
    let uri = algorithm_of(doc, signature_method);
    let algorithm = allowed(uri, SignatureAlgorithm::from_uri(uri).map(|a| (a, a.is_weak())), policy, element)?;
    if !algorithm.is_available() {
        return Err(VerifyError::AlgorithmNotAllowed { element, algorithm: uri.to_owned(), hint: UNAVAILABLE_HINT });
    }

    // The Reference: bound to the enclosing element.
    let id = doc.element(target).and_then(|e| e.attribute(None, "ID")).unwrap_or("");
    let uri = doc.element(reference).and_then(|e| e.attribute(None, "URI")).unwrap_or("");
    if id.is_empty() || uri.strip_prefix('#') != Some(id) {
        return Err(VerifyError::ReferenceUri { element, uri: truncate(uri) });
    }
    let parts = expect_children(
        doc,
        reference,
        &["Transforms", "DigestMethod", "DigestValue"],
        None,
        element,
        "Reference must hold Transforms, DigestMethod and exactly one DigestValue",
    )?;
    let (transforms, digest_method, digest_value) = (parts[0], parts[1], parts[2]);
    let transform_list = ds_children(doc, transforms, element)?;
    let names: Vec<&str> = transform_list.iter().map(|(id, _)| algorithm_of(doc, *id)).collect();
    if transform_list.iter().any(|(_, n)| n != "Transform") || names != [ns::ENVELOPED_SIGNATURE, ns::EXC_C14N] {
        return Err(VerifyError::Transform { element, algorithm: truncate(&names.join(" ")) });
    }
    if doc.child_elements(transform_list[0].0).next().is_some() {
        return Err(malformed(element, "the enveloped-signature transform has content"));
    }
    let reference_prefixes = prefix_list(doc, transform_list[1].0, element)?;
    let uri = algorithm_of(doc, digest_method);
    let digest = allowed(uri, DigestAlgorithm::from_uri(uri).map(|d| (d, d.is_weak())), policy, element)?;
    let expected_digest =
        base64_content(doc, digest_value, element, "a comment or processing instruction inside DigestValue")?;
    let signature_bytes =
        base64_content(doc, signature_value, element, "a comment or processing instruction inside SignatureValue")?;

    // KeyInfo may only select among the pinned certificates.
    let mut candidates: Vec<&Certificate> = policy.certificates.iter().collect();
    if let Some(key_info) = key_info_of(doc, signature) {
        let certs: Vec<NodeId> = doc
            .descendants(key_info)
            .filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::DSIG, "X509Certificate")))
            .collect();
        if !certs.is_empty() {
            let mut selected = Vec::new();
            for c in certs {
                let der =
                    base64_content(doc, c, element, "a comment or processing instruction inside X509Certificate")?;
                match policy.certificates.iter().find(|p| p.der() == der.as_slice()) {
                    Some(pinned) => selected.push(pinned),
                    None => return Err(VerifyError::UntrustedCertificate { element }),
                }
            }
            candidates = selected;
        }
    }

    // The digest over the enclosing element, minus the Signature (enveloped transform).
    let mut canonical = Vec::with_capacity(4096);
    let options =
        C14nOptions { with_comments: false, inclusive_prefixes: reference_prefixes, exclude: Some(signature) };
    canonicalize(doc, target, &options, &mut canonical);
    if digest.digest(&canonical) != expected_digest {
        return Err(VerifyError::DigestMismatch { element });
    }
    canonical.clear();
    let options = C14nOptions { with_comments: false, inclusive_prefixes: signed_info_prefixes, exclude: None };
    canonicalize(doc, signed_info, &options, &mut canonical);
    if !candidates.iter().any(|c| verify_signature(c, algorithm, &canonical, &signature_bytes)) {
        return Err(VerifyError::BadSignature { element });
    }
    Ok(Some(Verified { element: target, signature, algorithm, digest }))
}

fn key_info_of(doc: &Document, signature: NodeId) -> Option<NodeId> {
    doc.child_elements(signature).find(|&id| doc.element(id).is_some_and(|e| e.is(ns::DSIG, "KeyInfo")))
}
