//! [`Certificate`]: an X.509 certificate (or a bare public key) pinned for verification and
//! written into `KeyInfo` and metadata.

use super::OID_RSA;
use super::pem::read_pem;
use crate::error::KeyError;
use crate::xml::writer::Base64Text;
use chrono::{DateTime, Utc};
use rsa::pkcs8::spki::DecodePublicKey as _;
use rsa::traits::PublicKeyParts as _;
use x509_cert::der::{Decode as _, Encode as _};

/// An X.509 certificate: its DER bytes, and its base64 form as `X509Certificate` carries it.
///
/// Two certificates are equal when their DER bytes are. The public key is parsed once, when the
/// certificate is read, so verifying many messages does not parse it again.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    base64: Base64Text,
    spki_der: Vec<u8>,
    subject: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    rsa: Option<rsa::PublicKey>,
    /// The RSA modulus size, also for a key too small for the `rsa` crate to load.
    rsa_bits: Option<usize>,
    ec: Option<crate::crypto::EcPublicKey>,
    #[cfg(feature = "aws-lc-rs")]
    pub(crate) aws_lc: crate::crypto::AwsLcPublicKeys,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate").field("subject", &self.subject).finish_non_exhaustive()
    }
}

impl Certificate {
    /// Reads a certificate from PEM (`BEGIN CERTIFICATE`) or DER bytes.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN ") => Self::from_pem(text),
            _ => Self::from_der(bytes),
        }
    }

    /// Reads a PEM certificate.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let block = read_pem(text).ok_or_else(|| invalid_cert("no PEM block, or its base64 is malformed"))?;
        if block.label != "CERTIFICATE" {
            return Err(invalid_cert(&format!("the PEM block is `{}`, not `CERTIFICATE`", block.label)));
        }
        Self::from_der(&block.der)
    }

    /// Reads a base64 DER certificate, as found in `X509Certificate` elements and in Auth0's
    /// `signingCert` when the PEM armor is left off. Whitespace is ignored.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let der = crate::xml::xs::base64(text.trim()).map_err(|_| invalid_cert("the base64 is malformed"))?;
        Self::from_der(&der)
    }

    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| invalid_cert(&format!("not X.509 DER: {e}")))?;
        let tbs = cert.tbs_certificate();
        let spki = tbs.subject_public_key_info();
        let validity = tbs.validity();
        let time = |t: &x509_cert::time::Time| {
            let seconds = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
        };
        let validity = (time(&validity.not_before), time(&validity.not_after));
        Self::from_parts(der, spki, tbs.subject().to_string(), validity)
    }

    /// A bare public key (a DER SubjectPublicKeyInfo, or PEM `BEGIN PUBLIC KEY`) pinned as if it
    /// were a certificate, as Auth0 takes it for `signingCert`: no subject, no validity period
    /// (always valid), and [`Certificate::der`] is the SubjectPublicKeyInfo.
    pub fn from_public_key_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        let der = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN ") => {
                let block = read_pem(text).ok_or_else(|| invalid_public("no PEM block, or its base64 is malformed"))?;
                if block.label != "PUBLIC KEY" {
                    return Err(invalid_public(&format!("the PEM block is `{}`, not `PUBLIC KEY`", block.label)));
                }
                block.der.to_vec()
            }
            _ => bytes.to_vec(),
        };
        let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(&der)
            .map_err(|e| invalid_public(&format!("not a SubjectPublicKeyInfo: {e}")))?;
        Self::from_parts(
            &der,
            &spki,
            "(a bare public key)".to_owned(),
            (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
        )
    }

    fn from_parts(
        der: &[u8],
        spki: &x509_cert::spki::SubjectPublicKeyInfoOwned,
        subject: String,
        (not_before, not_after): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Self, KeyError> {
        let spki_der = spki.to_der().map_err(|e| invalid_cert(&e.to_string()))?;
        let rsa = rsa::PublicKey::from_public_key_der(&spki_der).ok();
        let rsa_bits = match &rsa {
            Some(key) => Some(key.n().bit_width() as usize),
            None if spki.algorithm.oid.to_string() == OID_RSA => {
                let bits = spki.subject_public_key.raw_bytes();
                rsa::pkcs1::RsaPublicKeyRef::from_der(bits).ok().map(|k| modulus_bits(k.modulus.as_bytes()))
            }
            None => None,
        };
        Ok(Self {
            der: der.to_vec(),
            base64: Base64Text::encode(der),
            subject,
            not_before,
            not_after,
            rsa_bits,
            ec: if rsa.is_none() { crate::crypto::EcPublicKey::from_spki_der(&spki_der) } else { None },
            rsa,
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: crate::crypto::AwsLcPublicKeys::default(),
            spki_der,
        })
    }

    /// The SP's `signingCert` setting as Auth0 reads it: a PEM certificate, the base64 body of
    /// one, or a PEM public key (`BEGIN PUBLIC KEY`, as Auth0's documentation writes it).
    pub(crate) fn from_signing_cert_setting(text: &str) -> Result<Self, KeyError> {
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            Self::from_public_key_pem_or_der(text.as_bytes())
        } else if text.contains("-----BEGIN") {
            Self::from_pem(text)
        } else {
            Self::from_base64(text)
        }
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The base64 of the DER bytes, on one line (the content of `X509Certificate`).
    pub fn base64(&self) -> &str {
        self.base64.as_str()
    }

    /// The base64 of the DER bytes, for the writer.
    pub(crate) fn base64_text(&self) -> &Base64Text {
        &self.base64
    }

    /// The certificate as PEM, 64 columns.
    pub fn to_pem(&self) -> String {
        super::pem::encode("CERTIFICATE", &self.der)
    }

    /// The subject's distinguished name (RFC 4514 form).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn public_key_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The size of the RSA modulus in bits, if the certificate holds an RSA key.
    pub fn rsa_bits(&self) -> Option<usize> {
        self.rsa_bits
    }

    /// The end of the certificate's validity period (`notAfter`).
    pub fn not_after(&self) -> DateTime<Utc> {
        self.not_after
    }

    /// The start of the certificate's validity period (`notBefore`).
    pub fn not_before(&self) -> DateTime<Utc> {
        self.not_before
    }

    /// The EC public key (P-256 or P-384), if the certificate holds one.
    pub(crate) fn ec_public_key(&self) -> Option<&crate::crypto::EcPublicKey> {
        self.ec.as_ref()
    }

    /// The RSA public key, if the certificate holds one.
    pub(crate) fn rsa_public_key(&self) -> Result<&rsa::PublicKey, KeyError> {
        self.rsa.as_ref().ok_or_else(|| invalid_cert("its public key is not an RSA key samlkit can use"))
    }
}

/// The bit length of a big-endian unsigned integer.
fn modulus_bits(bytes: &[u8]) -> usize {
    let bytes = &bytes[bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len())..];
    bytes.first().map_or(0, |&b| (bytes.len() - 1) * 8 + (8 - b.leading_zeros() as usize))
}

fn invalid_public(message: &str) -> KeyError {
    KeyError::InvalidPublicKey { message: message.to_owned() }
}

fn invalid_cert(message: &str) -> KeyError {
    KeyError::InvalidCertificate { message: message.to_owned() }
}
