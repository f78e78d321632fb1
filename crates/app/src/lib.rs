//! Guildhall's use cases. Each public function is one thing a person (or a remote platform) can
//! do: check permission, validate, ask `domain`, write through `store` in one transaction and
//! record the side effects in the outbox. Both faces (`web`, `nexus`) call these and nothing else.

mod calendar;
pub mod clock;
pub mod coaching;
pub mod connectors;
pub mod email;
pub mod error;
pub mod events;
pub mod feeds;
pub mod http;
pub mod ideas;
pub mod insights;
pub mod knowledge;
pub mod moderation;
pub mod nexus;
pub mod notify;
pub mod outbox;
pub mod partners;
pub mod people;
pub mod rewards;
pub mod search;
pub mod secrets;
pub mod settings;
pub mod spaces;
pub mod threads;
pub mod xapi;

pub use error::{AppError, AppResult};
pub use guildhall_store::Db;
pub use settings::Settings;

use std::sync::Arc;

/// Everything a use case needs, cheap to clone into every request.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    settings: Settings,
    login_limits: people::LoginLimits,
    viewers: people::ViewerCache,
    files: guildhall_store::files::FileStore,
    setup_done: std::sync::atomic::AtomicBool,
    live: tokio::sync::broadcast::Sender<notify::LiveEvent>,
    /// Set on PostgreSQL: this instance's live events also go to the other instances.
    relay: std::sync::OnceLock<notify::RelaySender>,
    instance: u64,
    closing: tokio::sync::watch::Sender<bool>,
    checks: moderation::CheckCache,
    sso_metadata: people::SsoMetadataCache,
    daily: clock::Daily,
    dashboards: insights::DashboardCache,
    email_key: email::EmailKey,
}

/// Every module's outbox effects: each lists its own, the outbox imports none of them.
fn effects() -> impl Iterator<Item = &'static outbox::Effect> {
    [
        outbox::EFFECTS,
        notify::EFFECTS,
        events::EFFECTS,
        insights::EFFECTS,
        rewards::EFFECTS,
        knowledge::EFFECTS,
        nexus::EFFECTS,
    ]
    .into_iter()
    .flatten()
}

impl App {
    pub fn new(db: Db, settings: Settings) -> App {
        if !settings.http.extra_roots.is_empty() {
            // The server checked the file at start (`Settings::check`); a file gone since is
            // logged, and requests to servers it vouched for fail with a TLS error.
            let pem_file = std::path::Path::new(&settings.http.extra_roots);
            if let Err(error) = http::trust(pem_file) {
                tracing::error!(%error, "http.extra_roots is not trusted");
            }
        }
        let login_limits = people::LoginLimits::new(&settings.auth);
        let files = guildhall_store::files::FileStore::new(&settings.data_dir);
        App {
            inner: Arc::new(Inner {
                db,
                settings,
                login_limits,
                viewers: people::ViewerCache::default(),
                files,
                setup_done: std::sync::atomic::AtomicBool::new(false),
                live: notify::live_channel(),
                relay: std::sync::OnceLock::new(),
                instance: notify::instance_id(),
                closing: tokio::sync::watch::channel(false).0,
                checks: moderation::CheckCache::default(),
                sso_metadata: people::SsoMetadataCache::default(),
                daily: clock::Daily::default(),
                dashboards: insights::DashboardCache::default(),
                email_key: email::EmailKey::default(),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Tells long-lived work (live update streams) that the server is stopping.
    pub fn close(&self) {
        let _ = self.inner.closing.send(true);
    }

    /// Turns true when the server is stopping.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }
}
