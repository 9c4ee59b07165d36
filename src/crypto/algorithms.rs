//! Signature and digest algorithms: their Auth0 settings names and their XML-DSig URIs.

use std::fmt;

/// A signature algorithm (`signatureAlgorithm` in the settings, `SignatureMethod` in XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// `rsa-sha1`: Auth0's default. Weak (SHA-1 collisions); kept for compatibility.
    RsaSha1,
    /// `rsa-sha256`.
    RsaSha256,
    /// `rsa-sha384` (samlkit extension; Auth0 offers sha1 and sha256 only).
    RsaSha384,
    /// `rsa-sha512` (samlkit extension).
    RsaSha512,
    /// `ecdsa-sha256`: ECDSA with SHA-256, the signature value being `r || s` (RFC 4051).
    /// Verified on P-256 and P-384 in every build; signing (P-256) is a samlkit extension (Auth0
    /// signs with RSA only) that needs the `aws-lc-rs` feature, see
    /// [`SignatureAlgorithm::is_available`].
    EcdsaSha256,
    /// `ecdsa-sha384` (RFC 4051), verified on P-256 and P-384; samlkit does not sign with it.
    EcdsaSha384,
    /// `ecdsa-sha512` (RFC 4051), verified on P-256 and P-384; samlkit does not sign with it.
    EcdsaSha512,
}

/// A digest algorithm (`digestAlgorithm` in the settings, `DigestMethod` in XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// `sha1`: Auth0's default. Weak; kept for compatibility.
    Sha1,
    /// `sha256`.
    Sha256,
    /// `sha384` (samlkit extension).
    Sha384,
    /// `sha512` (samlkit extension).
    Sha512,
}

impl SignatureAlgorithm {
    /// Every algorithm: the RSA ones, strongest last, then ECDSA.
    pub const ALL: [SignatureAlgorithm; 7] = [
        Self::RsaSha1,
        Self::RsaSha256,
        Self::RsaSha384,
        Self::RsaSha512,
        Self::EcdsaSha256,
        Self::EcdsaSha384,
        Self::EcdsaSha512,
    ];

    /// The algorithms samlkit signs with (the `signatureAlgorithm` settings names).
    pub const SIGNING: [SignatureAlgorithm; 5] =
        [Self::RsaSha1, Self::RsaSha256, Self::RsaSha384, Self::RsaSha512, Self::EcdsaSha256];

    /// The RSA algorithms (RSASSA-PKCS1-v1_5), strongest last: the ones an RSA key signs with.
    pub const RSA: [SignatureAlgorithm; 4] = [Self::RsaSha1, Self::RsaSha256, Self::RsaSha384, Self::RsaSha512];

    /// The name used in the Auth0 settings JSON (`rsa-sha256`).
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaSha1 => "rsa-sha1",
            Self::RsaSha256 => "rsa-sha256",
            Self::RsaSha384 => "rsa-sha384",
            Self::RsaSha512 => "rsa-sha512",
            Self::EcdsaSha256 => "ecdsa-sha256",
            Self::EcdsaSha384 => "ecdsa-sha384",
            Self::EcdsaSha512 => "ecdsa-sha512",
        }
    }

    /// The XML-DSig algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            Self::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            Self::RsaSha384 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            Self::RsaSha512 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            Self::EcdsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            Self::EcdsaSha384 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            Self::EcdsaSha512 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
        }
    }

    /// The hash the signature is computed over.
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::RsaSha1 => DigestAlgorithm::Sha1,
            Self::RsaSha256 | Self::EcdsaSha256 => DigestAlgorithm::Sha256,
            Self::RsaSha384 | Self::EcdsaSha384 => DigestAlgorithm::Sha384,
            Self::RsaSha512 | Self::EcdsaSha512 => DigestAlgorithm::Sha512,
        }
    }

    /// Looks a signing algorithm up by its settings name ([`SignatureAlgorithm::SIGNING`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::SIGNING.into_iter().find(|a| a.name() == name)
    }

    /// Looks an algorithm up by its XML-DSig URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    /// Whether the algorithm rests on SHA-1.
    pub fn is_weak(self) -> bool {
        self == Self::RsaSha1
    }

    /// Whether this is an RSA algorithm (signed by an RSA key).
    pub fn is_rsa(self) -> bool {
        match self {
            Self::RsaSha1 | Self::RsaSha256 | Self::RsaSha384 | Self::RsaSha512 => true,
            Self::EcdsaSha256 | Self::EcdsaSha384 | Self::EcdsaSha512 => false,
        }
    }

    /// Whether this build of samlkit can sign with the algorithm: every RSA algorithm always,
    /// `ecdsa-sha256` with the `aws-lc-rs` feature. (Every build verifies every algorithm.)
    pub fn is_available(self) -> bool {
        match self {
            Self::RsaSha1 | Self::RsaSha256 | Self::RsaSha384 | Self::RsaSha512 => true,
            Self::EcdsaSha256 => cfg!(feature = "aws-lc-rs"),
            Self::EcdsaSha384 | Self::EcdsaSha512 => false,
        }
    }

    /// The cargo feature signing with the algorithm needs, if any (`aws-lc-rs` for ECDSA).
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Self::RsaSha1 | Self::RsaSha256 | Self::RsaSha384 | Self::RsaSha512 => None,
            Self::EcdsaSha256 => Some("aws-lc-rs"),
            // No backend signs these.
            Self::EcdsaSha384 | Self::EcdsaSha512 => None,
        }
    }
}

