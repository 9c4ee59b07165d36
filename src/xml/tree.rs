//! The tree one parse builds: an arena of [`Node`]s in document order, read by the verifier and
//! canonicalized by [`crate::dsig::c14n`]. Only [`Document::parse`] builds one.

use std::collections::HashMap;
use std::sync::Arc;

/// The index of a node in a [`Document`]. Only meaningful for the document it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) u32);

impl NodeId {
    /// The position of the node in the document's arena (document order of node starts).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One node of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data: adjacent text, references and CDATA sections merged into one node, with
    /// line ends normalized and references resolved.
    Text(String),
    /// A comment (the text between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction.
    ProcessingInstruction {
        /// The PI target.
        target: String,
        /// Everything after the whitespace that follows the target; empty when there is none.
        data: String,
    },
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

/// A namespace declaration (`xmlns="…"` or `xmlns:p="…"`) written on an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceDeclaration {
    pub(super) prefix: Option<Box<str>>,
    pub(super) prefix_id: PrefixId,
    pub(super) uri: Arc<str>,
}

impl NamespaceDeclaration {
    /// The declared prefix; `None` for the default namespace (`xmlns="…"`).
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// The namespace URI; empty for `xmlns=""` (which undeclares the default namespace).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.prefix_id
    }
}

/// An attribute of an element (namespace declarations are not attributes; see
/// [`Element::namespace_declarations`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub(super) qname: Arc<str>,
    /// Length of the prefix (position of the colon); 0 when there is no prefix.
    pub(super) prefix_len: usize,
    pub(super) prefix_id: PrefixId,
    pub(super) namespace: Option<Arc<str>>,
    pub(super) value: String,
}

impl Attribute {
    /// The prefix as written, if any.
    pub fn prefix(&self) -> Option<&str> {
        split_prefix(&self.qname, self.prefix_len).0
    }

    /// The local part of the name.
    pub fn local_name(&self) -> &str {
        split_prefix(&self.qname, self.prefix_len).1
    }

    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> &str {
        &self.qname
    }

    /// The namespace URI; `None` for unprefixed attributes (they are in no namespace).
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The normalized value (XML 1.0 §3.3.3 for CDATA attributes: references resolved,
    /// literal tabs and line ends turned into spaces).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The prefix's number; [`DEFAULT_PREFIX`] for an unprefixed attribute (which is in no
    /// namespace).
    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.prefix_id
    }
}

/// An element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub(super) qname: Arc<str>,
    pub(super) prefix_len: usize,
    pub(super) prefix_id: PrefixId,
    pub(super) namespace: Option<Arc<str>>,
    pub(super) attributes: Vec<Attribute>,
    pub(super) namespace_declarations: Vec<NamespaceDeclaration>,
    pub(super) children: Vec<NodeId>,
    pub(super) parent: Option<NodeId>,
}

impl Element {
    /// The prefix as written, if any.
    pub fn prefix(&self) -> Option<&str> {
        split_prefix(&self.qname, self.prefix_len).0
    }

    /// The local part of the name.
    pub fn local_name(&self) -> &str {
        split_prefix(&self.qname, self.prefix_len).1
    }

    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> &str {
        &self.qname
    }

    /// The resolved namespace URI; `None` when the element is in no namespace.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    pub(crate) fn prefix_id(&self) -> PrefixId {
        self.prefix_id
    }

    /// Whether the element has this namespace URI and local name.
    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.namespace() == Some(namespace) && self.local_name() == local
    }

    /// The attributes, in document order (namespace declarations excluded).
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The namespace declarations written on this element, in document order.
    pub fn namespace_declarations(&self) -> &[NamespaceDeclaration] {
        &self.namespace_declarations
    }

    /// The child nodes, in document order.
    pub fn children(&self) -> &[NodeId] {
        &self.children
    }

    /// The parent element; `None` for the document element.
    pub fn parent(&self) -> Option<NodeId> {
        self.parent
    }

    /// The value of the attribute with this namespace URI (`None`: no namespace, the usual case
    /// for unprefixed attributes) and local name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.local_name() == local && a.namespace() == namespace).map(|a| a.value())
    }
}

fn split_prefix(qname: &str, prefix_len: usize) -> (Option<&str>, &str) {
    if prefix_len == 0 { (None, qname) } else { (Some(&qname[..prefix_len]), &qname[prefix_len + 1..]) }
}

pub(super) const NO_PARENT: u32 = u32::MAX;

/// A parsed document: an arena of nodes in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub(super) nodes: Vec<Node>,
    pub(super) parents: Vec<u32>,
    /// Comments and PIs before and after the document element, and the document element.
    pub(super) top: Vec<NodeId>,
    pub(super) root: NodeId,
    /// The [`PrefixId`] of every prefix declared in the document, `xml` excepted.
    pub(super) prefix_ids: HashMap<Box<str>, PrefixId>,
}

impl Document {
    /// The document element.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The nodes at document level, in order: comments and processing instructions before and
    /// after the document element, and the document element itself.
    pub fn document_children(&self) -> &[NodeId] {
        &self.top
    }

    /// The node with this id.
    ///
    /// # Panics
    /// If `id` does not come from this document.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The element with this id, or `None` if the node is not an element.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match self.nodes.get(id.index()) {
            Some(Node::Element(e)) => Some(e),
            _ => None,
        }
    }

    /// The children of a node (empty for anything but elements).
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.element(id).map_or(&[], |e| e.children())
    }

    /// The parent element of a node; `None` for document-level nodes.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        match self.parents.get(id.index()) {
            Some(&p) if p != NO_PARENT => Some(NodeId(p)),
            _ => None,
        }
    }

    /// The child elements of a node, in document order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).iter().copied().filter(|&c| matches!(self.node(c), Node::Element(_)))
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
    pub fn elements(&self) -> impl Iterator<Item = (NodeId, &Element)> + '_ {
        self.nodes.iter().enumerate().filter_map(|(i, n)| match n {
            Node::Element(e) => Some((NodeId(i as u32), e)),
            _ => None,
        })
    }

    /// The node and all its descendants, in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { doc: self, stack: vec![id] }
    }

    /// The concatenation of every descendant text node, in document order (comments and
    /// processing instructions contribute nothing, and never split the result).
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let Node::Text(t) = self.node(n) {
                out.push_str(t);
            }
        }
        out
    }

    /// Whether the element has any comment or processing-instruction descendant (a verifier
    /// may refuse those inside identity elements).
    pub fn has_comment_or_pi(&self, id: NodeId) -> bool {
        self.descendants(id).any(|n| matches!(self.node(n), Node::Comment(_) | Node::ProcessingInstruction { .. }))
    }

    /// How many [`PrefixId`]s the document uses (the size of a table indexed by them).
    pub(crate) fn prefix_count(&self) -> usize {
        self.prefix_ids.len() + 2
    }

    /// The [`PrefixId`] of `prefix` (`None`: the default namespace), if the document declares it.
    pub(crate) fn prefix_id(&self, prefix: Option<&str>) -> Option<PrefixId> {
        match prefix {
            None => Some(DEFAULT_PREFIX),
            Some("xml") => Some(XML_PREFIX),
            Some(p) => self.prefix_ids.get(p).copied(),
        }
    }

    /// Number of nodes in the document.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a parsed document has at least its document element.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Iterator over a node and its descendants in document order; see [`Document::descendants`].
#[derive(Debug, Clone)]
pub struct Descendants<'a> {
    doc: &'a Document,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack.extend(self.doc.children(id).iter().rev().copied());
        Some(id)
    }
}
