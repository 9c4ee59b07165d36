//! Interop of HTTP-Redirect query signatures with the `openssl` command: a signature made by
//! samlkit verifies with `openssl dgst -verify` over the signed query bytes, and one made by
//! `openssl dgst -sign` verifies in samlkit. `#[ignore]` for a plain `cargo test`; `.ci/run`
//! runs them (they fail, not skip, without `openssl`).

mod common;

use base64::Engine as _;
use common::{data, key};
use samlkit::Certificate;
use samlkit::authn_request::AuthnRequest;
use samlkit::binding::redirect::{self, MessageKind};
use samlkit::crypto::SignatureAlgorithm;
use std::path::PathBuf;
use std::process::Command;

const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.heroku.com/saml/acme</saml:Issuer></samlp:AuthnRequest>"#;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("samlkit-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn openssl(args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl command is needed: apt-get install openssl")
        .status
        .success()
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
#[ignore = "needs the openssl command"]
fn samlkit_query_signatures_verify_with_openssl() {
    let d = dir();
    let cert = d.join("cert.pem");
    let public = d.join("pub.pem");
    std::fs::write(&cert, data("keys/rsa-2048.cert.pem")).unwrap();
    assert!(openssl(&["x509", "-pubkey", "-noout", "-in", cert.to_str().unwrap(), "-out", public.to_str().unwrap()]));
    for (alg, digest) in [
        (SignatureAlgorithm::RsaSha1, "-sha1"),
        (SignatureAlgorithm::RsaSha256, "-sha256"),
        (SignatureAlgorithm::RsaSha384, "-sha384"),
        (SignatureAlgorithm::RsaSha512, "-sha512"),
    ] {
        let q = redirect::encode(MessageKind::Request, REQUEST, Some("state"), Some((&key(2048), alg))).unwrap();
        let (signed, signature) = q.split_once("&Signature=").unwrap();
        let sig = base64::engine::general_purpose::STANDARD.decode(percent_decode(signature)).unwrap();
        let (data_file, sig_file) = (d.join("signed.txt"), d.join("sig.bin"));
        std::fs::write(&data_file, signed).unwrap();
        std::fs::write(&sig_file, &sig).unwrap();
        let verify = [
            "dgst",
            digest,
            "-verify",
            public.to_str().unwrap(),
            "-signature",
            sig_file.to_str().unwrap(),
            data_file.to_str().unwrap(),
        ];
        assert!(openssl(&verify), "openssl rejects samlkit's {alg} query signature");
        // One changed byte of the signed query: openssl refuses.
        std::fs::write(&data_file, signed.replace("state", "statf")).unwrap();
        assert!(!openssl(&verify), "openssl accepted a tampered query");
    }
}

#[test]
#[ignore = "needs the openssl command"]
fn openssl_query_signatures_verify_in_samlkit() {
    let d = dir();
    let key_file = d.join("key.pem");
    std::fs::write(&key_file, data("keys/rsa-2048.pkcs8.pem")).unwrap();
    let unsigned = redirect::encode(MessageKind::Request, REQUEST, Some("state"), None).unwrap();
    let signed = format!("{unsigned}&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256");
    let (data_file, sig_file) = (d.join("to-sign.txt"), d.join("openssl-sig.bin"));
    std::fs::write(&data_file, &signed).unwrap();
    assert!(openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        key_file.to_str().unwrap(),
        "-out",
        sig_file.to_str().unwrap(),
        data_file.to_str().unwrap()
    ]));
    let sig = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&sig_file).unwrap());
    let sig = sig.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let query = format!("{signed}&Signature={sig}");
    let policy =
        samlkit::TrustPolicy::new(vec![Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()]);
    let (request, relay_state) = AuthnRequest::from_redirect(&query, &policy).unwrap();
    assert!(request.signed);
    assert_eq!(relay_state.as_deref(), Some("state"));
    assert!(AuthnRequest::from_redirect(&query.replace("state", "statf"), &policy).is_err());
}

