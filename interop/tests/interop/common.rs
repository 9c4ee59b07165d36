//! The interop matrix: every signing mode × algorithm pair × key size × profile, generated once
//! into a temporary folder with a JSON manifest that every peer reads; and the helpers that run a
//! peer (one process over the whole manifest) and check its per-document results.

use samlkit::claims::{Claims, map_profile};
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::ids::SequentialIds;
use samlkit::metadata::IdpMetadataBuilder;
use samlkit::settings::AddonSettings;
use samlkit::{IdentityProvider, IdpKey};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The instant every document is issued at (fixed: failures are reproducible).
pub const NOW: &str = "2026-11-28T15:30:00Z";
/// The instant every peer validates at: one minute later. Peers that read the real clock
/// (python3-saml, pysaml2) run under freezegun at this instant.
pub const CHECK_AT: &str = "2026-11-28T15:31:00Z";
pub const ISSUER: &str = "urn:acme.auth0.com";
pub const AUDIENCE: &str = "https://sso.heroku.com/saml/acme";
pub const ACS: &str = "https://sso.heroku.com/saml/acme/finalize";
pub const SSO_URL: &str = "https://acme.auth0.com/samlp/AbCdEf123456";

pub const MODES: [&str; 3] = ["assertion", "response", "both"];
pub const BITS: [u32; 2] = [2048, 4096];
pub const PROFILES: [&str; 3] = ["heroku", "auth0-full", "hostile"];

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

pub fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

pub fn key(bits: u32) -> IdpKey {
    let keys = workspace().join("tests/data/keys");
    samlkit::IdpKey::from_pem_or_der_on(
        &std::fs::read(keys.join(format!("rsa-{bits}.pkcs8.pem"))).unwrap(),
        &std::fs::read(keys.join(format!("rsa-{bits}.cert.pem"))).unwrap(),
        samlkit::crypto::Backend::RustCrypto,
    )
    .unwrap()
}

/// The Python interpreter of the peers' venv (`.ci/run` makes it; `INTEROP_PYTHON` overrides).
pub fn python() -> String {
    std::env::var("INTEROP_PYTHON").unwrap_or_else(|_| "/tmp/samlkit-interop-venv/bin/python3".to_owned())
}

/// Hostile values: markup characters, quotes, non-ASCII (combining marks, CJK, astral), tabs and
/// newlines inside values, a 20 000-character value, 150 passthrough claims, a 40-value list.
pub fn hostile_profile() -> Value {
    let mut p = Map::new();
    p.insert("user_id".into(), json!("auth0|<&\"'>ünïcødé-用户-😀"));
    p.insert("email".into(), json!("o'brien+<&\">@exämple.com"));
    p.insert("name".into(), json!("Zoë \"Z\" O'Brien <script>alert('x')</script> & Co"));
    p.insert("given_name".into(), json!("line one\nline two\ttabbed"));
    p.insert("nickname".into(), json!("e\u{301}\u{1F600}\u{10FFFD}"));
    // No whitespace at the ends: python3-saml and pysaml2 strip it from values they return.
    p.insert("bio".into(), json!("Lörem <&> ïpsum \"'\" ".repeat(1000).trim_end()));
    p.insert("groups".into(), Value::Array((0..40).map(|i| json!(format!("group {i} <&\"'> ü"))).collect()));
    for i in 0..150 {
        p.insert(format!("claim_{i:03}"), json!(format!("value {i}: <a href=\"x\">&amp;</a> 'q' ß")));
    }
    Value::Object(p)
}

pub fn profile_settings(profile: &str) -> (AddonSettings, Value) {
    match profile {
        "heroku" => (
            AddonSettings::heroku("acme"),
            json!({"user_id": "auth0|1", "email": "jane.doe@example.com", "name": "Jane Doe"}),
        ),
        "auth0-full" | "hostile" => {
            // Auth0's defaults (passthrough, identities, UPN, unspecified NameID from user_id),
            // pointed at the Heroku-like SP.
            let mut s = AddonSettings::default().with_callback_url(ACS);
            s.audience = Some(AUDIENCE.into());
            let p = if profile == "hostile" {
                hostile_profile()
            } else {
                serde_json::from_slice(&std::fs::read(workspace().join("tests/data/profiles/full-auth0.json")).unwrap())
                    .unwrap()
            };
            (s, p)
        }
        _ => unreachable!(),
    }
}

