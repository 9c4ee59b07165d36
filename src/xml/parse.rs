//! The hardened parser for untrusted XML.
//!
//! One parse builds one [`Document`]: an arena of [`Node`]s that is used both for canonicalization
//! ([`crate::dsig::c14n`]) and for reading, so the bytes a signature covers and the tree a
//! verifier reads can never disagree.
//!
//! The parser is deliberately strict:
//! - no DTD at all (`<!DOCTYPE` is rejected wherever it appears), hence no entities other than
//!   the five predefined ones (`lt gt amp apos quot`) and character references;
//! - input size, element depth, attributes per element and node count are capped
//!   ([`ParseLimits`]);
//! - only UTF-8, XML 1.0; characters outside the XML 1.0 `Char` production are rejected, literal
//!   or referenced;
//! - Namespaces in XML 1.0 are enforced: every prefix must be declared, `xmlns:p=""` and
//!   bindings of the reserved `xml`/`xmlns` prefixes and namespace names are rejected, and
//!   duplicate attributes are detected by expanded name (which two equal written names share),
//!   duplicate namespace declarations by written name.
//!
//! Tokenizing is done by [`crate::xml::tokenize`], which finds where each token ends; everything
//! it leaves raw (attribute syntax, references, end-of-line handling, names, namespaces) is
//! checked here. The tags of the common form are read by the short paths of [`fast`] instead,
//! in one pass, and build the same tree.

use std::borrow::Cow;
use std::hash::{BuildHasher as _, RandomState};

use crate::error::{XmlError, truncate};
use crate::xml::chars::{ascii_qname, first_invalid, is_name, is_ncname, is_xml_code_point, same_name};
use crate::xml::name_map::NameMap;
use crate::xml::ns;
use crate::xml::tokenize::{Token, Tokenizer};

pub use super::tree::{Attribute, Descendants, Document, Element, NamespaceDeclaration, Node, NodeId};
use super::tree::{
    AttributeData, DEFAULT_PREFIX, DeclarationData, ElementData, NO_NAMESPACE, NO_PARENT, NodeData, PrefixId, Range,
    Span, Tree, UriId, XML_NAMESPACE, XML_PREFIX, resolve,
};

/// Caps applied while parsing untrusted XML. Exceeding any of them is an error, never a
/// truncation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLimits {
    /// Largest accepted input, in bytes (checked before parsing). Default 256 KiB.
    pub max_bytes: usize,
    /// Deepest accepted element nesting; the document element is at depth 1. Default 64.
    pub max_depth: usize,
    /// Most attributes on one element, namespace declarations included. Default 64.
    pub max_attributes: usize,
    /// Most nodes (elements, text, comments, processing instructions) in the document.
    /// Default 100 000.
    pub max_nodes: usize,
    /// Most prefixes in an XML-DSig InclusiveNamespaces PrefixList (checked by the signature
    /// verifier before it canonicalizes anything). Default 64; real signers name a handful.
    pub max_prefix_list: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_bytes: 256 * 1024,
            max_depth: 64,
            max_attributes: 64,
            max_nodes: 100_000,
            max_prefix_list: 64,
        }
    }
}
impl<'input> Document<'input> {
    /// Parse untrusted XML text under `limits`. The document borrows `text`
    /// ([`Document::into_owned`] makes one that does not).
    ///
    /// # Errors
    /// Every way the input can be rejected is an [`XmlError`]: [`XmlError::TooLarge`],
    /// [`XmlError::TooDeep`], [`XmlError::TooManyAttributes`], [`XmlError::TooManyNodes`],
    /// [`XmlError::Doctype`], [`XmlError::UnknownEntity`], [`XmlError::UndeclaredPrefix`],
    /// [`XmlError::DuplicateAttribute`], [`XmlError::InvalidNamespace`],
    /// [`XmlError::InvalidCharacter`] and, for anything else that is not well-formed,
    /// [`XmlError::Syntax`].
    ///
    /// The text is characters already: a leading byte order mark (U+FEFF) is skipped, and the
    /// XML declaration may name UTF-8, US-ASCII or ISO-8859-1 (what the bytes were). To parse
    /// bytes in one of those encodings, use [`Document::parse_bytes`].
    pub fn parse(text: &'input str, limits: &ParseLimits) -> Result<Document<'input>, XmlError> {
        parse_document(text, limits, true)
    }

    /// Parse untrusted XML bytes under `limits`: UTF-8 (with or without a byte order mark), or
    /// the encoding the XML declaration names when it is US-ASCII or ISO-8859-1 (decoded to
    /// characters first; the canonical form is UTF-8, as Canonical XML specifies).
    ///
    /// # Errors
    /// [`XmlError::Encoding`] for UTF-16 or another encoding, bytes that are not valid in the
    /// declared one; then as [`Document::parse`].
    pub fn parse_bytes(bytes: &'input [u8], limits: &ParseLimits) -> Result<Document<'input>, XmlError> {
        if bytes.len() > limits.max_bytes {
            return Err(XmlError::TooLarge { size: bytes.len(), limit: limits.max_bytes });
        }
        match decode(bytes)? {
            Cow::Borrowed(text) => Document::parse(text, limits),
            Cow::Owned(text) => {
                let tree = parse_tree(&text, limits)?;
                Ok(Document { text: Cow::Owned(text), tree })
            }
        }
    }
}

impl Document<'static> {
    /// [`Document::parse`] of a text the document then owns.
    pub(crate) fn parse_owned(mut text: String, limits: &ParseLimits) -> Result<Document<'static>, XmlError> {
        if text.len() > limits.max_bytes {
            return Err(XmlError::TooLarge { size: text.len(), limit: limits.max_bytes });
        }
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        let tree = parse_tree(&text, limits)?;
        Ok(Document { text: Cow::Owned(text), tree })
    }
}

