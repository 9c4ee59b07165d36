//! Arbitrary bytes, as text, as bytes (any encoding the declaration names) and as base64, into
//! the verifier and validator: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::Certificate;
use samlkit::clock::FixedClock;
use samlkit::validate::Validator;
use std::sync::{Arc, LazyLock};

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let cert = Certificate::from_pem(include_str!("../../tests/data/keys/rsa-2048.cert.pem")).unwrap();
    // The EC certificates too: ECDSA signatures reach ECDSA verification (P-256 through AWS-LC
    // with `--features aws-lc-rs`), and the 1024-bit one the legacy RSA path.
    let ec = Certificate::from_pem(include_str!("../../tests/data/keys/ec-p256.cert.pem")).unwrap();
    let p384 = Certificate::from_pem(include_str!("../../tests/data/keys/ec-p384.cert.pem")).unwrap();
    let small = Certificate::from_pem(include_str!("../../tests/data/keys/rsa-1024.cert.pem")).unwrap();
    Validator::heroku("acme", vec![cert, ec, p384, small])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .insecure_allow_sha1()
        .allow_response_signature_only(true)
        .insecure_allow_rsa_1024()
        .insecure_allow_no_audience()
        .allow_missing_destination()
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
    let _ = VALIDATOR.validate_bytes(data);
});
