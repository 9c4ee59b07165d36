//! The validator with its shared stores, in memory (no Redis: `tests/stores_redis.rs` runs the
//! same rules against one): which InResponseTo is trusted, when a pending request is taken, and
//! failing closed when a store cannot answer.

use chrono::{DateTime, Duration, Utc};
use samlkit::claims::map_profile;
use samlkit::error::StoreError;
use samlkit::low_level::AssertionBuilder;
use samlkit::validate::{InMemoryReplayCache, InMemoryRequestStore, ReplayCache, RequestStore};
use samlkit::{AddonSettings, Certificate, Error, IdentityProvider, IdpKey, Validator};
use std::sync::Arc;

const KEY: &[u8] = include_bytes!("../examples/data/demo-idp-key.pem");
const CERT: &[u8] = include_bytes!("../examples/data/demo-idp-cert.pem");
const ISSUER: &str = "urn:stores.example";

fn settings(audience: &str) -> AddonSettings {
    let mut s = AddonSettings::default().with_callback_url("https://sp.example/acs").with_issuer(ISSUER);
    s.audience = Some(audience.into());
    s.signature_algorithm = samlkit::SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
    s
}

fn key() -> IdpKey {
    IdpKey::from_pem_or_der(KEY, CERT).unwrap()
}

fn profile() -> serde_json::Value {
    serde_json::json!({"user_id": "auth0|jane", "email": "jane@example.com"})
}

/// A signed response (Assertion signed) for the SP `https://sp.example`, answering `request`.
fn response(request: Option<&str>) -> String {
    response_for("https://sp.example", request)
}

fn response_for(audience: &str, request: Option<&str>) -> String {
    let idp = IdentityProvider::new(settings(audience), key()).unwrap();
    let mut login = idp.respond(&profile());
    if let Some(id) = request {
        login = login.in_response_to(id);
    }
    login.build().unwrap().xml
}

/// An unsigned Response whose InResponseTo is `response_irt`, around a signed Assertion whose
/// SubjectConfirmationData answers `assertion_irt`.
fn unsigned_wrapper(response_irt: &str, assertion_irt: Option<&str>) -> String {
    let s = settings("https://sp.example");
    let claims = map_profile(&s, &profile()).unwrap();
    let mut builder = AssertionBuilder::new(&s).issuer(ISSUER);
    if let Some(id) = assertion_irt {
        builder = builder.in_response_to(id);
    }
    let assertion = builder.build(&claims, Some(&key())).unwrap();
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_wrapper" Version="2.0" IssueInstant="{now}" Destination="https://sp.example/acs" InResponseTo="{response_irt}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{ISSUER}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertion}</samlp:Response>"#
    )
}

fn validator() -> Validator {
    Validator::new("https://sp.example", "https://sp.example/acs", vec![Certificate::from_pem_or_der(CERT).unwrap()])
        .unwrap()
        .issuer(ISSUER)
}

fn stores() -> (Arc<InMemoryReplayCache>, Arc<InMemoryRequestStore>) {
    (Arc::new(InMemoryReplayCache::new(1000)), Arc::new(InMemoryRequestStore::new(1000)))
}

fn soon() -> DateTime<Utc> {
    Utc::now() + Duration::minutes(5)
}

/// The failures' variant names, or the error.
fn verdict(result: Result<samlkit::VerifiedAssertion, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(Error::Validation(v)) => v
            .failures
            .iter()
            .map(|f| format!("{f:?}").split([' ', '{', '(']).next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join(","),
        Err(Error::Store(_)) => "Store".into(),
        Err(other) => format!("{other:?}"),
    }
}

#[test]
fn a_response_takes_its_pending_request_once() {
    let (replay, requests) = stores();
    let v = validator().replay_cache(replay).request_store(requests.clone());
    requests.remember("_q1", soon()).unwrap();
    let answer = response(Some("_q1"));
    assert_eq!(verdict(v.validate(&answer)), "ok");
    assert!(requests.is_empty(), "taken");
    // The same response again, and another response to the same request.
    assert_eq!(verdict(v.validate(&answer)), "UnknownRequest");
    assert_eq!(verdict(v.validate(&response(Some("_q1")))), "UnknownRequest");
    // A request never sent.
    assert_eq!(verdict(v.validate(&response(Some("_never")))), "UnknownRequest");
    // Unsolicited still needs its opt-in.
    assert_eq!(verdict(v.validate(&response(None))), "InResponseTo");
    let v = v.allow_unsolicited(true);
    let unsolicited = response(None);
    assert_eq!(verdict(v.validate(&unsolicited)), "ok");
    assert_eq!(verdict(v.validate(&unsolicited)), "Replayed");
}

