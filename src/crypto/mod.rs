//! Cryptographic algorithms and signing backends.

mod algorithms;
#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
#[cfg(feature = "aws-lc-rs")]
mod ecdsa;
mod ecdsa_verify;
mod rust_crypto;
mod signing_key;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
#[cfg(feature = "aws-lc-rs")]
pub(crate) use aws_lc::AwsLcPublicKeys;
#[cfg(feature = "aws-lc-rs")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
pub use aws_lc::AwsLcSigningKey;
#[cfg(feature = "aws-lc-rs")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
pub use ecdsa::EcdsaSigningKey;
pub(crate) use ecdsa_verify::EcPublicKey;
pub use rust_crypto::RsaSigningKey;
pub(crate) use rust_crypto::{verify_signature, verify_signature_legacy_rsa};
pub use signing_key::SigningKey;
pub(crate) use signing_key::sign_checked;
