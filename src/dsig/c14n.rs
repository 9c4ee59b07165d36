//! XML Canonicalization over the trees built by [`crate::xml::parse`]: Exclusive XML
//! Canonicalization 1.0 (W3C Recommendation, 18 July 2002; RFC 3741), Canonical XML 1.0 (W3C
//! Recommendation, 15 March 2001) and Canonical XML 1.1 (W3C Recommendation, 2 May 2008), each
//! with or without comments.
//!
//! The document subset canonicalized is always "an element and all its descendants, minus an
//! optional excluded subtree" — what XML-DSig produces for `Reference URI="#id"` followed by the
//! enveloped-signature transform — or the whole document. Within such a subset every ancestor of
//! an output element (up to the apex) is itself output, which lets namespace rendering be tracked
//! with a stack of the declarations already written.
//!
//! Rules implemented:
//! - exclusive: a namespace declaration is written on an element only where it is *visibly
//!   utilized* (the element's own prefix — the default namespace for an unprefixed element — or
//!   the prefix of one of its attributes) or named in the InclusiveNamespaces PrefixList (then it
//!   is treated as Canonical XML treats namespace nodes), and only if the nearest output ancestor
//!   has not already written the same prefix with the same URI;
//! - inclusive (1.0 and 1.1): every namespace in scope is written on the apex, and below it
//!   every declaration that changes what the nearest output ancestor wrote; the apex also gets
//!   the `xml:*` attributes of its ancestors that it does not carry itself (1.0: all of them;
//!   1.1: `xml:lang` and `xml:space`, not `xml:id`; `xml:base` is not fixed up, see below);
//! - `xmlns=""` is written only to undo a non-empty default namespace written by an output
//!   ancestor; the `xml` prefix is never declared; in exclusive c14n `xml:*` attributes are not
//!   inherited;
//! - declarations are sorted by prefix (default first), then attributes by namespace URI (none
//!   first) and local name;
//! - empty elements are written as start/end tag pairs; text, attribute values, comments and
//!   processing instructions are escaped and formatted as Canonical XML specifies.
//!
//! Cost: linear in the size of the subset plus the apex's ancestors' declarations, whatever
//! the PrefixList: bindings are kept in tables indexed by the document's prefix numbers, so no
//! step scans the declarations in scope.
//!
//! Not implemented: Canonical XML 1.1's `xml:base` fixup, which joins the relative `xml:base`
//! values of the apex's ancestors; an inherited `xml:base` is left out in 1.1 (SAML messages do
//! not use it).

use crate::xml::ns;
use crate::xml::parse::{Attribute, Document, Element, Node, NodeId};
use crate::xml::tree::{DEFAULT_PREFIX, NO_NAMESPACE, PrefixId, UriId, XML_PREFIX};

/// Which canonicalization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum C14nMethod {
    /// Exclusive XML Canonicalization 1.0 (the default, and what SAML signers use).
    #[default]
    Exclusive,
    /// Canonical XML 1.0 (inclusive).
    Inclusive,
    /// Canonical XML 1.1 (inclusive).
    Inclusive11,
}

impl C14nMethod {
    /// The method and its comments flag that an XML-DSig algorithm URI names, if it names one.
    pub fn from_uri(uri: &str) -> Option<(C14nMethod, bool)> {
        Some(match uri {
            ns::EXC_C14N => (C14nMethod::Exclusive, false),
            ns::EXC_C14N_WITH_COMMENTS => (C14nMethod::Exclusive, true),
            ns::C14N => (C14nMethod::Inclusive, false),
            ns::C14N_WITH_COMMENTS => (C14nMethod::Inclusive, true),
            ns::C14N11 => (C14nMethod::Inclusive11, false),
            ns::C14N11_WITH_COMMENTS => (C14nMethod::Inclusive11, true),
            _ => return None,
        })
    }

