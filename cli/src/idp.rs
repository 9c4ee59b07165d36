//! The identity provider `sign` and `metadata` act as: the addon settings (Auth0's JSON, or the
//! Heroku recipe), the flags that complete them, and the key.

use crate::Exit;
use crate::input::{read, read_text, shown};
use samlkit::settings::ParseMode;
use samlkit::{AddonSettings, IdentityProvider, IdpKey};
use std::path::PathBuf;

/// The issuer when neither the settings nor `--issuer` name one.
pub const DEMO_ISSUER: &str = "urn:samlkit-demo.example";
const HEROKU_PLACEHOLDER: &str = "THE-HEROKU-ENTITY-ID";
const DEMO_KEY: &[u8] = include_bytes!("../../examples/data/demo-idp-key.pem");
const DEMO_CERT: &[u8] = include_bytes!("../../examples/data/demo-idp-cert.pem");

/// Who signs: settings, the flags that complete them, the key.
#[derive(clap::Args)]
pub struct IdpArgs {
    /// The addon settings JSON, as pasted into Auth0's Settings box (default: the Heroku recipe).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Keep unknown settings keys (as Auth0 does) instead of refusing them.
    #[arg(long)]
    pub lenient: bool,
    /// The Heroku organization: audience https://sso.heroku.com/saml/ORG and callback URL
    /// …/ORG/finalize. Settings that name another audience or recipient are an error.
    #[arg(long, value_name = "ORG")]
    pub heroku: Option<String>,
    /// Auth0's "Application Callback URL": the recipient and destination where the settings name
    /// none.
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// The IdP's entity ID, where the settings name none (default: urn:samlkit-demo.example).
    #[arg(long, value_name = "URI")]
    pub issuer: Option<String>,
    /// The IdP's private key (PEM or DER: RSA PKCS#1/PKCS#8, EC P-256). Default: the demo key.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The IdP's certificate (PEM or DER), with --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Fix the clock (RFC 3339, e.g. 2026-11-28T15:21:01Z).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

impl IdpArgs {
    /// The settings, completed by the flags; a flag that contradicts them is an error naming
    /// both values.
    pub fn settings(&self) -> Result<AddonSettings, Exit> {
        let mut s = match &self.settings {
            Some(path) => {
                let mode = if self.lenient { ParseMode::Lenient } else { ParseMode::Strict };
                let text = self.fill_placeholder(read_text(path)?);
                AddonSettings::parse(&text, mode).map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?
            }
            None => AddonSettings::heroku(self.heroku.as_deref().unwrap_or("acme")),
        };
        if let Some(org) = &self.heroku {
            let recipe = AddonSettings::heroku(org);
            let (audience, callback) = (recipe.audience.unwrap_or_default(), recipe.recipient.unwrap_or_default());
            if let Some(theirs) = s.audience.as_deref().filter(|a| *a != audience) {
                return Err(conflict(&format!("--heroku {org}"), "audience", &audience, theirs));
            }
            for (key, value) in [("recipient", &s.recipient), ("destination", &s.destination)] {
                if let Some(theirs) = value.as_deref().filter(|v| *v != callback) {
                    return Err(conflict(&format!("--heroku {org}"), key, &callback, theirs));
                }
            }
            if let Some(flag) = self.callback_url.as_deref().filter(|c| *c != callback) {
                return Err(Exit::Usage(format!(
                    "--callback-url {flag} contradicts --heroku {org}, whose callback URL is {callback}"
                )));
            }
            s.audience = Some(audience);
            s = s.with_callback_url(&callback);
        }
        if let Some(url) = &self.callback_url {
            // Auth0's meaning: the settings' recipient and destination, when present, win over
            // the application's callback URL.
            s = s.with_callback_url(url);
        }
        match (&self.issuer, &s.issuer) {
            (Some(flag), Some(theirs)) if flag != theirs => {
                return Err(conflict(&format!("--issuer {flag}"), "issuer", flag, theirs));
            }
            (Some(flag), _) => s.issuer = Some(flag.clone()),
            (None, None) => s.issuer = Some(DEMO_ISSUER.to_owned()),
            (None, Some(_)) => {}
        }
        if s.recipient.is_none() && s.destination.is_none() {
            return Err(Exit::Usage(
                "the settings name no recipient: pass --callback-url URL (Auth0's Application Callback URL) or --heroku ORG"
                    .into(),
            ));
        }
        Ok(s)
    }

    /// The Heroku setup guide's JSON has `"audience": "THE-HEROKU-ENTITY-ID"`, to be replaced by
    /// the organization's entity ID: with --heroku, that is what it becomes (with a warning).
    fn fill_placeholder(&self, text: String) -> String {
        let Some(org) = &self.heroku else { return text };
        let Ok(serde_json::Value::Object(mut json)) = serde_json::from_str::<serde_json::Value>(&text) else {
            return text;
        };
        if json.get("audience").and_then(|a| a.as_str()) != Some(HEROKU_PLACEHOLDER) {
            return text;
        }
        let audience = AddonSettings::heroku(org).audience.unwrap_or_default();
        eprintln!(
            "warning: the settings' audience is the Heroku guide's placeholder {HEROKU_PLACEHOLDER}: --heroku {org} makes it {audience}"
        );
        json.insert("audience".into(), audience.into());
        serde_json::Value::Object(json).to_string()
    }

    /// The signing key: --key/--cert, else the demo key, with a warning on stderr.
    pub fn key(&self) -> Result<IdpKey, Exit> {
        match (&self.key, &self.cert) {
            (Some(key), Some(cert)) => IdpKey::from_pem_or_der(&read(key)?, &read(cert)?)
                .map_err(|e| Exit::Usage(format!("{} / {}: {e}", shown(key), shown(cert)))),
            _ => {
                eprintln!(
                    "warning: signing with samlkit's demo key, which is public: pass --key and --cert (or make a pair with `samlkit keygen`)"
                );
                Ok(IdpKey::from_pem_or_der(DEMO_KEY, DEMO_CERT)?)
            }
        }
    }

    /// The identity provider: settings, key and clock, validated once.
    pub fn identity_provider(&self) -> Result<IdentityProvider, Exit> {
        let settings = self.settings()?;
        let key = self.key()?;
        let clock = crate::input::clock(self.now.as_deref())?;
        Ok(IdentityProvider::new(settings, key)?.clock(clock))
    }
}

fn conflict(flag: &str, key: &str, ours: &str, theirs: &str) -> Exit {
    Exit::Usage(format!("{flag} means {key} {ours}, but the settings say {key} {theirs}"))
}
