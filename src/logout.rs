//! Single logout: build, sign, send, receive and verify LogoutRequest and LogoutResponse, over
//! HTTP-Redirect (query signature) or HTTP-POST (enveloped signature), honouring the settings'
//! `logout.callback`, `logout.slo_enabled` and `binding`.
//!
//! ```
//! use samlkit::logout::{LogoutBuilder, Outgoing};
//! use samlkit::settings::AddonSettings;
//! use samlkit::vocabulary::Binding;
//! # let key = samlkit::IdpKey::from_pem_or_der(
//! #     include_bytes!("../examples/data/demo-idp-key.pem"), include_bytes!("../examples/data/demo-idp-cert.pem"))?;
//!
//! let mut settings = AddonSettings::heroku("acme");
//! settings.logout.callback = Some("https://sp.example/slo".into());
//! settings.binding = Binding::HttpRedirect;
//! let outgoing = LogoutBuilder::new(&settings)
//!     .issuer("urn:acme.auth0.com")
//!     .send_request("jane@example.com", &["_session1"], Some("relay"), &key)?;
//! match outgoing {
//!     Some(Outgoing::Redirect { url }) => assert!(url.starts_with("https://sp.example/slo?SAMLRequest=")),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), samlkit::Error>(())
//! ```

use crate::binding::PostForm;
use crate::binding::receive;
use crate::binding::redirect::{self, MessageKind, RedirectLimits};
use crate::clock::{Clock, SystemClock, saml_time};
use crate::crypto::SigningKey;
use crate::error::{BindingError, Error, UsageError, truncate};
use crate::ids::{IdGenerator, RandomIds, check_id};
use crate::settings::AddonSettings;
use crate::trust::TrustPolicy;
use crate::vocabulary::{Binding, NameIdFormat, StatusCode};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use crate::xml::writer::{Mark, Writer};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};

const PARTIAL_LOGOUT: &str = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";

/// The outcome a LogoutResponse reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogoutStatus {
    /// Every session ended.
    Success,
    /// Success, but not every session could be ended (second-level `PartialLogout`).
    PartialLogout,
    /// The request was at fault.
    Requester,
    /// The responder failed.
    Responder,
}

impl LogoutStatus {
    fn codes(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::Success => (StatusCode::Success.uri(), None),
            Self::PartialLogout => (StatusCode::Success.uri(), Some(PARTIAL_LOGOUT)),
            Self::Requester => (StatusCode::Requester.uri(), None),
            Self::Responder => (StatusCode::Responder.uri(), None),
        }
    }
}

/// A message ready to go to the SP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// Redirect the browser to this URL (HTTP-Redirect binding; the query is signed).
    Redirect {
        /// The full URL.
        url: String,
    },
    /// Serve this auto-submitting page (HTTP-POST binding; the XML carries an enveloped
    /// signature).
    Post {
        /// The HTML page.
        html: String,
    },
}

/// Builds logout messages under one settings value.
#[derive(Clone)]
pub struct LogoutBuilder<'a> {
    settings: &'a AddonSettings,
    clock: &'a dyn Clock,
    ids: &'a dyn IdGenerator,
    issuer: Option<String>,
    validity: Duration,
}

static SYSTEM_CLOCK: SystemClock = SystemClock;
static RANDOM_IDS: RandomIds = RandomIds;

