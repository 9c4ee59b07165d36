//! The service-provider side: round trips, policies, every failure reported, no panic.

mod common;

use base64::Engine as _;
use common::{data, key};
use samlkit::Certificate;
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::error::{Error, Failure, UsageError, VerifyError, XmlError};
use samlkit::low_level::ParseLimits;
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use samlkit::validate::{InMemoryReplayCache, Signed, TypedValue, Validator};
use samlkit::vocabulary::Status;
use serde_json::Value;
use std::sync::Arc;

const NOW: &str = "2026-11-28T15:30:00Z";
const BUILT_AT: &str = "2026-11-28T15:21:01.288Z";

fn cert() -> Certificate {
    Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()
}

fn at(t: &str) -> Arc<FixedClock> {
    Arc::new(FixedClock::rfc3339(t).unwrap())
}

fn heroku() -> Validator {
    Validator::heroku("acme", vec![cert()]).unwrap().clock(at(NOW))
}

fn golden(name: &str) -> String {
    String::from_utf8(data(&format!("golden/{name}"))).unwrap()
}

fn profile() -> Value {
    serde_json::from_slice(&data("profiles/full-auth0.json")).unwrap()
}

/// A Heroku response built now-ish with the given tweaks.
fn build(tweak: impl FnOnce(&mut AddonSettings), in_response_to: Option<&str>) -> String {
    let mut s = AddonSettings::heroku("acme");
    s.signature_algorithm = SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = DigestAlgorithm::Sha256;
    tweak(&mut s);
    let claims = map_profile(&s, &profile()).unwrap();
    let clock = FixedClock::rfc3339(BUILT_AT).unwrap();
    let mut b = ResponseBuilder::new(&s).clock(&clock).issuer("urn:acme.auth0.com");
    if let Some(id) = in_response_to {
        b = b.in_response_to(id);
    }
    b.build(&claims, &key(2048)).unwrap().xml
}

fn failures(result: Result<samlkit::validate::VerifiedAssertion, Error>) -> Vec<Failure> {
    match result {
        Err(Error::Validation(v)) => v.failures,
        other => panic!("expected validation failures, got {other:?}"),
    }
}

fn verify_error(result: Result<samlkit::validate::VerifiedAssertion, Error>) -> VerifyError {
    match result {
        Err(Error::Verify(v)) => v,
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn heroku_response_round_trips() {
    let xml = build(|_| {}, Some("_request1"));
    let a = heroku().issuer("urn:acme.auth0.com").expect_in_response_to("_request1").validate(&xml).unwrap();
    assert_eq!(a.name_id.value, "jane.doe@example.com");
    assert_eq!(a.name_id.format, Some(samlkit::vocabulary::NameIdFormat::EmailAddress));
    assert_eq!(a.issuer, "urn:acme.auth0.com");
    assert_eq!(a.signed, Signed { response: false, assertion: true });
    assert_eq!(a.signature_algorithm, SignatureAlgorithm::RsaSha256);
    assert_eq!(a.in_response_to.as_deref(), Some("_request1"));
    assert_eq!(a.session_index.as_deref(), Some(a.assertion_id.as_str()));
    assert_eq!(a.conditions.audiences, ["https://sso.heroku.com/saml/acme"]);
    assert_eq!(a.authn_context_class_ref.as_deref(), Some("urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified"));
    assert_eq!(a.attributes.len(), 1);
    // Auth0's output declares xmlns:xs for xsi:type="xs:string" only: exclusive c14n does not
    // render it, so the type is not signed and not interpreted (the text is).
    assert_eq!(
        a.attributes[0].values,
        [TypedValue::UnverifiedType { unverified_xsi_type: "xs:string".into(), text: "jane.doe@example.com".into() }]
    );
    assert_eq!(a.authn_instant.unwrap().to_rfc3339(), "2026-11-28T15:21:01.288+00:00");
    // Base64, as posted, with line breaks.
    let b64 = base64::engine::general_purpose::STANDARD.encode(&xml);
    let wrapped: String =
        b64.as_bytes().chunks(76).map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap())).collect();
    assert!(heroku().validate(&wrapped).unwrap_err().to_string().contains("in-response-to"));
    let a2 = heroku().expect_in_response_to("_request1").validate(&wrapped).unwrap();
    assert_eq!(a2, heroku().expect_in_response_to("_request1").validate(&xml).unwrap());
    // JSON for the verify example.
    let j = serde_json::to_value(&a).unwrap();
    assert_eq!(j["name_id"]["value"], "jane.doe@example.com");
    assert_eq!(j["attributes"][0]["values"][0]["text"], "jane.doe@example.com");
    assert_eq!(j["attributes"][0]["values"][0]["unverified_xsi_type"], "xs:string");
    assert_eq!(j["certificate_not_after"], "2126-11-04T16:00:22Z");
}

