//! SAML metadata: the IdP metadata writer (Auth0's shape, every optional part, signed), read back
//! field by field; SP metadata read and turned into addon settings; every error path.
//! Golden files: `UPDATE_GOLDEN=1 cargo test --test metadata` and review the diff.

mod common;

use chrono::{DateTime, Utc};
use common::{check_signature, data, golden, key, parse, signatures};
use samlkit::Certificate;
use samlkit::Error;
use samlkit::TrustPolicy;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::error::{MetadataError, VerifyError, XmlError};
use samlkit::ids::SequentialIds;
use samlkit::low_level::ns;
use samlkit::metadata::{
    ContactPerson, ContactType, Endpoint, IdpMetadata, IdpMetadataBuilder, IndexedEndpoint, MetadataAttribute,
    Organization, SpMetadata,
};
use samlkit::settings::{AddonSettings, Mapping};
use samlkit::vocabulary::{Binding, NameIdFormat};

const ENTITY: &str = "urn:acme.auth0.com";
const SSO: &str = "https://acme.auth0.com/samlp/CLIENT";
const SLO: &str = "https://acme.auth0.com/samlp/CLIENT/logout";
const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// The NameID formats Auth0's metadata lists, in its order.
const AUTH0_NAME_ID_FORMATS: [&str; 3] = [
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
];
const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

fn cert(name: &str) -> Certificate {
    Certificate::from_pem_or_der(&data(&format!("keys/{name}.cert.pem"))).unwrap()
}

fn time(text: &str) -> DateTime<Utc> {
    FixedClock::rfc3339(text).unwrap().0
}

fn metadata_error(result: Result<impl std::fmt::Debug, Error>) -> MetadataError {
    match result {
        Err(Error::Metadata(e)) => e,
        other => panic!("expected a metadata error, got {other:?}"),
    }
}

/// The builder with every optional part filled in.
fn full_builder<'a>() -> IdpMetadataBuilder<'a> {
    let settings = AddonSettings { signing_cert: Some(cert("other-2048").to_pem()), ..AddonSettings::default() };
    let mut contact = ContactPerson::new(ContactType::Technical);
    contact.company = Some("Acme Inc.".into());
    contact.given_name = Some("Jane".into());
    contact.sur_name = Some("Doe".into());
    contact.email_address = Some("mailto:jane@acme.example".into());
    let mut support = ContactPerson::new(ContactType::Support);
    support.email_address = Some("mailto:help@acme.example".into());
    IdpMetadataBuilder::new(ENTITY)
        .id("_metadata1")
        .sso_url(SSO)
        .slo_url(SLO)
        .signing_certificate(cert("rsa-2048"))
        .signing_certificate(cert("rsa-4096"))
        .encryption_certificate(cert("other-2048"))
        .settings(&settings)
        .valid_until(time("2027-01-01T00:00:00Z"))
        .cache_duration(std::time::Duration::from_secs(86400))
        .organization(Organization::new("Acme", "Acme Inc.", "https://acme.example/"))
        .contact(contact)
        .contact(support)
}

