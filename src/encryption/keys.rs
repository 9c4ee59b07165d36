//! The SP's keys: the public one assertions are encrypted for, the private one that decrypts.

use super::algorithms::Oaep;
use crate::error::{KeyError, truncate};
use crate::keys::{Certificate, read_rsa_private_key_of};
use rsa::traits::PublicKeyParts as _;
use std::fmt;
use zeroize::Zeroizing;

/// The SP's public key, that assertions are encrypted for: from its certificate (then the
/// certificate goes into the EncryptedKey's KeyInfo, as Auth0 does) or a bare public key.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey {
    pub(super) public: rsa::PublicKey,
    pub(super) certificate: Option<Certificate>,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKey")
            .field("bits", &self.public.n().bit_width())
            .field("certificate", &self.certificate)
            .finish()
    }
}

impl EncryptionKey {
    /// The key of the SP's certificate (RSA, at least 2048 bits).
    pub fn from_certificate(certificate: Certificate) -> Result<Self, KeyError> {
        let public = certificate.rsa_public_key().map_err(|_| KeyError::InvalidPublicKey {
            message: "the certificate's key is not RSA (assertions are encrypted with RSA-OAEP)".into(),
        })?;
        check_bits(public)?;
        Ok(Self { public: public.clone(), certificate: Some(certificate) })
    }

    /// A certificate (PEM `CERTIFICATE` or DER) or a bare public key (PEM `PUBLIC KEY`, DER
    /// SubjectPublicKeyInfo, or PEM `RSA PUBLIC KEY`): Auth0's `encryptionCert` or
    /// `encryptionPublicKey`.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        use rsa::pkcs8::spki::DecodePublicKey as _;
        let bare = |public: rsa::PublicKey| -> Result<Self, KeyError> {
            check_bits(&public)?;
            Ok(Self { public, certificate: None })
        };
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.contains("-----BEGIN ") {
                let block = crate::keys::read_pem(text).ok_or_else(|| KeyError::InvalidPublicKey {
                    message: "no PEM block, or its base64 is malformed".into(),
                })?;
                return match block.label.as_str() {
                    "CERTIFICATE" => Self::from_certificate(Certificate::from_der(&block.der)?),
                    "PUBLIC KEY" => bare(rsa::PublicKey::from_public_key_der(&block.der).map_err(|_| {
                        KeyError::InvalidPublicKey { message: "the PUBLIC KEY is not an RSA key".into() }
                    })?),
                    "RSA PUBLIC KEY" => bare(rsa::PublicKey::from_pkcs1_der(&block.der).map_err(|e| {
                        KeyError::InvalidPublicKey { message: format!("malformed RSA PUBLIC KEY: {e}") }
                    })?),
                    other => Err(KeyError::InvalidPublicKey {
                        message: format!("expected a CERTIFICATE or PUBLIC KEY PEM block, found `{}`", truncate(other)),
                    }),
                };
            }
        }
        if let Ok(certificate) = Certificate::from_der(bytes) {
            return Self::from_certificate(certificate);
        }
        match rsa::PublicKey::from_public_key_der(bytes) {
            Ok(public) => bare(public),
            Err(_) => Err(KeyError::InvalidPublicKey {
                message: "neither a certificate nor a public key (PEM or DER)".into(),
            }),
        }
    }

    /// The certificate, when the key came from one.
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }
}

pub(super) fn check_bits(public: &rsa::PublicKey) -> Result<(), KeyError> {
    let bits = public.n().bit_width() as usize;
    if bits < crate::keys::MIN_RSA_BITS {
        return Err(KeyError::TooSmall { bits, min: crate::keys::MIN_RSA_BITS });
    }
    Ok(())
}

/// The SP's private key, that decrypts encrypted assertions (RSA, at least 2048 bits). With the
/// `aws-lc-rs` feature, RSA-OAEP decryption runs in AWS-LC (for the digest pairs it has, SHA-1
/// and SHA-256 each with the same MGF1 digest); otherwise, and for the rest, in the `rsa` crate,
/// blinded. The key is wiped from memory when dropped, and `Debug` never prints it.
pub struct DecryptionKey {
    pub(super) key: rsa::PrivateKey,
    /// AWS-LC's copy; `None` for a key AWS-LC refuses (under 2048 bits).
    #[cfg(feature = "aws-lc-rs")]
    pub(super) aws: Option<aws_lc_rs::rsa::OaepPrivateDecryptingKey>,
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey").field("key", &"<redacted>").field("bits", &self.key.n().bit_width()).finish()
    }
}

impl DecryptionKey {
    /// The SP's private key, PEM or DER (PKCS#1 or PKCS#8, not encrypted), of at least 1024
    /// bits. A key under 2048 bits loads, but the `Validator` refuses it unless
    /// `insecure_allow_rsa_1024()` is set.
    pub fn from_pem_or_der(key: &[u8]) -> Result<Self, KeyError> {
        let key = read_rsa_private_key_of(key, 1024)?;
        #[cfg(feature = "aws-lc-rs")]
        {
            use rsa::pkcs8::EncodePrivateKey as _;
            let aws = if key.n().bit_width() as usize >= crate::keys::MIN_RSA_BITS {
                let pkcs8 = key.to_pkcs8_der().map_err(|e| KeyError::InvalidKey {
                    message: format!("cannot re-encode the key for AWS-LC: {e}"),
                })?;
                let aws = aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(pkcs8.as_bytes())
                    .ok()
                    .and_then(|k| aws_lc_rs::rsa::OaepPrivateDecryptingKey::new(k).ok())
                    .ok_or_else(|| KeyError::InvalidKey { message: "AWS-LC refuses the key".into() })?;
                Some(aws)
            } else {
                None
            };
            Ok(Self { key, aws })
        }
        #[cfg(not(feature = "aws-lc-rs"))]
        Ok(Self { key })
    }

    /// The size of the key's modulus in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bit_width() as usize
    }

    pub(super) fn public(&self) -> &rsa::PublicKey {
        self.key.as_public_key()
    }

    /// RSA-OAEP decryption of a content key; `None` on any failure.
    pub(super) fn unwrap_key(&self, oaep: Oaep, wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        #[cfg(feature = "aws-lc-rs")]
        {
            let algorithm = match oaep {
                Oaep::Sha1Mgf1Sha1 => Some(&aws_lc_rs::rsa::OAEP_SHA1_MGF1SHA1),
                Oaep::Sha256Mgf1Sha256 => Some(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256),
                Oaep::Sha256Mgf1Sha1 => None,
            };
            if let (Some(algorithm), Some(aws)) = (algorithm, &self.aws) {
                let mut out = Zeroizing::new(vec![0u8; aws.min_output_size()]);
                let n = aws.decrypt(algorithm, wrapped, &mut out, None).ok()?.len();
                out.truncate(n);
                return Some(out);
            }
        }
        let result = match oaep {
            Oaep::Sha1Mgf1Sha1 => self.key.decrypt(rsa::Oaep::<sha1::Sha1>::new(), wrapped),
            Oaep::Sha256Mgf1Sha256 => self.key.decrypt(rsa::Oaep::<sha2::Sha256>::new(), wrapped),
            Oaep::Sha256Mgf1Sha1 => {
                self.key.decrypt(rsa::Oaep::<sha2::Sha256, sha1::Sha1>::new_with_mgf_hash(), wrapped)
            }
        };
        result.ok().map(Zeroizing::new)
    }
}

/// The `rsa` crate wipes the private key's numbers when it is dropped (and AWS-LC its own copy).
impl zeroize::ZeroizeOnDrop for DecryptionKey {}
