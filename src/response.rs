//! The `samlp:Response` builder, in the Auth0 shape, and status (error) responses: what
//! [`crate::IdentityProvider`] drives, reachable alone through [`crate::low_level`].
//!
//! ```
//! use samlkit::{AddonSettings, IdpKey, claims::map_profile, low_level::ResponseBuilder};
//!
//! let settings = AddonSettings::heroku("acme");
//! let profile = serde_json::json!({"email": "jane@example.com"});
//! let claims = map_profile(&settings, &profile)?;
//! let key = IdpKey::from_pem_or_der(
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
use crate::vocabulary::{Status, StatusCode};
use crate::xml::writer::Writer;
use base64::Engine as _;

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
