//! Reading RSA private keys: PEM or DER, PKCS#1 or PKCS#8, refusing what samlkit must not sign
//! with.

use super::pem::read_pem;
use super::{MIN_RSA_BITS, OID_EC, OID_ED25519, OID_RSA};
use crate::error::KeyError;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::traits::PublicKeyParts as _;

/// Reads an RSA private key from PEM (`BEGIN RSA PRIVATE KEY` or `BEGIN PRIVATE KEY`) or DER
/// (PKCS#8 or PKCS#1), refusing encrypted keys, other key types and keys under 2048 bits.
pub(crate) fn read_rsa_private_key(bytes: &[u8]) -> Result<rsa::PrivateKey, KeyError> {
    read_rsa_private_key_of(bytes, MIN_RSA_BITS)
}

/// [`read_rsa_private_key`] with another smallest size (a decryption key of a legacy SP, which
/// the Validator refuses unless told otherwise).
pub(crate) fn read_rsa_private_key_of(bytes: &[u8], min_bits: usize) -> Result<rsa::PrivateKey, KeyError> {
    let key = match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN ") => {
            let block = read_pem(text).ok_or_else(|| invalid_key("no PEM block, or its base64 is malformed"))?;
            match block.label.as_str() {
                "RSA PRIVATE KEY" if block.headers => return Err(KeyError::EncryptedKey),
                "RSA PRIVATE KEY" => rsa::PrivateKey::from_pkcs1_der(&block.der)
                    .map_err(|e| invalid_key(&format!("malformed PKCS#1 key: {e}")))?,
                "PRIVATE KEY" => pkcs8(&block.der)?,
                "ENCRYPTED PRIVATE KEY" => return Err(KeyError::EncryptedKey),
                "EC PRIVATE KEY" => {
                    return Err(KeyError::NotRsa { found: "an EC key".into() });
                }
                "CERTIFICATE" => return Err(invalid_key("this is a certificate, not a private key")),
                other => {
                    return Err(invalid_key(&format!("unexpected PEM block `{}`", crate::error::truncate(other))));
                }
            }
        }
        _ => match pkcs8(bytes) {
            Ok(key) => key,
            Err(e @ KeyError::NotRsa { .. }) => return Err(e),
            Err(_) => rsa::PrivateKey::from_pkcs1_der(bytes)
                .map_err(|_| invalid_key("neither PEM nor DER PKCS#8 or PKCS#1"))?,
        },
    };
    let bits = key.n().bit_width() as usize;
    if bits < min_bits {
        return Err(KeyError::TooSmall { bits, min: min_bits });
    }
    Ok(key)
}

fn pkcs8(der: &[u8]) -> Result<rsa::PrivateKey, KeyError> {
    let info =
        rsa::pkcs8::PrivateKeyInfoRef::try_from(der).map_err(|e| invalid_key(&format!("malformed PKCS#8 key: {e}")))?;
    let oid = info.algorithm.oid.to_string();
    match oid.as_str() {
        OID_RSA => rsa::PrivateKey::from_pkcs8_der(der).map_err(|e| invalid_key(&format!("malformed RSA key: {e}"))),
        OID_EC => Err(KeyError::NotRsa { found: "an EC key".into() }),
        OID_ED25519 => Err(KeyError::NotRsa { found: "an Ed25519 key".into() }),
        other => Err(KeyError::NotRsa { found: format!("algorithm {other}") }),
    }
}

fn invalid_key(message: &str) -> KeyError {
    KeyError::InvalidKey { message: message.to_owned() }
}
