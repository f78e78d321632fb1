//! Keeping the rules: the audit log (who did what, when) here; the code of conduct, word and link
//! rules, reports and review, sanctions and HR cases in the modules below.

pub mod conduct;
pub mod hr;
pub mod review;
pub mod rules;
pub mod sanctions;

use crate::{Db, Result, with_db};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: Json<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

pub struct NewAudit<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a serde_json::Value,
    pub at: DateTime<Utc>,
}

pub async fn insert_audit(db: &Db, entry: &NewAudit<'_>) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO audit_log (actor_id, action, subject, detail, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.subject)
        .bind(Json(entry.detail))
        .bind(entry.at)
        .fetch_one(pool)
        .await
    })?)
}

/// Newest first, before `before_id` (keyset pagination).
pub async fn recent_audit(db: &Db, before_id: i64, limit: i64) -> Result<Vec<AuditRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, actor_id, action, subject, detail, created_at FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}
