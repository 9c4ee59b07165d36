//! Decrypting an EncryptedAssertion with the SP's key.

use super::algorithms::Oaep;
use super::encrypt::{cbc_not_allowed, random_bytes};
use super::{
    ContentAlgorithm, DecryptionKey, KeyTransport, MAX_ENCRYPTED_KEYS, MGF1_SHA1_URI, MGF1_SHA256_URI, SHA1_URI,
    SHA256_URI, TYPE_ELEMENT, XENC, XENC11,
};
use crate::error::{EncryptionError, truncate};
use crate::keys::Certificate;
use crate::xml::ns;
use crate::xml::parse::{Document, NodeId};
use aes_gcm::aead::{Aead as _, KeyInit as _};
use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _, block_padding::NoPadding};
use zeroize::Zeroizing;

/// The content decrypted: `None` for every failure (one outcome, whatever failed).
pub(super) fn decrypt_content(algorithm: ContentAlgorithm, key: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
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

pub(super) fn malformed(reason: &'static str) -> EncryptionError {
    EncryptionError::Malformed { reason }
}

pub(super) fn unsupported(uri: &str) -> EncryptionError {
    EncryptionError::UnsupportedAlgorithm { algorithm: truncate(uri) }
}

pub(super) fn algorithm_attr<'d>(doc: &'d Document, id: NodeId) -> &'d str {
    doc.element(id).and_then(|e| e.attribute(None, "Algorithm")).unwrap_or("")
}

pub(super) fn is(doc: &Document, id: NodeId, namespace: &str, local: &str) -> bool {
    doc.element(id).is_some_and(|e| e.is(namespace, local))
}

/// The base64 content of a CipherValue (no elements, comments or processing instructions).
pub(super) fn cipher_value(doc: &Document, cipher_data: NodeId) -> Result<Vec<u8>, EncryptionError> {
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
    crate::xml::xs::base64(&doc.text_content(value)).map_err(|_| malformed("CipherValue is not base64"))
}

/// The OAEP parameters of an EncryptedKey's EncryptionMethod.
pub(super) fn key_transport(doc: &Document, method: NodeId) -> Result<Oaep, EncryptionError> {
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
pub(super) struct WrappedKey {
    pub(super) oaep: Oaep,
    pub(super) cipher: Vec<u8>,
    pub(super) other_recipient: bool,
}

pub(super) fn read_encrypted_key(
    doc: &Document,
    id: NodeId,
    ours: &rsa::PublicKey,
) -> Result<WrappedKey, EncryptionError> {
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
