//! The service-provider side: verify a SAML Response against pinned certificates and validate
//! what it says, reading only from what is signed.
//!
//! ```
//! # let xml = include_str!("../../tests/data/golden/heroku-rsa-sha256-sha256.xml");
//! # let cert = samlkit::keys::Certificate::from_pem_or_der(include_bytes!("../../tests/data/keys/rsa-2048.cert.pem"))?;
//! use samlkit::clock::FixedClock;
//! use samlkit::validate::Validator;
//! use std::sync::Arc;
//!
//! let validator = Validator::heroku("acme", vec![cert])?
//!     .clock(Arc::new(FixedClock::rfc3339("2026-11-28T15:30:00Z")?))
//!     .expect_in_response_to("_request1");
//! let assertion = validator.validate(xml)?; // XML, or the base64 SAMLResponse as posted
//! assert_eq!(assertion.name_id.value, "jane.doe@example.com");
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! Signature problems ([`VerifyError`]) stop everything: nothing in the message can be trusted.
//! Once the signatures verify, every check runs and every failure is reported together in a
//! [`ValidationError`], so a test suite can show all problems at once.

mod assertion;
mod replay;

pub use assertion::{ReceivedAttribute, ReceivedConditions, ReceivedNameId, Signed, TypedValue, VerifiedAssertion};
pub use replay::{InMemoryReplayCache, ReplayCache};

use crate::clock::{Clock, SystemClock, saml_time};
use crate::dsig::verify::{Verified, verify_enveloped};
use crate::encryption::{ContentAlgorithm, DecryptionKey, XENC, decrypt_assertion};
use crate::error::{EncryptionError, Error, Failure, UsageError, ValidationError, VerifyError, truncate};
use crate::keys::Certificate;
use crate::settings::NameIdFormat;
use crate::trust::TrustPolicy;
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId, ParseLimits};
use assertion::{SignedBindings, attr, identity_text, one_child, read_attributes, time_attr};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use std::sync::Arc;

const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const NO_CERTIFICATES: UsageError =
    UsageError::Missing { what: "certificates", how: "pin at least one IdP signing certificate" };

/// Checks SAML Responses for one service provider. Build it once, use it from many threads.
///
/// Defaults (each documented on its setter): SHA-256 and stronger only, the Assertion must be
/// signed, a clock skew of 180 s, InResponseTo must match an expected request ID (no unsolicited
/// responses), comments and processing instructions inside NameID and AttributeValue rejected,
/// input up to 256 KiB, no replay cache.
#[derive(Clone)]
pub struct Validator {
    trust: TrustPolicy,
    audience: String,
    acs_url: String,
    issuer: Option<String>,
    clock: Arc<dyn Clock>,
    clock_skew: Duration,
    expected_request_id: Option<String>,
    allow_unsolicited: bool,
    allow_response_signature_only: bool,
    reject_comments: bool,
    limits: ParseLimits,
    replay: Option<Arc<dyn ReplayCache>>,
    name_id_format: Option<NameIdFormat>,
    require_email_name_id: bool,
    decryption: Option<Arc<DecryptionKey>>,
    allow_cbc: bool,
    allow_no_audience: bool,
    allow_missing_destination: bool,
    require_certificate_validity: bool,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("audience", &self.audience)
            .field("acs_url", &self.acs_url)
            .field("issuer", &self.issuer)
            .field("certificates", &self.trust.certificates().len())
            .field("decrypts", &self.decryption.is_some())
            .field("allow_cbc", &self.allow_cbc)
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// A validator for the SP whose entity ID is `audience` and whose ACS URL is `acs_url`,
    /// trusting signatures by `certificates` only (the IdP's signing certificates; at least one).
    pub fn new(
        audience: impl Into<String>,
        acs_url: impl Into<String>,
        certificates: Vec<Certificate>,
    ) -> Result<Self, UsageError> {
        if certificates.is_empty() {
            return Err(NO_CERTIFICATES);
        }
        Ok(Self::unchecked(audience.into(), acs_url.into(), certificates))
    }

    fn unchecked(audience: String, acs_url: String, certificates: Vec<Certificate>) -> Self {
        Self {
            trust: TrustPolicy::new(certificates),
            audience,
            acs_url,
            issuer: None,
            clock: Arc::new(SystemClock),
            clock_skew: Duration::seconds(180),
            expected_request_id: None,
            allow_unsolicited: false,
            allow_response_signature_only: false,
            reject_comments: true,
            limits: ParseLimits::default(),
            replay: None,
            name_id_format: None,
            require_email_name_id: false,
            decryption: None,
            allow_cbc: false,
            allow_no_audience: false,
            allow_missing_destination: false,
            require_certificate_validity: false,
        }
    }