impl<'a> LogoutBuilder<'a> {
    /// A builder for logout messages to the SP `settings` describe.
    pub fn new(settings: &'a AddonSettings) -> Self {
        Self { settings, clock: &SYSTEM_CLOCK, ids: &RANDOM_IDS, issuer: None, validity: Duration::minutes(5) }
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: &'a dyn Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The ID generator (default: 128 random bits).
    pub fn ids(mut self, ids: &'a dyn IdGenerator) -> Self {
        self.ids = ids;
        self
    }

    /// The `saml:Issuer` (default: the settings' `issuer`).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// How long a LogoutRequest stays valid (`NotOnOrAfter`; default 5 minutes).
    pub fn validity(mut self, validity: std::time::Duration) -> Self {
        self.validity = Duration::from_std(validity).unwrap_or(Duration::MAX);
        self
    }

    fn issuer_text(&self) -> Result<&str, UsageError> {
        self.issuer.as_deref().or(self.settings.issuer.as_deref()).ok_or(UsageError::Missing {
            what: "issuer",
            how: "set `issuer` in the settings or call `.issuer(..)` on the builder",
        })
    }

    fn callback(&self) -> Result<&str, UsageError> {
        self.settings.logout.callback.as_deref().ok_or(UsageError::Missing {
            what: "logout.callback",
            how: "set `logout.callback` in the settings: the SP's single logout URL",
        })
    }

    fn new_id(&self) -> Result<String, Error> {
        let id = self.ids.new_id()?;
        check_id(&id)?;
        Ok(id)
    }

    /// A LogoutRequest for the subject `name_id` (in the settings' NameID format) and its
    /// `session_indexes`, to `logout.callback`; with an enveloped signature when `key` is given.
    pub fn request(
        &self,
        name_id: &str,
        session_indexes: &[&str],
        key: Option<&dyn SigningKey>,
    ) -> Result<String, Error> {
        const E: &str = "samlp:LogoutRequest";
        let now = self.clock.now();
        let expiry = now
            .checked_add_signed(self.validity)
            .ok_or(UsageError::InvalidArgument { what: "validity", message: "not a representable time".into() })?;
        let id = self.new_id()?;
        let mut out = Writer::with_capacity(2048);
        let start = out.mark();
        out.markup("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"");
        out.attr("Destination", self.callback()?, E)?;
        out.attr("ID", &id, E)?;
        out.attr("IssueInstant", &saml_time(now), E)?;
        out.attr("NotOnOrAfter", &saml_time(expiry), E)?;
        out.markup(" Version=\"2.0\">");
        let after_issuer = write_issuer(&mut out, self.issuer_text()?)?;
        out.markup("<saml:NameID xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"");
        out.attr("Format", self.settings.name_identifier_format.uri(), "saml:NameID")?;
        out.markup(">");
        out.text(name_id, "saml:NameID")?;
        out.markup("</saml:NameID>");
        for index in session_indexes {
            out.markup("<samlp:SessionIndex>");
            out.text(index, "samlp:SessionIndex")?;
            out.markup("</samlp:SessionIndex>");
        }
        out.markup("</samlp:LogoutRequest>");
        self.sign(&mut out, start, after_issuer, &id, key)?;
        Ok(out.doc)
    }

    /// A LogoutResponse answering the request `in_response_to` with `status`, to
    /// `logout.callback`; with an enveloped signature when `key` is given.
    pub fn response(
        &self,
        in_response_to: &str,
        status: LogoutStatus,
        key: Option<&dyn SigningKey>,
    ) -> Result<String, Error> {
        const E: &str = "samlp:LogoutResponse";
        let now = self.clock.now();
        let id = self.new_id()?;
        let mut out = Writer::with_capacity(2048);
        let start = out.mark();
        out.markup("<samlp:LogoutResponse xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"");
        out.attr("Destination", self.callback()?, E)?;
        out.attr("ID", &id, E)?;
        out.attr("InResponseTo", in_response_to, E)?;
        out.attr("IssueInstant", &saml_time(now), E)?;
        out.markup(" Version=\"2.0\">");
        let after_issuer = write_issuer(&mut out, self.issuer_text()?)?;
        let (code, second) = status.codes();
        crate::response::write_status(&mut out, code, second, None)?;
        out.markup("</samlp:LogoutResponse>");
        self.sign(&mut out, start, after_issuer, &id, key)?;
        Ok(out.doc)
    }

    fn sign(
        &self,
        out: &mut Writer,
        start: Mark,
        at: Mark,
        id: &str,
        key: Option<&dyn SigningKey>,
    ) -> Result<(), Error> {
        if let Some(key) = key {
            crate::dsig::sign::sign_enveloped(out, start, at, id, self.settings.algorithms(), key)?;
        }
        Ok(())
    }

    /// The LogoutRequest ready to send over the settings' `binding`, signed with `key`; None
    /// when `logout.slo_enabled` is false.
    pub fn send_request(
        &self,
        name_id: &str,
        session_indexes: &[&str],
        relay_state: Option<&str>,
        key: &dyn SigningKey,
    ) -> Result<Option<Outgoing>, Error> {
        if !self.settings.logout.slo_enabled {
            return Ok(None);
        }
        let post = self.settings.binding == Binding::HttpPost;
        let xml = self.request(name_id, session_indexes, post.then_some(key))?;
        self.outgoing(MessageKind::Request, &xml, relay_state, key).map(Some)
    }

    /// The LogoutResponse ready to send over the settings' `binding`, signed with `key`.
    pub fn send_response(
        &self,
        in_response_to: &str,
        status: LogoutStatus,
        relay_state: Option<&str>,
        key: &dyn SigningKey,
    ) -> Result<Outgoing, Error> {
        let post = self.settings.binding == Binding::HttpPost;
        let xml = self.response(in_response_to, status, post.then_some(key))?;
        self.outgoing(MessageKind::Response, &xml, relay_state, key)
    }

    fn outgoing(
        &self,
        kind: MessageKind,
        xml: &str,
        relay_state: Option<&str>,
        key: &dyn SigningKey,
    ) -> Result<Outgoing, Error> {
        let callback = self.callback()?;
        match self.settings.binding {
            Binding::HttpRedirect => {
                let query = redirect::encode(kind, xml, relay_state, Some((key, self.settings.signature_algorithm)))?;
                let separator = if callback.contains('?') { '&' } else { '?' };
                Ok(Outgoing::Redirect { url: format!("{callback}{separator}{query}") })
            }
            _ => {
                let b64 = base64::engine::general_purpose::STANDARD.encode(xml);
                let form = match kind {
                    MessageKind::Request => PostForm::request(callback, &b64),
                    MessageKind::Response => PostForm::response(callback, &b64),
                };
                let form = match relay_state {
                    Some(rs) => form.relay_state(rs),
                    None => form,
                };
                Ok(Outgoing::Post { html: form.html()? })
            }
        }
    }
}

fn write_issuer(out: &mut Writer, issuer: &str) -> Result<Mark, Error> {
    out.markup("<saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">");
    out.text(issuer, "saml:Issuer")?;
    out.markup("</saml:Issuer>");
    Ok(out.mark())
}

/// A received LogoutRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogoutRequest {
    /// `ID`.
    pub id: String,
    /// `Issuer`.
    pub issuer: Option<String>,
    /// `IssueInstant`.
    pub issue_instant: Option<DateTime<Utc>>,
    /// `Destination`.
    pub destination: Option<String>,
    /// `NotOnOrAfter`.
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// The subject's NameID text.
    pub name_id: String,
    /// The NameID's `Format`.
    pub name_id_format: Option<NameIdFormat>,
    /// The `SessionIndex` values.
    pub session_indexes: Vec<String>,
    /// Whether a signature was verified.
    pub signed: bool,
    /// `RelayState`, when one came with it.
    pub relay_state: Option<String>,
}

/// A received LogoutResponse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogoutResponse {
    /// `ID`.
    pub id: String,
    /// `Issuer`.
    pub issuer: Option<String>,
    /// `InResponseTo`.
    pub in_response_to: Option<String>,
    /// `Destination`.
    pub destination: Option<String>,
    /// The status.
    pub status: LogoutStatus,
    /// Whether a signature was verified.
    pub signed: bool,
    /// `RelayState`, when one came with it.
    pub relay_state: Option<String>,
}

impl LogoutRequest {
    /// From an HTTP-Redirect query string (signature required when `trust` has
    /// certificates), within [`RedirectLimits::default`].
    pub fn from_redirect(query: &str, trust: &TrustPolicy) -> Result<Self, Error> {
        Self::from_redirect_with_limits(query, trust, &RedirectLimits::default())
    }

    /// [`LogoutRequest::from_redirect`] within other size limits.
    pub fn from_redirect_with_limits(query: &str, trust: &TrustPolicy, limits: &RedirectLimits) -> Result<Self, Error> {
        read_request(receive::from_redirect(query, MessageKind::Request, trust, limits)?)
    }

    /// From HTTP-POST form fields (enveloped signature required when `trust` has
    /// certificates), within [`RedirectLimits::default`].
    pub fn from_post(saml_request: &str, relay_state: Option<&str>, trust: &TrustPolicy) -> Result<Self, Error> {
        Self::from_post_with_limits(saml_request, relay_state, trust, &RedirectLimits::default())
    }

    /// [`LogoutRequest::from_post`] within other size limits.
    pub fn from_post_with_limits(
        saml_request: &str,
        relay_state: Option<&str>,
        trust: &TrustPolicy,
        limits: &RedirectLimits,
    ) -> Result<Self, Error> {
        read_request(receive::from_post(
            saml_request,
            relay_state,
            MessageKind::Request,
            "LogoutRequest",
            trust,
            limits,
        )?)
    }

    /// Whether the request has expired at `now` (past its NotOnOrAfter).
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.not_on_or_after.is_some_and(|t| t <= now)
    }
}

impl LogoutResponse {
    /// From an HTTP-Redirect query string, within [`RedirectLimits::default`].
    pub fn from_redirect(query: &str, trust: &TrustPolicy) -> Result<Self, Error> {
        Self::from_redirect_with_limits(query, trust, &RedirectLimits::default())
    }

    /// [`LogoutResponse::from_redirect`] within other size limits.
    pub fn from_redirect_with_limits(query: &str, trust: &TrustPolicy, limits: &RedirectLimits) -> Result<Self, Error> {
        read_response(receive::from_redirect(query, MessageKind::Response, trust, limits)?)
    }

    /// From HTTP-POST form fields, within [`RedirectLimits::default`].
    pub fn from_post(saml_response: &str, relay_state: Option<&str>, trust: &TrustPolicy) -> Result<Self, Error> {
        Self::from_post_with_limits(saml_response, relay_state, trust, &RedirectLimits::default())
    }

    /// [`LogoutResponse::from_post`] within other size limits.
    pub fn from_post_with_limits(
        saml_response: &str,
        relay_state: Option<&str>,
        trust: &TrustPolicy,
        limits: &RedirectLimits,
    ) -> Result<Self, Error> {
        read_response(receive::from_post(
            saml_response,
            relay_state,
            MessageKind::Response,
            "LogoutResponse",
            trust,
            limits,
        )?)
    }
}

fn attr(doc: &Document, id: NodeId, name: &str) -> Option<String> {
    doc.element(id).and_then(|e| e.attribute(None, name)).map(str::to_owned)
}

fn time(doc: &Document, id: NodeId, name: &str, element: &'static str) -> Result<Option<DateTime<Utc>>, BindingError> {
    attr(doc, id, name)
        .map(|t| {
            crate::xml::xs::date_time(&t)
                .ok_or_else(|| BindingError::Malformed { element, problem: format!("{name} is not a time") })
        })
        .transpose()
}

fn root_of(doc: &Document, local: &'static str, qname: &'static str) -> Result<(NodeId, String), Error> {
    let root = doc.root();
    let el = doc.element(root).ok_or(BindingError::UnexpectedMessage { expected: qname, found: String::new() })?;
    if !el.is(ns::SAMLP, local) {
        return Err(BindingError::UnexpectedMessage { expected: qname, found: truncate(el.qname()) }.into());
    }
    let id = attr(doc, root, "ID")
        .filter(|i| !i.is_empty())
        .ok_or(BindingError::Malformed { element: qname, problem: "ID is missing".into() })?;
    if attr(doc, root, "Version").as_deref() != Some("2.0") {
        return Err(BindingError::Malformed { element: qname, problem: "Version is not 2.0".into() }.into());
    }
    Ok((root, id))
}

fn issuer(doc: &Document, root: NodeId) -> Option<String> {
    doc.children_named(root, ns::SAML, "Issuer").next().map(|i| doc.text_content(i).trim().to_owned())
}

fn read_request(received: receive::Received) -> Result<LogoutRequest, Error> {
    const Q: &str = "samlp:LogoutRequest";
    let doc = &received.doc;
    let (root, id) = root_of(doc, "LogoutRequest", Q)?;
    let name_id = doc.children_named(root, ns::SAML, "NameID").next().ok_or(BindingError::Malformed {
        element: Q,
        problem: "NameID is missing (EncryptedID and BaseID are not supported)".into(),
    })?;
    Ok(LogoutRequest {
        id,
        issuer: issuer(doc, root),
        issue_instant: time(doc, root, "IssueInstant", Q)?,
        destination: attr(doc, root, "Destination"),
        not_on_or_after: time(doc, root, "NotOnOrAfter", Q)?,
        name_id: doc.text_content(name_id).into_owned(),
        name_id_format: attr(doc, name_id, "Format").map(|f| NameIdFormat::from_uri(f.trim())),
        session_indexes: doc
            .children_named(root, ns::SAMLP, "SessionIndex")
            .map(|s| doc.text_content(s).into_owned())
            .collect(),
        signed: received.signed,
        relay_state: received.relay_state,
    })
}

fn read_response(received: receive::Received) -> Result<LogoutResponse, Error> {
    const Q: &str = "samlp:LogoutResponse";
    let doc = &received.doc;
    let (root, id) = root_of(doc, "LogoutResponse", Q)?;
    let missing = || BindingError::Malformed { element: Q, problem: "Status/StatusCode is missing".into() };
    let status = doc.children_named(root, ns::SAMLP, "Status").next().ok_or_else(missing)?;
    let code = doc.children_named(status, ns::SAMLP, "StatusCode").next().ok_or_else(missing)?;
    let second = doc.children_named(code, ns::SAMLP, "StatusCode").next().and_then(|c| attr(doc, c, "Value"));
    let status = match attr(doc, code, "Value").as_deref() {
        Some(v) if v == StatusCode::Success.uri() && second.as_deref() == Some(PARTIAL_LOGOUT) => {
            LogoutStatus::PartialLogout
        }
        Some(v) if v == StatusCode::Success.uri() => LogoutStatus::Success,
        Some(v) if v == StatusCode::Requester.uri() => LogoutStatus::Requester,
        Some(v) if v == StatusCode::Responder.uri() => LogoutStatus::Responder,
        other => {
            return Err(BindingError::Malformed {
                element: Q,
                problem: format!("unknown status `{}`", truncate(other.unwrap_or(""))),
            }
            .into());
        }
    };
    Ok(LogoutResponse {
        id,
        issuer: issuer(doc, root),
        in_response_to: attr(doc, root, "InResponseTo"),
        destination: attr(doc, root, "Destination"),
        status,
        signed: received.signed,
        relay_state: received.relay_state,
    })
}
