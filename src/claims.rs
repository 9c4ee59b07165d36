//! From a user profile to SAML attributes and a NameID, the way Auth0's addon does it.
//!
//! The order of the attributes is Auth0's:
//! 1. mapped claims, in the order of `mappings` (a mapping's field may be a dotted path such as
//!    `user_metadata.color`, with array indexes as `emails[0]` or `emails.0`; a top-level key that
//!    itself contains a dot is matched first);
//! 2. the upn claim (`createUpnClaim`), valued with the profile's `email`, unless a mapping
//!    already emitted it;
//! 3. the identity claims (`mapIdentities`): `provider`, `connection`, `isSocial` and
//!    `access_token` of `identities[0]`, in the identity object's key order, named
//!    `http://schemas.auth0.com/identities/default/<key>`;
//! 4. passthrough (`passthroughClaimsWithNoMapping`): every other top-level field, sorted A-Z by
//!    key, named `http://schemas.auth0.com/<key>` (or `<key>` with `mapUnknownClaimsAsIs`).
//!    Objects, and arrays holding objects (`identities`, `user_metadata`, `app_metadata`), are
//!    not flattened: they appear only when mapped.
//!
//! A claim name emitted twice keeps its first position and takes the later value, as a
//! JavaScript object does.
//!
//! # Values
//! Arrays give one value per element; an empty array gives no attribute. Where JavaScript would
//! write something useless, samlkit writes something deterministic instead (documented here,
//! tested in `tests/claims.rs`):
//!
//! | JSON value | text | `xsi:type` (typedAttributes) |
//! |---|---|---|
//! | string | as is | `xs:string` |
//! | true / false | `true` / `false` | `xs:boolean` |
//! | integer | exact decimal (no rounding past 2^53, unlike JavaScript) | `xs:double` |
//! | fraction | shortest round-trip decimal; exponent form (`1e21`, `1.5e-7`) outside 1e-6..1e21, as JavaScript but without `+`; `-0` as `0` | `xs:double` |
//! | null | empty, with `xsi:nil="true"` (SAML core 2.7.3.1.1), not JavaScript's `"null"` | none |
//! | object, nested array | compact JSON, keys in the profile's order (not `[object Object]`) | `xs:anyType` |
//!
//! Text that XML 1.0 cannot carry (U+0000 and other C0 controls besides tab, newline and carriage
//! return, U+FFFE, U+FFFF), in a claim name or value, is a [`ClaimsError::InvalidCharacter`]
//! naming the claim. Non-BMP characters are kept as they are.
//!
//! # NameID
//! The first of `nameIdentifierProbes` (claim names, prefixed passthrough names included) whose
//! claim has a non-empty value gives the NameID, in `nameIdentifierFormat`. None:
//! [`ClaimsError::NoNameIdentifier`] listing every probe.

use crate::error::{ClaimsError, truncate};
use crate::settings::AddonSettings;
use crate::vocabulary::{AUTH0_CLAIM_PREFIX, CLAIM_UPN, NameFormat, NameIdFormat};
use crate::xml::escape::first_invalid_char;
use serde_json::{Map, Value};
const IDENTITY_PREFIX: &str = "http://schemas.auth0.com/identities/default/";
const IDENTITY_KEYS: [&str; 4] = ["provider", "connection", "isSocial", "access_token"];

/// The `xsi:type` of an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XsiType {
    /// `xs:string`.
    String,
    /// `xs:boolean`.
    Boolean,
    /// `xs:double`.
    Double,
    /// `xs:anyType` (objects, and every value when `typedAttributes` is false).
    AnyType,
    /// No type: the value is `xsi:nil="true"` (JSON null).
    Nil,
}

impl XsiType {
    /// The QName written in `xsi:type` (`xs:string`), or None for [`XsiType::Nil`].
    pub fn qname(self) -> Option<&'static str> {
        match self {
            Self::String => Some("xs:string"),
            Self::Boolean => Some("xs:boolean"),
            Self::Double => Some("xs:double"),
            Self::AnyType => Some("xs:anyType"),
            Self::Nil => None,
        }
    }
}

/// One `saml:AttributeValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeValue {
    /// The text (empty for nil).
    pub text: String,
    /// The type written in `xsi:type`.
    pub xsi_type: XsiType,
}

impl AttributeValue {
    /// A string value typed `xs:string`.
    pub fn string(text: impl Into<String>) -> Self {
        Self { text: text.into(), xsi_type: XsiType::String }
    }
}

/// One `saml:Attribute`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// `Name`.
    pub name: String,
    /// `NameFormat`, None when `includeAttributeNameFormat` is false.
    pub name_format: Option<NameFormat>,
    /// The values, at least one.
    pub values: Vec<AttributeValue>,
}

/// The resolved `saml:NameID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameId {
    /// The text.
    pub value: String,
    /// `Format`.
    pub format: NameIdFormat,
}

