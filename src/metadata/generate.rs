//! The IdP metadata writer, in the shape Auth0 serves:
//!
//! ```text
//! <EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" [ID="…"] [cacheDuration="…"] entityID="…" [validUntil="…"]>
//!   [<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">…</Signature>]
//!   <IDPSSODescriptor [WantAuthnRequestsSigned="true"] protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
//!     <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>…
//!     [<KeyDescriptor use="encryption">…]
//!     <SingleLogoutService Binding="…HTTP-Redirect" Location="…"/> <SingleLogoutService Binding="…HTTP-POST" …/>
//!     <NameIDFormat>…</NameIDFormat>…
//!     <SingleSignOnService Binding="…HTTP-Redirect" Location="…"/> <SingleSignOnService Binding="…HTTP-POST" …/>
//!     <Attribute xmlns="urn:oasis:names:tc:SAML:2.0:assertion" FriendlyName="…" Name="…" NameFormat="…"/>…
//!   </IDPSSODescriptor>
//!   [<Organization>…</Organization>] [<ContactPerson contactType="…">…</ContactPerson>…]
//! </EntityDescriptor>
//! ```
//! One line, no XML declaration. The elements are Auth0's, in Auth0's order (and the schema's);
//! attributes are in canonical order (namespace declarations first, then by name), as everywhere
//! in samlkit, so `xmlns` comes before `entityID` where Auth0 writes it after: the same XML.
//! End tags are explicit (`<X></X>`), which is the same XML as Auth0's `<X/>`.

use super::{AUTH0_NAME_ID_FORMATS, ContactPerson, Endpoint, MetadataAttribute, Organization, PROTOCOL_SAML2};
use crate::clock::{Clock, SystemClock, saml_time};
use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
use crate::error::{Error, MetadataError, SettingsError, UsageError, truncate};
use crate::ids::{IdGenerator, RandomIds, check_id};
use crate::keys::Certificate;
use crate::settings::AddonSettings;
use crate::uri::{check_url, is_uri};
use crate::vocabulary::{Binding, NameIdFormat};
use crate::xml::writer::Writer;
use chrono::{DateTime, Utc};

static SYSTEM_CLOCK: SystemClock = SystemClock;
static RANDOM_IDS: RandomIds = RandomIds;

/// The longest `entityID` the metadata schema allows, in characters.
const MAX_ENTITY_ID: usize = 1024;

/// Builds the IdP's metadata document.
///
/// Defaults: Auth0's three NameID formats (emailAddress, persistent, transient) and Auth0's five
/// attributes ([`MetadataAttribute::auth0_defaults`]); no `validUntil`, `cacheDuration`,
/// `Organization`, `ContactPerson` or `ID`. At least one single sign-on URL and one signing
/// certificate are required.
#[derive(Clone)]
pub struct IdpMetadataBuilder<'a> {
    entity_id: String,
    id: Option<String>,
    sso: Vec<Endpoint>,
    slo: Vec<Endpoint>,
    signing: Vec<Certificate>,
    encryption: Vec<Certificate>,
    name_id_formats: Vec<NameIdFormat>,
    attributes: Vec<MetadataAttribute>,
    valid_until: Option<DateTime<Utc>>,
    valid_for: Option<chrono::Duration>,
    cache_duration: Option<std::time::Duration>,
    want_authn_requests_signed: bool,
    organization: Option<Organization>,
    contacts: Vec<ContactPerson>,
    clock: &'a dyn Clock,
    ids: &'a dyn IdGenerator,
}

impl std::fmt::Debug for IdpMetadataBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdpMetadataBuilder").field("entity_id", &self.entity_id).finish_non_exhaustive()
    }
}

impl<'a> IdpMetadataBuilder<'a> {
    /// A builder for the IdP whose entity ID (the `Issuer` of its responses) is `entity_id`.
    pub fn new(entity_id: impl Into<String>) -> Self {
        Self {
            entity_id: entity_id.into(),
            id: None,
            sso: Vec::new(),
            slo: Vec::new(),
            signing: Vec::new(),
            encryption: Vec::new(),
            name_id_formats: AUTH0_NAME_ID_FORMATS.iter().map(|u| NameIdFormat::from_uri(u)).collect(),
            attributes: MetadataAttribute::auth0_defaults(),
            valid_until: None,
            valid_for: None,
            cache_duration: None,
            want_authn_requests_signed: false,
            organization: None,
            contacts: Vec::new(),
            clock: &SYSTEM_CLOCK,
            ids: &RANDOM_IDS,
        }
    }

