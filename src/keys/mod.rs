//! Keys and certificates: PEM (RFC 7468) or DER, PKCS#1 or PKCS#8, checked before use.
//!
//! [`Certificate`] is the public half samlkit pins and writes; the private halves are read by
//! [`crate::IdpKey`] (signing) and [`crate::encryption::DecryptionKey`] (decryption).

mod certificate;
mod pem;
mod private_key;

pub use certificate::Certificate;
pub(crate) use pem::read_pem;
pub(crate) use private_key::{read_rsa_private_key, read_rsa_private_key_of};

/// The smallest RSA modulus samlkit signs with, in bits.
pub const MIN_RSA_BITS: usize = 2048;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
