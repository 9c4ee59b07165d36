//! XML Encryption 1.1 for SAML: encrypted assertions (`saml:EncryptedAssertion`).
//!
//! The IdP signs the Assertion, then encrypts it for the SP's RSA key, as Auth0 does when a rule
//! sets `encryptionCert` / `encryptionPublicKey`:
//!
//! ```text
//! <saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
//!   <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">
//!     <xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
//!     <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
//!       <xenc:EncryptedKey>
//!         <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p">
//!           <ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/></xenc:EncryptionMethod>
//!         <ds:KeyInfo><ds:X509Data><ds:X509Certificate>(the SP's certificate)…
//!         <xenc:CipherData><xenc:CipherValue>(the content key, RSA-OAEP encrypted)…
//!       </xenc:EncryptedKey>
//!     </ds:KeyInfo>
//!     <xenc:CipherData><xenc:CipherValue>(IV, ciphertext, tag)…
//! ```
//! (one line in the output, with explicit end tags, so the Response signature can cover it).
//!
//! Content encryption: [`ContentAlgorithm`], AES-GCM by default; AES-CBC only after
//! [`Encryption::insecure_allow_cbc`] (it is not authenticated: see there). Key transport:
//! [`KeyTransport`], RSA-OAEP. Every message gets a fresh random content key and IV from the
//! operating system's CSPRNG.
//!
//! ```
//! use samlkit::encryption::{ContentAlgorithm, Encryption, EncryptionKey, KeyTransport};
//! use samlkit::{claims::map_profile, crypto::RsaSigningKey, response::ResponseBuilder, settings::AddonSettings};
//!
//! let settings = AddonSettings::heroku("acme");
//! let claims = map_profile(&settings, &serde_json::json!({"email": "jane@example.com"}))?;
//! let key = RsaSigningKey::from_pem_or_der(
//!     include_bytes!("../examples/data/demo-idp-key.pem"),
//!     include_bytes!("../examples/data/demo-idp-cert.pem"),
//! )?;
//! // The SP's certificate (or bare public key), PEM or DER.
//! let sp = EncryptionKey::from_pem_or_der(include_bytes!("../tests/data/keys/other-2048.cert.pem"))?;
//! let encryption = Encryption::new(sp)
//!     .content_algorithm(ContentAlgorithm::Aes256Gcm)
//!     .key_transport(KeyTransport::RsaOaepMgf1p);
//! let response = ResponseBuilder::new(&settings)
//!     .issuer("urn:acme.example")
//!     .encrypt_for(&encryption)
//!     .build(&claims, &key)?;
//! assert!(response.xml.contains("<saml:EncryptedAssertion "));
//! assert!(!response.xml.contains("jane@example.com"));
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! The SP side is [`crate::validate::Validator::decryption_key`].

use crate::error::{EncryptionError, Error, KeyError, truncate};
use crate::keys::{Certificate, read_rsa_private_key_of};
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use crate::xml::writer::Writer;
use aes_gcm::aead::{Aead as _, KeyInit as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, KeyIvInit as _, block_padding::NoPadding};
use rsa::traits::PublicKeyParts as _;
use std::fmt;
use zeroize::Zeroizing;

/// The XML Encryption namespace (`xenc:`).
pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The XML Encryption 1.1 namespace (`xenc11:`).
pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
/// `EncryptedData/@Type` for an encrypted element.
pub const TYPE_ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";

const SHA1_URI: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const SHA256_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const MGF1_SHA1_URI: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha1";
const MGF1_SHA256_URI: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

/// At most this many `EncryptedKey` elements are tried for one EncryptedAssertion.
const MAX_ENCRYPTED_KEYS: usize = 4;

/// How the assertion itself is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentAlgorithm {
    /// AES-128-GCM (`http://www.w3.org/2009/xmlenc11#aes128-gcm`).
    Aes128Gcm,
    /// AES-256-GCM (`http://www.w3.org/2009/xmlenc11#aes256-gcm`): the default.
    Aes256Gcm,
    /// AES-128-CBC (`http://www.w3.org/2001/04/xmlenc#aes128-cbc`): legacy, unauthenticated.
    Aes128Cbc,
    /// AES-256-CBC (`http://www.w3.org/2001/04/xmlenc#aes256-cbc`): legacy, unauthenticated
    /// (the default of Auth0's library, for old SPs).
    Aes256Cbc,
}

