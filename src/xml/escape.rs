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

/// Appends `s` to `out`, escaped for `context`. Returns the first character XML cannot carry as
/// the error, leaving `out` with whatever was written before it (callers discard `out` on error).
pub(crate) fn escape_into(out: &mut String, s: &str, context: Context) -> Result<(), char> {
    if let Some(c) = first_invalid_char(s) {
        return Err(c);
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let replacement = match (b, context) {
            (b'&', _) => "&amp;",
            (b'<', _) => "&lt;",
            (b'\r', _) => "&#xD;",
            (b'>', Context::Text) => "&gt;",
            (b'"', Context::Attribute | Context::HtmlAttribute) => "&quot;",
            (b'\t', Context::Attribute) => "&#x9;",
            (b'\n', Context::Attribute) => "&#xA;",
            (b'>', Context::HtmlAttribute) => "&gt;",
            (b'\'', Context::HtmlAttribute) => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        start = i + 1;
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
}
