//! Directory provisioning (SCIM): directories and their tokens, the people and groups each
//! directory provisioned, and the few writes to users and spaces that provisioning needs.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

/// How many people or groups one directory may list at once; filters are evaluated over this
/// bounded set (see the SCIM face), and directories larger than this page with startIndex.
pub const MAX_RESOURCES: i64 = 100_000;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryRow {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub user_count: i64,
    pub group_count: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryAuthRow {
    pub id: i64,
    pub name: String,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn insert_directory(
    tx: &mut Tx,
    name: &str,
    token_hash: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO directories (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(token_hash)
        .bind(created_by)
        .bind(now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn list_directories(db: &Db) -> Result<Vec<DirectoryRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT d.id, d.name, d.created_at, d.last_used_at, d.revoked_at, \
             (SELECT COUNT(*) FROM directory_users u WHERE u.directory_id = d.id) AS user_count, \
             (SELECT COUNT(*) FROM directory_groups g WHERE g.directory_id = d.id) AS group_count \
             FROM directories d ORDER BY d.revoked_at IS NOT NULL, d.name, d.id",
        )
        .fetch_all(pool)
        .await
    })?)
}

/// `false` when the directory does not exist or was already revoked.
pub async fn revoke_directory(db: &Db, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("UPDATE directories SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn directory_by_token(db: &Db, token_hash: &str) -> Result<Option<DirectoryAuthRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, last_used_at FROM directories WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn touch_directory(db: &Db, id: i64, now: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE directories SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

// ---- people ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryUserRow {
    pub user_id: i64,
    pub user_name: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_given_name: String,
    pub display_name: String,
    pub status: String,
    pub title: String,
    pub department: String,
    pub employee_number: Option<String>,
    pub manager_id: Option<i64>,
}

macro_rules! user_query {
    ($rest:literal) => {
        concat!(
            "SELECT l.user_id, l.user_name, l.external_id, l.created_at, l.updated_at, u.email, \
             u.given_name, u.family_name, u.preferred_given_name, u.display_name, u.status, u.title, \
             u.department, u.employee_number, u.manager_id \
             FROM directory_users l JOIN users u ON u.id = l.user_id ",
            $rest
        )
    };
}

pub async fn directory_users(db: &Db, directory_id: i64) -> Result<Vec<DirectoryUserRow>> {
    const SQL: &str = user_query!("WHERE l.directory_id = $1 ORDER BY l.user_id LIMIT $2");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(directory_id)
        .bind(MAX_RESOURCES)
        .fetch_all(pool)
        .await)?)
}

/// The one person a directory names `user_name_key` (lower-cased): what provisioning clients ask
/// before every create (`userName eq "…"`), answered by the unique index instead of a scan.
pub async fn directory_user_by_name(
    db: &Db,
    directory_id: i64,
    user_name_key: &str,
) -> Result<Option<DirectoryUserRow>> {
    const SQL: &str = user_query!("WHERE l.directory_id = $1 AND l.user_name_key = $2");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(directory_id)
        .bind(user_name_key)
        .fetch_optional(pool)
        .await)?)
}

pub async fn directory_user(
    db: &Db,
    directory_id: i64,
    user_id: i64,
) -> Result<Option<DirectoryUserRow>> {
    const SQL: &str = user_query!("WHERE l.directory_id = $1 AND l.user_id = $2");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(directory_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

/// The person this directory calls `user_name_key` (lower-cased userName).
pub async fn linked_user_by_name(
    tx: &mut Tx,
    directory_id: i64,
    user_name_key: &str,
) -> Result<Option<i64>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT user_id FROM directory_users WHERE directory_id = $1 AND user_name_key = $2",
        )
        .bind(directory_id)
        .bind(user_name_key)
        .fetch_optional(conn)
        .await
    })?)
}

pub async fn is_linked_user(tx: &mut Tx, directory_id: i64, user_id: i64) -> Result<bool> {
    let found: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT user_id FROM directory_users WHERE directory_id = $1 AND user_id = $2",
        )
        .bind(directory_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
    })?;
    Ok(found.is_some())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExistingUser {
    pub id: i64,
    pub status: String,
    pub display_name: String,
}

pub async fn user_by_email(tx: &mut Tx, email: &str) -> Result<Option<ExistingUser>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as("SELECT id, status, display_name FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(conn)
            .await
    })?)
}

pub async fn user_by_id(tx: &mut Tx, id: i64) -> Result<Option<ExistingUser>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as("SELECT id, status, display_name FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await
    })?)
}

/// The fields a directory owns on a person.
pub struct ProvisionedFields<'a> {
    pub email: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub preferred_given_name: &'a str,
    pub display_name: &'a str,
    pub status: &'a str,
    pub title: &'a str,
    pub department: &'a str,
    pub employee_number: Option<&'a str>,
    pub manager_id: Option<i64>,
    pub now: DateTime<Utc>,
}