/// Serialized as its name (`aes256-gcm`).
impl serde::Serialize for ContentAlgorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl ContentAlgorithm {
    /// Every content algorithm.
    pub const ALL: [Self; 4] = [Self::Aes128Gcm, Self::Aes256Gcm, Self::Aes128Cbc, Self::Aes256Cbc];

    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            Self::Aes256Gcm => "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            Self::Aes128Cbc => "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            Self::Aes256Cbc => "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        }
    }

    /// The short name (`aes256-gcm`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "aes128-gcm",
            Self::Aes256Gcm => "aes256-gcm",
            Self::Aes128Cbc => "aes128-cbc",
            Self::Aes256Cbc => "aes256-cbc",
        }
    }

    /// The algorithm with this URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.uri() == uri)
    }

    /// Whether this is one of the unauthenticated CBC modes.
    pub fn is_cbc(self) -> bool {
        matches!(self, Self::Aes128Cbc | Self::Aes256Cbc)
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm | Self::Aes128Cbc => 16,
            Self::Aes256Gcm | Self::Aes256Cbc => 32,
        }
    }
}

impl fmt::Display for ContentAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the content key is encrypted for the SP (key transport).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyTransport {
    /// RSA-OAEP with SHA-1 and MGF1-SHA-1 (`http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p`):
    /// what Auth0 emits and every SP reads. The default.
    RsaOaepMgf1p,
    /// XML Encryption 1.1 RSA-OAEP (`http://www.w3.org/2009/xmlenc11#rsa-oaep`) with a SHA-256
    /// digest and MGF1-SHA-256.
    RsaOaepSha256,
}

impl KeyTransport {
    /// Both key transports.
    pub const ALL: [Self; 2] = [Self::RsaOaepMgf1p, Self::RsaOaepSha256];

    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::RsaOaepMgf1p => "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            Self::RsaOaepSha256 => "http://www.w3.org/2009/xmlenc11#rsa-oaep",
        }
    }

    /// The short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaOaepMgf1p => "rsa-oaep-mgf1p",
            Self::RsaOaepSha256 => "rsa-oaep (sha256, mgf1sha256)",
        }
    }
}

impl fmt::Display for KeyTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The OAEP digest and MGF1 digest of an `EncryptedKey` (decryption accepts these pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Oaep {
    Sha1Mgf1Sha1,
    Sha256Mgf1Sha256,
    Sha256Mgf1Sha1,
}

/// The SP's public key, that assertions are encrypted for: from its certificate (then the
/// certificate goes into the EncryptedKey's KeyInfo, as Auth0 does) or a bare public key.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey {
    public: rsa::PublicKey,
    certificate: Option<Certificate>,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKey")
            .field("bits", &self.public.n().bit_width())
            .field("certificate", &self.certificate)
            .finish()
    }
}

impl EncryptionKey {
    /// The key of the SP's certificate (RSA, at least 2048 bits).
    pub fn from_certificate(certificate: Certificate) -> Result<Self, KeyError> {
        let public = certificate.rsa_public_key().map_err(|_| KeyError::InvalidPublicKey {
            message: "the certificate's key is not RSA (assertions are encrypted with RSA-OAEP)".into(),
        })?;
        check_bits(public)?;
        Ok(Self { public: public.clone(), certificate: Some(certificate) })
    }

