//! The `samlp:Response` builder, in the Auth0 shape, and status (error) responses.
//!
//! ```
//! use samlkit::{claims::map_profile, crypto::RsaSigningKey, response::ResponseBuilder, settings::AddonSettings};
//!
//! let settings = AddonSettings::heroku("acme");
//! let profile = serde_json::json!({"email": "jane@example.com"});
//! let claims = map_profile(&settings, &profile)?;
//! let key = RsaSigningKey::from_pem_or_der(
//!     include_bytes!("../examples/data/demo-idp-key.pem"),
//!     include_bytes!("../examples/data/demo-idp-cert.pem"),
//! )?;
//! let response = ResponseBuilder::new(&settings).issuer("urn:acme.example").build(&claims, &key)?;
//! assert!(response.xml.starts_with("<samlp:Response "));
//! # Ok::<(), samlkit::Error>(())
//! ```

use crate::assertion::{Params, shared_setters, write_assertion};
use crate::claims::Claims;
use crate::clock::saml_time;
use crate::crypto::SigningKey;
use crate::error::{Error, SettingsError};
use crate::settings::AddonSettings;
use crate::xml::writer::Writer;
use base64::Engine as _;

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

/// Writes `<samlp:Status>`: the code, an optional nested second-level code, an optional
/// message (element text).
pub(crate) fn write_status(
    out: &mut Writer,
    code: &str,
    second_level: Option<&str>,
    message: Option<&str>,
) -> Result<(), Error> {
    out.markup("<samlp:Status><samlp:StatusCode");
    out.attr("Value", code, "samlp:StatusCode")?;
    out.markup(">");
    if let Some(second) = second_level {
        out.markup("<samlp:StatusCode");
        out.attr("Value", second, "samlp:StatusCode")?;
        out.markup("></samlp:StatusCode>");
    }
    out.markup("</samlp:StatusCode>");
    if let Some(message) = message {
        out.markup("<samlp:StatusMessage>");
        out.text(message, "samlp:StatusMessage")?;
        out.markup("</samlp:StatusMessage>");
    }
    out.markup("</samlp:Status>");
    Ok(())
}

/// A built Response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseXml {
    /// The XML: one line, no XML declaration.
    pub xml: String,
    /// The Response's `ID`.
    pub response_id: String,
    /// The Assertion's `ID` (None for an error response).
    pub assertion_id: Option<String>,
    /// The Response's `Destination`, when it has one.
    pub destination: Option<String>,
}

impl ResponseXml {
    /// The base64 of the XML: the `SAMLResponse` form field of the HTTP-POST binding.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.xml.as_bytes())
    }
}

/// Builds `samlp:Response` documents under one settings value.
#[derive(Clone)]
pub struct ResponseBuilder<'a> {
    params: Params<'a>,
}

impl<'a> ResponseBuilder<'a> {
    /// A builder for responses under `settings`.
    pub fn new(settings: &'a AddonSettings) -> Self {
        Self { params: Params::new(settings) }
    }

    shared_setters!();

    /// Answers `request`: `InResponseTo` is its ID; Recipient and Destination its ACS URL when
    /// that is the settings' `recipient` or in `allowed_acs` (else an error), the settings'
    /// `recipient` when it names none; the audience is its Issuer when the settings have none
    /// (as Auth0 does).
    pub fn answering(
        mut self,
        request: &crate::authn_request::AuthnRequest,
        allowed_acs: &[&str],
    ) -> Result<Self, Error> {
        self.params.answer_acs = Some(request.acs_url(self.params.settings, allowed_acs)?);
        self.params.in_response_to = Some(request.id.clone());
        if self.params.settings.audience.is_none() && self.params.audience.is_none() {
            self.params.audience.clone_from(&request.issuer);
        }
        Ok(self)
    }

    /// A Success response carrying one assertion for `claims`, signed with `key` as the settings
    /// say: the Assertion (default), the Response (`signResponse`), or both (`signResponse` with
    /// `signAssertion` left true, as Auth0's `samlp` library does). The Assertion is signed first,
    /// so the Response signature covers it.
    pub fn build(&self, claims: &Claims, key: &dyn SigningKey) -> Result<ResponseXml, Error> {
        let s = self.params.settings;
        if !s.sign_response && !s.sign_assertion {
            return Err(SettingsError::NothingSigned.into());
        }
        let now = self.params.clock.now();
        let mut out = Writer::with_capacity(4096 + 256 * claims.attributes.len());
        let (start, after_issuer, response_id) = self.write_start(now, &mut out)?;
        write_status(&mut out, StatusCode::Success.uri(), None, None)?;
        let assertion_id = write_assertion(&self.params, now, claims, s.sign_assertion.then_some(key), &mut out)?;
        out.markup("</samlp:Response>");
        if s.sign_response {
            crate::dsig::sign::sign_enveloped(&mut out, start, after_issuer, &response_id, s.algorithms(), key)?;
        }
        let destination = self.params.destination().map(str::to_owned);
        Ok(ResponseXml { xml: out.doc, response_id, assertion_id: Some(assertion_id), destination })
    }

    /// A response with no assertion and the given status (an error response), signed with `key`
    /// when one is given.
    pub fn build_status(&self, status: &Status, key: Option<&dyn SigningKey>) -> Result<ResponseXml, Error> {
        let now = self.params.clock.now();
        let mut out = Writer::with_capacity(2048);
        let (start, after_issuer, response_id) = self.write_start(now, &mut out)?;
        write_status(&mut out, status.code.uri(), status.second_level.as_deref(), status.message.as_deref())?;
        out.markup("</samlp:Response>");
        if let Some(key) = key {
            let s = self.params.settings;
            crate::dsig::sign::sign_enveloped(&mut out, start, after_issuer, &response_id, s.algorithms(), key)?;
        }
        let destination = self.params.destination().map(str::to_owned);
        Ok(ResponseXml { xml: out.doc, response_id, assertion_id: None, destination })
    }

    /// Writes the Response start tag and Issuer; returns where the Response starts, where its
    /// Signature would go, and its ID.
    fn write_start(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        out: &mut Writer,
    ) -> Result<(crate::xml::writer::Mark, crate::xml::writer::Mark, String), Error> {
        const R: &str = "samlp:Response";
        let p = &self.params;
        let id = p.new_id()?;
        let issuer = p.issuer()?;
        let start = out.mark();
        out.markup("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"");
        if let Some(destination) = p.destination() {
            out.attr("Destination", destination, R)?;
        }
        out.attr("ID", &id, R)?;
        if let Some(irt) = &p.in_response_to {
            out.attr("InResponseTo", irt, R)?;
        }
        out.attr("IssueInstant", &saml_time(now), R)?;
        out.markup(" Version=\"2.0\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">");
        out.text(issuer, "saml:Issuer")?;
        out.markup("</saml:Issuer>");
        Ok((start, out.mark(), id))
    }
}
