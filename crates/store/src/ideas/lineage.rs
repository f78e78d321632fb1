//! Build-on and merge links, and the family of an idea: every idea connected to it by links,
//! found with one recursive query (families are small: a few to a few dozen ideas).

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

/// The ids connected to `$1` through links in either direction.
macro_rules! family_cte {
    () => {
        "WITH RECURSIVE family (id) AS ( \
           SELECT CAST($1 AS BIGINT) \
           UNION \
           SELECT CASE WHEN l.child_id = f.id THEN l.parent_id ELSE l.child_id END \
           FROM idea_links l JOIN family f ON l.child_id = f.id OR l.parent_id = f.id) "
    };
}

const LINKS: &str = concat!(
    family_cte!(),
    "SELECT l.child_id, l.parent_id, l.kind FROM idea_links l \
     WHERE l.child_id IN (SELECT id FROM family) ORDER BY l.child_id, l.parent_id"
);

/// (child, parent, kind) of every link in the family of `idea`.
pub async fn family_links(db: &Db, idea: i64) -> Result<Vec<(i64, i64, String)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(LINKS)
        .bind(idea)
        .fetch_all(pool)
        .await)?)
}

/// [`family_links`] through the transaction that is about to change the family.
pub async fn family_links_in(tx: &mut Tx, idea: i64) -> Result<Vec<(i64, i64, String)>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(LINKS)
        .bind(idea)
        .fetch_all(&mut *conn)
        .await)?)
}

/// One idea of a family as a viewer may see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FamilyMember {
    pub id: i64,
    pub title: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub status: String,
    /// The viewer (`$2`) may read it: its space is open or theirs, and it is not removed.
    pub readable: bool,
}

const MEMBERS: &str = concat!(
    family_cte!(),
    "SELECT i.thread_id AS id, t.title, i.author_id, u.display_name AS author_name, i.status, \
     (t.deleted_at IS NULL AND t.hidden_at IS NULL AND (s.visibility = 'open' OR EXISTS ( \
        SELECT 1 FROM space_members m WHERE m.space_id = i.space_id AND m.user_id = $2 \
        AND m.status = 'active'))) AS readable \
     FROM ideas i JOIN threads t ON t.id = i.thread_id JOIN spaces s ON s.id = i.space_id \
     LEFT JOIN users u ON u.id = i.author_id WHERE i.thread_id IN (SELECT id FROM family) ORDER BY i.thread_id"
);

pub async fn family_members(db: &Db, idea: i64, viewer: i64) -> Result<Vec<FamilyMember>> {
    Ok(with_db!(db, |pool| sqlx::query_as(MEMBERS)
        .bind(idea)
        .bind(viewer)
        .fetch_all(pool)
        .await)?)
}

/// [`family_members`] through the transaction that credits them (`viewer` 0: nobody).
pub async fn family_members_in(tx: &mut Tx, idea: i64) -> Result<Vec<FamilyMember>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(MEMBERS)
        .bind(idea)
        .bind(0_i64)
        .fetch_all(&mut *conn)
        .await)?)
}

pub async fn insert_in(
    tx: &mut Tx,
    child: i64,
    parent: i64,
    kind: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO idea_links (child_id, parent_id, kind, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(child)
    .bind(parent)
    .bind(kind)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    Ok(())
}
