//! The service-provider side: round trips, policies, every failure reported, no panic.

mod common;

use base64::Engine as _;
use common::{data, key};
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::error::{Error, Failure, UsageError, VerifyError, XmlError};
use samlkit::keys::Certificate;
use samlkit::response::{ResponseBuilder, Status};
use samlkit::settings::AddonSettings;
use samlkit::validate::{InMemoryReplayCache, TypedValue, Validator};
use samlkit::xml::parse::ParseLimits;
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
    Validator::heroku("acme", vec![cert()]).clock(at(NOW))
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
    assert_eq!(a.name_id.format.as_deref(), Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"));
    assert_eq!(a.issuer, "urn:acme.auth0.com");
    assert_eq!(a.signed, ["Assertion"]);
    assert_eq!(a.signature_algorithm, "rsa-sha256");
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
                    assert_eq!(got.name_format.as_deref(), want.name_format.map(|f| f.uri()));
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
    assert_eq!(a.signed, ["Response"]);
}

#[test]
fn golden_files_validate() {
    let v = heroku().expect_in_response_to("_request1").issuer("urn:acme.auth0.com");
    for name in ["heroku-rsa-sha256-sha256.xml", "heroku-sign-both-sha256.xml", "heroku-rsa-sha512-sha384.xml"] {
        v.clone().validate(&golden(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let a = v.clone().insecure_allow_sha1().validate(&golden("heroku.xml")).unwrap();
    assert_eq!(a.signature_algorithm, "rsa-sha1");
    // The error response: its status is the failure.
    let f = failures(v.validate(&golden("error-responder.xml")));
    assert_eq!(f, [Failure::Status { code: "urn:oasis:names:tc:SAML:2.0:status:Responder".into() }]);
}

#[test]
fn every_failed_check_is_reported_at_once() {
    let xml = build(|_| {}, Some("_request1"));
    // Wrong org (audience, destination, recipient), wrong issuer, wrong request, expired.
    let v = Validator::heroku("other", vec![cert()])
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
        Validator::heroku("acme", vec![cert()]).clock(at(ok)).validate(&xml).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    let f = failures(Validator::heroku("acme", vec![cert()]).clock(at("2026-11-28T15:18:00Z")).validate(&xml));
    assert!(matches!(f.as_slice(), [Failure::NotYetValid { element: "saml:Conditions", .. }]), "{f:?}");
    let f = failures(Validator::heroku("acme", vec![cert()]).clock(at("2026-11-28T16:24:02Z")).validate(&xml));
    assert_eq!(f.len(), 2, "{f:?}"); // SubjectConfirmationData and Conditions
    let f = failures(
        Validator::heroku("acme", vec![cert()])
            .clock(at("2026-11-28T16:22:00Z"))
            .clock_skew(chrono::Duration::zero())
            .validate(&xml),
    );
    assert_eq!(f.len(), 2, "{f:?}");
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
    let _ = Validator::heroku("evil", vec![cert()]).clock(at(NOW)).replay_cache(cache.clone()).validate(&other);
    v.validate(&other).unwrap();
    assert_eq!(cache.len(), 2);
}

#[test]
fn heroku_requires_an_email_nameid() {
    let xml = build(
        |s| {
            s.name_identifier_format = samlkit::settings::NameIdFormat::Persistent;
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
            .require_name_id_format(samlkit::settings::NameIdFormat::Transient);
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
    assert!(matches!(Validator::heroku("acme", vec![]).validate(&xml), Err(Error::Usage(_))));
    // A certificate that did not sign it.
    let other = Certificate::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap();
    let e = verify_error(Validator::heroku("acme", vec![other.clone()]).clock(at(NOW)).validate(&xml));
    assert_eq!(e, VerifyError::BadSignature { element: "Assertion" });
    // Pinning both the real and another certificate works (key rollover).
    Validator::heroku("acme", vec![other, cert()]).clock(at(NOW)).validate(&xml).unwrap();
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
