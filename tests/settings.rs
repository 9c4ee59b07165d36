//! The Auth0 addon settings: every key, every default, every error.

mod common;

use samlkit::error::SettingsError;
use samlkit::settings::{AddonSettings, Mapping, MappingTarget, ParseMode, Warning};
use samlkit::vocabulary::{Binding, NameIdFormat};
use samlkit::{DigestAlgorithm, SignatureAlgorithm};
use serde_json::{Value, json};

const SEED: &str = include_str!("data/settings/heroku-seed.json");
const FULL: &str = include_str!("data/settings/full.json");
const EMAIL: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

fn parse(v: Value) -> Result<AddonSettings, SettingsError> {
    AddonSettings::from_json(&v.to_string())
}

fn err(v: Value) -> SettingsError {
    parse(v).expect_err("must be rejected")
}

#[test]
fn empty_object_means_auth0_defaults() {
    let s = AddonSettings::from_json("{}").unwrap();
    assert_eq!(s, AddonSettings::default());
    assert_eq!(s.audience, None);
    assert_eq!(s.recipient, None);
    assert_eq!(s.destination, None);
    assert_eq!(s.issuer, None);
    assert_eq!(s.signature_algorithm, SignatureAlgorithm::RsaSha1);
    assert_eq!(s.digest_algorithm, DigestAlgorithm::Sha1);
    assert_eq!(s.lifetime_in_seconds, 3600);
    assert!(s.create_upn_claim && s.passthrough_claims_with_no_mapping && s.map_identities);
    assert!(s.typed_attributes && s.include_attribute_name_format);
    assert!(!s.map_unknown_claims_as_is && !s.sign_response);
    assert!(s.sign_assertion);
    assert_eq!(s.name_identifier_format.uri(), "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
    assert_eq!(
        s.name_identifier_probes,
        [
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
            EMAIL,
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
        ]
    );
    assert_eq!(s.authn_context_class_ref, "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified");
    assert_eq!(s.logout.callback, None);
    assert!(s.logout.slo_enabled);
    assert_eq!(s.binding, Binding::HttpPost);
    assert_eq!(s.signing_cert, None);
    let mappings: Vec<(&str, &str)> =
        s.mappings.iter().map(|m| (m.field.as_str(), m.target.claims()[0].as_str())).collect();
    assert_eq!(
        mappings,
        [
            ("user_id", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"),
            ("email", EMAIL),
            ("name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"),
            ("given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"),
            ("family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"),
            ("upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"),
            ("groups", "http://schemas.xmlsoap.org/claims/Group"),
        ]
    );
}

#[test]
fn every_key_is_read() {
    let s = AddonSettings::from_json(FULL).unwrap();
    assert_eq!(s.audience.as_deref(), Some("urn:example:sp"));
    assert_eq!(s.recipient.as_deref(), Some("https://sp.example.com/acs"));
    assert_eq!(s.destination.as_deref(), Some("https://sp.example.com/acs"));
    assert_eq!(
        s.mappings,
        [
            Mapping::new("user_id", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"),
            Mapping { field: "email".into(), target: MappingTarget::Many(vec![EMAIL.into(), "mail".into()]) },
            Mapping::new("user_metadata.color", "color"),
        ]
    );
    assert!(!s.create_upn_claim && !s.passthrough_claims_with_no_mapping && !s.map_identities);
    assert!(s.map_unknown_claims_as_is && s.sign_response);
    assert_eq!(s.signature_algorithm, SignatureAlgorithm::RsaSha256);
    assert_eq!(s.digest_algorithm, DigestAlgorithm::Sha256);
    assert_eq!(s.issuer.as_deref(), Some("urn:acme.auth0.com"));
    assert_eq!(s.lifetime_in_seconds, 600);
    assert_eq!(s.name_identifier_format, NameIdFormat::Persistent);
    assert_eq!(s.name_identifier_probes, ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"]);
    assert_eq!(s.authn_context_class_ref, "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
    assert!(!s.typed_attributes && !s.include_attribute_name_format);
    assert_eq!(s.logout.callback.as_deref(), Some("https://sp.example.com/slo"));
    assert!(!s.logout.slo_enabled);
    assert_eq!(s.binding, Binding::HttpRedirect);
    assert!(s.signing_cert.as_deref().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(s.warnings().is_empty(), "{:?}", s.warnings());
}

#[test]
fn full_json_serializes_back_byte_for_byte() {
    let original: Value = serde_json::from_str(FULL).unwrap();
    let s = AddonSettings::from_json(FULL).unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), original.to_string());
    assert_eq!(s.to_json(), original);
    let again: AddonSettings = serde_json::from_value(s.to_json()).unwrap();
    assert_eq!(again, s);
}

#[test]
fn resolved_json_parses_back_to_the_same_settings() {
    for text in ["{}", SEED, FULL] {
        let s = AddonSettings::parse(text, ParseMode::Lenient).unwrap();
        let back = AddonSettings::parse(&s.to_json().to_string(), ParseMode::Lenient).unwrap();
        assert_eq!(back, s);
        let minimal = AddonSettings::parse(&s.to_json_minimal().to_string(), ParseMode::Lenient).unwrap();
        assert_eq!(minimal, s);
    }
    assert_eq!(AddonSettings::default().to_json_minimal(), json!({}));
}

fn seed_for(org: &str) -> String {
    SEED.replace("THE-HEROKU-ENTITY-ID", &format!("https://sso.heroku.com/saml/{org}"))
}

#[test]
fn heroku_recipe_matches_the_setup_guide() {
    let h = AddonSettings::heroku("acme");
    assert_eq!(h.audience.as_deref(), Some("https://sso.heroku.com/saml/acme"));
    assert_eq!(h.recipient.as_deref(), Some("https://sso.heroku.com/saml/acme/finalize"));
    assert_eq!(h.destination.as_deref(), Some("https://sso.heroku.com/saml/acme/finalize"));
    assert_eq!(h.mappings, [Mapping::new("email", EMAIL)]);
    assert!(!h.create_upn_claim && !h.passthrough_claims_with_no_mapping);
    assert!(!h.map_unknown_claims_as_is && !h.map_identities);
    assert_eq!(h.name_identifier_format, NameIdFormat::EmailAddress);
    assert_eq!(h.name_identifier_probes, [EMAIL]);
    // The rest are Auth0's defaults.
    assert_eq!(h.signature_algorithm, SignatureAlgorithm::RsaSha1);
    assert_eq!(h.lifetime_in_seconds, 3600);
    h.validate().unwrap();

    // The seed JSON (placeholder replaced) is the same recipe; the ACS URL comes from the
    // application's callback URL, as in Auth0.
    let seed = AddonSettings::from_json(&seed_for("acme")).unwrap();
    assert_eq!(seed.recipient, None);
    assert_eq!(seed.with_callback_url("https://sso.heroku.com/saml/acme/finalize"), h);

    // Minimal serialization of the seed gives the seed back, less the one key that restates a
    // default (`mapUnknownClaimsAsIs: false`).
    let mut seed_value: Value = serde_json::from_str(&seed_for("acme")).unwrap();
    seed_value.as_object_mut().unwrap().shift_remove("mapUnknownClaimsAsIs").unwrap();
    assert_eq!(AddonSettings::from_json(&seed_for("acme")).unwrap().to_json_minimal(), seed_value);
}

#[test]
fn heroku_org_is_percent_encoded() {
    let h = AddonSettings::heroku("a b/c");
    assert_eq!(h.audience.as_deref(), Some("https://sso.heroku.com/saml/a%20b%2Fc"));
    h.validate().unwrap();
}

#[test]
fn callback_url_does_not_override_explicit_values() {
    let s = AddonSettings::from_json(FULL).unwrap().with_callback_url("https://other.example.com/x");
    assert_eq!(s.recipient.as_deref(), Some("https://sp.example.com/acs"));
    assert_eq!(s.destination.as_deref(), Some("https://sp.example.com/acs"));
}

#[test]
fn mapping_order_is_the_json_order() {
    let s = parse(json!({"mappings": {"z": "Z", "a": ["A1", "A2"], "m": "M"}})).unwrap();
    let fields: Vec<&str> = s.mappings.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, ["z", "a", "m"]);
    assert_eq!(s.mappings[1].target.claims(), ["A1", "A2"]);
}

#[test]
fn algorithms_and_bindings_by_name() {
    for (name, alg) in [
        ("rsa-sha1", SignatureAlgorithm::RsaSha1),
        ("rsa-sha256", SignatureAlgorithm::RsaSha256),
        ("rsa-sha384", SignatureAlgorithm::RsaSha384),
        ("rsa-sha512", SignatureAlgorithm::RsaSha512),
    ] {
        assert_eq!(parse(json!({"signatureAlgorithm": name})).unwrap().signature_algorithm, alg);
    }
    for (name, alg) in [
        ("sha1", DigestAlgorithm::Sha1),
        ("sha256", DigestAlgorithm::Sha256),
        ("sha384", DigestAlgorithm::Sha384),
        ("sha512", DigestAlgorithm::Sha512),
    ] {
        assert_eq!(parse(json!({"digestAlgorithm": name})).unwrap().digest_algorithm, alg);
    }
    assert_eq!(parse(json!({"binding": "HTTP-Redirect"})).unwrap().binding, Binding::HttpRedirect);
    assert_eq!(
        parse(json!({"binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"})).unwrap().binding,
        Binding::HttpPost
    );
    let custom = parse(json!({"nameIdentifierFormat": "urn:example:format"})).unwrap();
    assert_eq!(custom.name_identifier_format, NameIdFormat::Other("urn:example:format".into()));
}

#[test]
fn sign_flags() {
    let s = parse(json!({"signResponse": true, "signAssertion": false})).unwrap();
    assert!(s.sign_response && !s.sign_assertion);
    assert_eq!(s.to_json()["signAssertion"], json!(false));
    assert!(AddonSettings::default().to_json().get("signAssertion").is_none());
    assert_eq!(err(json!({"signAssertion": false})), SettingsError::NothingSigned);
}

#[test]
fn unknown_keys_are_named_with_a_suggestion() {
    let cases = [
        (json!({"audiance": "urn:x"}), "audiance", Some("audience")),
        (json!({"Audience": "urn:x"}), "Audience", Some("audience")),
        (json!({"signatureAlgorythm": "rsa-sha1"}), "signatureAlgorythm", Some("signatureAlgorithm")),
        (json!({"lifetimeInSecond": 5}), "lifetimeInSecond", Some("lifetimeInSeconds")),
        (json!({"zzzz": 1}), "zzzz", None),
        (json!({"logout": {"callbak": "https://x.example"}}), "logout.callbak", Some("logout.callback")),
        (json!({"logout": {"other": 1}}), "logout.other", None),
    ];
    for (input, path, suggestion) in cases {
        assert_eq!(
            err(input),
            SettingsError::UnknownKey { path: path.into(), suggestion: suggestion.map(str::to_owned) },
            "{path}"
        );
    }
}

#[test]
fn lenient_mode_keeps_unknown_keys_and_writes_them_back() {
    let text =
        r#"{"audience":"urn:x","customThing":{"a":1},"logout":{"callback":"https://x.example/slo","extra":true}}"#;
    assert!(AddonSettings::from_json(text).is_err());
    let s = AddonSettings::parse(text, ParseMode::Lenient).unwrap();
    assert_eq!(s.extra["customThing"], json!({"a": 1}));
    assert_eq!(s.logout.extra["extra"], json!(true));
    let out = s.to_json();
    assert_eq!(out["customThing"], json!({"a": 1}));
    assert_eq!(out["logout"]["extra"], json!(true));
    assert!(
        s.warnings().contains(&Warning::UnknownKeysKept { keys: vec!["customThing".into(), "logout.extra".into()] })
    );
}

#[test]
fn wrong_types_name_the_key_and_both_types() {
    let cases = [
        (json!({"createUpnClaim": "false"}), "createUpnClaim", LENIENT_HINT, "string"),
        (json!({"passthroughClaimsWithNoMapping": 0}), "passthroughClaimsWithNoMapping", "a boolean", "number"),
        (json!({"mapUnknownClaimsAsIs": null}), "mapUnknownClaimsAsIs", "a boolean", "null"),
        (json!({"mapIdentities": []}), "mapIdentities", "a boolean", "array"),
        (json!({"signResponse": "yes"}), "signResponse", "a boolean", "string"),
        (json!({"signAssertion": 1}), "signAssertion", "a boolean", "number"),
        (json!({"typedAttributes": {}}), "typedAttributes", "a boolean", "object"),
        (json!({"includeAttributeNameFormat": "true"}), "includeAttributeNameFormat", LENIENT_HINT, "string"),
        (json!({"audience": 5}), "audience", "a string", "number"),
        (json!({"recipient": true}), "recipient", "a string", "boolean"),
        (json!({"destination": []}), "destination", "a string", "array"),
        (json!({"issuer": {}}), "issuer", "a string", "object"),
        (json!({"signatureAlgorithm": 256}), "signatureAlgorithm", "a string", "number"),
        (json!({"digestAlgorithm": null}), "digestAlgorithm", "a string", "null"),
        (json!({"nameIdentifierFormat": 1}), "nameIdentifierFormat", "a string", "number"),
        (json!({"authnContextClassRef": false}), "authnContextClassRef", "a string", "boolean"),
        (json!({"binding": 2}), "binding", "a string", "number"),
        (json!({"signingCert": []}), "signingCert", "a string", "array"),
        (json!({"lifetimeInSeconds": "3600"}), "lifetimeInSeconds", "an integer", "string"),
        (json!({"lifetimeInSeconds": 3600.5}), "lifetimeInSeconds", "an integer", "a fraction"),
        (json!({"mappings": []}), "mappings", "an object", "array"),
        (json!({"mappings": {"email": 1}}), "mappings.email", "a string or an array of strings", "number"),
        (json!({"mappings": {"email": ["a", 2]}}), "mappings.email[1]", "a string", "number"),
        (json!({"nameIdentifierProbes": "x"}), "nameIdentifierProbes", "an array of strings", "string"),
        (json!({"nameIdentifierProbes": ["x", null]}), "nameIdentifierProbes[1]", "a string", "null"),
        (json!({"logout": "https://x"}), "logout", "an object", "string"),
        (json!({"logout": {"callback": 1}}), "logout.callback", "a string", "number"),
        (json!({"logout": {"slo_enabled": "true"}}), "logout.slo_enabled", LENIENT_HINT, "string"),
        (json!({"logout": {"slo_enabled": "no"}}), "logout.slo_enabled", "a boolean", "string"),
    ];
    for (input, path, expected, found) in cases {
        assert_eq!(err(input), SettingsError::WrongType { path: path.into(), expected, found }, "{path}");
    }
    assert_eq!(
        err(json!([])),
        SettingsError::WrongType { path: "(settings)".into(), expected: "an object", found: "array" }
    );
}

const LENIENT_HINT: &str = "a boolean (the string is accepted in lenient mode)";

/// Auth0's own logout documentation writes `"slo_enabled": "false"`: lenient mode reads such
/// strings as booleans, with a warning, and writes real booleans back.
#[test]
fn booleans_as_strings_are_read_leniently_with_a_warning() {
    let text = r#"{"logout": {"callback": "https://sp.example/slo", "slo_enabled": "false"}, "signResponse": "true"}"#;
    let s = AddonSettings::parse(text, ParseMode::Lenient).unwrap();
    assert!(!s.logout.slo_enabled && s.sign_response);
    assert_eq!(s.string_booleans, ["logout.slo_enabled", "signResponse"]);
    assert!(
        s.warnings().iter().any(
            |w| w.to_string() == "booleans written as strings (read as booleans): logout.slo_enabled, signResponse"
        )
    );
    assert_eq!(s.to_json()["logout"]["slo_enabled"], json!(false));
    assert_eq!(s.to_json()["signResponse"], json!(true));
    let back = AddonSettings::parse(&s.to_json().to_string(), ParseMode::Lenient).unwrap();
    assert!(back.string_booleans.is_empty());
    assert_eq!(back.warnings().len(), s.warnings().len() - 1, "only the string-boolean warning goes");
    let strict = AddonSettings::from_json(text).unwrap_err();
    assert_eq!(
        strict.to_string(),
        "`logout.slo_enabled`: expected a boolean (the string is accepted in lenient mode), found string"
    );
    // Only "true" and "false".
    assert!(AddonSettings::parse(r#"{"signResponse": "yes"}"#, ParseMode::Lenient).is_err());
}

/// Auth0's documentation (and its Terraform examples) give `signingCert` as a PEM public key.
#[test]
fn signing_cert_may_be_a_pem_public_key() {
    let cert = samlkit::Certificate::from_pem_or_der(&common::data("keys/rsa-2048.cert.pem")).unwrap();
    let public = {
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, cert.public_key_der());
        let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
        format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n"))
    };
    let s = AddonSettings::from_json(&json!({"signingCert": public}).to_string()).unwrap();
    let trust = s.request_trust().unwrap();
    assert_eq!(trust.certificates()[0].public_key_der(), cert.public_key_der());
    assert_eq!(trust.certificates()[0].rsa_bits(), Some(2048));
    let bare = samlkit::Certificate::from_public_key_pem_or_der(public.as_bytes()).unwrap();
    assert_eq!(bare.subject(), "(a bare public key)");
    assert_eq!(samlkit::Certificate::from_public_key_pem_or_der(cert.public_key_der()).unwrap(), bare);
    // Not a public key.
    let err = AddonSettings::from_json(
        &json!({"signingCert": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}).to_string(),
    )
    .unwrap_err();
    assert!(matches!(err, SettingsError::InvalidCertificate { .. }), "{err:?}");
    assert!(samlkit::Certificate::from_public_key_pem_or_der(&common::data("keys/rsa-2048.cert.pem")).is_err());
}

#[test]
fn lifetime_bounds() {
    for bad in [json!(0), json!(-1), json!(-9223372036854775808i64), json!(31536001), json!(u64::MAX)] {
        match err(json!({"lifetimeInSeconds": bad})) {
            SettingsError::Lifetime { path, max, .. } => {
                assert_eq!(path, "lifetimeInSeconds");
                assert_eq!(max, 31_536_000);
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(parse(json!({"lifetimeInSeconds": 1})).unwrap().lifetime_in_seconds, 1);
    // JavaScript has one number type: 3600.0 is 3600.
    assert_eq!(parse(json!({"lifetimeInSeconds": 3600.0})).unwrap().lifetime_in_seconds, 3600);
    assert!(matches!(err(json!({"lifetimeInSeconds": 0.0})), SettingsError::Lifetime { .. }));
    assert!(matches!(err(json!({"lifetimeInSeconds": 1e300})), SettingsError::Lifetime { .. }));
    assert_eq!(parse(json!({"lifetimeInSeconds": 31536000})).unwrap().lifetime_in_seconds, 31_536_000);
    let s = AddonSettings { lifetime_in_seconds: 0, ..AddonSettings::default() };
    assert!(matches!(s.validate(), Err(SettingsError::Lifetime { .. })));
}

#[test]
fn unknown_names_list_what_is_allowed() {
    for (key, value) in [
        ("signatureAlgorithm", "rsa-md5"),
        ("signatureAlgorithm", "RSA-SHA256"),
        ("signatureAlgorithm", "hmac-sha256"),
        ("digestAlgorithm", "md5"),
        ("binding", "HTTP-Artifact"),
    ] {
        match err(json!({key: value})) {
            SettingsError::UnknownName { path, value: v, allowed } => {
                assert_eq!(path, key);
                assert_eq!(v, value);
                assert!(!allowed.is_empty());
            }
            other => panic!("{key}={value}: {other:?}"),
        }
    }
}

#[test]
fn empty_lists_and_names_are_rejected() {
    let empty = |path: &str| SettingsError::Empty { path: path.into() };
    assert_eq!(err(json!({"nameIdentifierProbes": []})), empty("nameIdentifierProbes"));
    assert_eq!(err(json!({"nameIdentifierProbes": ["a", " "]})), empty("nameIdentifierProbes[1]"));
    assert_eq!(err(json!({"mappings": {"email": ""}})), empty("mappings.email"));
    assert_eq!(err(json!({"mappings": {"email": []}})), empty("mappings.email"));
    assert_eq!(err(json!({"mappings": {"email": ["x", ""]}})), empty("mappings.email[1]"));
    assert_eq!(err(json!({"mappings": {"": "x"}})), empty("mappings (a profile field name)"));
    assert_eq!(err(json!({"signingCert": "  "})), empty("signingCert"));
    // An empty mappings object is Auth0-legal: nothing is mapped.
    assert!(parse(json!({"mappings": {}})).unwrap().mappings.is_empty());
}

#[test]
fn urls_must_be_absolute_http_urls() {
    for key in ["recipient", "destination"] {
        for bad in ["not a url", "sso.heroku.com/saml/acme/finalize", "https://", "urn:acme"] {
            match err(json!({key: bad})) {
                SettingsError::InvalidUrl { path, value, .. } => {
                    assert_eq!((path.as_str(), value.as_str()), (key, bad))
                }
                other => panic!("{key}={bad}: {other:?}"),
            }
        }
    }
    assert!(matches!(
        err(json!({"logout": {"callback": "javascript:alert(1)"}})),
        SettingsError::InvalidUrl { path, .. } if path == "logout.callback"
    ));
}

#[test]
fn uris_are_checked_and_the_placeholder_is_called_out() {
    match err(json!({"audience": "THE-HEROKU-ENTITY-ID"})) {
        e @ SettingsError::InvalidUri { .. } => {
            let text = e.to_string();
            assert!(text.contains("audience") && text.contains("placeholder"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    for key in ["issuer", "authnContextClassRef", "nameIdentifierFormat"] {
        assert!(matches!(err(json!({key: "no scheme"})), SettingsError::InvalidUri { path, .. } if path == key));
    }
    // Entity IDs may be URNs.
    assert_eq!(parse(json!({"audience": "urn:foo"})).unwrap().audience.as_deref(), Some("urn:foo"));
    // Lenient mode keeps a non-URI audience and warns, as Auth0 stores any string.
    let lenient = AddonSettings::parse(SEED, ParseMode::Lenient).unwrap();
    assert!(lenient.warnings().contains(&Warning::AudienceNotUri { placeholder: true }));
    let text = Warning::AudienceNotUri { placeholder: true }.to_string();
    assert!(text.contains("THE-HEROKU-ENTITY-ID"));
}

#[test]
fn characters_xml_cannot_carry_are_rejected_with_the_key() {
    let cases = [
        (json!({"audience": "urn:a\u{0}"}), "audience"),
        (json!({"issuer": "urn:\u{FFFE}"}), "issuer"),
        (json!({"recipient": "https://a.example/\u{1}"}), "recipient"),
        (json!({"mappings": {"email": "claim\u{0}"}}), "mappings.email"),
        (json!({"mappings": {"em\u{0}ail": "claim"}}), "mappings.em\u{0}ail"),
        (json!({"nameIdentifierProbes": ["\u{FFFF}"]}), "nameIdentifierProbes[0]"),
        (json!({"authnContextClassRef": "urn:\u{8}"}), "authnContextClassRef"),
    ];
    for (input, path) in cases {
        assert!(matches!(err(input), SettingsError::InvalidCharacter { path: p, .. } if p == path), "{path}");
    }
}

#[test]
fn signing_cert_must_be_a_certificate() {
    let pem = std::str::from_utf8(include_bytes!("data/keys/rsa-2048.cert.pem")).unwrap();
    assert!(parse(json!({"signingCert": pem})).is_ok());
    // Auth0 also takes the base64 body without the PEM armor.
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(parse(json!({"signingCert": body})).is_ok());
    for bad in ["not a certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "TUlJQg=="] {
        match err(json!({"signingCert": bad})) {
            SettingsError::InvalidCertificate { path, .. } => assert_eq!(path, "signingCert"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn json_syntax_and_duplicate_keys() {
    match AddonSettings::from_json("{\n  \"audience\": \n}") {
        Err(SettingsError::Json { line, column, .. }) => assert_eq!((line, column), (3, 1)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        AddonSettings::from_json(r#"{"audience":"urn:a","audience":"urn:b"}"#),
        Err(SettingsError::DuplicateKey { path: "audience".into() })
    );
    assert!(matches!(AddonSettings::from_json(""), Err(SettingsError::Json { .. })));
    assert!(matches!(AddonSettings::from_json("{} x"), Err(SettingsError::Json { .. })));
}

#[test]
fn warnings_for_weak_or_risky_choices() {
    let defaults = AddonSettings::default().warnings();
    assert!(defaults.contains(&Warning::WeakSignatureAlgorithm));
    assert!(defaults.contains(&Warning::WeakDigestAlgorithm));
    assert!(defaults.contains(&Warning::NoAudience));
    let long = parse(json!({"lifetimeInSeconds": 86401, "audience": "urn:x"})).unwrap();
    assert!(long.warnings().contains(&Warning::LongLifetime { seconds: 86401 }));
    let day = parse(json!({"lifetimeInSeconds": 86400, "audience": "urn:x"})).unwrap();
    assert!(!day.warnings().iter().any(|w| matches!(w, Warning::LongLifetime { .. })));
    let strong = parse(json!({"audience": "urn:x", "signatureAlgorithm": "rsa-sha256", "digestAlgorithm": "sha256"}));
    assert_eq!(strong.unwrap().warnings(), []);
    for w in defaults {
        assert!(!w.to_string().is_empty());
    }
}

#[test]
fn error_messages_name_the_key() {
    let e = samlkit::Error::from(err(json!({"createUpnClaim": "no"})));
    assert_eq!(e.to_string(), "settings: `createUpnClaim`: expected a boolean, found string");
    let e = err(json!({"recipient": "x"}));
    assert!(e.to_string().starts_with("`recipient`: `x` is not an absolute http(s) URL"), "{e}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
            prop::sample::select(vec!["rsa-sha1", "sha256", "urn:x", "https://a.example/b", "HTTP-POST"])
                .prop_map(|s| Value::String(s.into())),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "audience",
                "recipient",
                "mappings",
                "lifetimeInSeconds",
                "nameIdentifierProbes",
                "logout",
                "callback",
                "slo_enabled",
                "binding",
                "signatureAlgorithm",
                "createUpnClaim",
            ])
            .prop_map(str::to_owned),
            "[a-zA-Z]{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_json_never_panics(v in json_value()) {
            for mode in [ParseMode::Strict, ParseMode::Lenient] {
                if let Ok(s) = AddonSettings::from_value(&v, mode) {
                    let back = AddonSettings::from_value(&s.to_json(), mode).unwrap();
                    prop_assert_eq!(back, s);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,64}") {
            let _ = AddonSettings::parse(&text, ParseMode::Lenient);
        }
    }
}

/// Fuzz finding (settings_json, 2026-11-28): a float in a key kept by lenient mode came back one
/// ulp off (5.555555555555556e106 as 5.555555555555555e106), because serde_json's default float
/// parser is not correctly rounded. samlkit enables `float_roundtrip`.
#[test]
fn fuzz_regression_floats_round_trip_exactly() {
    for text in [r#"{"x": 5.555555555555556e+106}"#, r#"{"x": 0.30000000000000004, "y": 1.7976931348623157e308}"#] {
        let s = AddonSettings::parse(text, ParseMode::Lenient).unwrap();
        let original: Value = serde_json::from_str(text).unwrap();
        assert_eq!(s.extra["x"], original["x"]);
        let back = AddonSettings::parse(&s.to_json().to_string(), ParseMode::Lenient).unwrap();
        assert_eq!(back, s, "{text}");
    }
    // serde_json now reads floats exactly as the standard library (correctly rounded) does.
    for text in ["5.555555555555556e+106", "0.30000000000000004", "2.2250738585072014e-308"] {
        assert_eq!(
            serde_json::from_str::<f64>(text).unwrap().to_bits(),
            text.parse::<f64>().unwrap().to_bits(),
            "{text}"
        );
    }
}
