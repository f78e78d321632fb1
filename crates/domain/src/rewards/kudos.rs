//! Kudos: a short public thank-you from one colleague to another.

use crate::fields::single_line;

pub const MAX_KUDOS_CHARS: usize = 280;
/// Kudos one person can give in a day: thanks stay meaningful, and nobody floods a feed.
pub const DAILY_KUDOS: i64 = 10;

pub fn parse_message(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_KUDOS_CHARS).map_err(|_| {
        format!("Say in one line (up to {MAX_KUDOS_CHARS} characters) what you thank them for.")
    })
}

pub fn may_thank(from: i64, to: i64, given_today: i64) -> Result<(), String> {
    if from == to {
        Err("Kudos are for someone else.".into())
    } else if given_today >= DAILY_KUDOS {
        Err(format!(
            "You have given {DAILY_KUDOS} kudos today, the most a day allows. Thank you for noticing so much; try again tomorrow."
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kudos_rules() {
        assert!(parse_message("  Thanks for the SQL walkthrough!  ").is_ok());
        assert!(parse_message("").is_err());
        assert!(parse_message(&"a".repeat(MAX_KUDOS_CHARS + 1)).is_err());
        assert!(may_thank(1, 1, 0).is_err());
        assert!(may_thank(1, 2, DAILY_KUDOS).is_err());
        assert!(may_thank(1, 2, DAILY_KUDOS - 1).is_ok());
    }
}
