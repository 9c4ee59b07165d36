//! SAML 2.0 metadata: the IdP's own metadata, written in the shape Auth0 serves at
//! `/samlp/metadata/<client>`, and SP (and IdP) metadata read back on the hardened parser.
//!
//! - [`IdpMetadataBuilder`] writes the IdP's `EntityDescriptor`: signing (and encryption)
//!   certificates, single logout and single sign-on endpoints (HTTP-Redirect and HTTP-POST),
//!   NameID formats and the claim attributes, in Auth0's element order; optionally `validUntil`,
//!   `cacheDuration`, `WantAuthnRequestsSigned`, `Organization`, `ContactPerson` and an enveloped
//!   signature over the whole document.
//! - [`SpMetadata::parse`] reads a service provider's metadata (an `EntityDescriptor` with an
//!   `SPSSODescriptor`, or an `EntitiesDescriptor` wrapping one), and
//!   [`SpMetadata::to_addon_settings`] turns it into [`AddonSettings`](crate::settings::AddonSettings)
//!   for that SP.
//! - [`IdpMetadata::parse`] reads IdP metadata (this crate's, Auth0's, anyone's).
//!
//! ```
//! use samlkit::Certificate;
//! use samlkit::metadata::{IdpMetadata, IdpMetadataBuilder, SpMetadata};
//! use samlkit::settings::AddonSettings;
//!
//! // The IdP's metadata, for the settings of one application.
//! let cert = Certificate::from_pem_or_der(include_bytes!("../../examples/data/demo-idp-cert.pem"))?;
//! let settings = AddonSettings::heroku("acme");
//! let xml = IdpMetadataBuilder::new("urn:acme.auth0.com")
//!     .sso_url("https://acme.auth0.com/samlp/CLIENT")
//!     .slo_url("https://acme.auth0.com/samlp/CLIENT/logout")
//!     .signing_certificate(cert.clone())
//!     .settings(&settings)
//!     .build()?;
//! assert!(xml.starts_with("<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\""));
//! let read = IdpMetadata::parse(&xml)?;
//! assert_eq!(read.signing_certificates, vec![cert]);
//!
//! // An SP's metadata, turned into addon settings.
//! let sp = SpMetadata::parse(
//!     r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/saml">
//!          <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
//!            <AssertionConsumerService index="0" Location="https://sp.example/acs"
//!              Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/>
//!          </SPSSODescriptor>
//!        </EntityDescriptor>"#,
//! )?;
//! let settings = sp.to_addon_settings()?;
//! assert_eq!(settings.audience.as_deref(), Some("https://sp.example/saml"));
//! assert_eq!(settings.recipient.as_deref(), Some("https://sp.example/acs"));
//! # Ok::<(), samlkit::Error>(())
//! ```

mod attributes;
mod generate;
mod idp;
mod read;
mod sp;

pub use attributes::MetadataAttribute;
pub(crate) use attributes::attribute_names_from_settings;
pub use generate::IdpMetadataBuilder;
pub use idp::IdpMetadata;
pub use sp::SpMetadata;

use crate::vocabulary::Binding;

/// The NameID formats Auth0's metadata lists, in its order: emailAddress, persistent, transient.
pub(crate) const AUTH0_NAME_ID_FORMATS: [&str; 3] = [
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
];

/// `protocolSupportEnumeration` for SAML 2.0.
pub(crate) const PROTOCOL_SAML2: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// An endpoint (`SingleSignOnService`, `SingleLogoutService`): a binding and a location.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The binding (a URI SAML does not define is [`Binding::Other`]).
    pub binding: Binding,
    /// The URL.
    pub location: String,
}

impl Endpoint {
    /// An endpoint.
    pub fn new(binding: Binding, location: impl Into<String>) -> Self {
        Self { binding, location: location.into() }
    }
}

/// An indexed endpoint (`AssertionConsumerService`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexedEndpoint {
    /// The binding (a URI SAML does not define is [`Binding::Other`]).
    pub binding: Binding,
    /// The URL.
    pub location: String,
    /// `index` (required by the schema, but some SPs leave it out: then None).
    pub index: Option<u16>,
    /// `isDefault`, when written.
    pub is_default: Option<bool>,
}

/// `Organization`: names and URL, each with its `xml:lang`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organization {
    /// `OrganizationName`.
    pub name: String,
    /// `OrganizationDisplayName`.
    pub display_name: String,
    /// `OrganizationURL`.
    pub url: String,
    /// The `xml:lang` of all three (`en` in [`Organization::new`]).
    pub lang: String,
}

impl Organization {
    /// An organization described in English (`xml:lang="en"`).
    pub fn new(name: impl Into<String>, display_name: impl Into<String>, url: impl Into<String>) -> Self {
        Self { name: name.into(), display_name: display_name.into(), url: url.into(), lang: "en".into() }
    }
}

/// `ContactPerson/@contactType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactType {
    /// `technical`.
    Technical,
    /// `support`.
    Support,
    /// `administrative`.
    Administrative,
    /// `billing`.
    Billing,
    /// `other`.
    Other,
}

impl ContactType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Support => "support",
            Self::Administrative => "administrative",
            Self::Billing => "billing",
            Self::Other => "other",
        }
    }

    /// The contact type for an attribute value.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Technical, Self::Support, Self::Administrative, Self::Billing, Self::Other]
            .into_iter()
            .find(|t| t.as_str() == value)
    }
}

/// `ContactPerson`: a type and the optional `Company`, `GivenName`, `SurName`, `EmailAddress`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactPerson {
    /// `contactType`.
    pub contact_type: ContactType,
    /// `Company`.
    pub company: Option<String>,
    /// `GivenName`.
    pub given_name: Option<String>,
    /// `SurName`.
    pub sur_name: Option<String>,
    /// `EmailAddress` (written as given; a `mailto:` URI is what the schema intends).
    pub email_address: Option<String>,
}

impl ContactPerson {
    /// A contact of this type with nothing else filled in.
    pub fn new(contact_type: ContactType) -> Self {
        Self { contact_type, company: None, given_name: None, sur_name: None, email_address: None }
    }
}