#[test]
fn generated_metadata_reads_back_field_by_field() {
    let xml = full_builder().build().unwrap();
    let m = IdpMetadata::parse(&xml).unwrap();
    assert_eq!(m.id.as_deref(), Some("_metadata1"));
    assert_eq!(m.entity_id, ENTITY);
    assert_eq!(m.valid_until, Some(time("2027-01-01T00:00:00Z")));
    assert_eq!(m.cache_duration.as_deref(), Some("PT86400S"));
    assert!(m.want_authn_requests_signed, "the settings have a signingCert");
    assert_eq!(m.signing_certificates, vec![cert("rsa-2048"), cert("rsa-4096")]);
    assert_eq!(m.encryption_certificates, vec![cert("other-2048")]);
    assert_eq!(
        m.single_logout_services,
        vec![Endpoint::new(Binding::HttpRedirect, SLO), Endpoint::new(Binding::HttpPost, SLO)]
    );
    assert_eq!(
        m.single_sign_on_services,
        vec![Endpoint::new(Binding::HttpRedirect, SSO), Endpoint::new(Binding::HttpPost, SSO)]
    );
    assert_eq!(m.single_sign_on_services[1].binding, Binding::HttpPost);
    let formats: Vec<&str> = m.name_id_formats.iter().map(NameIdFormat::uri).collect();
    assert_eq!(formats, AUTH0_NAME_ID_FORMATS);
    // Auth0's default settings: the seven mappings (upn among them, so not repeated), then the
    // identity claims.
    let names: Vec<&str> = m.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
            "http://schemas.xmlsoap.org/claims/Group",
            "http://schemas.auth0.com/identities/default/provider",
            "http://schemas.auth0.com/identities/default/connection",
            "http://schemas.auth0.com/identities/default/isSocial",
        ]
    );
    for a in &m.attributes {
        assert_eq!(a.name_format.as_deref(), Some("urn:oasis:names:tc:SAML:2.0:attrname-format:uri"), "{}", a.name);
        assert_eq!(a.friendly_name, MetadataAttribute::for_claim(&a.name).friendly_name, "{}", a.name);
    }
    assert_eq!(m.attributes[0].friendly_name.as_deref(), Some("Name ID"));
    assert_eq!(m.attributes[5].friendly_name.as_deref(), Some("UPN"));
    assert_eq!(m.attributes[6].friendly_name, None);
    assert_eq!(
        m.organization,
        Some(Organization {
            name: "Acme".into(),
            display_name: "Acme Inc.".into(),
            url: "https://acme.example/".into(),
            lang: "en".into()
        })
    );
    assert_eq!(m.contacts.len(), 2);
    assert_eq!(m.contacts[0].contact_type, ContactType::Technical);
    assert_eq!(m.contacts[0].company.as_deref(), Some("Acme Inc."));
    assert_eq!(m.contacts[0].given_name.as_deref(), Some("Jane"));
    assert_eq!(m.contacts[0].sur_name.as_deref(), Some("Doe"));
    assert_eq!(m.contacts[0].email_address.as_deref(), Some("mailto:jane@acme.example"));
    assert_eq!(m.contacts[1].contact_type, ContactType::Support);
    assert_eq!((m.contacts[1].company.as_ref(), m.contacts[1].given_name.as_ref()), (None, None));
    assert!(!m.signed);

    // The element order: Auth0's inside IDPSSODescriptor, Organization and ContactPerson after
    // it (the schema's place for them).
    let doc = parse(&xml);
    let names = |id| -> Vec<String> {
        doc.child_elements(id).map(|c| doc.element(c).unwrap().local_name().to_owned()).collect()
    };
    assert_eq!(names(doc.root()), ["IDPSSODescriptor", "Organization", "ContactPerson", "ContactPerson"]);
    let org = doc.children_named(doc.root(), ns::MD, "Organization").next().unwrap();
    assert_eq!(names(org), ["OrganizationName", "OrganizationDisplayName", "OrganizationURL"]);
    for c in doc.child_elements(org) {
        assert_eq!(doc.element(c).unwrap().attribute(Some(ns::XML), "lang"), Some("en"));
    }
    assert!(xml.contains(
        "<ContactPerson contactType=\"technical\"><Company>Acme Inc.</Company><GivenName>Jane</GivenName><SurName>Doe</SurName><EmailAddress>mailto:jane@acme.example</EmailAddress></ContactPerson>"
    ));
    assert!(xml.starts_with(
        "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" ID=\"_metadata1\" cacheDuration=\"PT86400S\" entityID=\"urn:acme.auth0.com\" validUntil=\"2027-01-01T00:00:00.000Z\"><IDPSSODescriptor WantAuthnRequestsSigned=\"true\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"><KeyDescriptor use=\"signing\">"
    ));
    let kinds: Vec<&str> = doc
        .descendants(doc.root())
        .filter(|&id| doc.element(id).is_some_and(|e| e.local_name() == "KeyDescriptor"))
        .map(|id| doc.element(id).unwrap().attribute(None, "use").unwrap())
        .collect();
    assert_eq!(kinds, ["signing", "signing", "encryption"]);
}

