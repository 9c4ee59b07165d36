//! `samlkit keygen`: a private key and a self-signed certificate for an IdP (or a test SP).

use crate::{Exit, Outcome};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, RsaKeySize};
use samlkit::IdpKey;
use std::path::PathBuf;

/// A private key (PKCS#8 PEM, file mode 0600) and a self-signed certificate (PEM), as `key.pem`
/// and `cert.pem` in the output folder.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit keygen --out-dir idp                      # RSA-2048, CN samlkit, 365 days
  samlkit keygen --out-dir idp --rsa 4096 --cn acme.auth0.com --days 3650
  samlkit keygen --out-dir idp --ec p256             # for ecdsa-sha256 settings")]
pub struct Args {
    /// Where key.pem and cert.pem go (created if missing; existing files are not replaced).
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// An RSA key of this size (the default, 2048).
    #[arg(long, value_name = "BITS", value_parser = ["2048", "3072", "4096"], conflicts_with = "ec")]
    rsa: Option<String>,
    /// An EC key on this curve.
    #[arg(long, value_name = "CURVE", value_parser = ["p256"])]
    ec: Option<String>,
    /// The certificate's subject common name.
    #[arg(long, value_name = "NAME", default_value = "samlkit")]
    cn: String,
    /// The certificate's validity, in days from now.
    #[arg(long, value_name = "N", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=36500))]
    days: u32,
}

pub fn run(args: Args) -> Outcome {
    let key = match (args.ec.as_deref(), args.rsa.as_deref()) {
        (Some(_), _) => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
        (None, bits) => {
            let size = match bits {
                Some("3072") => RsaKeySize::_3072,
                Some("4096") => RsaKeySize::_4096,
                _ => RsaKeySize::_2048,
            };
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, size)?
        }
    };
    let certificate = self_signed(&key, &args.cn, args.days)?;

    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Exit::Usage(format!("cannot create {}: {e}", args.out_dir.display())))?;
    let (key_path, cert_path) = (args.out_dir.join("key.pem"), args.out_dir.join("cert.pem"));
    for path in [&key_path, &cert_path] {
        if path.exists() {
            return Err(Exit::Usage(format!("{} exists: keygen does not replace keys", path.display())));
        }
    }
    write_private(&key_path, &key.serialize_pem())?;
    std::fs::write(&cert_path, certificate.pem())
        .map_err(|e| Exit::Usage(format!("cannot write {}: {e}", cert_path.display())))?;
    eprintln!("wrote {} (private, mode 0600) and {}", key_path.display(), cert_path.display());
    Ok(())
}

/// A self-signed certificate for `key`: subject CN `cn`, valid from five minutes ago for `days`.
pub fn self_signed(key: &KeyPair, cn: &str, days: u32) -> Result<rcgen::Certificate, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cn);
    params.distinguished_name = name;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::minutes(5);
    params.not_after = now + time::Duration::days(i64::from(days));
    params.self_signed(key)
}

/// A fresh RSA-2048 key with a self-signed certificate (CN `cn`, 365 days): the key, and the
/// certificate's PEM.
pub fn mint_rsa(cn: &str) -> Result<(IdpKey, String), Exit> {
    let pair = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048)?;
    let cert = self_signed(&pair, cn, 365)?.pem();
    Ok((IdpKey::from_pem_or_der(pair.serialize_pem().as_bytes(), cert.as_bytes())?, cert))
}

/// Creates `path` readable by its owner only, then writes `text`.
fn write_private(path: &std::path::Path, text: &str) -> Outcome {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| Exit::Usage(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(text.as_bytes()).map_err(|e| Exit::Usage(format!("cannot write {}: {e}", path.display())))
}
