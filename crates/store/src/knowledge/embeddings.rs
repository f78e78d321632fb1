//! Sentence embeddings of question and resource threads, for "similar questions and resources".

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub async fn put_in(
    tx: &mut Tx,
    thread_id: i64,
    model: &str,
    vector: &[u8],
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO thread_embeddings (thread_id, model, vector, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (thread_id) DO UPDATE SET \
         model = excluded.model, vector = excluded.vector, updated_at = excluded.updated_at"
    )
    .bind(thread_id)
    .bind(model)
    .bind(vector)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// A question or resource the viewer may read, with its embedding.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CandidateRow {
    pub thread_id: i64,
    pub kind: String,
    pub title: String,
    pub excerpt: String,
    pub space_slug: String,
    pub space_name: String,
    pub vector: Vec<u8>,
}

/// The `limit` most recent embedded questions and resources the viewer may read, those of
/// `space_id` (when given) first.
pub async fn candidates(
    db: &Db,
    viewer: i64,
    space_id: Option<i64>,
    model: &str,
    limit: i64,
) -> Result<Vec<CandidateRow>> {
    let sql = format!(
        "SELECT t.id AS thread_id, t.kind, t.title, t.excerpt, s.slug AS space_slug, \
            s.name AS space_name, e.vector \
         FROM thread_embeddings e JOIN threads t ON t.id = e.thread_id \
            JOIN spaces s ON s.id = t.space_id \
         WHERE e.model = $3 AND t.kind IN ('question', 'resource') AND t.deleted_at IS NULL \
            AND t.hidden_at IS NULL AND {} \
         ORDER BY CASE WHEN t.space_id = $2 THEN 0 ELSE 1 END, t.id DESC LIMIT $4",
        super::readable("$1")
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(viewer)
    .bind(space_id.unwrap_or(0))
    .bind(model)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}
