//! Exclusive c14n conformance against two more independent implementations: Apache Santuario
//! (Java) and xml-crypto (JavaScript). (libxml2, through lxml, is `tests/c14n_interop.rs` in the
//! library crate.) Inputs: the W3C examples of `tests/data/c14n/` and a generated corpus (the
//! library's `tests/common/xmlgen.rs`: namespaces declared at odd places, prefixes redefined,
//! default namespace undeclared, attributes in several namespaces) with InclusiveNamespaces
//! PrefixLists, comments on and off, and an apex anywhere. samlkit's bytes must equal each peer's.

#[path = "../../../tests/common/xmlgen.rs"]
mod xmlgen;

use crate::common::{append_report, matrix, peers_dir, workspace};
use crate::java::santuario;
use samlkit::low_level::{C14nOptions, canonicalize};
use samlkit::low_level::{Document, NodeId, ParseLimits};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const SEEDS: u64 = 500;

struct Case {
    name: String,
    input: PathBuf,
    apex: Option<String>,
    prefixes: Vec<String>,
    comments: bool,
}

fn elements(doc: &Document) -> Vec<NodeId> {
    doc.descendants(doc.root()).filter(|&n| doc.element(n).is_some()).collect()
}

fn ours(case: &Case) -> Vec<u8> {
    let xml = std::fs::read_to_string(&case.input).unwrap();
    let doc = Document::parse(&xml, &ParseLimits::default()).unwrap();
    let apex = match &case.apex {
        None => doc.root(),
        Some(local) => *elements(&doc).iter().find(|&&n| doc.element(n).unwrap().local_name() == local).unwrap(),
    };
    let options =
        C14nOptions { with_comments: case.comments, inclusive_prefixes: case.prefixes.clone(), ..Default::default() };
    let mut out = Vec::new();
    canonicalize(&doc, apex, &options, &mut out);
    out
}

/// One directory per peer: the two tests run in parallel, and a shared directory let one test
/// rewrite an input while the other was reading it (a CI failure on 2026-12-01).
fn dir(peer: &str) -> PathBuf {
    matrix().dir.join("c14n").join(peer)
}

fn cases(peer: &str) -> Vec<Case> {
    let dir = dir(peer);
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = workspace().join("tests/data/c14n");
    let mut cases = Vec::new();
    let mut fixture = |file: &str, apex: Option<&str>, prefixes: &str, comments: bool| {
        cases.push(Case {
            name: format!("{file}-{}-{}-{comments}", apex.unwrap_or("root"), prefixes.replace(' ', "+")),
            input: fixtures.join(file),
            apex: apex.map(str::to_owned),
            prefixes: prefixes.split_whitespace().map(str::to_owned).collect(),
            comments,
        });
    };
    fixture("exc-2.1.xml", Some("elem1"), "", false);
    for file in ["exc-2.2-first.xml", "exc-2.2-second.xml"] {
        fixture(file, Some("elem2"), "", false);
        fixture(file, Some("elem2"), "n0 n2", false);
    }
    for file in ["c14n-3.1.xml", "c14n-3.2.xml", "c14n-3.3.xml", "c14n-3.4.xml"] {
        fixture(file, None, "", false);
        fixture(file, None, "", true);
    }
    for seed in 0..SEEDS {
        let xml = xmlgen::generate(seed);
        let input = dir.join(format!("gen-{seed}.xml"));
        std::fs::write(&input, &xml).unwrap();
        let doc = Document::parse(&xml, &ParseLimits::default()).unwrap();
        let els = elements(&doc);
        let mut rng = xmlgen::Rng::new(seed ^ 0x5A47);
        let apex =
            if rng.chance(40) { None } else { Some(doc.element(rng.pick(&els)).unwrap().local_name().to_owned()) };
        // Not `#default`: see tests/data/c14n/README.md (libxml2 and most signers ignore it).
        let prefixes = ["p", "q", "r", "s", "xml"].into_iter().filter(|_| rng.chance(20)).map(str::to_owned).collect();
        cases.push(Case { name: format!("gen-{seed}"), input, apex, prefixes, comments: rng.chance(50) });
    }
    cases
}

