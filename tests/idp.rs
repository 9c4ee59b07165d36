//! `IdentityProvider`: validation at construction, the per-login builder (every override and
//! its precedence over the settings), SP-initiated answers, error responses, keys, and that it
//! writes exactly what the low-level builders write.

mod common;

use common::data;
use samlkit::authn_request::AuthnRequest;
use samlkit::clock::FixedClock;
use samlkit::error::{BindingError, Error, KeyError, SettingsError, SignError, UsageError};
use samlkit::ids::SequentialIds;
use samlkit::low_level::ResponseBuilder;
use samlkit::vocabulary::Status;
use samlkit::{AddonSettings, Certificate, IdentityProvider, IdpKey, Validator};
use serde_json::json;
use std::sync::Arc;

const ISSUED: &str = "2026-11-28T15:21:01.288Z";
const NOW: &str = "2026-11-28T15:30:00Z";
const ACS: &str = "https://sso.heroku.com/saml/acme/finalize";

fn key() -> IdpKey {
    IdpKey::from_pem_or_der(&data("keys/rsa-2048.pkcs8.pem"), &data("keys/rsa-2048.cert.pem")).unwrap()
}

fn cert() -> Certificate {
    Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()
}

fn heroku() -> AddonSettings {
    AddonSettings::heroku("acme").with_issuer("urn:acme.auth0.com")
}

fn idp(settings: AddonSettings) -> IdentityProvider {
    IdentityProvider::new(settings, key())
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339(ISSUED).unwrap()))
        .ids(Arc::new(SequentialIds::new("_id").unwrap()))
}

fn validator() -> Validator {
    Validator::heroku("acme", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339(NOW).unwrap()))
        .insecure_allow_sha1()
}

fn profile() -> serde_json::Value {
    json!({"email": "jane@example.com", "name": "Jane"})
}

#[test]
fn construction_validates_once_and_names_what_is_missing() {
    let missing = |settings: AddonSettings| match IdentityProvider::new(settings, key()) {
        Err(Error::Usage(UsageError::Missing { what, .. })) => what,
        other => panic!("{other:?}"),
    };
    assert_eq!(missing(AddonSettings::heroku("acme")), "issuer");
    let mut no_recipient = AddonSettings::default().with_issuer("urn:idp");
    no_recipient.audience = Some("urn:sp".into());
    assert_eq!(missing(no_recipient), "recipient (the SP's ACS URL)");
    // The settings' own validation runs.
    let mut bad = heroku();
    bad.lifetime_in_seconds = 0;
    assert!(matches!(IdentityProvider::new(bad, key()), Err(Error::Settings(SettingsError::Lifetime { .. }))));
    // A key of the wrong type for the algorithm, an algorithm this build cannot sign with.
    let mut ecdsa = heroku();
    ecdsa.signature_algorithm = samlkit::SignatureAlgorithm::EcdsaSha256;
    let err = IdentityProvider::new(ecdsa, key()).unwrap_err();
    if cfg!(feature = "aws-lc-rs") {
        assert!(matches!(err, Error::Sign(SignError::KeyType { expected: "EC P-256", .. })), "{err:?}");
    } else {
        assert!(matches!(err, Error::Settings(SettingsError::NeedsFeature { feature: "aws-lc-rs", .. })), "{err:?}");
    }
    // An encryption certificate that does not parse is found now, not at the first login.
    let mut encrypted = heroku();
    encrypted.encryption_cert = Some("not a certificate".into());
    assert!(IdentityProvider::new(encrypted, key()).is_err());
    // Shared: Clone + Send + Sync.
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<IdentityProvider>();
    shareable::<IdpKey>();
    shareable::<samlkit::LoginResponse>();
}

