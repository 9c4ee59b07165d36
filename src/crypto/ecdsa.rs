//! ECDSA P-256 signing with AWS-LC (cargo feature `aws-lc-rs`): `ecdsa-sha256` (RFC 4051), a
//! samlkit extension for service providers that take elliptic-curve keys. About fifteen times
//! cheaper than RSA-2048 signing.

use super::{SignatureAlgorithm, SigningKey};
use crate::error::{KeyError, SignError};
use crate::keys::{Certificate, read_pem};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair as _};
use std::fmt;
use x509_cert::der::Decode as _;

const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_RSA: &str = "1.2.840.113549.1.1.1";

/// An ECDSA P-256 private key and its certificate, signing `ecdsa-sha256` with AWS-LC
/// (constant-time; the signature value is `r || s`, 64 bytes, as XML-DSig wants it).
///
/// The key signs `ecdsa-sha256` only: set `signatureAlgorithm` to `ecdsa-sha256` in the
/// settings. Any other algorithm is refused with [`SignError::Unsupported`]. `Debug` never prints
/// the key.
pub struct EcdsaSigningKey {
    key: EcdsaKeyPair,
    certificate: Certificate,
    rng: SystemRandom,
}

impl EcdsaSigningKey {
    /// A signer from a private key and a certificate, each PEM or DER. The key is SEC1
    /// (`BEGIN EC PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) on the P-256 curve. Refuses
    /// encrypted keys, other key types and curves, and a key that does not match the certificate.
    pub fn from_pem_or_der(key: &[u8], certificate: &[u8]) -> Result<Self, KeyError> {
        Self::new(key, Certificate::from_pem_or_der(certificate)?)
    }

    /// A signer from a private key (PEM or DER) and an already loaded certificate.
    pub fn new(key: &[u8], certificate: Certificate) -> Result<Self, KeyError> {
        let der = match std::str::from_utf8(key) {
            Ok(text) if text.contains("-----BEGIN ") => {
                let block = read_pem(text).ok_or_else(|| invalid_key("no PEM block, or its base64 is malformed"))?;
                match block.label.as_str() {
                    "EC PRIVATE KEY" if block.headers => return Err(KeyError::EncryptedKey),
                    "ENCRYPTED PRIVATE KEY" => return Err(KeyError::EncryptedKey),
                    "EC PRIVATE KEY" | "PRIVATE KEY" => block.der,
                    "RSA PRIVATE KEY" => return Err(rsa_key()),
                    "CERTIFICATE" => return Err(invalid_key("this is a certificate, not a private key")),
                    other => {
                        return Err(invalid_key(&format!("unexpected PEM block `{}`", crate::error::truncate(other))));
                    }
                }
            }
            _ => zeroize::Zeroizing::new(key.to_vec()),
        };
        if let Ok(info) = rsa::pkcs8::PrivateKeyInfoRef::try_from(der.as_slice()) {
            match info.algorithm.oid.to_string().as_str() {
                OID_EC => {}
                OID_RSA => return Err(rsa_key()),
                other => return Err(invalid_key(&format!("not an EC key (algorithm {other})"))),
            }
        }
        let key = EcdsaKeyPair::from_private_key_der(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der)
            .map_err(|_| invalid_key(&format!("{}; samlkit signs with P-256 keys only", other_curve(&der))))?;
        if certificate_point(&certificate)? != key.public_key().as_ref() {
            return Err(KeyError::Mismatch);
        }
        Ok(Self { key, certificate, rng: SystemRandom::new() })
    }
}

/// What a key that is not a P-256 key is, for the error message.
fn other_curve(der: &[u8]) -> &'static str {
    let is = |alg| EcdsaKeyPair::from_private_key_der(alg, der).is_ok();
    if is(&signature::ECDSA_P384_SHA384_FIXED_SIGNING) {
        "an EC key on the P-384 curve"
    } else if is(&signature::ECDSA_P521_SHA512_FIXED_SIGNING) {
        "an EC key on the P-521 curve"
    } else {
        "not a readable EC private key (SEC1 or PKCS#8)"
    }
}

/// The uncompressed P-256 point of the certificate's key; an error naming what the certificate
/// holds otherwise.
fn certificate_point(certificate: &Certificate) -> Result<Vec<u8>, KeyError> {
    let not_p256 = |what: String| KeyError::InvalidCertificate {
        message: format!("its public key is {what}, not an EC P-256 key (the key signs ecdsa-sha256)"),
    };
    let spki = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(certificate.public_key_der())
        .map_err(|_| not_p256("unreadable".into()))?;
    match spki.algorithm.oid.to_string().as_str() {
        OID_EC => {}
        OID_RSA => return Err(not_p256("an RSA key".into())),
        other => return Err(not_p256(format!("of algorithm {other}"))),
    }
    match spki.algorithm.parameters_oid().map(|oid| oid.to_string()) {
        Ok(curve) if curve == OID_P256 => {}
        Ok(curve) => return Err(not_p256(format!("an EC key on curve {curve}"))),
        Err(_) => return Err(not_p256("an EC key without a named curve".into())),
    }
    spki.subject_public_key.as_bytes().map(<[u8]>::to_vec).ok_or_else(|| not_p256("malformed".into()))
}

fn invalid_key(message: &str) -> KeyError {
    KeyError::InvalidKey { message: message.to_owned() }
}