/// The largest text a tree's 32-bit offsets can address, with room for the values the parser
/// changes (never longer, in all, than the text).
const MAX_TEXT: usize = (u32::MAX / 4) as usize;

fn parse_tree(text: &str, limits: &ParseLimits) -> Result<Tree, XmlError> {
    parse_tree_with(text, limits, true)
}

fn parse_tree_with(text: &str, limits: &ParseLimits, fast: bool) -> Result<Tree, XmlError> {
    if text.len() > limits.max_bytes || text.len() > MAX_TEXT {
        return Err(XmlError::TooLarge { size: text.len(), limit: limits.max_bytes.min(MAX_TEXT) });
    }
    check_chars(text)?;
    let mut parser = Parser::new(text, limits);
    parser.fast = fast;
    parser.run()
}

/// [`Document::parse`] with the parser's short paths turned off, every tag read by the general
/// path: what the differential tests and the `c14n` fuzz target compare [`Document::parse`]
/// with. The two give equal results on every input.
///
/// # Errors
/// As [`Document::parse`].
#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub fn parse_general<'i>(text: &'i str, limits: &ParseLimits) -> Result<Document<'i>, XmlError> {
    parse_document(text, limits, false)
}

/// [`Document::parse`], with or without the short paths.
fn parse_document<'i>(text: &'i str, limits: &ParseLimits, fast: bool) -> Result<Document<'i>, XmlError> {
    if text.len() > limits.max_bytes {
        return Err(XmlError::TooLarge { size: text.len(), limit: limits.max_bytes });
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let tree = parse_tree_with(text, limits, fast)?;
    Ok(Document { text: Cow::Borrowed(text), tree })
}

/// The characters of an XML document's bytes (see [`Document::parse_bytes`]).
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, XmlError> {
    let encoding_error = |message: String| XmlError::Encoding { message };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(encoding_error("the document is UTF-16 (byte order mark); samlkit reads UTF-8".into()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    match declared_encoding(bytes).map(|e| e.to_ascii_uppercase()).as_deref() {
        None | Some("UTF-8" | "UTF8") => std::str::from_utf8(bytes)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| encoding_error(format!("the document is not valid UTF-8 (at byte {})", e.valid_up_to()))),
        Some("US-ASCII" | "ASCII") => match bytes.iter().position(|b| !b.is_ascii()) {
            // ASCII is UTF-8.
            None => Ok(std::borrow::Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default())),
            Some(i) => Err(encoding_error(format!("byte 0x{:02X} at {i} is not US-ASCII, as declared", bytes[i]))),
        },
        Some("ISO-8859-1" | "LATIN1" | "ISO_8859-1" | "L1") => {
            Ok(std::borrow::Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()))
        }
        Some(other) => Err(encoding_error(format!(
            "the XML declaration names encoding `{}`; samlkit reads UTF-8, US-ASCII and ISO-8859-1",
            truncate(other)
        ))),
    }
}

/// The `encoding` pseudo-attribute of a leading XML declaration, if any (ASCII bytes only).
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let at = decl.find("encoding")?;
    let after = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
    let value = &after[1..];
    value.find(quote).map(|i| &value[..i])
}

/// Reject literal characters outside the XML 1.0 `Char` production.
fn check_chars(text: &str) -> Result<(), XmlError> {
    match first_invalid(text) {
        Some((i, c)) => Err(bad_char(format!("input at byte {i}"), u32::from(c))),
        None => Ok(()),
    }
}

fn bad_char(context: String, codepoint: u32) -> XmlError {
    XmlError::InvalidCharacter { context, codepoint }
}

fn syntax(position: usize, message: impl Into<String>) -> XmlError {
    XmlError::Syntax { position, message: message.into() }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Check a `QName` and return its prefix length (0 when unprefixed).
fn qname_prefix_len(name: &str) -> Option<usize> {
    if let Some(checked) = ascii_qname(name) {
        return checked;
    }
    match name.find(':') {
        None => is_ncname(name).then_some(0),
        Some(i) => (is_ncname(&name[..i]) && is_ncname(&name[i + 1..])).then_some(i),
    }
}

/// Append `raw` to `out` with XML 1.0 §2.11 end-of-line handling (`\r\n` and lone `\r`
/// become `\n`).
fn push_eol_normalized(out: &mut String, raw: &str) {
    if !raw.contains('\r') {
        out.push_str(raw);
        return;
    }
    let mut rest = raw;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
}

/// Resolve the body of a reference (`name` in `&name;`).
fn resolve_reference(name: &str, position: usize, context: &dyn Fn() -> String) -> Result<char, XmlError> {
    match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix('x') {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
            return Err(syntax(position, format!("malformed character reference `&{};`", truncate(name))));
        }
        // Saturate above the largest code point so huge references cannot overflow.
        let mut value: u32 = 0;
        for b in digits.bytes() {
            let d = (b as char).to_digit(radix).unwrap_or(0);
            value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
        }
        return match char::from_u32(value) {
            Some(c) if is_xml_code_point(value) => Ok(c),
            _ => Err(bad_char(context(), value)),
        };
    }
    if is_name(name) {
        Err(XmlError::UnknownEntity { name: truncate(name) })
    } else {
        Err(syntax(position, format!("malformed reference `&{};`", truncate(name))))
    }
}

