//! Resource exhaustion: generated worst cases (`tests/common/hostile.rs`) at the default 256 KiB
//! input limit each finish far inside a generous wall budget (2 s, in a debug build of the
//! crate; the criterion group `hostile` measures them against a benign document of the same
//! size), and are refused for the right reason.
//!
//! Regression for the PrefixList / namespace-declaration denial of service of samlkit 0.1
//! (5.3 s of CPU for an 81 KB unauthenticated Response, minutes for 215 KB).

mod common;

use common::data;
use common::hostile::{Case, TARGET, cases};
use samlkit::Certificate;
use samlkit::clock::FixedClock;
use samlkit::error::Error;
use samlkit::low_level::{C14nMethod, C14nOptions, canonicalize};
use samlkit::low_level::{Document, ParseLimits};
use samlkit::validate::Validator;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BUDGET: Duration = Duration::from_secs(2);

fn golden() -> String {
    String::from_utf8(data("golden/heroku-rsa-sha256-sha256.xml")).unwrap()
}

fn validator() -> Validator {
    let cert = Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
    Validator::heroku("acme", vec![cert])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .expect_in_response_to("_request1")
}

/// The name of the variant an answer carries (`OK` for an accepted response).
fn outcome(result: &Result<samlkit::validate::VerifiedAssertion, Error>) -> String {
    match result {
        Ok(_) => "OK".to_owned(),
        Err(e) => {
            let debug = format!("{e:?}");
            // `Verify(DigestMismatch { .. })` → `DigestMismatch`
            let inner = debug.split_once('(').map_or(debug.as_str(), |(_, rest)| rest);
            inner.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_owned()
        }
    }
}

#[test]
fn every_hostile_family_is_refused_quickly_for_the_right_reason() {
    let v = validator();
    let all = cases(&golden());
    assert!(all.len() >= 10);
    // HOSTILE_DUMP=DIR writes the cases out, to try them on another verifier.
    if let Ok(dir) = std::env::var("HOSTILE_DUMP") {
        for case in &all {
            std::fs::write(format!("{dir}/{}.xml", case.name), &case.xml).unwrap();
        }
    }
    for Case { name, xml, expect } in &all {
        assert!(xml.len() > TARGET - 20_000, "{name}: only {} bytes", xml.len());
        let started = Instant::now();
        let result = v.validate(xml);
        let took = started.elapsed();
        assert_eq!(outcome(&result), *expect, "{name}: {result:?}");
        assert!(took < BUDGET, "{name}: {took:?}");
        // The same as posted (base64), and as bytes.
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, xml);
        let started = Instant::now();
        assert_eq!(outcome(&v.validate(&b64)), *expect, "{name} (base64)");
        assert_eq!(outcome(&v.validate_bytes(xml.as_bytes())), *expect, "{name} (bytes)");
        assert!(started.elapsed() < BUDGET * 2, "{name} (base64 and bytes): {:?}", started.elapsed());
    }
}

#[test]
fn canonicalization_is_linear_whatever_the_prefix_list() {
    // The c14n API itself takes any PrefixList: 30 000 prefixes over the namespace bombs, and
    // every inclusive method, stay far inside the budget.
    let limits = ParseLimits::default();
    let list: Vec<String> = (0..30_000).map(|p| format!("p{p}")).chain(["#default".to_owned()]).collect();
    for Case { name, xml, .. } in cases(&golden()) {
        let doc = Document::parse(&xml, &limits).unwrap();
        for method in [C14nMethod::Exclusive, C14nMethod::Inclusive, C14nMethod::Inclusive11] {
            let options = C14nOptions { method, inclusive_prefixes: list.clone(), ..C14nOptions::default() };
            let mut out = Vec::new();
            let started = Instant::now();
            canonicalize(&doc, doc.root(), &options, &mut out);
            assert!(started.elapsed() < BUDGET, "{name} {method:?}: {:?}", started.elapsed());
            assert!(!out.is_empty());
        }
    }
}
