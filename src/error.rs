//! The crate's one public error type and its per-concern sub-enums.
//!
//! Every message says what failed and where: the settings key path (`logout.callback`), the claim
//! name, the XML element. Text that came from untrusted input is cut to a bounded length before it
//! goes into a message (cut to 64 characters).
//!
//! Misuse by the caller (a builder called without an issuer, say) is reported by
//! [`Error::Usage`]; bad input (settings JSON, profiles, XML, keys) by the other variants.

use thiserror::Error;

/// Everything that can go wrong in samlkit.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The addon settings JSON is malformed or holds a value samlkit cannot use.
    #[error("settings: {0}")]
    Settings(#[from] SettingsError),
    /// A user profile could not be mapped to SAML claims.
    #[error("claims: {0}")]
    Claims(#[from] ClaimsError),
    /// XML could not be read or written.
    #[error("xml: {0}")]
    Xml(#[from] XmlError),
    /// A key or certificate could not be loaded or does not fit.
    #[error("key: {0}")]
    Key(#[from] KeyError),
    /// A signing backend failed.
    #[error("signing: {0}")]
    Sign(#[from] SignError),
    /// The caller used the API in a way it does not support (not bad input).
    #[error("usage: {0}")]
    Usage(#[from] UsageError),
    /// A message's signature could not be verified: nothing in it can be trusted.
    #[error("signature: {0}")]
    Verify(#[from] VerifyError),
    /// A message could not be taken from or put into an HTTP binding, or a request is not
    /// acceptable.
    #[error("binding: {0}")]
    Binding(#[from] BindingError),
    /// A verified message failed one or more checks; all of them are listed.
    #[error("validation: {0}")]
    Validation(#[from] ValidationError),
    /// SAML metadata could not be read, or metadata could not be written from the given values.
    #[error("metadata: {0}")]
    Metadata(#[from] MetadataError),
    /// An assertion could not be encrypted, or an encrypted assertion could not be decrypted.
    #[error("encryption: {0}")]
    Encryption(#[from] EncryptionError),
    /// A replay cache or request store could not answer: the message is refused, never accepted
    /// unchecked.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// A shared store (a [`crate::validate::ReplayCache`] or [`crate::validate::RequestStore`])
/// that could not answer. Validation fails closed on it: the response is refused as if it were
/// a replay, and the store's own error says why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store could not be reached, or did not answer in time.
    #[error("the {store} is unavailable: {message}")]
    Unavailable {
        /// Which store (`replay cache`, `request store`).
        store: &'static str,
        /// What the store's client said.
        message: String,
    },
    /// The store answered something samlkit did not ask for.
    #[error("the {store} answered unexpectedly: {message}")]
    Protocol {
        /// Which store.
        store: &'static str,
        /// What it answered.
        message: String,
    },
}

/// Problems encrypting or decrypting a `saml:EncryptedAssertion`.
///
/// Structure and algorithm problems are public and named precisely. Everything that depends on
/// the keys or the ciphertext (a wrong key, a content key of the wrong size, a bad GCM tag, bad
/// CBC padding, a plaintext that is not UTF-8) is the one [`EncryptionError::Decryption`], so an
/// attacker learns nothing from which check failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EncryptionError {
    /// Decryption failed: the key is not the one the assertion was encrypted for, or the
    /// ciphertext was altered or truncated. Deliberately one error for every cause.
    #[error("the EncryptedAssertion could not be decrypted with the SP's key (wrong key, or altered ciphertext)")]
    Decryption,
    /// An algorithm URI samlkit does not implement.
    #[error("unsupported algorithm `{algorithm}`")]
    UnsupportedAlgorithm {
        /// The URI (truncated).
        algorithm: String,
    },
    /// A known algorithm that is not allowed (AES-CBC without opt-in).
    #[error("algorithm `{algorithm}` is not allowed (AES-CBC is unauthenticated); {hint}")]
    AlgorithmNotAllowed {
        /// The URI (truncated).
        algorithm: String,
        /// How to allow it.
        hint: &'static str,
    },
    /// The SP's decryption key is under 2048 bits and the Validator does not allow it.
    #[error(
        "the SP's decryption key has {bits} bits: under 2048 bits is refused by default; opt in with insecure_allow_rsa_1024 for a legacy key"
    )]
    KeyTooSmall {
        /// The key's size.
        bits: usize,
    },
    /// Every EncryptedKey names, in its KeyInfo, a certificate whose key is not the SP's.
    #[error("the EncryptedKey is for a different recipient: its KeyInfo certificate is not the SP's decryption key")]
    OtherRecipient,
    /// The EncryptedAssertion is not shaped as XML Encryption requires.
    #[error("malformed EncryptedAssertion: {reason}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The decrypted content is not exactly one well-formed `saml:Assertion`.
    #[error("the decrypted content is not one saml:Assertion: {reason}")]
    NotAnAssertion {
        /// What is wrong (truncated).
        reason: String,
    },
    /// Encryption failed (the random source, or the RSA operation).
    #[error("encryption failed: {message}")]
    Encrypt {
        /// What failed.
        message: String,
    },
}

/// Problems in the Auth0 addon settings JSON. The `path` fields name the key, dotted for nested
/// keys (`logout.callback`, `mappings.email`, `nameIdentifierProbes[0]`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The text is not JSON.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// A key samlkit does not know (strict mode only).
    #[error("unknown key `{path}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownKey {
        /// The key as written.
        path: String,
        /// The closest known key, when one is close.
        suggestion: Option<String>,
    },
    /// The same key twice in one object.
    #[error("duplicate key `{path}`")]
    DuplicateKey {
        /// The repeated key.
        path: String,
    },
    /// A value of the wrong JSON type.
    #[error("`{path}`: expected {expected}, found {found}")]
    WrongType {
        /// The key.
        path: String,
        /// The JSON type(s) the key takes.
        expected: &'static str,
        /// The JSON type that was there.
        found: &'static str,
    },
    /// An algorithm, format or binding name samlkit does not know.
    #[error("`{path}`: unknown value `{value}` (allowed: {allowed})")]
    UnknownName {
        /// The key.
        path: String,
        /// The value as written (truncated).
        value: String,
        /// The values the key takes.
        allowed: &'static str,
    },
    /// `lifetimeInSeconds` outside the accepted range.
    #[error("`{path}`: {value} is out of range (must be 1 to {max} seconds)")]
    Lifetime {
        /// The key.
        path: String,
        /// The value as written.
        value: String,
        /// The largest lifetime accepted.
        max: u64,
    },
    /// A known value this build cannot use (`ecdsa-sha256` without the `aws-lc-rs` feature).
    #[error("`{path}`: `{value}` needs samlkit's `{feature}` cargo feature")]
    NeedsFeature {
        /// The key.
        path: String,
        /// The value.
        value: &'static str,
        /// The feature.
        feature: &'static str,
    },
    /// A list that must not be empty is empty.
    #[error("`{path}`: must not be empty")]
    Empty {
        /// The key.
        path: String,
    },
    /// A URL where an absolute http(s) URL is required.
    #[error("`{path}`: `{value}` is not an absolute http(s) URL: {reason}")]
    InvalidUrl {
        /// The key.
        path: String,
        /// The value as written (truncated).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value where a URI (URL or URN) is required.
    #[error("`{path}`: `{value}` is not a URI{hint}")]
    InvalidUri {
        /// The key.
        path: String,
        /// The value as written (truncated).
        value: String,
        /// Extra help, such as a note that the value is the setup guide's placeholder.
        hint: &'static str,
    },
    /// `signingCert` is not a certificate.
    #[error("`{path}`: not a certificate: {message}")]
    InvalidCertificate {
        /// The key.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// `signResponse` and `signAssertion` both false: nothing would be signed.
    #[error("`signAssertion` is false and `signResponse` is false: nothing would be signed")]
    NothingSigned,
    /// A string holding a character XML 1.0 cannot carry.
    #[error("`{path}`: character U+{codepoint:04X} cannot appear in XML")]
    InvalidCharacter {
        /// The key.
        path: String,
        /// The offending character.
        codepoint: u32,
    },
}

/// Problems mapping a user profile to SAML claims.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The profile is not a JSON object.
    #[error("the profile must be a JSON object, found {found}")]
    ProfileNotAnObject {
        /// The JSON type that was given.
        found: &'static str,
    },
    /// None of the `nameIdentifierProbes` found a value.
    #[error("no attribute was found to generate the NameID (nameIdentifierProbes); tried: {}", probes.join(", "))]
    NoNameIdentifier {
        /// Every probe tried, in order.
        probes: Vec<String>,
    },
    /// A claim name or value holds a character XML 1.0 cannot carry.
    #[error("claim `{claim}`: character U+{codepoint:04X} cannot appear in XML")]
    InvalidCharacter {
        /// The claim (attribute) name, truncated.
        claim: String,
        /// The offending character.
        codepoint: u32,
    },
}

/// Problems reading or writing XML.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum XmlError {
    /// Text to be written holds a character XML 1.0 cannot carry.
    #[error("character U+{codepoint:04X} cannot appear in XML (in {context})")]
    InvalidCharacter {
        /// Where the text was going: an element or attribute name.
        context: String,
        /// The offending character.
        codepoint: u32,
    },
    /// The input is larger than the configured limit.
    #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Elements nest deeper than the configured limit.
    #[error("elements nest deeper than the limit of {limit} (at <{element}>)")]
    TooDeep {
        /// The element that went over the limit.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// An element carries more attributes than the configured limit.
    #[error("<{element}> has more than {limit} attributes")]
    TooManyAttributes {
        /// The element.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// The document has more nodes than the configured limit.
    #[error("the document has more than {limit} nodes")]
    TooManyNodes {
        /// The limit.
        limit: usize,
    },
    /// The bytes are not in an encoding samlkit reads, or not valid in the declared one.
    #[error("encoding: {message}")]
    Encoding {
        /// What is wrong.
        message: String,
    },
    /// A DOCTYPE declaration (DTDs are never processed).
    #[error("a DOCTYPE declaration is not allowed")]
    Doctype,
    /// An entity reference other than the five XML predefines.
    #[error("unknown entity reference `&{name};`")]
    UnknownEntity {
        /// The entity name, truncated.
        name: String,
    },
    /// A namespace prefix that is not declared.
    #[error("undeclared namespace prefix `{prefix}` on <{element}>")]
    UndeclaredPrefix {
        /// The prefix.
        prefix: String,
        /// The element that used it.
        element: String,
    },
    /// The same attribute twice on one element.
    #[error("duplicate attribute `{attribute}` on <{element}>")]
    DuplicateAttribute {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// A namespace declaration that XML Namespaces 1.0 forbids.
    #[error("invalid namespace declaration `{declaration}` on <{element}>")]
    InvalidNamespace {
        /// The declaration as written.
        declaration: String,
        /// The element.
        element: String,
    },
    /// The text is not well-formed XML.
    #[error("malformed XML at byte {position}: {message}")]
    Syntax {
        /// Byte offset where the problem was found.
        position: usize,
        /// What is wrong.
        message: String,
    },
}

/// Problems loading keys and certificates.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The private key is neither PEM nor DER PKCS#1/PKCS#8.
    #[error("private key: {message}")]
    InvalidKey {
        /// What is wrong.
        message: String,
    },
    /// The private key is encrypted; samlkit takes decrypted keys.
    #[error(
        "private key: encrypted keys are not supported (decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`)"
    )]
    EncryptedKey,
    /// The key is not an RSA key.
    #[error("private key: not an RSA key ({found})")]
    NotRsa {
        /// What the key is.
        found: String,
    },
    /// The RSA key is shorter than samlkit accepts.
    #[error("RSA key of {bits} bits is too small (at least {min} bits)")]
    TooSmall {
        /// The key's modulus size.
        bits: usize,
        /// The smallest size accepted.
        min: usize,
    },
    /// The certificate is neither PEM nor DER X.509.
    #[error("certificate: {message}")]
    InvalidCertificate {
        /// What is wrong.
        message: String,
    },
    /// The private key does not belong to the certificate.
    #[error("the private key does not match the certificate's public key")]
    Mismatch,
    /// A public key (or a certificate's key) that samlkit cannot encrypt for.
    #[error("public key: {message}")]
    InvalidPublicKey {
        /// What is wrong.
        message: String,
    },
}

/// Problems reading SAML metadata, or writing IdP metadata. Each message names the element
/// (and attribute) at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The document element is neither `EntityDescriptor` nor `EntitiesDescriptor` in the
    /// metadata namespace.
    #[error(
        "not SAML metadata: the document element is <{found}>, expected <EntityDescriptor> or <EntitiesDescriptor> in urn:oasis:names:tc:SAML:2.0:metadata"
    )]
    NotMetadata {
        /// The document element found (namespace and name, truncated).
        found: String,
    },
    /// No entity has the role descriptor (`SPSSODescriptor`, `IDPSSODescriptor`) for SAML 2.0.
    #[error("no <{element}> supporting the SAML 2.0 protocol in the metadata")]
    NoRoleDescriptor {
        /// `SPSSODescriptor` or `IDPSSODescriptor`.
        element: &'static str,
    },
    /// An `EntitiesDescriptor` holds several entities with the role: which one is meant?
    #[error("the <EntitiesDescriptor> holds {count} entities with an <{element}>; expected exactly one")]
    SeveralEntities {
        /// The role descriptor.
        element: &'static str,
        /// How many entities have it.
        count: usize,
    },
    /// The `SPSSODescriptor` has no `AssertionConsumerService`.
    #[error("the <SPSSODescriptor> has no <AssertionConsumerService>")]
    NoAssertionConsumerService,
    /// The SP has no `AssertionConsumerService` with the HTTP-POST binding, the only one
    /// samlkit sends responses over.
    #[error("the <SPSSODescriptor> has no <AssertionConsumerService> with the HTTP-POST binding")]
    NoPostAssertionConsumerService,
    /// A required element or attribute is missing (or empty).
    #[error("<{element}> has no {what}")]
    Missing {
        /// The element.
        element: &'static str,
        /// The attribute or child element that is missing.
        what: &'static str,
    },
    /// An endpoint `Location` (or a URL given to the metadata builder) that is not an absolute
    /// http(s) URL.
    #[error("<{element}> Location `{value}` is not an absolute http(s) URL: {reason}")]
    InvalidLocation {
        /// The endpoint element.
        element: &'static str,
        /// The value (truncated).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An attribute value outside what the schema allows (a boolean that is not one, an index
    /// that is not a number, an unknown `use`, an entity ID that is not a URI).
    #[error("<{element}> {attribute} `{value}` is not valid: expected {expected}")]
    InvalidValue {
        /// The element.
        element: &'static str,
        /// The attribute.
        attribute: &'static str,
        /// The value (truncated).
        value: String,
        /// What the attribute takes.
        expected: &'static str,
    },
    /// An `X509Certificate` that is not a certificate.
    #[error("<{element}> holds a bad X509Certificate: {message}")]
    BadCertificate {
        /// The element holding the certificate (`KeyDescriptor`).
        element: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

/// Failures of a signing backend.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SignError {
    /// The backend does not offer the requested algorithm.
    #[error("the signing key does not support {algorithm}")]
    Unsupported {
        /// The algorithm URI.
        algorithm: &'static str,
    },
    /// The backend failed.
    #[error("the signing backend failed: {message}")]
    Backend {
        /// What the backend said.
        message: String,
    },
    /// The algorithm needs a cargo feature this build of samlkit lacks.
    #[error("{algorithm} needs samlkit's `{feature}` cargo feature")]
    NeedsFeature {
        /// The algorithm's settings name.
        algorithm: &'static str,
        /// The feature.
        feature: &'static str,
    },
    /// The signer's certificate holds no key of the algorithm's type (an EC certificate for an
    /// RSA algorithm, or the reverse): no verifier would accept the signature.
    #[error("the signing key's certificate holds no {expected} key, which {algorithm} needs")]
    KeyType {
        /// The algorithm's settings name.
        algorithm: &'static str,
        /// The key type the algorithm needs (`RSA`, `EC P-256`).
        expected: &'static str,
    },
    /// A (custom) signer returned a signature of the wrong length for the algorithm.
    #[error(
        "the signing key returned {length} bytes for {algorithm}, not {expected}{}",
        if *algorithm == "ecdsa-sha256" { " (XML-DSig takes r || s, not a DER signature)" } else { "" }
    )]
    SignatureLength {
        /// The algorithm's settings name.
        algorithm: &'static str,
        /// The length returned.
        length: usize,
        /// The length the algorithm gives with this key.
        expected: usize,
    },
}

/// Misuse of the API by the caller (as opposed to bad input).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum UsageError {
    /// A value the builder needs was neither in the settings nor given to the builder.
    #[error("{what} is not set: {how}")]
    Missing {
        /// What is missing.
        what: &'static str,
        /// How to provide it.
        how: &'static str,
    },
    /// An argument the caller passed is not acceptable.
    #[error("{what}: {message}")]
    InvalidArgument {
        /// The argument.
        what: &'static str,
        /// Why it is not acceptable.
        message: String,
    },
}

/// Why a signed SAML message could not be verified. Each variant names the element whose
/// signature failed (`Response`, `Assertion`). Any of these makes the whole message untrusted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is neither an XML document nor base64 of one.
    #[error("the input is not a SAML message: {reason}")]
    NotXmlOrBase64 {
        /// What it looks like instead.
        reason: String,
    },
    /// The document element is not what was expected.
    #[error("the document element is <{found}>, expected <{expected}>")]
    UnexpectedRoot {
        /// The element found (truncated).
        found: String,
        /// The element expected.
        expected: &'static str,
    },
    /// Not exactly one Assertion in the whole document (counting every nesting place).
    #[error("the response holds {count} Assertion elements anywhere in the document; exactly one is accepted")]
    AssertionCount {
        /// How many were found.
        count: usize,
    },
    /// The Assertion is not a child of the Response.
    #[error("the Assertion is not a direct child of the Response")]
    AssertionPlacement,
    /// An encrypted assertion, which this verifier does not decrypt.
    #[error("the response holds an EncryptedAssertion, which this validator is not configured to decrypt")]
    EncryptedAssertion,
    /// Two elements carry the same ID.
    #[error("the ID `{id}` appears on more than one element")]
    DuplicateId {
        /// The ID (truncated).
        id: String,
    },
    /// A required signature is missing.
    #[error(
        "<{element}> is not signed{}",
        if *element == "Assertion" { " (a Response signature alone is accepted with allow_response_signature_only)" } else { "" }
    )]
    Unsigned {
        /// The element.
        element: &'static str,
    },
    /// The Signature element is malformed or placed where it does not belong.
    #[error("the Signature of <{element}> is malformed: {reason}")]
    Malformed {
        /// The signed element.
        element: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// `Reference/@URI` does not point at the element enclosing the Signature.
    #[error("the Signature of <{element}> references `{uri}`, not the element that encloses it")]
    ReferenceUri {
        /// The signed element.
        element: &'static str,
        /// The URI found (truncated).
        uri: String,
    },
    /// A transform outside the allowed set (enveloped-signature then exclusive c14n).
    #[error("the Signature of <{element}> uses a transform that is not allowed: {algorithm}")]
    Transform {
        /// The signed element.
        element: &'static str,
        /// The transforms found (truncated).
        algorithm: String,
    },
    /// An algorithm outside the allow-list (SHA-1 without opt-in, HMAC, unknown URIs), or one this
    /// build lacks (ECDSA without the `aws-lc-rs` feature).
    #[error("the Signature of <{element}> uses {algorithm}, which is not allowed{hint}")]
    AlgorithmNotAllowed {
        /// The signed element.
        element: &'static str,
        /// The algorithm URI (truncated).
        algorithm: String,
        /// How to allow it, when it can be allowed.
        hint: &'static str,
    },
    /// The digest of the referenced element does not match DigestValue: the content changed.
    #[error("the content of <{element}> does not match its signature's digest")]
    DigestMismatch {
        /// The signed element.
        element: &'static str,
    },
    /// SignatureValue does not verify under any pinned certificate.
    #[error("the SignatureValue of <{element}> does not verify with the pinned certificate(s)")]
    BadSignature {
        /// The signed element.
        element: &'static str,
    },
    /// The pinned RSA key is smaller than the policy accepts.
    #[error(
        "the pinned RSA key for <{element}> has {bits} bits: {}",
        if *allowed { "under 1024 bits is never accepted" } else { "under 2048 bits is refused by default; opt in with insecure_allow_rsa_1024 for a legacy IdP" }
    )]
    KeyTooSmall {
        /// The signed element.
        element: &'static str,
        /// The key's size.
        bits: usize,
        /// Whether 1024-bit keys were allowed (then the key is under 1024 bits).
        allowed: bool,
    },
    /// An InclusiveNamespaces PrefixList names more prefixes than the limit.
    #[error(
        "the Signature of <{element}> has a PrefixList of {count} prefixes, over the limit of {limit} (ParseLimits::max_prefix_list)"
    )]
    PrefixListTooLong {
        /// The signed element.
        element: &'static str,
        /// How many prefixes the list names.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

/// One failed validation check, naming the check and the element.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Failure {
    /// The status is not Success.
    #[error("status: <samlp:StatusCode> is `{code}`, not Success")]
    Status {
        /// The status code (truncated).
        code: String,
    },
    /// An Issuer differs from the expected IdP entity ID.
    #[error("issuer: <{element}> Issuer is `{found}`, expected `{expected}`")]
    Issuer {
        /// `Response` or `Assertion`.
        element: &'static str,
        /// What was found (truncated).
        found: String,
        /// What was expected (truncated).
        expected: String,
    },
    /// A required element is missing.
    #[error("missing: <{element}> is required")]
    Missing {
        /// The element.
        element: &'static str,
    },
    /// Response/@Destination differs from the expected ACS URL.
    #[error("destination: Response Destination is `{found}`, expected `{expected}`")]
    Destination {
        /// What was found (truncated).
        found: String,
        /// The expected ACS URL (truncated).
        expected: String,
    },
    /// No bearer SubjectConfirmation whose Recipient is the expected ACS URL.
    #[error("recipient: SubjectConfirmationData Recipient is `{found}`, expected `{expected}`")]
    Recipient {
        /// What was found (truncated; empty when absent).
        found: String,
        /// The expected ACS URL (truncated).
        expected: String,
    },
    /// SubjectConfirmation/@Method is not bearer.
    #[error("subject confirmation: Method is `{found}`, expected urn:oasis:names:tc:SAML:2.0:cm:bearer")]
    ConfirmationMethod {
        /// What was found (truncated).
        found: String,
    },
    /// The expected audience is not among the Audience elements.
    #[error("audience: `{expected}` is not among the audiences {found:?}")]
    Audience {
        /// The audiences found (each truncated).
        found: Vec<String>,
        /// The expected audience (truncated).
        expected: String,
    },
    /// Not valid yet (NotBefore later than now plus the allowed clock skew).
    #[error("time: <{element}> is not valid before {not_before} (now {now})")]
    NotYetValid {
        /// The element carrying the time.
        element: &'static str,
        /// Its NotBefore.
        not_before: String,
        /// The validator's now.
        now: String,
    },
    /// Expired (NotOnOrAfter not later than now minus the allowed clock skew).
    #[error("time: <{element}> expired at {not_on_or_after} (now {now})")]
    Expired {
        /// The element carrying the time.
        element: &'static str,
        /// Its NotOnOrAfter.
        not_on_or_after: String,
        /// The validator's now.
        now: String,
    },
    /// A time attribute that is not an xs:dateTime.
    #[error("time: {attribute} of <{element}> is not a valid time: `{found}`")]
    BadTime {
        /// The element.
        element: &'static str,
        /// The attribute.
        attribute: &'static str,
        /// The text (truncated).
        found: String,
    },
    /// InResponseTo differs from the expected request ID (or is present when none was expected).
    #[error(
        "in-response-to: <{element}> InResponseTo is {found:?}, expected {expected:?}{}",
        if found.is_none() && expected.is_none() { " (an unsolicited response is accepted with allow_unsolicited)" } else { "" }
    )]
    InResponseTo {
        /// The element.
        element: &'static str,
        /// What was found (truncated).
        found: Option<String>,
        /// What was expected.
        expected: Option<String>,
    },
    /// The assertion ID was seen before.
    #[error("replay: assertion `{id}` was already used")]
    Replayed {
        /// The assertion ID (truncated).
        id: String,
    },
    /// The response answers a request the request store does not hold: never sent, already
    /// answered, or expired.
    #[error(
        "InResponseTo: `{id}` is not a pending request of the request store (never sent, already answered, or expired)"
    )]
    UnknownRequest {
        /// The request ID (truncated).
        id: String,
    },
    /// The NameID format differs from the required one.
    #[error("nameid: Format is `{found}`, expected `{expected}`")]
    NameIdFormat {
        /// What was found (truncated).
        found: String,
        /// What was required.
        expected: String,
    },
    /// The NameID should be an email address and is not.
    #[error("nameid: `{found}` is not an email address")]
    NameIdNotEmail {
        /// The NameID (truncated).
        found: String,
    },
    /// A condition samlkit does not understand (SAML core 2.5.1.1: Indeterminate).
    #[error("conditions: <{element}> is not understood, so the assertion is not valid (SAML core 2.5.1.1)")]
    UnknownCondition {
        /// The condition element's name (truncated).
        element: String,
    },
    /// A field that is optional only with an opt-in of the Validator is missing.
    #[error("missing: <{element}> is required (accept its absence with {option})")]
    MissingOptIn {
        /// What is missing.
        element: &'static str,
        /// The Validator option that accepts it.
        option: &'static str,
    },
    /// The certificate that verified the signature is outside its validity period.
    #[error(
        "certificate: `{subject}` is valid from {not_before} to {not_on_or_after}, not at {now} (require_certificate_validity is set)"
    )]
    CertificateValidity {
        /// The certificate's subject (truncated).
        subject: String,
        /// notBefore.
        not_before: String,
        /// notAfter.
        not_on_or_after: String,
        /// The validation instant.
        now: String,
    },
    /// A comment or processing instruction inside an identity element.
    #[error(
        "comment or processing instruction inside <{element}> (rejected: it can hide text from the signature; insecure_allow_comments_in_identity accepts it)"
    )]
    CommentInIdentity {
        /// The element.
        element: &'static str,
    },
    /// A value that cannot be read (a bad xsi:type value, say).
    #[error("malformed: {what}")]
    Malformed {
        /// What is malformed.
        what: String,
    },
}

