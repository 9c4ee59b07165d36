//! Interop: every signature samlkit writes verifies with the reference implementation, the
//! `xmlsec1` command (libxmlsec1), with the certificate pinned, and a tampered byte makes it fail.
//!
//! These tests need `xmlsec1` (`apt-get install xmlsec1`), so they are `#[ignore]` for a plain
//! `cargo test`; `.ci/run` installs it and runs them with `--ignored`. Without the command they
//! fail, they do not skip.

mod common;

use common::{cert_pem, data, key};
use samlkit::IdpKey;
use samlkit::claims::map_profile;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use std::path::{Path, PathBuf};
use std::process::Command;

const ASSERTION_SIGNATURE: &str = "//*[local-name()='Assertion']/*[local-name()='Signature']";
const RESPONSE_SIGNATURE: &str = "/*[local-name()='Response']/*[local-name()='Signature']";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samlkit-xmlsec1-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `xmlsec1 --verify` on `file` for the Signature selected by `xpath`; true when it verifies.
fn xmlsec1_verifies(file: &Path, cert: &Path, xpath: &str) -> bool {
    let out = Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(cert)
        .args(["--enabled-key-data", "key-name"])
        .args(["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"])
        .args(["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"])
        .args(["--node-xpath", xpath])
        .arg(file)
        .output()
        .expect("the xmlsec1 command is needed: apt-get install xmlsec1");
    out.status.success()
}

/// Verifies the signatures the settings asked for: the Assertion's and/or the Response's.
fn verify_all(xml: &str, key: &IdpKey, dir: &Path, name: &str, assertion_signed: bool, response_signed: bool) {
    let file = dir.join(format!("{name}.xml"));
    let cert = dir.join("cert.pem");
    std::fs::write(&cert, cert_pem(key)).unwrap();
    std::fs::write(&file, xml).unwrap();
    assert_eq!(
        xml.matches("<Signature ").count(),
        usize::from(assertion_signed) + usize::from(response_signed),
        "{name}"
    );
    for (signed, xpath) in [(assertion_signed, ASSERTION_SIGNATURE), (response_signed, RESPONSE_SIGNATURE)] {
        if signed {
            assert!(xmlsec1_verifies(&file, &cert, xpath), "xmlsec1 rejects {name} ({xpath}): {}", file.display());
        }
    }
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn every_mode_algorithm_pair_and_key_size_verifies() {
    let dir = scratch("matrix");
    let profile = serde_json::from_slice(&data("profiles/full-auth0.json")).unwrap();
    let mut runs = 0;
    for bits in [2048, 4096] {
        let k = key(bits);
        for (sign_response, sign_assertion) in [(false, true), (true, true), (true, false)] {
            for sig in SignatureAlgorithm::RSA {
                for digest in DigestAlgorithm::ALL {
                    if bits == 4096 && digest != sig.digest() {
                        continue; // 4096-bit keys: the matched pairs are enough
                    }
                    let mut s = AddonSettings::default().with_callback_url("https://sp.example/acs");
                    s.audience = Some("urn:sp".into());
                    (s.sign_response, s.sign_assertion, s.signature_algorithm, s.digest_algorithm) =
                        (sign_response, sign_assertion, sig, digest);
                    let claims = map_profile(&s, &profile).unwrap();
                    let xml = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &k).unwrap().xml;
                    let name = format!("{bits}-{sign_response}-{sign_assertion}-{sig}-{digest}");
                    verify_all(&xml, &k, &dir, &name, sign_assertion, sign_response);
                    runs += 1;
                }
            }
        }
    }
    assert_eq!(runs, 3 * 16 + 3 * 4);
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn golden_files_verify() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden");
    let cert = dir.join("../keys/rsa-2048.cert.pem");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let metadata = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("idp-metadata"));
        if path.extension().is_some_and(|e| e == "xml") && !path.ends_with("error-responder.xml") && !metadata {
            let xml = std::fs::read_to_string(&path).unwrap();
            let xpath = if xml.find("<Signature ") < xml.find("<saml:Assertion") {
                RESPONSE_SIGNATURE
            } else {
                ASSERTION_SIGNATURE
            };
            assert!(xmlsec1_verifies(&path, &cert, xpath), "xmlsec1 rejects {}", path.display());
            if xml.matches("<Signature ").count() == 2 {
                assert!(xmlsec1_verifies(&path, &cert, ASSERTION_SIGNATURE), "{}", path.display());
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 22);
}

