//! Single logout: every message over every binding, signatures, settings, bad input.

mod common;

use common::{check_signature, data, key, parse, signatures};
use samlkit::Certificate;
use samlkit::TrustPolicy;
use samlkit::binding::redirect::{self, MessageKind};
use samlkit::clock::FixedClock;
use samlkit::error::{BindingError, Error, UsageError, VerifyError};
use samlkit::ids::SequentialIds;
use samlkit::logout::{LogoutBuilder, LogoutRequest, LogoutResponse, LogoutStatus, Outgoing};
use samlkit::settings::AddonSettings;
use samlkit::vocabulary::Binding;

fn settings(binding: &Binding) -> AddonSettings {
    let mut s = AddonSettings::heroku("acme");
    s.logout.callback = Some("https://sso.heroku.com/saml/acme/slo".into());
    s.binding = binding.clone();
    s.signature_algorithm = samlkit::crypto::SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = samlkit::crypto::DigestAlgorithm::Sha256;
    s
}

fn policy() -> TrustPolicy {
    samlkit::TrustPolicy::new(vec![Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap()])
}

/// The SAML message of an outgoing POST page: the value of its hidden field.
fn posted(html: &str) -> String {
    let start = html.find("value=\"").unwrap() + 7;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn query(url: &str) -> &str {
    url.split_once('?').unwrap().1
}

#[test]
fn logout_request_round_trips_over_both_bindings() {
    for binding in [Binding::HttpRedirect, Binding::HttpPost] {
        let s = settings(&binding);
        let out = LogoutBuilder::new(&s)
            .issuer("urn:acme.auth0.com")
            .send_request("jane@example.com", &["_s1", "_s2"], Some("rs-1"), &key(2048))
            .unwrap()
            .unwrap();
        let request = match out {
            Outgoing::Redirect { url } => {
                assert!(
                    binding == Binding::HttpRedirect
                        && url.starts_with("https://sso.heroku.com/saml/acme/slo?SAMLRequest=")
                );
                LogoutRequest::from_redirect(query(&url), &policy()).unwrap()
            }
            Outgoing::Post { html } => {
                assert!(
                    binding == Binding::HttpPost && html.contains("action=\"https://sso.heroku.com/saml/acme/slo\"")
                );
                LogoutRequest::from_post(&posted(&html), Some("rs-1"), &policy()).unwrap()
            }
        };
        assert!(request.signed, "{binding}");
        assert_eq!(request.name_id, "jane@example.com");
        assert_eq!(request.name_id_format, Some(samlkit::vocabulary::NameIdFormat::EmailAddress));
        assert_eq!(request.session_indexes, ["_s1", "_s2"]);
        assert_eq!(request.issuer.as_deref(), Some("urn:acme.auth0.com"));
        assert_eq!(request.destination.as_deref(), Some("https://sso.heroku.com/saml/acme/slo"));
        assert_eq!(request.relay_state.as_deref(), Some("rs-1"));
        let issued = request.issue_instant.unwrap();
        assert_eq!(request.not_on_or_after.unwrap() - issued, chrono::Duration::minutes(5));
        assert!(!request.is_expired(issued) && request.is_expired(issued + chrono::Duration::minutes(5)));
    }
}

#[test]
fn logout_response_round_trips_every_status_over_both_bindings() {
    for binding in [Binding::HttpRedirect, Binding::HttpPost] {
        for status in
            [LogoutStatus::Success, LogoutStatus::PartialLogout, LogoutStatus::Requester, LogoutStatus::Responder]
        {
            let s = settings(&binding);
            let out =
                LogoutBuilder::new(&s).issuer("urn:idp").send_response("_req9", status, None, &key(2048)).unwrap();
            let response = match out {
                Outgoing::Redirect { url } => LogoutResponse::from_redirect(query(&url), &policy()).unwrap(),
                Outgoing::Post { html } => LogoutResponse::from_post(&posted(&html), None, &policy()).unwrap(),
            };
            assert_eq!(
                (response.status, response.in_response_to.as_deref(), response.signed),
                (status, Some("_req9"), true)
            );
            assert_eq!(response.issuer.as_deref(), Some("urn:idp"));
        }
    }
}

#[test]
fn post_messages_carry_enveloped_signatures_in_the_exact_shape() {
    let s = settings(&Binding::HttpPost);
    let clock = FixedClock::rfc3339("2026-11-28T15:21:01.288Z").unwrap();
    let ids = SequentialIds::new("_lo").unwrap();
    let b = LogoutBuilder::new(&s).clock(&clock).ids(&ids).issuer("urn:idp");
    let xml = b.request("jane@example.com", &["_s1"], Some(&key(2048))).unwrap();
    assert!(xml.starts_with("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" Destination=\"https://sso.heroku.com/saml/acme/slo\" ID=\"_lo1\" IssueInstant=\"2026-11-28T15:21:01.288Z\" NotOnOrAfter=\"2026-11-28T15:26:01.288Z\" Version=\"2.0\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">urn:idp</saml:Issuer><Signature "), "{xml}");
    assert!(xml.ends_with("</Signature><saml:NameID xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">jane@example.com</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>"), "{xml}");
    let doc = parse(&xml);
    assert_eq!(check_signature(&doc, signatures(&doc)[0]).signed_element, "LogoutRequest");
    let xml = b.response("_r", LogoutStatus::PartialLogout, Some(&key(2048))).unwrap();
    assert!(xml.contains("<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:PartialLogout\"></samlp:StatusCode></samlp:StatusCode></samlp:Status>"));
    let doc = parse(&xml);
    assert_eq!(check_signature(&doc, signatures(&doc)[0]).signed_element, "LogoutResponse");
    // Without a key: unsigned.
    assert!(!b.request("jane@example.com", &[], None).unwrap().contains("Signature"));
}

#[test]
fn settings_are_honoured() {
    let mut s = settings(&Binding::HttpPost);
    s.logout.slo_enabled = false;
    assert_eq!(LogoutBuilder::new(&s).issuer("urn:idp").send_request("j", &[], None, &key(2048)).unwrap(), None);
    let mut s = settings(&Binding::HttpRedirect);
    s.logout.callback = None;
    let e = LogoutBuilder::new(&s).issuer("urn:idp").send_request("j", &[], None, &key(2048)).unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::Missing { what: "logout.callback", .. })), "{e}");
    let e = LogoutBuilder::new(&settings(&Binding::HttpRedirect)).request("j", &[], None).unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::Missing { what: "issuer", .. })), "{e}");
    // A validity (std::time::Duration) past the calendar's end is an error, not an overflow.
    let s = settings(&Binding::HttpPost);
    let request =
        LogoutBuilder::new(&s).issuer("urn:idp").validity(std::time::Duration::from_secs(60)).request("j", &[], None);
    assert!(request.unwrap().contains("NotOnOrAfter"));
    let e = LogoutBuilder::new(&s)
        .issuer("urn:idp")
        .validity(std::time::Duration::MAX)
        .request("j", &[], None)
        .unwrap_err();
    assert!(matches!(e, Error::Usage(UsageError::InvalidArgument { what: "validity", .. })), "{e}");
    // A callback with a query string gets '&'.
    let mut s = settings(&Binding::HttpRedirect);
    s.logout.callback = Some("https://sp.example/slo?tenant=1".into());
    match LogoutBuilder::new(&s).issuer("urn:idp").send_request("j", &[], None, &key(2048)).unwrap().unwrap() {
        Outgoing::Redirect { url } => assert!(url.starts_with("https://sp.example/slo?tenant=1&SAMLRequest=")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_logout_messages_are_clear_errors() {
    let s = settings(&Binding::HttpPost);
    let b = LogoutBuilder::new(&s).issuer("urn:idp");
    let b64 = |x: &str| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, x);
    // Unsigned when a signature is required, over both bindings.
    let unsigned = b.request("j", &[], None).unwrap();
    assert!(matches!(
        LogoutRequest::from_post(&b64(&unsigned), None, &policy()),
        Err(Error::Binding(BindingError::Unsigned { .. }))
    ));
    let q = redirect::encode(MessageKind::Request, &unsigned, None, None).unwrap();
    assert!(matches!(LogoutRequest::from_redirect(&q, &policy()), Err(Error::Binding(BindingError::Unsigned { .. }))));
    // Tampered signed message.
    let signed = b.request("jane@example.com", &[], Some(&key(2048))).unwrap().replace("jane@", "john@");
    assert!(matches!(
        LogoutRequest::from_post(&b64(&signed), None, &policy()),
        Err(Error::Verify(VerifyError::DigestMismatch { .. }))
    ));
    // The wrong message, a missing NameID, an unknown status.
    let response = b.response("_r", LogoutStatus::Success, None).unwrap();
    assert!(matches!(
        LogoutRequest::from_post(&b64(&response), None, &TrustPolicy::default()),
        Err(Error::Binding(BindingError::UnexpectedMessage { .. }))
    ));
    let no_name = unsigned.clone();
    let start = no_name.find("<saml:NameID").unwrap();
    let end = no_name.find("</saml:NameID>").unwrap() + "</saml:NameID>".len();
    let no_name = format!("{}{}", &no_name[..start], &no_name[end..]);
    assert!(matches!(
        LogoutRequest::from_post(&b64(&no_name), None, &TrustPolicy::default()),
        Err(Error::Binding(BindingError::Malformed { .. }))
    ));
    let odd = response.replace("status:Success", "status:Whatever");
    assert!(matches!(
        LogoutResponse::from_post(&b64(&odd), None, &TrustPolicy::default()),
        Err(Error::Binding(BindingError::Malformed { .. }))
    ));
    let no_status = response.replace("<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"></samlp:StatusCode></samlp:Status>", "");
    assert!(matches!(
        LogoutResponse::from_post(&b64(&no_status), None, &TrustPolicy::default()),
        Err(Error::Binding(BindingError::Malformed { .. }))
    ));
    let bad_time = unsigned.replacen("NotOnOrAfter=\"", "NotOnOrAfter=\"x", 1);
    assert!(matches!(
        LogoutRequest::from_post(&b64(&bad_time), None, &TrustPolicy::default()),
        Err(Error::Binding(BindingError::Malformed { .. }))
    ));
    assert!(matches!(
        LogoutResponse::from_redirect("SAMLRequest=x", &TrustPolicy::default()),
        Err(Error::Binding(BindingError::Missing { parameter: "SAMLResponse" }))
    ));
}
