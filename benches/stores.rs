//! Group `stores`: what the shared stores add to one validation. The reference is a whole
//! validation of a Heroku response (`stores/validate`, no store), measured in the same run;
//! against it, one replay check and one request remember-and-take, in memory and on Redis over
//! loopback (`SAMLKIT_REDIS_URL`, e.g. `redis://127.0.0.1:6379/`; without it the Redis
//! benchmarks are left out, and say so).

mod common;

use chrono::{Duration, Utc};
use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use samlkit::clock::FixedClock;
use samlkit::validate::{
    InMemoryReplayCache, InMemoryRequestStore, RedisOptions, RedisReplayCache, RedisRequestStore, ReplayCache,
    RequestStore, Validator,
};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn stores(c: &mut Criterion) {
    let mut group = c.benchmark_group("stores");
    let settings = heroku();
    let xml = signed(&settings, &heroku_profile());
    let validator = Validator::heroku("acme", vec![cert()])
        .unwrap()
        .issuer("urn:acme.auth0.com")
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).expect("the reference response validates");
    group.bench_function("validate", |b| b.iter(|| validator.validate(black_box(&xml)).unwrap()));

    let counter = AtomicU64::new(0);
    let next = || format!("_bench-{}", counter.fetch_add(1, Ordering::Relaxed));
    let now = Utc::now();
    let expires = now + Duration::minutes(10);
    let replay = |cache: &dyn ReplayCache| assert!(cache.check_and_record("urn:bench", &next(), expires, now).unwrap());
    let request = |store: &dyn RequestStore| {
        let id = next();
        store.remember(&id, expires).unwrap();
        assert!(store.take(&id, now).unwrap());
    };
    let memory = InMemoryReplayCache::new(10_000_000);
    group.bench_function("replay/in_memory", |b| b.iter(|| replay(&memory)));
    let pending = InMemoryRequestStore::new(1_000);
    group.bench_function("request/in_memory", |b| b.iter(|| request(&pending)));
    match std::env::var("SAMLKIT_REDIS_URL") {
        Ok(url) => {
            let options = RedisOptions::default().prefix(format!("samlkit-bench:{}:", std::process::id()));
            let cache = RedisReplayCache::new(&url, options.clone()).unwrap();
            group.bench_function("replay/redis", |b| b.iter(|| replay(&cache)));
            let store = RedisRequestStore::new(&url, options).unwrap();
            group.bench_function("request/redis", |b| b.iter(|| request(&store)));
        }
        Err(_) => eprintln!("stores: SAMLKIT_REDIS_URL is not set: the Redis benchmarks are left out"),
    }
    group.finish();
}

criterion_group!(benches, stores);
criterion_main!(benches);