/// Every validation check that failed, in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} check(s) failed: {}", failures.len(), failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ValidationError {
    /// The failures, at least one.
    pub failures: Vec<Failure>,
}

/// Problems with the HTTP bindings (Redirect, POST) and with incoming requests.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BindingError {
    /// A base64 value is malformed.
    #[error("`{parameter}` is not valid base64")]
    Base64 {
        /// The parameter.
        parameter: &'static str,
    },
    /// A value is larger than the configured limit (before or after inflation).
    #[error("`{parameter}` is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The parameter.
        parameter: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The DEFLATE data is malformed or truncated.
    #[error("`{parameter}` is not valid raw DEFLATE data")]
    Inflate {
        /// The parameter.
        parameter: &'static str,
    },
    /// A percent-escape in the query string is malformed.
    #[error("the query string has a malformed percent-escape in `{parameter}`")]
    PercentEncoding {
        /// The parameter (truncated).
        parameter: String,
    },
    /// A required parameter is missing.
    #[error("the `{parameter}` parameter is missing")]
    Missing {
        /// The parameter.
        parameter: &'static str,
    },
    /// A parameter appears twice.
    #[error("the `{parameter}` parameter appears more than once")]
    Duplicate {
        /// The parameter.
        parameter: &'static str,
    },
    /// `Signature` without `SigAlg`.
    #[error("the query has a Signature but no SigAlg")]
    SignatureWithoutSigAlg,
    /// A signature is required (the settings have `signingCert`) and the message has none.
    #[error("the {message} is not signed, and signingCert requires it")]
    Unsigned {
        /// Which message.
        message: &'static str,
    },
    /// The signature does not verify under the configured certificate.
    #[error("the {message}'s signature does not verify with the configured certificate")]
    BadSignature {
        /// Which message.
        message: &'static str,
    },
    /// The signature algorithm is not allowed.
    #[error("signature algorithm `{algorithm}` is not allowed{hint}")]
    AlgorithmNotAllowed {
        /// The algorithm URI (truncated).
        algorithm: String,
        /// How to allow it, when it can be.
        hint: &'static str,
    },
    /// RelayState longer than the limit (80 bytes in SAML bindings 3.4.3).
    #[error("RelayState is {length} bytes, over the limit of {limit}")]
    RelayStateTooLong {
        /// Its length in bytes.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// The request asks for an ACS URL that is neither configured nor allowed.
    #[error("the AssertionConsumerServiceURL `{url}` is not the configured ACS or in the allow-list")]
    AcsNotAllowed {
        /// The URL asked for (truncated).
        url: String,
    },
    /// The message is not the expected one.
    #[error("expected <{expected}>, found <{found}>")]
    UnexpectedMessage {
        /// What was expected.
        expected: &'static str,
        /// What was found (truncated).
        found: String,
    },
    /// A required attribute or element of the message is missing or malformed.
    #[error("<{element}>: {problem}")]
    Malformed {
        /// The element.
        element: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The decoded message is not UTF-8.
    #[error("`{parameter}` does not decode to UTF-8 text")]
    NotUtf8 {
        /// The parameter.
        parameter: &'static str,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The longest piece of untrusted text put into an error message, in characters.
pub(crate) const MAX_ECHO: usize = 64;

/// Cut untrusted text to [`MAX_ECHO`] characters for an error message, marking the cut.
pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        None => text.to_owned(),
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_short_text_and_cuts_long_text() {
        assert_eq!(truncate("short"), "short");
        let long = "é".repeat(200);
        let cut = truncate(&long);
        assert_eq!(cut.chars().count(), MAX_ECHO + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn unknown_key_message_names_key_and_suggestion() {
        let e = SettingsError::UnknownKey { path: "audiance".into(), suggestion: Some("audience".into()) };
        assert_eq!(e.to_string(), "unknown key `audiance` (did you mean `audience`?)");
        let e = SettingsError::UnknownKey { path: "zzz".into(), suggestion: None };
        assert_eq!(e.to_string(), "unknown key `zzz`");
    }
}
