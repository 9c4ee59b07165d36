//! Apache Santuario (Debian `libxml-security-java`) through a small Java program compiled here:
//! a third independent XML-DSig and exclusive-c14n implementation (Java, no libxml2).

use crate::common::{check, matrix, peers_dir, samlkit_validates};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const JARS: [&str; 3] =
    ["/usr/share/java/xmlsec.jar", "/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"];

/// Compiles `interop/peers/java/SantuarioPeer.java` once; returns the class folder.
fn classes() -> &'static PathBuf {
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    CLASSES.get_or_init(|| {
        for jar in JARS {
            assert!(Path::new(jar).exists(), "{jar} is missing: apt-get install libxml-security-java libslf4j-java");
        }
        let dir = std::env::temp_dir().join(format!("samlkit-interop-java-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("javac")
            .args(["-cp", JARS[0], "-d"])
            .arg(&dir)
            .arg(peers_dir().join("java/SantuarioPeer.java"))
            .output()
            .expect("javac is needed (a JDK 17)");
        assert!(out.status.success(), "javac failed:\n{}", String::from_utf8_lossy(&out.stderr));
        dir
    })
}

/// Runs `SantuarioPeer MODE LIST RESULTS` over `lines` (tab-separated); returns per-line results
/// as `{name, ok, error}` and the time taken.
pub fn santuario(mode: &str, lines: &[String]) -> (Vec<Value>, Duration) {
    let classes = classes();
    let dir = &matrix().dir;
    let list = dir.join(format!("santuario-{mode}.tsv"));
    let results = dir.join(format!("santuario-{mode}-results.tsv"));
    std::fs::write(&list, lines.join("\n")).unwrap();
    let classpath = std::iter::once(classes.display().to_string())
        .chain(JARS.iter().map(|j| (*j).to_owned()))
        .collect::<Vec<_>>()
        .join(":");
    let started = Instant::now();
    let out = Command::new("java")
        .args(["-cp", &classpath, "SantuarioPeer", mode])
        .arg(&list)
        .arg(&results)
        .output()
        .expect("java is needed (a JRE 17)");
    let took = started.elapsed();
    assert!(out.status.success(), "SantuarioPeer {mode} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let parsed = std::fs::read_to_string(&results)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            json!({"name": f[0], "ok": f[1] == "ok", "error": f.get(2).filter(|e| !e.is_empty())})
        })
        .collect();
    (parsed, took)
}

fn signed_ids(d: &Value) -> String {
    // The Assertion first: when both are signed, the Response's signature covers the Assertion's.
    let mut signed: Vec<&Value> = d["signed"].as_array().unwrap().iter().collect();
    signed.sort_by_key(|s| s["element"] != "Assertion");
    signed.iter().map(|s| s["id"].as_str().unwrap()).collect::<Vec<_>>().join(",")
}

#[test]
fn santuario_verifies_the_matrix() {
    let (_, docs) = matrix().manifest_for("santuario", |_| true);
    let lines: Vec<String> = docs
        .iter()
        .map(|d| {
            format!(
                "{}\t{}\t{}\t{}",
                d["name"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["cert"].as_str().unwrap(),
                signed_ids(d)
            )
        })
        .collect();
    let (results, took) = santuario("verify", &lines);
    check("santuario", &docs, &Value::Array(results), took);
}

#[test]
fn samlkit_verifies_santuario_signatures() {
    let m = matrix();
    let out_dir = m.dir.join("santuario-signed");
    std::fs::create_dir_all(&out_dir).unwrap();
    let docs: Vec<&Value> = m.documents.iter().filter(|d| d["expect"] == "accept" && d["bits"] == 2048).collect();
    let mut files = Vec::new();
    let lines: Vec<String> = docs
        .iter()
        .map(|d| {
            let name = d["name"].as_str().unwrap();
            let out = out_dir.join(format!("{name}.xml"));
            files.push(out.clone());
            format!(
                "{name}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                d["file"].as_str().unwrap(),
                d["key"].as_str().unwrap(),
                d["cert"].as_str().unwrap(),
                d["signature_uri"].as_str().unwrap(),
                d["digest_uri"].as_str().unwrap(),
                signed_ids(d),
                out.display()
            )
        })
        .collect();
    let (results, _) = santuario("sign", &lines);
    let signed: Vec<Value> = results
        .iter()
        .zip(files)
        .map(|(r, file)| json!({"name": r["name"], "file": if r["ok"] == true { json!(file) } else { Value::Null }, "error": r["error"]}))
        .collect();
    samlkit_validates("santuario", &Value::Array(signed));
}
