//! Interop for encrypted assertions with the reference implementation, the `xmlsec1` command:
//! it decrypts what samlkit encrypts (every algorithm pair), and samlkit decrypts what
//! `xmlsec1 --encrypt` produced from a template (the committed fixture under
//! `tests/data/encryption/`, and a fresh run of the same template).
//!
//! These tests need `xmlsec1` (`apt-get install xmlsec1`), so they are `#[ignore]` for a plain
//! `cargo test`; `.ci/run` installs it and runs them with `--ignored`. Without the command they
//! fail, they do not skip.

mod common;

use common::{data, key};
use samlkit::Certificate;
use samlkit::claims::map_profile;
use samlkit::clock::FixedClock;
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::encryption::{ContentAlgorithm, DecryptionKey, Encryption, EncryptionKey, KeyTransport};
use samlkit::low_level::ResponseBuilder;
use samlkit::settings::AddonSettings;
use samlkit::validate::{Signed, Validator};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const EMAIL: &str = "jane.doe@example.com";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samlkit-xmlsec1-enc-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn keys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys")
}

fn xmlsec1(args: &[&str]) -> std::process::Output {
    Command::new("xmlsec1").args(args).output().expect("the xmlsec1 command is needed: apt-get install xmlsec1")
}

fn validator(now: &str) -> Validator {
    let cert = Certificate::from_pem_or_der(&data("keys/rsa-2048.cert.pem")).unwrap();
    Validator::heroku("acme", vec![cert])
        .unwrap()
        .clock(Arc::new(FixedClock::rfc3339(now).unwrap()))
        .decryption_key(DecryptionKey::from_pem_or_der(&data("keys/other-2048.pkcs8.pem")).unwrap())
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn xmlsec1_decrypts_every_algorithm_pair() {
    let dir = scratch("decrypt");
    let privkey = keys_dir().join("other-2048.pkcs8.pem");
    let mut s = AddonSettings::heroku("acme");
    s.signature_algorithm = SignatureAlgorithm::RsaSha256;
    s.digest_algorithm = DigestAlgorithm::Sha256;
    s.sign_response = true;
    let claims = map_profile(&s, &serde_json::json!({ "email": EMAIL })).unwrap();
    let plain = ResponseBuilder::new(&s).issuer("urn:acme.auth0.com").build(&claims, &key(2048)).unwrap().xml;
    assert!(plain.contains("<saml:Assertion "));
    for content in ContentAlgorithm::ALL {
        for transport in KeyTransport::ALL {
            let sp = EncryptionKey::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap();
            let mut e = Encryption::new(sp).content_algorithm(content).key_transport(transport);
            if content.is_cbc() {
                e = e.insecure_allow_cbc();
            }
            let xml = ResponseBuilder::new(&s).issuer("urn:acme.auth0.com").encrypt_for(&e).build(&claims, &key(2048));
            let xml = xml.unwrap().xml;
            let name = format!("{}-{}", content.name(), transport.uri().rsplit('#').next().unwrap());
            let file = dir.join(format!("{name}.xml"));
            // The Response signature, over the EncryptedAssertion, verifies with xmlsec1.
            let signed = dir.join(format!("{name}.signed.xml"));
            std::fs::write(&signed, &xml).unwrap();
            let idp_cert = keys_dir().join("rsa-2048.cert.pem");
            let verify = xmlsec1(&[
                "--verify",
                "--pubkey-cert-pem",
                idp_cert.to_str().unwrap(),
                "--enabled-key-data",
                "key-name",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:protocol:Response",
                signed.to_str().unwrap(),
            ]);
            assert!(verify.status.success(), "xmlsec1 --verify {name}: {}", String::from_utf8_lossy(&verify.stderr));
            let xml = match transport {
                KeyTransport::RsaOaepMgf1p => xml,
                // xmlsec1 1.2.x does not know xmlenc11#rsa-oaep (1.3 added it): openssl unwraps
                // the content key (OAEP SHA-256, MGF1-SHA-256) and re-wraps it as rsa-oaep-mgf1p
                // for xmlsec1, which then decrypts the content samlkit wrote.
                _ => rewrap_for_xmlsec1_12(&xml, &dir, &name),
            };
            std::fs::write(&file, &xml).unwrap();
            let out = xmlsec1(&["--decrypt", "--privkey-pem", privkey.to_str().unwrap(), file.to_str().unwrap()]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "xmlsec1 --decrypt failed on {content} / {transport} ({}): {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            // The plaintext is the signed Assertion, byte for byte as samlkit wrote it.
            let start = stdout.find("<saml:Assertion ").expect("an Assertion in xmlsec1's output");
            let end = stdout.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
            let decrypted = &stdout[start..end];
            assert!(decrypted.contains(EMAIL) && decrypted.contains("<Signature xmlns="), "{content} {transport}");
        }
    }
}

fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the openssl command is needed");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Unwraps the xmlenc11 rsa-oaep (SHA-256, MGF1-SHA-256) EncryptedKey with openssl, checks the
/// content key size, and re-wraps it with rsa-oaep-mgf1p.
fn rewrap_for_xmlsec1_12(xml: &str, dir: &Path, name: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (open, close) = ("<xenc:CipherValue>", "</xenc:CipherValue>");
    let start = xml.find(open).unwrap() + open.len();
    let end = xml[start..].find(close).unwrap() + start;
    let wrapped = b64.decode(&xml[start..end]).unwrap();
    let privkey = keys_dir().join("other-2048.pkcs8.pem");
    let key = openssl(
        &[
            "pkeyutl",
            "-decrypt",
            "-inkey",
            privkey.to_str().unwrap(),
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            "rsa_oaep_md:sha256",
            "-pkeyopt",
            "rsa_mgf1_md:sha256",
        ],
        &wrapped,
    );
    assert!(key.len() == 16 || key.len() == 32, "{name}: content key of {} bytes", key.len());
    let cert = keys_dir().join("other-2048.cert.pem");
    let rewrapped = openssl(
        &[
            "pkeyutl",
            "-encrypt",
            "-certin",
            "-inkey",
            cert.to_str().unwrap(),
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            "rsa_oaep_md:sha1",
            "-pkeyopt",
            "rsa_mgf1_md:sha1",
        ],
        &key,
    );
    std::fs::write(dir.join(format!("{name}.original.xml")), xml).unwrap();
    let method = "<xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2009/xmlenc11#rsa-oaep\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod><xenc11:MGF xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\" Algorithm=\"http://www.w3.org/2009/xmlenc11#mgf1sha256\"></xenc11:MGF></xenc:EncryptionMethod>";
    assert!(xml.contains(method), "{name}: the xmlenc11 EncryptionMethod as the design notes give it");
    let mgf1p = "<xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"></ds:DigestMethod></xenc:EncryptionMethod>";
    format!("{}{}{}", &xml[..start], b64.encode(rewrapped), &xml[end..]).replace(method, mgf1p)
}

/// `xmlsec1 --encrypt` fills the template's EncryptedData with the signed assertion; the
/// Response around it is put together as `tests/data/encryption/make.sh` does.
fn xmlsec1_encrypt(dir: &Path) -> String {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/encryption");
    let out = dir.join("encrypted-data.xml");
    let result = xmlsec1(&[
        "--encrypt",
        "--pubkey-cert-pem",
        keys_dir().join("other-2048.cert.pem").to_str().unwrap(),
        "--session-key",
        "aes-256",
        "--xml-data",
        fixture.join("assertion.xml").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        fixture.join("template.xml").to_str().unwrap(),
    ]);
    assert!(result.status.success(), "xmlsec1 --encrypt failed: {}", String::from_utf8_lossy(&result.stderr));
    let data = std::fs::read_to_string(out).unwrap();
    let data = data[data.find("<xenc:EncryptedData").unwrap()..].trim_end();
    // The committed response.xml has the same shape: only the ciphertext differs.
    let committed = std::fs::read_to_string(fixture.join("response.xml")).unwrap();
    let head = &committed[..committed.find("<xenc:EncryptedData").unwrap()];
    format!("{head}{data}</saml:EncryptedAssertion></samlp:Response>\n")
}

#[test]
#[ignore = "needs the xmlsec1 command: apt-get install xmlsec1"]
fn samlkit_decrypts_a_fresh_xmlsec1_encryption() {
    let xml = xmlsec1_encrypt(&scratch("encrypt"));
    let a = validator("2026-11-28T15:30:00Z").insecure_allow_sha1().validate(&xml).unwrap();
    assert_eq!(a.name_id.value, EMAIL);
    assert_eq!(a.encryption, Some(ContentAlgorithm::Aes256Gcm));
    assert_eq!(a.signed, Signed { response: false, assertion: true });
}