/// A DER ECDSA signature (`SEQUENCE { INTEGER r, INTEGER s }`, as `openssl dgst -sign` writes
/// it) as XML-DSig's `r || s`, each padded to `size` bytes.
fn der_to_raw(der: &[u8], size: usize) -> Vec<u8> {
    let mut at = 2 + usize::from(der[1] & 0x80 != 0) * usize::from(der[1] & 0x7f);
    let mut out = Vec::new();
    for _ in 0..2 {
        assert_eq!(der[at], 0x02, "INTEGER");
        let len = usize::from(der[at + 1]);
        let int = &der[at + 2..at + 2 + len];
        let int = &int[int.len().saturating_sub(size)..];
        out.extend(std::iter::repeat_n(0, size - int.len()));
        out.extend_from_slice(int);
        at += 2 + len;
    }
    out
}

#[test]
#[ignore = "needs the openssl command"]
fn openssl_ecdsa_query_signatures_verify_in_samlkit_on_both_curves_and_every_hash() {
    let d = dir();
    for (curve, size) in [("p256", 32), ("p384", 48)] {
        let key_file = d.join(format!("ec-{curve}.pem"));
        std::fs::write(&key_file, data(&format!("keys/ec-{curve}.pkcs8.pem"))).unwrap();
        let cert = Certificate::from_pem_or_der(&data(&format!("keys/ec-{curve}.cert.pem"))).unwrap();
        let policy = samlkit::TrustPolicy::new(vec![cert]);
        for (alg, digest) in [
            (SignatureAlgorithm::EcdsaSha256, "-sha256"),
            (SignatureAlgorithm::EcdsaSha384, "-sha384"),
            (SignatureAlgorithm::EcdsaSha512, "-sha512"),
        ] {
            let unsigned = redirect::encode(MessageKind::Request, REQUEST, Some("state"), None).unwrap();
            let sig_alg = alg.uri().replace(':', "%3A").replace('/', "%2F").replace('#', "%23");
            let signed = format!("{unsigned}&SigAlg={sig_alg}");
            let (data_file, sig_file) = (d.join("ec-to-sign.txt"), d.join("ec-sig.der"));
            std::fs::write(&data_file, &signed).unwrap();
            let key = key_file.to_str().unwrap();
            let (sig, input) = (sig_file.to_str().unwrap(), data_file.to_str().unwrap());
            assert!(openssl(&["dgst", digest, "-sign", key, "-out", sig, input]));
            let raw = der_to_raw(&std::fs::read(&sig_file).unwrap(), size);
            let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
            let query =
                format!("{signed}&Signature={}", b64.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"));
            let (request, _) =
                AuthnRequest::from_redirect(&query, &policy).unwrap_or_else(|e| panic!("{curve} {alg}: {e}"));
            assert!(request.signed);
            assert!(AuthnRequest::from_redirect(&query.replace("state", "statf"), &policy).is_err(), "{curve} {alg}");
        }
    }
}

/// A query signed with a 1024-bit RSA key: refused under the default trust policy, accepted
/// with `insecure_allow_rsa_1024` (samlkit cannot sign with such a key, so openssl does).
#[test]
#[ignore = "needs the openssl command"]
fn a_query_signed_with_a_1024_bit_key_needs_the_opt_in() {
    let d = dir();
    let key_file = d.join("rsa-1024.pem");
    std::fs::write(&key_file, data("keys/rsa-1024.pkcs8.pem")).unwrap();
    let unsigned = redirect::encode(MessageKind::Request, REQUEST, None, None).unwrap();
    let signed = format!("{unsigned}&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256");
    let (data_file, sig_file) = (d.join("small-to-sign.txt"), d.join("small-sig.bin"));
    std::fs::write(&data_file, &signed).unwrap();
    let (key, sig, input) = (key_file.to_str().unwrap(), sig_file.to_str().unwrap(), data_file.to_str().unwrap());
    assert!(openssl(&["dgst", "-sha256", "-sign", key, "-out", sig, input]));
    let b64 = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&sig_file).unwrap());
    let query = format!("{signed}&Signature={}", b64.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"));
    let cert = Certificate::from_pem_or_der(&data("keys/rsa-1024.cert.pem")).unwrap();
    let strict = samlkit::TrustPolicy::new(vec![cert.clone()]);
    assert!(AuthnRequest::from_redirect(&query, &strict).is_err());
    let legacy = samlkit::TrustPolicy::new(vec![cert]).insecure_allow_rsa_1024();
    let (request, _) = AuthnRequest::from_redirect(&query, &legacy).unwrap();
    assert!(request.signed);
    assert!(AuthnRequest::from_redirect(&query.replace("SAMLRequest=", "SAMLRequest=A"), &legacy).is_err());
}
