//! `samlkit metadata`: the IdP's metadata for settings and key, or what samlkit understands of
//! a metadata document.

use crate::idp::IdpArgs;
use crate::input::{fingerprint, read_text, shown, write_out};
use crate::{Exit, Outcome};
use samlkit::Certificate;
use samlkit::metadata::{IdpMetadata, SpMetadata};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The IdP's metadata (Auth0's shape) for the settings and key; or, with --check, what samlkit
/// reads in SP or IdP metadata.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit metadata --sso-url https://idp.example/samlp/c1 --slo-url https://idp.example/samlp/logout/c1
  samlkit metadata --heroku acme --key k.pem --cert c.pem --sso-url https://idp.example/sso --sign
  samlkit metadata --check heroku-sp.xml --to-settings")]
pub struct Args {
    #[command(flatten)]
    idp: IdpArgs,
    /// The single sign-on URL (HTTP-Redirect and HTTP-POST).
    #[arg(long, value_name = "URL", required_unless_present = "check")]
    sso_url: Option<String>,
    /// The single logout URL.
    #[arg(long, value_name = "URL")]
    slo_url: Option<String>,
    /// Sign the metadata with the key, as the settings' algorithms say.
    #[arg(long)]
    sign: bool,
    /// Read SP or IdP metadata and print what samlkit understood.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["sso_url", "slo_url", "sign"])]
    check: Option<PathBuf>,
    /// With --check on SP metadata: print the addon settings JSON it implies.
    #[arg(long, requires = "check")]
    to_settings: bool,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    if let Some(path) = &args.check {
        return check(path, args.to_settings, args.out.as_deref());
    }
    let idp = args.idp.identity_provider()?;
    let mut builder = idp.metadata().sso_url(args.sso_url.clone().unwrap_or_default());
    if let Some(slo) = &args.slo_url {
        builder = builder.slo_url(slo.clone());
    }
    let xml = if args.sign {
        let s = idp.settings();
        builder.build_signed(idp.key(), s.signature_algorithm, s.digest_algorithm)?
    } else {
        builder.build()?
    };
    write_out(args.out.as_deref(), &xml)
}

fn check(path: &std::path::Path, to_settings: bool, out: Option<&std::path::Path>) -> Outcome {
    let xml = read_text(path)?;
    let sp = SpMetadata::parse(&xml);
    if to_settings {
        let sp = sp.map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?;
        let settings = sp.to_addon_settings().map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?;
        return write_out(out, &serde_json::to_string_pretty(&settings.to_json())?);
    }
    let idp = IdpMetadata::parse(&xml);
    let mut text = String::new();
    if let (Err(sp_error), Err(idp_error)) = (&sp, &idp) {
        return Err(Exit::Usage(format!(
            "{}: not SP metadata ({sp_error}), nor IdP metadata ({idp_error})",
            shown(path)
        )));
    }
    if let Ok(sp) = &sp {
        let _ = writeln!(text, "SP metadata: {}", sp.entity_id);
        for acs in &sp.assertion_consumer_services {
            let index = acs.index.map_or_else(|| "-".to_owned(), |i| i.to_string());
            let default = if acs.is_default == Some(true) { ", default" } else { "" };
            let _ = writeln!(text, "  AssertionConsumerService [{index}{default}] {} {}", acs.binding, acs.location);
        }
        if let Some(acs) = sp.default_post_acs() {
            let _ = writeln!(text, "  responses go to: {}", acs.location);
        }
        for slo in &sp.single_logout_services {
            let _ = writeln!(text, "  SingleLogoutService {} {}", slo.binding, slo.location);
        }
        for format in &sp.name_id_formats {
            let _ = writeln!(text, "  NameIDFormat {format}");
        }
        let _ = writeln!(
            text,
            "  AuthnRequestsSigned {}, WantAssertionsSigned {}",
            sp.authn_requests_signed, sp.want_assertions_signed
        );
        certificates(&mut text, "signing", &sp.signing_certificates);
        certificates(&mut text, "encryption", &sp.encryption_certificates);
    }
    if let Ok(idp) = &idp {
        let _ = writeln!(
            text,
            "IdP metadata: {}{}",
            idp.entity_id,
            if idp.signed { " (signed: verify with its certificate before trusting it)" } else { "" }
        );
        for sso in &idp.single_sign_on_services {
            let _ = writeln!(text, "  SingleSignOnService {} {}", sso.binding, sso.location);
        }
        for slo in &idp.single_logout_services {
            let _ = writeln!(text, "  SingleLogoutService {} {}", slo.binding, slo.location);
        }
        for format in &idp.name_id_formats {
            let _ = writeln!(text, "  NameIDFormat {format}");
        }
        for attribute in &idp.attributes {
            let _ = writeln!(
                text,
                "  Attribute {}{}",
                attribute.name,
                attribute.friendly_name.as_ref().map(|f| format!(" ({f})")).unwrap_or_default()
            );
        }
        let _ = writeln!(text, "  WantAuthnRequestsSigned {}", idp.want_authn_requests_signed);
        certificates(&mut text, "signing", &idp.signing_certificates);
        certificates(&mut text, "encryption", &idp.encryption_certificates);
    }
    write_out(out, &text)
}

fn certificates(text: &mut String, usage: &str, certificates: &[Certificate]) {
    for c in certificates {
        let _ = writeln!(
            text,
            "  {usage} certificate: SHA-256 {} ({}, {} to {})",
            fingerprint(c),
            c.subject(),
            c.not_before().format("%Y-%m-%d"),
            c.not_after().format("%Y-%m-%d")
        );
    }
}
