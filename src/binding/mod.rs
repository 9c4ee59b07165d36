//! SAML bindings: how messages travel between the browser, the IdP and the SP.

mod post;

pub use post::{PostForm, Script};