/// What a profile maps to: the NameID and the attributes, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The subject's NameID.
    pub name_id: NameId,
    /// The attributes, in Auth0's order.
    pub attributes: Vec<Attribute>,
}

impl Claims {
    /// The attribute called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// Maps `profile` (an Auth0 normalized user profile) with `settings`.
pub fn map_profile(settings: &AddonSettings, profile: &Value) -> Result<Claims, ClaimsError> {
    let object = profile.as_object().ok_or(ClaimsError::ProfileNotAnObject { found: json_type(profile) })?;
    let mut out = Builder { settings, claims: Vec::new() };

    for mapping in &settings.mappings {
        if let Some(value) = lookup(object, &mapping.field) {
            for claim in mapping.target.claims() {
                out.set(claim, value)?;
            }
        }
    }
    if settings.create_upn_claim && !out.has(CLAIM_UPN) {
        if let Some(email) = object.get("email").filter(|e| !e.is_null()) {
            out.set(CLAIM_UPN, email)?;
        }
    }
    if settings.map_identities {
        if let Some(identity) = object.get("identities").and_then(|i| i.get(0)).and_then(Value::as_object) {
            for (key, value) in identity {
                if IDENTITY_KEYS.contains(&key.as_str()) {
                    out.set(&format!("{IDENTITY_PREFIX}{key}"), value)?;
                }
            }
        }
    }
    if settings.passthrough_claims_with_no_mapping {
        let mut keys: Vec<&String> = object
            .iter()
            .filter(|(key, value)| !settings.mappings.iter().any(|m| &m.field == *key) && !is_structured(value))
            .map(|(key, _)| key)
            .collect();
        keys.sort();
        for key in keys {
            let name =
                if settings.map_unknown_claims_as_is { key.clone() } else { format!("{AUTH0_CLAIM_PREFIX}{key}") };
            out.set(&name, &object[key])?;
        }
    }

    let attributes = out.claims;
    let name_id = settings
        .name_identifier_probes
        .iter()
        .find_map(|probe| {
            attributes
                .iter()
                .find(|a| &a.name == probe)
                .and_then(|a| a.values.iter().find(|v| v.xsi_type != XsiType::Nil && !v.text.is_empty()))
        })
        .map(|v| NameId { value: v.text.clone(), format: settings.name_identifier_format.clone() })
        .ok_or_else(|| ClaimsError::NoNameIdentifier { probes: settings.name_identifier_probes.clone() })?;
    Ok(Claims { name_id, attributes })
}

struct Builder<'s> {
    settings: &'s AddonSettings,
    claims: Vec<Attribute>,
}

impl Builder<'_> {
    fn has(&self, name: &str) -> bool {
        self.claims.iter().any(|a| a.name == name)
    }

    /// Emits `value` under `name` (replacing the values of an earlier claim of that name in place);
    /// a value with no elements emits nothing and removes an earlier claim of that name.
    fn set(&mut self, name: &str, value: &Value) -> Result<(), ClaimsError> {
        let invalid = |c: char| ClaimsError::InvalidCharacter { claim: truncate(name), codepoint: c as u32 };
        if let Some(c) = first_invalid_char(name) {
            return Err(invalid(c));
        }
        let values = match value {
            Value::Array(items) => items.iter().map(|v| self.render(v)).collect::<Vec<_>>(),
            single => vec![self.render(single)],
        };
        if let Some(c) = values.iter().find_map(|v| first_invalid_char(&v.text)) {
            return Err(invalid(c));
        }
        match self.claims.iter_mut().position(|a| a.name == name) {
            // No values: no attribute, and a later empty value removes an earlier one, as
            // assigning `[]` to a JavaScript object's key would.
            Some(at) if values.is_empty() => {
                self.claims.remove(at);
            }
            None if values.is_empty() => {}
            Some(at) => self.claims[at].values = values,
            None => {
                let name_format = self.settings.include_attribute_name_format.then(|| NameFormat::for_name(name));
                self.claims.push(Attribute { name: name.to_owned(), name_format, values });
            }
        }
        Ok(())
    }

    fn render(&self, value: &Value) -> AttributeValue {
        let (text, xsi_type) = match value {
            Value::Null => (String::new(), XsiType::Nil),
            Value::String(s) => (s.clone(), XsiType::String),
            Value::Bool(b) => (b.to_string(), XsiType::Boolean),
            Value::Number(n) => (render_number(n), XsiType::Double),
            // Serializing a Value to a String cannot fail (no non-string keys, no I/O).
            Value::Array(_) | Value::Object(_) => (serde_json::to_string(value).unwrap_or_default(), XsiType::AnyType),
        };
        let xsi_type =
            if self.settings.typed_attributes || xsi_type == XsiType::Nil { xsi_type } else { XsiType::AnyType };
        AttributeValue { text, xsi_type }
    }
}

