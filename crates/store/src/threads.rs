//! Threads, posts, edit history and reactions, and the feeds that list threads.
//! Feeds are keyset-paginated on (last_activity_at, id), newest first, never OFFSET.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

/// A position in a feed: the activity time and id of the last thread shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl FeedCursor {
    /// The start of every feed: later than anything. (Not `DateTime::MAX_UTC`: PostgreSQL cannot
    /// store it and its RFC 3339 text would sort first on SQLite.)
    pub fn start() -> FeedCursor {
        const YEAR_9999: i64 = 253_402_300_799;
        FeedCursor {
            at: DateTime::from_timestamp(YEAR_9999, 0).unwrap_or_default(),
            id: i64::MAX,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub space_id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub kind: String,
    pub title: String,
    pub link_url: Option<String>,
    pub excerpt: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub post_count: i64,
    pub pinned: bool,
    pub locked: bool,
    pub accepted_post_id: Option<i64>,
    /// In feeds: the viewer has posts to read here (never opened, or replies since).
    #[sqlx(default)]
    pub unread: bool,
    /// Set while the opening post waits for a moderator; only the thread page reads it.
    #[sqlx(default)]
    pub hidden_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub reply_to_id: Option<i64>,
    pub body: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Set while the post waits for a moderator (held, or reported past the threshold).
    pub hidden_at: Option<DateTime<Utc>>,
    /// Where it was written: guildhall, or the platform it came from.
    pub origin: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub body: String,
    pub edited_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct NewThread<'a> {
    pub space_id: i64,
    pub author_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub link_url: Option<&'a str>,
    pub excerpt: &'a str,
    pub now: DateTime<Utc>,
}

pub struct NewPost<'a> {
    pub thread_id: i64,
    pub author_id: i64,
    pub reply_to_id: Option<i64>,
    pub body: &'a str,
    pub body_html: &'a str,
    pub now: DateTime<Utc>,
    /// Held for review: hidden, and not counted in the thread until approved.
    pub held: bool,
}

macro_rules! thread_query {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.space_id, s.slug AS space_slug, s.name AS space_name, t.author_id, \
             u.display_name AS author_name, t.kind, t.title, t.link_url, t.excerpt, t.created_at, t.last_activity_at, \
             t.post_count, t.pinned, t.locked, t.accepted_post_id, t.hidden_at \
             FROM threads t JOIN spaces s ON s.id = t.space_id LEFT JOIN users u ON u.id = t.author_id ",
            $rest
        )
    };
}

/// Creates a thread without posts; the caller adds the opening post in the same transaction.
pub async fn insert_thread(tx: &mut Tx, thread: &NewThread<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO threads (space_id, author_id, kind, title, link_url, excerpt, created_at, last_activity_at, post_count) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0) RETURNING id",
        )
        .bind(thread.space_id)
        .bind(thread.author_id)
        .bind(thread.kind)
        .bind(thread.title)
        .bind(thread.link_url)
        .bind(thread.excerpt)
        .bind(thread.now)
        .fetch_one(conn)
        .await
    })?)
}

/// Adds a post. A published post (not held) is then counted with [`count_post`] in the same
/// transaction; a held post is counted when it is approved ([`count_approved_post`]).
pub async fn insert_post(tx: &mut Tx, post: &NewPost<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO posts (thread_id, author_id, reply_to_id, body, body_html, created_at, hidden_at, counted) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(post.thread_id)
        .bind(post.author_id)
        .bind(post.reply_to_id)
        .bind(post.body)
        .bind(post.body_html)
        .bind(post.now)
        .bind(post.held.then_some(post.now))
        .bind(!post.held)
        .fetch_one(conn)
        .await
    })?)
}

