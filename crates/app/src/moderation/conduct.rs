//! The code of conduct: admins publish versions (Markdown); every member accepts the current
//! one before writing. Acceptances are evidence in HR cases.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::people::Role;
use guildhall_domain::threads::render_post;
use guildhall_store::moderation::conduct as store;
use serde::Serialize;

const MAX_CONDUCT_CHARS: usize = 50_000;

#[derive(Debug, Clone, Serialize)]
pub struct ConductView {
    pub version: i64,
    pub body: String,
    /// Sanitised HTML of the Markdown body.
    pub body_html: String,
    pub published_at: DateTime<Utc>,
    /// The newest version the viewer accepted.
    pub accepted_version: Option<i64>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl ConductView {
    pub fn needs_acceptance(&self) -> bool {
        self.accepted_version.is_none_or(|v| v < self.version)
    }
}

impl App {
    /// The current code of conduct with the viewer's acceptance; `None` before the first version.
    pub async fn conduct(&self, viewer: &Viewer) -> AppResult<Option<ConductView>> {
        let Some(current) = store::current(self.db()).await? else {
            return Ok(None);
        };
        let accepted = store::accepted(self.db(), viewer.id).await?;
        Ok(Some(ConductView {
            version: current.version,
            body_html: render_post(&current.body),
            body: current.body,
            published_at: current.published_at,
            accepted_version: accepted.map(|(v, _)| v),
            accepted_at: accepted.map(|(_, at)| at),
        }))
    }

    /// Whether a person still has to accept the current code of conduct (after signing in, they
    /// are sent to read it).
    pub async fn conduct_pending(&self, user_id: i64) -> AppResult<bool> {
        let Some(current) = store::current(self.db()).await? else {
            return Ok(false);
        };
        let accepted = store::accepted(self.db(), user_id).await?;
        Ok(accepted.is_none_or(|(version, _)| version < current.version))
    }

    pub async fn accept_conduct(&self, viewer: &Viewer, version: i64) -> AppResult<()> {
        let current = store::current(self.db()).await?.ok_or(AppError::NotFound)?;
        if current.version != version {
            return Err(AppError::Conflict {
                code: "conduct_changed",
                message: "A newer version of the code of conduct was published: please read it."
                    .into(),
            });
        }
        store::accept(self.db(), viewer.id, version, clock::now()).await?;
        Ok(())
    }

    /// Publishes a new version; everyone accepts it again before writing.
    pub async fn publish_conduct(&self, viewer: &Viewer, body: &str) -> AppResult<i64> {
        viewer.require(Role::Admin)?;
        let body = guildhall_domain::spaces::parse_long_text(body, MAX_CONDUCT_CHARS, true)
            .map_err(|m| AppError::invalid("body", m))?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let version = store::publish(&mut tx, &body, viewer.id, now).await?;
        tx.commit().await?;
        // The author has read what they wrote.
        store::accept(self.db(), viewer.id, version, now).await?;
        Ok(version)
    }
}
