//! Resources: what a `resource` thread is (link, file, article, video), its tags and skills,
//! who keeps it fresh, and the readers' "helpful" / "outdated" ratings.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResourceRow {
    pub thread_id: i64,
    pub kind: String,
    pub owner_id: Option<i64>,
    pub tags: String,
    pub helpful_count: i64,
    pub outdated_count: i64,
    pub last_reviewed_at: DateTime<Utc>,
    pub review_asked_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT thread_id, kind, owner_id, tags, helpful_count, outdated_count, \
     last_reviewed_at, review_asked_at FROM resources WHERE thread_id = $1";

pub struct NewResource<'a> {
    pub thread_id: i64,
    pub kind: &'a str,
    pub owner_id: i64,
    /// Normalised tags, separated by single spaces.
    pub tags: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_in(tx: &mut Tx, new: &NewResource<'_>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO resources (thread_id, kind, owner_id, tags, last_reviewed_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(new.thread_id)
    .bind(new.kind)
    .bind(new.owner_id)
    .bind(new.tags)
    .bind(new.at)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn set_skills_in(tx: &mut Tx, thread_id: i64, skill_ids: &[i64]) -> Result<()> {
    crate::profiles::replace_skill_links(
        tx,
        "DELETE FROM resource_skills WHERE thread_id = $1",
        "INSERT INTO resource_skills (thread_id, skill_id) VALUES ($1, $2)",
        thread_id,
        skill_ids,
    )
    .await
}

pub async fn resource(db: &Db, thread_id: i64) -> Result<Option<ResourceRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(SELECT)
        .bind(thread_id)
        .fetch_optional(pool)
        .await)?)
}

pub async fn resource_in(tx: &mut Tx, thread_id: i64) -> Result<Option<ResourceRow>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(SELECT)
        .bind(thread_id)
        .fetch_optional(conn)
        .await)?)
}

pub async fn skills(db: &Db, thread_id: i64) -> Result<Vec<String>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT s.name FROM resource_skills rs JOIN skills s ON s.id = rs.skill_id \
         WHERE rs.thread_id = $1 ORDER BY s.name_key"
    )
    .bind(thread_id)
    .fetch_all(pool)
    .await)?)
}

/// A reader's standing rating: cleared outdated flags do not stand.
const STANDING: &str = "SELECT rating FROM resource_ratings \
     WHERE thread_id = $1 AND user_id = $2 AND cleared_at IS NULL";

/// The reader's standing rating.
pub async fn rating_of(db: &Db, thread_id: i64, user_id: i64) -> Result<Option<String>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(STANDING)
        .bind(thread_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

async fn standing_in(tx: &mut Tx, thread_id: i64, user_id: i64) -> Result<Option<String>> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(STANDING)
        .bind(thread_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?)
}

