//! What the server knows: the tenant (issuer, key, clock, IDs), its applications and its users.
//! Shared by every request; the admin API adds to it at run time.

use super::config::Application;
use samlkit::binding::redirect::RedirectLimits;
use samlkit::clock::Clock;
use samlkit::ids::IdGenerator;
use samlkit::settings::ParseMode;
use samlkit::{AddonSettings, IdentityProvider, IdpKey, TrustPolicy};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock};

/// The tenant's default domain: the issuer is `urn:samlkit-demo.example`, as for `samlkit sign`.
pub const DEMO_TENANT: &str = "samlkit-demo.example";

/// The tenant and everything in it.
pub struct Tenant {
    /// `urn:<tenant>`.
    pub issuer: String,
    /// Where the server is reached, without a trailing `/`.
    pub base_url: String,
    /// The signing key and certificate.
    pub key: IdpKey,
    /// Whether `key` is samlkit's public demo key.
    pub demo_key: bool,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGenerator>,
    /// The bearer token of the admin API, if any.
    pub admin_token: Option<String>,
    /// Size limits for received messages.
    pub limits: RedirectLimits,
    applications: RwLock<BTreeMap<String, App>>,
    users: RwLock<BTreeMap<String, serde_json::Value>>,
    attacker: OnceLock<Option<IdpKey>>,
}

/// One application: its configuration and the identity provider its settings make.
#[derive(Clone)]
pub struct App {
    pub config: Application,
    pub idp: IdentityProvider,
    /// Who may sign its requests: the settings' `signingCert`, SHA-1 only on request.
    pub trust: TrustPolicy,
}

impl App {
    /// The application's display name.
    pub fn name(&self) -> &str {
        self.config.name.as_deref().unwrap_or(&self.config.client_id)
    }

    /// The ACS URLs an AuthnRequest may ask for besides the settings' recipient.
    pub fn allowed_acs(&self) -> impl Iterator<Item = &str> {
        self.config.callback.iter().chain(&self.config.allowed_callbacks).map(String::as_str)
    }
}

impl Tenant {
    /// An empty tenant.
    pub fn new(
        issuer: String,
        base_url: String,
        key: (IdpKey, bool),
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        admin_token: Option<String>,
        limits: RedirectLimits,
    ) -> Self {
        Self {
            issuer,
            base_url: base_url.trim_end_matches('/').to_owned(),
            key: key.0,
            demo_key: key.1,
            clock,
            ids,
            admin_token,
            limits,
            applications: RwLock::default(),
            users: RwLock::default(),
            attacker: OnceLock::new(),
        }
    }

    /// Validates `config` into an application (its settings parsed, completed by its callback
    /// URL and the tenant's issuer) and adds it, replacing one with the same client ID. Returns
    /// the settings' warnings.
    pub fn add_application(&self, config: Application) -> Result<Vec<String>, String> {
        let text = config.settings_text()?;
        let mode = if config.lenient { ParseMode::Lenient } else { ParseMode::Strict };
        let settings = AddonSettings::parse(&text, mode)
            .map_err(|e| format!("application {}: settings: {e}", config.client_id))?;
        self.add_with_settings(config, settings)
    }

