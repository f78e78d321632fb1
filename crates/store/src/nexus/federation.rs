//! Whether this instance federates, with which servers, which spaces, who follows them, and
//! which inbound activities were already handled.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FederationRow {
    pub enabled: bool,
    pub mode: String,
    pub share_usage: bool,
    pub private_key_pem: String,
    pub public_key_pem: String,
}

pub async fn settings(db: &Db) -> Result<Option<FederationRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT enabled, mode, share_usage, private_key_pem, public_key_pem FROM federation WHERE id = 1",
        )
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn save_settings(
    db: &Db,
    enabled: bool,
    mode: &str,
    share_usage: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO federation (id, enabled, mode, share_usage, updated_at) VALUES (1, $1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, mode = excluded.mode, \
             share_usage = excluded.share_usage, updated_at = excluded.updated_at",
        )
        .bind(enabled)
        .bind(mode)
        .bind(share_usage)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Keeps the first key written: two instances generating one at once end up with the same.
pub async fn keep_key(
    db: &Db,
    private_pem: &str,
    public_pem: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO federation (id, private_key_pem, public_key_pem, updated_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET private_key_pem = excluded.private_key_pem, \
             public_key_pem = excluded.public_key_pem WHERE federation.private_key_pem = ''",
        )
        .bind(private_pem)
        .bind(public_pem)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServerRow {
    pub host: String,
    pub policy: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn servers(db: &Db) -> Result<Vec<ServerRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT host, policy, note, created_at FROM federation_servers ORDER BY host LIMIT 1000")
            .fetch_all(pool)
            .await
    })?)
}

pub async fn server_policy(db: &Db, host: &str) -> Result<Option<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT policy FROM federation_servers WHERE host = $1")
            .bind(host)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn list_server(
    db: &Db,
    host: &str,
    policy: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO federation_servers (host, policy, note, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (host) DO UPDATE SET policy = excluded.policy, note = excluded.note",
        )
        .bind(host)
        .bind(policy)
        .bind(note)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn unlist_server(db: &Db, host: &str) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM federation_servers WHERE host = $1")
            .bind(host)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn set_space_federated(
    db: &Db,
    space_id: i64,
    on: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        if on {
            sqlx::query("INSERT INTO federated_spaces (space_id, since) VALUES ($1, $2) ON CONFLICT (space_id) DO NOTHING")
                .bind(space_id)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())
        } else {
            sqlx::query("DELETE FROM federated_spaces WHERE space_id = $1")
                .bind(space_id)
                .execute(pool)
                .await
                .map(|_| ())
        }
    })?;
    Ok(())
}

pub async fn is_space_federated(db: &Db, space_id: i64) -> Result<bool> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) > 0 FROM federated_spaces WHERE space_id = $1")
            .bind(space_id)
            .fetch_one(pool)
            .await
    })?)
}

/// The same, read through a transaction (a post being written decides whether it goes out).
pub async fn is_space_federated_in(tx: &mut Tx, space_id: i64) -> Result<bool> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) > 0 FROM federated_spaces WHERE space_id = $1")
            .bind(space_id)
            .fetch_one(conn)
            .await
    })?)
}

pub async fn federated_space_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT space_id FROM federated_spaces ORDER BY space_id LIMIT 10000")
            .fetch_all(pool)
            .await
    })?)
}

pub async fn add_follower(
    db: &Db,
    space_id: i64,
    follower_id: i64,
    activity: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO space_followers (space_id, follower_id, follow_activity, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (space_id, follower_id) DO UPDATE SET follow_activity = excluded.follow_activity",
        )
        .bind(space_id)
        .bind(follower_id)
        .bind(activity)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn remove_follower(db: &Db, space_id: i64, follower_id: i64) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM space_followers WHERE space_id = $1 AND follower_id = $2")
            .bind(space_id)
            .bind(follower_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn follower_count(db: &Db, space_id: i64) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM space_followers WHERE space_id = $1")
            .bind(space_id)
            .fetch_one(pool)
            .await
    })?)
}

/// Where a space's activities go: one inbox per server when it has a shared one, blocked
/// followers left out.
pub async fn follower_inboxes_in(tx: &mut Tx, space_id: i64) -> Result<Vec<String>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT DISTINCT CASE WHEN r.shared_inbox <> '' THEN r.shared_inbox ELSE r.inbox END \
             FROM space_followers f JOIN remote_accounts r ON r.user_id = f.follower_id \
             WHERE f.space_id = $1 AND r.blocked_at IS NULL AND r.inbox <> '' LIMIT 100000",
        )
        .bind(space_id)
        .fetch_all(conn)
        .await
    })?)
}

/// Records an inbound activity id; `false` when it was handled before (a replay).
pub async fn first_time(
    tx: &mut Tx,
    activity_id: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO inbound_activities (activity_id, kind, received_at) VALUES ($1, $2, $3) \
             ON CONFLICT (activity_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(kind)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn seen(db: &Db, activity_id: &str) -> Result<bool> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) > 0 FROM inbound_activities WHERE activity_id = $1")
            .bind(activity_id)
            .fetch_one(pool)
            .await
    })?)
}

/// The slug of a space whose posts go out now: federation on and the space federated.
pub async fn federated_slug_in(tx: &mut Tx, space_id: i64) -> Result<Option<String>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT s.slug FROM federated_spaces f JOIN spaces s ON s.id = f.space_id \
             JOIN federation g ON g.id = 1 AND g.enabled WHERE f.space_id = $1",
        )
        .bind(space_id)
        .fetch_optional(conn)
        .await
    })?)
}

/// A thread whose posts go out now: its space, the space's slug and the thread's title.
pub async fn federated_thread_in(
    tx: &mut Tx,
    thread_id: i64,
) -> Result<Option<(i64, String, String)>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT t.space_id, s.slug, t.title FROM threads t \
             JOIN federated_spaces f ON f.space_id = t.space_id JOIN spaces s ON s.id = t.space_id \
             JOIN federation g ON g.id = 1 AND g.enabled WHERE t.id = $1",
        )
        .bind(thread_id)
        .fetch_optional(conn)
        .await
    })?)
}

/// Whether a member wrote in a federated space: only they have an actor the world may fetch.
pub async fn wrote_in_federated_space(db: &Db, user_id: i64) -> Result<bool> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM posts p JOIN threads t ON t.id = p.thread_id \
             JOIN federated_spaces f ON f.space_id = t.space_id \
             WHERE p.author_id = $1 AND p.deleted_at IS NULL AND p.hidden_at IS NULL)",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?)
}

/// NodeInfo's usage: members, members who posted in the last month and half year, posts.
pub async fn usage(
    db: &Db,
    month_ago: DateTime<Utc>,
    half_year_ago: DateTime<Utc>,
) -> Result<(i64, i64, i64, i64)> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM users WHERE status = 'active'), \
             (SELECT COUNT(DISTINCT author_id) FROM posts WHERE created_at >= $1 AND origin = 'guildhall'), \
             (SELECT COUNT(DISTINCT author_id) FROM posts WHERE created_at >= $2 AND origin = 'guildhall'), \
             (SELECT COUNT(*) FROM posts WHERE origin = 'guildhall' AND deleted_at IS NULL)",
        )
        .bind(month_ago)
        .bind(half_year_ago)
        .fetch_one(pool)
        .await
    })?)
}

/// Removes the follow recorded with this activity id (an Undo that names only the id).
pub async fn remove_follow(db: &Db, follower_id: i64, activity: &str) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM space_followers WHERE follower_id = $1 AND follow_activity = $2")
            .bind(follower_id)
            .bind(activity)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}
