//! The identity provider: one owned, validated object that every request handler shares.
//!
//! ```
//! use samlkit::{AddonSettings, IdentityProvider, IdpKey};
//! # let key = include_bytes!("../../examples/data/demo-idp-key.pem");
//! # let cert = include_bytes!("../../examples/data/demo-idp-cert.pem");
//! let settings = AddonSettings::heroku("acme").with_issuer("urn:acme.auth0.com");
//! let idp = IdentityProvider::new(settings, IdpKey::from_pem_or_der(key, cert)?)?;
//! // Per login (from any thread: `idp` is `Clone + Send + Sync`, `Arc` inside):
//! let signed = idp.respond(&serde_json::json!({"email": "jane@example.com"})).build()?;
//! assert_eq!(signed.destination, "https://sso.heroku.com/saml/acme/finalize");
//! let page = signed.post_form(Some("state"))?; // the auto-submitting HTTP-POST page
//! # assert!(page.contains("SAMLResponse"));
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! **One source of truth.** The settings decide everything, as Auth0's dashboard does; a value
//! given for one login (`acs_url`, `audience`, `session_index`, …) overrides the settings for
//! that login, always.

mod key;
mod login;

pub use key::IdpKey;
pub use login::{LoginResponse, SignedResponse};

use crate::authn_request::AuthnRequest;
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, SignError, UsageError};
use crate::ids::{IdGenerator, RandomIds};
use crate::logout::LogoutBuilder;
use crate::metadata::IdpMetadataBuilder;
use crate::settings::AddonSettings;
use crate::trust::TrustPolicy;
use crate::vocabulary::Status;
use std::fmt;
use std::sync::Arc;

/// An identity provider: addon settings and a signing key, validated once, with an injected
/// clock and ID generator. Build it once and share it (`Clone` is an `Arc` clone).
#[derive(Clone)]
pub struct IdentityProvider {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    settings: AddonSettings,
    key: IdpKey,
    request_trust: TrustPolicy,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl fmt::Debug for IdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityProvider")
            .field("issuer", &self.inner.settings.issuer)
            .field("recipient", &self.inner.settings.recipient)
            .field("key", &self.inner.key)
            .finish_non_exhaustive()
    }
}

impl IdentityProvider {
    /// Validates `settings` (as [`AddonSettings::validate`] does) and checks that they name an
    /// issuer ([`AddonSettings::with_issuer`]) and a recipient or destination
    /// ([`AddonSettings::with_callback_url`]), that `key` fits the signature algorithm and that
    /// this build signs with it, and that the encryption and request-signing certificates in the
    /// settings parse.
    ///
    /// # Errors
    /// [`crate::error::SettingsError`] for a bad value, [`UsageError::Missing`] for a missing
    /// issuer or recipient, [`SignError`] for a key or algorithm that cannot sign,
    /// [`crate::error::KeyError`] for an unreadable encryption or request-signing certificate.
    pub fn new(settings: AddonSettings, key: IdpKey) -> Result<Self, Error> {
        settings.validate()?;
        if settings.issuer.is_none() {
            return Err(UsageError::Missing {
                what: "issuer",
                how: "set `issuer` in the settings JSON or call AddonSettings::with_issuer",
            }
            .into());
        }
        if settings.recipient.is_none() && settings.destination.is_none() {
            return Err(UsageError::Missing {
                what: "recipient (the SP's ACS URL)",
                how: "set `recipient` in the settings JSON or call AddonSettings::with_callback_url",
            }
            .into());
        }
        let algorithm = settings.signature_algorithm;
        if let Some(feature) = algorithm.feature().filter(|_| !algorithm.is_available()) {
            return Err(SignError::NeedsFeature { algorithm: algorithm.name(), feature }.into());
        }
        if !key.fits(algorithm) {
            let expected = if algorithm.is_rsa() { "RSA" } else { "EC P-256" };
            return Err(SignError::KeyType { algorithm: algorithm.name(), expected }.into());
        }
        settings.encryption()?;
        let request_trust = settings.request_trust()?;
        let inner = Inner { settings, key, request_trust, clock: Arc::new(SystemClock), ids: Arc::new(RandomIds) };
        Ok(IdentityProvider { inner: Arc::new(inner) })
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        Arc::make_mut(&mut self.inner).clock = clock;
        self
    }

    /// The ID generator (default: 128 random bits from the operating system).
    pub fn ids(mut self, ids: Arc<dyn IdGenerator>) -> Self {
        Arc::make_mut(&mut self.inner).ids = ids;
        self
    }

    /// The settings.
    pub fn settings(&self) -> &AddonSettings {
        &self.inner.settings
    }

    /// The signing key.
    pub fn key(&self) -> &IdpKey {
        &self.inner.key
    }

    /// Whose signatures the SP's requests must carry ([`AddonSettings::request_trust`], read
    /// once): pass it to [`AuthnRequest::from_redirect`], [`AuthnRequest::from_post`] and the
    /// logout readers.
    pub fn request_trust(&self) -> &TrustPolicy {
        &self.inner.request_trust
    }

    /// An IdP-initiated login for `profile` (an Auth0-style user profile): the claims are mapped
    /// with this IdP's settings when the response is built.
    pub fn respond(&self, profile: &serde_json::Value) -> LoginResponse {
        LoginResponse::new(self.clone(), login::Kind::Login(profile.clone()))
    }

    /// An SP-initiated login: the response to `request` for `profile`. InResponseTo is the
    /// request's ID; the ACS URL is the request's only when it is the settings' recipient or on
    /// the builder's allow-list ([`LoginResponse::allow_acs`]), else an error; the audience is
    /// the request's Issuer when the settings name none (as Auth0 does).
    pub fn answer(&self, request: &AuthnRequest, profile: &serde_json::Value) -> LoginResponse {
        LoginResponse::new(self.clone(), login::Kind::Login(profile.clone())).answering(request.clone())
    }

    /// A response without an assertion, carrying `status` (an error response), signed when the
    /// settings sign responses.
    pub fn error_response(&self, status: Status) -> LoginResponse {
        LoginResponse::new(self.clone(), login::Kind::Status(status))
    }

    /// The IdP's metadata builder: entity ID, signing certificate and attributes from this
    /// IdP; add the endpoints (`sso_url`, `slo_url`) and build.
    pub fn metadata(&self) -> IdpMetadataBuilder<'_> {
        let s = &self.inner.settings;
        IdpMetadataBuilder::new(s.issuer.clone().unwrap_or_default())
            .signing_certificate(self.inner.key.certificate().clone())
            .settings(s)
            .clock(&*self.inner.clock)
            .ids(&*self.inner.ids)
    }

    /// The builder of single-logout messages to this IdP's SP.
    pub fn logout(&self) -> LogoutBuilder<'_> {
        LogoutBuilder::new(&self.inner.settings).clock(&*self.inner.clock).ids(&*self.inner.ids)
    }
}
