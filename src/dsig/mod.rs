//! XML Signature: exclusive canonicalization, the enveloped-signature signer and (later) the
//! verifier.

pub mod c14n;
