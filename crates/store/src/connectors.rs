//! Connectors of spaces to chat platforms, the posts they carried, their deliveries in the
//! outbox and the message ids they already accepted (replay protection).

use crate::outbox::OutboxRow;
use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnectorRow {
    pub id: i64,
    pub space_id: i64,
    pub kind: String,
    pub name: String,
    pub target: String,
    pub signing_secret: Option<String>,
    pub token_hash: Option<String>,
    pub active: bool,
    pub status: String,
    pub last_error: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct NewConnector<'a> {
    pub space_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub target: &'a str,
    pub signing_secret: Option<&'a str>,
    pub token_hash: Option<&'a str>,
    pub active: bool,
    pub created_by: Option<i64>,
    pub now: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, new: &NewConnector<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO connectors (space_id, kind, name, target, signing_secret, token_hash, active, status, \
               created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $9) RETURNING id",
        )
        .bind(new.space_id)
        .bind(new.kind)
        .bind(new.name)
        .bind(new.target)
        .bind(new.signing_secret)
        .bind(new.token_hash)
        .bind(new.active)
        .bind(new.created_by)
        .bind(new.now)
        .fetch_one(conn)
        .await
    })?)
}

const BY_ID: &str = "SELECT id, space_id, kind, name, target, signing_secret, token_hash, active, status, \
     last_error, last_success_at, last_failure_at, created_by, created_at FROM connectors WHERE id = $1";

pub async fn get(db: &Db, id: i64) -> Result<Option<ConnectorRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(BY_ID)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<ConnectorRow>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(BY_ID)
        .bind(id)
        .fetch_optional(conn)
        .await)?)
}

pub async fn of_space(db: &Db, space_id: i64) -> Result<Vec<ConnectorRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT id, space_id, kind, name, target, signing_secret, token_hash, active, status, \
           last_error, last_success_at, last_failure_at, created_by, created_at FROM connectors \
         WHERE space_id = $1 ORDER BY id"
    )
    .bind(space_id)
    .fetch_all(pool)
    .await)?)
}

/// Active Matrix connectors whose target is `room`: where a room's messages belong.
pub async fn matrix_by_room(db: &Db, room: &str) -> Result<Vec<ConnectorRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT id, space_id, kind, name, target, signing_secret, token_hash, active, status, \
           last_error, last_success_at, last_failure_at, created_by, created_at FROM connectors \
         WHERE kind = 'matrix' AND target = $1 AND active ORDER BY id"
    )
    .bind(room)
    .fetch_all(pool)
    .await)?)
}

/// Active connectors of a space that send posts out, read through the post's transaction.
pub async fn senders_in(tx: &mut Tx, space_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as(
        "SELECT id, kind FROM connectors WHERE space_id = $1 AND active AND kind <> 'incoming' ORDER BY id"
    )
    .bind(space_id)
    .fetch_all(conn)
    .await
    })?)
}

pub async fn set_active(db: &Db, id: i64, active: bool, now: DateTime<Utc>) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("UPDATE connectors SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(active)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn delete(tx: &mut Tx, id: i64) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM connectors WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// The outcome of the latest delivery (or inbound message): the status shown to admins.
pub async fn record_outcome(
    db: &Db,
    id: i64,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        match error {
            None => sqlx::query(
                "UPDATE connectors SET status = 'ok', last_success_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(id),
            Some(error) => sqlx::query(
                "UPDATE connectors SET status = 'failing', last_error = $1, last_failure_at = $2 WHERE id = $3",
            )
            .bind(error)
            .bind(now)
            .bind(id),
        }
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Notes that `post_id` went to (or came from) the connector; `false` when it was noted before.
pub async fn link_post_in(
    tx: &mut Tx,
    connector_id: i64,
    post_id: i64,
    direction: &str,
    remote_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let id: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO connector_posts (connector_id, post_id, direction, remote_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connector_id, post_id) DO NOTHING RETURNING id",
        )
        .bind(connector_id)
        .bind(post_id)
        .bind(direction)
        .bind(remote_id)
        .bind(now)
        .fetch_optional(conn)
        .await
    })?;
    Ok(id.is_some())
}

/// The remote id of a post sent out, once the platform answered with one.
pub async fn set_remote_id(
    db: &Db,
    connector_id: i64,
    post_id: i64,
    remote_id: &str,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE connector_posts SET remote_id = $1 WHERE connector_id = $2 AND post_id = $3",
        )
        .bind(remote_id)
        .bind(connector_id)
        .bind(post_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub post_id: i64,
    pub direction: String,
    pub remote_id: Option<String>,
}

