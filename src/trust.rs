//! [`TrustPolicy`]: whose signatures are accepted, and with which algorithms. One policy serves
//! every place samlkit verifies a signature: the [`crate::Validator`], the metadata readers,
//! and both bindings (enveloped signatures over HTTP-POST, query signatures over
//! HTTP-Redirect).

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm};
use crate::keys::Certificate;

/// Pinned certificates and an algorithm policy.
///
/// Defaults: SHA-256 and stronger (rsa-sha256/384/512, ecdsa-sha256/384/512 with sha256+
/// digests), RSA keys of 2048 bits and more. A policy with no certificate verifies nothing: a
/// binding then accepts only unsigned messages, and the [`crate::Validator`] refuses to be
/// built.
///
/// ```
/// use samlkit::{Certificate, SignatureAlgorithm, TrustPolicy};
/// # let cert = Certificate::from_pem_or_der(include_bytes!("../tests/data/keys/rsa-2048.cert.pem"))?;
/// let trust = TrustPolicy::new(vec![cert]).only(&[SignatureAlgorithm::RsaSha256]);
/// assert!(trust.allows(SignatureAlgorithm::RsaSha256));
/// assert!(!trust.allows(SignatureAlgorithm::RsaSha512));
/// # Ok::<(), samlkit::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustPolicy {
    certificates: Vec<Certificate>,
    allow_sha1: bool,
    allow_rsa_1024: bool,
    only: Option<Vec<SignatureAlgorithm>>,
}

impl TrustPolicy {
    /// Signatures by `certificates` (the peer's signing certificates, or bare keys), with the
    /// default algorithm policy.
    pub fn new(certificates: Vec<Certificate>) -> Self {
        TrustPolicy { certificates, ..TrustPolicy::default() }
    }

    /// Accept rsa-sha1 and sha1: Auth0's default, and weak (SHA-1 collisions are practical).
    pub fn insecure_allow_sha1(mut self) -> Self {
        self.allow_sha1 = true;
        self
    }

    /// Accept pinned RSA keys of 1024 to 2047 bits (refused by default, with an error that names
    /// the key size).
    pub fn insecure_allow_rsa_1024(mut self) -> Self {
        self.allow_rsa_1024 = true;
        self
    }

    /// Accept only these signature algorithms (still subject to the SHA-1 rule).
    pub fn only(mut self, algorithms: &[SignatureAlgorithm]) -> Self {
        self.only = Some(algorithms.to_vec());
        self
    }

    /// Another pinned certificate (key rollover: pin the old and the new one).
    pub fn with_certificate(mut self, certificate: Certificate) -> Self {
        self.certificates.push(certificate);
        self
    }

    /// The pinned certificates.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// Whether SHA-1 is accepted.
    pub fn allows_sha1(&self) -> bool {
        self.allow_sha1
    }

    /// Whether RSA keys of 1024 to 2047 bits are accepted.
    pub fn allows_rsa_1024(&self) -> bool {
        self.allow_rsa_1024
    }

    /// Whether a signature made with `algorithm` is accepted.
    pub fn allows(&self, algorithm: SignatureAlgorithm) -> bool {
        (!algorithm.is_weak() || self.allow_sha1) && self.only.as_ref().is_none_or(|only| only.contains(&algorithm))
    }

    /// Whether a Reference digest made with `digest` is accepted.
    pub fn allows_digest(&self, digest: DigestAlgorithm) -> bool {
        !digest.is_weak() || self.allow_sha1
    }

    /// Why `algorithm` is refused (for an error message), when it is.
    pub(crate) fn refusal(&self, algorithm: SignatureAlgorithm) -> Option<&'static str> {
        if algorithm.is_weak() && !self.allow_sha1 {
            Some(" (SHA-1 is weak; opt in with insecure_allow_sha1 if this IdP cannot do better)")
        } else if !self.allows(algorithm) {
            Some(" (not among the algorithms of TrustPolicy::only)")
        } else {
            None
        }
    }
}
