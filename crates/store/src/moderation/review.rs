//! Reports and the one review queue: held content, nudged content sent for review and reported
//! content become review items (one open item per subject), which moderators decide.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewItemRow {
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub space_id: Option<i64>,
    pub source: String,
    pub severity: i64,
    pub report_count: i64,
    pub excerpt: String,
    pub verdict: Option<Json<serde_json::Value>>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The platform a post came from (guildhall when written here).
    pub origin: String,
}

const ITEM_COLUMNS: &str = "r.id, r.subject_kind, r.subject_id, r.author_id, u.display_name AS author_name, \
     r.space_id, r.source, r.severity, r.report_count, r.excerpt, r.verdict, r.status, r.decided_by, \
     r.decision_reason, r.created_at, COALESCE(po.origin, 'guildhall') AS origin FROM review_items r \
     LEFT JOIN users u ON u.id = r.author_id LEFT JOIN posts po ON r.subject_kind = 'post' AND po.id = r.subject_id";

pub struct NewReviewItem<'a> {
    pub subject_kind: &'a str,
    pub subject_id: i64,
    pub author_id: Option<i64>,
    pub space_id: Option<i64>,
    pub source: &'a str,
    pub severity: i64,
    pub excerpt: &'a str,
    pub verdict: Option<&'a serde_json::Value>,
    pub at: DateTime<Utc>,
}

/// The open item for a subject, creating it when there is none; returns its id.
pub async fn open_item(tx: &mut Tx, item: &NewReviewItem<'_>) -> Result<i64> {
    let existing: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT id FROM review_items WHERE subject_kind = $1 AND subject_id = $2 AND status = 'open'",
        )
        .bind(item.subject_kind)
        .bind(item.subject_id)
        .fetch_optional(conn)
        .await
    })?;
    if let Some(id) = existing {
        with_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE review_items SET severity = CASE WHEN severity < $2 THEN $2 ELSE severity END \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(item.severity)
            .execute(conn)
            .await
            .map(|_| ())
        })?;
        return Ok(id);
    }
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO review_items (subject_kind, subject_id, author_id, space_id, source, severity, \
             report_count, excerpt, verdict, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, 'open', $9) RETURNING id",
        )
        .bind(item.subject_kind)
        .bind(item.subject_id)
        .bind(item.author_id)
        .bind(item.space_id)
        .bind(item.source)
        .bind(item.severity)
        .bind(item.excerpt)
        .bind(item.verdict.map(Json))
        .bind(item.at)
        .fetch_one(conn)
        .await
    })?)
}

/// The author says the check was wrong ("this was not rude"): their open item for the post,
/// sent for review after a nudge, becomes `disputed` so moderators see it as a possible false
/// positive (and, approved, as training material). False when there is no such item.
pub async fn mark_disputed(db: &Db, post_id: i64, author_id: i64) -> Result<bool> {
    let changed = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE review_items SET source = 'disputed' WHERE subject_kind = 'post' \
             AND subject_id = $1 AND author_id = $2 AND status = 'open' AND source = 'nudged'",
        )
        .bind(post_id)
        .bind(author_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(changed > 0)
}

/// Bodies of disputed posts that moderators approved, oldest first.
pub async fn approved_disputes(db: &Db) -> Result<Vec<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT p.body FROM review_items r JOIN posts p ON p.id = r.subject_id \
             WHERE r.subject_kind = 'post' AND r.source = 'disputed' AND r.status = 'approved' \
             ORDER BY r.id",
        )
        .fetch_all(pool)
        .await
    })?)
}

/// Records a report on an open item; `None` when this person already reported it, else the
/// item's new report count.
pub async fn add_report(
    tx: &mut Tx,
    item_id: i64,
    reporter_id: i64,
    reason: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<Option<i64>> {
    let inserted = with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO reports (review_item_id, reporter_id, reason, detail, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (review_item_id, reporter_id) DO NOTHING",
        )
        .bind(item_id)
        .bind(reporter_id)
        .bind(reason)
        .bind(detail)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    if inserted == 0 {
        return Ok(None);
    }
    Ok(Some(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE review_items SET report_count = report_count + 1 WHERE id = $1 RETURNING report_count",
        )
        .bind(item_id)
        .fetch_one(conn)
        .await
    })?))
}

pub async fn item(db: &Db, id: i64) -> Result<Option<ReviewItemRow>> {
    let sql = format!("SELECT {ITEM_COLUMNS} WHERE r.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Open items, most severe, most reported and oldest first; `source` filters when not empty.
pub async fn queue(db: &Db, source: Option<&str>, limit: i64) -> Result<Vec<ReviewItemRow>> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} WHERE r.status = 'open' AND ($1 IS NULL OR r.source = $1) \
         ORDER BY r.severity DESC, r.report_count DESC, r.created_at, r.id LIMIT $2"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(source)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Closes an open item; false when someone else decided it first.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    status: &str,
    by: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE review_items SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5 \
             WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(status)
        .bind(by)
        .bind(reason)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn reporters(tx: &mut Tx, item_id: i64) -> Result<Vec<i64>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT reporter_id FROM reports WHERE review_item_id = $1 ORDER BY id")
            .bind(item_id)
            .fetch_all(conn)
            .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub reporter_name: Option<String>,
    pub reason: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

pub async fn reports(db: &Db, item_id: i64) -> Result<Vec<ReportRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.display_name AS reporter_name, p.reason, p.detail, p.created_at FROM reports p \
             LEFT JOIN users u ON u.id = p.reporter_id WHERE p.review_item_id = $1 ORDER BY p.id",
        )
        .bind(item_id)
        .fetch_all(pool)
        .await
    })?)
}

/// Hides a post pending review (`Some`) or shows it again (`None`); an opening post takes its
/// thread with it.
pub async fn set_post_hidden(tx: &mut Tx, post_id: i64, at: Option<DateTime<Utc>>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE posts SET hidden_at = $2 WHERE id = $1")
            .bind(post_id)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE threads SET hidden_at = $2 WHERE id = (SELECT thread_id FROM posts WHERE id = $1) \
             AND (SELECT MIN(id) FROM posts WHERE thread_id = threads.id) = $1",
        )
        .bind(post_id)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}
