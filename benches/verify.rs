//! Group `verify`: parse + c14n + digest + RSA verify + validation, and c14n throughput.

mod common;

use common::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use samlkit::clock::FixedClock;
use samlkit::dsig::c14n::{C14nOptions, canonicalize};
use samlkit::response::ResponseBuilder;
use samlkit::validate::Validator;
use samlkit::xml::parse::{Document, ParseLimits};
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
    let built_at = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let claims = claims(&settings, &heroku_profile());
    let xml = ResponseBuilder::new(&settings)
        .clock(&built_at)
        .issuer("urn:acme.auth0.com")
        .build(&claims, &rust_crypto_key())
        .unwrap()
        .xml;
    let validator =
        Validator::heroku("acme", vec![cert()]).clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).unwrap();
    group.bench_function(format!("heroku_response/{}", verify_backend()), |b| {
        b.iter(|| validator.validate(black_box(&xml)).unwrap())
    });

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
    }
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