#[test]
fn every_mode_and_algorithm_round_trips_with_typed_attributes() {
    for (sign_response, sign_assertion) in [(false, true), (true, true), (true, false)] {
        for sig in SignatureAlgorithm::RSA {
            for digest in DigestAlgorithm::ALL {
                let mut s = AddonSettings::default().with_callback_url("https://sp.example/acs");
                s.audience = Some("urn:sp".into());
                (s.sign_response, s.sign_assertion, s.signature_algorithm, s.digest_algorithm) =
                    (sign_response, sign_assertion, sig, digest);
                let claims = map_profile(&s, &profile()).unwrap();
                let xml = ResponseBuilder::new(&s)
                    .issuer("urn:idp")
                    .in_response_to("_r")
                    .build(&claims, &key(2048))
                    .unwrap()
                    .xml;
                let mut v = Validator::new("urn:sp", "https://sp.example/acs", vec![cert()])
                    .unwrap()
                    .expect_in_response_to("_r")
                    .issuer("urn:idp");
                if !sign_assertion {
                    v = v.allow_response_signature_only(true);
                }
                let weak = sig.is_weak() || digest.is_weak();
                let strict = v.clone().validate(&xml);
                if weak {
                    assert!(matches!(verify_error(strict), VerifyError::AlgorithmNotAllowed { .. }), "{sig} {digest}");
                    v = v.insecure_allow_sha1();
                } else {
                    strict.unwrap();
                }
                let a =
                    v.validate(&xml).unwrap_or_else(|e| panic!("{sig} {digest} {sign_response} {sign_assertion}: {e}"));
                assert_eq!(a.name_id.value, claims.name_id.value);
                assert_eq!(a.attributes.len(), claims.attributes.len());
                for (got, want) in a.attributes.iter().zip(&claims.attributes) {
                    assert_eq!(got.name, want.name);
                    assert_eq!(got.name_format, want.name_format);
                    assert_eq!(
                        got.texts(),
                        want.values.iter().map(|v| v.text.clone()).collect::<Vec<_>>(),
                        "{}",
                        got.name
                    );
                }
                // The xs binding is not signed (see heroku_response_round_trips).
                let social = a.attribute("http://schemas.auth0.com/identities/default/isSocial").unwrap();
                assert!(
                    matches!(&social.values[..], [TypedValue::UnverifiedType { unverified_xsi_type, text }] if unverified_xsi_type == "xs:boolean" && text == "false")
                );
                let logins = a.attribute("http://schemas.auth0.com/logins_count").unwrap();
                assert_eq!(logins.texts(), ["42"]);
            }
        }
    }
}

#[test]
fn xsi_type_is_read_only_through_a_signed_namespace_binding() {
    // Regression (open-world verifier work, 2026-12-01): rebinding `xs` on the AttributeStatement
    // keeps the signature valid, since exclusive c14n does not render an xmlns used only inside
    // an attribute value. The value must not change meaning: its type is reported unverified.
    let xml = golden("heroku-rsa-sha256-sha256.xml");
    let rebound = xml.replacen("xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"", "xmlns:xs=\"urn:attacker:types\"", 1);
    assert_ne!(rebound, xml);
    let v = heroku().expect_in_response_to("_request1");
    for doc in [&xml, &rebound] {
        let a = v.validate(doc).unwrap();
        assert!(matches!(&a.attributes[0].values[..], [TypedValue::UnverifiedType { .. }]), "{:?}", a.attributes);
    }
    // Signed with PrefixList="xs" (xmlsec1): the binding is in the canonical form, so the type
    // is read; rebinding it breaks the digest.
    let prefixed = String::from_utf8(data("foreign/xmlsec1/prefixlist-sha256.xml")).unwrap();
    let v = heroku().expect_in_response_to("_request1").issuer("urn:foreign-idp.example");
    let a = v.validate(&prefixed).unwrap();
    assert!(
        a.attributes.iter().all(|at| at.values.iter().all(|x| matches!(x, TypedValue::String(_)))),
        "{:?}",
        a.attributes
    );
    let rebound = prefixed.replace("xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"", "xmlns:xs=\"urn:attacker:types\"");
    assert_ne!(rebound, prefixed);
    assert!(matches!(verify_error(v.validate(&rebound)), VerifyError::DigestMismatch { .. }));
}

#[test]
fn response_signature_alone_needs_the_option() {
    let xml = golden("heroku-sign-response-only-sha256.xml");
    let v = heroku().expect_in_response_to("_request1");
    assert_eq!(verify_error(v.clone().validate(&xml)), VerifyError::Unsigned { element: "Assertion" });
    let a = v.allow_response_signature_only(true).validate(&xml).unwrap();
    assert_eq!(a.signed, Signed { response: true, assertion: false });
}

