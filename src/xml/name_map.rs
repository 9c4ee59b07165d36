//! A map from the names a document uses (namespace prefixes and URIs) to their numbers, keyed by
//! where each name is in the document's text (a span, `K`), so adding a name copies nothing.

use std::collections::HashMap;

/// The first [`NameMap::SMALL`] names go in a small open-addressed table under a cheap unkeyed
/// hash, probed at most [`NameMap::PROBES`] slots; a name that finds no slot there goes in a
/// hash map with random keys. Names chosen to collide under the cheap hash only push each other
/// into the keyed map, so every lookup stays O(1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NameMap<K, V> {
    /// Where each name is in the text, and its value.
    small: Vec<(K, V)>,
    /// Index + 1 into `small`, 0 for an empty slot; empty until the first name is added.
    slots: Vec<u16>,
    large: HashMap<Box<str>, V>,
}

impl<K: Copy, V: Copy> NameMap<K, V> {
    pub(super) const SMALL: usize = 48;
    const SLOTS: usize = 64;
    const PROBES: usize = 4;

    pub(super) fn new() -> Self {
        NameMap { small: Vec::new(), slots: Vec::new(), large: HashMap::new() }
    }

    /// The cheap hash: eight bytes at a time.
    fn hash(name: &[u8]) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut h = name.len() as u64;
        let mut words = name.chunks_exact(8);
        for word in &mut words {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            h = (h ^ u64::from_le_bytes(bytes)).wrapping_mul(K).rotate_left(29);
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        h = (h ^ u64::from_le_bytes(last)).wrapping_mul(K);
        (h >> 32) as usize
    }

    /// The value of `name`; `text` gives the name at a span of the document's text.
    pub(super) fn get<'t>(&self, name: &str, text: impl Fn(K) -> &'t str) -> Option<V> {
        if !self.slots.is_empty() {
            let h = Self::hash(name.as_bytes());
            for probe in 0..Self::PROBES {
                match self.slots[(h + probe) % Self::SLOTS] {
                    0 => break,
                    i => {
                        let (at, value) = self.small[usize::from(i) - 1];
                        if text(at) == name {
                            return Some(value);
                        }
                    }
                }
            }
        }
        if self.large.is_empty() { None } else { self.large.get(name).copied() }
    }

    /// Adds `name`, which is at `at` in the text and must not be in the map.
    pub(super) fn insert(&mut self, name: &str, at: K, value: V) {
        if self.small.len() < Self::SMALL {
            if self.slots.is_empty() {
                self.slots = vec![0; Self::SLOTS];
                self.small.reserve(8);
            }
            let h = Self::hash(name.as_bytes());
            for probe in 0..Self::PROBES {
                let slot = (h + probe) % Self::SLOTS;
                if self.slots[slot] == 0 {
                    self.small.push((at, value));
                    self.slots[slot] = self.small.len() as u16;
                    return;
                }
            }
        }
        self.large.insert(name.into(), value);
    }

    /// How many names the map holds.
    pub(super) fn len(&self) -> usize {
        self.small.len() + self.large.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Span = (usize, usize);

    #[test]
    fn finds_every_name_past_its_small_table() {
        let names: Vec<String> = (0..2_000).map(|i| format!("name{i}")).collect();
        let text = names.concat();
        let mut spans = Vec::new();
        let mut at = 0;
        for n in &names {
            spans.push((at, at + n.len()));
            at += n.len();
        }
        let resolve = |(from, to): Span| &text[from..to];
        let mut map = NameMap::new();
        assert!(map.get("name0", resolve).is_none() && map.slots.is_empty());
        for (i, n) in names.iter().enumerate() {
            assert!(map.get(n, resolve).is_none());
            map.insert(n, spans[i], i);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(map.get(n, resolve), Some(i), "{n}");
        }
        assert!(map.get("name2000", resolve).is_none() && map.get("", resolve).is_none());
        assert!(!map.large.is_empty() && map.small.len() <= NameMap::<Span, usize>::SMALL);
        assert_eq!(map.len(), 2_000);
    }

    #[test]
    fn the_cheap_hash_reads_every_byte() {
        let hashes: std::collections::HashSet<usize> =
            ["", "a", "b", "ab", "ba", "abcdefgh", "abcdefgi", "abcdefghi", "bbcdefghi"]
                .iter()
                .map(|n| NameMap::<Span, u8>::hash(n.as_bytes()))
                .collect();
        assert_eq!(hashes.len(), 9);
    }
}
