//! ECDSA P-256 (`ecdsa-sha256`, RFC 4051), a samlkit extension signed and verified with the
//! `aws-lc-rs` feature; without it, ECDSA is refused with a clear error on both sides.

mod common;

use common::{data, key};
use samlkit::Certificate;
use samlkit::Error;
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::SignatureAlgorithm;
use samlkit::error::{SignError, VerifyError};
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use samlkit::validate::Validator;
use std::sync::Arc;

const CHECKED: &str = "2026-11-28T15:22:00Z";
/// A Heroku response signed with `ecdsa-sha256` (see `tests/data/ecdsa/README.md`).
const FIXTURE: &str = "ecdsa/heroku-response.xml";

fn ec_cert() -> Certificate {
    Certificate::from_pem_or_der(&data("keys/ec-p256.cert.pem")).unwrap()
}

fn settings() -> AddonSettings {
    let mut s = AddonSettings::heroku("acme");
    s.signature_algorithm = SignatureAlgorithm::EcdsaSha256;
    s.digest_algorithm = samlkit::crypto::DigestAlgorithm::Sha256;
    s
}

fn validator(cert: Certificate) -> Validator {
    Validator::heroku("acme", vec![cert]).unwrap().clock(Arc::new(FixedClock::rfc3339(CHECKED).unwrap()))
}

#[test]
fn settings_name_ecdsa_sha256_and_rsa_keys_cannot_sign_it() {
    let parsed = AddonSettings::from_json(r#"{"signatureAlgorithm": "ecdsa-sha256"}"#);
    if cfg!(feature = "aws-lc-rs") {
        let s = parsed.unwrap();
        assert_eq!(s.signature_algorithm, SignatureAlgorithm::EcdsaSha256);
        assert_eq!(s.to_json()["signatureAlgorithm"], "ecdsa-sha256");
    } else {
        assert_eq!(
            parsed.unwrap_err().to_string(),
            "`signatureAlgorithm`: `ecdsa-sha256` needs samlkit's `aws-lc-rs` cargo feature"
        );
        assert!(settings().validate().is_err());
    }
    let bad = AddonSettings::from_json(r#"{"signatureAlgorithm": "ecdsa-sha1"}"#).unwrap_err().to_string();
    assert!(bad.contains("ecdsa-sha256"), "{bad}");
    // An RSA key cannot sign ecdsa-sha256: a clear error, no document.
    let claims = map_profile(&settings(), &serde_json::json!({"email": "jane@example.com"})).unwrap();
    let err = ResponseBuilder::new(&settings()).issuer("urn:idp").build(&claims, &key(2048)).unwrap_err();
    let expected = if cfg!(feature = "aws-lc-rs") {
        SignError::KeyType { algorithm: "ecdsa-sha256", expected: "EC P-256" }
    } else {
        SignError::NeedsFeature { algorithm: "ecdsa-sha256", feature: "aws-lc-rs" }
    };
    assert!(matches!(&err, Error::Sign(e) if *e == expected), "{err:?}");
}

/// A caller's own signer whose output cannot verify is refused before anything is written.
#[test]
fn a_custom_signer_is_held_to_the_algorithm() {
    #[derive(Debug)]
    struct Der(samlkit::IdpKey, usize);
    impl samlkit::crypto::SigningKey for Der {
        fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
            let mut value = self.0.sign(algorithm, message)?;
            value.resize(self.1, 0);
            Ok(value)
        }
        fn certificate(&self) -> &Certificate {
            self.0.certificate()
        }
    }
    let s = AddonSettings::heroku("acme");
    let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com"})).unwrap();
    let build = |length| ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &Der(key(2048), length));
    build(256).unwrap();
    let err = build(255).unwrap_err();
    assert_eq!(err.to_string(), "signing: the signing key returned 255 bytes for rsa-sha1, not 256");
    let query = samlkit::binding::redirect::encode(
        samlkit::binding::redirect::MessageKind::Request,
        "<x/>",
        None,
        Some((&Der(key(2048), 72), SignatureAlgorithm::RsaSha256)),
    );
    assert!(matches!(query, Err(Error::Sign(SignError::SignatureLength { length: 72, expected: 256, .. }))));
}

/// ECDSA verification needs no feature (RustCrypto `p256`/`p384`); signing with it does.
#[test]
fn ecdsa_verifies_in_every_build() {
    assert_eq!(SignatureAlgorithm::EcdsaSha256.is_available(), cfg!(feature = "aws-lc-rs"));
    let xml = String::from_utf8(data(FIXTURE)).unwrap();
    let a = validator(ec_cert()).validate(&xml).unwrap();
    assert_eq!(a.signature_algorithm, SignatureAlgorithm::EcdsaSha256);
    // A changed byte in the signature value fails as a bad signature, not an unknown algorithm.
    let at = xml.find("<SignatureValue>").unwrap() + "<SignatureValue>".len();
    let flipped = format!("{}{}{}", &xml[..at], if &xml[at..at + 1] == "A" { "B" } else { "A" }, &xml[at + 1..]);
    let err = validator(ec_cert()).validate(&flipped).unwrap_err();
    assert!(matches!(err, Error::Verify(VerifyError::BadSignature { .. })), "{err:?}");
    // The Redirect binding too: a bogus ecdsa-sha256 query signature is checked, and fails.
    use samlkit::binding::redirect::{self, MessageKind, RedirectLimits};
    let query =
        "SAMLRequest=fZA&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23ecdsa-sha256&Signature=AAAA";
    let policy = samlkit::TrustPolicy::new(vec![ec_cert()]);
    let err = redirect::decode(query, MessageKind::Request, &policy, &RedirectLimits::default()).unwrap_err();
    assert!(err.to_string().contains("does not verify"), "{err}");
}

