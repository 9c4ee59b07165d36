//! Receiving a signed SAML message from either binding: decode, parse once, verify the query
//! signature (Redirect) or the enveloped signature (POST) when certificates are configured.

use super::redirect::{self, MessageKind, RedirectLimits};
use crate::dsig::verify::verify_enveloped;
use crate::error::{BindingError, Error};
use crate::keys::Certificate;
use crate::settings::AddonSettings;
use crate::trust::TrustPolicy;
use crate::xml::parse::{Document, ParseLimits};

/// What is required of incoming messages (AuthnRequest, LogoutRequest, LogoutResponse).
#[derive(Debug, Clone, Default)]
pub struct MessagePolicy {
    /// Whose signatures are accepted: the peer's signing certificate(s) (`signingCert` in the
    /// settings) and the algorithms. With certificates, messages must be signed by one of them:
    /// an enveloped signature for HTTP-POST, a query signature for HTTP-Redirect; without,
    /// signatures are not checked.
    pub trust: TrustPolicy,
    /// Size limits (encoded size, inflated or decoded XML size, RelayState length).
    pub limits: RedirectLimits,
}

impl MessagePolicy {
    /// The policy the settings imply: `signingCert` (a PEM certificate, its base64 body, or a
    /// PEM public key) required when set.
    pub fn from_settings(settings: &AddonSettings) -> Result<Self, Error> {
        let mut policy = Self::default();
        if let Some(pem) = &settings.signing_cert {
            policy.trust = policy.trust.with_certificate(Certificate::from_signing_cert_setting(pem)?);
        }
        Ok(policy)
    }
}

/// A received message: the parsed document, its RelayState, and whether a signature verified.
pub(crate) struct Received {
    pub(crate) doc: Document,
    pub(crate) relay_state: Option<String>,
    pub(crate) signed: bool,
}

pub(crate) fn parse(xml: &str, max_bytes: usize) -> Result<Document, Error> {
    Ok(Document::parse(xml, &ParseLimits { max_bytes, ..ParseLimits::default() })?)
}

/// From an HTTP-Redirect query string.
pub(crate) fn from_redirect(query: &str, kind: MessageKind, policy: &MessagePolicy) -> Result<Received, Error> {
    let message = redirect::decode(query, kind, &policy.trust, &policy.limits)?;
    let doc = parse(&message.xml, policy.limits.max_inflated)?;
    Ok(Received { doc, relay_state: message.relay_state, signed: message.signed_with.is_some() })
}

/// From HTTP-POST form fields. `element` names the message in errors.
pub(crate) fn from_post(
    message: &str,
    relay_state: Option<&str>,
    kind: MessageKind,
    element: &'static str,
    policy: &MessagePolicy,
) -> Result<Received, Error> {
    let parameter = kind.parameter();
    let limit = policy.limits.max_inflated;
    if message.len() > limit.saturating_mul(4) / 3 + 1024 {
        return Err(BindingError::TooLarge { parameter, limit }.into());
    }
    if let Some(rs) = relay_state {
        if rs.len() > policy.limits.max_relay_state {
            return Err(
                BindingError::RelayStateTooLong { length: rs.len(), limit: policy.limits.max_relay_state }.into()
            );
        }
    }
    let bytes = crate::xml::xs::base64(message).map_err(|_| BindingError::Base64 { parameter })?;
    let xml = String::from_utf8(bytes).map_err(|_| BindingError::NotUtf8 { parameter })?;
    let doc = parse(&xml, limit)?;
    let mut signed = false;
    if !policy.trust.certificates().is_empty() {
        let limits = ParseLimits { max_bytes: limit, ..ParseLimits::default() };
        match verify_enveloped(&doc, doc.root(), element, &policy.trust, &limits)? {
            Some(_) => signed = true,
            None => {
                let message = match kind {
                    MessageKind::Request => "request",
                    MessageKind::Response => "response",
                };
                return Err(BindingError::Unsigned { message }.into());
            }
        }
    }
    Ok(Received { doc, relay_state: relay_state.map(str::to_owned), signed })
}
