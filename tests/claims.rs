//! The claim-mapping engine: Auth0's order and rules, flag by flag.

use samlkit::claims::{Attribute, AttributeValue, Claims, XsiType, map_profile};
use samlkit::error::ClaimsError;
use samlkit::settings::{AddonSettings, Mapping, MappingTarget};
use samlkit::vocabulary::NameFormat;
use samlkit::vocabulary::NameIdFormat;
use serde_json::{Value, json};

const PROFILE: &str = include_str!("data/profiles/full-auth0.json");
const C: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
const A0: &str = "http://schemas.auth0.com/";

fn profile() -> Value {
    serde_json::from_str(PROFILE).unwrap()
}

fn map(settings: &AddonSettings, profile: &Value) -> Claims {
    map_profile(settings, profile).unwrap()
}

fn names(claims: &Claims) -> Vec<String> {
    claims.attributes.iter().map(|a| a.name.clone()).collect()
}

fn texts(a: &Attribute) -> Vec<&str> {
    a.values.iter().map(|v| v.text.as_str()).collect()
}

fn settings(v: Value) -> AddonSettings {
    AddonSettings::from_json(&v.to_string()).unwrap()
}

#[test]
fn auth0_defaults_on_a_full_profile() {
    let claims = map(&AddonSettings::default(), &profile());
    let expected = [
        format!("{C}nameidentifier"),
        format!("{C}emailaddress"),
        format!("{C}name"),
        format!("{C}givenname"),
        format!("{C}surname"),
        "http://schemas.xmlsoap.org/claims/Group".into(),
        format!("{C}upn"),
        format!("{A0}identities/default/provider"),
        format!("{A0}identities/default/connection"),
        format!("{A0}identities/default/isSocial"),
        format!("{A0}clientID"),
        format!("{A0}created_at"),
        format!("{A0}email_verified"),
        format!("{A0}locale"),
        format!("{A0}logins_count"),
        format!("{A0}nickname"),
        format!("{A0}picture"),
        format!("{A0}updated_at"),
    ];
    assert_eq!(names(&claims), expected);
    assert_eq!(claims.name_id.value, "auth0|5f1a2b3c4d5e6f7a8b9c0d1e");
    assert_eq!(claims.name_id.format, NameIdFormat::Unspecified);
    let get = |n: &str| claims.get(n).unwrap();
    assert_eq!(texts(get("http://schemas.xmlsoap.org/claims/Group")), ["admins", "devs"]);
    assert_eq!(texts(get(&format!("{C}upn"))), ["jane.doe@example.com"]);
    let social = get(&format!("{A0}identities/default/isSocial"));
    assert_eq!(social.values, [AttributeValue { text: "false".into(), xsi_type: XsiType::Boolean }]);
    let logins = get(&format!("{A0}logins_count"));
    assert_eq!(logins.values, [AttributeValue { text: "42".into(), xsi_type: XsiType::Double }]);
    assert_eq!(get(&format!("{C}name")).values, [AttributeValue::string("Jane Doe")]);
    assert!(claims.attributes.iter().all(|a| a.name_format == Some(NameFormat::Uri)));
}

#[test]
fn heroku_settings_give_one_attribute_and_the_email_nameid() {
    let claims = map(&AddonSettings::heroku("acme"), &profile());
    assert_eq!(names(&claims), [format!("{C}emailaddress")]);
    assert_eq!(claims.attributes[0].values, [AttributeValue::string("jane.doe@example.com")]);
    assert_eq!(claims.name_id.value, "jane.doe@example.com");
    assert_eq!(claims.name_id.format, NameIdFormat::EmailAddress);
}

/// Settings with every optional stage off, to switch one on at a time.
fn bare() -> serde_json::Map<String, Value> {
    json!({
        "mappings": {"email": format!("{C}emailaddress")},
        "createUpnClaim": false, "passthroughClaimsWithNoMapping": false, "mapIdentities": false,
        "nameIdentifierProbes": [format!("{C}emailaddress")]
    })
    .as_object()
    .unwrap()
    .clone()
}

fn with(key: &str, value: Value) -> AddonSettings {
    let mut s = bare();
    s.insert(key.into(), value);
    settings(Value::Object(s))
}

