//! What the validator is given: XML, or base64 of it, described when it is neither.

use crate::error::{Error, VerifyError};
use base64::Engine as _;

/// Strict base64 (whitespace allowed between characters, as form posts wrap lines), bounded;
/// input that is not base64 is described for what it looks like.
pub(super) fn decode_base64(text: &str, max_bytes: usize) -> Result<Vec<u8>, Error> {
    if text.len() > max_bytes.saturating_mul(4) / 3 + 1024 {
        return Err(crate::error::XmlError::TooLarge { size: text.len() * 3 / 4, limit: max_bytes }.into());
    }
    if text.is_empty() {
        return Err(not_saml("it is empty".into()));
    }
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if let Some(i) = compact.iter().position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))) {
        let reason = if text.starts_with("SAMLResponse=") || compact[i] == b'%' {
            "it looks URL-encoded (a form body?): URL-decode the SAMLResponse parameter first".to_owned()
        } else if text.starts_with('{') || text.starts_with('[') {
            "it looks like JSON, not XML or base64".to_owned()
        } else {
            let c =
                text.chars().find(|c| !(c.is_ascii_whitespace() || c.is_ascii_alphanumeric() || "+/=".contains(*c)));
            format!("it does not start with `<` (not XML) and holds {} (not base64)", describe_char(c.unwrap_or('?')))
        };
        return Err(not_saml(reason));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| not_saml(format!("it is not valid base64 ({e})")))?;
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let body = &bytes[start..];
    if !(body.starts_with(b"<") || body.starts_with(b"\xEF\xBB\xBF")) {
        return Err(not_saml("it is base64, but what it decodes to is not XML".into()));
    }
    Ok(body.to_vec())
}

pub(super) fn not_saml(reason: String) -> Error {
    VerifyError::NotXmlOrBase64 { reason }.into()
}

pub(super) fn describe_char(c: char) -> String {
    if c.is_ascii_graphic() { format!("`{c}`") } else { format!("U+{:04X}", u32::from(c)) }
}

/// Bytes that are not UTF-8 and do not start with `<`.
pub(super) fn describe_non_text(bytes: &[u8], at: usize) -> String {
    format!(
        "it does not start with `<` (not XML) and byte 0x{:02X} at {at} is not UTF-8 (not base64)",
        bytes.get(at).copied().unwrap_or(0)
    )
}