/// Auth0's metadata (auth0-addon.md section 4), element by element: (namespace, local name,
/// attributes other than namespace declarations).
#[test]
fn auth0_shape() {
    let k = key(2048);
    let xml = IdpMetadataBuilder::new(ENTITY)
        .sso_url(SSO)
        .slo_url(SLO)
        .signing_certificate(k.certificate().clone())
        .build()
        .unwrap();
    golden("idp-metadata-auth0.xml", &xml);
    assert!(!xml.starts_with("<?xml"), "no XML declaration, as Auth0");
    assert!(!xml.contains('\n'), "one line");

    let doc = parse(&xml);
    let root = doc.element(doc.root()).unwrap();
    assert!(root.is(ns::MD, "EntityDescriptor"));
    assert_eq!(root.prefix(), None, "the metadata namespace is the default namespace");
    assert_eq!(root.attribute(None, "entityID"), Some(ENTITY));
    assert_eq!(root.attributes().len(), 1, "no ID, validUntil or cacheDuration unless asked");

    let descriptor = doc.child_elements(doc.root()).collect::<Vec<_>>();
    assert_eq!(descriptor.len(), 1);
    let cert_b64 = k.certificate().base64().to_owned();
    let a = |name: &str, friendly: &str| {
        vec![
            ("Name", format!("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/{name}")),
            ("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri".into()),
            ("FriendlyName", friendly.into()),
        ]
    };
    type Expected<'a> = Vec<(&'a str, &'a str, Vec<(&'a str, String)>)>;
    let expected: Expected = vec![
        (ns::MD, "KeyDescriptor", vec![("use", "signing".into())]),
        (ns::MD, "SingleLogoutService", vec![("Binding", REDIRECT.into()), ("Location", SLO.into())]),
        (ns::MD, "SingleLogoutService", vec![("Binding", POST.into()), ("Location", SLO.into())]),
        (ns::MD, "NameIDFormat", vec![]),
        (ns::MD, "NameIDFormat", vec![]),
        (ns::MD, "NameIDFormat", vec![]),
        (ns::MD, "SingleSignOnService", vec![("Binding", REDIRECT.into()), ("Location", SSO.into())]),
        (ns::MD, "SingleSignOnService", vec![("Binding", POST.into()), ("Location", SSO.into())]),
        (ns::SAML, "Attribute", a("emailaddress", "E-Mail Address")),
        (ns::SAML, "Attribute", a("givenname", "Given Name")),
        (ns::SAML, "Attribute", a("name", "Name")),
        (ns::SAML, "Attribute", a("surname", "Surname")),
        (ns::SAML, "Attribute", a("nameidentifier", "Name ID")),
    ];
    let d = doc.element(descriptor[0]).unwrap();
    assert!(d.is(ns::MD, "IDPSSODescriptor"));
    assert_eq!(d.attribute(None, "protocolSupportEnumeration"), Some("urn:oasis:names:tc:SAML:2.0:protocol"));
    assert_eq!(d.attributes().len(), 1, "no WantAuthnRequestsSigned without a signingCert");
    let children: Vec<_> = doc.child_elements(descriptor[0]).collect();
    assert_eq!(children.len(), expected.len());
    for (&id, (namespace, local, attributes)) in children.iter().zip(&expected) {
        let e = doc.element(id).unwrap();
        assert!(e.is(namespace, local), "expected {local}, found {}", e.qname());
        assert_eq!(e.prefix(), None, "{local}: default namespace, no prefix");
        assert_eq!(e.attributes().len(), attributes.len(), "{local}");
        for (name, value) in attributes {
            assert_eq!(e.attribute(None, name), Some(value.as_str()), "{local}/@{name}");
        }
    }
    let formats: Vec<_> = children[3..6].iter().map(|&id| doc.text_content(id)).collect();
    assert_eq!(formats, AUTH0_NAME_ID_FORMATS);
    // KeyInfo in the XML-DSig namespace (declared on KeyInfo), X509Data, X509Certificate.
    let key_info = doc.child_elements(children[0]).collect::<Vec<_>>();
    assert_eq!(key_info.len(), 1);
    let ki = doc.element(key_info[0]).unwrap();
    assert!(ki.is(ns::DSIG, "KeyInfo"));
    assert_eq!(ki.namespace_declarations().len(), 1);
    assert_eq!(
        (ki.namespace_declarations().get(0).unwrap().prefix(), ki.namespace_declarations().get(0).unwrap().uri()),
        (None, ns::DSIG)
    );
    let data = doc.children_named(key_info[0], ns::DSIG, "X509Data").next().unwrap();
    let c = doc.children_named(data, ns::DSIG, "X509Certificate").next().unwrap();
    assert_eq!(doc.text_content(c), cert_b64);
    assert!(xml.contains(
        "<Attribute xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" FriendlyName=\"E-Mail Address\" Name=\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\"></Attribute>"
    ));
}

#[test]
fn signed_metadata_verifies() {
    let k = key(2048);
    let ids = SequentialIds::new("_md").unwrap();
    for (sig, digest) in [
        (SignatureAlgorithm::RsaSha256, DigestAlgorithm::Sha256),
        (SignatureAlgorithm::RsaSha1, DigestAlgorithm::Sha1),
        (SignatureAlgorithm::RsaSha512, DigestAlgorithm::Sha384),
    ] {
        let xml = full_builder().ids(&ids).id("_signed1").build_signed(&k, sig, digest).unwrap();
        if sig == SignatureAlgorithm::RsaSha256 {
            golden("idp-metadata-signed.xml", &xml);
        }
        let doc = parse(&xml);
        let sigs = signatures(&doc);
        assert_eq!(sigs.len(), 1);
        assert_eq!(doc.child_elements(doc.root()).next(), Some(sigs[0]), "Signature is the first child");
        let checked = check_signature(&doc, sigs[0]);
        assert_eq!(
            (checked.signed_element.as_str(), checked.signature, checked.digest),
            ("EntityDescriptor", sig, digest)
        );

        let policy = TrustPolicy::new(vec![cert("rsa-2048")]).insecure_allow_sha1();
        let m = IdpMetadata::parse_verified(&xml, &policy).unwrap();
        assert!(m.signed);
        assert_eq!(m, IdpMetadata::parse(&xml).unwrap());
        assert_eq!(m.id.as_deref(), Some("_signed1"));
        // Tampered content, and a certificate that is not pinned, fail.
        let tampered = xml.replacen(SSO, "https://evil.example/samlp/CLIENT", 1);
        assert!(matches!(
            IdpMetadata::parse_verified(&tampered, &policy),
            Err(Error::Verify(VerifyError::DigestMismatch { element: "EntityDescriptor" }))
        ));
        let other = TrustPolicy::new(vec![cert("other-2048")]).insecure_allow_sha1();
        assert!(matches!(IdpMetadata::parse_verified(&xml, &other), Err(Error::Verify(_))));
    }
    // Without an explicit ID the generator gives one.
    let xml = IdpMetadataBuilder::new(ENTITY)
        .ids(&ids)
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .build_signed(&k, SignatureAlgorithm::RsaSha256, DigestAlgorithm::Sha256)
        .unwrap();
    let m = IdpMetadata::parse(&xml).unwrap();
    assert_eq!(m.id.as_deref(), Some("_md1"));
    check_signature(&parse(&xml), signatures(&parse(&xml))[0]);
    // Unsigned metadata is refused by parse_verified.
    let unsigned = full_builder().build().unwrap();
    let policy = TrustPolicy::new(vec![cert("rsa-2048")]);
    assert!(matches!(
        IdpMetadata::parse_verified(&unsigned, &policy),
        Err(Error::Verify(VerifyError::Unsigned { element: "EntityDescriptor" }))
    ));
}

