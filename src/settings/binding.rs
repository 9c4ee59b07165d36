//! SAML bindings (`binding` in the settings).

use std::fmt;

/// A SAML 2.0 protocol binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Binding {
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST` (Auth0's default).
    #[default]
    HttpPost,
    /// `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
    HttpRedirect,
}

impl Binding {
    /// The binding URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::HttpPost => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
            Self::HttpRedirect => "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
        }
    }

    /// The binding for a URI or a short name (`HTTP-POST`, `HTTP-Redirect`).
    pub fn parse(value: &str) -> Option<Self> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_short_names_parse() {
        assert_eq!(Binding::parse("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"), Some(Binding::HttpPost));
        assert_eq!(Binding::parse("HTTP-Redirect"), Some(Binding::HttpRedirect));
        assert_eq!(Binding::parse("HTTP-Artifact"), None);
        assert_eq!(Binding::parse("http-post"), None);
        assert_eq!(Binding::default().to_string(), "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    }
}