    /// A certificate (PEM `CERTIFICATE` or DER) or a bare public key (PEM `PUBLIC KEY`, DER
    /// SubjectPublicKeyInfo, or PEM `RSA PUBLIC KEY`): Auth0's `encryptionCert` or
    /// `encryptionPublicKey`.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        use rsa::pkcs8::spki::DecodePublicKey as _;
        let bare = |public: rsa::PublicKey| -> Result<Self, KeyError> {
            check_bits(&public)?;
            Ok(Self { public, certificate: None })
        };
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.contains("-----BEGIN ") {
                let block = crate::keys::read_pem(text).ok_or_else(|| KeyError::InvalidPublicKey {
                    message: "no PEM block, or its base64 is malformed".into(),
                })?;
                return match block.label.as_str() {
                    "CERTIFICATE" => Self::from_certificate(Certificate::from_der(&block.der)?),
                    "PUBLIC KEY" => bare(rsa::PublicKey::from_public_key_der(&block.der).map_err(|_| {
                        KeyError::InvalidPublicKey { message: "the PUBLIC KEY is not an RSA key".into() }
                    })?),
                    "RSA PUBLIC KEY" => bare(rsa::PublicKey::from_pkcs1_der(&block.der).map_err(|e| {
                        KeyError::InvalidPublicKey { message: format!("malformed RSA PUBLIC KEY: {e}") }
                    })?),
                    other => Err(KeyError::InvalidPublicKey {
                        message: format!("expected a CERTIFICATE or PUBLIC KEY PEM block, found `{}`", truncate(other)),
                    }),
                };
            }
        }
        if let Ok(certificate) = Certificate::from_der(bytes) {
            return Self::from_certificate(certificate);
        }
        match rsa::PublicKey::from_public_key_der(bytes) {
            Ok(public) => bare(public),
            Err(_) => Err(KeyError::InvalidPublicKey {
                message: "neither a certificate nor a public key (PEM or DER)".into(),
            }),
        }
    }

    /// The certificate, when the key came from one.
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }
}

fn check_bits(public: &rsa::PublicKey) -> Result<(), KeyError> {
    let bits = public.n().bit_width() as usize;
    if bits < crate::keys::MIN_RSA_BITS {
        return Err(KeyError::TooSmall { bits, min: crate::keys::MIN_RSA_BITS });
    }
    Ok(())
}

/// What to encrypt assertions with: the SP's key and the algorithms. Defaults: AES-256-GCM and
/// RSA-OAEP (rsa-oaep-mgf1p), as Auth0 recommends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    key: EncryptionKey,
    content: ContentAlgorithm,
    transport: KeyTransport,
    allow_cbc: bool,
}

impl Encryption {
    /// Encryption for `key` with the defaults (aes256-gcm, rsa-oaep-mgf1p).
    pub fn new(key: EncryptionKey) -> Self {
        Self { key, content: ContentAlgorithm::Aes256Gcm, transport: KeyTransport::RsaOaepMgf1p, allow_cbc: false }
    }

    /// The content algorithm (default aes256-gcm). A CBC algorithm also needs
    /// [`Encryption::insecure_allow_cbc`], else encryption fails with
    /// [`EncryptionError::AlgorithmNotAllowed`].
    pub fn content_algorithm(mut self, algorithm: ContentAlgorithm) -> Self {
        self.content = algorithm;
        self
    }

    /// The key transport (default rsa-oaep-mgf1p).
    pub fn key_transport(mut self, transport: KeyTransport) -> Self {
        self.transport = transport;
        self
    }

    /// Allow AES-CBC content encryption, for SPs that cannot decrypt AES-GCM.
    ///
    /// CBC is weak here: it is not authenticated, so whoever can change the ciphertext in
    /// transit and watch how the SP reacts (a padding error, an XML parse error, a signature
    /// error) can decrypt the assertion block by block (Jager and Somorovsky, "How to Break XML
    /// Encryption", CCS 2011). The SP is only safe if the Response signature covers the
    /// EncryptedAssertion and is checked before decryption, or if its errors are uniform.
    /// Prefer AES-GCM; when CBC is unavoidable, also sign the Response (`signResponse`).
    pub fn insecure_allow_cbc(mut self) -> Self {
        self.allow_cbc = true;
        self
    }

    /// The SP's key.
    pub fn key(&self) -> &EncryptionKey {
        &self.key
    }

    /// The content algorithm.
    pub fn content(&self) -> ContentAlgorithm {
        self.content
    }

    /// The key transport.
    pub fn transport(&self) -> KeyTransport {
        self.transport
    }

    /// Encrypts `element` (the text of one XML element, a signed `saml:Assertion`) into a
    /// `saml:EncryptedAssertion` element, returned as text.
    pub fn encrypt_assertion(&self, element: &str) -> Result<String, Error> {
        let mut out = Writer::with_capacity(element.len() * 4 / 3 + 2048);
        self.write_encrypted_assertion(element.as_bytes(), &mut out)?;
        Ok(out.doc)
    }

