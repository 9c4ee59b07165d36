//! The hostile-variant catalogue (`samlkit::testing`, `samlkit mutate`): every variant is
//! refused by samlkit's Validator for the reason the manifest names, in both signing modes; the
//! original it was made from is accepted (so a refusal is the variant's doing).

use samlkit::clock::FixedClock;
use samlkit::testing::{Keys, Mutation, RandomMutator, mutations};
use samlkit::{AddonSettings, Certificate, Error, IdentityProvider, IdpKey, SignatureAlgorithm, Validator};
mod common;

use common::samlkit_with as samlkit;
use common::{repo, xmlsec1_verify};
use std::path::Path;
use std::sync::Arc;

const KEY: &[u8] = include_bytes!("../../examples/data/demo-idp-key.pem");
const CERT: &[u8] = include_bytes!("../../examples/data/demo-idp-cert.pem");
const ISSUER: &str = "urn:acme.auth0.com";

fn attacker() -> IdpKey {
    IdpKey::from_pem_or_der(
        &std::fs::read(repo("tests/data/keys/other-2048.pkcs8.pem")).unwrap(),
        &std::fs::read(repo("tests/data/keys/other-2048.cert.pem")).unwrap(),
    )
    .unwrap()
}

/// A Heroku response answering `_req1`, rsa-sha256, signed as `mode` says.
fn response(sign_response: bool, sign_assertion: bool) -> String {
    let mut settings = AddonSettings::heroku("acme").with_issuer(ISSUER);
    settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
    settings.sign_response = sign_response;
    settings.sign_assertion = sign_assertion;
    let idp = IdentityProvider::new(settings, IdpKey::from_pem_or_der(KEY, CERT).unwrap())
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:21:01Z").unwrap()));
    idp.respond(&serde_json::json!({"email": "jane.doe@example.com"})).in_response_to("_req1").build().unwrap().xml
}

fn validator() -> Validator {
    Validator::heroku("acme", vec![Certificate::from_pem_or_der(CERT).unwrap()])
        .unwrap()
        .issuer(ISSUER)
        .expect_in_response_to("_req1")
        .allow_response_signature_only(true)
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:25:00Z").unwrap()))
}

/// The variant names of what the Validator reports: every failed check, or the one error.
fn kinds(error: &Error) -> Vec<String> {
    fn name(debug: String) -> String {
        debug.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default().to_owned()
    }
    match error {
        Error::Validation(v) => v.failures.iter().map(|f| name(format!("{f:?}"))).collect(),
        Error::Verify(e) => vec![name(format!("{e:?}"))],
        Error::Xml(e) => vec![name(format!("{e:?}"))],
        Error::Usage(e) => vec![name(format!("{e:?}"))],
        other => vec![name(format!("{other:?}"))],
    }
}

