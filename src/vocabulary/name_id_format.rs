//! `NameID/@Format` values.

use std::fmt;

/// The format of the `saml:NameID` (`nameIdentifierFormat` in the settings).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NameIdFormat {
    /// `urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified` (Auth0's default).
    #[default]
    Unspecified,
    /// `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress` (what Heroku requires).
    EmailAddress,
    /// `urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName`.
    X509SubjectName,
    /// `urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName`.
    WindowsDomainQualifiedName,
    /// `urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos`.
    Kerberos,
    /// `urn:oasis:names:tc:SAML:2.0:nameid-format:entity`.
    Entity,
    /// `urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`.
    Persistent,
    /// `urn:oasis:names:tc:SAML:2.0:nameid-format:transient`.
    Transient,
    /// Any other format URI, kept as written.
    Other(String),
}

const KNOWN: [(NameIdFormat, &str); 8] = [
    (NameIdFormat::Unspecified, "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
    (NameIdFormat::EmailAddress, "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
    (NameIdFormat::X509SubjectName, "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"),
    (NameIdFormat::WindowsDomainQualifiedName, "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName"),
    (NameIdFormat::Kerberos, "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos"),
    (NameIdFormat::Entity, "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"),
    (NameIdFormat::Persistent, "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
    (NameIdFormat::Transient, "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
];

/// Serialized as its URI.
impl serde::Serialize for NameIdFormat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

impl NameIdFormat {
    /// The format URI.
    pub fn uri(&self) -> &str {
        match self {
            Self::Other(uri) => uri,
            known => KNOWN.iter().find(|(f, _)| f == known).map(|(_, u)| *u).unwrap_or_default(),
        }
    }

    /// The format for a URI: a known variant, or [`NameIdFormat::Other`].
    pub fn from_uri(uri: &str) -> Self {
        KNOWN.iter().find(|(_, u)| *u == uri).map(|(f, _)| f.clone()).unwrap_or_else(|| Self::Other(uri.to_owned()))
    }
}

impl fmt::Display for NameIdFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_format_round_trips_and_others_are_kept() {
        for (format, uri) in KNOWN {
            assert_eq!(format.uri(), uri);
            assert_eq!(NameIdFormat::from_uri(uri), format);
        }
        let custom = NameIdFormat::from_uri("urn:example:custom");
        assert_eq!(custom, NameIdFormat::Other("urn:example:custom".into()));
        assert_eq!(custom.to_string(), "urn:example:custom");
        assert_eq!(NameIdFormat::default().uri(), "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
    }
}
