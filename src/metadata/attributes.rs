//! The claim attributes an IdP metadata document advertises (`saml:Attribute` children of
//! `IDPSSODescriptor`), their `FriendlyName`s, and the names a settings value will emit.

use crate::settings::AddonSettings;
use crate::vocabulary::{
    CLAIM_EMAIL, CLAIM_GIVEN_NAME, CLAIM_NAME, CLAIM_NAME_IDENTIFIER, CLAIM_SURNAME, CLAIM_UPN, NameFormat,
};

/// The attributes Auth0's metadata lists, in its order, with its `FriendlyName`s:
/// emailaddress "E-Mail Address", givenname "Given Name", name "Name", surname "Surname",
/// nameidentifier "Name ID".
pub(crate) const AUTH0_ATTRIBUTES: [(&str, &str); 5] = [
    (CLAIM_EMAIL, "E-Mail Address"),
    (CLAIM_GIVEN_NAME, "Given Name"),
    (CLAIM_NAME, "Name"),
    (CLAIM_SURNAME, "Surname"),
    (CLAIM_NAME_IDENTIFIER, "Name ID"),
];

/// The `FriendlyName` samlkit writes for a claim: Auth0's five ([`AUTH0_ATTRIBUTES`]), and
/// `UPN` for the upn claim (Auth0's metadata does not list upn; "UPN" is the name Microsoft's
/// claim descriptions use). Every other claim gets no `FriendlyName`: samlkit does not invent
/// display names for claims it cannot know the meaning of.
pub(crate) fn friendly_name(claim: &str) -> Option<&'static str> {
    if claim == CLAIM_UPN {
        return Some("UPN");
    }
    AUTH0_ATTRIBUTES.iter().find(|(name, _)| *name == claim).map(|(_, friendly)| *friendly)
}

/// The identity claims `mapIdentities` adds, as far as they can be known without a profile:
/// `http://schemas.auth0.com/identities/default/{provider,connection,isSocial}`. The
/// `access_token` claim (present only when the identity carries one) is not advertised.
pub(crate) fn identity_claim_names() -> [&'static str; 3] {
    [
        "http://schemas.auth0.com/identities/default/provider",
        "http://schemas.auth0.com/identities/default/connection",
        "http://schemas.auth0.com/identities/default/isSocial",
    ]
}

/// The claim names responses under `settings` can carry, in the order they are emitted: the
/// `mappings` targets (each name once), the upn claim when `createUpnClaim` is on, the identity
/// claims ([`identity_claim_names`]) when `mapIdentities` is on. Passed-through profile fields
/// (`passthroughClaimsWithNoMapping`) depend on each profile and cannot be listed.
pub(crate) fn attribute_names_from_settings(settings: &AddonSettings) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    };
    for mapping in &settings.mappings {
        for claim in mapping.target.claims() {
            push(claim);
        }
    }
    if settings.create_upn_claim {
        push(CLAIM_UPN);
    }
    if settings.map_identities {
        for claim in identity_claim_names() {
            push(claim);
        }
    }
    names
}

/// One `saml:Attribute` advertised in IdP metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MetadataAttribute {
    /// `Name`: the claim name.
    pub name: String,
    /// `NameFormat`, when written.
    pub name_format: Option<String>,
    /// `FriendlyName`, when written.
    pub friendly_name: Option<String>,
}

impl MetadataAttribute {
    /// The attribute for a claim as samlkit emits it: `NameFormat` by the rule the responses use
    /// (a URI → `uri`, an XML name → `basic`, else `unspecified`), `FriendlyName` as Auth0's metadata
    /// names the claim (`E-Mail Address`, `UPN`, ...), none for other claims.
    pub fn for_claim(name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            name_format: Some(NameFormat::for_name(&name).uri().to_owned()),
            friendly_name: friendly_name(&name).map(str::to_owned),
            name,
        }
    }

    /// Auth0's five attributes, in Auth0's order (the builder's default).
    pub fn auth0_defaults() -> Vec<Self> {
        AUTH0_ATTRIBUTES.iter().map(|(name, _)| Self::for_claim(*name)).collect()
    }
}