fn check_catalogue(variants: &[Mutation]) {
    let mut wrong = Vec::new();
    for m in variants {
        match validator().validate(&m.xml) {
            Ok(_) => wrong.push(format!("{}: ACCEPTED", m.name)),
            Err(e) if !kinds(&e).iter().any(|k| k == m.samlkit_error) => {
                wrong.push(format!("{}: expected {}, got {:?} ({e})", m.name, m.samlkit_error, kinds(&e)))
            }
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{} variant(s) not refused as the catalogue says:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_variant_is_refused_for_its_reason_in_every_signing_mode() {
    let (idp, attacker) = (IdpKey::from_pem_or_der(KEY, CERT).unwrap(), attacker());
    for (mode, sign_response, sign_assertion, count) in
        [("assertion", false, true, 23), ("response", true, false, 19), ("both", true, true, 25)]
    {
        let original = response(sign_response, sign_assertion);
        validator().validate(&original).unwrap_or_else(|e| panic!("{mode}: the original is refused: {e}"));
        let variants = mutations(&original, &Keys { idp: Some(&idp), attacker: &attacker }).unwrap();
        let names: Vec<&str> = variants.iter().map(|m| m.name).collect();
        assert_eq!(variants.len(), count, "{mode}: {names:?}");
        let wrapping: &[&str] = if sign_assertion { &["xsw3", "xsw8"] } else { &["xsw1"] };
        for expected in wrapping.iter().chain(&[
            "signature-stripped",
            "comment-in-name-id",
            "resigned-by-attacker",
            "expired",
            "sha1-downgrade",
        ]) {
            assert!(names.contains(expected), "{mode}: {expected} missing from {names:?}");
        }
        check_catalogue(&variants);
        // Without the IdP's key, the variants it would re-sign are left out.
        let without = mutations(&original, &Keys { idp: None, attacker: &attacker }).unwrap();
        assert_eq!(without.len(), count - 8, "{mode}");
        check_catalogue(&without);
    }
}

#[test]
fn what_is_not_a_signed_response_with_one_assertion_is_refused() {
    let attacker = attacker();
    let keys = Keys { idp: None, attacker: &attacker };
    let signed = response(false, true);
    for (xml, expected) in [
        ("<a/>".to_owned(), "not a samlp:Response"),
        (signed.replace("<saml:Subject>", "<saml:Foo>").replace("</saml:Subject>", "</saml:Foo>"), "Subject/NameID"),
        (
            signed.replace(
                "</samlp:Response>",
                "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_b\"/></samlp:Response>",
            ),
            "2 Assertion elements",
        ),
        ("not xml".to_owned(), "xml"),
    ] {
        let e = mutations(&xml, &keys).unwrap_err().to_string();
        assert!(e.contains(expected), "{expected}: {e}");
    }
    let unsigned = {
        let l = signed.find("<Signature").unwrap();
        let r = signed.find("</Signature>").unwrap() + "</Signature>".len();
        format!("{}{}", &signed[..l], &signed[r..])
    };
    assert!(mutations(&unsigned, &keys).unwrap_err().to_string().contains("not signed"));
}

#[test]
fn the_random_mutator_is_seeded_and_never_panics_the_validator() {
    let attacker = attacker();
    let catalogue = mutations(&response(true, true), &Keys { idp: None, attacker: &attacker }).unwrap();
    let draw = |seed| {
        let mut m = RandomMutator::new(catalogue.clone(), seed);
        (0..50).map(|_| m.next_variant().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
    let names: Vec<String> = draw(7).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().any(|n| n.contains("+char@")) && names.iter().any(|n| n.contains("+tag@")), "{names:?}");
    let validator = validator();
    let mut refused = 0;
    for seed in 0..4 {
        for (_, xml) in draw(seed) {
            refused += usize::from(validator.validate(&xml).is_err());
        }
    }
    assert!(refused >= 190, "only {refused} of 200 random variants refused");
    assert!(RandomMutator::new(Vec::new(), 1).next_variant().is_none());
}

#[test]
fn samlkit_mutate_writes_the_catalogue_and_samlkit_verify_refuses_every_file() {
    let dir = std::env::temp_dir().join(format!("samlkit-mutate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let original = dir.join("response.xml");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&original, response(true, true)).unwrap();
    let (key, cert) = (repo("examples/data/demo-idp-key.pem"), repo("examples/data/demo-idp-cert.pem"));
    let out = dir.join("hostile");
    let o = samlkit(
        &[
            "mutate",
            original.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
            "--idp-key",
            key.to_str().unwrap(),
            "--idp-cert",
            cert.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let variants = manifest["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 25);
    assert_eq!(manifest["skipped"].as_array().unwrap().len(), 0);
    let cert = cert.to_str().unwrap();
    let verify = |file: &Path| {
        samlkit(
            &[
                "verify",
                "--json",
                "--cert",
                cert,
                "--heroku",
                "acme",
                "--issuer",
                ISSUER,
                "--in-response-to",
                "_req1",
                "--allow-response-signature-only",
                "--now",
                "2026-11-28T15:25:00Z",
                file.to_str().unwrap(),
            ],
            b"",
        )
    };
    assert_eq!(verify(&original).status.code(), Some(0));
    let mut wrong = Vec::new();
    for v in variants {
        let file = out.join(v["file"].as_str().unwrap());
        let o = verify(&file);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let refusal: serde_json::Value = serde_json::from_str(&stderr).unwrap_or_default();
        let checks: Vec<&str> = refusal["failures"]
            .as_array()
            .map(|f| f.iter().filter_map(|x| x["check"].as_str()).collect())
            .unwrap_or_default();
        if o.status.code() != Some(1) || !checks.contains(&v["samlkit_error"].as_str().unwrap()) {
            wrong.push(format!("{}: exit {:?}, {stderr}", v["name"], o.status.code()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The re-signed variants carry signatures the reference implementation accepts: only the
    // SP's own checks refuse them.
    for v in variants
        .iter()
        .filter(|v| ["expired", "wrong-audience", "sha1-downgrade"].contains(&v["name"].as_str().unwrap()))
    {
        let o = xmlsec1_verify(cert, &out.join(v["file"].as_str().unwrap()));
        assert!(o.status.success(), "{}: {}", v["name"], String::from_utf8_lossy(&o.stderr));
    }
    // Without the IdP's key: the re-signed variants are listed as skipped; the attacker key is
    // made on the fly.
    let out2 = dir.join("no-idp-key");
    let o = samlkit(&["mutate", "-", "--out-dir", out2.to_str().unwrap()], &std::fs::read(&original).unwrap());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out2.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["variants"].as_array().unwrap().len(), 17);
    assert_eq!(manifest["skipped"].as_array().unwrap().len(), 8);
    // Bad input: one line, exit 2.
    for input in [&b"<a/>"[..], b"%%%"] {
        let o = samlkit(&["mutate", "-", "--out-dir", out2.to_str().unwrap()], input);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&o.stderr).lines().count(), 1, "{}", String::from_utf8_lossy(&o.stderr));
    }
}
