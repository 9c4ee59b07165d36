//! The tree one parse builds. Only [`Document::parse`] builds one.
//!
//! The tree borrows the text it was parsed from: names, and values that the parser did not have
//! to change, are byte ranges of that text. Only a value that a reference, a line end or an
//! attribute's whitespace normalization changed is copied, into one buffer per document. The
//! nodes sit in one arena in document order, the attributes, namespace declarations and children
//! lists in one array each, so a parse makes a handful of allocations whatever the document's
//! size. [`Node`], [`Element`], [`Attribute`] and [`NamespaceDeclaration`] are small `Copy`
//! views into it.

use std::borrow::Cow;
use std::fmt;

use crate::xml::name_map::NameMap;
use crate::xml::ns;

/// The index of a node in a [`Document`]. Only meaningful for the document it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) u32);

impl NodeId {
    /// The position of the node in the document's arena (document order of node starts).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A prefix's number within one document: [`DEFAULT_PREFIX`] for the default namespace (no
/// prefix), [`XML_PREFIX`] for `xml`, then one per other prefix declared anywhere in the
/// document. Canonicalization tracks bindings in tables indexed by it, so a lookup costs O(1)
/// however many bindings are in scope.
pub(crate) type PrefixId = u32;
/// The [`PrefixId`] of the default namespace (an unprefixed name).
pub(crate) const DEFAULT_PREFIX: PrefixId = 0;
/// The [`PrefixId`] of the reserved `xml` prefix.
pub(crate) const XML_PREFIX: PrefixId = 1;

/// A namespace URI's number within one document: [`XML_NAMESPACE`] for the `xml` prefix's, then
/// one per distinct URI declared. Two names are in the same namespace exactly when their numbers
/// are equal.
pub(crate) type UriId = u32;
/// The [`UriId`] of `http://www.w3.org/XML/1998/namespace`.
pub(super) const XML_NAMESPACE: UriId = 0;
/// No namespace.
pub(crate) const NO_NAMESPACE: UriId = u32::MAX;

pub(super) const NO_PARENT: u32 = u32::MAX;

/// A range of the document's text: offsets below the text's length are in the text itself,
/// offsets from there on are in the buffer of changed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) len: u32,
}

/// A range of one of the document's arrays (attributes, declarations, children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Range {
    pub(super) start: u32,
    pub(super) end: u32,
}

impl Range {
    fn of<T>(self, items: &[T]) -> &[T] {
        items.get(self.start as usize..self.end as usize).unwrap_or(&[])
    }
}