#[test]
fn golden_files_validate() {
    let v = heroku().expect_in_response_to("_request1").issuer("urn:acme.auth0.com");
    for name in ["heroku-rsa-sha256-sha256.xml", "heroku-sign-both-sha256.xml", "heroku-rsa-sha512-sha384.xml"] {
        v.clone().validate(&golden(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let a = v.clone().insecure_allow_sha1().validate(&golden("heroku.xml")).unwrap();
    assert_eq!(a.signature_algorithm, SignatureAlgorithm::RsaSha1);
    // The error response: its status is the failure.
    let f = failures(v.validate(&golden("error-responder.xml")));
    assert_eq!(f, [Failure::Status { code: "urn:oasis:names:tc:SAML:2.0:status:Responder".into() }]);
}

#[test]
fn every_failed_check_is_reported_at_once() {
    let xml = build(|_| {}, Some("_request1"));
    // Wrong org (audience, destination, recipient), wrong issuer, wrong request, expired.
    let v = Validator::heroku("other", vec![cert()])
        .unwrap()
        .clock(at("2026-11-28T17:00:00Z"))
        .issuer("urn:someone-else")
        .expect_in_response_to("_other");
    let f = failures(v.validate(&xml));
    let kinds: Vec<&str> = f
        .iter()
        .map(|f| match f {
            Failure::Issuer { .. } => "issuer",
            Failure::Destination { .. } => "destination",
            Failure::InResponseTo { .. } => "in-response-to",
            Failure::Recipient { .. } => "recipient",
            Failure::Expired { .. } => "expired",
            Failure::Audience { .. } => "audience",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "issuer",
            "issuer",
            "destination",
            "in-response-to",
            "recipient",
            "expired",
            "in-response-to",
            "expired",
            "audience"
        ],
        "{f:#?}"
    );
    let text = Error::Validation(samlkit::error::ValidationError { failures: f }).to_string();
    assert!(
        text.starts_with("validation: 9 check(s) failed: issuer: <Assertion> Issuer is `urn:acme.auth0.com`"),
        "{text}"
    );
}

#[test]
fn time_windows_and_clock_skew() {
    let xml = build(|_| {}, None);
    // Valid from 15:21:01.288 to 16:21:01.288, with 180 s skew.
    for ok in ["2026-11-28T15:18:02Z", "2026-11-28T16:24:01Z"] {
        Validator::heroku("acme", vec![cert()])
            .unwrap()
            .clock(at(ok))
            .validate(&xml)
            .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    let f = failures(Validator::heroku("acme", vec![cert()]).unwrap().clock(at("2026-11-28T15:18:00Z")).validate(&xml));
    assert!(matches!(f.as_slice(), [Failure::NotYetValid { element: "saml:Conditions", .. }]), "{f:?}");
    let f = failures(Validator::heroku("acme", vec![cert()]).unwrap().clock(at("2026-11-28T16:24:02Z")).validate(&xml));
    assert_eq!(f.len(), 2, "{f:?}"); // SubjectConfirmationData and Conditions
    let f = failures(
        Validator::heroku("acme", vec![cert()])
            .unwrap()
            .clock(at("2026-11-28T16:22:00Z"))
            .clock_skew(std::time::Duration::ZERO)
            .validate(&xml),
    );
    assert_eq!(f.len(), 2, "{f:?}");
    // A skew beyond the calendar's range accepts every instant instead of overflowing.
    let v = Validator::heroku("acme", vec![cert()]).unwrap().clock_skew(std::time::Duration::MAX);
    v.clone().clock(at("2000-01-01T00:00:00Z")).validate(&xml).unwrap();
    v.clock(at("2100-01-01T00:00:00Z")).validate(&xml).unwrap();
}

#[test]
fn in_response_to_policy() {
    let solicited = build(|_| {}, Some("_request1"));
    let unsolicited = build(|_| {}, None);
    let strict =
        Validator::new("https://sso.heroku.com/saml/acme", "https://sso.heroku.com/saml/acme/finalize", vec![cert()])
            .unwrap()
            .clock(at(NOW));
    // No expected request and unsolicited not allowed: refused either way.
    assert!(matches!(failures(strict.clone().validate(&unsolicited)).as_slice(), [Failure::InResponseTo { .. }]));
    assert!(!failures(strict.clone().validate(&solicited)).is_empty());
    strict.clone().allow_unsolicited(true).validate(&unsolicited).unwrap();
    // Unsolicited allowed, but the response answers some request: refused.
    assert!(!failures(strict.clone().allow_unsolicited(true).validate(&solicited)).is_empty());
    strict.clone().expect_in_response_to("_request1").validate(&solicited).unwrap();
    // A request was expected, the response answers none.
    let f = failures(strict.expect_in_response_to("_request1").validate(&unsolicited));
    assert_eq!(
        f,
        [Failure::InResponseTo { element: "SubjectConfirmationData", found: None, expected: Some("_request1".into()) }]
    );
}

#[test]
fn replays_are_refused() {
    let xml = build(|_| {}, None);
    let cache = Arc::new(InMemoryReplayCache::new(100));
    let v = heroku().replay_cache(cache.clone());
    v.validate(&xml).unwrap();
    let f = failures(v.validate(&xml));
    assert!(matches!(f.as_slice(), [Failure::Replayed { .. }]), "{f:?}");
    // A response that fails another check is not recorded.
    let other = build(|_| {}, None);
    let _ =
        Validator::heroku("evil", vec![cert()]).unwrap().clock(at(NOW)).replay_cache(cache.clone()).validate(&other);
    v.validate(&other).unwrap();
    assert_eq!(cache.len(), 2);
}

#[test]
fn heroku_requires_an_email_nameid() {
    let xml = build(
        |s| {
            s.name_identifier_format = samlkit::vocabulary::NameIdFormat::Persistent;
            s.mappings.push(samlkit::settings::Mapping::new("user_id", "uid"));
            s.name_identifier_probes = vec!["uid".into()];
        },
        None,
    );
    let f = failures(heroku().validate(&xml));
    assert!(matches!(f.as_slice(), [Failure::NameIdFormat { .. }, Failure::NameIdNotEmail { .. }]), "{f:?}");
    // The generic validator does not care.
    Validator::new("https://sso.heroku.com/saml/acme", "https://sso.heroku.com/saml/acme/finalize", vec![cert()])
        .unwrap()
        .clock(at(NOW))
        .allow_unsolicited(true)
        .validate(&xml)
        .unwrap();
    let v =
        Validator::new("https://sso.heroku.com/saml/acme", "https://sso.heroku.com/saml/acme/finalize", vec![cert()])
            .unwrap()
            .clock(at(NOW))
            .allow_unsolicited(true)
            .require_name_id_format(samlkit::vocabulary::NameIdFormat::Transient);
    assert!(matches!(failures(v.validate(&xml)).as_slice(), [Failure::NameIdFormat { .. }]));
}

#[test]
fn input_problems() {
    let not_saml = |input: &str| match heroku().validate(input) {
        Err(Error::Verify(VerifyError::NotXmlOrBase64 { reason })) => reason,
        other => panic!("{input}: {other:?}"),
    };
    assert!(not_saml("not base64 !!").contains("`!` (not base64)"));
    assert!(not_saml("SAMLResponse=PHNhbWxw%3D").contains("URL-encoded"));
    assert!(not_saml("{\"SAMLResponse\": 1}").contains("JSON"));
    assert!(not_saml("   ").contains("empty"));
    assert!(not_saml("PHNhbWxw=A").contains("not valid base64"));
    let not_xml = base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe, 0x00]);
    assert!(not_saml(&not_xml).contains("not XML"));
    assert!(matches!(heroku().validate("<a/>"), Err(Error::Verify(VerifyError::UnexpectedRoot { .. }))));
    assert!(matches!(heroku().validate("<a"), Err(Error::Xml(XmlError::Syntax { .. }))));
    let small = heroku().limits(ParseLimits { max_bytes: 100, ..ParseLimits::default() });
    let xml = build(|_| {}, None);
    assert!(matches!(small.validate(&xml), Err(Error::Xml(XmlError::TooLarge { .. }))));
    let b64 = base64::engine::general_purpose::STANDARD.encode(&xml);
    assert!(matches!(small.validate(&b64), Err(Error::Xml(XmlError::TooLarge { .. }))));
    // No pinned certificate: the caller's mistake.
    assert!(matches!(Validator::new("a", "b", vec![]), Err(UsageError::Missing { what: "certificates", .. })));
    assert!(matches!(Validator::heroku("acme", vec![]), Err(UsageError::Missing { what: "certificates", .. })));
    // A certificate that did not sign it.
    let other = Certificate::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap();
    let e = verify_error(Validator::heroku("acme", vec![other.clone()]).unwrap().clock(at(NOW)).validate(&xml));
    assert_eq!(e, VerifyError::BadSignature { element: "Assertion" });
    // Pinning both the real and another certificate works (key rollover).
    Validator::heroku("acme", vec![other, cert()]).unwrap().clock(at(NOW)).validate(&xml).unwrap();
}

#[test]
fn error_responses_report_their_status_and_signed_ones_verify() {
    let s = AddonSettings::heroku("acme");
    let b = ResponseBuilder::new(&s).issuer("urn:idp");
    let signed = b.build_status(&Status::responder("nope"), Some(&key(2048))).unwrap().xml;
    assert!(matches!(failures(heroku().insecure_allow_sha1().validate(&signed)).as_slice(), [Failure::Status { .. }]));
    // A tampered signed error response is a signature error, not a status.
    let tampered = signed.replace(">nope<", ">yes<");
    assert!(matches!(
        verify_error(heroku().insecure_allow_sha1().validate(&tampered)),
        VerifyError::DigestMismatch { .. }
    ));
}

#[test]
fn comments_in_identity_elements() {
    // Text added after a comment changes the canonical text: the digest catches it.
    let xml = build(|_| {}, None)
        .replace(">jane.doe@example.com</saml:NameID>", ">jane.doe@example.com<!---->.evil.example</saml:NameID>");
    assert_eq!(verify_error(heroku().validate(&xml)), VerifyError::DigestMismatch { element: "Assertion" });
    // A comment that splits the text keeps the digest (c14n without comments drops it): rejected
    // by default, and the text is read whole when allowed.
    let xml = build(|_| {}, None)
        .replace(">jane.doe@example.com</saml:NameID>", ">jane.doe@<!--x-->example.com</saml:NameID>");
    let f = failures(heroku().validate(&xml));
    assert_eq!(f, [Failure::CommentInIdentity { element: "saml:NameID" }]);
    let a = heroku().insecure_allow_comments_in_identity().validate(&xml).unwrap();
    assert_eq!(a.name_id.value, "jane.doe@example.com");
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn mutated_signed_documents_never_panic(cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, "[<>&\"'/=a-z!?:\\- ]{0,6}"), 1..4)) {
            let base = golden("heroku-sign-both-sha256.xml");
            let mut bytes = base.into_bytes();
            for (at, len, insert) in cuts {
                let i = at.index(bytes.len());
                let end = (i + len).min(bytes.len());
                bytes.splice(i..end, insert.into_bytes());
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let _ = heroku().expect_in_response_to("_request1").validate(&text);
            let _ = heroku().insecure_allow_sha1().allow_response_signature_only(true).validate(&text);
        }
    }
}

