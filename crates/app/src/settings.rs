//! The one typed configuration. Defaults here → `guildhall.toml` → `GUILDHALL_*` environment
//! variables (nested with `__`, e.g. `GUILDHALL_SERVER__LISTEN`); loading lives in the server.
//! `guildhall.example.toml` documents every key and a test keeps it equal to these defaults.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

mod email;
pub use email::{EmailSettings, EmailTls};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub node: NodeSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub outbox: OutboxSettings,
    pub moderation: ModerationSettings,
    pub people: PeopleSettings,
    pub insights: InsightsSettings,
    pub connectors: ConnectorSettings,
    pub email: EmailSettings,
    pub metrics: MetricsSettings,
    pub log: LogSettings,
    /// Outbound requests (fediverse servers, identity providers, connectors, the LRS).
    pub http: HttpSettings,
    /// Learning records sent to the organisation's Learning Record Store.
    pub xapi: crate::xapi::XapiSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub listen: String,
    pub public_url: String,
    pub request_timeout_secs: u64,
    pub max_body_bytes: usize,
}

/// What this instance does when several run behind a load balancer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NodeSettings {
    pub web: bool,
    pub worker: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub session_days: i64,
    pub login_attempts_per_email_per_minute: u32,
    pub login_attempts_per_ip_per_minute: u32,
    pub invitation_days: i64,
    /// Off when everyone signs in through an identity provider: the password form disappears.
    pub password_sign_in: bool,
    /// OpenID Connect providers shown as buttons on the sign-in page.
    pub oidc: Vec<OidcProvider>,
}

/// Which kind of provider: fills in the label, icon, scopes and (for Google) the issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OidcPreset {
    Google,
    Microsoft,
    Okta,
    Keycloak,
    #[default]
    Generic,
}

/// One OpenID Connect provider (`[[auth.oidc]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct OidcProvider {
    /// In the callback address `/auth/oidc/{id}/callback`: letters, digits, `-` and `_`.
    pub id: String,
    /// The button text; empty takes the preset's ("Sign in with Google").
    pub label: String,
    /// One of [`SSO_ICONS`] drawn on the button; empty takes the preset's.
    pub icon: String,
    pub preset: OidcPreset,
    /// Empty only for Google; Entra ID needs its tenant: https://login.microsoftonline.com/{tenant}/v2.0
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// A file holding the client secret (a mounted secret), read at each sign-in; wins over
    /// `client_secret`. Environment variables cannot reach into this list, so this is the
    /// `*_FILE` of providers.
    pub client_secret_file: String,
    /// A first sign-in whose provider vouches for the email (`email_verified`) joins the
    /// existing account with that address instead of being refused.
    pub link_by_verified_email: bool,
}

/// The icons a sign-in button can carry (drawn in the sign-in page, nothing fetched).
pub const SSO_ICONS: &[&str] = &["google", "microsoft", "okta", "keycloak", "key", "building"];

impl Settings {
    /// What serde cannot say: a misconfigured identity provider stops the server at start, with
    /// the reason, instead of failing the first person who clicks its button.
    pub fn check(&self) -> Result<(), String> {
        if !self.http.extra_roots.is_empty() {
            crate::http::read_roots(std::path::Path::new(&self.http.extra_roots))
                .map_err(|e| format!("http.extra_roots: {e}"))?;
        }
        let mut ids = std::collections::HashSet::new();
        for provider in &self.auth.oidc {
            let id = &provider.id;
            let id_ok = !id.is_empty()
                && id.len() <= 40
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !id_ok {
                return Err(format!(
                    "auth.oidc id {id:?}: use 1 to 40 letters, digits, - or _"
                ));
            }
            if !ids.insert(id.as_str()) {
                return Err(format!("auth.oidc id {id:?} is used twice"));
            }
            let icon = provider.icon.trim();
            if !icon.is_empty() && !SSO_ICONS.contains(&icon) {
                return Err(format!(
                    "auth.oidc {id}: icon {icon:?} is not one of {}",
                    SSO_ICONS.join(", ")
                ));
            }
            if provider.client_id.trim().is_empty() {
                return Err(format!("auth.oidc {id}: client_id is missing"));
            }
            let issuer = provider.issuer.trim();
            let local =
                issuer.starts_with("http://127.0.0.1") || issuer.starts_with("http://localhost");
            if provider.preset != OidcPreset::Google && issuer.is_empty() {
                return Err(format!("auth.oidc {id}: issuer is missing"));
            }
            if !issuer.is_empty() && !issuer.starts_with("https://") && !local {
                return Err(format!(
                    "auth.oidc {id}: the issuer must be an https:// address"
                ));
            }
        }
        let insights = &self.insights;
        if !(0..=24 * 60).contains(&insights.unanswered_hours) {
            return Err("insights.unanswered_hours: use 0 to 1440 hours".into());
        }
        if !(0.05..=1.0).contains(&insights.facilitator_share) {
            return Err("insights.facilitator_share: use a share from 0.05 to 1".into());
        }
        self.email.check()?;
        self.xapi.check()?;
        Ok(())
    }
}

