//! Group `scale`: cost against attribute count (non-RSA time), and two threads sharing one
//! signer against one thread.

mod common;

use common::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn attributes(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    for n in [1usize, 10, 100, 1000] {
        let (settings, profile) = wide_profile(n);
        assert_eq!(samlkit::claims::map_profile(&settings, &profile).unwrap().attributes.len(), n);
        let idp = idp(&settings, no_rsa_key());
        group.bench_with_input(BenchmarkId::new("attributes_no_rsa", n), &n, |b, _| {
            b.iter(|| idp.respond(&profile).build().unwrap().xml)
        });
    }

    // Throughput of one shared signer: 8 signed Heroku responses on one thread, or split
    // across two.
    let idp = idp(&heroku(), rust_crypto_key());
    let profile = heroku_profile();
    let one = |count: usize| {
        for _ in 0..count {
            idp.respond(&profile).build().unwrap();
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
