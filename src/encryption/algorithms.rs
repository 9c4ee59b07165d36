//! The content and key-transport algorithms, with their URIs.

use std::fmt;

/// How the assertion itself is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentAlgorithm {
    /// AES-128-GCM (`http://www.w3.org/2009/xmlenc11#aes128-gcm`).
    Aes128Gcm,
    /// AES-256-GCM (`http://www.w3.org/2009/xmlenc11#aes256-gcm`): the default.
    Aes256Gcm,
    /// AES-128-CBC (`http://www.w3.org/2001/04/xmlenc#aes128-cbc`): legacy, unauthenticated.
    Aes128Cbc,
    /// AES-256-CBC (`http://www.w3.org/2001/04/xmlenc#aes256-cbc`): legacy, unauthenticated
    /// (the default of Auth0's library, for old SPs).
    Aes256Cbc,
}

/// Serialized as its name (`aes256-gcm`).
impl serde::Serialize for ContentAlgorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl ContentAlgorithm {
    /// Every content algorithm.
    pub const ALL: [Self; 4] = [Self::Aes128Gcm, Self::Aes256Gcm, Self::Aes128Cbc, Self::Aes256Cbc];

    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            Self::Aes256Gcm => "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            Self::Aes128Cbc => "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            Self::Aes256Cbc => "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        }
    }

    /// The short name (`aes256-gcm`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "aes128-gcm",
            Self::Aes256Gcm => "aes256-gcm",
            Self::Aes128Cbc => "aes128-cbc",
            Self::Aes256Cbc => "aes256-cbc",
        }
    }

    /// The algorithm with this URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    /// Whether this is one of the unauthenticated CBC modes.
    pub fn is_cbc(self) -> bool {
        matches!(self, Self::Aes128Cbc | Self::Aes256Cbc)
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm | Self::Aes128Cbc => 16,
            Self::Aes256Gcm | Self::Aes256Cbc => 32,
        }
    }
}

impl fmt::Display for ContentAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the content key is encrypted for the SP (key transport).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyTransport {
    /// RSA-OAEP with SHA-1 and MGF1-SHA-1 (`http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p`):
    /// what Auth0 emits and every SP reads. The default.
    RsaOaepMgf1p,
    /// XML Encryption 1.1 RSA-OAEP (`http://www.w3.org/2009/xmlenc11#rsa-oaep`) with a SHA-256
    /// digest and MGF1-SHA-256.
    RsaOaepSha256,
}

impl KeyTransport {
    /// Both key transports.
    pub const ALL: [Self; 2] = [Self::RsaOaepMgf1p, Self::RsaOaepSha256];

    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::RsaOaepMgf1p => "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            Self::RsaOaepSha256 => "http://www.w3.org/2009/xmlenc11#rsa-oaep",
        }
    }

    /// The short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaOaepMgf1p => "rsa-oaep-mgf1p",
            Self::RsaOaepSha256 => "rsa-oaep (sha256, mgf1sha256)",
        }
    }
}

impl fmt::Display for KeyTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The OAEP digest and MGF1 digest of an `EncryptedKey` (decryption accepts these pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Oaep {
    Sha1Mgf1Sha1,
    Sha256Mgf1Sha256,
    Sha256Mgf1Sha1,
}
