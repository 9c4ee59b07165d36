//! The Auth0 "SAML2 Web App" addon settings, typed.
//!
//! [`AddonSettings`] reads the JSON users paste into the addon's Settings box verbatim (camelCase
//! keys), fills Auth0's defaults for absent keys, validates every value with an error naming the
//! key, and writes the same JSON back.
//!
//! ```
//! use samlkit::settings::AddonSettings;
//! use samlkit::vocabulary::NameIdFormat;
//!
//! let settings = AddonSettings::from_json(r#"{
//!     "audience": "https://sso.heroku.com/saml/acme",
//!     "mappings": { "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
//!     "nameIdentifierFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
//! }"#)?;
//! assert_eq!(settings.name_identifier_format, NameIdFormat::EmailAddress);
//! assert_eq!(settings.lifetime_in_seconds, 3600); // Auth0's default
//! # Ok::<(), samlkit::error::SettingsError>(())
//! ```

mod parse;
mod serialize;
mod warnings;

pub use parse::ParseMode;
pub use warnings::Warning;

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm};
use crate::vocabulary::{
    AUTHN_CONTEXT_UNSPECIFIED, Binding, CLAIM_EMAIL, CLAIM_GIVEN_NAME, CLAIM_GROUPS, CLAIM_NAME, CLAIM_NAME_IDENTIFIER,
    CLAIM_SURNAME, CLAIM_UPN, NameIdFormat,
};

use serde_json::{Map, Value};

/// The longest `lifetimeInSeconds` accepted: one year. Longer lifetimes are almost certainly a
/// mistake (a bearer assertion that stays valid for years), and bounding it keeps the
/// `NotOnOrAfter` arithmetic far from overflow.
pub const MAX_LIFETIME_SECONDS: u64 = 365 * 24 * 60 * 60;

/// Where one profile field goes: one claim name, or several (the same value under each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingTarget {
    /// `"field": "claim"`.
    One(String),
    /// `"field": ["claim1", "claim2"]`.
    Many(Vec<String>),
}

impl MappingTarget {
    /// The claim names, in order.
    pub fn claims(&self) -> &[String] {
        match self {
            Self::One(claim) => std::slice::from_ref(claim),
            Self::Many(claims) => claims,
        }
    }
}

/// One entry of `mappings`: a profile field (a top-level key, or a dotted path such as
/// `user_metadata.color` or `emails[0]`) and the claim name(s) it is emitted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The profile field or path.
    pub field: String,
    /// The claim name(s).
    pub target: MappingTarget,
}

impl Mapping {
    /// A mapping of `field` to one claim name.
    pub fn new(field: impl Into<String>, claim: impl Into<String>) -> Self {
        Self { field: field.into(), target: MappingTarget::One(claim.into()) }
    }
}

/// `logout` in the settings: where and whether single logout requests go to the SP.
#[derive(Debug, Clone, PartialEq)]
pub struct Logout {
    /// `logout.callback`: the SP's single logout URL.
    pub callback: Option<String>,
    /// `logout.slo_enabled`: whether logout requests are sent to the SP (default true).
    pub slo_enabled: bool,
    /// Unknown keys inside `logout`, kept in [`ParseMode::Lenient`].
    pub extra: Map<String, Value>,
}

impl Default for Logout {
    fn default() -> Self {
        Self { callback: None, slo_enabled: true, extra: Map::new() }
    }
}

