//! Group `sign`: the signing hot path, per backend, against the bare RSA operation.

mod common;

use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use samlkit::clock::FixedClock;
use samlkit::crypto::SignatureAlgorithm;
use samlkit::low_level::ResponseBuilder;
use std::hint::black_box;

fn sign(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let heroku = heroku();
    let defaults = auth0_defaults();
    let mut both = heroku.clone();
    both.sign_response = true;
    let heroku_profile = heroku_profile();
    let full = full_profile();
    for (name, key) in backends() {
        let key = key.as_ref();
        // The physical floor: one RSA-2048 private-key operation on a SHA-256-sized input.
        let digest = [7u8; 32];
        group.bench_function(format!("rsa_only/{name}"), |b| {
            b.iter(|| key.sign(SignatureAlgorithm::RsaSha256, black_box(&digest)).unwrap())
        });
        group.bench_function(format!("heroku_response/{name}"), |b| {
            b.iter(|| {
                let claims = samlkit::claims::map_profile(&heroku, black_box(&heroku_profile)).unwrap();
                ResponseBuilder::new(&heroku)
                    .clock(&clock)
                    .issuer("urn:acme.auth0.com")
                    .build(&claims, key)
                    .unwrap()
                    .xml
            })
        });
        group.bench_function(format!("auth0_default_response/{name}"), |b| {
            b.iter(|| {
                let claims = samlkit::claims::map_profile(&defaults, black_box(&full)).unwrap();
                ResponseBuilder::new(&defaults)
                    .clock(&clock)
                    .issuer("urn:acme.auth0.com")
                    .build(&claims, key)
                    .unwrap()
                    .xml
            })
        });
        group.bench_function(format!("sign_both/{name}"), |b| {
            b.iter(|| {
                let claims = samlkit::claims::map_profile(&both, black_box(&heroku_profile)).unwrap();
                ResponseBuilder::new(&both).clock(&clock).issuer("urn:acme.auth0.com").build(&claims, key).unwrap().xml
            })
        });
    }
    #[cfg(feature = "aws-lc-rs")]
    ecdsa(&mut group, &clock);
    // Everything but RSA, for the "within 5%" ratio: the Heroku response with a signer that
    // does no private-key operation.
    let no_rsa = NoRsa(cert());
    group.bench_function("heroku_response/no-rsa", |b| {
        b.iter(|| {
            let claims = samlkit::claims::map_profile(&heroku, black_box(&heroku_profile)).unwrap();
            ResponseBuilder::new(&heroku)
                .clock(&clock)
                .issuer("urn:acme.auth0.com")
                .build(&claims, &no_rsa)
                .unwrap()
                .xml
        })
    });
    group.finish();
}

/// ECDSA P-256 (`ecdsa-sha256`, aws-lc-rs only): the bare signature and the Heroku response.
#[cfg(feature = "aws-lc-rs")]
fn ecdsa(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, clock: &FixedClock) {
    use samlkit::crypto::SigningKey as _;
    let mut heroku = heroku();
    heroku.signature_algorithm = SignatureAlgorithm::EcdsaSha256;
    let profile = heroku_profile();
    let key =
        samlkit::IdpKey::from_pem_or_der(&data("keys/ec-p256.pkcs8.pem"), &data("keys/ec-p256.cert.pem")).unwrap();
    let message = [7u8; 32];
    group.bench_function("ecdsa_only/aws-lc-rs", |b| {
        b.iter(|| key.sign(SignatureAlgorithm::EcdsaSha256, black_box(&message)).unwrap())
    });
    group.bench_function("heroku_response_ecdsa/aws-lc-rs", |b| {
        b.iter(|| {
            let claims = samlkit::claims::map_profile(&heroku, black_box(&profile)).unwrap();
            ResponseBuilder::new(&heroku).clock(clock).issuer("urn:acme.auth0.com").build(&claims, &key).unwrap().xml
        })
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);
