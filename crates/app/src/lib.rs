//! Guildhall's use cases. Each public function is one thing a person (or a remote platform) can
//! do: check permission, validate, ask `domain`, write through `store` in one transaction and
//! record the side effects in the outbox. Both faces (`web`, `nexus`) call these and nothing else.

pub mod clock;
pub mod error;
pub mod outbox;
pub mod people;
pub mod search;
pub mod secrets;
pub mod settings;
pub mod spaces;
pub mod threads;

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
    setup_done: std::sync::atomic::AtomicBool,
}

impl App {
    pub fn new(db: Db, settings: Settings) -> App {
        let login_limits = people::LoginLimits::new(&settings.auth);
        App {
            inner: Arc::new(Inner {
                db,
                settings,
                login_limits,
                setup_done: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }
}
