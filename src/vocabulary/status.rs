//! SAML status codes (SAML core 3.2.2): what a Response or LogoutResponse says happened.

/// A top-level SAML status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusCode {
    /// `urn:oasis:names:tc:SAML:2.0:status:Success`.
    Success,
    /// `urn:oasis:names:tc:SAML:2.0:status:Requester`: the request was at fault.
    Requester,
    /// `urn:oasis:names:tc:SAML:2.0:status:Responder`: the IdP failed (Auth0's error status).
    Responder,
    /// `urn:oasis:names:tc:SAML:2.0:status:VersionMismatch`.
    VersionMismatch,
}

impl StatusCode {
    /// The status URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Success => "urn:oasis:names:tc:SAML:2.0:status:Success",
            Self::Requester => "urn:oasis:names:tc:SAML:2.0:status:Requester",
            Self::Responder => "urn:oasis:names:tc:SAML:2.0:status:Responder",
            Self::VersionMismatch => "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch",
        }
    }
}

/// Second-level status codes of SAML core 3.2.2.2 that IdPs commonly send.
pub mod second_level {
    /// The IdP could not authenticate the user.
    pub const AUTHN_FAILED: &str = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
    /// `IsPassive` was set and the user would have had to log in.
    pub const NO_PASSIVE: &str = "urn:oasis:names:tc:SAML:2.0:status:NoPassive";
    /// The requested authentication context cannot be met.
    pub const NO_AUTHN_CONTEXT: &str = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext";
    /// The request was denied.
    pub const REQUEST_DENIED: &str = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied";
    /// The requested NameID policy cannot be met.
    pub const INVALID_NAMEID_POLICY: &str = "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy";
    /// Something not otherwise listed is not supported.
    pub const REQUEST_UNSUPPORTED: &str = "urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported";
}

/// A `samlp:Status`: a code, an optional nested second-level code, an optional message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The top-level code.
    pub code: StatusCode,
    /// A second-level code URI (see [`second_level`]), nested inside the first.
    pub second_level: Option<String>,
    /// A human-readable message, written as `StatusMessage` text (schema-valid, unlike the
    /// `Value` attribute Auth0's library writes).
    pub message: Option<String>,
}

impl Status {
    /// A `Responder` error with a message, as Auth0 sends.
    pub fn responder(message: impl Into<String>) -> Self {
        Self { code: StatusCode::Responder, second_level: None, message: Some(message.into()) }
    }

    /// Adds a second-level code.
    pub fn with_second_level(mut self, uri: impl Into<String>) -> Self {
        self.second_level = Some(uri.into());
        self
    }
}
