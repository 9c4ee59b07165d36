//! Reading and checking what the verified signatures cover: issuers, Destination, the subject,
//! the conditions, the AuthnStatement and the attributes.

use super::assertion::{SignedBindings, attr, identity_text, one_child, read_attributes, time_attr};
use crate::clock::saml_time;
use crate::dsig::verify::Verified;
use crate::encryption::ContentAlgorithm;
use crate::error::{Error, Failure, ValidationError, VerifyError, truncate};
use crate::vocabulary::NameIdFormat;
use crate::xml::parse::{Document, NodeId};
use crate::xml::{ns, xs};
use chrono::{DateTime, Utc};

use super::Validator;
use super::assertion::{ReceivedConditions, ReceivedNameId, Signed, VerifiedAssertion};
use super::subject::looks_like_email;

/// What the signature checks established, for [`Validator::read`].
pub(super) struct Covered<'d> {
    /// The Response's document.
    pub(super) doc: &'d Document<'d>,
    /// The Response.
    pub(super) root: NodeId,
    /// The Assertion's document: `doc`, or the decrypted assertion's own.
    pub(super) adoc: &'d Document<'d>,
    /// The Assertion, in `adoc`.
    pub(super) assertion: NodeId,
    /// The Response's verified signature, if it has one.
    pub(super) response_sig: Option<Verified>,
    /// The Assertion's verified signature, if it has one.
    pub(super) assertion_sig: Option<Verified>,
    /// The content algorithm, when the assertion came encrypted.
    pub(super) encryption: Option<ContentAlgorithm>,
}

