//! A service provider's metadata, read, and the addon settings for that SP.

use super::{ContactPerson, Endpoint, IndexedEndpoint, Organization, read};
use crate::error::{Error, MetadataError};
use crate::keys::Certificate;
use crate::settings::{AddonSettings, Mapping};
use crate::trust::TrustPolicy;
use crate::uri::is_uri;
use crate::vocabulary::{Binding, CLAIM_EMAIL, CLAIM_NAME, CLAIM_NAME_IDENTIFIER, NameIdFormat};
use crate::xml::parse::Document;

/// What an SP's metadata says (an `EntityDescriptor` with an `SPSSODescriptor` for SAML 2.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpMetadata {
    /// `entityID`: the audience of the responses.
    pub entity_id: String,
    /// `AssertionConsumerService`s, in document order (at least one).
    pub assertion_consumer_services: Vec<IndexedEndpoint>,
    /// `SingleLogoutService`s, in document order.
    pub single_logout_services: Vec<Endpoint>,
    /// `NameIDFormat`s, in document order.
    pub name_id_formats: Vec<NameIdFormat>,
    /// Certificates of `KeyDescriptor use="signing"` and of `KeyDescriptor`s without `use`.
    pub signing_certificates: Vec<Certificate>,
    /// Certificates of `KeyDescriptor use="encryption"` and of `KeyDescriptor`s without `use`.
    pub encryption_certificates: Vec<Certificate>,
    /// Certificates of `KeyDescriptor use="encryption"` only: the SP asks for encrypted
    /// assertions ([`SpMetadata::to_addon_settings`] sets `encryptionCert` from the first).
    pub explicit_encryption_certificates: Vec<Certificate>,
    /// `AuthnRequestsSigned` (default false): the SP signs its AuthnRequests.
    pub authn_requests_signed: bool,
    /// `WantAssertionsSigned` (default false): the SP wants signed assertions.
    pub want_assertions_signed: bool,
    /// The entity's `Organization`.
    pub organization: Option<Organization>,
    /// The entity's `ContactPerson`s.
    pub contacts: Vec<ContactPerson>,
}

impl SpMetadata {
    /// Reads SP metadata: an `EntityDescriptor` with an `SPSSODescriptor` whose
    /// `protocolSupportEnumeration` lists SAML 2.0, or an `EntitiesDescriptor` holding exactly one
    /// such entity. A signature, if present, is not checked: use [`SpMetadata::parse_verified`]
    /// for metadata fetched over an untrusted channel.
    ///
    /// # Errors
    /// [`crate::error::XmlError`] for XML the hardened parser refuses (a DOCTYPE, say);
    /// [`MetadataError`] for a document that is not metadata, no `SPSSODescriptor`, no
    /// `AssertionConsumerService`, an endpoint without an http(s) `Location`, a bad certificate
    /// or a malformed attribute value.
    pub fn parse(xml: &str) -> Result<Self, Error> {
        let doc = read::parse(xml)?;
        Ok(Self::read(&doc)?)
    }

    /// As [`SpMetadata::parse`], and the document element must carry an enveloped signature
    /// that verifies under `policy` (a pinned certificate).
    pub fn parse_verified(xml: &str, policy: &TrustPolicy) -> Result<Self, Error> {
        let doc = read::parse(xml)?;
        read::verify_root(&doc, policy)?;
        Ok(Self::read(&doc)?)
    }

    fn read(doc: &Document) -> Result<Self, MetadataError> {
        const SP: &str = "SPSSODescriptor";
        let (entity, descriptor) = read::find_entity(doc, SP)?;
        let entity_id = read::entity_id(doc, entity)?;
        let (signing_certificates, encryption_certificates, explicit_encryption_certificates) =
            read::certificates(doc, descriptor)?;
        let single_logout_services = read::endpoints(doc, descriptor, "SingleLogoutService")?;
        let name_id_formats = read::name_id_formats(doc, descriptor);
        let assertion_consumer_services = read::indexed_endpoints(doc, descriptor, "AssertionConsumerService")?;
        if assertion_consumer_services.is_empty() {
            return Err(MetadataError::NoAssertionConsumerService);
        }
        Ok(Self {
            entity_id,
            assertion_consumer_services,
            single_logout_services,
            name_id_formats,
            signing_certificates,
            encryption_certificates,
            explicit_encryption_certificates,
            authn_requests_signed: read::boolean(doc, descriptor, SP, "AuthnRequestsSigned")?.unwrap_or(false),
            want_assertions_signed: read::boolean(doc, descriptor, SP, "WantAssertionsSigned")?.unwrap_or(false),
            organization: read::organization(doc, entity)?,
            contacts: read::contacts(doc, entity)?,
        })
    }

