//! The parts the high-level API is made of, for tests, fuzzers and tools that need one piece
//! alone: the hardened XML parser and its tree, canonicalization, the bare enveloped-signature
//! verifier, the namespace URIs, and the per-call XML builders [`IdentityProvider`] drives.
//!
//! A server does not need this module: [`IdentityProvider`] signs, [`Validator`] verifies.
//! What is here is documented and tested like the rest, but follows the implementation more
//! closely and may change between minor versions.
//!
//! ```
//! use samlkit::low_level::{C14nOptions, Document, canonicalize};
//! use samlkit::validate::ParseLimits;
//!
//! let doc = Document::parse(r#"<a xmlns:p="urn:p" b="2"   a="1"><p:c/></a>"#, &ParseLimits::default())?;
//! let mut out = Vec::new();
//! canonicalize(&doc, doc.root(), &C14nOptions::default(), &mut out);
//! assert_eq!(out, br#"<a a="1" b="2"><p:c xmlns:p="urn:p"></p:c></a>"#);
//! # Ok::<(), samlkit::error::XmlError>(())
//! ```
//!
//! [`IdentityProvider`]: crate::IdentityProvider
//! [`Validator`]: crate::Validator

pub use crate::assertion::AssertionBuilder;
pub use crate::dsig::c14n::{C14nMethod, C14nOptions, canonicalize, canonicalize_document};
pub use crate::dsig::verify::{Verified, verify_enveloped};
pub use crate::response::{ResponseBuilder, ResponseXml};
pub use crate::xml::ns;
#[cfg(fuzzing)]
#[doc(hidden)]
pub use crate::xml::parse::parse_general;
pub use crate::xml::parse::{
    Attribute, Descendants, Document, Element, NamespaceDeclaration, Node, NodeId, ParseLimits,
};
pub use crate::xml::tree::{Attributes, AttributesIter, NamespaceDeclarations, NamespaceDeclarationsIter};
