//! Generated worst cases for the verifier, shared by `tests/hostile.rs` (each must finish far
//! inside a generous budget) and the `hostile` group of `benches/verify.rs` (each against a
//! benign signed document of the same size).
//!
//! Every case starts from a signed golden Response (`tests/data/golden/`) and stays inside the
//! default `ParseLimits` (256 KiB, depth 64, 64 attributes per element, 100 000 nodes): what an
//! unauthenticated sender can post. Most put their payload inside the signed Assertion (in a
//! `saml:Advice`), so the SignatureValue still verifies and the digest step runs over the
//! payload before refusing it; the PrefixList ones change SignedInfo, so the SignatureValue
//! check refuses them before any digest.
#![allow(dead_code)]

/// The size every case grows to (bytes), under the 256 KiB default limit.
pub const TARGET: usize = 250_000;

/// One generated hostile document.
pub struct Case {
    /// The family's name (also the bench name).
    pub name: &'static str,
    /// The document.
    pub xml: String,
    /// What the verifier must answer: the `Debug` name of the error variant, or `OK`.
    pub expect: &'static str,
}

/// Inserts `payload` as a `saml:Advice` at the end of the golden Response's Assertion.
fn in_assertion(golden: &str, payload: &str) -> String {
    let at = golden.rfind("</saml:Assertion>").expect("an Assertion");
    format!("{}<saml:Advice>{payload}</saml:Advice>{}", &golden[..at], &golden[at..])
}

/// Repeats `unit(i)` until the whole document would reach [`TARGET`].
fn fill(golden: &str, unit: impl Fn(usize) -> String) -> String {
    let room = TARGET - golden.len() - 32;
    let mut payload = String::with_capacity(room);
    let mut i = 0;
    loop {
        let next = unit(i);
        if payload.len() + next.len() > room {
            break;
        }
        payload.push_str(&next);
        i += 1;
    }
    payload
}

/// A chain of `depth` nested elements, each built by `start(level)`.
fn chain(depth: usize, start: impl Fn(usize) -> String, end: &str) -> String {
    let mut s = String::new();
    for level in 0..depth {
        s.push_str(&start(level));
    }
    for _ in 0..depth {
        s.push_str(end);
    }
    s
}

/// Namespace declarations `xmlns:p0` … `xmlns:p{n-1}`, their URIs varying with `salt`.
fn declarations(n: usize, salt: usize) -> String {
    (0..n).map(|p| format!(" xmlns:p{p}=\"urn:x:{salt}:{p}\"")).collect()
}

/// The exclusive c14n Reference transform of the golden file, given a PrefixList.
fn with_prefix_list(golden: &str, count: usize) -> String {
    let list: Vec<String> = (0..count).map(|p| format!("p{p}")).collect();
    let transform = "xml-exc-c14n#\"></Transform>";
    assert!(golden.contains(transform));
    golden.replacen(
        transform,
        &format!(
            "xml-exc-c14n#\"><ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"{}\"></ec:InclusiveNamespaces></Transform>",
            list.join(" ")
        ),
        1,
    )
}

/// Depth of the nested chains: the Response, Assertion and Advice take three of the 64 levels.
const CHAIN: usize = 60;

