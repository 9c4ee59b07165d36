//! Arbitrary settings and profile into the claim mapper: no panic, deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit::claims::map_profile;
use samlkit::settings::{AddonSettings, ParseMode};

fuzz_target!(|data: &[u8]| {
    // Settings JSON, a NUL byte, then the profile JSON; without a NUL, Auth0's defaults.
    let (settings, profile) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&b"{}"[..], data),
    };
    let Ok(settings) = std::str::from_utf8(settings) else { return };
    let Ok(settings) = AddonSettings::parse(settings, ParseMode::Lenient) else { return };
    let Ok(profile) = serde_json::from_slice::<serde_json::Value>(profile) else { return };
    let first = map_profile(&settings, &profile);
    assert_eq!(first, map_profile(&settings, &profile));
});