#[test]
fn valid_for_uses_the_clock() {
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let xml = IdpMetadataBuilder::new(ENTITY)
        .clock(&clock)
        .valid_for(std::time::Duration::from_secs(7 * 24 * 3600))
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .build()
        .unwrap();
    assert!(xml.contains(" validUntil=\"2026-12-05T15:21:01.288Z\""));
    let e = IdpMetadataBuilder::new(ENTITY)
        .clock(&clock)
        .valid_for(std::time::Duration::MAX)
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Usage(_)), "{e}");
}

#[test]
fn attributes_from_settings() {
    // The attributes the settings emit, in order: mapped claims, upn, identity claims.
    let names = |s: &AddonSettings| -> Vec<String> {
        let xml = IdpMetadataBuilder::new(ENTITY)
            .sso_url(SSO)
            .signing_certificate(cert("rsa-2048"))
            .settings(s)
            .build()
            .unwrap();
        IdpMetadata::parse(&xml).unwrap().attributes.into_iter().map(|a| a.name).collect()
    };
    let heroku = AddonSettings::heroku("acme");
    assert_eq!(names(&heroku), ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]);
    let mut s = AddonSettings {
        mappings: vec![
            Mapping::new("email", "email"),
            Mapping {
                field: "nick".into(),
                target: samlkit::settings::MappingTarget::Many(vec!["a b".into(), "email".into()]),
            },
        ],
        map_identities: false,
        ..AddonSettings::default()
    };
    assert_eq!(names(&s), ["email", "a b", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"]);
    assert_eq!(
        MetadataAttribute::for_claim("email"),
        MetadataAttribute {
            name: "email".into(),
            name_format: Some("urn:oasis:names:tc:SAML:2.0:attrname-format:basic".into()),
            friendly_name: None
        }
    );
    assert_eq!(
        MetadataAttribute::for_claim("a b").name_format.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified")
    );
    // includeAttributeNameFormat off: no NameFormat in the metadata either.
    s.include_attribute_name_format = false;
    let xml = IdpMetadataBuilder::new(ENTITY)
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .settings(&s)
        .build()
        .unwrap();
    let m = IdpMetadata::parse(&xml).unwrap();
    assert!(m.attributes.iter().all(|a| a.name_format.is_none()));
    assert!(!m.want_authn_requests_signed);
    assert_eq!(m.attributes.len(), 3);
}

#[test]
fn hostile_text_is_escaped() {
    let entity = "urn:x<&\"'>]]>";
    let mut contact = ContactPerson::new(ContactType::Other);
    contact.company = Some("<script>alert(1)</script>".into());
    contact.email_address = Some("mailto:a@b\"><x>".into());
    let org = Organization {
        name: "A&B </OrganizationName><evil/>".into(),
        display_name: "\"quoted\" & 'single'".into(),
        url: "https://acme.example/?a=1&b=<2>".into(),
        lang: "en\"><x".into(),
    };
    let sso = "https://idp.example/sso?a=1&b=\"2\"";
    let xml = IdpMetadataBuilder::new(entity)
        .sso_url(sso)
        .signing_certificate(cert("rsa-2048"))
        .claims(["urn:claim<&>\"", "http://x.example/c?a&b"])
        .organization(org.clone())
        .contact(contact.clone())
        .build()
        .unwrap();
    // Canonical escaping: `<`, `&`, `"` in attribute values (`>` may stay), `<`, `&`, `>` in text.
    assert!(xml.contains("entityID=\"urn:x&lt;&amp;&quot;'>]]>\""), "{xml}");
    assert!(xml.contains("<Company>&lt;script&gt;alert(1)&lt;/script&gt;</Company>"), "{xml}");
    assert!(!xml.contains("<script>") && !xml.contains("<evil") && !xml.contains("<x>"));
    let m = IdpMetadata::parse(&xml).unwrap();
    assert_eq!(m.entity_id, entity);
    assert_eq!(m.single_sign_on_services[0].location, sso);
    assert_eq!(m.attributes[0].name, "urn:claim<&>\"");
    assert_eq!(m.organization, Some(org));
    assert_eq!(m.contacts, vec![contact]);
    // A character XML cannot carry is an error naming the place.
    let e = IdpMetadataBuilder::new(ENTITY)
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .organization(Organization::new("bad\u{1}", "x", "https://x.example/"))
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Xml(XmlError::InvalidCharacter { .. })), "{e}");
    assert!(e.to_string().contains("<OrganizationName>"), "{e}");
}

