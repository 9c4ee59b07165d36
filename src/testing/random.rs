//! [`RandomMutator`]: hostile variants from a seed, for fuzzing a service provider.

use super::Mutation;

/// Draws hostile variants from a catalogue ([`super::mutations`]), each perturbed further by a
/// seeded generator: a character of a text node or attribute value changed, an element
/// duplicated, or the catalogue variant as it is. The same seed gives the same sequence.
pub struct RandomMutator {
    catalogue: Vec<Mutation>,
    state: u64,
}

impl RandomMutator {
    /// A mutator over `catalogue` (from [`super::mutations`]), seeded with `seed`.
    pub fn new(catalogue: Vec<Mutation>, seed: u64) -> Self {
        // xorshift64* must not start at zero.
        RandomMutator { catalogue, state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1 }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }

    /// The next variant: its name says the catalogue entry and the perturbation
    /// (`xsw3+char@1234`). None when the catalogue is empty.
    pub fn next_variant(&mut self) -> Option<(String, String)> {
        if self.catalogue.is_empty() {
            return None;
        }
        let pick = self.below(self.catalogue.len());
        let base = self.catalogue[pick].xml.clone();
        let name = self.catalogue[pick].name;
        Some(match self.below(3) {
            0 => (name.to_owned(), base),
            1 => {
                // A character between tags (text or attribute value), changed to another
                // printable ASCII character.
                let candidates: Vec<usize> =
                    base.char_indices().filter(|&(i, c)| c.is_ascii_alphanumeric() && i > 0).map(|(i, _)| i).collect();
                if candidates.is_empty() {
                    return Some((name.to_owned(), base));
                }
                let at = candidates[self.below(candidates.len())];
                let replacement = char::from(b'a' + u8::try_from(self.below(26)).unwrap_or(0));
                let mut xml = base;
                xml.replace_range(at..at + 1, &replacement.to_string());
                (format!("{name}+char@{at}"), xml)
            }
            _ => {
                // One element start tag duplicated right after itself (unbalancing or
                // nesting the document).
                let starts: Vec<usize> = base
                    .match_indices('<')
                    .map(|(i, _)| i)
                    .filter(|&i| base[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
                    .collect();
                if starts.is_empty() {
                    return Some((name.to_owned(), base));
                }
                let at = starts[self.below(starts.len())];
                let end = base[at..].find('>').map_or(base.len(), |i| at + i + 1);
                let tag = base[at..end].to_owned();
                let mut xml = base;
                xml.insert_str(end, &tag);
                (format!("{name}+tag@{at}"), xml)
            }
        })
    }
}