mod round_trip {
    //! Every generated profile, built and signed, validates and reads back the same NameID and
    //! attributes.
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "\\PC{1,30}".prop_map(Value::String),
            Just(Value::String("<&\"'>\t\r\n".into())),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            prop::collection::vec("[a-z ]{0,8}".prop_map(Value::String), 1..4).prop_map(Value::Array),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn generated_profiles_validate_and_read_back(
            fields in prop::collection::btree_map("[a-z_]{1,10}", value(), 0..10),
            sign_response: bool,
            typed: bool,
        ) {
            let mut profile = serde_json::Map::new();
            profile.insert("email".into(), Value::String("jane.doe@example.com".into()));
            for (k, v) in fields {
                if k != "email" {
                    profile.insert(k, v);
                }
            }
            let mut s = AddonSettings::heroku("acme");
            s.signature_algorithm = SignatureAlgorithm::RsaSha256;
            s.digest_algorithm = DigestAlgorithm::Sha256;
            s.passthrough_claims_with_no_mapping = true;
            s.sign_response = sign_response;
            s.typed_attributes = typed;
            let claims = map_profile(&s, &Value::Object(profile)).unwrap();
            let clock = FixedClock::rfc3339(BUILT_AT).unwrap();
            let xml = ResponseBuilder::new(&s).clock(&clock).issuer("urn:idp").build(&claims, &key(2048)).unwrap().xml;
            let a = heroku().issuer("urn:idp").validate(&xml).unwrap();
            prop_assert_eq!(&a.name_id.value, &claims.name_id.value);
            prop_assert_eq!(a.attributes.len(), claims.attributes.len());
            for (got, want) in a.attributes.iter().zip(&claims.attributes) {
                prop_assert_eq!(&got.name, &want.name);
                let texts: Vec<String> = want.values.iter().map(|v| v.text.clone()).collect();
                // Numbers come back as f64: compare through the text for strings and booleans.
                if want.values.iter().all(|v| v.xsi_type != samlkit::claims::XsiType::Double) {
                    prop_assert_eq!(got.texts(), texts);
                } else {
                    prop_assert_eq!(got.values.len(), texts.len());
                }
            }
        }
    }
}