#[test]
fn builder_errors_name_the_element() {
    let base = || IdpMetadataBuilder::new(ENTITY).sso_url(SSO).signing_certificate(cert("rsa-2048"));
    let cases: Vec<(IdpMetadataBuilder, &str)> = vec![
        (
            IdpMetadataBuilder::new(ENTITY).signing_certificate(cert("rsa-2048")),
            "<IDPSSODescriptor> has no SingleSignOnService",
        ),
        (IdpMetadataBuilder::new(ENTITY).sso_url(SSO), "<IDPSSODescriptor> has no KeyDescriptor use=\"signing\""),
        (
            IdpMetadataBuilder::new("not a uri").sso_url(SSO).signing_certificate(cert("rsa-2048")),
            "<EntityDescriptor> entityID",
        ),
        (
            IdpMetadataBuilder::new("x".repeat(1025)).sso_url(SSO).signing_certificate(cert("rsa-2048")),
            "<EntityDescriptor> entityID",
        ),
        (base().slo_url("javascript:alert(1)"), "<SingleLogoutService> Location `javascript:alert(1)`"),
        (base().sso_service(Binding::HttpPost, "ftp://x.example/"), "<SingleSignOnService> Location"),
        (base().claims([""]), "<Attribute> has no Name"),
    ];
    for (builder, message) in cases {
        let e = metadata_error(builder.build());
        assert!(e.to_string().contains(message), "{e} should contain {message}");
    }
    let e = base().id("1bad").build().unwrap_err();
    assert!(matches!(e, Error::Usage(_)), "{e}");
}

// ---------------------------------------------------------------------------------------------
// SP metadata.

#[test]
fn heroku_sp_metadata_gives_the_heroku_recipe() {
    let xml = String::from_utf8(data("metadata/heroku-sp.xml")).unwrap();
    let sp = SpMetadata::parse(&xml).unwrap();
    assert_eq!(sp.entity_id, "https://sso.heroku.com/saml/acme");
    assert_eq!(
        sp.assertion_consumer_services,
        vec![IndexedEndpoint {
            binding: Binding::HttpPost,
            location: "https://sso.heroku.com/saml/acme/finalize".into(),
            index: Some(0),
            is_default: Some(true),
        }]
    );
    assert!(sp.single_logout_services.is_empty());
    assert_eq!(sp.name_id_formats, vec![NameIdFormat::EmailAddress]);
    assert!(sp.signing_certificates.is_empty() && sp.encryption_certificates.is_empty());
    assert!(!sp.authn_requests_signed);
    assert!(sp.want_assertions_signed);
    assert_eq!((sp.organization.as_ref(), sp.contacts.len()), (None, 0));
    // Exactly the recipe: no difference to explain.
    assert_eq!(sp.to_addon_settings().unwrap(), AddonSettings::heroku("acme"));
}

fn cert_b64(name: &str) -> String {
    cert(name).base64().to_owned()
}

/// SP metadata with the given SPSSODescriptor content.
fn sp(attributes: &str, content: &str) -> String {
    format!(
        r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/saml"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol" {attributes}>{content}</SPSSODescriptor></EntityDescriptor>"#
    )
}

fn key_descriptor(usage: Option<&str>, name: &str) -> String {
    let usage = usage.map(|u| format!(" use=\"{u}\"")).unwrap_or_default();
    format!(
        "<KeyDescriptor{usage}><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>\n{}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>",
        cert_b64(name)
    )
}

fn acs(binding: &str, location: &str, extra: &str) -> String {
    format!("<AssertionConsumerService Binding=\"{binding}\" Location=\"{location}\" {extra}/>")
}