    /// Writes `<saml:EncryptedAssertion>` holding `plaintext`, encrypted, at the end of `out`.
    /// Every namespace is declared where it is first used and every end tag is explicit, so the
    /// document text is its own exclusive-c14n form (a Response signature can cover it).
    pub(crate) fn write_encrypted_assertion(&self, plaintext: &[u8], out: &mut Writer) -> Result<(), Error> {
        if self.content.is_cbc() && !self.allow_cbc {
            return Err(cbc_not_allowed(self.content.uri(), "call `Encryption::insecure_allow_cbc`").into());
        }
        let key = Zeroizing::new(random_bytes(self.content.key_len())?);
        let cipher = encrypt_content(self.content, &key, plaintext)?;
        let wrapped = self.wrap_key(&key)?;

        let start = out.mark();
        out.markup("<saml:EncryptedAssertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">");
        out.markup("<xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:EncryptionMethod");
        out.attr("Algorithm", self.content.uri(), "xenc:EncryptionMethod")?;
        out.markup("></xenc:EncryptionMethod><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><xenc:EncryptedKey><xenc:EncryptionMethod");
        out.attr("Algorithm", self.transport.uri(), "xenc:EncryptionMethod")?;
        match self.transport {
            KeyTransport::RsaOaepMgf1p => out.markup(
                "><ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"></ds:DigestMethod></xenc:EncryptionMethod>",
            ),
            KeyTransport::RsaOaepSha256 => out.markup(
                "><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod><xenc11:MGF xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\" Algorithm=\"http://www.w3.org/2009/xmlenc11#mgf1sha256\"></xenc11:MGF></xenc:EncryptionMethod>",
            ),
        }
        if let Some(certificate) = &self.key.certificate {
            out.markup("<ds:KeyInfo><ds:X509Data><ds:X509Certificate>");
            out.text(certificate.base64(), "ds:X509Certificate")?;
            out.markup("</ds:X509Certificate></ds:X509Data></ds:KeyInfo>");
        }
        out.markup("<xenc:CipherData><xenc:CipherValue>");
        out.text(&STANDARD.encode(&wrapped), "xenc:CipherValue")?;
        out.markup(
            "</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>",
        );
        out.text(&STANDARD.encode(&cipher), "xenc:CipherValue")?;
        out.markup("</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>");
        debug_assert_eq!(out.doc[start.doc..], out.canon[start.canon..]);
        Ok(())
    }

    fn wrap_key(&self, key: &[u8]) -> Result<Vec<u8>, EncryptionError> {
        let rng = &mut getrandom::SysRng;
        let result = match self.transport {
            KeyTransport::RsaOaepMgf1p => self.key.public.encrypt(rng, rsa::Oaep::<sha1::Sha1>::new(), key),
            KeyTransport::RsaOaepSha256 => self.key.public.encrypt(rng, rsa::Oaep::<sha2::Sha256>::new(), key),
        };
        result.map_err(|e| EncryptionError::Encrypt { message: format!("RSA-OAEP: {e}") })
    }
}

fn cbc_not_allowed(uri: &str, hint: &'static str) -> EncryptionError {
    EncryptionError::AlgorithmNotAllowed { algorithm: truncate(uri), hint }
}

fn random_bytes(n: usize) -> Result<Vec<u8>, EncryptionError> {
    let mut out = vec![0u8; n];
    getrandom::fill(&mut out)
        .map_err(|e| EncryptionError::Encrypt { message: format!("the operating system's random source: {e}") })?;
    Ok(out)
}

/// GCM: IV (12) || ciphertext || tag (16). CBC: IV (16) || ciphertext, with XML Encryption
/// padding (random bytes, then the pad length).
fn encrypt_content(algorithm: ContentAlgorithm, key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, EncryptionError> {
    let failed = |_: cbc::cipher::InvalidLength| EncryptionError::Encrypt {
        message: format!("{algorithm}: bad key or IV length"),
    };
    match algorithm {
        ContentAlgorithm::Aes128Gcm | ContentAlgorithm::Aes256Gcm => {
            let iv = random_bytes(12)?;
            let nonce = aes_gcm::Nonce::try_from(iv.as_slice())
                .map_err(|_| EncryptionError::Encrypt { message: format!("{algorithm}: bad IV length") })?;
            let sealed = if algorithm == ContentAlgorithm::Aes128Gcm {
                aes_gcm::Aes128Gcm::new_from_slice(key).map_err(failed)?.encrypt(&nonce, plaintext)
            } else {
                aes_gcm::Aes256Gcm::new_from_slice(key).map_err(failed)?.encrypt(&nonce, plaintext)
            };
            let sealed = sealed.map_err(|_| EncryptionError::Encrypt { message: format!("{algorithm} failed") })?;
            let mut out = iv;
            out.extend_from_slice(&sealed);
            Ok(out)
        }
        ContentAlgorithm::Aes128Cbc | ContentAlgorithm::Aes256Cbc => {
            let iv = random_bytes(16)?;
            let pad = 16 - plaintext.len() % 16;
            let mut buf = Zeroizing::new(Vec::with_capacity(plaintext.len() + pad));
            buf.extend_from_slice(plaintext);
            buf.extend_from_slice(&random_bytes(pad - 1)?);
            buf.push(pad as u8);
            let len = buf.len();
            let done = if algorithm == ContentAlgorithm::Aes128Cbc {
                cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv)
                    .map_err(failed)?
                    .encrypt_padded::<NoPadding>(&mut buf, len)
                    .is_ok()
            } else {
                cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &iv)
                    .map_err(failed)?
                    .encrypt_padded::<NoPadding>(&mut buf, len)
                    .is_ok()
            };
            if !done {
                return Err(EncryptionError::Encrypt { message: format!("{algorithm} failed") });
            }
            let mut out = iv;
            out.extend_from_slice(&buf);
            Ok(out)
        }
    }
}

