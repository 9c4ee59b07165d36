//! The built-in backend: the `rsa` crate (pure Rust, constant-time big integers, blinded).

use super::{SignatureAlgorithm, SigningKey};
use crate::error::{KeyError, SignError};
use crate::keys::{Certificate, read_rsa_private_key};
use std::fmt;

/// An RSA private key and its certificate, signing with the `rsa` crate.
///
/// Every signature is blinded with fresh randomness from the operating system (the `rsa` crate's
/// default with its `getrandom` feature), on top of its constant-time arithmetic: see
/// RUSTSEC-2023-0071 for why both matter. The key is wiped from memory when dropped, and `Debug`
/// never prints it.
pub struct RsaSigningKey {
    key: rsa::PrivateKey,
    certificate: Certificate,
}

impl RsaSigningKey {
    /// A signer from a private key and a certificate, each PEM or DER (PKCS#1 or PKCS#8 keys).
    /// Refuses encrypted keys, non-RSA keys, keys under 2048 bits and a key that does not match
    /// the certificate.
    pub fn from_pem_or_der(key: &[u8], certificate: &[u8]) -> Result<Self, KeyError> {
        Self::new(key, Certificate::from_pem_or_der(certificate)?)
    }

    /// A signer from a private key (PEM or DER) and an already loaded certificate.
    pub fn new(key: &[u8], certificate: Certificate) -> Result<Self, KeyError> {
        let key = read_rsa_private_key(key)?;
        let public = certificate
            .rsa_public_key()
            .map_err(|_| KeyError::NotRsa { found: "the certificate's public key".into() })?;
        if public != key.as_public_key() {
            return Err(KeyError::Mismatch);
        }
        Ok(Self { key, certificate })
    }
}

/// Whether `signature` is a valid signature of `message` with `algorithm` by the certificate's
/// key, with the active backend (AWS-LC with the `aws-lc-rs` feature): RSASSA-PKCS1-v1_5 for the
/// RSA algorithms, ECDSA (`r || s`) on P-256 and P-384 (RustCrypto; AWS-LC for P-256 with SHA-256
/// when it is on). A certificate whose key does not fit the algorithm, or an RSA key under 2048
/// bits, verifies nothing.
pub(crate) fn verify_signature(
    certificate: &Certificate,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    #[cfg(feature = "aws-lc-rs")]
    {
        super::aws_lc::verify(certificate, algorithm, message, signature)
    }
    #[cfg(not(feature = "aws-lc-rs"))]
    {
        if !algorithm.is_rsa() {
            return certificate.ec_public_key().is_some_and(|k| k.verify(algorithm, message, signature));
        }
        verify_rsa_rust(certificate, algorithm, message, signature, crate::keys::MIN_RSA_BITS)
    }
}

/// [`verify_signature`] for an RSA key of 1024 to 2047 bits, which the caller has allowed
/// explicitly (AWS-LC verifies nothing under 2048 bits, so this always uses the `rsa` crate).
pub(crate) fn verify_signature_legacy_rsa(
    certificate: &Certificate,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    verify_rsa_rust(certificate, algorithm, message, signature, 1024)
}

/// [`verify_signature`] for RSA with the `rsa` crate (with `aws-lc-rs`, used only to cross-check in tests).
pub(crate) fn verify_rsa_rust(
    certificate: &Certificate,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
    min_bits: usize,
) -> bool {
    use rsa::traits::PublicKeyParts as _;
    let Ok(public) = certificate.rsa_public_key() else {
        return false;
    };
    if (public.n().bit_width() as usize) < min_bits {
        return false;
    }
    let hashed = algorithm.digest().digest(message);
    let scheme = match algorithm {
        SignatureAlgorithm::RsaSha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        SignatureAlgorithm::RsaSha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        SignatureAlgorithm::RsaSha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        SignatureAlgorithm::RsaSha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        SignatureAlgorithm::EcdsaSha256 | SignatureAlgorithm::EcdsaSha384 | SignatureAlgorithm::EcdsaSha512 => {
            return false;
        }
    };
    public.verify(scheme, &hashed, signature).is_ok()
}

/// The `rsa` crate wipes the private key's numbers when it is dropped.
impl zeroize::ZeroizeOnDrop for RsaSigningKey {}

impl fmt::Debug for RsaSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigningKey").field("key", &"<redacted>").field("certificate", &self.certificate).finish()
    }
}

impl SigningKey for RsaSigningKey {
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let result = match algorithm {
            SignatureAlgorithm::RsaSha1 => self.key.pkcs1v15_sign::<sha1::Sha1>(message),
            SignatureAlgorithm::RsaSha256 => self.key.pkcs1v15_sign::<sha2::Sha256>(message),
            SignatureAlgorithm::RsaSha384 => self.key.pkcs1v15_sign::<sha2::Sha384>(message),
            SignatureAlgorithm::RsaSha512 => self.key.pkcs1v15_sign::<sha2::Sha512>(message),
            SignatureAlgorithm::EcdsaSha256 | SignatureAlgorithm::EcdsaSha384 | SignatureAlgorithm::EcdsaSha512 => {
                return Err(SignError::Unsupported { algorithm: algorithm.uri() });
            }
        };
        result.map_err(|e| SignError::Backend { message: e.to_string() })
    }

    fn certificate(&self) -> &Certificate {
        &self.certificate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_signer_serves_many_threads_and_wipes_itself() {
        fn assert_traits<T: Send + Sync + zeroize::ZeroizeOnDrop + 'static>() {}
        assert_traits::<RsaSigningKey>();
        fn assert_object_safe(_: &dyn SigningKey) {}
        let _ = assert_object_safe;
    }
}
