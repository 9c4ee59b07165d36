//! The library API in a dozen lines: Auth0's Heroku recipe and a key make an
//! `IdentityProvider`; a login gives a signed Response, which a `Validator` checks as Heroku
//! would. (`samlkit sign`, the command line, is the same with every option.)
//!
//! ```text
//! cargo run --example heroku
//! ```

use samlkit::{AddonSettings, Certificate, IdentityProvider, IdpKey, Validator};

const KEY: &[u8] = include_bytes!("data/demo-idp-key.pem");
const CERT: &[u8] = include_bytes!("data/demo-idp-cert.pem");

fn main() -> Result<(), samlkit::Error> {
    let settings = AddonSettings::heroku("acme").with_issuer("urn:samlkit-demo.example");
    let idp = IdentityProvider::new(settings, IdpKey::from_pem_or_der(KEY, CERT)?)?;
    let profile = serde_json::json!({"user_id": "auth0|1", "email": "jane.doe@example.com"});
    let signed = idp.respond(&profile).build()?;
    let assertion = Validator::heroku("acme", vec![Certificate::from_pem_or_der(CERT)?])?
        .insecure_allow_sha1() // the recipe keeps Auth0's rsa-sha1 default
        .validate(&signed.xml)?;
    eprintln!("signed for {}, verified as Heroku would; the Response:", assertion.name_id.value);
    println!("{}", signed.xml);
    Ok(())
}