impl Validator {
    /// Reads and checks everything once the signatures are verified: Response-level fields from
    /// the Response, the rest from the Assertion (in its own document when it was encrypted).
    /// `failures` holds what the document checks already found.
    pub(super) fn read(&self, covered: Covered<'_>, mut failures: Vec<Failure>) -> Result<VerifiedAssertion, Error> {
        let Covered { doc, root, adoc, assertion, response_sig, assertion_sig, encryption } = covered;
        let main_sig = match (&assertion_sig, &response_sig) {
            (Some(a), _) => a,
            (None, Some(r)) if self.allow_response_signature_only => r,
            _ => return Err(VerifyError::Unsigned { element: "Assertion" }.into()),
        };
        // Which namespace bindings the signature covering the Assertion signs: QNames in content
        // (xsi:type) are resolved only through those.
        let bindings = match (&assertion_sig, encryption) {
            (Some(a), _) => SignedBindings::Canonical { apex: assertion, options: &a.reference },
            // The Response signature covers the ciphertext: what the plaintext declares is signed.
            (None, Some(_)) => SignedBindings::Within { apex: assertion },
            (None, None) => SignedBindings::Canonical { apex: root, options: &main_sig.reference },
        };
        let certificate = &self.trust.certificates()[main_sig.certificate];
        let signed = Signed { response: response_sig.is_some(), assertion: assertion_sig.is_some() };

        // From here on, everything is read from `root` (signed, or checked for consistency
        // only) and from `assertion`, the node whose signature was verified.
        let now = self.clock.now();
        if self.require_certificate_validity && (now < certificate.not_before() || now >= certificate.not_after()) {
            failures.push(Failure::CertificateValidity {
                subject: truncate(certificate.subject()),
                not_before: saml_time(certificate.not_before()),
                not_on_or_after: saml_time(certificate.not_after()),
                now: saml_time(now),
            });
        }
        let response_id = attr(doc, root, "ID").unwrap_or_default();
        let assertion_id = attr(adoc, assertion, "ID").unwrap_or_default();
        if attr(doc, root, "Version") != Some("2.0") || attr(adoc, assertion, "Version") != Some("2.0") {
            failures.push(Failure::Malformed { what: "Version is not 2.0".into() });
        }

        // Issuers.
        let response_issuer = one_child(doc, root, ns::SAML, "Issuer", &mut failures);
        let assertion_issuer = one_child(adoc, assertion, ns::SAML, "Issuer", &mut failures);
        let issuer = match assertion_issuer {
            Some(id) => adoc.text_content(id).into_owned(),
            None => {
                failures.push(Failure::Missing { element: "saml:Issuer" });
                String::new()
            }
        };
        if let Some(expected) = &self.issuer {
            if assertion_issuer.is_some() && &issuer != expected {
                failures.push(Failure::Issuer {
                    element: "Assertion",
                    found: truncate(&issuer),
                    expected: truncate(expected),
                });
            }
            if let Some(id) = response_issuer {
                let found = doc.text_content(id);
                if found != expected.as_str() {
                    failures.push(Failure::Issuer {
                        element: "Response",
                        found: truncate(&found),
                        expected: truncate(expected),
                    });
                }
            }
        }

        // Destination: required when the Response is signed (SAML bindings 3.5.5.2), and
        // checked whenever present (an unsigned Response's fields are never trusted, but a
        // wrong one is still wrong).
        match attr(doc, root, "Destination").map(xs::collapse) {
            Some(d) if d != self.acs_url => {
                failures.push(Failure::Destination { found: truncate(&d), expected: truncate(&self.acs_url) })
            }
            None if response_sig.is_some() && !self.allow_missing_destination => failures.push(Failure::MissingOptIn {
                element: "samlp:Response/@Destination",
                option: "allow_missing_destination",
            }),
            _ => {}
        }
        // The Response's InResponseTo is optional; when present it must be the expected one.
        if let Some(found) = attr(doc, root, "InResponseTo") {
            self.check_in_response_to("Response", Some(found), &mut failures);
        }

        // Subject.
        let subject = one_child(adoc, assertion, ns::SAML, "Subject", &mut failures);
        let name_id_node = subject.and_then(|s| one_child(adoc, s, ns::SAML, "NameID", &mut failures));
        let name_id = match name_id_node {
            Some(id) => ReceivedNameId {
                value: identity_text(adoc, id, "saml:NameID", self.reject_comments, &mut failures),
                format: attr(adoc, id, "Format").map(|f| NameIdFormat::from_uri(f.trim())),
                name_qualifier: attr(adoc, id, "NameQualifier").map(str::to_owned),
                sp_name_qualifier: attr(adoc, id, "SPNameQualifier").map(str::to_owned),
            },
            None => {
                failures.push(Failure::Missing { element: "saml:NameID" });
                ReceivedNameId { value: String::new(), format: None, name_qualifier: None, sp_name_qualifier: None }
            }
        };
        if let (Some(required), Some(_)) = (&self.name_id_format, name_id_node) {
            if name_id.format.as_ref() != Some(required) {
                failures.push(Failure::NameIdFormat {
                    found: truncate(name_id.format.as_ref().map_or("", NameIdFormat::uri)),
                    expected: required.uri().to_owned(),
                });
            }
        }
        if self.require_email_name_id && name_id_node.is_some() && !looks_like_email(&name_id.value) {
            failures.push(Failure::NameIdNotEmail { found: truncate(&name_id.value) });
        }
        // A signed Response that answers the expected request binds the assertion to it even
        // when the SubjectConfirmationData leaves InResponseTo out (as some IdPs do).
        let response_answers = attr(doc, root, "InResponseTo").filter(|_| response_sig.is_some());
        let answered = response_answers.filter(|found| match &self.expected_request_id {
            Some(expected) => found == expected,
            None => self.requests.is_some(),
        });
        let confirmed = subject.and_then(|s| self.check_confirmation(adoc, s, now, answered, &mut failures));
        let (in_response_to, confirmation_end) = confirmed.map_or((None, None), |c| (c.in_response_to, c.latest_end));

        // Conditions.
        let mut conditions = ReceivedConditions::default();
        match one_child(adoc, assertion, ns::SAML, "Conditions", &mut failures) {
            None => failures.push(Failure::Missing { element: "saml:Conditions" }),
            Some(c) => {
                conditions.not_before = time_attr(adoc, c, "saml:Conditions", "NotBefore", &mut failures);
                conditions.not_on_or_after = time_attr(adoc, c, "saml:Conditions", "NotOnOrAfter", &mut failures);
                self.check_window(
                    "saml:Conditions",
                    conditions.not_before,
                    conditions.not_on_or_after,
                    now,
                    &mut failures,
                );
                // SAML core 2.5.1: a condition this SP does not understand makes the assertion
                // Indeterminate, hence invalid. OneTimeUse and ProxyRestriction only restrict
                // what the SP may do next (cache it, issue assertions from it), which it does not.
                for condition in adoc.child_elements(c) {
                    let Some(e) = adoc.element(condition) else { continue };
                    let known = e.namespace() == Some(ns::SAML)
                        && matches!(e.local_name(), "AudienceRestriction" | "OneTimeUse" | "ProxyRestriction");
                    if !known {
                        failures.push(Failure::UnknownCondition { element: truncate(e.qname()) });
                    }
                }
                let restrictions: Vec<NodeId> = adoc.children_named(c, ns::SAML, "AudienceRestriction").collect();
                if restrictions.is_empty() && !self.allow_no_audience {
                    failures.push(Failure::MissingOptIn {
                        element: "saml:AudienceRestriction",
                        option: "insecure_allow_no_audience",
                    });
                }
                for r in restrictions {
                    let audiences: Vec<String> = adoc
                        .children_named(r, ns::SAML, "Audience")
                        .map(|a| xs::collapse(&adoc.text_content(a)).into_owned())
                        .collect();
                    if !audiences.contains(&self.audience) {
                        failures.push(Failure::Audience {
                            found: audiences.iter().map(|a| truncate(a)).collect(),
                            expected: truncate(&self.audience),
                        });
                    }
                    conditions.audiences.extend(audiences);
                }
            }
        }

        // AuthnStatement.
        let authn = one_child(adoc, assertion, ns::SAML, "AuthnStatement", &mut failures);
        let (mut session_index, mut authn_instant, mut session_end, mut class_ref) = (None, None, None, None);
        match authn {
            None => failures.push(Failure::Missing { element: "saml:AuthnStatement" }),
            Some(a) => {
                session_index = attr(adoc, a, "SessionIndex");
                authn_instant = time_attr(adoc, a, "saml:AuthnStatement", "AuthnInstant", &mut failures);
                session_end = time_attr(adoc, a, "saml:AuthnStatement", "SessionNotOnOrAfter", &mut failures);
                self.check_window("saml:AuthnStatement", None, session_end, now, &mut failures);
                class_ref = adoc
                    .children_named(a, ns::SAML, "AuthnContext")
                    .flat_map(|c| adoc.children_named(c, ns::SAML, "AuthnContextClassRef"))
                    .next()
                    .map(|r| adoc.text_content(r).trim().to_owned());
            }
        }
        let attributes = read_attributes(adoc, assertion, &bindings, self.reject_comments, &mut failures);

        // The request it answers, then replay: only for assertions that passed every other
        // check, so a forged response can neither use up a pending request nor fill the cache.
        if failures.is_empty() {
            if let (Some(store), Some(id)) = (&self.requests, &in_response_to) {
                if !store.take(id, now)? {
                    failures.push(Failure::UnknownRequest { id: truncate(id) });
                }
            }
        }
        if failures.is_empty() {
            if let Some(cache) = &self.replay {
                // Kept while the assertion could still be accepted: until the Conditions'
                // NotOnOrAfter or the latest bearer confirmation's, whichever is earlier, plus
                // twice the clock skew (once for this validator's tolerance, once for another
                // instance whose clock is behind by as much).
                let end = match (conditions.not_on_or_after, confirmation_end) {
                    (Some(a), Some(b)) => a.min(b),
                    (a, b) => a.or(b).unwrap_or(now),
                };
                let expires = end
                    .checked_add_signed(self.clock_skew)
                    .and_then(|t| t.checked_add_signed(self.clock_skew))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                if !cache.check_and_record(&issuer, assertion_id, expires, now)? {
                    failures.push(Failure::Replayed { id: truncate(assertion_id) });
                }
            }
        }
        if !failures.is_empty() {
            return Err(ValidationError { failures }.into());
        }
        Ok(VerifiedAssertion {
            response_id: response_id.to_owned(),
            assertion_id: assertion_id.to_owned(),
            signed,
            signature_algorithm: main_sig.algorithm,
            certificate_not_after: certificate.not_after(),
            issuer,
            in_response_to,
            name_id,
            session_index: session_index.map(str::to_owned),
            authn_instant,
            session_not_on_or_after: session_end,
            authn_context_class_ref: class_ref,
            conditions,
            attributes,
            encryption,
        })
    }

    pub(super) fn check_window(
        &self,
        element: &'static str,
        not_before: Option<DateTime<Utc>>,
        not_on_or_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        failures: &mut Vec<Failure>,
    ) {
        if let Some(nb) = not_before {
            // A skew beyond the calendar's range accepts every instant.
            if now.checked_add_signed(self.clock_skew).is_some_and(|latest| nb > latest) {
                failures.push(Failure::NotYetValid { element, not_before: saml_time(nb), now: saml_time(now) });
            }
        }
        if let Some(end) = not_on_or_after {
            if now.checked_sub_signed(self.clock_skew).is_some_and(|earliest| end <= earliest) {
                failures.push(Failure::Expired { element, not_on_or_after: saml_time(end), now: saml_time(now) });
            }
        }
    }
}