pub fn apply_mode(s: &mut AddonSettings, mode: &str) {
    (s.sign_assertion, s.sign_response) = match mode {
        "assertion" => (true, false),
        "response" => (false, true),
        "both" => (true, true),
        _ => unreachable!(),
    };
}

pub fn claims_json(claims: &Claims) -> (Value, Value) {
    let attributes: Vec<Value> = claims
        .attributes
        .iter()
        .map(|a| {
            json!({
                "name": a.name,
                "name_format": a.name_format.as_ref().map(|f| f.uri()),
                "values": a.values.iter().map(|v| v.text.clone()).collect::<Vec<_>>(),
                "types": a.values.iter().map(|v| v.xsi_type.qname()).collect::<Vec<_>>(),
            })
        })
        .collect();
    (json!({"value": claims.name_id.value, "format": claims.name_id.format.uri()}), Value::Array(attributes))
}

/// Inserts `evil.` at the start of the NameID text: a change inside every signature's scope.
pub fn tamper(xml: &str) -> String {
    let at = xml.find("<saml:NameID").unwrap();
    let gt = at + xml[at..].find('>').unwrap() + 1;
    format!("{}evil.{}", &xml[..gt], &xml[gt..])
}

pub struct Matrix {
    pub dir: PathBuf,
    pub manifest: Value,
    pub documents: Vec<Value>,
}

