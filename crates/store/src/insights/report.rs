//! What moderation did, for the public transparency report: counts only, never names or text.

use crate::{Db, Result, with_db};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

/// Texts blocked as they were written: when, and the check's verdict (categories inside).
pub async fn blocked_since(
    db: &Db,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Json<serde_json::Value>)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT created_at, verdict FROM blocked_attempts WHERE created_at >= $1 ORDER BY id"
    )
    .bind(since)
    .fetch_all(pool)
    .await)?)
}

/// Review items opened since `since`: when, why (held, nudged, disputed, reported) and how
/// they ended (open, approved, removed…).
pub async fn reviews_since(
    db: &Db,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, String, String)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT created_at, source, status FROM review_items WHERE created_at >= $1 ORDER BY id"
    )
    .bind(since)
    .fetch_all(pool)
    .await)?)
}

/// Sanctions given since `since`: when, and which kind.
pub async fn sanctions_since(
    db: &Db,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, String)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT created_at, kind FROM sanctions WHERE created_at >= $1 ORDER BY id"
    )
    .bind(since)
    .fetch_all(pool)
    .await)?)
}
