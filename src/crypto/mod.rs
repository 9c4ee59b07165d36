//! Cryptographic algorithms and signing backends.

mod algorithms;
mod rust_crypto;
mod signing_key;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use rust_crypto::RsaSigningKey;
pub use signing_key::SigningKey;
