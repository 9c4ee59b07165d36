//! The hostile-variant catalogue (`samlkit::testing`, `samlkit mutate`) against the peer
//! service providers: python3-saml (Heroku-like: strict, wantAssertionsSigned,
//! wantMessagesSigned), pysaml2 (unsolicited responses allowed, as Heroku), and the npm packages
//! `@node-saml/node-saml` and `samlify` (`interop/peers/node/*-sp.js`). Every variant a
//! peer accepts is a finding about that peer; they are recorded in
//! `interop/peers/expected-mutations.json`, which this test checks both ways, so a change in a
//! peer (or in the catalogue) is noticed. The original must be accepted by every peer.

use crate::common::{
    ACS, AUDIENCE, CHECK_AT, ISSUER, NOW, SSO_URL, append_report, key, peers_dir, python, run_peer, workspace,
};
use samlkit::clock::FixedClock;
use samlkit::metadata::IdpMetadataBuilder;
use samlkit::testing::{Keys, mutations};
use samlkit::{AddonSettings, DigestAlgorithm, IdentityProvider, IdpKey, SignatureAlgorithm};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;

/// Each peer: its name, interpreter and script (under `interop/peers/`).
const PEERS: [(&str, &str, &str); 4] = [
    ("python3-saml", "python", "python/onelogin_peer.py"),
    ("pysaml2", "python", "python/pysaml2_peer.py"),
    ("node-saml", "node", "node/node-saml-sp.js"),
    ("samlify", "node", "node/samlify-sp.js"),
];

#[test]
fn peer_service_providers_refuse_the_hostile_catalogue() {
    let dir = std::env::temp_dir().join(format!("samlkit-interop-mutations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let idp_key = key(2048);
    let clock = FixedClock::rfc3339(NOW).unwrap();
    let metadata = dir.join("idp-metadata.xml");
    let xml = IdpMetadataBuilder::new(ISSUER)
        .sso_url(SSO_URL)
        .signing_certificate(idp_key.certificate().clone())
        .clock(&clock)
        .build()
        .unwrap();
    std::fs::write(&metadata, xml).unwrap();
    let mut settings = AddonSettings::heroku("acme").with_issuer(ISSUER);
    (settings.signature_algorithm, settings.digest_algorithm) =
        (SignatureAlgorithm::RsaSha256, DigestAlgorithm::Sha256);
    settings.sign_response = true;
    let idp = IdentityProvider::new(settings, idp_key.clone()).unwrap().clock(Arc::new(clock));
    let original = idp.respond(&json!({"email": "jane.doe@example.com"})).build().unwrap().xml;
    let keys = workspace().join("tests/data/keys");
    let attacker = IdpKey::from_pem_or_der(
        &std::fs::read(keys.join("other-2048.pkcs8.pem")).unwrap(),
        &std::fs::read(keys.join("other-2048.cert.pem")).unwrap(),
    )
    .unwrap();
    let variants = mutations(&original, &Keys { idp: Some(&idp_key), attacker: &attacker }).unwrap();
    let email = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    let mut documents = Vec::new();
    for (name, text) in
        std::iter::once(("original", original.as_str())).chain(variants.iter().map(|m| (m.name, m.xml.as_str())))
    {
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, text).unwrap();
        documents.push(
            json!({"name": name, "file": file, "mode": "both", "metadata": metadata, "name_id": {"format": email}}),
        );
    }
    let manifest = dir.join("manifest-mutations.json");
    let m = json!({"audience": AUDIENCE, "acs": ACS, "issuer": ISSUER, "check_at": CHECK_AT, "documents": documents});
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();

    let expected_file = peers_dir().join("expected-mutations.json");
    let expected: Value = serde_json::from_slice(&std::fs::read(&expected_file).unwrap()).unwrap();
    let mut report = format!("hostile catalogue ({} variants) against peer SPs:\n", variants.len());
    let mut actual = BTreeMap::new();
    let mut problems = Vec::new();
    for (peer, interpreter, script) in PEERS {
        let mut command = Command::new(if interpreter == "python" { python() } else { "node".to_owned() });
        command.arg(peers_dir().join(script));
        let (results, _) = run_peer(&format!("{peer}-mutations"), command, &manifest);
        // Each accepted variant with the NameID the peer read from it.
        let mut accepted = BTreeMap::new();
        for r in results.as_array().unwrap() {
            let name = r["name"].as_str().unwrap();
            match (name, r["ok"] == true) {
                ("original", false) => problems.push(format!("{peer} refused the original: {}", r["error"])),
                ("original", true) => {}
                (_, true) => {
                    accepted.insert(name.to_owned(), r["name_id"].as_str().unwrap_or_default().to_owned());
                }
                (_, false) => {}
            }
        }
        let _ = std::fmt::Write::write_fmt(
            &mut report,
            format_args!(
                "  {peer}: refuses {}/{}; accepts {accepted:?}\n",
                variants.len() - accepted.len(),
                variants.len()
            ),
        );
        let want: BTreeMap<String, String> = expected[peer]["accepts"]
            .as_object()
            .map(|a| a.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
            .unwrap_or_default();
        if want != accepted {
            problems.push(format!("{peer}: accepts {accepted:?}, {} records {want:?}", expected_file.display()));
        }
        actual.insert(peer, accepted);
    }
    println!("{report}");
    append_report(&report);
    assert!(problems.is_empty(), "{}\n(actual: {})", problems.join("\n"), serde_json::to_string(&actual).unwrap());
}
