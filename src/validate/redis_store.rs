//! The validator's shared state on Redis (feature `redis`): a [`ReplayCache`] and a
//! [`RequestStore`] that every SP instance behind a load balancer sees alike.
//!
//! - The replay check is one atomic `SET key 1 NX PX ttl`: of two instances that receive the
//!   same assertion at once, exactly one is told it is new.
//! - A request is taken with one `GETDEL`, so a response answers it exactly once.
//! - Keys are the configured prefix, then `replay:` or `request:`, then the SHA-256 (hex) of the
//!   issuer and assertion ID or of the request ID. A hostile ID cannot make a long key or reach
//!   another key space.
//! - Connections come from a pool ([`RedisOptions::pool_size`]), with timeouts to connect and
//!   for each command. A connection that failed once is not reused.
//! - A Redis that cannot be reached, or does not answer in time, is a
//!   [`StoreError::Unavailable`]: the validator refuses the response (it fails closed). It works
//!   again as soon as Redis does, without restarting the validator.
//!
//! - Configure Redis with `maxmemory-policy noeviction`: every key has a TTL, so an eviction
//!   policy could drop replay records under memory pressure. A full `noeviction` Redis refuses
//!   writes, which fails closed. Persistence (AOF) keeps the records across a restart.
//!
//! These are synchronous, like the [`crate::Validator`]. An async server calls the validator in
//! `tokio::task::spawn_blocking`, so a slow Redis holds a blocking thread, not the executor.

use super::{ReplayCache, RequestStore};
use crate::error::{Error, StoreError, UsageError};
use chrono::{DateTime, Utc};
use sha2::Digest as _;
use std::time::Duration;

/// How to reach Redis and name the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedisOptions {
    /// Prepended to every key (default `samlkit:`): several applications can share one Redis.
    pub prefix: String,
    /// The most connections open at once (default 16).
    pub pool_size: u32,
    /// How long to wait for a connection, new or from the pool (default 1 s).
    pub connect_timeout: Duration,
    /// How long one command may take to be written and answered (default 1 s).
    pub command_timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            prefix: "samlkit:".into(),
            pool_size: 16,
            connect_timeout: Duration::from_secs(1),
            command_timeout: Duration::from_secs(1),
        }
    }
}

impl RedisOptions {
    /// With another key prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// With another pool size (at least 1).
    pub fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// With other timeouts: to get a connection, and for each command.
    pub fn timeouts(mut self, connect: Duration, command: Duration) -> Self {
        self.connect_timeout = connect;
        self.command_timeout = command;
        self
    }
}

/// A pooled connection, and whether it failed (then it is not reused: after a timeout its
/// replies could be out of step with its commands).
struct Connection {
    inner: redis::Connection,
    failed: bool,
}

struct Manager {
    client: redis::Client,
    connect_timeout: Duration,
    command_timeout: Duration,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = redis::RedisError;

    fn connect(&self) -> Result<Connection, redis::RedisError> {
        let inner = self.client.get_connection_with_timeout(self.connect_timeout)?;
        inner.set_read_timeout(Some(self.command_timeout))?;
        inner.set_write_timeout(Some(self.command_timeout))?;
        Ok(Connection { inner, failed: false })
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), redis::RedisError> {
        redis::cmd("PING").query::<String>(&mut conn.inner).map(|_| ())
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.failed || !redis::ConnectionLike::is_open(&conn.inner)
    }
}

/// One Redis, as one of the two stores sees it.
#[derive(Clone)]
struct Redis {
    pool: r2d2::Pool<Manager>,
    prefix: String,
    store: &'static str,
}

/// Whether an error says the connection is gone (Redis restarted, the socket was closed):
/// then the command is worth once more on a new connection. A timeout is not retried.
fn connection_lost(e: &redis::RedisError) -> bool {
    !e.is_timeout() && (e.is_connection_dropped() || e.is_io_error() || e.is_connection_refusal())
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").field("prefix", &self.prefix).field("store", &self.store).finish_non_exhaustive()
    }
}

impl Redis {
    fn new(url: &str, options: &RedisOptions, store: &'static str) -> Result<Self, Error> {
        let client = redis::Client::open(url).map_err(|e| UsageError::InvalidArgument {
            what: "Redis URL",
            message: format!("{e} (expected redis://host:port/db)"),
        })?;
        let manager =
            Manager { client, connect_timeout: options.connect_timeout, command_timeout: options.command_timeout };
        // No connection is made here: a Redis that is down at start is reported per call.
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .test_on_check_out(false)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(Self { pool, prefix: options.prefix.clone(), store })
    }

