//! Shared bench fixtures: the test keys, settings and profiles.
#![allow(dead_code)]

use samlkit::Certificate;
use samlkit::IdpKey;
use samlkit::claims::{Claims, map_profile};
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
use samlkit::error::SignError;
use samlkit::settings::AddonSettings;
use serde_json::{Value, json};

pub fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn rust_crypto_key() -> IdpKey {
    samlkit::IdpKey::from_pem_or_der_on(
        &data("keys/rsa-2048.pkcs8.pem"),
        &data("keys/rsa-2048.cert.pem"),
        samlkit::crypto::Backend::RustCrypto,
    )
    .unwrap()
}

/// Every signing backend built into this compilation, with the same RSA-2048 key.
pub fn backends() -> Vec<(&'static str, Box<dyn SigningKey>)> {
    #[allow(unused_mut)]
    let mut out: Vec<(&'static str, Box<dyn SigningKey>)> = vec![("rust-crypto", Box::new(rust_crypto_key()))];
    #[cfg(feature = "aws-lc-rs")]
    out.push((
        "aws-lc-rs",
        Box::new(
            samlkit::IdpKey::from_pem_or_der_on(
                &data("keys/rsa-2048.pkcs8.pem"),
                &data("keys/rsa-2048.cert.pem"),
                samlkit::crypto::Backend::AwsLc,
            )
            .unwrap(),
        ),
    ));
    out
}

/// The active verification backend's name.
pub fn verify_backend() -> &'static str {
    if cfg!(feature = "aws-lc-rs") { "aws-lc-rs" } else { "rust-crypto" }
}

pub fn cert() -> Certificate {
    Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()
}

/// The Heroku recipe with rsa-sha256/sha256 (every backend signs SHA-256).
pub fn heroku() -> AddonSettings {
    let mut s = AddonSettings::heroku("acme");
    s.signature_algorithm = SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = DigestAlgorithm::Sha256;
    s
}

/// Auth0's defaults with rsa-sha256/sha256.
pub fn auth0_defaults() -> AddonSettings {
    let mut s = AddonSettings::default().with_callback_url("https://sp.example.com/acs");
    s.audience = Some("urn:sp".into());
    s.signature_algorithm = SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = DigestAlgorithm::Sha256;
    s
}

pub fn full_profile() -> Value {
    serde_json::from_slice(&data("profiles/full-auth0.json")).unwrap()
}

pub fn heroku_profile() -> Value {
    json!({"user_id": "auth0|1", "email": "jane.doe@example.com", "name": "Jane Doe"})
}

/// A profile with `n` passthrough attributes.
pub fn wide_profile(n: usize) -> (AddonSettings, Value) {
    let mut profile = serde_json::Map::new();
    profile.insert("email".into(), json!("jane.doe@example.com"));
    for i in 0..n.saturating_sub(1) {
        profile.insert(format!("field_{i:04}"), json!(format!("value number {i}")));
    }
    let mut s = heroku();
    s.passthrough_claims_with_no_mapping = true;
    (s, Value::Object(profile))
}

pub fn claims(settings: &AddonSettings, profile: &Value) -> Claims {
    map_profile(settings, profile).unwrap()
}

/// A signer that does no RSA: isolates everything that is not the private-key operation.
#[derive(Debug)]
pub struct NoRsa(pub Certificate);

impl SigningKey for NoRsa {
    fn sign(&self, _: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(vec![message.len() as u8; 256])
    }
    fn certificate(&self) -> &Certificate {
        &self.0
    }
}
