//! Exclusive XML Canonicalization 1.0 (W3C Recommendation, 18 July 2002; RFC 3741), over the
//! trees built by [`crate::xml::parse`].
//!
//! The document subset canonicalized is always "an element and all its descendants, minus an
//! optional excluded subtree" — what XML-DSig produces for `Reference URI="#id"` followed by the
//! enveloped-signature transform — or the whole document. Within such a subset every ancestor of
//! an output element (up to the apex) is itself output, which lets namespace rendering be tracked
//! with a simple stack of the declarations already written.
//!
//! Rules implemented (Canonical XML 1.0 as modified by the exclusive variant):
//! - a namespace declaration is written on an element only where it is *visibly utilized* (the
//!   element's own prefix — the default namespace for an unprefixed element — or the prefix of
//!   one of its attributes) or named in the InclusiveNamespaces PrefixList (then it is treated as
//!   Canonical XML treats namespace nodes), and only if the nearest output ancestor has not
//!   already written the same prefix with the same URI;
//! - `xmlns=""` is written only to undo a non-empty default namespace written by an output
//!   ancestor; the `xml` prefix is never declared; `xml:*` attributes are not inherited;
//! - declarations are sorted by prefix (default first), then attributes by namespace URI (none
//!   first) and local name;
//! - empty elements are written as start/end tag pairs; text, attribute values, comments and
//!   processing instructions are escaped and formatted as Canonical XML specifies.

use crate::xml::parse::{Attribute, Document, Element, Node, NodeId};

/// Parameters of a canonicalization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct C14nOptions {
    /// Keep comments (the `#WithComments` variant). Default: comments are dropped.
    pub with_comments: bool,
    /// The InclusiveNamespaces PrefixList: prefixes whose in-scope declarations are rendered as
    /// inclusive Canonical XML would. `#default` names the default namespace.
    pub inclusive_prefixes: Vec<String>,
    /// A subtree left out entirely (the enveloped `Signature` element, for the
    /// enveloped-signature transform).
    pub exclude: Option<NodeId>,
}

/// Append the exclusive canonical form of the subtree rooted at `apex` (normally an element)
/// to `out`, leaving out `options.exclude` and its descendants.
///
/// # Panics
/// If `apex` or `options.exclude` does not come from `doc`.
pub fn canonicalize(doc: &Document, apex: NodeId, options: &C14nOptions, out: &mut Vec<u8>) {
    let mut c = Canonicalizer::new(doc, options, out);
    c.seed_scope(apex);
    c.subtree(apex);
}

/// Append the exclusive canonical form of the whole document to `out`: comments (with
/// `with_comments`) and processing instructions outside the document element are separated
/// from it by line feeds, as Canonical XML specifies.
pub fn canonicalize_document(doc: &Document, options: &C14nOptions, out: &mut Vec<u8>) {
    let mut c = Canonicalizer::new(doc, options, out);
    let mut seen_root = false;
    for &id in doc.document_children() {
        if id == doc.root() {
            seen_root = true;
            c.subtree(id);
            continue;
        }
        if Some(id) == options.exclude {
            continue;
        }
        let visible = match doc.node(id) {
            Node::Comment(_) => options.with_comments,
            Node::ProcessingInstruction { .. } => true,
            _ => false,
        };
        if !visible {
            continue;
        }
        if seen_root {
            c.out.push(b'\n');
        }
        c.leaf(id);
        if !seen_root {
            c.out.push(b'\n');
        }
    }
}

/// A namespace binding: prefix (`None` = default namespace) and URI (`""` = none).
type Binding<'d> = (Option<&'d str>, &'d str);

struct Canonicalizer<'d, 'o> {
    doc: &'d Document,
    options: &'o C14nOptions,
    out: &'o mut Vec<u8>,
    /// Declarations written by output ancestors (and the current element), innermost last.
    rendered: Vec<Binding<'d>>,
    /// Declarations in scope, innermost last; only kept when there is an inclusive prefix list.
    scope: Vec<Binding<'d>>,
    track_scope: bool,
    /// Scratch: declarations to write on the current element.
    todo: Vec<Binding<'d>>,
    /// Scratch: the current element's attributes in canonical order.
    attrs: Vec<&'d Attribute>,
}

enum Step {
    Enter(NodeId),
    Exit { id: NodeId, rendered: usize, scope: usize },
}

