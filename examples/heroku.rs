//! The main job: a signed Heroku SAML Response from the demo settings, profile and key.
//!
//! ```text
//! cargo run --example heroku [-- OPTIONS]
//!   --org NAME            Heroku organization (default: acme)
//!   --settings FILE       Auth0 addon settings JSON instead of the Heroku recipe
//!   --profile FILE        Auth0 user profile JSON instead of the demo profile
//!   --key FILE --cert FILE  another key pair (PEM or DER); default: examples/data/demo-idp-*
//!                           (an EC P-256 key, for ecdsa-sha256 settings, needs --features aws-lc-rs)
//!   --issuer URI          the IdP's entity ID (default: urn:samlkit-demo.example)
//!   --now RFC3339         fix the clock
//!   --in-response-to ID   answer an AuthnRequest
//!   --encrypt-for CERT    encrypt the (signed) assertion for the SP whose certificate or public
//!                         key (PEM or DER) is in CERT: aes256-gcm, rsa-oaep-mgf1p
//!   --out-dir DIR         write response.xml, idp-cert.pem and post-form.html into DIR
//!   --metadata            print the IdP's metadata (Auth0's shape, for the settings and key)
//!                         instead of a response; with --out-dir, also write idp-metadata.xml
//! ```
//! Bad arguments or files: a one-line error on stderr and exit status 2.

use samlkit::clock::{Clock, FixedClock, SystemClock};
use samlkit::encryption::{Encryption, EncryptionKey};
use samlkit::{AddonSettings, IdentityProvider, IdpKey};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const DEMO_KEY: &[u8] = include_bytes!("data/demo-idp-key.pem");
const DEMO_CERT: &[u8] = include_bytes!("data/demo-idp-cert.pem");
const DEMO_PROFILE: &str = include_str!("data/demo-profile.json");
/// The demo IdP's single sign-on and logout URLs, for the metadata.
const DEMO_SSO_URL: &str = "https://samlkit-demo.example/samlp/demo";
const DEMO_SLO_URL: &str = "https://samlkit-demo.example/samlp/demo/logout";

#[derive(Default)]
struct Args {
    org: Option<String>,
    settings: Option<PathBuf>,
    profile: Option<PathBuf>,
    key: Option<PathBuf>,
    cert: Option<PathBuf>,
    issuer: Option<String>,
    now: Option<String>,
    in_response_to: Option<String>,
    encrypt_for: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    metadata: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--org" => args.org = Some(value()?),
            "--settings" => args.settings = Some(value()?.into()),
            "--profile" => args.profile = Some(value()?.into()),
            "--key" => args.key = Some(value()?.into()),
            "--cert" => args.cert = Some(value()?.into()),
            "--issuer" => args.issuer = Some(value()?),
            "--now" => args.now = Some(value()?),
            "--in-response-to" => args.in_response_to = Some(value()?),
            "--encrypt-for" => args.encrypt_for = Some(value()?.into()),
            "--out-dir" => args.out_dir = Some(value()?.into()),
            "--metadata" => args.metadata = true,
            "-h" | "--help" => return Err("usage: heroku [--org NAME] [--settings FILE] [--profile FILE] [--key FILE --cert FILE] [--issuer URI] [--now RFC3339] [--in-response-to ID] [--encrypt-for CERT] [--out-dir DIR] [--metadata]".into()),
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    if args.key.is_some() != args.cert.is_some() {
        return Err("--key and --cert go together".into());
    }
    Ok(args)
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let org = args.org.as_deref().unwrap_or("acme");
    let mut settings = match &args.settings {
        Some(path) => {
            let text = String::from_utf8(read(path)?).map_err(|_| format!("{} is not UTF-8", path.display()))?;
            AddonSettings::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => AddonSettings::heroku(org),
    };
    // The settings decide; --issuer fills the issuer they leave out, and contradicting them is
    // an error rather than a silent pick.
    match (&args.issuer, &settings.issuer) {
        (Some(flag), Some(json)) if flag != json => {
            return Err(format!("--issuer {flag} contradicts the settings' issuer {json}"));
        }
        (Some(flag), _) => settings.issuer = Some(flag.clone()),
        (None, _) => settings = settings.with_issuer("urn:samlkit-demo.example"),
    }
    let acs = format!("https://sso.heroku.com/saml/{org}/finalize");
    let settings = settings.with_callback_url(&acs);
    let key = match (&args.key, &args.cert) {
        (Some(k), Some(c)) => load_key(&read(k)?, &read(c)?)?,
        _ => IdpKey::from_pem_or_der(DEMO_KEY, DEMO_CERT).map_err(|e| format!("key: {e}"))?,
    };
    let clock: Arc<dyn Clock> = match &args.now {
        Some(t) => Arc::new(FixedClock::rfc3339(t).map_err(|e| format!("--now: {e}"))?),
        None => Arc::new(SystemClock),
    };
    let idp = IdentityProvider::new(settings, key).map_err(|e| e.to_string())?.clock(clock);

    if args.metadata {
        return metadata(&args, &idp);
    }
    let profile: serde_json::Value = match &args.profile {
        Some(path) => serde_json::from_slice(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?,
        None => serde_json::from_str(DEMO_PROFILE).map_err(|e| e.to_string())?,
    };

    let mut login = idp.respond(&profile);
    if let Some(id) = &args.in_response_to {
        login = login.in_response_to(id.clone());
    }
    if let Some(path) = &args.encrypt_for {
        let sp = EncryptionKey::from_pem_or_der(&read(path)?).map_err(|e| format!("--encrypt-for: {e}"))?;
        login = login.encrypt_for(Encryption::new(sp));
    }
    let response = login.build().map_err(|e| e.to_string())?;

    match &args.out_dir {
        None => print_out(&response.xml)?,
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            let form = response.post_form(None).map_err(|e| e.to_string())?;
            for (name, content) in [
                ("response.xml", response.xml.as_str()),
                ("idp-cert.pem", &idp.key().certificate().to_pem()),
                ("post-form.html", &form),
            ] {
                let path = dir.join(name);
                std::fs::write(&path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(())
}

/// `--metadata`: the IdP's metadata for the settings and key, on stdout (and in the out dir).
fn metadata(args: &Args, idp: &IdentityProvider) -> Result<(), String> {
    let xml = idp.metadata().sso_url(DEMO_SSO_URL).slo_url(DEMO_SLO_URL).build().map_err(|e| e.to_string())?;
    print_out(&xml)?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join("idp-metadata.xml");
        std::fs::write(&path, &xml).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Writes a line to stdout; a closed stdout (`| head`) is an error message, not a panic.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    writeln!(std::io::stdout().lock(), "{text}").map_err(|e| format!("cannot write to stdout: {e}"))
}

/// An RSA key, or (with `--features aws-lc-rs`) an EC P-256 key for `ecdsa-sha256` settings.
fn load_key(key: &[u8], cert: &[u8]) -> Result<IdpKey, String> {
    IdpKey::from_pem_or_der(key, cert).map_err(|e| format!("key: {e}"))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
