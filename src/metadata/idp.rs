//! An identity provider's metadata, read (samlkit's own, Auth0's, any IdP's).

use super::{ContactPerson, Endpoint, MetadataAttribute, Organization, read};
use crate::error::{Error, MetadataError, truncate};
use crate::keys::Certificate;
use crate::trust::TrustPolicy;
use crate::vocabulary::NameIdFormat;
use crate::xml::ns;
use crate::xml::parse::Document;
use chrono::{DateTime, Utc};

/// What an IdP's metadata says (an `EntityDescriptor` with an `IDPSSODescriptor` for SAML 2.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpMetadata {
    /// The `EntityDescriptor`'s `ID`, when it has one.
    pub id: Option<String>,
    /// `entityID`: the Issuer of the IdP's responses.
    pub entity_id: String,
    /// `validUntil`.
    pub valid_until: Option<DateTime<Utc>>,
    /// `cacheDuration`, as written (an `xs:duration` such as `PT86400S`).
    pub cache_duration: Option<String>,
    /// `WantAuthnRequestsSigned` (default false).
    pub want_authn_requests_signed: bool,
    /// Certificates of `KeyDescriptor use="signing"` and of `KeyDescriptor`s without `use`: the
    /// certificates to pin when verifying the IdP's responses.
    pub signing_certificates: Vec<Certificate>,
    /// Certificates of `KeyDescriptor use="encryption"` and of `KeyDescriptor`s without `use`.
    pub encryption_certificates: Vec<Certificate>,
    /// `SingleLogoutService`s, in document order.
    pub single_logout_services: Vec<Endpoint>,
    /// `NameIDFormat`s, in document order.
    pub name_id_formats: Vec<NameIdFormat>,
    /// `SingleSignOnService`s, in document order.
    pub single_sign_on_services: Vec<Endpoint>,
    /// The advertised `saml:Attribute`s, in document order.
    pub attributes: Vec<MetadataAttribute>,
    /// The entity's `Organization`.
    pub organization: Option<Organization>,
    /// The entity's `ContactPerson`s.
    pub contacts: Vec<ContactPerson>,
    /// Whether the document element carries a `Signature` ([`IdpMetadata::parse`] does not
    /// check it; [`IdpMetadata::parse_verified`] does).
    pub signed: bool,
}

impl IdpMetadata {
    /// Reads IdP metadata: an `EntityDescriptor` with an `IDPSSODescriptor` whose
    /// `protocolSupportEnumeration` lists SAML 2.0, or an `EntitiesDescriptor` holding exactly one
    /// such entity. A signature is not checked.
    ///
    /// # Errors
    /// As [`super::SpMetadata::parse`], with `IDPSSODescriptor` and at least one
    /// `SingleSignOnService` required.
    pub fn parse(xml: &str) -> Result<Self, Error> {
        let doc = read::parse(xml)?;
        Ok(Self::read(&doc)?)
    }

    /// As [`IdpMetadata::parse`], and the document element must carry an enveloped signature
    /// that verifies under `policy` (a pinned certificate).
    pub fn parse_verified(xml: &str, policy: &TrustPolicy) -> Result<Self, Error> {
        let doc = read::parse(xml)?;
        read::verify_root(&doc, policy)?;
        Ok(Self::read(&doc)?)
    }

    fn read(doc: &Document) -> Result<Self, MetadataError> {
        const IDP: &str = "IDPSSODescriptor";
        let (entity, descriptor) = read::find_entity(doc, IDP)?;
        let entity_id = read::entity_id(doc, entity)?;
        let valid_until = read::attr(doc, entity, "validUntil")
            .map(|v| {
                crate::xml::xs::date_time(v).ok_or_else(|| MetadataError::InvalidValue {
                    element: "EntityDescriptor",
                    attribute: "validUntil",
                    value: truncate(v),
                    expected: "an xs:dateTime with a time zone",
                })
            })
            .transpose()?;
        let (signing_certificates, encryption_certificates, _) = read::certificates(doc, descriptor)?;
        let single_sign_on_services = read::endpoints(doc, descriptor, "SingleSignOnService")?;
        if single_sign_on_services.is_empty() {
            return Err(MetadataError::Missing { element: IDP, what: "SingleSignOnService" });
        }
        let attributes = doc
            .children_named(descriptor, ns::SAML, "Attribute")
            .map(|id| {
                Ok(MetadataAttribute {
                    name: read::required(doc, id, "saml:Attribute", "Name")?.to_owned(),
                    name_format: read::attr(doc, id, "NameFormat").map(str::to_owned),
                    friendly_name: read::attr(doc, id, "FriendlyName").map(str::to_owned),
                })
            })
            .collect::<Result<_, MetadataError>>()?;
        Ok(Self {
            id: read::attr(doc, entity, "ID").map(str::to_owned),
            entity_id,
            valid_until,
            cache_duration: read::attr(doc, entity, "cacheDuration").map(str::to_owned),
            want_authn_requests_signed: read::boolean(doc, descriptor, IDP, "WantAuthnRequestsSigned")?
                .unwrap_or(false),
            signing_certificates,
            encryption_certificates,
            single_logout_services: read::endpoints(doc, descriptor, "SingleLogoutService")?,
            name_id_formats: read::name_id_formats(doc, descriptor),
            single_sign_on_services,
            attributes,
            organization: read::organization(doc, entity)?,
            contacts: read::contacts(doc, entity)?,
            signed: doc.children_named(entity, ns::DSIG, "Signature").next().is_some(),
        })
    }
}
