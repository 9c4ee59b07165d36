//! Signature and digest algorithms, the [`SigningKey`] trait for keys held elsewhere (an HSM, a
//! cloud KMS), and the built-in signing [`Backend`]s.

mod algorithms;
#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
#[cfg(feature = "aws-lc-rs")]
mod ecdsa;
mod ecdsa_verify;
mod rust_crypto;
mod signing_key;

mod backend;

pub use crate::keys::MIN_RSA_BITS;
pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
#[cfg(feature = "aws-lc-rs")]
pub(crate) use aws_lc::AwsLcPublicKeys;
#[cfg(feature = "aws-lc-rs")]
pub(crate) use aws_lc::AwsLcSigningKey;
pub use backend::Backend;
#[cfg(feature = "aws-lc-rs")]
pub(crate) use ecdsa::EcdsaSigningKey;
pub(crate) use ecdsa_verify::EcPublicKey;
pub(crate) use rust_crypto::RsaSigningKey;
pub(crate) use rust_crypto::{verify_signature, verify_signature_legacy_rsa};
pub use signing_key::SigningKey;
pub(crate) use signing_key::sign_checked;