/// Professional names and profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleSettings {
    /// Names that come from the organisation's directory or identity provider cannot be changed
    /// by request; they change at the source.
    pub lock_verified_names: bool,
    /// Administrator and HR roles work only in sessions that passed a second factor (TOTP).
    pub second_factor_for_admins_and_hr: bool,
}

impl Default for PeopleSettings {
    fn default() -> Self {
        PeopleSettings {
            lock_verified_names: true,
            second_factor_for_admins_and_hr: true,
        }
    }
}

/// Care signals and the community's voice (DESIGN.md §7: care, not surveillance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InsightsSettings {
    /// Hours a question may wait for its first answer before its asker's helpers hear of it
    /// (0: at once, for trials and the browser tests).
    pub unanswered_hours: i64,
    /// Facilitators' share of a space's words (0–1) above which, two weeks running, they get a
    /// gentle nudge to listen more.
    pub facilitator_share: f64,
    /// Strict mode: only the member sees their own signals; helpers see none.
    pub strict: bool,
}

impl Default for InsightsSettings {
    fn default() -> Self {
        InsightsSettings {
            unanswered_hours: 48,
            facilitator_share: 0.4,
            strict: false,
        }
    }
}

/// The community's rules (DESIGN.md §6): how sure the checks must be, and the limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationSettings {
    /// Insult model score (0–1) from which a text is nudged.
    pub insult_threshold: f64,
    /// Image model P(explicit) (0–1) from which an image is blocked and an HR case opened.
    pub image_threshold: f64,
    /// Reports by different members after which content is hidden until a moderator decides.
    pub reports_to_hide: i64,
    /// Members younger than this many days have the flood and duplicate limits.
    pub new_member_days: i64,
    /// Posts a new member may write in ten minutes.
    pub new_member_posts_per_10_minutes: i64,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings {
            insult_threshold: guildhall_domain::moderation::DEFAULT_INSULT_THRESHOLD,
            image_threshold: 0.8,
            reports_to_hide: 3,
            new_member_days: 7,
            new_member_posts_per_10_minutes: 10,
        }
    }
}

/// Chat platform connectors (issue 15): webhooks out and in, the Matrix application service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectorSettings {
    /// Seconds one delivery may take; a slower platform counts as failed and is tried again.
    pub timeout_secs: u64,
    /// Largest body an incoming webhook or a Matrix transaction may carry.
    pub max_inbound_bytes: usize,
    /// How far a signed webhook's timestamp may be from our clock (and how long ids are kept).
    pub tolerance_secs: i64,
    pub matrix: MatrixSettings,
}

impl Default for ConnectorSettings {
    fn default() -> Self {
        ConnectorSettings {
            timeout_secs: 10,
            max_inbound_bytes: 256 * 1024,
            tolerance_secs: 300,
            matrix: MatrixSettings::default(),
        }
    }
}

/// Our Matrix application service; `guildhall matrix-registration` prints its registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatrixSettings {
    /// The homeserver's client-server API, e.g. "https://matrix.example.org" (empty: off).
    pub homeserver_url: String,
    /// The homeserver's name: the part after ":" in user ids.
    pub server_name: String,
    /// We send with it (the registration's `as_token`).
    pub as_token: Secret,
    /// The homeserver sends with it (the registration's `hs_token`).
    pub hs_token: Secret,
    /// Our bot is `@<sender_localpart>:<server_name>`.
    pub sender_localpart: String,
    /// Members appear in rooms as `@<user_prefix><id>:<server_name>`.
    pub user_prefix: String,
}

