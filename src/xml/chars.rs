//! Character classes of XML 1.0 and Namespaces in XML, shared by the writer, the parser, the
//! settings and the claims engine (one definition each).

/// Whether the code point is allowed by the XML 1.0 `Char` production.
pub(crate) fn is_xml_code_point(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Whether `c` is allowed by the XML 1.0 `Char` production.
#[cfg(test)]
pub(crate) fn is_xml_char(c: char) -> bool {
    is_xml_code_point(u32::from(c))
}

/// The byte offset and value of the first character of `s` that XML 1.0 cannot carry. Rust
/// strings hold no surrogates, so only C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF
/// (UTF-8 `EF BF BE`/`EF BF BF`) can be found: a fast byte scan.
pub(crate) fn first_invalid(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    // A branch-free scan the compiler vectorizes; almost all text has nothing to find.
    let suspicious = bytes
        .iter()
        .fold(false, |seen, &b| seen | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF));
    if !suspicious {
        return None;
    }
    bytes.iter().enumerate().find_map(|(i, &b)| {
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            Some((i, char::from(b)))
        } else if b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) {
            s[i..].chars().next().map(|c| (i, c))
        } else {
            None
        }
    })
}

/// The first character of `s` that XML 1.0 cannot carry, if any.
pub(crate) fn first_invalid_char(s: &str) -> Option<char> {
    first_invalid(s).map(|(_, c)| c)
}

/// XML 1.0 `NameStartChar`, without the colon.
pub(crate) fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 `NameChar`, without the colon.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start(c) || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` matches the Namespaces `NCName` production (an XML `Name` without colons): what
/// an `xs:ID` must be.
pub(crate) fn is_ncname(s: &str) -> bool {
    match ascii_qname(s) {
        Some(Some(0)) => true,
        Some(_) => false,
        None => {
            let mut chars = s.chars();
            chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
        }
    }
}

/// What a byte can be in an ASCII name ([`BYTE_CLASS`]).
const NOT_NAME: u8 = 0;
const NAME_START: u8 = 1;
const NAME_CHAR: u8 = 2;
const COLON: u8 = 3;
const NOT_ASCII: u8 = 4;

/// The class of every byte in a name: one table lookup per byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [NOT_NAME; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c >= 0x80 {
            NOT_ASCII
        } else if c.is_ascii_alphabetic() || c == b'_' {
            NAME_START
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            NAME_CHAR
        } else if c == b':' {
            COLON
        } else {
            NOT_NAME
        };
        b += 1;
    }
    table
};

/// A QName's check in one pass, for names that are ASCII (nearly all are): `Some(Some(n))` for a
/// QName whose prefix is `n` bytes long (0: unprefixed), `Some(None)` for an ASCII string that is
/// not a QName, `None` when the string is not ASCII (the caller checks it character by
/// character).
pub(crate) fn ascii_qname(s: &str) -> Option<Option<usize>> {
    let (end, checked) = ascii_name_run(s.as_bytes());
    if end == s.len() {
        return Some(checked);
    }
    // The rest of the string decides only whether it is ASCII.
    if s.is_ascii() { Some(None) } else { None }
}

/// The leading run of `bytes` that are ASCII name characters or colons, in one pass: where it
/// ends, and the length of its prefix when the run is a QName (0: unprefixed). The byte at the
/// end, if any, is not an ASCII name character or colon; it may be a non-ASCII one.
pub(crate) fn ascii_name_run(bytes: &[u8]) -> (usize, Option<usize>) {
    let mut colon = None;
    let mut at_start = true;
    let mut valid = true;
    for (i, &b) in bytes.iter().enumerate() {
        match BYTE_CLASS[usize::from(b)] {
            NAME_START => at_start = false,
            NAME_CHAR => valid &= !at_start,
            COLON => {
                valid &= !at_start && colon.is_none();
                colon = Some(i);
                at_start = true;
            }
            _ => return (i, (valid && !at_start).then_some(colon.unwrap_or(0))),
        }
    }
    (bytes.len(), (valid && !at_start).then_some(colon.unwrap_or(0)))
}

/// Whether `s` matches the XML 1.0 `Name` production.
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| is_name_start(c) || c == ':') && chars.all(|c| c == ':' || is_name_char(c))
}

/// Whether two names are equal, compared in place eight bytes at a time (a call to `memcmp`
/// costs more than a short name's comparison).
pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], i: usize| s.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map(u64::from_le_bytes);
    let mut i = 0;
    while i + 8 <= a.len() {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    a[i..].iter().zip(&b[i..]).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_characters_are_found_with_their_offset() {
        assert_eq!(first_invalid("ok"), None);
        assert_eq!(first_invalid("ab\u{0}"), Some((2, '\u{0}')));
        assert_eq!(first_invalid("é\u{FFFE}"), Some((2, '\u{FFFE}')));
        assert_eq!(first_invalid("\u{FFFF}"), Some((0, '\u{FFFF}')));
        // Neighbours of the non-characters are fine (U+FFFD is EF BF BD, U+FFBF is EF BE BF).
        assert_eq!(first_invalid("\u{FFFD}\u{FFBF}\u{EFBF}\u{7F}\u{9F}\t\n\r"), None);
        for c in ['\u{0}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(!is_xml_char(c));
        }
        assert!(is_xml_code_point(0x10FFFF) && !is_xml_code_point(0x110000) && !is_xml_code_point(0xD800));
    }

    #[test]
    fn names() {
        assert!(is_ncname("_a1.b-c") && is_ncname("é"));
        assert!(!is_ncname("") && !is_ncname("1a") && !is_ncname("a:b") && !is_ncname("_²"));
        assert!(!is_ncname("a b") && !is_ncname("-a"));
        assert!(is_name("a:b") && is_name(":a") && !is_name("1") && !is_name(""));
    }

    #[test]
    fn ascii_qnames_in_one_pass() {
        for (name, expected) in [
            ("a", Some(Some(0))),
            ("saml:Assertion", Some(Some(4))),
            ("_x.y-1:z", Some(Some(6))),
            ("", Some(None)),
            ("1a", Some(None)),
            ("a:", Some(None)),
            (":a", Some(None)),
            ("a:b:c", Some(None)),
            ("a:1b", Some(None)),
            ("a b", Some(None)),
            ("a b é", None),
            ("é", None),
            ("aé:b", None),
        ] {
            assert_eq!(ascii_qname(name), expected, "{name}");
        }
        assert_eq!(ascii_name_run(b"saml:Assertion ID"), (14, Some(4)));
        assert_eq!(ascii_name_run(b"a:b:c>"), (5, None));
        assert_eq!(ascii_name_run(b"ab\xC3\xA9"), (2, Some(0)));
        assert_eq!(ascii_name_run(b"=x"), (0, None));
        // The character path agrees where the table gives way.
        assert!(is_ncname("aé") && !is_ncname("a é"));
    }

    #[test]
    fn names_compare_in_words_and_bytes() {
        for (a, b, same) in [
            ("", "", true),
            ("a", "a", true),
            ("a", "b", false),
            ("a", "ab", false),
            ("saml:Attribute", "saml:Attribute", true),
            ("saml:Attribute", "saml:Attributf", false),
            ("saml:Attribute", "saml:attribute", false),
            ("abcdefgh", "abcdefgh", true),
            ("abcdefgh", "abcdefgi", false),
            ("bbcdefghijklmnop", "abcdefghijklmnop", false),
        ] {
            assert_eq!(same_name(a.as_bytes(), b.as_bytes()), same, "{a} {b}");
        }
    }
}
