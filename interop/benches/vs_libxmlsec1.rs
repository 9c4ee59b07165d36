//! Group `vs_libxmlsec1`: the same Heroku response signed and verified by samlkit and by
//! libxmlsec1 (the C reference, through the `xmlsec` crate), in the same run.
//!
//! `cargo bench -p samlkit-interop --features aws-lc-rs` compares the fast backend;
//! without the feature, samlkit signs with the `rsa` crate.

#[path = "../../benches/common/paired.rs"]
mod paired;

use criterion::{Criterion, criterion_group, criterion_main};
use libxml::parser::Parser;
use libxml::tree::SaveOptions;
use libxml::xpath::Context;
use samlkit::clock::FixedClock;
use samlkit::crypto::{Backend, DigestAlgorithm, SignatureAlgorithm};
use samlkit::{AddonSettings, IdentityProvider, IdpKey, Validator};
use std::hint::black_box;
use std::sync::Arc;
use xmlsec::{XmlSecDocumentExt as _, XmlSecKey, XmlSecKeyFormat, XmlSecSignatureContext};

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The IdP samlkit signs with: the Heroku settings given, the RSA-2048 test key on the fastest
/// backend of this build, the golden files' clock.
fn samlkit_idp(settings: AddonSettings, key: IdpKey) -> IdentityProvider {
    IdentityProvider::new(settings.with_issuer("urn:acme.auth0.com"), key)
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap()))
}

/// A fresh libxmlsec1 signature context holding a copy of `key` (a context serves one
/// operation; the key is parsed once, outside the timed loop, and duplicated per operation).
fn context(key: &XmlSecKey) -> XmlSecSignatureContext {
    let mut ctx = XmlSecSignatureContext::new();
    ctx.insert_key(key.clone());
    ctx
}

/// libxmlsec1 signing the Assertion of `template` (a Response whose Signature is a template):
/// parse, register IDs, sign, serialize.
fn libxmlsec1_sign(key: &XmlSecKey, template: &str) -> String {
    let ctx = context(key);
    let (doc, node) = parse_with_signature(template);
    ctx.sign_node(&node).unwrap();
    doc.to_string_with_options(SaveOptions { no_declaration: true, ..SaveOptions::default() })
}

/// libxmlsec1 verifying the Assertion signature of `xml`: parse, register IDs, verify.
fn libxmlsec1_verify(key: &XmlSecKey, xml: &str) -> bool {
    let ctx = context(key);
    let (_doc, node) = parse_with_signature(xml);
    ctx.verify_node(&node).unwrap()
}

