//! Shared test helpers: test keys, and an independent check of samlkit's signatures built on the
//! general exclusive-c14n implementation (not on the writer's canonical text).
#![allow(dead_code)]

pub mod hostile;
pub mod xmlgen;
#[allow(unused_imports)]
pub use xmlgen::{Rng, generate};

use base64::Engine as _;
use rsa::pkcs8::DecodePublicKey as _;
use samlkit::IdpKey;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::low_level::ns;
use samlkit::low_level::{C14nOptions, canonicalize};
use samlkit::low_level::{Document, NodeId, ParseLimits};

pub fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn key(bits: u32) -> IdpKey {
    samlkit::IdpKey::from_pem_or_der_on(
        &data(&format!("keys/rsa-{bits}.pkcs8.pem")),
        &data(&format!("keys/rsa-{bits}.cert.pem")),
        samlkit::crypto::Backend::RustCrypto,
    )
    .unwrap()
}

/// The document, owning a copy of its text (so a test may parse a temporary).
pub fn parse(xml: &str) -> Document<'static> {
    let limits = ParseLimits { max_bytes: 16 << 20, ..ParseLimits::default() };
    Document::parse(xml, &limits).unwrap().into_owned()
}

/// Every `ds:Signature` element of the document, in document order.
pub fn signatures(doc: &Document) -> Vec<NodeId> {
    doc.descendants(doc.root()).filter(|&id| doc.element(id).is_some_and(|e| e.is(ns::DSIG, "Signature"))).collect()
}

fn child(doc: &Document, parent: NodeId, local: &str) -> NodeId {
    doc.children_named(parent, ns::DSIG, local).next().unwrap_or_else(|| panic!("no ds:{local}"))
}

fn algorithm(doc: &Document, parent: NodeId, local: &str) -> String {
    doc.element(child(doc, parent, local)).unwrap().attribute(None, "Algorithm").unwrap().to_owned()
}

/// What one signature says about itself.
#[derive(Debug)]
pub struct Checked {
    pub signed_element: String,
    pub signature: SignatureAlgorithm,
    pub digest: DigestAlgorithm,
    /// The general c14n of the signed element (Signature excluded).
    pub canonical: Vec<u8>,
}

/// Checks a signature independently: the general c14n of the enclosing element (minus the
/// Signature) must digest to DigestValue, and the general c14n of SignedInfo must verify under
/// the certificate in KeyInfo with RSA PKCS#1 v1.5. Panics with a message on any mismatch.
pub fn check_signature(doc: &Document, signature: NodeId) -> Checked {
    let parent = doc.parent(signature).unwrap();
    let parent_el = doc.element(parent).unwrap();
    let signed_info = child(doc, signature, "SignedInfo");
    let reference = child(doc, signed_info, "Reference");
    let uri = doc.element(reference).unwrap().attribute(None, "URI").unwrap();
    assert_eq!(uri, format!("#{}", parent_el.attribute(None, "ID").unwrap()), "Reference URI");
    let digest = DigestAlgorithm::from_uri(&algorithm(doc, reference, "DigestMethod")).unwrap();
    let sig_alg = SignatureAlgorithm::from_uri(&algorithm(doc, signed_info, "SignatureMethod")).unwrap();
    assert_eq!(algorithm(doc, signed_info, "CanonicalizationMethod"), ns::EXC_C14N);

    let mut canonical = Vec::new();
    canonicalize(doc, parent, &C14nOptions { exclude: Some(signature), ..C14nOptions::default() }, &mut canonical);
    let b64 = base64::engine::general_purpose::STANDARD;
    let digest_value = b64.decode(doc.text_content(child(doc, reference, "DigestValue")).as_bytes()).unwrap();
    assert_eq!(
        digest.digest(&canonical),
        digest_value,
        "digest of the general c14n differs from DigestValue; c14n:\n{}",
        String::from_utf8_lossy(&canonical)
    );

    let mut si = Vec::new();
    canonicalize(doc, signed_info, &C14nOptions::default(), &mut si);
    let value = b64.decode(doc.text_content(child(doc, signature, "SignatureValue")).as_bytes()).unwrap();
    let key_info = child(doc, signature, "KeyInfo");
    let cert_b64 = doc.text_content(child(doc, child(doc, key_info, "X509Data"), "X509Certificate"));
    let cert = samlkit::Certificate::from_base64(&cert_b64).unwrap();
    // Pinned: the KeyInfo certificate must be one of the test keys' certificates.
    let pinned = ["keys/rsa-2048.cert.pem", "keys/rsa-4096.cert.pem"]
        .map(|p| samlkit::Certificate::from_pem_or_der(&data(p)).unwrap());
    assert!(pinned.contains(&cert), "KeyInfo carries a certificate that is not a test key's");
    let public = rsa::PublicKey::from_public_key_der(cert.public_key_der()).unwrap();
    let hashed = sig_alg.digest().digest(&si);
    let scheme = match sig_alg {
        SignatureAlgorithm::RsaSha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        SignatureAlgorithm::RsaSha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        SignatureAlgorithm::RsaSha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        SignatureAlgorithm::RsaSha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        other => panic!("unexpected {other:?}"),
    };
    public.verify(scheme, &hashed, &value).expect("SignatureValue verifies over the general c14n of SignedInfo");
    Checked { signed_element: parent_el.local_name().to_owned(), signature: sig_alg, digest, canonical }
}

/// Compares `actual` with the golden file `tests/data/golden/<name>`; with `UPDATE_GOLDEN` set,
/// writes it instead (review the diff).
pub fn golden(name: &str, actual: &str) {
    let path = format!("{}/tests/data/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (UPDATE_GOLDEN=1 makes it)"));
    assert!(expected == actual, "{name} differs from the golden file.\nexpected:\n{expected}\nactual:\n{actual}");
}

/// The demo certificate of a key, as PEM.
pub fn cert_pem(key: &IdpKey) -> String {
    key.certificate().to_pem()
}
