//! Cryptographic algorithms and signing backends.

mod algorithms;
mod rust_crypto;
mod signing_key;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use rust_crypto::RsaSigningKey;
pub(crate) use rust_crypto::verify_rsa;
pub use signing_key::SigningKey;