impl<'d, 'o> Canonicalizer<'d, 'o> {
    fn new(doc: &'d Document, options: &'o C14nOptions, out: &'o mut Vec<u8>) -> Self {
        Canonicalizer {
            doc,
            options,
            out,
            rendered: Vec::new(),
            scope: Vec::new(),
            track_scope: !options.inclusive_prefixes.is_empty(),
            todo: Vec::new(),
            attrs: Vec::new(),
        }
    }

    /// Put the declarations of the apex's ancestors in scope (outermost first), so inclusive
    /// prefixes declared above the apex are found.
    fn seed_scope(&mut self, apex: NodeId) {
        if !self.track_scope {
            return;
        }
        let mut chain = Vec::new();
        let mut at = self.doc.parent(apex);
        while let Some(p) = at {
            chain.push(p);
            at = self.doc.parent(p);
        }
        for &p in chain.iter().rev() {
            if let Some(e) = self.doc.element(p) {
                self.scope.extend(e.namespace_declarations().iter().map(|d| (d.prefix(), d.uri())));
            }
        }
    }

    fn subtree(&mut self, apex: NodeId) {
        let doc = self.doc;
        let mut stack = vec![Step::Enter(apex)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(id) => {
                    if Some(id) == self.options.exclude {
                        continue;
                    }
                    let Some(element) = doc.element(id) else {
                        self.leaf(id);
                        continue;
                    };
                    let marks = (self.rendered.len(), self.scope.len());
                    self.start_tag(element);
                    stack.push(Step::Exit { id, rendered: marks.0, scope: marks.1 });
                    stack.extend(element.children().iter().rev().map(|&c| Step::Enter(c)));
                }
                Step::Exit { id, rendered, scope } => {
                    if let Some(element) = doc.element(id) {
                        self.out.extend_from_slice(b"</");
                        self.out.extend_from_slice(element.qname().as_bytes());
                        self.out.push(b'>');
                    }
                    self.rendered.truncate(rendered);
                    self.scope.truncate(scope);
                }
            }
        }
    }

    /// Write a text, comment or PI node.
    fn leaf(&mut self, id: NodeId) {
        match self.doc.node(id) {
            Node::Text(t) => escape_text(t, self.out),
            Node::Comment(c) => {
                if self.options.with_comments {
                    self.out.extend_from_slice(b"<!--");
                    self.out.extend_from_slice(c.as_bytes());
                    self.out.extend_from_slice(b"-->");
                }
            }
            Node::ProcessingInstruction { target, data } => {
                self.out.extend_from_slice(b"<?");
                self.out.extend_from_slice(target.as_bytes());
                if !data.is_empty() {
                    self.out.push(b' ');
                    self.out.extend_from_slice(data.as_bytes());
                }
                self.out.extend_from_slice(b"?>");
            }
            Node::Element(_) => {}
        }
    }

    fn rendered_uri(&self, prefix: Option<&str>) -> Option<&'d str> {
        self.rendered.iter().rev().find(|(p, _)| *p == prefix).map(|&(_, u)| u)
    }

    fn scope_binding(&self, prefix: Option<&str>) -> Option<Binding<'d>> {
        self.scope.iter().rev().find(|(p, _)| *p == prefix).copied()
    }

    /// Queue a declaration for the current element if it is not already rendered identically.
    fn consider(&mut self, prefix: Option<&'d str>, uri: &'d str) {
        if prefix == Some("xml") || self.todo.iter().any(|(p, _)| *p == prefix) {
            return;
        }
        let current = self.rendered_uri(prefix);
        let needed = match (prefix, uri) {
            // No default namespace: write xmlns="" only to undo a rendered non-empty one.
            (None, "") => current.is_some_and(|u| !u.is_empty()),
            _ => current != Some(uri),
        };
        if needed {
            self.todo.push((prefix, uri));
        }
    }

    fn start_tag(&mut self, element: &'d Element) {
        if self.track_scope {
            self.scope.extend(element.namespace_declarations().iter().map(|d| (d.prefix(), d.uri())));
        }
        self.todo.clear();
        self.consider(element.prefix(), element.namespace().unwrap_or(""));
        for a in element.attributes() {
            if let (Some(p), Some(uri)) = (a.prefix(), a.namespace()) {
                self.consider(Some(p), uri);
            }
        }
        if self.track_scope {
            let options = self.options;
            for p in &options.inclusive_prefixes {
                if p == "#default" {
                    let uri = self.scope_binding(None).map_or("", |b| b.1);
                    self.consider(None, uri);
                } else if let Some((prefix, uri)) = self.scope_binding(Some(p)) {
                    // The binding's own prefix borrows from the document, like the stacks.
                    self.consider(prefix, uri);
                }
            }
        }
        // Default namespace first, then by prefix.
        self.todo.sort_unstable_by(|a, b| a.0.cmp(&b.0));

        let out = &mut *self.out;
        out.push(b'<');
        out.extend_from_slice(element.qname().as_bytes());
        for &(prefix, uri) in &self.todo {
            match prefix {
                None => out.extend_from_slice(b" xmlns=\""),
                Some(p) => {
                    out.extend_from_slice(b" xmlns:");
                    out.extend_from_slice(p.as_bytes());
                    out.extend_from_slice(b"=\"");
                }
            }
            escape_attribute(uri, out);
            out.push(b'"');
        }
        self.rendered.extend_from_slice(&self.todo);

        self.attrs.clear();
        self.attrs.extend(element.attributes());
        if self.attrs.len() > 1 {
            self.attrs.sort_unstable_by(|a, b| {
                (a.namespace().unwrap_or(""), a.local_name()).cmp(&(b.namespace().unwrap_or(""), b.local_name()))
            });
        }
        for a in &self.attrs {
            out.push(b' ');
            out.extend_from_slice(a.qname().as_bytes());
            out.extend_from_slice(b"=\"");
            escape_attribute(a.value(), out);
            out.push(b'"');
        }
        out.push(b'>');
    }
}