/// Normalize an attribute value (XML 1.0 §3.3.3, CDATA): end-of-line handling, then literal
/// whitespace characters become spaces, then references are resolved (their characters are kept
/// as they are).
fn normalize_attribute_value(
    raw: &str,
    position: usize,
    context: &dyn Fn() -> String,
    out: &mut String,
) -> Result<(), XmlError> {
    let bytes = raw.as_bytes();
    if !bytes.iter().any(|&b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r')) {
        out.push_str(raw);
        return Ok(());
    }
    let mut i = 0;
    let mut plain = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => return Err(syntax(position, "`<` in an attribute value")),
            b'\t' | b'\n' | b'\r' => {
                out.push_str(&raw[plain..i]);
                out.push(' ');
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                i += 1;
                plain = i;
            }
            b'&' => {
                out.push_str(&raw[plain..i]);
                let end = raw[i..]
                    .find(';')
                    .ok_or_else(|| syntax(position, "unterminated reference in an attribute value"))?;
                out.push(resolve_reference(&raw[i + 1..i + end], position, context)?);
                i += end + 1;
                plain = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&raw[plain..]);
    Ok(())
}

/// The first of `n` items (by index) that equals an earlier one, found by sorting their hashes
/// (`hash(i)`) and comparing with `eq` only the items whose hashes are equal. Up to 8 items are
/// compared pairwise, which is cheaper.
fn find_duplicate(
    keys: &mut Vec<(u64, usize)>,
    n: usize,
    hash: impl Fn(usize) -> u64,
    eq: impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    if n <= 8 {
        return (1..n).find(|&i| (0..i).any(|j| eq(i, j)));
    }
    keys.clear();
    keys.extend((0..n).map(|i| (hash(i), i)));
    keys.sort_unstable();
    let mut found: Option<usize> = None;
    for run in keys.chunk_by(|a, b| a.0 == b.0) {
        for (k, &(_, i)) in run.iter().enumerate() {
            if run[..k].iter().any(|&(_, j)| eq(i, j)) {
                found = Some(found.map_or(i, |f| f.min(i)));
            }
        }
    }
    found
}

/// A raw attribute found in a start tag: byte ranges of name and value within the tag content.
#[derive(Clone, Copy)]
struct RawAttr {
    name: (usize, usize),
    value: (usize, usize),
    /// `Some(prefix length)` when the short path has split the tag: the name is a QName with a
    /// prefix this long (0: none), and the value needs no normalization. `None` from
    /// [`scan_attributes`], which checks neither.
    checked: Option<usize>,
}

/// Split the attribute part of a start tag (`content` is everything between `<` and `>` or
/// `/>`; attributes start at `from`).
fn scan_attributes(content: &str, from: usize, position: usize, out: &mut Vec<RawAttr>) -> Result<(), XmlError> {
    let bytes = content.as_bytes();
    let mut i = from;
    loop {
        let ws_start = i;
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return Ok(());
        }
        if i == ws_start {
            return Err(syntax(position, "attributes must be separated by whitespace"));
        }
        let name_start = i;
        while i < bytes.len() && !is_ws(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let name_end = i;
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() || bytes[i] != b'=' {
            return Err(syntax(position, "expected `=` after an attribute name"));
        }
        i += 1;
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        let quote = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(syntax(position, "attribute value must be quoted")),
        };
        i += 1;
        let value_start = i;
        let len = memchr::memchr(quote, &bytes[i..]).ok_or_else(|| syntax(position, "unterminated attribute value"))?;
        i += len;
        out.push(RawAttr { name: (name_start, name_end), value: (value_start, i), checked: None });
        i += 1;
    }
}

/// Namespace bindings in scope, per [`PrefixId`] the innermost first, so a lookup costs one
/// search of the prefix, however many bindings are in scope. Every binding made is kept in one
/// array, each linked to the one it hides.
struct Scopes<'a> {
    /// The document's text, where every prefix is.
    input: &'a str,
    /// The number of every prefix declared so far (`xml` excepted).
    ids: NameMap<Span, PrefixId>,
    /// Per [`PrefixId`]: the index in `bindings` of its innermost binding ([`NO_BINDING`]: none).
    innermost: Vec<u32>,
    /// Every binding made: the URI bound (`None`: `xmlns=""`) and the index of the binding of
    /// the same prefix it hides.
    bindings: Vec<(Option<UriId>, u32)>,
}

/// No binding (see [`Scopes::innermost`]).
const NO_BINDING: u32 = u32::MAX;

impl<'a> Scopes<'a> {
    fn new(input: &'a str) -> Self {
        Scopes { input, ids: NameMap::new(), innermost: vec![NO_BINDING; 2], bindings: Vec::with_capacity(8) }
    }

    fn id(&self, prefix: &str) -> Option<PrefixId> {
        self.ids.get(prefix, |at| resolve(self.input, "", at))
    }

    /// The number of a prefix (`None`: the default namespace), which is at `at` in the text,
    /// assigned on first declaration.
    fn intern(&mut self, prefix: Option<&str>, at: Span) -> PrefixId {
        match prefix {
            None => DEFAULT_PREFIX,
            Some("xml") => XML_PREFIX,
            Some(p) => {
                let (input, innermost) = (self.input, &mut self.innermost);
                self.ids.get_or_insert(
                    p,
                    at,
                    |at| resolve(input, "", at),
                    || {
                        innermost.push(NO_BINDING);
                        PrefixId::try_from(innermost.len() - 1).unwrap_or(PrefixId::MAX)
                    },
                )
            }
        }
    }

