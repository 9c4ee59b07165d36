//! Cryptographic algorithms and signing backends.

mod algorithms;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
