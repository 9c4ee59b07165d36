//! The SAML vocabulary every part of samlkit shares: bindings, NameID and attribute-name
//! formats, status codes, and the claim URIs of Auth0's addon.
//!
//! ```
//! use samlkit::vocabulary::{Binding, NameIdFormat, StatusCode};
//!
//! assert_eq!(Binding::from_uri("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"), Binding::HttpRedirect);
//! assert_eq!(NameIdFormat::EmailAddress.uri(), "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
//! assert_eq!(StatusCode::Responder.uri(), "urn:oasis:names:tc:SAML:2.0:status:Responder");
//! ```

mod binding;
mod claims;
mod name_format;
mod name_id_format;
mod status;

pub use binding::Binding;
pub use claims::*;
pub use name_format::NameFormat;
pub use name_id_format::NameIdFormat;
pub use status::{Status, StatusCode, second_level};
