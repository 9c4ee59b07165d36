//! Arbitrary XML into the parser and every canonicalization (exclusive, inclusive 1.0 and 1.1;
//! with and without comments): no panic, the parser's short paths build the tree its general
//! path builds (or return the same error), the canonical form parses, and canonicalizing it
//! again gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::low_level::{C14nMethod, C14nOptions, Document, ParseLimits, canonicalize, parse_general};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = Document::parse(text, &ParseLimits::default());
    assert_eq!(parsed, parse_general(text, &ParseLimits::default()), "the short paths disagree");
    let Ok(doc) = parsed else { return };
    let methods = [C14nMethod::Exclusive, C14nMethod::Inclusive, C14nMethod::Inclusive11];
    for (method, with_comments) in methods.into_iter().flat_map(|m| [(m, false), (m, true)]) {
        let options = C14nOptions { method, with_comments, ..C14nOptions::default() };
        let mut first = Vec::new();
        canonicalize(&doc, doc.root(), &options, &mut first);
        let canonical = std::str::from_utf8(&first).expect("c14n writes UTF-8");
        let again = Document::parse(canonical, &ParseLimits { max_bytes: 1 << 24, ..ParseLimits::default() })
            .expect("the canonical form of a parsed document parses");
        let mut second = Vec::new();
        canonicalize(&again, again.root(), &options, &mut second);
        assert_eq!(first, second, "c14n is not idempotent");
    }
});
