//! Heap use of one verification, counted by dhat's allocator: the peak of live bytes while the
//! Heroku response is validated, against its size (target: at most 4x), and the allocations per
//! attribute (responses of 1 and 101 attributes, the difference over 100). Not a criterion
//! bench: it prints its figures (`cargo bench --bench heap`).

mod common;

use common::*;
use samlkit::clock::FixedClock;
use samlkit::validate::Validator;
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

fn validator() -> Validator {
    Validator::heroku("acme", vec![cert()])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z").unwrap()))
}

fn main() {
    // Everything made before the profiler starts is not counted.
    let heroku = signed(&heroku(), &heroku_profile());
    let (narrow_settings, narrow_profile) = wide_profile(1);
    let (wide_settings, wide_profile) = wide_profile(101);
    let narrow = signed(&narrow_settings, &narrow_profile);
    let wide = signed(&wide_settings, &wide_profile);
    let v = validator();
    // One validation first, so lazily made state (the parsed public key) is not counted.
    v.validate(&heroku).unwrap();

    let _profiler = dhat::Profiler::builder().testing().build();
    let start = dhat::HeapStats::get();
    v.validate(&heroku).unwrap();
    let after = dhat::HeapStats::get();
    let peak = after.max_bytes.saturating_sub(start.curr_bytes);
    let blocks = after.total_blocks - start.total_blocks;
    let bytes = after.total_bytes - start.total_bytes;

    let count = |xml: &str| {
        let before = dhat::HeapStats::get().total_blocks;
        v.validate(xml).unwrap();
        dhat::HeapStats::get().total_blocks - before
    };
    let (n1, n101) = (count(&narrow), count(&wide));
    let per_attribute = (n101 as f64 - n1 as f64) / 100.0;
    println!(
        "heap/heroku_response: {} bytes in; peak {peak} live bytes above the start = {:.2}x its size (target <= 4x); {blocks} allocations, {bytes} bytes allocated in all",
        heroku.len(),
        peak as f64 / heroku.len() as f64
    );
    println!(
        "heap/per_attribute: {n1} allocations for 1 attribute ({} bytes), {n101} for 101 ({} bytes): {per_attribute:.1} per attribute",
        narrow.len(),
        wide.len()
    );
}
