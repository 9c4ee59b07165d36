//! Signed responses: keys, the Auth0 shape, every signing mode and algorithm pair, bad input,
//! and the proof that the writer's canonical bytes equal the general c14n of its output.

mod common;

use common::{check_signature, data, key, parse, signatures};
use samlkit::Certificate;
use samlkit::claims::{Claims, map_profile};
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::error::{ClaimsError, Error, KeyError, SettingsError, UsageError, XmlError};
use samlkit::ids::SequentialIds;
use samlkit::low_level::ResponseBuilder;
use samlkit::low_level::ns;
use samlkit::settings::AddonSettings;
use samlkit::vocabulary::{Status, StatusCode, second_level};
use serde_json::{Value, json};

fn profile() -> Value {
    serde_json::from_slice(&data("profiles/full-auth0.json")).unwrap()
}

fn clock() -> FixedClock {
    FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap()
}

fn heroku_claims(s: &AddonSettings) -> Claims {
    map_profile(s, &profile()).unwrap()
}

#[test]
fn keys_load_from_every_format() {
    for bits in [2048, 4096] {
        let cert = data(&format!("keys/rsa-{bits}.cert.pem"));
        for form in ["pkcs8.pem", "pkcs1.pem", "pkcs8.der", "pkcs1.der"] {
            samlkit::IdpKey::from_pem_or_der_on(
                &data(&format!("keys/rsa-{bits}.{form}")),
                &cert,
                samlkit::crypto::Backend::RustCrypto,
            )
            .unwrap_or_else(|e| panic!("{bits} {form}: {e}"));
        }
        let der_cert = data(&format!("keys/rsa-{bits}.cert.der"));
        samlkit::IdpKey::from_pem_or_der_on(
            &data(&format!("keys/rsa-{bits}.pkcs8.pem")),
            &der_cert,
            samlkit::crypto::Backend::RustCrypto,
        )
        .unwrap();
        let c1 = Certificate::from_pem_or_der(&cert).unwrap();
        let c2 = Certificate::from_pem_or_der(&der_cert).unwrap();
        assert_eq!(c1, c2);
        assert_eq!(Certificate::from_pem(&c1.to_pem()).unwrap(), c1);
        assert_eq!(Certificate::from_base64(c1.base64()).unwrap(), c1);
        assert!(c1.subject().contains(&format!("samlkit test rsa-{bits}")), "{}", c1.subject());
    }
}

fn key_err(key_file: &str, cert_file: &str) -> KeyError {
    samlkit::IdpKey::from_pem_or_der_on(&data(key_file), &data(cert_file), samlkit::crypto::Backend::RustCrypto)
        .unwrap_err()
}