#[cfg(feature = "aws-lc-rs")]
mod with_aws_lc {
    use super::*;
    use samlkit::binding::redirect::{self, MessageKind, RedirectLimits};
    use samlkit::crypto::DigestAlgorithm;
    use samlkit::error::BindingError;

    const ISSUED: &str = "2026-11-28T15:21:01.288Z";

    fn ec_key() -> samlkit::IdpKey {
        samlkit::IdpKey::from_pem_or_der(&data("keys/ec-p256.sec1.pem"), &data("keys/ec-p256.cert.pem")).unwrap()
    }

    fn build(s: &AddonSettings) -> String {
        let profile = serde_json::json!({"email": "jane@example.com", "name": "Jane Doe"});
        let claims = map_profile(s, &profile).unwrap();
        let clock = FixedClock::rfc3339(ISSUED).unwrap();
        ResponseBuilder::new(s).clock(&clock).issuer("urn:idp").build(&claims, &ec_key()).unwrap().xml
    }

    #[test]
    fn signed_responses_validate_in_every_mode() {
        for (sign_response, sign_assertion) in [(false, true), (true, true)] {
            let mut s = settings();
            (s.sign_response, s.sign_assertion) = (sign_response, sign_assertion);
            let xml = build(&s);
            let uri = SignatureAlgorithm::EcdsaSha256.uri();
            assert_eq!(
                xml.matches(&format!(r#"<SignatureMethod Algorithm="{uri}">"#)).count(),
                1 + usize::from(sign_response)
            );
            let verified = validator(ec_cert()).validate(&xml).unwrap();
            assert_eq!(verified.name_id.value, "jane@example.com");
            assert_eq!(verified.signature_algorithm, SignatureAlgorithm::EcdsaSha256);
            assert_eq!(verified.signed.response, sign_response);
        }
    }

    #[test]
    fn tampering_and_the_wrong_key_are_caught() {
        let xml = build(&settings());
        let bad = |xml: &str, cert: Certificate| validator(cert).validate(xml).unwrap_err();
        let tampered = xml.replacen("jane@example.com</saml:NameID>", "eve@example.com</saml:NameID>", 1);
        assert!(matches!(bad(&tampered, ec_cert()), Error::Verify(VerifyError::DigestMismatch { .. })));
        // Flip one bit of s (the signature's last byte): the signature no longer verifies.
        let start = xml.find("<SignatureValue>").unwrap() + "<SignatureValue>".len();
        let end = xml.find("</SignatureValue>").unwrap();
        let mut sig = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &xml[start..end]).unwrap();
        assert_eq!(sig.len(), 64, "r || s, 32 bytes each");
        sig[63] ^= 1;
        let flipped = format!(
            "{}{}{}",
            &xml[..start],
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &sig),
            &xml[end..]
        );
        assert!(matches!(bad(&flipped, ec_cert()), Error::Verify(VerifyError::BadSignature { .. })));
        // Pinned to the RSA certificate: KeyInfo names another one, which is ignored; the RSA
        // key cannot verify an ECDSA signature.
        let rsa = Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
        assert!(matches!(bad(&xml, rsa.clone()), Error::Verify(VerifyError::BadSignature { .. })));
        // Without KeyInfo, the RSA certificate cannot verify an ECDSA signature.
        let start = xml.find("<KeyInfo>").unwrap();
        let end = xml.find("</KeyInfo>").unwrap() + "</KeyInfo>".len();
        let no_key_info = format!("{}{}", &xml[..start], &xml[end..]);
        assert!(matches!(bad(&no_key_info, rsa), Error::Verify(VerifyError::BadSignature { .. })));
        validator(ec_cert()).validate(&no_key_info).unwrap();
        // An RSA signature does not verify under the EC certificate.
        let rsa_signed = {
            let s = AddonSettings::heroku("acme");
            let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com"})).unwrap();
            let clock = FixedClock::rfc3339(ISSUED).unwrap();
            ResponseBuilder::new(&s).clock(&clock).issuer("urn:idp").build(&claims, &key(2048)).unwrap().xml
        };
        let v = validator(ec_cert()).insecure_allow_sha1();
        let err = v.validate(&rsa_signed).unwrap_err();
        assert!(matches!(err, Error::Verify(VerifyError::BadSignature { .. })), "{err:?}");
        // Without KeyInfo the crypto decides: an RSA signature is no ECDSA signature.
        let start = rsa_signed.find("<KeyInfo>").unwrap();
        let end = rsa_signed.find("</KeyInfo>").unwrap() + "</KeyInfo>".len();
        let rsa_no_key_info = format!("{}{}", &rsa_signed[..start], &rsa_signed[end..]);
        let err = v.validate(&rsa_no_key_info).unwrap_err();
        assert!(matches!(err, Error::Verify(VerifyError::BadSignature { .. })), "{err:?}");
        let rsa_validator = validator(Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap());
        rsa_validator.insecure_allow_sha1().validate(&rsa_no_key_info).unwrap();
        // A P-384 certificate pinned: no P-256 signature verifies under it.
        let p384 = Certificate::from_pem_or_der(&data("keys/ec-p384.cert.pem")).unwrap();
        assert!(matches!(bad(&no_key_info, p384), Error::Verify(VerifyError::BadSignature { .. })));
    }