impl DigestAlgorithm {
    /// Every algorithm, strongest last.
    pub const ALL: [DigestAlgorithm; 4] = [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512];

    /// The name used in the Auth0 settings JSON (`sha256`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The XML-DSig algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            Self::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            Self::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            Self::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    /// Looks an algorithm up by its settings name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Looks an algorithm up by its XML-DSig URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    /// Whether the algorithm is SHA-1.
    pub fn is_weak(self) -> bool {
        self == Self::Sha1
    }

    /// Hashes `data` with this algorithm.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Serialized as the settings name (`rsa-sha256`).
impl serde::Serialize for SignatureAlgorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Serialized as the settings name (`sha256`).
impl serde::Serialize for DigestAlgorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris_round_trip() {
        for a in SignatureAlgorithm::ALL {
            assert_eq!(SignatureAlgorithm::from_uri(a.uri()), Some(a));
            // Settings names exist for the algorithms samlkit signs with only.
            let signs = SignatureAlgorithm::SIGNING.contains(&a);
            assert_eq!(SignatureAlgorithm::from_name(a.name()), signs.then_some(a));
        }
        assert_eq!(SignatureAlgorithm::from_name("ecdsa-sha384"), None);
        for d in DigestAlgorithm::ALL {
            assert_eq!(DigestAlgorithm::from_name(d.name()), Some(d));
            assert_eq!(DigestAlgorithm::from_uri(d.uri()), Some(d));
        }
        assert_eq!(SignatureAlgorithm::from_name("rsa-md5"), None);
        assert_eq!(DigestAlgorithm::from_uri("http://www.w3.org/2001/04/xmldsig-more#md5"), None);
    }

    #[test]
    fn digests_match_known_vectors() {
        // FIPS 180 "abc" test vectors (first bytes).
        assert_eq!(DigestAlgorithm::Sha1.digest(b"abc")[..4], [0xa9, 0x99, 0x3e, 0x36]);
        assert_eq!(DigestAlgorithm::Sha256.digest(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf]);
        assert_eq!(DigestAlgorithm::Sha384.digest(b"abc")[..4], [0xcb, 0x00, 0x75, 0x3f]);
        assert_eq!(DigestAlgorithm::Sha512.digest(b"abc")[..4], [0xdd, 0xaf, 0x35, 0xa1]);
        assert_eq!(SignatureAlgorithm::RsaSha384.digest(), DigestAlgorithm::Sha384);
        assert!(SignatureAlgorithm::RsaSha1.is_weak() && DigestAlgorithm::Sha1.is_weak());
        assert!(!SignatureAlgorithm::RsaSha256.is_weak() && !DigestAlgorithm::Sha512.is_weak());
        assert_eq!(SignatureAlgorithm::EcdsaSha256.digest(), DigestAlgorithm::Sha256);
        assert!(!SignatureAlgorithm::EcdsaSha256.is_weak() && !SignatureAlgorithm::EcdsaSha256.is_rsa());
        assert!(SignatureAlgorithm::RSA.iter().all(|a| a.is_rsa() && a.is_available()));
        assert_eq!(SignatureAlgorithm::EcdsaSha256.is_available(), cfg!(feature = "aws-lc-rs"));
        assert_eq!(SignatureAlgorithm::EcdsaSha256.feature(), Some("aws-lc-rs"));
        assert_eq!(SignatureAlgorithm::RsaSha1.feature(), None);
    }
}
