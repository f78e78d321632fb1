//! `[email]`: notification emails and digests out through an SMTP relay, replies by email in
//! through a small SMTP listener of our own.

use super::Secret;
use serde::{Deserialize, Serialize};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailTls {
    /// Plain SMTP: only for a relay on the same machine or a test sink.
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587); refused without it.
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// Off: nothing is sent (preferences can still be chosen) and no listener starts.
    pub enabled: bool,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub tls: EmailTls,
    /// Empty: the relay takes mail without signing in.
    pub username: String,
    pub password: Secret,
    /// The sender of every message, e.g. `Guildhall <guildhall@example.org>`.
    pub from: String,
    /// Domain of the reply addresses (`reply+…@this`), routed by the organisation's mail
    /// server to `inbound_listen`; empty: emails carry no reply address.
    pub reply_domain: String,
    /// Address the reply listener binds, e.g. `127.0.0.1:2525`; empty: no listener.
    pub inbound_listen: String,
    /// Largest emailed reply taken, in bytes.
    pub inbound_max_bytes: usize,
    /// Seconds a connection may stay idle, out or in.
    pub timeout_secs: u64,
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            enabled: false,
            smtp_host: "localhost".into(),
            smtp_port: 587,
            tls: EmailTls::Starttls,
            username: String::new(),
            password: Secret::default(),
            from: "Guildhall <guildhall@localhost>".into(),
            reply_domain: String::new(),
            inbound_listen: String::new(),
            inbound_max_bytes: 256 * 1024,
            timeout_secs: 30,
        }
    }
}

impl EmailSettings {
    /// What serde cannot say, checked at start.
    pub fn check(&self) -> Result<(), String> {
        if !self.enabled {
            return Ok(());
        }
        if self.smtp_host.trim().is_empty() {
            return Err("email.smtp_host is missing".into());
        }
        if self.smtp_port == 0 {
            return Err("email.smtp_port: use a port from 1 to 65535".into());
        }
        let address = self
            .from
            .rsplit_once('<')
            .map_or(self.from.as_str(), |(_, rest)| rest.trim_end_matches('>'));
        if guildhall_domain::people::parse_email(address).is_err() {
            return Err(format!(
                "email.from {:?} is not an address such as Guildhall <guildhall@example.org>",
                self.from
            ));
        }
        if !self.username.is_empty() && self.password.is_empty() {
            return Err("email.password is missing for email.username".into());
        }
        let domain = self.reply_domain.trim();
        if !domain.is_empty()
            && guildhall_domain::people::parse_email(&format!("reply@{domain}")).is_err()
        {
            return Err(format!("email.reply_domain {domain:?} is not a domain"));
        }
        if !self.inbound_listen.is_empty() {
            if domain.is_empty() {
                return Err("email.inbound_listen needs email.reply_domain".into());
            }
            if self.inbound_listen.parse::<std::net::SocketAddr>().is_err() {
                return Err(format!(
                    "email.inbound_listen {:?} is not an address such as 127.0.0.1:2525",
                    self.inbound_listen
                ));
            }
        }
        if !(1024..=50 * 1024 * 1024).contains(&self.inbound_max_bytes) {
            return Err("email.inbound_max_bytes: use 1024 to 52428800 bytes".into());
        }
        if !(1..=600).contains(&self.timeout_secs) {
            return Err("email.timeout_secs: use 1 to 600 seconds".into());
        }
        Ok(())
    }

    /// Whether emails carry a reply address.
    pub fn replies(&self) -> bool {
        self.enabled && !self.reply_domain.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(change: impl FnOnce(&mut EmailSettings)) -> Result<(), String> {
        let mut settings = EmailSettings {
            enabled: true,
            from: "Guildhall <guildhall@example.org>".into(),
            ..EmailSettings::default()
        };
        change(&mut settings);
        settings.check()
    }

    #[test]
    fn email_settings_are_checked_when_enabled() {
        assert_eq!(EmailSettings::default().check(), Ok(()));
        assert_eq!(enabled(|_| {}), Ok(()));
        assert_eq!(
            enabled(|s| {
                s.reply_domain = "reply.example.org".into();
                s.inbound_listen = "127.0.0.1:2525".into();
            }),
            Ok(())
        );
        let refusals = [
            (enabled(|s| s.from = "nobody".into()), "email.from"),
            (enabled(|s| s.smtp_host = " ".into()), "smtp_host"),
            (enabled(|s| s.username = "relay".into()), "password"),
            (
                enabled(|s| s.inbound_listen = "127.0.0.1:2525".into()),
                "reply_domain",
            ),
            (
                enabled(|s| {
                    s.reply_domain = "example.org".into();
                    s.inbound_listen = "port 25".into();
                }),
                "inbound_listen",
            ),
            (enabled(|s| s.inbound_max_bytes = 10), "inbound_max_bytes"),
        ];
        for (outcome, words) in refusals {
            let message = outcome.expect_err(words);
            assert!(message.contains(words), "{message}");
        }
    }
}
