//! Arbitrary bytes, as XML and as base64, into the verifier and validator: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::clock::FixedClock;
use samlkit::keys::Certificate;
use samlkit::validate::Validator;
use std::sync::{Arc, LazyLock};

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let cert = Certificate::from_pem(include_str!("../../tests/data/keys/rsa-2048.cert.pem")).unwrap();
    Validator::heroku("acme", vec![cert])
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .insecure_allow_sha1()
        .allow_response_signature_only(true)
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = VALIDATOR.validate(&text);
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, data);
    let _ = VALIDATOR.validate(&encoded);
});
