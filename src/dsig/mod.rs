//! XML Signature: canonicalization (exclusive; inclusive 1.0 and 1.1), the enveloped-signature
//! signer and verifier.

pub mod c14n;
pub(crate) mod sign;
pub mod verify;
