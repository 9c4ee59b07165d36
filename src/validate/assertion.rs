//! What a verified assertion says, read from the verified subtree only.

use crate::crypto::SignatureAlgorithm;
use crate::dsig::c14n::{C14nOptions, binding_rendered};
use crate::encryption::ContentAlgorithm;
use crate::error::{Failure, truncate};
use crate::vocabulary::{NameFormat, NameIdFormat};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use crate::xml::tree::PrefixId;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A verified, validated assertion: everything here was read from signed content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct VerifiedAssertion {
    /// The Response's `ID`.
    pub response_id: String,
    /// The Assertion's `ID`.
    pub assertion_id: String,
    /// Which elements carried a verified signature.
    pub signed: Signed,
    /// The signature algorithm of the Assertion's signature, else the Response's.
    pub signature_algorithm: SignatureAlgorithm,
    /// When the pinned certificate that verified that signature expires (its `notAfter`), so a
    /// test suite can warn before an IdP certificate runs out.
    pub certificate_not_after: DateTime<Utc>,
    /// The Assertion's Issuer.
    pub issuer: String,
    /// `InResponseTo` of the SubjectConfirmationData, when present.
    pub in_response_to: Option<String>,
    /// The subject.
    pub name_id: ReceivedNameId,
    /// `AuthnStatement/@SessionIndex`.
    pub session_index: Option<String>,
    /// `AuthnStatement/@AuthnInstant`.
    pub authn_instant: Option<DateTime<Utc>>,
    /// `AuthnStatement/@SessionNotOnOrAfter`.
    pub session_not_on_or_after: Option<DateTime<Utc>>,
    /// `AuthnContextClassRef`.
    pub authn_context_class_ref: Option<String>,
    /// The Conditions.
    pub conditions: ReceivedConditions,
    /// The attributes, in document order.
    pub attributes: Vec<ReceivedAttribute>,
    /// The content algorithm (`aes256-gcm`, …) when the assertion came encrypted.
    pub encryption: Option<ContentAlgorithm>,
}

/// Which elements of a response carried a verified signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Signed {
    /// The Response.
    pub response: bool,
    /// The Assertion (the decrypted one, for an encrypted assertion).
    pub assertion: bool,
}

impl VerifiedAssertion {
    /// The first attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&ReceivedAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// The `saml:NameID` of a verified assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedNameId {
    /// The text: the concatenation of all its text nodes.
    pub value: String,
    /// `Format`.
    pub format: Option<NameIdFormat>,
    /// `NameQualifier`.
    pub name_qualifier: Option<String>,
    /// `SPNameQualifier`.
    pub sp_name_qualifier: Option<String>,
}

/// The `saml:Conditions` of a verified assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ReceivedConditions {
    /// `NotBefore`.
    pub not_before: Option<DateTime<Utc>>,
    /// `NotOnOrAfter`.
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// Every `Audience`, in order.
    pub audiences: Vec<String>,
}

/// A `saml:Attribute` of a verified assertion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceivedAttribute {
    /// `Name`.
    pub name: String,
    /// `NameFormat`.
    pub name_format: Option<NameFormat>,
    /// `FriendlyName`.
    pub friendly_name: Option<String>,
    /// The values, typed by `xsi:type`.
    pub values: Vec<TypedValue>,
}

impl ReceivedAttribute {
    /// The values as text (nil as empty).
    pub fn texts(&self) -> Vec<String> {
        self.values.iter().map(TypedValue::text).collect()
    }
}

/// An attribute value, typed by its `xsi:type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum TypedValue {
    /// `xs:string`, `xs:anyType` or no type.
    String(String),
    /// `xs:boolean`.
    Boolean(bool),
    /// `xs:double`, `xs:float`, `xs:decimal` and the integer types.
    Number(f64),
    /// `xsi:nil="true"`.
    Nil,
    /// Any other type, kept as text with the type's expanded name (`{namespace}local`).
    Other {
        /// The expanded type name.
        xsi_type: String,
        /// The text.
        text: String,
    },
    /// An `xsi:type` whose prefix is bound by a namespace declaration that the signature does
    /// not cover (exclusive c14n renders a declaration only where its prefix is used in an
    /// element or attribute name, or listed in the PrefixList; `xs` in `xsi:type="xs:string"`
    /// is neither). The text is signed; the type is not, so it is not interpreted.
    UnverifiedType {
        /// The `xsi:type` value as written (`xs:string`).
        unverified_xsi_type: String,
        /// The text.
        text: String,
    },
}

