//! Collections: ordered learning paths through the library, and each member's progress.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CollectionRow {
    pub id: i64,
    pub space_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub title: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT c.id, c.space_id, c.owner_id, u.display_name AS owner_name, c.title, \
     c.description, c.created_at FROM collections c LEFT JOIN users u ON u.id = c.owner_id";

pub struct NewCollection<'a> {
    pub space_id: Option<i64>,
    pub owner_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_in(tx: &mut Tx, new: &NewCollection<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO collections (space_id, owner_id, title, description, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(new.space_id)
    .bind(new.owner_id)
    .bind(new.title)
    .bind(new.description)
    .bind(new.at)
    .fetch_one(conn)
    .await)?)
}

pub async fn collection(db: &Db, id: i64) -> Result<Option<CollectionRow>> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// Collections the viewer may see: organisation-wide ones and those of spaces they may read.
pub async fn visible(db: &Db, viewer: i64, space_id: Option<i64>) -> Result<Vec<CollectionRow>> {
    let sql = format!(
        "{SELECT} LEFT JOIN spaces s ON s.id = c.space_id \
         WHERE (c.space_id IS NULL OR {}) AND (CAST($2 AS BIGINT) IS NULL OR c.space_id = $2) \
         ORDER BY c.id DESC LIMIT 200",
        super::readable("$1")
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(space_id)
    .fetch_all(pool)
    .await)?)
}

/// A step of a path, as the viewer sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub collection_id: i64,
    pub thread_id: i64,
    pub position: i64,
    pub title: String,
    pub kind: String,
    pub link_url: Option<String>,
    pub space_name: String,
    pub done: bool,
}

/// The items of `collections` the viewer may read, in order, each with whether they marked
/// it done. Items in spaces they may not read are left out: they neither show nor count.
pub async fn items_for(db: &Db, viewer: i64, collection_ids: &[i64]) -> Result<Vec<ItemRow>> {
    if collection_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are numbers from the database, joined into the statement as a list.
    let ids = collection_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT i.collection_id, i.thread_id, i.position, t.title, r.kind, t.link_url, \
            s.name AS space_name, EXISTS (SELECT 1 FROM collection_progress p \
                WHERE p.user_id = $1 AND p.collection_id = i.collection_id \
                AND p.thread_id = i.thread_id) AS done \
         FROM collection_items i JOIN resources r ON r.thread_id = i.thread_id \
            JOIN threads t ON t.id = i.thread_id JOIN spaces s ON s.id = t.space_id \
         WHERE i.collection_id IN ({ids}) AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
            AND {} ORDER BY i.collection_id, i.position, i.thread_id",
        super::readable("$1")
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .fetch_all(pool)
    .await)?)
}

/// Every item of a collection in order (all of them, whoever reads): for adding and reordering.
pub async fn item_ids_in(tx: &mut Tx, collection_id: i64) -> Result<Vec<i64>> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT thread_id FROM collection_items WHERE collection_id = $1 \
         ORDER BY position, thread_id"
    )
    .bind(collection_id)
    .fetch_all(conn)
    .await)?)
}

pub async fn add_item_in(
    tx: &mut Tx,
    collection_id: i64,
    thread_id: i64,
    position: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO collection_items (collection_id, thread_id, position, added_at) \
         VALUES ($1, $2, $3, $4)"
    )
    .bind(collection_id)
    .bind(thread_id)
    .bind(position)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Numbers the items 1, 2, 3… in the order given.
pub async fn set_order_in(tx: &mut Tx, collection_id: i64, order: &[i64]) -> Result<()> {
    for (position, thread_id) in (1i64..).zip(order) {
        with_tx!(tx, |conn| sqlx::query(
            "UPDATE collection_items SET position = $3 \
             WHERE collection_id = $1 AND thread_id = $2"
        )
        .bind(collection_id)
        .bind(thread_id)
        .bind(position)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Marks a step done (again: no change) or not done.
pub async fn set_done_in(
    tx: &mut Tx,
    user_id: i64,
    collection_id: i64,
    thread_id: i64,
    done: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    if done {
        with_tx!(tx, |conn| sqlx::query(
            "INSERT INTO collection_progress (user_id, collection_id, thread_id, done_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, collection_id, thread_id) DO NOTHING"
        )
        .bind(user_id)
        .bind(collection_id)
        .bind(thread_id)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ()))?;
    } else {
        with_tx!(tx, |conn| sqlx::query(
            "DELETE FROM collection_progress \
             WHERE user_id = $1 AND collection_id = $2 AND thread_id = $3"
        )
        .bind(user_id)
        .bind(collection_id)
        .bind(thread_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}
