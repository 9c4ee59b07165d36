//! JSON to [`AddonSettings`]: types checked key by key, errors naming the key.

use super::{AddonSettings, Logout, MAX_LIFETIME_SECONDS, Mapping, MappingTarget};
use crate::crypto::{DigestAlgorithm, SignatureAlgorithm};
use crate::error::{SettingsError, truncate};
use crate::keys::Certificate;
use crate::uri::{check_url, is_uri};
use crate::vocabulary::{Binding, NameIdFormat};
use crate::xml::escape::first_invalid_char;
use serde::Deserialize;
use serde_json::{Map, Value};

/// How to treat keys samlkit does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// Unknown keys are errors (with the closest known key suggested), and audiences that are not
    /// URIs are errors. The default: a typo must not silently fall back to a default.
    #[default]
    Strict,
    /// As Auth0 itself: unknown keys are kept (in `extra`, written back on serialization) and an
    /// audience that is not a URI is a [`super::Warning`], not an error.
    Lenient,
}

/// The top-level keys, in Auth0's documentation order.
pub(super) const KEYS: [&str; 24] = [
    "audience",
    "recipient",
    "destination",
    "mappings",
    "createUpnClaim",
    "passthroughClaimsWithNoMapping",
    "mapUnknownClaimsAsIs",
    "mapIdentities",
    "signatureAlgorithm",
    "digestAlgorithm",
    "issuer",
    "lifetimeInSeconds",
    "signResponse",
    "signAssertion",
    "nameIdentifierFormat",
    "nameIdentifierProbes",
    "authnContextClassRef",
    "typedAttributes",
    "includeAttributeNameFormat",
    "logout",
    "binding",
    "signingCert",
    "encryptionCert",
    "encryptionPublicKey",
];
const LOGOUT_KEYS: [&str; 2] = ["callback", "slo_enabled"];

