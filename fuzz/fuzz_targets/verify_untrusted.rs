//! Arbitrary bytes, as XML and as base64, into the verifier and validator: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::clock::FixedClock;
use samlkit::keys::Certificate;
use samlkit::validate::Validator;
use std::sync::{Arc, LazyLock};

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let cert = Certificate::from_pem(include_str!("../../tests/data/keys/rsa-2048.cert.pem")).unwrap();
    // The EC certificate too: with `--features aws-lc-rs`, ECDSA signatures reach AWS-LC.
    let ec = Certificate::from_pem(include_str!("../../tests/data/keys/ec-p256.cert.pem")).unwrap();
    Validator::heroku("acme", vec![cert, ec])
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .insecure_allow_sha1()
        .allow_response_signature_only(true)
});

/// The same, able to decrypt (the SP key of the encryption tests).
static DECRYPTING: LazyLock<Validator> = LazyLock::new(|| {
    let key = samlkit::encryption::DecryptionKey::from_pem_or_der(include_bytes!(
        "../../tests/data/keys/other-2048.pkcs8.pem"
    ))
    .unwrap();
    VALIDATOR.clone().decryption_key(key).insecure_allow_cbc()
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = VALIDATOR.validate(&text);
    let _ = DECRYPTING.validate(&text);
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, data);
    let _ = VALIDATOR.validate(&encoded);
});
