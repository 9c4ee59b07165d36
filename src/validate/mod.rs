//! The service-provider side: verify a SAML Response against pinned certificates and validate
//! what it says, reading only from what is signed.
//!
//! ```
//! # let xml = include_str!("../../tests/data/golden/heroku-rsa-sha256-sha256.xml");
//! # let cert = samlkit::Certificate::from_pem_or_der(include_bytes!("../../tests/data/keys/rsa-2048.cert.pem"))?;
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
//! # Several SP instances
//!
//! The validator is stateless except for two stores, which every instance behind a load
//! balancer must share:
//! - a [`ReplayCache`]: an assertion accepted by one instance is a replay for all;
//! - a [`RequestStore`]: the instance that sent an AuthnRequest need not be the one that
//!   receives its answer.
//!
//! [`InMemoryReplayCache`] and [`InMemoryRequestStore`] serve one process; `RedisReplayCache` and
//! `RedisRequestStore` (the `redis` feature) serve many. A store that cannot answer makes the
//! validation fail with [`crate::error::StoreError`]: never accepted unchecked.
//!
//! ```
//! # let key = samlkit::IdpKey::from_pem_or_der(include_bytes!("../../examples/data/demo-idp-key.pem"), include_bytes!("../../examples/data/demo-idp-cert.pem"))?;
//! # let cert = key.certificate().clone();
//! # let idp = samlkit::IdentityProvider::new(samlkit::AddonSettings::heroku("acme").with_issuer("urn:acme"), key)?;
//! use samlkit::validate::{InMemoryReplayCache, InMemoryRequestStore, RequestStore, Validator};
//! use std::sync::Arc;
//!
//! let requests = Arc::new(InMemoryRequestStore::new(10_000));
//! let validator = Validator::heroku("acme", vec![cert])?
//!     .insecure_allow_sha1() // Auth0's default algorithm
//!     .replay_cache(Arc::new(InMemoryReplayCache::new(100_000)))
//!     .request_store(requests.clone());
//!
//! // When the SP sends an AuthnRequest:
//! requests.remember("_request1", chrono::Utc::now() + chrono::Duration::minutes(10))?;
//! // When its answer arrives (at this instance or another):
//! let response = idp.respond(&serde_json::json!({"email": "jane@example.com"})).in_response_to("_request1").build()?;
//! assert_eq!(validator.validate(&response.xml)?.in_response_to.as_deref(), Some("_request1"));
//! // The same answer again: the request was taken, and the assertion was recorded.
//! assert!(validator.validate(&response.xml).is_err());
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! The store proves that the SP sent the request, not that this browser started it: keep the
//! request ID in the user's session too and add [`Validator::expect_in_response_to`], or an
//! attacker can post their own genuine response into a victim's browser (login CSRF).
//!
//! Validation is synchronous: an async server (axum, actix) calls it in
//! `tokio::task::spawn_blocking` (or its runtime's equivalent), so a slow shared store holds a
//! blocking thread, not the executor.
//!
//! Signature problems ([`VerifyError`]) stop everything: nothing in the message can be trusted.
//! Once the signatures verify, every check runs and every failure is reported together in a
//! [`ValidationError`], so a test suite can show all problems at once.

mod assertion;
mod input;
mod read;
#[cfg(feature = "redis")]
mod redis_store;
mod replay;
mod requests;
mod response;
mod subject;

pub use crate::xml::parse::ParseLimits;
pub use assertion::{ReceivedAttribute, ReceivedConditions, ReceivedNameId, Signed, TypedValue, VerifiedAssertion};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::{RedisOptions, RedisReplayCache, RedisRequestStore};
pub use replay::{InMemoryReplayCache, ReplayCache};
pub use requests::{InMemoryRequestStore, RequestStore};

use crate::clock::{Clock, SystemClock};
use crate::dsig::verify::verify_enveloped;
use crate::encryption::{DecryptionKey, decrypt_assertion};
use crate::error::{EncryptionError, Error, Failure, UsageError, ValidationError, VerifyError, truncate};
use crate::keys::Certificate;
use crate::trust::TrustPolicy;
use crate::vocabulary::{NameIdFormat, StatusCode};
use crate::xml::ns;
use crate::xml::parse::Document;
use chrono::Duration;
use input::{decode_base64, describe_non_text, not_saml};
use read::Covered;
use response::{ids_disjoint, in_advice, parse_decrypted, status_code, survey, wrap_decrypted};
use std::sync::Arc;

pub(super) const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
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
    requests: Option<Arc<dyn RequestStore>>,
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
            requests: None,
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

    /// Record accepted assertions (issuer and ID, until their NotOnOrAfter plus the clock skew)
    /// and refuse replays. Only an assertion that passed every other check is recorded. A cache
    /// that cannot answer makes validation fail with [`crate::error::StoreError`].
    pub fn replay_cache(mut self, cache: Arc<dyn ReplayCache>) -> Self {
        self.replay = Some(cache);
        self
    }

    /// Match responses to the AuthnRequests the SP sent, through a store the SP fills with
    /// [`RequestStore::remember`] (shared by every SP instance). A response's InResponseTo must
    /// name a pending request, which is taken, once, when every other check has passed; a
    /// response to an unknown, answered or expired request is refused with
    /// [`crate::error::Failure::UnknownRequest`]. Unsolicited responses still need
    /// [`Validator::allow_unsolicited`]. With [`Validator::expect_in_response_to`] too, the
    /// response must answer that request and the store must hold it. A store that cannot answer
    /// makes validation fail with [`crate::error::StoreError`].
    pub fn request_store(mut self, store: Arc<dyn RequestStore>) -> Self {
        self.requests = Some(store);
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
            let bytes = decode_base64(trimmed, self.limits.max_bytes)?;
            return self.check(&Document::parse_bytes(&bytes, &self.limits)?);
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
            let bytes = decode_base64(text, self.limits.max_bytes)?;
            return self.check(&Document::parse_bytes(&bytes, &self.limits)?);
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
        // IDs unique, and every Assertion and EncryptedAssertion anywhere; those inside the main
        // Assertion's Advice are set aside below (a signature that covers the main one covers
        // them; nothing is read from them).
        let (mut assertions, mut encrypted_assertions) = survey(doc)?;
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
        if status.as_deref() != Some(StatusCode::Success.uri()) {
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
            let covered = Covered { doc, root, adoc: doc, assertion, response_sig, assertion_sig, encryption: None };
            return self.read(covered, failures);
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
        let wrapped = wrap_decrypted(doc, assertion, &decrypted.plaintext).map_err(|e| hide(e.into()))?;
        let (adoc, plain) = parse_decrypted(&wrapped, &self.limits).map_err(|e| hide(e.into()))?;
        ids_disjoint(doc, &adoc).map_err(|e| hide(e.into()))?;
        let assertion_sig =
            verify_enveloped(&adoc, plain, "Assertion", &self.trust, &self.limits).map_err(|e| hide(e.into()))?;
        if uniform && assertion_sig.is_none() {
            // "Unsigned" would tell that the altered plaintext still parsed.
            return Err(EncryptionError::Decryption.into());
        }
        let encryption = Some(decrypted.algorithm);
        let covered = Covered { doc, root, adoc: &adoc, assertion: plain, response_sig, assertion_sig, encryption };
        self.read(covered, failures)
    }
}