/// The string a span names, given the text and the buffer of changed values.
pub(super) fn resolve<'t>(text: &'t str, changed: &'t str, span: Span) -> &'t str {
    let (start, len) = (span.start as usize, span.len as usize);
    let found = if start < text.len() {
        text.get(start..start + len)
    } else {
        changed.get(start - text.len()..start - text.len() + len)
    };
    found.unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ElementData {
    pub(super) qname: Span,
    /// Length of the prefix (position of the colon); 0 when there is no prefix.
    pub(super) prefix_len: u32,
    pub(super) prefix_id: PrefixId,
    pub(super) namespace: UriId,
    pub(super) attributes: Range,
    pub(super) declarations: Range,
    pub(super) children: Range,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AttributeData {
    pub(super) qname: Span,
    pub(super) prefix_len: u32,
    pub(super) prefix_id: PrefixId,
    pub(super) namespace: UriId,
    pub(super) value: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DeclarationData {
    /// Empty for the default namespace.
    pub(super) prefix: Span,
    pub(super) prefix_id: PrefixId,
    /// [`NO_NAMESPACE`] for `xmlns=""`.
    pub(super) uri: UriId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NodeData {
    Element(ElementData),
    Text(Span),
    Comment(Span),
    ProcessingInstruction { target: Span, data: Span },
}

/// Everything a parse builds but the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tree {
    pub(super) changed: String,
    pub(super) nodes: Vec<NodeData>,
    pub(super) parents: Vec<u32>,
    pub(super) attributes: Vec<AttributeData>,
    pub(super) declarations: Vec<DeclarationData>,
    pub(super) children: Vec<NodeId>,
    /// The spans of the declared namespace URIs, by [`UriId`] (the first, the `xml` namespace's,
    /// unused).
    pub(super) uris: Vec<Span>,
    /// Comments and PIs before and after the document element, and the document element.
    pub(super) top: Vec<NodeId>,
    pub(super) root: NodeId,
    /// The [`PrefixId`] of every prefix declared in the document, `xml` excepted.
    pub(super) prefix_ids: NameMap<Span, PrefixId>,
}

/// A parsed document. It borrows the text it was parsed from (see [`Document::into_owned`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'input> {
    pub(super) text: Cow<'input, str>,
    pub(super) tree: Tree,
}

/// One node of a parsed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node<'a> {
    /// An element.
    Element(Element<'a>),
    /// Character data: adjacent text, references and CDATA sections merged into one node, with
    /// line ends normalized and references resolved.
    Text(&'a str),
    /// A comment (the text between `<!--` and `-->`), line ends normalized.
    Comment(&'a str),
    /// A processing instruction.
    ProcessingInstruction {
        /// The PI target.
        target: &'a str,
        /// Everything after the whitespace that follows the target; empty when there is none.
        data: &'a str,
    },
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Element<'a> {
    doc: &'a Document<'a>,
    id: u32,
    data: &'a ElementData,
}

/// An attribute of an element (namespace declarations are not attributes; see
/// [`Element::namespace_declarations`]).
#[derive(Clone, Copy)]
pub struct Attribute<'a> {
    doc: &'a Document<'a>,
    data: &'a AttributeData,
}

/// A namespace declaration (`xmlns="…"` or `xmlns:p="…"`) written on an element.
#[derive(Clone, Copy)]
pub struct NamespaceDeclaration<'a> {
    doc: &'a Document<'a>,
    data: &'a DeclarationData,
}

/// The span of a name's prefix, if it has one, from the span of the whole name and the prefix's
/// length.
fn prefix_span(qname: Span, prefix_len: u32) -> Option<Span> {
    (prefix_len > 0).then_some(Span { start: qname.start, len: prefix_len })
}

/// The span of a name's local part, from the span of the whole name and its prefix's length.
fn local_span(qname: Span, prefix_len: u32) -> Span {
    if prefix_len == 0 {
        qname
    } else {
        let skip = (prefix_len + 1).min(qname.len);
        Span { start: qname.start + skip, len: qname.len - skip }
    }
}

impl<'a> Element<'a> {
    /// The node id of this element.
    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }

    /// The prefix as written, if any.
    pub fn prefix(&self) -> Option<&'a str> {
        prefix_span(self.data.qname, self.data.prefix_len).map(|p| self.doc.str(p))
    }

    /// The local part of the name.
    pub fn local_name(&self) -> &'a str {
        self.doc.str(local_span(self.data.qname, self.data.prefix_len))
    }

    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> &'a str {
        self.doc.str(self.data.qname)
    }

    /// The resolved namespace URI; `None` when the element is in no namespace.
    pub fn namespace(&self) -> Option<&'a str> {
        self.doc.uri(self.data.namespace)
    }

    /// The number of the namespace URI ([`NO_NAMESPACE`] for none).
    pub(crate) fn namespace_id(&self) -> UriId {
        self.data.namespace
    }

    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.data.prefix_id
    }

    /// Whether the element has this namespace URI and local name.
    #[inline]
    pub fn is(&self, namespace: &str, local: &str) -> bool {
        let name = local_span(self.data.qname, self.data.prefix_len);
        // The length first: most elements a search passes over differ in it.
        name.len as usize == local.len() && self.doc.str(name) == local && self.namespace() == Some(namespace)
    }

    /// The attributes, in document order (namespace declarations excluded).
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes { doc: self.doc, items: self.data.attributes.of(&self.doc.tree.attributes) }
    }

    /// The namespace declarations written on this element, in document order.
    pub fn namespace_declarations(&self) -> NamespaceDeclarations<'a> {
        NamespaceDeclarations { doc: self.doc, items: self.data.declarations.of(&self.doc.tree.declarations) }
    }

    /// The child nodes, in document order.
    pub fn children(&self) -> &'a [NodeId] {
        self.data.children.of(&self.doc.tree.children)
    }

    /// The parent element; `None` for the document element.
    pub fn parent(&self) -> Option<NodeId> {
        self.doc.parent(NodeId(self.id))
    }

    /// The value of the attribute with this namespace URI (`None`: no namespace, the usual case
    /// for unprefixed attributes) and local name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&'a str> {
        let doc = self.doc;
        let items = self.data.attributes.of(&doc.tree.attributes);
        let found = match namespace {
            // No namespace: a number to compare before any name.
            None => items.iter().find(|a| a.namespace == NO_NAMESPACE && doc.str(a.qname) == local),
            Some(_) => items
                .iter()
                .find(|a| doc.str(local_span(a.qname, a.prefix_len)) == local && doc.uri(a.namespace) == namespace),
        };
        found.map(|a| doc.str(a.value))
    }
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Element")
            .field("id", &self.id)
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .finish_non_exhaustive()
    }
}

