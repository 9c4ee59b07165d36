//! The `saml:Assertion` builder, in the Auth0 shape.
//!
//! ```text
//! <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="…" IssueInstant="…" Version="2.0">
//!   <saml:Issuer>…</saml:Issuer>
//!   <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">…</Signature>
//!   <saml:Subject><saml:NameID Format="…">…</saml:NameID>
//!     <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
//!       <saml:SubjectConfirmationData InResponseTo="…" NotOnOrAfter="…" Recipient="…"/>
//!   </saml:SubjectConfirmation></saml:Subject>
//!   <saml:Conditions NotBefore="…" NotOnOrAfter="…"><saml:AudienceRestriction><saml:Audience>…
//!   <saml:AuthnStatement AuthnInstant="…" SessionIndex="…"><saml:AuthnContext><saml:AuthnContextClassRef>…
//!   <saml:AttributeStatement xmlns:xs="…" xmlns:xsi="…"><saml:Attribute Name="…" NameFormat="…">
//!     <saml:AttributeValue xsi:type="xs:string">…</saml:AttributeValue>…
//! </saml:Assertion>
//! ```
//! One line, no XML declaration, attributes in canonical order, explicit end tags. One "now" for
//! the whole assertion: `IssueInstant`, `NotBefore`, `AuthnInstant` (unless given) and
//! `NotOnOrAfter` = now + `lifetimeInSeconds`.

use crate::claims::Claims;
use crate::clock::{Clock, SystemClock, saml_time};
use crate::crypto::SigningKey;
use crate::encryption::Encryption;
use crate::error::{Error, UsageError};
use crate::ids::{IdGenerator, RandomIds, check_id};
use crate::settings::AddonSettings;
use crate::xml::writer::Writer;
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;

/// What both builders need: settings, clock, ID source and per-login values.
#[derive(Clone)]
pub(crate) struct Params<'a> {
    pub(crate) settings: &'a AddonSettings,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) ids: &'a dyn IdGenerator,
    pub(crate) issuer: Option<String>,
    pub(crate) in_response_to: Option<String>,
    pub(crate) acs_url: Option<String>,
    pub(crate) session_index: Option<String>,
    pub(crate) authn_instant: Option<DateTime<Utc>>,
    pub(crate) session_not_on_or_after: Option<DateTime<Utc>>,
    pub(crate) name_qualifier: Option<String>,
    pub(crate) sp_name_qualifier: Option<String>,
    pub(crate) audience: Option<String>,
    /// The ACS URL chosen for a request (already checked against the settings and allow-list).
    pub(crate) answer_acs: Option<String>,
    /// Encrypt the assertion with this (else as the settings' `encryptionCert` /
    /// `encryptionPublicKey` say).
    pub(crate) encryption: Option<&'a Encryption>,
}

static SYSTEM_CLOCK: SystemClock = SystemClock;
static RANDOM_IDS: RandomIds = RandomIds;

impl<'a> Params<'a> {
    pub(crate) fn new(settings: &'a AddonSettings) -> Self {
        Self {
            settings,
            clock: &SYSTEM_CLOCK,
            ids: &RANDOM_IDS,
            issuer: None,
            in_response_to: None,
            acs_url: None,
            session_index: None,
            authn_instant: None,
            session_not_on_or_after: None,
            name_qualifier: None,
            sp_name_qualifier: None,
            audience: None,
            answer_acs: None,
            encryption: None,
        }
    }

    pub(crate) fn issuer(&self) -> Result<&str, UsageError> {
        self.issuer.as_deref().or(self.settings.issuer.as_deref()).ok_or(UsageError::Missing {
            what: "issuer",
            how: "set `issuer` in the settings or call `.issuer(..)` on the builder",
        })
    }

    /// The Recipient: the ACS URL given for this response, else the one an answered request
    /// chose, else the settings' `recipient` (an explicit per-response value overrides the
    /// settings, always).
    pub(crate) fn recipient(&self) -> Result<&str, UsageError> {
        self.acs_url.as_deref().or(self.answer_acs.as_deref()).or(self.settings.recipient.as_deref()).ok_or(
            UsageError::Missing {
                what: "recipient (the SP's ACS URL)",
                how: "set `recipient` in the settings or call `.acs_url(..)` on the builder",
            },
        )
    }

    /// `Destination`: the ACS URL given for this response or chosen for a request, else the
    /// settings' value, else the resolved recipient (Auth0: both default to the ACS URL).
    /// samlkit never falls back to the audience as Auth0's library does: an entity ID is not an
    /// endpoint.
    pub(crate) fn destination(&self) -> Option<&str> {
        self.acs_url
            .as_deref()
            .or(self.answer_acs.as_deref())
            .or(self.settings.destination.as_deref())
            .or_else(|| self.recipient().ok())
    }

    pub(crate) fn audience(&self) -> Option<&str> {
        self.audience.as_deref().or(self.settings.audience.as_deref())
    }

