//! An arbitrary profile is mapped, built, signed, and must verify and give back the same NameID
//! and attributes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::IdpKey;
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use samlkit::validate::Validator;
use std::sync::{Arc, LazyLock};

static KEY: LazyLock<IdpKey> = LazyLock::new(|| {
    samlkit::IdpKey::from_pem_or_der_on(
        include_bytes!("../../tests/data/keys/rsa-2048.pkcs8.pem"),
        include_bytes!("../../tests/data/keys/rsa-2048.cert.pem"), samlkit::crypto::Backend::RustCrypto)
    .unwrap()
});

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(mut profile)) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    profile.insert("email".into(), "jane.doe@example.com".into());
    let mut settings = AddonSettings::heroku("acme");
    settings.passthrough_claims_with_no_mapping = true;
    settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = DigestAlgorithm::Sha256;
    // Text XML cannot carry is refused up front: nothing else may fail.
    let Ok(claims) = map_profile(&settings, &serde_json::Value::Object(profile)) else { return };
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let xml = ResponseBuilder::new(&settings).clock(&clock).issuer("urn:idp").build(&claims, &*KEY).expect("build").xml;
    let validator = Validator::heroku("acme", vec![samlkit::crypto::SigningKey::certificate(&*KEY).clone()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .limits(samlkit::low_level::ParseLimits { max_bytes: 1 << 24, ..Default::default() });
    let verified = validator.validate(&xml).expect("samlkit's own response validates");
    assert_eq!(verified.name_id.value, claims.name_id.value);
    assert_eq!(verified.attributes.len(), claims.attributes.len());
    for (got, want) in verified.attributes.iter().zip(&claims.attributes) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.values.len(), want.values.len());
    }
});