#[test]
fn full_sp_metadata() {
    let content = [
        key_descriptor(Some("signing"), "rsa-2048"),
        key_descriptor(Some("encryption"), "rsa-4096"),
        key_descriptor(None, "other-2048"),
        "<KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:KeyName>k</ds:KeyName></ds:KeyInfo></KeyDescriptor>".into(),
        format!("<SingleLogoutService Binding=\"{REDIRECT}\" Location=\"https://sp.example/slo-redirect\"/>"),
        format!("<SingleLogoutService Binding=\"{POST}\" Location=\"https://sp.example/slo-post\"/>"),
        "<NameIDFormat> urn:oasis:names:tc:SAML:2.0:nameid-format:persistent </NameIDFormat>".into(),
        "<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>".into(),
        acs("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact", "https://sp.example/artifact", "index=\"0\" isDefault=\"true\""),
        acs(POST, "https://sp.example/acs-5", "index=\"5\""),
        acs(POST, "https://sp.example/acs-2", "index=\"2\" isDefault=\"false\""),
        acs(REDIRECT, "https://sp.example/acs-1", "index=\"1\""),
    ]
    .concat();
    let xml = sp("AuthnRequestsSigned=\"1\" WantAssertionsSigned=\"0\"", &content);
    let m = SpMetadata::parse(&xml).unwrap();
    assert_eq!(m.entity_id, "https://sp.example/saml");
    assert_eq!(m.signing_certificates, vec![cert("rsa-2048"), cert("other-2048")], "no `use` counts for both");
    assert_eq!(m.encryption_certificates, vec![cert("rsa-4096"), cert("other-2048")]);
    assert_eq!(
        m.single_logout_services,
        vec![
            Endpoint::new(Binding::HttpRedirect, "https://sp.example/slo-redirect"),
            Endpoint::new(Binding::HttpPost, "https://sp.example/slo-post")
        ]
    );
    assert_eq!(m.name_id_formats, vec![NameIdFormat::Persistent, NameIdFormat::EmailAddress]);
    assert_eq!(m.assertion_consumer_services.len(), 4);
    assert_eq!(m.assertion_consumer_services[0].binding, Binding::HttpArtifact);
    assert_eq!(m.assertion_consumer_services[2].is_default, Some(false));
    assert!(m.authn_requests_signed && !m.want_assertions_signed);
    // No HTTP-POST ACS is marked default: the lowest index among the HTTP-POST ones.
    assert_eq!(m.default_post_acs().unwrap().location, "https://sp.example/acs-2");

    let s = m.to_addon_settings().unwrap();
    assert_eq!(s.audience.as_deref(), Some("https://sp.example/saml"));
    assert_eq!(s.recipient.as_deref(), Some("https://sp.example/acs-2"));
    assert_eq!(s.destination.as_deref(), Some("https://sp.example/acs-2"));
    assert_eq!(s.name_identifier_format, NameIdFormat::Persistent);
    assert_eq!(s.mappings.first().map(|m| m.field.as_str()), Some("user_id"), "a persistent NameID is not the email");
    assert_eq!(s.name_identifier_probes[0], "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier");
    assert_eq!(s.logout.callback.as_deref(), Some("https://sp.example/slo-post"));
    assert_eq!(s.binding, Binding::HttpPost);
    assert_eq!(s.signing_cert, Some(cert("rsa-2048").to_pem()), "AuthnRequestsSigned: the signing certificate");
    s.validate().unwrap();
    // The settings round-trip through the JSON users paste.
    assert_eq!(AddonSettings::from_json(&s.to_json().to_string()).unwrap(), s);
}

#[test]
fn sp_defaults_and_choices() {
    // isDefault wins over a lower index; an SLO over HTTP-Redirect only sets the binding; an
    // unknown NameID format URI is kept; AuthnRequestsSigned without a certificate: no signingCert.
    let content = [
        format!("<SingleLogoutService Binding=\"{REDIRECT}\" Location=\"https://sp.example/slo\"/>"),
        "<NameIDFormat>urn:example:custom-format</NameIDFormat>".into(),
        acs(POST, "https://sp.example/acs-0", "index=\"0\""),
        acs(POST, "https://sp.example/acs-7", "index=\"7\" isDefault=\"true\""),
    ]
    .concat();
    let m = SpMetadata::parse(&sp("AuthnRequestsSigned=\"true\"", &content)).unwrap();
    assert!(!m.want_assertions_signed, "absent: false");
    let s = m.to_addon_settings().unwrap();
    assert_eq!(s.recipient.as_deref(), Some("https://sp.example/acs-7"));
    assert_eq!(s.logout.callback.as_deref(), Some("https://sp.example/slo"));
    assert_eq!(s.binding, Binding::HttpRedirect);
    assert_eq!(s.name_identifier_format, NameIdFormat::Other("urn:example:custom-format".into()));
    assert_eq!(s.signing_cert, None);

    // No NameIDFormat, no index: emailAddress, the first (only) POST ACS.
    let m = SpMetadata::parse(&sp("", &acs(POST, "https://sp.example/acs", ""))).unwrap();
    assert_eq!(m.assertion_consumer_services[0].index, None);
    let s = m.to_addon_settings().unwrap();
    assert_eq!(s.name_identifier_format, NameIdFormat::EmailAddress);
    assert_eq!(s.recipient.as_deref(), Some("https://sp.example/acs"));
    assert_eq!(s.logout.callback, None);
}

