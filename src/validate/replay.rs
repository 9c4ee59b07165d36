//! The replay hook: a store of assertions already accepted.

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// A store of the assertions already accepted, so a captured response cannot be posted twice.
/// An assertion is known by its issuer and its ID. [`InMemoryReplayCache`] serves one process;
/// when several SP processes validate, they share one store (`RedisReplayCache` with the `redis`
/// feature, or an implementation over a database).
///
/// A store that cannot answer returns [`StoreError`], and the validator refuses the response:
/// it fails closed, never accepting what it could not check.
pub trait ReplayCache: Send + Sync {
    /// Records the assertion `id` of `issuer` as used until `expires` (the validator passes the
    /// assertion's end plus twice the clock skew), and says whether it was
    /// new: `Ok(false)` means it was already recorded and unexpired, i.e. a replay. An entry
    /// whose `expires` is not after `now` need not be kept.
    fn check_and_record(
        &self,
        issuer: &str,
        id: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// A bounded in-memory [`ReplayCache`]. Entries leave when they expire; when the cache is full
/// of unexpired entries, the one expiring soonest is dropped to make room (bounded memory wins
/// over remembering an ID that is about to expire anyway).
#[derive(Debug)]
pub struct InMemoryReplayCache {
    capacity: usize,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_key: HashMap<(String, String), DateTime<Utc>>,
    by_expiry: BTreeSet<(DateTime<Utc>, (String, String))>,
}

impl InMemoryReplayCache {
    /// A cache remembering at most `capacity` IDs (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), inner: Mutex::new(Entries::default()) }
    }

    /// How many IDs are remembered.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).by_key.len()
    }

    /// Whether no ID is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Entries {
    fn remove_first(&mut self) {
        if let Some(first) = self.by_expiry.pop_first() {
            self.by_key.remove(&first.1);
        }
    }
}

impl ReplayCache for InMemoryReplayCache {
    fn check_and_record(
        &self,
        issuer: &str,
        id: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // A poisoned lock means another thread panicked mid-update; the maps are still
        // consistent enough to use (each update is two inserts or two removes).
        let mut e = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while e.by_expiry.first().is_some_and(|(t, _)| *t <= now) {
            e.remove_first();
        }
        let key = (issuer.to_owned(), id.to_owned());
        if e.by_key.contains_key(&key) {
            return Ok(false);
        }
        if expires <= now {
            return Ok(true);
        }
        while e.by_key.len() >= self.capacity {
            e.remove_first();
        }
        e.by_key.insert(key.clone(), expires);
        e.by_expiry.insert((expires, key));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn replays_are_caught_until_expiry_and_memory_is_bounded() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T15:00:00Z").unwrap().to_utc();
        let cache = InMemoryReplayCache::new(2);
        let check = |id: &str, minutes: i64, at: DateTime<Utc>| {
            cache.check_and_record("urn:idp", id, now + Duration::minutes(minutes), at).unwrap()
        };
        assert!(cache.is_empty());
        assert!(check("a", 5, now));
        assert!(!check("a", 5, now));
        assert!(check("b", 10, now));
        // Full: "a" expires soonest and makes room.
        assert!(check("c", 10, now));
        assert_eq!(cache.len(), 2);
        assert!(!check("b", 10, now));
        // After expiry an ID is forgotten.
        let later = now + Duration::minutes(11);
        assert!(check("b", 12, later));
        assert_eq!(cache.len(), 1);
        assert_eq!(InMemoryReplayCache::new(0).capacity, 1);
    }

    #[test]
    fn the_issuer_is_part_of_the_key_and_expired_entries_are_not_kept() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T15:00:00Z").unwrap().to_utc();
        let cache = InMemoryReplayCache::new(10);
        let later = now + Duration::minutes(5);
        assert!(cache.check_and_record("urn:idp-a", "_1", later, now).unwrap());
        assert!(cache.check_and_record("urn:idp-b", "_1", later, now).unwrap());
        assert!(!cache.check_and_record("urn:idp-b", "_1", later, now).unwrap());
        assert_eq!(cache.len(), 2);
        // Already expired: accepted as new (the validator refuses it as expired), not kept.
        assert!(cache.check_and_record("urn:idp-a", "_2", now, now).unwrap());
        assert_eq!(cache.len(), 2);
    }
}
