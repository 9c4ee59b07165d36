//! Group `sign`: the signing hot path, per backend, against the bare RSA operation.

mod common;
#[path = "common/paired.rs"]
mod paired;

use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use samlkit::crypto::{SignatureAlgorithm, SigningKey as _};
use std::hint::black_box;

fn sign(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    let heroku = heroku();
    let defaults = auth0_defaults();
    let mut both = heroku.clone();
    both.sign_response = true;
    let heroku_profile = heroku_profile();
    let full = full_profile();
    for (name, key) in backends() {
        // The physical floor: one RSA-2048 private-key operation on a SHA-256-sized input.
        let digest = [7u8; 32];
        group.bench_function(format!("rsa_only/{name}"), |b| {
            b.iter(|| key.sign(SignatureAlgorithm::RsaSha256, black_box(&digest)).unwrap())
        });
        // A login as a server makes it: claims mapped, response built and signed.
        for (bench, settings, profile) in [
            ("heroku_response", &heroku, &heroku_profile),
            ("auth0_default_response", &defaults, &full),
            ("sign_both", &both, &heroku_profile),
        ] {
            let idp = idp(settings, key.clone());
            group.bench_function(format!("{bench}/{name}"), |b| {
                b.iter(|| idp.respond(black_box(profile)).build().unwrap().xml)
            });
        }
    }
    #[cfg(feature = "aws-lc-rs")]
    ecdsa(&mut group);
    // Everything but RSA, for the "within 5%" ratio: the Heroku response with a signer that
    // does no private-key operation.
    let no_rsa = idp(&heroku, no_rsa_key());
    group.bench_function("heroku_response/no-rsa", |b| {
        b.iter(|| no_rsa.respond(black_box(&heroku_profile)).build().unwrap().xml)
    });
    group.finish();
    // The target's ratio, from paired medians (rounds alternating the two on each backend).
    for (name, key) in backends() {
        let digest = [7u8; 32];
        let idp = idp(&heroku, key.clone());
        let rounds = 20;
        let (whole, rsa) = paired::paired_medians(
            || {
                for _ in 0..rounds {
                    black_box(idp.respond(black_box(&heroku_profile)).build().unwrap());
                }
            },
            || {
                for _ in 0..rounds {
                    black_box(key.sign(SignatureAlgorithm::RsaSha256, black_box(&digest)).unwrap());
                }
            },
        );
        // What the gap is made of: the same RSA operation, each after the build without RSA
        // (`heroku_response/no-rsa`), so it runs as it does inside a login, its caches shared.
        let (whole_again, in_turn) = paired::paired_medians(
            || {
                for _ in 0..rounds {
                    black_box(idp.respond(black_box(&heroku_profile)).build().unwrap());
                }
            },
            || {
                for _ in 0..rounds {
                    black_box(no_rsa.respond(black_box(&heroku_profile)).build().unwrap());
                    black_box(key.sign(SignatureAlgorithm::RsaSha256, black_box(&digest)).unwrap());
                }
            },
        );
        let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / f64::from(rounds);
        let gap = |a: std::time::Duration, b: std::time::Duration| (a.as_secs_f64() / b.as_secs_f64() - 1.0) * 100.0;
        eprintln!(
            "sign summary ({name}): heroku_response {:.1} us, rsa_only {:.1} us: {:+.1}% (target within 3%); \
             against no-rsa then rsa_only in turn ({:.1} us): {:+.1}%",
            per(whole),
            per(rsa),
            gap(whole, rsa),
            per(in_turn),
            gap(whole_again, in_turn)
        );
    }
}

/// ECDSA P-256 (`ecdsa-sha256`, aws-lc-rs only): the bare signature and the Heroku response.
#[cfg(feature = "aws-lc-rs")]
fn ecdsa(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
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
    let idp = idp(&heroku, key);
    group.bench_function("heroku_response_ecdsa/aws-lc-rs", |b| {
        b.iter(|| idp.respond(black_box(&profile)).build().unwrap().xml)
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);