/// Escape text content: `&` `<` `>` and carriage return.
fn escape_text(text: &str, out: &mut Vec<u8>) {
    escape(text.as_bytes(), out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

/// Escape an attribute value: `&` `<` `"` and tab, line feed, carriage return.
fn escape_attribute(text: &str, out: &mut Vec<u8>) {
    escape(text.as_bytes(), out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'"' => Some(b"&quot;"),
        b'\t' => Some(b"&#x9;"),
        b'\n' => Some(b"&#xA;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

#[inline]
fn escape(bytes: &[u8], out: &mut Vec<u8>, replacement: impl Fn(u8) -> Option<&'static [u8]>) {
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        // All escaped bytes are ASCII below `?`; skip everything else quickly.
        if b > b'>' {
            continue;
        }
        if let Some(r) = replacement(b) {
            out.extend_from_slice(&bytes[plain..i]);
            out.extend_from_slice(r);
            plain = i + 1;
        }
    }
    out.extend_from_slice(&bytes[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse::ParseLimits;

    fn c14n(text: &str, options: &C14nOptions) -> String {
        let doc = Document::parse(text, &ParseLimits::default()).unwrap();
        let mut out = Vec::new();
        canonicalize(&doc, doc.root(), options, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes() {
        let mut out = Vec::new();
        escape_text("a&b<c>d\re\"f'\t\n", &mut out);
        assert_eq!(out, b"a&amp;b&lt;c&gt;d&#xD;e\"f'\t\n");
        out.clear();
        escape_attribute("a&b<c>d\re\"f'\t\n", &mut out);
        assert_eq!(out, b"a&amp;b&lt;c>d&#xD;e&quot;f'&#x9;&#xA;");
    }

    #[test]
    fn sorts_and_expands() {
        let got =
            c14n(r#"<a xmlns:z="urn:z" xmlns:b="urn:b" z:y="1" b:y="2" c="3" a="4"><e/></a>"#, &Default::default());
        assert_eq!(got, r#"<a xmlns:b="urn:b" xmlns:z="urn:z" a="4" c="3" b:y="2" z:y="1"><e></e></a>"#);
    }

    #[test]
    fn default_namespace_undone_only_when_rendered() {
        let got = c14n(r#"<a xmlns="urn:a"><b xmlns=""><c/></b></a>"#, &Default::default());
        assert_eq!(got, r#"<a xmlns="urn:a"><b xmlns=""><c></c></b></a>"#);
        let got = c14n(r#"<p:a xmlns:p="urn:p" xmlns="urn:a"><b xmlns=""/></p:a>"#, &Default::default());
        assert_eq!(got, r#"<p:a xmlns:p="urn:p"><b></b></p:a>"#);
    }
}
