//! Claim and context URIs: the names Auth0's addon gives attributes, and its default
//! authentication context.

/// The prefix of passed-through and identity claims.
pub const AUTH0_CLAIM_PREFIX: &str = "http://schemas.auth0.com/";

/// Claim URI prefix of the WS-Federation identity claims Auth0 uses.
pub const CLAIMS_2005: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
/// The `nameidentifier` claim.
pub const CLAIM_NAME_IDENTIFIER: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
/// The `emailaddress` claim.
pub const CLAIM_EMAIL: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
/// The `name` claim.
pub const CLAIM_NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
/// The `givenname` claim.
pub const CLAIM_GIVEN_NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname";
/// The `surname` claim.
pub const CLAIM_SURNAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname";
/// The `upn` claim.
pub const CLAIM_UPN: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
/// The `Group` claim.
pub const CLAIM_GROUPS: &str = "http://schemas.xmlsoap.org/claims/Group";

/// Auth0's default `authnContextClassRef`.
pub const AUTHN_CONTEXT_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";