    fn key(&self, space: &str, parts: &[&str]) -> String {
        let mut hash = sha2::Sha256::new();
        for part in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        let digest = hash.finalize();
        let mut key = String::with_capacity(self.prefix.len() + space.len() + 64);
        key.push_str(&self.prefix);
        key.push_str(space);
        for b in digest {
            key.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            key.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        key
    }

    /// Runs `command` on a pooled connection. Pooled connections can outlive a Redis restart:
    /// when one turns out to be gone, it is dropped and the command runs on the next, until one
    /// answers or the pool has to connect anew (at most `pool_size + 1` tries; a gone
    /// connection fails at once). It stays fail-closed: if an attempt did reach Redis, a
    /// repeated `SET NX` reports a replay and a repeated `GETDEL` finds nothing.
    fn run<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, StoreError> {
        let unavailable =
            |e: &dyn std::fmt::Display| StoreError::Unavailable { store: self.store, message: e.to_string() };
        let mut last = None;
        for _ in 0..=self.pool.max_size() {
            let mut conn = self.pool.get().map_err(|e| unavailable(&e))?;
            match command.query(&mut conn.inner) {
                Ok(value) => return Ok(value),
                Err(e) => {
                    conn.failed = true;
                    if !connection_lost(&e) {
                        return Err(unavailable(&e));
                    }
                    last = Some(e);
                }
            }
        }
        Err(match last {
            Some(e) => unavailable(&e),
            None => unavailable(&"no connection"),
        })
    }
}

/// Milliseconds from `now` to `expires`, rounded up, when `expires` is later.
fn ttl_ms(expires: DateTime<Utc>, now: DateTime<Utc>) -> Option<u64> {
    let micros = (expires - now).num_microseconds().unwrap_or(i64::MAX);
    u64::try_from(micros).ok().filter(|&us| us > 0).map(|us| us.div_ceil(1000))
}

/// A [`ReplayCache`] on Redis, shared by every validator that names the same Redis and prefix.
#[derive(Debug, Clone)]
pub struct RedisReplayCache {
    redis: Redis,
}

impl RedisReplayCache {
    /// A cache on the Redis at `url` (`redis://host:port/db`). Nothing is connected yet: a Redis
    /// that is down makes each check fail with [`StoreError::Unavailable`] until it is back.
    ///
    /// # Errors
    /// [`UsageError::InvalidArgument`] for a URL the `redis` crate cannot read.
    pub fn new(url: &str, options: RedisOptions) -> Result<Self, Error> {
        Ok(Self { redis: Redis::new(url, &options, "replay cache")? })
    }

    /// The Redis key an assertion is recorded under.
    pub fn key(&self, issuer: &str, id: &str) -> String {
        self.redis.key("replay:", &[issuer, id])
    }
}

impl ReplayCache for RedisReplayCache {
    fn check_and_record(
        &self,
        issuer: &str,
        id: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let key = self.key(issuer, id);
        let Some(ttl) = ttl_ms(expires, now) else {
            // Expired already: the validator refuses it on its own; nothing to keep. A record
            // made while it was valid still counts.
            let kept: bool = self.redis.run(redis::cmd("EXISTS").arg(&key))?;
            return Ok(!kept);
        };
        let set: Option<String> = self.redis.run(redis::cmd("SET").arg(&key).arg(1).arg("NX").arg("PX").arg(ttl))?;
        match set.as_deref() {
            Some("OK") => Ok(true),
            None => Ok(false),
            Some(other) => {
                Err(StoreError::Protocol { store: "replay cache", message: format!("SET NX answered {other:?}") })
            }
        }
    }
}

/// A [`RequestStore`] on Redis, shared by every SP instance that names the same Redis and
/// prefix. Requests expire in Redis at their expiry (`PXAT`, Redis 6.2 or later).
#[derive(Debug, Clone)]
pub struct RedisRequestStore {
    redis: Redis,
}

impl RedisRequestStore {
    /// A store on the Redis at `url`, as [`RedisReplayCache::new`].
    ///
    /// # Errors
    /// [`UsageError::InvalidArgument`] for a URL the `redis` crate cannot read.
    pub fn new(url: &str, options: RedisOptions) -> Result<Self, Error> {
        Ok(Self { redis: Redis::new(url, &options, "request store")? })
    }

    /// The Redis key a request is kept under.
    pub fn key(&self, request_id: &str) -> String {
        self.redis.key("request:", &[request_id])
    }
}

impl RequestStore for RedisRequestStore {
    fn remember(&self, request_id: &str, expires: DateTime<Utc>) -> Result<(), StoreError> {
        let at = expires.timestamp_millis().max(1);
        let _: String = self.redis.run(redis::cmd("SET").arg(self.key(request_id)).arg(1).arg("PXAT").arg(at))?;
        Ok(())
    }

    fn take(&self, request_id: &str, _now: DateTime<Utc>) -> Result<bool, StoreError> {
        let taken: Option<String> = self.redis.run(redis::cmd("GETDEL").arg(self.key(request_id)))?;
        Ok(taken.is_some())
    }
}
