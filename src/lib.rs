//! samlkit: a SAML 2.0 identity provider that behaves like Auth0's "SAML2 Web App" addon.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod assertion;
pub mod binding;
pub mod claims;
pub mod clock;
pub mod crypto;
pub mod dsig;
pub mod error;
pub mod ids;
pub mod keys;
pub mod response;
pub mod settings;
pub mod xml;

pub use error::{Error, Result};
