//! Namespace URIs and algorithm identifiers used throughout samlkit: one place, one spelling.

/// SAML 2.0 assertion namespace (`saml:`).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 protocol namespace (`samlp:`).
pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 metadata namespace.
pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML Signature namespace (`ds:`, written as the default namespace on `Signature`).
pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Schema namespace (`xs:`), used only inside `xsi:type` values.
pub const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// XML Schema instance namespace (`xsi:`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The namespace bound to the `xml` prefix.
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace bound to the `xmlns` prefix.
pub const XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// Exclusive XML Canonicalization 1.0, without comments.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive XML Canonicalization 1.0, with comments.
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// Canonical XML 1.0 (inclusive), without comments.
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Canonical XML 1.0 (inclusive), with comments.
pub const C14N_WITH_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Canonical XML 1.1 (inclusive), without comments.
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// Canonical XML 1.1 (inclusive), with comments.
pub const C14N11_WITH_COMMENTS: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
