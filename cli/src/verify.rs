//! `samlkit verify`: check a SAML Response as the service provider would.

use crate::input::{certificate, read, read_text, shown, write_out};
use crate::{Exit, Outcome};
use samlkit::encryption::DecryptionKey;
use samlkit::metadata::{IdpMetadata, SpMetadata};
use samlkit::{Error, Validator};
use std::path::PathBuf;

/// Verify a SAML Response against pinned certificates and check every condition, as the service
/// provider would.
///
/// The input is the Response XML, its base64 (the SAMLResponse field as posted), or a whole
/// `SAMLResponse=…&RelayState=…` form body. Exit 0 prints the verified assertion as JSON;
/// exit 1 lists every failed check on stderr.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit sign | samlkit verify --cert examples/data/demo-idp-cert.pem --heroku acme --allow-sha1 -
  samlkit verify --idp-metadata idp.xml --sp-metadata sp.xml --in-response-to _req1 response.b64
  samlkit verify --cert idp.pem --audience urn:sp --acs https://sp.example/acs --json form-body.txt")]
pub struct Args {
    /// The response: a file, or - for stdin.
    #[arg(value_name = "FILE|-")]
    input: PathBuf,
    /// A pinned IdP signing certificate (PEM or DER); repeatable.
    #[arg(long, value_name = "FILE")]
    cert: Vec<PathBuf>,
    /// The IdP's metadata: its signing certificates are pinned and its entity ID is the expected
    /// issuer.
    #[arg(long, value_name = "FILE")]
    idp_metadata: Option<PathBuf>,
    /// The SP is Heroku's, for this organization.
    #[arg(long, value_name = "ORG", conflicts_with_all = ["sp_metadata", "audience", "acs"])]
    heroku: Option<String>,
    /// The SP's metadata: its entity ID is the audience, its default HTTP-POST ACS the recipient.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["audience", "acs"])]
    sp_metadata: Option<PathBuf>,
    /// The SP's entity ID (with --acs).
    #[arg(long, value_name = "URI", requires = "acs")]
    audience: Option<String>,
    /// The SP's ACS URL (with --audience).
    #[arg(long, value_name = "URL", requires = "audience")]
    acs: Option<String>,
    /// The expected IdP entity ID (Issuer).
    #[arg(long, value_name = "URI")]
    issuer: Option<String>,
    /// Check at this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Require the response to answer this AuthnRequest ID.
    #[arg(long, value_name = "ID")]
    in_response_to: Option<String>,
    /// Accept IdP-initiated responses (no InResponseTo).
    #[arg(long)]
    allow_unsolicited: bool,
    /// The SP's private key (PEM or DER), to decrypt an EncryptedAssertion.
    #[arg(long, value_name = "FILE")]
    decrypt_key: Option<PathBuf>,
    /// Accept rsa-sha1 and sha1 (Auth0's default algorithms).
    #[arg(long, visible_alias = "insecure-allow-sha1")]
    allow_sha1: bool,
    /// Accept a signed Response whose Assertion is not signed itself.
    #[arg(long)]
    allow_response_signature_only: bool,
    /// Accept comments inside the NameID and Issuer (a known truncation attack).
    #[arg(long)]
    insecure_allow_comments_in_identity: bool,
    /// Accept RSA keys of 1024 to 2047 bits.
    #[arg(long)]
    insecure_allow_rsa_1024: bool,
    /// Accept an assertion without an AudienceRestriction.
    #[arg(long)]
    insecure_allow_no_audience: bool,
    /// Accept a signed Response without a Destination.
    #[arg(long)]
    allow_missing_destination: bool,
    /// Refuse a signature by a certificate outside its validity period.
    #[arg(long)]
    require_certificate_validity: bool,
    /// Accept AES-CBC encrypted assertions (unauthenticated encryption).
    #[arg(long)]
    insecure_allow_cbc: bool,
    /// Print the refusal as JSON on stderr.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Outcome {
    let validator = validator(&args)?;
    let bytes = read(&args.input)?;
    let result = match form_value(&bytes) {
        Some(value) => validator.validate(&value),
        None => validator.validate_bytes(&bytes),
    };
    match result {
        Ok(assertion) => write_out(None, &serde_json::to_string_pretty(&assertion)?),
        Err(e) => {
            report(&e, args.json);
            Err(Exit::Refused)
        }
    }
}

