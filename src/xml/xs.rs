//! The XML Schema datatypes SAML content uses, read one way everywhere: `xs:boolean`,
//! `xs:dateTime` (with a time zone, as SAML requires), whitespace-tolerant
//! `xs:base64Binary`, and the collapsed whitespace of `xs:anyURI`.

use std::borrow::Cow;

use base64::Engine as _;
use chrono::{DateTime, Utc};

/// An `xs:boolean` (`true`, `false`, `1`, `0`; surrounding whitespace collapsed away).
pub(crate) fn boolean(text: &str) -> Option<bool> {
    match text.trim_matches(|c: char| c.is_ascii_whitespace()) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// An `xs:dateTime` with a time zone (SAML core 1.3.3: times carry one, normally `Z`), as UTC.
pub(crate) fn date_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim_matches(|c: char| c.is_ascii_whitespace())).ok().map(|t| t.to_utc())
}

/// An `xs:base64Binary`: standard base64, whitespace (line breaks) anywhere ignored. Text with
/// no whitespace is decoded without a copy.
pub(crate) fn base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let engine = base64::engine::general_purpose::STANDARD;
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        engine.decode(compact)
    } else {
        engine.decode(text.as_bytes())
    }
}

/// The value of an xs:anyURI (or other collapsed-whitespace) field: leading and trailing
/// whitespace removed, inner runs turned into one space (XML Schema 1.0 part 2, 4.3.6).
pub(crate) fn collapse(value: &str) -> Cow<'_, str> {
    // Already collapsed (as nearly every value is): the value itself.
    let collapsed = !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && !value.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if collapsed {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for word in value.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_forms() {
        assert_eq!(boolean(" true\n"), Some(true));
        assert_eq!(boolean("0"), Some(false));
        assert_eq!(boolean("TRUE"), None);
        assert_eq!(boolean("yes"), None);
        assert_eq!(date_time(" 2026-11-28T15:21:01.288Z ").unwrap().to_rfc3339(), "2026-11-28T15:21:01.288+00:00");
        assert_eq!(date_time("2026-11-28T16:21:01+01:00").unwrap().to_rfc3339(), "2026-11-28T15:21:01+00:00");
        assert_eq!(date_time("2026-11-28T15:21:01"), None);
        assert_eq!(base64("aGVs\r\nbG8=").unwrap(), b"hello");
        assert_eq!(base64("aGVsbG8=").unwrap(), b"hello");
        assert!(base64("aGVsbG8").is_err());
        assert_eq!(collapse("\n  https://sp.example/acs \t"), "https://sp.example/acs");
        assert_eq!(collapse(" a \r\n b  c "), "a b c");
        // Collapsed already: borrowed; any other whitespace, or a run, or an end: copied.
        assert!(matches!(collapse("a b c"), Cow::Borrowed("a b c")));
        assert!(matches!(collapse(""), Cow::Borrowed("")));
        for changed in ["a  b", " a", "a ", "a\tb", "a\nb", "a\u{c}b"] {
            assert!(matches!(collapse(changed), Cow::Owned(_)), "{changed:?}");
        }
    }
}