#[test]
fn it_writes_what_the_low_level_builder_writes() {
    let settings = heroku();
    let signed = idp(settings.clone()).respond(&profile()).in_response_to("_r1").build().unwrap();
    let claims = samlkit::claims::map_profile(&settings, &profile()).unwrap();
    let clock = FixedClock::rfc3339(ISSUED).unwrap();
    let ids = SequentialIds::new("_id").unwrap();
    let signer = samlkit::IdpKey::from_pem_or_der_on(
        &data("keys/rsa-2048.pkcs8.pem"),
        &data("keys/rsa-2048.cert.pem"),
        samlkit::crypto::Backend::RustCrypto,
    )
    .unwrap();
    let low =
        ResponseBuilder::new(&settings).clock(&clock).ids(&ids).in_response_to("_r1").build(&claims, &signer).unwrap();
    assert_eq!(signed.xml, low.xml);
    assert_eq!(signed.response_id, low.response_id);
    assert_eq!(signed.assertion_id, low.assertion_id);
    assert_eq!(signed.destination, ACS);
    assert_eq!(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, signed.to_base64()).unwrap(),
        signed.xml.as_bytes()
    );
    let a = validator().expect_in_response_to("_r1").validate(&signed.xml).unwrap();
    assert_eq!(a.name_id.value, "jane@example.com");
    assert_eq!(Some(a.assertion_id), signed.assertion_id);
}

#[test]
fn per_login_values_override_the_settings() {
    let signed = idp(heroku())
        .respond(&profile())
        .acs_url("https://sp.example/other-acs")
        .audience("urn:other-sp")
        .session_index("_s9")
        .authn_instant(FixedClock::rfc3339("2026-11-28T15:00:00Z").unwrap().0)
        .session_not_on_or_after(FixedClock::rfc3339("2026-11-28T23:00:00Z").unwrap().0)
        .name_qualifier("urn:acme.auth0.com")
        .sp_name_qualifier("urn:other-sp")
        .build()
        .unwrap();
    assert_eq!(signed.destination, "https://sp.example/other-acs");
    for part in [
        "Destination=\"https://sp.example/other-acs\"",
        "Recipient=\"https://sp.example/other-acs\"",
        "<saml:Audience>urn:other-sp</saml:Audience>",
        "SessionIndex=\"_s9\"",
        "AuthnInstant=\"2026-11-28T15:00:00.000Z\"",
        "SessionNotOnOrAfter=\"2026-11-28T23:00:00.000Z\"",
        "NameQualifier=\"urn:acme.auth0.com\"",
        "SPNameQualifier=\"urn:other-sp\"",
    ] {
        assert!(signed.xml.contains(part), "{part}");
    }
    let a = Validator::new("urn:other-sp", "https://sp.example/other-acs", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339(NOW).unwrap()))
        .insecure_allow_sha1()
        .allow_unsolicited(true)
        .validate(&signed.xml)
        .unwrap();
    assert_eq!(a.session_index.as_deref(), Some("_s9"));
}

#[test]
fn sp_initiated_logins_answer_the_request_and_choose_the_acs_safely() {
    let request = |acs: &str| {
        let xml = format!(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req7" Version="2.0" IssueInstant="2026-11-28T15:20:00Z" AssertionConsumerServiceURL="{acs}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.heroku.com/saml/acme</saml:Issuer></samlp:AuthnRequest>"#
        );
        AuthnRequest::from_xml(&xml, 64 * 1024).unwrap()
    };
    let provider = idp(heroku());
    let signed = provider.answer(&request(ACS), &profile()).build().unwrap();
    assert!(signed.xml.contains("InResponseTo=\"_req7\""));
    validator().expect_in_response_to("_req7").validate(&signed.xml).unwrap();
    // An ACS URL the settings do not name is refused, unless allowed for this login.
    let evil = request("https://evil.example/acs");
    assert!(matches!(
        provider.answer(&evil, &profile()).build(),
        Err(Error::Binding(BindingError::AcsNotAllowed { .. }))
    ));
    let allowed = provider.answer(&evil, &profile()).allow_acs("https://evil.example/acs").build().unwrap();
    assert_eq!(allowed.destination, "https://evil.example/acs");
    // A profile the settings cannot map is the claims' error, at build.
    assert!(matches!(provider.respond(&json!([1])).build(), Err(Error::Claims(_))));
}

#[test]
fn error_responses_carry_the_status_and_are_signed_when_responses_are() {
    let status = Status::responder("the user is blocked");
    let unsigned = idp(heroku()).error_response(status.clone()).in_response_to("_r2").build().unwrap();
    assert_eq!(unsigned.assertion_id, None);
    assert!(unsigned.xml.contains("urn:oasis:names:tc:SAML:2.0:status:Responder"));
    assert!(!unsigned.xml.contains("<Signature"));
    let mut signing = heroku();
    signing.sign_response = true;
    let signed = idp(signing).error_response(status).build().unwrap();
    assert!(signed.xml.contains("<Signature"));
    let err = validator().allow_unsolicited(true).validate(&signed.xml).unwrap_err();
    assert!(err.to_string().contains("Responder"), "{err}");
}

