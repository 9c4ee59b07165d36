//! Verification of one enveloped XML-DSig signature, hardened against signature wrapping and
//! against costly work on unauthenticated input.
//!
//! Rules (the threat model is in the repository's `docs/security.md`):
//! - the Signature is a direct child of the element it signs, anywhere among its children
//!   (placement is not a security property; the Reference binding is);
//! - exactly one SignedInfo, one Reference, one DigestValue;
//! - `Reference/@URI` is `#ID` of the enclosing element, `#xpointer(id('ID'))`, or `""` when
//!   that element is the document element;
//! - transforms are enveloped-signature, optionally followed by one canonicalization:
//!   exclusive (with an optional InclusiveNamespaces PrefixList of at most
//!   [`ParseLimits::max_prefix_list`] prefixes) or inclusive 1.0 or 1.1, with or without
//!   comments;
//! - algorithms come from an allow-list (SHA-1 only on opt-in, never HMAC);
//! - the key is one of the pinned certificates: a certificate in KeyInfo may only choose which
//!   to try first, and is never a reason to refuse; RSA keys under 2048 bits only on opt-in;
//! - comments and processing instructions inside DigestValue or SignatureValue are rejected.
//!
//! Every parameter is read from under the one SignedInfo whose canonical bytes are verified, on
//! the same tree that is canonicalized.
//!
//! Order of work: the structure is checked first (cheap, bounded), then the SignatureValue over
//! the canonical SignedInfo, and only when it holds is the referenced element canonicalized and
//! digested: the costly step runs on authenticated input only (XML Signature Best Practices).

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, verify_signature, verify_signature_legacy_rsa};
use crate::dsig::c14n::{C14nMethod, C14nOptions, canonicalize};
use crate::error::{VerifyError, truncate};
use crate::keys::{Certificate, MIN_RSA_BITS};
use crate::trust::TrustPolicy;
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId, ParseLimits};

/// The smallest RSA key accepted with [`TrustPolicy::insecure_allow_rsa_1024`].
const MIN_LEGACY_RSA_BITS: usize = 1024;

/// How many KeyInfo certificates are looked at to order the pinned ones; the rest are ignored
/// (they could only reorder the tries).
const MAX_KEY_INFO_CERTIFICATES: usize = 4;

/// A verified signature: which element it covers, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signed element.
    pub element: NodeId,
    /// The Signature element.
    pub signature: NodeId,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The digest algorithm.
    pub digest: DigestAlgorithm,
    /// The canonicalization the digest covers (method, comments, PrefixList, the excluded
    /// Signature): what a reader needs to tell which namespace bindings are signed.
    pub reference: C14nOptions,
    /// The index in [`TrustPolicy::certificates`] of the certificate that verified it.
    pub certificate: usize,
}

/// The `ds:` child elements of `parent`, in order, each with its local name; any other element
/// child is an error.
fn ds_children<'d>(
    doc: &'d Document,
    parent: NodeId,
    element: &'static str,
) -> Result<Vec<(NodeId, &'d str)>, VerifyError> {
    check_ds_children(doc, parent, element)?;
    Ok(doc.child_elements(parent).filter_map(|id| Some((id, doc.element(id)?.local_name()))).collect())
}

/// An error for the first element child of `parent` outside the XML-DSig namespace.
fn check_ds_children(doc: &Document, parent: NodeId, element: &'static str) -> Result<(), VerifyError> {
    for id in doc.child_elements(parent) {
        let e = doc.element(id).ok_or(malformed(element, "unexpected node"))?;
        if e.namespace() != Some(ns::DSIG) {
            return Err(malformed(element, "an element outside the XML-DSig namespace inside the Signature"));
        }
    }
    Ok(())
}

fn malformed(element: &'static str, reason: &'static str) -> VerifyError {
    VerifyError::Malformed { element, reason }
}

/// Exactly the `ds:` children named `names`, in that order, then one named `optional_last` if
/// given; the ids of the `names` ones.
fn expect_children<const N: usize>(
    doc: &Document,
    parent: NodeId,
    names: [&str; N],
    optional_last: Option<&str>,
    element: &'static str,
    reason: &'static str,
) -> Result<[NodeId; N], VerifyError> {
    check_ds_children(doc, parent, element)?;
    let mut found = [parent; N];
    let mut count = 0;
    for id in doc.child_elements(parent) {
        let name = doc.element(id).map_or("", |e| e.local_name());
        let expected = match names.get(count) {
            Some(&expected) => expected == name,
            None => count == N && optional_last == Some(name),
        };
        if !expected {
            return Err(malformed(element, reason));
        }
        if let Some(slot) = found.get_mut(count) {
            *slot = id;
        }
        count += 1;
    }
    if count < N {
        return Err(malformed(element, reason));
    }
    Ok(found)
}

