//! URIs and URLs: the checks applied to every URI and URL samlkit writes or is configured with,
//! and percent-encoding of a path segment.

use crate::error::{SettingsError, truncate};

/// Whether `value` is an absolute URI: a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`), a colon, then at
/// least one character; no whitespace or control characters anywhere. URNs (`urn:acme`) pass.
pub(crate) fn is_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An absolute `http` or `https` URL with a non-empty host and no whitespace or control
/// characters; the error names `path`.
pub(crate) fn check_url(path: &str, value: &str) -> Result<(), SettingsError> {
    let fail = |reason| Err(SettingsError::InvalidUrl { path: path.to_owned(), value: truncate(value), reason });
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value[8..]
    } else if lower.starts_with("http://") {
        &value[7..]
    } else {
        return fail("it must start with https:// or http://");
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("it contains whitespace or control characters");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if !host.ends_with(']') => {
            if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) || port.parse::<u16>().is_err() {
                return fail("its port is not a number from 0 to 65535");
            }
            h
        }
        _ => host,
    };
    if host.is_empty() {
        return fail("it has no host");
    }
    if host.chars().any(|c| matches!(c, '<' | '>' | '"' | '\\' | '^' | '`' | '{' | '|' | '}')) {
        return fail("its host contains characters a host cannot have");
    }
    Ok(())
}

/// Percent-encodes every byte outside the URI unreserved set.
pub(crate) fn percent_encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        for ok in [
            "urn:foo",
            "https://sso.heroku.com/saml/acme",
            "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified",
            "a+b-c.d:x",
        ] {
            assert!(is_uri(ok), "{ok}");
        }
        for bad in ["", "acme", ":x", "1abc:x", "urn:", "urn:a b", "ur n:x", "THE-HEROKU-ENTITY-ID", "urn:a\u{7}"] {
            assert!(!is_uri(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://sso.heroku.com/saml/acme/finalize",
            "HTTP://localhost:8080/acs?x=1#f",
            "https://user@host",
            "https://[::1]:443/x",
            "https://[::1]/x",
        ] {
            assert_eq!(check_url("k", ok), Ok(()), "{ok}");
        }
        let reason = |v: &str| match check_url("k", v) {
            Err(SettingsError::InvalidUrl { reason, .. }) => reason,
            other => panic!("{v}: {other:?}"),
        };
        assert!(reason("urn:foo").contains("https://"));
        assert!(reason("ftp://x").contains("https://"));
        assert!(reason("https://").contains("no host"));
        assert!(reason("https:///path").contains("no host"));
        assert!(reason("https://a b").contains("whitespace"));
        assert!(reason("https://host:99999/").contains("port"));
        assert!(reason("https://host:/").contains("port"));
        assert!(reason("https://ho<st/").contains("host"));
        assert!(reason("h").contains("https://"));
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode_segment("acme-co_1.~"), "acme-co_1.~");
        assert_eq!(percent_encode_segment("a/b c?é"), "a%2Fb%20c%3F%C3%A9");
    }
}
