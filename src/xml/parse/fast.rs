//! The parser's short paths for the tags machine-written XML is made of.
//!
//! A start tag whose names are ASCII, whose values need no normalization and that is within the
//! attribute limit is read here in one pass over its bytes (its namespace declarations, when it
//! has some, are then checked as the general path checks them); so is an end tag written
//! `</name>`. Every other tag, and every tag that breaks a rule, goes to the general path
//! ([`Parser::start`], [`Parser::end`]), which reads it again from its first byte: a short path
//! changes nothing before it knows that it accepts the tag, so it never decides an error, and the
//! tree it builds is the one the general path would build (the differential tests in `tests.rs`
//! and the `c14n` fuzz target compare the two).

use super::{Parser, RawAttr, offset32};
use crate::error::XmlError;
use crate::xml::chars::{ascii_name_run, same_name};
use crate::xml::tree::{AttributeData, DEFAULT_PREFIX, ElementData, NO_NAMESPACE, NO_PARENT, NodeData, Range, Span};

/// The most attributes of a start tag compared pairwise for duplicates (more are hashed).
const PAIRWISE: usize = 8;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is zero, exact up to the lowest one (a borrow may
/// mark bytes above it).
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH
}

/// The length of an attribute value that normalization leaves as written: `Some(n)` when the
/// closing `quote` is at `n` and no byte before it is `&`, `<` or below 0x20 (tab and line ends:
/// the parse has refused every other control character already). Eight bytes at a time.
fn plain_value_len(bytes: &[u8], quote: u8) -> Option<usize> {
    let stops = |b: u8| b == quote || b == b'&' || b == b'<' || b < 0x20;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else { break };
        let word = u64::from_le_bytes(chunk);
        let found = zero_bytes(word ^ (ONES * u64::from(quote)))
            | zero_bytes(word ^ (ONES * u64::from(b'&')))
            | zero_bytes(word ^ (ONES * u64::from(b'<')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if found != 0 {
            let i = at + (found.trailing_zeros() / 8) as usize;
            return (bytes[i] == quote).then_some(i);
        }
        at += 8;
    }
    let i = at + bytes[at..].iter().position(|&b| stops(b))?;
    (bytes[i] == quote).then_some(i)
}

fn is_ws(b: Option<&u8>) -> bool {
    matches!(b, Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// Whether an attribute's name makes it a namespace declaration.
fn is_declaration(name: &[u8]) -> bool {
    name.starts_with(b"xmlns") && (name.len() == 5 || name[5] == b':')
}

/// A start tag's shape, as [`read_tag`] found it.
struct Tag {
    /// The offset after the tag.
    next: usize,
    /// Where the tag's content (what is between `<` and `>` or `/>`) ends.
    content_end: usize,
    name_len: usize,
    prefix_len: usize,
    empty: bool,
    /// Whether an attribute is a namespace declaration.
    declarations: bool,
}

/// Reads the syntax of the start tag at `at` (a `<`) into `raw` (offsets from the `<`'s next
/// byte, as [`super::scan_attributes`] gives them): `None` unless the names are ASCII QNames,
/// every value needs no normalization, the tag has at most `max_attributes` attributes and it
/// is written without whitespace around any `=`.
#[inline]
fn read_tag(bytes: &[u8], at: usize, max_attributes: usize, raw: &mut Vec<RawAttr>) -> Option<Tag> {
    let content = at + 1;
    let (name_len, prefix_len) = ascii_name_run(bytes.get(content..)?);
    let prefix_len = prefix_len?;
    let mut declarations = false;
    let mut i = content + name_len;
    let (content_end, empty) = loop {
        let separated = is_ws(bytes.get(i));
        while is_ws(bytes.get(i)) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => break (i, false),
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                i += 1;
                break (i - 1, true);
            }
            _ if separated => {}
            _ => return None,
        }
        if raw.len() == max_attributes {
            return None;
        }
        let name_start = i;
        let (len, plen) = ascii_name_run(&bytes[i..]);
        let plen = plen?;
        declarations |= is_declaration(&bytes[i..i + len]);
        i += len;
        if bytes.get(i) != Some(&b'=') {
            return None;
        }
        let quote = *bytes.get(i + 1).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 2;
        let value_len = plain_value_len(&bytes[value_start..], quote)?;
        i = value_start + value_len + 1;
        raw.push(RawAttr {
            name: (name_start - content, name_start + len - content),
            value: (value_start - content, value_start + value_len - content),
            checked: Some(plen),
        });
    };
    Some(Tag { next: i + 1, content_end, name_len, prefix_len, empty, declarations })
}

impl<'a> Parser<'a> {
    /// The start tag at `at` (a `<`), read in one pass when it is of the common form: the offset
    /// after it, or `None`, having changed nothing, for the general path to read it. A tag that
    /// declares namespaces is split here and checked by the general path's
    /// [`Parser::start_scanned`], as it would be once split.
    ///
    /// # Errors
    /// Only what the general path would return for the same tag once it had split it.
    pub(super) fn fast_start(&mut self, at: usize) -> Result<Option<usize>, XmlError> {
        if self.stack.len() >= self.limits.max_depth || (self.root.is_some() && self.stack.is_empty()) {
            return Ok(None);
        }
        let mut raw = std::mem::take(&mut self.raw_attrs);
        raw.clear();
        let result = self.fast_start_with(at, &mut raw);
        self.raw_attrs = raw;
        result
    }

    fn fast_start_with(&mut self, at: usize, raw: &mut Vec<RawAttr>) -> Result<Option<usize>, XmlError> {
        let Some(tag) = read_tag(self.input.as_bytes(), at, self.limits.max_attributes, raw) else { return Ok(None) };
        let input = self.input;
        let content = &input[at + 1..tag.content_end];
        let name = &content[..tag.name_len];
        if tag.declarations {
            self.flush_text()?;
            self.start_scanned(content, name, tag.prefix_len, at, raw)?;
        } else {
            let first_attribute = self.attributes.len();
            let Some(mut element) = self.plain_element(at + 1, &tag, raw) else {
                self.attributes.truncate(first_attribute);
                return Ok(None);
            };
            self.flush_text()?;
            if tag.empty {
                // Opened and closed at once: no children, no bindings to end.
                let children = offset32(self.children.len());
                element.children = Range { start: children, end: children };
                let id = self.push_node(NodeData::Element(element))?;
                if self.stack.is_empty() {
                    self.root = Some(id);
                }
                return Ok(Some(tag.next));
            }
            self.open_element(element)?;
        }
        if tag.empty {
            self.end(None, at)?;
        }
        Ok(Some(tag.next))
    }

    /// The element of a tag that declares no namespace, its attributes pushed: `None` for an
    /// undeclared prefix, a duplicate attribute or the node limit (the general path reports
    /// each; the caller drops the attributes pushed).
    fn plain_element(&mut self, content: usize, tag: &Tag, raw: &[RawAttr]) -> Option<ElementData> {
        let input = self.input;
        let bytes = input.as_bytes();
        let first_attribute = self.attributes.len();
        for a in raw {
            let (name_start, plen) = (content + a.name.0, a.checked?);
            let (prefix_id, namespace) = if plen == 0 {
                (DEFAULT_PREFIX, NO_NAMESPACE)
            } else {
                self.lookup_prefix(&input[name_start..name_start + plen])?
            };
            // Equal expanded names (a namespace is its number; an unprefixed attribute is in
            // none): the general path reports the duplicate. A few attributes are compared
            // pairwise, more are hashed below.
            let local = &bytes[name_start + if plen == 0 { 0 } else { plen + 1 }..content + a.name.1];
            let duplicate = raw.len() <= PAIRWISE
                && self.attributes[first_attribute..].iter().any(|b| {
                    let other = &bytes[b.qname.start as usize..(b.qname.start + b.qname.len) as usize];
                    let other_local = &other[if b.prefix_len == 0 { 0 } else { b.prefix_len as usize + 1 }..];
                    b.namespace == namespace && same_name(other_local, local)
                });
            if duplicate {
                return None;
            }
            self.attributes.push(AttributeData {
                qname: Span { start: offset32(name_start), len: offset32(a.name.1 - a.name.0) },
                prefix_len: offset32(plen),
                prefix_id,
                namespace,
                value: Span { start: offset32(content + a.value.0), len: offset32(a.value.1 - a.value.0) },
            });
        }
        if raw.len() > PAIRWISE && self.duplicate_attribute(first_attribute).is_some() {
            return None;
        }
        let (prefix_id, namespace) = if tag.prefix_len == 0 {
            (DEFAULT_PREFIX, self.scopes.default_ns())
        } else {
            self.lookup_prefix(&input[content..content + tag.prefix_len])?
        };
        // The node limit: the general path reports it.
        if self.nodes.len() + 2 > self.limits.max_nodes || self.nodes.len() + 2 >= NO_PARENT as usize {
            return None;
        }
        let declarations = offset32(self.declarations.len());
        Some(ElementData {
            qname: Span { start: offset32(content), len: offset32(tag.name_len) },
            prefix_len: offset32(tag.prefix_len),
            prefix_id,
            namespace,
            attributes: Range { start: offset32(first_attribute), end: offset32(self.attributes.len()) },
            declarations: Range { start: declarations, end: declarations },
            children: Range::default(),
        })
    }

    /// The end tag at `at` (`</`) when it is written `</name>` with the open element's name: the
    /// offset after it, or `None` for the general path to read it.
    ///
    /// # Errors
    /// Only the node limit, reached by the pending text (as in the general path).
    pub(super) fn fast_end(&mut self, at: usize) -> Result<Option<usize>, XmlError> {
        let Some(&open) = self.stack.last() else { return Ok(None) };
        let Some(element) = self.element_data(open) else { return Ok(None) };
        let (start, len) = (element.qname.start as usize, element.qname.len as usize);
        let bytes = self.input.as_bytes();
        let name_at = at + 2;
        let matches = bytes.get(name_at + len) == Some(&b'>')
            && bytes.get(start..start + len).is_some_and(|open| same_name(open, &bytes[name_at..name_at + len]));
        if !matches {
            return Ok(None);
        }
        self.flush_text()?;
        self.end(None, at)?;
        Ok(Some(name_at + len + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_value_ends_at_its_quote_and_nothing_else_does() {
        for (bytes, quote, expected) in [
            (&b"abc\" x"[..], b'"', Some(3)),
            (b"abcdefghijklmnop'", b'\'', Some(16)),
            (b"abcdefgh\"", b'"', Some(8)),
            (b"a'b\"", b'"', Some(3)),
            (b"a\"b'", b'\'', Some(3)),
            (b"\"", b'"', Some(0)),
            (b"abcdefghij&amp;\"", b'"', None),
            (b"abcdefghijklm<\"", b'"', None),
            (b"ab\tc\"", b'"', None),
            (b"abcdefghijk\nl\"", b'"', None),
            (b"abcdefghi\r\"", b'"', None),
            (b"no quote at all, however long it is", b'"', None),
            (b"", b'"', None),
            // Bytes above 0x7F (UTF-8) and 0x7F itself are plain.
            ("é€\u{7F}ü\"".as_bytes(), b'"', Some(8)),
            // A stop in the same word as the quote, before it and after it.
            (b"ab&\"", b'"', None),
            (b"ab\"&", b'"', Some(2)),
        ] {
            assert_eq!(plain_value_len(bytes, quote), expected, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn declarations_are_told_by_name() {
        assert!(is_declaration(b"xmlns") && is_declaration(b"xmlns:a"));
        assert!(!is_declaration(b"xmlnsa") && !is_declaration(b"xml") && !is_declaration(b"a:xmlns"));
    }
}
