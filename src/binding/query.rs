//! Percent-encoding for query strings (RFC 3986 unreserved characters kept; everything else
//! escaped), and decoding of `application/x-www-form-urlencoded` values.

use crate::error::{BindingError, truncate};

/// Percent-encodes every byte outside `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn encode(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
}

/// Decodes a form-encoded value: `%XX` escapes and `+` as a space.
pub(crate) fn decode(raw: &str, parameter: &str) -> Result<Vec<u8>, BindingError> {
    let bad = || BindingError::PercentEncoding { parameter: truncate(parameter) };
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// The `name=value` pairs of a query string, raw (still encoded), in order. A leading `?` is
/// ignored; empty pieces are skipped.
pub(crate) fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let mut s = String::new();
        encode("a b+/=é~", &mut s);
        assert_eq!(s, "a%20b%2B%2F%3D%C3%A9~");
        assert_eq!(decode(&s, "x").unwrap(), "a b+/=é~".as_bytes());
        assert_eq!(decode("a+b", "x").unwrap(), b"a b");
        for bad in ["%", "%4", "%zz", "%é"] {
            assert!(matches!(decode(bad, "RelayState"), Err(BindingError::PercentEncoding { .. })), "{bad}");
        }
        let p: Vec<_> = pairs("?a=1&&b=&c").collect();
        assert_eq!(p, [("a", "1"), ("b", ""), ("c", "")]);
    }
}