/// Reads a fixture of `tests/data/foreign/`.
fn foreign(path: &str) -> Vec<u8> {
    data(&format!("foreign/{path}"))
}

fn foreign_validator(cert: &str) -> Validator {
    Validator::heroku("acme", vec![Certificate::from_pem_or_der(&data(&format!("keys/{cert}"))).unwrap()])
        .unwrap()
        .clock(at(NOW))
        .expect_in_response_to("_request1")
}

#[test]
fn small_keys_name_their_size_and_the_option() {
    let xml = foreign("layouts/rsa-1024.xml");
    let e = foreign_validator("rsa-1024.cert.pem").validate_bytes(&xml).unwrap_err();
    assert_eq!(
        e.to_string(),
        "signature: the pinned RSA key for <Assertion> has 1024 bits: under 2048 bits is refused by default; \
         opt in with insecure_allow_rsa_1024 for a legacy IdP"
    );
    foreign_validator("rsa-1024.cert.pem").insecure_allow_rsa_1024().validate_bytes(&xml).unwrap();
    // Under 1024 bits nothing accepts it.
    let e = foreign_validator("rsa-512.cert.pem").insecure_allow_rsa_1024().validate_bytes(&xml).unwrap_err();
    assert!(matches!(e, Error::Verify(VerifyError::KeyTooSmall { bits: 512, allowed: true, .. })), "{e:?}");
    assert!(e.to_string().contains("under 1024 bits is never accepted"), "{e}");
    // A big pinned key beside the small one: a signature by the small key still names it.
    let both =
        Validator::heroku("acme", vec![cert(), Certificate::from_pem_or_der(&data("keys/rsa-1024.cert.pem")).unwrap()])
            .unwrap()
            .clock(at(NOW))
            .expect_in_response_to("_request1");
    assert!(matches!(verify_error(both.validate_bytes(&xml)), VerifyError::KeyTooSmall { bits: 1024, .. }));
    // The SP's decryption key too (crewjam's Okta fixture is encrypted for a 1024-bit key).
    let base = "open-world/crewjam-saml";
    let okta = foreign(&format!("{base}/TestSPCanHandleOktaSignedResponseEncryptedAssertion_response.xml"));
    let sp_key = samlkit::encryption::DecryptionKey::from_pem_or_der(&foreign(&format!("{base}/sp-key.pem"))).unwrap();
    assert_eq!(sp_key.bits(), 1024);
    let okta_cert = Certificate::from_pem_or_der(&foreign(&format!("{base}/okta-idp-cert.pem"))).unwrap();
    let v = Validator::new("http://localhost:8000/saml/metadata", "http://localhost:8000/saml/acs", vec![okta_cert])
        .unwrap()
        .decryption_key(sp_key);
    let e = v.validate_bytes(&okta).unwrap_err();
    assert_eq!(
        e.to_string(),
        "encryption: the SP's decryption key has 1024 bits: under 2048 bits is refused by default; opt in with \
         insecure_allow_rsa_1024 for a legacy key"
    );
}

