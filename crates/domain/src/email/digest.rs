//! Digests of a member's spaces: off, daily or weekly.

use chrono::Duration;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    #[default]
    Off,
    Daily,
    Weekly,
}

impl Digest {
    pub const ALL: [Digest; 3] = [Digest::Off, Digest::Daily, Digest::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Digest::Off => "off",
            Digest::Daily => "daily",
            Digest::Weekly => "weekly",
        }
    }

    pub fn parse(raw: &str) -> Result<Digest, String> {
        match raw.trim() {
            "off" => Ok(Digest::Off),
            "daily" => Ok(Digest::Daily),
            "weekly" => Ok(Digest::Weekly),
            _ => Err("Choose off, daily or weekly.".into()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Digest::Off => "No digest",
            Digest::Daily => "Daily",
            Digest::Weekly => "Weekly",
        }
    }

    /// How much time one digest covers; none when off.
    pub fn period(self) -> Option<Duration> {
        match self {
            Digest::Off => None,
            Digest::Daily => Some(Duration::days(1)),
            Digest::Weekly => Some(Duration::days(7)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Digest;

    #[test]
    fn email_digest_frequencies_parse_and_have_periods() {
        for digest in Digest::ALL {
            assert_eq!(Digest::parse(digest.as_str()), Ok(digest));
        }
        assert!(Digest::parse("hourly").is_err());
        assert_eq!(Digest::Off.period(), None);
        assert_eq!(Digest::Weekly.period().map(|d| d.num_days()), Some(7));
    }
}