#[test]
fn bad_keys_and_certificates_are_refused_clearly() {
    assert_eq!(key_err("keys/rsa-2048.pkcs8.pem", "keys/other-2048.cert.pem"), KeyError::Mismatch);
    assert_eq!(key_err("keys/other-2048.pkcs8.pem", "keys/rsa-2048.cert.der"), KeyError::Mismatch);
    assert_eq!(key_err("keys/rsa-2048.encrypted.pem", "keys/rsa-2048.cert.pem"), KeyError::EncryptedKey);
    assert!(
        matches!(key_err("keys/ec-p256.pkcs8.pem", "keys/ec-p256.cert.pem"), KeyError::NotRsa { found } if found.starts_with("an EC key") && found.contains("AWS-LC"))
    );
    assert!(matches!(key_err("keys/ec-p256.sec1.pem", "keys/ec-p256.cert.pem"), KeyError::NotRsa { .. }));
    assert_eq!(
        key_err("keys/rsa-1024.pkcs8.pem", "keys/rsa-1024.cert.pem"),
        KeyError::TooSmall { bits: 1024, min: 2048 }
    );
    // A key in place of the certificate, garbage, an empty file.
    assert!(
        matches!(key_err("keys/rsa-2048.pkcs8.pem", "keys/rsa-2048.pkcs8.pem"), KeyError::InvalidCertificate { message } if message.contains("PRIVATE KEY"))
    );
    assert!(matches!(key_err("keys/rsa-2048.pkcs8.pem", "keys/README.md"), KeyError::InvalidCertificate { .. }));
    assert!(matches!(Certificate::from_pem_or_der(b""), Err(KeyError::InvalidCertificate { .. })));
    assert!(matches!(
        Certificate::from_pem("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----"),
        Err(KeyError::InvalidCertificate { .. })
    ));
    assert!(matches!(Certificate::from_base64("not base64"), Err(KeyError::InvalidCertificate { .. })));
    // A certificate in place of the key, garbage keys.
    let cert = data("keys/rsa-2048.cert.pem");
    assert!(
        matches!(samlkit::IdpKey::from_pem_or_der_on(&cert, &cert, samlkit::crypto::Backend::RustCrypto), Err(KeyError::InvalidKey { message }) if message.contains("certificate"))
    );
    assert!(matches!(
        samlkit::IdpKey::from_pem_or_der_on(b"garbage", &cert, samlkit::crypto::Backend::RustCrypto),
        Err(KeyError::InvalidKey { .. })
    ));
    assert!(matches!(
        samlkit::IdpKey::from_pem_or_der_on(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            &cert,
            samlkit::crypto::Backend::RustCrypto
        ),
        Err(KeyError::InvalidKey { .. })
    ));
    assert!(
        matches!(samlkit::IdpKey::from_pem_or_der_on(b"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", &cert, samlkit::crypto::Backend::RustCrypto), Err(KeyError::InvalidKey { message }) if message.contains("FOO"))
    );
    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    assert_eq!(
        samlkit::IdpKey::from_pem_or_der_on(legacy.as_bytes(), &cert, samlkit::crypto::Backend::RustCrypto)
            .unwrap_err(),
        KeyError::EncryptedKey
    );
    // An EC certificate with an RSA key.
    assert!(
        matches!(key_err("keys/rsa-2048.pkcs8.pem", "keys/ec-p256.cert.pem"), KeyError::NotRsa { found } if found.contains("certificate"))
    );
}

#[test]
fn debug_never_prints_the_key() {
    let text = format!("{:?}", key(2048));
    assert!(text.contains("<redacted>") && text.contains("samlkit test rsa-2048"), "{text}");
    assert!(!text.contains("PrivateKey") && text.len() < 300, "{text}");
}

#[test]
fn heroku_response_has_the_auth0_shape() {
    let s = AddonSettings::heroku("acme");
    let ids = SequentialIds::new("_id").unwrap();
    let c = clock();
    let r = ResponseBuilder::new(&s)
        .clock(&c)
        .ids(&ids)
        .issuer("urn:acme.auth0.com")
        .in_response_to("_req1")
        .build(&heroku_claims(&s), &key(2048))
        .unwrap();
    assert_eq!((r.response_id.as_str(), r.assertion_id.as_deref()), ("_id1", Some("_id2")));
    let x = &r.xml;
    assert!(x.starts_with("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" Destination=\"https://sso.heroku.com/saml/acme/finalize\" ID=\"_id1\" InResponseTo=\"_req1\" IssueInstant=\"2026-11-28T15:21:01.288Z\" Version=\"2.0\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">urn:acme.auth0.com</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"></samlp:StatusCode></samlp:Status><saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_id2\" IssueInstant=\"2026-11-28T15:21:01.288Z\" Version=\"2.0\"><saml:Issuer>urn:acme.auth0.com</saml:Issuer><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"), "{x}");
    assert!(!x.contains('\n'));
    let tail = x.split("</Signature>").nth(1).unwrap();
    assert_eq!(
        tail,
        "<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">jane.doe@example.com</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData InResponseTo=\"_req1\" NotOnOrAfter=\"2026-11-28T16:21:01.288Z\" Recipient=\"https://sso.heroku.com/saml/acme/finalize\"></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore=\"2026-11-28T15:21:01.288Z\" NotOnOrAfter=\"2026-11-28T16:21:01.288Z\"><saml:AudienceRestriction><saml:Audience>https://sso.heroku.com/saml/acme</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant=\"2026-11-28T15:21:01.288Z\" SessionIndex=\"_id2\"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><saml:Attribute Name=\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\"><saml:AttributeValue xsi:type=\"xs:string\">jane.doe@example.com</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"
    );
    let doc = parse(x);
    let sigs = signatures(&doc);
    assert_eq!(sigs.len(), 1);
    let checked = check_signature(&doc, sigs[0]);
    assert_eq!(
        (checked.signed_element.as_str(), checked.signature, checked.digest),
        ("Assertion", SignatureAlgorithm::RsaSha1, DigestAlgorithm::Sha1)
    );
    // xmlns:xs is declared in the document but not in the digested bytes.
    let canonical = String::from_utf8(checked.canonical).unwrap();
    assert!(!canonical.contains("xmlns:xs=") && canonical.contains("<saml:AttributeValue xmlns:xsi="));
}

