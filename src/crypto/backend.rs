//! [`Backend`]: which implementation signs with a key samlkit holds.

use std::fmt;

/// A signing backend compiled into this build. [`crate::IdpKey::from_pem_or_der`] takes
/// [`Backend::fastest`]; [`crate::IdpKey::from_pem_or_der_on`] names one (to compare them, or
/// to keep RustCrypto in a build that has AWS-LC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The `rsa` crate (RustCrypto): blinded, constant-time RSA. Signs RSA only.
    RustCrypto,
    /// AWS-LC (the `aws-lc-rs` feature): faster constant-time RSA, and ECDSA P-256. Its RSA
    /// does not sign rsa-sha1; a key on it signs rsa-sha1 through the `rsa` crate.
    #[cfg(feature = "aws-lc-rs")]
    #[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
    AwsLc,
}

impl Backend {
    /// Every backend in this build, the fastest last.
    pub const ALL: &'static [Backend] = &[
        Backend::RustCrypto,
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLc,
    ];

    /// The fastest backend in this build: AWS-LC with the `aws-lc-rs` feature, else RustCrypto.
    pub fn fastest() -> Self {
        Self::ALL[Self::ALL.len() - 1]
    }

    /// The backend's name, as the Cargo feature (`aws-lc-rs`) or crate family (`rust-crypto`)
    /// says it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::RustCrypto => "rust-crypto",
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLc => "aws-lc-rs",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fastest_is_aws_lc_when_built_in() {
        let expected = if cfg!(feature = "aws-lc-rs") { "aws-lc-rs" } else { "rust-crypto" };
        assert_eq!(Backend::fastest().to_string(), expected);
        assert_eq!(Backend::ALL[0], Backend::RustCrypto);
    }
}
