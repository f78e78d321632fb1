//! Email: members' preferences, digest bookkeeping and what a digest lists, and the server's
//! signing secrets.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

/// A person as email sees them: address, standing and choices (defaults when never chosen).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub notifications: bool,
    pub digest: String,
    pub digest_sent_at: Option<DateTime<Utc>>,
}

const RECIPIENT: &str = "SELECT u.id, u.email, u.display_name, u.status, \
     COALESCE(p.notifications, FALSE) AS notifications, COALESCE(p.digest, 'off') AS digest, \
     p.digest_sent_at \
     FROM users u LEFT JOIN email_preferences p ON p.user_id = u.id WHERE u.id = $1";

pub async fn recipient(db: &Db, user_id: i64) -> Result<Option<RecipientRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(RECIPIENT)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

pub struct Preferences<'a> {
    pub user_id: i64,
    pub notifications: bool,
    pub digest: &'a str,
    /// Where the next digest starts.
    pub digest_sent_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

pub async fn save_preferences(tx: &mut Tx, p: &Preferences<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
        "INSERT INTO email_preferences (user_id, notifications, digest, digest_sent_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET \
         notifications = excluded.notifications, digest = excluded.digest, \
         digest_sent_at = excluded.digest_sent_at, updated_at = excluded.updated_at"
    )
    .bind(p.user_id)
    .bind(p.notifications)
    .bind(p.digest)
    .bind(p.digest_sent_at)
    .bind(p.now)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Stops notification emails; true when they were on.
pub async fn stop_notifications(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = with_tx!(tx, |conn| sqlx::query(
        "UPDATE email_preferences SET notifications = FALSE, updated_at = $2 \
         WHERE user_id = $1 AND notifications"
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done > 0)
}

/// Stops digests; true when they were on.
pub async fn stop_digest(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = with_tx!(tx, |conn| sqlx::query(
        "UPDATE email_preferences SET digest = 'off', updated_at = $2 \
         WHERE user_id = $1 AND digest <> 'off'"
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueDigest {
    pub user_id: i64,
    pub digest_sent_at: DateTime<Utc>,
}

/// Active members on `digest` whose last digest ended at or before `due_by`, oldest first.
pub async fn due_digests(
    db: &Db,
    digest: &str,
    due_by: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueDigest>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT p.user_id, p.digest_sent_at FROM email_preferences p \
         JOIN users u ON u.id = p.user_id AND u.status = 'active' \
         WHERE p.digest = $1 AND p.digest_sent_at <= $2 \
         ORDER BY p.digest_sent_at, p.user_id LIMIT $3"
    )
    .bind(digest)
    .bind(due_by)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// Moves a member's digest period on from `previous` to `until`; false when another worker
/// already did (several instances may schedule at once).
pub async fn advance_digest(
    tx: &mut Tx,
    user_id: i64,
    previous: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| sqlx::query(
        "UPDATE email_preferences SET digest_sent_at = $3 \
         WHERE user_id = $1 AND digest_sent_at = $2"
    )
    .bind(user_id)
    .bind(previous)
    .bind(until)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done > 0)
}

/// A thread with something new for a digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestThreadRow {
    pub thread_id: i64,
    pub title: String,
    pub space_name: String,
    /// Started inside the period.
    pub is_new: bool,
    /// Replies inside the period, the opening post not counted.
    pub replies: i64,
}

/// Threads of the member's spaces that were started or answered by others in (`since`,
/// `until`], visible ones only, grouped by space.
const DIGEST_THREADS: &str = "SELECT t.id AS thread_id, t.title, s.name AS space_name, \
     CASE WHEN t.created_at > $2 THEN TRUE ELSE FALSE END AS is_new, \
     CAST(SUM(CASE WHEN p.id > (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = t.id) THEN 1 ELSE 0 END) AS BIGINT) AS replies \
     FROM posts p \
     JOIN threads t ON t.id = p.thread_id AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
     JOIN spaces s ON s.id = t.space_id AND s.archived_at IS NULL \
     JOIN space_members m ON m.space_id = s.id AND m.user_id = $1 AND m.status = 'active' \
     WHERE p.created_at > $2 AND p.created_at <= $3 AND p.deleted_at IS NULL AND p.hidden_at IS NULL \
     AND (p.author_id IS NULL OR p.author_id <> $1) \
     GROUP BY t.id, t.title, s.name, t.created_at \
     ORDER BY s.name, MAX(p.id) DESC LIMIT $4";

pub async fn digest_threads(
    db: &Db,
    user_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DigestThreadRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(DIGEST_THREADS)
        .bind(user_id)
        .bind(since)
        .bind(until)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// The secret called `name`, made from `candidate` when there is none yet: the first instance
/// to ask decides, every other one reads the same.
pub async fn server_secret(
    db: &Db,
    name: &str,
    candidate: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    with_db!(db, |pool| sqlx::query(
        "INSERT INTO server_secrets (name, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING"
    )
    .bind(name)
    .bind(candidate)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT secret FROM server_secrets WHERE name = $1"
    )
    .bind(name)
    .fetch_one(pool)
    .await)?)
}

/// The post made from the member's emailed reply with this Message-ID, if it was taken before
/// (`Some(None)` when that post is gone since).
pub async fn reply_taken(db: &Db, user_id: i64, message_id: &str) -> Result<Option<Option<i64>>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT post_id FROM email_replies WHERE user_id = $1 AND message_id = $2"
    )
    .bind(user_id)
    .bind(message_id)
    .fetch_optional(pool)
    .await)?)
}

/// Remembers an emailed reply by its Message-ID (the first record wins).
pub async fn remember_reply(
    db: &Db,
    message_id: &str,
    user_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "INSERT INTO email_replies (message_id, user_id, post_id, received_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, message_id) DO NOTHING"
    )
    .bind(message_id)
    .bind(user_id)
    .bind(post_id)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}
