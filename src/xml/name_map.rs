//! A map from the names a document uses (namespace prefixes and URIs) to their numbers, keyed by
//! where each name is in the document's text (a span, `K`), so adding a name copies nothing.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

/// The first [`NameMap::SMALL`] names go in a small open-addressed table under a cheap unkeyed
/// hash, probed at most [`NameMap::PROBES`] slots; a name that finds no slot there goes in a
/// table under a hash with random keys. Names chosen to collide under the cheap hash only push
/// each other into the keyed table, so every lookup stays O(1). Neither copies a name.
#[derive(Debug, Clone)]
pub(super) struct NameMap<K, V> {
    /// Where each name is in the text, and its value.
    small: Vec<(K, V)>,
    /// Index + 1 into `small`, 0 for an empty slot; empty until the first name is added.
    slots: Vec<u16>,
    /// The names past the small table, in the order added: where each is, its value, and the
    /// index of the one added before it under the same keyed hash ([`NO_ENTRY`] if none).
    large: Vec<(K, V, u32)>,
    /// The keyed hash of each of those names: the index of the last one added under it.
    heads: HashMap<u64, u32, BuildHasherDefault<KeyedHash>>,
    keys: RandomState,
}

/// The end of a chain of [`NameMap`] names under one keyed hash.
const NO_ENTRY: u32 = u32::MAX;

/// The hasher of [`NameMap::heads`]: its keys are keyed hashes already, used as they are.
#[derive(Default)]
struct KeyedHash(u64);

impl Hasher for KeyedHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Two maps are equal when they hold the same names at the same places, in the same order.
impl<K: PartialEq, V: PartialEq> PartialEq for NameMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.small == other.small
            && self.slots == other.slots
            && self.large.len() == other.large.len()
            && self.large.iter().zip(&other.large).all(|(a, b)| a.0 == b.0 && a.1 == b.1)
    }
}
impl<K: Eq, V: Eq> Eq for NameMap<K, V> {}

impl<K: Copy, V: Copy> NameMap<K, V> {
    pub(super) const SMALL: usize = 48;
    const SLOTS: usize = 64;
    const PROBES: usize = 4;

    pub(super) fn new() -> Self {
        NameMap {
            small: Vec::new(),
            slots: Vec::new(),
            large: Vec::new(),
            heads: HashMap::default(),
            keys: RandomState::new(),
        }
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
            if let Ok(value) = self.in_small(Self::hash(name.as_bytes()), name, &text) {
                return Some(value);
            }
        }
        if self.large.is_empty() { None } else { self.in_large(self.keys.hash_one(name), name, &text) }
    }

    /// The value of `name`, which is at `at` in the text; when the map does not hold it, it is
    /// added with the value `value` makes. Each hash is computed once.
    pub(super) fn get_or_insert<'t>(
        &mut self,
        name: &str,
        at: K,
        text: impl Fn(K) -> &'t str,
        value: impl FnOnce() -> V,
    ) -> V {
        if self.slots.is_empty() {
            self.slots = vec![0; Self::SLOTS];
            self.small.reserve(8);
        }
        let free = match self.in_small(Self::hash(name.as_bytes()), name, &text) {
            Ok(value) => return value,
            Err(free) => free.filter(|_| self.small.len() < Self::SMALL),
        };
        // The keyed hash only when the name may be in the keyed table or goes there.
        let keyed = (!self.large.is_empty() || free.is_none()).then(|| self.keys.hash_one(name));
        if let (Some(keyed), false) = (keyed, self.large.is_empty()) {
            if let Some(value) = self.in_large(keyed, name, &text) {
                return value;
            }
        }
        let value = value();
        match (free, keyed) {
            (Some(slot), _) => {
                self.small.push((at, value));
                self.slots[slot] = self.small.len() as u16;
            }
            (None, keyed) => {
                let keyed = keyed.unwrap_or_else(|| self.keys.hash_one(name));
                let index = u32::try_from(self.large.len()).unwrap_or(NO_ENTRY);
                let before = self.heads.insert(keyed, index).unwrap_or(NO_ENTRY);
                self.large.push((at, value, before));
            }
        }
        value
    }

    /// `name` in the small table (whose slots exist), by its cheap hash `h`: its value, or the
    /// first empty slot of its probes, if any (the name is in none of the probes before it).
    fn in_small<'t>(&self, h: usize, name: &str, text: &impl Fn(K) -> &'t str) -> Result<V, Option<usize>> {
        for probe in 0..Self::PROBES {
            let slot = (h + probe) % Self::SLOTS;
            match self.slots[slot] {
                0 => return Err(Some(slot)),
                i => {
                    let (at, value) = self.small[usize::from(i) - 1];
                    if text(at) == name {
                        return Ok(value);
                    }
                }
            }
        }
        Err(None)
    }

    /// `name` in the keyed table, by its keyed hash: the chain of names under that hash.
    fn in_large<'t>(&self, keyed: u64, name: &str, text: &impl Fn(K) -> &'t str) -> Option<V> {
        let mut at = self.heads.get(&keyed).copied().unwrap_or(NO_ENTRY);
        while let Some(&(k, value, before)) = self.large.get(at as usize) {
            if text(k) == name {
                return Some(value);
            }
            at = before;
        }
        None
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
            assert_eq!(map.get_or_insert(n, spans[i], resolve, || i), i);
            // Present now: found, not added again.
            assert_eq!(map.get_or_insert(n, spans[i], resolve, || usize::MAX), i);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(map.get(n, resolve), Some(i), "{n}");
        }
        assert!(map.get("name2000", resolve).is_none() && map.get("", resolve).is_none());
        assert!(!map.large.is_empty() && map.small.len() <= NameMap::<Span, usize>::SMALL);
        assert_eq!(map.len(), 2_000);
    }

    #[test]
    fn names_under_one_keyed_hash_are_told_apart_by_their_text() {
        // "ab" and "cd", then enough other names to fill the small table.
        let fillers: Vec<String> = (0..4 * NameMap::<Span, usize>::SMALL).map(|i| format!("f{i}")).collect();
        let text = format!("abcd{}", fillers.concat());
        let resolve = |(from, to): Span| &text[from..to];
        let mut map = NameMap::new();
        let mut at = 4;
        for (i, f) in fillers.iter().enumerate() {
            if map.small.len() == NameMap::<Span, usize>::SMALL {
                break;
            }
            map.get_or_insert(f, (at, at + f.len()), resolve, || 1000 + i);
            at += f.len();
        }
        map.get_or_insert("ab", (0, 2), resolve, || 1);
        map.get_or_insert("cd", (2, 4), resolve, || 2);
        let n = map.large.len();
        assert!(n >= 2 && map.large[n - 2].0 == (0, 2) && map.large[n - 1].0 == (2, 4));
        // Make the two share one keyed hash: "cd" chained before "ab".
        map.large[n - 1].2 = u32::try_from(n - 2).unwrap();
        map.heads.insert(map.keys.hash_one("ab"), u32::try_from(n - 1).unwrap());
        assert_eq!(map.get("ab", resolve), Some(1));
        assert_eq!(map.get("cd", resolve), Some(2));
        assert_eq!(map.get("ef", resolve), None);
        assert_eq!(map.get_or_insert("ab", (0, 2), resolve, || 9), 1);
        assert_eq!(map.get_or_insert("cd", (2, 4), resolve, || 9), 2);
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
