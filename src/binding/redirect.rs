//! The HTTP-Redirect binding (SAML bindings 3.4): raw DEFLATE, base64, URL-encoding, and the
//! query-string signature over the exact bytes sent.

use super::query;
use crate::crypto::{SignatureAlgorithm, SigningKey};
use crate::error::{BindingError, Error, truncate};
use crate::trust::TrustPolicy;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read as _, Write as _};

/// Which message a query carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `SAMLRequest` (AuthnRequest, LogoutRequest).
    Request,
    /// `SAMLResponse` (LogoutResponse; Responses never travel by Redirect in Web SSO).
    Response,
}

impl MessageKind {
    /// The query parameter name.
    pub fn parameter(self) -> &'static str {
        match self {
            Self::Request => "SAMLRequest",
            Self::Response => "SAMLResponse",
        }
    }
}

/// Limits for decoding untrusted Redirect queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectLimits {
    /// Largest encoded message parameter accepted, in bytes (default 64 KiB).
    pub max_encoded: usize,
    /// Largest inflated XML accepted, in bytes (default 256 KiB): stops DEFLATE bombs.
    pub max_inflated: usize,
    /// Longest RelayState accepted, in bytes (default 80, the SAML limit).
    pub max_relay_state: usize,
}

impl Default for RedirectLimits {
    fn default() -> Self {
        Self { max_encoded: 64 * 1024, max_inflated: 256 * 1024, max_relay_state: 80 }
    }
}

/// Builds the query string for `xml` (without the leading `?`), signed with `key` when given:
/// `SAMLRequest=…&RelayState=…&SigAlg=…&Signature=…`.
pub fn encode(
    kind: MessageKind,
    xml: &str,
    relay_state: Option<&str>,
    signature: Option<(&dyn SigningKey, SignatureAlgorithm)>,
) -> Result<String, Error> {
    let mut deflater = DeflateEncoder::new(Vec::with_capacity(xml.len() / 2), Compression::default());
    deflater
        .write_all(xml.as_bytes())
        .and_then(|()| deflater.flush())
        .map_err(|_| BindingError::Inflate { parameter: kind.parameter() })?;
    let compressed = deflater.finish().map_err(|_| BindingError::Inflate { parameter: kind.parameter() })?;
    let mut out = String::with_capacity(compressed.len() * 2 + 512);
    out.push_str(kind.parameter());
    out.push('=');
    query::encode(&STANDARD.encode(compressed), &mut out);
    if let Some(relay_state) = relay_state {
        out.push_str("&RelayState=");
        query::encode(relay_state, &mut out);
    }
    if let Some((key, algorithm)) = signature {
        out.push_str("&SigAlg=");
        query::encode(algorithm.uri(), &mut out);
        let value = crate::crypto::sign_checked(key, algorithm, out.as_bytes())?;
        out.push_str("&Signature=");
        query::encode(&STANDARD.encode(value), &mut out);
    }
    Ok(out)
}

/// A decoded Redirect query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectMessage {
    /// The message XML (inflated).
    pub xml: String,
    /// `RelayState`, decoded.
    pub relay_state: Option<String>,
    /// The signature algorithm, when the query was signed (and verified).
    pub signed_with: Option<SignatureAlgorithm>,
}

