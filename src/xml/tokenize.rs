//! The tokenizer under the parser: one pass over the text, splitting it into markup and
//! character data. It checks only what it must to find where each token ends; names,
//! attributes, references and namespaces are the parser's ([`crate::xml::parse`]).
//!
//! Every token borrows the text, and every search is a forward scan with `memchr`, so a
//! document is read once, in time linear in its length.

use memchr::{memchr, memchr2, memchr3, memmem};

use crate::error::XmlError;

/// One token, borrowing the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// `<?xml …?>`: everything between `<?` and `?>` (it starts with `xml`).
    Declaration(&'a str),
    /// `<name …>` or `<name …/>`: everything between `<` and `>` or `/>`.
    Start { content: &'a str, empty: bool },
    /// `</name>`: the name, trailing whitespace trimmed.
    End(&'a str),
    /// Character data up to the next markup or reference, as written.
    Text(&'a str),
    /// The content of a CDATA section.
    CData(&'a str),
    /// A reference: what is between `&` and `;`.
    Reference(&'a str),
    /// The text of a comment.
    Comment(&'a str),
    /// A processing instruction: its target and everything after the target.
    ProcessingInstruction { target: &'a str, content: &'a str },
}

/// Splits a text into [`Token`]s.
pub(super) struct Tokenizer<'a> {
    text: &'a str,
    at: usize,
}

fn syntax(position: usize, message: &str) -> XmlError {
    XmlError::Syntax { position, message: message.to_owned() }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Tokenizer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Tokenizer { text, at: 0 }
    }

    /// The offset the next token starts at.
    pub(super) fn position(&self) -> usize {
        self.at
    }

    /// Moves on to `at`, the end of a token the caller has read itself.
    pub(super) fn skip_to(&mut self, at: usize) {
        self.at = at;
    }

    /// The next token and the offset it starts at; `None` at the end of the text.
    pub(super) fn next_token(&mut self) -> Result<Option<(usize, Token<'a>)>, XmlError> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let Some(&first) = bytes.get(start) else {
            return Ok(None);
        };
        let token = match first {
            b'<' => self.markup(start)?,
            b'&' => {
                let rest = &bytes[start + 1..];
                // A reference ends at `;`, before any markup or the next reference.
                match memchr3(b';', b'<', b'&', rest) {
                    Some(i) if rest[i] == b';' => {
                        self.at = start + 1 + i + 1;
                        Token::Reference(&self.text[start + 1..start + 1 + i])
                    }
                    _ => return Err(syntax(start, "`&` that does not start a reference (write `&amp;`)")),
                }
            }
            _ => {
                let end = memchr2(b'<', b'&', &bytes[start..]).map_or(bytes.len(), |i| start + i);
                self.at = end;
                Token::Text(&self.text[start..end])
            }
        };
        Ok(Some((start, token)))
    }

    /// The text from `from` to the next `needle`, and the offset just past the needle.
    fn until(&self, from: usize, needle: &[u8], start: usize, what: &str) -> Result<(&'a str, usize), XmlError> {
        let rest = self.text.as_bytes().get(from..).unwrap_or_default();
        match memmem::find(rest, needle) {
            Some(i) => Ok((&self.text[from..from + i], from + i + needle.len())),
            None => Err(syntax(start, &format!("unterminated {what}"))),
        }
    }

    fn markup(&mut self, start: usize) -> Result<Token<'a>, XmlError> {
        let bytes = self.text.as_bytes();
        let rest = &bytes[start + 1..];
        match rest.first() {
            Some(b'/') => {
                let from = start + 2;
                let end = memchr(b'>', &bytes[from..]).ok_or_else(|| syntax(start, "unterminated end tag"))?;
                self.at = from + end + 1;
                Ok(Token::End(self.text[from..from + end].trim_end_matches([' ', '\t', '\r', '\n'])))
            }
            Some(b'?') => {
                let (content, next) = self.until(start + 2, b"?>", start, "processing instruction")?;
                self.at = next;
                let target_len = content.bytes().position(is_ws).unwrap_or(content.len());
                let (target, after) = content.split_at(target_len);
                if target == "xml" {
                    return Ok(Token::Declaration(content));
                }
                Ok(Token::ProcessingInstruction { target, content: after })
            }
            Some(b'!') => {
                if rest.starts_with(b"!--") {
                    let (content, next) = self.until(start + 4, b"-->", start, "comment")?;
                    self.at = next;
                    Ok(Token::Comment(content))
                } else if rest.starts_with(b"![CDATA[") {
                    let (content, next) = self.until(start + 9, b"]]>", start, "CDATA section")?;
                    self.at = next;
                    Ok(Token::CData(content))
                } else if rest.get(1..8).is_some_and(|d| d.eq_ignore_ascii_case(b"DOCTYPE")) {
                    Err(XmlError::Doctype)
                } else {
                    Err(syntax(start, "`<!` that starts no comment or CDATA section"))
                }
            }
            _ => {
                // The tag ends at the first `>` outside a quoted attribute value.
                let mut i = start + 1;
                loop {
                    let Some(j) = memchr3(b'>', b'"', b'\'', &bytes[i..]) else {
                        return Err(syntax(start, "unterminated start tag"));
                    };
                    let found = i + j;
                    match bytes[found] {
                        b'>' => {
                            self.at = found + 1;
                            let content = &self.text[start + 1..found];
                            return Ok(match content.strip_suffix('/') {
                                Some(content) => Token::Start { content, empty: true },
                                None => Token::Start { content, empty: false },
                            });
                        }
                        quote => {
                            let close = memchr(quote, &bytes[found + 1..])
                                .ok_or_else(|| syntax(start, "unterminated attribute value"))?;
                            i = found + 1 + close + 1;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<(usize, Token<'_>)>, XmlError> {
        let mut tokenizer = Tokenizer::new(text);
        let mut out = Vec::new();
        while let Some(t) = tokenizer.next_token()? {
            out.push(t);
        }
        Ok(out)
    }

    #[test]
    fn splits_every_kind_of_token() {
        let text = r#"<?xml version="1.0"?><a x='>' y="'"><!--c--><?pi d ?>t&amp;u<![CDATA[<&>]]><b/></a >"#;
        assert_eq!(
            tokens(text).unwrap(),
            [
                (0, Token::Declaration(r#"xml version="1.0""#)),
                (21, Token::Start { content: r#"a x='>' y="'""#, empty: false }),
                (36, Token::Comment("c")),
                (44, Token::ProcessingInstruction { target: "pi", content: " d " }),
                (53, Token::Text("t")),
                (54, Token::Reference("amp")),
                (59, Token::Text("u")),
                (60, Token::CData("<&>")),
                (75, Token::Start { content: "b", empty: true }),
                (79, Token::End("a")),
            ]
        );
        assert_eq!(tokens("").unwrap(), []);
        assert_eq!(
            tokens("<?xml-stylesheet?>").unwrap(),
            [(0, Token::ProcessingInstruction { target: "xml-stylesheet", content: "" })]
        );
    }

    #[test]
    fn refuses_what_it_cannot_end() {
        for (text, at) in [
            ("<a", 0),
            ("<a x='1>", 0),
            ("<a></a", 3),
            ("x<!-- c", 1),
            ("<![CDATA[x", 0),
            ("<?pi", 0),
            ("a & b", 2),
            ("&amp", 0),
            ("&a<b>;", 0),
            ("&a&b;", 0),
            ("<!x>", 0),
        ] {
            match tokens(text) {
                Err(XmlError::Syntax { position, .. }) => assert_eq!(position, at, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(tokens("<a><!doctype a>"), Err(XmlError::Doctype));
        assert_eq!(tokens("<!DOCTYPE a [<!ENTITY e 'x'>]><a/>"), Err(XmlError::Doctype));
    }
}