fn algorithm_of<'d>(doc: &'d Document, id: NodeId) -> &'d str {
    doc.element(id).and_then(|e| e.attribute(None, "Algorithm")).unwrap_or("")
}

/// The InclusiveNamespaces PrefixList under an exclusive c14n method or transform, if any;
/// other children are not allowed, nor is a list under an inclusive method, nor a list longer
/// than the policy's limit (checked before anything is done with it).
fn prefix_list(
    doc: &Document,
    method: NodeId,
    kind: C14nMethod,
    element: &'static str,
    max_prefix_list: usize,
) -> Result<Vec<String>, VerifyError> {
    let mut children = doc.child_elements(method);
    let Some(child) = children.next() else { return Ok(Vec::new()) };
    let inclusive = doc.element(child).is_some_and(|e| e.is(ns::EXC_C14N, "InclusiveNamespaces"));
    if !inclusive || children.next().is_some() || doc.child_elements(child).next().is_some() {
        return Err(malformed(element, "unexpected content in a canonicalization method"));
    }
    if kind != C14nMethod::Exclusive {
        return Err(malformed(element, "an InclusiveNamespaces PrefixList under an inclusive canonicalization"));
    }
    let list = doc.element(child).and_then(|e| e.attribute(None, "PrefixList")).unwrap_or("");
    let count = list.split_ascii_whitespace().count();
    if count > max_prefix_list {
        return Err(VerifyError::PrefixListTooLong { element, count, limit: max_prefix_list });
    }
    let mut prefixes: Vec<String> = list.split_ascii_whitespace().map(str::to_owned).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    Ok(prefixes)
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
    // Line breaks inside base64 are common.
    crate::xml::xs::base64(&doc.text_content(id))
        .map_err(|_| malformed(element, "DigestValue, SignatureValue or X509Certificate is not base64"))
}

/// The signature algorithm `uri` names, when the trust policy accepts it.
fn signature_algorithm(
    uri: &str,
    trust: &TrustPolicy,
    element: &'static str,
) -> Result<SignatureAlgorithm, VerifyError> {
    let Some(algorithm) = SignatureAlgorithm::from_uri(uri) else {
        return Err(VerifyError::AlgorithmNotAllowed { element, algorithm: truncate(uri), hint: "" });
    };
    match trust.refusal(algorithm) {
        None => Ok(algorithm),
        Some(hint) => Err(VerifyError::AlgorithmNotAllowed { element, algorithm: uri.to_owned(), hint }),
    }
}