#[test]
fn entities_descriptor_wrapping_one_sp() {
    let heroku = String::from_utf8(data("metadata/heroku-sp.xml")).unwrap();
    let entity = heroku.split_once("?>").unwrap().1;
    let idp = IdpMetadataBuilder::new(ENTITY).sso_url(SSO).signing_certificate(cert("rsa-2048")).build().unwrap();
    let wrapped = format!(
        "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" Name=\"federation\"><EntitiesDescriptor>{entity}</EntitiesDescriptor>{idp}</EntitiesDescriptor>"
    );
    let m = SpMetadata::parse(&wrapped).unwrap();
    assert_eq!(m, SpMetadata::parse(&heroku).unwrap());
    assert_eq!(IdpMetadata::parse(&wrapped).unwrap().entity_id, ENTITY);
    let two = format!(
        "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{entity}{entity}</EntitiesDescriptor>"
    );
    let e = metadata_error(SpMetadata::parse(&two));
    assert_eq!(e, MetadataError::SeveralEntities { element: "SPSSODescriptor", count: 2 });
    assert!(e.to_string().contains("<EntitiesDescriptor> holds 2 entities with an <SPSSODescriptor>"));
}

#[test]
fn sp_error_paths() {
    let post = acs(POST, "https://sp.example/acs", "index=\"0\"");
    let cases: Vec<(String, MetadataError, &str)> = vec![
        (
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>".into(),
            MetadataError::NotMetadata { found: "samlp:Response in urn:oasis:names:tc:SAML:2.0:protocol".into() },
            "not SAML metadata: the document element is <samlp:Response",
        ),
        (
            "<EntityDescriptor entityID=\"https://sp.example/saml\"/>".into(),
            MetadataError::NotMetadata { found: "EntityDescriptor".into() },
            "expected <EntityDescriptor> or <EntitiesDescriptor> in urn:oasis:names:tc:SAML:2.0:metadata",
        ),
        (
            IdpMetadataBuilder::new(ENTITY).sso_url(SSO).signing_certificate(cert("rsa-2048")).build().unwrap(),
            MetadataError::NoRoleDescriptor { element: "SPSSODescriptor" },
            "no <SPSSODescriptor> supporting the SAML 2.0 protocol",
        ),
        (
            sp("", &post).replace(" urn:oasis:names:tc:SAML:2.0:protocol", ""),
            MetadataError::NoRoleDescriptor { element: "SPSSODescriptor" },
            "no <SPSSODescriptor>",
        ),
        (
            sp("", ""),
            MetadataError::NoAssertionConsumerService,
            "the <SPSSODescriptor> has no <AssertionConsumerService>",
        ),
        (
            sp("", &acs(POST, "javascript:alert(1)", "index=\"0\"")),
            MetadataError::InvalidLocation {
                element: "AssertionConsumerService",
                value: "javascript:alert(1)".into(),
                reason: "it must start with https:// or http://",
            },
            "<AssertionConsumerService> Location `javascript:alert(1)` is not an absolute http(s) URL",
        ),
        (
            sp("", &acs(POST, "/relative/acs", "index=\"0\"")),
            MetadataError::InvalidLocation {
                element: "AssertionConsumerService",
                value: "/relative/acs".into(),
                reason: "it must start with https:// or http://",
            },
            "<AssertionConsumerService> Location",
        ),
        (
            sp("", &format!("<AssertionConsumerService Binding=\"{POST}\" index=\"0\"/>")),
            MetadataError::Missing { element: "AssertionConsumerService", what: "Location" },
            "<AssertionConsumerService> has no Location",
        ),
        (
            sp("", &format!("<SingleLogoutService Binding=\"{POST}\" Location=\"ftp://sp.example/slo\"/>{post}")),
            MetadataError::InvalidLocation {
                element: "SingleLogoutService",
                value: "ftp://sp.example/slo".into(),
                reason: "it must start with https:// or http://",
            },
            "<SingleLogoutService> Location",
        ),
        (
            sp(
                "",
                &format!(
                    "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data><X509Certificate>bm90IGEgY2VydGlmaWNhdGU=</X509Certificate></X509Data></KeyInfo></KeyDescriptor>{post}"
                ),
            ),
            MetadataError::BadCertificate { element: "KeyDescriptor", message: String::new() },
            "<KeyDescriptor> holds a bad X509Certificate: certificate: not X.509 DER",
        ),
        (
            sp(
                "",
                &format!(
                    "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data><X509Certificate>%%%</X509Certificate></X509Data></KeyInfo></KeyDescriptor>{post}"
                ),
            ),
            MetadataError::BadCertificate { element: "KeyDescriptor", message: String::new() },
            "<KeyDescriptor> holds a bad X509Certificate: certificate: the base64 is malformed",
        ),
        (
            sp("", &format!("{}{post}", key_descriptor(Some("both"), "rsa-2048"))),
            MetadataError::InvalidValue {
                element: "KeyDescriptor",
                attribute: "use",
                value: "both".into(),
                expected: "signing or encryption",
            },
            "<KeyDescriptor> use `both` is not valid",
        ),
        (
            sp("AuthnRequestsSigned=\"yes\"", &post),
            MetadataError::InvalidValue {
                element: "SPSSODescriptor",
                attribute: "AuthnRequestsSigned",
                value: "yes".into(),
                expected: "true, false, 1 or 0",
            },
            "<SPSSODescriptor> AuthnRequestsSigned `yes` is not valid",
        ),
        (
            sp("", &acs(POST, "https://sp.example/acs", "index=\"-1\"")),
            MetadataError::InvalidValue {
                element: "AssertionConsumerService",
                attribute: "index",
                value: "-1".into(),
                expected: "a number from 0 to 65535",
            },
            "<AssertionConsumerService> index `-1` is not valid",
        ),
        (
            sp("", &post).replace(" entityID=\"https://sp.example/saml\"", ""),
            MetadataError::Missing { element: "EntityDescriptor", what: "entityID" },
            "<EntityDescriptor> has no entityID",
        ),
    ];
    for (xml, expected, message) in cases {
        let e = metadata_error(SpMetadata::parse(&xml));
        match (&e, &expected) {
            // The certificate parser's message is its own; the element is what matters here.
            (MetadataError::BadCertificate { element, .. }, MetadataError::BadCertificate { element: want, .. }) => {
                assert_eq!(element, want)
            }
            _ => assert_eq!(e, expected, "{xml}"),
        }
        let text = Error::Metadata(e).to_string();
        assert!(text.starts_with("metadata: ") && text.contains(message), "{text} should contain {message}");
    }

    // DOCTYPE: refused by the hardened parser before anything is read.
    let doctype = format!("<!DOCTYPE x [<!ENTITY e \"https://sp.example/acs\">]>{}", sp("", &post));
    assert!(matches!(SpMetadata::parse(&doctype), Err(Error::Xml(XmlError::Doctype))));
    assert!(matches!(IdpMetadata::parse(&doctype), Err(Error::Xml(XmlError::Doctype))));
    // Not XML at all.
    assert!(matches!(SpMetadata::parse("not xml"), Err(Error::Xml(_))));

    // No HTTP-POST ACS: parsing works, settings cannot be made.
    let m = SpMetadata::parse(&sp("", &acs(REDIRECT, "https://sp.example/acs", "index=\"0\""))).unwrap();
    let e = metadata_error(m.to_addon_settings());
    assert_eq!(e, MetadataError::NoPostAssertionConsumerService);
    assert!(e.to_string().contains("no <AssertionConsumerService> with the HTTP-POST binding"));
    // An entity ID that is not a URI: the settings do not validate, naming the key.
    let m = SpMetadata::parse(&sp("", &post).replace("https://sp.example/saml", "not a uri")).unwrap();
    assert!(matches!(m.to_addon_settings(), Err(Error::Settings(_))));
    // parse_verified on unsigned SP metadata.
    let policy = TrustPolicy::new(vec![cert("rsa-2048")]);
    assert!(matches!(
        SpMetadata::parse_verified(&sp("", &post), &policy),
        Err(Error::Verify(VerifyError::Unsigned { element: "EntityDescriptor" }))
    ));
}

