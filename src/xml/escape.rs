//! The one escaping routine for caller text in the XML samlkit writes.
//!
//! It escapes exactly as exclusive canonicalization does, so text written once is already in
//! canonical form: in text `&`, `<`, `>` and `\r`; in attribute values `&`, `<`, `"`, and `\t`,
//! `\n`, `\r` as character references (so they survive attribute-value normalization on re-parse).
//! A character XML 1.0 cannot carry (C0 controls other than tab, newline and carriage return,
//! U+FFFE, U+FFFF) is an error, never silently dropped.

/// Where escaped text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Element content.
    Text,
    /// A double-quoted attribute value.
    Attribute,
    /// A double-quoted HTML attribute value: also `>` and `'`, so the text is inert in any HTML
    /// context.
    HtmlAttribute,
}

pub(crate) use super::chars::first_invalid_char;

/// Bytes that need a look: C0 controls (invalid, or tab/newline/CR), the markup characters, and
/// 0xEF (the lead byte of U+FFFE/U+FFFF). Everything else is copied in bulk.
const fn special_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
}
static SPECIAL: [bool; 256] = special_bytes();

/// Appends `s` to `out`, escaped for `context`, in one pass. Returns the first character XML
/// cannot carry as the error, leaving `out` with whatever was written before it (callers
/// discard `out` on error).
pub(crate) fn escape_into(out: &mut String, s: &str, context: Context) -> Result<(), char> {
    let bytes = s.as_bytes();
    out.reserve(bytes.len());
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPECIAL[usize::from(b)] {
            i += 1;
            continue;
        }
        let replacement = match (b, context) {
            (b'&', _) => "&amp;",
            (b'<', _) => "&lt;",
            (b'\r', _) => "&#xD;",
            (b'>', Context::Text | Context::HtmlAttribute) => "&gt;",
            (b'"', Context::Attribute | Context::HtmlAttribute) => "&quot;",
            (b'\t', Context::Attribute) => "&#x9;",
            (b'\n', Context::Attribute) => "&#xA;",
            (b'\'', Context::HtmlAttribute) => "&#39;",
            (b'\t' | b'\n' | b'>' | b'"' | b'\'', _) => {
                i += 1;
                continue;
            }
            (0xEF, _) if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => {
                return Err(if bytes[i + 2] == 0xBE { '\u{FFFE}' } else { '\u{FFFF}' });
            }
            (0xEF, _) => {
                i += 1;
                continue;
            }
            (control, _) => return Err(char::from(control)),
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, c: Context) -> Result<String, char> {
        let mut out = String::new();
        escape_into(&mut out, s, c).map(|()| out)
    }

    #[test]
    fn text_escapes_markup_and_carriage_return_only() {
        assert_eq!(esc("a<b>&c\"d'e\r\n\tf", Context::Text).unwrap(), "a&lt;b&gt;&amp;c\"d'e&#xD;\n\tf");
    }

    #[test]
    fn attributes_escape_quotes_and_whitespace_as_references() {
        assert_eq!(esc("a<b>&c\"d'e\r\n\tf", Context::Attribute).unwrap(), "a&lt;b>&amp;c&quot;d'e&#xD;&#xA;&#x9;f");
    }

    #[test]
    fn html_attributes_escape_every_markup_character() {
        assert_eq!(esc("a<b>&c\"d'e\t", Context::HtmlAttribute).unwrap(), "a&lt;b&gt;&amp;c&quot;d&#39;e\t");
    }

    #[test]
    fn non_ascii_passes_through() {
        assert_eq!(esc("é😀中", Context::Text).unwrap(), "é😀中");
        assert_eq!(esc("\u{FFFD}\u{10FFFF}", Context::Attribute).unwrap(), "\u{FFFD}\u{10FFFF}");
    }

    #[test]
    fn characters_xml_cannot_carry_are_errors() {
        for c in ['\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            let s = format!("ok{c}");
            assert_eq!(esc(&s, Context::Text), Err(c));
            assert_eq!(esc(&s, Context::Attribute), Err(c));
            assert_eq!(first_invalid_char(&s), Some(c));
        }
        assert_eq!(first_invalid_char("fine\u{7F}\u{9F}\u{FFFD}\u{FFBF}"), None);
    }

    /// The one-pass escaper agrees with a plain character-by-character definition.
    fn reference(s: &str, context: Context) -> Result<String, char> {
        let mut out = String::new();
        for c in s.chars() {
            if !crate::xml::chars::is_xml_char(c) {
                return Err(c);
            }
            match (c, context) {
                ('&', _) => out.push_str("&amp;"),
                ('<', _) => out.push_str("&lt;"),
                ('\r', _) => out.push_str("&#xD;"),
                ('>', Context::Text | Context::HtmlAttribute) => out.push_str("&gt;"),
                ('"', Context::Attribute | Context::HtmlAttribute) => out.push_str("&quot;"),
                ('\t', Context::Attribute) => out.push_str("&#x9;"),
                ('\n', Context::Attribute) => out.push_str("&#xA;"),
                ('\'', Context::HtmlAttribute) => out.push_str("&#39;"),
                _ => out.push(c),
            }
        }
        Ok(out)
    }

    proptest::proptest! {
        #[test]
        fn one_pass_escaping_matches_the_definition(s in "(\\PC|[\u{0}-\u{1f}&<>\"'\u{fffe}\u{ffff}\u{fffd}\u{efbf}])*") {
            for context in [Context::Text, Context::Attribute, Context::HtmlAttribute] {
                proptest::prop_assert_eq!(esc(&s, context), reference(&s, context));
            }
        }
    }
}
