//! `samlkit sign`: a signed SAML Response, as Auth0's addon writes it.

use crate::idp::IdpArgs;
use crate::input::{read, read_text, shown, write_out};
use crate::{Exit, Outcome};
use samlkit::encryption::{Encryption, EncryptionKey};
use std::path::PathBuf;

const DEMO_PROFILE: &str = include_str!("../../examples/data/demo-profile.json");

/// A signed SAML Response for a user profile, under the addon settings.
///
/// With no arguments: a Heroku response for the organization `acme`, signed with the demo key.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit sign                                   # Heroku, org acme, demo key
  samlkit sign --heroku globex --key k.pem --cert c.pem --profile jane.json --format post-form
  samlkit sign --settings addon.json --callback-url https://sp.example/acs --issuer urn:acme.auth0.com")]
pub struct Args {
    #[command(flatten)]
    idp: IdpArgs,
    /// The user profile (Auth0's JSON), mapped as the settings say (default: a demo profile).
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Answer this AuthnRequest ID (InResponseTo).
    #[arg(long, value_name = "ID")]
    in_response_to: Option<String>,
    /// Encrypt the signed assertion for the SP whose certificate or public key is in CERT.
    #[arg(long, value_name = "CERT")]
    encrypt_for: Option<PathBuf>,
    /// What to print: the XML, its base64 (the SAMLResponse field), or the auto-posting form.
    #[arg(long, value_enum, default_value = "xml")]
    format: Format,
    /// The RelayState of the post form.
    #[arg(long, value_name = "TEXT")]
    relay_state: Option<String>,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Xml,
    Base64,
    PostForm,
}

pub fn run(args: Args) -> Outcome {
    let idp = args.idp.identity_provider()?;
    let profile: serde_json::Value = match &args.profile {
        Some(path) => serde_json::from_str(&read_text(path)?)
            .map_err(|e| Exit::Usage(format!("{}: not JSON: {e}", shown(path))))?,
        None => serde_json::from_str(DEMO_PROFILE)?,
    };
    let mut login = idp.respond(&profile);
    if let Some(id) = &args.in_response_to {
        login = login.in_response_to(id.clone());
    }
    if let Some(path) = &args.encrypt_for {
        let sp = EncryptionKey::from_pem_or_der(&read(path)?)
            .map_err(|e| Exit::Usage(format!("--encrypt-for {}: {e}", shown(path))))?;
        login = login.encrypt_for(Encryption::new(sp));
    }
    let signed = login.build()?;
    let text = match args.format {
        Format::Xml => signed.xml.clone(),
        Format::Base64 => signed.to_base64(),
        Format::PostForm => signed.post_form(args.relay_state.as_deref())?,
    };
    write_out(args.out.as_deref(), &text)
}