/// The addon settings, with Auth0's defaults for every absent key.
///
/// Field docs give the JSON key and the default. Build one with [`AddonSettings::from_json`],
/// [`AddonSettings::heroku`] or [`Default`] (Auth0's defaults), then adjust fields as needed and
/// call [`AddonSettings::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct AddonSettings {
    /// `audience`: the SP's entity ID, written as `saml:Audience`. None: no `AudienceRestriction`
    /// (Auth0 then uses the AuthnRequest's Issuer).
    pub audience: Option<String>,
    /// `recipient`: `SubjectConfirmationData/@Recipient`, the SP's ACS URL. None: the ACS URL of
    /// the request or the application's callback URL ([`AddonSettings::with_callback_url`]).
    pub recipient: Option<String>,
    /// `destination`: `Response/@Destination`. None: as `recipient`.
    pub destination: Option<String>,
    /// `mappings`, in the JSON's order (default: the seven [`AddonSettings::default_mappings`]).
    pub mappings: Vec<Mapping>,
    /// `createUpnClaim` (default true): add the upn claim with the profile's email.
    pub create_upn_claim: bool,
    /// `passthroughClaimsWithNoMapping` (default true): emit unmapped top-level profile fields.
    pub passthrough_claims_with_no_mapping: bool,
    /// `mapUnknownClaimsAsIs` (default false): false prefixes passed-through fields with
    /// `http://schemas.auth0.com/`.
    pub map_unknown_claims_as_is: bool,
    /// `mapIdentities` (default true): add claims from `identities[0]`.
    pub map_identities: bool,
    /// `signatureAlgorithm` (default `rsa-sha1`, Auth0's choice; see [`AddonSettings::warnings`]).
    pub signature_algorithm: SignatureAlgorithm,
    /// `digestAlgorithm` (default `sha1`, Auth0's choice).
    pub digest_algorithm: DigestAlgorithm,
    /// `issuer`: `saml:Issuer`. None: the caller supplies it (Auth0 uses `urn:<tenant domain>`).
    pub issuer: Option<String>,
    /// `lifetimeInSeconds` (default 3600): `NotOnOrAfter` = now + lifetime.
    pub lifetime_in_seconds: u64,
    /// `signResponse` (default false): sign the Response. As in Auth0's `samlp` library the
    /// Assertion stays signed too unless [`AddonSettings::sign_assertion`] is false.
    pub sign_response: bool,
    /// `signAssertion` (samlkit extension, from the `samlp` library; default true).
    pub sign_assertion: bool,
    /// `nameIdentifierFormat` (default unspecified).
    pub name_identifier_format: NameIdFormat,
    /// `nameIdentifierProbes`: claim names tried in order for the NameID value.
    pub name_identifier_probes: Vec<String>,
    /// `authnContextClassRef` (default `urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified`).
    pub authn_context_class_ref: String,
    /// `typedAttributes` (default true): `xsi:type` from the value's JSON type.
    pub typed_attributes: bool,
    /// `includeAttributeNameFormat` (default true): a `NameFormat` on every attribute.
    pub include_attribute_name_format: bool,
    /// `logout`: single logout to the SP.
    pub logout: Logout,
    /// `binding` (default HTTP-POST): the binding of logout messages to the SP.
    pub binding: Binding,
    /// `signingCert`: the SP's certificate (PEM); when set, AuthnRequests must be signed with it.
    pub signing_cert: Option<String>,
    /// `encryptionCert` (samlkit extension): the SP's certificate (PEM, or its base64 body);
    /// when set, assertions are encrypted for it (aes256-gcm, rsa-oaep-mgf1p). In Auth0 this
    /// comes from a rule, not the Settings box; samlkit accepts it in the JSON, and writes it back
    /// only when set. SP metadata fills it from the encryption KeyDescriptor.
    pub encryption_cert: Option<String>,
    /// `encryptionPublicKey` (samlkit extension): the SP's bare RSA public key (PEM `PUBLIC
    /// KEY`), used when there is no `encryptionCert`.
    pub encryption_public_key: Option<String>,
    /// Unknown top-level keys, kept in [`ParseMode::Lenient`] and written back by serialization.
    pub extra: Map<String, Value>,
    /// Keys whose boolean was written as a string (`"false"`), accepted in
    /// [`ParseMode::Lenient`] (Auth0's own logout documentation writes `"slo_enabled": "false"`)
    /// and reported by [`AddonSettings::warnings`]; serialization writes real booleans.
    pub string_booleans: Vec<String>,
}