/// Two views are equal when they are the same element of the same document.
impl PartialEq for Element<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.data, other.data)
    }
}
impl Eq for Element<'_> {}

impl<'a> Attribute<'a> {
    /// The prefix as written, if any.
    pub fn prefix(&self) -> Option<&'a str> {
        prefix_span(self.data.qname, self.data.prefix_len).map(|p| self.doc.str(p))
    }

    /// The local part of the name.
    pub fn local_name(&self) -> &'a str {
        self.doc.str(local_span(self.data.qname, self.data.prefix_len))
    }

    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> &'a str {
        self.doc.str(self.data.qname)
    }

    /// The namespace URI; `None` for unprefixed attributes (they are in no namespace).
    pub fn namespace(&self) -> Option<&'a str> {
        self.doc.uri(self.data.namespace)
    }

    /// The number of the namespace URI ([`NO_NAMESPACE`] for none).
    pub(crate) fn namespace_id(&self) -> UriId {
        self.data.namespace
    }

    /// The normalized value (XML 1.0 §3.3.3 for CDATA attributes: references resolved,
    /// literal tabs and line ends turned into spaces).
    pub fn value(&self) -> &'a str {
        self.doc.str(self.data.value)
    }

    /// The prefix's number; [`DEFAULT_PREFIX`] for an unprefixed attribute (which is in no
    /// namespace).
    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.data.prefix_id
    }

    /// Whether the value is the text between double quotes as written: it then holds no `&`,
    /// `<`, `"`, tab or line end (a reference, a tab or a line end makes a changed value, and
    /// `"` cannot appear between double quotes).
    pub(crate) fn is_plain_value(&self) -> bool {
        self.data.value.len == 0 || self.doc.written_after(self.data.value, b'"')
    }
}

impl fmt::Debug for Attribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attribute")
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .field("value", &self.value())
            .finish()
    }
}

impl<'a> NamespaceDeclaration<'a> {
    /// The declared prefix; `None` for the default namespace (`xmlns="…"`).
    pub fn prefix(&self) -> Option<&'a str> {
        Some(self.doc.str(self.data.prefix)).filter(|p| !p.is_empty())
    }

    /// The namespace URI; empty for `xmlns=""` (which undeclares the default namespace).
    pub fn uri(&self) -> &'a str {
        self.doc.uri(self.data.uri).unwrap_or_default()
    }

    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.data.prefix_id
    }

    /// The number of the namespace URI ([`NO_NAMESPACE`] for `xmlns=""`).
    pub(crate) fn uri_id(&self) -> UriId {
        self.data.uri
    }
}

impl fmt::Debug for NamespaceDeclaration<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamespaceDeclaration").field("prefix", &self.prefix()).field("uri", &self.uri()).finish()
    }
}

macro_rules! view_list {
    ($(#[$doc:meta])* $list:ident, $(#[$iter_doc:meta])* $iter:ident, $item:ident, $data:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $list<'a> {
            doc: &'a Document<'a>,
            items: &'a [$data],
        }

        impl<'a> $list<'a> {
            /// How many there are.
            pub fn len(&self) -> usize {
                self.items.len()
            }

            /// Whether there are none.
            pub fn is_empty(&self) -> bool {
                self.items.is_empty()
            }

            /// The one at `index`, in document order.
            pub fn get(&self, index: usize) -> Option<$item<'a>> {
                self.items.get(index).map(|data| $item { doc: self.doc, data })
            }

            /// All of them, in document order.
            pub fn iter(&self) -> $iter<'a> {
                $iter { doc: self.doc, items: self.items.iter() }
            }
        }

        impl<'a> IntoIterator for $list<'a> {
            type Item = $item<'a>;
            type IntoIter = $iter<'a>;

            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        impl fmt::Debug for $list<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        $(#[$iter_doc])*
        #[derive(Clone)]
        pub struct $iter<'a> {
            doc: &'a Document<'a>,
            items: std::slice::Iter<'a, $data>,
        }

        impl<'a> Iterator for $iter<'a> {
            type Item = $item<'a>;

            fn next(&mut self) -> Option<$item<'a>> {
                let doc = self.doc;
                self.items.next().map(|data| $item { doc, data })
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.items.size_hint()
            }
        }

        impl DoubleEndedIterator for $iter<'_> {
            fn next_back(&mut self) -> Option<Self::Item> {
                let doc = self.doc;
                self.items.next_back().map(|data| $item { doc, data })
            }
        }

        impl ExactSizeIterator for $iter<'_> {}

        impl fmt::Debug for $iter<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.clone()).finish()
            }
        }
    };
}

