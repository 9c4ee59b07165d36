//! The `aws-lc-rs` backend (cargo feature `aws-lc-rs`): constant-time, blinded RSA from AWS-LC,
//! several times faster than the `rsa` crate, and verification of RSA and ECDSA P-256 (the
//! ECDSA signer is in `ecdsa.rs`). AWS-LC has no SHA-1 RSA signing, so rsa-sha1
//! (Auth0's default) falls back to the `rsa` crate with the same key.

use super::{RsaSigningKey, SignatureAlgorithm, SigningKey};
use crate::error::{KeyError, SignError};
use crate::keys::{Certificate, read_rsa_private_key};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaKeyPair};
use rsa::pkcs8::EncodePrivateKey as _;
use std::fmt;

/// An RSA private key and its certificate, signing with AWS-LC (rsa-sha256/384/512) and the
/// `rsa` crate (rsa-sha1). The key is wiped from memory when dropped, and `Debug` never prints
/// it.
pub struct AwsLcSigningKey {
    key: RsaKeyPair,
    sha1: RsaSigningKey,
    rng: SystemRandom,
}

impl AwsLcSigningKey {
    /// A signer from a private key and a certificate, each PEM or DER, with the same checks as
    /// [`RsaSigningKey::from_pem_or_der`].
    pub fn from_pem_or_der(key: &[u8], certificate: &[u8]) -> Result<Self, KeyError> {
        Self::new(key, Certificate::from_pem_or_der(certificate)?)
    }

    /// A signer from a private key (PEM or DER) and an already loaded certificate.
    pub fn new(key: &[u8], certificate: Certificate) -> Result<Self, KeyError> {
        let sha1 = RsaSigningKey::new(key, certificate)?;
        let pkcs8 = read_rsa_private_key(key)?
            .to_pkcs8_der()
            .map_err(|e| KeyError::InvalidKey { message: format!("cannot re-encode the key for AWS-LC: {e}") })?;
        let key = RsaKeyPair::from_pkcs8(pkcs8.as_bytes())
            .map_err(|e| KeyError::InvalidKey { message: format!("AWS-LC refuses the key: {e}") })?;
        Ok(Self { key, sha1, rng: SystemRandom::new() })
    }
}

impl fmt::Debug for AwsLcSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsLcSigningKey").field("key", &"<redacted>").field("certificate", self.certificate()).finish()
    }
}

impl SigningKey for AwsLcSigningKey {
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let encoding: &'static dyn signature::RsaEncoding = match algorithm {
            SignatureAlgorithm::RsaSha1 => return self.sha1.sign(algorithm, message),
            SignatureAlgorithm::RsaSha256 => &signature::RSA_PKCS1_SHA256,
            SignatureAlgorithm::RsaSha384 => &signature::RSA_PKCS1_SHA384,
            SignatureAlgorithm::RsaSha512 => &signature::RSA_PKCS1_SHA512,
            SignatureAlgorithm::EcdsaSha256 | SignatureAlgorithm::EcdsaSha384 | SignatureAlgorithm::EcdsaSha512 => {
                return Err(SignError::Unsupported { algorithm: algorithm.uri() });
            }
        };
        let mut out = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(encoding, &self.rng, message, &mut out)
            .map_err(|e| SignError::Backend { message: format!("AWS-LC: {e}") })?;
        Ok(out)
    }

    fn certificate(&self) -> &Certificate {
        self.sha1.certificate()
    }
}

/// A certificate's public key parsed by AWS-LC, once per algorithm, on first use.
#[derive(Clone, Default)]
pub(crate) struct AwsLcPublicKeys([std::sync::OnceLock<Option<signature::ParsedPublicKey>>; 5]);

/// Verification with AWS-LC: RSA with 2048- to 8192-bit keys, ECDSA on P-256.
pub(crate) fn verify(certificate: &Certificate, algorithm: SignatureAlgorithm, message: &[u8], sig: &[u8]) -> bool {
    // ECDSA but P-256 with SHA-256: RustCrypto, as in a build without this feature.
    let aws_ecdsa =
        algorithm == SignatureAlgorithm::EcdsaSha256 && certificate.ec_public_key().is_some_and(|k| k.is_p256());
    if !algorithm.is_rsa() && !aws_ecdsa {
        return certificate.ec_public_key().is_some_and(|k| k.verify(algorithm, message, sig));
    }
    let (slot, params): (usize, &'static dyn signature::VerificationAlgorithm) = match algorithm {
        SignatureAlgorithm::RsaSha1 => (0, &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY),
        SignatureAlgorithm::RsaSha256 => (1, &signature::RSA_PKCS1_2048_8192_SHA256),
        SignatureAlgorithm::RsaSha384 => (2, &signature::RSA_PKCS1_2048_8192_SHA384),
        SignatureAlgorithm::RsaSha512 => (3, &signature::RSA_PKCS1_2048_8192_SHA512),
        SignatureAlgorithm::EcdsaSha256 => (4, &signature::ECDSA_P256_SHA256_FIXED),
        SignatureAlgorithm::EcdsaSha384 | SignatureAlgorithm::EcdsaSha512 => return false,
    };
    certificate.aws_lc.0[slot]
        .get_or_init(|| signature::ParsedPublicKey::new(params, certificate.public_key_der()).ok())
        .as_ref()
        .is_some_and(|key| key.verify_sig(message, sig).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn signs_like_the_rsa_crate_and_verifies_both_ways() {
        let (key, cert) = (data("keys/rsa-2048.pkcs1.pem"), data("keys/rsa-2048.cert.pem"));
        let aws = AwsLcSigningKey::from_pem_or_der(&key, &cert).unwrap();
        let rust = RsaSigningKey::from_pem_or_der(&key, &cert).unwrap();
        for alg in SignatureAlgorithm::RSA {
            // PKCS#1 v1.5 is deterministic: both backends give the same bytes.
            let a = aws.sign(alg, b"message").unwrap();
            assert_eq!(a, rust.sign(alg, b"message").unwrap(), "{alg}");
            assert!(verify(aws.certificate(), alg, b"message", &a));
            assert!(super::super::rust_crypto::verify_rsa_rust(aws.certificate(), alg, b"message", &a, 2048));
            assert!(!verify(aws.certificate(), alg, b"messagf", &a));
        }
        assert!(format!("{aws:?}").contains("<redacted>"));
        let ecdsa = SignatureAlgorithm::EcdsaSha256;
        assert_eq!(aws.sign(ecdsa, b"m").unwrap_err(), SignError::Unsupported { algorithm: ecdsa.uri() });
        assert_eq!(rust.sign(ecdsa, b"m").unwrap_err(), SignError::Unsupported { algorithm: ecdsa.uri() });
        assert_eq!(
            AwsLcSigningKey::from_pem_or_der(&key, &data("keys/other-2048.cert.pem")).unwrap_err(),
            KeyError::Mismatch
        );
    }
}
