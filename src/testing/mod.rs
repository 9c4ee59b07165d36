//! Hostile variants of a signed SAML Response, for testing service providers (the `testing`
//! feature; `samlkit mutate` on the command line).
//!
//! [`mutations`] turns one valid signed Response into the catalogue of variants an SP must
//! refuse: signature wrapping (XSW1-8), a stripped or broken signature, a comment or processing
//! instruction inside the NameID, a second assertion, a duplicate ID, a DOCTYPE, a signature by
//! an attacker's key, and, when the IdP's own key is given to re-sign them, the variants that
//! only the SP's own checks can catch: expired, not yet valid, another audience, recipient,
//! destination, InResponseTo or issuer, and a SHA-1 downgrade. Each [`Mutation`] says what
//! changed, which SP check must refuse it, and what samlkit's [`crate::Validator`] reports.
//! [`RandomMutator`] picks and perturbs variants from a seed, for fuzzers of service providers.
//!
//! ```
//! use samlkit::testing::{Keys, mutations};
//! use samlkit::{AddonSettings, IdentityProvider, IdpKey};
//! # let key = include_bytes!("../../examples/data/demo-idp-key.pem");
//! # let cert = include_bytes!("../../examples/data/demo-idp-cert.pem");
//! # let attacker = IdpKey::from_pem_or_der(
//! #     include_bytes!("../../tests/data/keys/other-2048.pkcs8.pem"),
//! #     include_bytes!("../../tests/data/keys/other-2048.cert.pem"),
//! # )?;
//! let idp_key = IdpKey::from_pem_or_der(key, cert)?;
//! let idp = IdentityProvider::new(AddonSettings::heroku("acme").with_issuer("urn:acme"), idp_key.clone())?;
//! let response = idp.respond(&serde_json::json!({"email": "jane@example.com"})).build()?;
//! let variants = mutations(&response.xml, &Keys { idp: Some(&idp_key), attacker: &attacker })?;
//! assert!(variants.iter().any(|m| m.name == "xsw3"));
//! # Ok::<(), samlkit::Error>(())
//! ```

mod layout;
mod random;

pub use random::RandomMutator;

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
use crate::error::Error;
use layout::Layout;

/// One hostile variant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mutation {
    /// A short name (`xsw3`, `expired`).
    pub name: &'static str,
    /// What changed.
    pub description: &'static str,
    /// The service-provider check that must refuse it.
    pub refused_by: &'static str,
    /// What samlkit's Validator reports: the variant name of the error or failure
    /// (`DigestMismatch`, `Expired`).
    pub samlkit_error: &'static str,
    /// The variant's XML.
    #[serde(skip)]
    pub xml: String,
}

/// The keys a catalogue is made with.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    /// The IdP's own key: with it, the variants that change signed content are re-signed, so
    /// that only the SP's own check (expiry, audience, …) can refuse them. Without it those
    /// variants are left out.
    pub idp: Option<&'a dyn SigningKey>,
    /// An attacker's key, for the variant re-signed by a key the SP does not trust.
    pub attacker: &'a dyn SigningKey,
}

const EVIL_NAME_ID: &str = "attacker@evil.example";

