//! The signing trait, so a caller can plug in an HSM or a cloud KMS.

use super::SignatureAlgorithm;
use crate::error::SignError;
use crate::keys::Certificate;

/// A private key that signs XML-DSig `SignedInfo` bytes, with the certificate that goes into
/// `KeyInfo`.
///
/// Implement it for a key held elsewhere (an HSM, a cloud KMS): hash `message` with
/// `algorithm.digest()` and sign the hash with RSASSA-PKCS1-v1_5; for `ecdsa-sha256`, sign with
/// ECDSA on P-256 and return `r || s`, 32 bytes each (convert a DER signature from a KMS).
/// Return [`SignError::Unsupported`] for an algorithm the key cannot do. Signing takes `&self`
/// and implementations are `Send + Sync`, so one signer serves many threads; `Debug` must never
/// print key material.
///
/// samlkit checks what `sign` returns before writing it: the certificate must hold a key of the
/// algorithm's type and the signature must have that key's length
/// ([`SignError::KeyType`], [`SignError::SignatureLength`]).
pub trait SigningKey: Send + Sync + std::fmt::Debug {
    /// Signs `message` (the canonical `SignedInfo` bytes) with `algorithm`.
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError>;

    /// The certificate of the key's public half, written into `KeyInfo/X509Data`.
    fn certificate(&self) -> &Certificate;
}

/// Signs through `key` (possibly a caller's own implementation) and checks that the result can
/// verify: the algorithm is in this build, the certificate holds a key of the algorithm's type,
/// and the signature has the length that key gives (the modulus size for RSA, 64 bytes of
/// `r || s` for ECDSA P-256). Every signature samlkit writes goes through here.
pub(crate) fn sign_checked(
    key: &dyn SigningKey,
    algorithm: SignatureAlgorithm,
    message: &[u8],
) -> Result<Vec<u8>, SignError> {
    if let Some(feature) = algorithm.feature().filter(|_| !algorithm.is_available()) {
        return Err(SignError::NeedsFeature { algorithm: algorithm.name(), feature });
    }
    let rsa = key.certificate().rsa_public_key().ok();
    let expected = match (algorithm.is_rsa(), rsa) {
        (true, Some(public)) => rsa::traits::PublicKeyParts::size(public),
        (false, None) => 64,
        (true, None) => return Err(SignError::KeyType { algorithm: algorithm.name(), expected: "RSA" }),
        (false, Some(_)) => return Err(SignError::KeyType { algorithm: algorithm.name(), expected: "EC P-256" }),
    };
    let value = key.sign(algorithm, message)?;
    if value.len() != expected {
        return Err(SignError::SignatureLength { algorithm: algorithm.name(), length: value.len(), expected });
    }
    Ok(value)
}