    /// What Heroku requires of the organization `org`: audience `https://sso.heroku.com/saml/<org>`,
    /// Destination and Recipient `…/finalize`, an emailAddress NameID holding an email address, a
    /// signed Assertion. Unsolicited (IdP-initiated) responses are allowed, as Heroku allows them;
    /// [`Validator::expect_in_response_to`] requires a specific request instead.
    ///
    /// # Errors
    /// [`UsageError::Missing`] for an empty `certificates`, as [`Validator::new`].
    pub fn heroku(org: &str, certificates: Vec<Certificate>) -> Result<Self, UsageError> {
        if certificates.is_empty() {
            return Err(NO_CERTIFICATES);
        }
        let settings = crate::settings::AddonSettings::heroku(org);
        let audience = settings.audience.unwrap_or_default();
        let acs = settings.recipient.unwrap_or_default();
        let mut v = Self::unchecked(audience, acs, certificates);
        v.allow_unsolicited = true;
        v.name_id_format = Some(NameIdFormat::EmailAddress);
        v.require_email_name_id = true;
        Ok(v)
    }

    /// The expected IdP entity ID (Issuer of Assertion and Response). Default: any.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The clock skew allowed on NotBefore and NotOnOrAfter (default 180 s).
    pub fn clock_skew(mut self, skew: std::time::Duration) -> Self {
        self.clock_skew = Duration::from_std(skew).unwrap_or(Duration::MAX);
        self
    }

    /// Require `InResponseTo` to be this AuthnRequest ID (on the Response when present, and on
    /// the SubjectConfirmationData).
    pub fn expect_in_response_to(mut self, request_id: impl Into<String>) -> Self {
        self.expected_request_id = Some(request_id.into());
        self
    }

    /// Accept responses that answer no request (IdP-initiated). They must then carry no
    /// InResponseTo. Default: false, except in [`Validator::heroku`].
    pub fn allow_unsolicited(mut self, allow: bool) -> Self {
        self.allow_unsolicited = allow;
        self
    }

    /// Accept an unsigned Assertion when the Response signature covers it (default: the
    /// Assertion itself must be signed).
    pub fn allow_response_signature_only(mut self, allow: bool) -> Self {
        self.allow_response_signature_only = allow;
        self
    }

    /// Accept rsa-sha1 and sha1 signatures: Auth0's default, and weak (SHA-1 collisions are
    /// practical). Use only for an IdP that cannot do better.
    pub fn insecure_allow_sha1(mut self) -> Self {
        self.trust = self.trust.insecure_allow_sha1();
        self
    }

    /// The trust policy: pinned certificates and algorithms ([`TrustPolicy`]); it replaces the
    /// certificates given at construction and the SHA-1 and RSA-1024 opt-ins.
    ///
    /// # Errors
    /// [`UsageError::Missing`] for a policy without certificates.
    pub fn trust(mut self, trust: TrustPolicy) -> Result<Self, UsageError> {
        if trust.certificates().is_empty() {
            return Err(NO_CERTIFICATES);
        }
        self.trust = trust;
        Ok(self)
    }

    /// Accept comments and processing instructions inside NameID and AttributeValue (their
    /// text is still read whole). Default: rejected.
    pub fn insecure_allow_comments_in_identity(mut self) -> Self {
        self.reject_comments = false;
        self
    }

    /// The parser's limits (input size default 256 KiB; see [`ParseLimits`]).
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Accept a pinned RSA key of 1024 to 2047 bits, for the IdP's signing certificate and the
    /// SP's decryption key. Such keys are factorable with enough money; without this option the
    /// Validator refuses them with an error that names the key size
    /// ([`VerifyError::KeyTooSmall`], [`EncryptionError::KeyTooSmall`]).
    pub fn insecure_allow_rsa_1024(mut self) -> Self {
        self.trust = self.trust.insecure_allow_rsa_1024();
        self
    }

    /// Accept an Assertion without AudienceRestriction: it is then meant for any SP, so a
    /// response captured at another SP of the same IdP would be accepted here. Default: refused
    /// ([`Failure::Missing`] of `saml:AudienceRestriction`).
    pub fn insecure_allow_no_audience(mut self) -> Self {
        self.allow_no_audience = true;
        self
    }

    /// Accept a signed Response without `Destination` (SAML bindings 3.5.5.2 requires it; some
    /// IdPs leave it out). The Recipient of the bearer SubjectConfirmationData is still checked.
    pub fn allow_missing_destination(mut self) -> Self {
        self.allow_missing_destination = true;
        self
    }

    /// Refuse a response when the validity period of the certificate that verified it does not
    /// cover the validation instant. Default off, as in python3-saml and ruby-saml: the pin is
    /// the trust, and IdPs keep signing with expired self-signed certificates.
    /// [`VerifiedAssertion::certificate_not_after`] tells the expiry either way.
    pub fn require_certificate_validity(mut self) -> Self {
        self.require_certificate_validity = true;
        self
    }

    /// Record accepted assertion IDs and refuse replays.
    pub fn replay_cache(mut self, cache: Arc<dyn ReplayCache>) -> Self {
        self.replay = Some(cache);
        self
    }

