//! SAML bindings: how messages travel between the browser, the IdP and the SP.
//!
//! - [`PostForm`]: the HTTP-POST binding's auto-submitting HTML form.
//! - [`redirect`]: the HTTP-Redirect binding (DEFLATE + base64 + URL encoding, query signatures).

mod post;
mod query;
pub(crate) mod receive;
pub mod redirect;

pub use post::{PostForm, Script};
