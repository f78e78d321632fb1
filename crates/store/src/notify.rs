//! In-app notifications.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewNotification<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub actor_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub title: &'a str,
    /// A local path for notifications not about a thread ("" otherwise).
    pub link: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub title: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const INSERT: &str = "INSERT INTO notifications (user_id, kind, actor_id, thread_id, post_id, title, link, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

pub async fn insert(db: &Db, n: &NewNotification<'_>) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(INSERT)
            .bind(n.user_id)
            .bind(n.kind)
            .bind(n.actor_id)
            .bind(n.thread_id)
            .bind(n.post_id)
            .bind(n.title)
            .bind(n.link)
            .bind(n.now)
            .fetch_one(pool)
            .await
    })?)
}

/// The same inside a transaction (when an email of it is recorded with it).
pub async fn insert_in(tx: &mut Tx, n: &NewNotification<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(INSERT)
            .bind(n.user_id)
            .bind(n.kind)
            .bind(n.actor_id)
            .bind(n.thread_id)
            .bind(n.post_id)
            .bind(n.title)
            .bind(n.link)
            .bind(n.now)
            .fetch_one(conn)
            .await
    })?)
}

/// One notification of the person (the email of it is written from this).
pub async fn by_id(db: &Db, user_id: i64, id: i64) -> Result<Option<NotificationRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT n.id, n.kind, n.actor_id, u.display_name AS actor_name, n.thread_id, n.post_id, n.title, n.link, n.created_at, n.read_at \
             FROM notifications n LEFT JOIN users u ON u.id = n.actor_id \
             WHERE n.user_id = $1 AND n.id = $2",
        )
        .bind(user_id)
        .bind(id)
        .fetch_optional(pool)
        .await
    })?)
}

/// Newest first, before the id `before` (keyset pagination).
pub async fn recent(
    db: &Db,
    user_id: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT n.id, n.kind, n.actor_id, u.display_name AS actor_name, n.thread_id, n.post_id, n.title, n.link, n.created_at, n.read_at \
             FROM notifications n LEFT JOIN users u ON u.id = n.actor_id \
             WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3",
        )
        .bind(user_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?)
}

/// Marks one (or, with `None`, every) notification of the person read.
pub async fn mark_read(db: &Db, user_id: i64, id: Option<i64>, now: DateTime<Utc>) -> Result<u64> {
    let done = with_db!(db, |pool| {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)")
            .bind(now)
            .bind(user_id)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}

/// The PostgreSQL channel live events cross instances on.
const LIVE_CHANNEL: &str = "guildhall_live";

/// Sends live events to every instance listening, in one statement; SQLite runs one instance,
/// so there is nobody to tell.
pub async fn relay_live(db: &Db, payloads: &[String]) -> Result<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify($1, payload) FROM UNNEST($2::text[]) AS payload")
            .bind(LIVE_CHANNEL)
            .bind(payloads)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// A connection listening for other instances' live events (PostgreSQL only).
pub struct LiveListener(sqlx::postgres::PgListener);

impl LiveListener {
    /// `None` on SQLite.
    pub async fn start(db: &Db) -> Result<Option<LiveListener>> {
        let Db::Postgres(pool) = db else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(LIVE_CHANNEL).await?;
        Ok(Some(LiveListener(listener)))
    }

    /// The next payload. After a lost connection it reconnects and listens again (events sent
    /// meanwhile are missed: pages catch up on their next load).
    pub async fn next(&mut self) -> Result<String> {
        Ok(self.0.recv().await?.payload().to_owned())
    }
}