    /// Decrypt a `saml:EncryptedAssertion` with the SP's private key (without one, an encrypted
    /// response is refused with [`VerifyError::EncryptedAssertion`]). The decrypted Assertion is
    /// parsed as its own document and must carry a valid signature, unless
    /// [`Validator::allow_response_signature_only`] is set and the Response signature (which then
    /// covers the EncryptedAssertion) verifies; one Assertion or EncryptedAssertion in all.
    /// Content algorithms: AES-GCM; AES-CBC only with [`Validator::insecure_allow_cbc`]. Key
    /// transport: RSA-OAEP (rsa-oaep-mgf1p, xmlenc11 rsa-oaep with SHA-1 or SHA-256).
    pub fn decryption_key(mut self, key: DecryptionKey) -> Self {
        self.decryption = Some(Arc::new(key));
        self
    }

    /// Accept AES-CBC encrypted assertions (legacy IdPs). CBC is unauthenticated: an attacker who
    /// alters the ciphertext and watches the SP's errors can decrypt it (Jager and Somorovsky,
    /// "How to Break XML Encryption", 2011). samlkit reports every failure after an unsigned CBC
    /// ciphertext as the one [`EncryptionError::Decryption`], but timing still differs; ask the
    /// IdP for AES-GCM, or require a signed Response.
    pub fn insecure_allow_cbc(mut self) -> Self {
        self.allow_cbc = true;
        self
    }

    /// Require this NameID Format.
    pub fn require_name_id_format(mut self, format: NameIdFormat) -> Self {
        self.name_id_format = Some(format);
        self
    }

    /// Verifies and validates `input`: the Response XML, or its base64 as posted in
    /// `SAMLResponse`.
    pub fn validate(&self, input: &str) -> Result<VerifiedAssertion, Error> {
        if self.trust.certificates().is_empty() {
            return Err(NO_CERTIFICATES.into());
        }
        self.check_decryption_key()?;
        let trimmed = input.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{FEFF}');
        let doc = if trimmed.starts_with('<') {
            Document::parse(trimmed, &self.limits)?
        } else {
            Document::parse_bytes(&decode_base64(trimmed, self.limits.max_bytes)?, &self.limits)?
        };
        self.check(&doc)
    }

    /// [`Validator::validate`] for bytes as received: an XML document in UTF-8 (with or without
    /// a byte order mark), US-ASCII or ISO-8859-1 as its declaration says, or its base64.
    pub fn validate_bytes(&self, input: &[u8]) -> Result<VerifiedAssertion, Error> {
        if self.trust.certificates().is_empty() {
            return Err(NO_CERTIFICATES.into());
        }
        self.check_decryption_key()?;
        let start = input.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(input.len());
        let trimmed = &input[start..];
        let doc = if trimmed.starts_with(b"<") || trimmed.starts_with(b"\xEF\xBB\xBF") {
            Document::parse_bytes(trimmed, &self.limits)?
        } else if trimmed.starts_with(&[0xFF, 0xFE]) || trimmed.starts_with(&[0xFE, 0xFF]) {
            return Err(crate::error::XmlError::Encoding {
                message: "the document is UTF-16 (byte order mark); samlkit reads UTF-8".into(),
            }
            .into());
        } else {
            let text =
                std::str::from_utf8(trimmed).map_err(|e| not_saml(describe_non_text(trimmed, e.valid_up_to())))?;
            Document::parse_bytes(&decode_base64(text, self.limits.max_bytes)?, &self.limits)?
        };
        self.check(&doc)
    }

    fn check_decryption_key(&self) -> Result<(), Error> {
        match &self.decryption {
            Some(key) if key.bits() < crate::keys::MIN_RSA_BITS && !self.trust.allows_rsa_1024() => {
                Err(EncryptionError::KeyTooSmall { bits: key.bits() }.into())
            }
            _ => Ok(()),
        }
    }

