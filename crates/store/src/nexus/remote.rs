//! Remote people: a `users` row with status 'remote' (it can author posts and be moderated but
//! never signs in) and its address on its own platform.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RemoteAccount {
    pub user_id: i64,
    pub platform: String,
    pub address: String,
    pub handle: String,
    pub server: String,
    pub profile_url: String,
    pub inbox: String,
    pub shared_inbox: String,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub fetched_at: DateTime<Utc>,
    pub blocked_at: Option<DateTime<Utc>>,
}

pub struct NewRemote<'a> {
    pub platform: &'a str,
    pub address: &'a str,
    pub handle: &'a str,
    pub server: &'a str,
    pub display_name: &'a str,
    pub profile_url: &'a str,
    pub inbox: &'a str,
    pub shared_inbox: &'a str,
    pub public_key_id: &'a str,
    pub public_key_pem: &'a str,
    pub now: DateTime<Utc>,
}

const COLUMNS: &str = "user_id, platform, address, handle, server, profile_url, inbox, shared_inbox, \
     public_key_id, public_key_pem, fetched_at, blocked_at FROM remote_accounts";

pub async fn by_address(db: &Db, platform: &str, address: &str) -> Result<Option<RemoteAccount>> {
    let sql = format!("SELECT {COLUMNS} WHERE platform = $1 AND address = $2");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(address)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn by_user(db: &Db, user_id: i64) -> Result<Option<RemoteAccount>> {
    let sql = format!("SELECT {COLUMNS} WHERE user_id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Remote people of a platform, newest first, for the moderators' list.
pub async fn list(db: &Db, platform: &str, limit: i64) -> Result<Vec<RemoteAccount>> {
    let sql = format!("SELECT {COLUMNS} WHERE platform = $1 ORDER BY user_id DESC LIMIT $2");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Creates the person, or refreshes what their platform says of them; returns the user id.
pub async fn upsert(tx: &mut Tx, remote: &NewRemote<'_>) -> Result<i64> {
    // Not an email address: the platform and address make a key that no sign-in can match.
    let key = format!("{}:{}", remote.platform, remote.address);
    let user_id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (email, given_name, family_name, display_name, password_hash, status, created_at, updated_at) \
             VALUES ($1, '', '', $2, NULL, 'remote', $3, $3) \
             ON CONFLICT (email) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(&key)
        .bind(remote.display_name)
        .bind(remote.now)
        .fetch_one(conn)
        .await
    })?;
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO remote_accounts (user_id, platform, address, handle, server, profile_url, inbox, shared_inbox, public_key_id, public_key_pem, fetched_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, server = excluded.server, \
             profile_url = excluded.profile_url, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, \
             public_key_id = excluded.public_key_id, public_key_pem = excluded.public_key_pem, fetched_at = excluded.fetched_at",
        )
        .bind(user_id)
        .bind(remote.platform)
        .bind(remote.address)
        .bind(remote.handle)
        .bind(remote.server)
        .bind(remote.profile_url)
        .bind(remote.inbox)
        .bind(remote.shared_inbox)
        .bind(remote.public_key_id)
        .bind(remote.public_key_pem)
        .bind(remote.now)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(user_id)
}

/// Blocks (or unblocks, with `None`) a remote person: nothing more of theirs is accepted.
pub async fn set_blocked(
    db: &Db,
    user_id: i64,
    blocked: Option<(DateTime<Utc>, i64)>,
) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE remote_accounts SET blocked_at = $1, blocked_by = $2 WHERE user_id = $3",
        )
        .bind(blocked.map(|(at, _)| at))
        .bind(blocked.map(|(_, by)| by))
        .bind(user_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}

/// Marks a post as written on another platform, with its id there.
pub async fn set_post_origin(
    tx: &mut Tx,
    post_id: i64,
    origin: &str,
    remote_id: Option<&str>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE posts SET origin = $1, remote_id = $2 WHERE id = $3")
            .bind(origin)
            .bind(remote_id)
            .bind(post_id)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// A post by its id on the platform it came from: (post id, thread id, author id).
pub async fn post_by_remote_id(
    db: &Db,
    origin: &str,
    remote_id: &str,
) -> Result<Option<(i64, i64, Option<i64>)>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, thread_id, author_id FROM posts WHERE origin = $1 AND remote_id = $2 AND deleted_at IS NULL",
        )
        .bind(origin)
        .bind(remote_id)
        .fetch_optional(pool)
        .await
    })?)
}