impl TypedValue {
    /// The value as text.
    pub fn text(&self) -> String {
        match self {
            Self::String(s) | Self::Other { text: s, .. } | Self::UnverifiedType { text: s, .. } => s.clone(),
            Self::Boolean(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
            Self::Nil => String::new(),
        }
    }
}

/// The one child `ns:local` of `parent`, None when absent; two is a failure.
pub(crate) fn one_child(
    doc: &Document,
    parent: NodeId,
    namespace: &str,
    local: &'static str,
    failures: &mut Vec<Failure>,
) -> Option<NodeId> {
    let mut it = doc.children_named(parent, namespace, local);
    let first = it.next();
    if it.next().is_some() {
        failures.push(Failure::Malformed { what: format!("more than one <{local}> in one element") });
    }
    first
}

pub(crate) fn attr<'d>(doc: &'d Document, id: NodeId, name: &str) -> Option<&'d str> {
    doc.element(id).and_then(|e| e.attribute(None, name))
}

/// An xs:dateTime attribute (with a time zone, as SAML requires).
pub(crate) fn time_attr(
    doc: &Document,
    id: NodeId,
    element: &'static str,
    attribute: &'static str,
    failures: &mut Vec<Failure>,
) -> Option<DateTime<Utc>> {
    let text = attr(doc, id, attribute)?;
    match crate::xml::xs::date_time(text) {
        Some(t) => Some(t),
        None => {
            failures.push(Failure::BadTime { element, attribute, found: truncate(text) });
            None
        }
    }
}

/// The text of an identity element, refusing comments and processing instructions inside it
/// when `reject_comments` (the text is the concatenation of every text node either way).
pub(crate) fn identity_text(
    doc: &Document,
    id: NodeId,
    element: &'static str,
    reject_comments: bool,
    failures: &mut Vec<Failure>,
) -> String {
    if reject_comments && doc.has_comment_or_pi(id) {
        failures.push(Failure::CommentInIdentity { element });
    }
    doc.text_content(id).into_owned()
}

/// Which namespace bindings the signature that covers the Assertion signs.
pub(crate) enum SignedBindings<'a> {
    /// Those the canonical form of `apex` (the signed element) carries.
    Canonical {
        /// The signed element.
        apex: NodeId,
        /// Its Reference's canonicalization.
        options: &'a C14nOptions,
    },
    /// Those declared at or below `apex`: a decrypted Assertion whose ciphertext the Response
    /// signature covers (what the plaintext declares is signed; what it inherits is not).
    Within {
        /// The decrypted Assertion.
        apex: NodeId,
    },
}

impl SignedBindings<'_> {
    /// Whether the binding of `prefix` in scope at `at` is signed.
    fn covers(&self, doc: &Document, at: NodeId, prefix: PrefixId) -> bool {
        match *self {
            SignedBindings::Canonical { apex, options } => binding_rendered(doc, apex, at, prefix, options),
            SignedBindings::Within { apex } => {
                let mut node = Some(at);
                while let Some(id) = node {
                    if doc
                        .element(id)
                        .is_some_and(|e| e.namespace_declarations().iter().any(|d| d.prefix_id() == prefix))
                    {
                        return true;
                    }
                    if id == apex {
                        return false;
                    }
                    node = doc.parent(id);
                }
                false
            }
        }
    }
}

