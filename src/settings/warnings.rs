//! Settings that work but deserve a second look.

use super::AddonSettings;
use super::parse::HEROKU_PLACEHOLDER;
use crate::uri::is_uri;
use std::fmt;

/// A choice in the settings that samlkit accepts but reports (see [`AddonSettings::warnings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// `signatureAlgorithm` is `rsa-sha1` (Auth0's default): SHA-1 is broken for collisions.
    WeakSignatureAlgorithm,
    /// `digestAlgorithm` is `sha1` (Auth0's default).
    WeakDigestAlgorithm,
    /// No `audience`: the assertion has no `AudienceRestriction`, so any SP would accept it.
    NoAudience,
    /// The audience is not a URI (kept in lenient mode); `placeholder` when it is the Heroku setup
    /// guide's `THE-HEROKU-ENTITY-ID`.
    AudienceNotUri {
        /// Whether the audience is the setup guide's placeholder.
        placeholder: bool,
    },
    /// `lifetimeInSeconds` is over a day: a stolen assertion stays usable that long.
    LongLifetime {
        /// The lifetime in seconds.
        seconds: u64,
    },
    /// Booleans written as strings (`"false"`), accepted in lenient mode as Auth0 does; write
    /// JSON booleans.
    StringBooleans {
        /// The keys, dotted for `logout.*`.
        keys: Vec<String>,
    },
    /// Unknown keys were kept (lenient mode); they do nothing in samlkit.
    UnknownKeysKept {
        /// The keys, dotted for `logout.*`.
        keys: Vec<String>,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WeakSignatureAlgorithm => {
                f.write_str("signatureAlgorithm is rsa-sha1 (Auth0's default); prefer rsa-sha256 if the SP accepts it")
            }
            Self::WeakDigestAlgorithm => {
                f.write_str("digestAlgorithm is sha1 (Auth0's default); prefer sha256 if the SP accepts it")
            }
            Self::NoAudience => f.write_str("no audience: the assertion will carry no AudienceRestriction"),
            Self::AudienceNotUri { placeholder: true } => f.write_str(
                "audience is the setup guide's placeholder THE-HEROKU-ENTITY-ID: Heroku will reject the response",
            ),
            Self::AudienceNotUri { placeholder: false } => {
                f.write_str("audience is not a URI: service providers will reject it")
            }
            Self::LongLifetime { seconds } => {
                write!(f, "lifetimeInSeconds is {seconds}: assertions stay valid for over a day")
            }
            Self::UnknownKeysKept { keys } => write!(f, "unknown keys kept and ignored: {}", keys.join(", ")),
            Self::StringBooleans { keys } => {
                write!(f, "booleans written as strings (read as booleans): {}", keys.join(", "))
            }
        }
    }
}

pub(super) fn collect(s: &AddonSettings) -> Vec<Warning> {
    let mut out = Vec::new();
    if s.signature_algorithm.is_weak() {
        out.push(Warning::WeakSignatureAlgorithm);
    }
    if s.digest_algorithm.is_weak() {
        out.push(Warning::WeakDigestAlgorithm);
    }
    match &s.audience {
        None => out.push(Warning::NoAudience),
        Some(a) if !is_uri(a) => out.push(Warning::AudienceNotUri { placeholder: a.contains(HEROKU_PLACEHOLDER) }),
        Some(_) => {}
    }
    if s.lifetime_in_seconds > 24 * 60 * 60 {
        out.push(Warning::LongLifetime { seconds: s.lifetime_in_seconds });
    }
    if !s.string_booleans.is_empty() {
        out.push(Warning::StringBooleans { keys: s.string_booleans.clone() });
    }
    let keys: Vec<String> =
        s.extra.keys().cloned().chain(s.logout.extra.keys().map(|k| format!("logout.{k}"))).collect();
    if !keys.is_empty() {
        out.push(Warning::UnknownKeysKept { keys });
    }
    out
}