#[test]
fn opt_ins_are_refused_by_default_with_the_option_named() {
    let refused = |file: &str| failures(foreign_validator("rsa-2048.cert.pem").validate_bytes(&foreign(file)));
    assert_eq!(
        refused("layouts/no-audience.xml"),
        [Failure::MissingOptIn { element: "saml:AudienceRestriction", option: "insecure_allow_no_audience" }]
    );
    assert_eq!(
        refused("layouts/no-destination.xml"),
        [Failure::MissingOptIn { element: "samlp:Response/@Destination", option: "allow_missing_destination" }]
    );
    assert_eq!(
        refused("layouts/unknown-condition.xml"),
        [Failure::UnknownCondition { element: "saml:Condition".into() }]
    );
    // The older opt-ins name themselves too.
    let response_only =
        heroku().expect_in_response_to("_request1").validate(&golden("heroku-sign-response-only-sha256.xml"));
    assert!(response_only.unwrap_err().to_string().contains("allow_response_signature_only"));
    let acs = "https://sso.heroku.com/saml/acme/finalize";
    let unsolicited = Validator::new("https://sso.heroku.com/saml/acme", acs, vec![cert()])
        .unwrap()
        .clock(at(NOW))
        .validate_bytes(&foreign("xmlsec1/unsolicited-sha256.xml"));
    assert!(unsolicited.unwrap_err().to_string().contains("accepted with allow_unsolicited"));
    let comment = String::from_utf8(data("attacks/nameid-comment-admin.xml")).unwrap();
    let comment = heroku().expect_in_response_to("_request1").validate(&comment);
    assert!(comment.unwrap_err().to_string().contains("insecure_allow_comments_in_identity accepts it"));
}

#[test]
fn certificate_validity_is_reported_and_optionally_required() {
    // The pinned rsa-2048 certificate runs to 2126: accepted either way, and its end is told.
    // (It became valid at 16:00:22 that day: its issue instant is after the golden clock.)
    let xml = foreign("layouts/keyinfo-none.xml");
    let v = foreign_validator("rsa-2048.cert.pem").require_certificate_validity();
    assert!(failures(v.validate_bytes(&xml)).iter().any(|f| matches!(f, Failure::CertificateValidity { .. })));
    let a = v.clock(at("2026-11-28T16:10:00Z")).validate_bytes(&xml).unwrap();
    assert_eq!(a.certificate_not_after.to_rfc3339(), "2126-11-04T16:00:22+00:00");
    // python3-saml's valid_response was signed with a certificate that expired in 2015.
    let doc = foreign("open-world/python3-saml/valid_response.xml");
    let cert = Certificate::from_pem_or_der(&foreign("open-world/python3-saml/settings1-idp-cert.pem")).unwrap();
    let v = Validator::new(
        "http://stuff.com/endpoints/metadata.php",
        "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs",
        vec![cert.clone()],
    )
    .unwrap()
    .clock(at("2014-02-19T01:38:01Z"))
    .allow_unsolicited(true)
    .insecure_allow_sha1()
    .insecure_allow_rsa_1024()
    .expect_in_response_to("ONELOGIN_5fe9d6e499b2f0913206aab3f7191729049bb807");
    let accepted = v.clone().validate_bytes(&doc).unwrap();
    assert!(accepted.certificate_not_after < cert.not_after() + chrono::Duration::seconds(1));
    let later = v.clock(at("2030-01-01T00:00:00Z")).require_certificate_validity().validate_bytes(&doc);
    assert!(failures(later).iter().any(|f| matches!(f, Failure::CertificateValidity { .. })));
}

#[test]
fn a_signed_response_that_answers_the_request_binds_its_assertion() {
    // ruby-saml's valid_response: the signed Response carries InResponseTo, its
    // SubjectConfirmationData none. Only its Recipient (`recipient`) is wrong.
    let base = "open-world/ruby-saml";
    let cert = Certificate::from_pem_or_der(&foreign(&format!("{base}/ruby-saml-cert.pem"))).unwrap();
    let v = Validator::new("https://someone.example.com/audience", "recipient", vec![cert])
        .unwrap()
        .clock(at("2014-06-04T02:23:02Z"))
        .insecure_allow_sha1()
        .insecure_allow_rsa_1024()
        .allow_response_signature_only(true)
        .allow_missing_destination();
    let got = failures(
        v.clone()
            .expect_in_response_to("_fc4a34b0-7efb-012e-caae-782bcb13bb38")
            .validate_bytes(&foreign(&format!("{base}/valid_response.xml"))),
    );
    assert!(!got.iter().any(|f| matches!(f, Failure::InResponseTo { .. })), "{got:?}");
    // Another expected request: the Response's InResponseTo does not answer it.
    let got =
        failures(v.expect_in_response_to("_other").validate_bytes(&foreign(&format!("{base}/valid_response.xml"))));
    assert!(
        got.iter().any(|f| matches!(f, Failure::InResponseTo { element: "SubjectConfirmationData", .. })),
        "{got:?}"
    );
}