    /// The encryption to apply: the builder's, else the settings' (None: a plain assertion).
    pub(crate) fn encryption(&self) -> Result<Option<Cow<'a, Encryption>>, Error> {
        if let Some(e) = self.encryption {
            return Ok(Some(Cow::Borrowed(e)));
        }
        Ok(self.settings.encryption()?.map(Cow::Owned))
    }

    pub(crate) fn new_id(&self) -> Result<String, Error> {
        let id = self.ids.new_id()?;
        check_id(&id)?;
        Ok(id)
    }
}

/// Setters shared by [`AssertionBuilder`] and [`crate::response::ResponseBuilder`].
macro_rules! shared_setters {
    () => {
        /// The clock (default: the system clock).
        pub fn clock(mut self, clock: &'a dyn $crate::clock::Clock) -> Self {
            self.params.clock = clock;
            self
        }

        /// The ID generator (default: 128 random bits per ID).
        pub fn ids(mut self, ids: &'a dyn $crate::ids::IdGenerator) -> Self {
            self.params.ids = ids;
            self
        }

        /// The `saml:Issuer` (default: the settings' `issuer`; one of the two is required).
        pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
            self.params.issuer = Some(issuer.into());
            self
        }

        /// The ID of the AuthnRequest being answered (`InResponseTo`).
        pub fn in_response_to(mut self, request_id: impl Into<String>) -> Self {
            self.params.in_response_to = Some(request_id.into());
            self
        }

        /// The SP's ACS URL for this login, used for `Recipient` and `Destination` where the
        /// settings leave them out (Auth0: the request's ACS URL, or the callback URL).
        pub fn acs_url(mut self, url: impl Into<String>) -> Self {
            self.params.acs_url = Some(url.into());
            self
        }

        /// `AuthnStatement/@SessionIndex` (default: the assertion's ID).
        pub fn session_index(mut self, index: impl Into<String>) -> Self {
            self.params.session_index = Some(index.into());
            self
        }

        /// `AuthnStatement/@AuthnInstant`: when the user really logged in (default: now).
        pub fn authn_instant(mut self, instant: chrono::DateTime<chrono::Utc>) -> Self {
            self.params.authn_instant = Some(instant);
            self
        }

        /// `AuthnStatement/@SessionNotOnOrAfter`: when the SP must end the session (default: none).
        pub fn session_not_on_or_after(mut self, instant: chrono::DateTime<chrono::Utc>) -> Self {
            self.params.session_not_on_or_after = Some(instant);
            self
        }

        /// `NameID/@NameQualifier` (default: none).
        pub fn name_qualifier(mut self, qualifier: impl Into<String>) -> Self {
            self.params.name_qualifier = Some(qualifier.into());
            self
        }

        /// The `saml:Audience` for this login, overriding the settings' `audience` (Auth0 uses the
        /// AuthnRequest's Issuer when the settings have none).
        pub fn audience(mut self, audience: impl Into<String>) -> Self {
            self.params.audience = Some(audience.into());
            self
        }

        /// Encrypt the assertion (signed first) for the SP into a `saml:EncryptedAssertion`,
        /// overriding the settings' `encryptionCert` / `encryptionPublicKey`. See
        /// [`crate::encryption`].
        pub fn encrypt_for(mut self, encryption: &'a $crate::encryption::Encryption) -> Self {
            self.params.encryption = Some(encryption);
            self
        }

        /// `NameID/@SPNameQualifier` (default: none).
        pub fn sp_name_qualifier(mut self, qualifier: impl Into<String>) -> Self {
            self.params.sp_name_qualifier = Some(qualifier.into());
            self
        }
    };
}
pub(crate) use shared_setters;

/// Builds a `saml:Assertion` on its own (for a Response, use
/// [`crate::response::ResponseBuilder`]).
#[derive(Clone)]
pub struct AssertionBuilder<'a> {
    params: Params<'a>,
}

impl<'a> AssertionBuilder<'a> {
    /// A builder for assertions under `settings`.
    pub fn new(settings: &'a AddonSettings) -> Self {
        Self { params: Params::new(settings) }
    }

    shared_setters!();

    /// The assertion, signed with `key` unless `key` is None; with encryption (from
    /// [`AssertionBuilder::encrypt_for`] or the settings), the `saml:EncryptedAssertion` holding it.
    pub fn build(&self, claims: &Claims, key: Option<&dyn SigningKey>) -> Result<String, Error> {
        let mut out = Writer::with_capacity(4096);
        let now = self.params.clock.now();
        write_assertion(&self.params, now, claims, key, &mut out)?;
        Ok(out.doc)
    }
}

/// Writes the assertion (signed with `key` when given) at the end of `out`, encrypted when the
/// builder or the settings ask for it (sign, then encrypt); returns its ID.
pub(crate) fn write_assertion(
    p: &Params<'_>,
    now: DateTime<Utc>,
    claims: &Claims,
    key: Option<&dyn SigningKey>,
    out: &mut Writer,
) -> Result<String, Error> {
    let Some(encryption) = p.encryption()? else {
        return write_plain_assertion(p, now, claims, key, out);
    };
    let mut plain = Writer::with_capacity(4096);
    let id = write_plain_assertion(p, now, claims, key, &mut plain)?;
    let plain = zeroize::Zeroizing::new(plain.doc);
    encryption.write_encrypted_assertion(plain.as_bytes(), out)?;
    Ok(id)
}