view_list!(
    /// The attributes of an [`Element`] ([`Element::attributes`]).
    Attributes,
    /// An iterator over [`Attributes`].
    AttributesIter,
    Attribute,
    AttributeData
);
view_list!(
    /// The namespace declarations of an [`Element`] ([`Element::namespace_declarations`]).
    NamespaceDeclarations,
    /// An iterator over [`NamespaceDeclarations`].
    NamespaceDeclarationsIter,
    NamespaceDeclaration,
    DeclarationData
);

impl<'input> Document<'input> {
    fn str(&self, span: Span) -> &str {
        resolve(&self.text, &self.tree.changed, span)
    }

    /// Whether `span` is a range of the text as written (not a changed value) right after the
    /// byte `before`.
    fn written_after(&self, span: Span, before: u8) -> bool {
        let start = span.start as usize;
        start < self.text.len() && start.checked_sub(1).and_then(|i| self.text.as_bytes().get(i)) == Some(&before)
    }

    /// Whether node `id` is a text node written as plain character data (right after a tag's
    /// `>`, not a CDATA section's content, with no reference or carriage return, which would have
    /// made it a changed value): its text then holds no `&`, `<` or carriage return.
    pub(crate) fn is_plain_text(&self, id: NodeId) -> bool {
        matches!(self.tree.nodes.get(id.index()), Some(NodeData::Text(t)) if self.written_after(*t, b'>'))
    }

    /// The namespace URI numbered `id`; `None` for [`NO_NAMESPACE`]. Within one document, equal
    /// URIs have equal numbers.
    pub(crate) fn uri(&self, id: UriId) -> Option<&str> {
        match id {
            NO_NAMESPACE => None,
            XML_NAMESPACE => Some(ns::XML),
            _ => self.tree.uris.get(id as usize).map(|&s| self.str(s)),
        }
    }

    /// Whether the namespace URI numbered `id` is written between double quotes as it is (see
    /// [`Attribute::is_plain_value`]); the `xml` namespace's and no namespace are.
    pub(crate) fn is_plain_uri(&self, id: UriId) -> bool {
        match id {
            NO_NAMESPACE | XML_NAMESPACE => true,
            _ => self.tree.uris.get(id as usize).is_some_and(|&s| s.len == 0 || self.written_after(s, b'"')),
        }
    }

