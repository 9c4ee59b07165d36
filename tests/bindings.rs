//! HTTP-Redirect and HTTP-POST bindings, AuthnRequest parsing, choosing the ACS safely.

mod common;

use base64::Engine as _;
use common::{data, key};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use samlkit::Certificate;
use samlkit::TrustPolicy;
use samlkit::authn_request::AuthnRequest;
use samlkit::binding::redirect::{self, MessageKind, RedirectLimits};
use samlkit::claims::map_profile;
use samlkit::crypto::SignatureAlgorithm;
use samlkit::error::{BindingError, Error, VerifyError, XmlError};
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use std::io::Write as _;

const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-11-28T15:00:00Z" Destination="https://idp.example/sso" AssertionConsumerServiceURL="https://sso.heroku.com/saml/acme/finalize" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" IsPassive="1"><saml:Issuer>https://sso.heroku.com/saml/acme</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="false"/></samlp:AuthnRequest>"#;

fn cert() -> Certificate {
    Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()
}

fn signing_policy() -> TrustPolicy {
    samlkit::TrustPolicy::new(vec![cert()])
}

fn err(r: Result<(AuthnRequest, Option<String>), Error>) -> Error {
    r.expect_err("must be rejected")
}

#[test]
fn redirect_round_trip_unsigned_and_signed() {
    let q = redirect::encode(MessageKind::Request, REQUEST, Some("state with spaces & symbols/=+"), None).unwrap();
    assert!(q.starts_with("SAMLRequest=") && q.contains("&RelayState=state%20with%20spaces%20%26%20symbols%2F%3D%2B"));
    let (r, rs) = AuthnRequest::from_redirect(&q, &TrustPolicy::default()).unwrap();
    assert_eq!(rs.as_deref(), Some("state with spaces & symbols/=+"));
    assert_eq!(r.id, "_r1");
    assert_eq!(r.issuer.as_deref(), Some("https://sso.heroku.com/saml/acme"));
    assert_eq!(r.destination.as_deref(), Some("https://idp.example/sso"));
    assert_eq!(r.assertion_consumer_service_url.as_deref(), Some("https://sso.heroku.com/saml/acme/finalize"));
    assert_eq!(r.protocol_binding, Some(samlkit::vocabulary::Binding::HttpPost));
    assert!(r.is_passive && !r.force_authn && !r.signed);
    let policy = r.name_id_policy.clone().unwrap();
    assert_eq!(policy.format, Some(samlkit::vocabulary::NameIdFormat::EmailAddress));
    assert_eq!(policy.allow_create, Some(false));
    assert_eq!(r.issue_instant.unwrap().to_rfc3339(), "2026-11-28T15:00:00+00:00");

    for alg in SignatureAlgorithm::RSA {
        let q = redirect::encode(MessageKind::Request, REQUEST, Some("rs"), Some((&key(2048), alg))).unwrap();
        let mut policy = signing_policy();
        if alg.is_weak() {
            policy = policy.insecure_allow_sha1();
        }
        let (r, _) = AuthnRequest::from_redirect(&q, &policy).unwrap();
        assert!(r.signed, "{alg}");
        // The leading '?' and unknown extra parameters do not matter.
        let (r, _) = AuthnRequest::from_redirect(&format!("?{q}&extra=1"), &policy).unwrap();
        assert!(r.signed);
    }
    // Decoding generically: a LogoutResponse-style SAMLResponse.
    let q = redirect::encode(MessageKind::Response, "<x/>", None, None).unwrap();
    let m = redirect::decode(&q, MessageKind::Response, &samlkit::TrustPolicy::default(), &RedirectLimits::default())
        .unwrap();
    assert_eq!(m.xml, "<x/>");
    assert_eq!(MessageKind::Response.parameter(), "SAMLResponse");
}

