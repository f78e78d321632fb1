//! Badges and their awards. An award's id is also its bit in the revocation status list, and
//! its `credential_key` the last segment of its credential's public URL.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BadgeRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub emoji: String,
    pub kind: String,
    pub space_id: Option<i64>,
    pub awarded: i64,
}

pub struct NewBadge<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub criteria: &'a str,
    pub emoji: &'a str,
    pub kind: &'a str,
    pub space_id: Option<i64>,
    pub created_by: Option<i64>,
    pub at: DateTime<Utc>,
}

const INSERT: &str = "INSERT INTO badges (slug, name, description, criteria, emoji, kind, \
     space_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (slug) DO NOTHING RETURNING id";

macro_rules! bind_badge {
    ($query:expr, $badge:expr) => {
        $query
            .bind($badge.slug)
            .bind($badge.name)
            .bind($badge.description)
            .bind($badge.criteria)
            .bind($badge.emoji)
            .bind($badge.kind)
            .bind($badge.space_id)
            .bind($badge.created_by)
            .bind($badge.at)
    };
}

/// Creates a badge, or finds the one with this slug (the automatic ones are made on first use).
pub async fn ensure_in(tx: &mut Tx, badge: &NewBadge<'_>) -> Result<i64> {
    let created: Option<i64> = with_tx!(tx, |conn| bind_badge!(sqlx::query_scalar(INSERT), badge)
        .fetch_optional(&mut *conn)
        .await)?;
    if let Some(id) = created {
        return Ok(id);
    }
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT id FROM badges WHERE slug = $1"
    )
    .bind(badge.slug)
    .fetch_one(conn)
    .await)?)
}

/// `false` when a badge with this slug exists.
pub async fn create(db: &Db, badge: &NewBadge<'_>) -> Result<bool> {
    let id: Option<i64> = with_db!(db, |pool| bind_badge!(sqlx::query_scalar(INSERT), badge)
        .fetch_optional(pool)
        .await)?;
    Ok(id.is_some())
}

const BADGE: &str = "SELECT b.id, b.slug, b.name, b.description, b.criteria, b.emoji, b.kind, \
     b.space_id, (SELECT COUNT(*) FROM badge_awards a WHERE a.badge_id = b.id \
     AND a.revoked_at IS NULL) AS awarded FROM badges b";

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<BadgeRow>> {
    let sql = format!("{BADGE} WHERE b.slug = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(slug)
    .fetch_optional(pool)
    .await)?)
}

/// Every badge, the automatic ones first.
pub async fn all(db: &Db) -> Result<Vec<BadgeRow>> {
    let sql = format!("{BADGE} ORDER BY b.kind, b.name LIMIT 500");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(pool)
    .await)?)
}

/// Awards a badge; `None` when the person holds it already.
pub async fn award_in(
    tx: &mut Tx,
    badge_id: i64,
    user_id: i64,
    awarded_by: Option<i64>,
    reason: &str,
    credential_key: &str,
    at: DateTime<Utc>,
) -> Result<Option<i64>> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO badge_awards (badge_id, user_id, awarded_by, reason, credential_key, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (badge_id, user_id) DO NOTHING RETURNING id"
    )
    .bind(badge_id)
    .bind(user_id)
    .bind(awarded_by)
    .bind(reason)
    .bind(credential_key)
    .bind(at)
    .fetch_optional(conn)
    .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AwardRow {
    pub id: i64,
    pub badge_id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub emoji: String,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub awarded_by_name: Option<String>,
    pub reason: String,
    pub credential_key: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: String,
    pub created_at: DateTime<Utc>,
}

const AWARD: &str = "SELECT a.id, a.badge_id, b.slug, b.name, b.description, b.criteria, \
     b.emoji, a.user_id, u.display_name, u.email, g.display_name AS awarded_by_name, a.reason, \
     a.credential_key, a.revoked_at, a.revoked_reason, a.created_at FROM badge_awards a \
     JOIN badges b ON b.id = a.badge_id JOIN users u ON u.id = a.user_id \
     LEFT JOIN users g ON g.id = a.awarded_by";

/// A person's badges, newest first.
pub async fn awards_of(db: &Db, user_id: i64) -> Result<Vec<AwardRow>> {
    let sql = format!("{AWARD} WHERE a.user_id = $1 ORDER BY a.id DESC LIMIT 200");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)?)
}

/// Who holds a badge, newest first, before the award `before`.
pub async fn holders(db: &Db, badge_id: i64, before: i64, limit: i64) -> Result<Vec<AwardRow>> {
    let sql = format!(
        "{AWARD} WHERE a.badge_id = $1 AND a.id < $2 AND a.revoked_at IS NULL \
         AND u.status = 'active' ORDER BY a.id DESC LIMIT $3"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(badge_id)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn award_by_key(db: &Db, credential_key: &str) -> Result<Option<AwardRow>> {
    let sql = format!("{AWARD} WHERE a.credential_key = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(credential_key)
    .fetch_optional(pool)
    .await)?)
}

pub async fn award_by_id(db: &Db, id: i64) -> Result<Option<AwardRow>> {
    let sql = format!("{AWARD} WHERE a.id = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// `false` when it was revoked already.
pub async fn revoke(db: &Db, award_id: i64, reason: &str, at: DateTime<Utc>) -> Result<bool> {
    let done = with_db!(db, |pool| sqlx::query(
        "UPDATE badge_awards SET revoked_at = $2, revoked_reason = $3 \
         WHERE id = $1 AND revoked_at IS NULL"
    )
    .bind(award_id)
    .bind(at)
    .bind(reason)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Ids of revoked awards in `[from, to)`: the set bits of one status list.
pub async fn revoked_between(db: &Db, from: i64, to: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT id FROM badge_awards WHERE id >= $1 AND id < $2 AND revoked_at IS NOT NULL"
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?)
}

/// The issuer's newest signing key seed (base64), if one was made.
pub async fn signing_seed(db: &Db) -> Result<Option<String>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT seed FROM credential_keys ORDER BY id DESC LIMIT 1"
    )
    .fetch_optional(pool)
    .await)?)
}

pub async fn add_signing_seed(db: &Db, seed: &str, at: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "INSERT INTO credential_keys (seed, created_at) VALUES ($1, $2)"
    )
    .bind(seed)
    .bind(at)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}