/// The content decrypted: `None` for every failure (one outcome, whatever failed).
fn decrypt_content(algorithm: ContentAlgorithm, key: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    match algorithm {
        ContentAlgorithm::Aes128Gcm | ContentAlgorithm::Aes256Gcm => {
            if data.len() < 12 + 16 {
                return None;
            }
            let (iv, body) = data.split_at(12);
            let nonce = aes_gcm::Nonce::try_from(iv).ok()?;
            let opened = if algorithm == ContentAlgorithm::Aes128Gcm {
                aes_gcm::Aes128Gcm::new_from_slice(key).ok()?.decrypt(&nonce, body)
            } else {
                aes_gcm::Aes256Gcm::new_from_slice(key).ok()?.decrypt(&nonce, body)
            };
            opened.ok().map(Zeroizing::new)
        }
        ContentAlgorithm::Aes128Cbc | ContentAlgorithm::Aes256Cbc => {
            if data.len() < 32 || !data.len().is_multiple_of(16) {
                return None;
            }
            let (iv, body) = data.split_at(16);
            let mut buf = Zeroizing::new(body.to_vec());
            let ok = if algorithm == ContentAlgorithm::Aes128Cbc {
                cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                    .ok()?
                    .decrypt_padded::<NoPadding>(&mut buf)
                    .is_ok()
            } else {
                cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                    .ok()?
                    .decrypt_padded::<NoPadding>(&mut buf)
                    .is_ok()
            };
            // XML Encryption padding: the last byte is the pad length (1 to 16); the other pad
            // bytes are arbitrary. One combined check, no early exit on which part failed.
            let pad = usize::from(buf[buf.len() - 1]);
            let valid = ok & (1..=16).contains(&pad);
            let keep = if valid { buf.len() - pad } else { 0 };
            buf.truncate(keep);
            valid.then_some(buf)
        }
    }
}

/// The SP's private key, that decrypts encrypted assertions (RSA, at least 2048 bits). With the
/// `aws-lc-rs` feature, RSA-OAEP decryption runs in AWS-LC (for the digest pairs it has, SHA-1
/// and SHA-256 each with the same MGF1 digest); otherwise, and for the rest, in the `rsa` crate,
/// blinded. The key is wiped from memory when dropped, and `Debug` never prints it.
pub struct DecryptionKey {
    key: rsa::PrivateKey,
    /// AWS-LC's copy; `None` for a key AWS-LC refuses (under 2048 bits).
    #[cfg(feature = "aws-lc-rs")]
    aws: Option<aws_lc_rs::rsa::OaepPrivateDecryptingKey>,
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey").field("key", &"<redacted>").field("bits", &self.key.n().bit_width()).finish()
    }
}

