//! SAML bindings: how a message travels (`Binding` in metadata, `ProtocolBinding` in an
//! AuthnRequest, `binding` in the settings).

use std::fmt;

/// A SAML binding URI.
///
/// The settings accept only [`Binding::HttpPost`] and [`Binding::HttpRedirect`] (the two Auth0
/// sends with); what is read from metadata or a request may name any binding, and a URI SAML
/// does not define is kept as [`Binding::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Binding {
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST` (Auth0's default).
    #[default]
    HttpPost,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
    HttpRedirect,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact`.
    HttpArtifact,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:SOAP`.
    Soap,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:PAOS` (the ECP profile).
    Paos,
    /// Any other binding URI, kept as written.
    Other(String),
}

const KNOWN: [(Binding, &str); 5] = [
    (Binding::HttpPost, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"),
    (Binding::HttpRedirect, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"),
    (Binding::HttpArtifact, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"),
    (Binding::Soap, "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"),
    (Binding::Paos, "urn:oasis:names:tc:SAML:2.0:bindings:PAOS"),
];

impl Binding {
    /// The binding URI.
    pub fn uri(&self) -> &str {
        match self {
            Self::Other(uri) => uri,
            known => KNOWN.iter().find(|(b, _)| b == known).map(|(_, u)| *u).unwrap_or_default(),
        }
    }

    /// The binding a URI names ([`Binding::Other`] for one SAML does not define).
    pub fn from_uri(uri: &str) -> Self {
        KNOWN.iter().find(|(_, u)| *u == uri).map(|(b, _)| b.clone()).unwrap_or_else(|| Self::Other(uri.to_owned()))
    }

    /// A binding the settings may name: HTTP-POST or HTTP-Redirect, as its URI or its short name
    /// (`HTTP-Redirect`). None for anything else.
    pub fn from_setting(value: &str) -> Option<Self> {
        [Self::HttpPost, Self::HttpRedirect]
            .into_iter()
            .find(|b| b.uri() == value || b.uri().rsplit(':').next() == Some(value))
    }
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri())
    }
}

/// Serialized as its URI.
impl serde::Serialize for Binding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_take_uris_and_short_names_of_post_and_redirect() {
        assert_eq!(Binding::from_setting("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"), Some(Binding::HttpPost));
        assert_eq!(Binding::from_setting("HTTP-Redirect"), Some(Binding::HttpRedirect));
        assert_eq!(Binding::from_setting("HTTP-Artifact"), None);
        assert_eq!(Binding::from_setting("http-post"), None);
        assert_eq!(Binding::default().to_string(), "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    }

    #[test]
    fn every_uri_reads_back() {
        for (binding, uri) in KNOWN {
            assert_eq!(Binding::from_uri(uri), binding);
            assert_eq!(binding.uri(), uri);
        }
        let other = Binding::from_uri("urn:example:binding");
        assert_eq!(other, Binding::Other("urn:example:binding".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"urn:example:binding\"");
    }
}