#[test]
fn optional_subject_and_session_fields() {
    let mut s = AddonSettings::heroku("acme");
    s.audience = None;
    s.mappings.clear();
    s.name_identifier_probes = vec!["http://schemas.auth0.com/email".into()];
    s.passthrough_claims_with_no_mapping = true;
    s.recipient = None;
    s.destination = None;
    let claims = map_profile(&s, &json!({"email": "a@b.example"})).unwrap();
    let c = clock();
    let login = chrono::DateTime::parse_from_rfc3339("2026-11-28T15:00:00Z").unwrap().to_utc();
    let r = ResponseBuilder::new(&s)
        .clock(&c)
        .issuer("urn:idp")
        .acs_url("https://sp.example/acs")
        .session_index("sess-1")
        .authn_instant(login)
        .session_not_on_or_after(login + chrono::Duration::hours(8))
        .name_qualifier("urn:idp")
        .sp_name_qualifier("urn:sp")
        .build(&claims, &key(2048))
        .unwrap();
    let x = &r.xml;
    assert!(x.contains("Destination=\"https://sp.example/acs\""));
    assert!(x.contains("Recipient=\"https://sp.example/acs\""));
    assert!(!x.contains("InResponseTo"));
    assert!(!x.contains("AudienceRestriction"));
    assert!(x.contains("<saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\" NameQualifier=\"urn:idp\" SPNameQualifier=\"urn:sp\">a@b.example</saml:NameID>"));
    assert!(x.contains("<saml:AuthnStatement AuthnInstant=\"2026-11-28T15:00:00.000Z\" SessionIndex=\"sess-1\" SessionNotOnOrAfter=\"2026-11-28T23:00:00.000Z\">"));
    check_signature(&parse(x), signatures(&parse(x))[0]);
    // No attributes: no AttributeStatement.
    let bare = Claims { name_id: claims.name_id.clone(), attributes: vec![] };
    let r =
        ResponseBuilder::new(&s).issuer("urn:idp").acs_url("https://sp.example/acs").build(&bare, &key(2048)).unwrap();
    assert!(!r.xml.contains("AttributeStatement"));
    check_signature(&parse(&r.xml), signatures(&parse(&r.xml))[0]);
}

#[test]
fn every_signing_mode_and_algorithm_pair() {
    let modes = [
        (false, true, vec!["Assertion"]),
        (true, true, vec!["Response", "Assertion"]),
        (true, false, vec!["Response"]),
    ];
    for (sign_response, sign_assertion, expected) in modes {
        for sig in SignatureAlgorithm::RSA {
            for digest in DigestAlgorithm::ALL {
                let mut s = AddonSettings::default().with_callback_url("https://sp.example/acs");
                s.sign_response = sign_response;
                s.sign_assertion = sign_assertion;
                s.signature_algorithm = sig;
                s.digest_algorithm = digest;
                s.audience = Some("urn:sp".into());
                let claims = map_profile(&s, &profile()).unwrap();
                let r = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &key(2048)).unwrap();
                let doc = parse(&r.xml);
                let signed: Vec<String> = signatures(&doc)
                    .into_iter()
                    .map(|id| {
                        let c = check_signature(&doc, id);
                        assert_eq!((c.signature, c.digest), (sig, digest));
                        c.signed_element
                    })
                    .collect();
                assert_eq!(signed, expected, "{sig} {digest}");
                // The Response signature sits right after the Response's Issuer.
                if sign_response {
                    let root = doc.root();
                    let kids: Vec<_> =
                        doc.child_elements(root).map(|k| doc.element(k).unwrap().local_name().to_owned()).collect();
                    assert_eq!(kids, ["Issuer", "Signature", "Status", "Assertion"]);
                }
            }
        }
    }
}