/// Runs `xmlsec1 --verify` on metadata signed over the whole `EntityDescriptor`.
fn xmlsec1_verifies_metadata(file: &Path, cert: &Path) -> bool {
    let out = Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(cert)
        .args(["--enabled-key-data", "key-name"])
        .args(["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"])
        .arg(file)
        .output()
        .expect("the xmlsec1 command is needed: apt-get install xmlsec1");
    out.status.success()
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn signed_idp_metadata_verifies() {
    use samlkit::metadata::{IdpMetadataBuilder, Organization};
    let dir = scratch("metadata");
    let cert = dir.join("cert.pem");
    std::fs::write(&cert, data("keys/rsa-2048.cert.pem")).unwrap();
    let other = dir.join("other.pem");
    std::fs::write(&other, data("keys/other-2048.cert.pem")).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden/idp-metadata-signed.xml");
    assert!(xmlsec1_verifies_metadata(&golden, &cert), "xmlsec1 rejects {}", golden.display());
    let k = key(2048);
    for sig in SignatureAlgorithm::RSA {
        for digest in DigestAlgorithm::ALL {
            let xml = IdpMetadataBuilder::new("urn:acme.auth0.com")
                .sso_url("https://acme.auth0.com/samlp/CLIENT")
                .slo_url("https://acme.auth0.com/samlp/CLIENT/logout")
                .signing_certificate(k.certificate().clone())
                .organization(Organization::new("Acme & <Co>", "Acme", "https://acme.example/"))
                .build_signed(&k, sig, digest)
                .unwrap();
            let file = dir.join(format!("metadata-{sig}-{digest}.xml"));
            std::fs::write(&file, &xml).unwrap();
            assert!(xmlsec1_verifies_metadata(&file, &cert), "xmlsec1 rejects {}", file.display());
            assert!(!xmlsec1_verifies_metadata(&file, &other), "xmlsec1 accepts another certificate");
            let tampered = dir.join(format!("metadata-{sig}-{digest}-tampered.xml"));
            std::fs::write(&tampered, xml.replacen("samlp/CLIENT", "samlp/EVIL", 1)).unwrap();
            assert!(!xmlsec1_verifies_metadata(&tampered, &cert), "xmlsec1 accepts {}", tampered.display());
        }
    }
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn a_tampered_byte_fails_and_the_original_passes() {
    let dir = scratch("tamper");
    let s = AddonSettings::heroku("acme");
    let k = key(2048);
    let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com"})).unwrap();
    let xml = ResponseBuilder::new(&s).issuer("urn:idp").build(&claims, &k).unwrap().xml;
    let cert = dir.join("cert.pem");
    std::fs::write(&cert, cert_pem(&k)).unwrap();
    let original = dir.join("original.xml");
    std::fs::write(&original, &xml).unwrap();
    assert!(xmlsec1_verifies(&original, &cert, ASSERTION_SIGNATURE));
    let tampered_versions = [
        xml.replacen("jane@example.com</saml:NameID>", "jane@example.con</saml:NameID>", 1),
        xml.replacen(
            "https://sso.heroku.com/saml/acme</saml:Audience>",
            "https://sso.heroku.com/saml/evil</saml:Audience>",
            1,
        ),
        xml.replacen("<SignatureValue>", "<SignatureValue>A", 1).replacen("=</SignatureValue>", "</SignatureValue>", 1),
        xml.replacen("<DigestValue>", "<DigestValue>A", 1).replacen("=</DigestValue>", "</DigestValue>", 1),
    ];
    for (i, tampered) in tampered_versions.iter().enumerate() {
        assert_ne!(tampered, &xml, "tamper {i} changed nothing");
        let file = dir.join(format!("tampered-{i}.xml"));
        std::fs::write(&file, tampered).unwrap();
        assert!(!xmlsec1_verifies(&file, &cert, ASSERTION_SIGNATURE), "xmlsec1 accepted tampered version {i}");
    }
    // A different pinned certificate fails too.
    let other = dir.join("other.pem");
    std::fs::write(&other, data("keys/other-2048.cert.pem")).unwrap();
    assert!(!xmlsec1_verifies(&original, &other, ASSERTION_SIGNATURE));
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn signed_post_logout_messages_verify() {
    let dir = scratch("logout");
    let mut s = AddonSettings::heroku("acme");
    s.logout.callback = Some("https://sso.heroku.com/saml/acme/slo".into());
    let k = key(2048);
    let cert = dir.join("cert.pem");
    std::fs::write(&cert, cert_pem(&k)).unwrap();
    let b = samlkit::logout::LogoutBuilder::new(&s).issuer("urn:idp");
    let messages = [
        ("LogoutRequest", b.request("jane@example.com", &["_s1"], Some(&k)).unwrap()),
        ("LogoutResponse", b.response("_r1", samlkit::logout::LogoutStatus::PartialLogout, Some(&k)).unwrap()),
    ];
    for (name, xml) in messages {
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, &xml).unwrap();
        let verifies = |path: &Path| {
            Command::new("xmlsec1")
                .args(["--verify", "--pubkey-cert-pem"])
                .arg(&cert)
                .args(["--enabled-key-data", "key-name", "--id-attr:ID"])
                .arg(format!("urn:oasis:names:tc:SAML:2.0:protocol:{name}"))
                .arg(path)
                .output()
                .expect("the xmlsec1 command is needed: apt-get install xmlsec1")
                .status
                .success()
        };
        assert!(verifies(&file), "xmlsec1 rejects the signed {name}");
        let tampered = dir.join(format!("{name}-tampered.xml"));
        std::fs::write(&tampered, xml.replacen("urn:idp<", "urn:idq<", 1)).unwrap();
        assert!(!verifies(&tampered), "xmlsec1 accepted a tampered {name}");
    }
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn the_ecdsa_fixture_verifies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let fixture = dir.join("ecdsa/heroku-response.xml");
    assert!(xmlsec1_verifies(&fixture, &dir.join("keys/ec-p256.cert.pem"), ASSERTION_SIGNATURE));
    assert!(!xmlsec1_verifies(&fixture, &dir.join("keys/rsa-2048.cert.pem"), ASSERTION_SIGNATURE));
}

/// ECDSA both ways: xmlsec1 verifies what samlkit signs, and samlkit verifies what xmlsec1 signs
/// (OpenSSL's `r || s` against AWS-LC's).
#[cfg(feature = "aws-lc-rs")]
#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn ecdsa_signatures_verify_both_ways() {
    use samlkit::clock::FixedClock;
    use samlkit::validate::Validator;
    let dir = scratch("ecdsa");
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys");
    let (key_pem, cert_pem) = (keys.join("ec-p256.pkcs8.pem"), keys.join("ec-p256.cert.pem"));
    let k = samlkit::IdpKey::from_pem_or_der(&data("keys/ec-p256.sec1.pem"), &data("keys/ec-p256.cert.pem")).unwrap();
    let validator = || {
        Validator::heroku("acme", vec![samlkit::crypto::SigningKey::certificate(&k).clone()])
            .unwrap()
            .clock(std::sync::Arc::new(FixedClock::rfc3339("2026-11-28T15:22:00Z").unwrap()))
    };
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    for (sign_response, sign_assertion) in [(false, true), (true, true), (true, false)] {
        let mut s = AddonSettings::heroku("acme");
        (s.sign_response, s.sign_assertion) = (sign_response, sign_assertion);
        (s.signature_algorithm, s.digest_algorithm) = (SignatureAlgorithm::EcdsaSha256, DigestAlgorithm::Sha256);
        let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com", "name": "Jane"})).unwrap();
        let xml = ResponseBuilder::new(&s).clock(&clock).issuer("urn:idp").build(&claims, &k).unwrap().xml;
        let name = format!("ecdsa-{sign_response}-{sign_assertion}");
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, &xml).unwrap();
        for (signed, xpath) in [(sign_assertion, ASSERTION_SIGNATURE), (sign_response, RESPONSE_SIGNATURE)] {
            if signed {
                assert!(xmlsec1_verifies(&file, &cert_pem, xpath), "xmlsec1 rejects {}", file.display());
            }
        }
        let tampered = dir.join(format!("{name}-tampered.xml"));
        std::fs::write(&tampered, xml.replacen("jane@example.com<", "jane@example.con<", 1)).unwrap();
        let xpath = if sign_assertion { ASSERTION_SIGNATURE } else { RESPONSE_SIGNATURE };
        assert!(!xmlsec1_verifies(&tampered, &cert_pem, xpath), "xmlsec1 accepts {}", tampered.display());

        // The other way: blank the values and let xmlsec1 sign the same template.
        if sign_response && sign_assertion {
            continue; // xmlsec1 --sign fills one Signature per run; the single modes cover both
        }
        let mut template = xml.clone();
        for element in ["DigestValue", "SignatureValue"] {
            let start = template.find(&format!("<{element}>")).unwrap() + element.len() + 2;
            let end = template.find(&format!("</{element}>")).unwrap();
            template.replace_range(start..end, "");
        }
        let template_file = dir.join(format!("{name}-template.xml"));
        std::fs::write(&template_file, &template).unwrap();
        let out = Command::new("xmlsec1")
            .args(["--sign", "--privkey-pem"])
            .arg(format!("{},{}", key_pem.display(), cert_pem.display()))
            .args(["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"])
            .args(["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"])
            .arg(&template_file)
            .output()
            .expect("the xmlsec1 command is needed: apt-get install xmlsec1");
        assert!(out.status.success(), "xmlsec1 --sign: {}", String::from_utf8_lossy(&out.stderr));
        let signed = String::from_utf8(out.stdout).unwrap();
        assert_ne!(signed, xml, "xmlsec1 signed with fresh randomness");
        let verified = validator().allow_response_signature_only(!sign_assertion).validate(&signed).unwrap();
        assert_eq!(verified.name_id.value, "jane@example.com");
        assert_eq!(verified.signature_algorithm, SignatureAlgorithm::EcdsaSha256);
        let tampered = signed.replacen("jane@example.com<", "jane@example.con<", 1);
        let err = validator().allow_response_signature_only(!sign_assertion).validate(&tampered).unwrap_err();
        assert!(matches!(err, samlkit::Error::Verify(samlkit::error::VerifyError::DigestMismatch { .. })), "{err:?}");
    }
}