/// The catalogue of hostile variants of `response`, a signed Response with one Assertion (not
/// encrypted, no Advice), in catalogue order.
///
/// # Errors
/// [`crate::error::UsageError::InvalidArgument`] for a document that is not such a Response; a signing
/// error from the keys.
pub fn mutations(response: &str, keys: &Keys<'_>) -> Result<Vec<Mutation>, Error> {
    let layout = Layout::read(response)?;
    let mut out = Vec::new();
    let mut add = |name, description, refused_by, samlkit_error, xml: String| {
        out.push(Mutation { name, description, refused_by, samlkit_error, xml });
    };
    let evil_assertion = layout.evil_assertion();
    let unsigned_evil = layout.without_assertion_signature(&evil_assertion);

    // Signature wrapping (Somorovsky et al., "On Breaking SAML", 2012; SAML Raider's XSW1-8).
    if layout.response_signature.is_some() {
        let evil_response = layout.evil_response_without_signature();
        add(
            "xsw1",
            "an unsigned copy of the Response with an attacker's NameID as the document, the signed original after its own Signature",
            "signature reference: the verified element must be the one that is used",
            "DuplicateId",
            layout.wrap_response(&evil_response, true),
        );
        add(
            "xsw2",
            "an unsigned copy of the Response with an attacker's NameID as the document, the signed original before its Signature",
            "signature reference: the verified element must be the one that is used",
            "DuplicateId",
            layout.wrap_response(&evil_response, false),
        );
    }
    // XSW3-8 wrap the Assertion's own signature.
    if layout.has_assertion_signature() {
        add(
            "xsw3",
            "an unsigned copy of the Assertion with an attacker's NameID (same ID) before the signed one",
            "one assertion, and the verified one is the one that is used",
            "DuplicateId",
            layout.insert_before_assertion(&unsigned_evil),
        );
        add(
            "xsw4",
            "an unsigned copy of the Assertion with an attacker's NameID, the signed original inside it",
            "one assertion, and the verified one is the one that is used",
            "DuplicateId",
            layout.wrap_assertion(&unsigned_evil),
        );
        add(
            "xsw5",
            "the signed Assertion's NameID changed, an unsigned copy of the original appended to the Response",
            "signature digest",
            "DuplicateId",
            layout.append_to_response(&evil_assertion, &layout.without_assertion_signature(&layout.assertion_text())),
        );
        add(
            "xsw6",
            "the signed Assertion's NameID changed, a copy of the original placed inside its Signature",
            "signature digest",
            "DuplicateId",
            layout.copy_into_signature(&evil_assertion),
        );
        add(
            "xsw7",
            "an Extensions element holding an unsigned copy of the Assertion with an attacker's NameID",
            "one assertion, and the verified one is the one that is used",
            "DuplicateId",
            layout.insert_before_assertion(&format!(
                "<samlp:Extensions xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{unsigned_evil}</samlp:Extensions>"
            )),
        );
        add(
            "xsw8",
            "a ds:Object in the Assertion's Signature holding the original Assertion without its Signature, the NameID changed",
            "signature reference: the verified element must be the one that is used",
            "DuplicateId",
            layout.object_in_signature(&evil_assertion),
        );
    }
    add(
        "signature-stripped",
        "every Signature removed",
        "a signature is required",
        "Unsigned",
        layout.strip_signatures(),
    );
    add(
        "digest-broken",
        "the NameID changed after signing",
        "signature digest",
        "DigestMismatch",
        layout.replace_name_id(EVIL_NAME_ID),
    );
    add(
        "signature-value-broken",
        "one character of the outermost SignatureValue changed",
        "signature value",
        "BadSignature",
        layout.break_signature_value(),
    );
    add(
        "comment-in-name-id",
        "a comment inside the NameID text: the signature stays valid, a reader of the first text node sees a shorter name",
        "no comment or processing instruction inside identity elements",
        "CommentInIdentity",
        layout.insert_in_name_id("<!---->"),
    );
    add(
        "pi-in-name-id",
        "a processing instruction inside the NameID text",
        "signature digest (canonical XML keeps processing instructions)",
        "DigestMismatch",
        layout.insert_in_name_id("<?evil?>"),
    );
    add(
        "second-assertion",
        "a second, unsigned Assertion (another ID, an attacker's NameID) after the signed one",
        "exactly one assertion",
        "AssertionCount",
        layout.append_to_response(&layout.assertion_text(), &layout.with_id(&unsigned_evil, "_evil-second")),
    );
    add(
        "duplicate-id",
        "an empty element carrying the Assertion's ID before the Assertion",
        "IDs are unique",
        "DuplicateId",
        layout.insert_before_assertion(&format!(
            "<samlp:Extensions xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"{}\"></samlp:Extensions>",
            layout.assertion_id
        )),
    );
    add(
        "doctype",
        "a DOCTYPE with an internal entity before the Response",
        "no DTD",
        "Doctype",
        format!("<!DOCTYPE r [<!ENTITY e \"x\">]>{}", layout.xml),
    );
    add(
        "resigned-by-attacker",
        "every signature replaced by one of an attacker's key (its certificate in KeyInfo), the NameID changed",
        "pinned certificates: KeyInfo is not trust",
        "BadSignature",
        layout.resign(&layout.replace_name_id(EVIL_NAME_ID), keys.attacker, layout.algorithms)?,
    );
    if let Some(idp) = keys.idp {
        let resigned = |xml: String| layout.resign(&xml, idp, layout.algorithms);
        add(
            "expired",
            "NotOnOrAfter (Conditions, SubjectConfirmationData) in 2001, re-signed by the IdP",
            "NotOnOrAfter",
            "Expired",
            resigned(layout.set_times("NotOnOrAfter", "2001-01-01T00:00:00Z"))?,
        );
        add(
            "not-yet-valid",
            "Conditions NotBefore in 2999, re-signed by the IdP",
            "NotBefore",
            "NotYetValid",
            resigned(layout.set_times("NotBefore", "2999-01-01T00:00:00Z"))?,
        );
        add(
            "wrong-audience",
            "the Audience is another SP's, re-signed by the IdP",
            "AudienceRestriction",
            "Audience",
            resigned(layout.replace_element_text("Audience", "https://evil.example/sp"))?,
        );
        add(
            "wrong-recipient",
            "SubjectConfirmationData Recipient is another ACS URL, re-signed by the IdP",
            "Recipient",
            "Recipient",
            resigned(layout.set_attribute("SubjectConfirmationData", "Recipient", "https://evil.example/acs"))?,
        );
        add(
            "wrong-destination",
            "the Response Destination is another ACS URL, re-signed by the IdP",
            "Destination",
            "Destination",
            resigned(layout.set_attribute(&layout.response_local, "Destination", "https://evil.example/acs"))?,
        );
        add(
            "wrong-in-response-to",
            "InResponseTo (Response, SubjectConfirmationData) names another request, re-signed by the IdP",
            "InResponseTo (an SP that expects its request's ID)",
            "InResponseTo",
            resigned(layout.set_in_response_to("_evil-request"))?,
        );
        add(
            "wrong-issuer",
            "the Issuer of Response and Assertion is another IdP's, re-signed by the IdP",
            "Issuer (an SP that expects its IdP's entity ID)",
            "Issuer",
            resigned(layout.replace_element_text("Issuer", "urn:evil.example"))?,
        );
        if idp.certificate().rsa_bits().is_some() {
            add(
                "sha1-downgrade",
                "re-signed by the IdP with rsa-sha1 and sha1",
                "algorithm policy: no SHA-1 unless the SP opts in",
                "AlgorithmNotAllowed",
                layout.resign(&layout.xml, idp, (SignatureAlgorithm::RsaSha1, DigestAlgorithm::Sha1))?,
            );
        }
    }
    Ok(out)
}
