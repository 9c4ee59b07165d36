//! The configuration file of `samlkit serve` (TOML): the tenant, its key, its applications (each
//! with Auth0's addon settings JSON, verbatim) and its users (Auth0-style profiles).

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole file. Unknown keys are an error, so a typo does not pass for a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The tenant's domain, as in `acme.eu.auth0.com`: the issuer is `urn:<tenant>`.
    pub tenant: Option<String>,
    /// The URL the server is reached at (default: `http://` and the listening address).
    pub base_url: Option<String>,
    /// The bearer token the admin API requires (default: none, the API is open).
    pub admin_token: Option<String>,
    /// The IdP's private key (PEM or DER), relative to the file's folder.
    pub key: Option<PathBuf>,
    /// The IdP's certificate (PEM or DER), with `key`.
    pub cert: Option<PathBuf>,
    /// Mint a fresh key pair at start (its certificate is printed) instead of the demo key.
    #[serde(default)]
    pub mint_key: bool,
    /// The applications ("SAML2 Web App" addons).
    #[serde(default)]
    pub applications: Vec<Application>,
    /// The users: Auth0 profiles (`user_id`, `email`, `name`, `identities`, `app_metadata`, …).
    #[serde(default)]
    pub users: Vec<serde_json::Value>,
}

/// One application and its addon.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The client ID: the path segment of `/samlp/<client_id>`.
    pub client_id: String,
    /// A display name (default: the client ID).
    pub name: Option<String>,
    /// Auth0's "Application Callback URL": the SP's ACS URL.
    pub callback: Option<String>,
    /// Further ACS URLs an AuthnRequest may ask for (Auth0's "Allowed Callback URLs").
    #[serde(default)]
    pub allowed_callbacks: Vec<String>,
    /// The addon settings: Auth0's JSON as a string, or as a table.
    pub settings: Option<serde_json::Value>,
    /// The addon settings JSON in a file, relative to the configuration file's folder.
    pub settings_file: Option<PathBuf>,
    /// Keep unknown settings keys, as Auth0 does, instead of refusing them.
    #[serde(default)]
    pub lenient: bool,
    /// Accept AuthnRequests and LogoutRequests signed with SHA-1 (Auth0 does; samlkit does not
    /// by default).
    #[serde(default)]
    pub insecure_allow_sha1_requests: bool,
}

impl Config {
    /// Reads `path`; relative paths in it are made relative to its folder.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            // One line: where, and what (toml's own rendering quotes the line over several).
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let at = line.map(|l| format!(" line {l}:")).unwrap_or_default();
            format!("{}:{at} {}", path.display(), e.message().trim())
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let anchor = |p: &mut Option<PathBuf>| {
            if let Some(inner) = p.as_mut().filter(|p| p.is_relative()) {
                *inner = folder.join(&*inner);
            }
        };
        anchor(&mut config.key);
        anchor(&mut config.cert);
        for app in &mut config.applications {
            anchor(&mut app.settings_file);
        }
        Ok(config)
    }
}

impl Application {
    /// The settings JSON text: the `settings` string, the `settings` table as JSON, the
    /// `settings_file`'s text, or `{}`; naming two of them is an error.
    pub fn settings_text(&self) -> Result<String, String> {
        match (&self.settings, &self.settings_file) {
            (Some(_), Some(_)) => {
                Err(format!("application {}: settings and settings_file are both given: keep one", self.client_id))
            }
            (Some(serde_json::Value::String(text)), None) => Ok(text.clone()),
            (Some(value @ serde_json::Value::Object(_)), None) => Ok(value.to_string()),
            (Some(_), None) => {
                Err(format!("application {}: settings must be Auth0's JSON, as a string or a table", self.client_id))
            }
            (None, Some(path)) => std::fs::read_to_string(path)
                .map_err(|e| format!("application {}: settings_file {}: {e}", self.client_id, path.display())),
            (None, None) => Ok("{}".to_owned()),
        }
    }
}
