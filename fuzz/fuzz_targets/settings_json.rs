//! Arbitrary JSON into the settings: no panic, and whatever parses writes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::settings::{AddonSettings, ParseMode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for mode in [ParseMode::Strict, ParseMode::Lenient] {
        if let Ok(settings) = AddonSettings::parse(text, mode) {
            let back = AddonSettings::parse(&settings.to_json().to_string(), mode).expect("resolved JSON parses");
            // Booleans written as strings come back as booleans (and without their warning).
            let mut expected = settings.clone();
            expected.string_booleans.clear();
            assert_eq!(back, expected);
            let _ = settings.warnings();
        }
    }
});