#[test]
fn post_forms_and_their_errors() {
    let signed = idp(heroku()).respond(&profile()).build().unwrap();
    let page = signed.post_form(None).unwrap();
    assert!(page.contains(&format!("action=\"{ACS}\"")) && !page.contains("RelayState"));
    assert!(signed.post_form(Some("<&\"")).unwrap().contains("&lt;&amp;&quot;"));
    let mut javascript = signed.clone();
    javascript.destination = "javascript:alert(1)".into();
    assert!(javascript.post_form(None).is_err());
}

#[test]
fn keys_load_on_the_best_backend_or_say_why_not() {
    let k = key();
    assert_eq!(k.certificate(), &cert());
    assert!(format!("{k:?}").contains("redacted"));
    // A key that does not match its certificate, a small one, an EC one.
    let mismatch = IdpKey::from_pem_or_der(&data("keys/rsa-2048.pkcs8.pem"), &data("keys/other-2048.cert.pem"));
    assert!(matches!(mismatch, Err(KeyError::Mismatch)), "{mismatch:?}");
    let small = IdpKey::from_pem_or_der(&data("keys/rsa-1024.pkcs8.pem"), &data("keys/rsa-1024.cert.pem"));
    assert!(matches!(small, Err(KeyError::TooSmall { bits: 1024, .. })), "{small:?}");
    let ec = IdpKey::from_pem_or_der(&data("keys/ec-p256.sec1.pem"), &data("keys/ec-p256.cert.pem"));
    if cfg!(feature = "aws-lc-rs") {
        let ec = ec.unwrap();
        let mut settings = heroku();
        settings.signature_algorithm = samlkit::SignatureAlgorithm::EcdsaSha256;
        settings.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
        let provider =
            IdentityProvider::new(settings, ec).unwrap().clock(Arc::new(FixedClock::rfc3339(ISSUED).unwrap()));
        let xml = provider.respond(&profile()).build().unwrap().xml;
        let ec_cert = Certificate::from_pem_or_der(&data("keys/ec-p256.cert.pem")).unwrap();
        Validator::heroku("acme", vec![ec_cert])
            .unwrap()
            .clock(Arc::new(FixedClock::rfc3339(NOW).unwrap()))
            .validate(&xml)
            .unwrap();
    } else {
        let err = ec.unwrap_err();
        assert!(err.to_string().contains("aws-lc-rs"), "{err}");
    }
    let garbage = IdpKey::from_pem_or_der(b"not a key", &data("keys/rsa-2048.cert.pem"));
    assert!(matches!(garbage, Err(KeyError::InvalidKey { .. })), "{garbage:?}");
    // A custom signer (an HSM, a KMS) behind the trait.
    let custom = IdpKey::custom(Arc::new(
        samlkit::IdpKey::from_pem_or_der_on(
            &data("keys/rsa-2048.pkcs8.pem"),
            &data("keys/rsa-2048.cert.pem"),
            samlkit::crypto::Backend::RustCrypto,
        )
        .unwrap(),
    ));
    let clock = Arc::new(FixedClock::rfc3339(ISSUED).unwrap());
    let signed = IdentityProvider::new(heroku(), custom).unwrap().clock(clock).respond(&profile()).build().unwrap();
    validator().validate(&signed.xml).unwrap();
}

#[test]
fn metadata_and_logout_come_from_the_same_settings_and_key() {
    let provider = idp(heroku());
    let metadata = provider.metadata().sso_url("https://idp.example/samlp/acme").build().unwrap();
    assert!(metadata.contains("entityID=\"urn:acme.auth0.com\""));
    assert!(metadata.contains(cert().base64()));
    // Logout: the IdP's issuer, clock and IDs.
    let mut settings = heroku();
    settings.logout.callback = Some("https://sso.heroku.com/saml/acme/slo".into());
    settings.logout.slo_enabled = true;
    let request = idp(settings).logout().request("jane@example.com", &["_s1"], None).unwrap();
    assert!(request.contains(
        "<saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">urn:acme.auth0.com</saml:Issuer>"
    ));
    assert!(request.contains("IssueInstant=\"2026-11-28T15:21:01.288Z\""));
    assert!(request.contains("ID=\"_id"));
}
