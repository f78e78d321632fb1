//! Kudos: short public thank-yous from one person to another.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub async fn insert_in(
    tx: &mut Tx,
    from_id: i64,
    to_id: i64,
    message: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO kudos (from_id, to_id, message, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id"
    )
    .bind(from_id)
    .bind(to_id)
    .bind(message)
    .bind(at)
    .fetch_one(conn)
    .await)?)
}

/// Kudos a person gave since `since` (a day's limit).
pub async fn given_since(db: &Db, from_id: i64, since: DateTime<Utc>) -> Result<i64> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM kudos WHERE from_id = $1 AND created_at >= $2"
    )
    .bind(from_id)
    .bind(since)
    .fetch_one(pool)
    .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KudosRow {
    pub id: i64,
    pub from_id: i64,
    pub from_name: String,
    pub from_photo: Option<String>,
    pub to_id: i64,
    pub to_name: String,
    pub to_photo: Option<String>,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT k.id, k.from_id, f.display_name AS from_name, \
     f.photo_sha256 AS from_photo, k.to_id, t.display_name AS to_name, \
     t.photo_sha256 AS to_photo, k.message, k.created_at \
     FROM kudos k JOIN users f ON f.id = k.from_id JOIN users t ON t.id = k.to_id";

/// The recognition feed (everyone's kudos, newest first), or one person's when `to` is given.
pub async fn feed(db: &Db, to: Option<i64>, before: i64, limit: i64) -> Result<Vec<KudosRow>> {
    let rows = match to {
        Some(person) => {
            let sql = format!(
                "{SELECT} WHERE k.to_id = $1 AND k.id < $2 AND k.hidden_at IS NULL \
                 ORDER BY k.id DESC LIMIT $3"
            );
            with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(person)
                .bind(before)
                .bind(limit)
                .fetch_all(pool)
                .await)?
        }
        None => {
            let sql = format!(
                "{SELECT} WHERE k.id < $1 AND k.hidden_at IS NULL ORDER BY k.id DESC LIMIT $2"
            );
            with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(before)
                .bind(limit)
                .fetch_all(pool)
                .await)?
        }
    };
    Ok(rows)
}

/// Hides a kudos (a moderator removed it); returns its giver and recipient when it was shown.
pub async fn hide_in(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<Option<(i64, i64)>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(
        "UPDATE kudos SET hidden_at = $2 WHERE id = $1 AND hidden_at IS NULL \
         RETURNING from_id, to_id"
    )
    .bind(id)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await)?)
}