impl Default for MatrixSettings {
    fn default() -> Self {
        MatrixSettings {
            homeserver_url: String::new(),
            server_name: String::new(),
            as_token: Secret::default(),
            hs_token: Secret::default(),
            sender_localpart: "guildhall".into(),
            user_prefix: "guildhall_".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxSettings {
    pub poll_interval_ms: u64,
    pub batch_size: i64,
    pub max_attempts: i64,
    pub backoff_base_secs: i64,
    pub lease_secs: i64,
    pub keep_done_days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    pub enabled: bool,
    pub listen: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// A PEM file of certificate authorities trusted beside the system's; empty: none.
    pub extra_roots: String,
}

/// A value that must never reach a log line: `Debug` shows `[redacted]` unless it is empty.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "[redacted]"
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("./data"),
            server: ServerSettings::default(),
            node: NodeSettings::default(),
            database: DatabaseSettings::default(),
            auth: AuthSettings::default(),
            outbox: OutboxSettings::default(),
            moderation: ModerationSettings::default(),
            people: PeopleSettings::default(),
            insights: InsightsSettings::default(),
            connectors: ConnectorSettings::default(),
            email: EmailSettings::default(),
            metrics: MetricsSettings::default(),
            log: LogSettings::default(),
            http: HttpSettings::default(),
            xapi: crate::xapi::XapiSettings::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            request_timeout_secs: 30,
            max_body_bytes: 1024 * 1024,
        }
    }
}

impl Default for NodeSettings {
    fn default() -> Self {
        NodeSettings {
            web: true,
            worker: true,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: Secret::default(),
            max_connections: 10,
            acquire_timeout_secs: 10,
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            session_days: 30,
            login_attempts_per_email_per_minute: 5,
            login_attempts_per_ip_per_minute: 20,
            invitation_days: 14,
            password_sign_in: true,
            oidc: Vec::new(),
        }
    }
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            poll_interval_ms: 1000,
            batch_size: 20,
            max_attempts: 8,
            backoff_base_secs: 5,
            lease_secs: 300,
            keep_done_days: 7,
        }
    }
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            enabled: true,
            listen: "127.0.0.1:9464".into(),
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Pretty,
            level: "info".into(),
        }
    }
}

impl Settings {
    /// Cookies get the `Secure` flag (and the `__Host-` prefix) when people reach us over TLS.
    pub fn served_over_tls(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("guildhall.db")
    }

    pub fn uses_postgres(&self) -> bool {
        let url = self.database.url.expose();
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut settings = Settings::default();
        settings.database.url = Secret::new("postgres://guild:hunter2@db/guild");
        let printed = format!("{settings:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("[redacted]"));
    }

    fn with_provider(change: impl FnOnce(&mut OidcProvider)) -> Result<(), String> {
        let mut provider = OidcProvider {
            id: "corp".into(),
            client_id: "guildhall".into(),
            issuer: "https://id.example.org".into(),
            ..OidcProvider::default()
        };
        change(&mut provider);
        let mut settings = Settings::default();
        settings.auth.oidc = vec![provider];
        settings.check()
    }

    #[test]
    fn identity_providers_are_checked_at_start() {
        assert_eq!(with_provider(|_| {}), Ok(()));
        assert_eq!(with_provider(|p| p.icon = "microsoft".into()), Ok(()));
        let refusals = [
            (
                with_provider(|p| p.icon = "https://evil.example/x.svg".into()),
                "icon",
            ),
            (with_provider(|p| p.id = "no spaces".into()), "letters"),
            (with_provider(|p| p.client_id = " ".into()), "client_id"),
            (
                with_provider(|p| p.issuer = "http://id.example.org".into()),
                "https://",
            ),
            (
                with_provider(|p| p.issuer = String::new()),
                "issuer is missing",
            ),
        ];
        for (outcome, words) in refusals {
            let message = outcome.expect_err(words);
            assert!(message.contains(words), "{message}");
        }
    }
}
