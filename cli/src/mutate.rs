//! `samlkit mutate`: the hostile variants of a signed Response a service provider must refuse.

use crate::input::{read, read_text, shown};
use crate::{Exit, Outcome};
use samlkit::IdpKey;
use samlkit::testing::{Keys, mutations};
use std::path::PathBuf;

/// From one valid signed Response, the catalogue of hostile variants a service provider must
/// refuse, one file each, and `manifest.json` (name, what changed, which SP check must refuse
/// it, what samlkit reports).
///
/// With the IdP's key (--idp-key/--idp-cert) the variants that change signed content are
/// re-signed, so only the SP's own checks (expiry, audience, recipient, …) can refuse them;
/// without it they are left out. The attacker's key (--key/--cert) is made on the fly when not
/// given.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit mutate response.xml --out-dir hostile
  samlkit mutate response.xml --out-dir hostile --idp-key idp/key.pem --idp-cert idp/cert.pem
  for f in hostile/*.xml; do my-sp-test \"$f\" && echo \"ACCEPTED $f\"; done")]
pub struct Args {
    /// The valid signed Response (XML or base64), or - for stdin.
    #[arg(value_name = "FILE|-")]
    input: PathBuf,
    /// Where the variants and manifest.json go.
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// The IdP's key, to re-sign the variants only the SP's own checks can refuse.
    #[arg(long, value_name = "FILE", requires = "idp_cert")]
    idp_key: Option<PathBuf>,
    /// The IdP's certificate, with --idp-key.
    #[arg(long, value_name = "FILE", requires = "idp_key")]
    idp_cert: Option<PathBuf>,
    /// The attacker's key (default: one made on the fly).
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// The attacker's certificate, with --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    cert: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let text = read_text(&args.input)?;
    let xml = if text.trim_start().starts_with('<') {
        text
    } else {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, compact.as_bytes())
            .map_err(|_| Exit::Usage(format!("{}: neither XML nor base64", shown(&args.input))))?;
        String::from_utf8(bytes)
            .map_err(|_| Exit::Usage(format!("{}: the base64 is not UTF-8 XML", shown(&args.input))))?
    };
    let key_pair = |key: &PathBuf, cert: &PathBuf| -> Result<IdpKey, Exit> {
        IdpKey::from_pem_or_der(&read(key)?, &read(cert)?)
            .map_err(|e| Exit::Usage(format!("{} / {}: {e}", shown(key), shown(cert))))
    };
    let idp = match (&args.idp_key, &args.idp_cert) {
        (Some(k), Some(c)) => Some(key_pair(k, c)?),
        _ => None,
    };
    let attacker = match (&args.key, &args.cert) {
        (Some(k), Some(c)) => key_pair(k, c)?,
        _ => crate::keygen::mint_rsa("attacker.example")?.0,
    };
    let keys = Keys { idp: idp.as_ref().map(|k| k as &dyn samlkit::SigningKey), attacker: &attacker };
    let variants = mutations(&xml, &keys).map_err(|e| Exit::Usage(format!("{}: {e}", shown(&args.input))))?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Exit::Usage(format!("cannot create {}: {e}", args.out_dir.display())))?;
    let mut manifest = Vec::new();
    for (i, m) in variants.iter().enumerate() {
        let file = format!("{:02}-{}.xml", i + 1, m.name);
        let path = args.out_dir.join(&file);
        std::fs::write(&path, &m.xml).map_err(|e| Exit::Usage(format!("cannot write {}: {e}", path.display())))?;
        let mut entry = serde_json::to_value(m)?;
        entry["file"] = file.into();
        manifest.push(entry);
    }
    let skipped: Vec<&str> = if idp.is_none() {
        vec![
            "expired",
            "not-yet-valid",
            "wrong-audience",
            "wrong-recipient",
            "wrong-destination",
            "wrong-in-response-to",
            "wrong-issuer",
            "sha1-downgrade",
        ]
    } else {
        Vec::new()
    };
    let json = serde_json::json!({
        "variants": manifest,
        "skipped": skipped,
        "skipped_because": if skipped.is_empty() { None } else { Some("these need the IdP's key to be re-signed: pass --idp-key and --idp-cert") },
    });
    let path = args.out_dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json)?)
        .map_err(|e| Exit::Usage(format!("cannot write {}: {e}", path.display())))?;
    eprintln!("wrote {} variants and manifest.json into {}", variants.len(), args.out_dir.display());
    Ok(())
}