impl Default for AddonSettings {
    /// Auth0's defaults: what an empty Settings box (`{}`) means.
    fn default() -> Self {
        Self {
            audience: None,
            recipient: None,
            destination: None,
            mappings: Self::default_mappings(),
            create_upn_claim: true,
            passthrough_claims_with_no_mapping: true,
            map_unknown_claims_as_is: false,
            map_identities: true,
            signature_algorithm: SignatureAlgorithm::RsaSha1,
            digest_algorithm: DigestAlgorithm::Sha1,
            issuer: None,
            lifetime_in_seconds: 3600,
            sign_response: false,
            sign_assertion: true,
            name_identifier_format: NameIdFormat::Unspecified,
            name_identifier_probes: vec![CLAIM_NAME_IDENTIFIER.into(), CLAIM_EMAIL.into(), CLAIM_NAME.into()],
            authn_context_class_ref: AUTHN_CONTEXT_UNSPECIFIED.into(),
            typed_attributes: true,
            include_attribute_name_format: true,
            logout: Logout::default(),
            binding: Binding::HttpPost,
            signing_cert: None,
            encryption_cert: None,
            encryption_public_key: None,
            extra: Map::new(),
            string_booleans: Vec::new(),
        }
    }
}

impl AddonSettings {
    /// Auth0's seven default mappings, in Auth0's order.
    pub fn default_mappings() -> Vec<Mapping> {
        vec![
            Mapping::new("user_id", CLAIM_NAME_IDENTIFIER),
            Mapping::new("email", CLAIM_EMAIL),
            Mapping::new("name", CLAIM_NAME),
            Mapping::new("given_name", CLAIM_GIVEN_NAME),
            Mapping::new("family_name", CLAIM_SURNAME),
            Mapping::new("upn", CLAIM_UPN),
            Mapping::new("groups", CLAIM_GROUPS),
        ]
    }

    /// The Heroku recipe from Auth0's setup guide for the Heroku organization `org`: audience
    /// `https://sso.heroku.com/saml/<org>`, recipient and destination the ACS URL
    /// `https://sso.heroku.com/saml/<org>/finalize`, only the email mapped, upn, passthrough,
    /// as-is and identities off, emailAddress NameID taken from the email claim.
    ///
    /// Characters of `org` outside `A-Z a-z 0-9 - . _ ~` are percent-encoded, so the URLs are
    /// always well formed.
    ///
    /// ```
    /// let s = samlkit::settings::AddonSettings::heroku("acme");
    /// assert_eq!(s.audience.as_deref(), Some("https://sso.heroku.com/saml/acme"));
    /// assert_eq!(s.recipient.as_deref(), Some("https://sso.heroku.com/saml/acme/finalize"));
    /// ```
    pub fn heroku(org: &str) -> Self {
        let entity_id = format!("https://sso.heroku.com/saml/{}", crate::uri::percent_encode_segment(org));
        let acs = format!("{entity_id}/finalize");
        Self {
            audience: Some(entity_id),
            recipient: Some(acs.clone()),
            destination: Some(acs),
            mappings: vec![Mapping::new("email", CLAIM_EMAIL)],
            create_upn_claim: false,
            passthrough_claims_with_no_mapping: false,
            map_unknown_claims_as_is: false,
            map_identities: false,
            name_identifier_format: NameIdFormat::EmailAddress,
            name_identifier_probes: vec![CLAIM_EMAIL.into()],
            ..Self::default()
        }
    }

    /// Fills `recipient` and `destination`, where the JSON leaves them out, with the
    /// application's callback URL, as Auth0 does (the Heroku guide puts the ACS URL there).
    pub fn with_callback_url(mut self, url: &str) -> Self {
        self.recipient.get_or_insert_with(|| url.to_owned());
        self.destination.get_or_insert_with(|| url.to_owned());
        self
    }

    /// Fills `issuer`, where the JSON leaves it out, with the IdP's default entity ID, as Auth0
    /// does with the tenant's `urn:<tenant>.auth0.com` (the `issuer` key overrides it there too).
    pub fn with_issuer(mut self, issuer: &str) -> Self {
        self.issuer.get_or_insert_with(|| issuer.to_owned());
        self
    }

    /// Parses the settings JSON in [`ParseMode::Strict`]: unknown keys are errors.
    pub fn from_json(text: &str) -> Result<Self, crate::error::SettingsError> {
        Self::parse(text, ParseMode::Strict)
    }