#[test]
fn create_upn_claim_alone() {
    let claims = map(&with("createUpnClaim", json!(true)), &profile());
    assert_eq!(names(&claims), [format!("{C}emailaddress"), format!("{C}upn")]);
    assert_eq!(texts(claims.get(&format!("{C}upn")).unwrap()), ["jane.doe@example.com"]);
    // A profile upn mapped by the default mapping wins over the email.
    let mut s = with("createUpnClaim", json!(true));
    s.mappings.push(Mapping::new("upn", format!("{C}upn")));
    let mut p = profile();
    p["upn"] = json!("jdoe@corp.example");
    let claims = map(&s, &p);
    assert_eq!(texts(claims.get(&format!("{C}upn")).unwrap()), ["jdoe@corp.example"]);
    assert_eq!(claims.attributes.iter().filter(|a| a.name.ends_with("/upn")).count(), 1);
    // No email, no upn.
    let mut s = with("createUpnClaim", json!(true));
    s.name_identifier_probes = vec![format!("{A0}x")];
    s.mappings = vec![Mapping::new("user_id", format!("{A0}x"))];
    let claims = map(&s, &json!({"user_id": "u1", "email": null}));
    assert!(claims.get(&format!("{C}upn")).is_none());
}

#[test]
fn passthrough_alone_sorts_keys_and_skips_objects() {
    let claims = map(&with("passthroughClaimsWithNoMapping", json!(true)), &profile());
    let expected: Vec<String> = std::iter::once(format!("{C}emailaddress"))
        .chain(
            [
                "clientID",
                "created_at",
                "email_verified",
                "family_name",
                "given_name",
                "groups",
                "locale",
                "logins_count",
                "name",
                "nickname",
                "picture",
                "updated_at",
                "user_id",
            ]
            .iter()
            .map(|k| format!("{A0}{k}")),
        )
        .collect();
    assert_eq!(names(&claims), expected);
}

#[test]
fn map_unknown_claims_as_is() {
    let mut s = with("passthroughClaimsWithNoMapping", json!(true));
    s.map_unknown_claims_as_is = true;
    let claims = map(&s, &profile());
    assert!(claims.get("nickname").is_some());
    assert!(claims.get(&format!("{A0}nickname")).is_none());
    assert_eq!(claims.get("nickname").unwrap().name_format, Some(NameFormat::Basic));
    // Alone (no passthrough) it changes nothing.
    let claims = map(&with("mapUnknownClaimsAsIs", json!(true)), &profile());
    assert_eq!(names(&claims), [format!("{C}emailaddress")]);
}

#[test]
fn map_identities_alone_in_identity_key_order() {
    let mut p = profile();
    p["identities"] = json!([
        {"isSocial": true, "access_token": "tok", "provider": "github", "user_id": "1", "connection": "github"},
        {"provider": "second"}
    ]);
    let claims = map(&with("mapIdentities", json!(true)), &p);
    let id = |k: &str| format!("{A0}identities/default/{k}");
    assert_eq!(
        names(&claims),
        [format!("{C}emailaddress"), id("isSocial"), id("access_token"), id("provider"), id("connection")]
    );
    assert_eq!(claims.get(&id("isSocial")).unwrap().values[0].xsi_type, XsiType::Boolean);
    assert_eq!(texts(claims.get(&id("provider")).unwrap()), ["github"]);
    // No identities: nothing.
    let claims = map(&with("mapIdentities", json!(true)), &json!({"email": "a@b.example"}));
    assert_eq!(claims.attributes.len(), 1);
}

#[test]
fn typed_attributes_off_makes_everything_any_type() {
    let mut s = with("typedAttributes", json!(false));
    s.passthrough_claims_with_no_mapping = true;
    let mut p = profile();
    p["nothing"] = Value::Null;
    let claims = map(&s, &p);
    for a in &claims.attributes {
        for v in &a.values {
            let expected = if a.name.ends_with("/nothing") { XsiType::Nil } else { XsiType::AnyType };
            assert_eq!(v.xsi_type, expected, "{}", a.name);
        }
    }
}

#[test]
fn include_attribute_name_format() {
    let mut s = with("includeAttributeNameFormat", json!(false));
    s.mappings.push(Mapping::new("nickname", "nick name"));
    let claims = map(&s, &profile());
    assert!(claims.attributes.iter().all(|a| a.name_format.is_none()));
    let mut s = bare();
    s.insert("mappings".into(), json!({"email": "mail", "nickname": "nick name", "name": "urn:oid:2.5.4.3"}));
    s.insert("nameIdentifierProbes".into(), json!(["mail"]));
    let claims = map(&settings(Value::Object(s)), &profile());
    let formats: Vec<_> = claims.attributes.iter().map(|a| a.name_format.clone().unwrap()).collect();
    assert_eq!(formats, [NameFormat::Basic, NameFormat::Unspecified, NameFormat::Uri]);
}