    #[test]
    fn the_ec_key_refuses_rsa_algorithms() {
        let mut s = settings();
        s.signature_algorithm = SignatureAlgorithm::RsaSha256;
        let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com"})).unwrap();
        let err = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &ec_key()).unwrap_err();
        assert_eq!(err.to_string(), "signing: the signing key's certificate holds no RSA key, which rsa-sha256 needs");
    }

    #[test]
    fn redirect_queries_sign_and_verify_with_ecdsa() {
        let k = ec_key();
        let q = redirect::encode(
            MessageKind::Request,
            "<samlp:AuthnRequest/>",
            Some("abc"),
            Some((&k, SignatureAlgorithm::EcdsaSha256)),
        )
        .unwrap();
        let policy = samlkit::TrustPolicy::new(vec![ec_cert()]);
        let m = redirect::decode(&q, MessageKind::Request, &policy, &RedirectLimits::default()).unwrap();
        assert_eq!(m.signed_with, Some(SignatureAlgorithm::EcdsaSha256));
        let tampered = q.replace("RelayState=abc", "RelayState=abd");
        let err = redirect::decode(&tampered, MessageKind::Request, &policy, &RedirectLimits::default()).unwrap_err();
        assert!(matches!(err, Error::Binding(BindingError::BadSignature { .. })), "{err:?}");
        // Pinned to the RSA certificate, the ECDSA query does not verify.
        let rsa = Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
        let policy = samlkit::TrustPolicy::new(vec![rsa]);
        let err = redirect::decode(&q, MessageKind::Request, &policy, &RedirectLimits::default()).unwrap_err();
        assert!(matches!(err, Error::Binding(BindingError::BadSignature { .. })), "{err:?}");
        // An EC key cannot sign an RSA query.
        let err = redirect::encode(MessageKind::Request, "<x/>", None, Some((&k, SignatureAlgorithm::RsaSha256)));
        assert!(matches!(err, Err(Error::Sign(SignError::KeyType { expected: "RSA", .. }))), "{err:?}");
    }

    #[test]
    fn a_redirect_query_signed_by_openssl_verifies() {
        let query = String::from_utf8(data("ecdsa/openssl-signed-query.txt")).unwrap();
        let policy = samlkit::TrustPolicy::new(vec![ec_cert()]);
        let m = redirect::decode(query.trim(), MessageKind::Request, &policy, &RedirectLimits::default()).unwrap();
        assert_eq!(m.signed_with, Some(SignatureAlgorithm::EcdsaSha256));
        assert!(m.xml.contains("AuthnRequest"));
        let tampered = query.trim().replacen("SAMLRequest=", "SAMLRequest=A", 1);
        let err = redirect::decode(&tampered, MessageKind::Request, &policy, &RedirectLimits::default()).unwrap_err();
        assert!(matches!(err, Error::Binding(BindingError::BadSignature { .. })), "{err:?}");
    }

    #[test]
    fn signed_metadata_verifies() {
        use samlkit::metadata::IdpMetadataBuilder;
        let k = ec_key();
        let xml = IdpMetadataBuilder::new("urn:acme.auth0.com")
            .sso_url("https://acme.auth0.com/samlp/CLIENT")
            .signing_certificate(k.certificate().clone())
            .build_signed(&k, SignatureAlgorithm::EcdsaSha256, DigestAlgorithm::Sha256)
            .unwrap();
        assert!(xml.contains("xmldsig-more#ecdsa-sha256"));
        let doc = common::parse(&xml);
        let policy = samlkit::TrustPolicy::new(vec![ec_cert()]);
        let root = doc.root();
        samlkit::low_level::verify_enveloped(
            &doc,
            root,
            "EntityDescriptor",
            &policy,
            &samlkit::low_level::ParseLimits::default(),
        )
        .unwrap()
        .unwrap();
    }

    /// The fixture the build without `aws-lc-rs` refuses verifies here; `UPDATE_FIXTURES=1`
    /// writes a new one (ECDSA signatures are randomized, so it is not a golden file).
    #[test]
    fn the_fixture_verifies() {
        let path = format!("{}/tests/data/{FIXTURE}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, build(&settings())).unwrap();
        }
        let xml = String::from_utf8(data(FIXTURE)).unwrap();
        assert!(SignatureAlgorithm::EcdsaSha256.is_available());
        validator(ec_cert()).validate(&xml).unwrap();
    }
}