/// A new person with a directory name (`name_source = 'directory'`, shown as verified) and no
/// password: they sign in through the organisation's identity provider.
pub async fn insert_user(tx: &mut Tx, f: &ProvisionedFields<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (email, given_name, family_name, preferred_given_name, display_name, password_hash, \
             status, name_source, title, department, employee_number, manager_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, 'directory', $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(f.email)
        .bind(f.given_name)
        .bind(f.family_name)
        .bind(f.preferred_given_name)
        .bind(f.display_name)
        .bind(f.status)
        .bind(f.title)
        .bind(f.department)
        .bind(f.employee_number)
        .bind(f.manager_id)
        .bind(f.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn update_user(tx: &mut Tx, user_id: i64, f: &ProvisionedFields<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET email = $2, given_name = $3, family_name = $4, preferred_given_name = $5, \
             display_name = $6, status = $7, name_source = 'directory', title = $8, department = $9, \
             employee_number = $10, manager_id = $11, updated_at = $12 WHERE id = $1",
        )
        .bind(user_id)
        .bind(f.email)
        .bind(f.given_name)
        .bind(f.family_name)
        .bind(f.preferred_given_name)
        .bind(f.display_name)
        .bind(f.status)
        .bind(f.title)
        .bind(f.department)
        .bind(f.employee_number)
        .bind(f.manager_id)
        .bind(f.now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn put_user_link(
    tx: &mut Tx,
    directory_id: i64,
    user_id: i64,
    user_name: &str,
    user_name_key: &str,
    external_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO directory_users (directory_id, user_id, user_name, user_name_key, external_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (directory_id, user_id) DO UPDATE SET \
             user_name = excluded.user_name, user_name_key = excluded.user_name_key, \
             external_id = excluded.external_id, updated_at = excluded.updated_at",
        )
        .bind(directory_id)
        .bind(user_id)
        .bind(user_name)
        .bind(user_name_key)
        .bind(external_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn delete_user_link(tx: &mut Tx, directory_id: i64, user_id: i64) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM directory_users WHERE directory_id = $1 AND user_id = $2")
            .bind(directory_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

// ---- groups ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryGroupRow {
    pub space_id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupMemberRow {
    pub space_id: i64,
    pub user_id: i64,
    pub display_name: String,
}

pub async fn directory_groups(db: &Db, directory_id: i64) -> Result<Vec<DirectoryGroupRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT space_id, display_name, external_id, created_at, updated_at FROM directory_groups \
             WHERE directory_id = $1 ORDER BY space_id LIMIT $2",
        )
        .bind(directory_id)
        .bind(MAX_RESOURCES)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn directory_group(
    db: &Db,
    directory_id: i64,
    space_id: i64,
) -> Result<Option<DirectoryGroupRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT space_id, display_name, external_id, created_at, updated_at FROM directory_groups \
             WHERE directory_id = $1 AND space_id = $2",
        )
        .bind(directory_id)
        .bind(space_id)
        .fetch_optional(pool)
        .await
    })?)
}

/// The active members of the directory's groups who are people of this directory: other
/// members (a facilitator added by hand) are none of the directory's business.
pub async fn group_members(
    db: &Db,
    directory_id: i64,
    space_id: Option<i64>,
) -> Result<Vec<GroupMemberRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT g.space_id, m.user_id, u.display_name FROM directory_groups g \
             JOIN space_members m ON m.space_id = g.space_id AND m.status = 'active' \
             JOIN directory_users l ON l.directory_id = g.directory_id AND l.user_id = m.user_id \
             JOIN users u ON u.id = m.user_id \
             WHERE g.directory_id = $1 AND ($2 IS NULL OR g.space_id = $2) ORDER BY g.space_id, m.user_id",
        )
        .bind(directory_id)
        .bind(space_id)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn group_member_ids(tx: &mut Tx, directory_id: i64, space_id: i64) -> Result<Vec<i64>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT m.user_id FROM space_members m \
             JOIN directory_users l ON l.directory_id = $1 AND l.user_id = m.user_id \
             WHERE m.space_id = $2 AND m.status = 'active'",
        )
        .bind(directory_id)
        .bind(space_id)
        .fetch_all(conn)
        .await
    })?)
}

/// A space made for a directory group; it has no creator among the members.
pub async fn insert_group_space(
    tx: &mut Tx,
    slug: &str,
    name: &str,
    kind: &str,
    visibility: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO spaces (slug, name, kind, visibility, description, rules, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, '', '', NULL, $5, $5) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(kind)
        .bind(visibility)
        .bind(now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn rename_space(
    tx: &mut Tx,
    space_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE spaces SET name = $1, updated_at = $2 WHERE id = $3")
            .bind(name)
            .bind(now)
            .bind(space_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Whether any directory already manages this space.
pub async fn space_is_linked(tx: &mut Tx, space_id: i64) -> Result<bool> {
    let found: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT space_id FROM directory_groups WHERE space_id = $1 LIMIT 1")
            .bind(space_id)
            .fetch_optional(conn)
            .await
    })?;
    Ok(found.is_some())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpaceKindRow {
    pub id: i64,
    pub kind: String,
}

/// The space holding `slug`, archived ones with kind `archived` (their slug stays taken).
pub async fn space_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<SpaceKindRow>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as("SELECT id, CASE WHEN archived_at IS NULL THEN kind ELSE 'archived' END AS kind FROM spaces WHERE slug = $1")
            .bind(slug)
            .fetch_optional(conn)
            .await
    })?)
}

pub async fn put_group_link(
    tx: &mut Tx,
    directory_id: i64,
    space_id: i64,
    display_name: &str,
    external_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO directory_groups (directory_id, space_id, display_name, external_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (directory_id, space_id) DO UPDATE SET \
             display_name = excluded.display_name, external_id = excluded.external_id, updated_at = excluded.updated_at",
        )
        .bind(directory_id)
        .bind(space_id)
        .bind(display_name)
        .bind(external_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn delete_group_link(tx: &mut Tx, directory_id: i64, space_id: i64) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM directory_groups WHERE directory_id = $1 AND space_id = $2")
            .bind(directory_id)
            .bind(space_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Adds an active member, or reactivates one, keeping a facilitator a facilitator.
pub async fn add_member(
    tx: &mut Tx,
    space_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO space_members (space_id, user_id, role, status, invited_by, created_at) \
             VALUES ($1, $2, 'member', 'active', NULL, $3) \
             ON CONFLICT (space_id, user_id) DO UPDATE SET status = 'active'",
        )
        .bind(space_id)
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}
