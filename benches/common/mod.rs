//! Shared bench fixtures: the test keys, settings and profiles.
#![allow(dead_code)]

use samlkit::clock::FixedClock;
use samlkit::crypto::{Backend, DigestAlgorithm, SignatureAlgorithm, SigningKey};
use samlkit::error::SignError;
use samlkit::{AddonSettings, Certificate, IdentityProvider, IdpKey};
use serde_json::{Value, json};
use std::sync::Arc;

pub fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn rust_crypto_key() -> IdpKey {
    let key = data("keys/rsa-2048.pkcs8.pem");
    IdpKey::from_pem_or_der_on(&key, &data("keys/rsa-2048.cert.pem"), Backend::RustCrypto).unwrap()
}

/// Every signing backend built into this compilation, with the same RSA-2048 key.
pub fn backends() -> Vec<(&'static str, IdpKey)> {
    Backend::ALL
        .iter()
        .map(|&backend| {
            let key = data("keys/rsa-2048.pkcs8.pem");
            (backend.name(), IdpKey::from_pem_or_der_on(&key, &data("keys/rsa-2048.cert.pem"), backend).unwrap())
        })
        .collect()
}

/// The IdP the benches sign with: `settings` with the issuer `urn:acme.auth0.com`, `key`, and a
/// fixed clock (the golden files' instant).
pub fn idp(settings: &AddonSettings, key: IdpKey) -> IdentityProvider {
    IdentityProvider::new(settings.clone().with_issuer("urn:acme.auth0.com"), key)
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap()))
}

/// A response signed with the RustCrypto key, for the verify benches.
pub fn signed(settings: &AddonSettings, profile: &Value) -> String {
    idp(settings, rust_crypto_key()).respond(profile).build().unwrap().xml
}

/// [`NoRsa`] as an IdP key.
pub fn no_rsa_key() -> IdpKey {
    IdpKey::custom(Arc::new(NoRsa(cert())))
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