/// Decodes a Redirect query string as received (with or without the leading `?`). When the
/// policy has certificates, the query must be signed and the signature is checked over the
/// parameters exactly as they were received, never re-encoded.
pub fn decode(
    query_string: &str,
    kind: MessageKind,
    policy: &TrustPolicy,
    limits: &RedirectLimits,
) -> Result<RedirectMessage, Error> {
    let parameter = kind.parameter();
    let (mut message, mut relay_state, mut sig_alg, mut signature) = (None, None, None, None);
    for (name, raw) in query::pairs(query_string) {
        let slot = match name {
            n if n == parameter => &mut message,
            "RelayState" => &mut relay_state,
            "SigAlg" => &mut sig_alg,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(raw).is_some() {
            let parameter = match name {
                "RelayState" => "RelayState",
                "SigAlg" => "SigAlg",
                "Signature" => "Signature",
                _ => parameter,
            };
            return Err(BindingError::Duplicate { parameter }.into());
        }
    }
    let raw_message = message.ok_or(BindingError::Missing { parameter })?;
    if raw_message.len() > limits.max_encoded {
        return Err(BindingError::TooLarge { parameter, limit: limits.max_encoded }.into());
    }
    if signature.is_some() && sig_alg.is_none() {
        return Err(BindingError::SignatureWithoutSigAlg.into());
    }

    let raw_relay_state = relay_state;
    let relay_state = match raw_relay_state {
        None => None,
        Some(raw) => {
            let bytes = query::decode(raw, "RelayState")?;
            if bytes.len() > limits.max_relay_state {
                return Err(
                    BindingError::RelayStateTooLong { length: bytes.len(), limit: limits.max_relay_state }.into()
                );
            }
            Some(String::from_utf8(bytes).map_err(|_| BindingError::NotUtf8 { parameter: "RelayState" })?)
        }
    };

    let signed_with = match (signature, sig_alg) {
        (Some(raw_signature), Some(raw_alg)) if !policy.certificates().is_empty() => {
            let alg_uri = String::from_utf8(query::decode(raw_alg, "SigAlg")?).unwrap_or_default();
            let algorithm = match SignatureAlgorithm::from_uri(&alg_uri) {
                Some(a) => match policy.refusal(a) {
                    None => a,
                    Some(hint) => return Err(BindingError::AlgorithmNotAllowed { algorithm: alg_uri, hint }.into()),
                },
                None => {
                    return Err(BindingError::AlgorithmNotAllowed { algorithm: truncate(&alg_uri), hint: "" }.into());
                }
            };
            let value = base64_value(raw_signature, "Signature")?;
            // The signed octets: the parameters in the spec's order, as received.
            let mut signed = format!("{parameter}={raw_message}");
            if let Some(raw) = raw_relay_state {
                signed.push_str("&RelayState=");
                signed.push_str(raw);
            }
            signed.push_str("&SigAlg=");
            signed.push_str(raw_alg);
            if !crate::dsig::verify::verify_with_any(policy, algorithm, signed.as_bytes(), &value) {
                return Err(BindingError::BadSignature { message: message_name(kind) }.into());
            }
            Some(algorithm)
        }
        (None, _) if !policy.certificates().is_empty() => {
            return Err(BindingError::Unsigned { message: message_name(kind) }.into());
        }
        _ => None,
    };

    let compressed = base64_value(raw_message, parameter)?;
    let xml = inflate(&compressed, parameter, limits.max_inflated)?;
    Ok(RedirectMessage { xml, relay_state, signed_with })
}

fn message_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Request => "request",
        MessageKind::Response => "response",
    }
}

/// A URL-encoded base64 value, strictly decoded (padding required, no stray characters; a
/// space from an unescaped `+` is read back as `+`).
fn base64_value(raw: &str, parameter: &'static str) -> Result<Vec<u8>, BindingError> {
    let decoded = query::decode(raw, parameter)?;
    let text: Vec<u8> = decoded.into_iter().map(|b| if b == b' ' { b'+' } else { b }).collect();
    STANDARD.decode(&text).map_err(|_| BindingError::Base64 { parameter })
}

/// Inflates raw DEFLATE data, stopping at `limit` bytes of output.
pub(crate) fn inflate(compressed: &[u8], parameter: &'static str, limit: usize) -> Result<String, BindingError> {
    let mut out = Vec::with_capacity(compressed.len().saturating_mul(4).min(limit));
    let read = DeflateDecoder::new(compressed)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| BindingError::Inflate { parameter })?;
    if read > limit {
        return Err(BindingError::TooLarge { parameter, limit });
    }
    String::from_utf8(out).map_err(|_| BindingError::NotUtf8 { parameter })
}