fn lines(cases: &[Case], peer: &str) -> Vec<String> {
    cases
        .iter()
        .map(|c| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                c.name,
                c.input.display(),
                c.apex.as_deref().unwrap_or("-"),
                if c.prefixes.is_empty() { "-".to_owned() } else { c.prefixes.join(" ") },
                u8::from(c.comments),
                out_file(c, peer).display()
            )
        })
        .collect()
}

fn out_file(case: &Case, peer: &str) -> PathBuf {
    dir(peer).join(format!("{}.{peer}.out", case.name))
}

fn compare(peer: &str, cases: &[Case], results: &[(String, bool, String)], took: std::time::Duration) {
    let mut failures = Vec::new();
    for (case, (name, ok, error)) in cases.iter().zip(results) {
        assert_eq!(&case.name, name);
        if !ok {
            failures.push(format!("{name}: {peer} failed: {error}"));
            continue;
        }
        let theirs = std::fs::read(out_file(case, peer)).unwrap();
        let mine = ours(case);
        if theirs != mine {
            failures.push(format!(
                "{name} ({}, apex {:?}, prefixes {:?}, comments {}):\n  samlkit: {}\n  {peer}: {}",
                case.input.display(),
                case.apex,
                case.prefixes,
                case.comments,
                String::from_utf8_lossy(&mine),
                String::from_utf8_lossy(&theirs)
            ));
        }
    }
    let fixtures = cases.iter().filter(|c| !c.name.starts_with("gen-")).count();
    let summary = format!(
        "c14n {peer}: {} cases ({fixtures} W3C fixtures, {} generated) in {took:.1?}: {} identical\n",
        cases.len(),
        cases.len() - fixtures,
        cases.len() - failures.len()
    );
    println!("{summary}");
    append_report(&summary);
    assert!(failures.is_empty(), "c14n {peer}: {} difference(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn exclusive_c14n_matches_santuario() {
    let cases = cases("santuario");
    let (results, took) = santuario("c14n", &lines(&cases, "santuario"));
    let results: Vec<(String, bool, String)> = results
        .iter()
        .map(|r| {
            (r["name"].as_str().unwrap().to_owned(), r["ok"] == true, r["error"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    compare("santuario", &cases, &results, took);
}

#[test]
fn exclusive_c14n_matches_xml_crypto() {
    // xml-crypto 6 does not implement processing instructions (it throws "Unable to exclusive
    // canonicalize node type: 7", or writes only the PI's data; SAML messages carry none): it gets
    // the same corpus with the PIs (other than the XML declaration) removed, and so does samlkit.
    let mut cases = cases("xml-crypto");
    let mut stripped = 0;
    for c in &mut cases {
        let xml = std::fs::read_to_string(&c.input).unwrap();
        let mut out = String::with_capacity(xml.len());
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<?") {
            let end = i + rest[i..].find("?>").unwrap() + 2;
            out.push_str(&rest[..i]);
            if rest[i..].starts_with("<?xml ") {
                out.push_str(&rest[i..end]);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        if out != xml {
            stripped += 1;
            let name = c.input.file_name().unwrap().to_string_lossy().replace(".xml", ".no-pi.xml");
            c.input = dir("xml-crypto").join(name);
            std::fs::write(&c.input, out).unwrap();
        }
    }
    let note = format!("c14n xml-crypto: processing instructions removed from {stripped} of {} inputs\n", cases.len());
    println!("{note}");
    append_report(&note);
    let list = matrix().dir.join("xml-crypto-c14n.tsv");
    let out = matrix().dir.join("xml-crypto-c14n-results.tsv");
    std::fs::write(&list, lines(&cases, "xml-crypto").join("\n")).unwrap();
    let started = Instant::now();
    let status = Command::new("node")
        .arg(peers_dir().join("node/xmlcrypto-c14n.js"))
        .arg(&list)
        .arg(&out)
        .status()
        .expect("node is needed");
    assert!(status.success(), "xmlcrypto-c14n.js failed");
    let took = started.elapsed();
    let results: Vec<(String, bool, String)> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            (f[0].to_owned(), f[1] == "ok", f.get(2).copied().unwrap_or("").to_owned())
        })
        .collect();
    compare("xml-crypto", &cases, &results, took);
}
