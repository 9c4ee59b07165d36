//! Reading metadata on the hardened parser: the parts SP and IdP metadata share.

use super::generate::location;
use super::{ContactPerson, ContactType, Endpoint, IndexedEndpoint, Organization, PROTOCOL_SAML2};
use crate::dsig::verify::verify_enveloped;
use crate::error::{Error, MetadataError, VerifyError, truncate};
use crate::keys::Certificate;
use crate::trust::TrustPolicy;
use crate::vocabulary::{Binding, NameIdFormat};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId, ParseLimits};

/// Metadata is larger than a Response (several certificates, many endpoints): 1 MiB.
const MAX_METADATA_BYTES: usize = 1 << 20;

/// Parses metadata text under the hardened parser's limits (1 MiB of input).
pub(super) fn parse(xml: &str) -> Result<Document<'_>, Error> {
    let limits = ParseLimits { max_bytes: MAX_METADATA_BYTES, ..ParseLimits::default() };
    Ok(Document::parse(xml, &limits)?)
}

/// The document element's name for messages.
fn root_name(doc: &Document) -> Result<&'static str, MetadataError> {
    let root = doc.element(doc.root()).ok_or(MetadataError::NotMetadata { found: String::new() })?;
    if root.is(ns::MD, "EntityDescriptor") {
        Ok("EntityDescriptor")
    } else if root.is(ns::MD, "EntitiesDescriptor") {
        Ok("EntitiesDescriptor")
    } else {
        let found = match root.namespace() {
            Some(uri) => format!("{} in {}", root.qname(), uri),
            None => root.qname().to_owned(),
        };
        Err(MetadataError::NotMetadata { found: truncate(&found) })
    }
}

/// Requires a valid enveloped signature over the document element, under `policy`.
pub(super) fn verify_root(doc: &Document, policy: &TrustPolicy) -> Result<(), Error> {
    let element = root_name(doc)?;
    match verify_enveloped(doc, doc.root(), element, policy, &ParseLimits::default())? {
        Some(_) => Ok(()),
        None => Err(VerifyError::Unsigned { element }.into()),
    }
}

/// The one entity with a `role` descriptor for SAML 2.0, and that descriptor: the document
/// element itself, or the one such entity inside an `EntitiesDescriptor` (at any depth).
pub(super) fn find_entity(doc: &Document, role: &'static str) -> Result<(NodeId, NodeId), MetadataError> {
    let candidates: Vec<NodeId> = match root_name(doc)? {
        "EntityDescriptor" => vec![doc.root()],
        _ => doc
            .descendants(doc.root())
            .filter(|&id| doc.element(id).is_some_and(|e| e.is(ns::MD, "EntityDescriptor")))
            .collect(),
    };
    let found: Vec<(NodeId, NodeId)> = candidates
        .into_iter()
        .filter_map(|entity| {
            doc.children_named(entity, ns::MD, role)
                .find(|&d| {
                    doc.element(d)
                        .and_then(|e| e.attribute(None, "protocolSupportEnumeration"))
                        .is_some_and(|p| p.split_ascii_whitespace().any(|uri| uri == PROTOCOL_SAML2))
                })
                .map(|d| (entity, d))
        })
        .collect();
    match found.as_slice() {
        [] => Err(MetadataError::NoRoleDescriptor { element: role }),
        [one] => Ok(*one),
        _ => Err(MetadataError::SeveralEntities { element: role, count: found.len() }),
    }
}

/// An attribute's value; None when absent.
pub(super) fn attr<'d>(doc: &'d Document, id: NodeId, name: &str) -> Option<&'d str> {
    doc.element(id).and_then(|e| e.attribute(None, name))
}

/// A required, non-empty attribute.
pub(super) fn required<'d>(
    doc: &'d Document,
    id: NodeId,
    element: &'static str,
    name: &'static str,
) -> Result<&'d str, MetadataError> {
    attr(doc, id, name).filter(|v| !v.trim().is_empty()).ok_or(MetadataError::Missing { element, what: name })
}

/// An `xs:boolean` attribute (`true`, `false`, `1`, `0`, surrounding whitespace allowed).
pub(super) fn boolean(
    doc: &Document,
    id: NodeId,
    element: &'static str,
    name: &'static str,
) -> Result<Option<bool>, MetadataError> {
    attr(doc, id, name)
        .map(|v| match crate::xml::xs::boolean(v) {
            Some(b) => Ok(b),
            None => Err(MetadataError::InvalidValue {
                element,
                attribute: name,
                value: truncate(v),
                expected: "true, false, 1 or 0",
            }),
        })
        .transpose()
}

/// The entity ID.
pub(super) fn entity_id(doc: &Document, entity: NodeId) -> Result<String, MetadataError> {
    Ok(required(doc, entity, "EntityDescriptor", "entityID")?.trim().to_owned())
}

/// The signing and encryption certificates of a role descriptor: `KeyDescriptor/KeyInfo/X509Data/
/// X509Certificate`; a `KeyDescriptor` without `use` counts for both. Key descriptors without a
/// certificate (a `KeyName` only, say) are skipped: there is nothing to pin. The third list holds
/// the certificates of `KeyDescriptor use="encryption"` only.
pub(super) type KeyCertificates = (Vec<Certificate>, Vec<Certificate>, Vec<Certificate>);