#[test]
fn redirect_signatures_are_checked_over_the_bytes_received() {
    let q =
        redirect::encode(MessageKind::Request, REQUEST, Some("abc"), Some((&key(2048), SignatureAlgorithm::RsaSha256)))
            .unwrap();
    // Re-encoding a parameter differently (same decoded value) breaks the signature: the bytes
    // as received are what was signed.
    let reencoded = q.replace("RelayState=abc", "RelayState=%61bc");
    assert!(matches!(
        err(AuthnRequest::from_redirect(&reencoded, &signing_policy())),
        Error::Binding(BindingError::BadSignature { .. })
    ));
    // Tampered RelayState, SigAlg swapped, signature of another key, no signature at all.
    let tampered = q.replace("RelayState=abc", "RelayState=abd");
    assert!(matches!(
        err(AuthnRequest::from_redirect(&tampered, &signing_policy())),
        Error::Binding(BindingError::BadSignature { .. })
    ));
    let other = Certificate::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap();
    let wrong_key = samlkit::TrustPolicy::new(vec![other]);
    assert!(matches!(
        err(AuthnRequest::from_redirect(&q, &wrong_key)),
        Error::Binding(BindingError::BadSignature { .. })
    ));
    let unsigned = redirect::encode(MessageKind::Request, REQUEST, None, None).unwrap();
    assert_eq!(
        err(AuthnRequest::from_redirect(&unsigned, &signing_policy())).to_string(),
        "binding: the request is not signed, and signingCert requires it"
    );
    let sha1 =
        redirect::encode(MessageKind::Request, REQUEST, None, Some((&key(2048), SignatureAlgorithm::RsaSha1))).unwrap();
    assert!(matches!(
        err(AuthnRequest::from_redirect(&sha1, &signing_policy())),
        Error::Binding(BindingError::AlgorithmNotAllowed { .. })
    ));
    let hmac = q.replace(
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256",
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23hmac-sha1",
    );
    assert!(matches!(
        err(AuthnRequest::from_redirect(&hmac, &signing_policy())),
        Error::Binding(BindingError::AlgorithmNotAllowed { .. })
    ));
    // Signature without SigAlg.
    let no_alg: String = q.split('&').filter(|p| !p.starts_with("SigAlg=")).collect::<Vec<_>>().join("&");
    assert!(matches!(
        err(AuthnRequest::from_redirect(&no_alg, &TrustPolicy::default())),
        Error::Binding(BindingError::SignatureWithoutSigAlg)
    ));
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn query_of(compressed: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(compressed);
    format!("SAMLRequest={}", b64.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))
}

#[test]
fn bad_redirect_input_is_a_clear_error() {
    let policy = TrustPolicy::default();
    let binding = |q: &str| match err(AuthnRequest::from_redirect(q, &policy)) {
        Error::Binding(b) => b,
        other => panic!("{q}: {other:?}"),
    };
    assert_eq!(binding("SAMLRequest=%%%"), BindingError::PercentEncoding { parameter: "SAMLRequest".into() });
    assert_eq!(binding("SAMLRequest=not*base64"), BindingError::Base64 { parameter: "SAMLRequest" });
    assert_eq!(binding("RelayState=x"), BindingError::Missing { parameter: "SAMLRequest" });
    assert_eq!(
        binding("SAMLRequest=AA%3D%3D&SAMLRequest=AA%3D%3D"),
        BindingError::Duplicate { parameter: "SAMLRequest" }
    );
    assert_eq!(
        binding("SAMLRequest=AA%3D%3D&RelayState=a&RelayState=b"),
        BindingError::Duplicate { parameter: "RelayState" }
    );
    // DEFLATE bombs. DEFLATE's best ratio is about 1:1032, so 1 KB inflates to about 1 MB and
    // 100 MB takes about 100 KB: both stop at the 256 KiB inflation limit.
    let kilobyte_bomb = deflate(&vec![b' '; 1024 * 1024]);
    assert!(kilobyte_bomb.len() <= 1100, "{}", kilobyte_bomb.len());
    assert!(matches!(
        binding(&query_of(&kilobyte_bomb)),
        BindingError::TooLarge { parameter: "SAMLRequest", limit: 262144 }
    ));
    let bomb = deflate(&vec![b' '; 100 * 1024 * 1024]);
    assert!(bomb.len() < 110 * 1024, "{}", bomb.len());
    let limits = RedirectLimits { max_encoded: 1 << 20, ..RedirectLimits::default() };
    match err(AuthnRequest::from_redirect_with_limits(&query_of(&bomb), &TrustPolicy::default(), &limits)) {
        Error::Binding(BindingError::TooLarge { parameter: "SAMLRequest", limit }) => assert_eq!(limit, 256 * 1024),
        other => panic!("{other:?}"),
    }
    // The encoded size is capped before anything is decoded.
    assert!(matches!(binding(&query_of(&bomb)), BindingError::TooLarge { .. }));
    // Truncated DEFLATE.
    let good = deflate(REQUEST.as_bytes());
    assert_eq!(binding(&query_of(&good[..good.len() / 2])), BindingError::Inflate { parameter: "SAMLRequest" });
    // RelayState over 80 bytes, and a configurable limit.
    let long = "r".repeat(81);
    let q = redirect::encode(MessageKind::Request, REQUEST, Some(&long), None).unwrap();
    assert_eq!(binding(&q), BindingError::RelayStateTooLong { length: 81, limit: 80 });
    let roomy = RedirectLimits { max_relay_state: 200, ..RedirectLimits::default() };
    let (_, relay_state) = AuthnRequest::from_redirect_with_limits(&q, &TrustPolicy::default(), &roomy).unwrap();
    assert_eq!(relay_state.unwrap().len(), 81);
    // Not UTF-8 after inflation.
    assert_eq!(binding(&query_of(&deflate(&[0xff, 0xfe]))), BindingError::NotUtf8 { parameter: "SAMLRequest" });
}

