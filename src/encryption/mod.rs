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
//! use samlkit::{AddonSettings, IdentityProvider, IdpKey};
//!
//! let key = IdpKey::from_pem_or_der(
//!     include_bytes!("../../examples/data/demo-idp-key.pem"),
//!     include_bytes!("../../examples/data/demo-idp-cert.pem"),
//! )?;
//! let idp = IdentityProvider::new(AddonSettings::heroku("acme").with_issuer("urn:acme.example"), key)?;
//! // The SP's certificate (or bare public key), PEM or DER.
//! let sp = EncryptionKey::from_pem_or_der(include_bytes!("../../tests/data/keys/other-2048.cert.pem"))?;
//! let encryption = Encryption::new(sp)
//!     .content_algorithm(ContentAlgorithm::Aes256Gcm)
//!     .key_transport(KeyTransport::RsaOaepMgf1p);
//! let response = idp.respond(&serde_json::json!({"email": "jane@example.com"})).encrypt_for(encryption).build()?;
//! assert!(response.xml.contains("<saml:EncryptedAssertion "));
//! assert!(!response.xml.contains("jane@example.com"));
//! # Ok::<(), samlkit::Error>(())
//! ```
//!
//! The SP side is [`crate::validate::Validator::decryption_key`].

mod algorithms;
mod decrypt;
mod encrypt;
mod keys;

pub use algorithms::{ContentAlgorithm, KeyTransport};
pub(crate) use decrypt::decrypt_assertion;
pub use encrypt::Encryption;
pub use keys::{DecryptionKey, EncryptionKey};

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

#[cfg(test)]
mod tests;