/// Moves the resource's counters by `delta` for `rating`.
async fn count_in(tx: &mut Tx, thread_id: i64, rating: &str, delta: i64) -> Result<()> {
    let sql = if rating == "helpful" {
        "UPDATE resources SET helpful_count = helpful_count + $2 WHERE thread_id = $1"
    } else {
        "UPDATE resources SET outdated_count = outdated_count + $2 WHERE thread_id = $1"
    };
    with_tx!(tx, |conn| sqlx::query(sql)
        .bind(thread_id)
        .bind(delta)
        .execute(conn)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Sets the reader's rating (replacing theirs, if any); `None` withdraws it. Returns the
/// rating that stood before. The counters move in the same transaction.
pub async fn rate_in(
    tx: &mut Tx,
    thread_id: i64,
    user_id: i64,
    rating: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Option<String>> {
    let before = standing_in(tx, thread_id, user_id).await?;
    if before.as_deref() == rating {
        return Ok(before);
    }
    if let Some(old) = &before {
        count_in(tx, thread_id, old, -1).await?;
    }
    match rating {
        Some(rating) => {
            with_tx!(tx, |conn| sqlx::query(
                "INSERT INTO resource_ratings (thread_id, user_id, rating, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (thread_id, user_id) \
                 DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at, \
                 cleared_at = NULL"
            )
            .bind(thread_id)
            .bind(user_id)
            .bind(rating)
            .bind(at)
            .execute(conn)
            .await
            .map(|_| ()))?;
            count_in(tx, thread_id, rating, 1).await?;
        }
        None => {
            with_tx!(tx, |conn| sqlx::query(
                "DELETE FROM resource_ratings WHERE thread_id = $1 AND user_id = $2"
            )
            .bind(thread_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
        }
    }
    Ok(before)
}

/// The owner looked again: the review date moves, standing outdated flags are cleared (kept
/// as history with `cleared_at`).
pub async fn mark_reviewed_in(tx: &mut Tx, thread_id: i64, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE resources SET last_reviewed_at = $2, outdated_count = 0 WHERE thread_id = $1",
        )
        .bind(thread_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE resource_ratings SET cleared_at = $2 \
             WHERE thread_id = $1 AND rating = 'outdated' AND cleared_at IS NULL",
        )
        .bind(thread_id)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn set_review_asked_in(tx: &mut Tx, thread_id: i64, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE resources SET review_asked_at = $2 WHERE thread_id = $1"
    )
    .bind(thread_id)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// One line of the library.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LibraryRow {
    pub thread_id: i64,
    pub title: String,
    pub excerpt: String,
    pub link_url: Option<String>,
    pub kind: String,
    pub tags: String,
    pub helpful_count: i64,
    pub outdated_count: i64,
    pub last_reviewed_at: DateTime<Utc>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub owner_photo: Option<String>,
    pub space_slug: String,
    pub space_name: String,
    pub created_at: DateTime<Utc>,
}

/// What the library lists. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    pub space_id: Option<i64>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// A skill key (`people::profile::skill_key`).
    pub skill: Option<String>,
    /// Only resources with outdated flags standing or reviewed before this moment.
    pub reviewed_before: Option<DateTime<Utc>>,
    /// Most helpful first (else newest first).
    pub by_helpful: bool,
}

/// Keyset position: the sort value (unix microseconds, or a helpful count) and the thread id.
#[derive(Debug, Clone, Copy)]
pub struct LibraryCursor {
    pub value: i64,
    pub id: i64,
}

const LIBRARY: &str = "SELECT t.id AS thread_id, t.title, t.excerpt, t.link_url, r.kind, r.tags, \
        r.helpful_count, r.outdated_count, r.last_reviewed_at, r.owner_id, \
        u.display_name AS owner_name, u.photo_sha256 AS owner_photo, s.slug AS space_slug, s.name AS space_name, t.created_at \
     FROM resources r JOIN threads t ON t.id = r.thread_id JOIN spaces s ON s.id = t.space_id \
        LEFT JOIN users u ON u.id = r.owner_id \
     WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL \
        AND (CAST($2 AS BIGINT) IS NULL OR t.space_id = $2) \
        AND (CAST($3 AS TEXT) IS NULL OR r.kind = $3) \
        AND (CAST($4 AS TEXT) IS NULL OR (' ' || r.tags || ' ') LIKE ('% ' || $4 || ' %')) \
        AND (CAST($5 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM resource_skills rs \
            JOIN skills k ON k.id = rs.skill_id WHERE rs.thread_id = r.thread_id AND k.name_key = $5)) \
        AND (CAST($6 AS TIMESTAMPTZ) IS NULL OR r.outdated_count > 0 OR r.last_reviewed_at < $6) \
        AND ";

/// The resources the viewer may read, a page at a time.
pub async fn library(
    db: &Db,
    viewer: i64,
    filter: &LibraryFilter,
    after: Option<LibraryCursor>,
    limit: i64,
) -> Result<Vec<LibraryRow>> {
    let (order, keyset) = if filter.by_helpful {
        (
            " ORDER BY r.helpful_count DESC, t.id DESC LIMIT $9",
            " AND (CAST($7 AS BIGINT) IS NULL OR r.helpful_count < $7 \
               OR (r.helpful_count = $7 AND t.id < $8)) \
               AND CAST($10 AS TIMESTAMPTZ) IS NOT NULL",
        )
    } else {
        (
            " ORDER BY t.created_at DESC, t.id DESC LIMIT $9",
            " AND (CAST($7 AS BIGINT) IS NULL OR t.created_at < $10 \
               OR (t.created_at = $10 AND t.id < $8))",
        )
    };
    let sql = format!("{LIBRARY}{}{keyset}{order}", super::readable("$1"));
    let at = after
        .and_then(|c| DateTime::from_timestamp_micros(c.value))
        .unwrap_or_else(Utc::now);
    let timestamp_type = match db {
        Db::Sqlite(..) => "TEXT",
        Db::Postgres(_) => "TIMESTAMPTZ",
    };
    let sql = sql.replace("AS TIMESTAMPTZ", &format!("AS {timestamp_type}"));
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(filter.space_id)
    .bind(filter.kind.as_deref())
    .bind(filter.tag.as_deref())
    .bind(filter.skill.as_deref())
    .bind(filter.reviewed_before)
    .bind(after.map(|c| c.value))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit)
    .bind(at)
    .fetch_all(pool)
    .await)?)
}
