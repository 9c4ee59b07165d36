//! Responses signed by other implementations (`xmlsec1`, Auth0's own `saml`/`samlp` libraries;
//! see `tests/data/foreign/README.md`) verify, validate and read back as their manifest says.

mod common;

use common::data;
use samlkit::Certificate;
use samlkit::TrustPolicy;
use samlkit::clock::FixedClock;
use samlkit::encryption::DecryptionKey;
use samlkit::error::{Error, Failure, VerifyError};
use samlkit::low_level::verify_enveloped;
use samlkit::low_level::{Document, ParseLimits};
use samlkit::validate::{Signed, TypedValue, Validator};
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
        let mut v = Validator::heroku("acme", vec![cert.clone()])
            .unwrap()
            .clock(Arc::new(now))
            .issuer("urn:foreign-idp.example");
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
        assert_eq!(a.signed, as_signed(&signed), "{file}");
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

/// A manifest's list of signed elements.
fn as_signed(elements: &[&str]) -> Signed {
    Signed { response: elements.contains(&"Response"), assertion: elements.contains(&"Assertion") }
}

/// Even the most permissive validator refuses the document.
fn rejected_by_permissive_validator(entry: &Value, cert: &Certificate, xml: &str) -> bool {
    let now = FixedClock::rfc3339(entry["now"].as_str().unwrap()).unwrap();
    Validator::heroku("acme", vec![cert.clone()])
        .unwrap()
        .clock(Arc::new(now))
        .allow_unsolicited(true)
        .allow_response_signature_only(true)
        .insecure_allow_sha1()
        .validate(xml)
        .is_err()
}

/// The Validator for one open-world document, from what its manifest entry says: the SP's
/// audience and ACS, the clock, the issuer, and the opt-ins its layout needs (each named by a
/// feature tag of the manifest).
fn open_world_validator(entry: &Value, base: &str) -> Validator {
    let s = |k: &str| entry[k].as_str().map(str::to_owned);
    let features: Vec<&str> = entry["features"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let audience = entry["audience"].as_array().and_then(|a| a.first()).and_then(Value::as_str).unwrap_or("urn:none");
    let acs = s("recipient").or(s("destination")).unwrap_or_else(|| "https://sp.example/acs".into());
    let cert = Certificate::from_pem_or_der(&data(&format!("{base}/{}", entry["cert"].as_str().unwrap()))).unwrap();
    let mut v = Validator::new(audience, acs, vec![cert])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339(entry["now"].as_str().unwrap()).unwrap()));
    if let Some(issuer) = s("issuer") {
        v = v.issuer(issuer);
    }
    v = match s("in_response_to") {
        Some(id) => v.expect_in_response_to(id),
        None => v.allow_unsolicited(true),
    };
    let signed: Vec<&str> = entry["signed"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    if !signed.contains(&"Assertion") {
        v = v.allow_response_signature_only(true);
    }
    if features.contains(&"sha1") {
        v = v.insecure_allow_sha1();
    }
    if entry["key_bits"].as_u64().is_some_and(|b| b < 2048) {
        v = v.insecure_allow_rsa_1024();
    }
    if features.contains(&"no-audience") {
        v = v.insecure_allow_no_audience();
    }
    if features.contains(&"aes-cbc") {
        v = v.insecure_allow_cbc();
    }
    if s("destination").is_none() {
        v = v.allow_missing_destination();
    }
    if let Some(key) = s("sp_key") {
        let key = DecryptionKey::from_pem_or_der(&data(&format!("{base}/{key}"))).unwrap();
        if key.bits() < 2048 {
            v = v.insecure_allow_rsa_1024();
        }
        v = v.decryption_key(key);
    }
    v
}

