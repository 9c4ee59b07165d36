//! Cryptographic algorithms and signing backends.

mod algorithms;
#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
mod rust_crypto;
mod signing_key;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
#[cfg(feature = "aws-lc-rs")]
pub(crate) use aws_lc::AwsLcPublicKeys;
#[cfg(feature = "aws-lc-rs")]
pub use aws_lc::AwsLcSigningKey;
pub use rust_crypto::RsaSigningKey;
pub(crate) use rust_crypto::verify_rsa;
pub use signing_key::SigningKey;