#[test]
fn a_response_that_fails_another_check_uses_up_nothing() {
    let (replay, requests) = stores();
    let v = validator().replay_cache(replay.clone()).request_store(requests.clone());
    requests.remember("_q2", soon()).unwrap();
    // Correctly signed by the IdP, answering _q2, but for another SP: refused, _q2 still pending.
    let other_sp = response_for("https://other-sp.example", Some("_q2"));
    assert_eq!(verdict(v.validate(&other_sp)), "Audience");
    assert_eq!(requests.len(), 1);
    assert!(replay.is_empty(), "a refused assertion is not recorded");
    // A forged copy of a valid answer: refused before anything is read.
    let answer = response(Some("_q2"));
    assert!(v.validate(&answer.replace("jane@example.com", "eve@example.com")).is_err());
    assert_eq!(requests.len(), 1);
    assert_eq!(verdict(v.validate(&answer)), "ok");
}

#[test]
fn an_unsigned_responses_in_response_to_binds_nothing() {
    let (replay, requests) = stores();
    let v = validator().replay_cache(replay).request_store(requests.clone());
    requests.remember("_pending", soon()).unwrap();
    // The unsigned Response names the pending request; the signed assertion answers another.
    assert_eq!(verdict(v.validate(&unsigned_wrapper("_pending", Some("_other")))), "UnknownRequest");
    // The signed assertion answers nothing: unsolicited, refused without the opt-in.
    assert_eq!(verdict(v.validate(&unsigned_wrapper("_pending", None))), "InResponseTo");
    // Neither used up the pending request.
    assert_eq!(requests.len(), 1);
    // With the opt-in, the assertion is taken as unsolicited; the pending request stays.
    let v = v.allow_unsolicited(true);
    let unsolicited = unsigned_wrapper("_pending", None);
    assert_eq!(verdict(v.validate(&unsolicited)), "ok");
    assert_eq!(requests.len(), 1);
    // What the assertion answers is what is taken.
    assert_eq!(verdict(v.validate(&unsigned_wrapper("_nothing-pending", Some("_pending")))), "ok");
    assert!(requests.is_empty());
}

#[test]
fn an_expected_request_and_the_store_must_both_agree() {
    let (replay, requests) = stores();
    let v = validator().replay_cache(replay).request_store(requests.clone()).expect_in_response_to("_a");
    requests.remember("_a", soon()).unwrap();
    requests.remember("_b", soon()).unwrap();
    // Answers _b, which is pending, but this validator expects _a.
    assert_eq!(verdict(v.validate(&response(Some("_b")))), "InResponseTo,InResponseTo");
    assert_eq!(requests.len(), 2);
    assert_eq!(verdict(v.validate(&response(Some("_a")))), "ok");
    // Expected, but no longer pending.
    assert_eq!(verdict(v.validate(&response(Some("_a")))), "UnknownRequest");
    assert_eq!(requests.len(), 1);
}

/// A store that cannot answer.
struct Broken;

impl ReplayCache for Broken {
    fn check_and_record(&self, _: &str, _: &str, _: DateTime<Utc>, _: DateTime<Utc>) -> Result<bool, StoreError> {
        Err(StoreError::Unavailable { store: "replay cache", message: "down for the test".into() })
    }
}

impl RequestStore for Broken {
    fn remember(&self, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Err(StoreError::Unavailable { store: "request store", message: "down for the test".into() })
    }

    fn take(&self, _: &str, _: DateTime<Utc>) -> Result<bool, StoreError> {
        Err(StoreError::Unavailable { store: "request store", message: "down for the test".into() })
    }
}

#[test]
fn a_store_that_cannot_answer_fails_closed() {
    let (replay, requests) = stores();
    let broken = Arc::new(Broken);
    // Replay cache down: refused, with the store's error.
    let v = validator().allow_unsolicited(true).replay_cache(broken.clone()).request_store(requests);
    let error = v.validate(&response(None)).unwrap_err();
    assert!(matches!(error, Error::Store(StoreError::Unavailable { store: "replay cache", .. })), "{error:?}");
    assert_eq!(error.to_string(), "store: the replay cache is unavailable: down for the test");
    // Request store down: refused.
    let v = validator().replay_cache(replay.clone()).request_store(broken);
    assert_eq!(verdict(v.validate(&response(Some("_q")))), "Store");
    assert!(replay.is_empty(), "nothing recorded for a refused response");
    // A response that fails a check is refused for that reason, without asking the store.
    assert_eq!(verdict(v.validate(&response_for("https://other-sp.example", Some("_q")))), "Audience");
}

#[test]
fn the_replay_record_outlives_every_bearer_confirmation() {
    /// Records what the validator asks to keep.
    struct Spy(std::sync::Mutex<Vec<DateTime<Utc>>>);
    impl ReplayCache for Spy {
        fn check_and_record(
            &self,
            _: &str,
            _: &str,
            expires: DateTime<Utc>,
            _: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            self.0.lock().unwrap().push(expires);
            Ok(true)
        }
    }
    let spy = Arc::new(Spy(Default::default()));
    let v = validator().allow_unsolicited(true).replay_cache(spy.clone());
    let xml = response(None);
    let assertion = v.validate(&xml).unwrap();
    let kept = spy.0.lock().unwrap()[0];
    // Auth0's lifetime is 3600 s; kept until NotOnOrAfter plus twice the 180 s skew.
    let end = assertion.conditions.not_on_or_after.unwrap();
    assert_eq!(kept, end + Duration::seconds(360));
}
