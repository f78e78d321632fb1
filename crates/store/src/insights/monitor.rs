//! What facilitators and moderators keep an eye on, recent first: new questions, questions
//! waiting a day, content waiting for review, new members: in the spaces the viewer
//! facilitates, or every space for a moderator.

use crate::{Db, Result, with_db};
use chrono::{DateTime, Utc};

/// One line of the monitoring feed as stored: what, where, about which thread or person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WatchRow {
    pub kind: String,
    pub space_id: i64,
    pub space_name: String,
    /// A thread's title, a person's name, or a review item's source.
    pub label: String,
    /// The thread, person or review item the line links to.
    pub target_id: i64,
    pub at: DateTime<Utc>,
    /// The platform the content came from (guildhall when written here).
    pub origin: String,
}

/// `moderator` sees every space and what waits for review; a facilitator their spaces. The two
/// are separate statements so that each can use its indexes (no `OR` across them).
pub async fn recent(
    db: &Db,
    viewer: i64,
    moderator: bool,
    since: DateTime<Utc>,
    day_ago: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<WatchRow>> {
    // A moderator's statement still names $1 (every id is positive) so both bind alike.
    let (threads, members) = if moderator {
        ("$1 > 0", "$1 > 0")
    } else {
        (FACILITATED_THREADS, FACILITATED_MEMBERS)
    };
    let review = if moderator {
        "UNION ALL \
         SELECT 'review', r.space_id, s.name, r.source, r.id, r.created_at, \
             COALESCE((SELECT p.origin FROM posts p WHERE r.subject_kind = 'post' AND p.id = r.subject_id), 'guildhall') \
           FROM review_items r JOIN spaces s ON s.id = r.space_id \
           WHERE r.status = 'open' AND r.created_at >= $2"
    } else {
        ""
    };
    let sql = format!(
        "SELECT * FROM (\
           SELECT 'question' AS kind, t.space_id, s.name AS space_name, t.title AS label, \
             t.id AS target_id, t.created_at AS at, {opening_origin} AS origin FROM threads t JOIN spaces s ON s.id = t.space_id \
             WHERE t.kind = 'question' AND t.created_at >= $2 AND t.deleted_at IS NULL \
             AND t.hidden_at IS NULL AND {threads} \
           UNION ALL \
           SELECT 'unanswered', t.space_id, s.name, t.title, t.id, t.created_at, {opening_origin} \
             FROM threads t JOIN spaces s ON s.id = t.space_id \
             WHERE t.kind = 'question' AND t.created_at >= $2 AND t.created_at <= $3 \
             AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND {threads} \
             AND NOT EXISTS (SELECT 1 FROM posts r WHERE r.thread_id = t.id \
               AND r.author_id <> t.author_id AND r.deleted_at IS NULL) \
           {review} \
           UNION ALL \
           SELECT 'member', m.space_id, s.name, u.display_name, u.id, m.created_at, 'guildhall' \
             FROM space_members m JOIN spaces s ON s.id = m.space_id JOIN users u ON u.id = m.user_id \
             WHERE m.status = 'active' AND m.role = 'member' AND m.created_at >= $2 \
             AND {members}\
         ) w ORDER BY at DESC LIMIT $4",
        opening_origin = OPENING_ORIGIN
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(since)
    .bind(day_ago)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// Where a thread's opening post was written.
const OPENING_ORIGIN: &str =
    "(SELECT p.origin FROM posts p WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1)";

const FACILITATED_THREADS: &str = "t.space_id IN (SELECT space_id FROM space_members \
     WHERE user_id = $1 AND role = 'facilitator' AND status = 'active')";
const FACILITATED_MEMBERS: &str = "m.space_id IN (SELECT space_id FROM space_members \
     WHERE user_id = $1 AND role = 'facilitator' AND status = 'active')";

/// The spaces `viewer` facilitates.
pub async fn facilitated_spaces(db: &Db, viewer: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT space_id FROM space_members WHERE user_id = $1 AND role = 'facilitator' \
         AND status = 'active' ORDER BY space_id"
    )
    .bind(viewer)
    .fetch_all(pool)
    .await)?)
}
