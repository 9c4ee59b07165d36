//! Paired medians: two measurements alternated, so both see one machine state (shared by the
//! samlkit benches and `interop/benches/vs_libxmlsec1.rs`).

/// The median times of `a` and `b` over 31 rounds that alternate them, so both are measured
/// under the same machine state (this machine's speed drifts by 20% and more within minutes).
pub fn paired_medians(mut a: impl FnMut(), mut b: impl FnMut()) -> (std::time::Duration, std::time::Duration) {
    let time = |f: &mut dyn FnMut()| {
        let t = std::time::Instant::now();
        f();
        t.elapsed()
    };
    let (mut ta, mut tb): (Vec<_>, Vec<_>) = (0..31).map(|_| (time(&mut a), time(&mut b))).unzip();
    ta.sort();
    tb.sort();
    (ta[ta.len() / 2], tb[tb.len() / 2])
}