/// Moves the thread's counters for a published post. It takes the thread's row lock, which
/// every other writer to the thread then waits for until this transaction ends: make it the
/// transaction's last write, so a popular thread's lock is held for one statement and the commit.
pub async fn count_post(tx: &mut Tx, thread_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE threads SET post_count = post_count + 1, last_activity_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(thread_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn thread(db: &Db, id: i64) -> Result<Option<ThreadRow>> {
    const SQL: &str = thread_query!("WHERE t.id = $1 AND t.deleted_at IS NULL");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// Posts of a thread in order, after the post id `after` (keyset pagination).
pub async fn posts(db: &Db, thread_id: i64, after: i64, limit: i64) -> Result<Vec<PostRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author_name, p.reply_to_id, p.body, p.body_html, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_at, p.origin FROM posts p LEFT JOIN users u ON u.id = p.author_id \
             WHERE p.thread_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3",
        )
        .bind(thread_id)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

const POST: &str = "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author_name, p.reply_to_id, p.body, p.body_html, \
     p.created_at, p.edited_at, p.deleted_at, p.hidden_at, p.origin FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = $1";

pub async fn post(db: &Db, id: i64) -> Result<Option<PostRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(POST)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

pub async fn post_in(tx: &mut Tx, id: i64) -> Result<Option<PostRow>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(POST)
        .bind(id)
        .fetch_optional(conn)
        .await)?)
}

/// The first post of a thread (its body).
const OPENING_POST_ID: &str = "SELECT MIN(id) FROM posts WHERE thread_id = $1";

pub async fn opening_post_id(db: &Db, thread_id: i64) -> Result<Option<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(OPENING_POST_ID)
        .bind(thread_id)
        .fetch_one(pool)
        .await)?)
}

pub async fn opening_post_id_in(tx: &mut Tx, thread_id: i64) -> Result<Option<i64>> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(OPENING_POST_ID)
        .bind(thread_id)
        .fetch_one(conn)
        .await)?)
}