#[test]
fn bad_request_xml_is_a_clear_error() {
    let q = |xml: &str| redirect::encode(MessageKind::Request, xml, None, None).unwrap();
    let policy = TrustPolicy::default();
    let doctype = "<!DOCTYPE x [<!ENTITY e \"boom\">]><samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_a\" Version=\"2.0\">&e;</samlp:AuthnRequest>";
    assert!(matches!(err(AuthnRequest::from_redirect(&q(doctype), &policy)), Error::Xml(XmlError::Doctype)));
    let logout =
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_a\" Version=\"2.0\"/>";
    assert!(matches!(
        err(AuthnRequest::from_redirect(&q(logout), &policy)),
        Error::Binding(BindingError::UnexpectedMessage { .. })
    ));
    for (xml, problem) in [
        (REQUEST.replace(" ID=\"_r1\"", ""), "ID is missing"),
        (REQUEST.replace("Version=\"2.0\"", "Version=\"1.1\""), "Version"),
        (REQUEST.replace("IsPassive=\"1\"", "IsPassive=\"yes\""), "IsPassive"),
        (REQUEST.replace("AllowCreate=\"false\"", "AllowCreate=\"maybe\""), "AllowCreate"),
        (REQUEST.replace("2026-11-28T15:00:00Z", "yesterday"), "IssueInstant"),
        (
            REQUEST.replace("Destination=", "AssertionConsumerServiceIndex=\"x\" Destination="),
            "AssertionConsumerServiceIndex",
        ),
    ] {
        match err(AuthnRequest::from_redirect(&q(&xml), &policy)) {
            Error::Binding(BindingError::Malformed { problem: p, .. }) => assert!(p.contains(problem), "{p}"),
            other => panic!("{problem}: {other:?}"),
        }
    }
}

#[test]
fn post_binding_requests_with_enveloped_signatures() {
    let signed = String::from_utf8(data("requests/authn-request-signed.xml")).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&signed);
    let (r, rs) = AuthnRequest::from_post(&b64, Some("relay"), &signing_policy()).unwrap();
    assert!(r.signed && r.force_authn);
    assert_eq!(rs.as_deref(), Some("relay"));
    assert_eq!(r.subject_name_id.as_deref(), Some("jane.doe@example.com"));
    let ctx = r.requested_authn_context.unwrap();
    assert_eq!(ctx.comparison.as_deref(), Some("exact"));
    assert_eq!(ctx.class_refs, ["urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"]);
    // Tampered: the signature catches it.
    let tampered =
        base64::engine::general_purpose::STANDARD.encode(signed.replace("ForceAuthn=\"true\"", "ForceAuthn=\"false\""));
    assert!(matches!(
        err(AuthnRequest::from_post(&tampered, None, &signing_policy())),
        Error::Verify(VerifyError::DigestMismatch { .. })
    ));
    // Unsigned when a signature is required.
    let unsigned = base64::engine::general_purpose::STANDARD.encode(REQUEST);
    assert!(matches!(
        err(AuthnRequest::from_post(&unsigned, None, &signing_policy())),
        Error::Binding(BindingError::Unsigned { .. })
    ));
    // Without a signing certificate, unsigned requests are fine.
    AuthnRequest::from_post(&unsigned, None, &TrustPolicy::default()).unwrap();
    // Bad base64, RelayState too long, too large.
    assert!(matches!(
        err(AuthnRequest::from_post("***", None, &TrustPolicy::default())),
        Error::Binding(BindingError::Base64 { .. })
    ));
    assert!(matches!(
        err(AuthnRequest::from_post(&unsigned, Some(&"x".repeat(81)), &TrustPolicy::default())),
        Error::Binding(BindingError::RelayStateTooLong { .. })
    ));
    let huge = "A".repeat(400 * 1024);
    assert!(matches!(
        err(AuthnRequest::from_post(&huge, None, &TrustPolicy::default())),
        Error::Binding(BindingError::TooLarge { .. })
    ));
}

