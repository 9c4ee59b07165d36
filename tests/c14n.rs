//! Exclusive XML canonicalization: the specifications' worked examples, targeted cases and
//! idempotence. Fixtures live in `tests/data/c14n/` (see the README there).

mod common;

use std::path::PathBuf;

use proptest::prelude::*;
use samlkit::low_level::{C14nMethod, C14nOptions, canonicalize, canonicalize_document};
use samlkit::low_level::{Document, NodeId, ParseLimits};

fn parse(text: &str) -> Document<'static> {
    Document::parse(text, &ParseLimits::default()).unwrap_or_else(|e| panic!("{e}: {text}")).into_owned()
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/c14n").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first element (document order) with this local name.
fn find(doc: &Document, local: &str) -> NodeId {
    doc.descendants(doc.root())
        .find(|&n| doc.element(n).is_some_and(|e| e.local_name() == local))
        .unwrap_or_else(|| panic!("no <{local}>"))
}

fn subset(doc: &Document, apex: NodeId, options: &C14nOptions) -> String {
    let mut out = Vec::new();
    canonicalize(doc, apex, options, &mut out);
    String::from_utf8(out).unwrap()
}

fn whole(doc: &Document, options: &C14nOptions) -> String {
    let mut out = Vec::new();
    canonicalize_document(doc, options, &mut out);
    String::from_utf8(out).unwrap()
}

/// Canonical form of the element named `local` in `text`, default options.
fn exc(text: &str, local: &str) -> String {
    let doc = parse(text);
    subset(&doc, find(&doc, local), &C14nOptions::default())
}

fn inclusive(prefixes: &[&str]) -> C14nOptions {
    C14nOptions { inclusive_prefixes: prefixes.iter().map(|p| p.to_string()).collect(), ..Default::default() }
}

// ---- The specifications' worked examples ----

#[test]
fn exc_c14n_2_1_enveloped_element_drops_unused_context() {
    let doc = parse(&fixture("exc-2.1.xml"));
    assert_eq!(subset(&doc, find(&doc, "elem1"), &C14nOptions::default()), fixture("exc-2.1.out"));
}

#[test]
fn exc_c14n_2_2_same_output_in_both_contexts() {
    let expected = fixture("exc-2.2.out");
    for name in ["exc-2.2-first.xml", "exc-2.2-second.xml"] {
        let doc = parse(&fixture(name));
        assert_eq!(subset(&doc, find(&doc, "elem2"), &C14nOptions::default()), expected, "{name}");
    }
    assert_eq!(fixture("exc-2.2-second.out"), expected);
}

#[test]
fn exc_c14n_2_2_with_inclusive_prefixes() {
    let options = inclusive(&["n0", "n2"]);
    let doc = parse(&fixture("exc-2.2-first.xml"));
    assert_eq!(subset(&doc, find(&doc, "elem2"), &options), fixture("exc-2.2-first-n0-n2.out"));
    let doc = parse(&fixture("exc-2.2-second.xml"));
    assert_eq!(subset(&doc, find(&doc, "elem2"), &options), fixture("exc-2.2-second-n0-n2.out"));
}

#[test]
fn c14n_3_1_pis_comments_and_outside_of_document_element() {
    let doc = parse(&fixture("c14n-3.1.xml"));
    assert_eq!(whole(&doc, &C14nOptions::default()), fixture("c14n-3.1.out"));
    let with_comments = C14nOptions { with_comments: true, ..Default::default() };
    assert_eq!(whole(&doc, &with_comments), fixture("c14n-3.1-comments.out"));
}

#[test]
fn c14n_3_2_whitespace_in_document_content() {
    let doc = parse(&fixture("c14n-3.2.xml"));
    assert_eq!(whole(&doc, &C14nOptions::default()), fixture("c14n-3.2.out"));
}

#[test]
fn c14n_3_3_start_and_end_tags_namespace_and_attribute_order() {
    let doc = parse(&fixture("c14n-3.3.xml"));
    assert_eq!(whole(&doc, &C14nOptions::default()), fixture("c14n-3.3.out"));
}