impl DecryptionKey {
    /// The SP's private key, PEM or DER (PKCS#1 or PKCS#8, not encrypted), of at least 1024
    /// bits. A key under 2048 bits loads, but the `Validator` refuses it unless
    /// `insecure_allow_rsa_1024()` is set.
    pub fn from_pem_or_der(key: &[u8]) -> Result<Self, KeyError> {
        let key = read_rsa_private_key_of(key, 1024)?;
        #[cfg(feature = "aws-lc-rs")]
        {
            use rsa::pkcs8::EncodePrivateKey as _;
            let aws = if key.n().bit_width() as usize >= crate::keys::MIN_RSA_BITS {
                let pkcs8 = key.to_pkcs8_der().map_err(|e| KeyError::InvalidKey {
                    message: format!("cannot re-encode the key for AWS-LC: {e}"),
                })?;
                let aws = aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(pkcs8.as_bytes())
                    .ok()
                    .and_then(|k| aws_lc_rs::rsa::OaepPrivateDecryptingKey::new(k).ok())
                    .ok_or_else(|| KeyError::InvalidKey { message: "AWS-LC refuses the key".into() })?;
                Some(aws)
            } else {
                None
            };
            Ok(Self { key, aws })
        }
        #[cfg(not(feature = "aws-lc-rs"))]
        Ok(Self { key })
    }

    /// The size of the key's modulus in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bit_width() as usize
    }

    fn public(&self) -> &rsa::PublicKey {
        self.key.as_public_key()
    }

    /// RSA-OAEP decryption of a content key; `None` on any failure.
    fn unwrap_key(&self, oaep: Oaep, wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        #[cfg(feature = "aws-lc-rs")]
        {
            let algorithm = match oaep {
                Oaep::Sha1Mgf1Sha1 => Some(&aws_lc_rs::rsa::OAEP_SHA1_MGF1SHA1),
                Oaep::Sha256Mgf1Sha256 => Some(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256),
                Oaep::Sha256Mgf1Sha1 => None,
            };
            if let (Some(algorithm), Some(aws)) = (algorithm, &self.aws) {
                let mut out = Zeroizing::new(vec![0u8; aws.min_output_size()]);
                let n = aws.decrypt(algorithm, wrapped, &mut out, None).ok()?.len();
                out.truncate(n);
                return Some(out);
            }
        }
        let result = match oaep {
            Oaep::Sha1Mgf1Sha1 => self.key.decrypt(rsa::Oaep::<sha1::Sha1>::new(), wrapped),
            Oaep::Sha256Mgf1Sha256 => self.key.decrypt(rsa::Oaep::<sha2::Sha256>::new(), wrapped),
            Oaep::Sha256Mgf1Sha1 => {
                self.key.decrypt(rsa::Oaep::<sha2::Sha256, sha1::Sha1>::new_with_mgf_hash(), wrapped)
            }
        };
        result.ok().map(Zeroizing::new)
    }
}

/// The `rsa` crate wipes the private key's numbers when it is dropped (and AWS-LC its own copy).
impl zeroize::ZeroizeOnDrop for DecryptionKey {}

fn malformed(reason: &'static str) -> EncryptionError {
    EncryptionError::Malformed { reason }
}

fn unsupported(uri: &str) -> EncryptionError {
    EncryptionError::UnsupportedAlgorithm { algorithm: truncate(uri) }
}

fn algorithm_attr(doc: &Document, id: NodeId) -> &str {
    doc.element(id).and_then(|e| e.attribute(None, "Algorithm")).unwrap_or("")
}

fn is(doc: &Document, id: NodeId, namespace: &str, local: &str) -> bool {
    doc.element(id).is_some_and(|e| e.is(namespace, local))
}

/// The base64 content of a CipherValue (no elements, comments or processing instructions).
fn cipher_value(doc: &Document, cipher_data: NodeId) -> Result<Vec<u8>, EncryptionError> {
    let mut children = doc.child_elements(cipher_data);
    let value = match (children.next(), children.next()) {
        (Some(v), None) if is(doc, v, XENC, "CipherValue") => v,
        (Some(v), None) if is(doc, v, XENC, "CipherReference") => {
            return Err(malformed("CipherReference is not supported (the CipherValue must be inline)"));
        }
        _ => return Err(malformed("CipherData must hold exactly one CipherValue")),
    };
    if doc.has_comment_or_pi(value) || doc.child_elements(value).next().is_some() {
        return Err(malformed("CipherValue must hold base64 text only"));
    }
    let text: String = doc.text_content(value).chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(text.as_bytes()).map_err(|_| malformed("CipherValue is not base64"))
}