pub async fn link_of_post(db: &Db, connector_id: i64, post_id: i64) -> Result<Option<LinkRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
        "SELECT post_id, direction, remote_id FROM connector_posts WHERE connector_id = $1 AND post_id = $2"
    )
    .bind(connector_id)
    .bind(post_id)
    .fetch_optional(pool)
    .await
    })?)
}

pub async fn link_of_remote(
    db: &Db,
    connector_id: i64,
    remote_id: &str,
) -> Result<Option<LinkRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
        "SELECT post_id, direction, remote_id FROM connector_posts WHERE connector_id = $1 AND remote_id = $2"
    )
    .bind(connector_id)
    .bind(remote_id)
    .fetch_optional(pool)
    .await
    })?)
}

/// Connectors that carried a post (either way), for edits and deletions to follow.
pub async fn links_of_post_in(tx: &mut Tx, post_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(
        "SELECT c.id, c.kind FROM connector_posts p JOIN connectors c ON c.id = p.connector_id \
         WHERE p.post_id = $1 AND c.active ORDER BY c.id"
    )
    .bind(post_id)
    .fetch_all(conn)
    .await)?)
}

pub async fn record_delivery(
    tx: &mut Tx,
    outbox_id: i64,
    connector_id: i64,
    post_id: i64,
    event: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO connector_deliveries (outbox_id, connector_id, post_id, event, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(outbox_id)
        .bind(connector_id)
        .bind(post_id)
        .bind(event)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A connector's deliveries in one outbox status, newest first.
pub async fn deliveries(
    db: &Db,
    connector_id: i64,
    status: &str,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
        "SELECT o.id, o.kind, o.payload, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at \
         FROM connector_deliveries d JOIN outbox o ON o.id = d.outbox_id \
         WHERE d.connector_id = $1 AND o.status = $2 ORDER BY o.id DESC LIMIT $3"
    )
    .bind(connector_id)
    .bind(status)
    .bind(limit)
    .fetch_all(pool)
    .await
    })?)
}

/// Whether an outbox row is a delivery of this connector.
pub async fn is_delivery_of(db: &Db, connector_id: i64, outbox_id: i64) -> Result<bool> {
    let found: Option<i64> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT outbox_id FROM connector_deliveries WHERE connector_id = $1 AND outbox_id = $2"
    )
    .bind(connector_id)
    .bind(outbox_id)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// Remembers a message id; `false` when it was seen before (a replay).
pub async fn remember_in(
    tx: &mut Tx,
    connector_id: i64,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let seen: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO connector_seen (connector_id, message_id, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (connector_id, message_id) DO NOTHING RETURNING connector_id",
        )
        .bind(connector_id)
        .bind(message_id)
        .bind(now)
        .fetch_optional(conn)
        .await
    })?;
    Ok(seen.is_some())
}

pub async fn was_seen(db: &Db, connector_id: i64, message_id: &str) -> Result<bool> {
    let seen: Option<i64> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT connector_id FROM connector_seen WHERE connector_id = $1 AND message_id = $2"
    )
    .bind(connector_id)
    .bind(message_id)
    .fetch_optional(pool)
    .await)?;
    Ok(seen.is_some())
}

/// Ids older than the replay window can no longer pass the timestamp check; forget them.
pub async fn forget_seen(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    Ok(with_db!(db, |pool| sqlx::query(
        "DELETE FROM connector_seen WHERE seen_at < $1"
    )
    .bind(before)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Forgets one message id again: its message was refused after all, so a corrected retry with
/// the same id is welcome.
pub async fn forget_message(db: &Db, connector_id: i64, message_id: &str) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "DELETE FROM connector_seen WHERE connector_id = $1 AND message_id = $2"
    )
    .bind(connector_id)
    .bind(message_id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Remembers a Matrix transaction id; `false` when it was handled before.
pub async fn remember_transaction(db: &Db, txn_id: &str, now: DateTime<Utc>) -> Result<bool> {
    let seen: Option<String> = with_db!(db, |pool| sqlx::query_scalar(
        "INSERT INTO matrix_transactions (txn_id, seen_at) VALUES ($1, $2) \
         ON CONFLICT (txn_id) DO NOTHING RETURNING txn_id"
    )
    .bind(txn_id)
    .bind(now)
    .fetch_optional(pool)
    .await)?;
    Ok(seen.is_some())
}

/// The thread a connector carried last (either way): where a room message without a reply
/// relation belongs.
pub async fn latest_thread(db: &Db, connector_id: i64) -> Result<Option<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT p.thread_id FROM connector_posts cp JOIN posts p ON p.id = cp.post_id \
         JOIN threads t ON t.id = p.thread_id \
         WHERE cp.connector_id = $1 AND t.deleted_at IS NULL ORDER BY cp.id DESC LIMIT 1"
    )
    .bind(connector_id)
    .fetch_optional(pool)
    .await)?)
}
