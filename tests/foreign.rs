//! Responses signed by other implementations (`xmlsec1`, Auth0's own `saml`/`samlp` libraries;
//! see `tests/data/foreign/README.md`) verify, validate and read back as their manifest says.

mod common;

use common::data;
use samlkit::clock::FixedClock;
use samlkit::error::{Error, VerifyError};
use samlkit::keys::Certificate;
use samlkit::validate::Validator;
use serde_json::Value;
use std::sync::Arc;

#[test]
fn foreign_responses_verify_and_read_back() {
    let manifest: Vec<Value> = serde_json::from_slice(&data("foreign/manifest.json")).unwrap();
    assert!(manifest.len() >= 14);
    let cert = Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
    let mut tools = std::collections::BTreeSet::new();
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        let xml = String::from_utf8(data(&format!("foreign/{file}"))).unwrap();
        let now = FixedClock::rfc3339(entry["now"].as_str().unwrap()).unwrap();
        let signed: Vec<&str> = entry["signed"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        let mut v =
            Validator::heroku("acme", vec![cert.clone()]).clock(Arc::new(now)).issuer("urn:foreign-idp.example");
        v = match entry["in_response_to"].as_str() {
            Some(id) => v.expect_in_response_to(id),
            None => v.allow_unsolicited(true),
        };
        if !signed.contains(&"Assertion") {
            v = v.allow_response_signature_only(true);
        }
        if entry["needs_sha1"].as_bool() == Some(true) {
            let refused = v.clone().validate(&xml);
            assert!(
                matches!(refused, Err(Error::Verify(VerifyError::AlgorithmNotAllowed { .. }))),
                "{file}: {refused:?}"
            );
            v = v.insecure_allow_sha1();
        }
        let a = v.validate(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(a.signed, signed, "{file}");
        assert_eq!(a.name_id.value, entry["name_id"].as_str().unwrap(), "{file}");
        for (name, values) in entry["attributes"].as_object().unwrap() {
            let expected: Vec<&str> = values.as_array().unwrap().iter().filter_map(Value::as_str).collect();
            let got = a.attribute(name).unwrap_or_else(|| panic!("{file}: no {name}")).texts();
            assert_eq!(got, expected, "{file}: {name}");
        }
        tools.insert(entry["tool"].as_str().unwrap().split_whitespace().next().unwrap().to_owned());
        // A changed byte in the NameID breaks every one of them.
        let tampered = xml.replacen("jane.doe@example.com</", "jane.doe@example.con</", 1);
        assert_ne!(tampered, xml);
        assert!(rejected_by_permissive_validator(entry, &cert, &tampered), "{file}: tampered copy accepted");
    }
    assert!(tools.len() >= 2, "{tools:?}");
}

/// Even the most permissive validator refuses the document.
fn rejected_by_permissive_validator(entry: &Value, cert: &Certificate, xml: &str) -> bool {
    let now = FixedClock::rfc3339(entry["now"].as_str().unwrap()).unwrap();
    Validator::heroku("acme", vec![cert.clone()])
        .clock(Arc::new(now))
        .allow_unsolicited(true)
        .allow_response_signature_only(true)
        .insecure_allow_sha1()
        .validate(xml)
        .is_err()
}