#[test]
fn a_4096_bit_key_signs() {
    let s = AddonSettings::heroku("acme");
    let r = ResponseBuilder::new(&s).issuer("urn:idp").build(&heroku_claims(&s), &key(4096)).unwrap();
    let doc = parse(&r.xml);
    check_signature(&doc, signatures(&doc)[0]);
}

#[test]
fn error_response_with_nested_status_and_message_text() {
    let s = AddonSettings::heroku("acme");
    let ids = SequentialIds::new("_e").unwrap();
    let c = clock();
    let status = Status::responder("user <blocked> & \"locked\"").with_second_level(second_level::AUTHN_FAILED);
    let b = ResponseBuilder::new(&s).clock(&c).ids(&ids).issuer("urn:idp").in_response_to("_r");
    let r = b.build_status(&status, None).unwrap();
    assert_eq!(r.assertion_id, None);
    assert_eq!(
        r.xml,
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" Destination=\"https://sso.heroku.com/saml/acme/finalize\" ID=\"_e1\" InResponseTo=\"_r\" IssueInstant=\"2026-11-28T15:21:01.288Z\" Version=\"2.0\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">urn:idp</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:AuthnFailed\"></samlp:StatusCode></samlp:StatusCode><samlp:StatusMessage>user &lt;blocked&gt; &amp; \"locked\"</samlp:StatusMessage></samlp:Status></samlp:Response>"
    );
    let doc = parse(&r.xml);
    assert_eq!(
        doc.text_content(
            doc.children_named(
                doc.children_named(doc.root(), ns::SAMLP, "Status").next().unwrap(),
                ns::SAMLP,
                "StatusMessage"
            )
            .next()
            .unwrap()
        ),
        "user <blocked> & \"locked\""
    );
    let signed = b
        .build_status(&Status { code: StatusCode::Requester, second_level: None, message: None }, Some(&key(2048)))
        .unwrap();
    let doc = parse(&signed.xml);
    assert_eq!(check_signature(&doc, signatures(&doc)[0]).signed_element, "Response");
    assert!(!signed.xml.contains("StatusMessage"));
    assert_eq!(StatusCode::VersionMismatch.uri(), "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch");
    assert_eq!(StatusCode::Success.uri(), "urn:oasis:names:tc:SAML:2.0:status:Success");
    let e = b.build_status(&Status::responder("bad\u{0}"), None).unwrap_err();
    assert!(
        matches!(e, Error::Xml(XmlError::InvalidCharacter { ref context, codepoint: 0 }) if context == "<samlp:StatusMessage>"),
        "{e}"
    );
}

#[test]
fn misuse_and_bad_input_are_clear_errors() {
    let s = AddonSettings::heroku("acme");
    let claims = heroku_claims(&s);
    let k = key(2048);
    // No issuer anywhere.
    let e = ResponseBuilder::new(&s).build(&claims, &k).unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::Missing { what: "issuer", .. })), "{e}");
    // No recipient anywhere.
    let mut no_acs = s.clone();
    no_acs.recipient = None;
    let e = ResponseBuilder::new(&no_acs).issuer("urn:idp").build(&claims, &k).unwrap_err();
    assert!(e.to_string().contains("recipient"), "{e}");
    // Nothing to sign.
    let mut nothing = s.clone();
    nothing.sign_assertion = false;
    let e = ResponseBuilder::new(&nothing).issuer("urn:idp").build(&claims, &k).unwrap_err();
    assert!(matches!(e, Error::Settings(SettingsError::NothingSigned)));
    // A caller's ID generator that makes IDs XML cannot use.
    struct BadIds;
    impl samlkit::ids::IdGenerator for BadIds {
        fn new_id(&self) -> Result<String, samlkit::error::SignError> {
            Ok("1\"><evil/>".into())
        }
    }
    let e = ResponseBuilder::new(&s).issuer("urn:idp").ids(&BadIds).build(&claims, &k).unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::InvalidArgument { what: "ID", .. })), "{e}");
    // Caller text XML cannot carry.
    let e = ResponseBuilder::new(&s).issuer("urn:\u{0}").build(&claims, &k).unwrap_err();
    assert!(e.to_string().contains("<saml:Issuer>"), "{e}");
    let e = ResponseBuilder::new(&s).issuer("urn:idp").in_response_to("\u{FFFE}").build(&claims, &k).unwrap_err();
    assert!(e.to_string().contains("InResponseTo"), "{e}");
    // A profile with no value for any probe; a claim value with U+0000.
    let e = map_profile(&s, &json!({"name": "x"})).unwrap_err();
    assert_eq!(
        e,
        ClaimsError::NoNameIdentifier {
            probes: vec!["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".into()]
        }
    );
    let e = map_profile(&s, &json!({"email": "a\u{0}@b.example"})).unwrap_err();
    assert!(matches!(e, ClaimsError::InvalidCharacter { codepoint: 0, .. }));
    // Claims built by hand bypass the mapper, but not the writer's check.
    let mut hand = claims.clone();
    hand.attributes[0].values[0].text = "x\u{1}".into();
    let e = ResponseBuilder::new(&s).issuer("urn:idp").build(&hand, &k).unwrap_err();
    assert!(e.to_string().contains("<saml:AttributeValue>"), "{e}");
}

