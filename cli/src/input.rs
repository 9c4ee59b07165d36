//! Reading inputs (files or `-` for stdin), writing outputs, and the small shared pieces:
//! certificates, fingerprints, the clock.

use crate::Exit;
use samlkit::Certificate;
use samlkit::clock::{Clock, FixedClock, SystemClock};
use sha2::Digest as _;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::sync::Arc;

/// The bytes of `path`, or of stdin for `-`.
pub fn read(path: &Path) -> Result<Vec<u8>, Exit> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| Exit::Usage(format!("cannot read stdin: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| Exit::Usage(format!("cannot read {}: {e}", path.display())))
}

/// The text of `path` (or stdin), which must be UTF-8.
pub fn read_text(path: &Path) -> Result<String, Exit> {
    String::from_utf8(read(path)?).map_err(|_| Exit::Usage(format!("{} is not UTF-8 text", shown(path))))
}

/// A certificate (PEM or DER) from `path`.
pub fn certificate(path: &Path) -> Result<Certificate, Exit> {
    Certificate::from_pem_or_der(&read(path)?).map_err(|e| Exit::Usage(format!("{}: {e}", shown(path))))
}

/// `text` into `out`, or on stdout. A closed stdout (`| head`) is an error, not a panic.
pub fn write_out(out: Option<&Path>, text: &str) -> Result<(), Exit> {
    match out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Exit::Usage(format!("cannot write {}: {e}", path.display())))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{}", text.trim_end_matches('\n'))
                .and_then(|()| stdout.flush())
                .map_err(|e| Exit::Usage(format!("cannot write to stdout: {e}")))
        }
    }
}

/// The SHA-256 fingerprint of a certificate's DER, as OpenSSL prints it (`AB:CD:…`).
pub fn fingerprint(certificate: &Certificate) -> String {
    let digest = sha2::Sha256::digest(certificate.der());
    digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The clock `--now` names (RFC 3339), else the system clock.
pub fn clock(now: Option<&str>) -> Result<Arc<dyn Clock>, Exit> {
    Ok(match now {
        Some(t) => Arc::new(FixedClock::rfc3339(t).map_err(|e| Exit::Usage(format!("--now: {e}")))?),
        None => Arc::new(SystemClock),
    })
}

/// A path as the user typed it (`stdin` for `-`).
pub fn shown(path: &Path) -> String {
    if path == Path::new("-") { "stdin".to_owned() } else { path.display().to_string() }
}
