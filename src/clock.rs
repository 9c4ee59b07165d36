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
/// Written digit by digit: it runs several times per response, and chrono's format-string
/// interpreter showed in profiles.
pub(crate) fn saml_time(t: DateTime<Utc>) -> String {
    use chrono::{Datelike as _, Timelike as _};
    let Ok(year) = u32::try_from(t.year()) else {
        return t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    };
    if year > 9999 {
        return t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    }
    // A leap second reports 1000 ms and more; chrono's own format prints 999 there too.
    let millis = t.timestamp_subsec_millis().min(999);
    let mut out = String::with_capacity(24);
    for (value, width, after) in [
        (year, 4, '-'),
        (t.month(), 2, '-'),
        (t.day(), 2, 'T'),
        (t.hour(), 2, ':'),
        (t.minute(), 2, ':'),
        (t.second(), 2, '.'),
        (millis, 3, 'Z'),
    ] {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
        out.push(after);
    }
    out
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
        // Digit by digit agrees with chrono's formatting, at the edges too.
        for text in
            ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2024-02-29T12:34:56.007Z", "1970-01-01T00:00:00.5Z"]
        {
            let t = FixedClock::rfc3339(text).unwrap().now();
            assert_eq!(saml_time(t), t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(), "{text}");
        }
        for year in [10000, -1] {
            let far = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
            assert_eq!(saml_time(far), far.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
        }
        let before = Utc::now();
        assert!(SystemClock.now() >= before);
    }
}
