//! Reading AuthnRequests from either binding, checking their signature when the settings ask
//! for it, and choosing the ACS URL safely.
//!
//! ```
//! use samlkit::{AuthnRequest, TrustPolicy};
//! use samlkit::binding::redirect::{MessageKind, encode};
//!
//! let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-11-28T15:00:00Z" AssertionConsumerServiceURL="https://sso.heroku.com/saml/acme/finalize"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.heroku.com/saml/acme</saml:Issuer></samlp:AuthnRequest>"#;
//! let query = encode(MessageKind::Request, xml, Some("back-to-42"), None)?;
//! let (request, relay_state) = AuthnRequest::from_redirect(&query, &TrustPolicy::default())?;
//! assert_eq!(request.id, "_r1");
//! assert_eq!(relay_state.as_deref(), Some("back-to-42"));
//! # Ok::<(), samlkit::Error>(())
//! ```

use crate::binding::receive;
use crate::binding::redirect::{MessageKind, RedirectLimits};
use crate::error::{BindingError, Error, truncate};
use crate::settings::AddonSettings;
use crate::trust::TrustPolicy;
use crate::vocabulary::{Binding, NameIdFormat};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use chrono::{DateTime, Utc};

/// `NameIDPolicy` of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameIdPolicy {
    /// `Format`.
    pub format: Option<NameIdFormat>,
    /// `AllowCreate`.
    pub allow_create: Option<bool>,
    /// `SPNameQualifier`.
    pub sp_name_qualifier: Option<String>,
}

/// `RequestedAuthnContext` of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestedAuthnContext {
    /// `Comparison` (exact, minimum, maximum, better).
    pub comparison: Option<String>,
    /// The `AuthnContextClassRef` values.
    pub class_refs: Vec<String>,
}

/// A parsed (and, when required, verified) AuthnRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthnRequest {
    /// `ID`: goes into the Response's `InResponseTo`.
    pub id: String,
    /// `Issuer`: the SP's entity ID (Auth0's default audience).
    pub issuer: Option<String>,
    /// `IssueInstant`.
    pub issue_instant: Option<DateTime<Utc>>,
    /// `Destination`.
    pub destination: Option<String>,
    /// `AssertionConsumerServiceURL`, as asked (never trusted: see [`AuthnRequest::acs_url`]).
    pub assertion_consumer_service_url: Option<String>,
    /// `AssertionConsumerServiceIndex`.
    pub assertion_consumer_service_index: Option<u16>,
    /// `ProtocolBinding`.
    pub protocol_binding: Option<Binding>,
    /// `ForceAuthn`.
    pub force_authn: bool,
    /// `IsPassive`.
    pub is_passive: bool,
    /// `NameIDPolicy`.
    pub name_id_policy: Option<NameIdPolicy>,
    /// `RequestedAuthnContext`.
    pub requested_authn_context: Option<RequestedAuthnContext>,
    /// `Subject/NameID`: who the SP expects to log in.
    pub subject_name_id: Option<String>,
    /// Whether a signature was verified (query or enveloped).
    pub signed: bool,
}

impl AuthnRequest {
    /// Reads a request from an HTTP-Redirect query string; returns it with its RelayState. When
    /// `trust` has certificates the query must carry a valid signature by one of them
    /// ([`crate::IdentityProvider::request_trust`] is the one the settings imply). Sizes are
    /// [`RedirectLimits::default`].
    pub fn from_redirect(query: &str, trust: &TrustPolicy) -> Result<(Self, Option<String>), Error> {
        Self::from_redirect_with_limits(query, trust, &RedirectLimits::default())
    }

    /// [`AuthnRequest::from_redirect`] within other size limits.
    pub fn from_redirect_with_limits(
        query: &str,
        trust: &TrustPolicy,
        limits: &RedirectLimits,
    ) -> Result<(Self, Option<String>), Error> {
        Self::received(receive::from_redirect(query, MessageKind::Request, trust, limits)?)
    }

    /// Reads a request from an HTTP-POST form: the `SAMLRequest` field (base64 XML) and the
    /// optional `RelayState` field. When `trust` has certificates the XML must carry a valid
    /// enveloped signature by one of them. Sizes are [`RedirectLimits::default`] (the inflated
    /// limit bounds the decoded XML).
    pub fn from_post(
        saml_request: &str,
        relay_state: Option<&str>,
        trust: &TrustPolicy,
    ) -> Result<(Self, Option<String>), Error> {
        Self::from_post_with_limits(saml_request, relay_state, trust, &RedirectLimits::default())
    }

    /// [`AuthnRequest::from_post`] within other size limits.
    pub fn from_post_with_limits(
        saml_request: &str,
        relay_state: Option<&str>,
        trust: &TrustPolicy,
        limits: &RedirectLimits,
    ) -> Result<(Self, Option<String>), Error> {
        let kind = MessageKind::Request;
        Self::received(receive::from_post(saml_request, relay_state, kind, "AuthnRequest", trust, limits)?)
    }

    fn received(received: receive::Received) -> Result<(Self, Option<String>), Error> {
        let mut request = read(&received.doc)?;
        request.signed = received.signed;
        Ok((request, received.relay_state))
    }

