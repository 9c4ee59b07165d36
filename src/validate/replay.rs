//! The replay hook: a store of assertion IDs already accepted.

use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// A store of the IDs of assertions already accepted, so a captured response cannot be posted
/// twice. Implement it over a shared store (Redis, a database) when several SP processes
/// validate; [`InMemoryReplayCache`] serves one process.
pub trait ReplayCache: Send + Sync {
    /// Records `id` as used until `expires`, and says whether it was new: false means it was
    /// already recorded and unexpired, i.e. a replay.
    fn check_and_record(&self, id: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> bool;
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
    by_id: HashMap<String, DateTime<Utc>>,
    by_expiry: BTreeSet<(DateTime<Utc>, String)>,
}

impl InMemoryReplayCache {
    /// A cache remembering at most `capacity` IDs (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), inner: Mutex::new(Entries::default()) }
    }

    /// How many IDs are remembered.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|e| e.by_id.len()).unwrap_or(0)
    }

    /// Whether no ID is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Entries {
    fn remove_first(&mut self) {
        if let Some(first) = self.by_expiry.pop_first() {
            self.by_id.remove(&first.1);
        }
    }
}

impl ReplayCache for InMemoryReplayCache {
    fn check_and_record(&self, id: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        // A poisoned lock means another thread panicked mid-update; the maps are still
        // consistent enough to use (each update is two inserts or two removes).
        let mut e = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while e.by_expiry.first().is_some_and(|(t, _)| *t <= now) {
            e.remove_first();
        }
        if e.by_id.contains_key(id) {
            return false;
        }
        while e.by_id.len() >= self.capacity {
            e.remove_first();
        }
        e.by_id.insert(id.to_owned(), expires);
        e.by_expiry.insert((expires, id.to_owned()));
        true
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
        assert!(cache.is_empty());
        assert!(cache.check_and_record("a", now + Duration::minutes(5), now));
        assert!(!cache.check_and_record("a", now + Duration::minutes(5), now));
        assert!(cache.check_and_record("b", now + Duration::minutes(10), now));
        // Full: "a" expires soonest and makes room.
        assert!(cache.check_and_record("c", now + Duration::minutes(10), now));
        assert_eq!(cache.len(), 2);
        assert!(!cache.check_and_record("b", now + Duration::minutes(10), now));
        // After expiry an ID is forgotten.
        let later = now + Duration::minutes(11);
        assert!(cache.check_and_record("b", later + Duration::minutes(1), later));
        assert_eq!(cache.len(), 1);
        assert_eq!(InMemoryReplayCache::new(0).capacity, 1);
    }
}
