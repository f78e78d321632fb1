//! Code of conduct versions and who accepted which.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConductVersion {
    pub version: i64,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

pub async fn current(db: &Db) -> Result<Option<ConductVersion>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT version, body, published_at FROM conduct_versions ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn versions(db: &Db) -> Result<Vec<ConductVersion>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT version, body, published_at FROM conduct_versions ORDER BY version DESC",
        )
        .fetch_all(pool)
        .await
    })?)
}

/// Publishes the next version and returns its number.
pub async fn publish(tx: &mut Tx, body: &str, by: i64, at: DateTime<Utc>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO conduct_versions (version, body, published_by, published_at) \
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM conduct_versions RETURNING version",
        )
        .bind(body)
        .bind(by)
        .bind(at)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn accept(db: &Db, user_id: i64, version: i64, at: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO conduct_acceptances (user_id, version, accepted_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, version) DO NOTHING",
        )
        .bind(user_id)
        .bind(version)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The newest version a person accepted, and when.
const ACCEPTED: &str = "SELECT version, accepted_at FROM conduct_acceptances WHERE user_id = $1 \
     ORDER BY version DESC LIMIT 1";

pub async fn accepted(db: &Db, user_id: i64) -> Result<Option<(i64, DateTime<Utc>)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(ACCEPTED)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

/// The same, read by a transaction that records evidence (an HR case).
pub async fn accepted_in(tx: &mut Tx, user_id: i64) -> Result<Option<(i64, DateTime<Utc>)>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(ACCEPTED)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?)
}