#[test]
fn all_flags_combined() {
    let s = settings(json!({
        "mappings": {"email": ["mail", format!("{C}emailaddress")], "user_metadata.color": "color"},
        "mapUnknownClaimsAsIs": true,
        "typedAttributes": false,
        "includeAttributeNameFormat": false,
        "nameIdentifierProbes": ["nickname"],
        "nameIdentifierFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    }));
    let claims = map(&s, &profile());
    let n = names(&claims);
    assert_eq!(
        &n[..5],
        ["mail", &format!("{C}emailaddress"), "color", &format!("{C}upn"), &format!("{A0}identities/default/provider")]
    );
    assert!(n.contains(&"nickname".to_string()) && n.contains(&"user_id".to_string()));
    assert_eq!(claims.name_id.value, "jane");
    assert_eq!(claims.name_id.format, NameIdFormat::Persistent);
    assert!(claims.attributes.iter().all(|a| a.name_format.is_none()));
}

#[test]
fn mapping_targets_paths_and_duplicates() {
    let s = settings(json!({
        "mappings": {
            "email": ["mail", "email2"],
            "user_metadata.color": "color",
            "user_metadata.tags[1]": "tag",
            "groups.0": "first_group",
            "missing.path": "never",
            "identities[0].connection": "connection",
            "given_name": "dup",
            "family_name": "dup"
        },
        "createUpnClaim": false, "passthroughClaimsWithNoMapping": false, "mapIdentities": false,
        "nameIdentifierProbes": ["mail"]
    }));
    let claims = map(&s, &profile());
    assert_eq!(names(&claims), ["mail", "email2", "color", "tag", "first_group", "connection", "dup"]);
    assert_eq!(texts(claims.get("mail").unwrap()), texts(claims.get("email2").unwrap()));
    assert_eq!(texts(claims.get("color").unwrap()), ["blue"]);
    assert_eq!(texts(claims.get("tag").unwrap()), ["b"]);
    assert_eq!(texts(claims.get("first_group").unwrap()), ["admins"]);
    assert_eq!(texts(claims.get("connection").unwrap()), ["Username-Password-Authentication"]);
    // The later mapping's value, at the first mapping's position.
    assert_eq!(texts(claims.get("dup").unwrap()), ["Doe"]);
}

#[test]
fn value_rendering() {
    let s = settings(json!({
        "mappings": {"a": "a", "b": "b", "c": "c", "d": "d", "e": "e", "f": "f", "g": "g", "h": "h", "i": "i"},
        "createUpnClaim": false, "passthroughClaimsWithNoMapping": false, "mapIdentities": false,
        "nameIdentifierProbes": ["a"]
    }));
    let p = json!({
        "a": "plain 😀 text\twith\nwhitespace",
        "b": null,
        "c": {"z": 1, "y": [true, null]},
        "d": [1, [2, 3], {"k": "v"}, null, "s"],
        "e": 1e21,
        "f": [],
        "g": false,
        "h": "",
        "i": 0.5
    });
    let claims = map(&s, &p);
    let v = |n: &str| claims.get(n).map(|a| a.values.clone());
    assert_eq!(v("a").unwrap(), [AttributeValue::string("plain 😀 text\twith\nwhitespace")]);
    assert_eq!(v("b").unwrap(), [AttributeValue { text: String::new(), xsi_type: XsiType::Nil }]);
    assert_eq!(
        v("c").unwrap(),
        [AttributeValue { text: r#"{"z":1,"y":[true,null]}"#.into(), xsi_type: XsiType::AnyType }]
    );
    let d: Vec<(String, XsiType)> = v("d").unwrap().into_iter().map(|x| (x.text, x.xsi_type)).collect();
    assert_eq!(
        d,
        [
            ("1".into(), XsiType::Double),
            ("[2,3]".into(), XsiType::AnyType),
            (r#"{"k":"v"}"#.into(), XsiType::AnyType),
            (String::new(), XsiType::Nil),
            ("s".into(), XsiType::String),
        ]
    );
    assert_eq!(v("e").unwrap(), [AttributeValue { text: "1e21".into(), xsi_type: XsiType::Double }]);
    assert_eq!(v("f"), None, "an empty array gives no attribute");
    assert_eq!(v("g").unwrap(), [AttributeValue { text: "false".into(), xsi_type: XsiType::Boolean }]);
    assert_eq!(v("h").unwrap(), [AttributeValue::string("")]);
    assert_eq!(v("i").unwrap()[0].text, "0.5");
}

#[test]
fn nameid_probes() {
    let probes = |p: Value, profile: Value| {
        let mut s = bare();
        s.insert("mappings".into(), json!({"a": "A", "b": "B", "c": "C"}));
        s.insert("nameIdentifierProbes".into(), p);
        map_profile(&settings(Value::Object(s)), &profile)
    };
    // First probe with a non-empty value wins; empty strings and nulls are skipped.
    let c = probes(json!(["A", "B", "C"]), json!({"a": "", "b": null, "c": "third"})).unwrap();
    assert_eq!(c.name_id.value, "third");
    let c = probes(json!(["C", "A"]), json!({"a": "first", "c": "third"})).unwrap();
    assert_eq!(c.name_id.value, "third");
    // A multi-valued claim gives its first non-empty value; a number its text.
    let c = probes(json!(["A"]), json!({"a": [null, "", "x", "y"]})).unwrap();
    assert_eq!(c.name_id.value, "x");
    let c = probes(json!(["B"]), json!({"b": 7})).unwrap();
    assert_eq!(c.name_id.value, "7");
    // None found: every probe is listed.
    let e = probes(json!(["A", "B"]), json!({"a": ""})).unwrap_err();
    assert_eq!(e, ClaimsError::NoNameIdentifier { probes: vec!["A".into(), "B".into()] });
    assert!(e.to_string().contains("A, B"));
    // A probe may name a prefixed passthrough claim.
    let mut s = with("passthroughClaimsWithNoMapping", json!(true));
    s.name_identifier_probes = vec![format!("{A0}nickname")];
    assert_eq!(map(&s, &profile()).name_id.value, "jane");
}

#[test]
fn characters_xml_cannot_carry_are_errors_naming_the_claim() {
    let s = settings(json!({
        "mappings": {"email": "mail"}, "createUpnClaim": false, "mapIdentities": false,
        "nameIdentifierProbes": ["mail"]
    }));
    for bad in ["nul\u{0}", "bell\u{7}", "nonchar\u{FFFE}", "nonchar\u{FFFF}"] {
        let e = map_profile(&s, &json!({"email": bad})).unwrap_err();
        assert!(matches!(&e, ClaimsError::InvalidCharacter { claim, .. } if claim == "mail"), "{e:?}");
    }
    let e = map_profile(&s, &json!({"email": "a@b.example", "weird\u{1}key": 1})).unwrap_err();
    assert!(
        matches!(&e, ClaimsError::InvalidCharacter { claim, codepoint: 1 } if claim == "http://schemas.auth0.com/weird\u{1}key"),
        "{e:?}"
    );
    let e = map_profile(&s, &json!({"email": "a@b.example", "arr": ["ok", "bad\u{0}"]})).unwrap_err();
    assert!(matches!(e, ClaimsError::InvalidCharacter { codepoint: 0, .. }));
    // Objects rendered as JSON escape their control characters, so they are fine.
    let mut s = s;
    s.mappings.push(Mapping::new("obj", "objclaim"));
    let c = map_profile(&s, &json!({"email": "a@b.example", "obj": {"k": "v\u{0}"}})).unwrap();
    assert_eq!(c.get("objclaim").unwrap().values[0].text, r#"{"k":"v\u0000"}"#);
}

#[test]
fn profile_must_be_an_object() {
    for (p, found) in [(json!([]), "an array"), (json!("x"), "a string"), (Value::Null, "null"), (json!(1), "a number")]
    {
        assert_eq!(map_profile(&AddonSettings::default(), &p), Err(ClaimsError::ProfileNotAnObject { found }));
    }
}

#[test]
fn custom_attribute_values_can_be_built() {
    let v = AttributeValue::string("x");
    assert_eq!((v.text.as_str(), v.xsi_type.qname()), ("x", Some("xs:string")));
    assert_eq!(XsiType::Nil.qname(), None);
    let m = Mapping { field: "f".into(), target: MappingTarget::Many(vec!["a".into(), "b".into()]) };
    assert_eq!(m.target.claims().len(), 2);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-z_.]{1,6}", inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn profile() -> impl Strategy<Value = Value> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["user_id", "email", "name", "groups", "identities", "x", "y.z", "upn"]),
                value(),
            ),
            0..8,
        )
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
    }

    proptest! {
        #[test]
        fn mapping_is_deterministic_and_never_panics(p in profile(), typed: bool, names: bool, asis: bool, pass: bool) {
            let mut s = AddonSettings {
                typed_attributes: typed,
                include_attribute_name_format: names,
                map_unknown_claims_as_is: asis,
                passthrough_claims_with_no_mapping: pass,
                ..AddonSettings::default()
            };
            s.mappings.push(Mapping::new("y.z", "yz"));
            let first = map_profile(&s, &p);
            prop_assert_eq!(&first, &map_profile(&s, &p));
            if let Ok(claims) = first {
                prop_assert!(!claims.name_id.value.is_empty());
                for a in &claims.attributes {
                    prop_assert!(!a.values.is_empty());
                }
            }
        }
    }
}

#[test]
fn a_later_empty_value_removes_an_earlier_claim() {
    let s = settings(json!({
        "mappings": {"a": "same", "b": "same", "email": "mail"},
        "createUpnClaim": false, "passthroughClaimsWithNoMapping": false, "mapIdentities": false,
        "nameIdentifierProbes": ["mail"]
    }));
    let claims = map(&s, &json!({"a": "x", "b": [], "email": "e@example.com"}));
    assert_eq!(names(&claims), ["mail"]);
}
