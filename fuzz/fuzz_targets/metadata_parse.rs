//! Arbitrary XML into the SP and IdP metadata readers: no panic; what reads as SP metadata turns
//! into settings or a clear error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::metadata::{IdpMetadata, SpMetadata};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(sp) = SpMetadata::parse(text) {
        let _ = sp.to_addon_settings();
    }
    let _ = IdpMetadata::parse(text);
});