    /// The single sign-on URL, offered over HTTP-Redirect and HTTP-POST (as Auth0 does).
    pub fn sso_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.sso_service(Binding::HttpRedirect, url.clone()).sso_service(Binding::HttpPost, url)
    }

    /// One `SingleSignOnService`, in the order of the calls.
    pub fn sso_service(mut self, binding: Binding, url: impl Into<String>) -> Self {
        self.sso.push(Endpoint::new(binding, url));
        self
    }

    /// The single logout URL, offered over HTTP-Redirect and HTTP-POST (as Auth0 does).
    pub fn slo_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.slo_service(Binding::HttpRedirect, url.clone()).slo_service(Binding::HttpPost, url)
    }

    /// One `SingleLogoutService`, in the order of the calls.
    pub fn slo_service(mut self, binding: Binding, url: impl Into<String>) -> Self {
        self.slo.push(Endpoint::new(binding, url));
        self
    }

    /// A signing certificate: one `KeyDescriptor use="signing"` each, in the order of the calls.
    /// Give the current and the next certificate during a key rollover.
    pub fn signing_certificate(mut self, certificate: Certificate) -> Self {
        self.signing.push(certificate);
        self
    }

    /// An encryption certificate (`KeyDescriptor use="encryption"`), for SPs that encrypt to the
    /// IdP (logout requests with an encrypted NameID, say).
    pub fn encryption_certificate(mut self, certificate: Certificate) -> Self {
        self.encryption.push(certificate);
        self
    }

    /// The `NameIDFormat` list, replacing the default (Auth0's three).
    pub fn name_id_formats(mut self, formats: impl IntoIterator<Item = NameIdFormat>) -> Self {
        self.name_id_formats = formats.into_iter().collect();
        self
    }

    /// The advertised attributes, replacing the default (Auth0's five).
    pub fn attributes(mut self, attributes: impl IntoIterator<Item = MetadataAttribute>) -> Self {
        self.attributes = attributes.into_iter().collect();
        self
    }

    /// The advertised attributes for these claim names ([`MetadataAttribute::for_claim`]),
    /// replacing the default.
    pub fn claims<S: Into<String>>(self, names: impl IntoIterator<Item = S>) -> Self {
        self.attributes(names.into_iter().map(MetadataAttribute::for_claim))
    }

    /// Describes what responses under `settings` look like: the attributes the settings emit
    /// (mapped claims, upn, identity claims, in that order; no `NameFormat` when
    /// `includeAttributeNameFormat` is off), and `WantAuthnRequestsSigned="true"` when the
    /// settings hold a `signingCert` (AuthnRequests must then be signed).
    pub fn settings(mut self, settings: &AddonSettings) -> Self {
        let attributes = super::attribute_names_from_settings(settings).into_iter().map(|name| {
            let mut a = MetadataAttribute::for_claim(name);
            if !settings.include_attribute_name_format {
                a.name_format = None;
            }
            a
        });
        self.attributes = attributes.collect();
        self.want_authn_requests_signed = settings.signing_cert.is_some();
        self
    }

    /// `WantAuthnRequestsSigned` on `IDPSSODescriptor` (written only when true).
    pub fn want_authn_requests_signed(mut self, want: bool) -> Self {
        self.want_authn_requests_signed = want;
        self
    }

    /// `validUntil`: the metadata expires at this time.
    pub fn valid_until(mut self, time: DateTime<Utc>) -> Self {
        self.valid_until = Some(time);
        self.valid_for = None;
        self
    }

    /// `validUntil` = the clock's now + `duration` (taken when the document is built).
    pub fn valid_for(mut self, duration: std::time::Duration) -> Self {
        self.valid_for = Some(chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX));
        self.valid_until = None;
        self
    }

    /// `cacheDuration`, written as whole seconds (`PT86400S`).
    pub fn cache_duration(mut self, duration: std::time::Duration) -> Self {
        self.cache_duration = Some(duration);
        self
    }

    /// The `Organization` element.
    pub fn organization(mut self, organization: Organization) -> Self {
        self.organization = Some(organization);
        self
    }

    /// A `ContactPerson`, in the order of the calls.
    pub fn contact(mut self, contact: ContactPerson) -> Self {
        self.contacts.push(contact);
        self
    }

    /// The `ID` of the `EntityDescriptor` (default: none when unsigned, a fresh one when signed).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The clock, used only by [`IdpMetadataBuilder::valid_for`] (default: the system clock).
    pub fn clock(mut self, clock: &'a dyn Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The ID generator for a signed document without an explicit [`IdpMetadataBuilder::id`]
    /// (default: 128 random bits).
    pub fn ids(mut self, ids: &'a dyn IdGenerator) -> Self {
        self.ids = ids;
        self
    }

    /// The metadata document, unsigned.
    ///
    /// # Errors
    /// [`MetadataError`] for an entity ID that is not a URI, a URL that is not http(s), no
    /// single sign-on URL or no signing certificate; [`crate::error::XmlError`] for text XML
    /// cannot carry; [`UsageError`] for a bad ID or a `valid_for` out of range.
    pub fn build(&self) -> Result<String, Error> {
        let id = self.id.as_deref().map(|id| check_id(id).map(|()| id.to_owned())).transpose()?;
        Ok(self.write(id.as_deref())?.0.doc)
    }

    /// The metadata document with an enveloped signature over the whole `EntityDescriptor`
    /// (placed as its first child, as the metadata schema requires), made with `key`. The
    /// `EntityDescriptor` gets an `ID` (the one given, or a fresh one).
    ///
    /// # Errors
    /// As [`IdpMetadataBuilder::build`], and the signing backend's errors.
    pub fn build_signed(
        &self,
        key: &dyn SigningKey,
        signature: SignatureAlgorithm,
        digest: DigestAlgorithm,
    ) -> Result<String, Error> {
        let id = match &self.id {
            Some(id) => id.clone(),
            None => self.ids.new_id()?,
        };
        check_id(&id)?;
        let (mut out, after_start_tag) = self.write(Some(&id))?;
        let start = crate::xml::writer::Mark { doc: 0, canon: 0 };
        crate::dsig::sign::sign_enveloped(&mut out, start, after_start_tag, &id, (signature, digest), key)?;
        Ok(out.doc)
    }

    fn check(&self) -> Result<(), MetadataError> {
        if self.entity_id.chars().count() > MAX_ENTITY_ID || !is_uri(&self.entity_id) {
            return Err(MetadataError::InvalidValue {
                element: "EntityDescriptor",
                attribute: "entityID",
                value: truncate(&self.entity_id),
                expected: "a URI (URL or URN) of at most 1024 characters",
            });
        }
        if self.sso.is_empty() {
            return Err(MetadataError::Missing {
                element: "IDPSSODescriptor",
                what: "SingleSignOnService (call `sso_url`)",
            });
        }
        if self.signing.is_empty() {
            return Err(MetadataError::Missing {
                element: "IDPSSODescriptor",
                what: "KeyDescriptor use=\"signing\" (call `signing_certificate`)",
            });
        }
        for (element, endpoints) in [("SingleSignOnService", &self.sso), ("SingleLogoutService", &self.slo)] {
            for e in endpoints {
                location(element, &e.location)?;
            }
        }
        if self.attributes.iter().any(|a| a.name.is_empty()) {
            return Err(MetadataError::Missing { element: "Attribute", what: "Name" });
        }
        Ok(())
    }

    fn valid_until_time(&self) -> Result<Option<DateTime<Utc>>, UsageError> {
        match (self.valid_until, self.valid_for) {
            (Some(t), _) => Ok(Some(t)),
            (None, Some(d)) => self.clock.now().checked_add_signed(d).map(Some).ok_or_else(|| {
                UsageError::InvalidArgument { what: "valid_for", message: format!("{d} from now is out of range") }
            }),
            (None, None) => Ok(None),
        }
    }

    /// Writes the document; returns the writer and where the Signature would go.
    fn write(&self, id: Option<&str>) -> Result<(Writer, crate::xml::writer::Mark), Error> {
        const ED: &str = "EntityDescriptor";
        self.check()?;
        let valid_until = self.valid_until_time()?;
        let mut out = Writer::with_capacity(4096 + 2048 * (self.signing.len() + self.encryption.len()));
        out.markup("<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"");
        if let Some(id) = id {
            out.attr("ID", id, ED)?;
        }
        if let Some(d) = self.cache_duration {
            out.attr("cacheDuration", &format!("PT{}S", d.as_secs()), ED)?;
        }
        out.attr("entityID", &self.entity_id, ED)?;
        if let Some(t) = valid_until {
            out.attr("validUntil", &saml_time(t), ED)?;
        }
        out.markup(">");
        let after_start_tag = out.mark();

        out.markup("<IDPSSODescriptor");
        if self.want_authn_requests_signed {
            out.markup(" WantAuthnRequestsSigned=\"true\"");
        }
        out.markup(" protocolSupportEnumeration=\"");
        out.markup(PROTOCOL_SAML2);
        out.markup("\">");
        for (usage, certs) in [("signing", &self.signing), ("encryption", &self.encryption)] {
            for cert in certs {
                out.markup("<KeyDescriptor use=\"");
                out.markup(usage);
                out.markup("\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data><X509Certificate>");
                out.text(cert.base64(), "X509Certificate")?;
                out.markup("</X509Certificate></X509Data></KeyInfo></KeyDescriptor>");
            }
        }
        for e in &self.slo {
            out.markup("<SingleLogoutService");
            out.attr("Binding", e.binding.uri(), "SingleLogoutService")?;
            out.attr("Location", &e.location, "SingleLogoutService")?;
            out.markup("></SingleLogoutService>");
        }
        for f in &self.name_id_formats {
            out.markup("<NameIDFormat>");
            out.text(f.uri(), "NameIDFormat")?;
            out.markup("</NameIDFormat>");
        }
        for e in &self.sso {
            out.markup("<SingleSignOnService");
            out.attr("Binding", e.binding.uri(), "SingleSignOnService")?;
            out.attr("Location", &e.location, "SingleSignOnService")?;
            out.markup("></SingleSignOnService>");
        }
        for a in &self.attributes {
            const A: &str = "saml:Attribute";
            out.markup("<Attribute xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"");
            if let Some(friendly) = &a.friendly_name {
                out.attr("FriendlyName", friendly, A)?;
            }
            out.attr("Name", &a.name, A)?;
            if let Some(format) = &a.name_format {
                out.attr("NameFormat", format, A)?;
            }
            out.markup("></Attribute>");
        }
        out.markup("</IDPSSODescriptor>");

        if let Some(org) = &self.organization {
            out.markup("<Organization>");
            for (open, text, close, element) in [
                ("<OrganizationName", &org.name, "</OrganizationName>", "OrganizationName"),
                (
                    "<OrganizationDisplayName",
                    &org.display_name,
                    "</OrganizationDisplayName>",
                    "OrganizationDisplayName",
                ),
                ("<OrganizationURL", &org.url, "</OrganizationURL>", "OrganizationURL"),
            ] {
                out.markup(open);
                out.attr("xml:lang", &org.lang, element)?;
                out.markup(">");
                out.text(text, element)?;
                out.markup(close);
            }
            out.markup("</Organization>");
        }
        for c in &self.contacts {
            out.markup("<ContactPerson contactType=\"");
            out.markup(c.contact_type.as_str());
            out.markup("\">");
            for (open, value, close, element) in [
                ("<Company>", &c.company, "</Company>", "Company"),
                ("<GivenName>", &c.given_name, "</GivenName>", "GivenName"),
                ("<SurName>", &c.sur_name, "</SurName>", "SurName"),
                ("<EmailAddress>", &c.email_address, "</EmailAddress>", "EmailAddress"),
            ] {
                if let Some(value) = value {
                    out.markup(open);
                    out.text(value, element)?;
                    out.markup(close);
                }
            }
            out.markup("</ContactPerson>");
        }
        out.markup("</EntityDescriptor>");
        // Every namespace is declared where exclusive c14n renders it: the document is its own
        // canonical form, ready to digest.
        debug_assert_eq!(out.doc, out.canon);
        Ok((out, after_start_tag))
    }
}

/// Checks an endpoint URL, reporting the element.
pub(super) fn location(element: &'static str, value: &str) -> Result<(), MetadataError> {
    check_url(element, value).map_err(|e| match e {
        SettingsError::InvalidUrl { reason, .. } => {
            MetadataError::InvalidLocation { element, value: truncate(value), reason }
        }
        _ => MetadataError::InvalidLocation { element, value: truncate(value), reason: "not a URL" },
    })
}