impl Matrix {
    /// Writes a manifest holding the documents `keep` selects; returns its path.
    pub fn manifest_for(&self, peer: &str, keep: impl Fn(&Value) -> bool) -> (PathBuf, Vec<Value>) {
        let docs: Vec<Value> = self.documents.iter().filter(|d| keep(d)).cloned().collect();
        let mut m = self.manifest.clone();
        m["documents"] = Value::Array(docs.clone());
        let path = self.dir.join(format!("manifest-{peer}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        (path, docs)
    }
}

/// The whole matrix, generated once per test process.
pub fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(generate)
}

/// Removes the folders of earlier runs whose process is gone (about 100 MB each); the latest
/// run's folder stays for inspection.
fn remove_stale_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("samlkit-interop-") else { continue };
        let pid = rest.strip_prefix("java-").unwrap_or(rest);
        if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn generate() -> Matrix {
    let started = Instant::now();
    remove_stale_folders();
    let dir = std::env::temp_dir().join(format!("samlkit-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clock = FixedClock::rfc3339(NOW).unwrap();
    let mut documents = Vec::new();
    let mut keys = Map::new();
    for bits in BITS {
        let k = key(bits);
        let cert = dir.join(format!("idp-{bits}.cert.pem"));
        std::fs::write(&cert, k.certificate().to_pem()).unwrap();
        let key_file = dir.join(format!("idp-{bits}.key.pem"));
        std::fs::copy(workspace().join(format!("tests/data/keys/rsa-{bits}.pkcs8.pem")), &key_file).unwrap();
        // samlkit's own IdP metadata: python3-saml and pysaml2 read their IdP settings from it.
        let metadata = IdpMetadataBuilder::new(ISSUER)
            .sso_url(SSO_URL)
            .signing_certificate(k.certificate().clone())
            .clock(&clock)
            .build()
            .unwrap();
        let metadata_file = dir.join(format!("idp-metadata-{bits}.xml"));
        std::fs::write(&metadata_file, metadata).unwrap();
        keys.insert(
            bits.to_string(),
            json!({"cert": cert, "key": key_file, "metadata": metadata_file, "cert_b64": k.certificate().base64()}),
        );
        for profile in PROFILES {
            let (base, user) = profile_settings(profile);
            for mode in MODES {
                for sig in SignatureAlgorithm::RSA {
                    for digest in DigestAlgorithm::ALL {
                        let mut s = base.clone();
                        apply_mode(&mut s, mode);
                        (s.signature_algorithm, s.digest_algorithm) = (sig, digest);
                        let claims = map_profile(&s, &user).unwrap();
                        let name = format!("{profile}-{mode}-{}-{}-{bits}", sig.name(), digest.name());
                        let ids = SequentialIds::new(&format!("_{name}-")).unwrap();
                        let idp = IdentityProvider::new(s.clone().with_issuer(ISSUER), k.clone())
                            .unwrap_or_else(|e| panic!("{name}: {e}"))
                            .clock(Arc::new(clock))
                            .ids(Arc::new(ids));
                        let r = idp.respond(&user).build().unwrap_or_else(|e| panic!("{name}: {e}"));
                        let assertion_id = r.assertion_id.clone().unwrap();
                        let mut signed = Vec::new();
                        if s.sign_response {
                            signed.push(json!({"element": "Response", "id": r.response_id}));
                        }
                        if s.sign_assertion {
                            signed.push(json!({"element": "Assertion", "id": assertion_id}));
                        }
                        let (name_id, attributes) = claims_json(&claims);
                        let doc = json!({
                            "name": name, "profile": profile, "mode": mode, "bits": bits,
                            "signature": sig.name(), "digest": digest.name(),
                            "signature_uri": sig.uri(), "digest_uri": digest.uri(),
                            "expect": "accept", "signed": signed,
                            "response_id": r.response_id, "assertion_id": assertion_id,
                            "name_id": name_id, "attributes": attributes, "settings": s.to_json(),
                            "cert": keys[&bits.to_string()]["cert"], "key": keys[&bits.to_string()]["key"],
                            "metadata": keys[&bits.to_string()]["metadata"],
                        });
                        let file = dir.join(format!("{name}.xml"));
                        std::fs::write(&file, &r.xml).unwrap();
                        let mut doc = doc;
                        doc["file"] = json!(file);
                        // One tampered copy per profile and mode (2048 bits, rsa-sha256/sha256).
                        if bits == 2048 && sig == SignatureAlgorithm::RsaSha256 && digest == DigestAlgorithm::Sha256 {
                            let mut t = doc.clone();
                            let tname = format!("{name}-tampered");
                            let tfile = dir.join(format!("{tname}.xml"));
                            std::fs::write(&tfile, tamper(&r.xml)).unwrap();
                            (t["name"], t["file"], t["expect"]) = (json!(tname), json!(tfile), json!("reject"));
                            documents.push(doc);
                            documents.push(t);
                        } else {
                            documents.push(doc);
                        }
                    }
                }
            }
        }
    }
    let manifest = json!({
        "now": NOW, "check_at": CHECK_AT, "issuer": ISSUER, "audience": AUDIENCE, "acs": ACS,
        "sso_url": SSO_URL, "dir": dir, "keys": keys, "documents": documents,
    });
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    eprintln!("interop matrix: {} documents in {} ({:.1?})", documents.len(), dir.display(), started.elapsed());
    Matrix { dir, manifest, documents }
}

/// Runs a peer: `command manifest results`; the peer writes a JSON array of per-document
/// results (`name`, `ok`, `error`, and for service providers `name_id` and `attributes`), or an
/// object with those under `results` and what else the peer made.
pub fn run_peer(peer: &str, mut command: Command, manifest: &Path) -> (Value, Duration) {
    let results = manifest.with_file_name(format!("results-{peer}.json"));
    let started = Instant::now();
    let out = command
        .arg(manifest)
        .arg(&results)
        .output()
        .unwrap_or_else(|e| panic!("{peer}: cannot run {command:?}: {e} (install the peers with .ci/run)"));
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{peer} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read(&results).unwrap_or_else(|e| panic!("{peer}: no results file: {e}"));
    (serde_json::from_slice(&text).unwrap(), took)
}

/// A returned attribute value as text: strings as they are; typed values (pysaml2 turns
/// `xs:boolean` into a bool and `xs:double` into a float) as their XML Schema lexical form, so
/// `42.0` compares equal to the `42` that was sent.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            #[allow(clippy::cast_possible_truncation)]
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => (f as i64).to_string(),
            _ => n.to_string(),
        },
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A value as compared: numbers in their shortest form (pysaml2 returns the `xs:double` 42 as
/// "42.0"), everything else as it is.
fn normalized(text: String) -> String {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && !text.trim().is_empty() => format!("{f}"),
        _ => text,
    }
}

/// What a service provider returned for the attributes, as name → values.
fn attribute_map(v: &Value) -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    match v {
        Value::Array(items) => {
            for a in items {
                let values = a["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| normalized(x.as_str().unwrap().to_owned()))
                    .collect();
                m.insert(a["name"].as_str().unwrap().to_owned(), values);
            }
        }
        Value::Object(o) => {
            for (k, vals) in o {
                m.insert(k.clone(), vals.as_array().unwrap().iter().map(|x| normalized(value_text(x))).collect());
            }
        }
        _ => panic!("attributes: {v}"),
    }
    m
}

/// Checks a peer's results against the documents it was given: every accepted document must be
/// accepted (with the expected NameID and attributes when the peer reports them), every tampered
/// one rejected. Lists every failure at once; prints the counts per cell.
pub fn check(peer: &str, docs: &[Value], results: &Value, took: Duration) {
    let results = results.get("results").unwrap_or(results).as_array().unwrap();
    let by_name: BTreeMap<&str, &Value> = results.iter().map(|r| (r["name"].as_str().unwrap(), r)).collect();
    let mut failures = Vec::new();
    // (profile, mode, bits) -> (accepted, expected); tampered rejected / tampered.
    let mut cells: BTreeMap<(String, String, u64), (usize, usize)> = BTreeMap::new();
    let (mut rejected, mut tampered, mut pairs) = (0, 0, std::collections::BTreeSet::new());
    for d in docs {
        let name = d["name"].as_str().unwrap();
        let Some(r) = by_name.get(name) else {
            failures.push(format!("{name}: no result"));
            continue;
        };
        let ok = r["ok"].as_bool().unwrap();
        if d["expect"] == "reject" {
            tampered += 1;
            if ok {
                failures.push(format!("{name}: tampered document ACCEPTED"));
            } else {
                rejected += 1;
            }
            continue;
        }
        pairs.insert(format!("{}/{}", d["signature"].as_str().unwrap(), d["digest"].as_str().unwrap()));
        let cell = cells
            .entry((
                d["profile"].as_str().unwrap().into(),
                d["mode"].as_str().unwrap().into(),
                d["bits"].as_u64().unwrap(),
            ))
            .or_default();
        cell.1 += 1;
        if !ok {
            failures.push(format!("{name}: rejected: {}", r["error"]));
            continue;
        }
        let mut good = true;
        if let Some(name_id) = r.get("name_id").filter(|v| !v.is_null()) {
            if name_id != &d["name_id"]["value"] {
                failures.push(format!("{name}: NameID {name_id} != {}", d["name_id"]["value"]));
                good = false;
            }
        }
        if let Some(attrs) = r.get("attributes").filter(|v| !v.is_null()) {
            let (got, want) = (attribute_map(attrs), attribute_map(&d["attributes"]));
            if got != want {
                let mut diff = String::new();
                for (k, v) in &want {
                    if got.get(k) != Some(v) {
                        let short = |x: &dyn std::fmt::Debug| format!("{x:?}").chars().take(160).collect::<String>();
                        let _ = write!(diff, " [{k}: want {}, got {}]", short(v), short(&got.get(k)));
                    }
                }
                for k in got.keys().filter(|k| !want.contains_key(*k)) {
                    let _ = write!(diff, " [unexpected {k}]");
                }
                failures.push(format!("{name}: attributes differ:{diff}"));
                good = false;
            }
        }
        if good {
            cell.0 += 1;
        }
    }
    let mut summary = format!(
        "{peer}: {} documents in {took:.1?}; algorithm pairs: {}; tampered rejected {rejected}/{tampered}\n",
        docs.len(),
        pairs.into_iter().collect::<Vec<_>>().join(" ")
    );
    for ((profile, mode, bits), (ok, n)) in &cells {
        let _ = writeln!(summary, "  {peer:12} {profile:10} {mode:9} {bits}: {ok}/{n} accepted");
    }
    println!("{summary}");
    append_report(&summary);
    assert!(tampered > 0, "{peer}: no tampered document was checked");
    assert!(failures.is_empty(), "{peer}: {} failure(s):\n{}", failures.len(), failures.join("\n"));
}

/// Appends to `target/interop-report.txt` (the counts per cell and timings, for `docs/interop.md`).
pub fn append_report(text: &str) {
    use std::io::Write as _;
    let path = workspace().join("target/interop-report.txt");
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    let _ = f.write_all(text.as_bytes());
}

/// The signature and digest pairs a peer implements.
pub fn algorithms(doc: &Value, signatures: &[&str], digests: &[&str]) -> bool {
    signatures.contains(&doc["signature"].as_str().unwrap()) && digests.contains(&doc["digest"].as_str().unwrap())
}

/// Feeds documents a peer signed to samlkit's Validator (the SP: entity `AUDIENCE`, ACS `ACS`, the
/// document's certificate pinned, SHA-1 allowed, unsolicited allowed, Response-only signatures
/// allowed for Response-mode documents) at `CHECK_AT`: each must be accepted with the expected
/// NameID and attributes, and a tampered copy of each must be rejected.
pub fn samlkit_validates(peer: &str, signed: &Value) {
    use samlkit::Certificate;
    use samlkit::validate::Validator;
    use std::sync::Arc;
    let docs: BTreeMap<&str, &Value> = matrix().documents.iter().map(|d| (d["name"].as_str().unwrap(), d)).collect();
    let clock = Arc::new(FixedClock::rfc3339(CHECK_AT).unwrap());
    let (mut failures, mut accepted, mut rejected) = (Vec::new(), 0, 0);
    let mut per_mode: BTreeMap<String, usize> = BTreeMap::new();
    let signed = signed.as_array().unwrap();
    for s in signed {
        let name = s["name"].as_str().unwrap();
        let Some(file) = s["file"].as_str() else {
            failures.push(format!("{name}: {peer} could not sign: {}", s["error"]));
            continue;
        };
        let d = docs[name];
        let cert = Certificate::from_pem_or_der(&std::fs::read(d["cert"].as_str().unwrap()).unwrap()).unwrap();
        let validator = Validator::new(AUDIENCE, ACS, vec![cert])
            .unwrap()
            .clock(clock.clone())
            .allow_unsolicited(true)
            .allow_response_signature_only(d["mode"] == "response")
            .insecure_allow_sha1();
        let xml = std::fs::read_to_string(file).unwrap();
        match validator.validate(&xml) {
            Ok(a) => {
                let got: Vec<(String, Vec<String>)> =
                    a.attributes.iter().map(|x| (x.name.clone(), x.texts())).collect();
                let want: Vec<(String, Vec<String>)> = d["attributes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        (x["name"].as_str().unwrap().to_owned(), serde_json::from_value(x["values"].clone()).unwrap())
                    })
                    .collect();
                if a.name_id.value != d["name_id"]["value"].as_str().unwrap() || got != want {
                    failures.push(format!("{name}: NameID or attributes differ ({})", a.name_id.value));
                } else {
                    accepted += 1;
                    *per_mode
                        .entry(format!("{}/{}", d["profile"].as_str().unwrap(), d["mode"].as_str().unwrap()))
                        .or_default() += 1;
                }
            }
            Err(e) => failures.push(format!("{name}: samlkit rejects {peer}'s signature: {e}")),
        }
        if validator.validate(&tamper(&xml)).is_err() {
            rejected += 1;
        } else {
            failures.push(format!("{name}: samlkit accepts a tampered copy of {peer}'s document"));
        }
    }
    let mut summary = format!(
        "{peer} -> samlkit: {accepted}/{} accepted, tampered copies rejected {rejected}/{}\n",
        signed.len(),
        signed.len()
    );
    for (cell, n) in &per_mode {
        let _ = writeln!(summary, "  {peer} -> samlkit {cell}: {n}");
    }
    println!("{summary}");
    append_report(&summary);
    assert!(!signed.is_empty(), "{peer} signed nothing");
    assert!(failures.is_empty(), "{peer} -> samlkit: {} failure(s):\n{}", failures.len(), failures.join("\n"));
}
