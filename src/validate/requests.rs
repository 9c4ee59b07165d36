//! The AuthnRequests an SP has sent and not yet seen answered, so a response is matched to its
//! request whichever instance sent it.

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// The pending AuthnRequests of SP-initiated logins. The SP calls [`RequestStore::remember`]
/// when it sends a request; the [`crate::Validator`] given the store
/// ([`crate::Validator::request_store`]) takes the request a response answers, exactly once.
/// A response to a request that was never sent, was already answered, or has expired is
/// refused.
///
/// [`InMemoryRequestStore`] serves one process; several SP instances behind a load balancer
/// share one store (`RedisRequestStore` with the `redis` feature). A store that cannot answer
/// returns [`StoreError`], and the response is refused.
pub trait RequestStore: Send + Sync {
    /// Remembers `request_id` as pending until `expires`.
    fn remember(&self, request_id: &str, expires: DateTime<Utc>) -> Result<(), StoreError>;

    /// Takes `request_id`: `Ok(true)` once, for a remembered and unexpired request; `Ok(false)`
    /// for one never remembered, already taken, or expired by `now` (a shared store may judge
    /// expiry by its own clock: Redis expires the key itself).
    fn take(&self, request_id: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
}

/// A bounded in-memory [`RequestStore`]. Entries leave when taken or expired; when it is full of
/// pending requests, the one expiring soonest is dropped to make room.
#[derive(Debug)]
pub struct InMemoryRequestStore {
    capacity: usize,
    inner: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    by_id: HashMap<String, DateTime<Utc>>,
    by_expiry: BTreeSet<(DateTime<Utc>, String)>,
}

impl Pending {
    fn remove(&mut self, id: &str) -> Option<DateTime<Utc>> {
        let expires = self.by_id.remove(id)?;
        self.by_expiry.remove(&(expires, id.to_owned()));
        Some(expires)
    }

    fn drop_expired(&mut self, now: DateTime<Utc>) {
        while let Some((t, id)) = self.by_expiry.first().cloned() {
            if t > now {
                break;
            }
            self.remove(&id);
        }
    }
}

impl InMemoryRequestStore {
    /// A store holding at most `capacity` pending requests (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), inner: Mutex::new(Pending::default()) }
    }

    /// How many requests are pending.
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether no request is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        // A poisoned lock: another thread panicked mid-update; each update keeps the two maps
        // in step, so they are still usable.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl RequestStore for InMemoryRequestStore {
    fn remember(&self, request_id: &str, expires: DateTime<Utc>) -> Result<(), StoreError> {
        let mut pending = self.lock();
        pending.remove(request_id);
        while pending.by_id.len() >= self.capacity {
            match pending.by_expiry.first().cloned() {
                Some((_, id)) => pending.remove(&id),
                None => break,
            };
        }
        pending.by_id.insert(request_id.to_owned(), expires);
        pending.by_expiry.insert((expires, request_id.to_owned()));
        Ok(())
    }

    fn take(&self, request_id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut pending = self.lock();
        pending.drop_expired(now);
        Ok(pending.remove(request_id).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_request_is_taken_once_until_it_expires_and_memory_is_bounded() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().to_utc();
        let store = InMemoryRequestStore::new(2);
        assert!(store.is_empty());
        store.remember("_a", now + Duration::minutes(5)).unwrap();
        assert!(store.take("_a", now).unwrap());
        assert!(!store.take("_a", now).unwrap(), "taken twice");
        assert!(!store.take("_never", now).unwrap());
        store.remember("_b", now + Duration::minutes(1)).unwrap();
        store.remember("_c", now + Duration::minutes(10)).unwrap();
        // Full: "_b" expires soonest and makes room.
        store.remember("_d", now + Duration::minutes(10)).unwrap();
        assert_eq!(store.len(), 2);
        assert!(!store.take("_b", now).unwrap());
        // Expired by now: not taken.
        assert!(!store.take("_c", now + Duration::minutes(10)).unwrap());
        assert!(store.is_empty(), "both expired entries left");
        // Remembering again moves the expiry.
        store.remember("_e", now).unwrap();
        store.remember("_e", now + Duration::minutes(3)).unwrap();
        assert!(store.take("_e", now + Duration::minutes(1)).unwrap());
        assert_eq!(InMemoryRequestStore::new(0).capacity, 1);
    }
}
