//! Whole documents compared byte for byte with reviewed golden files (fixed clock and IDs; RSA
//! PKCS#1 v1.5 signatures are deterministic). Regenerate with `UPDATE_GOLDEN=1 cargo test --test
//! golden` and review the diff.

mod common;

use common::{check_signature, data, golden, key, parse, signatures};
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::ids::SequentialIds;
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use samlkit::vocabulary::{Status, second_level};
use serde_json::Value;

fn build(settings: &AddonSettings, profile: &str) -> String {
    let profile: Value = serde_json::from_slice(&data(profile)).unwrap();
    let claims = map_profile(settings, &profile).unwrap();
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let ids = SequentialIds::new("_golden").unwrap();
    let xml = ResponseBuilder::new(settings)
        .clock(&clock)
        .ids(&ids)
        .issuer("urn:acme.auth0.com")
        .in_response_to("_request1")
        .build(&claims, &key(2048))
        .unwrap()
        .xml;
    let doc = parse(&xml);
    for s in signatures(&doc) {
        check_signature(&doc, s);
    }
    xml
}

#[test]
fn heroku() {
    golden("heroku.xml", &build(&AddonSettings::heroku("acme"), "profiles/full-auth0.json"));
}

#[test]
fn auth0_defaults_on_a_full_profile() {
    let s = AddonSettings::default().with_callback_url("https://sp.example.com/acs");
    golden("auth0-defaults.xml", &build(&s, "profiles/full-auth0.json"));
}

#[test]
fn sign_response_true_and_false() {
    let mut s = AddonSettings::heroku("acme");
    s.sign_response = true;
    golden("heroku-sign-both.xml", &build(&s, "profiles/full-auth0.json"));
    s.sign_assertion = false;
    golden("heroku-sign-response-only.xml", &build(&s, "profiles/full-auth0.json"));
    // The same with SHA-256, which the verifier accepts without opting in to SHA-1.
    s.signature_algorithm = SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = DigestAlgorithm::Sha256;
    golden("heroku-sign-response-only-sha256.xml", &build(&s, "profiles/full-auth0.json"));
    s.sign_assertion = true;
    golden("heroku-sign-both-sha256.xml", &build(&s, "profiles/full-auth0.json"));
}

#[test]
fn every_algorithm_pair() {
    for sig in SignatureAlgorithm::RSA {
        for digest in DigestAlgorithm::ALL {
            let mut s = AddonSettings::heroku("acme");
            s.signature_algorithm = sig;
            s.digest_algorithm = digest;
            golden(&format!("heroku-{sig}-{digest}.xml"), &build(&s, "profiles/full-auth0.json"));
        }
    }
}

#[test]
fn error_response() {
    let s = AddonSettings::heroku("acme");
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let ids = SequentialIds::new("_golden").unwrap();
    let status = Status::responder("The user is blocked").with_second_level(second_level::REQUEST_DENIED);
    let xml = ResponseBuilder::new(&s)
        .clock(&clock)
        .ids(&ids)
        .issuer("urn:acme.auth0.com")
        .in_response_to("_request1")
        .build_status(&status, None)
        .unwrap()
        .xml;
    golden("error-responder.xml", &xml);
}
