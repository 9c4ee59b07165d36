//! Arbitrary XML into the parser and exclusive c14n: no panic, the canonical form parses, and
//! canonicalizing it again gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::dsig::c14n::{C14nOptions, canonicalize};
use samlkit::xml::parse::{Document, ParseLimits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Document::parse(text, &ParseLimits::default()) else { return };
    for with_comments in [false, true] {
        let options = C14nOptions { with_comments, ..C14nOptions::default() };
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
