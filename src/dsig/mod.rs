//! XML Signature: exclusive canonicalization and the enveloped-signature signer.

pub mod c14n;
pub(crate) mod sign;
