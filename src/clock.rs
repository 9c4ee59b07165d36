//! The clock, injected so tests and golden files are deterministic.

use chrono::{DateTime, Utc};

/// A source of "now".
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests and reproducible output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock stopped at an RFC 3339 time (`2026-11-28T15:21:01.288Z`).
    pub fn rfc3339(text: &str) -> Result<Self, crate::error::UsageError> {
        DateTime::parse_from_rfc3339(text).map(|t| Self(t.with_timezone(&Utc))).map_err(|e| {
            crate::error::UsageError::InvalidArgument {
                what: "time",
                message: format!("`{}` is not an RFC 3339 time: {e}", crate::error::truncate(text)),
            }
        })
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Formats a time as SAML writes it: UTC, milliseconds, `Z` (`2026-11-28T15:21:01.288Z`).
pub(crate) fn saml_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_and_format() {
        let c = FixedClock::rfc3339("2026-11-28T16:21:01.2889+01:00").unwrap();
        assert_eq!(saml_time(c.now()), "2026-11-28T15:21:01.288Z");
        let c = FixedClock::rfc3339("2026-01-02T03:04:05Z").unwrap();
        assert_eq!(saml_time(c.now()), "2026-01-02T03:04:05.000Z");
        assert!(FixedClock::rfc3339("yesterday").unwrap_err().to_string().contains("yesterday"));
        let before = Utc::now();
        assert!(SystemClock.now() >= before);
    }
}
