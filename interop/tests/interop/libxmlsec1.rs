//! libxmlsec1, in process through the `xmlsec` crate and as the `xmlsec1` command.

use crate::common::{check, matrix};
use libxml::parser::Parser;
use libxml::xpath::Context;
use serde_json::{Value, json};
use std::process::Command;
use std::time::Instant;
use xmlsec::{XmlSecDocumentExt as _, XmlSecKey, XmlSecKeyFormat, XmlSecSignatureContext};

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Verifies every signature of the document with libxmlsec1 (the certificate's key pinned);
/// Ok(number verified) or the first failure.
fn verify_in_process(xml: &str, cert_pem: &[u8], expected: usize) -> Result<usize, String> {
    let doc = Parser::default().parse_string(xml).map_err(|e| format!("parse: {e:?}"))?;
    doc.specify_idattr("//saml:Assertion", "ID", Some(&[("saml", SAML)])).map_err(|e| format!("{e:?}"))?;
    doc.specify_idattr("//samlp:Response", "ID", Some(&[("samlp", SAMLP)])).map_err(|e| format!("{e:?}"))?;
    let mut ctx = Context::new(&doc).map_err(|()| "xpath context")?;
    ctx.register_namespace("ds", DSIG).map_err(|()| "namespace")?;
    let signatures = ctx.findnodes("//ds:Signature", None).map_err(|()| "xpath")?;
    if signatures.len() != expected {
        return Err(format!("{} signatures, expected {expected}", signatures.len()));
    }
    for (i, node) in signatures.iter().enumerate() {
        let key =
            XmlSecKey::from_memory(cert_pem, XmlSecKeyFormat::CertPem, None).map_err(|e| format!("key: {e:?}"))?;
        let mut sig = XmlSecSignatureContext::new();
        sig.insert_key(key);
        match sig.verify_node(node) {
            Ok(true) => {}
            Ok(false) => return Err(format!("signature {i} does not verify")),
            Err(e) => return Err(format!("signature {i}: {e:?}")),
        }
    }
    Ok(signatures.len())
}

#[test]
fn libxmlsec1_in_process_verifies_the_matrix() {
    let m = matrix();
    let (_, docs) = m.manifest_for("xmlsec-crate", |_| true);
    let started = Instant::now();
    let mut results = Vec::new();
    for d in &docs {
        let xml = std::fs::read_to_string(d["file"].as_str().unwrap()).unwrap();
        let cert = std::fs::read(d["cert"].as_str().unwrap()).unwrap();
        let expected = d["signed"].as_array().unwrap().len();
        let r = verify_in_process(&xml, &cert, expected);
        results.push(json!({"name": d["name"], "ok": r.is_ok(), "error": r.err()}));
    }
    check("xmlsec-crate", &docs, &Value::Array(results), started.elapsed());
}

fn xpath_for(element: &str) -> &'static str {
    match element {
        "Response" => "/*[local-name()='Response']/*[local-name()='Signature']",
        _ => "//*[local-name()='Assertion']/*[local-name()='Signature']",
    }
}

/// `xmlsec1 --verify` for one signature (the command checks one Signature per run).
fn xmlsec1_verifies(file: &str, cert: &str, element: &str) -> Result<(), String> {
    let out = Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem", cert, "--enabled-key-data", "key-name"])
        .args(["--id-attr:ID", &format!("{SAML}:Assertion"), "--id-attr:ID", &format!("{SAMLP}:Response")])
        .args(["--node-xpath", xpath_for(element), file])
        .output()
        .expect("the xmlsec1 command is needed: apt-get install xmlsec1");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").into())
    }
}

#[test]
fn xmlsec1_command_verifies_the_matrix() {
    let m = matrix();
    let (_, docs) = m.manifest_for("xmlsec1", |_| true);
    let started = Instant::now();
    let mut results: Vec<Value> = Vec::new();
    for d in &docs {
        let file = d["file"].as_str().unwrap();
        let cert = d["cert"].as_str().unwrap();
        let mut error = None;
        for s in d["signed"].as_array().unwrap() {
            if let Err(e) = xmlsec1_verifies(file, cert, s["element"].as_str().unwrap()) {
                error = Some(format!("{} signature: {e}", s["element"]));
                break;
            }
        }
        results.push(json!({"name": d["name"], "ok": error.is_none(), "error": error}));
    }
    check("xmlsec1", &docs, &Value::Array(results), started.elapsed());
}