    /// The URI the prefix numbered `id` is bound to (`None`: unbound, or `xmlns=""`).
    fn uri(&self, id: PrefixId) -> Option<UriId> {
        let at = *self.innermost.get(id as usize)?;
        self.bindings.get(at as usize)?.0
    }

    /// The prefix's number and the URI it is bound to.
    fn lookup(&self, prefix: &str) -> Option<(PrefixId, UriId)> {
        if prefix == "xml" {
            return Some((XML_PREFIX, XML_NAMESPACE));
        }
        let id = self.id(prefix)?;
        Some((id, self.uri(id)?))
    }

    fn default_ns(&self) -> UriId {
        self.uri(DEFAULT_PREFIX).unwrap_or(NO_NAMESPACE)
    }

    fn push(&mut self, id: PrefixId, uri: UriId) {
        if let Some(innermost) = self.innermost.get_mut(id as usize) {
            self.bindings.push(((uri != NO_NAMESPACE).then_some(uri), *innermost));
            *innermost = offset32(self.bindings.len() - 1);
        }
    }

    /// Ends the innermost binding of the prefix numbered `id` (an element binds a prefix once).
    fn pop(&mut self, id: PrefixId) {
        if let Some(innermost) = self.innermost.get_mut(id as usize) {
            if let Some(&(_, hidden)) = self.bindings.get(*innermost as usize) {
                *innermost = hidden;
            }
        }
    }
}

/// Text being gathered into one node: nothing yet, a range of the input as it is, or a range
/// of the buffer of changed values (from this offset of the document's text to its end).
#[derive(Clone, Copy)]
enum Pending {
    None,
    Kept(Span),
    Changed(usize),
}