    /// The algorithm URI of the method with or without comments.
    pub fn uri(self, with_comments: bool) -> &'static str {
        match (self, with_comments) {
            (C14nMethod::Exclusive, false) => ns::EXC_C14N,
            (C14nMethod::Exclusive, true) => ns::EXC_C14N_WITH_COMMENTS,
            (C14nMethod::Inclusive, false) => ns::C14N,
            (C14nMethod::Inclusive, true) => ns::C14N_WITH_COMMENTS,
            (C14nMethod::Inclusive11, false) => ns::C14N11,
            (C14nMethod::Inclusive11, true) => ns::C14N11_WITH_COMMENTS,
        }
    }

    fn is_inclusive(self) -> bool {
        self != C14nMethod::Exclusive
    }
}

/// Parameters of a canonicalization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct C14nOptions {
    /// Exclusive (default) or inclusive, 1.0 or 1.1.
    pub method: C14nMethod,
    /// Keep comments (the `#WithComments` variant). Default: comments are dropped.
    pub with_comments: bool,
    /// The InclusiveNamespaces PrefixList of exclusive c14n: prefixes whose in-scope
    /// declarations are rendered as inclusive Canonical XML would. `#default` names the default
    /// namespace. Ignored by the inclusive methods, which treat every prefix so.
    pub inclusive_prefixes: Vec<String>,
    /// A subtree left out entirely (the enveloped `Signature` element, for the
    /// enveloped-signature transform).
    pub exclude: Option<NodeId>,
}

/// Append the canonical form of the subtree rooted at `apex` (normally an element) to `out`,
/// leaving out `options.exclude` and its descendants.
///
/// # Panics
/// If `apex` or `options.exclude` does not come from `doc`.
pub fn canonicalize(doc: &Document, apex: NodeId, options: &C14nOptions, out: &mut Vec<u8>) {
    let mut c = Canonicalizer::new(doc, options, out);
    c.subtree(apex);
}

/// Append the canonical form of the whole document to `out`: comments (with `with_comments`)
/// and processing instructions outside the document element are separated from it by line
/// feeds, as Canonical XML specifies.
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

/// Whether the canonical form of `apex`'s subtree carries the binding of `prefix` that is in
/// scope at `element` (`apex` or one of its output descendants): true when the canonical bytes
/// bind `prefix` there to the same URI as the document does (or, for the default namespace,
/// leave it undeclared where the document does). A reader that resolves a QName inside content
/// (an `xsi:type` value) through a binding for which this is false reads through unsigned
/// bytes: exclusive c14n renders only visibly utilized and PrefixList prefixes.
pub(crate) fn binding_rendered(
    doc: &Document,
    apex: NodeId,
    element: NodeId,
    prefix: PrefixId,
    options: &C14nOptions,
) -> bool {
    if prefix == XML_PREFIX {
        return true;
    }
    let listed = options.method.is_inclusive() || listed_prefixes(doc, options).contains(&prefix);
    // Walking up from `element` to the apex (and on above it, to the root): the binding in
    // scope at `element` is the nearest declaration at or above it; the one rendered for it is
    // the binding in scope at the deepest node on the way that renders `prefix` (one that uses
    // it visibly, or, for a listed prefix, the apex or a node that declares it).
    let (mut in_scope, mut rendered): (Option<Option<&str>>, Option<Option<&str>>) = (None, None);
    let mut renders = false;
    let mut at = element;
    loop {
        let declared = own_declaration(doc, at, prefix);
        if !renders {
            renders = doc.element(at).is_some_and(|e| {
                e.prefix_id() == prefix
                    || (prefix != DEFAULT_PREFIX && e.attributes().iter().any(|a| a.prefix_id() == prefix))
                    || (listed && (at == apex || declared.is_some()))
            });
        }
        if declared.is_some() {
            in_scope = in_scope.or(Some(declared));
            if renders {
                rendered = rendered.or(Some(declared));
            }
        }
        if at == apex {
            break;
        }
        match doc.parent(at) {
            Some(parent) => at = parent,
            // `apex` is not an ancestor of `element`.
            None => return false,
        }
    }
    let mut up = doc.parent(apex);
    while let (Some(id), true) = (up, in_scope.is_none() || (renders && rendered.is_none())) {
        let declared = own_declaration(doc, id, prefix);
        if declared.is_some() {
            in_scope = in_scope.or(Some(declared));
            if renders {
                rendered = rendered.or(Some(declared));
            }
        }
        up = doc.parent(id);
    }
    fn bound(binding: Option<Option<&str>>) -> Option<&str> {
        binding.flatten().filter(|u| !u.is_empty())
    }
    bound(rendered) == bound(in_scope)
}