/// What libxmlsec1 does before signing or verifying: parse, register the Assertion's ID, find
/// the (first) Signature element.
fn parse_with_signature(xml: &str) -> (libxml::tree::Document, libxml::tree::Node) {
    let doc = Parser::default().parse_string(xml).unwrap();
    doc.specify_idattr("//saml:Assertion", "ID", Some(&[("saml", SAML)])).unwrap();
    let mut xpath = Context::new(&doc).unwrap();
    xpath.register_namespace("ds", DSIG).unwrap();
    let node = xpath.findnodes("//ds:Signature", None).unwrap().remove(0);
    (doc, node)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("vs_libxmlsec1");
    let mut settings = AddonSettings::heroku("acme");
    settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = DigestAlgorithm::Sha256;
    let profile = serde_json::json!({"user_id": "auth0|1", "email": "jane.doe@example.com", "name": "Jane Doe"});
    let backend = Backend::fastest();
    let key = IdpKey::from_pem_or_der(&data("keys/rsa-2048.pkcs8.pem"), &data("keys/rsa-2048.cert.pem")).unwrap();
    let idp = samlkit_idp(settings, key);
    let sign = || idp.respond(black_box(&profile)).build().unwrap().xml;
    let xml = sign();

    let signer = XmlSecKey::from_memory(&data("keys/rsa-2048.pkcs8.pem"), XmlSecKeyFormat::Pem, None).unwrap();
    let verifier = XmlSecKey::from_memory(&data("keys/rsa-2048.cert.pem"), XmlSecKeyFormat::CertPem, None).unwrap();
    // The same document, signed by libxmlsec1 over samlkit's signature template, verifies both ways.
    let theirs = libxmlsec1_sign(&signer, &xml);
    assert!(libxmlsec1_verify(&verifier, &xml));
    assert!(libxmlsec1_verify(&verifier, &theirs));
    let cert = samlkit::Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
    let validator = Validator::heroku("acme", vec![cert])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).unwrap();

    group.bench_function(format!("sign/samlkit-{backend}"), |b| b.iter(sign));
    group.bench_function("sign/libxmlsec1", |b| b.iter(|| libxmlsec1_sign(&signer, black_box(&xml))));
    group.bench_function(format!("verify/samlkit-{backend}"), |b| {
        b.iter(|| validator.validate(black_box(&xml)).unwrap())
    });
    group.bench_function("verify/libxmlsec1", |b| b.iter(|| libxmlsec1_verify(&verifier, black_box(&xml))));
    #[cfg(feature = "aws-lc-rs")]
    ecdsa(&mut group, &profile);
    group.finish();
    // The target's ratio, from paired medians (rounds alternating samlkit and libxmlsec1).
    let (ours, reference) = paired::paired_medians(
        || {
            for _ in 0..50 {
                validator.validate(black_box(&xml)).unwrap();
            }
        },
        || {
            for _ in 0..50 {
                assert!(libxmlsec1_verify(&verifier, black_box(&xml)));
            }
        },
    );
    eprintln!(
        "vs_libxmlsec1 summary (samlkit-{backend}): verify {:.1} us, libxmlsec1 {:.1} us: {:.3}x (target <= 0.12x)",
        ours.as_secs_f64() * 1e6 / 50.0,
        reference.as_secs_f64() * 1e6 / 50.0,
        ours.as_secs_f64() / reference.as_secs_f64()
    );
}

/// The same comparison with ECDSA P-256 (`ecdsa-sha256`), which samlkit signs with AWS-LC and
/// libxmlsec1 with OpenSSL.
#[cfg(feature = "aws-lc-rs")]
fn ecdsa(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, profile: &serde_json::Value) {
    let mut settings = AddonSettings::heroku("acme");
    settings.signature_algorithm = SignatureAlgorithm::EcdsaSha256;
    settings.digest_algorithm = DigestAlgorithm::Sha256;
    let key =
        samlkit::IdpKey::from_pem_or_der(&data("keys/ec-p256.pkcs8.pem"), &data("keys/ec-p256.cert.pem")).unwrap();
    let idp = samlkit_idp(settings, key);
    let sign = || idp.respond(black_box(profile)).build().unwrap().xml;
    let xml = sign();
    let signer = XmlSecKey::from_memory(&data("keys/ec-p256.pkcs8.pem"), XmlSecKeyFormat::Pem, None).unwrap();
    let verifier = XmlSecKey::from_memory(&data("keys/ec-p256.cert.pem"), XmlSecKeyFormat::CertPem, None).unwrap();
    let theirs = libxmlsec1_sign(&signer, &xml);
    assert_ne!(theirs, xml);
    assert!(libxmlsec1_verify(&verifier, &xml));
    assert!(libxmlsec1_verify(&verifier, &theirs));
    let cert = samlkit::Certificate::from_pem_or_der(&data("keys/ec-p256.cert.pem")).unwrap();
    let validator = Validator::heroku("acme", vec![cert])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()));
    validator.validate(&xml).unwrap();
    validator.validate(&theirs).unwrap();

    group.bench_function("sign_ecdsa/samlkit-aws-lc-rs", |b| b.iter(sign));
    group.bench_function("sign_ecdsa/libxmlsec1", |b| b.iter(|| libxmlsec1_sign(&signer, black_box(&xml))));
    group.bench_function("verify_ecdsa/samlkit-aws-lc-rs", |b| b.iter(|| validator.validate(black_box(&xml)).unwrap()));
    group.bench_function("verify_ecdsa/libxmlsec1", |b| b.iter(|| libxmlsec1_verify(&verifier, black_box(&xml))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