/// Replaces a post's text, keeping the previous text as a version.
pub async fn edit_post(
    tx: &mut Tx,
    post_id: i64,
    body: &str,
    body_html: &str,
    editor: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("INSERT INTO post_versions (post_id, body, edited_by, created_at) SELECT id, body, $1, $2 FROM posts WHERE id = $3")
            .bind(editor)
            .bind(now)
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE posts SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4")
            .bind(body)
            .bind(body_html)
            .bind(now)
            .bind(post_id)
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn versions(db: &Db, post_id: i64) -> Result<Vec<VersionRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, body, edited_by, created_at FROM post_versions WHERE post_id = $1 ORDER BY id")
            .bind(post_id)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn set_thread_excerpt(
    tx: &mut Tx,
    thread_id: i64,
    title: &str,
    excerpt: &str,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE threads SET title = $1, excerpt = $2 WHERE id = $3")
            .bind(title)
            .bind(excerpt)
            .bind(thread_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Soft delete: the text stays for reports and HR cases until the retention policy purges it.
pub async fn delete_post(tx: &mut Tx, post_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE posts SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now)
            .bind(post_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn delete_thread(tx: &mut Tx, thread_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE threads SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now)
            .bind(thread_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn set_flags(db: &Db, thread_id: i64, pinned: bool, locked: bool) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE threads SET pinned = $1, locked = $2 WHERE id = $3")
            .bind(pinned)
            .bind(locked)
            .bind(thread_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn set_accepted(tx: &mut Tx, thread_id: i64, post_id: Option<i64>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE threads SET accepted_post_id = $1 WHERE id = $2")
            .bind(post_id)
            .bind(thread_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

// ---- reactions ----

/// Adds the reaction, or removes it when the person already gave it. `true` when it now exists.
pub async fn toggle_reaction(
    tx: &mut Tx,
    post_id: i64,
    user_id: i64,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(with_tx!(tx, |conn| {
        let removed =
            sqlx::query("DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3")
                .bind(post_id)
                .bind(user_id)
                .bind(kind)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        if removed == 0 {
            // A double click racing itself adds one reaction, not an error.
            sqlx::query("INSERT INTO reactions (post_id, user_id, kind, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .bind(post_id)
                .bind(user_id)
                .bind(kind)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<bool, sqlx::Error>(removed == 0)
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionCount {
    pub post_id: i64,
    pub kind: String,
    pub count: i64,
    pub mine: i64,
}

/// Reaction counts for the posts of a thread between two post ids (one page), with the viewer's own.
pub async fn reaction_counts(
    db: &Db,
    thread_id: i64,
    from_id: i64,
    to_id: i64,
    viewer: i64,
) -> Result<Vec<ReactionCount>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.post_id, r.kind, COUNT(*) AS count, \
             CAST(SUM(CASE WHEN r.user_id = $4 THEN 1 ELSE 0 END) AS BIGINT) AS mine \
             FROM reactions r JOIN posts p ON p.id = r.post_id \
             WHERE p.thread_id = $1 AND p.id >= $2 AND p.id <= $3 GROUP BY r.post_id, r.kind ORDER BY r.post_id, r.kind",
        )
        .bind(thread_id)
        .bind(from_id)
        .bind(to_id)
        .bind(viewer)
        .fetch_all(pool)
        .await
    })?)
}

// ---- feeds ----

/// A feed query: the thread columns plus whether the viewer (parameter `$<viewer>`) has posts to
/// read in it (never opened, or replies since).
macro_rules! feed_query {
    ($viewer:literal, $rest:literal) => {
        concat!(
            "SELECT t.id, t.space_id, s.slug AS space_slug, s.name AS space_name, t.author_id, \
             u.display_name AS author_name, t.kind, t.title, t.link_url, t.excerpt, t.created_at, t.last_activity_at, \
             t.post_count, t.pinned, t.locked, t.accepted_post_id, \
             CASE WHEN ts.last_read_post_id IS NULL \
                    OR ts.last_read_post_id < (SELECT MAX(p.id) FROM posts p WHERE p.thread_id = t.id) \
                  THEN TRUE ELSE FALSE END AS unread \
             FROM threads t JOIN spaces s ON s.id = t.space_id LEFT JOIN users u ON u.id = t.author_id \
             LEFT JOIN thread_states ts ON ts.thread_id = t.id AND ts.user_id = $",
            $viewer,
            " ",
            $rest
        )
    };
}

/// A space's threads, newest activity first.
pub async fn space_feed(
    db: &Db,
    space_id: i64,
    viewer: i64,
    cursor: FeedCursor,
    limit: i64,
) -> Result<Vec<ThreadRow>> {
    const SQL: &str = feed_query!(
        "5",
        "WHERE t.space_id = $1 AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND (t.last_activity_at, t.id) < ($2, $3) \
         ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $4"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(space_id)
            .bind(cursor.at)
            .bind(cursor.id)
            .bind(limit)
            .bind(viewer)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn pinned_threads(db: &Db, space_id: i64, viewer: i64) -> Result<Vec<ThreadRow>> {
    const SQL: &str = feed_query!(
        "2",
        "WHERE t.space_id = $1 AND t.pinned AND t.deleted_at IS NULL AND t.hidden_at IS NULL ORDER BY t.created_at DESC LIMIT 10"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(space_id)
        .bind(viewer)
        .fetch_all(pool)
        .await)?)
}

/// Threads in the spaces a person belongs to, newest activity first.
pub async fn home_feed(
    db: &Db,
    user_id: i64,
    cursor: FeedCursor,
    limit: i64,
) -> Result<Vec<ThreadRow>> {
    const SQL: &str = feed_query!(
        "1",
        "JOIN space_members m ON m.space_id = t.space_id AND m.user_id = $1 AND m.status = 'active' \
         WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL AND (t.last_activity_at, t.id) < ($2, $3) \
         ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $4"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(user_id)
            .bind(cursor.at)
            .bind(cursor.id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Threads a person started (they are the viewer).
pub async fn threads_by(
    db: &Db,
    author_id: i64,
    cursor: FeedCursor,
    limit: i64,
) -> Result<Vec<ThreadRow>> {
    const SQL: &str = feed_query!(
        "1",
        "WHERE t.author_id = $1 AND t.deleted_at IS NULL AND (t.last_activity_at, t.id) < ($2, $3) \
         ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $4"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(author_id)
            .bind(cursor.at)
            .bind(cursor.id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Questions without an accepted answer, in spaces the person can read (theirs and open ones).
pub async fn unanswered(
    db: &Db,
    user_id: i64,
    cursor: FeedCursor,
    limit: i64,
) -> Result<Vec<ThreadRow>> {
    const SQL: &str = feed_query!(
        "1",
        "WHERE t.kind = 'question' AND t.accepted_post_id IS NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
           AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
                WHERE m.space_id = t.space_id AND m.user_id = $1 AND m.status = 'active')) \
           AND (t.last_activity_at, t.id) < ($2, $3) \
         ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $4"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(user_id)
            .bind(cursor.at)
            .bind(cursor.id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

// ---- reading and subscriptions ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadState {
    pub last_read_post_id: i64,
    pub subscription: String,
}

pub async fn thread_state(db: &Db, user_id: i64, thread_id: i64) -> Result<Option<ThreadState>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT last_read_post_id, subscription FROM thread_states WHERE user_id = $1 AND thread_id = $2")
            .bind(user_id)
            .bind(thread_id)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn set_subscription(
    db: &Db,
    user_id: i64,
    thread_id: i64,
    level: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO thread_states (user_id, thread_id, last_read_post_id, subscription, updated_at) VALUES ($1, $2, 0, $3, $4) \
             ON CONFLICT (user_id, thread_id) DO UPDATE SET subscription = excluded.subscription, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(thread_id)
        .bind(level)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// People with a given subscription level on a thread (watchers to notify, muters to skip).
pub async fn subscribers(db: &Db, thread_id: i64, level: &str) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT user_id FROM thread_states WHERE thread_id = $1 AND subscription = $2 ORDER BY user_id")
            .bind(thread_id)
            .bind(level)
            .fetch_all(pool)
            .await
    })?)
}

/// Who watches a thread and may still read it: everyone in an open space, active members
/// otherwise (someone who left a closed space no longer hears what is said in it).
pub async fn readable_watchers(db: &Db, thread_id: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT ts.user_id FROM thread_states ts JOIN threads t ON t.id = ts.thread_id \
             JOIN spaces s ON s.id = t.space_id \
             WHERE ts.thread_id = $1 AND ts.subscription = 'watching' AND (s.visibility = 'open' \
                OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = t.space_id \
                   AND m.user_id = ts.user_id AND m.status = 'active')) \
             ORDER BY ts.user_id",
        )
        .bind(thread_id)
        .fetch_all(pool)
        .await
    })?)
}

/// Moves the read mark forward (never back).
pub async fn mark_read_until(
    tx: &mut Tx,
    user_id: i64,
    thread_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO thread_states (user_id, thread_id, last_read_post_id, subscription, updated_at) VALUES ($1, $2, $3, 'normal', $4) \
             ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_post_id = excluded.last_read_post_id, updated_at = excluded.updated_at \
             WHERE thread_states.last_read_post_id < excluded.last_read_post_id",
        )
        .bind(user_id)
        .bind(thread_id)
        .bind(post_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Counts an approved post that was held when written: the thread gains a post and moves up.
pub async fn count_approved_post(tx: &mut Tx, post_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        let counted = sqlx::query("UPDATE posts SET counted = TRUE WHERE id = $1 AND NOT counted")
            .bind(post_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        if counted > 0 {
            sqlx::query(
                "UPDATE threads SET post_count = post_count + 1, last_activity_at = $1 \
                 WHERE id = (SELECT thread_id FROM posts WHERE id = $2)",
            )
            .bind(now)
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

/// The `limit` posts of a thread just before `before_id`, oldest first: context around a
/// reported or blocked text in an HR case.
pub async fn posts_before(
    db: &Db,
    thread_id: i64,
    before_id: i64,
    limit: i64,
) -> Result<Vec<PostRow>> {
    let mut rows: Vec<PostRow> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT p.id, p.thread_id, p.author_id, u.display_name AS author_name, p.reply_to_id, p.body, p.body_html, \
             p.created_at, p.edited_at, p.deleted_at, p.hidden_at, p.origin FROM posts p LEFT JOIN users u ON u.id = p.author_id \
             WHERE p.thread_id = $1 AND p.id < $2 ORDER BY p.id DESC LIMIT $3",
        )
        .bind(thread_id)
        .bind(before_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    rows.reverse();
    Ok(rows)
}