#[test]
fn signature_structure_errors_are_named() {
    let golden = golden("heroku-rsa-sha256-sha256.xml");
    let v = heroku().expect_in_response_to("_request1");
    let malformed = |xml: &str| match verify_error(v.validate(xml)) {
        VerifyError::Malformed { reason, .. } => reason,
        other => panic!("{other:?}"),
    };
    let exc = "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></Transform>";
    let inc = "<Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"><ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"xs\"></ec:InclusiveNamespaces></Transform>";
    assert!(malformed(&golden.replacen(exc, inc, 1)).contains("under an inclusive canonicalization"));
    let nested = "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"><ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"xs\"><ec:x></ec:x></ec:InclusiveNamespaces></Transform>";
    assert!(malformed(&golden.replacen(exc, nested, 1)).contains("unexpected content"));
    let digest = "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\">";
    assert!(malformed(&golden.replacen(digest, &format!("{digest}<x></x>"), 1)).contains("DigestMethod has content"));
    // A canonicalization alone, without enveloped-signature, cannot verify an enveloped signature.
    let env = "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></Transform>";
    assert!(matches!(verify_error(v.validate(&golden.replacen(env, "", 1))), VerifyError::Transform { .. }));
    // Reference URIs: the XPointer form in both quotes; another ID, or "" off the root, refused.
    let id = golden
        .split("<saml:Assertion ")
        .nth(1)
        .unwrap()
        .split("ID=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let reference = format!("URI=\"#{id}\"");
    for (uri, ok) in [
        (format!("URI=\"#xpointer(id(&apos;{id}&apos;))\""), true),
        (format!("URI=\"#xpointer(id(&quot;{id}&quot;))\""), true),
        ("URI=\"#xpointer(id('_other'))\"".to_owned(), false),
        (format!("URI=\"#xpointer(id('{id}')\""), false),
        ("URI=\"\"".to_owned(), false),
    ] {
        let result = v.validate(&golden.replacen(&reference, &uri, 1));
        // Changing the URI changes SignedInfo: a valid binding then fails the SignatureValue.
        match (result, ok) {
            (Err(Error::Verify(VerifyError::BadSignature { .. })), true) => {}
            (Err(Error::Verify(VerifyError::ReferenceUri { .. })), false) => {}
            (other, _) => panic!("{uri}: {other:?}"),
        }
    }
}

