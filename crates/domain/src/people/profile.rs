//! What a profile may say: a preferred given name beside the professional name, job facts, a
//! time zone, a short bio, and lists (languages, interests, skills) typed as comma-separated
//! text. Every free text also passes the content check in `app`.

use super::names::parse_name_part;
use crate::fields::optional_line;

pub const MAX_FACT_CHARS: usize = 100;
pub const MAX_BIO_CHARS: usize = 2_000;
pub const MAX_LIST_ITEMS: usize = 20;
pub const MAX_ITEM_CHARS: usize = 50;

/// How a person is shown everywhere: the preferred given name when there is one.
pub fn display_name(given: &str, preferred: &str, family: &str) -> String {
    let first = if preferred.is_empty() {
        given
    } else {
        preferred
    };
    format!("{first} {family}")
}

/// A preferred given name follows the same rules as a given name; empty means none.
pub fn parse_preferred_name(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_name_part(raw)
    }
}

/// Title, department, location: one line, optional.
pub fn parse_fact(raw: &str) -> Result<String, String> {
    optional_line(raw, MAX_FACT_CHARS)
}

/// An IANA time zone such as Europe/Berlin, or empty.
pub fn parse_time_zone(raw: &str) -> Result<String, String> {
    let zone = raw.trim();
    if zone.is_empty() {
        return Ok(String::new());
    }
    zone.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| "Choose a time zone such as Europe/Berlin.".to_owned())
}

/// A comma-separated list: trimmed, without repeats (ignoring case), each item one short line.
pub fn parse_list(raw: &str) -> Result<Vec<String>, String> {
    let mut items: Vec<String> = Vec::new();
    for part in raw.split([',', '\n']) {
        let item = optional_line(part, MAX_ITEM_CHARS)
            .map_err(|_| format!("Keep each item to {MAX_ITEM_CHARS} characters on one line."))?;
        if item.is_empty() {
            continue;
        }
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        if !items
            .iter()
            .any(|i| i.to_lowercase() == item.to_lowercase())
        {
            items.push(item);
        }
    }
    if items.len() > MAX_LIST_ITEMS {
        return Err(format!("List at most {MAX_LIST_ITEMS} items."));
    }
    Ok(items)
}

/// Skills are shared across people: "Rust", "rust " and "RUST" are one skill.
pub fn skill_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_prefer_the_preferred_given_name() {
        assert_eq!(
            display_name("Margaret", "", "Hamilton"),
            "Margaret Hamilton"
        );
        assert_eq!(
            display_name("Margaret", "Maggie", "Hamilton"),
            "Maggie Hamilton"
        );
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_bounded() {
        assert_eq!(
            parse_list(" Rust, rust ,  SQL\nPublic   speaking,,").unwrap(),
            ["Rust", "SQL", "Public speaking"]
        );
        assert!(parse_list(&"a,".repeat(30)).is_ok());
        let many: Vec<String> = (0..21).map(|i| format!("skill{i}")).collect();
        assert!(parse_list(&many.join(",")).is_err());
        assert!(parse_list(&"x".repeat(51)).is_err());
        assert_eq!(skill_key("  Public   Speaking "), "public speaking");
    }

    #[test]
    fn time_zones_and_preferred_names_are_checked() {
        assert_eq!(parse_time_zone(" Europe/Berlin ").unwrap(), "Europe/Berlin");
        assert_eq!(parse_time_zone("").unwrap(), "");
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert_eq!(parse_preferred_name("  Maggie ").unwrap(), "Maggie");
        assert_eq!(parse_preferred_name("").unwrap(), "");
        assert!(parse_preferred_name("M4ggie").is_err());
    }
}
