//! The Node peers (`interop/peers/node/`, `npm ci` from the committed lockfile): xml-crypto as
//! verifier and signer (pure JavaScript c14n, no libxml2), and Auth0's samlp/saml libraries as the
//! behavioural reference for the element-for-element comparison.

use crate::common::{algorithms, append_report, check, matrix, peers_dir, run_peer, samlkit_validates};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

fn node(script: &str) -> Command {
    let mut c = Command::new("node");
    c.arg(peers_dir().join("node").join(script));
    c
}

#[test]
fn xml_crypto_verifies_the_matrix_and_samlkit_verifies_xml_crypto() {
    // xml-crypto 6 implements rsa-sha1/256/512 and sha1/256/512 (no SHA-384).
    let sigs = ["rsa-sha1", "rsa-sha256", "rsa-sha512"];
    let (manifest, docs) = matrix().manifest_for("xml-crypto", |d| algorithms(d, &sigs, &["sha1", "sha256", "sha512"]));
    let (results, took) = run_peer("xml-crypto", node("xmlcrypto-peer.js"), &manifest);
    check("xml-crypto", &docs, &results, took);
    samlkit_validates("xml-crypto", &results["signed"]);
}

/// Why a difference from Auth0's library is deliberate (`docs/interop.md` lists the same), or None.
fn deliberate(d: &Value, all: &[Value]) -> Option<&'static str> {
    let path = d["path"].as_str().unwrap();
    let newline_dropped = |d: &Value| {
        d["kind"] == "text"
            && d["path"].as_str().unwrap().ends_with("/saml:AttributeValue")
            && d["samlkit"].as_str().is_some_and(|s| s.contains('\n') && s.replace('\n', "") == d["samlp"])
    };
    match d["kind"].as_str().unwrap() {
        "attribute-order" => Some(
            "attribute order: samlkit writes attributes in exclusive-c14n order (the document is its own \
             canonical form, signed without a re-parse); XML gives attribute order no meaning",
        ),
        "text" if newline_dropped(d) => Some(
            "newlines in values: saml/samlp strip every newline from the serialized XML (utils.removeWhitespace), \
             so a value 'line one\\nline two' arrives as 'line oneline two'; samlkit keeps the value",
        ),
        "text"
            if (path.ends_with("/DigestValue") || path.ends_with("/SignatureValue"))
                && all.iter().any(newline_dropped) =>
        {
            Some("DigestValue/SignatureValue: follow from the newline difference in the signed content")
        }
        _ => None,
    }
}

#[test]
fn samlkit_matches_auth0_samlp_element_for_element() {
    // Auth0's default algorithms (rsa-sha1/sha1) and rsa-sha256/sha256, every profile and mode.
    let (manifest, docs) = matrix().manifest_for("samlp", |d| {
        d["bits"] == 2048
            && d["expect"] == "accept"
            && (algorithms(d, &["rsa-sha1"], &["sha1"]) || algorithms(d, &["rsa-sha256"], &["sha256"]))
    });
    let (results, took) = run_peer("samlp", node("samlp-compare.js"), &manifest);
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), docs.len());
    let mut failures = Vec::new();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut identical_signatures = 0;
    for r in results {
        let name = r["name"].as_str().unwrap();
        if !r["error"].is_null() {
            failures.push(format!("{name}: samlp failed: {}", r["error"]));
            continue;
        }
        let diffs = r["differences"].as_array().unwrap();
        if !diffs.iter().any(|d| d["path"].as_str().unwrap().ends_with("/DigestValue")) {
            identical_signatures += 1;
        }
        for d in diffs {
            match deliberate(d, diffs) {
                Some(reason) => *reasons.entry(reason).or_default() += 1,
                None => {
                    let short = |v: &Value| v.to_string().chars().take(200).collect::<String>();
                    failures.push(format!(
                        "{name}: {} {}: samlkit {}, samlp {} (samlp's document: {})",
                        d["kind"].as_str().unwrap(),
                        d["path"].as_str().unwrap(),
                        short(&d["samlkit"]),
                        short(&d["samlp"]),
                        r["samlp_file"].as_str().unwrap_or("-")
                    ));
                }
            }
        }
    }
    let mut summary = format!(
        "samlp: {} documents compared in {took:.1?} ({}); identical DigestValue and SignatureValue in {identical_signatures}\n",
        docs.len(),
        results.first().and_then(|r| r["versions"].as_str()).unwrap_or("?"),
    );
    for (reason, n) in &reasons {
        let _ = writeln!(summary, "  deliberate ({n}x): {reason}");
    }
    println!("{summary}");
    append_report(&summary);
    assert!(
        failures.is_empty(),
        "samlp comparison: {} unexplained difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