/// For an encrypted document whose SP key the corpus does not have: the Response signature,
/// verified with the low-level verifier (the Assertion's, inside the ciphertext, cannot be).
fn response_signature_verifies(entry: &Value, base: &str, xml: &[u8]) -> Result<(), String> {
    let doc = Document::parse_bytes(xml, &ParseLimits::default()).map_err(|e| e.to_string())?;
    let cert = Certificate::from_pem_or_der(&data(&format!("{base}/{}", entry["cert"].as_str().unwrap()))).unwrap();
    let policy = TrustPolicy::new(vec![cert]).insecure_allow_sha1().insecure_allow_rsa_1024();
    match verify_enveloped(&doc, doc.root(), "Response", &policy, &samlkit::low_level::ParseLimits::default()) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err("no Response signature".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn open_world_responses_get_their_projects_verdicts() {
    let base = "foreign/open-world";
    let manifest: Vec<Value> = serde_json::from_slice(&data(&format!("{base}/manifest.json"))).unwrap();
    let divergences: Value = serde_json::from_slice(&data(&format!("{base}/samlkit-divergences.json"))).unwrap();
    let mut projects = std::collections::BTreeSet::new();
    let (mut valid, mut invalid, mut problems) = (0, 0, Vec::new());
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        projects.insert(entry["project"].as_str().unwrap());
        let xml = data(&format!("{base}/{file}"));
        let expected_valid = entry["verdict"] == "valid";
        if entry["encrypted"] == true && entry["sp_key"].is_null() {
            let checked = response_signature_verifies(entry, base, &xml);
            if expected_valid != checked.is_ok() {
                problems.push(format!("{file}: Response signature: {checked:?}"));
            }
            println!("{:<7} {file}: Response signature {checked:?} (no SP key)", entry["verdict"].as_str().unwrap());
            if expected_valid {
                valid += 1
            } else {
                invalid += 1
            }
            continue;
        }
        let result = open_world_validator(entry, base).validate_bytes(&xml);
        let outcome = match &result {
            Ok(_) => "OK".to_owned(),
            Err(e) => format!("{e}"),
        };
        match divergences.get(file) {
            // Its project checks only the signature: samlkit's must verify (what it then
            // refuses is a validation check, named in samlkit-divergences.json).
            Some(d) if d["signature_only"] == true && !matches!(result, Ok(_) | Err(Error::Validation(_))) => {
                problems.push(format!("{file}: its signature must verify: {outcome}"));
            }
            Some(d) if d["signature_only"] == true => {}
            // samlkit refuses a document its project accepts, on purpose: with this error.
            Some(d) => {
                let want = d["refused_with"].as_str().unwrap();
                if !outcome.contains(want) {
                    problems.push(format!("{file}: expected a refusal containing `{want}`, got {outcome}"));
                }
            }
            None if expected_valid && result.is_err() => problems.push(format!("{file}: refused: {outcome}")),
            None if !expected_valid && result.is_ok() => {
                problems.push(format!("{file}: accepted, its project refuses it"))
            }
            None => {}
        }
        if let Ok(a) = &result {
            if let Some(name_id) = entry["name_id"].as_str() {
                if a.name_id.value.trim() != name_id.trim() {
                    problems.push(format!("{file}: NameID {:?}, manifest {name_id:?}", a.name_id.value));
                }
            }
        }
        if expected_valid {
            valid += 1
        } else {
            invalid += 1
        }
        println!("{:<7} {file}: {outcome}", entry["verdict"].as_str().unwrap());
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(manifest.len() >= 40 && projects.len() >= 5, "{} documents, {projects:?}", manifest.len());
    assert!(valid >= 20 && invalid >= 10, "{valid} valid, {invalid} invalid");
}

/// Every legal layout of `tests/data/foreign/layouts/` (signed by xmlsec1) verifies; the opt-in
/// ones are refused by default with an error naming their option, and accepted with it.
#[test]
fn legal_layouts_signed_by_xmlsec1_verify() {
    let manifest: Vec<Value> = serde_json::from_slice(&data("foreign/layouts/manifest.json")).unwrap();
    assert!(manifest.len() >= 25);
    let mut problems = Vec::new();
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        let xml = data(&format!("foreign/layouts/{file}"));
        let cert = Certificate::from_pem_or_der(&data(&format!("keys/{}", entry["cert"].as_str().unwrap()))).unwrap();
        let mut v = Validator::heroku("acme", vec![cert])
            .unwrap()
            .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
            .issuer("urn:foreign-idp.example")
            .expect_in_response_to("_request1");
        if let Some(option) = entry["refused_without"].as_str() {
            match v.validate_bytes(&xml) {
                Err(e) if e.to_string().contains(option) => {}
                other => problems.push(format!("{file}: without {option}: {other:?}")),
            }
        }
        for need in entry["needs"].as_array().unwrap().iter().filter_map(Value::as_str) {
            v = match need {
                "allow_response_signature_only" => v.allow_response_signature_only(true),
                "insecure_allow_no_audience" => v.insecure_allow_no_audience(),
                "allow_missing_destination" => v.allow_missing_destination(),
                "insecure_allow_rsa_1024" => v.insecure_allow_rsa_1024(),
                other => panic!("{file}: unknown option {other}"),
            };
        }
        let expect = entry["expect"].as_str().unwrap();
        match (v.validate_bytes(&xml), expect) {
            (Ok(a), "OK") => {
                if a.name_id.value != "jane.doe@example.com" {
                    problems.push(format!("{file}: NameID {:?}", a.name_id.value));
                }
                let signed: Vec<&str> = entry["signed"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                if a.signed != as_signed(&signed) {
                    problems.push(format!("{file}: signed {:?}, expected {signed:?}", a.signed));
                }
                if let Some(name) = a.attribute("name") {
                    if name.texts() != ["José"] {
                        problems.push(format!("{file}: name {:?}", name.texts()));
                    }
                }
                // Inclusive c14n renders every namespace in scope: xsi:type is read.
                let typed = a
                    .attributes
                    .iter()
                    .flat_map(|x| &x.values)
                    .all(|x| !matches!(x, TypedValue::UnverifiedType { .. }));
                if file.starts_with("inclusive-") && !typed {
                    problems.push(format!("{file}: types unverified: {:?}", a.attributes));
                }
            }
            (Err(e), "OK") => problems.push(format!("{file}: refused: {e}")),
            (Err(e), want) if e.to_string().contains(want) => {}
            (other, want) => problems.push(format!("{file}: expected `{want}`, got {other:?}")),
        }
        // A changed byte in the signed NameID breaks every one of them.
        let text = String::from_utf8_lossy(&xml).into_owned();
        if let Some(at) = text.find("jane.doe@example.com</saml:NameID>") {
            let mut tampered = xml.clone();
            tampered[at] = b'J';
            let permissive = Validator::heroku(
                "acme",
                vec![
                    Certificate::from_pem_or_der(&data(&format!("keys/{}", entry["cert"].as_str().unwrap()))).unwrap(),
                ],
            )
            .unwrap()
            .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
            .allow_unsolicited(true)
            .allow_response_signature_only(true)
            .insecure_allow_rsa_1024()
            .insecure_allow_no_audience()
            .allow_missing_destination();
            if permissive.validate_bytes(&tampered).is_ok() {
                problems.push(format!("{file}: tampered copy accepted"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Of several bearer SubjectConfirmations, one that holds suffices (`multiple-subjectconfirmations`
/// in the test above); when none holds, the failures reported are the first bearer's alone, not
/// a mix of every bearer's.
#[test]
fn when_no_bearer_holds_the_first_ones_failures_are_reported() {
    let xml = data("foreign/layouts/multiple-subjectconfirmations-none-holds.xml");
    let v = Validator::heroku("acme", vec![Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
        .issuer("urn:foreign-idp.example")
        .expect_in_response_to("_request1");
    match v.validate_bytes(&xml) {
        Err(Error::Validation(e)) => assert!(
            matches!(e.failures.as_slice(), [Failure::Recipient { found, .. }] if found == "https://other-sp.example/acs"),
            "{:?}",
            e.failures
        ),
        other => panic!("{other:?}"),
    }
    // With the expired bearer's time back in its window (a clock before 15:00), that bearer holds.
    let earlier = v.clock(Arc::new(FixedClock::rfc3339("2026-11-28T14:59:00Z").unwrap()));
    let got = earlier.validate_bytes(&xml);
    assert!(
        matches!(&got, Err(Error::Validation(e)) if !e.failures.iter().any(|f| matches!(f, Failure::Recipient { .. }))),
        "{got:?}"
    );
}
