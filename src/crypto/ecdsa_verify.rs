//! ECDSA verification in every build (RustCrypto `p256` and `p384`): `ecdsa-sha256`,
//! `ecdsa-sha384` and `ecdsa-sha512` on the P-256 and P-384 curves, the signature value being
//! `r || s` (RFC 4051, XML-DSig 1.1). A hash longer than the curve's order is truncated, as
//! ECDSA specifies (FIPS 186-5 6.4.2).

use crate::crypto::SignatureAlgorithm;
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use p256::pkcs8::DecodePublicKey as _;

/// An EC public key samlkit verifies with, parsed once when its certificate is read.
#[derive(Clone, Debug)]
pub(crate) enum EcPublicKey {
    /// A P-256 key.
    P256(p256::ecdsa::VerifyingKey),
    /// A P-384 key.
    P384(p384::ecdsa::VerifyingKey),
}

impl EcPublicKey {
    /// The key in a DER SubjectPublicKeyInfo, if it is an EC key on P-256 or P-384.
    pub(crate) fn from_spki_der(spki: &[u8]) -> Option<Self> {
        if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
            return Some(Self::P256(key));
        }
        p384::ecdsa::VerifyingKey::from_public_key_der(spki).ok().map(Self::P384)
    }

    /// Whether the key is on P-256.
    #[cfg_attr(not(feature = "aws-lc-rs"), allow(dead_code))]
    pub(crate) fn is_p256(&self) -> bool {
        matches!(self, Self::P256(_))
    }

    /// Whether `signature` (`r || s`) is a valid ECDSA signature of `message` under this key with
    /// the hash `algorithm` names. False for an RSA algorithm or a value of the wrong length.
    pub(crate) fn verify(&self, algorithm: SignatureAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        if algorithm.is_rsa() {
            return false;
        }
        let hash = algorithm.digest().digest(message);
        match self {
            Self::P256(key) => {
                p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify_prehash(&hash, &s).is_ok())
            }
            Self::P384(key) => {
                p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify_prehash(&hash, &s).is_ok())
            }
        }
    }
}
