//! [`AddonSettings`] back to the Auth0 settings JSON.

use super::{AddonSettings, MappingTarget};
use serde_json::{Map, Value};

pub(super) fn to_json(s: &AddonSettings, minimal: bool) -> Value {
    let d = AddonSettings::default();
    let mut out = Map::new();
    let mut put = |key: &str, value: Value, is_default: bool| {
        if !(minimal && is_default) {
            out.insert(key.to_owned(), value);
        }
    };
    let opt = |v: &Option<String>| v.clone().map(Value::String);
    for (key, value) in [("audience", &s.audience), ("recipient", &s.recipient), ("destination", &s.destination)] {
        if let Some(v) = opt(value) {
            put(key, v, false);
        }
    }
    let mappings: Map<String, Value> = s
        .mappings
        .iter()
        .map(|m| {
            let target = match &m.target {
                MappingTarget::One(claim) => Value::String(claim.clone()),
                MappingTarget::Many(claims) => Value::Array(claims.iter().cloned().map(Value::String).collect()),
            };
            (m.field.clone(), target)
        })
        .collect();
    put("mappings", Value::Object(mappings), s.mappings == d.mappings);
    put("createUpnClaim", s.create_upn_claim.into(), s.create_upn_claim == d.create_upn_claim);
    put(
        "passthroughClaimsWithNoMapping",
        s.passthrough_claims_with_no_mapping.into(),
        s.passthrough_claims_with_no_mapping == d.passthrough_claims_with_no_mapping,
    );
    put(
        "mapUnknownClaimsAsIs",
        s.map_unknown_claims_as_is.into(),
        s.map_unknown_claims_as_is == d.map_unknown_claims_as_is,
    );
    put("mapIdentities", s.map_identities.into(), s.map_identities == d.map_identities);
    put("signatureAlgorithm", s.signature_algorithm.name().into(), s.signature_algorithm == d.signature_algorithm);
    put("digestAlgorithm", s.digest_algorithm.name().into(), s.digest_algorithm == d.digest_algorithm);
    if let Some(v) = opt(&s.issuer) {
        put("issuer", v, false);
    }
    put("lifetimeInSeconds", s.lifetime_in_seconds.into(), s.lifetime_in_seconds == d.lifetime_in_seconds);
    put("signResponse", s.sign_response.into(), s.sign_response == d.sign_response);
    // signAssertion is not an Auth0 key: write it only when it says something.
    if !s.sign_assertion {
        put("signAssertion", false.into(), false);
    }
    put(
        "nameIdentifierFormat",
        s.name_identifier_format.uri().into(),
        s.name_identifier_format == d.name_identifier_format,
    );
    put(
        "nameIdentifierProbes",
        Value::Array(s.name_identifier_probes.iter().cloned().map(Value::String).collect()),
        s.name_identifier_probes == d.name_identifier_probes,
    );
    put(
        "authnContextClassRef",
        s.authn_context_class_ref.clone().into(),
        s.authn_context_class_ref == d.authn_context_class_ref,
    );
    put("typedAttributes", s.typed_attributes.into(), s.typed_attributes == d.typed_attributes);
    put(
        "includeAttributeNameFormat",
        s.include_attribute_name_format.into(),
        s.include_attribute_name_format == d.include_attribute_name_format,
    );
    let mut logout = Map::new();
    if let Some(callback) = &s.logout.callback {
        logout.insert("callback".into(), callback.clone().into());
    }
    if !(minimal && s.logout.slo_enabled == d.logout.slo_enabled) {
        logout.insert("slo_enabled".into(), s.logout.slo_enabled.into());
    }
    logout.extend(s.logout.extra.clone());
    put("logout", Value::Object(logout), s.logout == d.logout);
    put("binding", s.binding.uri().into(), s.binding == d.binding);
    if let Some(v) = opt(&s.signing_cert) {
        put("signingCert", v, false);
    }
    if let Some(v) = opt(&s.encryption_cert) {
        put("encryptionCert", v, false);
    }
    if let Some(v) = opt(&s.encryption_public_key) {
        put("encryptionPublicKey", v, false);
    }
    out.extend(s.extra.clone());
    Value::Object(out)
}
