//! The Python peers: python3-saml (OneLogin) and pysaml2 as service providers, signxml (lxml) as
//! verifier and signer. Each runs as one process over the manifest (`interop/peers/python/`).

use crate::common::{algorithms, check, matrix, peers_dir, python, run_peer, samlkit_validates};
use std::process::Command;

fn script(name: &str) -> Command {
    let mut c = Command::new(python());
    c.arg(peers_dir().join("python").join(name));
    c
}

#[test]
fn python3_saml_accepts_the_matrix_as_a_heroku_like_sp() {
    let (manifest, docs) = matrix().manifest_for("python3-saml", |_| true);
    let (results, took) = run_peer("python3-saml", script("onelogin_peer.py"), &manifest);
    check("python3-saml", &docs, &results, took);
    // Response-only documents were accepted with wantAssertionsSigned off; with it on (Heroku's
    // setting) python3-saml must refuse them: the Assertion itself is unsigned.
    let accepted_response_only: Vec<&serde_json::Value> =
        results.as_array().unwrap().iter().filter(|r| r.get("want_assertions_signed_rejects").is_some()).collect();
    assert_eq!(accepted_response_only.len(), 96);
    let wrongly: Vec<&str> = accepted_response_only
        .iter()
        .filter(|r| r["want_assertions_signed_rejects"] != true)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(wrongly.is_empty(), "python3-saml with wantAssertionsSigned accepts unsigned Assertions: {wrongly:?}");
}

#[test]
fn pysaml2_accepts_the_matrix() {
    let (manifest, docs) = matrix().manifest_for("pysaml2", |_| true);
    let (results, took) = run_peer("pysaml2", script("pysaml2_peer.py"), &manifest);
    check("pysaml2", &docs, &results, took);
}

#[test]
fn signxml_verifies_the_matrix_and_samlkit_verifies_signxml() {
    let all = ["rsa-sha1", "rsa-sha256", "rsa-sha384", "rsa-sha512"];
    let (manifest, docs) =
        matrix().manifest_for("signxml", |d| algorithms(d, &all, &["sha1", "sha256", "sha384", "sha512"]));
    let (results, took) = run_peer("signxml", script("signxml_peer.py"), &manifest);
    check("signxml", &docs, &results, took);
    samlkit_validates("signxml", &results["signed"]);
}
