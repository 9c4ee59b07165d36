//! Group `verify`: parse + c14n + digest + RSA verify + validation, and c14n throughput.
//! Group `hostile`: each generated worst case of `tests/common/hostile.rs` against a benign
//! signed Response of the same size (`hostile/benign`), in the same run; a summary line per
//! family gives the ratio (target: at most 3x).

mod common;
#[path = "../tests/common/hostile.rs"]
mod hostile;
#[path = "common/paired.rs"]
mod paired;

use common::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paired::paired_medians;
use samlkit::clock::FixedClock;
use samlkit::low_level::{C14nOptions, canonicalize};
use samlkit::low_level::{Document, ParseLimits};
use samlkit::validate::Validator;
use std::hint::black_box;
use std::sync::Arc;

/// A SAML-like document of about `bytes` bytes: an assertion with as many attributes as fit.
fn document(bytes: usize) -> String {
    let mut xml = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0"><saml:AttributeStatement xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    );
    let mut i = 0;
    while xml.len() < bytes - 200 {
        xml.push_str(&format!(
            r#"<saml:Attribute Name="http://schemas.auth0.com/field_{i}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue xsi:type="xs:string">value &amp; number {i} with some text</saml:AttributeValue></saml:Attribute>"#
        ));
        i += 1;
    }
    xml.push_str("</saml:AttributeStatement></saml:Assertion></samlp:Response>");
    xml
}

fn verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    let settings = heroku();
    let xml = signed(&settings, &heroku_profile());
    let validator = Validator::heroku("acme", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).unwrap();
    group.bench_function(format!("heroku_response/{}", verify_backend()), |b| {
        b.iter(|| validator.validate(black_box(&xml)).unwrap())
    });
    rsa_only(&mut group, &validator, &xml);

    let limits = ParseLimits { max_bytes: 4 << 20, max_nodes: 1 << 22, ..ParseLimits::default() };
    for (label, size) in [("4KiB", 4 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let text = document(size);
        let doc = Document::parse(&text, &limits).unwrap();
        let mut out = Vec::with_capacity(text.len() * 2);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("c14n/{label}"), |b| {
            b.iter(|| {
                out.clear();
                canonicalize(&doc, doc.root(), &C14nOptions::default(), &mut out);
                out.len()
            })
        });
        group.bench_function(format!("parse/{label}"), |b| {
            b.iter(|| Document::parse(black_box(&text), &limits).unwrap().len())
        });
        // The reference beside `parse`: quick-xml's tokenizer alone, every event read and dropped.
        group.bench_function(format!("tokenize/{label}"), |b| b.iter(|| tokenize(black_box(&text))));
        parse_summary(label, &text, &limits);
    }
    group.finish();
}

/// quick-xml's tokenizer over `text`: the number of events.
fn tokenize(text: &str) -> usize {
    let mut reader = quick_xml::reader::Reader::from_str(text);
    let mut events = 0usize;
    while !matches!(reader.read_event().unwrap(), quick_xml::events::Event::Eof) {
        events += 1;
    }
    events
}

/// `verify/parse` against `verify/tokenize` as paired medians (rounds alternating the two), so
/// the throughput the target names is read under the machine state the reference shows.
fn parse_summary(label: &str, text: &str, limits: &ParseLimits) {
    let rounds = (64 << 20) / text.len().max(1) / 31 + 1;
    let (parse, tokens) = paired_medians(
        || {
            for _ in 0..rounds {
                black_box(Document::parse(black_box(text), limits).unwrap().len());
            }
        },
        || {
            for _ in 0..rounds {
                black_box(tokenize(black_box(text)));
            }
        },
    );
    let rate = |d: std::time::Duration| (text.len() * rounds) as f64 / d.as_secs_f64() / f64::from(1 << 20);
    eprintln!(
        "parse summary: {label} parse {:.0} MiB/s (target >= 500), quick-xml's tokenizer {:.0} MiB/s: {:.2}x its time",
        rate(parse),
        rate(tokens),
        parse.as_secs_f64() / tokens.as_secs_f64()
    );
}