#[test]
fn c14n_3_3_inclusive_renders_every_namespace_change() {
    // Canonical XML 1.0 proper (inclusive): the superfluous-but-changing xmlns:a declarations
    // of e6 and e9 are rendered, as the specification's output shows.
    let doc = parse(&fixture("c14n-3.3.xml"));
    let inclusive = C14nOptions { method: C14nMethod::Inclusive, ..Default::default() };
    assert_eq!(whole(&doc, &inclusive), fixture("c14n-3.3-inclusive.out"));
    let c14n11 = C14nOptions { method: C14nMethod::Inclusive11, ..Default::default() };
    assert_eq!(whole(&doc, &c14n11), fixture("c14n-3.3-inclusive.out"));
    // The other examples have nothing exclusive c14n would drop: the same bytes either way.
    for name in ["c14n-3.1", "c14n-3.2", "c14n-3.4"] {
        let doc = parse(&fixture(&format!("{name}.xml")));
        assert_eq!(whole(&doc, &inclusive), fixture(&format!("{name}.out")), "{name}");
    }
}

#[test]
fn inclusive_apex_inherits_namespaces_and_xml_attributes() {
    let text = r#"<r xmlns="urn:d" xmlns:p="urn:p" xml:lang="en" xml:space="preserve" xml:id="r1" xml:base="http://a.example/"><m xmlns:q="urn:q" xml:lang="fr"><a xml:space="default">t</a></m></r>"#;
    let doc = parse(text);
    let apex = find(&doc, "a");
    let c14n10 = C14nOptions { method: C14nMethod::Inclusive, ..Default::default() };
    // 1.0: every namespace in scope, and the nearest xml:* of each name (the apex's own wins).
    assert_eq!(
        subset(&doc, apex, &c14n10),
        r#"<a xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" xml:base="http://a.example/" xml:id="r1" xml:lang="fr" xml:space="default">t</a>"#
    );
    // 1.1: xml:lang and xml:space only (xml:id is not inherited; xml:base is not fixed up).
    let c14n11 = C14nOptions { method: C14nMethod::Inclusive11, ..Default::default() };
    assert_eq!(
        subset(&doc, apex, &c14n11),
        r#"<a xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" xml:lang="fr" xml:space="default">t</a>"#
    );
    // Exclusive: nothing inherited but what is used.
    assert_eq!(subset(&doc, apex, &C14nOptions::default()), r#"<a xmlns="urn:d" xml:space="default">t</a>"#);
    // Below the apex, inclusive renders only changes.
    let m = find(&doc, "m");
    assert_eq!(
        subset(&doc, m, &c14n10),
        r#"<m xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" xml:base="http://a.example/" xml:id="r1" xml:lang="fr" xml:space="preserve"><a xml:space="default">t</a></m>"#
    );
    for (uri, method) in [
        (samlkit::low_level::ns::C14N, (C14nMethod::Inclusive, false)),
        (samlkit::low_level::ns::C14N_WITH_COMMENTS, (C14nMethod::Inclusive, true)),
        (samlkit::low_level::ns::C14N11, (C14nMethod::Inclusive11, false)),
        (samlkit::low_level::ns::C14N11_WITH_COMMENTS, (C14nMethod::Inclusive11, true)),
        (samlkit::low_level::ns::EXC_C14N, (C14nMethod::Exclusive, false)),
        (samlkit::low_level::ns::EXC_C14N_WITH_COMMENTS, (C14nMethod::Exclusive, true)),
    ] {
        assert_eq!(C14nMethod::from_uri(uri), Some(method));
        assert_eq!(method.0.uri(method.1), uri);
    }
    assert_eq!(C14nMethod::from_uri("http://www.w3.org/2006/12/xml-c14n11#"), None);
}

#[test]
fn c14n_3_4_character_modifications_and_references() {
    let doc = parse(&fixture("c14n-3.4.xml"));
    assert_eq!(whole(&doc, &C14nOptions::default()), fixture("c14n-3.4.out"));
}

#[test]
fn c14n_3_6_non_ascii_as_utf8() {
    // The spec's example is ISO-8859-1 with `&#169;`; this parser only takes UTF-8.
    assert_eq!(exc("<doc>&#169;</doc>", "doc"), "<doc>\u{a9}</doc>");
    assert_eq!(exc("<doc>\u{a9}</doc>", "doc"), "<doc>\u{a9}</doc>");
}

// ---- Targeted cases ----

#[test]
fn default_namespace_undeclared_under_an_output_ancestor() {
    let text = r#"<a xmlns="urn:a"><b xmlns=""><c/></b></a>"#;
    assert_eq!(exc(text, "a"), r#"<a xmlns="urn:a"><b xmlns=""><c></c></b></a>"#);
    // The ancestor that declared urn:a is not output: nothing to undo.
    assert_eq!(exc(text, "b"), "<b><c></c></b>");
    // A prefixed element in between does not render the default; its unprefixed child must undo
    // the one rendered higher up.
    let text = r#"<a xmlns="urn:a"><p:b xmlns:p="urn:p" xmlns=""><c/></p:b></a>"#;
    assert_eq!(exc(text, "a"), r#"<a xmlns="urn:a"><p:b xmlns:p="urn:p"><c xmlns=""></c></p:b></a>"#);
    // Never rendered: no xmlns="" at all.
    assert_eq!(
        exc(r#"<p:a xmlns:p="urn:p" xmlns="urn:d"><b xmlns=""/></p:a>"#, "a"),
        r#"<p:a xmlns:p="urn:p"><b></b></p:a>"#
    );
    // Declared again with the same value below: not repeated.
    assert_eq!(exc(r#"<a xmlns="urn:a"><b xmlns="urn:a"/></a>"#, "a"), r#"<a xmlns="urn:a"><b></b></a>"#);
}

#[test]
fn prefix_redefined_on_a_child() {
    let text = r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d/></p:a>"#;
    assert_eq!(exc(text, "a"), r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c></p:c></p:b><p:d></p:d></p:a>"#);
    // Redefined back to the value an output ancestor rendered: not repeated.
    let text = r#"<p:a xmlns:p="urn:1"><q:b xmlns:q="urn:q"><p:c xmlns:p="urn:1"/></q:b></p:a>"#;
    assert_eq!(exc(text, "a"), r#"<p:a xmlns:p="urn:1"><q:b xmlns:q="urn:q"><p:c></p:c></q:b></p:a>"#);
    // Same prefix, same URI, on siblings: each sibling declares it.
    let text = r#"<r xmlns:p="urn:p"><p:x/><p:y/></r>"#;
    assert_eq!(exc(text, "r"), r#"<r><p:x xmlns:p="urn:p"></p:x><p:y xmlns:p="urn:p"></p:y></r>"#);
}

#[test]
fn attributes_in_several_namespaces_are_sorted_by_uri_then_local_name() {
    let text = r#"<r xmlns:b="urn:b" xmlns:a="urn:a"><e b:x="1" a:y="4" x="3" a:x="2" xml:lang="en" Z="0"/></r>"#;
    assert_eq!(
        exc(text, "e"),
        r#"<e xmlns:a="urn:a" xmlns:b="urn:b" Z="0" x="3" xml:lang="en" a:x="2" a:y="4" b:x="1"></e>"#
    );
    // Sorting is by URI, not by prefix.
    let text = r#"<e xmlns:z="urn:1" xmlns:a="urn:2" a:k="a" z:k="z"/>"#;
    assert_eq!(exc(text, "e"), r#"<e xmlns:a="urn:2" xmlns:z="urn:1" z:k="z" a:k="a"></e>"#);
}

#[test]
fn namespace_declared_high_up_and_used_deep_down() {
    let text = r#"<r xmlns:d="urn:d" xmlns:u="urn:unused"><x><y><d:z d:at="1"/></y></x></r>"#;
    assert_eq!(exc(text, "r"), r#"<r><x><y><d:z xmlns:d="urn:d" d:at="1"></d:z></y></x></r>"#);
    assert_eq!(exc(text, "y"), r#"<y><d:z xmlns:d="urn:d" d:at="1"></d:z></y>"#);
    // Used only by an attribute, on an element of another namespace.
    let text = r#"<r xmlns="urn:e" xmlns:d="urn:d"><x d:at="1"/></r>"#;
    assert_eq!(exc(text, "x"), r#"<x xmlns="urn:e" xmlns:d="urn:d" d:at="1"></x>"#);
}

#[test]
fn inclusive_prefix_list_including_default() {
    let text = r#"<r xmlns="urn:default" xmlns:p="urn:p" xmlns:q="urn:q" xmlns:z="urn:z"><p:e><f/><q:g/></p:e></r>"#;
    let doc = parse(text);
    let e = find(&doc, "e");
    assert_eq!(
        subset(&doc, e, &C14nOptions::default()),
        r#"<p:e xmlns:p="urn:p"><f xmlns="urn:default"></f><q:g xmlns:q="urn:q"></q:g></p:e>"#
    );
    assert_eq!(
        subset(&doc, e, &inclusive(&["#default", "q"])),
        r#"<p:e xmlns="urn:default" xmlns:p="urn:p" xmlns:q="urn:q"><f></f><q:g></q:g></p:e>"#
    );
    // A listed prefix that is not in scope, and `xml`, render nothing.
    assert_eq!(
        subset(&doc, e, &inclusive(&["nope", "xml"])),
        r#"<p:e xmlns:p="urn:p"><f xmlns="urn:default"></f><q:g xmlns:q="urn:q"></q:g></p:e>"#
    );
    // #default with no default namespace in scope renders nothing ...
    let doc = parse(r#"<r xmlns="urn:d"><p:e xmlns:p="urn:p" xmlns=""><g/></p:e></r>"#);
    let e = find(&doc, "e");
    assert_eq!(subset(&doc, e, &inclusive(&["#default"])), r#"<p:e xmlns:p="urn:p"><g></g></p:e>"#);
    // ... but below an output ancestor that rendered one, it undoes it.
    let doc = parse(r#"<r xmlns="urn:d"><p:e xmlns:p="urn:p" xmlns=""><g/></p:e></r>"#);
    assert_eq!(
        subset(&doc, doc.root(), &inclusive(&["#default"])),
        r#"<r xmlns="urn:d"><p:e xmlns="" xmlns:p="urn:p"><g></g></p:e></r>"#
    );
    // Listed prefixes are rendered on every element where they change, used or not.
    let doc = parse(r#"<r xmlns:q="urn:1"><a><b xmlns:q="urn:2"><c/></b></a></r>"#);
    assert_eq!(
        subset(&doc, doc.root(), &inclusive(&["q"])),
        r#"<r xmlns:q="urn:1"><a><b xmlns:q="urn:2"><c></c></b></a></r>"#
    );
}

#[test]
fn excluded_subtree_is_left_out_entirely() {
    let text = concat!(
        r#"<r xmlns="urn:r" ID="x"><a/>"#,
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>"#,
        r#"tail<b/></r>"#
    );
    let doc = parse(text);
    let sig = find(&doc, "Signature");
    let options = C14nOptions { exclude: Some(sig), ..Default::default() };
    assert_eq!(subset(&doc, doc.root(), &options), r#"<r xmlns="urn:r" ID="x"><a></a>tail<b></b></r>"#);
    // Excluding the apex leaves nothing.
    let options = C14nOptions { exclude: Some(doc.root()), ..Default::default() };
    assert_eq!(subset(&doc, doc.root(), &options), "");
    // Excluding a text-only subtree in a whole-document canonicalization.
    let options = C14nOptions { exclude: Some(find(&doc, "a")), ..Default::default() };
    assert!(whole(&doc, &options).starts_with(r#"<r xmlns="urn:r" ID="x"><ds:Signature"#));
}

#[test]
fn comments_with_and_without_with_comments() {
    let text = "<!--top--><a><!--c1-->x<!---->y<b><!-- c\r\n2 --></b></a><!--end-->";
    let doc = parse(text);
    assert_eq!(subset(&doc, doc.root(), &C14nOptions::default()), "<a>xy<b></b></a>");
    let with = C14nOptions { with_comments: true, ..Default::default() };
    assert_eq!(subset(&doc, doc.root(), &with), "<a><!--c1-->x<!---->y<b><!-- c\n2 --></b></a>");
    assert_eq!(whole(&doc, &with), "<!--top-->\n<a><!--c1-->x<!---->y<b><!-- c\n2 --></b></a>\n<!--end-->");
    assert_eq!(whole(&doc, &C14nOptions::default()), "<a>xy<b></b></a>");
}

#[test]
fn carriage_returns_tabs_and_newlines() {
    let text = "<a x=\"&#xD;&#9;&#xA;|\t|\n|\r\n|\" y='&lt;&amp;&quot;>'>t&#xD;\r\n\t&gt;</a>";
    assert_eq!(exc(text, "a"), "<a x=\"&#xD;&#x9;&#xA;| | | |\" y=\"&lt;&amp;&quot;>\">t&#xD;\n\t&gt;</a>");
}

#[test]
fn non_ascii_names_values_and_text() {
    let text =
        "<\u{e9} xmlns:\u{fc}=\"urn:\u{fc}\" \u{fc}:\u{f6}=\"\u{df}\">\u{65e5}\u{672c}\u{8a9e} \u{1F600}</\u{e9}>";
    assert_eq!(exc(text, "\u{e9}"), text.replace("/>", "></\u{e9}>"));
}

#[test]
fn processing_instructions_are_kept() {
    assert_eq!(exc("<a><?p  data  here ?><?q?><?r   ?></a>", "a"), "<a><?p data  here ?><?q?><?r?></a>");
}

#[test]
fn xml_attributes_are_not_inherited_and_xml_is_never_declared() {
    let text = r#"<r xml:lang="fr" xml:space="preserve" xmlns:xml="http://www.w3.org/XML/1998/namespace"><e xml:lang="en"><f/></e></r>"#;
    assert_eq!(exc(text, "f"), "<f></f>");
    assert_eq!(exc(text, "e"), r#"<e xml:lang="en"><f></f></e>"#);
    assert_eq!(exc(text, "r"), r#"<r xml:lang="fr" xml:space="preserve"><e xml:lang="en"><f></f></e></r>"#);
}

#[test]
fn a_saml_like_assertion_with_enveloped_signature() {
    let text = concat!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">"#,
        r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_a" Version="2.0">"#,
        r#"<saml:Issuer>urn:idp</saml:Issuer>"#,
        r#"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>"#,
        r#"<saml:AttributeStatement><saml:Attribute Name="n"><saml:AttributeValue xsi:type="xs:string">v</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"#,
        r#"</saml:Assertion></samlp:Response>"#
    );
    let doc = parse(text);
    let assertion = find(&doc, "Assertion");
    let options = C14nOptions { exclude: Some(find(&doc, "Signature")), ..Default::default() };
    assert_eq!(
        subset(&doc, assertion, &options),
        concat!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0">"#,
            r#"<saml:Issuer>urn:idp</saml:Issuer>"#,
            r#"<saml:AttributeStatement><saml:Attribute Name="n"><saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">v</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"#,
            r#"</saml:Assertion>"#
        )
    );
    // With PrefixList="xs" the xs declaration is kept on the apex.
    let options = C14nOptions { inclusive_prefixes: vec!["xs".into()], ..options };
    assert!(subset(&doc, assertion, &options).starts_with(
        r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_a""#
    ));
}

#[test]
fn output_is_appended() {
    let doc = parse("<a/>");
    let mut out = b"prefix:".to_vec();
    canonicalize(&doc, doc.root(), &C14nOptions::default(), &mut out);
    assert_eq!(out, b"prefix:<a></a>");
}

#[test]
fn generated_documents_parse() {
    for seed in 0..300 {
        let text = common::generate(seed);
        Document::parse(&text, &ParseLimits::default()).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
    }
}

// ---- Idempotence ----

fn check_idempotent(seed: u64, pick: usize, prefixes: &[&str], with_comments: bool) {
    let text = common::generate(seed);
    let doc = parse(&text);
    let elements: Vec<NodeId> = doc.descendants(doc.root()).filter(|&n| doc.element(n).is_some()).collect();
    let apex = elements[pick % elements.len()];
    let options = C14nOptions {
        with_comments,
        inclusive_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    };
    let first = subset(&doc, apex, &options);
    let again = parse(&first);
    assert_eq!(subset(&again, again.root(), &options), first, "seed {seed}\n{text}");
    let first = whole(&doc, &options);
    let again = parse(&first);
    assert_eq!(whole(&again, &options), first, "seed {seed}\n{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn canonical_form_is_a_fixed_point(
        seed in any::<u64>(),
        pick in any::<usize>(),
        prefixes in proptest::sample::subsequence(vec!["#default", "p", "q", "r", "s"], 0..3),
        with_comments in any::<bool>(),
    ) {
        check_idempotent(seed, pick, &prefixes, with_comments);
    }
}

// ---- Throughput (run with `cargo test --release --test c14n -- --ignored --nocapture`) ----

#[test]
#[ignore = "timing; run in release mode"]
fn throughput_on_a_1_mib_document() {
    let mut text = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r">"#,
    );
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!(
            r#"<saml:Attribute Name="urn:oid:{i}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><saml:AttributeValue xsi:type="xs:string">user{i}@example.com &amp; friends</saml:AttributeValue></saml:Attribute>"#
        ));
        i += 1;
    }
    text.push_str("</samlp:Response>");
    let limits = ParseLimits { max_bytes: 4 << 20, max_nodes: 1_000_000, ..ParseLimits::default() };
    let t = std::time::Instant::now();
    let doc = Document::parse(&text, &limits).unwrap();
    let parse_time = t.elapsed();
    let mut out = Vec::with_capacity(text.len());
    let rounds = 50;
    let t = std::time::Instant::now();
    for _ in 0..rounds {
        out.clear();
        canonicalize(&doc, doc.root(), &C14nOptions::default(), &mut out);
    }
    let c14n_time = t.elapsed() / rounds;
    let mb = text.len() as f64 / 1e6;
    println!(
        "input {} bytes, output {} bytes; parse {:?} ({:.0} MB/s); c14n {:?} ({:.0} MB/s)",
        text.len(),
        out.len(),
        parse_time,
        mb / parse_time.as_secs_f64(),
        c14n_time,
        mb / c14n_time.as_secs_f64()
    );
}
