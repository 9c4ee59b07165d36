//! samlkit: a SAML 2.0 identity provider that behaves like Auth0's "SAML2 Web App" addon — same
//! settings JSON, same claim mapping, same XML — for Heroku single sign-on and every other SAML
//! service provider.
//!
//! # Quick start
//!
//! Auth0's addon settings and a key make an [`IdentityProvider`], validated once and shared by
//! every request handler; each login gives a [`SignedResponse`]; a [`Validator`] checks it as
//! the service provider would.
//!
//! ```
//! use samlkit::{AddonSettings, Certificate, IdentityProvider, IdpKey, Validator};
//!
//! // The addon settings: the Heroku recipe for the organization "acme", or the JSON pasted
//! // into the addon's Settings box (here the same thing).
//! let settings = AddonSettings::heroku("acme").with_issuer("urn:acme.auth0.com");
//! let same = AddonSettings::from_json(r#"{
//!     "audience": "https://sso.heroku.com/saml/acme",
//!     "mappings": { "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
//!     "createUpnClaim": false, "passthroughClaimsWithNoMapping": false, "mapIdentities": false,
//!     "nameIdentifierFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
//!     "nameIdentifierProbes": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]
//! }"#)?
//! .with_callback_url("https://sso.heroku.com/saml/acme/finalize")
//! .with_issuer("urn:acme.auth0.com");
//! assert_eq!(same, settings);
//!
//! // The IdP's key and certificate (PEM or DER), on the fastest backend compiled in.
//! let cert = include_bytes!("../examples/data/demo-idp-cert.pem");
//! let key = IdpKey::from_pem_or_der(include_bytes!("../examples/data/demo-idp-key.pem"), cert)?;
//! let idp = IdentityProvider::new(settings, key)?;
//!
//! // A login: the user's profile is mapped as Auth0 maps it; the response is signed as the
//! // settings say, for the HTTP-POST binding.
//! let profile = serde_json::json!({ "user_id": "auth0|1", "email": "jane@example.com" });
//! let signed = idp.respond(&profile).in_response_to("_request-id-from-heroku").build()?;
//! assert_eq!(signed.destination, "https://sso.heroku.com/saml/acme/finalize");
//! let form = signed.post_form(None)?;
//! assert!(form.contains("name=\"SAMLResponse\""));
//!
//! // The service provider's checks, against the pinned certificate.
//! let assertion = Validator::heroku("acme", vec![Certificate::from_pem_or_der(cert)?])?
//!     .insecure_allow_sha1() // Auth0's default signature algorithm is rsa-sha1
//!     .expect_in_response_to("_request-id-from-heroku")
//!     .validate(&signed.xml)?;
//! assert_eq!(assertion.name_id.value, "jane@example.com");
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! The manual (`docs/` in the repository) covers the settings, the verifier's rules,
//! interoperability, performance and fuzzing.
//!
//! # Map
//! The types above are at the root; the rest sits in one module per concern:
//! - [`settings`]: the addon settings JSON, typed, with Auth0's defaults and errors naming the
//!   key; [`claims`]: profile to attributes and NameID, in Auth0's order.
//! - [`validate`]: the service-provider side, [`Validator`] and what it returns, and the state
//!   several SP instances share (replay cache, pending requests; on Redis with the `redis`
//!   feature); [`encryption`]: encrypted assertions, both ways.
//! - [`metadata`]: the IdP's metadata, and SP/IdP metadata read back (SP metadata becomes
//!   settings); [`authn_request`], [`logout`], [`binding`]: requests, single logout, and the
//!   HTTP-POST and HTTP-Redirect bindings.
//! - [`crypto`]: algorithms, the [`SigningKey`] trait for keys held elsewhere, the signing
//!   [`crypto::Backend`]s; [`vocabulary`]: bindings, formats, status codes and claim URIs;
//!   [`clock`], [`ids`]: injected time and IDs for reproducible output; [`error`]: the
//!   per-concern error enums behind [`Error`].
//! - [`low_level`]: the parser, canonicalization, the bare verifier and the XML builders, for
//!   tests, fuzzers and tools; `testing` (the `testing` feature): the hostile variants of a
//!   signed response that a service provider must refuse.
//!
//! # Security
//! - Auth0's defaults are reproduced, including its weak ones (rsa-sha1/sha1 when the JSON names
//!   no algorithm); [`settings::AddonSettings::warnings`] reports them.
//! - RSA signing is blinded and constant-time (the `rsa` crate 0.10, or AWS-LC); keys under 2048
//!   bits are refused; key material is wiped on drop. ECDSA P-256 (the `aws-lc-rs` feature) is
//!   AWS-LC's constant-time implementation. Whatever a signer returns is checked against the
//!   algorithm and the certificate's key before it is written.
//! - Every piece of caller text is escaped by one routine; text XML cannot carry is an error.
//! - The verifier is secure by default where samlkit chooses: SHA-256 and stronger only (SHA-1
//!   after `insecure_allow_sha1`), pinned certificates (KeyInfo only orders them), RSA keys of
//!   2048 bits and more, no DTDs, size and depth limits, nothing read through unsigned bytes
//!   (namespace bindings included), the SignatureValue checked before any costly work on the
//!   referenced element, linear work on any input, and the attack corpus under
//!   `tests/data/attacks/` as regression tests. It is liberal in layout: every signature
//!   position, c14n variant, KeyInfo form and encoding the specifications allow verifies.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod assertion;
pub mod authn_request;
pub mod binding;
pub mod claims;
pub mod clock;
pub mod crypto;
mod dsig;
pub mod encryption;
pub mod error;
mod idp;
pub mod ids;
mod keys;
pub mod logout;
pub mod low_level;
pub mod metadata;
mod response;
pub mod settings;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod trust;
mod uri;
pub mod validate;
pub mod vocabulary;
mod xml;

pub use authn_request::AuthnRequest;
pub use binding::PostForm;
pub use crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
pub use error::{Error, Result};
pub use idp::{IdentityProvider, IdpKey, LoginResponse, SignedResponse};
pub use keys::Certificate;
pub use metadata::SpMetadata;
pub use settings::AddonSettings;
pub use trust::TrustPolicy;
pub use validate::{Validator, VerifiedAssertion};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The manual's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/identity-provider.md")]
#[doc = include_str!("../docs/security.md")]
struct ManualDoctests;
