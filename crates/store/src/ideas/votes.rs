//! One vote per person and idea, with the idea's count kept in the same transaction.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

/// Adds or withdraws `user`'s vote; returns whether anything changed.
pub async fn set_in(
    tx: &mut Tx,
    idea: i64,
    user: i64,
    on: bool,
    at: DateTime<Utc>,
) -> Result<bool> {
    let changed = if on {
        with_tx!(tx, |conn| sqlx::query(
            "INSERT INTO idea_votes (idea_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING"
        )
        .bind(idea)
        .bind(user)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected()))?
    } else {
        with_tx!(tx, |conn| sqlx::query(
            "DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2"
        )
        .bind(idea)
        .bind(user)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected()))?
    };
    if changed > 0 {
        let step: i64 = if on { 1 } else { -1 };
        with_tx!(tx, |conn| sqlx::query(
            "UPDATE ideas SET votes = votes + $2 WHERE thread_id = $1"
        )
        .bind(idea)
        .bind(step)
        .execute(&mut *conn)
        .await
        .map(|_| ()))?;
    }
    Ok(changed > 0)
}

/// Moves the votes of a merged duplicate to the idea it was merged into: each voter counts
/// once there (`domain::ideas::merged_votes`), nobody votes for their own idea, and the
/// duplicate keeps none.
pub async fn carry_over_in(
    tx: &mut Tx,
    duplicate: i64,
    kept: i64,
    kept_author: Option<i64>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO idea_votes (idea_id, user_id, created_at) \
         SELECT $2, v.user_id, v.created_at FROM idea_votes v \
         WHERE v.idea_id = $1 AND v.user_id <> COALESCE($3, 0) \
         ON CONFLICT DO NOTHING"
    )
    .bind(duplicate)
    .bind(kept)
    .bind(kept_author)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    with_tx!(tx, |conn| sqlx::query(
        "DELETE FROM idea_votes WHERE idea_id = $1"
    )
    .bind(duplicate)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    with_tx!(tx, |conn| {
        sqlx::query(
        "UPDATE ideas SET votes = (SELECT COUNT(*) FROM idea_votes WHERE idea_id = ideas.thread_id) \
         WHERE thread_id IN ($1, $2)"
    )
    .bind(duplicate)
    .bind(kept)
    .execute(&mut *conn)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Who voted for an idea (they hear where it goes).
pub async fn voters(db: &Db, idea: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT user_id FROM idea_votes WHERE idea_id = $1 ORDER BY user_id"
    )
    .bind(idea)
    .fetch_all(pool)
    .await)?)
}
