//! Spaces and their members.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpaceRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub visibility: String,
    pub description: String,
    pub rules: String,
    pub created_at: DateTime<Utc>,
    pub member_count: i64,
}

/// A space as one person sees it in the directory: with their own standing, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub visibility: String,
    pub description: String,
    pub member_count: i64,
    pub my_status: Option<String>,
    pub my_role: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub role: String,
    pub status: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A space with its number of active members, then `$rest` (the WHERE clause).
macro_rules! space_query {
    ($rest:literal) => {
        concat!(
            "SELECT s.id, s.slug, s.name, s.kind, s.visibility, s.description, s.rules, s.created_at, \
             (SELECT COUNT(*) FROM space_members c WHERE c.space_id = s.id AND c.status = 'active') AS member_count \
             FROM spaces s ",
            $rest
        )
    };
}

/// A directory entry with the viewer's standing (`m`), then `$rest` (FROM … joining `s` and `m`).
macro_rules! directory_query {
    ($rest:literal) => {
        concat!(
            "SELECT s.id, s.slug, s.name, s.kind, s.visibility, s.description, \
             (SELECT COUNT(*) FROM space_members c WHERE c.space_id = s.id AND c.status = 'active') AS member_count, \
             m.status AS my_status, m.role AS my_role ",
            $rest
        )
    };
}

pub struct NewSpace<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub visibility: &'a str,
    pub description: &'a str,
    pub rules: &'a str,
    pub created_by: i64,
    pub now: DateTime<Utc>,
}

pub async fn insert_space(tx: &mut Tx, space: &NewSpace<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO spaces (slug, name, kind, visibility, description, rules, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(space.slug)
        .bind(space.name)
        .bind(space.kind)
        .bind(space.visibility)
        .bind(space.description)
        .bind(space.rules)
        .bind(space.created_by)
        .bind(space.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn update_space(
    tx: &mut Tx,
    id: i64,
    name: &str,
    visibility: &str,
    description: &str,
    rules: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE spaces SET name = $1, visibility = $2, description = $3, rules = $4, updated_at = $5 WHERE id = $6")
            .bind(name)
            .bind(visibility)
            .bind(description)
            .bind(rules)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn space_by_slug(db: &Db, slug: &str) -> Result<Option<SpaceRow>> {
    const SQL: &str = space_query!("WHERE s.slug = $1 AND s.archived_at IS NULL");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
}

pub async fn space_by_id(db: &Db, id: i64) -> Result<Option<SpaceRow>> {
    const SQL: &str = space_query!("WHERE s.id = $1 AND s.archived_at IS NULL");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// Spaces a person can find: every listed space, plus secret ones they belong to; by name.
pub async fn directory(
    db: &Db,
    user_id: i64,
    after_name: &str,
    after_id: i64,
    limit: i64,
) -> Result<Vec<DirectoryRow>> {
    const SQL: &str = directory_query!(
        "FROM spaces s LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $1 \
        WHERE s.archived_at IS NULL AND (s.visibility <> 'secret' OR m.status IS NOT NULL) \
          AND (s.name, s.id) > ($2, $3) \
        ORDER BY s.name, s.id LIMIT $4"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(user_id)
            .bind(after_name)
            .bind(after_id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// The spaces a person is an active member of.
pub async fn spaces_of(db: &Db, user_id: i64) -> Result<Vec<DirectoryRow>> {
    const SQL: &str = directory_query!(
        "FROM space_members m JOIN spaces s ON s.id = m.space_id \
        WHERE m.user_id = $1 AND m.status = 'active' AND s.archived_at IS NULL ORDER BY s.name, s.id"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
}

pub async fn membership(db: &Db, space_id: i64, user_id: i64) -> Result<Option<MembershipRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT role, status FROM space_members WHERE space_id = $1 AND user_id = $2",
        )
        .bind(space_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?)
}

/// Sets a person's role and standing in a space, adding them when absent.
pub async fn put_membership(
    tx: &mut Tx,
    space_id: i64,
    user_id: i64,
    role: &str,
    status: &str,
    invited_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO space_members (space_id, user_id, role, status, invited_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (space_id, user_id) DO UPDATE SET role = excluded.role, status = excluded.status",
        )
        .bind(space_id)
        .bind(user_id)
        .bind(role)
        .bind(status)
        .bind(invited_by)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn delete_membership(tx: &mut Tx, space_id: i64, user_id: i64) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
            .bind(space_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn count_facilitators(tx: &mut Tx, space_id: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM space_members WHERE space_id = $1 AND role = 'facilitator' AND status = 'active'")
            .bind(space_id)
            .fetch_one(conn)
            .await
    })?)
}

/// Members with a given standing, by id (keyset pagination).
pub async fn members(
    db: &Db,
    space_id: i64,
    status: &str,
    after_user: i64,
    limit: i64,
) -> Result<Vec<MemberRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT m.user_id, u.display_name, m.role, m.status, m.created_at FROM space_members m \
             JOIN users u ON u.id = m.user_id \
             WHERE m.space_id = $1 AND m.status = $2 AND m.user_id > $3 ORDER BY m.user_id LIMIT $4",
        )
        .bind(space_id)
        .bind(status)
        .bind(after_user)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

// ---- watching a space ----

pub async fn set_watching(
    db: &Db,
    space_id: i64,
    user_id: i64,
    watching: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    if watching {
        with_db!(db, |pool| {
            sqlx::query("INSERT INTO space_watchers (space_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (space_id, user_id) DO NOTHING")
                .bind(space_id)
                .bind(user_id)
                .bind(now)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
    } else {
        with_db!(db, |pool| {
            sqlx::query("DELETE FROM space_watchers WHERE space_id = $1 AND user_id = $2")
                .bind(space_id)
                .bind(user_id)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
    }
    Ok(())
}

pub async fn is_watching(db: &Db, space_id: i64, user_id: i64) -> Result<bool> {
    let found: Option<i64> = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT user_id FROM space_watchers WHERE space_id = $1 AND user_id = $2",
        )
        .bind(space_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

/// Watchers who can still read the space: anyone for open spaces, else active members.
pub async fn readable_watchers(db: &Db, space_id: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT w.user_id FROM space_watchers w JOIN spaces s ON s.id = w.space_id \
             WHERE w.space_id = $1 AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
                WHERE m.space_id = w.space_id AND m.user_id = w.user_id AND m.status = 'active')) \
             ORDER BY w.user_id",
        )
        .bind(space_id)
        .fetch_all(pool)
        .await
    })?)
}