/// Writes the assertion (signed with `key` when given) at the end of `out`; returns its ID.
fn write_plain_assertion(
    p: &Params<'_>,
    now: DateTime<Utc>,
    claims: &Claims,
    key: Option<&dyn SigningKey>,
    out: &mut Writer,
) -> Result<String, Error> {
    const A: &str = "saml:Assertion";
    let s = p.settings;
    let id = p.new_id()?;
    let issuer = p.issuer()?;
    let recipient = p.recipient()?;
    let lifetime = i64::try_from(s.lifetime_in_seconds).ok().and_then(Duration::try_seconds);
    let not_on_or_after =
        lifetime.and_then(|l| now.checked_add_signed(l)).ok_or_else(|| UsageError::InvalidArgument {
            what: "lifetimeInSeconds",
            message: format!("{} seconds from now is not a representable time", s.lifetime_in_seconds),
        })?;
    let now_text = saml_time(now);
    let expiry = saml_time(not_on_or_after);

    let start = out.mark();
    out.markup("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"");
    out.attr("ID", &id, A)?;
    out.attr("IssueInstant", &now_text, A)?;
    out.markup(" Version=\"2.0\"><saml:Issuer>");
    out.text(issuer, "saml:Issuer")?;
    out.markup("</saml:Issuer>");
    let after_issuer = out.mark();

    out.markup("<saml:Subject><saml:NameID");
    out.attr("Format", claims.name_id.format.uri(), "saml:NameID")?;
    if let Some(q) = &p.name_qualifier {
        out.attr("NameQualifier", q, "saml:NameID")?;
    }
    if let Some(q) = &p.sp_name_qualifier {
        out.attr("SPNameQualifier", q, "saml:NameID")?;
    }
    out.markup(">");
    out.text(&claims.name_id.value, "saml:NameID")?;
    out.markup("</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData");
    if let Some(irt) = &p.in_response_to {
        out.attr("InResponseTo", irt, "saml:SubjectConfirmationData")?;
    }
    out.attr("NotOnOrAfter", &expiry, "saml:SubjectConfirmationData")?;
    out.attr("Recipient", recipient, "saml:SubjectConfirmationData")?;
    out.markup("></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject><saml:Conditions");
    out.attr("NotBefore", &now_text, "saml:Conditions")?;
    out.attr("NotOnOrAfter", &expiry, "saml:Conditions")?;
    out.markup(">");
    if let Some(audience) = p.audience() {
        out.markup("<saml:AudienceRestriction><saml:Audience>");
        out.text(audience, "saml:Audience")?;
        out.markup("</saml:Audience></saml:AudienceRestriction>");
    }
    out.markup("</saml:Conditions><saml:AuthnStatement");
    let authn_instant = p.authn_instant.map(saml_time);
    out.attr("AuthnInstant", authn_instant.as_deref().unwrap_or(&now_text), "saml:AuthnStatement")?;
    out.attr("SessionIndex", p.session_index.as_deref().unwrap_or(&id), "saml:AuthnStatement")?;
    if let Some(t) = p.session_not_on_or_after {
        out.attr("SessionNotOnOrAfter", &saml_time(t), "saml:AuthnStatement")?;
    }
    out.markup("><saml:AuthnContext><saml:AuthnContextClassRef>");
    out.text(&s.authn_context_class_ref, "saml:AuthnContextClassRef")?;
    out.markup("</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>");
    write_attributes(claims, out)?;
    out.markup("</saml:Assertion>");

    if let Some(key) = key {
        crate::dsig::sign::sign_enveloped(out, start, after_issuer, &id, s.algorithms(), key)?;
    }
    Ok(id)
}

fn write_attributes(claims: &Claims, out: &mut Writer) -> Result<(), Error> {
    const V: &str = "saml:AttributeValue";
    if claims.attributes.iter().all(|a| a.values.is_empty()) {
        return Ok(());
    }
    out.markup("<saml:AttributeStatement");
    out.doc_markup(
        " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
    );
    out.markup(">");
    // An attribute without values is left out, as Auth0 does.
    for attribute in claims.attributes.iter().filter(|a| !a.values.is_empty()) {
        out.markup("<saml:Attribute");
        out.attr("Name", &attribute.name, "saml:Attribute")?;
        if let Some(format) = &attribute.name_format {
            out.attr("NameFormat", format.uri(), "saml:Attribute")?;
        }
        out.markup(">");
        for value in &attribute.values {
            out.markup("<saml:AttributeValue");
            // Exclusive c14n renders xmlns:xsi where it is used.
            out.canon_markup(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
            match value.xsi_type.qname() {
                None => out.markup(" xsi:nil=\"true\">"),
                Some(qname) => {
                    out.markup(" xsi:type=\"");
                    out.markup(qname);
                    out.markup("\">");
                }
            }
            out.text(&value.text, V)?;
            out.markup("</saml:AttributeValue>");
        }
        out.markup("</saml:Attribute>");
    }
    out.markup("</saml:AttributeStatement>");
    Ok(())
}