    fn check(&self, doc: &Document) -> Result<VerifiedAssertion, Error> {
        let root = doc.root();
        let root_el = doc
            .element(root)
            .ok_or(VerifyError::UnexpectedRoot { found: String::new(), expected: "samlp:Response" })?;
        if !root_el.is(ns::SAMLP, "Response") {
            return Err(
                VerifyError::UnexpectedRoot { found: truncate(root_el.qname()), expected: "samlp:Response" }.into()
            );
        }
        unique_ids(doc)?;
        // Every Assertion and EncryptedAssertion anywhere; those inside the main Assertion's
        // Advice are set aside below (a signature that covers the main one covers them; nothing
        // is read from them).
        let mut assertions: Vec<NodeId> = find_all(doc, ns::SAML, "Assertion").collect();
        let mut encrypted_assertions: Vec<NodeId> = find_all(doc, ns::SAML, "EncryptedAssertion").collect();
        let main = match (
            assertions.iter().filter(|&&a| doc.parent(a) == Some(root)).count(),
            encrypted_assertions.iter().filter(|&&a| doc.parent(a) == Some(root)).count(),
        ) {
            (1, 0) => assertions.iter().copied().find(|&a| doc.parent(a) == Some(root)),
            (0, 1) => encrypted_assertions.iter().copied().find(|&a| doc.parent(a) == Some(root)),
            _ => None,
        };
        if let Some(main) = main {
            assertions.retain(|&a| a == main || !in_advice(doc, main, a));
            encrypted_assertions.retain(|&a| a == main || !in_advice(doc, main, a));
        }
        if !encrypted_assertions.is_empty() && self.decryption.is_none() {
            return Err(VerifyError::EncryptedAssertion.into());
        }
        let mut failures = Vec::new();
        let status = status_code(doc, root, &mut failures);
        if status.as_deref() != Some(crate::response::StatusCode::Success.uri()) {
            if let Some(code) = status {
                failures.push(Failure::Status { code: truncate(&code) });
            }
            // An error response: verify its signature if it has one, then report the status.
            verify_enveloped(doc, root, "Response", &self.trust, &self.limits)?;
            return Err(ValidationError { failures }.into());
        }
        // Exactly one Assertion or EncryptedAssertion, Advice aside.
        let (assertion, encrypted) = match (assertions.as_slice(), encrypted_assertions.as_slice()) {
            ([one], []) => (*one, false),
            ([], [one]) => (*one, true),
            _ => {
                return Err(VerifyError::AssertionCount { count: assertions.len() + encrypted_assertions.len() }.into());
            }
        };
        if doc.parent(assertion) != Some(root) {
            return Err(VerifyError::AssertionPlacement.into());
        }
        let response_sig = verify_enveloped(doc, root, "Response", &self.trust, &self.limits)?;
        if !encrypted {
            let assertion_sig = verify_enveloped(doc, assertion, "Assertion", &self.trust, &self.limits)?;
            return self.read(doc, root, doc, assertion, response_sig, assertion_sig, None, failures);
        }

        // An EncryptedAssertion: decrypt it, parse the plaintext as its own document (inside a
        // wrapper that re-declares the namespaces in scope at the EncryptedAssertion) and verify
        // the Assertion's signature there; everything is then read from that document.
        let key = self.decryption.as_deref().ok_or(VerifyError::EncryptedAssertion)?;
        let decrypted = decrypt_assertion(doc, assertion, key, self.allow_cbc)?;
        // CBC is malleable: unless the Response signature (checked above) covers the ciphertext,
        // whatever goes wrong next is reported as the one decryption failure, so parse and
        // signature errors cannot serve as a decryption oracle.
        let uniform = decrypted.algorithm.is_cbc() && response_sig.is_none();
        let hide = |e: Error| if uniform { Error::from(EncryptionError::Decryption) } else { e };
        let (adoc, plain) =
            parse_decrypted(doc, assertion, &decrypted.plaintext, &self.limits).map_err(|e| hide(e.into()))?;
        ids_disjoint(doc, &adoc).map_err(|e| hide(e.into()))?;
        let assertion_sig =
            verify_enveloped(&adoc, plain, "Assertion", &self.trust, &self.limits).map_err(|e| hide(e.into()))?;
        if uniform && assertion_sig.is_none() {
            // "Unsigned" would tell that the altered plaintext still parsed.
            return Err(EncryptionError::Decryption.into());
        }
        self.read(doc, root, &adoc, plain, response_sig, assertion_sig, Some(decrypted.algorithm), failures)
    }

