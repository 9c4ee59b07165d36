//! Tests of the hardened parser: every rule and every error path.
use super::*;

fn parse(text: &str) -> Result<Document<'_>, XmlError> {
    parse_with(text, &ParseLimits::default())
}

/// [`Document::parse`], checked against the general path alone ([`parse_general`]): the short
/// paths must build the same tree, or return the same error.
fn parse_with<'t>(text: &'t str, limits: &ParseLimits) -> Result<Document<'t>, XmlError> {
    let parsed = Document::parse(text, limits);
    assert_eq!(parsed, parse_general(text, limits), "the short paths disagree with the general path on {text:?}");
    parsed
}

fn root<'a>(doc: &'a Document<'_>) -> Element<'a> {
    doc.element(doc.root()).unwrap()
}

fn syntax_err(text: &str) -> (usize, String) {
    match parse(text) {
        Err(XmlError::Syntax { position, message }) => (position, message),
        other => panic!("expected a syntax error for {text:?}, got {other:?}"),
    }
}

#[test]
fn parses_a_simple_document() {
    let doc = parse(r#"<?xml version="1.0" encoding="utf-8"?><a x="1"><b>hi</b><c/></a>"#).unwrap();
    let a = root(&doc);
    assert_eq!(a.local_name(), "a");
    assert_eq!(a.prefix(), None);
    assert_eq!(a.namespace(), None);
    assert_eq!(a.attribute(None, "x"), Some("1"));
    let kids: Vec<_> = doc.child_elements(doc.root()).collect();
    assert_eq!(kids.len(), 2);
    assert_eq!(doc.text_content(kids[0]), "hi");
    assert_eq!(doc.parent(kids[0]), Some(doc.root()));
    assert_eq!(doc.parent(doc.root()), None);
    assert_eq!(doc.element(kids[1]).unwrap().children(), &[]);
    assert_eq!(doc.len(), 4);
}

#[test]
fn default_limits() {
    let l = ParseLimits::default();
    assert_eq!((l.max_bytes, l.max_depth, l.max_attributes, l.max_nodes), (262_144, 64, 64, 100_000));
}

#[test]
fn rejects_oversized_input_before_parsing() {
    let limits = ParseLimits { max_bytes: 10, ..ParseLimits::default() };
    // Not even well-formed: the size check comes first.
    assert_eq!(parse_with("<<<<<<<<<<<<", &limits), Err(XmlError::TooLarge { size: 12, limit: 10 }));
    assert!(parse_with("<a></a>", &limits).is_ok());
}

#[test]
fn rejects_deep_nesting() {
    let limits = ParseLimits { max_depth: 3, ..ParseLimits::default() };
    assert!(parse_with("<a><b><c/></b></a>", &limits).is_ok());
    assert_eq!(
        parse_with("<a><b><c><d/></c></b></a>", &limits),
        Err(XmlError::TooDeep { element: "d".into(), limit: 3 })
    );
}

#[test]
fn rejects_too_many_attributes() {
    let limits = ParseLimits { max_attributes: 2, ..ParseLimits::default() };
    assert!(parse_with(r#"<a x="1" y="2"/>"#, &limits).is_ok());
    assert_eq!(
        parse_with(r#"<a x="1" y="2" z="3"/>"#, &limits),
        Err(XmlError::TooManyAttributes { element: "a".into(), limit: 2 })
    );
    // Namespace declarations count.
    assert_eq!(
        parse_with(r#"<a xmlns="u" xmlns:p="v" z="3"/>"#, &limits),
        Err(XmlError::TooManyAttributes { element: "a".into(), limit: 2 })
    );
}

#[test]
fn rejects_too_many_nodes() {
    let limits = ParseLimits { max_nodes: 3, ..ParseLimits::default() };
    assert!(parse_with("<a>x<b/></a>", &limits).is_ok());
    assert_eq!(parse_with("<a>x<b/>y</a>", &limits), Err(XmlError::TooManyNodes { limit: 3 }));
    assert_eq!(parse_with("<!--1--><!--2--><!--3--><a/>", &limits), Err(XmlError::TooManyNodes { limit: 3 }));
}

#[test]
fn rejects_doctype_anywhere() {
    assert_eq!(parse("<!DOCTYPE a><a/>"), Err(XmlError::Doctype));
    assert_eq!(parse(r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>"#), Err(XmlError::Doctype));
    assert_eq!(parse("<a><!DOCTYPE a></a>"), Err(XmlError::Doctype));
    assert_eq!(parse("<a/><!DOCTYPE a>"), Err(XmlError::Doctype));
    assert_eq!(parse("<!doctype a><a/>"), Err(XmlError::Doctype));
    // Unterminated doctype: still reported as a doctype.
    assert_eq!(parse("<!DOCTYPE a [<!ENTITY"), Err(XmlError::Doctype));
}

#[test]
fn rejects_unknown_entities() {
    assert_eq!(parse("<a>&e;</a>"), Err(XmlError::UnknownEntity { name: "e".into() }));
    assert_eq!(parse(r#"<a x="&nbsp;"/>"#), Err(XmlError::UnknownEntity { name: "nbsp".into() }));
    let long = format!("<a>&{};</a>", "e".repeat(200));
    match parse(&long) {
        Err(XmlError::UnknownEntity { name }) => assert!(name.chars().count() <= 65),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rejects_malformed_references() {
    syntax_err("<a>&#xZZ;</a>");
    syntax_err("<a>&#;</a>");
    syntax_err("<a>&#X41;</a>");
    syntax_err("<a>&1abc;</a>");
    syntax_err(r#"<a x="&#;"/>"#);
    syntax_err(r#"<a x="a & b"/>"#);
    syntax_err("<a>a & b</a>");
    syntax_err("&amp;<a/>");
}

#[test]
fn resolves_predefined_entities_and_character_references() {
    let doc = parse(
        r#"<a x="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;">&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</a>"#,
    )
    .unwrap();
    assert_eq!(root(&doc).attribute(None, "x"), Some("<>&'\"AB😀"));
    assert_eq!(doc.text_content(doc.root()), "<>&'\"AB😀");
    // One text node, not several.
    assert_eq!(root(&doc).children().len(), 1);
}

#[test]
fn rejects_references_to_forbidden_characters() {
    for bad in
        ["&#0;", "&#x0;", "&#1;", "&#x1F;", "&#xD800;", "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#99999999999999999999;"]
    {
        match parse(&format!("<a>{bad}</a>")) {
            Err(XmlError::InvalidCharacter { context, .. }) => {
                assert_eq!(context, "text of <a>")
            }
            other => panic!("{bad}: {other:?}"),
        }
        match parse(&format!(r#"<a x="{bad}"/>"#)) {
            Err(XmlError::InvalidCharacter { context, .. }) => {
                assert_eq!(context, "attribute `x` of <a>")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(
        parse("<a>&#xFFFE;</a>"),
        Err(XmlError::InvalidCharacter { context: "text of <a>".into(), codepoint: 0xFFFE })
    );
    // Allowed edges.
    assert!(parse("<a>&#x9;&#xA;&#xD;&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;&#x10FFFF;</a>").is_ok());
}

#[test]
fn rejects_literal_forbidden_characters() {
    assert_eq!(
        parse("<a>\u{0}</a>"),
        Err(XmlError::InvalidCharacter { context: "input at byte 3".into(), codepoint: 0 })
    );
    assert_eq!(
        parse("<a x='\u{1b}'/>"),
        Err(XmlError::InvalidCharacter { context: "input at byte 6".into(), codepoint: 0x1b })
    );
    assert_eq!(
        parse("<a>\u{FFFE}</a>"),
        Err(XmlError::InvalidCharacter { context: "input at byte 3".into(), codepoint: 0xFFFE })
    );
    assert_eq!(
        parse("<a><!--\u{FFFF}--></a>"),
        Err(XmlError::InvalidCharacter { context: "input at byte 7".into(), codepoint: 0xFFFF })
    );
    assert!(parse("<a>\u{FFFD}\u{EFBF}\t\r\n</a>").is_ok());
}

#[test]
fn normalizes_line_ends_in_text_before_references() {
    let doc = parse("<a>1\r\n2\r3\n4&#xD;5&#xD;&#xA;6\r\n</a>").unwrap();
    assert_eq!(doc.text_content(doc.root()), "1\n2\n3\n4\r5\r\n6\n");
}

#[test]
fn normalizes_attribute_values() {
    let doc = parse("<a x=\"1\t2\n3\r\n4\r5 &#9;&#xA;&#xD;&#x20;\"/>").unwrap();
    assert_eq!(root(&doc).attribute(None, "x"), Some("1 2 3 4 5 \t\n\r "));
    let doc = parse("<a x='\"' y=\"'\"/>").unwrap();
    assert_eq!(root(&doc).attribute(None, "x"), Some("\""));
    assert_eq!(root(&doc).attribute(None, "y"), Some("'"));
}

#[test]
fn cdata_merges_with_adjacent_text() {
    let doc = parse("<a>x<![CDATA[<&>]]>y&amp;z<![CDATA[\r\n]]></a>").unwrap();
    assert_eq!(root(&doc).children().len(), 1);
    assert_eq!(doc.node(root(&doc).children()[0]), Node::Text("x<&>y&z\n"));
}

#[test]
fn text_content_concatenates_all_descendant_text() {
    let doc = parse("<NameID>admin<!---->@evil.com<?pi x?><b>!</b></NameID>").unwrap();
    assert_eq!(doc.text_content(doc.root()), "admin@evil.com!");
    assert!(doc.has_comment_or_pi(doc.root()));
    let kids = root(&doc).children();
    assert_eq!(kids.len(), 5);
    assert_eq!(doc.node(kids[1]), Node::Comment(""));
    assert_eq!(doc.node(kids[3]), Node::ProcessingInstruction { target: "pi", data: "x" });
    assert_eq!(doc.parent(kids[1]), Some(doc.root()));
}

#[test]
fn resolves_namespaces() {
    let doc = parse(concat!(
        r#"<r xmlns="urn:d" xmlns:p="urn:p1" p:a="1" b="2">"#,
        r#"<p:c xmlns:p="urn:p2" p:a="3"/>"#,
        r#"<d xmlns=""><e/></d>"#,
        r#"<xml:f xml:lang="en"/>"#,
        r#"</r>"#
    ))
    .unwrap();
    let r = root(&doc);
    assert_eq!(r.namespace(), Some("urn:d"));
    assert_eq!(r.attribute(Some("urn:p1"), "a"), Some("1"));
    assert_eq!(r.attribute(None, "b"), Some("2"));
    assert_eq!(r.attributes().len(), 2);
    let decls: Vec<_> = r.namespace_declarations().iter().map(|d| (d.prefix(), d.uri())).collect();
    assert_eq!(decls, vec![(None, "urn:d"), (Some("p"), "urn:p1")]);
    let kids: Vec<_> = doc.child_elements(doc.root()).collect();
    let c = doc.element(kids[0]).unwrap();
    assert_eq!((c.prefix(), c.local_name(), c.namespace()), (Some("p"), "c", Some("urn:p2")));
    assert_eq!(c.attribute(Some("urn:p2"), "a"), Some("3"));
    assert_eq!(c.attributes().get(0).unwrap().qname(), "p:a");
    let d = doc.element(kids[1]).unwrap();
    assert_eq!(d.namespace(), None);
    assert_eq!(d.namespace_declarations().get(0).unwrap().uri(), "");
    let e = doc.element(doc.child_elements(kids[1]).next().unwrap()).unwrap();
    assert_eq!(e.namespace(), None);
    let f = doc.element(kids[2]).unwrap();
    assert_eq!(f.namespace(), Some(ns::XML));
    assert_eq!(f.attribute(Some(ns::XML), "lang"), Some("en"));
    // Scopes end with their element.
    let doc = parse(r#"<r><a xmlns:p="urn:p"/><p:b/></r>"#);
    assert_eq!(doc, Err(XmlError::UndeclaredPrefix { prefix: "p".into(), element: "p:b".into() }));
    let doc = parse(r#"<r xmlns:p="urn:1"><a xmlns:p="urn:2"/><p:b/></r>"#).unwrap();
    let b = doc.child_elements(doc.root()).nth(1).unwrap();
    assert_eq!(doc.element(b).unwrap().namespace(), Some("urn:1"));
}

#[test]
fn rejects_undeclared_prefixes() {
    assert_eq!(parse("<p:a/>"), Err(XmlError::UndeclaredPrefix { prefix: "p".into(), element: "p:a".into() }));
    assert_eq!(parse(r#"<a p:x="1"/>"#), Err(XmlError::UndeclaredPrefix { prefix: "p".into(), element: "a".into() }));
}

#[test]
fn rejects_invalid_namespace_declarations() {
    for (decl, text) in [
        ("xmlns:p", r#"<a xmlns:p=""/>"#),
        ("xmlns:xmlns", r#"<a xmlns:xmlns="urn:x"/>"#),
        ("xmlns:xml", r#"<a xmlns:xml="urn:x"/>"#),
        ("xmlns:p", r#"<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>"#),
        ("xmlns:p", r#"<a xmlns:p="http://www.w3.org/2000/xmlns/"/>"#),
        ("xmlns", r#"<a xmlns="http://www.w3.org/XML/1998/namespace"/>"#),
        ("xmlns", r#"<a xmlns="http://www.w3.org/2000/xmlns/"/>"#),
        ("xmlns:xmlns", r#"<a xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>"#),
        ("xmlns:a", r#"<xmlns:a/>"#),
    ] {
        assert_eq!(
            parse(text),
            Err(XmlError::InvalidNamespace { declaration: decl.into(), element: root_name(text) }),
            "{text}"
        );
    }
    // Binding xml to its own URI is allowed.
    assert!(parse(r#"<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>"#).is_ok());
}

fn root_name(text: &str) -> String {
    text[1..].split([' ', '/']).next().unwrap().to_owned()
}

#[test]
fn rejects_duplicate_attributes() {
    assert_eq!(
        parse(r#"<a x="1" x="2"/>"#),
        Err(XmlError::DuplicateAttribute { element: "a".into(), attribute: "x".into() })
    );
    assert_eq!(
        parse(r#"<a xmlns:p="u" xmlns:p="v"/>"#),
        Err(XmlError::DuplicateAttribute { element: "a".into(), attribute: "xmlns:p".into() })
    );
    assert_eq!(
        parse(r#"<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>"#),
        Err(XmlError::DuplicateAttribute { element: "a".into(), attribute: "q:x".into() })
    );
    // Same local name, different namespaces (or none): fine.
    assert!(parse(r#"<a xmlns:p="u" xmlns:q="v" p:x="1" q:x="2" x="3"/>"#).is_ok());
    // Past eight attributes the checks hash; every kind of duplicate is still found.
    let many: String = (0..20).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let declarations: String = (0..20).map(|i| format!(" xmlns:n{i}=\"urn:{i}\"")).collect();
    for (extra, attribute) in [
        (" a7=\"x\"", "a7"),
        (" xmlns:p=\"urn:p\" p:a=\"1\" p:a=\"2\"", "p:a"),
        (" xmlns:p=\"urn:1\" xmlns:q=\"urn:1\" p:a=\"1\" q:a=\"2\"", "q:a"),
        (" xmlns:n3=\"urn:3\"", "xmlns:n3"),
        (" xmlns=\"urn:d\" xmlns=\"urn:e\"", "xmlns"),
    ] {
        let text = format!("<a{many}{declarations}{extra}/>");
        let limits = ParseLimits { max_attributes: 100, ..ParseLimits::default() };
        assert_eq!(
            parse_with(&text, &limits),
            Err(XmlError::DuplicateAttribute { element: "a".into(), attribute: attribute.into() }),
            "{extra}"
        );
        let distinct = format!("<a{many}{declarations}/>");
        assert!(parse_with(&distinct, &limits).is_ok());
    }
    // A prefix declared again by another tag (a child, a sibling) is no duplicate; `xml` twice
    // on one tag is.
    assert!(parse(r#"<a xmlns:p="u"><b xmlns:p="v" xmlns:q="w"/><c xmlns:q="w" xmlns:p="u"/></a>"#).is_ok());
    assert_eq!(
        parse(
            r#"<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>"#
        ),
        Err(XmlError::DuplicateAttribute { element: "a".into(), attribute: "xmlns:xml".into() })
    );
    // A duplicate through an undeclared prefix is refused for the prefix first.
    assert_eq!(
        parse(r#"<a p:x="1" p:x="2"/>"#),
        Err(XmlError::UndeclaredPrefix { prefix: "p".into(), element: "a".into() })
    );
}

#[test]
fn xml_declaration() {
    assert!(parse(r#"<?xml version="1.0"?><a/>"#).is_ok());
    assert!(parse(r#"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><a/>"#).is_ok());
    assert!(parse("\u{FEFF}<?xml version=\"1.0\" encoding=\"Utf-8\"?><a/>").is_ok());
    for bad in [
        r#"<?xml version="1.1"?><a/>"#,
        r#"<?xml encoding="UTF-8"?><a/>"#,
        r#"<?xml version="1.0" encoding="UTF-16"?><a/>"#,
        r#"<?xml version="1.0" standalone="maybe"?><a/>"#,
        r#"<?xml version="1.0" foo="bar"?><a/>"#,
        r#" <?xml version="1.0"?><a/>"#,
        r#"<a/><?xml version="1.0"?>"#,
        r#"<?XML version="1.0"?><a/>"#,
    ] {
        let (_, message) = syntax_err(bad);
        assert!(!message.is_empty(), "{bad}");
    }
}

#[test]
fn bytes_in_the_declared_encoding() {
    let limits = ParseLimits::default();
    let text_of = |doc: &Document| doc.text_content(doc.root()).into_owned();
    // ISO-8859-1: 0xE9 is é; the text is characters from then on.
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>";
    assert_eq!(text_of(&Document::parse_bytes(latin1, &limits).unwrap()), "caf\u{e9}");
    let latin1 = b"<?xml version='1.0' encoding='latin1'?><a>\xFF</a>";
    assert_eq!(text_of(&Document::parse_bytes(latin1, &limits).unwrap()), "\u{ff}");
    // UTF-8, with or without a byte order mark or a declaration.
    assert_eq!(text_of(&Document::parse_bytes("\u{FEFF}<a>é</a>".as_bytes(), &limits).unwrap()), "é");
    assert_eq!(text_of(&Document::parse_bytes("<a>é</a>".as_bytes(), &limits).unwrap()), "é");
    // A declaration in a str is taken as what the bytes were.
    assert!(parse(r#"<?xml version="1.0" encoding="ISO-8859-1"?><a/>"#).is_ok());
    assert!(parse(r#"<?xml version="1.0" encoding="us-ascii"?><a/>"#).is_ok());
    let encoding = |bytes: &[u8]| match Document::parse_bytes(bytes, &limits) {
        Err(XmlError::Encoding { message }) => message,
        other => panic!("{other:?}"),
    };
    assert!(encoding(b"<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a>\xE9</a>").contains("not US-ASCII"));
    assert!(encoding(b"\xFF\xFE<\x00a\x00/\x00>\x00").contains("UTF-16"));
    assert!(encoding(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>").contains("`WINDOWS-1252`"));
    assert!(encoding(b"<a>\xE9</a>").contains("not valid UTF-8 (at byte 3)"));
    let small = ParseLimits { max_bytes: 4, ..ParseLimits::default() };
    assert!(matches!(Document::parse_bytes(b"<a></a>", &small), Err(XmlError::TooLarge { size: 7, limit: 4 })));
}

#[test]
fn misc_outside_the_document_element() {
    let doc = parse("<?pi?>\n<!-- c -->\n<a/>\n<!--d-->\r\n").unwrap();
    let top = doc.document_children();
    assert_eq!(top.len(), 4);
    assert_eq!(doc.node(top[0]), Node::ProcessingInstruction { target: "pi", data: "" });
    assert_eq!(doc.node(top[1]), Node::Comment(" c "));
    assert_eq!(top[2], doc.root());
    assert_eq!(doc.parent(top[1]), None);
    assert_eq!(syntax_err("x<a/>").0, 0);
    syntax_err("<a/>x");
    syntax_err("<a/><![CDATA[x]]>");
    syntax_err("<a/><b/>");
    syntax_err("");
    syntax_err("  <!-- only a comment -->");
}

#[test]
fn rejects_malformed_structure_with_positions() {
    assert_eq!(syntax_err("<a><b></a>").0, 6);
    assert_eq!(syntax_err("<a></b>").0, 3);
    assert_eq!(syntax_err("<a>").0, 3);
    assert_eq!(syntax_err("<a></a></a>").0, 7);
    syntax_err("<a><b>");
    syntax_err("<a");
    syntax_err("<a x></a>");
    syntax_err("<a x=1></a>");
    syntax_err("<a x='1></a>");
    syntax_err("<a x='1'y='2'></a>");
    syntax_err("<a x='<'></a>");
    syntax_err("<1a/>");
    syntax_err("<a:b:c/>");
    syntax_err("<a :x='1'/>");
    syntax_err("<a x:='1'/>");
    syntax_err("<a>]]></a>");
    syntax_err("<a><!-- a -- b --></a>");
    syntax_err("<a><!-- a ---></a>");
    syntax_err("<a><?xml-stylesheet?><?1pi?></a>");
    syntax_err("<a><?xml x?></a>");
    syntax_err("<a><![CDATA[x</a>");
    syntax_err("<a><!-- x</a>");
    syntax_err("<a><!x></a>");
    syntax_err("<a / >");
}

#[test]
fn prefix_redefinition_is_honoured() {
    let doc = parse(r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d/></p:a>"#).unwrap();
    let names: Vec<_> =
        doc.descendants(doc.root()).filter_map(|n| doc.element(n)).map(|e| e.namespace().unwrap()).collect();
    assert_eq!(names, vec!["urn:1", "urn:2", "urn:2", "urn:1"]);
}

#[test]
fn error_messages_are_bounded() {
    let long = "a".repeat(1000);
    let text = format!("<{long}></b>");
    let (_, message) = syntax_err(&text);
    assert!(message.len() < 400, "{message}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const SEED: &str = r#"<?xml version="1.0"?><!--c--><r xmlns="urn:d" xmlns:p="urn:p" p:a="x&amp;y"><p:b xml:lang="en">t&#x41;<![CDATA[z]]></p:b><c xmlns=""/><?pi d?></r>"#;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_strings_never_panic(s in ".{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn markup_soup_never_panics(s in "[<>/!?&;#x=\"':a-c \\-\\[\\]CDATOYPE0-9\r\n\t]{0,120}") {
            let _ = parse(&s);
        }

        #[test]
        fn mutated_documents_never_panic(pos in 0usize..SEED.len(), len in 0usize..8, ins in ".{0,6}") {
            let mut s = SEED.to_owned();
            let mut start = pos.min(s.len());
            while !s.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(s.len());
            while !s.is_char_boundary(end) { end -= 1; }
            s.replace_range(start..end, &ins);
            let _ = parse(&s);
        }
    }
}

#[test]
fn a_document_without_references_or_line_ends_copies_nothing() {
    let text = r#"<p:a xmlns:p="urn:p" x="1"><b y="two words">text</b><!-- c --><?pi data?></p:a>"#;
    let doc = parse(text).unwrap();
    assert!(doc.tree.changed.is_empty());
    // Every name and value is a range of the text itself.
    let b = doc.element(doc.child_elements(doc.root()).next().unwrap()).unwrap();
    let value = b.attribute(None, "y").unwrap();
    let in_text = |s: &str| text.as_bytes().as_ptr_range().contains(&s.as_ptr());
    assert!(in_text(value) && in_text(b.qname()) && in_text(root(&doc).namespace().unwrap()));
    assert_eq!(doc.text_content(doc.root()), "text");
}

#[test]
fn text_content_borrows_a_single_text_and_joins_several() {
    use std::borrow::Cow;
    let doc = parse("<a><b>one</b><c></c><d>x<!-- c -->y<e>z</e><?p?></d><f><!-- only --></f></a>").unwrap();
    let kids: Vec<NodeId> = doc.child_elements(doc.root()).collect();
    assert!(matches!(doc.text_content(kids[0]), Cow::Borrowed("one")));
    assert!(matches!(doc.text_content(kids[1]), Cow::Borrowed("")));
    // Comments, PIs and child elements never split the result.
    let joined = doc.text_content(kids[2]);
    assert!(matches!(&joined, Cow::Owned(s) if s == "xyz"), "{joined:?}");
    assert!(matches!(doc.text_content(kids[3]), Cow::Borrowed("")));
    assert_eq!(doc.text_content(doc.root()), "onexyz");
}

#[test]
fn only_changed_values_are_copied() {
    let doc = parse("<a x=\"1&amp;2\" y=\"a\tb\" z=\"plain\">x&lt;y<![CDATA[<c>]]>\r\nz</a>").unwrap();
    let a = root(&doc);
    assert_eq!(a.attribute(None, "x"), Some("1&2"));
    assert_eq!(a.attribute(None, "y"), Some("a b"));
    assert_eq!(a.attribute(None, "z"), Some("plain"));
    // Text, a reference, CDATA and a CRLF merge into one node.
    assert_eq!(a.children().len(), 1);
    assert_eq!(doc.node(a.children()[0]), Node::Text("x<y<c>\nz"));
    assert_eq!(doc.tree.changed, "1&2a bx<y<c>\nz");
    // A comment and a processing instruction with a CR are copied with their line ends
    // normalized; without one they are ranges of the text.
    let doc = parse("<a><!--1\r2--><?p 3\r\n4?><!--5--></a>").unwrap();
    let kids = root(&doc).children();
    assert_eq!(doc.node(kids[0]), Node::Comment("1\n2"));
    assert_eq!(doc.node(kids[1]), Node::ProcessingInstruction { target: "p", data: "3\n4" });
    assert_eq!(doc.node(kids[2]), Node::Comment("5"));
    assert_eq!(doc.tree.changed, "1\n23\n4");
}

#[test]
fn text_that_starts_with_a_reference_or_cdata_is_one_node() {
    for (text, expected) in [
        ("<a>&amp;b</a>", "&b"),
        ("<a><![CDATA[x]]>y</a>", "xy"),
        ("<a>y<![CDATA[]]></a>", "y"),
        ("<a><![CDATA[]]></a>", ""),
        ("<a>&#65;<b/>&#66;</a>", "AB"),
    ] {
        let doc = parse(text).unwrap();
        assert_eq!(doc.text_content(doc.root()), expected, "{text}");
        let texts = doc.descendants(doc.root()).filter(|&n| matches!(doc.node(n), Node::Text(_))).count();
        assert_eq!(texts, usize::from(!expected.is_empty()) + usize::from(text.contains("<b/>")), "{text}");
    }
}

#[test]
fn an_owned_document_outlives_its_text() {
    let text = String::from(r#"<a xmlns="urn:d" k="v&amp;w"><b>t</b></a>"#);
    let doc = parse(&text).unwrap().into_owned();
    drop(text);
    let a = root(&doc);
    assert_eq!((a.namespace(), a.attribute(None, "k")), (Some("urn:d"), Some("v&w")));
    assert_eq!(doc.text_content(doc.root()), "t");
    // The crate's own owned parse skips a byte order mark and keeps the limit.
    let doc = Document::parse_owned("\u{FEFF}<a>é</a>".to_owned(), &ParseLimits::default()).unwrap();
    assert_eq!(doc.text_content(doc.root()), "é");
    let small = ParseLimits { max_bytes: 4, ..ParseLimits::default() };
    assert!(matches!(Document::parse_owned("<a></a>".into(), &small), Err(XmlError::TooLarge { size: 7, limit: 4 })));
    assert!(matches!(Document::parse_owned("<a>".into(), &ParseLimits::default()), Err(XmlError::Syntax { .. })));
}

#[test]
fn attribute_and_declaration_lists() {
    let doc = parse(r#"<a xmlns:p="urn:p" xmlns="urn:d" p:x="1" y="2"/>"#).unwrap();
    let a = root(&doc);
    let attributes = a.attributes();
    assert_eq!((attributes.len(), attributes.is_empty()), (2, false));
    assert_eq!(attributes.get(1).map(|x| x.qname()), Some("y"));
    assert!(attributes.get(2).is_none());
    let names: Vec<_> = attributes.iter().rev().map(|x| x.local_name()).collect();
    assert_eq!(names, ["y", "x"]);
    assert_eq!(attributes.iter().len(), 2);
    assert_eq!(attributes.get(0).unwrap().namespace(), Some("urn:p"));
    let declarations: Vec<_> = a.namespace_declarations().into_iter().map(|d| (d.prefix(), d.uri())).collect();
    assert_eq!(declarations, [(Some("p"), "urn:p"), (None, "urn:d")]);
    assert_eq!(
        format!("{attributes:?}"),
        r#"[Attribute { qname: "p:x", namespace: Some("urn:p"), value: "1" }, Attribute { qname: "y", namespace: None, value: "2" }]"#
    );
    assert!(format!("{a:?}").contains(r#"qname: "a""#));
    assert!(format!("{:?}", a.namespace_declarations()).contains(r#"prefix: Some("p")"#));
    // Views compare as the node they show.
    assert_eq!(doc.element(doc.root()), Some(a));
    let empty = parse("<b/>").unwrap();
    assert!(root(&empty).attributes().is_empty() && root(&empty).namespace_declarations().is_empty());
    assert_eq!(root(&empty).id(), empty.root());
}

/// Tags at the edges of the short paths, and some just past them: each document, every prefix
/// of it and every document one byte shorter are parsed both ways ([`parse_with`]).
#[test]
fn the_short_paths_build_what_the_general_path_builds() {
    let documents = [
        r#"<a x="1" y='2'><b/><c z="3"/></a>"#,
        r#"<p:a xmlns:p="u" p:x="1" x="2"><p:b p:y=">"/></p:a>"#,
        r#"<a xmlns="u"><b x="1" ><c/ ></b><d x="1"y="2"/></a>"#,
        "<a\n  x=\"1\"\r\n  y=\"2\"\t/>",
        r#"<a x="1" x="2"/>"#,
        r#"<a xmlns:p="u" xmlns:q="u"><b p:x="1" q:x="2"/></a>"#,
        r#"<a xmlns:p="u"><b p:x="1" x="2" y="3" p:y="4"/></a>"#,
        r#"<a b="&amp;" c="x&#10;y" d="<" e="	"/>"#,
        r#"<a 1="x" _b="y" c:="z" :d="w" e:f:g="v"/>"#,
        r#"<a><xml:b xml:lang="en"/><xmlns:c/><d xmlns:e="v" e:f="1"/></a>"#,
        r#"<a><b q:x="1"/><q:c/></a>"#,
        r#"<é x="1"><a é="2"/></é>"#,
        r#"<a a1="1" a2="2" a3="3" a4="4" a5="5" a6="6" a7="7" a8="8" a9="9"/>"#,
        r#"<a a1="1" a2="2" a3="3" a4="4" a5="5" a6="6" a7="7" a1="8"/>"#,
        r#"<a a1="1" a2="2" a3="3" a4="4" a5="5" a6="6" a7="7" a8="8" a9="9" a2="x"/>"#,
        r#"<r xmlns:p="u" xmlns:q="u"><a a1="" a2="" a3="" a4="" a5="" a6="" a7="" a8="" p:x="" q:x=""/></r>"#,
        "<a>t<b>u</b >v</a ><!--c--><?pi x?>",
        "<a><b></a></b>",
        "<a></b>",
        "<a/><b/>",
        "<?xml version=\"1.0\"?><a x=\"1\"/>",
        "<a>]]></a>",
        "<a><![CDATA[x]]>y&lt;z\r\n</a>",
        "<a x=\"1\"\u{0}/>",
        "\u{FEFF}<a/>",
        r#"<a xmlns:p="" xmlns:q="u"/>"#,
        r#"<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="en"/>"#,
        r#"<a xmlns:p="u" xmlns:p="v"/>"#,
        r#"<xmlns:a xmlns:b="u"/>"#,
        r#"<a xmlns="http://www.w3.org/2000/xmlns/"/>"#,
        r#"<p:a xmlns:p="u" p:x="1" p:x="2"/>"#,
        r#"<a xmlns:p="u" q:x="1"/>"#,
        r#"<a xmlns:p="u"><p:b xmlns:p="v" xmlns="w" p:c="1"><c/></p:b><p:d/></a>"#,
    ];
    let limits = [
        ParseLimits::default(),
        ParseLimits { max_attributes: 1, ..ParseLimits::default() },
        ParseLimits { max_attributes: 9, ..ParseLimits::default() },
        ParseLimits { max_depth: 1, ..ParseLimits::default() },
        ParseLimits { max_nodes: 2, ..ParseLimits::default() },
        ParseLimits { max_nodes: 3, ..ParseLimits::default() },
    ];
    for document in documents {
        let shorter =
            document.char_indices().map(|(i, c)| format!("{}{}", &document[..i], &document[i + c.len_utf8()..]));
        let prefixes = document.char_indices().map(|(i, _)| document[..i].to_owned());
        for text in std::iter::once(document.to_owned()).chain(shorter).chain(prefixes) {
            for limits in &limits {
                let _ = parse_with(&text, limits);
            }
        }
    }
}

/// Every XML document of the test data, both ways.
#[test]
fn the_short_paths_agree_on_every_fixture() {
    fn visit(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "xml") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    visit(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"), &mut found);
    assert!(found.len() > 100, "the fixtures are missing: {}", found.len());
    let limits = ParseLimits { max_bytes: 4 << 20, ..ParseLimits::default() };
    let mut parsed = 0;
    for path in found {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        parsed += usize::from(parse_with(text, &limits).is_ok());
    }
    assert!(parsed > 100, "{parsed} fixtures parsed");
}
