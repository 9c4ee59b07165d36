//! The `samlkit` command's output, judged by python3-saml as a Heroku-like service provider:
//! `samlkit sign` for the Heroku recipe, the Heroku guide's seed JSON and a full Auth0 profile,
//! with IdP metadata from `samlkit metadata`. A tampered copy must be refused.

use crate::common::{peers_dir, python, run_peer, workspace};
use serde_json::json;
use std::path::Path;
use std::process::Command;

const SIGNED_AT: &str = "2026-11-28T15:30:00Z";
const CHECK_AT: &str = "2026-11-28T15:31:00Z";

/// `samlkit ARGS` through cargo (the binary of the `samlkit-cli` member, built as needed).
fn samlkit(args: &[&str], out: &Path) {
    let o = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "samlkit-cli", "--"])
        .args(args)
        .args(["--out", out.to_str().unwrap()])
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(o.status.success(), "samlkit {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn python3_saml_accepts_what_samlkit_sign_writes() {
    let dir = std::env::temp_dir().join(format!("samlkit-interop-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let metadata = dir.join("idp-metadata.xml");
    samlkit(&["metadata", "--sso-url", "https://samlkit-demo.example/samlp/demo"], &metadata);
    let data = |p: &str| workspace().join("tests/data").join(p).display().to_string();
    let (seed, profile) = (data("settings/heroku-seed.json"), data("profiles/full-auth0.json"));
    let email = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    let mut documents = Vec::new();
    for (name, args) in [
        ("heroku", vec![]),
        ("seed", vec!["--settings", &seed, "--heroku", "acme"]),
        ("full-profile", vec!["--profile", &profile]),
    ] {
        let file = dir.join(format!("{name}.xml"));
        let mut all = vec!["sign", "--now", SIGNED_AT];
        all.extend(args);
        samlkit(&all, &file);
        documents.push(json!({"name": name, "file": file, "mode": "assertion", "metadata": metadata, "name_id": {"format": email}}));
        let tampered = dir.join(format!("{name}-tampered.xml"));
        let xml = std::fs::read_to_string(&file).unwrap();
        assert!(xml.contains("@example.com"), "{name}");
        std::fs::write(&tampered, xml.replacen("@example.com", "@evil.example", 1)).unwrap();
        documents.push(json!({"name": format!("{name}-tampered"), "file": tampered, "mode": "assertion", "metadata": metadata, "name_id": {"format": email}}));
    }
    let manifest = dir.join("manifest-cli.json");
    let m = json!({"audience": "https://sso.heroku.com/saml/acme", "acs": "https://sso.heroku.com/saml/acme/finalize", "check_at": CHECK_AT, "documents": documents});
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let mut command = Command::new(python());
    command.arg(peers_dir().join("python/onelogin_peer.py"));
    let (results, _) = run_peer("python3-saml-cli", command, &manifest);
    for r in results.as_array().unwrap() {
        let name = r["name"].as_str().unwrap();
        if name.ends_with("-tampered") {
            assert_eq!(r["ok"], false, "python3-saml accepted {name}");
        } else {
            assert_eq!(r["ok"], true, "python3-saml refused {name}: {}", r["error"]);
            assert!(r["name_id"].as_str().unwrap().ends_with("@example.com"), "{r}");
        }
    }
    println!(
        "python3-saml: accepted samlkit sign for the Heroku recipe, the seed JSON and a full profile; refused the tampered copies"
    );
}