    /// Reads and checks everything once the signatures are verified: Response-level fields from
    /// `root` in `doc`, the rest from `assertion` in `adoc` (the same document unless the
    /// assertion was encrypted).
    #[allow(clippy::too_many_arguments)]
    fn read(
        &self,
        doc: &Document,
        root: NodeId,
        adoc: &Document,
        assertion: NodeId,
        response_sig: Option<Verified>,
        assertion_sig: Option<Verified>,
        encryption: Option<ContentAlgorithm>,
        mut failures: Vec<Failure>,
    ) -> Result<VerifiedAssertion, Error> {
        let main_sig = match (&assertion_sig, &response_sig) {
            (Some(a), _) => a,
            (None, Some(r)) if self.allow_response_signature_only => r,
            _ => return Err(VerifyError::Unsigned { element: "Assertion" }.into()),
        };
        // Which namespace bindings the signature covering the Assertion signs: QNames in content
        // (xsi:type) are resolved only through those.
        let bindings = match (&assertion_sig, encryption) {
            (Some(a), _) => SignedBindings::Canonical { apex: assertion, options: &a.reference },
            // The Response signature covers the ciphertext: what the plaintext declares is signed.
            (None, Some(_)) => SignedBindings::Within { apex: assertion },
            (None, None) => SignedBindings::Canonical { apex: root, options: &main_sig.reference },
        };
        let certificate = &self.trust.certificates()[main_sig.certificate];
        let signed = Signed { response: response_sig.is_some(), assertion: assertion_sig.is_some() };

        // From here on, everything is read from `root` (signed, or checked for consistency
        // only) and from `assertion`, the node whose signature was verified.
        let now = self.clock.now();
        if self.require_certificate_validity && (now < certificate.not_before() || now >= certificate.not_after()) {
            failures.push(Failure::CertificateValidity {
                subject: truncate(certificate.subject()),
                not_before: saml_time(certificate.not_before()),
                not_on_or_after: saml_time(certificate.not_after()),
                now: saml_time(now),
            });
        }
        let response_id = attr(doc, root, "ID").unwrap_or_default();
        let assertion_id = attr(adoc, assertion, "ID").unwrap_or_default();
        if attr(doc, root, "Version").as_deref() != Some("2.0")
            || attr(adoc, assertion, "Version").as_deref() != Some("2.0")
        {
            failures.push(Failure::Malformed { what: "Version is not 2.0".into() });
        }

        // Issuers.
        let response_issuer = one_child(doc, root, ns::SAML, "Issuer", &mut failures);
        let assertion_issuer = one_child(adoc, assertion, ns::SAML, "Issuer", &mut failures);
        let issuer = match assertion_issuer {
            Some(id) => adoc.text_content(id),
            None => {
                failures.push(Failure::Missing { element: "saml:Issuer" });
                String::new()
            }
        };
        if let Some(expected) = &self.issuer {
            if assertion_issuer.is_some() && &issuer != expected {
                failures.push(Failure::Issuer {
                    element: "Assertion",
                    found: truncate(&issuer),
                    expected: truncate(expected),
                });
            }
            if let Some(id) = response_issuer {
                let found = doc.text_content(id);
                if &found != expected {
                    failures.push(Failure::Issuer {
                        element: "Response",
                        found: truncate(&found),
                        expected: truncate(expected),
                    });
                }
            }
        }

        // Destination: required when the Response is signed (SAML bindings 3.5.5.2), and
        // checked whenever present (an unsigned Response's fields are never trusted, but a
        // wrong one is still wrong).
        match attr(doc, root, "Destination").map(|d| collapse(&d)) {
            Some(d) if d != self.acs_url => {
                failures.push(Failure::Destination { found: truncate(&d), expected: truncate(&self.acs_url) })
            }
            None if response_sig.is_some() && !self.allow_missing_destination => failures.push(Failure::MissingOptIn {
                element: "samlp:Response/@Destination",
                option: "allow_missing_destination",
            }),
            _ => {}
        }
        // The Response's InResponseTo is optional; when present it must be the expected one.
        if let Some(found) = attr(doc, root, "InResponseTo") {
            self.check_in_response_to("Response", Some(found), &mut failures);
        }

        // Subject.
        let subject = one_child(adoc, assertion, ns::SAML, "Subject", &mut failures);
        let name_id_node = subject.and_then(|s| one_child(adoc, s, ns::SAML, "NameID", &mut failures));
        let name_id = match name_id_node {
            Some(id) => ReceivedNameId {
                value: identity_text(adoc, id, "saml:NameID", self.reject_comments, &mut failures),
                format: attr(adoc, id, "Format").map(|f| NameIdFormat::from_uri(f.trim())),
                name_qualifier: attr(adoc, id, "NameQualifier"),
                sp_name_qualifier: attr(adoc, id, "SPNameQualifier"),
            },
            None => {
                failures.push(Failure::Missing { element: "saml:NameID" });
                ReceivedNameId { value: String::new(), format: None, name_qualifier: None, sp_name_qualifier: None }
            }
        };
        if let (Some(required), Some(_)) = (&self.name_id_format, name_id_node) {
            if name_id.format.as_ref() != Some(required) {
                failures.push(Failure::NameIdFormat {
                    found: truncate(name_id.format.as_ref().map_or("", NameIdFormat::uri)),
                    expected: required.uri().to_owned(),
                });
            }
        }
        if self.require_email_name_id && name_id_node.is_some() && !looks_like_email(&name_id.value) {
            failures.push(Failure::NameIdNotEmail { found: truncate(&name_id.value) });
        }
        // A signed Response that answers the expected request binds the assertion to it even
        // when the SubjectConfirmationData leaves InResponseTo out (as some IdPs do).
        let answered = response_sig.is_some()
            && self.expected_request_id.is_some()
            && attr(doc, root, "InResponseTo") == self.expected_request_id;
        let in_response_to = subject.and_then(|s| self.check_confirmation(adoc, s, now, answered, &mut failures));

        // Conditions.
        let mut conditions = ReceivedConditions::default();
        match one_child(adoc, assertion, ns::SAML, "Conditions", &mut failures) {
            None => failures.push(Failure::Missing { element: "saml:Conditions" }),
            Some(c) => {
                conditions.not_before = time_attr(adoc, c, "saml:Conditions", "NotBefore", &mut failures);
                conditions.not_on_or_after = time_attr(adoc, c, "saml:Conditions", "NotOnOrAfter", &mut failures);
                self.check_window(
                    "saml:Conditions",
                    conditions.not_before,
                    conditions.not_on_or_after,
                    now,
                    &mut failures,
                );
                // SAML core 2.5.1: a condition this SP does not understand makes the assertion
                // Indeterminate, hence invalid. OneTimeUse and ProxyRestriction only restrict
                // what the SP may do next (cache it, issue assertions from it), which it does not.
                for condition in adoc.child_elements(c) {
                    let Some(e) = adoc.element(condition) else { continue };
                    let known = e.namespace() == Some(ns::SAML)
                        && matches!(e.local_name(), "AudienceRestriction" | "OneTimeUse" | "ProxyRestriction");
                    if !known {
                        failures.push(Failure::UnknownCondition { element: truncate(e.qname()) });
                    }
                }
                let restrictions: Vec<NodeId> = adoc.children_named(c, ns::SAML, "AudienceRestriction").collect();
                if restrictions.is_empty() && !self.allow_no_audience {
                    failures.push(Failure::MissingOptIn {
                        element: "saml:AudienceRestriction",
                        option: "insecure_allow_no_audience",
                    });
                }
                for r in restrictions {
                    let audiences: Vec<String> =
                        adoc.children_named(r, ns::SAML, "Audience").map(|a| collapse(&adoc.text_content(a))).collect();
                    if !audiences.contains(&self.audience) {
                        failures.push(Failure::Audience {
                            found: audiences.iter().map(|a| truncate(a)).collect(),
                            expected: truncate(&self.audience),
                        });
                    }
                    conditions.audiences.extend(audiences);
                }
            }
        }

        // AuthnStatement.
        let authn = one_child(adoc, assertion, ns::SAML, "AuthnStatement", &mut failures);
        let (mut session_index, mut authn_instant, mut session_end, mut class_ref) = (None, None, None, None);
        match authn {
            None => failures.push(Failure::Missing { element: "saml:AuthnStatement" }),
            Some(a) => {
                session_index = attr(adoc, a, "SessionIndex");
                authn_instant = time_attr(adoc, a, "saml:AuthnStatement", "AuthnInstant", &mut failures);
                session_end = time_attr(adoc, a, "saml:AuthnStatement", "SessionNotOnOrAfter", &mut failures);
                self.check_window("saml:AuthnStatement", None, session_end, now, &mut failures);
                class_ref = adoc
                    .children_named(a, ns::SAML, "AuthnContext")
                    .flat_map(|c| adoc.children_named(c, ns::SAML, "AuthnContextClassRef"))
                    .next()
                    .map(|r| adoc.text_content(r).trim().to_owned());
            }
        }
        let attributes = read_attributes(adoc, assertion, &bindings, self.reject_comments, &mut failures);

        // Replay: record only assertions that passed every other check.
        if failures.is_empty() {
            if let Some(cache) = &self.replay {
                let expires = conditions
                    .not_on_or_after
                    .unwrap_or(now)
                    .checked_add_signed(self.clock_skew)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                if !cache.check_and_record(&assertion_id, expires, now) {
                    failures.push(Failure::Replayed { id: truncate(&assertion_id) });
                }
            }
        }
        if !failures.is_empty() {
            return Err(ValidationError { failures }.into());
        }
        Ok(VerifiedAssertion {
            response_id,
            assertion_id,
            signed,
            signature_algorithm: main_sig.algorithm,
            certificate_not_after: certificate.not_after(),
            issuer,
            in_response_to,
            name_id,
            session_index,
            authn_instant,
            session_not_on_or_after: session_end,
            authn_context_class_ref: class_ref,
            conditions,
            attributes,
            encryption,
        })
    }

