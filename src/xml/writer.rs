//! The one XML writer: every document samlkit emits is written here.
//!
//! It writes two texts side by side: the document, and its exclusive-c14n form, which differ only
//! where the document declares a namespace that exclusive c14n moves (the Auth0 shape declares
//! `xmlns:xs` and `xmlns:xsi` on `AttributeStatement`; canonically `xmlns:xsi` sits on each
//! `AttributeValue` and `xmlns:xs` nowhere). The document is written in canonical syntax (explicit
//! end tags, attributes in canonical order, canonical escaping), so the canonical text is ready to
//! digest without a re-parse. Markup is `&'static str`; every other string goes through
//! [`super::escape::escape_into`], so no code path writes unescaped caller text.

use super::escape::{Context, escape_into};
use crate::error::XmlError;

/// Base64 text, safe by construction: only [`Base64Text::encode`] makes one, and the base64
/// alphabet needs no escaping, so the writer copies it as it is (certificates, digests and
/// signature values are most of a signed document's bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base64Text(String);

impl Base64Text {
    pub(crate) fn encode(bytes: &[u8]) -> Self {
        use base64::Engine as _;
        Self(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A document and its canonical form, written together.
#[derive(Debug, Default, Clone)]
pub(crate) struct Writer {
    /// The document text.
    pub(crate) doc: String,
    /// The exclusive-c14n text of the same nodes.
    pub(crate) canon: String,
}

impl Writer {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self { doc: String::with_capacity(n), canon: String::with_capacity(n) }
    }

    /// Markup written to both texts.
    pub(crate) fn markup(&mut self, markup: &'static str) {
        self.doc.push_str(markup);
        self.canon.push_str(markup);
    }

    /// Markup written to the document only.
    pub(crate) fn doc_markup(&mut self, markup: &'static str) {
        self.doc.push_str(markup);
    }

    /// Markup written to the canonical text only.
    pub(crate) fn canon_markup(&mut self, markup: &'static str) {
        self.canon.push_str(markup);
    }

    /// Element content, escaped. `element` names the element for the error message.
    pub(crate) fn text(&mut self, text: &str, element: &'static str) -> Result<(), XmlError> {
        self.escaped(text, Context::Text, || format!("<{element}>"))
    }

    /// Base64 element content, copied as it is (see [`Base64Text`]).
    pub(crate) fn base64(&mut self, text: &Base64Text) {
        self.doc.push_str(&text.0);
        self.canon.push_str(&text.0);
    }

    /// ` name="value"`, the value escaped.
    pub(crate) fn attr(&mut self, name: &'static str, value: &str, element: &'static str) -> Result<(), XmlError> {
        self.markup(" ");
        self.markup(name);
        self.markup("=\"");
        self.escaped(value, Context::Attribute, || format!("attribute {name} of <{element}>"))?;
        self.markup("\"");
        Ok(())
    }

    fn escaped(&mut self, text: &str, context: Context, place: impl Fn() -> String) -> Result<(), XmlError> {
        let start = self.doc.len();
        escape_into(&mut self.doc, text, context)
            .map_err(|c| XmlError::InvalidCharacter { context: place(), codepoint: c as u32 })?;
        self.canon.push_str(&self.doc[start..]);
        Ok(())
    }

    /// Inserts `other` (both texts) at the given offsets of this writer's texts.
    pub(crate) fn insert(&mut self, at: Mark, other: &Writer) {
        self.doc.insert_str(at.doc, &other.doc);
        self.canon.insert_str(at.canon, &other.canon);
    }

    /// The current end of both texts.
    pub(crate) fn mark(&self) -> Mark {
        Mark { doc: self.doc.len(), canon: self.canon.len() }
    }
}

/// A position in both texts of a [`Writer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) doc: usize,
    pub(crate) canon: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_texts_and_escapes_by_construction() {
        let mut w = Writer::default();
        w.markup("<a");
        w.doc_markup(" xmlns:x=\"u\"");
        w.attr("v", "1\"<&\t", "a").unwrap();
        w.markup(">");
        let m = w.mark();
        w.text("x<y", "a").unwrap();
        w.canon_markup("!");
        w.markup("</a>");
        assert_eq!(w.doc, "<a xmlns:x=\"u\" v=\"1&quot;&lt;&amp;&#x9;\">x&lt;y</a>");
        assert_eq!(w.canon, "<a v=\"1&quot;&lt;&amp;&#x9;\">x&lt;y!</a>");
        let mut sig = Writer::default();
        sig.markup("<s></s>");
        w.insert(m, &sig);
        assert!(w.doc.contains("\"><s></s>x&lt;y") && w.canon.contains("\"><s></s>x&lt;y"));
    }

    #[test]
    fn invalid_characters_name_the_place() {
        let mut w = Writer::default();
        let e = w.text("a\u{0}", "saml:NameID").unwrap_err();
        assert_eq!(e, XmlError::InvalidCharacter { context: "<saml:NameID>".into(), codepoint: 0 });
        let e = w.attr("Recipient", "\u{FFFF}", "saml:SubjectConfirmationData").unwrap_err();
        assert_eq!(
            e.to_string(),
            "character U+FFFF cannot appear in XML (in attribute Recipient of <saml:SubjectConfirmationData>)"
        );
    }
}