/// The OAEP parameters of an EncryptedKey's EncryptionMethod.
fn key_transport(doc: &Document, method: NodeId) -> Result<Oaep, EncryptionError> {
    let uri = algorithm_attr(doc, method);
    let (mut digest, mut mgf) = (SHA1_URI, None);
    for child in doc.child_elements(method) {
        if is(doc, child, ns::DSIG, "DigestMethod") {
            digest = algorithm_attr(doc, child);
        } else if is(doc, child, XENC11, "MGF") {
            mgf = Some(algorithm_attr(doc, child));
        } else if is(doc, child, XENC, "OAEPparams") {
            return Err(malformed("OAEPparams (an OAEP label) is not supported"));
        } else if !is(doc, child, XENC, "KeySize") {
            return Err(malformed("unexpected element inside the EncryptedKey's EncryptionMethod"));
        }
    }
    let sha256 = match digest {
        SHA1_URI => false,
        SHA256_URI => true,
        other => return Err(unsupported(other)),
    };
    match uri {
        // mgf1p: MGF1 with SHA-1, whatever the digest.
        u if u == KeyTransport::RsaOaepMgf1p.uri() => {
            if mgf.is_some() {
                return Err(malformed("rsa-oaep-mgf1p takes no MGF element"));
            }
            Ok(if sha256 { Oaep::Sha256Mgf1Sha1 } else { Oaep::Sha1Mgf1Sha1 })
        }
        u if u == KeyTransport::RsaOaepSha256.uri() => match (sha256, mgf.unwrap_or(MGF1_SHA1_URI)) {
            (false, MGF1_SHA1_URI) => Ok(Oaep::Sha1Mgf1Sha1),
            (true, MGF1_SHA1_URI) => Ok(Oaep::Sha256Mgf1Sha1),
            (true, MGF1_SHA256_URI) => Ok(Oaep::Sha256Mgf1Sha256),
            (_, other) => Err(unsupported(other)),
        },
        other => Err(unsupported(other)),
    }
}

/// One EncryptedKey, read: its OAEP parameters and wrapped key, and whether its KeyInfo names a
/// certificate whose key is not ours (then it is for another recipient).
struct WrappedKey {
    oaep: Oaep,
    cipher: Vec<u8>,
    other_recipient: bool,
}

fn read_encrypted_key(doc: &Document, id: NodeId, ours: &rsa::PublicKey) -> Result<WrappedKey, EncryptionError> {
    let (mut method, mut cipher, mut other_recipient) = (None, None, false);
    for child in doc.child_elements(id) {
        if is(doc, child, XENC, "EncryptionMethod") && method.is_none() {
            method = Some(key_transport(doc, child)?);
        } else if is(doc, child, ns::DSIG, "KeyInfo") {
            let certificates = doc
                .descendants(child)
                .filter(|&d| is(doc, d, ns::DSIG, "X509Certificate"))
                .map(|d| Certificate::from_base64(&doc.text_content(d)));
            for certificate in certificates {
                let matches = certificate.ok().is_some_and(|c| c.rsa_public_key().is_ok_and(|k| k == ours));
                other_recipient |= !matches;
            }
        } else if is(doc, child, XENC, "CipherData") && cipher.is_none() {
            cipher = Some(cipher_value(doc, child)?);
        } else if !is(doc, child, XENC, "ReferenceList") && !is(doc, child, XENC, "CarriedKeyName") {
            return Err(malformed("unexpected element inside EncryptedKey"));
        }
    }
    let oaep = method.ok_or(malformed("EncryptedKey has no EncryptionMethod"))?;
    let cipher = cipher.ok_or(malformed("EncryptedKey has no CipherData"))?;
    Ok(WrappedKey { oaep, cipher, other_recipient })
}

/// What decryption gave: the plaintext (UTF-8) and the content algorithm.
pub(crate) struct Decrypted {
    pub(crate) plaintext: Zeroizing<String>,
    pub(crate) algorithm: ContentAlgorithm,
}