/// A JSON number as text: integers exactly, fractions as JavaScript's `Number#toString` would
/// (shortest round-trip digits, exponent form outside 1e-6..1e21) but with `e21` for `e+21`.
pub(crate) fn render_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0".into();
    }
    let magnitude = f.abs();
    if (1e-6..1e21).contains(&magnitude) { format!("{f}") } else { format!("{f:e}") }
}

/// Objects, and arrays holding objects, are not passed through.
fn is_structured(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().any(Value::is_object),
        _ => false,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The profile value at `path`: the top-level key itself if present, else the dotted path with
/// `[n]` or `.n` array indexes.
fn lookup<'p>(profile: &'p Map<String, Value>, path: &str) -> Option<&'p Value> {
    if let Some(v) = profile.get(path) {
        return Some(v);
    }
    let mut segments = path.split('.');
    let first = segments.next()?;
    let (key, indexes) = split_indexes(first)?;
    let mut current = index_into(profile.get(key)?, indexes)?;
    for segment in segments {
        let (key, indexes) = split_indexes(segment)?;
        current = match current {
            Value::Object(map) => map.get(key)?,
            Value::Array(items) if indexes.is_empty() => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        current = index_into(current, indexes)?;
    }
    Some(current)
}

/// `name[1][2]` into (`name`, `[1][2]`); None when the brackets are malformed.
fn split_indexes(segment: &str) -> Option<(&str, &str)> {
    match segment.find('[') {
        None => Some((segment, "")),
        Some(at) => Some((&segment[..at], &segment[at..])),
    }
}

fn index_into<'p>(mut value: &'p Value, mut indexes: &str) -> Option<&'p Value> {
    while !indexes.is_empty() {
        let rest = indexes.strip_prefix('[')?;
        let close = rest.find(']')?;
        let index = rest[..close].parse::<usize>().ok()?;
        value = value.as_array()?.get(index)?;
        indexes = &rest[close + 1..];
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_formats() {
        assert_eq!(NameFormat::for_name("http://schemas.auth0.com/x"), NameFormat::Uri);
        assert_eq!(NameFormat::for_name("urn:oid:2.5.4.42"), NameFormat::Uri);
        assert_eq!(NameFormat::for_name("email"), NameFormat::Basic);
        assert_eq!(NameFormat::for_name("_x.y-z"), NameFormat::Basic);
        assert_eq!(NameFormat::for_name("a b"), NameFormat::Unspecified);
        assert_eq!(NameFormat::for_name("1abc"), NameFormat::Unspecified);
        assert_eq!(NameFormat::for_name(""), NameFormat::Unspecified);
        for f in [NameFormat::Uri, NameFormat::Basic, NameFormat::Unspecified] {
            assert_eq!(NameFormat::from_uri(f.uri()), f);
        }
        assert_eq!(NameFormat::from_uri("x"), NameFormat::Other("x".into()));
    }

    #[test]
    fn paths() {
        let p = json!({"a.b": 1, "a": {"b": 2, "c": [10, {"d": 11}]}, "e": [[5, 6]]});
        let p = p.as_object().unwrap();
        assert_eq!(lookup(p, "a.b"), Some(&json!(1)));
        assert_eq!(lookup(p, "a.c[0]"), Some(&json!(10)));
        assert_eq!(lookup(p, "a.c.0"), Some(&json!(10)));
        assert_eq!(lookup(p, "a.c[1].d"), Some(&json!(11)));
        assert_eq!(lookup(p, "e[0][1]"), Some(&json!(6)));
        for missing in ["a.x", "a.c[9]", "a.c[x]", "a.c[0", "e[0].q", "z", "a.c.9", "a.b.c"] {
            assert_eq!(lookup(p, missing), None, "{missing}");
        }
    }

    #[test]
    fn numbers_render_deterministically() {
        let r = |v: Value| render_number(v.as_number().unwrap());
        assert_eq!(r(json!(42)), "42");
        assert_eq!(r(json!(-7)), "-7");
        assert_eq!(r(json!(u64::MAX)), "18446744073709551615");
        assert_eq!(r(json!(9007199254740993u64)), "9007199254740993");
        assert_eq!(r(json!(1.5)), "1.5");
        assert_eq!(r(json!(0.1)), "0.1");
        assert_eq!(r(json!(1e21)), "1e21");
        assert_eq!(r(json!(1e20)), "100000000000000000000");
        assert_eq!(r(json!(1.5e-7)), "1.5e-7");
        assert_eq!(r(json!(1e-7)), "1e-7");
        assert_eq!(r(json!(1e-6)), "0.000001");
        assert_eq!(r(json!(-0.0)), "0");
        assert_eq!(r(json!(-2.5e300)), "-2.5e300");
    }
}
