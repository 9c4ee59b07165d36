//! Encrypting an assertion for the SP.

use super::{ContentAlgorithm, EncryptionKey, KeyTransport};
use crate::error::{EncryptionError, Error, truncate};
use crate::xml::writer::Writer;
use aes_gcm::aead::{Aead as _, KeyInit as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::{BlockModeEncrypt as _, KeyIvInit as _, block_padding::NoPadding};
use zeroize::Zeroizing;

/// What to encrypt assertions with: the SP's key and the algorithms. Defaults: AES-256-GCM and
/// RSA-OAEP (rsa-oaep-mgf1p), as Auth0 recommends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    pub(super) key: EncryptionKey,
    pub(super) content: ContentAlgorithm,
    pub(super) transport: KeyTransport,
    pub(super) allow_cbc: bool,
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
    /// `saml:EncryptedAssertion` element, returned as text. Hidden: the decryptor's tests use it
    /// to encrypt plaintexts no builder writes; responses are encrypted by their builder.
    #[doc(hidden)]
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

    pub(super) fn wrap_key(&self, key: &[u8]) -> Result<Vec<u8>, EncryptionError> {
        let rng = &mut getrandom::SysRng;
        let result = match self.transport {
            KeyTransport::RsaOaepMgf1p => self.key.public.encrypt(rng, rsa::Oaep::<sha1::Sha1>::new(), key),
            KeyTransport::RsaOaepSha256 => self.key.public.encrypt(rng, rsa::Oaep::<sha2::Sha256>::new(), key),
        };
        result.map_err(|e| EncryptionError::Encrypt { message: format!("RSA-OAEP: {e}") })
    }
}

pub(super) fn cbc_not_allowed(uri: &str, hint: &'static str) -> EncryptionError {
    EncryptionError::AlgorithmNotAllowed { algorithm: truncate(uri), hint }
}

pub(super) fn random_bytes(n: usize) -> Result<Vec<u8>, EncryptionError> {
    let mut out = vec![0u8; n];
    getrandom::fill(&mut out)
        .map_err(|e| EncryptionError::Encrypt { message: format!("the operating system's random source: {e}") })?;
    Ok(out)
}

/// GCM: IV (12) || ciphertext || tag (16). CBC: IV (16) || ciphertext, with XML Encryption
/// padding (random bytes, then the pad length).
pub(super) fn encrypt_content(
    algorithm: ContentAlgorithm,
    key: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, EncryptionError> {
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