    /// Checks one InResponseTo value against the policy: the expected request ID, or none at
    /// all when unsolicited responses are allowed.
    fn check_in_response_to(&self, element: &'static str, found: Option<String>, failures: &mut Vec<Failure>) {
        let ok = match (&self.expected_request_id, &found) {
            (Some(expected), Some(f)) => f == expected,
            (Some(_), None) => false,
            (None, None) => self.allow_unsolicited,
            (None, Some(_)) => false,
        };
        if !ok {
            failures.push(Failure::InResponseTo {
                element,
                found: found.as_deref().map(truncate),
                expected: self.expected_request_id.clone(),
            });
        }
    }

    /// The bearer SubjectConfirmations: one whose Recipient, time window and InResponseTo all
    /// hold suffices (SAML profiles 4.1.4.3); when none does, the failures of the first bearer
    /// confirmation are reported. Returns the InResponseTo of the one that holds.
    fn check_confirmation(
        &self,
        doc: &Document,
        subject: NodeId,
        now: DateTime<Utc>,
        answered: bool,
        failures: &mut Vec<Failure>,
    ) -> Option<String> {
        let confirmations: Vec<NodeId> = doc.children_named(subject, ns::SAML, "SubjectConfirmation").collect();
        let bearers: Vec<NodeId> = confirmations
            .iter()
            .copied()
            .filter(|&c| attr(doc, c, "Method").map(|m| collapse(&m)).as_deref() == Some(BEARER))
            .collect();
        if bearers.is_empty() {
            let found = confirmations.first().and_then(|&c| attr(doc, c, "Method")).unwrap_or_default();
            failures.push(Failure::ConfirmationMethod { found: truncate(&found) });
            return None;
        }
        let mut first_failures = None;
        for bearer in bearers {
            let mut own = Vec::new();
            let in_response_to = self.check_bearer(doc, bearer, now, answered, &mut own);
            if own.is_empty() {
                return in_response_to;
            }
            first_failures.get_or_insert(own);
        }
        failures.extend(first_failures.unwrap_or_default());
        None
    }