    /// [`Tenant::add_application`] with settings already made.
    pub fn add_with_settings(&self, config: Application, settings: AddonSettings) -> Result<Vec<String>, String> {
        let id = &config.client_id;
        if id.is_empty()
            || id.len() > 128
            || !id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(format!(
                "client_id {id:?}: use 1 to 128 letters, digits, '-', '_' or '.' (it is a URL path segment)"
            ));
        }
        if id == "metadata" {
            return Err("client_id \"metadata\" would shadow /samlp/metadata/: choose another".into());
        }
        for url in config.callback.iter().chain(&config.allowed_callbacks) {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!("application {id}: callback {url:?} is not an http(s) URL"));
            }
        }
        let mut settings = settings.with_issuer(&self.issuer);
        if let Some(callback) = &config.callback {
            settings = settings.with_callback_url(callback);
        }
        if settings.recipient.is_none() {
            return Err(format!(
                "application {id}: no ACS URL: give it a callback (Auth0's Application Callback URL) or settings with a recipient"
            ));
        }
        let mut warnings: Vec<String> = settings.warnings().iter().map(|w| format!("application {id}: {w}")).collect();
        let idp = IdentityProvider::new(settings, self.key.clone())
            .map_err(|e| format!("application {id}: {e}"))?
            .clock(self.clock.clone())
            .ids(self.ids.clone());
        let mut trust = idp.request_trust().clone();
        if config.insecure_allow_sha1_requests {
            warnings.push(format!("application {id}: accepts SHA-1 signed requests (insecure_allow_sha1_requests)"));
            trust = trust.insecure_allow_sha1();
        }
        let app = App { config, idp, trust };
        self.applications.write().unwrap_or_else(|p| p.into_inner()).insert(app.config.client_id.clone(), app);
        Ok(warnings)
    }

    /// The application `client_id`.
    pub fn application(&self, client_id: &str) -> Option<App> {
        self.applications.read().unwrap_or_else(|p| p.into_inner()).get(client_id).cloned()
    }

    /// Every application, by client ID.
    pub fn applications(&self) -> Vec<App> {
        self.applications.read().unwrap_or_else(|p| p.into_inner()).values().cloned().collect()
    }

    /// Adds a user (an Auth0 profile with a `user_id` or an `email`), replacing one with the same
    /// ID; returns the ID.
    pub fn add_user(&self, profile: serde_json::Value) -> Result<String, String> {
        let id = user_id(&profile)?;
        self.users.write().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), profile);
        Ok(id)
    }

    /// The user `id`.
    pub fn user(&self, id: &str) -> Option<serde_json::Value> {
        self.users.read().unwrap_or_else(|p| p.into_inner()).get(id).cloned()
    }

    /// Every user, by ID.
    pub fn users(&self) -> Vec<(String, serde_json::Value)> {
        self.users.read().unwrap_or_else(|p| p.into_inner()).iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The attacker's key of the `resigned-by-attacker` variant, made on first use.
    pub fn attacker(&self) -> Option<&IdpKey> {
        self.attacker.get_or_init(|| crate::keygen::mint_rsa("attacker.example").ok().map(|made| made.0)).as_ref()
    }
}

/// A profile's ID: its `user_id`, else its `email`.
pub fn user_id(profile: &serde_json::Value) -> Result<String, String> {
    let object = profile.as_object().ok_or("a user is a JSON object (an Auth0 profile)")?;
    let id = ["user_id", "email"]
        .iter()
        .find_map(|k| object.get(*k).and_then(|v| v.as_str()).filter(|v| !v.is_empty()))
        .ok_or("a user needs a user_id or an email (a non-empty string)")?;
    if id.len() > 256 || id.chars().any(char::is_control) {
        return Err("a user's user_id or email is at most 256 characters, without control characters".into());
    }
    Ok(id.to_owned())
}

/// The one-off user of an email typed on the login page: the profile Auth0's database
/// connection would give them.
pub fn one_off_user(email: &str) -> Result<serde_json::Value, String> {
    let email = email.trim();
    let (local, domain) = email.split_once('@').ok_or("that is not an email address: it has no @")?;
    if local.is_empty()
        || domain.is_empty()
        || email.len() > 254
        || email.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err("that is not an email address (name@domain, at most 254 characters, no spaces)".into());
    }
    Ok(serde_json::json!({
        "user_id": format!("auth0|{email}"),
        "email": email,
        "email_verified": true,
        "name": email,
        "nickname": local,
        "identities": [{
            "provider": "auth0",
            "user_id": email,
            "connection": "Username-Password-Authentication",
            "isSocial": false
        }]
    }))
}

/// The two users of a tenant configured with none.
pub fn demo_users() -> [serde_json::Value; 2] {
    let user = |id: &str, given: &str, family: &str| {
        let email = format!("{}@example.com", given.to_lowercase());
        serde_json::json!({
            "user_id": format!("auth0|{id}"),
            "email": email,
            "email_verified": true,
            "name": format!("{given} {family}"),
            "given_name": given,
            "family_name": family,
            "nickname": given.to_lowercase(),
            "identities": [{
                "provider": "auth0",
                "user_id": id,
                "connection": "Username-Password-Authentication",
                "isSocial": false
            }],
            "app_metadata": {"roles": ["member"]}
        })
    };
    [user("demo-alice", "Alice", "Example"), user("demo-bob", "Bob", "Example")]
}