fn own_declaration<'d>(doc: &'d Document, id: NodeId, prefix: PrefixId) -> Option<&'d str> {
    let e = doc.element(id)?;
    e.namespace_declarations().iter().find(|d| d.prefix_id() == prefix).map(|d| d.uri())
}

/// The [`PrefixId`]s an exclusive PrefixList names (prefixes the document never declares are
/// dropped; they cannot be rendered).
fn listed_prefixes(doc: &Document, options: &C14nOptions) -> Vec<PrefixId> {
    let mut ids: Vec<PrefixId> = options
        .inclusive_prefixes
        .iter()
        .filter_map(|p| doc.prefix_id(if p == "#default" { None } else { Some(p.as_str()) }))
        .filter(|&id| id != XML_PREFIX)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

const NONE: u32 = u32::MAX;

/// A declaration written by an output element.
struct Rendered {
    prefix: PrefixId,
    uri: UriId,
    /// The entry this one shadows for the same prefix ([`NONE`] if none).
    shadows: u32,
}

/// A declaration to write on the current element.
#[derive(Clone, Copy)]
struct Pending<'d> {
    id: PrefixId,
    prefix: Option<&'d str>,
    uri: UriId,
}

struct Canonicalizer<'d, 'o> {
    doc: &'d Document<'d>,
    options: &'o C14nOptions,
    out: &'o mut Vec<u8>,
    inclusive: bool,
    /// What is known of each prefix, by [`PrefixId`].
    prefixes: Vec<PrefixState>,
    /// Declarations written by output ancestors (and the current element), innermost last.
    rendered: Vec<Rendered>,
    serial: u32,
    /// Scratch: declarations to write on the current element.
    todo: Vec<Pending<'d>>,
    /// Scratch: the current element's attributes in canonical order.
    /// The attributes to write, each with its sort key (namespace URI, local name).
    attrs: Vec<(&'d str, &'d str, Attribute<'d>)>,
}

/// The c14n state of one prefix.
#[derive(Clone, Copy)]
struct PrefixState {
    /// Whether the PrefixList names it (every prefix, for inclusive c14n).
    listed: bool,
    /// The index in `rendered` of its innermost entry, or [`NONE`].
    head: u32,
    /// The serial number of the element for which it was last queued.
    queued: u32,
}

enum Step {
    Enter(NodeId),
    Exit { id: NodeId, rendered: usize },
}

impl<'d, 'o> Canonicalizer<'d, 'o> {
    fn new(doc: &'d Document, options: &'o C14nOptions, out: &'o mut Vec<u8>) -> Self {
        let count = doc.prefix_count();
        let inclusive = options.method.is_inclusive();
        let mut prefixes = vec![PrefixState { listed: inclusive, head: NONE, queued: NONE }; count];
        if !inclusive {
            for id in listed_prefixes(doc, options) {
                prefixes[id as usize].listed = true;
            }
        }
        prefixes[XML_PREFIX as usize].listed = false;
        Canonicalizer {
            doc,
            options,
            out,
            inclusive,
            prefixes,
            rendered: Vec::new(),
            serial: 0,
            todo: Vec::new(),
            attrs: Vec::new(),
        }
    }

