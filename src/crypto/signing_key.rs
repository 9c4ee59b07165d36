//! The signing trait, so a caller can plug in an HSM or a cloud KMS.

use super::SignatureAlgorithm;
use crate::error::SignError;
use crate::keys::Certificate;

/// A private key that signs XML-DSig `SignedInfo` bytes, with the certificate that goes into
/// `KeyInfo`.
///
/// Implement it for a key held elsewhere (an HSM, a cloud KMS): hash `message` with
/// `algorithm.digest()` and sign the hash with RSASSA-PKCS1-v1_5 (for `ecdsa-sha256`: ECDSA on
/// P-256, returning `r || s`, 32 bytes each; return [`SignError::Unsupported`] for an algorithm
/// the key cannot do). Signing takes `&self` and
/// implementations are `Send + Sync`, so one signer serves many threads.
pub trait SigningKey: Send + Sync {
    /// Signs `message` (the canonical `SignedInfo` bytes) with `algorithm`.
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError>;

    /// The certificate of the key's public half, written into `KeyInfo/X509Data`.
    fn certificate(&self) -> &Certificate;
}