    /// The same document, owning its text (a copy of it if it was borrowed), so it can outlive
    /// the text it was parsed from.
    pub fn into_owned(self) -> Document<'static> {
        Document { text: Cow::Owned(self.text.into_owned()), tree: self.tree }
    }

    /// The document element.
    pub fn root(&self) -> NodeId {
        self.tree.root
    }

    /// The nodes at document level, in order: comments and processing instructions before and
    /// after the document element, and the document element itself.
    pub fn document_children(&self) -> &[NodeId] {
        &self.tree.top
    }

    /// The node with this id.
    ///
    /// # Panics
    /// If `id` does not come from this document.
    pub fn node(&self, id: NodeId) -> Node<'_> {
        match &self.tree.nodes[id.index()] {
            NodeData::Element(data) => Node::Element(Element { doc: self, id: id.0, data }),
            NodeData::Text(t) => Node::Text(self.str(*t)),
            NodeData::Comment(c) => Node::Comment(self.str(*c)),
            NodeData::ProcessingInstruction { target, data } => {
                Node::ProcessingInstruction { target: self.str(*target), data: self.str(*data) }
            }
        }
    }

    /// The element with this id, or `None` if the node is not an element.
    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match self.tree.nodes.get(id.index()) {
            Some(NodeData::Element(data)) => Some(Element { doc: self, id: id.0, data }),
            _ => None,
        }
    }

    /// The children of a node (empty for anything but elements).
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        match self.tree.nodes.get(id.index()) {
            Some(NodeData::Element(data)) => data.children.of(&self.tree.children),
            _ => &[],
        }
    }

    /// The parent element of a node; `None` for document-level nodes.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        match self.tree.parents.get(id.index()) {
            Some(&p) if p != NO_PARENT => Some(NodeId(p)),
            _ => None,
        }
    }

    fn is_element(&self, id: NodeId) -> bool {
        matches!(self.tree.nodes.get(id.index()), Some(NodeData::Element(_)))
    }

    /// The child elements of a node, in document order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).iter().copied().filter(|&c| self.is_element(c))
    }

    /// The child elements with this namespace URI and local name.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.child_elements(id).filter(move |&c| self.element(c).is_some_and(|e| e.is(namespace, local)))
    }

    /// Every element of the document, in document order: a scan of the arena, cheaper than
    /// walking the tree from the root (every element descends from it).
    pub fn elements(&self) -> impl Iterator<Item = (NodeId, Element<'_>)> + '_ {
        self.tree.nodes.iter().enumerate().filter_map(|(i, n)| match n {
            NodeData::Element(data) => Some((NodeId(i as u32), Element { doc: self, id: i as u32, data })),
            _ => None,
        })
    }

    /// The node and all its descendants, in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { next: id.0, end: self.subtree_end(id), doc: std::marker::PhantomData }
    }

    /// One past the last node of `id`'s subtree: the arena is in document order, so a subtree is
    /// the range from its root to just after its last descendant (found down the last children).
    fn subtree_end(&self, id: NodeId) -> u32 {
        let mut at = id;
        while let Some(&last) = self.children(at).last() {
            at = last;
        }
        at.0.saturating_add(1)
    }

    /// The concatenation of every descendant text node, in document order (comments and
    /// processing instructions contribute nothing, and never split the result): borrowed from
    /// the document when there is at most one text node, as in most elements.
    pub fn text_content(&self, id: NodeId) -> Cow<'_, str> {
        let mut texts = self.subtree(id).iter().filter_map(|n| match n {
            NodeData::Text(t) => Some(self.str(*t)),
            _ => None,
        });
        let Some(first) = texts.next() else { return Cow::Borrowed("") };
        match texts.next() {
            None => Cow::Borrowed(first),
            Some(second) => {
                let mut out = String::from(first);
                out.push_str(second);
                texts.for_each(|t| out.push_str(t));
                Cow::Owned(out)
            }
        }
    }

    fn subtree(&self, id: NodeId) -> &[NodeData] {
        self.tree.nodes.get(id.index()..self.subtree_end(id) as usize).unwrap_or_default()
    }

    /// Whether the element has any comment or processing-instruction descendant (a verifier
    /// may refuse those inside identity elements).
    pub fn has_comment_or_pi(&self, id: NodeId) -> bool {
        self.subtree(id).iter().any(|n| matches!(n, NodeData::Comment(_) | NodeData::ProcessingInstruction { .. }))
    }

    /// How many [`PrefixId`]s the document uses (the size of a table indexed by them).
    pub(crate) fn prefix_count(&self) -> usize {
        self.tree.prefix_ids.len() + 2
    }

    /// The [`PrefixId`] of `prefix` (`None`: the default namespace), if the document declares it.
    pub(crate) fn prefix_id(&self, prefix: Option<&str>) -> Option<PrefixId> {
        match prefix {
            None => Some(DEFAULT_PREFIX),
            Some("xml") => Some(XML_PREFIX),
            Some(p) => self.tree.prefix_ids.get(p, |at| resolve(&self.text, "", at)),
        }
    }

    /// Number of nodes in the document.
    pub fn len(&self) -> usize {
        self.tree.nodes.len()
    }

    /// Always false: a parsed document has at least its document element.
    pub fn is_empty(&self) -> bool {
        self.tree.nodes.is_empty()
    }
}

/// Iterator over a node and its descendants in document order; see [`Document::descendants`].
#[derive(Debug, Clone)]
pub struct Descendants<'a> {
    next: u32,
    end: u32,
    doc: std::marker::PhantomData<&'a Document<'a>>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        Some(NodeId(self.next - 1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.end - self.next.min(self.end)) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Descendants<'_> {}
