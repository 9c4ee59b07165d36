//! PEM (RFC 7468), read and written by the `pem-rfc7468` crate.
//!
//! Key files and settings JSON are laxer than RFC 7468's strict grammar, which that crate
//! implements: text around the block (OpenSSL's explanatory lines), indentation, CRLF, lines of
//! any width or a body on one line, and RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, the mark of
//! an encrypted legacy key). [`read_pem`] finds the first block, lays its body out the strict
//! way, and lets the crate check the boundaries, the label and the base64.

use pem_rfc7468::LineEnding;
use zeroize::Zeroizing;

/// One PEM block: its label, whether it had RFC 1421 headers, and its decoded body.
pub(crate) struct PemBlock {
    pub label: String,
    pub headers: bool,
    pub der: Zeroizing<Vec<u8>>,
}

const BEGIN: &str = "-----BEGIN ";
const DASHES: &str = "-----";

/// The first PEM block of `text`, or None when there is none or its body is not base64.
pub(crate) fn read_pem(text: &str) -> Option<PemBlock> {
    let start = text.find(BEGIN)? + BEGIN.len();
    let label_len = text[start..].find(DASHES)?;
    let label = &text[start..start + label_len];
    let body_start = start + label_len + DASHES.len();
    let end_marker = format!("-----END {label}-----");
    let body = &text[body_start..body_start + text[body_start..].find(&end_marker)?];
    let mut headers = false;
    let mut base64 = Zeroizing::new(String::with_capacity(body.len()));
    for line in body.lines() {
        if line.contains(':') {
            headers = true;
        } else {
            base64.extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
        }
    }
    let mut strict = Zeroizing::new(String::with_capacity(base64.len() + 2 * end_marker.len() + base64.len() / 64));
    strict.push_str(BEGIN);
    strict.push_str(label);
    strict.push_str(DASHES);
    strict.push('\n');
    for line in base64.as_bytes().chunks(pem_rfc7468::BASE64_WRAP_WIDTH) {
        strict.push_str(std::str::from_utf8(line).ok()?);
        strict.push('\n');
    }
    strict.push_str(&end_marker);
    strict.push('\n');
    let (label, der) = pem_rfc7468::decode_vec(strict.as_bytes()).ok()?;
    Some(PemBlock { label: label.to_owned(), headers, der: Zeroizing::new(der) })
}

/// `der` as a PEM block with `label`, 64 columns, LF line ends.
pub(crate) fn encode(label: &'static str, der: &[u8]) -> String {
    // Fails only for an invalid label; every caller passes a constant one.
    pem_rfc7468::encode_string(label, LineEnding::LF, der).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = include_str!("../../tests/data/keys/rsa-2048.cert.pem");

    fn der_len(text: &str) -> Option<usize> {
        read_pem(text).map(|b| b.der.len())
    }

    #[test]
    fn lenient_layouts_read_the_same_bytes() {
        let expected = read_pem(CERT).unwrap();
        assert_eq!(expected.label, "CERTIFICATE");
        assert!(!expected.headers);
        let body: String = CERT.lines().filter(|l| !l.starts_with(DASHES)).collect();
        let wrapped = |width: usize| {
            let lines: Vec<&str> = body.as_bytes().chunks(width).map(|c| std::str::from_utf8(c).unwrap()).collect();
            format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
        };
        for layout in [
            CERT.replace('\n', "\r\n"),
            CERT.lines().map(|l| format!("   {l}  \n")).collect(),
            format!("subject=CN=samlkit\nissuer=CN=samlkit\n{CERT}trailing text"),
            format!("-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----"),
            format!("-----BEGIN CERTIFICATE----- {} -----END CERTIFICATE-----", body.replace('A', "A ")),
            wrapped(76),
            wrapped(63),
            format!("{CERT}{CERT}"),
            CERT.trim_end().to_owned(),
        ] {
            let block = read_pem(&layout).unwrap_or_else(|| panic!("refused:\n{layout}"));
            assert_eq!(block.der, expected.der, "{layout}");
        }
    }

    #[test]
    fn headers_are_reported() {
        let block = read_pem(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        )
        .unwrap();
        assert!(block.headers);
        assert_eq!(block.label, "RSA PRIVATE KEY");
    }

    #[test]
    fn malformed_blocks_are_none() {
        assert_eq!(der_len("no block here"), None);
        assert_eq!(der_len("-----BEGIN CERTIFICATE-----\nAAAA\n"), None, "no END line");
        assert_eq!(der_len("-----BEGIN CERTIFICATE-----\nAAAA\n-----END KEY-----\n"), None, "END of another label");
        assert_eq!(der_len("-----BEGIN CERTIFICATE-----\nA*AA\n-----END CERTIFICATE-----\n"), None, "not base64");
        assert_eq!(der_len("-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"), None, "bad padding");
        assert_eq!(der_len("-----BEGIN -----\nAAAA\n-----END -----\n"), Some(3), "empty label is RFC 7468's");
        assert_eq!(der_len("-----BEGIN CERTIFICATE"), None, "cut in the label");
    }

    #[test]
    fn encode_is_rfc_7468() {
        let der = read_pem(CERT).unwrap().der;
        assert_eq!(encode("CERTIFICATE", &der), CERT.replace("\r\n", "\n"));
    }
}