    /// One bearer SubjectConfirmation: Recipient, NotOnOrAfter, InResponseTo.
    fn check_bearer(
        &self,
        doc: &Document,
        bearer: NodeId,
        now: DateTime<Utc>,
        answered: bool,
        failures: &mut Vec<Failure>,
    ) -> Option<String> {
        let Some(data) = one_child(doc, bearer, ns::SAML, "SubjectConfirmationData", failures) else {
            failures.push(Failure::Missing { element: "saml:SubjectConfirmationData" });
            return None;
        };
        let recipient = attr(doc, data, "Recipient").map(|r| collapse(&r)).unwrap_or_default();
        if recipient != self.acs_url {
            failures.push(Failure::Recipient { found: truncate(&recipient), expected: truncate(&self.acs_url) });
        }
        let not_on_or_after = time_attr(doc, data, "saml:SubjectConfirmationData", "NotOnOrAfter", failures);
        if not_on_or_after.is_none() && attr(doc, data, "NotOnOrAfter").is_none() {
            failures.push(Failure::Missing { element: "saml:SubjectConfirmationData/@NotOnOrAfter" });
        }
        let not_before = time_attr(doc, data, "saml:SubjectConfirmationData", "NotBefore", failures);
        self.check_window("saml:SubjectConfirmationData", not_before, not_on_or_after, now, failures);
        let in_response_to = attr(doc, data, "InResponseTo");
        if in_response_to.is_some() || !answered {
            self.check_in_response_to("SubjectConfirmationData", in_response_to.clone(), failures);
        }
        in_response_to.or_else(|| answered.then(|| self.expected_request_id.clone()).flatten())
    }

    fn check_window(
        &self,
        element: &'static str,
        not_before: Option<DateTime<Utc>>,
        not_on_or_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        failures: &mut Vec<Failure>,
    ) {
        if let Some(nb) = not_before {
            // A skew beyond the calendar's range accepts every instant.
            if now.checked_add_signed(self.clock_skew).is_some_and(|latest| nb > latest) {
                failures.push(Failure::NotYetValid { element, not_before: saml_time(nb), now: saml_time(now) });
            }
        }
        if let Some(end) = not_on_or_after {
            if now.checked_sub_signed(self.clock_skew).is_some_and(|earliest| end <= earliest) {
                failures.push(Failure::Expired { element, not_on_or_after: saml_time(end), now: saml_time(now) });
            }
        }
    }
}

/// Every element `ns:local` in the document, wherever it is.
fn find_all<'d>(doc: &'d Document, namespace: &'d str, local: &'d str) -> impl Iterator<Item = NodeId> + 'd {
    doc.elements().filter(move |(_, e)| e.is(namespace, local)).map(|(id, _)| id)
}

/// Whether `id` sits inside a `saml:Advice` child of `main`.
fn in_advice(doc: &Document, main: NodeId, id: NodeId) -> bool {
    let mut at = doc.parent(id);
    while let Some(p) = at {
        if doc.parent(p) == Some(main) {
            return doc.element(p).is_some_and(|e| e.is(ns::SAML, "Advice"));
        }
        if p == main {
            return false;
        }
        at = doc.parent(p);
    }
    false
}

fn unique_ids(doc: &Document) -> Result<(), VerifyError> {
    let mut seen = HashSet::new();
    for (_, e) in doc.elements() {
        if let Some(value) = e.attribute(None, "ID") {
            if !seen.insert(value) {
                return Err(VerifyError::DuplicateId { id: truncate(value) });
            }
        }
    }
    Ok(())
}