/// A JSON value that rejects duplicate object keys (serde_json keeps the last one silently).
pub(super) struct StrictValue(pub(super) Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StrictValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_none<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
                let mut items = Vec::new();
                while let Some(StrictValue(v)) = seq.next_element()? {
                    items.push(v);
                }
                Ok(StrictValue(Value::Array(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<StrictValue, A::Error> {
                let mut map = Map::new();
                while let Some(key) = access.next_key::<String>()? {
                    let StrictValue(v) = access.next_value()?;
                    if map.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!("duplicate key `{}`", truncate(&key))));
                    }
                    map.insert(key, v);
                }
                Ok(StrictValue(Value::Object(map)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

pub(super) fn from_str(text: &str, mode: ParseMode) -> Result<AddonSettings, SettingsError> {
    let value = serde_json::from_str::<StrictValue>(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; keep the message short and structured.
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        match message.strip_prefix("duplicate key `").and_then(|m| m.strip_suffix('`')) {
            Some(key) => SettingsError::DuplicateKey { path: key.to_owned() },
            None => SettingsError::Json { line: e.line(), column: e.column(), message },
        }
    })?;
    from_value(&value.0, mode)
}

pub(super) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong(path: &str, expected: &'static str, found: &Value) -> SettingsError {
    SettingsError::WrongType { path: path.to_owned(), expected, found: json_type(found) }
}

fn string(path: &str, value: &Value) -> Result<String, SettingsError> {
    value.as_str().map(str::to_owned).ok_or_else(|| wrong(path, "a string", value))
}

/// A boolean; in lenient mode also `"true"` / `"false"` as strings (recorded in `strings`, for a
/// warning), as Auth0 accepts them.
fn lenient_boolean(
    path: &str,
    value: &Value,
    mode: ParseMode,
    strings: &mut Vec<String>,
) -> Result<bool, SettingsError> {
    match (value, mode) {
        (Value::Bool(b), _) => Ok(*b),
        (Value::String(text), ParseMode::Lenient) if text == "true" || text == "false" => {
            strings.push(path.to_owned());
            Ok(text == "true")
        }
        (Value::String(text), ParseMode::Strict) if text == "true" || text == "false" => {
            Err(wrong(path, "a boolean (the string is accepted in lenient mode)", value))
        }
        _ => Err(wrong(path, "a boolean", value)),
    }
}

fn strings(path: &str, value: &Value) -> Result<Vec<String>, SettingsError> {
    let items = value.as_array().ok_or_else(|| wrong(path, "an array of strings", value))?;
    items.iter().enumerate().map(|(i, item)| string(&format!("{path}[{i}]"), item)).collect()
}

fn named<T>(
    path: &str,
    value: &Value,
    lookup: fn(&str) -> Option<T>,
    allowed: &'static str,
) -> Result<T, SettingsError> {
    let name = string(path, value)?;
    lookup(&name).ok_or_else(|| SettingsError::UnknownName { path: path.to_owned(), value: truncate(&name), allowed })
}

fn lifetime(path: &str, value: &Value) -> Result<u64, SettingsError> {
    let Value::Number(n) = value else {
        return Err(wrong(path, "an integer", value));
    };
    let out_of_range =
        || SettingsError::Lifetime { path: path.to_owned(), value: n.to_string(), max: MAX_LIFETIME_SECONDS };
    if let Some(secs) = n.as_u64() {
        return if (1..=MAX_LIFETIME_SECONDS).contains(&secs) { Ok(secs) } else { Err(out_of_range()) };
    }
    if n.is_i64() {
        return Err(out_of_range()); // negative
    }
    // JavaScript has one number type: 3600.0 is 3600; 3600.5 is not a number of seconds.
    match n.as_f64() {
        Some(f) if f.fract() != 0.0 => {
            Err(SettingsError::WrongType { path: path.to_owned(), expected: "an integer", found: "a fraction" })
        }
        Some(f) if f >= 1.0 && f <= MAX_LIFETIME_SECONDS as f64 => Ok(f as u64),
        _ => Err(out_of_range()),
    }
}

fn mappings(value: &Value) -> Result<Vec<Mapping>, SettingsError> {
    let object = value.as_object().ok_or_else(|| wrong("mappings", "an object", value))?;
    object
        .iter()
        .map(|(field, target)| {
            let path = format!("mappings.{field}");
            let target = match target {
                Value::String(claim) => MappingTarget::One(claim.clone()),
                Value::Array(_) => MappingTarget::Many(strings(&path, target)?),
                other => return Err(wrong(&path, "a string or an array of strings", other)),
            };
            Ok(Mapping { field: field.clone(), target })
        })
        .collect()
}

fn logout(value: &Value, mode: ParseMode, strings: &mut Vec<String>) -> Result<Logout, SettingsError> {
    let object = value.as_object().ok_or_else(|| wrong("logout", "an object", value))?;
    let mut logout = Logout::default();
    for (key, value) in object {
        match key.as_str() {
            "callback" => logout.callback = Some(string("logout.callback", value)?),
            "slo_enabled" => logout.slo_enabled = lenient_boolean("logout.slo_enabled", value, mode, strings)?,
            _ if mode == ParseMode::Lenient => {
                logout.extra.insert(key.clone(), value.clone());
            }
            _ => {
                return Err(SettingsError::UnknownKey {
                    path: format!("logout.{}", truncate(key)),
                    suggestion: suggest(key, &LOGOUT_KEYS).map(|s| format!("logout.{s}")),
                });
            }
        }
    }
    Ok(logout)
}

pub(super) fn from_value(value: &Value, mode: ParseMode) -> Result<AddonSettings, SettingsError> {
    let object = value.as_object().ok_or_else(|| wrong("(settings)", "an object", value))?;
    let mut s = AddonSettings::default();
    for (key, value) in object {
        match key.as_str() {
            "audience" => s.audience = Some(string(key, value)?),
            "recipient" => s.recipient = Some(string(key, value)?),
            "destination" => s.destination = Some(string(key, value)?),
            "mappings" => s.mappings = mappings(value)?,
            "createUpnClaim" => s.create_upn_claim = lenient_boolean(key, value, mode, &mut s.string_booleans)?,
            "passthroughClaimsWithNoMapping" => {
                s.passthrough_claims_with_no_mapping = lenient_boolean(key, value, mode, &mut s.string_booleans)?
            }
            "mapUnknownClaimsAsIs" => {
                s.map_unknown_claims_as_is = lenient_boolean(key, value, mode, &mut s.string_booleans)?
            }
            "mapIdentities" => s.map_identities = lenient_boolean(key, value, mode, &mut s.string_booleans)?,
            "signatureAlgorithm" => {
                s.signature_algorithm = named(
                    key,
                    value,
                    SignatureAlgorithm::from_name,
                    "rsa-sha1, rsa-sha256, rsa-sha384, rsa-sha512, ecdsa-sha256",
                )?
            }
            "digestAlgorithm" => {
                s.digest_algorithm = named(key, value, DigestAlgorithm::from_name, "sha1, sha256, sha384, sha512")?
            }
            "issuer" => s.issuer = Some(string(key, value)?),
            "lifetimeInSeconds" => s.lifetime_in_seconds = lifetime(key, value)?,
            "signResponse" => s.sign_response = lenient_boolean(key, value, mode, &mut s.string_booleans)?,
            "signAssertion" => s.sign_assertion = lenient_boolean(key, value, mode, &mut s.string_booleans)?,
            "nameIdentifierFormat" => s.name_identifier_format = NameIdFormat::from_uri(&string(key, value)?),
            "nameIdentifierProbes" => s.name_identifier_probes = strings(key, value)?,
            "authnContextClassRef" => s.authn_context_class_ref = string(key, value)?,
            "typedAttributes" => s.typed_attributes = lenient_boolean(key, value, mode, &mut s.string_booleans)?,
            "includeAttributeNameFormat" => {
                s.include_attribute_name_format = lenient_boolean(key, value, mode, &mut s.string_booleans)?
            }
            "logout" => s.logout = logout(value, mode, &mut s.string_booleans)?,
            "binding" => {
                s.binding = named(
                    key,
                    value,
                    Binding::from_setting,
                    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST, urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                )?
            }
            "signingCert" => s.signing_cert = Some(string(key, value)?),
            "encryptionCert" => s.encryption_cert = Some(string(key, value)?),
            "encryptionPublicKey" => s.encryption_public_key = Some(string(key, value)?),
            _ if mode == ParseMode::Lenient => {
                s.extra.insert(key.clone(), value.clone());
            }
            _ => {
                return Err(SettingsError::UnknownKey {
                    path: truncate(key),
                    suggestion: suggest(key, &KEYS).map(str::to_owned),
                });
            }
        }
    }
    validate(&s, mode)?;
    Ok(s)
}

/// The closest known key to `key`, if it is close: a case-insensitive match, or an edit distance
/// of at most a third of the key's length (at least 2).
pub(super) fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_lowercase() == lower) {
        return Some(k);
    }
    let limit = (key.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn chars(path: &str, text: &str) -> Result<(), SettingsError> {
    match first_invalid_char(text) {
        Some(c) => Err(SettingsError::InvalidCharacter { path: path.to_owned(), codepoint: c as u32 }),
        None => Ok(()),
    }
}

/// The text the Heroku setup guide puts where the entity ID belongs.
pub(super) const HEROKU_PLACEHOLDER: &str = "THE-HEROKU-ENTITY-ID";

/// An absolute URI (a URL or a URN); the error names `path`, and says so when the value is the
/// Heroku setup guide's placeholder.
fn check_uri(path: &str, value: &str) -> Result<(), SettingsError> {
    if is_uri(value) {
        return Ok(());
    }
    let hint = if value.contains(HEROKU_PLACEHOLDER) {
        " (it is the setup guide's placeholder: put your Heroku Entity ID, https://sso.heroku.com/saml/<org>, there)"
    } else {
        " (expected a URL or a URN such as urn:example:sp)"
    };
    Err(SettingsError::InvalidUri { path: path.to_owned(), value: truncate(value), hint })
}

pub(super) fn validate(s: &AddonSettings, mode: ParseMode) -> Result<(), SettingsError> {
    if let Some(feature) = s.signature_algorithm.feature().filter(|_| !s.signature_algorithm.is_available()) {
        return Err(SettingsError::NeedsFeature {
            path: "signatureAlgorithm".into(),
            value: s.signature_algorithm.name(),
            feature,
        });
    }
    if let Some(audience) = &s.audience {
        chars("audience", audience)?;
        if let Err(e) = check_uri("audience", audience) {
            if mode == ParseMode::Strict {
                return Err(e);
            }
        }
    }
    for (key, url) in
        [("recipient", &s.recipient), ("destination", &s.destination), ("logout.callback", &s.logout.callback)]
    {
        if let Some(url) = url {
            chars(key, url)?;
            check_url(key, url)?;
        }
    }
    if let Some(issuer) = &s.issuer {
        chars("issuer", issuer)?;
        check_uri("issuer", issuer)?;
    }
    for mapping in &s.mappings {
        let path = format!("mappings.{}", truncate(&mapping.field));
        if mapping.field.is_empty() {
            return Err(SettingsError::Empty { path: "mappings (a profile field name)".into() });
        }
        chars(&path, &mapping.field)?;
        if let MappingTarget::Many(claims) = &mapping.target {
            if claims.is_empty() {
                return Err(SettingsError::Empty { path });
            }
        }
        for (i, claim) in mapping.target.claims().iter().enumerate() {
            let path = match mapping.target {
                MappingTarget::One(_) => path.clone(),
                MappingTarget::Many(_) => format!("{path}[{i}]"),
            };
            if claim.trim().is_empty() {
                return Err(SettingsError::Empty { path });
            }
            chars(&path, claim)?;
        }
    }
    if !(1..=MAX_LIFETIME_SECONDS).contains(&s.lifetime_in_seconds) {
        return Err(SettingsError::Lifetime {
            path: "lifetimeInSeconds".into(),
            value: s.lifetime_in_seconds.to_string(),
            max: MAX_LIFETIME_SECONDS,
        });
    }
    if s.name_identifier_probes.is_empty() {
        return Err(SettingsError::Empty { path: "nameIdentifierProbes".into() });
    }
    for (i, probe) in s.name_identifier_probes.iter().enumerate() {
        let path = format!("nameIdentifierProbes[{i}]");
        if probe.trim().is_empty() {
            return Err(SettingsError::Empty { path });
        }
        chars(&path, probe)?;
    }
    let format = s.name_identifier_format.uri();
    chars("nameIdentifierFormat", format)?;
    check_uri("nameIdentifierFormat", format)?;
    chars("authnContextClassRef", &s.authn_context_class_ref)?;
    check_uri("authnContextClassRef", &s.authn_context_class_ref)?;
    if let Some(cert) = &s.signing_cert {
        if cert.trim().is_empty() {
            return Err(SettingsError::Empty { path: "signingCert".into() });
        }
        // Auth0 takes the PEM, its base64 body without the armor, or a PEM public key.
        Certificate::from_signing_cert_setting(cert)
            .map_err(|e| SettingsError::InvalidCertificate { path: "signingCert".into(), message: e.to_string() })?;
    }
    for (path, value) in [("encryptionCert", &s.encryption_cert), ("encryptionPublicKey", &s.encryption_public_key)] {
        let Some(value) = value else { continue };
        if value.trim().is_empty() {
            return Err(SettingsError::Empty { path: path.into() });
        }
        crate::settings::encryption_key(path, value)
            .map_err(|e| SettingsError::InvalidCertificate { path: path.into(), message: e.to_string() })?;
    }
    if !s.sign_response && !s.sign_assertion {
        return Err(SettingsError::NothingSigned);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_gets_a_hint() {
        let e = check_uri("audience", HEROKU_PLACEHOLDER).unwrap_err();
        assert!(e.to_string().contains("placeholder"), "{e}");
        let e = check_uri("audience", "acme").unwrap_err();
        assert!(e.to_string().contains("URN"), "{e}");
    }
}
