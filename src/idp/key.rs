//! [`IdpKey`]: the IdP's signing key, on the fastest backend this build has.

use crate::crypto::{Backend, RsaSigningKey, SignatureAlgorithm, SigningKey};
use crate::error::{KeyError, SignError};
use crate::keys::Certificate;
use std::fmt;
use std::sync::Arc;

/// The identity provider's signing key and its certificate, shared (`Arc` inside, cheap to
/// clone).
///
/// [`IdpKey::from_pem_or_der`] reads any key samlkit signs with (RSA in PKCS#1 or PKCS#8; EC
/// P-256 in SEC1 or PKCS#8, with the `aws-lc-rs` feature) and puts it on the fastest backend
/// compiled in: AWS-LC with the `aws-lc-rs` feature (rsa-sha1, which AWS-LC does not sign, goes
/// through the `rsa` crate with the same key), else the `rsa` crate. Turning the feature on
/// speeds up every caller without a code change. [`IdpKey::custom`] takes a key held elsewhere
/// (an HSM, a cloud KMS).
#[derive(Clone)]
pub struct IdpKey {
    signer: Arc<dyn SigningKey>,
}

impl fmt::Debug for IdpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdpKey").field("signer", &self.signer).finish()
    }
}

impl IdpKey {
    /// The private key and its certificate, each PEM or DER, on [`Backend::fastest`].
    ///
    /// # Errors
    /// [`KeyError`] for an encrypted, malformed or unsupported key (an EC key without the
    /// `aws-lc-rs` feature, a curve other than P-256, Ed25519), an RSA key under 2048 bits, a
    /// certificate that does not parse, or a key that does not match the certificate.
    pub fn from_pem_or_der(key: &[u8], certificate: &[u8]) -> Result<Self, KeyError> {
        Self::from_pem_or_der_on(key, certificate, Backend::fastest())
    }

    /// [`IdpKey::from_pem_or_der`] on a named backend. [`Backend::RustCrypto`] signs RSA only:
    /// an EC key on it is a [`KeyError::NotRsa`].
    pub fn from_pem_or_der_on(key: &[u8], certificate: &[u8], backend: Backend) -> Result<Self, KeyError> {
        let rsa_error = match rsa_key(key, certificate, backend) {
            Ok(key) => return Ok(key),
            Err(e) => e,
        };
        match ec_key(key, certificate, backend) {
            Ok(key) => Ok(key),
            // An EC key: the EC reader's word on it; anything else: the RSA reader's.
            Err(ec_error) if matches!(&rsa_error, KeyError::NotRsa { found } if found.contains("EC")) => Err(ec_error),
            Err(_) => Err(rsa_error),
        }
    }

    /// A key held elsewhere, behind the [`SigningKey`] trait.
    pub fn custom(signer: Arc<dyn SigningKey>) -> Self {
        IdpKey { signer }
    }

    /// The certificate of the key's public half (written into `KeyInfo` and the metadata).
    pub fn certificate(&self) -> &Certificate {
        self.signer.certificate()
    }

    /// Whether the key can sign with `algorithm` (its type fits: RSA for the `rsa-*`
    /// algorithms, EC for `ecdsa-sha256`).
    pub(crate) fn fits(&self, algorithm: SignatureAlgorithm) -> bool {
        algorithm.is_rsa() == self.certificate().rsa_bits().is_some()
    }

    pub(crate) fn signer(&self) -> &dyn SigningKey {
        &*self.signer
    }
}

/// Signs as the key it holds: an `IdpKey` goes wherever a [`SigningKey`] does.
impl SigningKey for IdpKey {
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.signer.sign(algorithm, message)
    }

    fn certificate(&self) -> &Certificate {
        self.signer.certificate()
    }
}

fn rsa_key(key: &[u8], certificate: &[u8], backend: Backend) -> Result<IdpKey, KeyError> {
    Ok(match backend {
        Backend::RustCrypto => IdpKey::custom(Arc::new(RsaSigningKey::from_pem_or_der(key, certificate)?)),
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLc => IdpKey::custom(Arc::new(crate::crypto::AwsLcSigningKey::from_pem_or_der(key, certificate)?)),
    })
}

#[cfg_attr(not(feature = "aws-lc-rs"), allow(unused_variables))]
fn ec_key(key: &[u8], certificate: &[u8], backend: Backend) -> Result<IdpKey, KeyError> {
    match backend {
        Backend::RustCrypto => Err(KeyError::NotRsa {
            found: "an EC key, which samlkit signs only on AWS-LC (the `aws-lc-rs` feature)".into(),
        }),
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLc => {
            Ok(IdpKey::custom(Arc::new(crate::crypto::EcdsaSigningKey::from_pem_or_der(key, certificate)?)))
        }
    }
}
