//! The `samlkit` binary, run as a user runs it: outputs, the three exit codes, `--help`, and
//! every bad input giving one line and no panic.

mod common;

use common::{repo, samlkit_with, temp, write, xmlsec1_verify};
use std::process::{Command, Output};

const NOW: &str = "2026-11-28T15:21:01Z";
const LATER: &str = "2026-11-28T15:25:00Z";

fn demo_cert() -> String {
    repo("examples/data/demo-idp-cert.pem").display().to_string()
}

fn samlkit(args: &[&str]) -> Output {
    samlkit_with(args, b"")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Exit 0; the stdout.
fn ok(args: &[&str]) -> String {
    let o = samlkit(args);
    assert_eq!(o.status.code(), Some(0), "samlkit {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Exit 2 with exactly one line on stderr (after any demo-key warning), no panic; the line.
fn usage_error(args: &[&str]) -> String {
    let o = samlkit(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "samlkit {args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning: ")).collect();
    assert_eq!(lines.len(), 1, "samlkit {args:?}: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_owned()
}

#[test]
fn help_exits_zero_and_every_subcommand_shows_an_example() {
    assert!(ok(&["--help"]).contains("Usage: samlkit <COMMAND>"));
    assert!(ok(&["--version"]).contains(env!("CARGO_PKG_VERSION")));
    for command in ["sign", "verify", "decode", "metadata", "keygen", "mutate"] {
        let help = ok(&[command, "--help"]);
        assert!(help.contains("Examples:") && help.contains(&format!("samlkit {command}")), "{command}: {help}");
    }
    assert_eq!(usage_error(&["frobnicate"]), "error: unrecognized subcommand 'frobnicate'");
    assert_eq!(usage_error(&["sign", "--frobnicate"]), "error: unexpected argument '--frobnicate' found");
    assert!(usage_error(&[]).contains("requires a subcommand"));
    assert_eq!(
        usage_error(&["sign", "--key", "k.pem"]),
        "error: the following required arguments were not provided: --cert <FILE>"
    );
}

#[test]
fn sign_with_no_arguments_is_a_heroku_response_for_acme_that_verifies() {
    let o = samlkit(&["sign", "--now", NOW]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("warning: signing with samlkit's demo key"), "{}", stderr(&o));
    let xml = stdout(&o);
    assert!(xml.starts_with("<samlp:Response "));
    assert!(xml.contains("Destination=\"https://sso.heroku.com/saml/acme/finalize\""));
    assert!(xml.contains("<saml:Audience>https://sso.heroku.com/saml/acme</saml:Audience>"));
    assert!(xml.contains("<saml:Issuer>urn:samlkit-demo.example</saml:Issuer>"));
    let cert = demo_cert();
    let args = ["verify", "--cert", &cert, "--heroku", "acme", "--allow-sha1", "--now", LATER, "-"];
    let verified = samlkit_with(&args, xml.as_bytes());
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    let json: serde_json::Value = serde_json::from_str(&stdout(&verified)).unwrap();
    assert_eq!(json["name_id"]["value"], "jane.doe@example.com");
    assert_eq!(json["signature_algorithm"], "rsa-sha1");
    // Without --allow-sha1 the same response is refused (exit 1), naming the opt-in.
    let refused = samlkit_with(&args[..5].iter().chain(&args[6..]).copied().collect::<Vec<_>>(), xml.as_bytes());
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("insecure_allow_sha1"), "{}", stderr(&refused));
}

#[test]
fn sign_formats_and_out_file() {
    let dir = temp("formats");
    let b64 = ok(&["sign", "--now", NOW, "--format", "base64"]);
    assert!(b64.trim().chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)));
    let form = ok(&["sign", "--now", NOW, "--format", "post-form", "--relay-state", "back<to>"]);
    assert!(form.contains("action=\"https://sso.heroku.com/saml/acme/finalize\""), "{form}");
    assert!(form.contains("name=\"RelayState\" value=\"back&lt;to&gt;\""), "{form}");
    let out = dir.join("r.xml");
    assert_eq!(ok(&["sign", "--now", NOW, "--out", out.to_str().unwrap()]), "");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<samlp:Response "));
    // The base64 form verifies as posted, and so does a whole form body.
    let cert = demo_cert();
    let verify = ["verify", "--cert", &cert, "--heroku", "acme", "--allow-sha1", "--now", LATER, "-"];
    assert_eq!(samlkit_with(&verify, b64.as_bytes()).status.code(), Some(0));
    let body =
        format!("RelayState=x&SAMLResponse={}", b64.trim().replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"));
    let o = samlkit_with(&verify, body.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_settings_issuer_is_used_and_a_contradicting_flag_is_an_error() {
    // 0.1's heroku example wrote urn:samlkit-demo.example whatever the settings said.
    let dir = temp("issuer");
    let settings =
        write(&dir, "s.json", r#"{"audience": "https://sso.heroku.com/saml/acme", "issuer": "urn:acme.auth0.com"}"#);
    let xml = ok(&["sign", "--settings", &settings, "--heroku", "acme", "--now", NOW]);
    assert!(xml.contains("<saml:Issuer>urn:acme.auth0.com</saml:Issuer>"), "{xml}");
    assert!(!xml.contains("samlkit-demo"));
    let e = usage_error(&["sign", "--settings", &settings, "--heroku", "acme", "--issuer", "urn:other"]);
    assert_eq!(e, "error: --issuer urn:other means issuer urn:other, but the settings say issuer urn:acme.auth0.com");
    // The same value twice is no contradiction.
    ok(&["sign", "--settings", &settings, "--heroku", "acme", "--issuer", "urn:acme.auth0.com"]);
}

#[test]
fn the_audience_and_the_callback_never_disagree_silently() {
    // 0.1 wrote Audience globex with Destination and Recipient for acme, the --org default.
    let dir = temp("audience");
    let seed = std::fs::read_to_string(repo("tests/data/settings/heroku-seed.json")).unwrap();
    let globex =
        write(&dir, "globex.json", &seed.replace("THE-HEROKU-ENTITY-ID", "https://sso.heroku.com/saml/globex"));
    let e = usage_error(&["sign", "--settings", &globex]);
    assert!(e.contains("the settings name no recipient") && e.contains("--callback-url"), "{e}");
    let e = usage_error(&["sign", "--settings", &globex, "--heroku", "acme"]);
    assert_eq!(
        e,
        "error: --heroku acme means audience https://sso.heroku.com/saml/acme, but the settings say audience https://sso.heroku.com/saml/globex"
    );
    let xml = ok(&["sign", "--settings", &globex, "--heroku", "globex", "--now", NOW]);
    assert!(xml.contains("Destination=\"https://sso.heroku.com/saml/globex/finalize\""));
    assert!(xml.contains("Recipient=\"https://sso.heroku.com/saml/globex/finalize\""));
    assert!(!xml.contains("/acme"));
    let e = usage_error(&["sign", "--heroku", "globex", "--callback-url", "https://sp.example/acs"]);
    assert!(e.contains("contradicts --heroku globex"), "{e}");
    // Auth0's callback URL fills what the settings leave out.
    let xml = ok(&["sign", "--settings", &globex, "--callback-url", "https://sso.heroku.com/saml/globex/finalize"]);
    assert!(xml.contains("Destination=\"https://sso.heroku.com/saml/globex/finalize\""));
    // The full settings name their recipient: no flag needed.
    let full = repo("tests/data/settings/full.json").display().to_string();
    let xml = ok(&["sign", "--settings", &full, "--now", NOW]);
    assert!(xml.contains("Destination=\"https://sp.example.com/acs\""));
}

#[test]
fn bad_inputs_are_one_line_and_exit_2() {
    let dir = temp("bad");
    let bad_json = write(&dir, "bad.json", "{\"audience\": ");
    let unknown_key = write(&dir, "unknown.json", r#"{"audiance": "urn:x"}"#);
    let no_email = write(&dir, "noemail.json", r#"{"user_id": "auth0|1"}"#);
    let key = repo("tests/data/keys/rsa-2048.pkcs8.pem").display().to_string();
    let other_cert = repo("tests/data/keys/other-2048.cert.pem").display().to_string();
    for (args, expected) in [
        (vec!["sign", "--settings", "/nonexistent.json"], "cannot read /nonexistent.json"),
        (vec!["sign", "--settings", &bad_json], "bad.json"),
        (vec!["sign", "--settings", &unknown_key], "did you mean `audience`"),
        (vec!["sign", "--profile", &bad_json], "not JSON"),
        (vec!["sign", "--profile", &no_email], "claims"),
        (vec!["sign", "--key", &key, "--cert", &other_cert], "does not match"),
        (vec!["sign", "--key", &key], "--cert"),
        (vec!["sign", "--now", "yesterday"], "--now"),
        (vec!["sign", "--format", "pdf"], "pdf"),
        (vec!["sign", "--encrypt-for", "/nonexistent.pem"], "cannot read"),
        (vec!["verify", "/nonexistent.xml", "--cert", "/nonexistent.pem", "--heroku", "acme"], "cannot read"),
        (vec!["verify", "-", "--heroku", "acme"], "no IdP certificate"),
        (vec!["verify", "-", "--cert", &other_cert], "no SP"),
        (vec!["verify", "-", "--cert", &other_cert, "--audience", "urn:sp"], "--acs"),
        (vec!["verify", "-", "--cert", &key, "--heroku", "acme"], "CERTIFICATE"),
        (vec!["decode", "/nonexistent"], "cannot read"),
        (vec!["metadata"], "--sso-url"),
        (vec!["metadata", "--check", &bad_json], "not SP metadata"),
        (vec!["keygen"], "--out-dir"),
        (vec!["keygen", "--out-dir", "x", "--rsa", "1024"], "1024"),
        (vec!["keygen", "--out-dir", "x", "--days", "0"], "0"),
    ] {
        let line = usage_error(&args);
        assert!(line.contains(expected), "samlkit {args:?}: {line}");
    }
}

#[test]
fn verify_refuses_a_tampered_response_listing_why() {
    let xml = ok(&["sign", "--now", NOW]).replace("jane.doe@example.com", "mallory@example.com");
    let cert = demo_cert();
    let args = ["verify", "--cert", &cert, "--heroku", "acme", "--allow-sha1", "--now", LATER, "-"];
    let o = samlkit_with(&args, xml.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).starts_with("refused (signature): 1 check(s) failed\n- "), "{}", stderr(&o));
    let mut json_args = args.to_vec();
    json_args.insert(1, "--json");
    let o = samlkit_with(&json_args, xml.as_bytes());
    let report: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    assert_eq!(report["refused"], "signature");
    assert_eq!(report["failures"][0]["check"], "DigestMismatch");
    // Expired: every failed check is listed.
    let fresh = ok(&["sign", "--now", NOW]);
    let late = [
        "verify",
        "--json",
        "--cert",
        &cert,
        "--heroku",
        "globex",
        "--allow-sha1",
        "--now",
        "2026-11-29T15:00:00Z",
        "-",
    ];
    let o = samlkit_with(&late, fresh.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    assert_eq!(report["refused"], "validation");
    let checks: Vec<&str> =
        report["failures"].as_array().unwrap().iter().map(|f| f["check"].as_str().unwrap()).collect();
    assert!(checks.contains(&"Expired") && checks.len() >= 3, "{checks:?}");
}

#[test]
fn verify_takes_its_trust_and_its_sp_from_metadata() {
    let dir = temp("metadata");
    let idp_xml = ok(&["metadata", "--sso-url", "https://idp.example/sso", "--issuer", "urn:acme.auth0.com"]);
    let idp = write(&dir, "idp.xml", &idp_xml);
    let xml = ok(&["sign", "--now", NOW, "--issuer", "urn:acme.auth0.com"]);
    let sp = repo("tests/data/metadata/heroku-sp.xml").display().to_string();
    let args = [
        "verify",
        "--idp-metadata",
        &idp,
        "--sp-metadata",
        &sp,
        "--allow-sha1",
        "--allow-unsolicited",
        "--now",
        LATER,
        "-",
    ];
    let o = samlkit_with(&args, xml.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The metadata's entity ID is the expected issuer.
    let other = ok(&["sign", "--now", NOW, "--issuer", "urn:other"]);
    let o = samlkit_with(&args, other.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("urn:other"), "{}", stderr(&o));
    let e = usage_error(&["verify", "--idp-metadata", &idp, "--issuer", "urn:x", "--heroku", "acme", "-"]);
    assert!(e.contains("contradicts --idp-metadata"), "{e}");
    // --audience and --acs.
    let cert = demo_cert();
    let explicit = [
        "verify",
        "--cert",
        &cert,
        "--audience",
        "https://sso.heroku.com/saml/acme",
        "--acs",
        "https://sso.heroku.com/saml/acme/finalize",
        "--allow-sha1",
        "--allow-unsolicited",
        "--now",
        LATER,
        "-",
    ];
    assert_eq!(samlkit_with(&explicit, xml.as_bytes()).status.code(), Some(0));
}

#[test]
fn metadata_is_written_signed_and_read_back() {
    let xml = ok(&["metadata", "--sso-url", "https://idp.example/sso", "--slo-url", "https://idp.example/slo"]);
    assert!(xml.contains("<IDPSSODescriptor") && xml.contains("https://idp.example/slo"), "{xml}");
    assert!(!xml.contains("Signature"));
    let signed = ok(&["metadata", "--sso-url", "https://idp.example/sso", "--sign"]);
    assert!(signed.contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"), "{signed}");
    let dir = temp("check");
    let idp = write(&dir, "idp.xml", &signed);
    let report = ok(&["metadata", "--check", &idp]);
    assert!(report.starts_with("IdP metadata: urn:samlkit-demo.example (signed"), "{report}");
    assert!(
        report
            .contains("SingleSignOnService urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect https://idp.example/sso")
    );
    assert!(report.contains("signing certificate: SHA-256 "), "{report}");
    let sp = repo("tests/data/metadata/heroku-sp.xml").display().to_string();
    let report = ok(&["metadata", "--check", &sp]);
    assert!(report.starts_with("SP metadata: https://sso.heroku.com/saml/acme"), "{report}");
    assert!(report.contains("responses go to: https://sso.heroku.com/saml/acme/finalize"), "{report}");
    let settings: serde_json::Value =
        serde_json::from_str(&ok(&["metadata", "--check", &sp, "--to-settings"])).unwrap();
    assert_eq!(settings["audience"], "https://sso.heroku.com/saml/acme");
    let e = usage_error(&["metadata", "--check", &idp, "--to-settings"]);
    assert!(e.contains("idp.xml"), "{e}");
}

#[test]
fn decode_reads_every_way_a_message_travels() {
    let xml = ok(&["sign", "--now", NOW]);
    let b64 = ok(&["sign", "--now", NOW, "--format", "base64"]);
    let cert = demo_cert();
    for (input, how) in [(xml.as_str(), "(XML)"), (b64.as_str(), "(base64)")] {
        let o = samlkit_with(&["decode", "-"], input.as_bytes());
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(out.contains(&format!("message:      Response {how}")), "{out}");
        assert!(out.contains("\n  <saml:Assertion"), "indented: {out}");
        assert!(out.contains("Issuer:       urn:samlkit-demo.example"));
        assert!(
            out.contains("  NameID:     jane.doe@example.com (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress)")
        );
        assert!(out.contains("  Audience:   https://sso.heroku.com/saml/acme"));
        assert!(out.contains("signature on Assertion _"), "{out}");
        assert!(out.contains("http://www.w3.org/2000/09/xmldsig#rsa-sha1 / http://www.w3.org/2000/09/xmldsig#sha1"));
        assert!(out.contains("  certificate: SHA-256 "));
        assert!(!out.contains("check:"), "no trust decision without --cert");
    }
    let o = samlkit_with(&["decode", "--summary", "--cert", &cert, "-"], xml.as_bytes());
    assert!(stdout(&o).contains("  check:       valid, by --cert #1"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("<saml:Assertion"));
    let tampered = xml.replace("jane.doe@example.com", "mallory@example.com");
    let o = samlkit_with(&["decode", "--summary", "--cert", &cert, "-"], tampered.as_bytes());
    assert!(stdout(&o).contains("  check:       INVALID: "), "{}", stdout(&o));
    // A Redirect URL, as a browser carries an AuthnRequest.
    let request = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-11-28T15:00:00Z" Destination="https://idp.example/sso"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.heroku.com/saml/acme</saml:Issuer></samlp:AuthnRequest>"#;
    let query =
        samlkit::binding::redirect::encode(samlkit::binding::redirect::MessageKind::Request, request, Some("rs"), None)
            .unwrap();
    let out = ok(&["decode", "--summary", &format!("https://idp.example/sso?{query}")]);
    assert!(out.contains("message:      AuthnRequest (HTTP-Redirect"), "{out}");
    assert!(
        out.contains("ID:           _r1") && out.contains("Issuer:       https://sso.heroku.com/saml/acme"),
        "{out}"
    );
    assert!(out.contains("signatures:   none"));
    for garbage in ["not base64 at all!", "aGVsbG8="] {
        let o = samlkit_with(&["decode", "-"], garbage.as_bytes());
        assert_eq!(o.status.code(), Some(2), "{garbage}");
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
}

#[test]
fn keygen_makes_keys_that_sign() {
    for (name, kind, settings) in [
        ("rsa", ["--rsa", "3072"], None),
        (
            "ec",
            ["--ec", "p256"],
            Some(
                r#"{"audience": "https://sso.heroku.com/saml/acme", "signatureAlgorithm": "ecdsa-sha256", "digestAlgorithm": "sha256", "nameIdentifierFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "nameIdentifierProbes": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]}"#,
            ),
        ),
    ] {
        let dir = temp(&format!("keygen-{name}"));
        let out = dir.join("idp");
        let o = samlkit(&[
            "keygen",
            "--out-dir",
            out.to_str().unwrap(),
            kind[0],
            kind[1],
            "--cn",
            "acme.example",
            "--days",
            "30",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (key, cert) = (out.join("key.pem"), out.join("cert.pem"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let certificate = samlkit::Certificate::from_pem_or_der(&std::fs::read(&cert).unwrap()).unwrap();
        assert_eq!(certificate.subject(), "CN=acme.example");
        let days = (certificate.not_after() - certificate.not_before()).num_days();
        assert!((30..=31).contains(&days), "{days}");
        let (key, cert) = (key.to_str().unwrap(), cert.to_str().unwrap());
        let mut args = vec!["sign", "--key", key, "--cert", cert, "--heroku", "acme", "--now", NOW];
        let settings_file;
        if let Some(s) = settings {
            settings_file = write(&dir, "s.json", s);
            args.extend(["--settings", &settings_file]);
        }
        let o = samlkit(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stderr(&o).contains("demo key"));
        let verify = ["verify", "--cert", cert, "--heroku", "acme", "--allow-sha1", "--now", LATER, "-"];
        let v = samlkit_with(&verify, &o.stdout);
        assert_eq!(v.status.code(), Some(0), "{name}: {}", stderr(&v));
        // Keys are never replaced.
        let e = usage_error(&["keygen", "--out-dir", out.to_str().unwrap()]);
        assert!(e.contains("exists"), "{e}");
    }
}

#[test]
fn xmlsec1_accepts_what_sign_writes() {
    // xmlsec1 is installed by .ci/run; without it this test says so and fails.
    let dir = temp("xmlsec1");
    let cert = demo_cert();
    let full = repo("tests/data/settings/full.json").display().to_string();
    let seed = repo("tests/data/settings/heroku-seed.json").display().to_string();
    let profile = repo("tests/data/profiles/full-auth0.json").display().to_string();
    for (name, args) in [
        ("heroku", vec![]),
        ("seed", vec!["--settings", &seed, "--heroku", "acme"]),
        ("full", vec!["--settings", &full, "--profile", &profile]),
    ] {
        let file = dir.join(format!("{name}.xml"));
        let mut all = vec!["sign", "--out", file.to_str().unwrap()];
        all.extend(args);
        ok(&all);
        let o = xmlsec1_verify(&cert, &file);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        // A test that can fail: xmlsec1 refuses the tampered copy.
        let tampered = dir.join(format!("{name}-tampered.xml"));
        std::fs::write(
            &tampered,
            std::fs::read_to_string(&file).unwrap().replace("jane.doe@example.com", "eve@example.com"),
        )
        .unwrap();
        let o = xmlsec1_verify(&cert, &tampered);
        assert!(!o.status.success(), "{name}: xmlsec1 accepted a tampered response");
    }
    // ECDSA P-256 (ecdsa-sha256).
    let ec = repo("tests/data/settings/heroku-ecdsa.json").display().to_string();
    let (ec_key, ec_cert) = (repo("tests/data/keys/ec-p256.sec1.pem"), repo("tests/data/keys/ec-p256.cert.pem"));
    let file = dir.join("ecdsa.xml");
    ok(&[
        "sign",
        "--settings",
        &ec,
        "--heroku",
        "acme",
        "--key",
        ec_key.to_str().unwrap(),
        "--cert",
        ec_cert.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&file).unwrap().contains("xmldsig-more#ecdsa-sha256"));
    let o = xmlsec1_verify(ec_cert.to_str().unwrap(), &file);
    assert!(o.status.success(), "ecdsa: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn encrypted_responses_decrypt_with_xmlsec1_and_verify_with_the_sp_key() {
    let dir = temp("encrypted");
    let file = dir.join("enc.xml");
    let sp_cert = repo("tests/data/keys/other-2048.cert.pem").display().to_string();
    let sp_key = repo("tests/data/keys/other-2048.pkcs8.pem").display().to_string();
    ok(&["sign", "--now", NOW, "--encrypt-for", &sp_cert, "--out", file.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.contains("<saml:EncryptedAssertion ") && !xml.contains("jane.doe@example.com"));
    let o = Command::new("xmlsec1").args(["--decrypt", "--privkey-pem", &sp_key]).arg(&file).output().expect("xmlsec1");
    assert!(
        o.status.success() && String::from_utf8_lossy(&o.stdout).contains("jane.doe@example.com"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cert = demo_cert();
    let path = file.to_str().unwrap();
    let verify =
        ["verify", "--cert", &cert, "--heroku", "acme", "--allow-sha1", "--now", LATER, "--decrypt-key", &sp_key, path];
    let json: serde_json::Value = serde_json::from_str(&ok(&verify)).unwrap();
    assert_eq!(json["encryption"], "aes256-gcm");
    assert_eq!(json["name_id"]["value"], "jane.doe@example.com");
    let wrong_key = repo("tests/data/keys/rsa-2048.pkcs8.pem").display().to_string();
    let mut wrong = verify;
    wrong[9] = &wrong_key;
    let o = samlkit(&wrong);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("refused (encryption)"), "{}", stderr(&o));
    for (cert, expected) in [("rsa-1024.cert.pem", "1024"), ("ec-p256.cert.pem", "RSA")] {
        let c = repo(&format!("tests/data/keys/{cert}")).display().to_string();
        let e = usage_error(&["sign", "--encrypt-for", &c]);
        assert!(e.contains(expected), "{cert}: {e}");
    }
}