/// Decrypts the `saml:EncryptedAssertion` element `encrypted` of `doc`.
///
/// Structure and algorithm problems are reported precisely (they are public). From the RSA
/// decryption on, every failure (wrong key, a content key of the wrong length, a bad GCM tag,
/// bad CBC padding, text that is not UTF-8) is the one [`EncryptionError::Decryption`]; when the
/// RSA step fails, the content is still decrypted with a random key, so both paths do the same
/// work.
pub(crate) fn decrypt_assertion(
    doc: &Document,
    encrypted: NodeId,
    key: &DecryptionKey,
    allow_cbc: bool,
) -> Result<Decrypted, EncryptionError> {
    let mut data = None;
    let mut keys = Vec::new();
    for child in doc.child_elements(encrypted) {
        if is(doc, child, XENC, "EncryptedData") && data.is_none() {
            data = Some(child);
        } else if is(doc, child, XENC, "EncryptedKey") {
            keys.push(child);
        } else {
            return Err(malformed("EncryptedAssertion must hold one EncryptedData and EncryptedKey elements only"));
        }
    }
    let data = data.ok_or(malformed("EncryptedAssertion holds no EncryptedData"))?;
    match doc.element(data).and_then(|e| e.attribute(None, "Type")) {
        None | Some(TYPE_ELEMENT) => {}
        Some(_) => return Err(malformed("EncryptedData Type is not http://www.w3.org/2001/04/xmlenc#Element")),
    }
    let (mut method, mut cipher) = (None, None);
    for child in doc.child_elements(data) {
        if is(doc, child, XENC, "EncryptionMethod") && method.is_none() && cipher.is_none() {
            method = Some(child);
        } else if is(doc, child, ns::DSIG, "KeyInfo") && cipher.is_none() {
            // The EncryptedKey in KeyInfo (Auth0); a sibling of EncryptedData also counts.
            keys.extend(doc.child_elements(child).filter(|&k| is(doc, k, XENC, "EncryptedKey")));
        } else if is(doc, child, XENC, "CipherData") && cipher.is_none() {
            cipher = Some(child);
        } else if !is(doc, child, XENC, "EncryptionProperties") {
            return Err(malformed("unexpected element inside EncryptedData"));
        }
    }
    let method = method.ok_or(malformed("EncryptedData has no EncryptionMethod"))?;
    let uri = algorithm_attr(doc, method);
    let algorithm = ContentAlgorithm::from_uri(uri).ok_or_else(|| unsupported(uri))?;
    if algorithm.is_cbc() && !allow_cbc {
        return Err(cbc_not_allowed(uri, "call `Validator::insecure_allow_cbc` to accept it"));
    }
    let content = cipher_value(doc, cipher.ok_or(malformed("EncryptedData has no CipherData"))?)?;
    if keys.is_empty() {
        return Err(malformed("no EncryptedKey (in EncryptedData/KeyInfo or EncryptedAssertion)"));
    }
    if keys.len() > MAX_ENCRYPTED_KEYS {
        return Err(malformed("more than 4 EncryptedKey elements"));
    }
    let wrapped: Vec<WrappedKey> =
        keys.into_iter().map(|k| read_encrypted_key(doc, k, key.public())).collect::<Result<_, _>>()?;
    let candidates: Vec<&WrappedKey> = wrapped.iter().filter(|w| !w.other_recipient).collect();
    if candidates.is_empty() {
        return Err(EncryptionError::OtherRecipient);
    }

    let content_key =
        candidates.iter().filter_map(|w| key.unwrap_key(w.oaep, &w.cipher)).find(|k| k.len() == algorithm.key_len());
    let (content_key, key_ok) = match content_key {
        Some(k) => (k, true),
        None => (Zeroizing::new(random_bytes(algorithm.key_len()).unwrap_or_else(|_| vec![0; 32])), false),
    };
    let plaintext = decrypt_content(algorithm, &content_key[..algorithm.key_len().min(content_key.len())], &content);
    match plaintext {
        Some(p) if key_ok => {
            let text = String::from_utf8(p.to_vec()).map_err(|_| EncryptionError::Decryption)?;
            Ok(Decrypted { plaintext: Zeroizing::new(text), algorithm })
        }
        _ => Err(EncryptionError::Decryption),
    }
}

#[cfg(test)]
#[path = "encryption_tests.rs"]
mod tests;
