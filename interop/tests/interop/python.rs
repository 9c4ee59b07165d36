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

/// python3-saml decrypts samlkit's encrypted assertions (issue 8): every content algorithm and
/// key transport it supports, and it refuses a tampered ciphertext.
#[test]
fn python3_saml_accepts_encrypted_responses() {
    use crate::common::{ACS, AUDIENCE, CHECK_AT, ISSUER, NOW, key, workspace};
    use samlkit::clock::FixedClock;
    use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
    use samlkit::encryption::{ContentAlgorithm, Encryption, EncryptionKey, KeyTransport};
    use samlkit::metadata::IdpMetadataBuilder;
    use samlkit::settings::AddonSettings;
    use serde_json::json;

    let dir = std::env::temp_dir().join(format!("samlkit-interop-encrypted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clock = FixedClock::rfc3339(NOW).unwrap();
    let idp = key(2048);
    let metadata = dir.join("idp-metadata.xml");
    std::fs::write(
        &metadata,
        IdpMetadataBuilder::new(ISSUER)
            .sso_url("https://acme.auth0.com/samlp/x")
            .signing_certificate(idp.certificate().clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let sp_cert = workspace().join("tests/data/keys/other-2048.cert.pem");
    let sp_key = workspace().join("tests/data/keys/other-2048.pkcs8.pem");
    let sp = EncryptionKey::from_pem_or_der(&std::fs::read(&sp_cert).unwrap()).unwrap();
    let mut settings = AddonSettings::heroku("acme");
    settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = DigestAlgorithm::Sha256;
    let idp =
        samlkit::IdentityProvider::new(settings.with_issuer(ISSUER), idp).unwrap().clock(std::sync::Arc::new(clock));
    let profile = json!({"email": "jane.doe@example.com"});
    let mut documents = Vec::new();
    let mut tampered = None;
    for content in [ContentAlgorithm::Aes256Gcm, ContentAlgorithm::Aes128Gcm] {
        for transport in KeyTransport::ALL {
            let encryption = Encryption::new(sp.clone()).content_algorithm(content).key_transport(transport);
            let xml = idp.respond(&profile).encrypt_for(encryption).build().unwrap().xml;
            let name = format!("{}-{}", content.name(), transport.uri().rsplit('#').next().unwrap());
            let file = dir.join(format!("{name}.xml"));
            std::fs::write(&file, &xml).unwrap();
            if tampered.is_none() {
                let start = xml.find("<xenc:CipherValue>").unwrap() + "<xenc:CipherValue>".len();
                let mut bytes = xml.clone().into_bytes();
                bytes[start + 40] = if bytes[start + 40] == b'A' { b'B' } else { b'A' };
                let bad = dir.join("tampered.xml");
                std::fs::write(&bad, bytes).unwrap();
                tampered = Some(json!({"name": "tampered", "file": bad}));
            }
            documents.push(json!({"name": name, "file": file}));
        }
    }
    documents.push(tampered.unwrap());
    let manifest = dir.join("manifest.json");
    std::fs::write(
        &manifest,
        serde_json::to_vec_pretty(&json!({
            "audience": AUDIENCE, "acs": ACS, "check_at": CHECK_AT, "metadata": metadata,
            "sp_cert": sp_cert, "sp_key": sp_key, "documents": documents,
        }))
        .unwrap(),
    )
    .unwrap();
    let (results, took) = run_peer("python3-saml-encrypted", script("onelogin_encrypted_peer.py"), &manifest);
    let mut lines = Vec::new();
    for r in results.as_array().unwrap() {
        let name = r["name"].as_str().unwrap();
        let ok = r["ok"] == true;
        lines.push(format!("{name}: {}", if ok { "accepted".to_owned() } else { format!("refused ({})", r["error"]) }));
        if name == "tampered" {
            assert!(!ok, "python3-saml accepted a tampered ciphertext");
        } else if name.ends_with("rsa-oaep-mgf1p") {
            // What Auth0 emits: every SP must read it.
            assert!(ok, "python3-saml refuses {name}: {}", r["error"]);
            assert_eq!(r["name_id"], "jane.doe@example.com");
        }
    }
    let report = format!("python3-saml (encrypted assertions, {took:.1?}):\n  {}\n", lines.join("\n  "));
    eprint!("{report}");
    crate::common::append_report(&report);
}