struct Parser<'a> {
    input: &'a str,
    limits: &'a ParseLimits,
    /// Values the parser changed (references resolved, line ends and attribute whitespace
    /// normalized), addressed after the input's last offset.
    changed: String,
    nodes: Vec<NodeData>,
    parents: Vec<u32>,
    attributes: Vec<AttributeData>,
    declarations: Vec<DeclarationData>,
    top: Vec<NodeId>,
    root: Option<NodeId>,
    stack: Vec<NodeId>,
    scopes: Scopes<'a>,
    pending: Pending,
    raw_attrs: Vec<RawAttr>,
    /// The number of every namespace URI declared so far, by value.
    uri_ids: NameMap<Span, UriId>,
    /// The span of each URI, by number.
    uris: Vec<Span>,
    /// Keyed hashing for the duplicate-attribute checks (random keys: no chosen collisions).
    hasher: RandomState,
    /// Scratch for [`find_duplicate`].
    keys: Vec<(u64, usize)>,
    /// Scratch: a start tag's namespace declarations (their index among its attributes), the
    /// numbers of their prefixes and where the prefixes are, in order.
    declared: Vec<(usize, PrefixId, Span)>,
    /// Per prefix number: the serial number of the last start tag that declared it.
    declared_by: Vec<u32>,
    /// The serial number of the start tag being read (counted from 1).
    tag_serial: u32,
    /// Whether tags of the common form take the short paths of [`fast`].
    fast: bool,
    /// The last two prefixes looked up and their numbers (a prefix's number never changes).
    prefix_cache: [(&'a str, PrefixId); 2],
    /// Whether the text has a carriage return, and `]]>`, anywhere: when it has not, no piece of
    /// it is searched for them.
    input_has_cr: bool,
    input_has_cdata_end: bool,
    /// The children of the open elements so far, outermost element's first.
    open_children: Vec<NodeId>,
    /// Per open element: where its children start in `open_children`.
    children_from: Vec<usize>,
    /// Every closed element's children, each element's a range.
    children: Vec<NodeId>,
}

/// A span's length or offset; every text is at most [`MAX_TEXT`] bytes and the changed values at
/// most as long again, so this never saturates.
fn offset32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, limits: &'a ParseLimits) -> Self {
        // Every element, comment and PI starts with `<`, and so does every end tag: about as
        // many nodes as `<`s, text included, so the arena is not regrown (a vectorized count,
        // cheap beside the parse). Within the node limit, and at most one node per 4 bytes (the
        // shortest element, `<a/>`), so `<`s in comments or values cannot reserve more.
        let capacity = memchr::memchr_iter(b'<', input.as_bytes())
            .count()
            .min(input.len() / 4)
            .min(limits.max_nodes)
            .saturating_add(1);
        // Each attribute has a `=`, and takes at least 4 bytes (` a=""`).
        let attributes = memchr::memchr_iter(b'=', input.as_bytes()).count().min(input.len() / 4);
        // The scratch the open elements need, for a shallow document.
        let depth = limits.max_depth.min(16);
        // The XML namespace's number is taken; its URI is not in the text.
        let mut uris = Vec::with_capacity(8);
        uris.push(Span::default());
        Parser {
            input,
            limits,
            changed: String::new(),
            nodes: Vec::with_capacity(capacity),
            parents: Vec::with_capacity(capacity),
            attributes: Vec::with_capacity(attributes),
            declarations: Vec::with_capacity(8),
            top: Vec::new(),
            root: None,
            stack: Vec::with_capacity(depth),
            scopes: Scopes::new(input),
            pending: Pending::None,
            raw_attrs: Vec::with_capacity(8),
            uri_ids: NameMap::new(),
            uris,
            hasher: RandomState::new(),
            keys: Vec::new(),
            declared: Vec::new(),
            declared_by: Vec::new(),
            tag_serial: 0,
            fast: true,
            prefix_cache: [("", DEFAULT_PREFIX); 2],
            input_has_cr: memchr::memchr(b'\r', input.as_bytes()).is_some(),
            // (A `]` is rare; a searcher for `]]>` costs more to build than this search.)
            input_has_cdata_end: memchr::memchr_iter(b']', input.as_bytes())
                .any(|i| input.as_bytes().get(i + 1..i + 3) == Some(b"]>")),
            open_children: Vec::with_capacity(depth * 4),
            children_from: Vec::with_capacity(depth),
            children: Vec::with_capacity(capacity),
        }
    }

    fn run(mut self) -> Result<Tree, XmlError> {
        let mut tokens = Tokenizer::new(self.input);
        let bytes = self.input.as_bytes();
        let mut first = true;
        loop {
            if self.fast {
                let at = tokens.position();
                let next = match (bytes.get(at), bytes.get(at + 1)) {
                    (Some(b'<'), Some(b'/')) => self.fast_end(at)?,
                    (Some(b'<'), Some(b)) if b.is_ascii_alphabetic() || *b == b'_' => self.fast_start(at)?,
                    _ => None,
                };
                if let Some(next) = next {
                    tokens.skip_to(next);
                    first = false;
                    continue;
                }
            }
            let Some((position, token)) = tokens.next_token()? else { break };
            let was_first = first;
            first = false;
            match token {
                Token::Declaration(content) => {
                    if !was_first {
                        return Err(syntax(position, "XML declaration not at the start of the document"));
                    }
                    check_declaration(content, position)?;
                }
                Token::Start { content, empty } => {
                    self.flush_text()?;
                    self.start(content, position)?;
                    if empty {
                        self.end(None, position)?;
                    }
                }
                Token::End(name) => {
                    self.flush_text()?;
                    self.end(Some(name), position)?;
                }
                Token::Text(text) => {
                    if self.stack.is_empty() {
                        if !text.bytes().all(is_ws) {
                            return Err(syntax(position, "text outside the document element"));
                        }
                    } else {
                        if self.input_has_cdata_end && memchr::memmem::find(text.as_bytes(), b"]]>").is_some() {
                            return Err(syntax(position, "`]]>` in text"));
                        }
                        self.text_piece(text);
                    }
                }
                Token::CData(cdata) => {
                    if self.stack.is_empty() {
                        return Err(syntax(position, "CDATA section outside the document element"));
                    }
                    self.text_piece(cdata);
                }
                Token::Reference(name) => {
                    if self.stack.is_empty() {
                        return Err(syntax(position, "reference outside the document element"));
                    }
                    let c = resolve_reference(name, position, &|| self.context_text())?;
                    self.pending_to_changed();
                    self.changed.push(c);
                }
                Token::Comment(comment) => {
                    self.flush_text()?;
                    if comment.contains("--") || comment.ends_with('-') {
                        return Err(syntax(position, "`--` inside a comment"));
                    }
                    let text = self.eol_span(comment);
                    self.push_node(NodeData::Comment(text))?;
                }
                Token::ProcessingInstruction { target, content } => {
                    self.flush_text()?;
                    if !is_ncname(target) {
                        return Err(syntax(position, "invalid processing instruction target"));
                    }
                    if target.eq_ignore_ascii_case("xml") {
                        return Err(syntax(position, "processing instruction target `xml` is reserved"));
                    }
                    let content = content.trim_start_matches([' ', '\t', '\r', '\n']);
                    let target = self.keep(target);
                    let data = self.eol_span(content);
                    self.push_node(NodeData::ProcessingInstruction { target, data })?;
                }
            }
        }
        if let Some(&open) = self.stack.last() {
            let name = self.element_name(open);
            return Err(syntax(self.input.len(), format!("element <{}> is not closed", truncate(name))));
        }
        let Some(root) = self.root else {
            return Err(syntax(self.input.len(), "no document element"));
        };
        let children = self.children;
        Ok(Tree {
            changed: self.changed,
            nodes: self.nodes,
            parents: self.parents,
            attributes: self.attributes,
            declarations: self.declarations,
            children,
            uris: self.uris,
            top: self.top,
            root,
            prefix_ids: self.scopes.ids,
        })
    }

    fn str(&self, span: Span) -> &str {
        resolve(self.input, &self.changed, span)
    }

    /// The offset the next changed value will start at.
    fn changed_end(&self) -> usize {
        self.input.len() + self.changed.len()
    }

    /// The span of the changed values from `start` to their end.
    fn changed_since(&self, start: usize) -> Span {
        Span { start: offset32(start), len: offset32(self.changed_end() - start) }
    }

    /// The span of `s`: where it is in the input, or (for text the tokenizer had to copy) a
    /// copy in the buffer of changed values.
    fn keep(&mut self, s: &str) -> Span {
        let at = (s.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        if at <= self.input.len() && s.len() <= self.input.len() - at {
            return Span { start: offset32(at), len: offset32(s.len()) };
        }
        let start = self.changed_end();
        self.changed.push_str(s);
        self.changed_since(start)
    }

    /// Whether `raw`, a piece of the text, has a carriage return.
    fn has_cr(&self, raw: &str) -> bool {
        self.input_has_cr && memchr::memchr(b'\r', raw.as_bytes()).is_some()
    }

    /// The span of `raw` with end-of-line handling: `raw` itself when it has no carriage return.
    fn eol_span(&mut self, raw: &str) -> Span {
        if !self.has_cr(raw) {
            return self.keep(raw);
        }
        let start = self.changed_end();
        push_eol_normalized(&mut self.changed, raw);
        self.changed_since(start)
    }

    /// Adds a piece of character data to the pending text node.
    fn text_piece(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let has_cr = self.has_cr(raw);
        if matches!(self.pending, Pending::None) && !has_cr {
            self.pending = Pending::Kept(self.keep(raw));
            return;
        }
        self.pending_to_changed();
        if has_cr {
            push_eol_normalized(&mut self.changed, raw);
        } else {
            self.changed.push_str(raw);
        }
    }

    /// Makes the pending text a changed value, so more can be appended to it.
    fn pending_to_changed(&mut self) {
        match self.pending {
            Pending::Changed(_) => {}
            Pending::None => self.pending = Pending::Changed(self.changed_end()),
            Pending::Kept(span) => {
                let start = self.changed_end();
                let text = resolve(self.input, "", span);
                self.changed.push_str(text);
                self.pending = Pending::Changed(start);
            }
        }
    }

    /// Adds the pending text node, if any.
    #[inline]
    fn flush_text(&mut self) -> Result<(), XmlError> {
        if matches!(self.pending, Pending::None) { Ok(()) } else { self.flush_pending() }
    }

    fn flush_pending(&mut self) -> Result<(), XmlError> {
        let span = match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => return Ok(()),
            Pending::Kept(span) => span,
            Pending::Changed(start) => self.changed_since(start),
        };
        if span.len > 0 {
            self.push_node(NodeData::Text(span))?;
        }
        Ok(())
    }

    /// [`Scopes::lookup`], through the cache of the last two prefixes' numbers.
    fn lookup_prefix(&mut self, prefix: &'a str) -> Option<(PrefixId, UriId)> {
        for (cached, id) in self.prefix_cache {
            if same_name(cached.as_bytes(), prefix.as_bytes()) {
                return Some((id, self.scopes.uri(id)?));
            }
        }
        let found = self.scopes.lookup(prefix)?;
        if found.0 != XML_PREFIX {
            self.prefix_cache = [(prefix, found.0), self.prefix_cache[0]];
        }
        Some(found)
    }

    fn element_data(&self, id: NodeId) -> Option<&ElementData> {
        match self.nodes.get(id.index()) {
            Some(NodeData::Element(e)) => Some(e),
            _ => None,
        }
    }

    fn element_name(&self, id: NodeId) -> &str {
        self.element_data(id).map_or("", |e| self.str(e.qname))
    }

    fn context_text(&self) -> String {
        match self.stack.last() {
            Some(&id) => format!("text of <{}>", truncate(self.element_name(id))),
            None => "text".to_owned(),
        }
    }

    #[inline]
    fn push_node(&mut self, node: NodeData) -> Result<NodeId, XmlError> {
        if self.nodes.len() >= self.limits.max_nodes || self.nodes.len() >= NO_PARENT as usize {
            return Err(XmlError::TooManyNodes { limit: self.limits.max_nodes });
        }
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.stack.last().copied();
        self.nodes.push(node);
        self.parents.push(parent.map_or(NO_PARENT, |p| p.0));
        match parent {
            // Its parent's children list is made when the parent closes (`end`).
            Some(_) => self.open_children.push(id),
            None => self.top.push(id),
        }
        Ok(id)
    }

    /// The span of an attribute value, normalized (XML 1.0 §3.3.3): the value as written when
    /// normalization changes nothing.
    fn attribute_value(&mut self, raw: &str, position: usize, context: &dyn Fn() -> String) -> Result<Span, XmlError> {
        if !raw.bytes().any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r')) {
            return Ok(self.keep(raw));
        }
        let start = self.changed_end();
        normalize_attribute_value(raw, position, context, &mut self.changed)?;
        Ok(self.changed_since(start))
    }

    fn start(&mut self, content: &'a str, position: usize) -> Result<(), XmlError> {
        let name_len = content.bytes().position(is_ws).unwrap_or(content.len());
        let name = &content[..name_len];
        let Some(prefix_len) = qname_prefix_len(name) else {
            return Err(syntax(position, format!("invalid element name `{}`", truncate(name))));
        };
        if self.root.is_some() && self.stack.is_empty() {
            return Err(syntax(position, "more than one document element"));
        }
        if self.stack.len() + 1 > self.limits.max_depth {
            return Err(XmlError::TooDeep { element: truncate(name), limit: self.limits.max_depth });
        }
        if name.len() == content.len() {
            return self.start_bare(name, prefix_len);
        }
        let mut raw = std::mem::take(&mut self.raw_attrs);
        raw.clear();
        let result = self.start_with(content, name, prefix_len, position, &mut raw);
        self.raw_attrs = raw;
        result
    }

    /// A start tag with no attribute and no namespace declaration (a common case, and every
    /// element of the widest documents).
    fn start_bare(&mut self, name: &'a str, prefix_len: usize) -> Result<(), XmlError> {
        let (prefix_id, namespace) = if prefix_len == 0 {
            (DEFAULT_PREFIX, self.scopes.default_ns())
        } else {
            let prefix = &name[..prefix_len];
            match self.lookup_prefix(prefix) {
                Some(found) => found,
                None if prefix == "xmlns" => {
                    return Err(XmlError::InvalidNamespace { declaration: truncate(name), element: truncate(name) });
                }
                None => {
                    return Err(XmlError::UndeclaredPrefix { prefix: truncate(prefix), element: truncate(name) });
                }
            }
        };
        let empty = |at: usize| Range { start: offset32(at), end: offset32(at) };
        let element = ElementData {
            qname: self.keep(name),
            prefix_len: offset32(prefix_len),
            prefix_id,
            namespace,
            attributes: empty(self.attributes.len()),
            declarations: empty(self.declarations.len()),
            children: Range::default(),
        };
        self.open_element(element)
    }

    /// Adds an element whose start tag has been read, and opens it.
    fn open_element(&mut self, element: ElementData) -> Result<(), XmlError> {
        let id = self.push_node(NodeData::Element(element))?;
        if self.stack.is_empty() {
            self.root = Some(id);
        }
        self.stack.push(id);
        self.children_from.push(self.open_children.len());
        Ok(())
    }

    fn start_with(
        &mut self,
        content: &'a str,
        name: &'a str,
        prefix_len: usize,
        position: usize,
        raw: &mut Vec<RawAttr>,
    ) -> Result<(), XmlError> {
        scan_attributes(content, name.len(), position, raw)?;
        self.start_scanned(content, name, prefix_len, position, raw)
    }

    /// The start tag `content` (at `position`) once its attributes have been split (`raw`).
    fn start_scanned(
        &mut self,
        content: &'a str,
        name: &'a str,
        prefix_len: usize,
        position: usize,
        raw: &[RawAttr],
    ) -> Result<(), XmlError> {
        if raw.len() > self.limits.max_attributes {
            return Err(XmlError::TooManyAttributes { element: truncate(name), limit: self.limits.max_attributes });
        }
        let attr_name = |a: &RawAttr| &content[a.name.0..a.name.1];
        let attr_value = |a: &RawAttr| &content[a.value.0..a.value.1];
        // Where the tag is in the document's text (names are spans of it).
        let base = self.keep(content).start;
        let span_of = |(from, to): (usize, usize)| Span { start: base + offset32(from), len: offset32(to - from) };
        let declared_prefix = |a: &RawAttr| {
            let qname = attr_name(a);
            if qname == "xmlns" { Some(None) } else { qname.strip_prefix("xmlns:").map(Some) }
        };

        // Duplicate namespace declarations: two that declare one prefix give it one number (a
        // duplicate attribute is found by its expanded name below). Each number is marked with
        // the tag that declared it last, so the check is one look per declaration.
        self.tag_serial = self.tag_serial.wrapping_add(1);
        let mut declared = std::mem::take(&mut self.declared);
        declared.clear();
        for (i, a) in raw.iter().enumerate() {
            let Some(prefix) = declared_prefix(a) else { continue };
            let prefix_span = match prefix {
                Some(_) => span_of((a.name.0 + "xmlns:".len(), a.name.1)),
                None => Span::default(),
            };
            let id = self.scopes.intern(prefix, prefix_span);
            let slot = id as usize;
            if self.declared_by.len() <= slot {
                self.declared_by.resize(slot + 1, 0);
            }
            if self.declared_by[slot] == self.tag_serial {
                self.declared = declared;
                return Err(XmlError::DuplicateAttribute {
                    element: truncate(name),
                    attribute: truncate(attr_name(a)),
                });
            }
            self.declared_by[slot] = self.tag_serial;
            declared.push((i, id, prefix_span));
        }

        // Namespace declarations first: they apply to the element's own name and attributes.
        let first_declaration = self.declarations.len();
        for &(i, prefix_id, prefix_span) in &declared {
            let a = &raw[i];
            let qname = attr_name(a);
            let prefix = declared_prefix(a).flatten();
            let invalid = || XmlError::InvalidNamespace { declaration: truncate(qname), element: truncate(name) };
            let context = || format!("attribute `{}` of <{}>", truncate(qname), truncate(name));
            let value_span = match a.checked {
                Some(_) => self.keep(attr_value(a)),
                None => self.attribute_value(attr_value(a), position, &context)?,
            };
            let value = resolve(self.input, &self.changed, value_span);
            match prefix {
                None => {
                    if value == ns::XML || value == ns::XMLNS {
                        return Err(invalid());
                    }
                }
                Some(p) => {
                    if !is_ncname(p) || p == "xmlns" || value.is_empty() || value == ns::XMLNS {
                        return Err(invalid());
                    }
                    if (p == "xml") != (value == ns::XML) {
                        return Err(invalid());
                    }
                }
            }
            let uri = if value.is_empty() {
                NO_NAMESPACE
            } else if value == ns::XML {
                XML_NAMESPACE
            } else {
                let (input, changed, uris) = (self.input, &self.changed, &mut self.uris);
                self.uri_ids.get_or_insert(
                    value,
                    value_span,
                    |at| resolve(input, changed, at),
                    || {
                        uris.push(value_span);
                        offset32(uris.len() - 1)
                    },
                )
            };
            self.declarations.push(DeclarationData { prefix: prefix_span, prefix_id, uri });
        }
        self.declared = declared;
        let declarations = Range { start: offset32(first_declaration), end: offset32(self.declarations.len()) };
        for d in &self.declarations[first_declaration..] {
            self.scopes.push(d.prefix_id, d.uri);
        }
        // The element is pushed only after its attributes, but an error on the way ends the
        // parse, so the scopes need not be consistent with the stack then.
        let (element_prefix_id, namespace) = if prefix_len == 0 {
            (DEFAULT_PREFIX, self.scopes.default_ns())
        } else {
            let prefix = &name[..prefix_len];
            if prefix == "xmlns" {
                return Err(XmlError::InvalidNamespace { declaration: truncate(name), element: truncate(name) });
            }
            match self.lookup_prefix(prefix) {
                Some(found) => found,
                None => {
                    return Err(XmlError::UndeclaredPrefix { prefix: truncate(prefix), element: truncate(name) });
                }
            }
        };

        let first_attribute = self.attributes.len();
        for a in raw.iter() {
            let qname = attr_name(a);
            if qname == "xmlns" || qname.starts_with("xmlns:") {
                continue;
            }
            let Some(plen) = a.checked.or_else(|| qname_prefix_len(qname)) else {
                return Err(syntax(position, format!("invalid attribute name `{}`", truncate(qname))));
            };
            let (prefix_id, namespace) = if plen == 0 {
                (DEFAULT_PREFIX, NO_NAMESPACE)
            } else {
                let prefix = &qname[..plen];
                match self.lookup_prefix(prefix) {
                    Some(found) => found,
                    None => {
                        return Err(XmlError::UndeclaredPrefix { prefix: truncate(prefix), element: truncate(name) });
                    }
                }
            };
            let context = || format!("attribute `{}` of <{}>", truncate(qname), truncate(name));
            let value = match a.checked {
                Some(_) => self.keep(attr_value(a)),
                None => self.attribute_value(attr_value(a), position, &context)?,
            };
            self.attributes.push(AttributeData {
                qname: span_of(a.name),
                prefix_len: offset32(plen),
                prefix_id,
                namespace,
                value,
            });
        }

        if let Some(i) = self.duplicate_attribute(first_attribute) {
            return Err(XmlError::DuplicateAttribute {
                element: truncate(name),
                attribute: truncate(self.str(self.attributes[i].qname)),
            });
        }

        let element = ElementData {
            qname: span_of((0, name.len())),
            prefix_len: offset32(prefix_len),
            prefix_id: element_prefix_id,
            namespace,
            attributes: Range { start: offset32(first_attribute), end: offset32(self.attributes.len()) },
            declarations,
            children: Range::default(),
        };
        self.open_element(element)
    }

    /// The index of the first of the attributes from `first_attribute` on (one start tag's)
    /// whose expanded name ({namespace}local; a namespace is its number, and an unprefixed
    /// attribute is in none) an earlier one has: hashed with random keys, so the check costs
    /// O(n log n) comparisons of integers, not n² of names.
    fn duplicate_attribute(&mut self, first_attribute: usize) -> Option<usize> {
        let attributes = &self.attributes[first_attribute..];
        let (input, changed, hasher) = (self.input, &self.changed, &self.hasher);
        let expanded = |i: usize| {
            let a = &attributes[i];
            let qname = resolve(input, changed, a.qname);
            let local =
                if a.prefix_len == 0 { qname } else { qname.get(a.prefix_len as usize + 1..).unwrap_or_default() };
            (a.namespace, local)
        };
        find_duplicate(
            &mut self.keys,
            attributes.len(),
            |i| hasher.hash_one(expanded(i)),
            |i, j| expanded(i) == expanded(j),
        )
        .map(|i| first_attribute + i)
    }

    fn end(&mut self, end: Option<&str>, position: usize) -> Result<(), XmlError> {
        let Some(id) = self.stack.pop() else {
            let name = end.map(truncate).unwrap_or_default();
            return Err(syntax(position, format!("end tag </{name}> without a start tag")));
        };
        let Some(element) = self.element_data(id) else {
            return Err(syntax(position, "internal: open node is not an element"));
        };
        let declarations = element.declarations;
        if let Some(end_name) = end {
            let start_name = self.str(element.qname);
            if end_name != start_name {
                return Err(syntax(
                    position,
                    format!("end tag </{}> does not match start tag <{}>", truncate(end_name), truncate(start_name)),
                ));
            }
        }
        for d in declarations.start..declarations.end {
            let prefix_id = self.declarations[d as usize].prefix_id;
            self.scopes.pop(prefix_id);
        }
        // Its children, all known now, move to their final place: one copy each.
        let from = self.children_from.pop().unwrap_or(self.open_children.len()).min(self.open_children.len());
        let start = offset32(self.children.len());
        self.children.extend_from_slice(&self.open_children[from..]);
        self.open_children.truncate(from);
        let end = offset32(self.children.len());
        if let Some(NodeData::Element(e)) = self.nodes.get_mut(id.index()) {
            e.children = Range { start, end };
        }
        Ok(())
    }
}

