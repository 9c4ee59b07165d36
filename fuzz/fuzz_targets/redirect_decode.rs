//! Arbitrary query strings into the HTTP-Redirect decoder (unsigned and signature-checking
//! policies) and the AuthnRequest reader: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::Certificate;
use samlkit::TrustPolicy;
use samlkit::authn_request::AuthnRequest;
use samlkit::binding::redirect::{self, MessageKind, RedirectLimits};
use std::sync::LazyLock;

static SIGNED: LazyLock<TrustPolicy> = LazyLock::new(|| {
    TrustPolicy::new(vec![
        Certificate::from_pem(include_str!("../../tests/data/keys/rsa-2048.cert.pem")).unwrap(),
        Certificate::from_pem(include_str!("../../tests/data/keys/ec-p256.cert.pem")).unwrap(),
        Certificate::from_pem(include_str!("../../tests/data/keys/ec-p384.cert.pem")).unwrap(),
        Certificate::from_pem(include_str!("../../tests/data/keys/rsa-1024.cert.pem")).unwrap(),
    ])
    .insecure_allow_sha1()
    .insecure_allow_rsa_1024()
});

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let limits = RedirectLimits::default();
    let _ = redirect::decode(&query, MessageKind::Request, &TrustPolicy::default(), &limits);
    let _ = redirect::decode(&query, MessageKind::Response, &SIGNED, &limits);
    let _ = AuthnRequest::from_redirect(&query, &TrustPolicy::default());
});