/// The reference of `verify/heroku_response`: one bare RSA-2048 PKCS#1 v1.5 SHA-256
/// verification of a SignedInfo-sized message, as the verifier makes it on each backend (the
/// public key parsed once, as samlkit caches it), and nothing else.
fn rsa_only(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    validator: &Validator,
    xml: &str,
) {
    use samlkit::SigningKey as _;
    let key = rust_crypto_key();
    let message = [b'x'; 600];
    let signature = key.sign(samlkit::SignatureAlgorithm::RsaSha256, &message).unwrap();
    let spki = cert().public_key_der().to_vec();
    {
        use rsa::pkcs8::DecodePublicKey as _;
        use sha2::Digest as _;
        let public = rsa::PublicKey::from_public_key_der(&spki).unwrap();
        let bare = || {
            let hashed = sha2::Sha256::digest(black_box(&message));
            public.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &hashed, &signature).unwrap()
        };
        group.bench_function("rsa_only/rust-crypto", |b| b.iter(bare));
        #[cfg(not(feature = "aws-lc-rs"))]
        verify_summary(validator, xml, bare);
    }
    #[cfg(feature = "aws-lc-rs")]
    {
        use aws_lc_rs::signature;
        let public = signature::ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &spki).unwrap();
        let bare = || public.verify_sig(black_box(&message), &signature).unwrap();
        group.bench_function("rsa_only/aws-lc-rs", |b| b.iter(bare));
        verify_summary(validator, xml, bare);
    }
}

/// `verify/heroku_response` against `verify/rsa_only` on this build's backend, as paired
/// medians (rounds of 200 of each, alternating): the ratio the target is about, measured
/// under one machine state.
fn verify_summary<T>(validator: &Validator, xml: &str, bare: impl Fn() -> T) {
    let (whole, rsa) = paired_medians(
        || {
            for _ in 0..200 {
                validator.validate(black_box(xml)).unwrap();
            }
        },
        || {
            for _ in 0..200 {
                black_box(bare());
            }
        },
    );
    eprintln!(
        "verify summary ({}): heroku_response {:.1} us, rsa_only {:.1} us: {:.2}x (target <= 1.5x)",
        verify_backend(),
        whole.as_secs_f64() * 1e6 / 200.0,
        rsa.as_secs_f64() * 1e6 / 200.0,
        whole.as_secs_f64() / rsa.as_secs_f64()
    );
}

/// A benign signed Heroku Response of about `bytes` bytes (passthrough attributes), and a
/// validator that accepts it.
fn benign(bytes: usize) -> (String, Validator) {
    let (mut lo, mut hi) = (1_usize, 4_000_usize);
    let build = |n: usize| {
        let (settings, profile) = wide_profile(n);
        signed(&settings, &profile)
    };
    // The largest attribute count that stays within `bytes`.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if build(mid).len() <= bytes { lo = mid } else { hi = mid - 1 }
    }
    let xml = build(lo);
    let validator = Validator::heroku("acme", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).unwrap();
    (xml, validator)
}

fn hostile(c: &mut Criterion) {
    let golden = String::from_utf8(data("golden/heroku-rsa-sha256-sha256.xml")).unwrap();
    let cases = hostile::cases(&golden);
    let (benign_xml, benign_validator) = benign(hostile::TARGET);
    let validator = Validator::heroku("acme", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .expect_in_response_to("_request1");
    let mut group = c.benchmark_group("hostile");
    group.throughput(Throughput::Bytes(benign_xml.len() as u64));
    group.bench_function(format!("benign/{}", verify_backend()), |b| {
        b.iter(|| benign_validator.validate(black_box(&benign_xml)).unwrap())
    });
    for case in &cases {
        group.throughput(Throughput::Bytes(case.xml.len() as u64));
        group.bench_function(format!("{}/{}", case.name, verify_backend()), |b| {
            b.iter(|| validator.validate(black_box(&case.xml)).is_ok())
        });
    }
    group.finish();
    // The ratios, from medians measured here: each case alternating with the benign document.
    eprintln!("hostile summary ({}): benign {} bytes", verify_backend(), benign_xml.len());
    for case in &cases {
        let (base, t) = paired_medians(
            || {
                benign_validator.validate(black_box(&benign_xml)).unwrap();
            },
            || {
                let _ = validator.validate(black_box(&case.xml));
            },
        );
        // Per byte, against the benign document's per-byte cost.
        let ratio = (t.as_secs_f64() / case.xml.len() as f64) / (base.as_secs_f64() / benign_xml.len() as f64);
        eprintln!(
            "hostile summary: {:<24} {:>7} bytes {:>9.1} us against benign {:>9.1} us  {:.2}x benign",
            case.name,
            case.xml.len(),
            t.as_secs_f64() * 1e6,
            base.as_secs_f64() * 1e6,
            ratio
        );
    }
}

criterion_group!(benches, verify, hostile);
criterion_main!(benches);