/// Parses decrypted assertion text inside a wrapper element that re-declares every namespace
/// in scope at the EncryptedAssertion (a foreign assertion may rely on the Response's
/// declarations); the wrapper must hold exactly one `saml:Assertion` and nothing else, and the
/// document no other Assertion or EncryptedAssertion.
fn parse_decrypted(
    doc: &Document,
    encrypted: NodeId,
    plaintext: &str,
    limits: &ParseLimits,
) -> Result<(Document, NodeId), EncryptionError> {
    let mut wrapped = zeroize::Zeroizing::new(String::with_capacity(plaintext.len() + 512));
    wrapped.push_str("<DecryptedAssertion");
    let mut declared = HashSet::new();
    let mut at = Some(encrypted);
    while let Some(id) = at {
        for declaration in doc.element(id).map(|e| e.namespace_declarations()).unwrap_or_default() {
            // The nearest declaration of a prefix wins; an undeclaration leaves it undeclared.
            if declared.insert(declaration.prefix()) && !declaration.uri().is_empty() {
                wrapped.push_str(" xmlns");
                if let Some(prefix) = declaration.prefix() {
                    wrapped.push(':');
                    wrapped.push_str(prefix);
                }
                wrapped.push_str("=\"");
                crate::xml::escape::escape_into(
                    &mut wrapped,
                    declaration.uri(),
                    crate::xml::escape::Context::Attribute,
                )
                .map_err(|_| EncryptionError::NotAnAssertion { reason: "unusable namespace URI".into() })?;
                wrapped.push('"');
            }
        }
        at = doc.parent(id);
    }
    wrapped.push('>');
    wrapped.push_str(plaintext);
    wrapped.push_str("</DecryptedAssertion>");
    let adoc = Document::parse(&wrapped, limits)
        .map_err(|e| EncryptionError::NotAnAssertion { reason: truncate(&e.to_string()) })?;
    let not_one = || EncryptionError::NotAnAssertion { reason: "it must be exactly one saml:Assertion element".into() };
    let assertion = {
        let mut children = adoc.child_elements(adoc.root());
        match (children.next(), children.next()) {
            (Some(a), None) if adoc.element(a).is_some_and(|e| e.is(ns::SAML, "Assertion")) => a,
            _ => return Err(not_one()),
        }
    };
    let stray_text = adoc
        .children(adoc.root())
        .iter()
        .any(|&c| matches!(adoc.node(c), crate::xml::parse::Node::Text(t) if !t.trim().is_empty()));
    // The decrypted Assertion and nothing else, Advice aside.
    let nested = find_all(&adoc, ns::SAML, "Assertion")
        .chain(find_all(&adoc, ns::SAML, "EncryptedAssertion"))
        .chain(find_all(&adoc, XENC, "EncryptedData"))
        .filter(|&n| !in_advice(&adoc, assertion, n))
        .count();
    if stray_text || nested != 1 {
        return Err(not_one());
    }
    Ok((adoc, assertion))
}

/// IDs are unique within the decrypted document and across it and the Response.
fn ids_disjoint(doc: &Document, adoc: &Document) -> Result<(), VerifyError> {
    unique_ids(adoc)?;
    let outer: HashSet<&str> = doc.elements().filter_map(|(_, e)| e.attribute(None, "ID")).collect();
    for (_, e) in adoc.elements() {
        if let Some(value) = e.attribute(None, "ID") {
            if outer.contains(value) {
                return Err(VerifyError::DuplicateId { id: truncate(value) });
            }
        }
    }
    Ok(())
}

fn status_code(doc: &Document, root: NodeId, failures: &mut Vec<Failure>) -> Option<String> {
    let status = one_child(doc, root, ns::SAMLP, "Status", failures);
    let code = status.and_then(|s| one_child(doc, s, ns::SAMLP, "StatusCode", failures));
    match code.and_then(|c| attr(doc, c, "Value")) {
        Some(v) => Some(v),
        None => {
            failures.push(Failure::Missing { element: "samlp:Status/samlp:StatusCode" });
            None
        }
    }
}

/// Strict base64 (whitespace allowed between characters, as form posts wrap lines), bounded;
/// input that is not base64 is described for what it looks like.
fn decode_base64(text: &str, max_bytes: usize) -> Result<Vec<u8>, Error> {
    if text.len() > max_bytes.saturating_mul(4) / 3 + 1024 {
        return Err(crate::error::XmlError::TooLarge { size: text.len() * 3 / 4, limit: max_bytes }.into());
    }
    if text.is_empty() {
        return Err(not_saml("it is empty".into()));
    }
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if let Some(i) = compact.iter().position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))) {
        let reason = if text.starts_with("SAMLResponse=") || compact[i] == b'%' {
            "it looks URL-encoded (a form body?): URL-decode the SAMLResponse parameter first".to_owned()
        } else if text.starts_with('{') || text.starts_with('[') {
            "it looks like JSON, not XML or base64".to_owned()
        } else {
            let c =
                text.chars().find(|c| !(c.is_ascii_whitespace() || c.is_ascii_alphanumeric() || "+/=".contains(*c)));
            format!("it does not start with `<` (not XML) and holds {} (not base64)", describe_char(c.unwrap_or('?')))
        };
        return Err(not_saml(reason));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| not_saml(format!("it is not valid base64 ({e})")))?;
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let body = &bytes[start..];
    if !(body.starts_with(b"<") || body.starts_with(b"\xEF\xBB\xBF")) {
        return Err(not_saml("it is base64, but what it decodes to is not XML".into()));
    }
    Ok(body.to_vec())
}

fn not_saml(reason: String) -> Error {
    VerifyError::NotXmlOrBase64 { reason }.into()
}

fn describe_char(c: char) -> String {
    if c.is_ascii_graphic() { format!("`{c}`") } else { format!("U+{:04X}", u32::from(c)) }
}

/// Bytes that are not UTF-8 and do not start with `<`.
fn describe_non_text(bytes: &[u8], at: usize) -> String {
    format!(
        "it does not start with `<` (not XML) and byte 0x{:02X} at {at} is not UTF-8 (not base64)",
        bytes.get(at).copied().unwrap_or(0)
    )
}

/// `local@domain`: no whitespace, one `@`, a non-empty local part and a dotted domain.
fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The value of an xs:anyURI (or other collapsed-whitespace) field: leading and trailing
/// whitespace removed, inner runs turned into one space (XML Schema 1.0 part 2, 4.3.6).
fn collapse(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
