//! The subject: InResponseTo, the bearer SubjectConfirmations, the NameID's shape.

use super::assertion::{attr, one_child, time_attr};
use crate::error::{Failure, truncate};
use crate::xml::parse::{Document, NodeId};
use crate::xml::{ns, xs};
use chrono::{DateTime, Utc};

use super::{BEARER, Validator};

impl Validator {
    /// Checks one InResponseTo value against the policy: the expected request ID, or none at
    /// all when unsolicited responses are allowed.
    pub(super) fn check_in_response_to(&self, element: &'static str, found: Option<&str>, failures: &mut Vec<Failure>) {
        let ok = match (&self.expected_request_id, found) {
            (Some(expected), Some(f)) => f == expected,
            (Some(_), None) => false,
            (None, None) => self.allow_unsolicited,
            // Answered from the request store at the end, once every other check has passed.
            (None, Some(_)) => self.requests.is_some(),
        };
        if !ok {
            failures.push(Failure::InResponseTo {
                element,
                found: found.map(truncate),
                expected: self.expected_request_id.clone(),
            });
        }
    }

    /// The bearer SubjectConfirmations: one whose Recipient, time window and InResponseTo all
    /// hold suffices (SAML profiles 4.1.4.3); when none does, the failures of the first bearer
    /// confirmation are reported. Returns what the one that holds says. `answered`: the request a
    /// signed Response answers, which binds the assertion to it.
    pub(super) fn check_confirmation(
        &self,
        doc: &Document,
        subject: NodeId,
        now: DateTime<Utc>,
        answered: Option<&str>,
        failures: &mut Vec<Failure>,
    ) -> Option<Confirmed> {
        let confirmations: Vec<NodeId> = doc.children_named(subject, ns::SAML, "SubjectConfirmation").collect();
        let bearers: Vec<NodeId> = confirmations
            .iter()
            .copied()
            .filter(|&c| attr(doc, c, "Method").map(xs::collapse).as_deref() == Some(BEARER))
            .collect();
        if bearers.is_empty() {
            let found = confirmations.first().and_then(|&c| attr(doc, c, "Method")).unwrap_or_default();
            failures.push(Failure::ConfirmationMethod { found: truncate(found) });
            return None;
        }
        // The replay record must outlive every bearer confirmation that could still accept the
        // assertion later, not only the one that holds now.
        let latest_end = bearers
            .iter()
            .flat_map(|&b| doc.children_named(b, ns::SAML, "SubjectConfirmationData"))
            .filter_map(|data| attr(doc, data, "NotOnOrAfter").and_then(xs::date_time))
            .max();
        let mut first_failures = None;
        for bearer in bearers {
            let mut own = Vec::new();
            let confirmed = self.check_bearer(doc, bearer, now, answered, &mut own);
            if own.is_empty() {
                return Some(Confirmed { latest_end, ..confirmed });
            }
            first_failures.get_or_insert(own);
        }
        failures.extend(first_failures.unwrap_or_default());
        None
    }

    /// One bearer SubjectConfirmation: Recipient, NotOnOrAfter, InResponseTo.
    pub(super) fn check_bearer(
        &self,
        doc: &Document,
        bearer: NodeId,
        now: DateTime<Utc>,
        answered: Option<&str>,
        failures: &mut Vec<Failure>,
    ) -> Confirmed {
        let Some(data) = one_child(doc, bearer, ns::SAML, "SubjectConfirmationData", failures) else {
            failures.push(Failure::Missing { element: "saml:SubjectConfirmationData" });
            return Confirmed::default();
        };
        let recipient = attr(doc, data, "Recipient").map(xs::collapse).unwrap_or_default();
        if recipient != self.acs_url {
            failures.push(Failure::Recipient { found: truncate(&recipient), expected: truncate(&self.acs_url) });
        }
        let not_on_or_after = time_attr(doc, data, "saml:SubjectConfirmationData", "NotOnOrAfter", failures);
        if not_on_or_after.is_none() && attr(doc, data, "NotOnOrAfter").is_none() {
            failures.push(Failure::Missing { element: "saml:SubjectConfirmationData/@NotOnOrAfter" });
        }
        let not_before = time_attr(doc, data, "saml:SubjectConfirmationData", "NotBefore", failures);
        self.check_window("saml:SubjectConfirmationData", not_before, not_on_or_after, now, failures);
        let in_response_to = attr(doc, data, "InResponseTo");
        if in_response_to.is_some() || answered.is_none() {
            self.check_in_response_to("SubjectConfirmationData", in_response_to, failures);
        }
        // The signed Response and the assertion must answer the same request.
        if let (Some(found), Some(bound)) = (in_response_to, answered) {
            if found != bound {
                failures.push(Failure::InResponseTo {
                    element: "SubjectConfirmationData",
                    found: Some(truncate(found)),
                    expected: Some(truncate(bound)),
                });
            }
        }
        Confirmed { in_response_to: in_response_to.or(answered).map(str::to_owned), latest_end: not_on_or_after }
    }
}

/// What a bearer SubjectConfirmation that holds says.
#[derive(Debug, Default)]
pub(super) struct Confirmed {
    /// The request it answers.
    pub(super) in_response_to: Option<String>,
    /// The latest `NotOnOrAfter` of all the bearer confirmations: until then some confirmation
    /// may accept the assertion.
    pub(super) latest_end: Option<DateTime<Utc>>,
}

/// `local@domain`: no whitespace, one `@`, a non-empty local part and a dotted domain.
pub(super) fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}
