//! `Attribute/@NameFormat` values.

/// Serialized as its URI.
impl serde::Serialize for NameFormat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

/// `Attribute/@NameFormat`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameFormat {
    /// `urn:oasis:names:tc:SAML:2.0:attrname-format:uri`: the name is a URI.
    Uri,
    /// `urn:oasis:names:tc:SAML:2.0:attrname-format:basic`: the name is an XML Name.
    Basic,
    /// `urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified`.
    Unspecified,
    /// Any other format URI (read from a response), kept as written.
    Other(String),
}

impl NameFormat {
    /// The format URI.
    pub fn uri(&self) -> &str {
        match self {
            Self::Uri => "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            Self::Basic => "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
            Self::Unspecified => "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
            Self::Other(uri) => uri,
        }
    }

    /// The format a URI names (`Other` for one SAML does not define).
    pub fn from_uri(uri: &str) -> Self {
        [Self::Uri, Self::Basic, Self::Unspecified]
            .into_iter()
            .find(|f| f.uri() == uri)
            .unwrap_or_else(|| Self::Other(uri.to_owned()))
    }

    /// Auth0's choice for a claim name: a URI gives `uri`, an XML Name `basic`, anything else
    /// `unspecified`.
    pub fn for_name(name: &str) -> Self {
        if crate::uri::is_uri(name) {
            Self::Uri
        } else if crate::xml::chars::is_name(name) {
            Self::Basic
        } else {
            Self::Unspecified
        }
    }
}