    fn subtree(&mut self, apex: NodeId) {
        let doc = self.doc;
        let mut stack = Vec::with_capacity(32);
        stack.push(Step::Enter(apex));
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
                    let mark = self.rendered.len();
                    self.start_tag(element, id == apex);
                    let children = element.children();
                    if children.is_empty() {
                        // Nothing between the tags: close it now, without a step.
                        self.end_tag(element, mark);
                        continue;
                    }
                    stack.push(Step::Exit { id, rendered: mark });
                    stack.extend(children.iter().rev().map(|&c| Step::Enter(c)));
                }
                Step::Exit { id, rendered } => {
                    if let Some(element) = doc.element(id) {
                        self.end_tag(element, rendered);
                    }
                }
            }
        }
    }

    /// Write the end tag of `element` and forget the declarations it rendered (those past
    /// `rendered`).
    #[inline(always)]
    fn end_tag(&mut self, element: Element<'d>, rendered: usize) {
        self.out.extend_from_slice(b"</");
        push_name(self.out, element.qname());
        self.out.push(b'>');
        while self.rendered.len() > rendered {
            if let Some(r) = self.rendered.pop() {
                self.prefixes[r.prefix as usize].head = r.shadows;
            }
        }
    }

    /// Write a text, comment or PI node.
    fn leaf(&mut self, id: NodeId) {
        match self.doc.node(id) {
            // Character data as written has no `&`, `<` or carriage return: only `>` to escape.
            Node::Text(t) if self.doc.is_plain_text(id) => escape_gt(t, self.out),
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

    /// Queue a declaration for the current element if it is not already rendered identically.
    #[inline]
    fn consider(&mut self, id: PrefixId, prefix: Option<&'d str>, uri: UriId) {
        let slot = id as usize;
        let state = &mut self.prefixes[slot];
        if id == XML_PREFIX || state.queued == self.serial {
            return;
        }
        state.queued = self.serial;
        let current = match state.head {
            NONE => None,
            i => Some(self.rendered[i as usize].uri),
        };
        // Equal URIs have equal numbers within the document.
        let needed = match (prefix, uri) {
            // No default namespace: write xmlns="" only to undo a rendered non-empty one.
            (None, NO_NAMESPACE) => current.is_some_and(|u| u != NO_NAMESPACE),
            _ => current != Some(uri),
        };
        if needed {
            self.todo.push(Pending { id, prefix, uri });
        }
    }

    /// The listed bindings in scope at the apex: the nearest declaration of each listed prefix
    /// on the apex or its ancestors.
    fn consider_apex_scope(&mut self, apex: Element<'d>) {
        let doc = self.doc;
        let mut at = Some(apex);
        while let Some(e) = at {
            for d in e.namespace_declarations() {
                let id = d.prefix_id();
                let state = self.prefixes[id as usize];
                if state.listed && state.queued != self.serial {
                    self.consider(id, d.prefix(), d.uri_id());
                }
            }
            at = e.parent().and_then(|p| doc.element(p));
        }
    }

    fn start_tag(&mut self, element: Element<'d>, is_apex: bool) {
        self.serial = self.serial.wrapping_add(1);
        self.todo.clear();
        // A listed prefix declared here: nearer than anything in scope above.
        for d in element.namespace_declarations() {
            if self.prefixes[d.prefix_id() as usize].listed {
                self.consider(d.prefix_id(), d.prefix(), d.uri_id());
            }
        }
        if !self.inclusive {
            self.consider(element.prefix_id(), element.prefix(), element.namespace_id());
            for a in element.attributes() {
                match a.prefix() {
                    Some(p) if a.namespace_id() != NO_NAMESPACE => {
                        self.consider(a.prefix_id(), Some(p), a.namespace_id())
                    }
                    _ => {}
                }
            }
        }
        if is_apex {
            // Everything listed and in scope at the apex is rendered there. Below the apex, a
            // listed binding differs from the rendered one only where it is declared.
            self.consider_apex_scope(element);
        }
        // Default namespace first, then by prefix.
        if self.todo.len() > 1 {
            self.todo.sort_unstable_by(|a, b| a.prefix.cmp(&b.prefix));
        }

        self.attrs.clear();
        if element.attributes().is_empty() && !(is_apex && self.inclusive) {
            // Nothing to sort or inherit: the common case of a bare element.
            let out = &mut *self.out;
            out.push(b'<');
            push_name(out, element.qname());
            if !self.todo.is_empty() {
                self.write_declarations();
            }
            self.out.push(b'>');
            return;
        }
        self.attrs.extend(element.attributes().iter().map(|a| (a.namespace().unwrap_or(""), a.local_name(), a)));
        if is_apex && self.inclusive {
            self.inherit_xml_attributes(element);
        }
        if self.attrs.len() > 1 {
            let order = |a: &(&str, &str, Attribute), b: &(&str, &str, Attribute)| {
                // Equal URIs have equal numbers: only different ones are compared as text.
                let namespaces = if a.2.namespace_id() == b.2.namespace_id() {
                    std::cmp::Ordering::Equal
                } else {
                    cmp_bytes(a.0, b.0)
                };
                namespaces.then_with(|| cmp_bytes(a.1, b.1))
            };
            // Already in canonical order (as samlkit writes): one pass, no sort.
            if !self.attrs.is_sorted_by(|a, b| order(a, b).is_le()) {
                self.attrs.sort_unstable_by(order);
            }
        }

        self.out.push(b'<');
        push_name(self.out, element.qname());
        if !self.todo.is_empty() {
            self.write_declarations();
        }
        let out = &mut *self.out;
        for (_, _, a) in &self.attrs {
            out.push(b' ');
            push_name(out, a.qname());
            out.extend_from_slice(b"=\"");
            if a.is_plain_value() {
                out.extend_from_slice(a.value().as_bytes());
            } else {
                escape_attribute(a.value(), out);
            }
            out.push(b'"');
        }
        out.push(b'>');
    }

    /// Write the queued declarations and record them as rendered.
    fn write_declarations(&mut self) {
        let out = &mut *self.out;
        for p in &self.todo {
            match p.prefix {
                None => out.extend_from_slice(b" xmlns=\""),
                Some(prefix) => {
                    out.extend_from_slice(b" xmlns:");
                    push_name(out, prefix);
                    out.extend_from_slice(b"=\"");
                }
            }
            let uri = self.doc.uri(p.uri).unwrap_or_default();
            if self.doc.is_plain_uri(p.uri) {
                out.extend_from_slice(uri.as_bytes());
            } else {
                escape_attribute(uri, out);
            }
            out.push(b'"');
            let slot = p.id as usize;
            let index = u32::try_from(self.rendered.len()).unwrap_or(NONE);
            let state = &mut self.prefixes[slot];
            self.rendered.push(Rendered { prefix: p.id, uri: p.uri, shadows: state.head });
            state.head = index;
        }
    }

    /// Inclusive c14n: the apex carries the nearest `xml:*` attribute of each name found on its
    /// ancestors, unless it has its own (Canonical XML 1.0 §2.4; 1.1 inherits only `xml:lang`
    /// and `xml:space`).
    fn inherit_xml_attributes(&mut self, apex: Element<'d>) {
        let doc = self.doc;
        let mut at = apex.parent().and_then(|p| doc.element(p));
        while let Some(e) = at {
            for a in e.attributes() {
                if a.prefix_id() != XML_PREFIX {
                    continue;
                }
                let name = a.local_name();
                if self.options.method == C14nMethod::Inclusive11 && name != "lang" && name != "space" {
                    continue;
                }
                if !self.attrs.iter().any(|(_, _, b)| b.prefix_id() == XML_PREFIX && b.local_name() == name) {
                    self.attrs.push((ns::XML, name, a));
                }
            }
            at = e.parent().and_then(|p| doc.element(p));
        }
    }
}

/// Appends a name: one a few bytes long is copied inline (a call to `memcpy` costs more than
/// the copy).
#[inline(always)]
fn push_name(out: &mut Vec<u8>, name: &str) {
    let bytes = name.as_bytes();
    if bytes.len() <= 8 {
        out.extend(bytes.iter().copied());
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Byte order of two short strings, compared inline (a call to `memcmp` per comparison costs
/// more than the comparison of names a few bytes long).
fn cmp_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
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

/// Escape `>` in text that holds no other byte Canonical XML escapes.
fn escape_gt(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut plain = 0;
    for i in memchr::memchr_iter(b'>', bytes) {
        out.extend_from_slice(&bytes[plain..i]);
        out.extend_from_slice(b"&gt;");
        plain = i + 1;
    }
    out.extend_from_slice(&bytes[plain..]);
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
    fn values_and_texts_as_written_are_copied_and_the_rest_escaped() {
        // Double-quoted values as written are copied; a single-quoted one may hold `"`, a
        // changed one anything (references, tabs and line ends). Character data as written
        // escapes only `>`; a CDATA section, a reference or a carriage return anything.
        let cases = [
            (r#"<a x="p>q'r"></a>"#, r#"<a x="p>q'r"></a>"#),
            (r#"<a x='p"q'></a>"#, r#"<a x="p&quot;q"></a>"#),
            (r#"<a x="&amp;&lt;&#9;&#10;&#13;&quot;"></a>"#, r#"<a x="&amp;&lt;&#x9;&#xA;&#xD;&quot;"></a>"#),
            ("<a x=\"p\tq\nr\"></a>", r#"<a x="p q r"></a>"#),
            ("<a>x > y >> z</a>", "<a>x &gt; y &gt;&gt; z</a>"),
            ("<a>></a>", "<a>&gt;</a>"),
            ("<a><![CDATA[<&>\"]]></a>", "<a>&lt;&amp;&gt;\"</a>"),
            ("<a>x<![CDATA[<]]>y</a>", "<a>x&lt;y</a>"),
            ("<a>&#13;&amp;></a>", "<a>&#xD;&amp;&gt;</a>"),
            ("<a>\r\n></a>", "<a>\n&gt;</a>"),
            ("<a><!--c-->></a>", "<a>&gt;</a>"),
            ("<a x=\"\" y=''></a>", r#"<a x="" y=""></a>"#),
        ];
        for (text, expected) in cases {
            assert_eq!(c14n(text, &C14nOptions::default()), expected, "{text}");
        }
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

    /// `binding_rendered` against what the canonical bytes carry, case by case.
    #[test]
    fn a_binding_is_rendered_where_the_canonical_form_carries_it() {
        let exclusive = C14nOptions::default();
        let inclusive = C14nOptions { method: C14nMethod::Inclusive, ..C14nOptions::default() };
        let listed = C14nOptions { inclusive_prefixes: vec!["p".into()], ..C14nOptions::default() };
        let check = |text: &str, apex: &str, element: &str, prefix: Option<&str>, options: &C14nOptions| {
            let doc = Document::parse(text, &ParseLimits::default()).unwrap();
            let find = |name: &str| doc.elements().find(|(_, e)| e.local_name() == name).unwrap().0;
            let prefix = doc.prefix_id(prefix).unwrap();
            binding_rendered(&doc, find(apex), find(element), prefix, options)
        };
        // The nearest declaration on the way up counts, not one further up that it shadows.
        let nested = r#"<a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><c/></p:b></a>"#;
        assert!(check(nested, "a", "c", Some("p"), &exclusive));
        // Exclusive c14n leaves out a prefix nothing uses; inclusive c14n and a PrefixList keep it.
        let unused = r#"<r xmlns:p="urn:1"><a><c/></a></r>"#;
        assert!(!check(unused, "a", "c", Some("p"), &exclusive));
        assert!(check(unused, "a", "c", Some("p"), &inclusive));
        assert!(check(unused, "a", "c", Some("p"), &listed));
        // Used below the apex, declared above it: rendered where it is used.
        assert!(check(r#"<r xmlns:p="urn:1"><a><p:c/></a></r>"#, "a", "c", Some("p"), &exclusive));
        // Used only above the element that reads it, redeclared in between without use.
        let shadowed = r#"<a xmlns:p="urn:1"><p:b><c xmlns:p="urn:2"><d/></c></p:b></a>"#;
        assert!(!check(shadowed, "a", "d", Some("p"), &exclusive));
        assert!(check(shadowed, "a", "d", Some("p"), &listed));
        // An undeclared default namespace is what the canonical form says too.
        assert!(check(r#"<a xmlns="urn:d"><b xmlns=""><c/></b></a>"#, "a", "c", None, &exclusive));
        // An element outside the apex's subtree is never covered.
        assert!(!check(r#"<r xmlns:p="urn:1"><a/><p:c/></r>"#, "a", "c", Some("p"), &exclusive));
    }
}
