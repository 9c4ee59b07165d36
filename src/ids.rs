//! Message IDs, injected so tests and golden files are deterministic.

use crate::error::{SignError, UsageError};
use std::sync::atomic::{AtomicU64, Ordering};

/// A source of `ID` attribute values (`xs:ID`: they must start with a letter or `_`).
pub trait IdGenerator: Send + Sync {
    /// A new, unique ID. An error (a failing random source, say) stops the message being built.
    fn new_id(&self) -> Result<String, SignError>;
}

/// IDs of 128 random bits from the operating system's CSPRNG: `_` and 32 hex digits.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn new_id(&self) -> Result<String, SignError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| SignError::Backend { message: format!("the operating system's random source failed: {e}") })?;
        let mut id = String::with_capacity(33);
        id.push('_');
        for b in bytes {
            id.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            id.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        Ok(id)
    }
}

/// Deterministic IDs for tests: `<prefix>1`, `<prefix>2`, … in the order they are asked for.
#[derive(Debug)]
pub struct SequentialIds {
    prefix: String,
    next: AtomicU64,
}

impl SequentialIds {
    /// A generator of `<prefix>1`, `<prefix>2`, …; the prefix must start with a letter or `_`.
    pub fn new(prefix: &str) -> Result<Self, UsageError> {
        check_id(&format!("{prefix}1"))?;
        Ok(Self { prefix: prefix.to_owned(), next: AtomicU64::new(1) })
    }
}

impl IdGenerator for SequentialIds {
    fn new_id(&self) -> Result<String, SignError> {
        Ok(format!("{}{}", self.prefix, self.next.fetch_add(1, Ordering::Relaxed)))
    }
}

/// Checks that `id` is an `xs:ID` (an NCName: a letter or `_`, then letters, digits, `.`, `-`,
/// `_`). samlkit checks every ID before writing it, including those of a caller's generator.
pub(crate) fn check_id(id: &str) -> Result<(), UsageError> {
    if crate::xml::chars::is_ncname(id) {
        Ok(())
    } else {
        Err(UsageError::InvalidArgument {
            what: "ID",
            message: format!(
                "`{}` is not an xs:ID (a letter or `_`, then letters, digits, `.`, `-`, `_`)",
                crate::error::truncate(id)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_ncnames_of_128_bits_and_differ() {
        let a = RandomIds.new_id().unwrap();
        let b = RandomIds.new_id().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 33);
        assert!(a.starts_with('_') && a[1..].chars().all(|c| c.is_ascii_hexdigit()));
        check_id(&a).unwrap();
    }

    #[test]
    fn sequential_ids() {
        let ids = SequentialIds::new("_t").unwrap();
        assert_eq!((ids.new_id().unwrap(), ids.new_id().unwrap()), ("_t1".to_owned(), "_t2".to_owned()));
        assert!(SequentialIds::new("1x").is_err());
        assert!(SequentialIds::new("a b").is_err());
    }

    #[test]
    fn id_check() {
        for ok in ["_a", "a1.b-c_d", "é1"] {
            check_id(ok).unwrap();
        }
        for bad in ["", "1a", "-a", "a b", "a\"b", "a:b", "#a", "_²"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