/// The digest algorithm `uri` names, when the trust policy accepts it.
fn digest_algorithm(uri: &str, trust: &TrustPolicy, element: &'static str) -> Result<DigestAlgorithm, VerifyError> {
    match DigestAlgorithm::from_uri(uri) {
        Some(d) if trust.allows_digest(d) => Ok(d),
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
/// that does not verify or breaks a rule. `limits` gives the PrefixList limit
/// ([`ParseLimits::max_prefix_list`]).
pub fn verify_enveloped(
    doc: &Document,
    target: NodeId,
    element: &'static str,
    trust: &TrustPolicy,
    limits: &ParseLimits,
) -> Result<Option<Verified>, VerifyError> {
    let mut signatures = doc.children_named(target, ns::DSIG, "Signature");
    let Some(signature) = signatures.next() else { return Ok(None) };
    if signatures.next().is_some() {
        return Err(malformed(element, "more than one Signature"));
    }

    let parts = expect_children(
        doc,
        signature,
        ["SignedInfo", "SignatureValue"],
        Some("KeyInfo"),
        element,
        "a Signature must hold SignedInfo, SignatureValue and an optional KeyInfo, nothing else",
    )?;
    let [signed_info, signature_value] = parts;
    let info = expect_children(
        doc,
        signed_info,
        ["CanonicalizationMethod", "SignatureMethod", "Reference"],
        None,
        element,
        "SignedInfo must hold CanonicalizationMethod, SignatureMethod and exactly one Reference",
    )?;
    let [c14n_method, signature_method, reference] = info;

    let uri = algorithm_of(doc, c14n_method);
    let Some((signed_info_method, signed_info_comments)) = C14nMethod::from_uri(uri) else {
        return Err(VerifyError::AlgorithmNotAllowed {
            element,
            algorithm: truncate(uri),
            hint: " (SignedInfo takes exclusive or inclusive c14n, 1.0 or 1.1)",
        });
    };
    let signed_info_prefixes = prefix_list(doc, c14n_method, signed_info_method, element, limits.max_prefix_list)?;
    if doc.child_elements(signature_method).next().is_some() {
        return Err(malformed(element, "SignatureMethod has content (HMACOutputLength?)"));
    }
    let uri = algorithm_of(doc, signature_method);
    let algorithm = signature_algorithm(uri, trust, element)?;

    // The Reference: bound to the enclosing element.
    let reference_uri = doc.element(reference).and_then(|e| e.attribute(None, "URI")).unwrap_or("");
    let xpointer = match reference_binding(doc, target, reference_uri) {
        Some(xpointer) => xpointer,
        None => return Err(VerifyError::ReferenceUri { element, uri: truncate(reference_uri) }),
    };
    let parts = expect_children(
        doc,
        reference,
        ["Transforms", "DigestMethod", "DigestValue"],
        None,
        element,
        "Reference must hold Transforms, DigestMethod and exactly one DigestValue",
    )?;
    let [transforms, digest_method, digest_value] = parts;
    let transform_list = ds_children(doc, transforms, element)?;
    let algorithms = || transform_list.iter().map(|&(id, _)| algorithm_of(doc, id));
    let enveloped_first = algorithms().take(1).eq([ns::ENVELOPED_SIGNATURE]);
    let c14n = match transform_list.as_slice() {
        [_, (transform, _)] if enveloped_first => {
            C14nMethod::from_uri(algorithm_of(doc, *transform)).map(|m| (m, *transform))
        }
        _ => None,
    };
    let well_formed = enveloped_first
        && (transform_list.len() == 1 || c14n.is_some())
        && transform_list.iter().all(|&(_, n)| n == "Transform");
    if !well_formed {
        let names: Vec<&str> = algorithms().collect();
        return Err(VerifyError::Transform { element, algorithm: truncate(&names.join(" ")) });
    }
    if doc.child_elements(transform_list[0].0).next().is_some() {
        return Err(malformed(element, "the enveloped-signature transform has content"));
    }
    // Without a canonicalization transform the node-set is serialized with Canonical XML 1.0
    // (XML-DSig 4.3.3.2). A same-document URI removes comments; only an XPointer keeps them.
    let (reference_method, reference_comments, reference_prefixes) = match c14n {
        Some(((method, comments), transform)) => {
            (method, comments && xpointer, prefix_list(doc, transform, method, element, limits.max_prefix_list)?)
        }
        None => (C14nMethod::Inclusive, false, Vec::new()),
    };
    if doc.child_elements(digest_method).next().is_some() {
        return Err(malformed(element, "DigestMethod has content"));
    }
    let uri = algorithm_of(doc, digest_method);
    let digest = digest_algorithm(uri, trust, element)?;
    let expected_digest =
        base64_content(doc, digest_value, element, "a comment or processing instruction inside DigestValue")?;
    let signature_bytes =
        base64_content(doc, signature_value, element, "a comment or processing instruction inside SignatureValue")?;

    // The SignatureValue over the canonical SignedInfo, with the pinned certificates only; the
    // ones KeyInfo names are tried first.
    let mut canonical = Vec::with_capacity(4096);
    let options = C14nOptions {
        method: signed_info_method,
        with_comments: signed_info_comments,
        inclusive_prefixes: signed_info_prefixes,
        exclude: None,
    };
    canonicalize(doc, signed_info, &options, &mut canonical);
    let certificate = verify_with_pinned(doc, signature, element, trust, algorithm, &canonical, &signature_bytes)?;

    // Authenticated: now the digest over the enclosing element, minus the Signature.
    canonical.clear();
    let options = C14nOptions {
        method: reference_method,
        with_comments: reference_comments,
        inclusive_prefixes: reference_prefixes,
        exclude: Some(signature),
    };
    canonicalize(doc, target, &options, &mut canonical);
    if digest.digest(&canonical) != expected_digest {
        return Err(VerifyError::DigestMismatch { element });
    }
    Ok(Some(Verified { element: target, signature, algorithm, digest, reference: options, certificate }))
}

/// Whether `uri` references `target`: `Some(xpointer)` when it does (`#ID`,
/// `#xpointer(id('ID'))`, or `""` for the document element), None otherwise.
fn reference_binding(doc: &Document, target: NodeId, uri: &str) -> Option<bool> {
    if uri.is_empty() {
        return (target == doc.root()).then_some(false);
    }
    let id = doc.element(target).and_then(|e| e.attribute(None, "ID")).filter(|id| !id.is_empty())?;
    let fragment = uri.strip_prefix('#')?;
    if fragment == id {
        return Some(false);
    }
    let inner = fragment.strip_prefix("xpointer(id(")?.strip_suffix("))")?;
    let quoted = inner
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|r| r.strip_suffix('"')))?;
    (quoted == id).then_some(true)
}

