//! Group `scale`: cost against attribute count (non-RSA time), and two threads sharing one
//! signer against one thread.

mod common;

use common::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use samlkit::clock::FixedClock;
use samlkit::low_level::ResponseBuilder;

fn attributes(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let no_rsa = NoRsa(cert());
    for n in [1usize, 10, 100, 1000] {
        let (settings, profile) = wide_profile(n);
        let claims = claims(&settings, &profile);
        assert_eq!(claims.attributes.len(), n);
        group.bench_with_input(BenchmarkId::new("attributes_no_rsa", n), &n, |b, _| {
            b.iter(|| {
                ResponseBuilder::new(&settings).clock(&clock).issuer("urn:idp").build(&claims, &no_rsa).unwrap().xml
            })
        });
    }

    // Throughput of one shared signer: 8 signed Heroku responses on one thread, or split
    // across two.
    let key = rust_crypto_key();
    let settings = heroku();
    let claims = claims(&settings, &heroku_profile());
    let one = |count: usize| {
        for _ in 0..count {
            ResponseBuilder::new(&settings).issuer("urn:idp").build(&claims, &key).unwrap();
        }
    };
    group.throughput(Throughput::Elements(8));
    group.sample_size(20);
    group.bench_function("threads/1", |b| b.iter(|| one(8)));
    group.bench_function("threads/2", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                s.spawn(|| one(4));
                s.spawn(|| one(4));
            })
        })
    });
    group.finish();
}

criterion_group!(benches, attributes);
criterion_main!(benches);
