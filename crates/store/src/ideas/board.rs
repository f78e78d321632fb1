//! Ideas and the boards that list them. An idea's thread holds its discussion; this row holds
//! what a board needs: its fields, where it stands, and its vote count.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewIdea<'a> {
    pub thread_id: i64,
    pub space_id: i64,
    pub author_id: i64,
    pub problem: &'a str,
    pub proposal: &'a str,
    pub benefit: &'a str,
    pub tags: &'a [String],
    pub status: &'a str,
    pub at: DateTime<Utc>,
}

/// Writes the idea beside its (just written) thread, with its tags.
pub async fn insert_in(tx: &mut Tx, idea: &NewIdea<'_>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO ideas (thread_id, space_id, author_id, problem, proposal, benefit, tags, \
         status, created_at, status_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
    )
    .bind(idea.thread_id)
    .bind(idea.space_id)
    .bind(idea.author_id)
    .bind(idea.problem)
    .bind(idea.proposal)
    .bind(idea.benefit)
    .bind(idea.tags.join(" "))
    .bind(idea.status)
    .bind(idea.at)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    insert_tags_in(tx, idea.thread_id, idea.tags).await
}

/// The author's new words (and tags) for an idea.
pub async fn update_in(tx: &mut Tx, id: i64, idea: &NewIdea<'_>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE ideas SET problem = $2, proposal = $3, benefit = $4, tags = $5 WHERE thread_id = $1"
    )
    .bind(id)
    .bind(idea.problem)
    .bind(idea.proposal)
    .bind(idea.benefit)
    .bind(idea.tags.join(" "))
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    with_tx!(tx, |conn| sqlx::query(
        "DELETE FROM idea_tags WHERE idea_id = $1"
    )
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    insert_tags_in(tx, id, idea.tags).await
}

async fn insert_tags_in(tx: &mut Tx, id: i64, tags: &[String]) -> Result<()> {
    for tag in tags {
        with_tx!(tx, |conn| sqlx::query(
            "INSERT INTO idea_tags (tag, idea_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        )
        .bind(tag)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// One idea with its thread's title, author and space.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdeaRow {
    pub id: i64,
    pub space_id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub title: String,
    pub excerpt: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub author_photo: Option<String>,
    pub problem: String,
    pub proposal: String,
    pub benefit: String,
    pub tags: String,
    pub status: String,
    pub parked_reason: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub votes: i64,
    pub post_count: i64,
    pub created_at: DateTime<Utc>,
    pub status_at: DateTime<Utc>,
    pub implemented_at: Option<DateTime<Utc>>,
    pub hidden: bool,
    pub deleted: bool,
    /// The viewer the row was read for voted for it.
    pub voted: bool,
}

const SELECT: &str = "SELECT i.thread_id AS id, i.space_id, s.slug AS space_slug, \
     s.name AS space_name, t.title, t.excerpt, i.author_id, u.display_name AS author_name, \
     u.photo_sha256 AS author_photo, i.problem, i.proposal, i.benefit, i.tags, i.status, \
     i.parked_reason, i.owner_id, o.display_name AS owner_name, i.votes, t.post_count, \
     i.created_at, i.status_at, i.implemented_at, t.hidden_at IS NOT NULL AS hidden, \
     t.deleted_at IS NOT NULL AS deleted, \
     EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.thread_id AND v.user_id = $1) AS voted \
     FROM ideas i JOIN threads t ON t.id = i.thread_id JOIN spaces s ON s.id = i.space_id \
     LEFT JOIN users u ON u.id = i.author_id LEFT JOIN users o ON o.id = i.owner_id";

pub async fn idea(db: &Db, viewer: i64, id: i64) -> Result<Option<IdeaRow>> {
    let sql = format!("{SELECT} WHERE i.thread_id = $2");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// The idea's status, author and space, its row locked until the transaction ends (a no-op
/// update takes the row lock on both backends): moves, merges and votes on one idea take their
/// turn.
pub async fn lock_in(tx: &mut Tx, id: i64) -> Result<Option<(String, Option<i64>, i64)>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(
        "UPDATE ideas SET status = status WHERE thread_id = $1 \
         RETURNING status, author_id, space_id"
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await)?)
}

/// How a board is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardOrder {
    /// Newest first; the cursor is the last idea's id.
    Newest,
    /// Most votes first; the cursor is the last idea's votes and id.
    Votes,
}

/// What a board shows: one space or every space the viewer may read, one status (or all but
/// merged ideas, which live on in another), one tag.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter<'a> {
    pub space_id: Option<i64>,
    pub status: Option<&'a str>,
    pub tag: Option<&'a str>,
}

/// Where the previous page ended: (votes, id) of its last idea.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardCursor {
    pub votes: i64,
    pub id: i64,
}

impl BoardCursor {
    pub fn start() -> BoardCursor {
        BoardCursor {
            votes: i64::MAX,
            id: i64::MAX,
        }
    }
}

