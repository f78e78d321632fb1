//! Connectors to chat platforms: what a connector is (kind, name, target), what a post looks
//! like in each platform's incoming-webhook format, and the Standard Webhooks signature that
//! generic webhooks carry both ways. Pure: the app sends and stores.

mod formats;
mod signature;

pub use formats::{Event, Message, body_for};
pub use signature::{SignatureError, decode_secret, sign, verify};

use serde::Serialize;

/// Where a space's conversation goes or comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorKind {
    /// A Slack incoming webhook (`hooks.slack.com/services/…`).
    Slack,
    /// A Microsoft Teams incoming webhook or Workflows URL (Adaptive Card).
    Teams,
    /// A Discord channel webhook.
    Discord,
    /// A Mattermost (or Rocket.Chat, Zulip's Slack-compatible) incoming webhook.
    Mattermost,
    /// Any HTTP endpoint: JSON signed with HMAC-SHA256 the Standard Webhooks way.
    Webhook,
    /// A tool posts into the space with the connector's token.
    Incoming,
    /// A Matrix room, mirrored both ways through our application service.
    Matrix,
}

impl ConnectorKind {
    pub const ALL: [ConnectorKind; 7] = [
        ConnectorKind::Slack,
        ConnectorKind::Teams,
        ConnectorKind::Discord,
        ConnectorKind::Mattermost,
        ConnectorKind::Webhook,
        ConnectorKind::Incoming,
        ConnectorKind::Matrix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorKind::Slack => "slack",
            ConnectorKind::Teams => "teams",
            ConnectorKind::Discord => "discord",
            ConnectorKind::Mattermost => "mattermost",
            ConnectorKind::Webhook => "webhook",
            ConnectorKind::Incoming => "incoming",
            ConnectorKind::Matrix => "matrix",
        }
    }

    pub fn parse(raw: &str) -> Option<ConnectorKind> {
        ConnectorKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConnectorKind::Slack => "Slack webhook",
            ConnectorKind::Teams => "Microsoft Teams webhook",
            ConnectorKind::Discord => "Discord webhook",
            ConnectorKind::Mattermost => "Mattermost webhook",
            ConnectorKind::Webhook => "Signed JSON webhook",
            ConnectorKind::Incoming => "Incoming webhook",
            ConnectorKind::Matrix => "Matrix room",
        }
    }

    /// New posts of the space are sent to it.
    pub fn sends(self) -> bool {
        !matches!(self, ConnectorKind::Incoming)
    }

    /// It carries edits and deletions, not only new posts.
    pub fn follows_changes(self) -> bool {
        matches!(self, ConnectorKind::Webhook | ConnectorKind::Matrix)
    }

    /// It keeps a secret to sign with (shown once, at creation).
    pub fn signs(self) -> bool {
        matches!(self, ConnectorKind::Webhook | ConnectorKind::Incoming)
    }
}

pub const NAME_MAX: usize = 80;
const URL_MAX: usize = 2000;
const ROOM_MAX: usize = 255;

pub fn parse_name(raw: &str) -> Result<String, String> {
    crate::fields::single_line(raw, NAME_MAX)
}

/// The target of a connector: an http(s) URL for webhooks out, a room id or alias for Matrix,
/// nothing for an incoming webhook (it has its own address).
pub fn parse_target(kind: ConnectorKind, raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    match kind {
        ConnectorKind::Incoming => Ok(String::new()),
        ConnectorKind::Matrix => parse_room(raw),
        _ => parse_url(raw),
    }
}

fn parse_url(raw: &str) -> Result<String, String> {
    let refused = || "Give the webhook's address, starting with https:// or http://.".to_owned();
    if raw.is_empty() || raw.chars().count() > URL_MAX || raw.chars().any(char::is_control) {
        return Err(refused());
    }
    let url = url::Url::parse(raw).map_err(|_| refused())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(refused());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Leave names and passwords out of the address.".into());
    }
    Ok(url.to_string())
}

/// A room id (`!opaque:server`, or `!opaque` alone since room version 12) or an alias
/// (`#alias:server`).
fn parse_room(raw: &str) -> Result<String, String> {
    let refused = || "Give the room id (!abc:example.org) or alias (#room:example.org).".to_owned();
    if raw.len() > ROOM_MAX || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refused());
    }
    let plausible = if let Some(id) = raw.strip_prefix('!') {
        !id.is_empty() && !id.starts_with(':') && !id.ends_with(':')
    } else if let Some(alias) = raw.strip_prefix('#') {
        alias
            .split_once(':')
            .is_some_and(|(local, server)| !local.is_empty() && !server.is_empty())
    } else {
        false
    };
    if plausible {
        Ok(raw.to_owned())
    } else {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in ConnectorKind::ALL {
            assert_eq!(ConnectorKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ConnectorKind::parse("irc"), None);
    }

    #[test]
    fn targets_are_checked_per_kind() {
        let slack = ConnectorKind::Slack;
        assert!(parse_target(slack, "https://hooks.slack.com/services/T/B/X").is_ok());
        for bad in [
            "",
            "ftp://x",
            "javascript:alert(1)",
            "https://u:p@x.org/",
            "not a url",
        ] {
            assert!(parse_target(slack, bad).is_err(), "{bad}");
        }
        let matrix = ConnectorKind::Matrix;
        assert!(parse_target(matrix, "!abc:localhost").is_ok());
        assert!(parse_target(matrix, "#learning:example.org").is_ok());
        assert!(parse_target(matrix, "!WgnfsSCOXfQ2P0b7Rhqj27Jy9sVnZ8NzEoOLEtYKEUE").is_ok());
        for bad in ["abc", "#abc", "!", "@user:x", "!a b:x", "#:x", ""] {
            assert!(parse_target(matrix, bad).is_err(), "{bad}");
        }
        assert_eq!(parse_target(ConnectorKind::Incoming, "x").unwrap(), "");
    }
}