/// Check an XML declaration: `version="1.0"`, optional `encoding` (UTF-8 only, any case),
/// optional `standalone` (`yes`/`no`), in that order.
fn check_declaration(content: &str, position: usize) -> Result<(), XmlError> {
    let mut raw = Vec::new();
    scan_attributes(content, 3, position, &mut raw)?;
    let mut fields = raw.iter().map(|a| (&content[a.name.0..a.name.1], &content[a.value.0..a.value.1]));
    let bad = |m: &str| syntax(position, format!("XML declaration: {m}"));
    match fields.next() {
        Some(("version", "1.0")) => {}
        Some(("version", _)) => return Err(bad("only version 1.0 is supported")),
        _ => return Err(bad("version must come first")),
    }
    let mut next = fields.next();
    if let Some(("encoding", enc)) = next {
        // The text is characters already (Document::parse_bytes decodes these three).
        let known = ["UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "LATIN1", "ISO_8859-1", "L1"];
        if !known.iter().any(|k| enc.eq_ignore_ascii_case(k)) {
            return Err(bad("only UTF-8, US-ASCII and ISO-8859-1 encodings are supported"));
        }
        next = fields.next();
    }
    if let Some(("standalone", sd)) = next {
        if sd != "yes" && sd != "no" {
            return Err(bad("standalone must be yes or no"));
        }
        next = fields.next();
    }
    if next.is_some() {
        return Err(bad("unexpected pseudo-attribute"));
    }
    Ok(())
}

mod fast;
#[cfg(test)]
mod tests;
