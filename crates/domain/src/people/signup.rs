//! Who may create an account: anyone, people with an address at the organisation's domains, or
//! only people holding an invitation. Chosen by an admin.

use super::Email;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SignupMode {
    Open,
    #[default]
    Domains,
    Invitation,
}

impl SignupMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupMode::Open => "open",
            SignupMode::Domains => "domains",
            SignupMode::Invitation => "invitation",
        }
    }

    pub fn parse(raw: &str) -> Option<SignupMode> {
        [
            SignupMode::Open,
            SignupMode::Domains,
            SignupMode::Invitation,
        ]
        .into_iter()
        .find(|mode| mode.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SignupPolicy {
    pub mode: SignupMode,
    /// Lower-case domains; a subdomain of a listed domain is allowed too.
    pub allowed_domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupRefusal {
    InvitationRequired,
    DomainNotAllowed,
}

impl SignupRefusal {
    pub fn message(self) -> &'static str {
        match self {
            SignupRefusal::InvitationRequired => {
                "Joining needs an invitation: ask an administrator for a link."
            }
            SignupRefusal::DomainNotAllowed => "Sign up with your work email address.",
        }
    }
}

impl SignupPolicy {
    /// Whether a person with this address may sign up; an invitation admits anyone.
    pub fn admits(&self, email: &Email, invited: bool) -> Result<(), SignupRefusal> {
        if invited {
            return Ok(());
        }
        match self.mode {
            SignupMode::Open => Ok(()),
            SignupMode::Invitation => Err(SignupRefusal::InvitationRequired),
            SignupMode::Domains => {
                let domain = email.domain();
                let allowed = self
                    .allowed_domains
                    .iter()
                    .any(|allowed| domain == allowed || domain.ends_with(&format!(".{allowed}")));
                if allowed {
                    Ok(())
                } else {
                    Err(SignupRefusal::DomainNotAllowed)
                }
            }
        }
    }

    /// Parses an admin's list: one domain per line or comma-separated, `@` prefixes tolerated.
    pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
        let mut domains = Vec::new();
        for item in raw
            .split([',', '\n', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let domain = item.trim_start_matches('@').to_lowercase();
            let probe = super::parse_email(&format!("x@{domain}"))
                .map_err(|_| format!("“{item}” is not a domain name."))?;
            let domain = probe.domain().to_owned();
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        if domains.len() > 100 {
            return Err("List at most 100 domains.".into());
        }
        Ok(domains)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::parse_email;

    fn email(raw: &str) -> Email {
        parse_email(raw).unwrap()
    }

    #[test]
    fn each_mode_admits_the_right_people() {
        let open = SignupPolicy {
            mode: SignupMode::Open,
            allowed_domains: vec![],
        };
        assert!(open.admits(&email("a@anywhere.net"), false).is_ok());

        let domains = SignupPolicy {
            mode: SignupMode::Domains,
            allowed_domains: vec!["example.org".into()],
        };
        assert!(domains.admits(&email("a@example.org"), false).is_ok());
        assert!(domains.admits(&email("a@eu.example.org"), false).is_ok());
        assert_eq!(
            domains.admits(&email("a@badexample.org"), false),
            Err(SignupRefusal::DomainNotAllowed)
        );
        assert!(domains.admits(&email("a@other.org"), true).is_ok());

        let invite = SignupPolicy {
            mode: SignupMode::Invitation,
            allowed_domains: vec![],
        };
        assert_eq!(
            invite.admits(&email("a@example.org"), false),
            Err(SignupRefusal::InvitationRequired)
        );
        assert!(invite.admits(&email("a@example.org"), true).is_ok());
    }

    #[test]
    fn parses_domain_lists() {
        assert_eq!(
            SignupPolicy::parse_domains("@Example.org, eu.example.org\nexample.org").unwrap(),
            vec!["example.org".to_owned(), "eu.example.org".to_owned()]
        );
        assert!(SignupPolicy::parse_domains("not a domain!").is_err());
        assert_eq!(
            SignupPolicy::parse_domains("").unwrap(),
            Vec::<String>::new()
        );
    }
}