    /// Parses the settings JSON in the given mode.
    pub fn parse(text: &str, mode: ParseMode) -> Result<Self, crate::error::SettingsError> {
        parse::from_str(text, mode)
    }

    /// Reads settings from an already-parsed JSON value (its object order is the mapping order).
    pub fn from_value(value: &Value, mode: ParseMode) -> Result<Self, crate::error::SettingsError> {
        parse::from_value(value, mode)
    }

    /// Checks every value (URLs, URIs, lifetime, probes, mappings, characters) and reports the
    /// first problem, naming its key. Parsing runs this; call it again after changing fields.
    pub fn validate(&self) -> Result<(), crate::error::SettingsError> {
        parse::validate(self, ParseMode::Strict)
    }

    /// The settings as JSON, every key written with its resolved value (defaults included),
    /// unknown keys kept in lenient mode after them. Parsing the result gives back `self`.
    pub fn to_json(&self) -> Value {
        serialize::to_json(self, false)
    }

    /// The settings as JSON with only the keys whose value differs from Auth0's default: for
    /// settings parsed from JSON that left defaults out, this is that JSON again.
    pub fn to_json_minimal(&self) -> Value {
        serialize::to_json(self, true)
    }

    /// The signature and digest algorithms, as the signer takes them.
    pub(crate) fn algorithms(&self) -> (SignatureAlgorithm, DigestAlgorithm) {
        (self.signature_algorithm, self.digest_algorithm)
    }

    /// The encryption `encryptionCert` (else `encryptionPublicKey`) asks for, with the default
    /// algorithms (aes256-gcm, rsa-oaep-mgf1p); None when neither is set. Use
    /// [`crate::LoginResponse::encrypt_for`] for other algorithms.
    pub fn encryption(&self) -> Result<Option<crate::encryption::Encryption>, crate::error::KeyError> {
        let key = match (&self.encryption_cert, &self.encryption_public_key) {
            (Some(cert), _) => encryption_key("encryptionCert", cert)?,
            (None, Some(key)) => encryption_key("encryptionPublicKey", key)?,
            (None, None) => return Ok(None),
        };
        Ok(Some(crate::encryption::Encryption::new(key)))
    }

    /// Whose signatures the SP's requests (AuthnRequest, LogoutRequest, LogoutResponse) must
    /// carry: the `signingCert` certificate (or public key) when set, with the default
    /// algorithm policy; without it, an empty policy (signatures are not checked).
    pub fn request_trust(&self) -> Result<crate::TrustPolicy, crate::error::KeyError> {
        let mut trust = crate::TrustPolicy::default();
        if let Some(pem) = &self.signing_cert {
            trust = trust.with_certificate(crate::keys::Certificate::from_signing_cert_setting(pem)?);
        }
        Ok(trust)
    }

    /// Choices that work but deserve a second look: SHA-1, no audience, a placeholder audience
    /// kept in lenient mode, a long lifetime, unknown keys kept.
    pub fn warnings(&self) -> Vec<Warning> {
        warnings::collect(self)
    }
}

/// Reads `encryptionCert` (PEM, or the base64 body of a certificate, as Auth0 takes
/// `signingCert`) or `encryptionPublicKey` (PEM).
pub(crate) fn encryption_key(
    path: &str,
    value: &str,
) -> Result<crate::encryption::EncryptionKey, crate::error::KeyError> {
    use crate::encryption::EncryptionKey;
    if value.contains("-----BEGIN") || path == "encryptionPublicKey" {
        EncryptionKey::from_pem_or_der(value.as_bytes())
    } else {
        EncryptionKey::from_certificate(crate::keys::Certificate::from_base64(value)?)
    }
}

impl serde::Serialize for AddonSettings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for AddonSettings {
    /// Deserializes in [`ParseMode::Strict`].
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = parse::StrictValue::deserialize(deserializer)?;
        parse::from_value(&value.0, ParseMode::Strict).map_err(serde::de::Error::custom)
    }
}