/// See [`KeyCertificates`]: signing, encryption (with `use` absent counting for both), encryption only.
pub(super) fn certificates(doc: &Document, descriptor: NodeId) -> Result<KeyCertificates, MetadataError> {
    const KD: &str = "KeyDescriptor";
    let (mut signing, mut encryption, mut explicit) = (Vec::new(), Vec::new(), Vec::new());
    for kd in doc.children_named(descriptor, ns::MD, KD) {
        let (for_signing, for_encryption) = match attr(doc, kd, "use").map(str::trim) {
            None => (true, true),
            Some("signing") => (true, false),
            Some("encryption") => (false, true),
            Some(other) => {
                return Err(MetadataError::InvalidValue {
                    element: KD,
                    attribute: "use",
                    value: truncate(other),
                    expected: "signing or encryption",
                });
            }
        };
        for key_info in doc.children_named(kd, ns::DSIG, "KeyInfo") {
            for data in doc.children_named(key_info, ns::DSIG, "X509Data") {
                for c in doc.children_named(data, ns::DSIG, "X509Certificate") {
                    let cert = Certificate::from_base64(&doc.text_content(c))
                        .map_err(|e| MetadataError::BadCertificate { element: KD, message: e.to_string() })?;
                    if for_signing && !signing.contains(&cert) {
                        signing.push(cert.clone());
                    }
                    if for_encryption && !for_signing && !explicit.contains(&cert) {
                        explicit.push(cert.clone());
                    }
                    if for_encryption && !encryption.contains(&cert) {
                        encryption.push(cert);
                    }
                }
            }
        }
    }
    Ok((signing, encryption, explicit))
}

/// The endpoints named `element` (`SingleSignOnService`, `SingleLogoutService`): Binding and an
/// http(s) Location required.
pub(super) fn endpoints(
    doc: &Document,
    descriptor: NodeId,
    element: &'static str,
) -> Result<Vec<Endpoint>, MetadataError> {
    doc.children_named(descriptor, ns::MD, element)
        .map(|id| {
            let binding = Binding::from_uri(required(doc, id, element, "Binding")?.trim());
            let url = required(doc, id, element, "Location")?.trim();
            location(element, url)?;
            Ok(Endpoint { binding, location: url.to_owned() })
        })
        .collect()
}

/// The indexed endpoints named `element` (`AssertionConsumerService`).
pub(super) fn indexed_endpoints(
    doc: &Document,
    descriptor: NodeId,
    element: &'static str,
) -> Result<Vec<IndexedEndpoint>, MetadataError> {
    doc.children_named(descriptor, ns::MD, element)
        .map(|id| {
            let binding = Binding::from_uri(required(doc, id, element, "Binding")?.trim());
            let url = required(doc, id, element, "Location")?.trim();
            location(element, url)?;
            let index = attr(doc, id, "index")
                .map(|v| {
                    v.trim().parse::<u16>().map_err(|_| MetadataError::InvalidValue {
                        element,
                        attribute: "index",
                        value: truncate(v),
                        expected: "a number from 0 to 65535",
                    })
                })
                .transpose()?;
            let is_default = boolean(doc, id, element, "isDefault")?;
            Ok(IndexedEndpoint { binding, location: url.to_owned(), index, is_default })
        })
        .collect()
}

/// The `NameIDFormat` texts, trimmed; empty ones skipped.
pub(super) fn name_id_formats(doc: &Document, descriptor: NodeId) -> Vec<NameIdFormat> {
    doc.children_named(descriptor, ns::MD, "NameIDFormat")
        .map(|id| doc.text_content(id).trim().to_owned())
        .filter(|f| !f.is_empty())
        .map(|f| NameIdFormat::from_uri(&f))
        .collect()
}

/// The entity's `Organization` (the schema requires all three children).
pub(super) fn organization(doc: &Document, entity: NodeId) -> Result<Option<Organization>, MetadataError> {
    let Some(org) = doc.children_named(entity, ns::MD, "Organization").next() else {
        return Ok(None);
    };
    let child = |name: &'static str| {
        doc.children_named(org, ns::MD, name)
            .next()
            .ok_or(MetadataError::Missing { element: "Organization", what: name })
    };
    let name = child("OrganizationName")?;
    let lang = doc.element(name).and_then(|e| e.attribute(Some(ns::XML), "lang")).unwrap_or_default().to_owned();
    Ok(Some(Organization {
        name: doc.text_content(name).into_owned(),
        display_name: doc.text_content(child("OrganizationDisplayName")?).into_owned(),
        url: doc.text_content(child("OrganizationURL")?).into_owned(),
        lang,
    }))
}

/// The entity's `ContactPerson`s.
pub(super) fn contacts(doc: &Document, entity: NodeId) -> Result<Vec<ContactPerson>, MetadataError> {
    const CP: &str = "ContactPerson";
    doc.children_named(entity, ns::MD, CP)
        .map(|id| {
            let value = required(doc, id, CP, "contactType")?;
            let contact_type = ContactType::parse(value.trim()).ok_or_else(|| MetadataError::InvalidValue {
                element: CP,
                attribute: "contactType",
                value: truncate(value),
                expected: "technical, support, administrative, billing or other",
            })?;
            let text =
                |name: &str| doc.children_named(id, ns::MD, name).next().map(|c| doc.text_content(c).into_owned());
            Ok(ContactPerson {
                contact_type,
                company: text("Company"),
                given_name: text("GivenName"),
                sur_name: text("SurName"),
                email_address: text("EmailAddress"),
            })
        })
        .collect()
}
