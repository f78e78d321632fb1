//! The outbox: side effects recorded in the same transaction as the change that causes them, then
//! delivered by workers with retries. Nothing talks to the network inside a request.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

pub const PENDING: &str = "pending";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub payload: Json<serde_json::Value>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Records an effect to carry out at `due` (the outbox doubles as the scheduler).
pub async fn enqueue_at(
    tx: &mut Tx,
    kind: &str,
    payload: &serde_json::Value,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO outbox (kind, payload, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, 'pending', 0, $3, $4) RETURNING id",
        )
        .bind(kind)
        .bind(Json(payload))
        .bind(due)
        .bind(now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<i64> {
    enqueue_at(tx, kind, payload, now, now).await
}

/// PostgreSQL: several workers (even on several machines) claim disjoint rows without waiting.
const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'running', locked_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox \
        WHERE (status = 'pending' AND next_attempt_at <= $2) OR (status = 'running' AND locked_until < $2) \
        ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, payload, status, attempts, next_attempt_at, last_error, created_at";

/// SQLite has one writer at a time, so the UPDATE itself is the claim.
const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'running', locked_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox \
        WHERE (status = 'pending' AND next_attempt_at <= $2) OR (status = 'running' AND locked_until < $2) \
        ORDER BY id LIMIT $3) \
     RETURNING id, kind, payload, status, attempts, next_attempt_at, last_error, created_at";

/// Claims up to `limit` due rows for `lease`; a row whose worker died is claimed again once its
/// lease has run out.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    crate::db::assert_no_open_tx();
    let mut rows: Vec<OutboxRow> = match db {
        Db::Sqlite(pool, _) => {
            sqlx::query_as(CLAIM_SQLITE)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(CLAIM_POSTGRES)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
    };
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}

pub async fn complete(db: &Db, id: i64, now: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'done', finished_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Records a failed attempt: tried again at `retry_at`, or dead when there is none.
pub async fn fail(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let (status, next, finished) = match retry_at {
        Some(at) => (PENDING, at, None),
        None => (DEAD, now, Some(now)),
    };
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = $1, next_attempt_at = $2, finished_at = $3, locked_until = NULL, last_error = $4 \
             WHERE id = $5",
        )
        .bind(status)
        .bind(next)
        .bind(finished)
        .bind(error)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn by_status(
    db: &Db,
    status: &str,
    before_id: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, kind, payload, status, attempts, next_attempt_at, last_error, created_at FROM outbox \
             WHERE status = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(status)
        .bind(before_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Gives a dead row a fresh set of attempts; `false` when the row is not dead.
pub async fn revive(db: &Db, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, finished_at = NULL \
             WHERE id = $2 AND status = 'dead'",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn count_by_status(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
            .fetch_all(pool)
            .await
    })?)
}

/// Delivered rows are kept a while for inspection, then removed.
pub async fn purge_done(db: &Db, finished_before: DateTime<Utc>) -> Result<u64> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM outbox WHERE status = 'done' AND finished_at < $1")
            .bind(finished_before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}