#[test]
fn bytes_input_is_decoded_or_described() {
    let v = heroku().expect_in_response_to("_request1");
    let xml = golden("heroku-rsa-sha256-sha256.xml");
    v.validate_bytes(xml.as_bytes()).unwrap();
    v.validate_bytes(format!("\u{FEFF}{xml}").as_bytes()).unwrap();
    v.validate_bytes(base64::engine::general_purpose::STANDARD.encode(&xml).as_bytes()).unwrap();
    v.validate(&format!("\u{FEFF}{xml}")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(xml.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert!(matches!(v.validate_bytes(&utf16), Err(Error::Xml(XmlError::Encoding { .. }))));
    match v.validate_bytes(&[0x80, 0x81, b'a']) {
        Err(Error::Verify(VerifyError::NotXmlOrBase64 { reason })) => assert!(reason.contains("0x80 at 0"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(Validator::heroku("acme", vec![]), Err(UsageError::Missing { what: "certificates", .. })));
}

#[test]
fn one_trust_policy_restricts_algorithms_everywhere() {
    use samlkit::{SignatureAlgorithm, TrustPolicy};
    let xml = golden("heroku-rsa-sha256-sha256.xml");
    let only512 = TrustPolicy::new(vec![cert()]).only(&[SignatureAlgorithm::RsaSha512]);
    let e = heroku().expect_in_response_to("_request1").trust(only512.clone()).unwrap().validate(&xml).unwrap_err();
    assert!(e.to_string().contains("not among the algorithms of TrustPolicy::only"), "{e}");
    let only256 = TrustPolicy::new(vec![cert()]).only(&[SignatureAlgorithm::RsaSha256]);
    heroku().expect_in_response_to("_request1").trust(only256).unwrap().validate(&xml).unwrap();
    // The Redirect binding under the same policy.
    let q = samlkit::binding::redirect::encode(
        samlkit::binding::redirect::MessageKind::Request,
        "<x/>",
        None,
        Some((&key(2048), SignatureAlgorithm::RsaSha256)),
    )
    .unwrap();
    let limits = samlkit::binding::redirect::RedirectLimits::default();
    let kind = samlkit::binding::redirect::MessageKind::Request;
    let e = samlkit::binding::redirect::decode(&q, kind, &only512, &limits).unwrap_err();
    assert!(e.to_string().contains("TrustPolicy::only"), "{e}");
    // No certificate, no Validator.
    assert!(matches!(heroku().trust(TrustPolicy::default()), Err(UsageError::Missing { what: "certificates", .. })));
    // Rollover: pin two.
    let other = Certificate::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap();
    let both = TrustPolicy::new(vec![other]).with_certificate(cert());
    assert_eq!(both.certificates().len(), 2);
    heroku().expect_in_response_to("_request1").trust(both).unwrap().validate(&xml).unwrap();
}

#[test]
fn signature_children_are_checked_name_by_name() {
    let golden = golden("heroku-rsa-sha256-sha256.xml");
    let v = heroku().expect_in_response_to("_request1");
    let reason = |xml: &str| match verify_error(v.validate(xml)) {
        VerifyError::Malformed { reason, .. } => reason,
        other => panic!("{other:?}"),
    };
    let value_start = golden.find("<SignatureValue>").unwrap();
    let value_end = golden.find("</SignatureValue>").unwrap() + "</SignatureValue>".len();
    let value = &golden[value_start..value_end];
    let key_info_start = golden.find("<KeyInfo>").unwrap();
    let key_info_end = golden.find("</KeyInfo>").unwrap() + "</KeyInfo>".len();
    let key_info = &golden[key_info_start..key_info_end];
    let signature = "a Signature must hold SignedInfo, SignatureValue and an optional KeyInfo, nothing else";
    // Without KeyInfo (optional), it still verifies.
    v.validate(&golden.replacen(key_info, "", 1)).unwrap();
    // A child missing, one too many, two swapped.
    assert_eq!(reason(&golden.replacen(value, "", 1)), signature);
    assert_eq!(reason(&golden.replacen(key_info, &format!("{key_info}{key_info}"), 1)), signature);
    assert_eq!(
        reason(&golden.replacen(value, "", 1).replacen("</KeyInfo>", &format!("</KeyInfo>{value}"), 1)),
        signature
    );
    assert_eq!(reason(&golden.replacen(key_info, &format!("{key_info}<Object></Object>"), 1)), signature);
    // An element of another namespace is named as such, wherever it is.
    let foreign = "<x:Object xmlns:x=\"urn:x\"></x:Object>";
    let outside = "an element outside the XML-DSig namespace inside the Signature";
    assert_eq!(reason(&golden.replacen("<SignedInfo>", &format!("{foreign}<SignedInfo>"), 1)), outside);
    assert_eq!(reason(&golden.replacen(value, "", 1).replacen(key_info, &format!("{key_info}{foreign}"), 1)), outside);
    // SignedInfo and Reference, the same way.
    let reference_start = golden.find("<Reference ").unwrap();
    let reference_end = golden.find("</Reference>").unwrap() + "</Reference>".len();
    let reference = &golden[reference_start..reference_end];
    let signed_info = "SignedInfo must hold CanonicalizationMethod, SignatureMethod and exactly one Reference";
    assert_eq!(reason(&golden.replacen(reference, &format!("{reference}{reference}"), 1)), signed_info);
    assert_eq!(reason(&golden.replacen(reference, "", 1)), signed_info);
    let digest_value = golden.find("<DigestValue>").unwrap();
    let digest_end = golden.find("</DigestValue>").unwrap() + "</DigestValue>".len();
    let reference_reason = "Reference must hold Transforms, DigestMethod and exactly one DigestValue";
    assert_eq!(reason(&golden.replacen(&golden[digest_value..digest_end], "", 1)), reference_reason);
    // Transforms: enveloped-signature first, at most one c14n after it, each named Transform.
    let transform = |xml: &str| match verify_error(v.validate(xml)) {
        VerifyError::Transform { algorithm, .. } => algorithm,
        other => panic!("{other:?}"),
    };
    let exc = "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></Transform>";
    let env = "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></Transform>";
    // The error names the transforms in order (cut to the first few dozen characters).
    let env_uri = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    let three = transform(&golden.replacen(exc, &format!("{exc}{exc}"), 1));
    assert!(three.starts_with(&format!("{env_uri} http://www")), "{three}");
    let swapped = transform(&golden.replacen(&format!("{env}{exc}"), &format!("{exc}{env}"), 1));
    assert!(swapped.starts_with("http://www.w3.org/2001/10/xml-exc-c14n# http"), "{swapped}");
    assert_eq!(transform(&golden.replacen(&format!("{env}{exc}"), "", 1)), "");
    let renamed = exc.replace("Transform", "Transformation");
    assert!(transform(&golden.replacen(exc, &renamed, 1)).starts_with(&format!("{env_uri} http")));
    let unknown = exc.replace("xml-exc-c14n#", "xml-exc-c14n#unknown");
    assert!(transform(&golden.replacen(exc, &unknown, 1)).starts_with(&format!("{env_uri} http")));
    // enveloped-signature alone is accepted (Canonical XML 1.0 then serializes the node-set):
    // the digest no longer matches this exclusive-c14n signature, but the structure is fine.
    assert!(matches!(verify_error(v.validate(&golden.replacen(exc, "", 1))), VerifyError::BadSignature { .. }));
}
