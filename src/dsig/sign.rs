//! The enveloped-signature signer for the documents samlkit writes.
//!
//! The signed element's canonical bytes come straight from the [`Writer`] (no re-parse): the
//! digest covers them, the `SignedInfo` is written once in canonical form, signed, and the
//! `Signature` element is placed right after the element's `Issuer`, as Auth0 does:
//!
//! ```text
//! <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>
//!   <CanonicalizationMethod Algorithm="…xml-exc-c14n#"/><SignatureMethod Algorithm="…"/>
//!   <Reference URI="#ID"><Transforms><Transform Algorithm="…#enveloped-signature"/>
//!   <Transform Algorithm="…xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="…"/>
//!   <DigestValue>…</DigestValue></Reference></SignedInfo><SignatureValue>…</SignatureValue>
//!   <KeyInfo><X509Data><X509Certificate>…</X509Certificate></X509Data></KeyInfo></Signature>
//! ```
//! (one line in the output, with explicit end tags).

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, SigningKey};
use crate::error::Error;
use crate::xml::writer::{Base64Text, Mark, Writer};

const SIGNED_INFO_CANONICAL_START: &str = "<SignedInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">";

/// Signs the element whose text starts at `start` in `out` (and runs to the end of `out`), whose
/// `ID` is `id`, inserting the `Signature` at `insert_at` (right after its `Issuer`).
pub(crate) fn sign_enveloped(
    out: &mut Writer,
    start: Mark,
    insert_at: Mark,
    id: &str,
    algorithms: (SignatureAlgorithm, DigestAlgorithm),
    key: &dyn SigningKey,
) -> Result<(), Error> {
    // Before insertion, the element's canonical text is exactly what the enveloped-signature and
    // exc-c14n transforms produce: the Signature is not there yet.
    let sig = signature_element(&out.canon.as_bytes()[start.canon..], id, algorithms, key)?;
    out.insert(insert_at, &sig);
    Ok(())
}

/// The `Signature` element for the element whose ID is `id` and whose canonical form (exclusive
/// c14n, its Signature left out) is `canonical`, signed with `key`.
pub(crate) fn signature_element(
    canonical: &[u8],
    id: &str,
    (signature, digest): (SignatureAlgorithm, DigestAlgorithm),
    key: &dyn SigningKey,
) -> Result<Writer, Error> {
    let digest_value = Base64Text::encode(&digest.digest(canonical));

    let mut sig = Writer::with_capacity(2048);
    sig.markup("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">");
    sig.markup("<SignedInfo>");
    let after_start_tag = sig.mark();
    sig.markup(
        "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></CanonicalizationMethod>",
    );
    sig.markup("<SignatureMethod");
    sig.attr("Algorithm", signature.uri(), "SignatureMethod")?;
    sig.markup("></SignatureMethod><Reference");
    sig.attr("URI", &format!("#{id}"), "Reference")?;
    sig.markup(
        "><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></Transform>",
    );
    sig.markup(
        "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></Transform></Transforms><DigestMethod",
    );
    sig.attr("Algorithm", digest.uri(), "DigestMethod")?;
    sig.markup("></DigestMethod><DigestValue>");
    sig.base64(&digest_value);
    sig.markup("</DigestValue></Reference></SignedInfo>");
    // Inside the Signature (which renders the default namespace), SignedInfo's document text
    // is its canonical text.
    debug_assert_eq!(sig.doc, sig.canon);

    // SignedInfo as the apex of exclusive c14n renders the default namespace it inherits.
    let body = &sig.doc[after_start_tag.doc..];
    let mut canonical = String::with_capacity(SIGNED_INFO_CANONICAL_START.len() + body.len());
    canonical.push_str(SIGNED_INFO_CANONICAL_START);
    canonical.push_str(body);
    let value = crate::crypto::sign_checked(key, signature, canonical.as_bytes())?;

    sig.markup("<SignatureValue>");
    sig.base64(&Base64Text::encode(&value));
    sig.markup("</SignatureValue><KeyInfo><X509Data><X509Certificate>");
    sig.base64(key.certificate().base64_text());
    sig.markup("</X509Certificate></X509Data></KeyInfo></Signature>");
    Ok(sig)
}
