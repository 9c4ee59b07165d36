//! XML Signature: exclusive canonicalization, the enveloped-signature signer and verifier.

pub mod c14n;
pub(crate) mod sign;
pub mod verify;
