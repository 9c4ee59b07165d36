//! The per-login builder of [`super::IdentityProvider`] and what it builds.

use super::IdentityProvider;
use crate::authn_request::AuthnRequest;
use crate::binding::PostForm;
use crate::claims::map_profile;
use crate::encryption::Encryption;
use crate::error::Error;
use crate::response::ResponseBuilder;
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};

/// What a [`LoginResponse`] builds.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// A Success response with an assertion for this profile.
    Login(serde_json::Value),
    /// A response with this status and no assertion.
    Status(Status),
}

/// One response of an [`IdentityProvider`], built when [`LoginResponse::build`] is called. It
/// owns its values, so it can be moved to another thread or kept across an `await`.
///
/// Every value set here overrides the IdP's settings for this response.
#[derive(Debug, Clone)]
#[must_use = "a LoginResponse does nothing until .build()"]
pub struct LoginResponse {
    idp: IdentityProvider,
    kind: Kind,
    request: Option<AuthnRequest>,
    allowed_acs: Vec<String>,
    in_response_to: Option<String>,
    acs_url: Option<String>,
    audience: Option<String>,
    session_index: Option<String>,
    authn_instant: Option<DateTime<Utc>>,
    session_not_on_or_after: Option<DateTime<Utc>>,
    name_qualifier: Option<String>,
    sp_name_qualifier: Option<String>,
    encryption: Option<Encryption>,
}

impl LoginResponse {
    pub(super) fn new(idp: IdentityProvider, kind: Kind) -> Self {
        LoginResponse {
            idp,
            kind,
            request: None,
            allowed_acs: Vec::new(),
            in_response_to: None,
            acs_url: None,
            audience: None,
            session_index: None,
            authn_instant: None,
            session_not_on_or_after: None,
            name_qualifier: None,
            sp_name_qualifier: None,
            encryption: None,
        }
    }

    pub(super) fn answering(mut self, request: AuthnRequest) -> Self {
        self.request = Some(request);
        self
    }

    /// `InResponseTo`: the ID of the AuthnRequest this answers (set by
    /// [`IdentityProvider::answer`] from the request).
    pub fn in_response_to(mut self, request_id: impl Into<String>) -> Self {
        self.in_response_to = Some(request_id.into());
        self
    }

    /// The SP's ACS URL for this response: Destination and Recipient.
    pub fn acs_url(mut self, url: impl Into<String>) -> Self {
        self.acs_url = Some(url.into());
        self
    }

    /// An ACS URL an AuthnRequest may ask for besides the settings' recipient (SP-initiated
    /// login; a request for any other URL is refused, so no request can redirect the assertion).
    pub fn allow_acs(mut self, url: impl Into<String>) -> Self {
        self.allowed_acs.push(url.into());
        self
    }

    /// The audience (the SP's entity ID).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// `AuthnStatement/@SessionIndex` (default: the assertion's ID).
    pub fn session_index(mut self, index: impl Into<String>) -> Self {
        self.session_index = Some(index.into());
        self
    }

    /// `AuthnStatement/@AuthnInstant`: when the user logged in (default: now).
    pub fn authn_instant(mut self, instant: DateTime<Utc>) -> Self {
        self.authn_instant = Some(instant);
        self
    }

    /// `AuthnStatement/@SessionNotOnOrAfter`.
    pub fn session_not_on_or_after(mut self, instant: DateTime<Utc>) -> Self {
        self.session_not_on_or_after = Some(instant);
        self
    }

    /// `NameID/@NameQualifier`.
    pub fn name_qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.name_qualifier = Some(qualifier.into());
        self
    }

    /// `NameID/@SPNameQualifier`.
    pub fn sp_name_qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.sp_name_qualifier = Some(qualifier.into());
        self
    }

    /// Encrypt the assertion for the SP with `encryption` (default: as the settings'
    /// `encryptionCert` / `encryptionPublicKey` say).
    pub fn encrypt_for(mut self, encryption: Encryption) -> Self {
        self.encryption = Some(encryption);
        self
    }

    /// Maps the profile's claims with the IdP's settings, builds and signs the response.
    ///
    /// # Errors
    /// [`crate::error::ClaimsError`] for a profile the settings cannot map, a refused ACS URL
    /// of an AuthnRequest, and every error of the writer and signer.
    pub fn build(&self) -> Result<SignedResponse, Error> {
        let inner = &*self.idp.inner;
        let mut builder = ResponseBuilder::new(&inner.settings).clock(&*inner.clock).ids(&*inner.ids);
        if let Some(request) = &self.request {
            let allowed: Vec<&str> = self.allowed_acs.iter().map(String::as_str).collect();
            builder = builder.answering(request, &allowed)?;
        }
        if let Some(v) = &self.in_response_to {
            builder = builder.in_response_to(v.clone());
        }
        if let Some(v) = &self.acs_url {
            builder = builder.acs_url(v.clone());
        }
        if let Some(v) = &self.audience {
            builder = builder.audience(v.clone());
        }
        if let Some(v) = &self.session_index {
            builder = builder.session_index(v.clone());
        }
        if let Some(v) = self.authn_instant {
            builder = builder.authn_instant(v);
        }
        if let Some(v) = self.session_not_on_or_after {
            builder = builder.session_not_on_or_after(v);
        }
        if let Some(v) = &self.name_qualifier {
            builder = builder.name_qualifier(v.clone());
        }
        if let Some(v) = &self.sp_name_qualifier {
            builder = builder.sp_name_qualifier(v.clone());
        }
        if let Some(e) = &self.encryption {
            builder = builder.encrypt_for(e);
        }
        let key = inner.key.signer();
        let built = match &self.kind {
            Kind::Login(profile) => builder.build(&map_profile(&inner.settings, profile)?, key)?,
            Kind::Status(status) => {
                let sign = inner.settings.sign_response.then_some(key);
                builder.build_status(status, sign)?
            }
        };
        Ok(SignedResponse {
            destination: built.destination.unwrap_or_default(),
            xml: built.xml,
            response_id: built.response_id,
            assertion_id: built.assertion_id,
        })
    }
}

/// A signed Response, ready to post to the SP.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedResponse {
    /// The XML: one line, no XML declaration.
    pub xml: String,
    /// Where it goes: its `Destination`, the SP's ACS URL.
    pub destination: String,
    /// The Response's `ID`.
    pub response_id: String,
    /// The Assertion's `ID` (None for an error response).
    pub assertion_id: Option<String>,
}

impl SignedResponse {
    /// The base64 of the XML: the `SAMLResponse` form field of the HTTP-POST binding.
    pub fn to_base64(&self) -> String {
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, self.xml.as_bytes())
    }

    /// The HTTP-POST binding's auto-submitting page: a form posting `SAMLResponse` (and
    /// `RelayState`, when given) to the destination; every value HTML-escaped.
    ///
    /// # Errors
    /// A destination that is not an http(s) URL, text HTML cannot carry.
    pub fn post_form(&self, relay_state: Option<&str>) -> Result<String, Error> {
        let mut form = PostForm::response(&self.destination, &self.to_base64());
        if let Some(relay_state) = relay_state {
            form = form.relay_state(relay_state);
        }
        form.html()
    }
}
