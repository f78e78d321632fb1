//! RSS and Atom feeds: the latest threads of an open space, or of a tag across open spaces,
//! each with its opening post. Only published content: no deleted or held thread or post.
//! Newest activity first on the same index as the space's own page
//! (`threads_space_activity_idx`), so a feed costs what the space page costs.

use crate::{Db, Result, with_db};
use chrono::{DateTime, Utc};

/// One entry: a thread and its opening post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedEntryRow {
    pub thread_id: i64,
    pub title: String,
    pub kind: String,
    pub author_name: Option<String>,
    pub space_slug: String,
    pub space_name: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Rendered and sanitised when it was written (ammonia).
    pub body_html: String,
}

/// Columns and joins of an entry; `$1` is the visibility that outsiders may read.
macro_rules! entry_query {
    ($rest:literal) => {
        concat!(
            "SELECT t.id AS thread_id, t.title, t.kind, u.display_name AS author_name, \
             s.slug AS space_slug, s.name AS space_name, t.created_at, t.last_activity_at, \
             p.edited_at, p.body_html \
             FROM threads t JOIN spaces s ON s.id = t.space_id \
             JOIN posts p ON p.id = (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = t.id) \
             LEFT JOIN users u ON u.id = t.author_id \
             WHERE s.visibility = $1 AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
             AND p.deleted_at IS NULL AND p.hidden_at IS NULL ",
            $rest
        )
    };
}

/// The space's latest `limit` threads, if the space has `visibility` (callers pass the one
/// outsiders may read, so a closed space's feed is empty even if asked for by id).
pub async fn space_entries(
    db: &Db,
    space_id: i64,
    visibility: &str,
    limit: i64,
) -> Result<Vec<FeedEntryRow>> {
    const SQL: &str =
        entry_query!("AND t.space_id = $2 ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $3");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(visibility)
            .bind(space_id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// The latest `limit` threads that carry `tag` in spaces of `visibility`. Tags are the words
/// ideas (`idea_tags`) and library resources (`resources.tags`) share; `tag` must already be
/// one normalised tag (letters, digits, hyphens), so it holds no LIKE wildcard.
pub async fn tag_entries(
    db: &Db,
    tag: &str,
    visibility: &str,
    limit: i64,
) -> Result<Vec<FeedEntryRow>> {
    const SQL: &str = entry_query!(
        "AND t.id IN (SELECT g.idea_id FROM idea_tags g WHERE g.tag = $2 \
           UNION SELECT r.thread_id FROM resources r WHERE (' ' || r.tags || ' ') LIKE ('% ' || $2 || ' %')) \
         ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $3"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(visibility)
            .bind(tag)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}