fn rsa_key() -> KeyError {
    invalid_key("an RSA key, not an EC key (RSA keys sign with RsaSigningKey or AwsLcSigningKey)")
}

impl fmt::Debug for EcdsaSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaSigningKey").field("key", &"<redacted>").field("certificate", &self.certificate).finish()
    }
}

impl SigningKey for EcdsaSigningKey {
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, SignError> {
        if algorithm != SignatureAlgorithm::EcdsaSha256 {
            return Err(SignError::Unsupported { algorithm: algorithm.uri() });
        }
        let signature =
            self.key.sign(&self.rng, message).map_err(|e| SignError::Backend { message: format!("AWS-LC: {e}") })?;
        Ok(signature.as_ref().to_vec())
    }

    fn certificate(&self) -> &Certificate {
        &self.certificate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn signs_r_concat_s_that_verifies_and_refuses_other_algorithms() {
        let cert = data("keys/ec-p256.cert.pem");
        for key in
            ["keys/ec-p256.sec1.pem", "keys/ec-p256.sec1.der", "keys/ec-p256.pkcs8.pem", "keys/ec-p256.pkcs8.der"]
        {
            let signer = EcdsaSigningKey::from_pem_or_der(&data(key), &cert).unwrap();
            let sig = signer.sign(SignatureAlgorithm::EcdsaSha256, b"message").unwrap();
            assert_eq!(sig.len(), 64, "{key}");
            let c = signer.certificate();
            assert!(super::super::aws_lc::verify(c, SignatureAlgorithm::EcdsaSha256, b"message", &sig));
            assert!(!super::super::aws_lc::verify(c, SignatureAlgorithm::EcdsaSha256, b"messagf", &sig));
            // Algorithm confusion: a real RSA signature does not verify under the EC certificate
            // as RSA, nor a real ECDSA signature under the RSA certificate as ECDSA.
            let rsa = super::super::RsaSigningKey::from_pem_or_der(
                &data("keys/rsa-2048.pkcs8.pem"),
                &data("keys/rsa-2048.cert.pem"),
            )
            .unwrap();
            let rsa_sig = rsa.sign(SignatureAlgorithm::RsaSha256, b"message").unwrap();
            assert!(super::super::aws_lc::verify(
                rsa.certificate(),
                SignatureAlgorithm::RsaSha256,
                b"message",
                &rsa_sig
            ));
            assert!(!super::super::aws_lc::verify(c, SignatureAlgorithm::RsaSha256, b"message", &rsa_sig));
            assert!(!super::super::aws_lc::verify(
                rsa.certificate(),
                SignatureAlgorithm::EcdsaSha256,
                b"message",
                &sig
            ));
            // A P-384 certificate does not verify a P-256 signature.
            let p384 = Certificate::from_pem_or_der(&data("keys/ec-p384.cert.pem")).unwrap();
            assert!(!super::super::aws_lc::verify(&p384, SignatureAlgorithm::EcdsaSha256, b"message", &sig));
            for alg in SignatureAlgorithm::RSA {
                assert_eq!(signer.sign(alg, b"m").unwrap_err(), SignError::Unsupported { algorithm: alg.uri() });
            }
            assert!(format!("{signer:?}").contains("<redacted>"));
        }
    }

    #[test]
    fn refuses_wrong_keys_and_certificates() {
        let cert = data("keys/ec-p256.cert.pem");
        let key = data("keys/ec-p256.sec1.pem");
        let err = |k: &[u8], c: &[u8]| EcdsaSigningKey::from_pem_or_der(k, c).unwrap_err();
        assert_eq!(err(&data("keys/ec-p256-other.sec1.pem"), &cert), KeyError::Mismatch);
        let message = |e: KeyError| e.to_string();
        let wrong_cert = message(err(&key, &data("keys/rsa-2048.cert.pem")));
        assert_eq!(
            wrong_cert,
            "certificate: its public key is an RSA key, not an EC P-256 key (the key signs ecdsa-sha256)"
        );
        assert!(message(err(&key, &data("keys/ec-p384.cert.pem"))).contains("an EC key on curve 1.3.132.0.34"));
        assert!(message(err(&key, &data("keys/ed25519.cert.pem"))).contains("of algorithm 1.3.101.112"));
        assert!(message(err(&data("keys/rsa-2048.pkcs8.pem"), &cert)).contains("an RSA key"));
        assert!(message(err(&data("keys/rsa-2048.pkcs1.pem"), &cert)).contains("an RSA key"));
        assert!(message(err(&data("keys/ed25519.pkcs8.pem"), &cert)).contains("not an EC key (algorithm 1.3.101.112)"));
        assert_eq!(
            message(err(&data("keys/ec-p384.pkcs8.pem"), &cert)),
            "private key: an EC key on the P-384 curve; samlkit signs with P-256 keys only"
        );
        assert!(message(err(&cert, &cert)).contains("certificate, not a private key"));
        assert!(message(err(b"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", &cert)).contains("`FOO`"));
        assert!(message(err(b"-----BEGIN EC PRIVATE KEY-----\n!!\n", &cert)).contains("no PEM block"));
        assert!(message(err(b"\x30\x03\x02\x01\x00", &cert)).contains("not a readable EC private key"));
        let encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(err(encrypted, &cert), KeyError::EncryptedKey);
        let legacy = b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(err(legacy, &cert), KeyError::EncryptedKey);
    }
}