#[test]
fn idp_reader_error_paths() {
    let without_sso = IdpMetadataBuilder::new(ENTITY)
        .sso_url(SSO)
        .signing_certificate(cert("rsa-2048"))
        .build()
        .unwrap()
        .replace(&format!("<SingleSignOnService Binding=\"{REDIRECT}\" Location=\"{SSO}\"></SingleSignOnService>"), "")
        .replace(&format!("<SingleSignOnService Binding=\"{POST}\" Location=\"{SSO}\"></SingleSignOnService>"), "");
    let e = metadata_error(IdpMetadata::parse(&without_sso));
    assert_eq!(e, MetadataError::Missing { element: "IDPSSODescriptor", what: "SingleSignOnService" });
    let heroku = String::from_utf8(data("metadata/heroku-sp.xml")).unwrap();
    assert_eq!(
        metadata_error(IdpMetadata::parse(&heroku)),
        MetadataError::NoRoleDescriptor { element: "IDPSSODescriptor" }
    );
    let bad_time = full_builder().build().unwrap().replace("2027-01-01T00:00:00.000Z", "next year");
    let e = metadata_error(IdpMetadata::parse(&bad_time));
    assert!(e.to_string().contains("<EntityDescriptor> validUntil `next year` is not valid"), "{e}");
}