/// Every family, generated from the golden `heroku-rsa-sha256-sha256.xml` (`golden`).
pub fn cases(golden: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    // A PrefixList at the limit (64) naming prefixes that every element of deep chains
    // redeclares (62 declarations each): elements x prefixes x declarations in scope was the
    // quadratic-times-linear construct.
    let signed_info_changed = with_prefix_list(golden, 64);
    let bomb =
        fill(&signed_info_changed, |i| chain(20, |level| format!("<n{}>", declarations(62, i * 20 + level)), "</n>"));
    cases.push(Case {
        name: "prefixlist_at_limit",
        xml: in_assertion(&signed_info_changed, &bomb),
        expect: "BadSignature",
    });
    // The construct of the samlkit 0.1 denial of service: thousands of prefixes in the
    // PrefixList and a referenced element of deep chains each declaring many of them (0.1 took
    // elements x prefixes x declarations in scope: minutes). Refused by the limit before any
    // canonicalization.
    let listed = with_prefix_list(golden, 8_000);
    let bomb = fill(&listed, |i| {
        let declare = |level: usize| -> String {
            (0..16).map(|k| format!(" xmlns:p{}=\"urn:b{i}\"", (level * 16 + k) % 8_000)).collect()
        };
        chain(50, |level| format!("<n{}>", declare(level)), "</n>")
    });
    cases.push(Case { name: "prefixlist_bomb", xml: in_assertion(&listed, &bomb), expect: "PrefixListTooLong" });
    // Namespace declarations that are all visibly utilized: 31 declarations and 31 prefixed
    // attributes on every element of deep chains; the SignatureValue verifies, so the digest's
    // canonicalization runs over all of it.
    let utilized = fill(golden, |i| {
        chain(
            20,
            |level| {
                let attrs: String = (0..31).map(|p| format!(" p{p}:a=\"v\"")).collect();
                format!("<n{}{attrs}>", declarations(31, i * 20 + level))
            },
            "</n>",
        )
    });
    cases.push(Case { name: "namespace_bomb", xml: in_assertion(golden, &utilized), expect: "DigestMismatch" });
    // Wide: as many empty siblings as fit.
    let wide = fill(golden, |_| "<e/>".to_owned());
    cases.push(Case { name: "wide", xml: in_assertion(golden, &wide), expect: "DigestMismatch" });
    // Deep: chains at the depth limit.
    let deep = fill(golden, |_| chain(CHAIN, |_| "<e>".to_owned(), "</e>"));
    cases.push(Case { name: "deep", xml: in_assertion(golden, &deep), expect: "DigestMismatch" });
    // Attributes: 64 per element (the limit), unprefixed, so the duplicate checks work hardest.
    let attributes = fill(golden, |_| {
        let attrs: String = (0..64).map(|a| format!(" a{a}=\"\"")).collect();
        format!("<e{attrs}/>")
    });
    cases.push(Case { name: "attributes", xml: in_assertion(golden, &attributes), expect: "DigestMismatch" });
    // IDs: every element carries one (the uniqueness check sees them all).
    let ids = fill(golden, |i| format!("<e ID=\"_h{i}\"/>"));
    cases.push(Case { name: "ids", xml: in_assertion(golden, &ids), expect: "DigestMismatch" });
    // Many Assertions in the Advice (set aside by the count, each looked at once).
    let advice = fill(golden, |i| format!("<saml:Assertion ID=\"_adv{i}\"></saml:Assertion>"));
    cases.push(Case { name: "advice_assertions", xml: in_assertion(golden, &advice), expect: "DigestMismatch" });
    // Character references in text and attribute values.
    let references = fill(golden, |_| "<e a=\"&#x41;&#65;&amp;\">&#x41;&#65;&lt;</e>".to_owned());
    cases.push(Case { name: "references", xml: in_assertion(golden, &references), expect: "DigestMismatch" });
    // Comments and processing instructions.
    let comments = fill(golden, |_| "<!--c--><?p d?>".to_owned());
    cases.push(Case { name: "comments", xml: in_assertion(golden, &comments), expect: "DigestMismatch" });
    // Thousands of certificates in the Assertion's KeyInfo (outside what the digest covers):
    // only the first few are looked at, and the response still verifies.
    let key_info = golden.find("<KeyInfo><X509Data>").expect("KeyInfo") + "<KeyInfo><X509Data>".len();
    let certs = fill(golden, |_| "<X509Certificate>AAAA</X509Certificate>".to_owned());
    let xml = format!("{}{certs}{}", &golden[..key_info], &golden[key_info..]);
    cases.push(Case { name: "keyinfo_certificates", xml, expect: "OK" });
    for case in &cases {
        assert!(case.xml.len() <= 256 * 1024, "{}: {} bytes", case.name, case.xml.len());
    }
    cases
}
