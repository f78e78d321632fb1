//! The audit log for administrators: sign-ins, role changes, name changes, API tokens,
//! invitations and directory provisioning, newest first.

use super::Viewer;
use crate::{App, AppResult};
use chrono::{DateTime, Utc};
use guildhall_domain::people::Role;
use guildhall_store::moderation as store;
use serde::Serialize;

pub const AUDIT_PAGE: i64 = 100;

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
}

impl App {
    pub async fn audit_log(
        &self,
        viewer: &Viewer,
        before: Option<i64>,
    ) -> AppResult<Vec<AuditEntry>> {
        viewer.require(Role::Admin)?;
        Ok(
            store::recent_audit(self.db(), before.unwrap_or(i64::MAX), AUDIT_PAGE)
                .await?
                .into_iter()
                .map(|a| AuditEntry {
                    id: a.id,
                    actor_id: a.actor_id,
                    action: a.action,
                    subject: a.subject,
                    detail: a.detail.0,
                    at: a.created_at,
                })
                .collect(),
        )
    }
}
