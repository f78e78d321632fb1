//! Email addresses: the sign-in identifier, compared case-insensitively.

use serde::Serialize;

pub const MAX_EMAIL_CHARS: usize = 254;

/// A syntactically plausible address, stored lower-cased so that lookups are exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deliberately simple: the real proof of an address is a message that arrives, so this only
/// refuses what cannot be an address (RFC 5321 lengths, one `@`, a dotted domain, no spaces).
pub fn parse_email(raw: &str) -> Result<Email, String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("Please enter your email address.".into());
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!(
            "An email address has at most {MAX_EMAIL_CHARS} characters."
        ));
    }
    let invalid = || "This does not look like an email address.".to_owned();
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let plausible_domain = domain.contains('.')
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let plausible_local = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';' | '@')
        });
    if plausible_local && plausible_domain {
        Ok(Email(email))
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_accepts_ordinary_addresses() {
        let email = parse_email("  Ada.Lovelace+guild@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace+guild@example.org");
        assert_eq!(email.domain(), "example.org");
        assert!(parse_email("jo@sub.dept.example.co.uk").is_ok());
    }

    #[test]
    fn refuses_what_cannot_be_an_address() {
        for raw in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "ada@@example.org",
            "a da@example.org",
            "ada@exa mple.org",
            "ada@-example.org",
            "ada@example..org",
            "<ada>@example.org",
            "ada@example.org\u{0}",
        ] {
            assert!(parse_email(raw).is_err(), "{raw:?} should be refused");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(parse_email(&long).is_err());
    }
}
