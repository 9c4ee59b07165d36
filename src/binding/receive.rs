//! Receiving a signed SAML message from either binding: decode, parse once, verify the query
//! signature (Redirect) or the enveloped signature (POST) when the trust policy has
//! certificates, within size limits.

use super::redirect::{self, MessageKind, RedirectLimits};
use crate::dsig::verify::verify_enveloped;
use crate::error::{BindingError, Error};
use crate::trust::TrustPolicy;
use crate::xml::parse::{Document, ParseLimits};

/// A received message: the parsed document, its RelayState, and whether a signature verified.
pub(crate) struct Received {
    pub(crate) doc: Document<'static>,
    pub(crate) relay_state: Option<String>,
    pub(crate) signed: bool,
}

pub(crate) fn parse(xml: &str, max_bytes: usize) -> Result<Document<'_>, Error> {
    Ok(Document::parse(xml, &ParseLimits { max_bytes, ..ParseLimits::default() })?)
}

fn parse_owned(xml: String, max_bytes: usize) -> Result<Document<'static>, Error> {
    Ok(Document::parse_owned(xml, &ParseLimits { max_bytes, ..ParseLimits::default() })?)
}

/// From an HTTP-Redirect query string.
pub(crate) fn from_redirect(
    query: &str,
    kind: MessageKind,
    trust: &TrustPolicy,
    limits: &RedirectLimits,
) -> Result<Received, Error> {
    let message = redirect::decode(query, kind, trust, limits)?;
    let doc = parse_owned(message.xml, limits.max_inflated)?;
    Ok(Received { doc, relay_state: message.relay_state, signed: message.signed_with.is_some() })
}

/// From HTTP-POST form fields. `element` names the message in errors.
pub(crate) fn from_post(
    message: &str,
    relay_state: Option<&str>,
    kind: MessageKind,
    element: &'static str,
    trust: &TrustPolicy,
    limits: &RedirectLimits,
) -> Result<Received, Error> {
    let parameter = kind.parameter();
    let limit = limits.max_inflated;
    if message.len() > limit.saturating_mul(4) / 3 + 1024 {
        return Err(BindingError::TooLarge { parameter, limit }.into());
    }
    if let Some(rs) = relay_state {
        if rs.len() > limits.max_relay_state {
            return Err(BindingError::RelayStateTooLong { length: rs.len(), limit: limits.max_relay_state }.into());
        }
    }
    let bytes = crate::xml::xs::base64(message).map_err(|_| BindingError::Base64 { parameter })?;
    let xml = String::from_utf8(bytes).map_err(|_| BindingError::NotUtf8 { parameter })?;
    let doc = parse_owned(xml, limit)?;
    let mut signed = false;
    if !trust.certificates().is_empty() {
        let limits = ParseLimits { max_bytes: limit, ..ParseLimits::default() };
        match verify_enveloped(&doc, doc.root(), element, trust, &limits)? {
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
