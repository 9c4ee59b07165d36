//! samlkit against independent implementations. The matrix of documents (every signing mode ×
//! algorithm pair × key size × profile) is generated once into a temporary folder with a JSON
//! manifest; each peer runs as ONE process over the whole manifest and reports per-document
//! results, which are checked here (every failure listed at once).
//!
//! Every peer must be installed (`.ci/run` does it): a missing tool fails its test, nothing
//! skips. Counts per cell and timings are printed and appended to `target/interop-report.txt`.

#![allow(dead_code)]

mod browser;
mod c14n;
mod cli;
mod common;
mod java;
mod libxmlsec1;
mod mutations;
mod node;
mod python;