#[test]
fn assertion_builder_alone() {
    let s = AddonSettings::heroku("acme");
    let claims = heroku_claims(&s);
    let b = samlkit::low_level::AssertionBuilder::new(&s).issuer("urn:idp");
    let unsigned = b.build(&claims, None).unwrap();
    assert!(unsigned.starts_with("<saml:Assertion ") && !unsigned.contains("Signature"));
    let signed = b.build(&claims, Some(&key(2048))).unwrap();
    let doc = parse(&signed);
    assert_eq!(check_signature(&doc, signatures(&doc)[0]).signed_element, "Assertion");
}

mod canonical_by_construction {
    //! Over many generated documents, the bytes the writer digests equal what the general
    //! exclusive c14n produces from the serialized output (checked through DigestValue, which
    //! `check_signature` recomputes from the general c14n).
    use super::*;
    use proptest::prelude::*;
    use samlkit::settings::Mapping;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z@.]{1,12}",
            Just("<&\"'>".to_string()),
            Just("tab\there\nnew\r\nline\rcr".to_string()),
            Just("non-ASCII é 中文 😀".to_string()),
            Just("]]> --> <!-- &amp; &#x9;".to_string()),
            "\\PC{0,40}",
            "[a-z]{300,600}",
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            text().prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            Just(Value::Null),
            prop::collection::vec(text().prop_map(Value::String), 0..4).prop_map(Value::Array),
            text().prop_map(|t| json!({"k": t})),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn writer_canonical_bytes_equal_general_c14n(
            email in text().prop_filter("non-empty", |t| !t.is_empty()),
            fields in prop::collection::vec(("[a-z_]{1,10}", value()), 0..12),
            issuer_tail in text(),
            sign_response: bool,
            typed: bool,
            name_format: bool,
            sig in prop::sample::select(SignatureAlgorithm::RSA.to_vec()),
            digest in prop::sample::select(DigestAlgorithm::ALL.to_vec()),
        ) {
            let mut profile = serde_json::Map::new();
            profile.insert("email".into(), Value::String(email));
            for (k, v) in fields { profile.insert(k, v); }
            let mut s = AddonSettings::default().with_callback_url("https://sp.example/acs?a=1&b=2");
            s.mappings.push(Mapping::new("email", "mail with space"));
            s.name_identifier_probes = vec!["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".into()];
            s.audience = Some(format!("urn:sp:{}", issuer_tail.len()));
            s.sign_response = sign_response;
            s.typed_attributes = typed;
            s.include_attribute_name_format = name_format;
            s.signature_algorithm = sig;
            s.digest_algorithm = digest;
            let claims = map_profile(&s, &Value::Object(profile)).unwrap();
            let r = ResponseBuilder::new(&s)
                .issuer(format!("urn:idp:{issuer_tail}"))
                .in_response_to("_req\"<&")
                .session_index(issuer_tail.clone())
                .build(&claims, &key(2048));
            let r = match r { Ok(r) => r, Err(e) => { prop_assert!(issuer_tail.chars().any(|c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)), "{e}"); return Ok(()); } };
            let doc = parse(&r.xml);
            let sigs = signatures(&doc);
            prop_assert_eq!(sigs.len(), if sign_response { 2 } else { 1 });
            for id in sigs { check_signature(&doc, id); }
            // Reading back gives the values written.
            let attrs: Vec<_> = doc.descendants(doc.root()).filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::SAML, "Attribute"))).collect();
            prop_assert_eq!(attrs.len(), claims.attributes.len());
            for (node, attribute) in attrs.into_iter().zip(&claims.attributes) {
                prop_assert_eq!(doc.element(node).unwrap().attribute(None, "Name").unwrap(), attribute.name.as_str());
                let values: Vec<String> = doc.child_elements(node).map(|v| doc.text_content(v).into_owned()).collect();
                // CR is written as &#xD;, so even it survives re-parsing: compare exactly.
                let exact: Vec<String> = attribute.values.iter().map(|v| v.text.clone()).collect();
                prop_assert_eq!(values, exact);
            }
        }
    }
}