    /// Reads a request from its XML, without any signature check.
    pub fn from_xml(xml: &str, max_bytes: usize) -> Result<Self, Error> {
        read(&receive::parse(xml, max_bytes)?)
    }

    /// The ACS URL to answer to: the one the request asks for only when it is the settings'
    /// `recipient` or in `allowed`; the settings' `recipient` when the request names none (or
    /// names an index). Never an arbitrary URL from the request.
    pub fn acs_url(&self, settings: &AddonSettings, allowed: &[&str]) -> Result<String, Error> {
        let configured = settings.recipient.as_deref();
        match self.assertion_consumer_service_url.as_deref() {
            Some(asked) if Some(asked) == configured || allowed.contains(&asked) => Ok(asked.to_owned()),
            Some(asked) => Err(BindingError::AcsNotAllowed { url: truncate(asked) }.into()),
            None => configured.map(str::to_owned).ok_or_else(|| {
                crate::error::UsageError::Missing {
                    what: "recipient (the SP's ACS URL)",
                    how: "set `recipient` in the settings: the request names no ACS URL",
                }
                .into()
            }),
        }
    }
}

fn attr(doc: &Document, id: NodeId, name: &str) -> Option<String> {
    doc.element(id).and_then(|e| e.attribute(None, name)).map(str::to_owned)
}

fn boolean(doc: &Document, id: NodeId, name: &'static str) -> Result<Option<bool>, BindingError> {
    let Some(text) = attr(doc, id, name) else { return Ok(None) };
    crate::xml::xs::boolean(&text).map(Some).ok_or_else(|| BindingError::Malformed {
        element: "samlp:AuthnRequest",
        problem: format!("{name} is `{}`, not a boolean", truncate(&text)),
    })
}

fn read(doc: &Document) -> Result<AuthnRequest, Error> {
    let root = doc.root();
    let el = doc
        .element(root)
        .ok_or(BindingError::UnexpectedMessage { expected: "samlp:AuthnRequest", found: String::new() })?;
    if !el.is(ns::SAMLP, "AuthnRequest") {
        return Err(
            BindingError::UnexpectedMessage { expected: "samlp:AuthnRequest", found: truncate(el.qname()) }.into()
        );
    }
    let malformed =
        |problem: &str| BindingError::Malformed { element: "samlp:AuthnRequest", problem: problem.to_owned() };
    let id = attr(doc, root, "ID").filter(|id| !id.is_empty()).ok_or_else(|| malformed("ID is missing"))?;
    if attr(doc, root, "Version").as_deref() != Some("2.0") {
        return Err(malformed("Version is not 2.0").into());
    }
    let issue_instant = match attr(doc, root, "IssueInstant") {
        None => None,
        Some(t) => Some(crate::xml::xs::date_time(&t).ok_or_else(|| malformed("IssueInstant is not a time"))?),
    };
    let index = match attr(doc, root, "AssertionConsumerServiceIndex") {
        None => None,
        Some(i) => {
            Some(i.trim().parse::<u16>().map_err(|_| malformed("AssertionConsumerServiceIndex is not a number"))?)
        }
    };
    let first = |parent: NodeId, namespace: &str, local: &str| doc.children_named(parent, namespace, local).next();
    let name_id_policy = first(root, ns::SAMLP, "NameIDPolicy").map(|p| -> Result<NameIdPolicy, BindingError> {
        Ok(NameIdPolicy {
            format: attr(doc, p, "Format").map(|f| NameIdFormat::from_uri(f.trim())),
            allow_create: boolean(doc, p, "AllowCreate")?,
            sp_name_qualifier: attr(doc, p, "SPNameQualifier"),
        })
    });
    let requested = first(root, ns::SAMLP, "RequestedAuthnContext").map(|r| RequestedAuthnContext {
        comparison: attr(doc, r, "Comparison"),
        class_refs: doc
            .children_named(r, ns::SAML, "AuthnContextClassRef")
            .map(|c| doc.text_content(c).trim().to_owned())
            .collect(),
    });
    let subject_name_id = first(root, ns::SAML, "Subject")
        .and_then(|s| first(s, ns::SAML, "NameID"))
        .map(|n| doc.text_content(n).into_owned());
    Ok(AuthnRequest {
        id,
        issuer: first(root, ns::SAML, "Issuer").map(|i| doc.text_content(i).trim().to_owned()),
        issue_instant,
        destination: attr(doc, root, "Destination"),
        assertion_consumer_service_url: attr(doc, root, "AssertionConsumerServiceURL"),
        assertion_consumer_service_index: index,
        protocol_binding: attr(doc, root, "ProtocolBinding").map(|b| Binding::from_uri(b.trim())),
        force_authn: boolean(doc, root, "ForceAuthn")?.unwrap_or(false),
        is_passive: boolean(doc, root, "IsPassive")?.unwrap_or(false),
        name_id_policy: name_id_policy.transpose()?,
        requested_authn_context: requested,
        subject_name_id,
        signed: false,
    })
}
