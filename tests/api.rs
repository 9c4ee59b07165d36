//! The 0.2 API contract: a Heroku login through the flat root, the IdP shared across threads,
//! checked by the service-provider side. The program is the one samlkit 0.2 promises, as
//! written there (rustfmt's layout aside).

use samlkit::{AddonSettings, Certificate, IdentityProvider, IdpKey, SignatureAlgorithm, Validator};
const KEY: &[u8] = include_bytes!("../examples/data/demo-idp-key.pem");
const CERT: &[u8] = include_bytes!("../examples/data/demo-idp-cert.pem");
#[test]
fn heroku_round_trip_through_the_flat_api() -> samlkit::Result<()> {
    let settings = AddonSettings::heroku("acme").with_issuer("urn:acme.auth0.com");
    let idp = IdentityProvider::new(settings, IdpKey::from_pem_or_der(KEY, CERT)?)?;
    let shared = idp.clone();
    let profile = serde_json::json!({"email": "jane@example.com"});
    let signed = std::thread::spawn(move || shared.respond(&profile).in_response_to("_r1").build()).join().unwrap()?;
    assert_eq!(signed.destination, "https://sso.heroku.com/saml/acme/finalize");
    assert!(signed.post_form(Some("relay"))?.contains("name=\"SAMLResponse\""));
    assert!(idp.metadata().sso_url("https://idp.example/samlp/c1").build()?.contains("IDPSSODescriptor"));
    let assertion = Validator::heroku("acme", vec![Certificate::from_pem_or_der(CERT)?])?
        .insecure_allow_sha1()
        .expect_in_response_to("_r1")
        .validate(&signed.xml)?;
    assert_eq!(assertion.name_id.value, "jane@example.com");
    assert_eq!(assertion.signature_algorithm, SignatureAlgorithm::RsaSha1);
    Ok(())
}