/// Verifies the SignatureValue with the pinned certificates, those the KeyInfo names first;
/// returns the index of the one that verified.
fn verify_with_pinned(
    doc: &Document,
    signature: NodeId,
    element: &'static str,
    trust: &TrustPolicy,
    algorithm: SignatureAlgorithm,
    signed_info: &[u8],
    signature_bytes: &[u8],
) -> Result<usize, VerifyError> {
    let pinned_certificates = trust.certificates();
    let mut order: Vec<usize> = Vec::with_capacity(pinned_certificates.len());
    // The KeyInfo only orders the pinned certificates: with one, there is nothing to order (and
    // nothing to decode).
    let named = if pinned_certificates.len() > 1 { key_info_certificates(doc, signature) } else { Vec::new() };
    for der in named {
        let pinned = pinned_certificates.iter().position(|p| p.der() == der.as_slice()).or_else(|| {
            // A re-issued certificate with the same key selects the pinned one.
            let spki = Certificate::from_der(&der).ok()?;
            pinned_certificates.iter().position(|p| p.public_key_der() == spki.public_key_der())
        });
        if let Some(i) = pinned {
            if !order.contains(&i) {
                order.push(i);
            }
        }
    }
    for i in 0..pinned_certificates.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    let mut too_small = None;
    for i in order {
        let certificate = &pinned_certificates[i];
        let legacy = match certificate.rsa_bits() {
            Some(bits) if bits < MIN_LEGACY_RSA_BITS || (bits < MIN_RSA_BITS && !trust.allows_rsa_1024()) => {
                too_small = Some(bits);
                continue;
            }
            Some(bits) => bits < MIN_RSA_BITS,
            None => false,
        };
        let verified = if legacy {
            verify_signature_legacy_rsa(certificate, algorithm, signed_info, signature_bytes)
        } else {
            verify_signature(certificate, algorithm, signed_info, signature_bytes)
        };
        if verified {
            return Ok(i);
        }
    }
    match too_small {
        Some(bits) => Err(VerifyError::KeyTooSmall { element, bits, allowed: trust.allows_rsa_1024() }),
        None => Err(VerifyError::BadSignature { element }),
    }
}

/// Whether `signature` over `message` verifies under one of the trust policy's certificates
/// (an RSA key under 2048 bits only when the policy allows it): the query signatures of the
/// Redirect binding.
pub(crate) fn verify_with_any(
    trust: &TrustPolicy,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    trust.certificates().iter().any(|c| match c.rsa_bits() {
        Some(bits) if bits < MIN_RSA_BITS => {
            bits >= MIN_LEGACY_RSA_BITS
                && trust.allows_rsa_1024()
                && verify_signature_legacy_rsa(c, algorithm, message, signature)
        }
        _ => verify_signature(c, algorithm, message, signature),
    })
}

/// The DER of the first few `X509Certificate`s in the Signature's KeyInfo that decode as base64;
/// anything else in KeyInfo (names, key values, PEM text, chains beyond these) is ignored.
fn key_info_certificates(doc: &Document, signature: NodeId) -> Vec<Vec<u8>> {
    let Some(key_info) = doc.children_named(signature, ns::DSIG, "KeyInfo").next() else { return Vec::new() };
    doc.descendants(key_info)
        .filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::DSIG, "X509Certificate")))
        .take(MAX_KEY_INFO_CERTIFICATES)
        .filter_map(|c| base64_content(doc, c, "KeyInfo", "").ok())
        .collect()
}