#[test]
fn signing_cert_in_the_settings_requires_signed_requests() {
    let pem = String::from_utf8(data("keys/rsa-2048.cert.pem")).unwrap();
    let mut s = AddonSettings::heroku("acme");
    assert!(s.request_trust().unwrap().certificates().is_empty());
    s.signing_cert = Some(pem.clone());
    assert_eq!(s.request_trust().unwrap().certificates(), [cert()]);
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    s.signing_cert = Some(body);
    assert_eq!(s.request_trust().unwrap().certificates(), [cert()]);
    s.signing_cert = Some("garbage".into());
    assert!(s.request_trust().is_err());
}

#[test]
fn the_request_feeds_the_response_but_never_picks_an_arbitrary_acs() {
    let s = AddonSettings::heroku("acme");
    let claims = map_profile(&s, &serde_json::json!({"email": "jane@example.com"})).unwrap();
    let (request, _) = AuthnRequest::from_redirect(
        &redirect::encode(MessageKind::Request, REQUEST, None, None).unwrap(),
        &TrustPolicy::default(),
    )
    .unwrap();
    let r = ResponseBuilder::new(&s)
        .issuer("urn:idp")
        .answering(&request, &[])
        .unwrap()
        .build(&claims, &key(2048))
        .unwrap();
    assert!(
        r.xml.contains("InResponseTo=\"_r1\"")
            && r.xml.contains("Recipient=\"https://sso.heroku.com/saml/acme/finalize\"")
    );

    let evil = REQUEST.replace("https://sso.heroku.com/saml/acme/finalize", "https://evil.example/steal");
    let (request, _) = AuthnRequest::from_redirect(
        &redirect::encode(MessageKind::Request, &evil, None, None).unwrap(),
        &TrustPolicy::default(),
    )
    .unwrap();
    let e = ResponseBuilder::new(&s).issuer("urn:idp").answering(&request, &[]).err().unwrap();
    assert_eq!(
        e.to_string(),
        "binding: the AssertionConsumerServiceURL `https://evil.example/steal` is not the configured ACS or in the allow-list"
    );
    // An allow-listed ACS is used for both Recipient and Destination.
    let r = ResponseBuilder::new(&s)
        .issuer("urn:idp")
        .answering(&request, &["https://evil.example/steal"])
        .unwrap()
        .build(&claims, &key(2048))
        .unwrap();
    assert!(
        r.xml.contains("Destination=\"https://evil.example/steal\"")
            && r.xml.contains("Recipient=\"https://evil.example/steal\"")
    );
    // No ACS in the request: the configured one. Auth0's default audience is the request Issuer.
    let mut no_audience = s.clone();
    no_audience.audience = None;
    let plain = REQUEST.replace(" AssertionConsumerServiceURL=\"https://sso.heroku.com/saml/acme/finalize\"", "");
    let (request, _) = AuthnRequest::from_redirect(
        &redirect::encode(MessageKind::Request, &plain, None, None).unwrap(),
        &TrustPolicy::default(),
    )
    .unwrap();
    let r = ResponseBuilder::new(&no_audience)
        .issuer("urn:idp")
        .answering(&request, &[])
        .unwrap()
        .build(&claims, &key(2048))
        .unwrap();
    assert!(r.xml.contains("<saml:Audience>https://sso.heroku.com/saml/acme</saml:Audience>"));
    assert!(r.xml.contains("Recipient=\"https://sso.heroku.com/saml/acme/finalize\""));
    no_audience.recipient = None;
    assert!(matches!(request.acs_url(&no_audience, &[]), Err(Error::Usage(_))));
}