#[test]
fn absurd_lifetime_set_in_code_is_an_error_not_a_panic() {
    let mut s = AddonSettings::heroku("acme");
    s.lifetime_in_seconds = u64::MAX;
    let e = ResponseBuilder::new(&s).issuer("urn:idp").build(&heroku_claims(&s), &key(2048)).unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::InvalidArgument { what: "lifetimeInSeconds", .. })), "{e}");
    s.lifetime_in_seconds = i64::MAX as u64 / 1000 + 1;
    assert!(ResponseBuilder::new(&s).issuer("urn:idp").build(&heroku_claims(&s), &key(2048)).is_err());
}

#[test]
fn a_failing_signing_backend_propagates_its_error() {
    #[derive(Debug)]
    struct Broken(Certificate);
    impl samlkit::crypto::SigningKey for Broken {
        fn sign(&self, _: SignatureAlgorithm, _: &[u8]) -> Result<Vec<u8>, samlkit::error::SignError> {
            Err(samlkit::error::SignError::Backend { message: "HSM offline".into() })
        }
        fn certificate(&self) -> &Certificate {
            &self.0
        }
    }
    let s = AddonSettings::heroku("acme");
    let broken = Broken(Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap());
    let e = ResponseBuilder::new(&s).issuer("urn:idp").build(&heroku_claims(&s), &broken).unwrap_err();
    assert_eq!(e.to_string(), "signing: the signing backend failed: HSM offline");
}

#[test]
fn per_login_acs_url_and_audience_override_the_settings() {
    let mut s = AddonSettings::heroku("acme");
    s.destination = None;
    let claims = heroku_claims(&s);
    let r = ResponseBuilder::new(&s)
        .issuer("urn:idp")
        .acs_url("https://other.example/acs")
        .audience("urn:per-login-sp")
        .build(&claims, &key(2048))
        .unwrap();
    // An explicit per-login value wins over the settings, for Destination and Recipient alike
    // (never one from each).
    assert!(r.xml.contains("Destination=\"https://other.example/acs\""));
    assert!(r.xml.contains("Recipient=\"https://other.example/acs\""));
    assert!(r.xml.contains("<saml:Audience>urn:per-login-sp</saml:Audience>"));
    assert_eq!(r.destination.as_deref(), Some("https://other.example/acs"));
    // Without it, Destination follows the settings' recipient when the settings name none.
    let r = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &key(2048)).unwrap();
    assert!(r.xml.contains("Destination=\"https://sso.heroku.com/saml/acme/finalize\""));
    let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, r.to_base64()).unwrap();
    assert_eq!(decoded, r.xml.as_bytes());
}

#[test]
fn hand_built_attributes_without_values_are_left_out() {
    let s = AddonSettings::heroku("acme");
    let mut claims = heroku_claims(&s);
    claims.attributes.push(samlkit::claims::Attribute { name: "empty".into(), name_format: None, values: vec![] });
    let r = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &key(2048)).unwrap();
    assert!(!r.xml.contains("Name=\"empty\""));
    claims.attributes.retain(|a| a.name == "empty");
    let r = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &key(2048)).unwrap();
    assert!(!r.xml.contains("AttributeStatement"));
}