/// Resolves a QName's prefix at `id` through the in-scope declarations: the prefix's number
/// (None: undeclared), its namespace (None: no namespace) and the local part.
fn resolve<'d>(doc: &'d Document, id: NodeId, qname: &'d str) -> (Option<PrefixId>, Option<&'d str>, &'d str) {
    let (prefix, local) = match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    };
    let prefix_id = doc.prefix_id(prefix);
    if prefix == Some("xml") {
        return (prefix_id, Some(ns::XML), local);
    }
    let mut at = Some(id);
    while let Some(node) = at {
        if let Some(e) = doc.element(node) {
            if let Some(d) = e.namespace_declarations().iter().find(|d| d.prefix() == prefix) {
                let uri = d.uri();
                return (prefix_id, (!uri.is_empty()).then_some(uri), local);
            }
        }
        at = doc.parent(node);
    }
    (prefix_id, None, local)
}

/// Reads the attributes of every AttributeStatement of `assertion`.
pub(crate) fn read_attributes(
    doc: &Document,
    assertion: NodeId,
    bindings: &SignedBindings<'_>,
    reject_comments: bool,
    failures: &mut Vec<Failure>,
) -> Vec<ReceivedAttribute> {
    let mut out = Vec::new();
    for statement in doc.children_named(assertion, ns::SAML, "AttributeStatement") {
        for attribute in doc.children_named(statement, ns::SAML, "Attribute") {
            let values = doc
                .children_named(attribute, ns::SAML, "AttributeValue")
                .map(|v| read_value(doc, v, bindings, reject_comments, failures))
                .collect();
            out.push(ReceivedAttribute {
                name: attr(doc, attribute, "Name").unwrap_or_default().to_owned(),
                name_format: doc
                    .element(attribute)
                    .and_then(|e| e.attribute(None, "NameFormat"))
                    .map(|f| NameFormat::from_uri(f.trim())),
                friendly_name: attr(doc, attribute, "FriendlyName").map(str::to_owned),
                values,
            });
        }
    }
    out
}

fn read_value(
    doc: &Document,
    value: NodeId,
    bindings: &SignedBindings<'_>,
    reject_comments: bool,
    failures: &mut Vec<Failure>,
) -> TypedValue {
    let text = identity_text(doc, value, "saml:AttributeValue", reject_comments, failures);
    let e = doc.element(value);
    if e.and_then(|e| e.attribute(Some(ns::XSI), "nil")).is_some_and(|n| n.trim() == "true" || n.trim() == "1") {
        return TypedValue::Nil;
    }
    let Some(qname) = e.and_then(|e| e.attribute(Some(ns::XSI), "type")) else {
        return TypedValue::String(text);
    };
    let (prefix_id, namespace, local) = resolve(doc, value, qname.trim());
    // Undeclared (no binding to trust either way) or bound by unsigned bytes: not interpreted.
    if !prefix_id.is_some_and(|p| bindings.covers(doc, value, p)) && namespace.is_some() {
        return TypedValue::UnverifiedType { unverified_xsi_type: truncate(qname.trim()), text };
    }
    if namespace != Some(ns::XS) {
        return TypedValue::Other { xsi_type: format!("{{{}}}{local}", namespace.unwrap_or_default()), text };
    }
    let malformed = |failures: &mut Vec<Failure>, kind: &str| {
        failures.push(Failure::Malformed { what: format!("AttributeValue `{}` is not an xs:{kind}", truncate(&text)) });
    };
    match local {
        "string" | "anyType" | "anyURI" | "normalizedString" | "token" => TypedValue::String(text),
        "boolean" => match crate::xml::xs::boolean(&text) {
            Some(b) => TypedValue::Boolean(b),
            None => {
                malformed(failures, "boolean");
                TypedValue::String(text)
            }
        },
        "double" | "float" | "decimal" | "integer" | "int" | "long" | "short" | "byte" | "nonNegativeInteger"
        | "positiveInteger" | "unsignedInt" | "unsignedLong" => match text.trim() {
            "INF" => TypedValue::Number(f64::INFINITY),
            "-INF" => TypedValue::Number(f64::NEG_INFINITY),
            "NaN" => TypedValue::Other { xsi_type: format!("{{{}}}{local}", ns::XS), text },
            t => match t.parse::<f64>() {
                Ok(n) if t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) => {
                    TypedValue::Number(n)
                }
                _ => {
                    malformed(failures, local);
                    TypedValue::String(text)
                }
            },
        },
        _ => TypedValue::Other { xsi_type: format!("{{{}}}{local}", ns::XS), text },
    }
}