fn validator(args: &Args) -> Result<Validator, Exit> {
    let mut certificates = Vec::new();
    for path in &args.cert {
        certificates.push(certificate(path)?);
    }
    let mut issuer = args.issuer.clone();
    if let Some(path) = &args.idp_metadata {
        let idp = IdpMetadata::parse(&read_text(path)?).map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?;
        match &issuer {
            Some(flag) if *flag != idp.entity_id => {
                return Err(Exit::Usage(format!(
                    "--issuer {flag} contradicts --idp-metadata, whose entity ID is {}",
                    idp.entity_id
                )));
            }
            _ => issuer = Some(idp.entity_id.clone()),
        }
        certificates.extend(idp.signing_certificates);
    }
    if certificates.is_empty() {
        return Err(Exit::Usage("no IdP certificate: pass --cert FILE or --idp-metadata FILE".into()));
    }
    let mut v = match (&args.heroku, &args.sp_metadata, &args.audience, &args.acs) {
        (Some(org), ..) => Validator::heroku(org, certificates)?,
        (None, Some(path), ..) => {
            let sp = SpMetadata::parse(&read_text(path)?).map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?;
            let acs = sp
                .default_post_acs()
                .map(|a| a.location.clone())
                .ok_or_else(|| Exit::Usage(format!("{}: no HTTP-POST AssertionConsumerService", shown(path))))?;
            Validator::new(sp.entity_id, acs, certificates)?
        }
        (None, None, Some(audience), Some(acs)) => Validator::new(audience.clone(), acs.clone(), certificates)?,
        _ => {
            return Err(Exit::Usage(
                "no SP: pass --heroku ORG, --sp-metadata FILE, or --audience URI --acs URL".into(),
            ));
        }
    };
    v = v.clock(crate::input::clock(args.now.as_deref())?);
    if let Some(issuer) = issuer {
        v = v.issuer(issuer);
    }
    if let Some(id) = &args.in_response_to {
        v = v.expect_in_response_to(id.clone());
    }
    if args.allow_unsolicited {
        v = v.allow_unsolicited(true);
    }
    if let Some(path) = &args.decrypt_key {
        v = v.decryption_key(
            DecryptionKey::from_pem_or_der(&read(path)?).map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))?,
        );
    }
    // The opt-ins, each a flag of the same words as its Validator method.
    type OptIn = fn(Validator) -> Validator;
    let flags: [(bool, OptIn); 8] = [
        (args.allow_sha1, Validator::insecure_allow_sha1),
        (args.allow_response_signature_only, |v| v.allow_response_signature_only(true)),
        (args.insecure_allow_comments_in_identity, Validator::insecure_allow_comments_in_identity),
        (args.insecure_allow_rsa_1024, Validator::insecure_allow_rsa_1024),
        (args.insecure_allow_no_audience, Validator::insecure_allow_no_audience),
        (args.allow_missing_destination, Validator::allow_missing_destination),
        (args.require_certificate_validity, Validator::require_certificate_validity),
        (args.insecure_allow_cbc, Validator::insecure_allow_cbc),
    ];
    for (on, apply) in flags {
        if on {
            v = apply(v);
        }
    }
    Ok(v)
}

/// The SAMLResponse value of an `application/x-www-form-urlencoded` body, if the input is one.
fn form_value(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    if !text.starts_with("SAMLResponse=") && !text.contains("&SAMLResponse=") {
        return None;
    }
    form_urlencoded::parse(text.as_bytes()).find(|(k, _)| k == "SAMLResponse").map(|(_, v)| v.into_owned())
}

/// Every reason on stderr: one line each, or one JSON object with `--json`.
fn report(error: &Error, json: bool) {
    let (category, failures): (&str, Vec<(String, String)>) = match error {
        Error::Validation(v) => ("validation", v.failures.iter().map(|f| (kind(f), f.to_string())).collect()),
        Error::Verify(e) => ("signature", vec![(kind(e), e.to_string())]),
        Error::Xml(e) => ("xml", vec![(kind(e), e.to_string())]),
        Error::Encryption(e) => ("encryption", vec![(kind(e), e.to_string())]),
        other => ("other", vec![(kind(other), other.to_string())]),
    };
    if json {
        let failures: Vec<serde_json::Value> =
            failures.iter().map(|(k, m)| serde_json::json!({"check": k, "message": m})).collect();
        eprintln!("{}", serde_json::json!({"refused": category, "failures": failures}));
    } else {
        eprintln!("refused ({category}): {} check(s) failed", failures.len());
        for (_, message) in &failures {
            eprintln!("- {message}");
        }
    }
}

/// An error's variant name (`Expired`, `BadSignature`), from its Debug form.
fn kind(error: &impl std::fmt::Debug) -> String {
    let debug = format!("{error:?}");
    debug.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_give_their_saml_response() {
        assert_eq!(form_value(b"SAMLResponse=PHg%2B&RelayState=r").as_deref(), Some("PHg+"));
        assert_eq!(form_value(b"RelayState=r&SAMLResponse=a+b").as_deref(), Some("a b"));
        assert_eq!(form_value(b"<samlp:Response/>"), None);
        assert_eq!(form_value(b"PHg+"), None);
        assert_eq!(form_value(&[0xff]), None);
    }

    #[test]
    fn kinds_are_variant_names() {
        assert_eq!(kind(&samlkit::error::VerifyError::DigestMismatch { element: "Assertion" }), "DigestMismatch");
        assert_eq!(kind(&samlkit::error::VerifyError::Unsigned { element: "Assertion" }), "Unsigned");
    }
}
