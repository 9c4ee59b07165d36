//! An arbitrary profile is mapped, built, signed, and must verify and give back the same NameID
//! and attributes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::validate::ParseLimits;
use samlkit::{AddonSettings, IdentityProvider, IdpKey, Validator};
use std::sync::{Arc, LazyLock};

static IDP: LazyLock<IdentityProvider> = LazyLock::new(|| {
    let mut settings = AddonSettings::heroku("acme").with_issuer("urn:idp");
    settings.passthrough_claims_with_no_mapping = true;
    settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = DigestAlgorithm::Sha256;
    let key = IdpKey::from_pem_or_der(
        include_bytes!("../../tests/data/keys/rsa-2048.pkcs8.pem"),
        include_bytes!("../../tests/data/keys/rsa-2048.cert.pem"),
    )
    .unwrap();
    IdentityProvider::new(settings, key)
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap()))
});

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    Validator::heroku("acme", vec![IDP.key().certificate().clone()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .limits(ParseLimits { max_bytes: 1 << 24, ..Default::default() })
});

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(mut profile)) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    profile.insert("email".into(), "jane.doe@example.com".into());
    let profile = serde_json::Value::Object(profile);
    // Text XML cannot carry is refused up front: nothing else may fail.
    let Ok(claims) = samlkit::claims::map_profile(IDP.settings(), &profile) else { return };
    let xml = IDP.respond(&profile).build().expect("build").xml;
    let verified = VALIDATOR.validate(&xml).expect("samlkit's own response validates");
    assert_eq!(verified.name_id.value, claims.name_id.value);
    assert_eq!(verified.attributes.len(), claims.attributes.len());
    for (got, want) in verified.attributes.iter().zip(&claims.attributes) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.values.len(), want.values.len());
    }
});