    /// The HTTP-POST `AssertionConsumerService` responses go to: the one marked
    /// `isDefault="true"`, else the one with the lowest `index` (those without an index last,
    /// ties in document order).
    pub fn default_post_acs(&self) -> Option<&IndexedEndpoint> {
        let post: Vec<&IndexedEndpoint> =
            self.assertion_consumer_services.iter().filter(|a| a.binding == Binding::HttpPost).collect();
        post.iter()
            .find(|a| a.is_default == Some(true))
            .or_else(|| post.iter().min_by_key(|a| a.index.map_or(u32::MAX, u32::from)))
            .copied()
    }

    /// Addon settings for this SP.
    ///
    /// From the metadata: `audience` = the entity ID; `recipient` and `destination` = the
    /// default HTTP-POST ACS ([`SpMetadata::default_post_acs`]); `nameIdentifierFormat` = the
    /// first `NameIDFormat` that is a URI (a format samlkit knows, or any other URI kept as
    /// written; none: emailAddress); `logout.callback` = the first HTTP-POST `SingleLogoutService`, else
    /// the first HTTP-Redirect one (then `binding` is HTTP-Redirect); `signingCert` = the first
    /// signing certificate as PEM when `AuthnRequestsSigned` is true; `encryptionCert` = the
    /// first certificate of a `KeyDescriptor use="encryption"` as PEM (a `KeyDescriptor` without
    /// `use` does not turn encryption on: many SPs publish one for signing only and cannot
    /// decrypt).
    ///
    /// The rest is Heroku-like, the least surprising set for an SP that only said what its
    /// metadata says: only the email mapped (`email` → emailaddress claim); `createUpnClaim`,
    /// `passthroughClaimsWithNoMapping`, `mapUnknownClaimsAsIs`, `mapIdentities` false; NameID
    /// from the email claim. When the NameID format is neither emailAddress nor unspecified
    /// (persistent, transient, …) the NameID should not be an email: `user_id` is mapped to
    /// the nameidentifier claim too and the probes are nameidentifier, emailaddress, name
    /// (Auth0's default probes). Algorithms, lifetime and the other keys keep Auth0's defaults.
    /// For Heroku's metadata the result equals [`AddonSettings::heroku`].
    ///
    /// # Errors
    /// [`MetadataError::NoPostAssertionConsumerService`] when no ACS uses HTTP-POST; a
    /// [`crate::error::SettingsError`] when the result does not validate (an entity ID that is
    /// not a URI, say).
    pub fn to_addon_settings(&self) -> Result<AddonSettings, Error> {
        let acs = self.default_post_acs().ok_or(MetadataError::NoPostAssertionConsumerService)?;
        let format =
            self.name_id_formats.iter().find(|f| is_uri(f.uri())).cloned().unwrap_or(NameIdFormat::EmailAddress);
        let mut s = AddonSettings {
            audience: Some(self.entity_id.clone()),
            recipient: Some(acs.location.clone()),
            destination: Some(acs.location.clone()),
            mappings: vec![Mapping::new("email", CLAIM_EMAIL)],
            create_upn_claim: false,
            passthrough_claims_with_no_mapping: false,
            map_unknown_claims_as_is: false,
            map_identities: false,
            name_identifier_probes: vec![CLAIM_EMAIL.into()],
            ..AddonSettings::default()
        };
        if !matches!(format, NameIdFormat::EmailAddress | NameIdFormat::Unspecified) {
            s.mappings.insert(0, Mapping::new("user_id", CLAIM_NAME_IDENTIFIER));
            s.name_identifier_probes = vec![CLAIM_NAME_IDENTIFIER.into(), CLAIM_EMAIL.into(), CLAIM_NAME.into()];
        }
        s.name_identifier_format = format;
        let slo = |binding: Binding| self.single_logout_services.iter().find(|e| e.binding == binding);
        if let Some(e) = slo(Binding::HttpPost) {
            s.logout.callback = Some(e.location.clone());
        } else if let Some(e) = slo(Binding::HttpRedirect) {
            s.logout.callback = Some(e.location.clone());
            s.binding = Binding::HttpRedirect;
        }
        if self.authn_requests_signed {
            s.signing_cert = self.signing_certificates.first().map(Certificate::to_pem);
        }
        s.encryption_cert = self.explicit_encryption_certificates.first().map(Certificate::to_pem);
        s.validate()?;
        Ok(s)
    }
}