/// A page of a board, readable by `viewer` (open spaces and theirs). The SQL is put together
/// from fixed pieces so that each filter uses its index; every value is bound.
pub async fn board(
    db: &Db,
    viewer: i64,
    filter: &BoardFilter<'_>,
    order: BoardOrder,
    cursor: BoardCursor,
    limit: i64,
) -> Result<Vec<IdeaRow>> {
    let mut sql = format!(
        "{SELECT} WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL \
         AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
              WHERE m.space_id = i.space_id AND m.user_id = $1 AND m.status = 'active'))"
    );
    let mut next = 2;
    let mut param = |clause: &str, sql: &mut String| -> usize {
        sql.push_str(&clause.replace("$?", &format!("${next}")));
        next += 1;
        next - 1
    };
    if filter.space_id.is_some() {
        param(" AND i.space_id = $?", &mut sql);
    }
    match filter.status {
        Some(_) => {
            param(" AND i.status = $?", &mut sql);
        }
        None => sql.push_str(" AND i.status <> 'merged'"),
    }
    if filter.tag.is_some() {
        param(
            " AND EXISTS (SELECT 1 FROM idea_tags g WHERE g.tag = $? AND g.idea_id = i.thread_id)",
            &mut sql,
        );
    }
    match order {
        BoardOrder::Newest => {
            param(" AND i.thread_id < $?", &mut sql);
        }
        BoardOrder::Votes => {
            let votes = param(" AND (i.votes < $?", &mut sql);
            param(
                &format!(" OR (i.votes = ${votes} AND i.thread_id < $?))"),
                &mut sql,
            );
        }
    }
    let limit_clause = match order {
        BoardOrder::Newest => " ORDER BY i.thread_id DESC LIMIT $?",
        BoardOrder::Votes => " ORDER BY i.votes DESC, i.thread_id DESC LIMIT $?",
    };
    param(limit_clause, &mut sql);
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(viewer);
        if let Some(space) = filter.space_id {
            query = query.bind(space);
        }
        if let Some(status) = filter.status {
            query = query.bind(status);
        }
        if let Some(tag) = filter.tag {
            query = query.bind(tag);
        }
        if order == BoardOrder::Votes {
            query = query.bind(cursor.votes);
        }
        query.bind(cursor.id).bind(limit).fetch_all(pool).await
    })?)
}

/// Ideas that became work, most recent first, readable by `viewer`.
pub async fn gallery(
    db: &Db,
    viewer: i64,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<IdeaRow>> {
    let sql = format!(
        "{SELECT} WHERE i.implemented_at IS NOT NULL AND i.implemented_at < $2 \
         AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
         AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
              WHERE m.space_id = i.space_id AND m.user_id = $1 AND m.status = 'active')) \
         ORDER BY i.implemented_at DESC, i.thread_id DESC LIMIT $3"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// Titles and texts of recent ideas readable by `viewer`, for "similar ideas" while writing.
pub async fn recent_texts(db: &Db, viewer: i64, limit: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT i.thread_id, t.title, i.problem || ' ' || i.proposal \
         FROM ideas i JOIN threads t ON t.id = i.thread_id JOIN spaces s ON s.id = i.space_id \
         WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL AND i.status <> 'merged' \
         AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
              WHERE m.space_id = i.space_id AND m.user_id = $1 AND m.status = 'active')) \
         ORDER BY i.thread_id DESC LIMIT $2"
    )
    .bind(viewer)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub struct Move<'a> {
    pub id: i64,
    pub status: &'a str,
    pub parked_reason: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// Sets where an idea stands. Reaching Implemented dates it for the gallery.
pub async fn set_status_in(tx: &mut Tx, change: &Move<'_>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE ideas SET status = $2, parked_reason = $3, status_at = $4, \
         implemented_at = CASE WHEN $2 = 'implemented' THEN $4 ELSE implemented_at END \
         WHERE thread_id = $1"
    )
    .bind(change.id)
    .bind(change.status)
    .bind(change.parked_reason)
    .bind(change.at)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn set_owner_in(tx: &mut Tx, id: i64, owner: Option<i64>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE ideas SET owner_id = $2 WHERE thread_id = $1"
    )
    .bind(id)
    .bind(owner)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Ideas a person was credited for (the ledger's adoption and implementation lines: as author
/// or through the lineage) that `viewer` may read: (id, title, status), newest first.
pub async fn credited_to(
    db: &Db,
    person: i64,
    viewer: i64,
    limit: i64,
) -> Result<Vec<(i64, String, String)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT i.thread_id, t.title, i.status FROM ideas i \
         JOIN threads t ON t.id = i.thread_id JOIN spaces s ON s.id = i.space_id \
         WHERE i.thread_id IN (SELECT l.source_id FROM points_ledger l WHERE l.user_id = $1 \
             AND l.source_kind = 'idea' AND l.rule = 'idea_adopted' AND l.reverses_id IS NULL) \
         AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
         AND (s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
              WHERE m.space_id = i.space_id AND m.user_id = $2 AND m.status = 'active')) \
         ORDER BY i.thread_id DESC LIMIT $3"
    )
    .bind(person)
    .bind(viewer)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn votes_in(tx: &mut Tx, id: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT votes FROM ideas WHERE thread_id = $1"
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await)?)
}
