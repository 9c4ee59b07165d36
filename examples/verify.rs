//! Verifies a SAML Response as Heroku would and prints what it says.
//!
//! ```text
//! cargo run --example verify -- --cert idp-cert.pem --heroku acme [--now RFC3339] [--allow-sha1]
//!     [--in-response-to ID] [--issuer URI] [--decrypt-key SP-KEY] FILE
//! ```
//! `--decrypt-key`: the SP's private key (PEM or DER), to decrypt a `saml:EncryptedAssertion`.
//! FILE holds the Response XML, or its base64 as posted in `SAMLResponse`. On success the
//! verified assertion is printed as JSON on stdout (exit 0); otherwise every failed check is
//! printed on stderr (exit 1). Bad arguments: one line on stderr, exit 2.

use samlkit::Certificate;
use samlkit::Error;
use samlkit::clock::FixedClock;
use samlkit::validate::Validator;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

struct Args {
    certs: Vec<String>,
    org: String,
    now: Option<String>,
    allow_sha1: bool,
    in_response_to: Option<String>,
    issuer: Option<String>,
    decrypt_key: Option<String>,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let (mut certs, mut org, mut now, mut allow_sha1, mut in_response_to, mut issuer, mut file) =
        (Vec::new(), None, None, false, None, None, None);
    let mut decrypt_key = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--cert" => certs.push(value()?),
            "--heroku" => org = Some(value()?),
            "--now" => now = Some(value()?),
            "--allow-sha1" => allow_sha1 = true,
            "--in-response-to" => in_response_to = Some(value()?),
            "--issuer" => issuer = Some(value()?),
            "--decrypt-key" => decrypt_key = Some(value()?),
            "-h" | "--help" => {
                return Err("usage: verify --cert FILE --heroku ORG [--now RFC3339] [--allow-sha1] [--in-response-to ID] [--issuer URI] [--decrypt-key SP-KEY] FILE".into());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown argument `{flag}` (try --help)")),
            path if file.is_none() => file = Some(path.to_owned()),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    Ok(Args {
        certs: if certs.is_empty() { return Err("--cert is required".into()) } else { certs },
        org: org.ok_or("--heroku ORG is required")?,
        now,
        allow_sha1,
        in_response_to,
        issuer,
        decrypt_key,
        file: file.ok_or("the response FILE is required")?,
    })
}

fn run() -> Result<ExitCode, String> {
    let args = parse_args()?;
    let mut certificates = Vec::new();
    for path in &args.certs {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        certificates.push(Certificate::from_pem_or_der(&bytes).map_err(|e| format!("{path}: {e}"))?);
    }
    let input = std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file))?;
    let mut validator = Validator::heroku(&args.org, certificates).map_err(|e| e.to_string())?;
    if let Some(now) = &args.now {
        validator = validator.clock(Arc::new(FixedClock::rfc3339(now).map_err(|e| format!("--now: {e}"))?));
    }
    if args.allow_sha1 {
        validator = validator.insecure_allow_sha1();
    }
    if let Some(id) = &args.in_response_to {
        validator = validator.expect_in_response_to(id.clone());
    }
    if let Some(issuer) = &args.issuer {
        validator = validator.issuer(issuer.clone());
    }
    if let Some(path) = &args.decrypt_key {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let key = samlkit::encryption::DecryptionKey::from_pem_or_der(&bytes).map_err(|e| format!("{path}: {e}"))?;
        validator = validator.decryption_key(key);
    }
    match validator.validate(&input) {
        Ok(assertion) => {
            let json = serde_json::to_string_pretty(&assertion).map_err(|e| e.to_string())?;
            // A closed stdout (`| head`) is an error message, not a panic.
            writeln!(std::io::stdout().lock(), "{json}").map_err(|e| format!("cannot write to stdout: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Validation(v)) => {
            eprintln!("{} check(s) failed:", v.failures.len());
            for failure in &v.failures {
                eprintln!("- {failure}");
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => {
            eprintln!("rejected: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn main() -> ExitCode {
    run().unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })
}
