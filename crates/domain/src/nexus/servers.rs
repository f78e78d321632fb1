//! Which remote servers this instance hears: allow-list first (organisations federate with
//! partner organisations, not with the world), or everyone but a block list.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FederationMode {
    /// Only servers on the allow list.
    Allowlist,
    /// Every server except those on the block list.
    Open,
}

impl FederationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FederationMode::Allowlist => "allowlist",
            FederationMode::Open => "open",
        }
    }

    pub fn parse(raw: &str) -> Option<FederationMode> {
        match raw {
            "allowlist" => Some(FederationMode::Allowlist),
            "open" => Some(FederationMode::Open),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerPolicy {
    Allow,
    Block,
}

impl ServerPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerPolicy::Allow => "allow",
            ServerPolicy::Block => "block",
        }
    }

    pub fn parse(raw: &str) -> Option<ServerPolicy> {
        match raw {
            "allow" => Some(ServerPolicy::Allow),
            "block" => Some(ServerPolicy::Block),
            _ => None,
        }
    }
}

/// Whether a server with this listed policy (if any) may talk to us in this mode.
pub fn may_federate(mode: FederationMode, listed: Option<ServerPolicy>) -> bool {
    match (mode, listed) {
        (_, Some(ServerPolicy::Block)) => false,
        (FederationMode::Allowlist, listed) => listed == Some(ServerPolicy::Allow),
        (FederationMode::Open, _) => true,
    }
}

/// A host as it is listed: lower case, with a port when it is not the default one. `None` for
/// anything that is not a plain host name or address.
pub fn normalise_host(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let parsed = url::Url::parse(&format!("https://{raw}/")).ok()?;
    let host = parsed.host_str()?;
    let expected = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    (expected == raw && !raw.is_empty()).then_some(expected)
}

/// The listed host of a URL (host and non-default port), as [`normalise_host`] writes it.
pub fn host_of(address: &str) -> Option<String> {
    let parsed = url::Url::parse(address).ok()?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_hears_only_listed_servers_and_blocks_win() {
        use FederationMode::*;
        use ServerPolicy::*;
        assert!(may_federate(Allowlist, Some(Allow)));
        assert!(!may_federate(Allowlist, None));
        assert!(!may_federate(Allowlist, Some(Block)));
        assert!(may_federate(Open, None));
        assert!(!may_federate(Open, Some(Block)));
    }

    #[test]
    fn hosts_are_normalised_or_refused() {
        assert_eq!(
            normalise_host("Social.Example.ORG"),
            Some("social.example.org".into())
        );
        assert_eq!(
            normalise_host("127.0.0.1:8443"),
            Some("127.0.0.1:8443".into())
        );
        assert_eq!(normalise_host("https://x.org"), None);
        assert_eq!(normalise_host("x.org/path"), None);
        assert_eq!(normalise_host(""), None);
        assert_eq!(
            host_of("https://A.example:444/users/a"),
            Some("a.example:444".into())
        );
        assert_eq!(
            host_of("https://a.example/users/a"),
            Some("a.example".into())
        );
        assert_eq!(host_of("ftp://a.example/"), None);
    }
}
